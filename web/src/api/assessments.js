// 考核 and 问责 (docs/openapi/assessments.yaml, docs/assessment.md).
import { api } from './client.js'

/** GET /assessments/scheme → { weights, bands, red_top, black_bottom, overdue_days, components }. */
export const getScheme = () => api.get('/assessments/scheme')
/** PUT /assessments/scheme → the scheme. */
export const saveScheme = (body) => api.put('/assessments/scheme', body)
/** GET /assessments?kind=&status= → { items, total }. */
export const listAssessments = (params) => api.get('/assessments', { params })
/** POST /assessments { kind, from, to, title? } → the period, computed. */
export const createAssessment = (body) => api.post('/assessments', body)
export const getAssessment = (id) => api.get(`/assessments/${id}`)
export const deleteAssessment = (id) => api.del(`/assessments/${id}`)
export const computeAssessment = (id) => api.post(`/assessments/${id}/compute`, {})
export const publishAssessment = (id) => api.post(`/assessments/${id}/publish`, {})
/** GET /assessments/{id}/results → { period, items, total }. */
export const assessmentResults = (id) => api.get(`/assessments/${id}/results`)
/** POST /assessments/{id}/adjustments { unit_id, points, reason, file_ids }. */
export const addAdjustment = (id, body) => api.post(`/assessments/${id}/adjustments`, body)
/** GET /assessments/{id}/export → { blob, filename }. */
export const exportAssessment = (id) => api.download(`/assessments/${id}/export`)
/** GET /assessments/units/{unit_id}/history?kind= → { unit, items, accountability }. */
export const unitHistory = (unitId, params) => api.get(`/assessments/units/${unitId}/history`, { params })
/** GET /accountability → { items (candidates), records, overdue_days }. */
export const getAccountability = () => api.get('/accountability')
/** POST /accountability { unit_id, action, acted_on, text, basis, file_ids }. */
export const addAccountability = (body) => api.post('/accountability', body)

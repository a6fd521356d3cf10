// 通报 (bulletins): drafted from a period, edited by the office, printed as
// PDF and Word (docs/openapi/bulletins.yaml, docs/bulletins.md).
import { api } from './client.js'

/** GET /bulletins. params: status (draft | issued), page, size. */
export const listBulletins = (params, options) => api.get('/bulletins', { params, ...options })
/** One bulletin with its sections (content). */
export const getBulletin = (id) => api.get(`/bulletins/${id}`)
/** POST /bulletins { from, to, assessment_id? } → the draft (201). */
export const createBulletin = (data) => api.post('/bulletins', data)
/** PUT /bulletins/{id} { title, summary, suggestions, typical: [{ problem_id, comment }], plan_id }. */
export const updateBulletin = (id, data) => api.put(`/bulletins/${id}`, data)
/** DELETE /bulletins/{id} (drafts only). */
export const deleteBulletin = (id) => api.del(`/bulletins/${id}`)
/** GET /bulletins/{id}/pdf → { blob, filename }. */
export const bulletinPdf = (id) => api.download(`/bulletins/${id}/pdf`)
/** GET /bulletins/{id}/docx → { blob, filename }. */
export const bulletinDocx = (id) => api.download(`/bulletins/${id}/docx`)
/** GET /bulletins/{id}/attachment.xlsx: the attached 进展情况表. */
export const bulletinAttachment = (id) => api.download(`/bulletins/${id}/attachment.xlsx`)
/** POST /bulletins/{id}/issue { unit_ids?, reply_due? }: sent to units as an announcement. */
export const issueBulletin = (id, data = {}) => api.post(`/bulletins/${id}/issue`, data)

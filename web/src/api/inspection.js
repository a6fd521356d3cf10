// Evaluation framework and field inspection (测评体系与实地测评): frameworks,
// indicators, checklists, rounds, records, score, compare and exports
// (docs/inspection.md).
import { api } from './client.js'

/* ---- 测评体系 ---- */
/** GET /frameworks?keyword= → { items: [framework], total }, newest first. */
export const listFrameworks = (params, options) => api.get('/frameworks', { params, ...options })
/** Every framework, for pickers. */
export const allFrameworks = () => api.get('/frameworks', { params: { size: 100 } })
export const getFramework = (id) => api.get(`/frameworks/${id}`)
export const createFramework = (data) => api.post('/frameworks', data)
export const updateFramework = (id, data) => api.put(`/frameworks/${id}`, data)
export const deleteFramework = (id) => api.del(`/frameworks/${id}`)
/** POST /frameworks/{id}/copy { name } → the new, inactive framework with the tree and checklists. */
export const copyFramework = (id, name) => api.post(`/frameworks/${id}/copy`, { name })
export const activateFramework = (id) => api.post(`/frameworks/${id}/activate`)
export const exportFramework = (id) => api.download(`/frameworks/${id}/export`)
export const frameworkTemplate = () => api.download('/frameworks/import/template')
/**
 * POST /frameworks/import?name= (multipart `file`) → 201
 * { framework, imported: { projects, contents, standards }, errors }; a refused
 * sheet is 422 with { imported: 0, errors: [{ row, field, message }] }.
 */
export function importFramework(file, name, preview = false) {
  const form = new FormData()
  form.append('file', file)
  return api.upload('/frameworks/import', form, { params: { name: name || undefined, preview: preview ? 1 : undefined }, timeout: 120000 })
}
/**
 * POST /frameworks/import?preview=1: what the workbook would write, nothing
 * stored: { counts, projects, negative_items, checklist_items, errors, warnings }.
 */
export const previewFramework = (file, name) => importFramework(file, name, true)

/* ---- 负面清单与事件 ---- */
export const negativeItems = (fid) => api.get(`/frameworks/${fid}/negative-items`)
/** { items: [incident], total, deduction, veto } */
export const negativeIncidents = (fid) => api.get(`/frameworks/${fid}/negative-incidents`)
export const createIncident = (fid, data) => api.post(`/frameworks/${fid}/negative-incidents`, data)
export const updateIncident = (fid, id, data) => api.put(`/frameworks/${fid}/negative-incidents/${id}`, data)
export const deleteIncident = (fid, id) => api.del(`/frameworks/${fid}/negative-incidents/${id}`)
/** The method vocabulary: built-ins and the office's own { id, name, part, builtin }. */
export const frameworkMethods = () => api.get('/framework-methods')
/** POST /framework-methods { name, part } → 201 { id, name, part, builtin: false } (an office's own method). */
export const createFrameworkMethod = (data) => api.post('/framework-methods', data)
/** DELETE /framework-methods/{id}: an office's own method (built-ins have no id). */
export const deleteFrameworkMethod = (id) => api.del(`/framework-methods/${id}`)

/* ---- 指标（测评项目、内容、标准） ---- */
/** The whole tree: { framework, totals, items: [node with children] }. */
export const indicatorTree = (fid) => api.get(`/frameworks/${fid}/indicators`)
export const createIndicator = (fid, data) => api.post(`/frameworks/${fid}/indicators`, data)
export const updateIndicator = (fid, iid, data) => api.put(`/frameworks/${fid}/indicators/${iid}`, data)
export const deleteIndicator = (fid, iid) => api.del(`/frameworks/${fid}/indicators/${iid}`)

/* ---- 检查项与默认得分 ---- */
export const getInspectionSettings = () => api.get('/inspection-settings')
export const saveInspectionSettings = (data) => api.put('/inspection-settings', data)
/** The checklist of a point type in a framework (the active one when frameworkId is empty). */
export const getChecklist = (typeId, frameworkId) =>
  api.get(`/point-types/${typeId}/checklist`, { params: { framework_id: frameworkId || undefined } })
/** PUT the whole checklist { items: [{ standard_id, title, category_id, credit_* }] }. */
export const saveChecklist = (typeId, frameworkId, items) =>
  api.put(`/point-types/${typeId}/checklist`, { items }, { params: { framework_id: frameworkId || undefined } })

/* ---- 测评轮次 ---- */
/** GET /inspections?keyword=&kind=&status=&framework_id= → { items: [round], total }. */
export const listRounds = (params, options) => api.get('/inspections', { params, ...options })
export const getRound = (id, options) => api.get(`/inspections/${id}`, options)
/** The points a POST /inspections body would choose, nothing stored: { seed, total, points }. */
export const previewRound = (data) => api.post('/inspections/preview', data)
export const createRound = (data) => api.post('/inspections', data)
export const updateRound = (id, data) => api.put(`/inspections/${id}`, data)
export const deleteRound = (id) => api.del(`/inspections/${id}`)
export const closeRound = (id) => api.post(`/inspections/${id}/close`)
export const reopenRound = (id) => api.post(`/inspections/${id}/reopen`)
/** GET /inspections/{id}/points?inspector_id=&type_id=&grid_id=&done=&keyword=&page=&size= */
export const roundPoints = (id, params, options) => api.get(`/inspections/${id}/points`, { params, ...options })
/** Move a point to another inspector of the round. */
export const assignRoundPoint = (id, pointId, inspectorId) => api.put(`/inspections/${id}/points/${pointId}`, { inspector_id: inspectorId })
/** Every checklist the caller needs in this round: { framework, defaults, point_types: [{ id, code, name, items }] }. */
export const roundChecklists = (id, options) => api.get(`/inspections/${id}/checklists`, options)

/* ---- 测评记录 ---- */
export const listRecords = (id, params, options) => api.get(`/inspections/${id}/records`, { params, ...options })
export const getRecord = (id, rid, options) => api.get(`/inspections/${id}/records/${rid}`, options)
/**
 * POST a record with its idempotency key (header and body carry the same
 * key): 201 new, 200 { replayed: true } when the server already holds it.
 */
export const submitRecord = (id, body, options) =>
  api.post(`/inspections/${id}/records`, body, { ...options, headers: { 'Idempotency-Key': body.client_key } })
export const replaceRecord = (id, rid, body, options) => api.put(`/inspections/${id}/records/${rid}`, body, options)

/* ---- 得分、对比、导出 ---- */
export const roundScore = (id, options) => api.get(`/inspections/${id}/score`, options)
export const compareRounds = (id, withId) => api.get(`/inspections/${id}/compare`, { params: { with: withId } })
export const exportRound = (id) => api.download(`/inspections/${id}/export`)
export const roundReport = (id) => api.download(`/inspections/${id}/report.pdf`)

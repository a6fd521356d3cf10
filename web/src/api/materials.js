// Online materials (网上申报材料): the catalogue, versions, submit, review,
// progress, the predicted score and the package (docs/materials.md).
import { api } from './client.js'

/** GET /materials/items?framework_id=&unit_id=&status=&standard_id=&type=&keyword=&overdue= → { items, total } */
export const listMaterials = (params, options) => api.get('/materials/items', { params, ...options })
/** One item with version_list (newest first, each with files) and timeline. */
export const getMaterial = (id) => api.get(`/materials/items/${id}`)
export const createMaterial = (data) => api.post('/materials/items', data)
export const updateMaterial = (id, data) => api.put(`/materials/items/${id}`, data)
export const deleteMaterial = (id) => api.del(`/materials/items/${id}`)
/** POST /materials/items/{id}/versions (multipart: file, several allowed; note) → 201 { id, number } */
export function uploadVersion(id, files, note) {
  const form = new FormData()
  for (const f of files) form.append('file', f)
  if (note) form.append('note', note)
  return api.upload(`/materials/items/${id}/versions`, form, { timeout: 600000 })
}
export const submitMaterial = (id) => api.post(`/materials/items/${id}/submit`)
/** { version_id, decision: approve|return, rating: full|partial|none, comment } */
export const reviewMaterial = (id, data) => api.post(`/materials/items/${id}/review`, data)
/** The bytes of a version's file (for the in-page preview). */
export const fileUrl = (versionId, fileId) => `/api/v1/materials/versions/${versionId}/files/${fileId}`
export const fetchFile = (versionId, fileId) => api.download(`/materials/versions/${versionId}/files/${fileId}`)
export const downloadFile = (versionId, fileId) => api.download(`/materials/versions/${versionId}/files/${fileId}`, { params: { download: 1 } })
export const copyMaterials = (from, to) => api.post('/materials/copy', { from_framework_id: from, to_framework_id: to })
/** { framework_id, today, items, cells: [{unit_id,item_id,role,status,uploads,overdue}], units, lead_units } */
export const materialsProgress = (params) => api.get('/materials/progress', { params })
export const exportProgress = (params) => api.download('/materials/progress', { params: { ...params, format: 'xlsx' } })
/** { total, predicted, at_risk, partial_share, standards, lead_units } */
export const materialsScore = (params) => api.get('/materials/score', { params })
export const downloadPackage = (params) => api.download('/materials/package', { params, timeout: 0 })
export const materialsTemplate = () => api.download('/materials/import/template')
/** POST /materials/import?framework_id= (multipart `file`) → { imported, errors }; 422 lists every bad row. */
export function importMaterials(file, frameworkId) {
  const form = new FormData()
  form.append('file', file)
  return api.upload('/materials/import', form, { params: { framework_id: frameworkId }, timeout: 120000 })
}
/** POST /materials/items/{id}/template (multipart `file`) → the item; GET downloads it. */
export function uploadTemplate(id, file) {
  const form = new FormData()
  form.append('file', file)
  return api.upload(`/materials/items/${id}/template`, form, { timeout: 300000 })
}
export const downloadTemplate = (id) => api.download(`/materials/items/${id}/template`)

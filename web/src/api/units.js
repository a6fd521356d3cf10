// Units (单位): the organisation tree of a tenant.
import { api } from './client.js'

/** GET /units. params: tree (1 for nested children), name, kind, enabled, parent_id, page, size. */
export const listUnits = (params, options) => api.get('/units', { params, ...options })
/** The whole tree the user may see, as nested items. */
export const unitTree = (params, options) => api.get('/units', { params: { tree: 1, size: 500, ...params }, ...options })
export const getUnit = (id) => api.get(`/units/${id}`)
export const createUnit = (data) => api.post('/units', data)
export const updateUnit = (id, data) => api.put(`/units/${id}`, data)
export const deleteUnit = (id) => api.del(`/units/${id}`)
/** POST /units/{id}/move { parent_id }; 409 when the new parent is inside the unit. */
export const moveUnit = (id, parentId) => api.post(`/units/${id}/move`, { parent_id: parentId })
export const exportUnits = (params) => api.download('/units/export', { params })
export const unitTemplate = () => api.download('/units/import/template')
/** POST /units/import (multipart `file`) → { imported, errors: [{ row, field, message }] }. */
export function importUnits(file) {
  const form = new FormData()
  form.append('file', file)
  return api.upload('/units/import', form, { timeout: 120000 })
}

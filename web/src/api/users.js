// Users (用户): accounts of a tenant.
import { api } from './client.js'

/** GET /users. params: unit_id (with sub-units), role, keyword, enabled, page, size. */
export const listUsers = (params, options) => api.get('/users', { params, ...options })
/** One user; the phone number is whole here for those who may edit it. */
export const getUser = (id) => api.get(`/users/${id}`)
export const createUser = (data) => api.post('/users', data)
export const updateUser = (id, data) => api.put(`/users/${id}`, data)
export const deleteUser = (id) => api.del(`/users/${id}`)
/** POST /users/{id}/reset-password → { password }, shown once. */
export const resetPassword = (id) => api.post(`/users/${id}/reset-password`)
export const exportUsers = (params) => api.download('/users/export', { params })
export const userTemplate = () => api.download('/users/import/template')
export function importUsers(file) {
  const form = new FormData()
  form.append('file', file)
  return api.upload('/users/import', form, { timeout: 120000 })
}

// Roles (角色) and the permission tree they draw from.
import { api } from './client.js'

export const listRoles = (params, options) => api.get('/roles', { params, ...options })
/** Every role, for pickers (one page of the largest size). */
export const allRoles = (options) => api.get('/roles', { params: { page: 1, size: 500 }, ...options })
export const getRole = (id) => api.get(`/roles/${id}`)
export const createRole = (data) => api.post('/roles', data)
export const updateRole = (id, data) => api.put(`/roles/${id}`, data)
export const deleteRole = (id) => api.del(`/roles/${id}`)
/** GET /permissions: the tree the role dialog shows as checkboxes. */
export const permissionTree = () => api.get('/permissions')

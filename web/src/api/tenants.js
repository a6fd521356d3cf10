// Tenants (创建主体): platform administrators only.
import { api } from './client.js'

export const listTenants = (params, options) => api.get('/tenants', { params, ...options })
export const getTenant = (id) => api.get(`/tenants/${id}`)
export const createTenant = (data) => api.post('/tenants', data)
export const updateTenant = (id, data) => api.put(`/tenants/${id}`, data)

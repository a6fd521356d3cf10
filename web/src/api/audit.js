// The audit chain (操作日志), login rows (登录日志) and online sessions (在线用户).
import { api } from './client.js'

/** GET /audit. params: from, to (ms since the epoch), user, action, object_type, result, page, size. */
export const listAudit = (params, options) => api.get('/audit', { params, ...options })
export const exportAudit = (params) => api.download('/audit/export', { params })
/** GET /audit/logins: login and logout rows only, same filters. */
export const listLogins = (params, options) => api.get('/audit/logins', { params, ...options })
export const listSessions = (params, options) => api.get('/sessions', { params, ...options })
/** DELETE /sessions/{id}: force the session out. */
export const killSession = (id) => api.del(`/sessions/${id}`)

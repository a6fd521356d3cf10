// Unit rankings (单位排名) and the in-app notices (待办提醒) of the closed loop
// (docs/openapi/rankings.yaml, docs/rankings.md).
import { api } from './client.js'

/**
 * GET /rankings. params: from, to (YYYY-MM-DD, both or neither: neither is the
 * current month), unit_id (a unit and its sub-units). Resolves to
 * { from, to, start, end, cut, settings, items, total }.
 */
export const getRankings = (params, options) => api.get('/rankings', { params, ...options })
/** GET /rankings/export (same params) → { blob, filename } of the .xlsx. */
export const exportRankings = (params) => api.download('/rankings/export', { params })

/** GET /notices → { counts: { assigned, due_soon, overdue, total }, items, now }. */
export const getNotices = (options) => api.get('/notices', options)

// The closed loop (问题闭环): problems, their transitions and the photos
// uploaded for them (docs/openapi/problems.yaml).
import { api } from './client.js'

/**
 * GET /problems. params: keyword, status (comma separated), category_id,
 * unit_id, grid_id, point_id, source, from, to (YYYY-MM-DD), overdue (1), page, size.
 */
export const listProblems = (params, options) => api.get('/problems', { params, ...options })
/** GET /problems/export: the list's filters (no page/size) → { blob, filename } of an .xlsx. */
export const exportProblems = (params) => api.download('/problems/export', { params })
/** One problem with co_units, events (the timeline, oldest first) and photos. */
export const getProblem = (id) => api.get(`/problems/${id}`)
/** POST /problems { category_id, point_id, description, severity, source, photo_ids } → the problem (+ similar). */
export const reportProblem = (data) => api.post('/problems', data)
/**
 * POST /problems/{id}/{action}: accept, invalidate, assign, sign, return,
 * submit, verify, extend, decide-extension, park, unpark, void, reopen.
 * Resolves to the problem after the change; 409 when the status forbids it.
 */
export const problemAction = (id, action, body = {}) => api.post(`/problems/${id}/${action}`, body)

/** GET /problems/{id}/similar → { items: [{ id, code, status, status_title, distance_m, linked }] }: open ones of its category within 100 m. */
export const similarProblems = (id) => api.get(`/problems/${id}/similar`)
/** POST /problems/{id}/links { other_id, kind: duplicate | related } → the problem (with links). */
export const linkProblem = (id, otherId, kind = 'duplicate') => api.post(`/problems/${id}/links`, { other_id: otherId, kind })
/** DELETE /problems/{id}/links/{other} → the problem. */
export const unlinkProblem = (id, otherId) => api.del(`/problems/${id}/links/${otherId}`)

/** POST /files (multipart `file`) → { id, ... }: a photo for photo_ids. */
export function uploadPhoto(file) {
  const form = new FormData()
  form.append('file', file)
  return api.upload('/files', form, { timeout: 120000 })
}
/** Image addresses of an uploaded file (the browser sends the session cookie). */
export const thumbUrl = (id) => `/api/v1/files/${id}/thumb`
export const watermarkedUrl = (id) => `/api/v1/files/${id}/watermarked`

/**
 * GET /map/features → { tile_url, tile_attribution, grids, points, problems, truncated, limits }:
 * grids (with GeoJSON geometry) and points are null without their view permission; problems
 * take the list's filters (status, category_id, ...) and bbox=minLng,minLat,maxLng,maxLat.
 */
export const mapFeatures = (params, options) => api.get('/map/features', { params, ...options })

/**
 * POST /problems/batch: accept, assign or void many problems at once, all or nothing.
 * items: [{ id, unit_id?, deadline? }]; void needs reason.  → { action, count, items }
 */
export const batchProblems = (action, items, extra = {}) => api.post('/problems/batch', { action, items, ...extra })

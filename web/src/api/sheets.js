// Assignment sheets (交办单): problems of one unit batched into a numbered
// sheet, printed as a PDF, signed for online (docs/openapi/sheets.yaml).
import { api } from './client.js'

/** GET /sheets. params: unit_id, signed (1 | 0), page, size. */
export const listSheets = (params, options) => api.get('/sheets', { params, ...options })
/** One sheet with its problems. */
export const getSheet = (id) => api.get(`/sheets/${id}`)
/** POST /sheets { unit_id, problem_ids, note } → the sheet (201). */
export const createSheet = (data) => api.post('/sheets', data)
/** POST /sheets/{id}/sign → the sheet; 409 when it was signed already. */
export const signSheet = (id) => api.post(`/sheets/${id}/sign`, {})
/** GET /sheets/{id}/pdf → { blob, filename }. */
export const sheetPdf = (id) => api.download(`/sheets/${id}/pdf`)

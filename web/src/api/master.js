// Master data (基础数据): problem categories, responsibility grids, point
// types and assessment points.
import { api } from './client.js'

/**
 * An xlsx/csv import: POST the file as multipart `file` → { imported, errors:
 * [{ row, field, message }] }, all or nothing (a refused sheet answers 422
 * with the same body).
 */
const sheetImport = (path) => (file) => {
  const form = new FormData()
  form.append('file', file)
  return api.upload(path, form, { timeout: 120000 })
}

/* ---- 问题分类 ---- */
/** GET /categories. params: tree (1 for nested children), keyword, enabled, page, size. */
export const listCategories = (params, options) => api.get('/categories', { params, ...options })
/** The whole category tree, as nested items. */
export const categoryTree = (params, options) => api.get('/categories', { params: { tree: 1, size: 500, ...params }, ...options })
export const getCategory = (id) => api.get(`/categories/${id}`)
export const createCategory = (data) => api.post('/categories', data)
export const updateCategory = (id, data) => api.put(`/categories/${id}`, data)
export const deleteCategory = (id) => api.del(`/categories/${id}`)
export const exportCategories = (params) => api.download('/categories/export', { params })
export const categoryTemplate = () => api.download('/categories/import/template')
export const importCategories = sheetImport('/categories/import')

/* ---- 责任网格 ---- */
/** GET /grids. params: keyword, unit_id, enabled, page, size. */
export const listGrids = (params, options) => api.get('/grids', { params, ...options })
/** One grid with its geometry (GeoJSON) and workers ({ id, username, name }). */
export const getGrid = (id) => api.get(`/grids/${id}`)
export const createGrid = (data) => api.post('/grids', data)
export const updateGrid = (id, data) => api.put(`/grids/${id}`, data)
export const deleteGrid = (id) => api.del(`/grids/${id}`)
export const exportGrids = (params) => api.download('/grids/export', { params })
export const gridTemplate = () => api.download('/grids/import/template')
export const importGrids = sheetImport('/grids/import')
/** POST /grids/import-geojson (multipart `file`) → { imported, errors: [{ feature, field, message }] }, all or nothing. */
export function importGridsGeojson(file) {
  const form = new FormData()
  form.append('file', file)
  return api.upload('/grids/import-geojson', form, { timeout: 120000 })
}

/* ---- 点位类型 ---- */
/** GET /point-types. params: keyword, enabled, page, size. */
export const listPointTypes = (params, options) => api.get('/point-types', { params, ...options })
/** Every point type, for pickers. */
export const allPointTypes = () => api.get('/point-types', { params: { size: 500 } })
export const createPointType = (data) => api.post('/point-types', data)
export const updatePointType = (id, data) => api.put(`/point-types/${id}`, data)
export const deletePointType = (id) => api.del(`/point-types/${id}`)
export const exportPointTypes = (params) => api.download('/point-types/export', { params })
export const pointTypeTemplate = () => api.download('/point-types/import/template')
export const importPointTypes = sheetImport('/point-types/import')

/* ---- 测评点位 ---- */
/** GET /points. params: keyword, type_id, grid_id, unit_id, enabled, page, size. */
export const listPoints = (params, options) => api.get('/points', { params, ...options })
export const getPoint = (id) => api.get(`/points/${id}`)
export const createPoint = (data) => api.post('/points', data)
export const updatePoint = (id, data) => api.put(`/points/${id}`, data)
export const deletePoint = (id) => api.del(`/points/${id}`)
export const exportPoints = (params) => api.download('/points/export', { params })
export const pointTemplate = () => api.download('/points/import/template')
export const importPoints = sheetImport('/points/import')

/** Every grid, for pickers. */
export const allGrids = () => api.get('/grids', { params: { size: 500 } })

// 通知公告 with readings and 回执, 资料归档 and 责任书
// (docs/openapi/announcements.yaml, docs/ledger.md).
import { api } from './client.js'

/** GET /announcements → { items, total }. params: status, q, pending (1), page, size. */
export const listAnnouncements = (params) => api.get('/announcements', { params })
/** One notice; an addressee opening it records the reading. */
export const getAnnouncement = (id) => api.get(`/announcements/${id}`)
/** POST { title, body, audience: all|units|kinds, unit_ids, kinds, file_ids, reply_due (ms), publish }. */
export const createAnnouncement = (data) => api.post('/announcements', data)
export const updateAnnouncement = (id, data) => api.put(`/announcements/${id}`, data)
export const deleteAnnouncement = (id) => api.del(`/announcements/${id}`)
export const publishAnnouncement = (id) => api.post(`/announcements/${id}/publish`)
/** Per addressed unit: read_at, read_by_name, replied_at, reply, files, overdue. */
export const listReceipts = (id) => api.get(`/announcements/${id}/receipts`)
/** POST { reply, file_ids }: the caller's unit answers (回执). */
export const replyAnnouncement = (id, data) => api.post(`/announcements/${id}/receipts`, data)
export const remindAnnouncement = (id) => api.post(`/announcements/${id}/remind`)
/** { unread, unanswered } of the caller's unit. */
export const pendingAnnouncements = () => api.get('/announcements/pending')

/** GET /archives → { items: [{ unit_id, unit_name, required, filed, percent, missing }], complete }. */
export const archiveOverview = () => api.get('/archives')
export const archiveMissingSheet = () => api.download('/archives/missing.xlsx')
export const listRequirements = (params) => api.get('/archives/requirements', { params })
export const createRequirement = (data) => api.post('/archives/requirements', data)
export const deleteRequirement = (id) => api.del(`/archives/requirements/${id}`)
/** One unit's archive: its requirements, each with the documents filed. */
export const unitArchive = (unitId) => api.get(`/archives/units/${unitId}`)
export const fileDocument = (unitId, data) => api.post(`/archives/units/${unitId}/documents`, data)
export const unfileDocument = (unitId, id) => api.del(`/archives/units/${unitId}/documents/${id}`)

/** GET /pledges?year= → { year, items, total, confirmed }. */
export const listPledges = (params) => api.get('/pledges', { params })
/** POST { year, unit_ids | unit_kind, items }. */
export const putPledges = (data) => api.post('/pledges', data)
export const confirmPledge = (id) => api.post(`/pledges/${id}/confirm`)

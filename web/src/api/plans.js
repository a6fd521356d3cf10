// 工作台账: action plans (plan → projects → actions → tasks), tasks and their
// progress reports, the 进展情况表 (docs/openapi/plans.yaml, docs/plans.md).
import { api } from './client.js'

/** GET /plans → { items, total }: the plans without their trees. */
export const listPlans = () => api.get('/plans')
/** One plan with projects → actions → tasks (a unit sees only its tasks). */
export const getPlan = (id) => api.get(`/plans/${id}`)
export const createPlan = (data) => api.post('/plans', data)
export const updatePlan = (id, data) => api.put(`/plans/${id}`, data)
export const deletePlan = (id) => api.del(`/plans/${id}`)
/** POST /plans/{id}/nodes { parent_id, title, ... } → the tree. */
export const createNode = (planId, data) => api.post(`/plans/${planId}/nodes`, data)
export const updateNode = (planId, id, data) => api.put(`/plans/${planId}/nodes/${id}`, data)
export const deleteNode = (planId, id) => api.del(`/plans/${planId}/nodes/${id}`)
/** The leader accounts a 包抓领导 may be. */
export const listLeaders = () => api.get('/plan-leaders')
export const planTemplate = () => api.download('/plans/import/template')
/** POST /plans/import?title=&rhythm= (multipart file): all or nothing, row errors on 422. */
export const importPlan = (file, params) => {
  const form = new FormData()
  form.append('file', file)
  return api.upload('/plans/import', form, { timeout: 120000, params })
}
export const exportPlan = (id) => api.download(`/plans/${id}/export`)
/** The 进展情况表 (xlsx, ready to print). */
export const progressSheet = (id) => api.download(`/plans/${id}/progress.xlsx`)

/** GET /tasks. params: overdue (1), unit_id, plan_id, leader_id, mine (1), page, size. */
export const listTasks = (params, options) => api.get('/tasks', { params, ...options })
export const getTask = (id) => api.get(`/tasks/${id}`)
export const listReports = (taskId) => api.get(`/tasks/${taskId}/reports`)
/** POST /tasks/{id}/reports { percent, text, problems, file_ids } → the report (201). */
export const createReport = (taskId, data) => api.post(`/tasks/${taskId}/reports`, data)
export const commentReport = (taskId, id, comment) => api.post(`/tasks/${taskId}/reports/${id}/comment`, { comment })

/** GET /meetings → { items }: meetings with attending units and decisions (each with its task's progress). */
export const listMeetings = () => api.get('/meetings')
/** POST /meetings { kind, title, held_on, chair_id, minutes, unit_ids, file_ids, decisions: [text] }. */
export const createMeeting = (data) => api.post('/meetings', data)
/** POST /meetings/{id}/decisions/{d}/task { plan_id, unit_id, deadline } → the meeting (task_id). */
export const decisionToTask = (id, d, data) => api.post(`/meetings/${id}/decisions/${d}/task`, data)

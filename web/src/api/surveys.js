// 问卷测评: surveys (design, versions, publish, close), quotas, responses
// (a surveyor's idempotent ones, quality review), results and exports, and
// the public form residents open by link or QR code (docs/surveys.md).
import { api } from './client.js'

/** GET /surveys?keyword=&status= → { items: [survey], total }, newest first. */
export const listSurveys = (params, options) => api.get('/surveys', { params, ...options })
/** One survey with its design, quotas (with counts) and, once published, its public url. */
export const getSurvey = (id, options) => api.get(`/surveys/${id}`, options)
/** POST /surveys { title, intro, series, wave, framework_id, min_seconds, design, quotas, copy_from } */
export const createSurvey = (data) => api.post('/surveys', data)
/** PUT /surveys/{id}: a draft only (a published survey gets a new version by copy_from). */
export const updateSurvey = (id, data) => api.put(`/surveys/${id}`, data)
export const publishSurvey = (id) => api.post(`/surveys/${id}/publish`)
export const closeSurvey = (id) => api.post(`/surveys/${id}/close`)
/** The A4 QR posters, one page per community (or one community). */
export const surveyPoster = (id, unitId) => api.download(`/surveys/${id}/poster.pdf`, { params: { unit_id: unitId || undefined } })

/**
 * A surveyor's response with its idempotency key (header and body carry the
 * same key): 201 new, 200 { replayed: true } when the server already holds it.
 */
export const submitSurveyResponse = (id, body, options) =>
  api.post(`/surveys/${id}/responses`, body, { ...options, headers: { 'Idempotency-Key': body.client_key } })
/** GET /surveys/{id}/responses?flagged=&review=pending|accepted|rejected&unit_id=&page=&size= */
export const listSurveyResponses = (id, params, options) => api.get(`/surveys/${id}/responses`, { params, ...options })
/** POST /surveys/{id}/responses/{rid}/review { decision: accept|reject, note } */
export const reviewSurveyResponse = (id, rid, decision, note) =>
  api.post(`/surveys/${id}/responses/${rid}/review`, { decision, note: note || '' })

export const surveyResults = (id, options) => api.get(`/surveys/${id}/results`, options)
export const exportSurveyResults = (id) => api.download(`/surveys/${id}/results/export`)
export const exportSurveyResponses = (id) => api.download(`/surveys/${id}/responses/export`)
export const surveyReport = (id) => api.download(`/surveys/${id}/report.pdf`)

/* ---- the public form (no login) ---- */
export const publicSurvey = (token) => api.get(`/public/surveys/${encodeURIComponent(token)}`, { auth: false })
export const submitPublicSurvey = (token, body) =>
  api.post(`/public/surveys/${encodeURIComponent(token)}/responses`, body, { auth: false })

/* ---- questions as a spreadsheet ---- */
export const surveyQuestionsTemplate = () => api.download('/surveys/questions/template')
export const exportSurveyQuestions = (id) => api.download(`/surveys/${id}/questions/export`)
/** POST /surveys/{id}/questions/import (multipart `file`): replaces a draft's questions; 422 { errors } row by row. */
export function importSurveyQuestions(id, file) {
  const form = new FormData()
  form.append('file', file)
  return api.upload(`/surveys/${id}/questions/import`, form, { timeout: 120000 })
}

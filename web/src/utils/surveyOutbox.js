// The phone's outbox for surveyors' questionnaire responses (入户 or in the
// street): each response is a draft in IndexedDB with its idempotency key
// (client_key) made when the form opens; 提交 queues it and the shared engine
// (outbox.js) sends it, now or when the phone is back online. A lost answer
// leaves the draft queued, the next try sends the same key, and the server
// answers it with the response it already holds.
import { submitSurveyResponse } from '@/api/surveys'
import { STORES, idbPut, idbDelete, uuid } from './idb'
import { createOutbox, userId, plain } from './outbox'

const engine = createOutbox({ kind: 'survey', send: sendOne })

/** Reactive summary for the pages. */
export const surveyOutbox = engine.state
export const syncSurveys = engine.sync
export const startSurveyOutbox = engine.start

/** The signed-in surveyor's drafts (of one survey when surveyId is given). */
export async function listSurveyDrafts(surveyId) {
  const all = await engine.list()
  return all.filter((d) => surveyId === undefined || d.survey_id === Number(surveyId))
}

/** A new response draft (not yet stored); its client_key is made here, once. */
export function newSurveyDraft(surveyId, { surveyTitle = '', communityId = null } = {}) {
  const now = Date.now()
  const clientKey = uuid()
  return {
    key: `${userId()}:survey:${surveyId}:${clientKey}`,
    kind: 'survey',
    user_id: userId(),
    survey_id: Number(surveyId),
    survey_title: surveyTitle,
    client_key: clientKey,
    state: 'draft', // draft | queued | sent | failed
    error: null,
    community_id: communityId,
    answers: {},
    age_group: '',
    sex: '',
    phone: '',
    lat: null,
    lng: null,
    started_at: now,
    duration_ms: 0,
    created_at: now,
    queued_at: null,
    sent_at: null,
    response_id: null,
  }
}

/** Queue a draft for sending (the time taken is fixed now) and try at once. */
export async function queueSurveyDraft(draft) {
  const now = Date.now()
  const saved = plain({ ...draft, state: 'queued', error: null, queued_at: now, duration_ms: now - (draft.started_at || now) })
  await idbPut(STORES.drafts, saved)
  engine.bump()
  engine.sync()
  return saved
}

/** Drop a draft (a failed one the surveyor gives up on, or a sent one). */
export async function discardSurveyDraft(draft) {
  await idbDelete(STORES.drafts, draft.key)
  engine.bump()
}

function responseBody(d) {
  const answers = {}
  for (const [k, v] of Object.entries(d.answers || {})) {
    if (v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length)) continue
    answers[k] = v
  }
  const body = { client_key: d.client_key, community_id: d.community_id, answers, duration_ms: d.duration_ms || 0 }
  if (d.age_group) body.age_group = d.age_group
  if (d.sex) body.sex = d.sex
  if (d.phone && d.phone.trim()) body.phone = d.phone.trim()
  if (d.lat !== null && d.lat !== undefined && d.lng !== null && d.lng !== undefined) {
    body.lat = d.lat
    body.lng = d.lng
  }
  return body
}

async function sendOne(d) {
  const res = await submitSurveyResponse(d.survey_id, responseBody(d))
  Object.assign(d, { state: 'sent', response_id: res?.id ?? null, error: null, sent_at: Date.now() })
  await idbPut(STORES.drafts, plain(d))
}

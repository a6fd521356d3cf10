// The phone's outbox for field inspection records. A record is written to
// IndexedDB first, as a draft with an idempotency key (client_key) made once
// when the draft is created; photos are kept there as blobs. 提交 queues the
// draft; sync() sends the queue: photos first (each uploaded once, its server
// id kept in the draft), then the record with its key. A lost answer leaves
// the draft queued and the next try sends the same key, so the server (which
// answers a known key with the stored record) never stores it twice.
// The sending itself (queue order, retries, the `online` event, the minute
// timer) is the shared engine of outbox.js.
import { submitRecord, replaceRecord, listRecords } from '@/api/inspection'
import { uploadPhoto } from '@/api/problems'
import { STORES, idbGet, idbPut, idbDelete, uuid } from './idb'
import { createOutbox, userId, plain } from './outbox'
import { t } from '@/locales'

export const draftKey = (roundId, pointId, uid = userId()) => `${uid}:${roundId}:${pointId}`

/** The draft of this point in this round, or null. */
export async function getDraft(roundId, pointId) {
  return (await idbGet(STORES.drafts, draftKey(roundId, pointId))) || null
}

/** Every draft of the signed-in user (of one round when roundId is given). */
export async function listDrafts(roundId) {
  const all = await engine.list()
  return all.filter((d) => roundId === undefined || d.round_id === Number(roundId))
}

/**
 * A new draft (not yet stored): its client_key is made here, once, and kept
 * until the server acknowledges the record. recordId: an existing record to
 * replace (PUT) instead of creating one.
 */
export function newDraft(roundId, pointId, { recordId = null, pointName = '', roundTitle = '' } = {}) {
  const now = Date.now()
  return {
    key: draftKey(roundId, pointId),
    kind: 'inspection',
    user_id: userId(),
    round_id: Number(roundId),
    point_id: Number(pointId),
    client_key: uuid(),
    record_id: recordId,
    state: 'draft', // draft | queued | sent | failed
    error: null,
    lat: null,
    lng: null,
    captured_at: now,
    note: '',
    observations: {}, // item_id → { rating, count, note, photos: [{ local, photo_id }], level?, shortfalls?, rate? }
    point_name: pointName,
    round_title: roundTitle,
    created_at: now,
    updated_at: now,
    queued_at: null,
    sent_at: null,
  }
}

/** Store a draft (a plain copy: Vue proxies cannot be cloned into IndexedDB). */
export async function saveDraft(draft) {
  const copy = plain({ ...draft, updated_at: Date.now() })
  await idbPut(STORES.drafts, copy)
  bump()
  return copy
}

/** Drop a draft and the photos it still holds locally. */
export async function discardDraft(draft) {
  for (const o of Object.values(draft.observations || {})) {
    for (const p of o.photos || []) if (p.local) await idbDelete(STORES.photos, p.local)
  }
  await idbDelete(STORES.drafts, draft.key)
  bump()
}

/** Keep a photo (File/Blob) for a draft; resolves to its local id. */
export async function savePhoto(draftKeyValue, file) {
  const id = uuid()
  await idbPut(STORES.photos, {
    id,
    draft_key: draftKeyValue,
    blob: file,
    name: file.name || `${id}.jpg`,
    type: file.type || 'image/jpeg',
    created_at: Date.now(),
  })
  return id
}
export const getPhoto = (id) => idbGet(STORES.photos, id)
export const deletePhoto = (id) => idbDelete(STORES.photos, id)

/** Queue a draft for sending and try at once (the answer does not wait for the network). */
export async function queueDraft(draft) {
  const saved = await saveDraft({ ...draft, state: 'queued', error: null, queued_at: Date.now() })
  sync()
  return saved
}

/* ---- the cache for offline pages (kept in outbox.js, shared) ---- */
export { cachePut, cacheGet } from './outbox'

function recordBody(d) {
  const observations = Object.entries(d.observations || {})
    .filter(([, o]) => o && o.rating)
    .map(([itemId, o]) => {
      const obs = { item_id: Number(itemId), rating: o.rating }
      // a graded standard's answer: the server computes the credit from it
      if (o.rating !== 'na') {
        if (o.level) obs.level = o.level
        if (o.shortfalls !== undefined && o.shortfalls !== null) obs.shortfalls = Math.max(0, Math.min(9999, Number(o.shortfalls) || 0))
        if (o.rate !== undefined && o.rate !== null) obs.rate = Math.max(0, Math.min(1, Number(o.rate) || 0))
      }
      if (o.rating === 'fail' || o.rating === 'severe') {
        obs.count = Math.max(1, Math.min(9999, Number(o.count) || 1))
        const ids = (o.photos || []).map((p) => p.photo_id).filter(Boolean)
        if (ids.length) obs.photo_ids = ids
      }
      if (o.note && o.note.trim()) obs.note = o.note.trim()
      return obs
    })
  const body = { captured_at: d.captured_at, note: (d.note || '').trim(), observations }
  if (d.lat !== null && d.lat !== undefined && d.lng !== null && d.lng !== undefined) {
    body.lat = d.lat
    body.lng = d.lng
  }
  return body
}

// Upload the draft's photos that have no server id yet, saving each id in the
// draft as soon as it is known so a later try does not upload it again.
async function uploadPhotos(d) {
  for (const o of Object.values(d.observations || {})) {
    for (const p of o.photos || []) {
      if (p.photo_id || !p.local) continue
      const row = await getPhoto(p.local)
      if (!row) continue // removed meanwhile
      const file = new File([row.blob], row.name, { type: row.type })
      const res = await uploadPhoto(file)
      p.photo_id = res?.id
      await idbPut(STORES.drafts, plain(d))
    }
  }
}

async function sendOne(d) {
  await uploadPhotos(d)
  let rec
  if (d.record_id) {
    rec = await replaceRecord(d.round_id, d.record_id, recordBody(d))
  } else {
    rec = await submitRecord(d.round_id, { client_key: d.client_key, point_id: d.point_id, ...recordBody(d) })
  }
  const local = []
  for (const o of Object.values(d.observations || {})) for (const p of o.photos || []) if (p.local) local.push(p.local)
  Object.assign(d, { state: 'sent', record_id: rec?.id ?? d.record_id, error: null, sent_at: Date.now() })
  for (const o of Object.values(d.observations || {})) for (const p of o.photos || []) p.local = null
  await idbPut(STORES.drafts, plain(d))
  for (const id of local) await idbDelete(STORES.photos, id)
}

// The server holds a record of this point under another key. Sent by the same
// inspector from another phone, the draft turns into a replacement of that
// record, which the inspector confirms by submitting again; someone else's
// record is theirs to change, and the draft says so.
async function adoptExisting(d, err) {
  try {
    const res = await listRecords(d.round_id, { point_id: d.point_id })
    const existing = res?.items?.[0]
    if (existing && existing.inspector_id === userId()) {
      d.record_id = existing.id
      return t('minsp.willReplace')
    }
    if (existing) return t('minsp.takenBy', { name: existing.inspector_name || '' })
  } catch {
    /* keep the server's message */
  }
  return err.message
}

const engine = createOutbox({
  kind: 'inspection',
  send: sendOne,
  refused: (d, err) => (err?.status === 409 && err?.field === 'point_id' && !d.record_id ? adoptExisting(d, err) : null),
})

/** Reactive summary for the pages; `version` moves whenever a draft changes. */
export const outbox = engine.state
const bump = engine.bump

/** Send every queued draft of the signed-in user, oldest first; one run at a time. */
export const sync = engine.sync

/** Start the outbox once per page load: listen for `online`, retry every minute, send now. */
export const startOutbox = engine.start

/** For tests and sign-out: stop the periodic retry. */
export const stopOutbox = engine.stop

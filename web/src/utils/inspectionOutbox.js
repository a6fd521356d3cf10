// The phone's outbox for field inspection records. A record is written to
// IndexedDB first, as a draft with an idempotency key (client_key) made once
// when the draft is created; photos are kept there as blobs. 提交 queues the
// draft; sync() sends the queue: photos first (each uploaded once, its server
// id kept in the draft), then the record with its key. A lost answer leaves
// the draft queued and the next try sends the same key, so the server (which
// answers a known key with the stored record) never stores it twice.
// sync() runs on the `online` event, when a page starts the outbox, every
// minute while something waits, and on the 同步 button.
import { reactive } from 'vue'
import { session } from '@/stores/session'
import { submitRecord, replaceRecord, listRecords } from '@/api/inspection'
import { uploadPhoto } from '@/api/problems'
import { STORES, idbGet, idbAll, idbPut, idbDelete, uuid } from './idb'
import { t } from '@/locales'

/** Reactive summary for the pages; `version` moves whenever a draft changes. */
export const outbox = reactive({
  pending: 0, // queued drafts of the signed-in user
  failed: 0, // drafts the server refused (need the inspector)
  syncing: false,
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  lastSync: null, // ms of the last finished sync that reached the server
  lastError: '',
  version: 0,
})

const userId = () => session.me?.id ?? 0
export const draftKey = (roundId, pointId, uid = userId()) => `${uid}:${roundId}:${pointId}`

/** The draft of this point in this round, or null. */
export async function getDraft(roundId, pointId) {
  return (await idbGet(STORES.drafts, draftKey(roundId, pointId))) || null
}

/** Every draft of the signed-in user (of one round when roundId is given). */
export async function listDrafts(roundId) {
  const uid = userId()
  const all = await idbAll(STORES.drafts)
  return all.filter((d) => d.user_id === uid && (roundId === undefined || d.round_id === Number(roundId)))
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
  const copy = JSON.parse(JSON.stringify({ ...draft, updated_at: Date.now() }))
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

/* ---- the cache for offline pages ---- */
export async function cachePut(key, data) {
  await idbPut(STORES.cache, { key: `${userId()}:${key}`, data: JSON.parse(JSON.stringify(data)), saved_at: Date.now() })
}
export async function cacheGet(key) {
  const row = await idbGet(STORES.cache, `${userId()}:${key}`)
  return row ? row.data : null
}

/* ---- sending ---- */

// Failures worth retrying later: no answer, a server in trouble, rate limits,
// or a session that ended (the inspector signs in again, the queue stays).
function transient(err) {
  const s = err?.status ?? 0
  return s === 0 || s >= 500 || s === 429 || s === 401 || s === 408
}

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
      await idbPut(STORES.drafts, JSON.parse(JSON.stringify(d)))
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
  await idbPut(STORES.drafts, JSON.parse(JSON.stringify(d)))
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

let running = null

/** Send every queued draft of the signed-in user, oldest first; one run at a time. */
export function sync() {
  if (running) return running
  running = (async () => {
    if (!session.me) return
    outbox.syncing = true
    let reached = false
    try {
      const queued = (await listDrafts()).filter((d) => d.state === 'queued').sort((a, b) => (a.queued_at || 0) - (b.queued_at || 0))
      for (const d of queued) {
        try {
          await sendOne(d)
          reached = true
        } catch (err) {
          if (transient(err)) {
            outbox.lastError = err?.message || String(err)
            break
          }
          reached = true
          let message = err?.message || String(err)
          if (err?.status === 409 && err?.field === 'point_id' && !d.record_id) message = await adoptExisting(d, err)
          Object.assign(d, { state: 'failed', error: message })
          await idbPut(STORES.drafts, JSON.parse(JSON.stringify(d)))
        }
        bump()
      }
      if (reached) outbox.lastSync = Date.now()
    } catch (err) {
      outbox.lastError = err?.message || String(err)
    } finally {
      outbox.syncing = false
      await count()
    }
  })().finally(() => {
    running = null
  })
  return running
}

async function count() {
  try {
    const mine = await listDrafts()
    outbox.pending = mine.filter((d) => d.state === 'queued').length
    outbox.failed = mine.filter((d) => d.state === 'failed').length
    if (!outbox.pending) outbox.lastError = ''
  } catch {
    /* no IndexedDB: nothing is pending */
  }
}

function bump() {
  outbox.version++
  count()
}

let started = false
let timer = null

/** Start the outbox once per page load: listen for `online`, retry every minute, send now. */
export function startOutbox() {
  if (!started && typeof window !== 'undefined') {
    started = true
    window.addEventListener('online', () => {
      outbox.online = true
      sync()
    })
    window.addEventListener('offline', () => {
      outbox.online = false
    })
    timer = setInterval(() => {
      if (outbox.pending && navigator.onLine) sync()
    }, 60000)
  }
  count()
  return sync()
}

/** For tests and sign-out: stop the periodic retry. */
export function stopOutbox() {
  if (timer) clearInterval(timer)
  timer = null
}

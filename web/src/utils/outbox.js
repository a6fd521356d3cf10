// The phone's outbox engine, shared by field inspection records
// (inspectionOutbox.js) and surveyors' questionnaire responses
// (surveyOutbox.js). Drafts live in IndexedDB (store `drafts`, each with its
// `kind` and the user it belongs to) with an idempotency key made once when
// the draft is created. sync() sends the queued drafts of the signed-in user,
// oldest first, through the kind's send(); a lost answer leaves the draft
// queued and the next try sends the same key, so the server (which answers a
// known key with what it stored) never stores it twice. Failures worth a
// retry stop the run; a refusal marks the draft failed with the server's
// message (or the kind's own, from refused()). sync() runs on the `online`
// event, when a page starts the outbox, every minute while something waits,
// and on the 同步 button.
import { reactive } from 'vue'
import { session } from '@/stores/session'
import { STORES, idbAll, idbGet, idbPut } from './idb'

export const userId = () => session.me?.id ?? 0

/** A plain copy for IndexedDB (Vue proxies cannot be cloned into it). */
export const plain = (x) => JSON.parse(JSON.stringify(x))

/* ---- the cache for offline pages: the signed-in user's copies of what they loaded ---- */
export async function cachePut(key, data) {
  await idbPut(STORES.cache, { key: `${userId()}:${key}`, data: plain(data), saved_at: Date.now() })
}
export async function cacheGet(key) {
  const row = await idbGet(STORES.cache, `${userId()}:${key}`)
  return row ? row.data : null
}

// No answer, a server in trouble, rate limits, or a session that ended (the
// user signs in again, the queue stays).
export function transient(err) {
  const s = err?.status ?? 0
  return s === 0 || s >= 500 || s === 429 || s === 401 || s === 408
}

/**
 * An outbox for drafts of one kind: { state, list, sync, start, stop, bump }.
 * send(draft) delivers one draft and stores it as sent; refused(draft, err)
 * may turn a refusal into the message the draft keeps.
 */
export function createOutbox({ kind, send, refused }) {
  const state = reactive({
    pending: 0, // queued drafts of the signed-in user
    failed: 0, // drafts the server refused (need the user)
    syncing: false,
    online: typeof navigator === 'undefined' ? true : navigator.onLine,
    lastSync: null, // ms of the last finished sync that reached the server
    lastError: '',
    version: 0, // moves whenever a draft changes
  })
  // drafts stored before kinds existed are inspection records
  const mine = (d) => d.user_id === userId() && (d.kind || 'inspection') === kind

  async function list() {
    return (await idbAll(STORES.drafts)).filter(mine)
  }

  async function count() {
    try {
      const drafts = await list()
      state.pending = drafts.filter((d) => d.state === 'queued').length
      state.failed = drafts.filter((d) => d.state === 'failed').length
      if (!state.pending) state.lastError = ''
    } catch {
      /* no IndexedDB: nothing is pending */
    }
  }

  function bump() {
    state.version++
    count()
  }

  let running = null
  function sync() {
    if (running) return running
    running = (async () => {
      if (!session.me) return
      state.syncing = true
      let reached = false
      try {
        const queued = (await list()).filter((d) => d.state === 'queued').sort((a, b) => (a.queued_at || 0) - (b.queued_at || 0))
        for (const d of queued) {
          try {
            await send(d)
            reached = true
          } catch (err) {
            if (transient(err)) {
              state.lastError = err?.message || String(err)
              break
            }
            reached = true
            const message = (refused && (await refused(d, err))) || err?.message || String(err)
            Object.assign(d, { state: 'failed', error: message })
            await idbPut(STORES.drafts, plain(d))
          }
          bump()
        }
        if (reached) state.lastSync = Date.now()
      } catch (err) {
        state.lastError = err?.message || String(err)
      } finally {
        state.syncing = false
        await count()
      }
    })().finally(() => {
      running = null
    })
    return running
  }

  let started = false
  let timer = null
  function start() {
    if (!started && typeof window !== 'undefined') {
      started = true
      window.addEventListener('online', () => {
        state.online = true
        sync()
      })
      window.addEventListener('offline', () => {
        state.online = false
      })
      timer = setInterval(() => {
        if (state.pending && navigator.onLine) sync()
      }, 60000)
    }
    count()
    return sync()
  }

  function stop() {
    if (timer) clearInterval(timer)
    timer = null
  }

  return { state, list, sync, start, stop, bump }
}

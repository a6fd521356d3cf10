// A small promise wrapper over IndexedDB for the phone's field inspection:
// drafts (one per user, round and point), the photos taken for them (as
// blobs, until uploaded) and a cache of rounds, points and checklists so the
// pages still open without a signal. Nothing here knows about the API.
const DB_NAME = 'wenming-inspection'
const DB_VERSION = 1
export const STORES = { drafts: 'drafts', photos: 'photos', cache: 'cache' }

let opening = null

/** Open (and on first use create) the database; resolves to the IDBDatabase. */
export function openDb() {
  if (opening) return opening
  opening = new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new Error('IndexedDB is not available'))
      return
    }
    const req = indexedDB.open(DB_NAME, DB_VERSION)
    req.onupgradeneeded = () => {
      const db = req.result
      if (!db.objectStoreNames.contains(STORES.drafts)) db.createObjectStore(STORES.drafts, { keyPath: 'key' })
      if (!db.objectStoreNames.contains(STORES.photos)) db.createObjectStore(STORES.photos, { keyPath: 'id' })
      if (!db.objectStoreNames.contains(STORES.cache)) db.createObjectStore(STORES.cache, { keyPath: 'key' })
    }
    req.onsuccess = () => {
      const db = req.result
      // Another tab upgrading the schema: let it, and reopen on next use.
      db.onversionchange = () => {
        db.close()
        opening = null
      }
      resolve(db)
    }
    req.onerror = () => {
      opening = null
      reject(req.error)
    }
  })
  return opening
}

/** Run fn(store) in one transaction; resolves with fn's request result once the transaction commits. */
async function run(storeName, mode, fn) {
  const db = await openDb()
  return new Promise((resolve, reject) => {
    const tx = db.transaction(storeName, mode)
    let result
    const req = fn(tx.objectStore(storeName))
    if (req) req.onsuccess = () => (result = req.result)
    tx.oncomplete = () => resolve(result)
    tx.onerror = () => reject(tx.error)
    tx.onabort = () => reject(tx.error || new Error('IndexedDB transaction aborted'))
  })
}

export const idbGet = (store, key) => run(store, 'readonly', (s) => s.get(key))
export const idbAll = (store) => run(store, 'readonly', (s) => s.getAll())
export const idbPut = (store, value) => run(store, 'readwrite', (s) => s.put(value))
export const idbDelete = (store, key) => run(store, 'readwrite', (s) => s.delete(key))

/** A random UUID v4; crypto.randomUUID exists only on https/localhost, getRandomValues everywhere. */
export function uuid() {
  if (typeof crypto.randomUUID === 'function') {
    try {
      return crypto.randomUUID()
    } catch {
      /* insecure context: build one below */
    }
  }
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

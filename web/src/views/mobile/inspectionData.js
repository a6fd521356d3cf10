// What the phone's inspection pages load for a round (the round, the caller's
// points, every checklist they need), with an IndexedDB copy so a point still
// opens when the signal is gone; plus distances and per-point states.
import { getRound, roundPoints, roundChecklists } from '@/api/inspection'
import { session } from '@/stores/session'
import { cacheGet, cachePut, listDrafts } from '@/utils/inspectionOutbox'
import { t } from '@/locales'

const offlineError = (err) => !err?.status || err.status >= 500

/**
 * fetch() and keep a copy under `key`; when the network (or the server) is
 * down, answer the copy instead: resolves to { data, cached } where cached is
 * true for a copy. Other failures (403, 404 ...) are thrown as they are.
 */
export async function withCache(key, fetch) {
  try {
    const data = await fetch()
    cachePut(key, data).catch(() => {})
    return { data, cached: false }
  } catch (err) {
    if (!offlineError(err)) throw err
    const copy = await cacheGet(key).catch(() => null)
    if (!copy) throw err
    return { data: copy, cached: true }
  }
}

async function allPoints(roundId, params) {
  const out = []
  for (let page = 1; page <= 50; page++) {
    const res = await roundPoints(roundId, { ...params, page, size: 100 })
    out.push(...(res?.items ?? []))
    if (out.length >= (res?.total ?? 0) || !(res?.items ?? []).length) break
  }
  return out
}

/**
 * The round, its points (an inspector of the round sees the points assigned
 * to them; anyone else every point in scope) and its checklists:
 * { round, points, checklists, cached } where cached is true when the network
 * failed and the IndexedDB copy was used.
 */
export async function loadRoundBundle(roundId) {
  const { data, cached } = await withCache(`round:${roundId}`, async () => {
    const round = await getRound(roundId)
    const me = session.me?.id
    const inspector = (round.inspectors || []).some((u) => u.id === me)
    const [points, checklists] = await Promise.all([allPoints(roundId, inspector ? { inspector_id: me } : {}), roundChecklists(roundId)])
    return { round, points, checklists }
  })
  return { ...data, cached }
}

/** The checklist items of a point type in a bundle. */
export function itemsOf(bundle, typeId) {
  return bundle?.checklists?.point_types?.find((p) => p.id === typeId)?.items ?? []
}

/** Metres between two WGS84 positions (haversine). */
export function distance(aLat, aLng, bLat, bLng) {
  const rad = Math.PI / 180
  const dLat = (bLat - aLat) * rad
  const dLng = (bLng - aLng) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * rad) * Math.cos(bLat * rad) * Math.sin(dLng / 2) ** 2
  return 2 * 6371000 * Math.asin(Math.min(1, Math.sqrt(h)))
}

export function formatDistance(m) {
  if (m === null || m === undefined || !Number.isFinite(m)) return ''
  return m < 1000 ? t('minsp.metres', { n: Math.round(m) }) : t('minsp.km', { n: (m / 1000).toFixed(m < 10000 ? 1 : 0) })
}

/**
 * The state of each point for this user: 'todo' 未检查, 'draft' 草稿,
 * 'queued' 待同步, 'failed' 提交失败, 'sent' 已提交 (from the server's `done`
 * or a draft the server acknowledged). Map point_id → { state, draft }.
 */
export async function pointStates(roundId, points) {
  const drafts = await listDrafts(roundId).catch(() => [])
  const byPoint = new Map(drafts.map((d) => [d.point_id, d]))
  const out = new Map()
  for (const p of points) {
    const d = byPoint.get(p.point_id)
    let state = p.done ? 'sent' : 'todo'
    if (d && d.state !== 'sent') state = d.state
    else if (d && d.state === 'sent') state = 'sent'
    out.set(p.point_id, { state, draft: d || null })
  }
  return out
}

/** One position from the device, or null (no permission, no fix in time). */
export function locateOnce({ timeout = 15000 } = {}) {
  return new Promise((resolve) => {
    if (!navigator.geolocation) return resolve(null)
    navigator.geolocation.getCurrentPosition(
      (pos) =>
        resolve({
          lat: Math.round(pos.coords.latitude * 1e6) / 1e6,
          lng: Math.round(pos.coords.longitude * 1e6) / 1e6,
          accuracy: pos.coords.accuracy,
        }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout, maximumAge: 30000 },
    )
  })
}

import { timeZone as tenantZone } from '@/stores/session'

const pad = (n) => String(n).padStart(2, '0')

/** Format a Date as "YYYY-MM-DD HH:mm:ss" in the browser's time zone. */
export function formatDateTime(date) {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) return ''
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  )
}

const formatters = new Map()
const make = (timeZone) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  })

function partsIn(timeZone, date) {
  let f = formatters.get(timeZone)
  if (!f) {
    try {
      f = make(timeZone)
    } catch {
      f = make('Asia/Shanghai') // an unknown zone name from the server
    }
    formatters.set(timeZone, f)
  }
  const out = {}
  for (const p of f.formatToParts(date)) out[p.type] = p.value
  return out
}

/**
 * The shared time formatter of the pages: milliseconds since the epoch (as the
 * API sends them) → "YYYY-MM-DD HH:mm" in the tenant's zone (the signed-in
 * user's tenant by default, Asia/Shanghai before login). Empty for null, 0 or garbage; `seconds` adds ":ss".
 */
export function formatTime(ms, { timeZone = tenantZone(), seconds = false } = {}) {
  if (ms === null || ms === undefined || ms === '' || ms === 0) return ''
  const date = new Date(typeof ms === 'string' && /^\d+$/.test(ms) ? Number(ms) : ms)
  if (Number.isNaN(date.getTime())) return ''
  const p = partsIn(timeZone, date)
  const base = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`
  return seconds ? `${base}:${p.second}` : base
}

/** Today's date "YYYY-MM-DD" in a time zone. */
export function todayIn(timeZone = 'Asia/Shanghai', now = new Date()) {
  const p = partsIn(timeZone, now)
  return `${p.year}-${p.month}-${p.day}`
}

/** Whole days from `from` to `to`, both "YYYY-MM-DD" (negative when to is earlier); null if either is bad. */
export function daysBetween(from, to) {
  const parse = (s) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '')
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : NaN
  }
  const a = parse(from)
  const b = parse(to)
  if (Number.isNaN(a) || Number.isNaN(b)) return null
  return Math.round((b - a) / 86400000)
}

/** A Date (from a picker) → milliseconds since the epoch, or undefined. */
export function toMillis(value) {
  if (value === null || value === undefined || value === '') return undefined
  const ms = value instanceof Date ? value.getTime() : Number(value)
  return Number.isFinite(ms) ? ms : undefined
}

// Date pickers work in wall-clock strings ("YYYY-MM-DD HH:mm:ss", their
// value-format) so the time they show is the tenant's, whatever zone the
// browser is in; these two convert at the edges.

/** Milliseconds → "YYYY-MM-DD HH:mm:ss" in the zone (a picker's value); null for none. */
export function zonedValue(ms, timeZone = tenantZone()) {
  if (ms === null || ms === undefined || ms === '') return null
  return formatTime(Number(ms), { timeZone, seconds: true }) || null
}

/** A picker's "YYYY-MM-DD HH:mm[:ss]" as wall time in the zone → milliseconds; undefined for none. */
export function zonedMillis(value, timeZone = tenantZone()) {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value || '')
  if (!m) return undefined
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0), +(m[6] || 0))
  // the zone's offset at that moment; once more in case a DST change lies between
  const offsetAt = (ms) => {
    const p = partsIn(timeZone, new Date(ms))
    return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - Math.floor(ms / 1000) * 1000
  }
  let ms = wall - offsetAt(wall)
  ms = wall - offsetAt(ms)
  return ms
}

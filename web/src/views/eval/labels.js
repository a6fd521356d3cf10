// Names, tags and number formats of the evaluation pages (desktop and phone).
import { t } from '@/locales'

export const KINDS = ['mock', 'daily', 'covert', 'special']
export const kindName = (k) => t(`eval.kinds.${k}`)
export const KIND_TAG = { mock: 'danger', daily: '', covert: 'warning', special: 'success' }

export const STATUSES = ['open', 'closed']
export const roundStatusName = (s) => t(`eval.statuses.${s}`)

export const METHODS = ['field', 'questionnaire', 'materials', 'data']
export const methodName = (m) => t(`eval.methods.${m}`)
export const METHOD_TAG = { field: 'danger', questionnaire: 'warning', materials: 'success', data: 'info' }

export const RATINGS = ['pass', 'fail', 'severe', 'na']
export const ratingName = (r) => t(`eval.ratings.${r}`)
export const RATING_TAG = { pass: 'success', fail: 'warning', severe: 'danger', na: 'info' }

export const LEVELS = [1, 2, 3]
export const levelName = (l) => t(`eval.levels.l${l}`)

/** A score (points) with 2 decimals; '—' for null. */
export function fmtScore(v) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '—'
  return Number(v).toFixed(2)
}

/** A rate 0..1 as a percentage with 1 decimal; '—' for null. */
export function fmtRate(v) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '—'
  return `${(Number(v) * 100).toFixed(1)}%`
}

/** A signed delta of a rate in percentage points, e.g. +5.2 / −3.0. */
export function fmtDelta(v, digits = 1, scale = 100) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '—'
  const n = Number(v) * scale
  const s = Math.abs(n).toFixed(digits)
  if (Number(s) === 0) return s
  return n > 0 ? `+${s}` : `−${s}`
}

/** A credit 0..1 (1 → "1", 0.5 → "0.5"). */
export function fmtCredit(v) {
  if (v === null || v === undefined || v === '') return ''
  return String(Math.round(Number(v) * 1000) / 1000)
}

/** "2026-03-01 ~ 2026-03-15". */
export function period(round) {
  if (!round) return ''
  if (round.starts_on && round.ends_on) return `${round.starts_on} ~ ${round.ends_on}`
  return round.starts_on || round.ends_on || ''
}

/** Progress of a round or an inspector as a percentage 0..100. */
export function progressPercent(p) {
  if (!p || !p.total) return 0
  return Math.round((p.done / p.total) * 100)
}

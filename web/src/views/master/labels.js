// Display helpers shared by the 基础数据 pages.
import { t } from '@/locales'

/** Element Plus tag types of the three severities (1 一般, 2 较重, 3 严重). */
export const SEVERITIES = [1, 2, 3]
export const severityTag = (s) => ({ 1: 'info', 2: 'warning', 3: 'danger' })[s] || 'info'
export const severityName = (s) => t(`master.severity.${s}`)

/** A deadline in hours as "24 小时" or, for whole days beyond one, "7 天"; "—" when none. */
export function formatDeadline(hours) {
  const h = Number(hours)
  if (!Number.isFinite(h) || h <= 0) return t('common.none')
  if (h >= 48 && h % 24 === 0) return t('master.days', { n: h / 24 })
  return t('master.hours', { n: h })
}

/** An area in square metres as "1.07 km²" (from 0.1 km² up) or "5,300 m²". */
export function formatArea(m2) {
  const a = Number(m2)
  if (!Number.isFinite(a) || a <= 0) return t('common.none')
  if (a >= 100000) return t('grids.kmSq', { n: (a / 1e6).toLocaleString('zh-CN', { maximumFractionDigits: 2 }) })
  return t('grids.mSq', { n: Math.round(a).toLocaleString('zh-CN') })
}

/** A coordinate with six decimals (about 0.1 m), blank when absent. */
export function formatCoord(v) {
  return v === null || v === undefined || v === '' ? '' : Number(v).toFixed(6)
}

/** Field rules shared by the master dialogs. */
export const CODE_PATTERN = /^[A-Za-z0-9._-]{1,32}$/

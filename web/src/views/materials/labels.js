// Names and colours of material types, statuses and ratings (the server's keys).
import { t } from '@/locales'

export const TYPES = ['report', 'photos', 'table', 'evaluation', 'other']
export const STATUSES = ['not_started', 'drafting', 'submitted', 'returned', 'approved']
export const RATINGS = ['full', 'partial', 'none']
export const typeName = (k) => t(`materials.types.${k}`)
export const statusName = (k) => t(`materials.statuses.${k}`)
export const ratingName = (k) => (k ? t(`materials.ratings.${k}`) : '')
export const STATUS_TAG = { not_started: 'info', drafting: 'primary', submitted: 'warning', returned: 'danger', approved: 'success' }
export const STATUS_COLOR = { not_started: '#c0c4cc', drafting: '#409eff', submitted: '#e6a23c', returned: '#f56c6c', approved: '#67c23a' }
export const RATING_TAG = { full: 'success', partial: 'warning', none: 'danger' }
export const actionName = (k) => t(`materials.actions.${k}`)
export const pct = (x) => `${Math.round((x || 0) * 100)}%`
export const daysText = (row) => {
  if (row.status === 'approved' || row.status === 'submitted') return ''
  if (row.days_left < 0) return t('materials.overdueDays', { n: -row.days_left })
  return t('materials.daysLeft', { n: row.days_left })
}
/** What kind of preview a file gets, by the type the server decided. */
export function previewKind(contentType) {
  if (contentType === 'application/pdf') return 'pdf'
  if (contentType?.startsWith('image/')) return 'image'
  if (contentType?.includes('wordprocessingml')) return 'docx'
  if (contentType?.includes('spreadsheetml')) return 'xlsx'
  return ''
}

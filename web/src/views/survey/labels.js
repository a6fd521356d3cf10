// Names the survey pages show for the server's keys (docs/surveys.md), from
// the catalogue (surveys.labels.*).
import { t } from '@/locales'

const L = (k) => t(`surveys.labels.${k}`)
export const RATES = ['awareness', 'support', 'participation', 'satisfaction'].map((key) => ({ key, name: L(`rates.${key}`) }))
// the respondent's age groups and sexes, as the public page offers them and quotas take them
export const AGES = ['18-29', '30-44', '45-59', '60+'].map((key) => ({ key, name: L(`ages.${key}`) }))
export const SEXES = ['male', 'female'].map((key) => ({ key, name: L(`sexes.${key}`) }))
export const rateName = (k) => RATES.find((r) => r.key === k)?.name || ''
export const TYPES = ['single', 'multiple', 'rating', 'text'].map((key) => ({ key, name: L(`types.${key}`) }))
export const typeName = (k) => TYPES.find((x) => x.key === k)?.name || k
export const STATUS = { draft: L('status.draft'), published: L('status.published'), closed: L('status.closed') }
export const STATUS_TAG = { draft: 'info', published: 'success', closed: '' }
export const FLAGS = Object.fromEntries(['fast', 'straight', 'device', 'address', 'gps'].map((k) => [k, L(`flags.${k}`)]))
export const REVIEW = { '': L('review.pending'), accepted: L('review.accepted'), rejected: L('review.rejected') }
/** 0.8123 → "81.2%"; null → "—". */
export const pct = (v, digits = 1) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(digits)}%`)
/** The default options of a question of type and rate. */
export function defaultOptions(type, rate) {
  if (type === 'text') return []
  if (type === 'rating' || rate === 'satisfaction')
    return [
      { key: 'a', label: L('options.satisfied'), score: 1, scored: true },
      { key: 'b', label: L('options.fairlySatisfied'), score: 0.8, scored: true },
      { key: 'c', label: L('options.neutral'), score: 0.5, scored: true },
      { key: 'd', label: L('options.dissatisfied'), score: 0, scored: true },
      { key: 'x', label: L('options.unsure'), score: null, scored: false },
    ]
  const yesNo = (yes, no) => [{ key: 'y', label: L(`options.${yes}`), score: 1, scored: true }, { key: 'n', label: L(`options.${no}`), score: 0, scored: true }]
  if (rate === 'awareness') return yesNo('know', 'dontKnow')
  if (rate === 'support') return yesNo('support', 'oppose')
  if (rate === 'participation') return yesNo('took', 'didNotTake')
  return [{ key: 'a', label: L('options.first'), score: 1, scored: true }, { key: 'b', label: L('options.second'), score: 0, scored: true }]
}

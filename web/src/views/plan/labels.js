// Shared labels of the task ledger: countdown text and tag types.
import { t } from '@/locales'

/** { text, type } of a node's countdown to its deadline (倒排). */
export function countdown(n) {
  if (!n.deadline) return { text: '', type: 'info' }
  if (n.status === 'done') return { text: t('plans.done'), type: 'success' }
  if (n.days_left < 0) return { text: t('plans.overdueDays', { n: -n.days_left }), type: 'danger' }
  if (n.days_left === 0) return { text: t('plans.dueToday'), type: 'danger' }
  return { text: t('plans.daysLeft', { n: n.days_left }), type: n.days_left <= 7 ? 'warning' : 'primary' }
}

export const PROGRESS_TAG = { done: 'success', on_schedule: 'primary', behind: 'danger', not_started: 'info' }

/** The units of a node as one line: lead unit first. */
export const unitsText = (n) => (n.unit_names || []).join('、')

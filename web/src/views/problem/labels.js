// Display helpers shared by the 问题闭环 pages: status, source and outcome
// names and tag colours, mirroring src/problem/problem_fsm.c.
import { t } from '@/locales'

export const STATUSES = ['reported', 'accepted', 'invalid', 'assigned', 'returned', 'rectifying', 'submitted', 'rework', 'closed', 'parked', 'voided']
export const SOURCES = ['inspection', 'supervision', 'covert', 'grid', 'leader', 'citizen', 'media', 'mock', 'daily', 'special']
export const OUTCOMES = ['fixed', 'duplicate', 'not_responsible', 'parked_closed']

const STATUS_TAGS = {
  reported: 'warning',
  accepted: 'primary',
  invalid: 'info',
  assigned: 'primary',
  returned: 'danger',
  rectifying: 'warning',
  submitted: 'primary',
  rework: 'danger',
  closed: 'success',
  parked: 'info',
  voided: 'info',
}
export const statusTag = (s) => STATUS_TAGS[s] || 'info'
export const statusName = (s) => (s ? t(`problems.statuses.${s}`) : '')
export const sourceName = (s) => (s ? t(`problems.sources.${s}`) : '')
export const outcomeName = (s) => (s ? t(`problems.outcomes.${s}`) : '')
export const actionName = (a) => t(`problems.actions.${a}`)

/** Statuses that are still open work (挂账 and 作废 are offered from these). */
const PARKABLE = ['accepted', 'assigned', 'returned', 'rectifying', 'rework']
const FINAL = ['closed', 'invalid', 'voided']

/**
 * The actions the status of problem p allows (problem_next of problem_fsm.c),
 * each with the permission it needs: [{ action, perm, title }].
 */
export function allowedActions(p, PERM) {
  const P = PERM.problem
  const s = p?.status
  const out = []
  const add = (action, perm, title = actionName(action), variant = undefined) => out.push({ action, perm, title, variant })
  if (!s) return out
  if (s === 'reported') {
    add('accept', P.accept)
    add('invalidate', P.accept)
  }
  if (s === 'accepted' || s === 'returned') add('assign', P.assign)
  // the unit's steps: to users of the lead unit; to the office only as 代办 where the county allows it
  const unit = (action) => {
    if (p.unit_actor) add(action, P.rectify)
    else if (p.proxy_allowed) out.push({ action, perm: P.rectify, title: t('problems.proxyAction', { action: actionName(action) }), proxy: true })
  }
  if (s === 'assigned') {
    unit('sign')
    unit('return')
    add('assign', P.assign, actionName('reassign'))
  }
  if (s === 'rectifying' || s === 'rework') unit('submit')
  if ((s === 'assigned' || s === 'rectifying' || s === 'rework') && !p.extension_pending) unit('extend')
  if (s === 'submitted') {
    add('verify', P.verify, actionName('verifyPass'), 'pass')
    add('verify', P.verify, actionName('verifyFail'), 'fail')
  }
  if (p.extension_pending && !FINAL.includes(s) && s !== 'parked') add('decide-extension', P.approve)
  if (PARKABLE.includes(s)) add('park', P.approve)
  if (s === 'parked') add('unpark', P.approve)
  if (!FINAL.includes(s)) add('void', P.approve)
  if (s === 'closed') add('reopen', P.reopen)
  return out
}

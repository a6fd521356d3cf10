// Display helpers for audit rows: Chinese names for actions and object types
// from the server's one catalogue (GET /audit/catalogue, the same the xlsx
// export writes with; the message catalogue until it has loaded), the raw
// value otherwise; the JSON summary as one readable line, a transition as
// 状态：整改中 → 已反馈.
import { reactive } from 'vue'
import { t } from '@/locales'
import { api } from '@/api/client'
import { can } from '@/stores/session'
import { PERM } from '@/utils/permissions'

export const catalogue = reactive({ actions: {}, verbs: {}, object_types: {}, summary_keys: {}, statuses: {}, loaded: false })
let loading = null

/** Load the catalogue once (for who may read the log). */
export function loadAuditCatalogue() {
  if (catalogue.loaded || !can(PERM.audit.view)) return Promise.resolve()
  loading ||= api
    .get('/audit/catalogue')
    .then((c) => Object.assign(catalogue, c, { loaded: true }))
    .catch(() => {
      loading = null
    })
  return loading
}

// Action names contain dots ("auth.login"), so look them up in the map
// itself rather than through a dotted catalogue key.
const SERVER = { 'audit.actions': 'actions', 'audit.objectTypes': 'object_types', 'audit.summaryKeys': 'summary_keys' }
function known(mapKey, key) {
  const fromServer = catalogue[SERVER[mapKey]]?.[key]
  if (typeof fromServer === 'string') return fromServer
  const map = t(mapKey)
  const value = map && typeof map === 'object' ? map[key] : undefined
  return typeof value === 'string' ? value : null
}

export function objectTypeLabel(type) {
  if (!type) return ''
  return known('audit.objectTypes', type) || type
}

/** "auth.login" → 登录; "unit.create" / "unit:create" → 新增单位; anything else as sent. */
export function actionLabel(action) {
  if (!action) return ''
  const whole = known('audit.actions', action)
  if (whole) return whole
  const parts = action.split(/[.:]/)
  if (parts.length === 2) {
    const [obj, verb] = parts
    const v = catalogue.verbs[verb] || known('audit.actions', verb)
    if (v) return `${v}${objectTypeLabel(obj)}`
  }
  return action
}

/** The summary (JSON object or string) as "key: value, …". Never HTML. */
export function summaryText(summary) {
  if (summary === null || summary === undefined || summary === '') return ''
  let value = summary
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value)
    } catch {
      return summary
    }
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const status = (v) => catalogue.statuses[v] || t(`problems.statuses.${v}`)
    const out = []
    const transition = typeof value.from === 'string' && typeof value.to === 'string'
    if (transition) out.push(`${t('audit.statusLabel')}：${status(value.from)} → ${status(value.to)}`)
    for (const [k, v] of Object.entries(value)) {
      if (transition && (k === 'from' || k === 'to')) continue
      let text = typeof v === 'object' && v !== null ? JSON.stringify(v) : v
      if (k === 'status' && typeof v === 'string') text = status(v)
      else if (v === true) text = t('common.yes')
      else if (v === false) text = t('common.no')
      out.push(`${known('audit.summaryKeys', k) || k}：${text}`)
    }
    return out.join('，')
  }
  return JSON.stringify(value)
}

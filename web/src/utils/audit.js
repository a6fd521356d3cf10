// Display helpers for audit rows: Chinese names for actions and object types
// where the catalogue knows them, the raw value otherwise; the JSON summary
// as one readable line.
import { t } from '@/locales'

// Action names contain dots ("auth.login"), so look them up in the map
// itself rather than through a dotted catalogue key.
function known(mapKey, key) {
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
    const v = known('audit.actions', verb)
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
    return Object.entries(value)
      .map(([k, v]) => `${known('audit.summaryKeys', k) || k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : v}`)
      .join('，')
  }
  return JSON.stringify(value)
}

// Tenant settings (参数设置): the recurrence rule and the ranking's weights and
// grade bands (docs/openapi/settings.yaml).
import { api } from './client.js'

/** GET /settings → the values, updated_at, updated_by_name and the defaults. */
export const getSettings = () => api.get('/settings')
/** PUT /settings with every value → the saved settings. 422 names the field. */
export const saveSettings = (data) => api.put('/settings', data)
/** PUT /settings/eval-date {eval_date: 'YYYY-MM-DD' | null} → {eval_date}; audited. */
export const saveEvalDate = (evalDate) => api.put('/settings/eval-date', { eval_date: evalDate })

// The leaders' 驾驶舱 (docs/openapi/dashboard.yaml).
import { api } from './client.js'

/**
 * GET /dashboard → { countdown_days, predicted: { total, field, questionnaire,
 * materials, negative, minors, feature, net }, at_risk, trend, problems, units }.
 */
export const getDashboard = (options) => api.get('/dashboard', options)

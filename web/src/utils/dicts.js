// Fixed value lists of the contract (docs/accounts.md); their Chinese names
// live in the message catalogue.
export const UNIT_KINDS = ['command', 'office', 'group', 'subcommand', 'department', 'town', 'community', 'enterprise', 'other']
export const DATA_SCOPES = ['all', 'custom', 'unit', 'unit_below', 'self']
export const TENANT_LEVELS = ['city', 'county_city', 'county', 'district']
export const AUDIT_RESULTS = ['ok', 'denied', 'failed']
export const RESULT_TAGS = { ok: 'success', denied: 'warning', failed: 'danger' }

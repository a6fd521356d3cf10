import { ElMessage } from 'element-plus'

/**
 * Show an API failure as a message unless the session handlers already did
 * (401 → back to login, 403 → 没有权限). Cancelled confirm boxes ('cancel',
 * 'close') are not errors.
 */
export function showError(err) {
  if (!err || err === 'cancel' || err === 'close' || err.handled) return
  if (err.code === 'aborted') return
  ElMessage.error({ message: err.message || String(err), grouping: true })
}

// The confirm-then-act pattern of the evaluation pages: ask, run the action,
// say it worked; a cancelled box does nothing and a failure is shown.
import { ElMessage, ElMessageBox } from 'element-plus'
import { showError } from '@/utils/errors'
import { t } from '@/locales'

/**
 * Ask `message`; on 确定 run `action()` and show `success`. Resolves to the
 * action's result, or undefined when cancelled or failed. danger: a 删除 box.
 */
export async function confirmThen(message, action, { success = t('common.updated'), danger = false } = {}) {
  try {
    await ElMessageBox.confirm(message, danger ? t('common.warning') : t('common.tip'), {
      type: 'warning',
      ...(danger ? { confirmButtonText: t('common.remove') } : {}),
    })
  } catch {
    return undefined
  }
  try {
    const result = await action()
    ElMessage.success(success)
    return result ?? true
  } catch (err) {
    showError(err)
    return undefined
  }
}

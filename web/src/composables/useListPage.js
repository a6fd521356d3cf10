// Everything a list page (master data, system) shares beyond the table state
// of useTable: the search form with its reset, paging and load; switching a
// row's enabled flag after a confirm; deleting the chosen rows after a
// confirm; the 导入 dialog's open flag; and the 导出 download of the list's
// current filters.
import { ref } from 'vue'
import { ElMessage, ElMessageBox } from 'element-plus'
import { useTable } from '@/composables/useTable'
import { saveBlob } from '@/utils/download'
import { showError } from '@/utils/errors'
import { t } from '@/locales'

/**
 * fetch(params) => Promise<{ items, total }>; with paged: false the list is
 * one page (a tree) and the query has no page or size.
 * name(row): how a row is named in the confirms (default row.name).
 * toggle: { save(row, next) => Promise, confirm(row, next, action) => string,
 *   done: string } - confirm defaults to master.confirmToggle.
 * remove: { one(row) => Promise, pick(list) => list | null } - pick may drop
 *   rows that cannot go (and say why); an empty or null list stops.
 * exporter: { download(filters) => Promise<{ blob, filename }>, filename() }.
 */
export function useListPage({ fetch, defaults, transform, size, paged = true, name = (row) => row.name, toggle, remove, exporter } = {}) {
  const table = useTable(fetch, { defaults, transform, size, paged })
  const { query, selection, load } = table

  // The filters the list is loaded with, without the page.
  function filters() {
    const { page, size: _size, ...rest } = transform ? transform({ ...query }) : { ...query }
    return rest
  }

  async function confirm(message, title, options) {
    try {
      await ElMessageBox.confirm(message, title, { type: 'warning', ...options })
      return true
    } catch {
      return false
    }
  }

  async function toggleRow(row) {
    const next = !row.enabled
    const action = next ? t('common.enable') : t('common.disable')
    const message = toggle.confirm ? toggle.confirm(row, next, action) : t('master.confirmToggle', { action, name: name(row) })
    if (!(await confirm(message, t('common.tip')))) return
    try {
      await toggle.save(row, next)
      row.enabled = next
      ElMessage.success(toggle.done ?? t('common.updated'))
    } catch (err) {
      showError(err)
    }
  }

  async function removeRows(row) {
    let list = row ? [row] : selection.value
    if (remove.pick) list = remove.pick(list)
    if (!list?.length) return
    const message = list.length === 1 ? t('common.confirmRemove', { name: name(list[0]) }) : t('common.confirmRemoveMany', { count: list.length })
    if (!(await confirm(message, t('common.warning'), { confirmButtonText: t('common.remove') }))) return
    try {
      for (const r of list) await remove.one(r)
      ElMessage.success(t('common.removed'))
    } catch (err) {
      showError(err)
    }
    load()
  }

  const exporting = ref(false)
  async function doExport() {
    exporting.value = true
    try {
      saveBlob(await exporter.download(filters()), exporter.filename())
    } catch (err) {
      showError(err)
    } finally {
      exporting.value = false
    }
  }

  const importOpen = ref(false)

  return { ...table, filters, confirm, toggle: toggleRow, remove: removeRows, exporting, doExport, importOpen }
}

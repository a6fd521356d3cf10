// The 导出 button of a master data list: download the xlsx the server builds
// for the list's filters and hand it to the browser, with a busy flag.
import { ref } from 'vue'
import { saveBlob } from '@/utils/download'
import { showError } from '@/utils/errors'

/** download: (params) => Promise<{ blob, filename }>; fallbackName: () => string. */
export function useExport(download, fallbackName) {
  const exporting = ref(false)
  async function doExport(params) {
    exporting.value = true
    try {
      saveBlob(await download(params), fallbackName())
    } catch (err) {
      showError(err)
    } finally {
      exporting.value = false
    }
  }
  return { exporting, doExport }
}

// The unit tree the user may see, for filters and pickers.
import { ref } from 'vue'
import { unitTree } from '@/api/units'
import { asTree } from '@/utils/tree'
import { showError } from '@/utils/errors'

export function useUnitTree() {
  const tree = ref([])
  const loading = ref(false)
  async function loadTree() {
    loading.value = true
    try {
      const res = await unitTree()
      tree.value = asTree(res?.items)
    } catch (err) {
      showError(err)
    } finally {
      loading.value = false
    }
  }
  return { tree, loading, loadTree }
}

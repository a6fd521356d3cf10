// The state every list page shares: a query (search form + page + size), the
// rows and total of the current page, loading, the selected rows, and the
// search / reset / reload actions. `fetch(params)` must resolve to
// { items, total } as every list endpoint answers.
import { ref, reactive, computed } from 'vue'
import { showError } from '@/utils/errors'

export function useTable(fetch, { defaults = {}, size = 20, transform, paged = true } = {}) {
  // An unpaged list (a tree table) has no page and size in its query.
  const initial = () => ({ ...JSON.parse(JSON.stringify(defaults)), ...(paged ? { page: 1, size } : {}) })
  const query = reactive(initial())
  const rows = ref([])
  const total = ref(0)
  const loading = ref(false)
  const selection = ref([])
  let seq = 0

  async function load() {
    const mine = ++seq
    loading.value = true
    try {
      const params = transform ? transform({ ...query }) : { ...query }
      const res = await fetch(params)
      if (mine !== seq) return
      rows.value = res?.items ?? []
      total.value = res?.total ?? rows.value.length
      // The last row of the last page was deleted: step back one page.
      if (paged && !rows.value.length && total.value > 0 && query.page > 1) {
        query.page = Math.max(1, Math.ceil(total.value / query.size))
        return load()
      }
    } catch (err) {
      if (mine === seq) showError(err)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function search() {
    if (paged) query.page = 1
    return load()
  }

  function reset() {
    const fresh = initial()
    for (const key of Object.keys(query)) delete query[key]
    Object.assign(query, fresh, paged ? { size: query.size || size } : {})
    return load()
  }

  const single = computed(() => selection.value.length !== 1)
  const multiple = computed(() => selection.value.length === 0)
  const onSelectionChange = (list) => {
    selection.value = list
  }

  return { query, rows, total, loading, selection, single, multiple, load, search, reset, onSelectionChange }
}

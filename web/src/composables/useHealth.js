// Polls GET /api/v1/health while the calling component is mounted. Checks
// never overlap: the next one is scheduled when the previous one settles, and
// a manual refresh restarts the interval. A hidden tab is not polled.
import { ref, computed, onMounted, onBeforeUnmount } from 'vue'
import { getHealth } from '@/api/system'

export function useHealth({ intervalMs = 10000 } = {}) {
  const health = ref(null) // last answer: { status, db, version }
  const reachable = ref(null) // null until the first check settles
  const checkedAt = ref(null)
  const loading = ref(false)

  let timer = null
  let controller = null
  let stopped = false

  const ok = computed(() => reachable.value === true && health.value?.status === 'ok')

  function schedule() {
    clearTimeout(timer)
    if (!stopped) timer = setTimeout(check, intervalMs)
  }

  async function check() {
    clearTimeout(timer)
    if (document.hidden && reachable.value !== null) {
      schedule()
      return
    }
    controller?.abort()
    controller = new AbortController()
    const mine = controller
    loading.value = true
    try {
      health.value = await getHealth({ signal: mine.signal })
      reachable.value = true
    } catch (err) {
      if (mine.signal.aborted) return // superseded by a newer check or unmount
      health.value = null
      reachable.value = false
    } finally {
      if (controller === mine) {
        loading.value = false
        checkedAt.value = new Date()
        schedule()
      }
    }
  }

  function onVisible() {
    if (!document.hidden) check()
  }

  onMounted(() => {
    document.addEventListener('visibilitychange', onVisible)
    check()
  })
  onBeforeUnmount(() => {
    stopped = true
    clearTimeout(timer)
    controller?.abort()
    document.removeEventListener('visibilitychange', onVisible)
  })

  return { health, reachable, ok, checkedAt, loading, refresh: check }
}

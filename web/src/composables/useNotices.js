// The in-app notices (待办提醒) of the signed-in user's units (for the
// office: its own queue, 待受理 and 待复核): one shared
// state that the desktop header's bell and the phone home page read. While at
// least one of them is mounted it is refreshed every minute (not while the
// tab is hidden); refreshNotices() asks at once, e.g. after navigation.
import { reactive, onMounted, onBeforeUnmount } from 'vue'
import { getNotices } from '@/api/rankings'
import { can } from '@/stores/session'
import { PERM } from '@/utils/permissions'

const INTERVAL_MS = 60000

export const notices = reactive({
  mode: 'unit', // 'office': the office's own queue (待受理, 待复核)
  counts: { assigned: 0, due_soon: 0, overdue: 0, to_accept: 0, to_verify: 0, total: 0 },
  items: [],
  // materials and plan tasks waiting (GET /notices' "work"); the badge adds its total
  work: { materials_to_submit: 0, materials_to_review: 0, tasks_report_missing: 0, total: 0 },
  loaded: false,
})

let timer = null
let users = 0
let inflight = null

/** Ask GET /notices now (one request at a time); failures keep the last answer. */
export async function refreshNotices() {
  if (!can(PERM.problem.view)) return
  if (inflight) return inflight
  inflight = (async () => {
    try {
      const body = await getNotices({ timeout: 15000 })
      notices.mode = body.mode || 'unit'
      notices.counts = { to_accept: 0, to_verify: 0, ...body.counts }
      notices.items = body.items
      if (body.work) notices.work = body.work
      notices.loaded = true
    } catch {
      /* a dropped poll is retried on the next tick; a 401 is the session handler's */
    } finally {
      inflight = null
    }
  })()
  return inflight
}

function tick() {
  if (!document.hidden) refreshNotices()
}

/** Keep the notices fresh while the calling component is mounted. */
export function useNotices() {
  onMounted(() => {
    if (users++ === 0) {
      refreshNotices()
      timer = setInterval(tick, INTERVAL_MS)
    }
  })
  onBeforeUnmount(() => {
    if (--users === 0) {
      clearInterval(timer)
      timer = null
    }
  })
  return notices
}

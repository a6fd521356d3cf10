// The tabs of opened pages under the top bar. The home tab is fixed (affix);
// the others close. Each tab remembers its view's component name, and the
// names of the open tabs feed <keep-alive>, so going back to a tab keeps its
// search form, page and scroll; closing a tab drops its cached view.
import { reactive, computed } from 'vue'

export const tabs = reactive({
  visited: [], // { path, fullPath, name, title, affix, icon, view }
  refreshing: null, // view name being re-mounted by 刷新
})

function viewName(route) {
  const record = route.matched[route.matched.length - 1]
  const comp = record?.components?.default
  return comp?.name || comp?.__name || null
}

export const cachedViews = computed(() =>
  tabs.visited.map((v) => v.view).filter((n) => n && n !== tabs.refreshing),
)

export function addTab(route) {
  if (!route.name || route.meta.hidden || route.meta.public) return
  const view = viewName(route)
  const existing = tabs.visited.find((v) => v.path === route.path)
  if (existing) {
    existing.fullPath = route.fullPath
    existing.view = existing.view || view
    return
  }
  const tab = {
    path: route.path,
    fullPath: route.fullPath,
    name: route.name,
    title: route.meta.title,
    affix: !!route.meta.affix,
    icon: route.meta.icon,
    view,
  }
  if (tab.affix) tabs.visited.unshift(tab)
  else tabs.visited.push(tab)
}

/** Make sure the fixed tabs (routes with meta.affix, i.e. 首页) are there, first. */
export function addAffixTabs(records) {
  for (const r of records.filter((x) => x.meta?.affix).reverse()) {
    if (tabs.visited.some((v) => v.path === r.path)) continue
    tabs.visited.unshift({ path: r.path, fullPath: r.path, name: r.name, title: r.meta.title, affix: true, icon: r.meta.icon, view: null })
  }
}

/** Close one tab; returns the tab to show next (its right neighbour, else the left). */
export function closeTab(path) {
  const i = tabs.visited.findIndex((v) => v.path === path)
  if (i < 0 || tabs.visited[i].affix) return null
  tabs.visited.splice(i, 1)
  return tabs.visited[Math.min(i, tabs.visited.length - 1)] || null
}

export function closeOthers(path) {
  tabs.visited = tabs.visited.filter((v) => v.affix || v.path === path)
}

export function closeLeft(path) {
  const i = tabs.visited.findIndex((v) => v.path === path)
  tabs.visited = tabs.visited.filter((v, j) => v.affix || j >= i)
}

export function closeRight(path) {
  const i = tabs.visited.findIndex((v) => v.path === path)
  tabs.visited = tabs.visited.filter((v, j) => v.affix || j <= i)
}

export function closeAll() {
  tabs.visited = tabs.visited.filter((v) => v.affix)
}

/** Forget every tab (logout: the next user starts clean). */
export function resetTabs() {
  tabs.visited = []
  tabs.refreshing = null
}

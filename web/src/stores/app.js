// Layout state: the sidebar (collapsed or not, remembered per browser) and
// whether the screen is narrow enough to turn the sidebar into a drawer.
import { reactive } from 'vue'

const KEY = 'wm.sidebarCollapsed'
const MOBILE_MAX = 991

function stored() {
  try {
    return localStorage.getItem(KEY) === '1'
  } catch {
    return false
  }
}

export const layout = reactive({
  collapsed: stored(), // desktop: icons only
  mobile: typeof window !== 'undefined' && window.innerWidth <= MOBILE_MAX,
  drawerOpen: false, // mobile: sidebar shown over the page
})

export function toggleSidebar() {
  if (layout.mobile) {
    layout.drawerOpen = !layout.drawerOpen
    return
  }
  layout.collapsed = !layout.collapsed
  try {
    localStorage.setItem(KEY, layout.collapsed ? '1' : '0')
  } catch {
    /* private mode: not remembered */
  }
}

export function closeDrawer() {
  layout.drawerOpen = false
}

export function watchScreen() {
  const update = () => {
    const mobile = window.innerWidth <= MOBILE_MAX
    if (mobile !== layout.mobile) {
      layout.mobile = mobile
      layout.drawerOpen = false
    }
  }
  window.addEventListener('resize', update)
  update()
  return () => window.removeEventListener('resize', update)
}

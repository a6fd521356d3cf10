import { createApp } from 'vue'
import { ElMessage } from 'element-plus'
import 'element-plus/dist/index.css'
import './styles/index.css'
import App from './App.vue'
import router from './router'
import { setAuthHandlers } from './api/client'
import { session, clear, loadMe } from './stores/session'
import { t } from './locales'
import { nameImageViewers } from './utils/a11y'

// Session-wide reactions to the API's 401 and 403, in one place: an expired
// or revoked session goes back to the login page (once, however many
// requests fail together); a missing permission is a short message.
let expiring = false
setAuthHandlers({
  onUnauthorized(err) {
    err.handled = true
    if (expiring) return
    const here = router.currentRoute.value
    if (here.meta.public) return
    expiring = true
    if (session.me) ElMessage.warning({ message: t('session.expired'), grouping: true })
    clear()
    router
      .replace({ name: 'login', query: { ...(here.fullPath === '/' ? {} : { redirect: here.fullPath }), expired: '1' } })
      .finally(() => {
        expiring = false
      })
  },
  onForbidden(err) {
    err.handled = true
    if (err.code === 'csrf_failed') {
      // Another tab logged in again and the token changed: fetch the new one.
      loadMe().catch(() => {})
      ElMessage.warning({ message: t('session.csrf'), grouping: true })
      return
    }
    ElMessage.error({ message: t('session.forbidden'), grouping: true })
  },
})

// Element Plus components are imported where they are used (tree-shaken);
// only its stylesheet is global, so every component looks right wherever it
// appears without per-component style imports.
createApp(App).use(router).mount('#app')
nameImageViewers(t)

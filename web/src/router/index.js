import { createRouter, createWebHistory } from 'vue-router'
import { t } from '@/locales'
import HomeView from '@/views/HomeView.vue'

// meta.title is a message-catalogue key; the admin shell will add meta such as
// permissions and menu icons to the same records.
const routes = [
  {
    path: '/',
    name: 'home',
    component: HomeView,
    meta: { title: 'route.home' },
  },
  {
    // The server answers unknown non-API paths with index.html, so every
    // mistyped address ends here rather than at a bare server 404.
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/views/NotFoundView.vue'),
    meta: { title: 'route.notFound' },
  },
]

const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
  scrollBehavior: (to, from, saved) => saved ?? { top: 0 },
})

router.afterEach((to) => {
  const app = t('app.title')
  const page = to.meta.title ? t(to.meta.title) : ''
  document.title = page && page !== app ? `${page} - ${app}` : app
})

export default router

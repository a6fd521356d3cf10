import { createRouter, createWebHistory } from 'vue-router'
import { ElMessage } from 'element-plus'
import { t } from '@/locales'
import { session, loadMe, can, isPlatformAdmin } from '@/stores/session'
import { PERM } from '@/utils/permissions'
import AdminLayout from '@/layout/AdminLayout.vue'

// meta: title (message key), perm (permission needed to open the page),
// platformAdmin (only for platform administrators), public (no login
// needed), affix (a tab that cannot be closed), icon (tab/breadcrumb icon).
const routes = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/LoginView.vue'),
    meta: { title: 'route.login', public: true },
  },
  {
    path: '/',
    component: AdminLayout,
    children: [
      {
        path: '',
        name: 'home',
        component: () => import('@/views/DashboardView.vue'),
        meta: { title: 'route.home', affix: true, icon: 'HomeFilled' },
      },
      {
        path: 'dashboard',
        name: 'cockpit',
        component: () => import('@/views/cockpit/CockpitView.vue'),
        meta: { title: 'route.cockpit', perm: PERM.dashboard.view, icon: 'DataBoard' },
        // /dashboard?wall=1 is the wall display
        beforeEnter: (to) => (to.query.wall ? { name: 'wall', query: { minutes: to.query.minutes } } : true),
      },
      {
        path: 'profile',
        name: 'profile',
        component: () => import('@/views/ProfileView.vue'),
        meta: { title: 'route.profile', icon: 'User' },
      },
      {
        path: 'problems',
        name: 'problems',
        component: () => import('@/views/problem/ProblemsView.vue'),
        meta: { title: 'route.problems', parent: 'route.problem', perm: PERM.problem.view, icon: 'List' },
      },
      {
        path: 'problems/:id(\\d+)',
        name: 'problem-detail',
        component: () => import('@/views/problem/ProblemDetailView.vue'),
        meta: { title: 'route.problemDetail', parent: 'route.problem', perm: PERM.problem.view, icon: 'Warning' },
      },
      {
        path: 'plans',
        name: 'plans',
        component: () => import('@/views/plan/PlansView.vue'),
        meta: { title: 'route.plans', parent: 'route.plan', perm: PERM.plan.view, icon: 'Calendar' },
      },
      {
        path: 'tasks',
        name: 'tasks',
        component: () => import('@/views/plan/TasksView.vue'),
        meta: { title: 'route.tasks', parent: 'route.plan', perm: PERM.plan.view, icon: 'List' },
      },
      {
        path: 'meetings',
        name: 'meetings',
        component: () => import('@/views/plan/MeetingsView.vue'),
        meta: { title: 'route.meetings', parent: 'route.plan', perm: PERM.plan.view, icon: 'ChatDotSquare' },
      },
      {
        path: 'announcements',
        name: 'announcements',
        component: () => import('@/views/plan/AnnouncementsView.vue'),
        meta: { title: 'route.announcements', parent: 'route.plan', perm: PERM.plan.view, icon: 'Bell' },
      },
      {
        path: 'archives',
        name: 'archives',
        component: () => import('@/views/plan/ArchivesView.vue'),
        meta: { title: 'route.archives', parent: 'route.plan', perm: PERM.plan.view, icon: 'FolderChecked' },
      },
      {
        path: 'bulletins',
        name: 'bulletins',
        component: () => import('@/views/bulletin/BulletinsView.vue'),
        meta: { title: 'route.bulletins', parent: 'route.bulletin', perm: PERM.bulletin.view, icon: 'Notification' },
      },
      {
        path: 'bulletins/:id(\\d+)',
        name: 'bulletin-detail',
        component: () => import('@/views/bulletin/BulletinDetailView.vue'),
        meta: { title: 'route.bulletinDetail', parent: 'route.bulletin', perm: PERM.bulletin.view, icon: 'Notification' },
      },
      {
        path: 'rankings',
        name: 'rankings',
        component: () => import('@/views/problem/RankingsView.vue'),
        meta: { title: 'route.rankings', parent: 'route.problem', perm: PERM.problem.ranking, icon: 'Histogram' },
      },
      {
        path: 'system/settings',
        name: 'settings',
        component: () => import('@/views/system/SettingsView.vue'),
        meta: { title: 'route.settings', parent: 'route.system', perm: PERM.setting.view, icon: 'Tools' },
      },
      {
        path: 'sheets',
        name: 'sheets',
        component: () => import('@/views/sheet/SheetsView.vue'),
        meta: { title: 'route.sheets', parent: 'route.problem', perm: PERM.problem.view, icon: 'Tickets' },
      },
      {
        path: 'sheets/:id(\\d+)',
        name: 'sheet-detail',
        component: () => import('@/views/sheet/SheetDetailView.vue'),
        meta: { title: 'route.sheetDetail', parent: 'route.problem', perm: PERM.problem.view, icon: 'Tickets' },
      },
      {
        path: 'map',
        name: 'map',
        component: () => import('@/views/map/MapView.vue'),
        meta: { title: 'route.map', parent: 'route.problem', perm: PERM.problem.view, icon: 'MapLocation' },
      },
      {
        path: 'inspection/frameworks',
        name: 'eval-frameworks',
        component: () => import('@/views/eval/FrameworksView.vue'),
        meta: { title: 'route.frameworks', parent: 'route.inspection', perm: PERM.inspection.frameworkView, icon: 'Tickets' },
      },
      {
        path: 'inspection/frameworks/:id(\\d+)',
        name: 'eval-framework',
        component: () => import('@/views/eval/FrameworkDetailView.vue'),
        meta: { title: 'route.framework', parent: 'route.inspection', perm: PERM.inspection.frameworkView, icon: 'Tickets' },
      },
      {
        path: 'inspection/checklists',
        name: 'eval-checklists',
        component: () => import('@/views/eval/ChecklistsView.vue'),
        meta: { title: 'route.checklists', parent: 'route.inspection', perm: PERM.inspection.frameworkView, icon: 'Checked' },
      },
      {
        path: 'inspection/rounds',
        name: 'eval-rounds',
        component: () => import('@/views/eval/RoundsView.vue'),
        meta: { title: 'route.rounds', parent: 'route.inspection', perm: PERM.inspection.roundView, icon: 'Aim' },
      },
      {
        path: 'inspection/rounds/:id(\\d+)',
        name: 'eval-round',
        component: () => import('@/views/eval/RoundDetailView.vue'),
        meta: { title: 'route.round', parent: 'route.inspection', perm: PERM.inspection.roundView, icon: 'Aim' },
      },
      {
        path: 'inspection/rounds/:id(\\d+)/score',
        name: 'eval-round-score',
        component: () => import('@/views/eval/RoundScoreView.vue'),
        meta: { title: 'route.roundScore', parent: 'route.inspection', perm: PERM.inspection.roundView, icon: 'DataAnalysis' },
      },
      {
        path: 'surveys',
        name: 'surveys',
        component: () => import('@/views/survey/SurveysView.vue'),
        meta: { title: 'route.surveys', perm: PERM.survey.view, icon: 'EditPen' },
      },
      {
        path: 'surveys/new',
        name: 'survey-new',
        component: () => import('@/views/survey/SurveyDetailView.vue'),
        meta: { title: 'route.surveyNew', perm: PERM.survey.edit, icon: 'EditPen' },
      },
      {
        path: 'surveys/:id(\\d+)',
        name: 'survey',
        component: () => import('@/views/survey/SurveyDetailView.vue'),
        meta: { title: 'route.survey', perm: PERM.survey.view, icon: 'EditPen' },
      },
      {
        path: 'system/units',
        name: 'units',
        component: () => import('@/views/system/UnitsView.vue'),
        meta: { title: 'route.units', parent: 'route.system', perm: PERM.unit.view, icon: 'OfficeBuilding' },
      },
      {
        path: 'system/users',
        name: 'users',
        component: () => import('@/views/system/UsersView.vue'),
        meta: { title: 'route.users', parent: 'route.system', perm: PERM.user.view, icon: 'User' },
      },
      {
        path: 'system/roles',
        name: 'roles',
        component: () => import('@/views/system/RolesView.vue'),
        meta: { title: 'route.roles', parent: 'route.system', perm: PERM.role.view, icon: 'UserFilled' },
      },
      {
        path: 'system/audit',
        name: 'audit',
        component: () => import('@/views/system/AuditView.vue'),
        meta: { title: 'route.audit', parent: 'route.system', perm: PERM.audit.view, icon: 'Document' },
      },
      {
        path: 'system/logins',
        name: 'logins',
        component: () => import('@/views/system/LoginsView.vue'),
        meta: { title: 'route.logins', parent: 'route.system', perm: PERM.login.view, icon: 'Key' },
      },
      {
        path: 'system/sessions',
        name: 'sessions',
        component: () => import('@/views/system/SessionsView.vue'),
        meta: { title: 'route.sessions', parent: 'route.system', perm: PERM.session.view, icon: 'Monitor' },
      },
      {
        path: 'system/tenants',
        name: 'tenants',
        component: () => import('@/views/system/TenantsView.vue'),
        meta: { title: 'route.tenants', parent: 'route.system', platformAdmin: true, icon: 'School' },
      },
      {
        path: 'master/categories',
        name: 'categories',
        component: () => import('@/views/master/CategoriesView.vue'),
        meta: { title: 'route.categories', parent: 'route.master', perm: PERM.category.view, icon: 'Collection' },
      },
      {
        path: 'master/grids',
        name: 'grids',
        component: () => import('@/views/master/GridsView.vue'),
        meta: { title: 'route.grids', parent: 'route.master', perm: PERM.grid.view, icon: 'Grid' },
      },
      {
        path: 'master/point-types',
        name: 'point-types',
        component: () => import('@/views/master/PointTypesView.vue'),
        meta: { title: 'route.pointTypes', parent: 'route.master', perm: PERM.point.view, icon: 'Files' },
      },
      {
        path: 'master/points',
        name: 'points',
        component: () => import('@/views/master/PointsView.vue'),
        meta: { title: 'route.points', parent: 'route.master', perm: PERM.point.view, icon: 'Location' },
      },
      {
        path: 'materials/items',
        name: 'materials',
        component: () => import('@/views/materials/MaterialsView.vue'),
        meta: { title: 'route.materials', parent: 'route.materialsGroup', perm: PERM.materials.view, icon: 'Document' },
      },
      {
        path: 'materials/items/:id(\\d+)',
        name: 'material-detail',
        component: () => import('@/views/materials/MaterialDetailView.vue'),
        meta: { title: 'route.material', parent: 'route.materialsGroup', perm: PERM.materials.view, icon: 'Document' },
      },
      {
        path: 'materials/progress',
        name: 'materials-progress',
        component: () => import('@/views/materials/ProgressView.vue'),
        meta: { title: 'route.materialsProgress', parent: 'route.materialsGroup', perm: PERM.materials.view, icon: 'Grid' },
      },
      {
        path: 'materials/score',
        name: 'materials-score',
        component: () => import('@/views/materials/ScoreView.vue'),
        meta: { title: 'route.materialsScore', parent: 'route.materialsGroup', perm: PERM.materials.export, icon: 'TrendCharts' },
      },
      {
        path: 'assessments',
        name: 'assessments',
        component: () => import('@/views/assess/AssessmentsView.vue'),
        meta: { title: 'route.assessments', parent: 'route.assess', perm: PERM.assess.view, icon: 'Medal' },
      },
      {
        path: 'assessments/:id(\\d+)',
        name: 'assessment-detail',
        component: () => import('@/views/assess/AssessmentDetailView.vue'),
        meta: { title: 'route.assessment', parent: 'route.assess', perm: PERM.assess.view, icon: 'Medal' },
      },
      {
        path: 'accountability',
        name: 'accountability',
        component: () => import('@/views/assess/AccountabilityView.vue'),
        meta: { title: 'route.accountability', parent: 'route.assess', perm: PERM.accountability.view, icon: 'Warning' },
      },
      {
        // Re-mounts a page: the tab menu's 刷新 goes here and straight back.
        path: 'redirect/:path(.*)',
        name: 'redirect',
        component: () => import('@/views/RedirectView.vue'),
        meta: { hidden: true },
      },
    ],
  },
  // The 驾驶舱 on a 1920×1080 wall display: full screen, outside the layout.
  {
    path: '/wall',
    name: 'wall',
    component: () => import('@/views/cockpit/CockpitView.vue'),
    props: { wall: true },
    meta: { title: 'route.wall', perm: PERM.dashboard.view },
  },
  // Phone pages (Vant), outside the desktop layout; they still need a login.
  {
    path: '/m/dashboard',
    name: 'm-cockpit',
    component: () => import('@/views/mobile/MobileCockpit.vue'),
    meta: { title: 'route.mobileCockpit', perm: PERM.dashboard.view },
  },
  {
    path: '/m',
    name: 'm-home',
    component: () => import('@/views/mobile/MobileHome.vue'),
    meta: { title: 'route.mobileHome' },
  },
  {
    path: '/m/report',
    name: 'm-report',
    component: () => import('@/views/mobile/MobileReport.vue'),
    meta: { title: 'route.mobileReport', perm: PERM.problem.report },
  },
  {
    path: '/m/plan-tasks',
    name: 'm-plan-tasks',
    component: () => import('@/views/mobile/MobilePlanTasks.vue'),
    meta: { title: 'route.mobilePlanTasks', perm: PERM.plan.view },
  },
  {
    path: '/m/announcements',
    name: 'm-announcements',
    component: () => import('@/views/mobile/MobileNotices.vue'),
    meta: { title: 'route.mobileNotices', perm: PERM.plan.view },
  },
  {
    path: '/m/tasks',
    name: 'm-tasks',
    component: () => import('@/views/mobile/MobileTasks.vue'),
    meta: { title: 'route.mobileTasks', perm: PERM.problem.view },
  },
  {
    path: '/m/problems/:id(\\d+)',
    name: 'm-problem',
    component: () => import('@/views/mobile/MobileProblem.vue'),
    meta: { title: 'route.mobileProblem', perm: PERM.problem.view },
  },
  // Field inspection on a phone; the three pages share one chunk so a point
  // opens while offline once the round page has loaded.
  {
    path: '/m/inspections',
    name: 'm-inspections',
    component: () => import('@/views/mobile/MobileInspections.vue'),
    meta: { title: 'route.mobileInspections', perm: PERM.inspection.roundView },
  },
  {
    path: '/m/inspections/:id(\\d+)',
    name: 'm-inspection',
    component: () => import('@/views/mobile/MobileInspection.vue'),
    meta: { title: 'route.mobileInspection', perm: PERM.inspection.roundView },
  },
  {
    path: '/m/inspections/:id(\\d+)/points/:pointId(\\d+)',
    name: 'm-inspection-point',
    component: () => import('@/views/mobile/MobileInspectionPoint.vue'),
    meta: { title: 'route.mobileInspectionPoint', perm: PERM.inspection.roundView },
  },
  // Questionnaires: a surveyor's phone pages (offline outbox) and the public
  // form residents open by link or QR code, without logging in.
  {
    path: '/m/surveys',
    name: 'm-surveys',
    component: () => import('@/views/mobile/MobileSurveys.vue'),
    meta: { title: 'route.mobileSurveys', perm: PERM.survey.respond },
  },
  {
    path: '/m/surveys/:id(\\d+)',
    name: 'm-survey',
    component: () => import('@/views/mobile/MobileSurveyFill.vue'),
    meta: { title: 'route.mobileSurveys', perm: PERM.survey.respond },
  },
  {
    path: '/s/:token',
    name: 'public-survey',
    component: () => import('@/views/public/PublicSurveyView.vue'),
    meta: { title: 'route.publicSurvey', public: true },
  },
  {
    path: '/m/materials',
    name: 'm-materials',
    component: () => import('@/views/mobile/MobileMaterials.vue'),
    meta: { title: 'route.mobileMaterials', perm: PERM.materials.view },
  },
  {
    path: '/m/materials/:id(\\d+)',
    name: 'm-material',
    component: () => import('@/views/mobile/MobileMaterial.vue'),
    meta: { title: 'route.mobileMaterial', perm: PERM.materials.view },
  },
  {
    path: '/m/assessments',
    name: 'm-assessments',
    component: () => import('@/views/mobile/MobileAssessments.vue'),
    meta: { title: 'route.mobileAssessments', perm: PERM.assess.view },
  },
  {
    // The server answers unknown non-API paths with index.html, so every
    // mistyped address ends here rather than at a bare server 404.
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/views/NotFoundView.vue'),
    meta: { title: 'route.notFound', public: true },
  },
]

const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
  scrollBehavior: (to, from, saved) => saved ?? { top: 0 },
})

/** A safe place to return to after login: an in-app path, never /login. */
export function safeRedirect(value) {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/'
  if (value === '/login' || value.startsWith('/login?')) return '/'
  return value
}

/** A phone-sized screen (narrower than 768 px) works on the phone pages. */
export const isPhoneScreen = () => typeof window !== 'undefined' && window.innerWidth < 768

/** A county leader's first screen is the 驾驶舱 (a leader reads; the office works the loop). */
const isLeader = () => (session.me?.roles || []).includes('leader') && can(PERM.dashboard.view)

/**
 * Where a login lands: the redirect, except that a phone goes to /m instead
 * of the desk's home, and a county leader to the 驾驶舱 (desk or phone).
 */
export function landing(value) {
  const to = safeRedirect(value)
  if (to !== '/') return to
  if (isLeader()) return isPhoneScreen() ? '/m/dashboard' : '/dashboard'
  return isPhoneScreen() ? '/m' : to
}

router.beforeEach(async (to) => {
  // Start-up: ask GET /me once; a 401 just means "not signed in".
  if (!session.checked) {
    try {
      await loadMe()
    } catch {
      /* signed out, or the server is unreachable: public pages still work */
    }
  }
  if (to.meta.public) {
    if (to.name === 'login' && session.me) return landing(to.query.redirect)
    return true
  }
  if (!session.me) {
    return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  }
  if ((to.meta.perm && !can(to.meta.perm)) || (to.meta.platformAdmin && !isPlatformAdmin())) {
    ElMessage.error(t('session.forbidden'))
    return router.currentRoute.value.matched.length ? false : { name: 'home' }
  }
  return true
})

router.afterEach((to) => {
  const app = t('app.title')
  const page = to.meta.title ? t(to.meta.title) : ''
  document.title = page && page !== app ? `${page} - ${app}` : app
})

export default router

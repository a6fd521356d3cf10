// Each demo role's first screen and every page of its menu, against a running
// wenming server holding the demo county (WENMING_URL): on a 1366×768 desk the
// home shows the role's own cards (GET /home), its menu only what it works
// with, and no page it can open calls an endpoint its role is refused (a 403
// is a console error, which fails the test); on a 375×812 phone a login lands
// on /m, which shows the role's own work. axe-core (WCAG 2 A and AA) finds no
// serious or critical violation on any page visited.
//
// Works whether the demo county has problems or not: the cards' counts are
// compared with GET /home, not with fixed numbers.
//
// Env: WENMING_URL, WENMING_DEMO_PASSWORD, WENMING_SCREENSHOTS.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  baseUrl,
  launchBrowser,
  openPage,
  signIn,
  shot,
  callApi,
  assertAccessible,
  noSidewaysScroll,
  a11yChecked,
  DESKTOP,
  PHONE,
} from './browser.mjs'

const BASE = baseUrl()
const PASSWORD = process.env.WENMING_DEMO_PASSWORD
if (!PASSWORD) throw new Error('WENMING_DEMO_PASSWORD is not set: pass the password `wenming demo` printed')

// user → the cards its home shows, and the most its menu may hold (entries with a page):
// a unit's work is its problems, 任务台账, 材料, 通知公告, 资料归档 and 考核结果
const ROLES = {
  office01: { cards: ['office_queue', 'today', 'work', 'overdue_units'], mobile: 'm-notices' },
  dept01: { cards: ['unit_work', 'unit_rates', 'work'], menuMax: 9, mobile: 'm-notices' },
  dept01s: { cards: ['unit_work', 'unit_rates', 'work'], menuMax: 8, mobile: 'm-notices' },
  insp01: { cards: ['inspector_rounds'], menuMax: 3, mobile: 'm-rounds' },
  // a county leader lands on the 驾驶舱 (desk and phone); its home is one click away
  leader01: { cards: ['prediction', 'overdue_units'], mobile: 'm-prediction', lands: '/dashboard', phoneLands: '/m/dashboard' },
  town01: { cards: ['unit_work', 'unit_rates', 'work'], menuMax: 9, mobile: 'm-notices' },
}

let browser
before(async () => {
  browser = await launchBrowser()
})
after(async () => {
  console.log(`axe checked ${a11yChecked.length} page states`)
  await browser?.close()
})

/** The menu's pages: [{ key, title, path }]. */
function menuPages(me) {
  const out = []
  for (const g of me.menu || []) for (const c of g.children?.length ? g.children : [g]) if (c.path) out.push(c)
  return out
}

/** Wait until the page's requests have settled and no loading mask shows. */
async function settle(page) {
  await page.waitForLoadState('networkidle', { timeout: 15000 }).catch(() => {})
  await page.waitForFunction(() => !document.querySelector('.el-loading-mask, .el-skeleton'), null, { timeout: 15000 }).catch(() => {})
  await page.waitForTimeout(200)
}

for (const [user, want] of Object.entries(ROLES)) {
  test(`${user}: the desk's first screen is its own work, and every menu page opens without a refused call`, async () => {
    const { context, page, problems } = await openPage(browser, DESKTOP)
    try {
      await signIn(page, BASE, user, PASSWORD)
      assert.equal(new URL(page.url()).pathname, want.lands || '/')
      if (want.lands) await page.goto(`${BASE}/`)
      await page.locator('[data-testid=home-cards]').waitFor()
      for (const key of want.cards) await page.locator(`[data-testid=home-card-${key}]`).waitFor({ timeout: 15000 })
      await settle(page)
      const home = (await callApi(page, 'GET', '/home')).data
      assert.deepEqual(home.cards.map((c) => c.key), want.cards)
      // the numbers on the cards are the API's
      const card = (key) => home.cards.find((c) => c.key === key)
      const count = async (id) => (await page.locator(`[data-testid=home-count-${id}] b`).first().innerText()).trim()
      if (card('office_queue')) {
        assert.equal(await count('to-accept'), String(card('office_queue').to_accept))
        assert.equal(await count('to-verify'), String(card('office_queue').to_verify))
      }
      if (card('unit_work')) assert.equal(await count('to-sign'), String(card('unit_work').to_sign))
      if (card('inspector_rounds')) assert.equal(await count('points-left'), String(card('inspector_rounds').points_left))
      const work = card('work')
      if (work) {
        // materials and plan tasks waiting: the card's tiles and the bell's badge are the API's
        assert.equal(await count('tasks-report'), String(work.tasks_report_missing))
        if (user === 'office01') assert.equal(await count('materials-review'), String(work.materials_to_review))
        else assert.equal(await count('materials-submit'), String(work.materials_to_submit))
        const n = (await callApi(page, 'GET', '/notices')).data
        const badge = n.counts.total + n.work.total
        if (badge) assert.equal((await page.locator('[data-testid=notice-badge] sup').innerText()).trim(), badge > 99 ? '99+' : String(badge))
      }
      // system facts are the administrators' only
      assert.equal(await page.locator('[data-testid=stat-units]').count(), 0)
      await shot(page, `home-${user}.png`)

      const me = (await callApi(page, 'GET', '/me')).data
      const pages = menuPages(me).filter((m) => m.path !== '/')
      if (want.menuMax) assert.ok(pages.length <= want.menuMax, `${user}'s menu has ${pages.length} entries: ${pages.map((m) => m.title)}`)
      for (const m of pages) {
        await page.goto(`${BASE}${m.path}`)
        await settle(page)
        assert.equal(new URL(page.url()).pathname, m.path, `${user} could not stay on ${m.title}`)
        assert.deepEqual(await problems(), [], `${user} on ${m.title} (${m.path})`)
        await assertAccessible(page, `${m.title} as ${user}`)
      }
      assert.deepEqual(await problems(), [])
    } finally {
      await context.close()
    }
  })

  test(`${user}: a phone login lands on /m, which shows the role's own work`, async () => {
    const { context, page, problems } = await openPage(browser, PHONE)
    try {
      await signIn(page, BASE, user, PASSWORD, (u) => u.pathname === (want.phoneLands || '/m'))
      if (want.phoneLands) await page.goto(`${BASE}/m`)
      await page.locator('[data-testid=m-home]').waitFor()
      await page.locator(`[data-testid=${want.mobile}]`).waitFor({ timeout: 15000 })
      await settle(page)
      if (user === 'leader01') {
        // a leader reports nothing: no 我的上报, but the county's problems
        assert.equal(await page.locator('[data-testid=m-home-mine]').count(), 0)
        await page.locator('[data-testid=m-home-all]').waitFor()
        await page.locator('[data-testid=m-overdue-units]').waitFor()
      }
      if (user === 'insp01') await page.locator('[data-testid=m-home-inspections]').waitFor()
      if (user.startsWith('dept') || user.startsWith('town')) await page.locator('[data-testid=m-home-unit]').waitFor()
      const work = (await callApi(page, 'GET', '/home')).data.cards.find((c) => c.key === 'work')
      if (work && work.total) await page.locator('[data-testid=m-work]').waitFor()
      else assert.equal(await page.locator('[data-testid=m-work]').count(), 0)
      await noSidewaysScroll(page, `/m for ${user}`)
      await shot(page, `m-home-${user}.png`)
      assert.deepEqual(await problems(), [])
    } finally {
      await context.close()
    }
  })
}

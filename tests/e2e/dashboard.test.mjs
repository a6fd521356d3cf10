// 驾驶舱 against a running wenming server (WENMING_URL) holding the demo
// county: a county leader logs in and lands on the desk 驾驶舱 (gauge with the
// three parts, the ranked fixes with their records, trend, problems by week,
// units, the hot-spot map); the wall display at 1920×1080 (dark, refreshing
// itself); the phone view under /m/dashboard, where a leader's phone login
// lands.  Each page is checked with axe (wcag2a+aa) and photographed.
//
// Env: WENMING_URL, WENMING_DEMO_PASSWORD, WENMING_SCREENSHOTS (default build/screenshots).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { baseUrl, screenshotDir, launchBrowser, openPage, assertAccessible, DESKTOP, PHONE } from './browser.mjs'
import { login } from '../api/harness.mjs'

const BASE = baseUrl()
const PASSWORD = process.env.WENMING_DEMO_PASSWORD
if (!PASSWORD) throw new Error('WENMING_DEMO_PASSWORD is not set: pass the password `wenming demo` printed')
const WALL = { viewport: { width: 1920, height: 1080 } }

let browser
let api // the leader's API client: what the page should show

before(async () => {
  browser = await launchBrowser()
  const leader = await login(BASE, 'leader01', PASSWORD)
  api = (await leader.api('/api/v1/dashboard')).body
})

after(async () => {
  await browser?.close()
})

const input = (scope, id) => scope.locator(`input[data-testid=${id}], [data-testid=${id}] input`).first()

async function signIn(page, username) {
  await page.goto(`${BASE}/login`)
  await input(page, 'login-username').fill(username)
  await input(page, 'login-password').fill(PASSWORD)
  await page.locator('[data-testid=login-submit]').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15000 })
}

async function shot(page, name) {
  await page.waitForTimeout(800)
  await page.screenshot({ path: join(screenshotDir(), name) })
}

const fmt = (v) => (Math.round(v * 100) / 100).toFixed(2)

test('a leader lands on the desk 驾驶舱: parts, fixes with records, charts, units, map', async () => {
  const desk = await openPage(browser, DESKTOP)
  const { page } = desk
  try {
    await signIn(page, 'leader01')
    await page.waitForURL((u) => u.pathname === '/dashboard', { timeout: 10000 })
    await page.locator('[data-testid=cockpit-part-materials]').waitFor()
    for (const k of ['field', 'questionnaire', 'materials']) {
      assert.ok((await page.locator(`[data-testid=cockpit-part-${k}]`).innerText()).includes(fmt(api.predicted[k].score)), `${k} shown`)
    }
    assert.ok((await page.locator('[data-testid=cockpit-total-basis]').innerText()).includes('实地考察'))
    const top = page.locator('[data-testid=cockpit-fix-1]')
    assert.ok((await top.innerText()).includes(api.at_risk[0].action))
    assert.ok((await page.locator('[data-testid=cockpit-countdown]').innerText()).includes(String(api.countdown_days)))
    await page.locator('[data-testid=cockpit-trend] canvas').first().waitFor()
    await page.locator('[data-testid=cockpit-flow] canvas').first().waitFor()
    await page.locator('[data-testid=cockpit-map] .leaflet-interactive').first().waitFor({ timeout: 10000 })
    await shot(page, 'dashboard-desk.png')
    await assertAccessible(page, 'the desk 驾驶舱')
    // a fix line opens the records behind it
    await top.locator('a').first().click()
    await page.waitForURL((u) => /^\/(problems|materials\/items)\/\d+$/.test(u.pathname), { timeout: 10000 })
    assert.deepEqual(await desk.problems(), [])
  } finally {
    await desk.context.close()
  }
})

test('the wall display at 1920×1080: dark, large, refreshing itself', async () => {
  const wall = await openPage(browser, WALL)
  const { page } = wall
  try {
    await signIn(page, 'leader01')
    await page.goto(`${BASE}/dashboard?wall=1&minutes=1`)
    await page.waitForURL((u) => u.pathname === '/wall', { timeout: 10000 })
    await page.locator('[data-testid=cockpit-fix-1]').waitFor()
    await page.locator('[data-testid=cockpit-map] .leaflet-interactive').first().waitFor({ timeout: 10000 })
    const bg = await page.locator('[data-testid=cockpit]').evaluate((el) => getComputedStyle(el).backgroundColor)
    assert.equal(bg, 'rgb(11, 22, 38)', 'dark')
    assert.ok((await page.locator('.cockpit__updated').innerText()).includes('每 1 分钟自动刷新'))
    const size = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight])
    assert.ok(size[0] <= 1920, `no horizontal scroll: ${size}`)
    await shot(page, 'dashboard-wall.png')
    await assertAccessible(page, 'the wall display')
    assert.deepEqual(await wall.problems(), [])
  } finally {
    await wall.context.close()
  }
})

test('on a phone a leader lands on /m/dashboard', async () => {
  const phone = await openPage(browser, PHONE)
  const { page } = phone
  try {
    await signIn(page, 'leader02')
    await page.waitForURL((u) => u.pathname === '/m/dashboard', { timeout: 10000 })
    await page.locator('[data-testid=m-cockpit-fix-1]').waitFor()
    assert.ok((await page.locator('[data-testid=m-cockpit-total]').innerText()).includes(fmt(api.predicted.total.score)))
    await shot(page, 'dashboard-phone.png')
    await assertAccessible(page, 'the phone 驾驶舱')
    assert.deepEqual(await phone.problems(), [])
  } finally {
    await phone.context.close()
  }
})

// The whole closed loop in a browser, each step by the person who does it in the
// demo county: the inspector insp01 reports on a 375-px phone with a photo and
// GPS; the office (office01) accepts and assigns it on the desktop detail page
// (unit and deadline come from the routing); a user of the routed unit signs
// for it and submits an after-photo on their phone; the office verifies it on
// site and it reads 已销号, with every step on the timeline.
//
// Env: WENMING_URL (a server with `wenming demo` data), WENMING_DEMO_PASSWORD,
// WENMING_SCREENSHOTS (default build/screenshots).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { baseUrl, launchBrowser, openPage, DESKTOP, PHONE, shot, field, signIn, detailStatus, problemStep, noSidewaysScroll, ok } from './browser.mjs'
import { login } from '../api/harness.mjs'

const BASE = baseUrl()
const DEMO = process.env.WENMING_DEMO_PASSWORD
if (!DEMO) throw new Error('WENMING_DEMO_PASSWORD is not set: pass the password `wenming demo` printed for the demo accounts')
const PHOTO = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'photo-400x200.jpg')
const RUN = Date.now().toString(36).slice(-6)
const DESCRIPTION = `E2E 全流程 人行道堆放垃圾 ${RUN}`

let browser
let office // API client of office01 (look-ups only; every step is clicked)
let here // { latitude, longitude } inside a grid whose unit has a user
let problem // { id, code }
let unitUser
const pages = {}

/** A user who rectifies for unit `unitId` (unit_admin or unit_staff), or undefined. */
async function rectifierOf(unitId) {
  const users = (await ok(office.api(`/api/v1/users?unit_id=${unitId}&size=100`))).items
  return users.find((u) => u.unit_id === unitId && u.enabled !== false && u.roles.some((k) => k === 'unit_admin' || k === 'unit_staff'))
}

before(async () => {
  office = await login(BASE, 'office01', DEMO)
  // Stand at a demo point of a grid whose responsible unit has a user: a report
  // with GPS only is routed to the grid containing it.
  const grids = (await ok(office.api('/api/v1/grids?size=100'))).items.filter((g) => g.unit_id)
  for (const g of grids) {
    if (!(await rectifierOf(g.unit_id))) continue
    const pts = (await ok(office.api(`/api/v1/points?grid_id=${g.id}&size=50`))).items.filter((p) => p.lat != null)
    if (pts.length) {
      here = { latitude: pts[0].lat, longitude: pts[0].lng }
      break
    }
  }
  assert.ok(here, 'a demo grid with a unit user and a located point')
  browser = await launchBrowser()
})

after(async () => {
  for (const o of Object.values(pages)) await o.context.close()
  await browser?.close()
})

test('1. the inspector reports on a phone: photo, GPS, category, description → a code', async () => {
  pages.insp = await openPage(browser, { ...PHONE, geolocation: here, permissions: ['geolocation'] })
  const { page } = pages.insp
  await page.goto(`${BASE}/m/report`)
  await page.waitForURL(/\/login\?redirect=/)
  await signIn(page, BASE, 'insp01', DEMO, `${BASE}/m/report`)
  const form = page.locator('[data-testid=m-report]')
  await form.waitFor()
  await page.locator('[data-testid=m-report-geo-text]', { hasText: '已定位' }).waitFor({ timeout: 10000 })

  await form.locator('[data-testid=m-report-photos] input[type=file]').setInputFiles(PHOTO)
  await form.locator('[data-testid=m-report-photos] .van-uploader__preview img').waitFor()
  await page.waitForFunction(() => !document.querySelector('[data-testid=m-report-photos] .van-uploader__mask'))

  await form.locator('[data-testid=m-report-category]').click()
  const cascader = page.locator('[data-testid=m-report-cascader]')
  await cascader.waitFor()
  for (let level = 0; level < 5 && (await cascader.isVisible()); level++) {
    const options = cascader.locator('.van-cascader__options:visible .van-cascader__option')
    await options.first().waitFor()
    const wanted = options.filter({ hasText: level === 0 ? '乱扔垃圾' : '烟头' })
    await ((await wanted.count()) ? wanted.first() : options.first()).click()
    await page.waitForTimeout(350)
  }
  await cascader.waitFor({ state: 'hidden' })
  await form.locator('[data-testid=m-report-description] textarea').fill(DESCRIPTION)
  await noSidewaysScroll(page, '上报问题')
  await form.locator('[data-testid=m-report-submit]').click()
  const codeEl = page.locator('[data-testid=m-report-code]')
  await codeEl.waitFor({ timeout: 10000 })
  const code = (await codeEl.innerText()).trim()
  assert.match(code, /^\d{4}-\d{6}$/)
  await shot(page, 'loop-1-phone-reported.png')

  const found = (await ok(office.api(`/api/v1/problems?keyword=${encodeURIComponent(code)}`))).items
  assert.equal(found.length, 1)
  problem = found[0]
  assert.equal(problem.status, 'reported')
  assert.equal(problem.source !== undefined, true)
  assert.ok(problem.suggested_unit_id, 'the report was routed to a unit')
  const u = await rectifierOf(problem.suggested_unit_id)
  assert.ok(u, `the routed unit ${problem.suggested_unit_id} has a user`)
  unitUser = u.username
  assert.deepEqual(await pages.insp.problems(), [])
})

test('2. the office accepts and assigns it on the desktop', async () => {
  assert.ok(problem, 'step 1 ran')
  pages.office = await openPage(browser, DESKTOP)
  const { page } = pages.office
  await signIn(page, BASE, 'office01', DEMO)
  await page.goto(`${BASE}/problems/${problem.id}`)
  await detailStatus(page, '待受理')
  await page.locator('[data-testid=problem-before-photos] img').first().waitFor()
  await shot(page, 'loop-2-office-detail.png')
  await problemStep(page, 'accept', '已立案')
  await problemStep(page, 'assign', '已交办', async (d) => {
    assert.ok((await field(d, 'action-deadline').inputValue()).length > 0, 'the routing offers a deadline')
    await field(d, 'action-note').fill('请于期限内整改')
    await shot(page, 'loop-2-office-assign.png')
  })
  const p = await ok(office.api(`/api/v1/problems/${problem.id}`))
  assert.equal(p.status, 'assigned')
  assert.equal(p.lead_unit_id, problem.suggested_unit_id, 'assigned to the routed unit')
  assert.deepEqual(await pages.office.problems(), [])
})

test('3. the unit signs and submits an after-photo on a phone', async () => {
  assert.ok(unitUser, 'step 1 ran')
  pages.unit = await openPage(browser, PHONE)
  const { page } = pages.unit
  await page.goto(`${BASE}/m/tasks`)
  await page.waitForURL(/\/login\?redirect=/)
  await signIn(page, BASE, unitUser, DEMO, `${BASE}/m/tasks`)
  const card = page.locator('[data-testid=m-task-card]', { hasText: problem.code })
  await card.waitFor({ timeout: 10000 })
  await noSidewaysScroll(page, '我的任务')
  await shot(page, 'loop-3-unit-tasks.png')
  await card.click()
  await page.waitForURL(new RegExp(`/m/problems/${problem.id}$`))
  const status = page.locator('[data-testid=m-problem-status]')
  await status.filter({ hasText: '已交办' }).waitFor()
  await page.locator('[data-testid=m-problem-sign]').click()
  await page.locator('.van-dialog__confirm').click()
  await status.filter({ hasText: '整改中' }).waitFor({ timeout: 10000 })

  await page.locator('[data-testid=m-problem-submit]').click()
  const sheet = page.locator('[data-testid=m-submit-photos]')
  await sheet.waitFor()
  await sheet.locator('input[type=file]').setInputFiles(PHOTO)
  await sheet.locator('.van-uploader__preview img').waitFor()
  await page.waitForFunction(() => !document.querySelector('[data-testid=m-submit-photos] .van-uploader__mask'))
  await page.locator('[data-testid=m-submit-note] textarea').fill('已清理完毕')
  await page.locator('[data-testid=m-submit-ok]').click()
  await status.filter({ hasText: '已反馈' }).waitFor({ timeout: 10000 })
  await page.locator('[data-testid=m-problem-after] img').first().waitFor()
  await noSidewaysScroll(page, '问题详情')
  await shot(page, 'loop-3-unit-submitted.png')
  assert.deepEqual(await pages.unit.problems(), [])
})

test('4. the office verifies: 已销号, before and after photos, the whole timeline', async () => {
  const { page } = pages.office
  await page.goto(`${BASE}/problems/${problem.id}`)
  await detailStatus(page, '已反馈')
  await problemStep(page, 'verify-pass', '已销号', async (d) => {
    // the fixture photo has no capture time: 复核 warns and needs a reason (issue 13)
    assert.match(await d.locator('[data-testid=action-verify-warnings]').innerText(), /没有拍摄时间/)
    await field(d, 'action-verify-reason').fill('已电话与现场核实')
    await field(d, 'action-note').fill('现场复核已整改到位')
  })
  await page.locator('[data-testid=problem-after-photos] img').first().waitFor()
  for (const action of ['report', 'accept', 'assign', 'sign', 'submit', 'verify']) {
    assert.equal(await page.locator(`[data-testid=problem-timeline] [data-testid=problem-event-${action}]`).count(), 1, `one ${action} event`)
  }
  await shot(page, 'loop-4-office-closed.png')
  const p = await ok(office.api(`/api/v1/problems/${problem.id}`))
  assert.equal(p.status, 'closed')
  assert.equal(p.outcome, 'fixed')
  assert.deepEqual(await pages.office.problems(), [])
})

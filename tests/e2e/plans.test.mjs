// 工作台账 in the browser against a running wenming server (WENMING_URL) holding
// the demo county: the office opens 行动计划 and sees the plan's tree with leaders,
// units and countdowns, then the 倒排时间表; a liaison of 县住建局 opens 任务台账,
// opens one of its tasks and reports 60 %; the same liaison reports from the phone
// (/m/plan-tasks).  Screenshots go to WENMING_SCREENSHOTS (build/screenshots).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { baseUrl, screenshotDir, launchBrowser, openPage, assertAccessible, DESKTOP, PHONE } from './browser.mjs'

const BASE = baseUrl()
const PASSWORD = process.env.WENMING_DEMO_PASSWORD
if (!PASSWORD) throw new Error('WENMING_DEMO_PASSWORD is not set')
const LIAISON = 'dept03s' // 县住建局, lead unit of 背街小巷整治行动
const PHOTO = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'photo-400x200.jpg')

let browser
before(async () => {
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
})

const input = (scope, id) => scope.locator(`input[data-testid=${id}], [data-testid=${id}] input, textarea[data-testid=${id}], [data-testid=${id}] textarea`).first()

async function signIn(page, username) {
  await page.goto(`${BASE}/login`)
  await input(page, 'login-username').fill(username)
  await input(page, 'login-password').fill(PASSWORD)
  await page.locator('[data-testid=login-submit]').click()
  // a desk lands on /, a phone on /m
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15000 })
}

async function shot(page, name) {
  await page.waitForTimeout(400)
  await page.screenshot({ path: join(screenshotDir(), name) })
}

test('the office sees the plan tree with countdowns and the 倒排 timeline', async () => {
  const { page, context, problems } = await openPage(browser, DESKTOP)
  await signIn(page, 'office01')
  await page.goto(`${BASE}/plans`)
  const tree = page.locator('[data-testid=plan-tree]')
  await tree.waitFor()
  await page.getByText('背街小巷整治行动：摸底排查').first().waitFor()
  assert.ok(await page.getByText('城市环境提升工程').first().isVisible())
  assert.ok(await tree.getByText(/超期 \d+ 天/).count() > 0, 'an overdue countdown')
  assert.ok(await tree.getByText(/剩 \d+ 天/).count() > 0, 'a running countdown')
  await shot(page, 'plans-tree.png')
  await page.getByRole('tab', { name: '倒排时间表' }).click()
  await page.locator('[data-testid=plan-timeline]').waitFor()
  await shot(page, 'plans-timeline.png')
  assert.deepEqual(await problems(), [])
  await context.close()
})

test('a liaison reports 60 % on its task from 任务台账', async () => {
  const { page, context, problems } = await openPage(browser, DESKTOP)
  await signIn(page, LIAISON)
  await page.goto(`${BASE}/tasks`)
  const table = page.locator('[data-testid=tasks-table]')
  await table.getByText('背街小巷整治行动：摸底排查').first().waitFor()
  await shot(page, 'plans-tasks.png')
  await table.getByText('背街小巷整治行动：集中整治').first().click()
  const drawer = page.locator('[data-testid=task-drawer]')
  await drawer.waitFor()
  await drawer.locator('[data-testid=report-percent] input').fill('60')
  await input(drawer, 'report-text').fill('已完成 12 条背街小巷路面硬化（E2E）')
  // 照片和附件 is a plain button over a hidden file input (no el-upload around it)
  await drawer.locator('[data-testid=report-photos]').waitFor()
  await drawer.locator('.task__form input[type=file]').setInputFiles(PHOTO)
  await drawer.locator('.task__form img[alt="照片和附件第 1 张"]').waitFor()
  await assertAccessible(page, 'the task drawer with a photo chosen')
  await drawer.locator('[data-testid=report-submit]').click()
  await drawer.getByText('已完成 12 条背街小巷路面硬化（E2E）').waitFor()
  await shot(page, 'plans-task-drawer.png')
  // the report's photo opens in the viewer, whose photo and controls are named
  const report = drawer.locator('[data-testid=task-report]', { hasText: '已完成 12 条背街小巷路面硬化（E2E）' })
  await report.locator('img[alt="照片和附件第 1 张"]').click()
  const viewer = page.locator('.el-image-viewer__wrapper')
  await viewer.locator('img.el-image-viewer__img[alt="照片大图"]').waitFor()
  assert.equal(await viewer.getByRole('button', { name: '关闭' }).count(), 1)
  await assertAccessible(page, 'the task report photo in the viewer')
  await viewer.getByRole('button', { name: '关闭' }).press('Enter')
  await viewer.waitFor({ state: 'hidden' })
  assert.deepEqual(await problems(), [])
  await context.close()
})

test('on the phone the liaison opens 任务进展 and reports', async () => {
  const { page, context, problems } = await openPage(browser, PHONE)
  await signIn(page, LIAISON)
  await page.goto(`${BASE}/m`)
  await page.locator('[data-testid=m-home-plan]').click()
  await page.locator('[data-testid=m-plan-task]').first().waitFor()
  await shot(page, 'plans-mobile-list.png')
  await page.locator('[data-testid=m-plan-task]').first().click()
  await input(page, 'm-report-text').fill('手机报送：本周完成排查（E2E）')
  await shot(page, 'plans-mobile-report.png')
  await page.locator('[data-testid=m-report-submit]').click()
  await page.getByText('已报送').waitFor()
  assert.deepEqual(await problems(), [])
  await context.close()
})

test('the office sees the meetings and the task a decision became', async () => {
  const { page, context, problems } = await openPage(browser, DESKTOP)
  await signIn(page, 'office01')
  await page.goto(`${BASE}/meetings`)
  const table = page.locator('[data-testid=meetings-table]')
  await table.getByText('城市环境提升工程联席会议').waitFor()
  await table.locator('.el-table__expand-icon').nth(1).click()
  await page.getByText('城关街道两周内完成和平巷、幸福巷路灯修复').waitFor()
  assert.ok(await page.locator('[data-testid=meeting-decision]').getByText(/城关街道 · \d{4}-\d\d-\d\d/).count() > 0)
  await shot(page, 'plans-meetings.png')
  assert.deepEqual(await problems(), [])
  await context.close()
})

test('a leader sees the tasks he is answerable for on the home page', async () => {
  const { page, context, problems } = await openPage(browser, DESKTOP)
  await signIn(page, 'leader01')
  // a county leader lands on the 驾驶舱; the home page is one click away
  await page.goto(`${BASE}/`)
  const card = page.locator('[data-testid=answerable-card]')
  await card.waitFor()
  assert.match(await card.innerText(), /\d+ 项任务，其中 \d+ 项超期/)
  await shot(page, 'plans-leader-home.png')
  assert.deepEqual(await problems(), [])
  await context.close()
})

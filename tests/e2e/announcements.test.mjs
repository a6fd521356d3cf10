// 通知公告, 资料归档 and 责任书 in the browser against a running wenming server
// (WENMING_URL) holding the demo county: the office publishes a notice and
// sees, per unit, who read the towns' notice and who replied; the archive
// completeness and the 责任书 status; a liaison of 县住建局 opens its notices,
// its own archive and confirms nothing twice; on the phone it reads the
// dispatch notice and replies (回执).  Every page is checked with axe (shot);
// screenshots go to WENMING_SCREENSHOTS (build/screenshots).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { baseUrl, launchBrowser, openPage, shot, signIn, field, DESKTOP, PHONE } from './browser.mjs'

const BASE = baseUrl()
const PASSWORD = process.env.WENMING_DEMO_PASSWORD
if (!PASSWORD) throw new Error('WENMING_DEMO_PASSWORD is not set')
const LIAISON = 'dept03s' // 县住建局, a department

let browser
before(async () => {
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
})

test('the office publishes a notice and sees who read the towns\' notice and who replied', async () => {
  const { page, context, problems } = await openPage(browser, DESKTOP)
  await signIn(page, BASE, 'office01', PASSWORD)
  await page.goto(`${BASE}/announcements`)
  const table = page.locator('[data-testid=ann-table]')
  await table.getByText('关于报送背街小巷整治进展情况的通知').waitFor()
  await shot(page, 'announcements-list.png')

  await page.locator('[data-testid=ann-create]').click()
  await field(page, 'ann-title').fill('关于做好周末志愿服务的通知（E2E）')
  await field(page, 'ann-body').fill('各单位：\n请组织志愿者上岗。')
  await shot(page, 'announcements-compose.png')
  await page.locator('[data-testid=ann-save-publish]').click()
  await table.getByText('关于做好周末志愿服务的通知（E2E）').waitFor()

  await table.getByText('关于报送背街小巷整治进展情况的通知').click()
  const drawer = page.locator('[data-testid=ann-drawer]')
  await drawer.locator('[data-testid=ann-receipts]').waitFor()
  const receipts = drawer.locator('[data-testid=ann-receipts]')
  await receipts.getByText('城关街道').waitFor()
  assert.ok(await receipts.getByText('未读').count() > 0, 'some towns have not read it')
  assert.ok(await receipts.getByText('已完成排查').count() > 0, 'some towns replied')
  assert.match(await drawer.locator('[data-testid=ann-summary]').innerText(), /\d+ \/ \d+ 个单位已读，\d+ 个已回执/)
  await shot(page, 'announcements-receipts.png')
  assert.deepEqual(await problems(), [])
  await context.close()
})

test('the office sees archive completeness, who is missing what, and the 责任书 status', async () => {
  const { page, context, problems } = await openPage(browser, DESKTOP)
  await signIn(page, BASE, 'office01', PASSWORD)
  await page.goto(`${BASE}/archives`)
  const table = page.locator('[data-testid=arc-table]')
  await table.getByText('县住建局').waitFor()
  assert.match(await page.locator('[data-testid=arc-summary]').innerText(), /\d+ \/ \d+ 个单位资料齐全/)
  assert.ok(await table.getByText('会议记录').count() > 0, 'a missing 会议记录 is listed')
  await shot(page, 'archives-overview.png')
  await table.getByText('城关街道').click()
  await page.locator('[data-testid=arc-drawer]').getByText('工作方案').waitFor()
  await shot(page, 'archives-unit.png')
  await page.keyboard.press('Escape')
  await page.getByRole('tab', { name: '责任书' }).click()
  await page.locator('[data-testid=pledge-table]').getByText('未确认').first().waitFor()
  assert.match(await page.locator('[data-testid=pledge-summary]').innerText(), /\d+ \/ \d+ 个单位已确认/)
  await shot(page, 'archives-pledges.png')
  assert.deepEqual(await problems(), [])
  await context.close()
})

test('a liaison opens its notices and its own archive on the desk', async () => {
  const { page, context, problems } = await openPage(browser, DESKTOP)
  await signIn(page, BASE, LIAISON, PASSWORD)
  await page.goto(`${BASE}/announcements`)
  const table = page.locator('[data-testid=ann-table]')
  await table.getByText('关于召开创城工作调度会的通知').waitFor()
  assert.equal(await table.getByText('关于报送背街小巷整治进展情况的通知').count(), 0, 'the towns\' notice is not the department\'s')
  await table.getByText('关于开展创建全国文明城市集中攻坚行动的通知').click()
  await page.locator('[data-testid=ann-drawer]').getByText('集中攻坚').first().waitFor()
  await shot(page, 'announcements-unit-detail.png')
  await page.goto(`${BASE}/archives`)
  await page.locator('[data-testid=arc-mine] [data-testid=arc-req]').first().waitFor()
  await shot(page, 'archives-mine.png')
  assert.deepEqual(await problems(), [])
  await context.close()
})

test('on the phone the liaison reads the dispatch notice and replies', async () => {
  const { page, context, problems } = await openPage(browser, PHONE)
  await signIn(page, BASE, LIAISON, PASSWORD)
  await page.goto(`${BASE}/m`)
  await page.locator('[data-testid=m-home-announcements]').click()
  await page.locator('[data-testid=m-announcement]').first().waitFor()
  await shot(page, 'announcements-mobile-list.png')
  await page.locator('[data-testid=m-announcement]').filter({ hasText: '关于召开创城工作调度会的通知' }).click()
  const detail = page.locator('[data-testid=m-announcement-detail]')
  await detail.waitFor()
  await field(page, 'm-reply-text').fill('我局主要负责同志准时参会（E2E）')
  await shot(page, 'announcements-mobile-reply.png')
  await page.locator('[data-testid=m-reply-submit]').click()
  await page.getByText('回执已提交').waitFor()
  await detail.getByText(/已回执/).waitFor()
  assert.deepEqual(await problems(), [])
  await context.close()
})

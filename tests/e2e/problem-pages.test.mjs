// The closed loop's newer pages on the demo county, as its own people: 地图 (grids,
// points and problems drawn without a tile server, layer switches, a popup that opens
// the problem), 导出 on 问题列表 (the workbook read back), near-duplicates (the report
// dialog offers the similar open problem and links it; the detail page lists the link),
// and 交办单 (the office makes one for a unit, the unit signs it on a 375-px phone).
//
// Env: WENMING_URL (a server with `wenming demo` data), WENMING_DEMO_PASSWORD,
// WENMING_SCREENSHOTS (default build/screenshots).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { baseUrl, launchBrowser, openPage, DESKTOP, PHONE, shot, field, signIn, detailStatus, ok } from './browser.mjs'
import { readSheet } from './xlsx.mjs'
import { login } from '../api/harness.mjs'

const BASE = baseUrl()
const DEMO = process.env.WENMING_DEMO_PASSWORD
if (!DEMO) throw new Error('WENMING_DEMO_PASSWORD is not set: pass the password `wenming demo` printed for the demo accounts')
const RUN = Date.now().toString(36).slice(-5)

let browser
let office // API client
let desk // office01 in the browser
let category
let point
let unitUser

before(async () => {
  office = await login(BASE, 'office01', DEMO)
  category = (await ok(office.api('/api/v1/categories?size=500'))).items.find((c) => c.code === 'SR02')
  const points = (await ok(office.api('/api/v1/points?size=500'))).items.filter((p) => p.unit_id && p.lat != null)
  for (const p of points.reverse()) {
    const users = (await ok(office.api(`/api/v1/users?unit_id=${p.unit_id}&size=100`))).items
    const u = users.find((x) => x.unit_id === p.unit_id && x.roles.some((k) => k === 'unit_admin' || k === 'unit_staff'))
    if (u) {
      point = p
      unitUser = u.username
      break
    }
  }
  assert.ok(category && point, 'demo category SR02 and a point whose unit has a user')
  browser = await launchBrowser()
  desk = await openPage(browser, DESKTOP)
  await signIn(desk.page, BASE, 'office01', DEMO)
})

after(async () => {
  await desk?.context.close()
  await browser?.close()
})

const report = (client, extra = {}) => ok(client.api('/api/v1/problems', {
  method: 'POST',
  body: { category_id: category.id, point_id: point.id, description: `E2E 页面 ${RUN}`, source: 'supervision', ...extra },
}), 201)

test('地图: grids, points and problems on a plain background; layers switch; a popup opens the problem', async () => {
  // at the point, where other problems stand too: one marker lists them all
  const p = await report(office, { description: `E2E 地图 ${RUN}` })
  await report(office, { description: `E2E 地图同一处 ${RUN}` })
  const { page } = desk
  await page.locator('[data-testid=menu-map]').click()
  await page.waitForURL(/\/map$/)
  const legend = page.locator('[data-testid=map-legend]')
  await legend.getByText('问题').first().waitFor()
  // the tile server is an administrator's business: the office is not told about it
  assert.equal(await legend.getByText('未配置底图').count(), 0)
  const map = page.locator('[data-testid=map]')
  await map.locator('.map-grid-label').first().waitFor()
  assert.ok(await map.locator('.map-grid-label').count() >= 9, 'the grids are named')
  assert.equal(await map.locator('img.leaflet-tile').count(), 0, 'no tiles are fetched')
  const paths = () => map.locator('path.leaflet-interactive').count()
  const all = await paths()
  assert.ok(all > 300, `grids, points and problems are drawn: ${all}`)
  await shot(page, 'map.png')

  // switching the points off removes them; on again brings them back
  await page.locator('[data-testid=map-layer-points]').click()
  const fewer = await paths()
  assert.ok(fewer < all - 250, `the points are hidden: ${fewer} of ${all}`)
  await page.locator('[data-testid=map-layer-points]').click()
  assert.equal(await paths(), all)

  // only 待受理: the new problem is among few markers; its popup links to it
  await page.locator('[data-testid=map-status] .el-select__wrapper').click()
  for (const name of ['已立案', '已交办', '已退回', '整改中', '已反馈', '复核不通过', '已挂账']) {
    await page.locator('.el-select-dropdown__item:visible', { hasText: new RegExp(`^${name}$`) }).click()
  }
  await page.keyboard.press('Escape')
  await page.locator('[data-testid=map-search]').click()
  await page.waitForFunction(() => !document.querySelector('.map-page__body > .el-loading-mask'))
  await page.locator('[data-testid=map-layer-points]').click()
  await page.locator('[data-testid=map-layer-grids]').click()
  assert.ok(await map.locator('path.map-problem').count() >= 1, 'the reported problems are drawn')
  // the marker of the new problem (problems at one spot share a marker that lists them all)
  await map.locator(`path.map-problem-${p.id}`).dispatchEvent('click')
  const link = page.locator(`[data-testid=map-open-${p.id}]`)
  const opened = await link.waitFor({ timeout: 5000 }).then(() => true, () => false)
  if (opened) {
    await shot(page, 'map-popup.png')
    await link.click()
  }
  assert.ok(opened, 'a marker opens the popup of the new problem')
  await page.waitForURL(new RegExp(`/problems/${p.id}$`))
  await detailStatus(page, '待受理')
  assert.deepEqual(await desk.problems(), [])
})

test('导出 on 问题列表: the workbook holds what the search shows', async () => {
  const { page } = desk
  await page.goto(`${BASE}/problems`)
  await field(page, 'problem-search-keyword').fill(RUN)
  await page.locator('[data-testid=problem-search]').click()
  await page.locator('[data-testid=problem-table] tr.el-table__row').first().waitFor()
  const shown = await page.locator('[data-testid=problem-table] tr.el-table__row').count()
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=problem-export]').click()])
  assert.match(download.suggestedFilename(), /^问题列表_\d{8}\.xlsx$/)
  const rows = readSheet(readFileSync(await download.path()), 1000)
  assert.equal(rows[1][0], '问题编号')
  assert.equal(rows.length - 2, shown, 'one row per problem shown')
  assert.ok(rows.slice(2).every((r) => r[6].includes(RUN)), 'only the searched problems')
})

test('report dialog offers the similar open problem and links it; the detail lists the link', async () => {
  const first = await report(office, { description: `E2E 原问题 ${RUN}` })
  const { page } = desk
  await page.goto(`${BASE}/problems`)
  await page.locator('[data-testid=problem-report]').click()
  const dialog = page.locator('[data-testid=report-dialog]')
  await dialog.waitFor()
  await dialog.locator('[data-testid=report-category] .el-select__wrapper').click()
  await field(dialog, 'report-category').fill(category.name)
  await page.locator('.report__category-popper:visible .el-tree-node__content', { hasText: category.name }).first().click()
  await dialog.locator('[data-testid=report-point] .el-select__wrapper').click()
  await field(dialog, 'report-point').fill(point.name)
  await page.locator('.report__point-popper:visible .el-select-dropdown__item', { hasText: point.name }).first().click()
  await field(dialog, 'report-description').fill(`E2E 重复上报 ${RUN}`)
  await dialog.locator('[data-testid=report-submit]').click()

  const offer = page.locator('[data-testid=link-dialog]')
  await offer.waitFor()
  await offer.locator(`[data-testid=link-similar-${first.id}]`).waitFor()
  await shot(page, 'similar-dialog.png')
  await offer.locator(`[data-testid=link-similar-${first.id}]`).click()
  await offer.getByText('已关联').waitFor()
  await offer.locator('[data-testid=link-close]').click()
  await page.waitForURL(/\/problems\/\d+$/)
  await detailStatus(page, '待受理')
  const links = page.locator('[data-testid=problem-links]')
  await links.locator(`[data-testid=problem-link-${first.id}]`).waitFor()
  assert.ok((await links.innerText()).includes(first.code))
  assert.ok((await links.innerText()).includes('重复问题'))
  await page.locator('[data-testid=problem-timeline] [data-testid=problem-event-link]').waitFor()
  await shot(page, 'problem-links.png')
  // the code opens the other problem, which lists the link back
  await links.getByText(first.code).click()
  await page.waitForURL(new RegExp(`/problems/${first.id}$`))
  await page.locator('[data-testid=problem-links] [data-testid^=problem-link-]').first().waitFor()
  assert.deepEqual(await desk.problems(), [])
})

test('交办单: the office makes one for a unit, the unit signs it on a phone', async () => {
  const ids = []
  for (let i = 0; i < 2; i++) {
    const p = await report(office, { description: `E2E 交办单 ${RUN} ${i}` })
    await ok(office.api(`/api/v1/problems/${p.id}/accept`, { method: 'POST', body: {} }))
    await ok(office.api(`/api/v1/problems/${p.id}/assign`, { method: 'POST', body: { unit_id: point.unit_id } }))
    ids.push(p.id)
  }
  const { page } = desk
  await page.goto(`${BASE}/problems`)
  await field(page, 'problem-search-keyword').fill(`交办单 ${RUN}`)
  await page.locator('[data-testid=problem-search]').click()
  const rows = page.locator('[data-testid=problem-table] tr.el-table__row')
  await rows.nth(1).waitFor()
  assert.equal(await rows.count(), 2)
  for (let i = 0; i < 2; i++) await rows.nth(i).locator('.el-checkbox').click()
  await page.locator('[data-testid=problem-make-sheet]').click()
  const dialog = page.locator('[data-testid=sheet-dialog]')
  await dialog.waitFor()
  await dialog.getByText('已选 2 个问题').waitFor()
  await dialog.locator('[data-testid=sheet-submit]').click()
  await page.waitForURL(/\/sheets\/\d+$/)
  const url = page.url()
  await page.locator('[data-testid=sheet-state]', { hasText: '待签收' }).waitFor()
  const list = await page.locator('[data-testid=sheet-problem-list]').innerText()
  assert.ok(list.includes(`交办单 ${RUN} 0`) && list.includes(`交办单 ${RUN} 1`), list)
  // listed on 交办单
  await page.locator('[data-testid=menu-sheets]').click()
  await page.locator('[data-testid=sheet-table] tr.el-table__row').first().waitFor()
  assert.ok((await page.locator('[data-testid=sheet-table]').innerText()).includes(await (await ok(office.api(`/api/v1/sheets/${url.split('/').pop()}`))).number))

  // the unit opens the QR code's address on a phone, signs in and signs
  const phone = await openPage(browser, PHONE)
  try {
    await phone.page.goto(url)
    await phone.page.waitForURL(/\/login\?redirect=/)
    await signIn(phone.page, BASE, unitUser, DEMO, url)
    await phone.page.locator('[data-testid=sheet-state]', { hasText: '待签收' }).waitFor()
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(overflow <= 0, `the sheet is ${overflow}px wider than the phone`)
    await phone.page.locator('[data-testid=sheet-sign]').click()
    await phone.page.locator('.el-message-box .el-button--primary').click()
    await phone.page.locator('[data-testid=sheet-state]', { hasText: '已签收' }).waitFor()
    assert.equal(await phone.page.locator('[data-testid=sheet-sign]').count(), 0)
    await shot(phone.page, 'sheet-phone.png')
    assert.deepEqual(await phone.problems(), [])
  } finally {
    await phone.context.close()
  }
})

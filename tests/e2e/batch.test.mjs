// 批量交办 from the problem list (issue 13, C): 50 problems accepted by API,
// then the office ticks them all on 问题列表, opens 批量交办 (each row with its
// routed unit and default deadline, editable) and assigns all 50 in one action.
//
// Env: WENMING_URL (a server with `wenming demo` data), WENMING_DEMO_PASSWORD.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { baseUrl, launchBrowser, openPage, DESKTOP, shot, field, signIn, ok } from './browser.mjs'
import { login } from '../api/harness.mjs'

const BASE = baseUrl()
const DEMO = process.env.WENMING_DEMO_PASSWORD
if (!DEMO) throw new Error('WENMING_DEMO_PASSWORD is not set: pass the password `wenming demo` printed for the demo accounts')
const RUN = `批量${Date.now().toString(36).slice(-6)}`
const N = 50

let browser
let office
let desk
const ids = []

before(async () => {
  office = await login(BASE, 'office01', DEMO)
  const category = (await ok(office.api('/api/v1/categories?size=500'))).items.find((c) => c.code === 'SR01')
  const points = (await ok(office.api('/api/v1/points?size=500'))).items.filter((p) => p.unit_id)
  assert.ok(category && points.length, 'demo category and points')
  for (let i = 0; i < N; i++) {
    const p = await ok(office.api('/api/v1/problems', {
      method: 'POST',
      body: { category_id: category.id, point_id: points[i % points.length].id, description: `${RUN} 第${i + 1}处烟头`, source: 'mock' },
    }), 201)
    ids.push(p.id)
  }
  await ok(office.api('/api/v1/problems/batch', { method: 'POST', body: { action: 'accept', items: ids.map((id) => ({ id })) } }))
  browser = await launchBrowser()
})

after(async () => {
  await desk?.context.close()
  await browser?.close()
})

test('the office assigns 50 problems in one 批量交办', async () => {
  desk = await openPage(browser, DESKTOP)
  const { page } = desk
  await signIn(page, BASE, 'office01', DEMO)
  await page.goto(`${BASE}/problems`)
  await page.locator('[data-testid=problem-table]').waitFor()
  await field(page, 'problem-search-keyword').fill(RUN)
  await page.locator('[data-testid=problem-search]').click()
  await page.locator('.pagination .el-pagination__sizes .el-select__wrapper').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '50' }).first().click()
  const rows = page.locator('[data-testid=problem-table] tr.el-table__row')
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=problem-table] tr.el-table__row').length === n, N)
  assert.equal(await rows.count(), N)
  await page.locator('[data-testid=problem-table] .el-table__header .el-checkbox').click()
  await page.locator('[data-testid=problem-batch-assign]').click()
  const dialog = page.locator('[data-testid=batch-dialog]')
  await dialog.waitFor()
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=batch-table] tr.el-table__row').length === n, N)
  await shot(page, 'problems-batch-assign.png')
  const started = Date.now()
  await dialog.locator('[data-testid=batch-submit]').click()
  await dialog.waitFor({ state: 'hidden', timeout: 30000 })
  const took = Date.now() - started
  const after = await Promise.all(ids.map((id) => ok(office.api(`/api/v1/problems/${id}`))))
  assert.deepEqual([...new Set(after.map((p) => p.status))], ['assigned'])
  assert.ok(after.every((p) => p.lead_unit_id === p.suggested_unit_id && p.deadline > Date.now()), 'the routed unit and a deadline each')
  console.log(`# 批量交办 of ${N}: ${took} ms`)
})

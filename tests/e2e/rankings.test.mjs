// 单位排名, the notice bell and 参数设置 against a running wenming server
// (WENMING_URL) holding the demo county. Through the API the test first gives
// two departments problems due this month: deadlines a few seconds ahead,
// one of unit X's closed in time, one left unsigned to run over, one new
// with two days to go; unit Y's one closed in time. Then in the browser:
// the office user opens 问题闭环 › 单位排名, sees both units ranked with grades
// and the bar chart, and exports the xlsx (re-read: the same rows); unit X's
// liaison sees the bell's count, opens the list and a problem from it, and
// the same counts on the phone home page; the office user edits 参数设置 and
// gets the field error for weights that do not add up to 100.
//
// Env: WENMING_URL, WENMING_DEMO_PASSWORD (the demo accounts' password),
// WENMING_SCREENSHOTS (default build/screenshots).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { baseUrl, screenshotDir, launchBrowser, openPage, DESKTOP, PHONE } from './browser.mjs'
import { readSheet } from './xlsx.mjs'
import { login } from '../api/harness.mjs'
import { ok, act, upload } from '../api/loop.mjs'

const BASE = baseUrl()
const PASSWORD = process.env.WENMING_DEMO_PASSWORD
if (!PASSWORD) {
  throw new Error('WENMING_DEMO_PASSWORD is not set: pass the password `wenming demo` printed for the demo accounts')
}
const X_LIAISON = 'dept07s'
const Y_LIAISON = 'dept08s'

let browser
let office // API client of office01
let X // { id, name, user }
let Y
const made = {}

before(async () => {
  browser = await launchBrowser()
  office = await login(BASE, 'office01', PASSWORD)
  const xUser = await login(BASE, X_LIAISON, PASSWORD)
  const yUser = await login(BASE, Y_LIAISON, PASSWORD)
  X = { id: xUser.me.unit.id, name: xUser.me.unit.name, user: xUser }
  Y = { id: yUser.me.unit.id, name: yUser.me.unit.name, user: yUser }
  const category = (await ok(office.api('/api/v1/categories?size=500'))).items.find((c) => c.code === 'SR01')

  // places far from each other and from the other browser tests' (30.0, 120.0)
  let n = 0
  const report = () => ok(office.api('/api/v1/problems', {
    method: 'POST',
    body: { category_id: category.id, lat: 31.1 + 0.01 * ++n, lng: 121.3, description: `E2E 排名 ${Date.now() % 100000}-${n}`, source: 'supervision' },
  }), 201)
  const assign = async (unit, deadline) => {
    const p = await report()
    await act(office, p.id, 'accept')
    return act(office, p.id, 'assign', { unit_id: unit.id, deadline })
  }
  const closeNow = async (unit, p) => {
    await act(unit.user, p.id, 'sign')
    await act(unit.user, p.id, 'submit', { note: '已清理', photo_ids: [await upload(unit.user)] })
    return act(office, p.id, 'verify', { passed: true, reason: '照片无拍摄时间，已现场核实' })
  }
  const soon = Date.now() + 6000
  made.x1 = await closeNow(X, await assign(X, soon))
  made.x2 = await assign(X, soon)
  made.x3 = await assign(X, Date.now() + 48 * 3600 * 1000)
  made.y1 = await closeNow(Y, await assign(Y, soon))
  // let the short deadlines pass: x1 and y1 were closed in time, x2 runs over
  await new Promise((r) => setTimeout(r, Math.max(0, soon - Date.now()) + 500))
})

after(async () => {
  await browser?.close()
})

async function shot(page, name) {
  await page.locator('.el-message').first().waitFor({ state: 'detached', timeout: 8000 }).catch(() => {})
  await page.waitForTimeout(400)
  await page.screenshot({ path: join(screenshotDir(), name) })
}
const input = (scope, id) => scope.locator(`input[data-testid=${id}], [data-testid=${id}] input`).first()

async function signIn(page, username) {
  await page.goto(`${BASE}/login`)
  await input(page, 'login-username').fill(username)
  await input(page, 'login-password').fill(PASSWORD)
  await page.locator('[data-testid=login-submit]').click()
  // a desk lands on /, a phone on /m
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15000 })
}

test('the office opens 单位排名: both units ranked with grades and the chart, and exports the xlsx', async () => {
  const desk = await openPage(browser, DESKTOP)
  const { page } = desk
  try {
    await signIn(page, 'office01')
    await page.locator('[data-testid=sidebar]').getByText('问题闭环', { exact: true }).first().waitFor()
    await page.locator('[data-testid=menu-rankings]').click()
    await page.waitForURL(/\/rankings$/)
    const table = page.locator('[data-testid=ranking-table]')
    await table.locator('tbody tr').first().waitFor()
    const api = await ok(office.api('/api/v1/rankings'))
    const xRow = api.items.find((r) => r.unit_id === X.id)
    const yRow = api.items.find((r) => r.unit_id === Y.id)
    assert.ok(xRow && yRow, 'both units are ranked this month')
    assert.ok(xRow.due >= 2 && xRow.closed >= 1 && xRow.overdue >= 1, JSON.stringify(xRow))
    assert.ok(yRow.closed >= 1 && yRow.grade, JSON.stringify(yRow))
    // the page shows the same rows, in the same order, with the grade tags
    const names = await table.locator('tbody tr td:nth-child(2)').allInnerTexts()
    assert.deepEqual(names.map((s) => s.trim()), api.items.map((r) => r.unit_name))
    await page.locator(`[data-testid=ranking-grade-${X.id}]`).waitFor()
    assert.equal((await page.locator(`[data-testid=ranking-grade-${Y.id}]`).innerText()).trim(), yRow.grade)
    await page.locator('[data-testid=ranking-chart] canvas').waitFor()
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
    assert.match(await page.locator('[data-testid=ranking-period]').innerText(), new RegExp(`^${today.slice(0, 8)}01 至 ${today.slice(0, 7)}-\\d\\d$`))
    await shot(page, 'rankings.png')

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=ranking-export]').click()])
    assert.match(download.suggestedFilename(), /\.xlsx$/)
    const rows = readSheet(readFileSync(await download.path()))
    assert.match(rows[0][0], /^单位排名 \d{4}-\d{2}-01 至 /)
    assert.equal(rows[1][1], '单位')
    assert.deepEqual(rows.slice(2).map((r) => r[1]), api.items.map((r) => r.unit_name))
    assert.deepEqual(await desk.problems(), [])
  } finally {
    await desk.context.close()
  }
})

test('unit X\'s liaison sees the bell with a count, the list, and opens a problem from it; the phone home page agrees', async () => {
  const desk = await openPage(browser, DESKTOP)
  const { page } = desk
  try {
    await signIn(page, X_LIAISON)
    const { counts, work } = await ok(X.user.api('/api/v1/notices'))
    assert.ok(counts.total >= 2 && counts.overdue >= 1 && counts.assigned >= 2, JSON.stringify(counts))
    const badge = page.locator('[data-testid=notice-badge] sup')
    await badge.waitFor()
    // the badge adds the unit's materials and plan tasks waiting to its problems
    const shown = counts.total + work.total
    assert.equal((await badge.innerText()).trim(), shown > 99 ? '99+' : String(shown))
    await page.locator('[data-testid=notice-bell]').click()
    const panel = page.locator('[data-testid=notice-panel]')
    await panel.waitFor()
    assert.equal((await panel.locator('[data-testid=notice-count-overdue]').innerText()).trim(), String(counts.overdue))
    await panel.locator(`[data-testid=notice-item-${made.x2.id}]`).waitFor()
    await shot(page, 'notices-bell.png')
    await panel.locator(`[data-testid=notice-item-${made.x2.id}]`).click()
    await page.waitForURL(new RegExp(`/problems/${made.x2.id}$`))
    await page.locator('[data-testid=problem-status]').waitFor()
    assert.deepEqual(await desk.problems(), [])
  } finally {
    await desk.context.close()
  }

  const phone = await openPage(browser, PHONE)
  try {
    await signIn(phone.page, X_LIAISON)
    await phone.page.goto(`${BASE}/m`)
    const counts = (await ok(X.user.api('/api/v1/notices'))).counts
    const tile = phone.page.locator('[data-testid=m-notice-overdue]')
    await tile.waitFor()
    await phone.page.waitForFunction((n) => document.querySelector('[data-testid=m-notice-overdue]')?.textContent.trim() === String(n), counts.overdue)
    assert.equal((await phone.page.locator('[data-testid=m-notice-assigned]').innerText()).trim(), String(counts.assigned))
    await shot(phone.page, 'notices-phone.png')
    assert.deepEqual(await phone.problems(), [])
  } finally {
    await phone.context.close()
  }
})

test('参数设置: the office sees the defaults, weights off 100 are refused under the field, nothing saved', async () => {
  const desk = await openPage(browser, DESKTOP, { expected: [/status of 422 .*\/api\/v1\/settings/] })
  const { page } = desk
  try {
    await signIn(page, 'office01')
    await page.goto(`${BASE}/system/settings`)
    await page.locator('[data-testid=settings-page]').waitFor()
    const closure = input(page, 'setting-weight_closure')
    await page.waitForFunction(() => document.querySelector('[data-testid=setting-weight_closure] input')?.value === '30')
    await closure.fill('35')
    await closure.press('Tab')
    await page.locator('[data-testid=setting-weight-sum]', { hasText: '合计 105' }).waitFor()
    await page.locator('[data-testid=settings-save]').click()
    await page.locator('.el-form-item__error', { hasText: '五项权重之和应为 100' }).waitFor()
    await shot(page, 'settings.png')
    assert.equal((await ok(office.api('/api/v1/settings'))).weight_closure, 30, 'nothing saved')
    assert.deepEqual(await desk.problems(), [])
  } finally {
    await desk.context.close()
  }
})

test('参数设置: the office sets the 测评日期 and the 交办单 number format; the home page counts down to the date', async () => {
  const desk = await openPage(browser, DESKTOP)
  const { page } = desk
  const before = await ok(office.api('/api/v1/settings'))
  const me0 = await ok(office.api('/api/v1/me'))
  try {
    await signIn(page, 'office01')
    await page.goto(`${BASE}/system/settings`)
    await page.locator('[data-testid=settings-page]').waitFor()
    const picker = page.locator('[data-testid=settings-page] .el-date-editor input').first()
    await picker.fill('2027-05-20')
    await picker.press('Enter')
    await page.locator('[data-testid=settings-eval-save]').click()
    await page.locator('.el-message--success').first().waitFor()
    assert.equal((await ok(office.api('/api/v1/me'))).tenant.eval_date, '2027-05-20')

    const fmt = input(page, 'setting-sheet_number_format')
    for (let i = 0; i < 100 && (await fmt.inputValue()) !== '交办〔{YYYY}〕{NNN}'; i++) await page.waitForTimeout(100)
    assert.equal(await fmt.inputValue(), '交办〔{YYYY}〕{NNN}')
    await fmt.fill('城管交〔{YYYY}〕第{NNNN}号')
    await page.locator('[data-testid=setting-sheet-sample]', { hasText: /城管交〔\d{4}〕第0001号/ }).waitFor()
    await page.locator('[data-testid=settings-save]').click()
    for (let i = 0; i < 50 && (await ok(office.api('/api/v1/settings'))).sheet_number_format !== '城管交〔{YYYY}〕第{NNNN}号'; i++) await page.waitForTimeout(100)
    assert.equal((await ok(office.api('/api/v1/settings'))).sheet_number_format, '城管交〔{YYYY}〕第{NNNN}号')
    await shot(page, 'settings-eval-date.png')

    await page.goto(`${BASE}/`)
    await page.getByText('2027-05-20').first().waitFor()
    await page.mouse.move(0, 0)
    await shot(page, 'home-eval-date.png')
    assert.deepEqual(await desk.problems(), [])
  } finally {
    await desk.context.close()
    const { defaults: _d, updated_at: _a, updated_by_name: _b, ...values } = before
    await ok(office.api('/api/v1/settings', { method: 'PUT', body: values }))
    await ok(office.api('/api/v1/settings/eval-date', { method: 'PUT', body: { eval_date: me0.tenant.eval_date } }))
  }
})

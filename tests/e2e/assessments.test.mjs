// 考核 and 问责 in the browser against a running wenming server (WENMING_URL) holding the demo
// county, whose three months before this one are published assessments (demo_assess.c).
// The office opens 考核问责 › 考核结果, the latest month's results by unit kind with the red and
// black lists, a town's history as a chart, and exports the xlsx; then a draft of this month:
// an adjustment (+2 with its reason) in the dialog, publishing with the confirmation, locked.
// 问责管理 lists the candidates and the demo's record, and the office records a 约谈. A town's
// administrator reads its own results on the phone. Every page is checked with axe.
//
// Env: WENMING_URL, WENMING_DEMO_PASSWORD, WENMING_SCREENSHOTS (default build/screenshots).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { baseUrl, launchBrowser, openPage, DESKTOP, PHONE, shot, signIn, field, ok } from './browser.mjs'
import { readSheet } from './xlsx.mjs'
import { login } from '../api/harness.mjs'

const BASE = baseUrl()
const PASSWORD = process.env.WENMING_DEMO_PASSWORD
if (!PASSWORD) throw new Error('WENMING_DEMO_PASSWORD is not set')

let browser
let office
let town

before(async () => {
  browser = await launchBrowser()
  office = await login(BASE, 'office01', PASSWORD)
  town = await login(BASE, 'town01', PASSWORD)
})

after(async () => {
  await browser?.close()
})

test('the office reads the latest published month: kinds, red and black lists, a town\'s history chart, the xlsx', async () => {
  const list = await ok(office.api('/api/v1/assessments?status=published&kind=month'))
  assert.equal(list.items.length, 3, 'the demo publishes three months')
  const latest = list.items[0]
  const res = await ok(office.api(`/api/v1/assessments/${latest.id}/results`))
  const desk = await openPage(browser, DESKTOP)
  const { page } = desk
  try {
    await signIn(page, BASE, 'office01', PASSWORD)
    await page.locator('[data-testid=menu-assessments]').click()
    await page.waitForURL(/\/assessments$/)
    await page.locator(`[data-testid=assess-row-${latest.id}]`).waitFor()
    await shot(page, 'assessments-list.png')
    await page.locator(`[data-testid=assess-row-${latest.id}]`).click()
    await page.waitForURL(new RegExp(`/assessments/${latest.id}$`))
    await page.locator('[data-testid=assess-status]', { hasText: '已发布' }).waitFor()
    // the department tab: the rows in the API's order
    const depts = res.items.filter((x) => x.unit_kind === 'department')
    const names = await page.locator('[data-testid=assess-results] tbody tr td:nth-child(2)').allInnerTexts()
    assert.deepEqual(names.map((s) => s.trim()), depts.map((x) => x.unit_name))
    const red = depts.filter((x) => x.list === 'red').map((x) => x.unit_name)
    for (const name of red) await page.locator('[data-testid=assess-red]', { hasText: name }).waitFor()
    await shot(page, 'assessment-detail.png')

    // towns, and 城关街道's history (its +2 every month)
    await page.getByRole('tab', { name: '乡镇/街道' }).click()
    const cg = res.items.find((x) => x.unit_name === '城关街道')
    await page.locator(`[data-testid=assess-history-${cg.unit_id}]`).click()
    await page.locator('[data-testid=assess-chart] canvas').waitFor()
    await shot(page, 'assessment-history.png')
    await page.keyboard.press('Escape')

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出' }).click()])
    const rows = readSheet(readFileSync(await download.path()), 500)
    assert.match(rows[0][0], new RegExp(latest.title))
    assert.ok(rows.some((r) => r.includes('城关街道')))
    assert.deepEqual(await desk.problems(), [])
  } finally {
    await desk.context.close()
  }
})

test('a draft of this month: +2 with its reason in the dialog, published with the confirmation, then locked', async () => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
  const draft = await ok(office.api('/api/v1/assessments', { method: 'POST', body: { kind: 'week', from: `${today.slice(0, 8)}01`, to: today, title: `E2E 周考核 ${Date.now() % 100000}` } }), 201)
  const res = await ok(office.api(`/api/v1/assessments/${draft.id}/results`))
  const ranked = res.items.find((x) => x.rank && x.unit_kind === 'department')
  assert.ok(ranked, 'some department is ranked this month')
  const desk = await openPage(browser, DESKTOP)
  const { page } = desk
  try {
    await signIn(page, BASE, 'office01', PASSWORD)
    await page.goto(`${BASE}/assessments/${draft.id}`)
    await page.locator('[data-testid=assess-status]', { hasText: '草稿' }).waitFor()
    await page.locator(`[data-testid=assess-adjust-${ranked.unit_id}]`).click()
    await field(page, 'adj-reason').fill('承办全县文明交通现场推进会，加 2 分')
    await shot(page, 'assessment-adjust.png')
    await page.locator('[data-testid=adj-save]').click()
    await page.locator('.el-message--success').waitFor()
    const after = (await ok(office.api(`/api/v1/assessments/${draft.id}/results`))).items.find((x) => x.unit_id === ranked.unit_id)
    assert.equal(after.adjust, 2)
    assert.equal(after.adjustments[0].reason, '承办全县文明交通现场推进会，加 2 分')
    await page.locator('[data-testid=assess-publish]').click()
    await page.locator('.el-message-box').waitFor()
    await shot(page, 'assessment-publish-confirm.png')
    await page.locator('.el-message-box').getByRole('button', { name: '发布' }).click()
    await page.locator('[data-testid=assess-status]', { hasText: '已发布' }).waitFor()
    await page.locator('[data-testid=assess-publish]').waitFor({ state: 'detached' })
    assert.equal(await page.locator(`[data-testid=assess-adjust-${ranked.unit_id}]`).count(), 0, 'no adjusting once published')
    const r = await office.api(`/api/v1/assessments/${draft.id}/adjustments`, { method: 'POST', body: { unit_id: ranked.unit_id, points: 1, reason: '发布后再加分' } })
    assert.equal(r.status, 409)
    await shot(page, 'assessment-published.png')
    assert.deepEqual(await desk.problems(), [])
  } finally {
    await desk.context.close()
  }
})

test('问责管理: the candidates with their reasons, the demo\'s record, and a 约谈 recorded in the dialog', async () => {
  const acc = await ok(office.api('/api/v1/accountability'))
  assert.ok(acc.records.length >= 1, 'the demo records one')
  assert.ok(acc.items.length >= 1, 'some unit is a candidate')
  const c = acc.items[0]
  const desk = await openPage(browser, DESKTOP)
  const { page } = desk
  try {
    await signIn(page, BASE, 'office01', PASSWORD)
    await page.locator('[data-testid=menu-accountability]').click()
    await page.waitForURL(/\/accountability$/)
    await page.locator('[data-testid=acc-candidates]', { hasText: c.unit_name }).waitFor()
    await page.locator('[data-testid=acc-records]', { hasText: acc.records[0].text.slice(0, 10) }).waitFor()
    await shot(page, 'accountability.png')
    await page.locator(`[data-testid=acc-record-${c.unit_id}]`).click()
    await field(page, 'acc-date').fill('2026-12-05')
    await field(page, 'acc-date').press('Enter')
    await field(page, 'acc-text').fill('通报批评：超期问题长期未整改，责令一周内完成')
    await shot(page, 'accountability-record.png')
    await page.locator('[data-testid=acc-save]').click()
    await page.locator('.el-message--success').waitFor()
    const now = await ok(office.api('/api/v1/accountability'))
    assert.equal(now.records.length, acc.records.length + 1)
    assert.ok(now.records.some((x) => x.unit_id === c.unit_id && x.text.startsWith('通报批评')))
    assert.deepEqual(await desk.problems(), [])
  } finally {
    await desk.context.close()
  }
})

test('a town reads its own results on the phone', async () => {
  const hist = await ok(town.api(`/api/v1/assessments/units/${town.me.unit.id}/history`))
  assert.ok(hist.items.length >= 3)
  const phone = await openPage(browser, PHONE)
  try {
    await signIn(phone.page, BASE, 'town01', PASSWORD)
    await phone.page.locator('[data-testid=m-home-assess]').click()
    await phone.page.waitForURL(/\/m\/assessments$/)
    await phone.page.locator('[data-testid=m-assess-total]').waitFor()
    await shot(phone.page, 'assessment-phone.png')
    assert.deepEqual(await phone.problems(), [])
  } finally {
    await phone.context.close()
  }
})

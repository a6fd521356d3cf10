// The framework as offices keep it, in the browser against the demo county
// (WENMING_URL): the office previews the shipped sample workbook and imports
// it; the demo framework shows Ⅰ/Ⅱ/Ⅲ codes, multi-line standards with their
// grading, the minors' part and the negative list, where an incident is
// recorded; a round's score page shows the prediction lowered by the
// deduction and the minors gate; on a phone the inspector is asked for a
// level and a count of shortfalls.  Screenshots go to WENMING_SCREENSHOTS.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { baseUrl, launchBrowser, openPage, callApi, signIn, shot, field, PHONE, noSidewaysScroll } from './browser.mjs'

const BASE = baseUrl()
const PW = process.env.WENMING_DEMO_PASSWORD
const SAMPLE = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'samples', 'framework-sample.xlsx')
const RUN = Date.now().toString(36).slice(-6)

let browser
let office
before(async () => {
  browser = await launchBrowser()
  office = await openPage(browser)
  await signIn(office.page, BASE, 'office01', PW)
})
after(async () => {
  await office?.context.close()
  await browser?.close()
})

test('the sample workbook previews with no error and imports; the demo framework shows codes, grading, parts and the negative list', async () => {
  const { page } = office
  await page.goto(`${BASE}/inspection/frameworks`)
  await page.locator('[data-testid=framework-import]').click()
  await field(page, 'fwi-name').fill(`样表${RUN}`)
  await page.locator('[data-testid=fwi-upload] input[type=file]').setInputFiles(SAMPLE)
  await page.locator('[data-testid=fwi-preview]').click()
  await page.locator('[data-testid=fwi-counts]', { hasText: '测评标准 124 条' }).waitFor({ timeout: 20000 })
  assert.equal(await page.locator('[data-testid=fwi-errors]').count(), 0)
  await shot(page, 'framework-import-preview.png')
  await page.locator('[data-testid=fwi-confirm]').click()
  await page.locator('[data-testid=framework-table] .el-table__row', { hasText: `样表${RUN}` }).waitFor()

  const list = await callApi(page, 'GET', '/frameworks?size=100')
  const demo = list.data.items.find((f) => f.name.includes('示例县'))
  await page.goto(`${BASE}/inspection/frameworks/${demo.id}`)
  await page.locator('[data-testid=indicator-table] .el-table__row', { hasText: 'Ⅰ-4' }).waitFor()
  await page.locator('[data-testid=framework-minors]').waitFor()
  await field(page, 'indicator-filter').fill('社会诚信')
  await page.waitForTimeout(400)
  await shot(page, 'framework-demo-tree.png')

  // an incident against the negative list, through the dialog
  await field(page, 'indicator-filter').fill('')
  await page.locator('[data-testid=negative-panel]').scrollIntoViewIfNeeded()
  await page.locator('[data-testid=incident-add]').click()
  await page.locator('[data-testid=incident-item]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '负-05' }).click()
  await page.locator('.el-dialog:visible .el-date-editor input').first().fill('2026-03-12')
  await page.keyboard.press('Enter')
  await field(page, 'incident-description').fill(`E2E 不文明行为被媒体曝光 ${RUN}`)
  await page.locator('[data-testid=incident-save]').click()
  await page.locator('[data-testid=incident-table] .el-table__row', { hasText: `E2E 不文明行为被媒体曝光 ${RUN}` }).waitFor()
  await shot(page, 'framework-negative-list.png')
  assert.deepEqual(await office.problems(), [])
})

test('a round on graded standards: the phone asks for a level and shortfalls; the score shows the prediction, the deduction and the minors gate', async () => {
  const { page } = office
  const list = await callApi(page, 'GET', '/frameworks?size=100')
  const demo = list.data.items.find((f) => f.name.includes('示例县'))
  const users = await callApi(page, 'GET', '/users?keyword=insp04&size=10')
  const insp = users.data.items.find((u) => u.username === 'insp04')
  // a point type whose checklist has graded items
  const types = (await callApi(page, 'GET', '/point-types?size=100')).data.items
  let type
  let items
  for (const t of types) {
    const cl = await callApi(page, 'GET', `/point-types/${t.id}/checklist?framework_id=${demo.id}`)
    if (cl.data.items.some((i) => i.grading.kind === 'levels') && cl.data.items.some((i) => i.grading.kind === 'deduction')) {
      type = t
      items = cl.data.items
      break
    }
  }
  assert.ok(type, 'a point type with graded items')
  const pts = (await callApi(page, 'GET', `/points?size=5&enabled=1&type_id=${type.id}`)).data.items
  const round = await callApi(page, 'POST', '/inspections', {
    title: `E2E 分档评分 ${RUN}`, kind: 'mock', framework_id: demo.id, starts_on: '2026-03-01', ends_on: '2026-12-31',
    inspector_ids: [insp.id], selection: { mode: 'chosen', point_ids: pts.slice(0, 2).map((p) => p.id) },
  })
  assert.equal(round.status, 201, JSON.stringify(round.data))
  const id = round.data.id

  const phone = await openPage(browser, PHONE)
  try {
    await signIn(phone.page, BASE, 'insp04', PW)
    await phone.page.goto(`${BASE}/m/inspections/${id}/points/${pts[0].id}`)
    const lv = items.find((i) => i.grading.kind === 'levels')
    const de = items.find((i) => i.grading.kind === 'deduction')
    await phone.page.locator(`[data-testid=m-level-${lv.id}-B]`).click()
    const stepper = phone.page.locator(`[data-testid=m-shortfalls-${de.id}] .van-stepper__input`)
    await stepper.fill('2')
    await stepper.blur()
    await phone.page.locator(`[data-testid=m-grade-${lv.id}]`).scrollIntoViewIfNeeded()
    await noSidewaysScroll(phone.page, 'the graded checklist')
    await shot(phone.page, 'framework-m-graded-checklist.png')
  } finally {
    await phone.context.close()
  }

  // records by API (the phone's submission is covered by inspection.test.mjs)
  const login = await openPage(browser)
  try {
    await signIn(login.page, BASE, 'insp04', PW)
    for (const [n, p] of pts.slice(0, 2).entries()) {
      const obs = items.map((i) => {
        if (i.grading.kind === 'levels') return { item_id: i.id, level: n ? 'A' : 'C' }
        if (i.grading.kind === 'deduction') return { item_id: i.id, shortfalls: n ? 0 : 3 }
        if (i.grading.kind === 'rate') return { item_id: i.id, rate: n ? 0.95 : 0.5 }
        return { item_id: i.id, rating: 'pass' }
      })
      const r = await callApi(login.page, 'POST', `/inspections/${id}/records`, { client_key: `e2e-g-${RUN}-${n}`, point_id: p.id, observations: obs })
      assert.ok(r.status === 201 || r.status === 200, JSON.stringify(r.data))
    }
  } finally {
    await login.context.close()
  }
  await page.goto(`${BASE}/inspection/rounds/${id}/score`)
  await page.locator('[data-testid=score-prediction]').waitFor({ timeout: 15000 })
  const text = await page.locator('[data-testid=score-prediction]').innerText()
  assert.match(text, /负面清单扣分/)
  assert.match(text, /未成年人思想道德建设/)
  await shot(page, 'framework-score-prediction.png')
  assert.deepEqual(await office.problems(), [])
})

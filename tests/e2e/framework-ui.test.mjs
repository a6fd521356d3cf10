// The method vocabulary and the grading editor, in the browser against the
// demo county (WENMING_URL): on 测评体系 the office opens 测评方法, is refused
// a name with a separator (the API's words on the field), adds its own
// method, sees it beside the built-ins with its score part and removes it;
// in a copy of the demo framework it turns a standard's grading into A/B/C/D
// levels with rules, is refused a repeated level (on the field), saves, and
// the API reads the levels back.  Screenshots go to WENMING_SCREENSHOTS.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { baseUrl, launchBrowser, openPage, callApi, signIn, shot as shotAt, field, expectStatus, PHONE, noSidewaysScroll } from './browser.mjs'

const BASE = baseUrl()
const PW = process.env.WENMING_DEMO_PASSWORD
const RUN = Date.now().toString(36).slice(-6)

// the pointer off the button it just clicked (a hovered button is lighter)
async function shot(page, name) {
  await page.mouse.move(1, 1)
  await shotAt(page, name)
}

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

test('测评方法: every method with its score part; the office adds its own and removes it', async () => {
  const { page } = office
  office.expect(expectStatus(422, '/framework-methods'))
  await page.goto(`${BASE}/inspection/frameworks`)
  await page.locator('[data-testid=framework-methods]').click()
  const dialog = page.locator('[data-testid=methods-dialog]')
  await dialog.locator('[data-testid=methods-table] .el-table__row', { hasText: '网络（电话、媒体）调查' }).waitFor()
  const builtins = (await callApi(page, 'GET', '/framework-methods')).data.items
  assert.ok(builtins.length >= 10, 'the built-in methods are listed')
  assert.equal(await dialog.locator('[data-testid=methods-table] .el-table__row').count(), builtins.length)
  // 听取汇报 feeds the data part
  await dialog.locator('.el-table__row', { hasText: '听取汇报' }).filter({ hasText: '数据' }).waitFor()

  // a separator in the name: the API refuses it and says why on the field
  await field(dialog, 'method-name').fill('走访、座谈')
  await dialog.locator('[data-testid=method-part]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '数据（' }).click()
  await dialog.locator('[data-testid=method-add]').click()
  await dialog.locator('.el-form-item__error', { hasText: '分隔符' }).waitFor()

  const name = `走访座谈${RUN}`
  await field(dialog, 'method-name').fill(name)
  await dialog.locator('[data-testid=method-add]').click()
  const row = dialog.locator('[data-testid=methods-table] .el-table__row', { hasText: name })
  await row.waitFor()
  assert.match(await row.innerText(), /数据[\s\S]*本单位新增/)
  await row.scrollIntoViewIfNeeded()
  await shot(page, 'framework-methods.png')

  const after1 = (await callApi(page, 'GET', '/framework-methods')).data.items
  const mine = after1.find((m) => m.name === name)
  assert.deepEqual({ part: mine.part, builtin: mine.builtin }, { part: 'data', builtin: false })
  assert.equal(after1.length, builtins.length + 1)

  await row.locator(`[data-testid=method-remove-${mine.id}]`).click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await row.waitFor({ state: 'detached' })
  const after2 = (await callApi(page, 'GET', '/framework-methods')).data.items
  assert.equal(after2.find((m) => m.name === name), undefined)
  // and once more, to keep one for the demo's eyes and check it reads back
  await field(dialog, 'method-name').fill(name)
  await dialog.locator('[data-testid=method-add]').click()
  await row.waitFor()
  assert.ok((await callApi(page, 'GET', '/framework-methods')).data.items.some((m) => m.name === name && m.part === 'data'))
  assert.deepEqual(await office.problems(), [])
})

test('the indicator dialog edits a standard\'s grading into levels; a refused level shows on the field; the API reads it back', async () => {
  const { page } = office
  const list = await callApi(page, 'GET', '/frameworks?size=100')
  const demo = list.data.items.find((f) => f.name.includes('示例县'))
  const copy = await callApi(page, 'POST', `/frameworks/${demo.id}/copy`, { name: `评分方式${RUN}` })
  assert.equal(copy.status, 201, JSON.stringify(copy.data))
  const fid = copy.data.id
  const tree = (await callApi(page, 'GET', `/frameworks/${fid}/indicators`)).data.items
  const standards = tree.flatMap((p) => (p.children || []).flatMap((c) => c.children || []))
  const std = standards.find((s) => !s.grading || s.grading.kind !== 'levels')
  assert.ok(std, 'a standard not yet graded by levels')
  office.expect(expectStatus(422, `/frameworks/${fid}/indicators/${std.id}`))

  await page.goto(`${BASE}/inspection/frameworks/${fid}`)
  await page.locator('[data-testid=indicator-table] .el-table__row').first().waitFor()
  await field(page, 'indicator-filter').fill(std.code)
  await page.locator(`[data-testid=indicator-edit-${std.id}]`).click()
  const dialog = page.locator('[data-testid=indicator-dialog]')
  await dialog.locator('[data-testid=grading-editor]').waitFor()
  await dialog.locator('[data-testid=grading-kind-levels]').click()
  const levels = dialog.locator('[data-testid^=grading-level-]').filter({ has: page.locator('[data-testid=grading-level-name]') })
  await levels.nth(2).waitFor()
  await dialog.locator('[data-testid=grading-level-add]').click()
  await levels.nth(3).waitFor()
  const rules = ['4项全符合为A', '符合2)3)4)为B', '符合其中2项为C', '其余为D']
  for (const [i, rule] of rules.entries()) await field(levels.nth(i), 'grading-level-rule').fill(rule)

  // a repeated level: the API's message on the grading field, nothing saved
  await field(levels.nth(1), 'grading-level-name').fill('A')
  await dialog.locator('[data-testid=indicator-submit]').click()
  await dialog.locator('[data-testid=indicator-grading] .el-form-item__error', { hasText: '评分档次重复' }).waitFor()
  await shot(page, 'framework-grading-refused.png')
  let back = (await callApi(page, 'GET', `/frameworks/${fid}/indicators`)).data.items
  const find = (items) => items.flatMap((p) => (p.children || []).flatMap((c) => c.children || [])).find((s) => s.id === std.id)
  assert.deepEqual(find(back).grading, std.grading ?? null)

  await field(levels.nth(1), 'grading-level-name').fill('B')
  await dialog.locator('[data-testid=indicator-grading] .el-form-item__error').waitFor({ state: 'detached' })
  const share = field(levels.nth(3), 'grading-level-share')
  await share.fill('30')
  await share.blur()
  await shot(page, 'framework-grading-levels.png')
  await dialog.locator('[data-testid=indicator-submit]').click()
  await dialog.waitFor({ state: 'hidden' })

  back = (await callApi(page, 'GET', `/frameworks/${fid}/indicators`)).data.items
  assert.deepEqual(find(back).grading, {
    kind: 'levels',
    levels: [
      { name: 'A', share: 1, rule: rules[0] },
      { name: 'B', share: 0.8, rule: rules[1] },
      { name: 'C', share: 0.6, rule: rules[2] },
      { name: 'D', share: 0.3, rule: rules[3] },
    ],
  })
  // the tree shows the scheme
  await page.locator(`[data-testid=indicator-table] .el-table__row`, { hasText: 'A 100% / B 80% / C 60% / D 30%' }).waitFor()

  // and deductions: per 2, floor 1, read back
  await page.locator(`[data-testid=indicator-edit-${std.id}]`).click()
  await dialog.locator('[data-testid=grading-kind-deduction]').click()
  const per = field(dialog, 'grading-per')
  await per.fill('2')
  await per.blur()
  const floor = field(dialog, 'grading-floor')
  await floor.fill('1')
  await floor.blur()
  await dialog.locator('[data-testid=indicator-submit]').click()
  await dialog.waitFor({ state: 'hidden' })
  back = (await callApi(page, 'GET', `/frameworks/${fid}/indicators`)).data.items
  assert.deepEqual(find(back).grading, { kind: 'deduction', per: 2, floor: 1 })
  assert.deepEqual(await office.problems(), [])
})

test('on a phone the method vocabulary fits the screen', async () => {
  const phone = await openPage(browser, PHONE)
  try {
    const { page } = phone
    await signIn(page, BASE, 'office01', PW)
    await page.goto(`${BASE}/inspection/frameworks`)
    await page.locator('[data-testid=framework-methods]').click()
    await page.locator('[data-testid=methods-table] .el-table__row').first().waitFor()
    await noSidewaysScroll(page, 'the method vocabulary')
    await shot(page, 'framework-m-methods.png')
    assert.deepEqual(await phone.problems(), [])
  } finally {
    await phone.context.close()
  }
})

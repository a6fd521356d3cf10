// 督查通报 in the browser against a running wenming server (WENMING_URL)
// holding the demo county (its last month's bulletin drafted by the demo).
// The office user opens 督查通报, drafts a bulletin for last month from the
// dialog, lands in the editor (figures, overdue units, typical problems with
// before / after thumbnails, unit table, red and black lists), writes the
// suggestions, adds a typical problem from the picker, saves, downloads
// the PDF and the Word document (their bytes checked) and issues it; a leader reads the
// list without the create button; the list on a phone. Every page is checked
// with axe.
//
// Env: WENMING_URL, WENMING_DEMO_PASSWORD, WENMING_SCREENSHOTS.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { baseUrl, launchBrowser, openPage, shot, signIn, noSidewaysScroll, DESKTOP, PHONE } from './browser.mjs'

const BASE = baseUrl()
const PASSWORD = process.env.WENMING_DEMO_PASSWORD
if (!PASSWORD) throw new Error('WENMING_DEMO_PASSWORD is not set')

let browser
before(async () => {
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
})

const suggestions = (page) => page.locator('textarea[data-testid=bulletin-suggestions], [data-testid=bulletin-suggestions] textarea').first()

async function downloaded(page, testid) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 30000 }), page.locator(`[data-testid=${testid}]`).click()])
  return { name: dl.suggestedFilename(), bytes: readFileSync(await dl.path()) }
}

test('the office drafts, edits and downloads a bulletin', async () => {
  const { context, page, problems } = await openPage(browser, DESKTOP)
  await signIn(page, BASE, 'office01', PASSWORD)
  await page.goto(`${BASE}/bulletins`)
  await page.locator('[data-testid=bulletin-table] .el-table__row').first().waitFor({ timeout: 15000 })
  assert.match(await page.locator('[data-testid=bulletin-table]').innerText(), /督查情况〔\d{4}〕第1期/)
  await shot(page, 'bulletins-list.png')

  await page.locator('[data-testid=bulletin-create]').click()
  await page.locator('[data-testid=bulletin-dialog]').waitFor()
  await shot(page, 'bulletins-create.png')
  await page.locator('[data-testid=bulletin-create-submit]').click()
  await page.waitForURL(/\/bulletins\/\d+$/, { timeout: 20000 })
  await page.locator('[data-testid=bulletin-number]').waitFor()
  assert.match(await page.locator('[data-testid=bulletin-number]').innerText(), /督查情况〔\d{4}〕第\d+期/)
  assert.match(await page.locator('[data-testid=bulletin-figures]').innerText(), /发现问题/)
  assert.ok(await page.locator('[data-testid=bulletin-units] .el-table__row').count() > 0, 'units ranked')
  assert.ok(await page.locator('[data-testid=bulletin-typical] img').count() >= 2, 'typical problems with photos')

  await suggestions(page).fill('一是立行立改。\n二是举一反三。')
  const before = await page.locator('[data-testid=bulletin-typical] .bulletin__case').count()
  await page.locator('[data-testid=bulletin-add-typical]').click()
  await page.locator('[data-testid=bulletin-picker] .el-table__row').first().waitFor({ timeout: 15000 })
  await shot(page, 'bulletins-picker.png')
  // a problem not yet among the typical ones
  const taken = await page.locator('[data-testid=bulletin-typical] .bulletin__case-head .bulletin__muted').allInnerTexts()
  const rows = page.locator('[data-testid=bulletin-picker] .el-table__row')
  const n = await rows.count()
  for (let i = 0; i < n; i++) {
    const code = (await rows.nth(i).locator('td').first().innerText()).trim()
    if (!taken.some((x) => x.includes(code))) {
      await rows.nth(i).click()
      break
    }
  }
  await page.locator('[data-testid=bulletin-typical] .bulletin__case').nth(before).waitFor()
  await page.locator('[data-testid=bulletin-save]').click()
  await page.locator('.el-message--success').waitFor({ timeout: 10000 })
  await page.reload()
  await page.locator('[data-testid=bulletin-number]').waitFor()
  assert.equal(await suggestions(page).inputValue(), '一是立行立改。\n二是举一反三。')
  assert.equal(await page.locator('[data-testid=bulletin-typical] .bulletin__case').count(), before + 1)
  await shot(page, 'bulletins-editor.png')

  const pdf = await downloaded(page, 'bulletin-download-pdf')
  assert.equal(pdf.bytes.subarray(0, 4).toString('latin1'), '%PDF')
  assert.match(pdf.name, /\.pdf$/)
  const docx = await downloaded(page, 'bulletin-download-docx')
  assert.equal(docx.bytes.subarray(0, 2).toString('latin1'), 'PK')
  assert.match(docx.name, /\.docx$/)

  // 印发: confirmed, sent to the units as an announcement, then read-only
  await page.locator('[data-testid=bulletin-issue]').click()
  await page.locator('.el-message-box').waitFor()
  await shot(page, 'bulletins-issue-confirm.png')
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await page.locator('[data-testid=bulletin-issued]').waitFor({ timeout: 30000 })
  assert.equal(await page.locator('[data-testid=bulletin-save]').count(), 0)
  await shot(page, 'bulletins-issued.png')
  assert.deepEqual(await problems(), [])
  await context.close()
})

test('a leader reads bulletins; the list on a phone', async () => {
  const { context, page, problems } = await openPage(browser, DESKTOP)
  await signIn(page, BASE, 'leader01', PASSWORD)
  await page.goto(`${BASE}/bulletins`)
  await page.locator('[data-testid=bulletin-table] .el-table__row').first().waitFor({ timeout: 15000 })
  assert.equal(await page.locator('[data-testid=bulletin-create]').count(), 0)
  await page.locator('[data-testid=bulletin-table] .el-table__row').first().click()
  await page.locator('[data-testid=bulletin-number]').waitFor()
  assert.equal(await page.locator('[data-testid=bulletin-save]').count(), 0)
  await shot(page, 'bulletins-leader.png')
  assert.deepEqual(await problems(), [])
  await context.close()

  const phone = await openPage(browser, PHONE)
  await signIn(phone.page, BASE, 'office01', PASSWORD)
  await phone.page.goto(`${BASE}/bulletins`)
  await phone.page.locator('[data-testid=bulletin-table] .el-table__row').first().waitFor({ timeout: 15000 })
  await shot(phone.page, 'bulletins-phone.png')
  await noSidewaysScroll(phone.page, 'the bulletin list')
  assert.deepEqual(await phone.problems(), [])
  await phone.context.close()
})

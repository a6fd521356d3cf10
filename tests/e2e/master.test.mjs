// The 基础数据 pages against a running wenming server (WENMING_URL) holding
// the demo data (`wenming demo`: 17 categories, 26 point types, 9 grids, 300
// points): each page opened from the sidebar shows its rows; a category is
// created under 市容环境 and a point is created, and both are found in the
// lists; the grid edit dialog shows the boundary as GeoJSON; a categories
// sheet is imported through the import dialog (its template downloaded
// there), and a sheet with bad rows is refused row by row with nothing
// written; every list page offers 导入 and 导出.
//
// Env: WENMING_URL, WENMING_ADMIN_USER (default admin), WENMING_ADMIN_PASSWORD,
// WENMING_SCREENSHOTS (default build/screenshots).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { baseUrl, screenshotDir, launchBrowser, openPage, expectStatus, uploadSheet, closeDialog, DESKTOP } from './browser.mjs'
import { readSheet } from './xlsx.mjs'

const BASE = baseUrl()
const ADMIN = process.env.WENMING_ADMIN_USER || 'admin'
const PASSWORD = process.env.WENMING_ADMIN_PASSWORD
if (!PASSWORD) {
  throw new Error('WENMING_ADMIN_PASSWORD is not set: pass the password `wenming init` printed for the administrator')
}

// Names and codes unique to this run, so the suite can run again on the same server.
const RUN = Date.now().toString(36).slice(-6)
const CATEGORY = `测试分类${RUN}`
const POINT = `测试点位${RUN}`
const POINT_CODE = `E2E-${RUN}`
const GRID = `测试网格${RUN}`
const IMPORTED = [`导入分类甲${RUN}`, `导入分类乙${RUN}`]
const REFUSED = `拒收分类${RUN}`

let browser
let desk // { context, page, problems, expect }
let tmp
before(async () => {
  browser = await launchBrowser()
  tmp = mkdtempSync(join(tmpdir(), 'wenming-e2e-master-'))
})
after(async () => {
  await desk?.context.close()
  await browser?.close()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

/** A screenshot once dialogs and radios have finished their transitions. */
async function shot(page, name) {
  await page.waitForFunction(() => !document.querySelector('.dialog-fade-enter-active, .dialog-fade-leave-active, .el-zoom-in-top-enter-active'))
  await page.waitForTimeout(300)
  await page.screenshot({ path: join(screenshotDir(), name) })
}
const input = (scope, id) => scope.locator(`input[data-testid=${id}], [data-testid=${id}] input, textarea[data-testid=${id}], [data-testid=${id}] textarea`).first()

/** Open a 基础数据 page through the sidebar and wait for its tab. */
async function openMenu(page, key) {
  await page.locator(`[data-testid=menu-${key}]`).click()
  await page.waitForURL(new RegExp(`/master/${key}$`))
  await page.locator(`[data-testid=tab-${key}]`).waitFor()
}

/** Wait until a table has rows and no loading mask. */
async function tableReady(page, id) {
  await page.locator(`[data-testid=${id}] .el-table__body-wrapper tr.el-table__row`).first().waitFor()
  await page.waitForFunction((sel) => !document.querySelector(`${sel} .el-loading-mask`), `[data-testid=${id}]`)
}

/** The total the pagination shows ("共 300 条"). */
async function paginationTotal(page) {
  const text = await page.locator('.el-pagination__total').first().innerText()
  const m = /(\d+)/.exec(text)
  assert.ok(m, `the pagination shows a total: ${text}`)
  return Number(m[1])
}

/** GET an API list with the page's session and return its total. */
const apiTotal = (page, path) => page.evaluate(async (p) => (await (await fetch(`/api/v1${p}`)).json()).total, path)

/**
 * Choose `text` in the select `field` (a data-testid inside `scope`); tries
 * again when a loaded machine let the click land while the dropdown was
 * still opening, and fails if the select never shows the choice.
 */
async function pickOption(page, scope, field, text) {
  const select = scope.locator(`[data-testid=${field}]`)
  for (let attempt = 0; attempt < 3; attempt++) {
    await select.locator('.el-select__wrapper').click()
    await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: text }).first().click()
    try {
      await select.locator('.el-select__selected-item', { hasText: text }).first().waitFor({ timeout: 3000 })
      return
    } catch {
      await page.keyboard.press('Escape')
    }
  }
  throw new Error(`${field}: could not choose ${text}`)
}

test('the administrator logs in and sees 基础数据 in the sidebar', async () => {
  desk = await openPage(browser, DESKTOP)
  const { page } = desk
  await page.goto(`${BASE}/login`)
  await input(page, 'login-username').fill(ADMIN)
  await input(page, 'login-password').fill(PASSWORD)
  await page.locator('[data-testid=login-submit]').click()
  await page.waitForURL(`${BASE}/`, { timeout: 15000 })
  const sidebar = page.locator('[data-testid=sidebar]')
  for (const item of ['基础数据', '问题分类', '责任网格', '点位类型', '测评点位']) {
    await sidebar.getByText(item, { exact: true }).first().waitFor({ timeout: 5000 })
  }
  assert.deepEqual(await desk.problems(), [])
})

test('问题分类: the tree shows, a category is added under 市容环境', async () => {
  const { page } = desk
  await openMenu(page, 'categories')
  await tableReady(page, 'category-table')
  const table = page.locator('[data-testid=category-table]')
  const count = await table.locator('tr.el-table__row').count()
  assert.ok(count >= 17, `the demo's 17 categories show (${count} rows)`)
  const parent = table.locator('tr.el-table__row', { hasText: '市容环境' }).first()
  const parentText = await parent.innerText()
  assert.match(parentText, /\d+ (小时|天)/, `the deadline reads in hours or days: ${parentText}`)
  assert.match(parentText, /一般|较重|严重/, `the severity shows: ${parentText}`)
  await shot(page, 'master-categories.png')

  await parent.locator('[data-testid^=category-add-child-]').click()
  const dialog = page.locator('[data-testid=category-dialog]')
  await dialog.waitFor()
  assert.ok((await dialog.locator('[data-testid=category-parent]').innerText()).includes('市容环境'), 'the parent is preset to 市容环境')
  await input(dialog, 'category-name').fill(CATEGORY)
  await input(dialog, 'category-code').fill(`E2E${RUN}`)
  await input(dialog, 'category-deadline').fill('168')
  await dialog.locator('[data-testid=category-severity] .el-radio', { hasText: '较重' }).click()
  await dialog.locator('[data-testid=category-severity] .el-radio.is-checked', { hasText: '较重' }).waitFor()
  await shot(page, 'master-category-dialog.png')
  await dialog.locator('[data-testid=category-submit]').click()
  await dialog.waitFor({ state: 'hidden' })

  const row = table.locator('tr.el-table__row', { hasText: CATEGORY })
  await row.waitFor()
  assert.match((await row.getAttribute('class')) || '', /el-table__row--level-1/, 'the new category sits one level below 市容环境')
  const text = await row.innerText()
  assert.ok(text.includes('7 天'), `168 hours reads 7 天: ${text}`)
  assert.ok(text.includes('较重'), `the severity is 较重: ${text}`)
  assert.deepEqual(await desk.problems(), [])
})

test('责任网格: the grids show with area and counts; the edit dialog holds the GeoJSON', async () => {
  const { page } = desk
  await openMenu(page, 'grids')
  await tableReady(page, 'grid-table')
  const total = await paginationTotal(page)
  assert.equal(total, await apiTotal(page, '/grids?size=1'))
  assert.ok(total >= 9, `the demo's 9 grids show (${total})`)
  const first = await page.locator('[data-testid=grid-table] tr.el-table__row').first().innerText()
  assert.match(first, /km²|m²/, `the area shows with its unit: ${first}`)
  for (const id of ['grid-import', 'grid-export', 'grid-import-geojson']) await page.locator(`[data-testid=${id}]`).waitFor()
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=grid-export]').click()])
  const path = join(tmp, 'grids.xlsx')
  await download.saveAs(path)
  const rows = readSheet(readFileSync(path))
  assert.equal(rows.length - 1, total, 'the export holds every grid')
  assert.equal(JSON.parse(rows[1][6]).type.endsWith('Polygon'), true, 'the boundary column is GeoJSON')
  await shot(page, 'master-grids.png')

  await page.locator('[data-testid^=grid-edit-]').first().click()
  const dialog = page.locator('[data-testid=grid-dialog]')
  await dialog.waitFor()
  await page.waitForFunction(() => /"type":\s*"(Multi)?Polygon"/.test(document.querySelector('[data-testid=grid-dialog] textarea')?.value || ''))
  await shot(page, 'master-grid-dialog.png')
  await dialog.locator('.el-dialog__footer .el-button').first().click()
  await dialog.waitFor({ state: 'hidden' })

  // A FeatureCollection with one square grid is imported.
  const file = join(tmp, 'grids.geojson')
  const ring = [[120.1, 30.1], [120.11, 30.1], [120.11, 30.11], [120.1, 30.11], [120.1, 30.1]]
  const collection = {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: { name: GRID, code: `E2EG${RUN}` }, geometry: { type: 'Polygon', coordinates: [ring] } }],
  }
  writeFileSync(file, JSON.stringify(collection))
  await page.locator('[data-testid=grid-import-geojson]').click()
  const imp = page.locator('[data-testid=grid-import-dialog]')
  await imp.waitFor()
  await imp.locator('input[type=file]').setInputFiles(file)
  await imp.locator('[data-testid=grid-import-submit]').click()
  await imp.locator('[data-testid=grid-import-result]').filter({ hasText: '导入成功，共 1 条' }).waitFor()
  await shot(page, 'master-grid-import.png')
  await imp.locator('.el-dialog__footer .el-button').first().click()
  await imp.waitFor({ state: 'hidden' })
  const row = page.locator('[data-testid=grid-table] tr.el-table__row', { hasText: GRID })
  await row.waitFor()
  assert.equal(await paginationTotal(page), total + 1, 'the imported grid is counted')
  assert.deepEqual(await desk.problems(), [])
})

/** A CSV of rows (arrays of cells) in the temp directory; returns its path. */
function csvFile(name, rows) {
  const cell = (v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)
  const path = join(tmp, `${name}-${Date.now()}.csv`)
  writeFileSync(path, rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n', 'utf8')
  return path
}

test('责任网格: an xlsx/csv sheet with a bad boundary is refused by row; fixed, the grid goes in', async () => {
  const { page } = desk
  desk.expect(expectStatus(422, '/grids/import'))
  await openMenu(page, 'grids')
  await tableReady(page, 'grid-table')
  const before = await apiTotal(page, '/grids?size=1')
  await page.locator('[data-testid=grid-import]').click()
  await page.locator('[data-testid=import-upload]').waitFor()
  const header = ['网格编码', '网格名称', '责任单位', '网格员', '排序', '状态', '边界（GeoJSON）']
  const ring = [[120.2, 30.2], [120.21, 30.2], [120.21, 30.21], [120.2, 30.21]]
  const name = `表格网格${RUN}`
  let result = await uploadSheet(page, csvFile('grids-refused', [
    header,
    [`X${RUN}`, name, '城关街道', '', '', '', JSON.stringify({ type: 'Polygon', coordinates: [ring] })],
  ]))
  assert.match(result, /没有导入任何数据/, `import result: ${result}`)
  const errors = page.locator('[data-testid=import-errors] .el-table__body-wrapper tr.el-table__row')
  await errors.first().waitFor()
  const texts = (await errors.allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim())
  console.log(`grid import errors: ${texts.join(' / ')}`)
  assert.equal(texts.length, 1)
  assert.match(texts[0], /^2 边界（GeoJSON）/)
  await shot(page, 'master-grid-sheet-refused.png')
  assert.equal(await apiTotal(page, '/grids?size=1'), before, 'nothing written')
  result = await uploadSheet(page, csvFile('grids-good', [
    header,
    [`X${RUN}`, name, '城关街道', '', '', '', JSON.stringify({ type: 'Polygon', coordinates: [[...ring, ring[0]]] })],
  ]))
  assert.match(result, /导入成功，共 1 条/, `import result: ${result}`)
  await closeDialog(page)
  await page.locator('[data-testid=grid-table] tr.el-table__row', { hasText: name }).waitFor()
  assert.equal(await apiTotal(page, '/grids?size=1'), before + 1)
  assert.deepEqual(await desk.problems(), [])
})

test('问题分类: a sheet with bad rows is refused row by row; the fixed one builds a subtree', async () => {
  const { page } = desk
  desk.expect(expectStatus(422, '/categories/import'))
  await openMenu(page, 'categories')
  await tableReady(page, 'category-table')
  await page.locator('[data-testid=category-import]').click()
  await page.locator('[data-testid=import-upload]').waitFor()
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=import-template]').click()])
  const templatePath = join(tmp, 'categories-template.xlsx')
  await download.saveAs(templatePath)
  const header = readSheet(readFileSync(templatePath))[0]
  assert.deepEqual(header, ['分类编码', '分类名称', '上级分类', '默认责任单位', '处置时限（小时）', '严重程度', '排序', '状态'])

  const before = await apiTotal(page, '/categories?size=1')
  const refused = csvFile('categories-refused', [
    header,
    [`R1${RUN}`, REFUSED, '市容环境', '', '24', '一般', '', '启用'], // row 2: fine on its own
    [`R2${RUN}`, `坏行${RUN}`, `没有的分类${RUN}`, '', '', '', '', ''], // row 3: no such parent
    [`R3${RUN}`, `坏行二${RUN}`, '市容环境', '', '三天', '特急', '', ''], // row 4: hours and severity
  ])
  let result = await uploadSheet(page, refused)
  assert.match(result, /没有导入任何数据/, `import result: ${result}`)
  const errors = page.locator('[data-testid=import-errors] .el-table__body-wrapper tr.el-table__row')
  await errors.first().waitFor()
  const texts = (await errors.allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim())
  console.log(`category import errors: ${texts.join(' / ')}`)
  assert.equal(texts.length, 3, texts.join(' / '))
  assert.match(texts[0], /^3 上级分类 .*没有的分类/)
  assert.match(texts[1], /^4 处置时限（小时）/)
  assert.match(texts[2], /^4 严重程度/)
  await shot(page, 'master-category-import-refused.png')
  assert.equal(await apiTotal(page, '/categories?size=1'), before, 'nothing written')

  const good = csvFile('categories-good', [
    header,
    [`I1${RUN}`, IMPORTED[0], '市容环境', '', '24', '较重', '', '启用'],
    [`I2${RUN}`, IMPORTED[1], `市容环境/${IMPORTED[0]}`, '', '', '严重', '', ''],
  ])
  result = await uploadSheet(page, good)
  assert.match(result, /导入成功，共 2 条/, `import result: ${result}`)
  await shot(page, 'master-category-import-done.png')
  await closeDialog(page)
  const table = page.locator('[data-testid=category-table]')
  const child = table.locator('tr.el-table__row', { hasText: IMPORTED[1] })
  await child.waitFor()
  assert.match((await child.getAttribute('class')) || '', /el-table__row--level-2/, 'the second row sits under the first, under 市容环境')
  const first = await table.locator('tr.el-table__row', { hasText: IMPORTED[0] }).innerText()
  assert.ok(first.includes('24 小时') && first.includes('较重'), first)
  assert.equal(await apiTotal(page, '/categories?size=1'), before + 2)
  assert.equal(await table.locator('tr.el-table__row', { hasText: REFUSED }).count(), 0)
  await shot(page, 'master-categories-imported.png')
  assert.deepEqual(await desk.problems(), [])
})

test('点位类型: the types show', async () => {
  const { page } = desk
  await openMenu(page, 'point-types')
  await tableReady(page, 'point-type-table')
  const total = await paginationTotal(page)
  assert.equal(total, await apiTotal(page, '/point-types?size=1'))
  assert.ok(total >= 26, `the demo's 26 point types show (${total})`)
  for (const id of ['point-type-import', 'point-type-export']) await page.locator(`[data-testid=${id}]`).waitFor()
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=point-type-export]').click()])
  const path = join(tmp, 'point-types.xlsx')
  await download.saveAs(path)
  const rows = readSheet(readFileSync(path), 1000)
  assert.deepEqual(rows[0], ['类型编码', '类型名称', '排序', '状态', '点位数'])
  assert.equal(rows.length - 1, total, 'the export holds every type')
  await shot(page, 'master-point-types.png')
  assert.deepEqual(await desk.problems(), [])
})

test('测评点位: 300 points page by page, a point is added and found', async () => {
  const { page } = desk
  await openMenu(page, 'points')
  await tableReady(page, 'point-table')
  const total = await paginationTotal(page)
  assert.equal(total, await apiTotal(page, '/points?size=1'))
  assert.ok(total >= 300, `the demo's 300 points show (${total})`)
  await shot(page, 'master-points.png')

  await page.locator('[data-testid=point-add]').click()
  const dialog = page.locator('[data-testid=point-dialog]')
  await dialog.waitFor()
  await input(dialog, 'point-name').fill(POINT)
  await input(dialog, 'point-code').fill(POINT_CODE)
  await pickOption(page, dialog, 'point-type', '农贸市场')
  await pickOption(page, dialog, 'point-grid', '城关一网格')
  await input(dialog, 'point-address').fill('示例县人民路88号')
  await input(dialog, 'point-lng').fill('119.99')
  await input(dialog, 'point-lat').fill('29.99')
  await input(dialog, 'point-person').fill('赵主任')
  await input(dialog, 'point-phone').fill('13900001111')
  await shot(page, 'master-point-dialog.png')
  await dialog.locator('[data-testid=point-submit]').click()
  await dialog.waitFor({ state: 'hidden' })

  await input(page, 'point-search-keyword').fill(POINT)
  await page.locator('[data-testid=point-search]').click()
  const row = page.locator('[data-testid=point-table] tr.el-table__row', { hasText: POINT })
  await row.waitFor()
  const text = await row.innerText()
  for (const part of [POINT_CODE, '农贸市场', '城关一网格', '119.990000', '29.990000']) {
    assert.ok(text.includes(part), `the new point's row shows ${part}: ${text}`)
  }
  assert.equal(await paginationTotal(page), 1, 'the keyword finds just the new point')
  assert.deepEqual(await desk.problems(), [])
})

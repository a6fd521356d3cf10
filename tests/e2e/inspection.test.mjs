// Field inspection in the browser against a running demo county (WENMING_URL):
//
// (a) offline: an inspector's phone loads a round, loses the signal, fills
//     two points (saved as drafts in IndexedDB, 待同步 2), comes back online;
//     the first answer of the server is lost on the way (intercepted), so the
//     outbox tries again with the same key; the server holds exactly two
//     records. Then the drafts are queued again in IndexedDB with their keys
//     and sent: the server answers replays and still holds two, with no
//     second problem.
// (b) the must-show: the demo office creates a mock evaluation (模拟测评) on
//     the desktop pages (测评体系, 检查项, 测评轮次); the demo inspector fills
//     points on a 375-px phone, one of them offline, with failed items and a
//     photo; the office sees the predicted field score, the ranked "where we
//     lose points" list, and follows a line to the problems it created.
//
// Screenshots go to WENMING_SCREENSHOTS (default build/screenshots).
// Env: WENMING_URL, WENMING_DEMO_PASSWORD (the demo accounts' password).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join, resolve, dirname } from 'node:path'
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { baseUrl, screenshotDir, launchBrowser, openPage, callApi, expectStatus, PHONE, DESKTOP, noSidewaysScroll } from './browser.mjs'

const BASE = baseUrl()
const DEMO_PASSWORD = process.env.WENMING_DEMO_PASSWORD
if (!DEMO_PASSWORD) {
  throw new Error('WENMING_DEMO_PASSWORD is not set: pass the password `wenming demo` printed for the demo accounts')
}
const OFFICE = 'office01'
const INSPECTOR = 'insp01'
const OFFLINE_INSPECTOR = 'insp02'
const PHOTO = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'photo-400x200.jpg')
const RUN = Date.now().toString(36).slice(-6)
const HERE = { latitude: 30.0, longitude: 120.0 }
// Going offline makes chromium log the failed requests; they are the test's point.
const OFFLINE_NOISE = [/net::ERR_INTERNET_DISCONNECTED/, /net::ERR_FAILED/, /Failed to load resource: net::/]

let browser
let office // { context, page, problems, expect }
let roundId // the must-show round
before(async () => {
  browser = await launchBrowser()
})
after(async () => {
  await office?.context.close()
  await browser?.close()
})

async function shot(page, name, { full = false } = {}) {
  await page.locator('.van-toast, .el-message').first().waitFor({ state: 'hidden', timeout: 8000 }).catch(() => {})
  await page.waitForFunction(() => [...document.querySelectorAll('img')].every((i) => i.complete))
  await page.waitForTimeout(400)
  await page.screenshot({ path: join(screenshotDir(), name), fullPage: full })
}

const input = (page, id) => page.locator(`input[data-testid=${id}], [data-testid=${id}] input`).first()

async function login(page, username, next) {
  await page.goto(`${BASE}/login?redirect=${encodeURIComponent(next)}`)
  await input(page, 'login-username').fill(username)
  await input(page, 'login-password').fill(DEMO_PASSWORD)
  await page.locator('[data-testid=login-submit]').click()
  await page.waitForURL((u) => u.pathname === next.split('?')[0], { timeout: 15000 })
}

async function userId(page, username) {
  const r = await callApi(page, 'GET', `/users?keyword=${username}&size=5`)
  assert.equal(r.status, 200, JSON.stringify(r.data))
  const u = r.data.items.find((x) => x.username === username)
  assert.ok(u, `user ${username} exists`)
  return u.id
}

/** Pick options of an Element Plus select by their text. */
async function pickOptions(page, select, texts) {
  await select.click()
  for (const text of texts) {
    const option = page.locator('.el-select-dropdown__item:visible', { hasText: text }).first()
    await option.waitFor()
    await option.click()
  }
  await page.keyboard.press('Escape')
}

/** The records the office sees in a round (through the API). */
async function recordCount(page, id) {
  const r = await callApi(page, 'GET', `/inspections/${id}/records?size=100`)
  assert.equal(r.status, 200, JSON.stringify(r.data))
  return r.data.total
}

/** Rate every item of the open point page: all pass, then `fails` as { index, rating, count, note, photo }. */
async function fillPoint(page, fails) {
  await page.locator('[data-testid=m-inspection-point] .m-item').first().waitFor()
  const items = page.locator('[data-testid=m-inspection-point] .m-item')
  // the items rated 合格 / 不合格 (a graded standard asks for a level, a count or a rate instead)
  const ids = await items.evaluateAll((els) =>
    els.filter((e) => e.querySelector('[data-testid$=-fail]')).map((e) => Number(e.dataset.testid.replace('m-item-', ''))),
  )
  assert.ok(ids.length >= 2, `the checklist has items rated pass/fail (${ids.length})`)
  for (const f of fails) {
    const id = ids[f.index]
    await page.locator(`[data-testid=m-rate-${id}-${f.rating}]`).click()
    if (f.note) await page.locator(`[data-testid=m-note-${id}] textarea`).fill(f.note)
    if (f.count) {
      const stepper = page.locator(`[data-testid=m-item-${id}] .van-stepper__input`)
      await stepper.fill(String(f.count))
      await stepper.blur()
    }
    if (f.photo) {
      await page.locator(`[data-testid=m-photos-${id}] input[type=file]`).setInputFiles(PHOTO)
      await page.locator(`[data-testid=m-photos-${id}] .van-uploader__preview img`).first().waitFor()
      await page.waitForFunction((pid) => !document.querySelector(`[data-testid=m-photos-${pid}] .van-uploader__mask`), id)
    }
  }
  await page.locator('[data-testid=m-point-all-pass]').click()
  return ids
}

async function submitPoint(page) {
  await page.locator('[data-testid=m-point-submit]').click()
  // a failed item without a photo asks first
  const back = /\/m\/inspections\/\d+$/
  const confirm = page.locator('.van-dialog__confirm')
  await Promise.race([page.waitForURL(back, { timeout: 15000 }), confirm.waitFor({ timeout: 15000 })])
  if (await confirm.isVisible()) await confirm.click()
  await page.waitForURL(back, { timeout: 15000 })
}

async function pointState(page, pointId) {
  return (await page.locator(`[data-testid=m-point-state-${pointId}]`).innerText()).trim()
}

/* ------------------------------------------------------------------------ */

test('offline: two points filled without a signal are stored exactly twice, also after a lost answer and a forced retry', async () => {
  // The office sets up a round of two chosen points for the offline inspector.
  office = await openPage(browser, DESKTOP)
  await login(office.page, OFFICE, '/inspection/rounds')
  const inspectorId = await userId(office.page, OFFLINE_INSPECTOR)
  const points = await callApi(office.page, 'GET', '/points?size=2&enabled=1&type_id=1')
  assert.equal(points.status, 200)
  const chosen = points.data.items.map((p) => p.id)
  assert.equal(chosen.length, 2)
  const created = await callApi(office.page, 'POST', '/inspections', {
    title: `E2E 离线督查 ${RUN}`,
    kind: 'daily',
    starts_on: '2026-01-01',
    ends_on: '2026-12-31',
    inspector_ids: [inspectorId],
    selection: { mode: 'chosen', point_ids: chosen },
  })
  assert.equal(created.status, 201, JSON.stringify(created.data))
  const id = created.data.id

  const phone = await openPage(browser, { ...PHONE, geolocation: HERE, permissions: ['geolocation'] }, { expected: OFFLINE_NOISE })
  const { page, context } = phone
  try {
    await login(page, OFFLINE_INSPECTOR, '/m/inspections')
    await page.locator('[data-testid=m-round-card]', { hasText: `E2E 离线督查 ${RUN}` }).click()
    await page.waitForURL(new RegExp(`/m/inspections/${id}$`))
    for (const p of chosen) await page.locator(`[data-testid=m-point-${p}]`).waitFor()
    assert.equal(await pointState(page, chosen[0]), '未检查')
    // let the point page's code arrive before the signal goes
    await page.waitForLoadState('networkidle')

    await context.setOffline(true)
    await page.evaluate(() => window.dispatchEvent(new Event('offline')))
    for (const [n, p] of chosen.entries()) {
      await page.locator(`[data-testid=m-point-${p}]`).click()
      await page.waitForURL(new RegExp(`/points/${p}$`))
      await fillPoint(page, [{ index: n, rating: 'fail', count: 2, note: `离线发现 ${n + 1}` }])
      await submitPoint(page)
      assert.equal(await pointState(page, p), '待同步')
    }
    await page.locator('[data-testid=m-sync-pending]', { hasText: '待同步 2' }).waitFor()
    await noSidewaysScroll(page, 'the offline round page')
    await shot(page, 'inspection-offline-pending.png')
    assert.equal(await recordCount(office.page, id), 0, 'nothing reached the server while offline')

    // Back online, the first answer is lost on its way to the phone.
    let posts = 0
    await page.route('**/api/v1/inspections/*/records', async (route) => {
      if (route.request().method() !== 'POST') return route.continue()
      posts++
      const response = await route.fetch()
      if (posts === 1) return route.abort('connectionreset')
      return route.fulfill({ response })
    })
    phone.expect(/net::ERR_CONNECTION_RESET/)
    await context.setOffline(false)
    await page.evaluate(() => window.dispatchEvent(new Event('online')))
    // the lost answer stops the run; the server already holds the first record
    await page.waitForFunction(() => !document.querySelector('[data-testid=m-sync-now] .van-loading'))
    await page.waitForTimeout(300)
    assert.ok(posts >= 1, 'the outbox sent on the online event')
    assert.equal(await recordCount(office.page, id), 1, 'the first record is stored although its answer was lost')
    await page.locator('[data-testid=m-sync-now]').click()
    await page.locator('[data-testid=m-sync-pending]', { hasText: '待同步 0' }).waitFor({ timeout: 15000 })
    for (const p of chosen) await page.locator(`[data-testid=m-point-state-${p}]`, { hasText: '已提交' }).waitFor()
    assert.equal(posts, 3, 'the retry sent the first record again, then the second')
    assert.equal(await recordCount(office.page, id), 2, 'exactly two records')
    await shot(page, 'inspection-offline-synced.png')

    // Force a retry of both drafts with the same keys.
    const problemsBefore = await callApi(office.page, 'GET', `/problems?inspection_id=${id}&size=100`)
    const keys = await page.evaluate(
      (roundId) =>
        new Promise((resolveKeys, reject) => {
          const open = indexedDB.open('wenming-inspection')
          open.onerror = () => reject(open.error)
          open.onsuccess = () => {
            const tx = open.result.transaction('drafts', 'readwrite')
            const store = tx.objectStore('drafts')
            const out = []
            store.getAll().onsuccess = (e) => {
              for (const d of e.target.result) {
                if (d.round_id !== roundId) continue
                out.push(d.client_key)
                store.put({ ...d, state: 'queued', record_id: null, queued_at: Date.now() })
              }
            }
            tx.oncomplete = () => resolveKeys(out)
          }
        }),
      id,
    )
    assert.equal(keys.length, 2, 'two drafts with their keys')
    // Opening the page starts the outbox, which sends what is queued.
    await page.reload()
    for (let i = 0; i < 100 && posts < 5; i++) await page.waitForTimeout(100)
    assert.equal(posts, 5, 'both drafts were sent again on page load')
    await page.locator('[data-testid=m-sync-pending]', { hasText: '待同步 0' }).waitFor({ timeout: 15000 })
    for (const p of chosen) await page.locator(`[data-testid=m-point-state-${p}]`, { hasText: '已提交' }).waitFor()
    assert.equal(await recordCount(office.page, id), 2, 'still exactly two records after the forced retry')
    const records = await callApi(office.page, 'GET', `/inspections/${id}/records?size=100`)
    assert.deepEqual(records.data.items.map((r) => r.client_key).sort(), [...keys].sort(), 'the records carry the drafts\' keys')
    const problemsAfter = await callApi(office.page, 'GET', `/problems?inspection_id=${id}&size=100`)
    assert.equal(problemsAfter.data.total, problemsBefore.data.total, 'no second problem from a replay')
    assert.equal(problemsAfter.data.total, 2, 'one problem per failed item')
    assert.deepEqual(await phone.problems(), [])
  } finally {
    await context.close()
  }
})

test('must-show 1: the office creates a mock evaluation (模拟测评) on the desktop pages', async () => {
  const { page } = office

  // 测评体系: the demo county's framework, active, with its tree
  await page.goto(`${BASE}/inspection/frameworks`)
  const row = page.locator('[data-testid=framework-table] .el-table__row', { hasText: '启用中' })
  await row.waitFor()
  assert.equal(await row.count(), 1, 'one active version')
  await shot(page, 'inspection-frameworks.png')
  await row.locator('[data-testid^=framework-open-]').click()
  await page.waitForURL(/\/inspection\/frameworks\/\d+$/)
  await page.locator('[data-testid=indicator-table] .el-table__row').first().waitFor()
  assert.equal((await page.locator('[data-testid=framework-field-total]').innerText()).trim(), '40.00')
  await page.locator('[data-testid=indicator-table] .el-table__expand-icon').first().click()
  await page.waitForTimeout(300)
  await shot(page, 'inspection-framework-tree.png')

  // 检查项 of 主次干道
  await page.goto(`${BASE}/inspection/checklists`)
  await page.locator('[data-testid=checklist-table] .el-table__row').first().waitFor({ timeout: 10000 })
  await shot(page, 'inspection-checklists.png')

  // 测评轮次 › 新建测评: 模拟测评, insp01, 2 points of each of three types
  await page.goto(`${BASE}/inspection/rounds`)
  await page.locator('[data-testid=round-add]').click()
  const dialog = page.locator('[data-testid=round-dialog]')
  await dialog.waitFor()
  const title = `E2E 模拟测评 ${RUN}`
  await input(page, 'round-title').fill(title)
  await pickOptions(page, dialog.locator('[data-testid=round-inspectors]'), [`（${INSPECTOR}）`])
  await pickOptions(page, dialog.locator('[data-testid=round-types]'), ['主次干道', '背街小巷', '农贸市场'])
  const perType = dialog.locator('[data-testid=round-per-type] input')
  await perType.fill('2')
  await perType.blur()
  await dialog.locator('[data-testid=round-preview-btn]').click()
  await dialog.locator('[data-testid=round-preview]', { hasText: '将抽取 6 个点位' }).waitFor({ timeout: 10000 })
  await shot(page, 'inspection-round-new.png')
  await page.locator('[data-testid=round-submit]').click()
  await page.waitForURL(/\/inspection\/rounds\/\d+$/, { timeout: 15000 })
  roundId = Number(new URL(page.url()).pathname.split('/').pop())
  await page.locator('[data-testid=round-progress]', { hasText: '0/6' }).waitFor()
  await shot(page, 'inspection-round-detail.png')
  const round = await callApi(page, 'GET', `/inspections/${roundId}`)
  assert.equal(round.data.kind, 'mock')
  assert.equal(round.data.title, title)
  assert.equal(round.data.inspectors.length, 1)
  assert.deepEqual(await office.problems(), [])
})

test('must-show 2: the inspector fills points on a 375-px phone, one offline, with failed items and photos', async () => {
  assert.ok(roundId, 'the round exists')
  const phone = await openPage(browser, { ...PHONE, geolocation: HERE, permissions: ['geolocation'] }, { expected: OFFLINE_NOISE })
  const { page, context } = phone
  try {
    await login(page, INSPECTOR, '/m')
    await page.locator('[data-testid=m-home-inspections]').click()
    await page.waitForURL(`${BASE}/m/inspections`)
    const card = page.locator('[data-testid=m-round-card]', { hasText: `E2E 模拟测评 ${RUN}` })
    await card.waitFor()
    await noSidewaysScroll(page, '实地测评')
    await shot(page, 'inspection-m-rounds.png')
    await card.click()
    await page.waitForURL(new RegExp(`/m/inspections/${roundId}$`))
    await page.locator('[data-testid=m-round-geo]', { hasText: '由近到远' }).waitFor({ timeout: 10000 })
    const pointLinks = page.locator('[data-testid^=m-point-]:not([data-testid^=m-point-state])')
    await pointLinks.first().waitFor()
    const pointIds = await pointLinks.evaluateAll((els) => els.map((e) => Number(e.dataset.testid.replace('m-point-', ''))))
    assert.equal(pointIds.length, 6, 'the six points of the round')
    await noSidewaysScroll(page, 'the round page')
    await shot(page, 'inspection-m-points.png')
    await page.waitForLoadState('networkidle')

    // The nearest point online: two failed items with a photo, the rest pass.
    await page.locator(`[data-testid=m-point-${pointIds[0]}]`).click()
    await fillPoint(page, [
      { index: 0, rating: 'fail', count: 3, note: '路口烟头较多', photo: true },
      { index: 1, rating: 'severe', note: '公益广告破损严重', photo: true },
    ])
    await noSidewaysScroll(page, 'the checklist')
    await shot(page, 'inspection-m-checklist.png')
    await shot(page, 'inspection-m-checklist-full.png', { full: true })
    await submitPoint(page)
    await page.locator(`[data-testid=m-point-state-${pointIds[0]}]`, { hasText: '已提交' }).waitFor({ timeout: 15000 })

    // The next one offline, with a failed item and a photo kept on the phone.
    await context.setOffline(true)
    await page.evaluate(() => window.dispatchEvent(new Event('offline')))
    await page.locator(`[data-testid=m-point-${pointIds[1]}]`).click()
    await fillPoint(page, [{ index: 0, rating: 'fail', count: 1, note: '摊位占道', photo: true }])
    await shot(page, 'inspection-m-offline-checklist.png')
    await submitPoint(page)
    assert.equal(await pointState(page, pointIds[1]), '待同步')
    await page.locator('[data-testid=m-sync-pending]', { hasText: '待同步 1' }).waitFor()
    await shot(page, 'inspection-m-offline-pending.png')

    // A third one left as a draft (saved, not submitted).
    await page.locator(`[data-testid=m-point-${pointIds[2]}]`).click()
    await fillPoint(page, [])
    await page.locator('[data-testid=m-point-save]').click()
    await page.waitForURL(new RegExp(`/m/inspections/${roundId}$`))
    assert.equal(await pointState(page, pointIds[2]), '草稿')

    await context.setOffline(false)
    await page.evaluate(() => window.dispatchEvent(new Event('online')))
    await page.locator('[data-testid=m-sync-pending]', { hasText: '待同步 0' }).waitFor({ timeout: 15000 })
    await page.locator(`[data-testid=m-point-state-${pointIds[1]}]`, { hasText: '已提交' }).waitFor({ timeout: 10000 })
    assert.equal(await pointState(page, pointIds[2]), '草稿')
    await noSidewaysScroll(page, 'the round page after syncing')
    await shot(page, 'inspection-m-synced.png')

    // A submitted point can be changed: the severe item is rated 不合格 after all (PUT, same record).
    await page.locator(`[data-testid=m-point-${pointIds[0]}]`).click()
    await page.locator('[data-testid=m-point-edit]').click()
    const severe = page.locator('[data-testid^=m-rate-][data-testid$=-severe][aria-checked=true]')
    const severeId = (await severe.getAttribute('data-testid')).split('-')[2]
    await page.locator(`[data-testid=m-rate-${severeId}-fail]`).click()
    await submitPoint(page)
    await page.locator(`[data-testid=m-point-state-${pointIds[0]}]`, { hasText: '已提交' }).waitFor({ timeout: 15000 })

    const records = await callApi(page, 'GET', `/inspections/${roundId}/records?size=100`)
    assert.equal(records.data.total, 2)
    const changed = records.data.items.find((r) => r.point_id === pointIds[0])
    assert.equal(changed.summary.severe, 0, 'the change reached the server')
    assert.equal(changed.summary.fail, 2)
    const offlineRecord = records.data.items.find((r) => r.point_id === pointIds[1])
    const full = await callApi(page, 'GET', `/inspections/${roundId}/records/${offlineRecord.id}`)
    const failed = full.data.observations.filter((o) => o.rating === 'fail')
    assert.equal(failed.length, 1)
    assert.equal(failed[0].photo_ids.length, 1, 'the photo taken offline was uploaded')
    assert.ok(failed[0].problem_id, 'the failed item became a problem')
    assert.ok(Math.abs(full.data.lat - 30) < 0.001, 'the GPS position is kept')
    assert.deepEqual(await phone.problems(), [])
  } finally {
    await context.close()
  }
})

test('must-show 3: the office sees the predicted score and where points are lost, and follows a line to its problems', async () => {
  assert.ok(roundId, 'the round exists')
  const { page } = office
  await page.goto(`${BASE}/inspection/rounds/${roundId}`)
  await page.locator('[data-testid=round-progress]', { hasText: '2/6' }).waitFor({ timeout: 10000 })
  // 测评记录: a record opens with its observations, photos and problems
  await page.locator('.el-tabs__item', { hasText: '测评记录' }).click()
  const recordRows = page.locator('[data-testid=round-records-table] .el-table__body-wrapper .el-table__row')
  await recordRows.first().waitFor()
  assert.equal(await recordRows.count(), 2)
  await recordRows.first().click()
  const drawer = page.locator('[data-testid=record-observations]')
  await drawer.locator('.el-table__row').first().waitFor()
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=record-observations] img')].every((i) => i.complete && i.naturalWidth > 0))
  assert.ok((await drawer.locator('img').count()) >= 1, 'the photos show')
  assert.match(await drawer.innerText(), /\d{4}-\d{6}/, 'the problems it created are named')
  await shot(page, 'inspection-record.png')
  await page.keyboard.press('Escape')
  await page.locator('[data-testid=round-open-score]').click()
  await page.waitForURL(new RegExp(`/inspection/rounds/${roundId}/score$`))
  const predicted = page.locator('[data-testid=score-predicted]')
  await predicted.waitFor()
  const value = Number((await predicted.innerText()).trim())
  const score = await callApi(page, 'GET', `/inspections/${roundId}/score`)
  assert.equal(value.toFixed(2), Number(score.data.predicted).toFixed(2), 'the big number is the predicted score')
  assert.ok(value > 0 && value < 40, `a predicted field score below 40 (${value})`)
  await page.locator('[data-testid=rate-chart] canvas').waitFor()
  const losses = page.locator('[data-testid=score-losses-table] .el-table__body-wrapper .el-table__row')
  await losses.first().waitFor()
  assert.equal(await losses.count(), score.data.losses.length)
  assert.ok(score.data.losses.length >= 2, 'the failed standards lose points')
  await shot(page, 'inspection-score.png')

  // the Excel export and the PDF report download
  for (const [button, ext] of [['round-export', 'xlsx'], ['round-report', 'pdf']]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid=${button}]`).first().click()])
    assert.ok(download.suggestedFilename().endsWith(`.${ext}`), download.suggestedFilename())
    const file = join(screenshotDir(), `inspection-${roundId}.${ext}`)
    await download.saveAs(file)
    const head = readFileSync(file).subarray(0, 4).toString('latin1')
    assert.equal(head, ext === 'pdf' ? '%PDF' : 'PK\x03\x04', `a real ${ext}`)
    rmSync(file)
  }

  // compared with the offline round: standards matched by code, rose or fell
  await pickOptions(page, page.locator('[data-testid=score-compare-with]'), [`E2E 离线督查 ${RUN}`])
  const compared = page.locator('[data-testid=compare-standards] .el-table__body-wrapper .el-table__row')
  await compared.first().waitFor({ timeout: 10000 })
  assert.match(await page.locator('[data-testid=score-compare]').innerText(), /上升|下降|持平|本轮新增|本轮未测/)
  await page.locator('[data-testid=score-compare]').scrollIntoViewIfNeeded()
  await shot(page, 'inspection-score-compare.png')

  // The first line with problems leads to them.
  const loss = score.data.losses.find((l) => l.problem_ids.length)
  await page.locator(`[data-testid=loss-problems-${loss.standard_id}]`).click()
  await page.waitForURL(/\/problems\?/)
  const url = new URL(page.url())
  assert.equal(url.searchParams.get('inspection_id'), String(roundId))
  assert.equal(url.searchParams.get('standard_id'), String(loss.standard_id))
  await page.locator('[data-testid=problem-from-inspection]').waitFor()
  const rows = page.locator('[data-testid=problem-table] .el-table__body-wrapper .el-table__row')
  await rows.first().waitFor()
  assert.equal(await rows.count(), loss.problem_ids.length, 'the list holds the problems of that line')
  for (const pid of loss.problem_ids) await page.locator(`[data-testid=problem-row-${pid}]`).waitFor()
  await shot(page, 'inspection-loss-problems.png')
  assert.deepEqual(await office.problems(), [])
})

test('测评体系: import with a row-by-row error report, then a good sheet; edit the tree, write a checklist, copy the version', async () => {
  const { page } = office
  office.expect(expectStatus(422, '/frameworks/import')) // the bad sheet, on purpose
  const dir = mkdtempSync(join(tmpdir(), 'wenming-fw-'))
  const head = '项目编码,测评项目,内容编码,测评内容,标准编码,测评标准,分值,测评方法,牵头单位,责任单位,考察点位类型'
  const bad = join(dir, 'bad.csv')
  writeFileSync(bad, [head, '1,理想信念,1.1,核心价值观,1.1.1,公益广告,abc,实地考察,,,主次干道', ',,,,1.2.1,编码不对,1,走访,,,'].join('\n'))
  const name = `E2E体系${RUN}`
  const good = join(dir, `${name}.csv`)
  writeFileSync(
    good,
    [
      head,
      '1,理想信念,1.1,核心价值观,1.1.1,公益广告规范,1.5,实地考察、网上申报,县委宣传部,,主次干道',
      ',,,,1.1.2,宣传栏内容更新,0.5,实地考察,,,',
      '2,公共秩序,2.1,交通秩序,2.1.1,行人闯红灯,1,实地考察,,,主次干道',
    ].join('\n'),
  )

  await page.goto(`${BASE}/inspection/frameworks`)
  await page.locator('[data-testid=framework-import]').click()
  // the preview lists every bad cell and writes nothing; 确认导入 stays off
  await page.locator('[data-testid=fwi-upload] input[type=file]').setInputFiles(bad)
  await page.locator('[data-testid=fwi-preview]').click()
  const errors = page.locator('[data-testid=fwi-errors] .el-table__body-wrapper .el-table__row')
  await errors.first().waitFor()
  assert.ok((await errors.count()) >= 2, 'one line per bad cell')
  assert.match(await errors.first().innerText(), /分值/)
  assert.ok(await page.locator('[data-testid=fwi-confirm]').isDisabled())
  await shot(page, 'inspection-framework-import-errors.png')

  await page.locator('[data-testid=fwi-upload] input[type=file]').setInputFiles(good)
  await page.locator('[data-testid=fwi-preview]').click()
  await page.locator('[data-testid=fwi-counts]', { hasText: '测评标准 3 条' }).waitFor()
  await shot(page, 'inspection-framework-import-preview.png')
  await page.locator('[data-testid=fwi-confirm]').click()
  await page.locator('[data-testid=fwi-confirm]').waitFor({ state: 'hidden' })
  const row = page.locator('[data-testid=framework-table] .el-table__row', { hasText: name })
  await row.waitFor()
  assert.match(await row.innerText(), /未启用/)
  await row.locator('[data-testid^=framework-open-]').click()
  await page.waitForURL(/\/inspection\/frameworks\/\d+$/)
  const fid = Number(new URL(page.url()).pathname.split('/').pop())

  // a third project through the dialog
  await page.locator('[data-testid=indicator-add]').click()
  await input(page, 'indicator-code').fill('3')
  await page.locator('textarea[data-testid=indicator-title], [data-testid=indicator-title] textarea').first().fill('诚信建设')
  await page.locator('[data-testid=indicator-submit]').click()
  await page.locator('[data-testid=indicator-table] .el-table__row', { hasText: '诚信建设' }).waitFor()
  await page.locator('[data-testid=indicator-table] .el-table__expand-icon').first().click()
  await page.waitForTimeout(300)
  await shot(page, 'inspection-framework-imported.png')

  // 检查项 of 主次干道 in the new version: every applicable standard, each with a category
  await page.goto(`${BASE}/inspection/checklists`)
  await pickOptions(page, page.locator('[data-testid=checklist-framework]'), [name])
  await page.locator('[data-testid=checklist-type-1]').click()
  await page.getByRole('button', { name: /补齐未覆盖的标准/ }).click()
  const lines = page.locator('[data-testid=checklist-table] .el-table__body-wrapper .el-table__row')
  assert.equal(await lines.count(), 3, 'the three field standards of 主次干道')
  for (let i = 0; i < 3; i++) {
    await lines.nth(i).locator('.el-select').last().click()
    await page.keyboard.type('公益广告')
    const option = page.locator('.el-tree-node:visible', { hasText: '公益广告' }).last()
    await option.waitFor()
    await option.click()
    await page.keyboard.press('Escape')
    // the dropdown must be gone before the next row's opens: its fading
    // node would otherwise be the last match and vanish under the click
    await option.waitFor({ state: 'hidden' })
  }
  await page.locator('[data-testid=checklist-save]').click()
  await page.locator('.el-message--success').waitFor()
  await shot(page, 'inspection-checklist-edit.png')
  const saved = await callApi(page, 'GET', `/point-types/1/checklist?framework_id=${fid}`)
  assert.equal(saved.status, 200)
  assert.equal(saved.data.items.length, 3)

  // 复制为新版本 carries the tree and the checklist
  await page.goto(`${BASE}/inspection/frameworks`)
  await page.locator('[data-testid=framework-table] .el-table__row', { hasText: name }).first().locator(`[data-testid=framework-copy-${fid}]`).click()
  await page.locator('[data-testid=framework-submit]').click()
  await page.waitForURL((u) => /\/inspection\/frameworks\/\d+$/.test(u.pathname) && !u.pathname.endsWith(`/${fid}`))
  const copyId = Number(new URL(page.url()).pathname.split('/').pop())
  const copy = await callApi(page, 'GET', `/frameworks/${copyId}`)
  assert.equal(copy.data.copied_from, fid)
  assert.equal(copy.data.standards, 3)
  const copied = await callApi(page, 'GET', `/point-types/1/checklist?framework_id=${copyId}`)
  assert.equal(copied.data.items.length, 3)
  assert.deepEqual(await office.problems(), [])
})

test('offline: a point the same inspector recorded meanwhile from another phone turns the draft into a replacement of that record', async () => {
  const { page: desk } = office
  const inspectorId = await userId(desk, 'insp03')
  const points = await callApi(desk, 'GET', '/points?size=1&enabled=1&type_id=2')
  const pointId = points.data.items[0].id
  const created = await callApi(desk, 'POST', '/inspections', {
    title: `E2E 同一点位 ${RUN}`,
    kind: 'covert',
    starts_on: '2026-01-01',
    ends_on: '2026-12-31',
    inspector_ids: [inspectorId],
    selection: { mode: 'chosen', point_ids: [pointId] },
  })
  assert.equal(created.status, 201, JSON.stringify(created.data))
  const id = created.data.id
  const checklists = await callApi(desk, 'GET', `/inspections/${id}/checklists`)
  const items = checklists.data.point_types[0].items

  const phone = await openPage(browser, { ...PHONE, geolocation: HERE, permissions: ['geolocation'] }, { expected: [...OFFLINE_NOISE, expectStatus(409, `/inspections/${id}/records`)] })
  const { page, context } = phone
  try {
    await login(page, 'insp03', `/m/inspections/${id}`)
    await page.locator(`[data-testid=m-point-${pointId}]`).waitFor()
    await page.waitForLoadState('networkidle')
    await context.setOffline(true)
    await page.evaluate(() => window.dispatchEvent(new Event('offline')))
    await page.locator(`[data-testid=m-point-${pointId}]`).click()
    await fillPoint(page, [{ index: 0, rating: 'fail', note: '督查员的记录' }])
    await submitPoint(page)
    assert.equal(await pointState(page, pointId), '待同步')

    // meanwhile the same inspector records the point from another phone
    const other = await openPage(browser, PHONE)
    let theirs
    try {
      await login(other.page, 'insp03', '/m')
      theirs = await callApi(other.page, 'POST', `/inspections/${id}/records`, {
        client_key: `other-phone-${RUN}`,
        point_id: pointId,
        observations: items.map((i) => ({ item_id: i.id, rating: 'pass' })),
      })
    } finally {
      await other.context.close()
    }
    assert.equal(theirs.status, 201, JSON.stringify(theirs.data))

    await context.setOffline(false)
    await page.evaluate(() => window.dispatchEvent(new Event('online')))
    await page.locator(`[data-testid=m-point-state-${pointId}]`, { hasText: '提交失败' }).waitFor({ timeout: 15000 })
    await page.locator(`[data-testid=m-point-${pointId}]`).click()
    await page.locator('[data-testid=m-point-failed]', { hasText: '覆盖' }).waitFor()
    await noSidewaysScroll(page, 'a refused draft')
    await shot(page, 'inspection-m-conflict.png')
    await submitPoint(page)
    await page.locator(`[data-testid=m-point-state-${pointId}]`, { hasText: '已提交' }).waitFor({ timeout: 15000 })

    const records = await callApi(desk, 'GET', `/inspections/${id}/records?size=10`)
    assert.equal(records.data.total, 1, 'still one record for the point')
    assert.equal(records.data.items[0].id, theirs.data.id, 'the other phone\'s record, replaced')
    assert.equal(records.data.items[0].summary.fail, 1, 'with the inspector\'s findings')
    assert.deepEqual(await phone.problems(), [])
  } finally {
    await context.close()
  }
})

// The phone pages (/m/...) on a 375-px screen against a running wenming server
// (WENMING_URL) holding the demo data: the administrator opens 上报问题, is
// sent to log in and back, takes a photo, is located by GPS (granted at a
// fixed spot inside the demo grids), picks a category, describes the problem
// and sees its code; the test then accepts and assigns it through the API,
// and on 我的任务 the administrator opens it, signs it and submits an
// after-photo: the status reads 已反馈. No page scrolls sideways.
//
// Env: WENMING_URL, WENMING_ADMIN_USER (default admin), WENMING_ADMIN_PASSWORD,
// WENMING_SCREENSHOTS (default build/screenshots).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { baseUrl, screenshotDir, launchBrowser, openPage, callApi, PHONE, noSidewaysScroll } from './browser.mjs'

const BASE = baseUrl()
const ADMIN = process.env.WENMING_ADMIN_USER || 'admin'
const PASSWORD = process.env.WENMING_ADMIN_PASSWORD
if (!PASSWORD) {
  throw new Error('WENMING_ADMIN_PASSWORD is not set: pass the password `wenming init` printed for the administrator')
}
const PHOTO = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'photo-400x200.jpg')
const RUN = Date.now().toString(36).slice(-6)
const DESCRIPTION = `E2E 手机上报 路边烟头 ${RUN}`
const HERE = { latitude: 30.0, longitude: 120.0 }

let browser
let phone // { context, page, problems, expect }
let code
let problemId
before(async () => {
  browser = await launchBrowser()
})
after(async () => {
  await phone?.context.close()
  await browser?.close()
})

async function shot(page, name) {
  await page.locator('.van-toast').first().waitFor({ state: 'hidden', timeout: 8000 }).catch(() => {})
  await page.waitForFunction(() => [...document.querySelectorAll('img')].every((i) => i.complete))
  await page.waitForTimeout(400)
  await page.screenshot({ path: join(screenshotDir(), name) })
}

test('上报问题 on a phone: login and back, photo, GPS, category, description → the new code', async () => {
  phone = await openPage(browser, { ...PHONE, geolocation: HERE, permissions: ['geolocation'] })
  const { page } = phone
  await page.goto(`${BASE}/m/report`)
  await page.waitForURL(/\/login\?redirect=/)
  await page.locator('input[data-testid=login-username], [data-testid=login-username] input').first().fill(ADMIN)
  await page.locator('input[data-testid=login-password], [data-testid=login-password] input').first().fill(PASSWORD)
  await page.locator('[data-testid=login-submit]').click()
  await page.waitForURL(`${BASE}/m/report`, { timeout: 15000 })
  const form = page.locator('[data-testid=m-report]')
  await form.waitFor()

  // GPS first: the granted position shows
  await page.locator('[data-testid=m-report-geo-text]', { hasText: '已定位' }).waitFor({ timeout: 10000 })
  assert.match(await page.locator('[data-testid=m-report-geo-text]').innerText(), /30\.0+, 120\.0+/)

  // the photo
  await form.locator('[data-testid=m-report-photos] input[type=file]').setInputFiles(PHOTO)
  await form.locator('[data-testid=m-report-photos] .van-uploader__preview img').waitFor()
  await page.waitForFunction(() => !document.querySelector('[data-testid=m-report-photos] .van-uploader__mask'))

  // the category: 乱扔垃圾 → 烟头 (or the first leaf)
  await form.locator('[data-testid=m-report-category]').click()
  const cascader = page.locator('[data-testid=m-report-cascader]')
  await cascader.waitFor()
  for (let level = 0; level < 5 && (await cascader.isVisible()); level++) {
    const options = cascader.locator('.van-cascader__options:visible .van-cascader__option')
    await options.first().waitFor()
    const wanted = options.filter({ hasText: level === 0 ? '乱扔垃圾' : '烟头' })
    await ((await wanted.count()) ? wanted.first() : options.first()).click()
    await page.waitForTimeout(350)
  }
  await cascader.waitFor({ state: 'hidden' })
  assert.ok((await form.locator('[data-testid=m-report-category] input').inputValue()).length > 0, 'a category is chosen')

  await form.locator('[data-testid=m-report-description] textarea').fill(DESCRIPTION)
  await noSidewaysScroll(page, '上报问题')
  await shot(page, 'mobile-report.png')
  await page.screenshot({ path: join(screenshotDir(), 'mobile-report-full.png'), fullPage: true })

  await form.locator('[data-testid=m-report-submit]').click()
  const codeEl = page.locator('[data-testid=m-report-code]')
  await codeEl.waitFor({ timeout: 10000 })
  code = (await codeEl.innerText()).trim()
  assert.match(code, /^\d{4}-\d{6}$/)
  await noSidewaysScroll(page, 'the report result')
  await shot(page, 'mobile-report-done.png')

  // the problem is there with the GPS position and the photo
  const list = await callApi(page, 'GET', `/problems?keyword=${encodeURIComponent(code)}`)
  assert.equal(list.status, 200)
  const p = list.data.items.find((x) => x.code === code)
  assert.ok(p, `problem ${code} is listed`)
  assert.equal(p.status, 'reported')
  assert.equal(p.description, DESCRIPTION)
  assert.ok(Math.abs(p.lat - 30) < 0.001 && Math.abs(p.lng - 120) < 0.001, `lat/lng kept: ${p.lat},${p.lng}`)
  problemId = p.id

  // 再报一个 gives a blank form again
  await page.locator('[data-testid=m-report-again]').click()
  await page.locator('[data-testid=m-report-submit]').waitFor()
  assert.equal(await form.locator('[data-testid=m-report-description] textarea').inputValue(), '')
  assert.deepEqual(await phone.problems(), [])
})

test('我的任务 on a phone: sign, then submit an after-photo → 已反馈', async () => {
  assert.ok(problemId, 'the report step ran')
  const { page } = phone
  let r = await callApi(page, 'POST', `/problems/${problemId}/accept`, { note: '情况属实' })
  assert.equal(r.status, 200, JSON.stringify(r.data))
  // the unit's own user signs and submits (the office may not: issue 13 A); dept03 is 县住建局's
  const users = await callApi(page, 'GET', '/users?keyword=dept03')
  const dept03 = (users.data.items || users.data).find((u) => u.username === 'dept03')
  assert.ok(dept03 && dept03.unit_id, JSON.stringify(users.data).slice(0, 300))
  const unitId = dept03.unit_id
  r = await callApi(page, 'POST', `/problems/${problemId}/assign`, { unit_id: unitId, deadline: Date.now() + 3 * 24 * 3600 * 1000 })
  assert.equal(r.status, 200, JSON.stringify(r.data))
  assert.equal(r.data.status, 'assigned')
  await callApi(page, 'POST', '/auth/logout')
  await page.goto(`${BASE}/login`)
  await page.locator('input[data-testid=login-username], [data-testid=login-username] input').first().fill('dept03')
  await page.locator('input[data-testid=login-password], [data-testid=login-password] input').first().fill(process.env.WENMING_DEMO_PASSWORD || '')
  await page.locator('[data-testid=login-submit]').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15000 })

  // the phone landing offers both ways in
  await page.goto(`${BASE}/m`)
  await page.locator('[data-testid=m-home-unit]').waitFor()
  await noSidewaysScroll(page, '手机首页')
  await shot(page, 'mobile-home.png')
  await page.locator('[data-testid=m-home-unit]').click()
  await page.waitForURL(`${BASE}/m/tasks`)
  const card = page.locator('[data-testid=m-task-card]', { hasText: code })
  await card.waitFor({ timeout: 10000 })
  const text = await card.innerText()
  assert.ok(text.includes('已交办'), `the card shows the status: ${text}`)
  assert.match(text, /期限\s*\d{4}-\d{2}-\d{2} \d{2}:\d{2}/, `the card shows the deadline: ${text}`)
  await noSidewaysScroll(page, '我的任务')
  await shot(page, 'mobile-tasks.png')

  await card.click()
  await page.waitForURL(new RegExp(`/m/problems/${problemId}$`))
  const status = page.locator('[data-testid=m-problem-status]')
  await status.filter({ hasText: '已交办' }).waitFor()
  await page.locator('[data-testid=m-problem-before] img').first().waitFor()
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=m-problem-before] img')].every((i) => i.complete && i.naturalWidth > 0))
  await noSidewaysScroll(page, '问题详情')
  await shot(page, 'mobile-problem.png')
  assert.equal(await page.locator('[data-testid=m-problem-submit]').count(), 0, 'no 提交整改 before signing')

  await page.locator('[data-testid=m-problem-sign]').click()
  await page.locator('.van-dialog__confirm').click()
  await status.filter({ hasText: '整改中' }).waitFor({ timeout: 10000 })
  assert.equal(await page.locator('[data-testid=m-problem-sign]').count(), 0, 'signed once')

  await page.locator('[data-testid=m-problem-submit]').click()
  const sheet = page.locator('[data-testid=m-submit-photos]')
  await sheet.waitFor()
  await sheet.locator('input[type=file]').setInputFiles(PHOTO)
  await sheet.locator('.van-uploader__preview img').waitFor()
  await page.waitForFunction(() => !document.querySelector('[data-testid=m-submit-photos] .van-uploader__mask'))
  await page.locator('[data-testid=m-submit-note] textarea').fill('已清理干净')
  await noSidewaysScroll(page, '提交整改')
  await shot(page, 'mobile-submit.png')
  await page.locator('[data-testid=m-submit-ok]').click()
  await status.filter({ hasText: '已反馈' }).waitFor({ timeout: 10000 })
  await page.locator('[data-testid=m-problem-after] img').first().waitFor()
  assert.equal(await page.locator('[data-testid=m-problem-submit]').count(), 0, 'submitted once')
  await noSidewaysScroll(page, '问题详情 after submitting')
  await shot(page, 'mobile-problem-submitted.png')

  const final = await callApi(page, 'GET', `/problems/${problemId}`)
  assert.equal(final.data.status, 'submitted')
  assert.equal(final.data.photos.filter((x) => x.kind === 'after').length, 1)
  assert.deepEqual(await phone.problems(), [])
})

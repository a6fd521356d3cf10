// The public face and the SPA 404 against a running wenming server
// (WENMING_URL). Signed out, / leads to the login page, which says what the
// system is and shows the server's health in its footer.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { baseUrl, screenshotDir, launchBrowser, openPage, DESKTOP, PHONE } from './browser.mjs'

const BASE = baseUrl() // fails the file at once, with a clear message, when unset
const DB_NAMES = { sqlite: 'SQLite', postgres: 'PostgreSQL' }
const expectedDb = process.env.WENMING_DB_KIND
if (expectedDb && !DB_NAMES[expectedDb]) {
  throw new Error(`WENMING_DB_KIND must be sqlite or postgres, not "${expectedDb}"`)
}

let browser
before(async () => {
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
})

/** Load / (signed out: the login page) and wait until the health line reports 正常. */
async function openHome(device) {
  const opened = await openPage(browser, device)
  const { page } = opened
  const response = await page.goto(`${BASE}/`, { waitUntil: 'load' })
  assert.equal(response.status(), 200, 'GET / should answer 200')
  await page.waitForURL(/\/login$/, { timeout: 10000 })
  const status = page.locator('[data-testid=health-status]')
  await status.filter({ hasText: '正常' }).waitFor({ timeout: 15000 }).catch(async (err) => {
    const text = (await status.count()) ? await status.innerText() : '(no health-status element)'
    throw new Error(`health status never became 正常; it reads ${text}: ${err.message}`)
  })
  return opened
}

test('signed out, / shows the product, the login form and a healthy server (desktop)', async () => {
  const { context, page, problems } = await openHome(DESKTOP)
  try {
    assert.equal((await page.locator('[data-testid=health-status]').innerText()).trim(), '正常')

    const db = (await page.locator('[data-testid=health-db]').innerText()).trim()
    assert.match(db, /^(SQLite|PostgreSQL)$/, `database label: ${db}`)
    if (expectedDb) assert.equal(db, DB_NAMES[expectedDb])

    const version = (await page.locator('[data-testid=health-version]').innerText()).trim()
    assert.match(version, /^\d+\.\d+\.\d+/, `version label: ${version}`)

    assert.match(await page.title(), /文明城市创建管理系统/)
    const heading = (await page.locator('h1').first().innerText()).trim()
    assert.equal(heading, '文明城市创建管理系统')
    const body = await page.locator('body').innerText()
    for (const word of ['文明', 'wenming', '问题发现', '交办', '整改', '复核', '销号', '用户登录', '服务状态', '数据库', '版本']) {
      assert.ok(body.includes(word), `page should mention ${word}`)
    }

    assert.ok(await page.locator('[data-testid=login-submit]').isVisible(), 'the login button should show')
    await page.screenshot({ path: join(screenshotDir(), 'landing-desktop.png') })
    console.log(`landing: 服务状态 正常, 数据库 ${db}, 版本 ${version}`)
    assert.deepEqual(await problems(), [])
  } finally {
    await context.close()
  }
})

test('the public page is usable on a 375-px phone', async () => {
  const { context, page, problems } = await openHome(PHONE)
  try {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone screen`)
    await page.locator('[data-testid=health-status]').scrollIntoViewIfNeeded()
    assert.ok(await page.locator('[data-testid=health-status]').isVisible())
    await page.evaluate(() => window.scrollTo(0, 0))
    assert.ok(await page.locator('[data-testid=login-submit]').isVisible(), 'the login button should show without scrolling')
    await page.screenshot({ path: join(screenshotDir(), 'landing-phone.png') })
    await page.screenshot({ path: join(screenshotDir(), 'landing-phone-full.png'), fullPage: true })
    assert.deepEqual(await problems(), [])
  } finally {
    await context.close()
  }
})

test('an unknown path shows the Chinese 404 page with a link home', async () => {
  const { context, page, problems } = await openPage(browser, DESKTOP)
  try {
    await page.goto(`${BASE}/no/such/page`, { waitUntil: 'load' })
    await page.getByRole('heading', { name: '页面不存在' }).waitFor({ timeout: 10000 })
    assert.match(await page.title(), /页面不存在/)
    await page.screenshot({ path: join(screenshotDir(), 'not-found-desktop.png') })

    const home = page.locator('[data-testid=not-found-home]')
    assert.equal(await home.getAttribute('href'), '/')
    await home.click()
    await page.waitForURL(/\/login$/) // signed out: home leads to the login page
    await page.locator('h1', { hasText: '文明城市创建管理系统' }).waitFor()
    await page.locator('[data-testid=health-status]').filter({ hasText: '正常' }).waitFor({ timeout: 15000 })
    assert.deepEqual(await problems(), [])
  } finally {
    await context.close()
  }
})

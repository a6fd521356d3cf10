// Date pickers work in the tenant's time zone, whatever the browser's: with a
// browser on UTC, the 交办 dialog's deadline picker shows the same wall time
// the page shows for that deadline (the demo county is on Asia/Shanghai), and
// a time typed into it is taken as the county's time.
//
// Env: WENMING_URL, WENMING_DEMO_PASSWORD, WENMING_SCREENSHOTS.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { baseUrl, launchBrowser, DESKTOP, shot, field, signIn, detailStatus, ok } from './browser.mjs'
import { login } from '../api/harness.mjs'

const BASE = baseUrl()
const DEMO = process.env.WENMING_DEMO_PASSWORD
if (!DEMO) throw new Error('WENMING_DEMO_PASSWORD is not set')
const RUN = Date.now().toString(36).slice(-5)

let browser
before(async () => {
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
})

/** "YYYY-MM-DD HH:mm" of ms in Asia/Shanghai (UTC+8, no DST). */
const shanghai = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 16).replace('T', ' ')

test('a UTC browser picks and shows deadlines in the county\'s time (Asia/Shanghai)', async () => {
  const office = await login(BASE, 'office01', DEMO)
  const category = (await ok(office.api('/api/v1/categories?size=500'))).items.find((c) => c.code === 'SR02')
  const point = (await ok(office.api('/api/v1/points?size=500'))).items.find((p) => p.unit_id && p.lat != null)
  const p = await ok(office.api('/api/v1/problems', {
    method: 'POST',
    body: { category_id: category.id, point_id: point.id, description: `E2E 时区 ${RUN}`, source: 'supervision' },
  }), 201)
  await ok(office.api(`/api/v1/problems/${p.id}/accept`, { method: 'POST', body: {} }))

  // openPage's contexts are on Asia/Shanghai: this one is on UTC
  const utc = await browser.newContext({ ...DESKTOP, locale: 'zh-CN', timezoneId: 'UTC' })
  const upage = await utc.newPage()
  const errors = []
  upage.on('pageerror', (e) => errors.push(e.message))
  try {
    assert.equal(await upage.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone), 'UTC')
    await signIn(upage, BASE, 'office01', DEMO)
    await upage.goto(`${BASE}/problems/${p.id}`)
    await detailStatus(upage, '已立案')
    await upage.locator('[data-testid=problem-action-assign]').click()
    const d = upage.locator('[data-testid=action-dialog]')
    await d.waitFor()
    // pick 2030-01-02 15:59 (county time) by typing it
    const input = field(d, 'action-deadline')
    await input.fill('2030-01-02 15:59')
    await input.press('Enter')
    await d.locator('.el-dialog__title').click() // close the picker panel
    assert.equal(await input.inputValue(), '2030-01-02 15:59')
    await shot(upage, 'timezone-utc-assign.png')
    await d.locator('[data-testid=action-submit]').click()
    await d.waitFor({ state: 'hidden' })
    await detailStatus(upage, '已交办')
    const after = await ok(office.api(`/api/v1/problems/${p.id}`))
    // 15:59 in Shanghai is 07:59 UTC
    assert.equal(after.deadline, Date.UTC(2030, 0, 2, 7, 59), `deadline ${new Date(after.deadline).toISOString()}`)
    assert.equal(shanghai(after.deadline), '2030-01-02 15:59')
    // the page shows the same wall time the picker did
    const text = await upage.locator('[data-testid=problem-detail]').innerText()
    assert.ok(text.includes('2030-01-02 15:59'), 'the page shows the county time')
    assert.ok(!text.includes('2030-01-02 07:59'), 'not the browser\'s UTC time')
    assert.deepEqual(errors, [])
  } finally {
    await utc.close()
  }
})

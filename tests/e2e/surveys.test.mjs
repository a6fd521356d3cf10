// Questionnaires in the browser against a running demo county (WENMING_URL):
//
// (a) the must-show: on a 375-px phone, a resident opens the public link of
//     a published survey without logging in, fills it and submits (201); the
//     same phone gets "already answered" (409) the second time; another phone
//     answering for a community whose quota is full gets 410.
// (b) a surveyor (志愿者) fills two responses offline on /m/surveys; back
//     online, the server's first answer is lost on the way (intercepted after
//     the server committed), the outbox sends the same key again, and the
//     server holds exactly two.
// (c) the office's desktop pages: the list, the designer, the results with
//     the four rates and their intervals on the demo's second wave.
//
// Screenshots go to WENMING_SCREENSHOTS (default build/screenshots).
// Env: WENMING_URL, WENMING_DEMO_PASSWORD (the demo accounts' password).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { baseUrl, screenshotDir, launchBrowser, openPage, callApi, expectStatus, assertAccessible, PHONE, DESKTOP, noSidewaysScroll } from './browser.mjs'

const BASE = baseUrl()
const DEMO_PASSWORD = process.env.WENMING_DEMO_PASSWORD
if (!DEMO_PASSWORD) throw new Error('WENMING_DEMO_PASSWORD is not set')
const RUN = Date.now().toString(36).slice(-6)
const OFFLINE_NOISE = [/net::ERR_INTERNET_DISCONNECTED/, /net::ERR_FAILED/, /Failed to load resource: net::/, /net::ERR_CONNECTION_RESET/]

let browser
let office
const fx = {}

async function shot(page, name, { full = false } = {}) {
  await page.locator('.van-toast, .el-message').first().waitFor({ state: 'hidden', timeout: 8000 }).catch(() => {})
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

const design = {
  sections: [
    {
      title: '一、社会文化环境治理',
      questions: [
        { key: 'q1', type: 'single', title: '您知道本县正在创建全国文明城市吗？', rate: 'awareness', options: [{ key: 'y', label: '知道', score: 1 }, { key: 'n', label: '不知道', score: 0 }] },
        { key: 'q2', type: 'rating', title: '您对社区环境卫生满意吗？', rate: 'satisfaction', options: [{ key: 'a', label: '满意', score: 1 }, { key: 'b', label: '比较满意', score: 0.8 }, { key: 'c', label: '一般', score: 0.5 }, { key: 'd', label: '不满意', score: 0 }] },
      ],
    },
    {
      title: '二、社区服务工作',
      questions: [
        { key: 'q3', type: 'single', title: '您支持垃圾分类吗？', rate: 'support', options: [{ key: 'y', label: '支持', score: 1 }, { key: 'n', label: '不支持', score: 0 }] },
        { key: 'q4', type: 'multiple', title: '您参加过哪些社区活动？', rate: 'participation', options: [{ key: 'a', label: '志愿服务', score: 1 }, { key: 'b', label: '文明宣讲', score: 1 }, { key: 'z', label: '都没有', score: 0 }] },
        { key: 'q5', type: 'text', title: '您的意见和建议', required: false },
      ],
    },
  ],
}

before(async () => {
  browser = await launchBrowser()
  office = await openPage(browser, DESKTOP)
  await login(office.page, 'office01', '/surveys')
  const units = await callApi(office.page, 'GET', '/units?kind=community&size=500')
  const comms = units.data.items.filter((u) => u.kind === 'community')
  fx.c1 = comms[0]
  fx.c2 = comms[1]
  const created = await callApi(office.page, 'POST', '/surveys', {
    title: `E2E 群众满意度问卷 ${RUN}`, series: `E2E ${RUN}`, min_seconds: 5, design,
    quotas: [{ unit_id: fx.c1.id, target: 20 }, { unit_id: fx.c2.id, target: 1 }],
  })
  assert.equal(created.status, 201, JSON.stringify(created.data))
  fx.id = created.data.id
  const pub = await callApi(office.page, 'POST', `/surveys/${fx.id}/publish`)
  assert.equal(pub.status, 200, JSON.stringify(pub.data))
  fx.token = pub.data.token
})
after(async () => {
  await office?.context.close()
  await browser?.close()
})

async function fillPublic(page) {
  await page.locator('[data-testid=qf-q-q1]').waitFor()
  await page.locator('[data-testid=qf-q1-y]').click()
  await page.locator('[data-testid=qf-q2-b]').click()
  await page.locator('[data-testid=qf-q3-y]').click()
  await page.locator('[data-testid=qf-q4-a]').click()
  await page.locator('[data-testid=qf-q-q5] textarea').fill('希望多开展文明实践活动')
}

async function responseTotal() {
  const r = await callApi(office.page, 'GET', `/surveys/${fx.id}/responses?size=100`)
  assert.equal(r.status, 200, JSON.stringify(r.data))
  return r.data.total
}

test('must-show: a 375-px phone fills the public page without login; the same device gets 409; a full quota 410', async () => {
  const phone = await openPage(browser, PHONE, {
    expected: [expectStatus(409, `/public/surveys/${fx.token}/responses`), expectStatus(410, `/public/surveys/${fx.token}/responses`)],
  })
  const { page } = phone
  try {
    const before = await responseTotal()
    await page.goto(`${BASE}/s/${fx.token}?c=${fx.c1.id}`)
    await page.locator('[data-testid=public-survey]').waitFor()
    assert.ok(!page.url().includes('/login'), 'no login asked')
    await fillPublic(page)
    assert.match(await input(page, 'qf-community').inputValue(), new RegExp(fx.c1.name))
    await noSidewaysScroll(page, 'the public questionnaire')
    await shot(page, 'survey-public-filled.png', { full: true })
    await page.locator('[data-testid=public-submit]').click()
    await page.locator('[data-testid=public-outcome-done]').waitFor()
    await shot(page, 'survey-public-done.png')
    assert.equal(await responseTotal(), before + 1)

    // the same phone again: 409
    await page.goto(`${BASE}/s/${fx.token}?c=${fx.c1.id}`)
    await fillPublic(page)
    await page.locator('[data-testid=public-submit]').click()
    await page.locator('[data-testid=public-outcome-answered]').waitFor()
    assert.match(await page.locator('[data-testid=public-outcome-answered]').innerText(), /已经填写过/)
    await shot(page, 'survey-public-409.png')
    assert.equal(await responseTotal(), before + 1)
    assert.deepEqual(await phone.problems(), [])
  } finally {
    await phone.context.close()
  }

  // community 2 takes one response; it comes from a surveyor, then another phone finds it full
  const taken = await callApi(office.page, 'POST', `/surveys/${fx.id}/responses`, {
    client_key: `e2e-${RUN}-quota`, community_id: fx.c2.id, answers: { q1: 'y', q2: 'a', q3: 'y', q4: ['a'] }, duration_ms: 60000,
  })
  assert.equal(taken.status, 201, JSON.stringify(taken.data))
  const other = await openPage(browser, PHONE, { expected: [expectStatus(410, `/public/surveys/${fx.token}/responses`)] })
  try {
    await other.page.goto(`${BASE}/s/${fx.token}?c=${fx.c2.id}`)
    await fillPublic(other.page)
    const n = await responseTotal()
    await other.page.locator('[data-testid=public-submit]').click()
    await other.page.locator('[data-testid=public-outcome-gone]').waitFor()
    assert.match(await other.page.locator('[data-testid=public-outcome-gone]').innerText(), /样本已满/)
    await shot(other.page, 'survey-public-410.png')
    assert.equal(await responseTotal(), n)
    assert.deepEqual(await other.problems(), [])
  } finally {
    await other.context.close()
  }
})

async function fillSurveyor(page, q1) {
  await page.locator('[data-testid=qf-q-q1]').waitFor()
  await page.locator(`[data-testid=qf-q1-${q1}]`).click()
  await page.locator('[data-testid=qf-q2-a]').click()
  await page.locator('[data-testid=qf-q3-y]').click()
  await page.locator('[data-testid=qf-q4-b]').click()
}

test('a surveyor fills two responses offline; the first answer is lost on the way back; the server holds exactly two', async () => {
  const phone = await openPage(browser, PHONE, { expected: OFFLINE_NOISE })
  const { page, context } = phone
  try {
    const before = await responseTotal()
    await login(page, 'vol02', '/m/surveys')
    await page.locator('[data-testid=m-survey-card]', { hasText: `E2E 群众满意度问卷 ${RUN}` }).click()
    await page.waitForURL(new RegExp(`/m/surveys/${fx.id}$`))
    await page.locator('[data-testid=qf-q-q1]').waitFor()
    await page.waitForLoadState('networkidle')

    await context.setOffline(true)
    await page.evaluate(() => window.dispatchEvent(new Event('offline')))
    await page.locator('[data-testid=qf-community]').click()
    await page.locator('.van-picker__confirm').click()
    await fillSurveyor(page, 'y')
    await page.locator('[data-testid=m-survey-submit]').click()
    await page.locator('[data-testid=m-survey-saved]', { hasText: '1 份' }).waitFor()
    // the community stays for the next resident
    await fillSurveyor(page, 'n')
    await page.locator('[data-testid=m-survey-submit]').click()
    await page.locator('[data-testid=m-survey-saved]', { hasText: '2 份' }).waitFor()
    await page.locator('[data-testid=m-sync-pending]', { hasText: '待同步 2' }).waitFor()
    await noSidewaysScroll(page, 'the surveyor page')
    await shot(page, 'survey-surveyor-offline.png')
    assert.equal(await responseTotal(), before, 'nothing reached the server while offline')

    // Back online, the first answer is lost after the server committed it.
    let posts = 0
    await page.route('**/api/v1/surveys/*/responses', async (route) => {
      if (route.request().method() !== 'POST') return route.continue()
      posts++
      const response = await route.fetch()
      if (posts === 1) return route.abort('connectionreset')
      return route.fulfill({ response })
    })
    await context.setOffline(false)
    await page.evaluate(() => window.dispatchEvent(new Event('online')))
    await page.waitForFunction(() => !document.querySelector('[data-testid=m-sync-now] .van-loading'))
    await page.waitForTimeout(300)
    assert.ok(posts >= 1, 'the outbox sent on the online event')
    assert.equal(await responseTotal(), before + 1, 'the first response is stored although its answer was lost')
    await page.locator('[data-testid=m-sync-now]').click()
    await page.locator('[data-testid=m-sync-pending]', { hasText: '待同步 0' }).waitFor({ timeout: 15000 })
    assert.equal(posts, 3, 'the retry sent the first response again, then the second')
    assert.equal(await responseTotal(), before + 2, 'exactly two responses')
    await shot(page, 'survey-surveyor-synced.png')
    assert.deepEqual(await phone.problems(), [])
  } finally {
    await context.close()
  }
})

test('the office sees the list, the designer and the results with the four rates and intervals', async () => {
  const { page } = office
  await page.goto(`${BASE}/surveys`)
  await page.locator('[data-testid=survey-table]').waitFor()
  await page.locator('[data-testid=survey-table] .el-table__row').first().waitFor()
  await shot(page, 'survey-list.png')
  const list = await callApi(page, 'GET', '/surveys?keyword=第二轮')
  const wave2 = list.data.items[0]
  assert.ok(wave2 && wave2.responses > 1000, 'the demo has the second wave with its responses')
  await page.goto(`${BASE}/surveys/${wave2.id}`)
  await page.locator('[data-testid=sd-q-q01]').waitFor({ timeout: 60000 })
  await shot(page, 'survey-designer.png')
  await page.goto(`${BASE}/surveys/${wave2.id}?tab=results`)
  await page.locator('[data-testid=sr-predicted]').waitFor({ timeout: 90000 })
  await page.locator('[data-testid=sr-risk] .el-table__row').first().waitFor({ timeout: 60000 })
  await page.waitForTimeout(800)
  await shot(page, 'survey-results.png')
  await page.screenshot({ path: join(screenshotDir(), 'survey-results-full.png'), fullPage: true })
  assert.deepEqual(await office.problems(), [])
})

test('the designer sets a quota by community, age group and sex; the quota tab shows it', async () => {
  const { page } = office
  const created = await callApi(page, 'POST', '/surveys', {
    title: `E2E 人口配额问卷 ${RUN}`, min_seconds: 5, design, quotas: [{ unit_id: fx.c1.id, target: 20 }],
  })
  assert.equal(created.status, 201, JSON.stringify(created.data))
  await page.goto(`${BASE}/surveys/${created.data.id}`)
  await page.locator('[data-testid=sd-demo-quotas]').waitFor({ timeout: 30000 })
  await page.locator('[data-testid=sd-add-demo-quota]').click()
  const pick = async (testid, text) => {
    await page.locator(`[data-testid=${testid}]`).click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
  }
  await pick('sd-demo-unit-0', fx.c2.name)
  await pick('sd-demo-age-0', '60 岁以上')
  await pick('sd-demo-sex-0', '女')
  await input(page, 'sd-demo-target-0').fill('5')
  await page.locator('[data-testid=sd-demo-quotas]').scrollIntoViewIfNeeded()
  await shot(page, 'survey-designer-quotas.png')
  await assertAccessible(page, 'survey designer with an age/sex quota')
  await page.locator('[data-testid=sd-save]').click()
  await page.locator('.el-message--success').first().waitFor({ timeout: 10000 }).catch(() => {})
  const got = await callApi(page, 'GET', `/surveys/${created.data.id}`)
  const quotas = got.data.quotas.map((q) => [q.unit_id, q.age_group, q.sex, q.target])
  assert.deepEqual(quotas.sort(), [[fx.c1.id, '', '', 20], [fx.c2.id, '60+', 'female', 5]].sort())
  // the page shows it again after a reload, and the quota tab names who it is for
  await page.reload()
  await page.locator('[data-testid=sd-demo-unit-0]').waitFor({ timeout: 30000 })
  await page.locator('.el-tabs__item', { hasText: '配额进度' }).click()
  await page.locator('[data-testid=survey-quotas]', { hasText: '60 岁以上 · 女' }).waitFor()
  await assertAccessible(page, 'survey quota progress')
  assert.deepEqual(await office.problems(), [])
})

// The less-used steps of the closed loop, each through its dialog on the problem
// detail page, as the demo county's own people: the office (office01), the unit that
// must rectify (a unit user of the point's responsible unit) and the inspector who
// reported (insp01).  Each step asserts the status label and its timeline entry:
// invalidate with a reason; return by the unit, then reassign by the office; verify
// failed -> rework -> submit again; an extension asked and approved; park and unpark;
// void; reopen a closed problem.  The problems are set up through the API (the browser
// tests the dialogs, not the set-up); each dialog is screenshotted once.
//
// Env: WENMING_URL (a server with `wenming demo` data), WENMING_DEMO_PASSWORD,
// WENMING_SCREENSHOTS (default build/screenshots).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { baseUrl, launchBrowser, openPage, DESKTOP, shot, field, signIn, detailStatus, problemStep, ok } from './browser.mjs'
import { login } from '../api/harness.mjs'

const BASE = baseUrl()
const DEMO = process.env.WENMING_DEMO_PASSWORD
if (!DEMO) throw new Error('WENMING_DEMO_PASSWORD is not set: pass the password `wenming demo` printed for the demo accounts')
const PHOTO = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'photo-400x200.jpg')
const RUN = Date.now().toString(36).slice(-5)

let browser
let api // { office, insp, unit } API clients
let unitUser // username of the rectifying unit's user
let point
let category
const pages = {} // office, unit, insp: { context, page, problems }

const act = (client, id, action, body = {}) => ok(client.api(`/api/v1/problems/${id}/${action}`, { method: 'POST', body }))

async function photo(client) {
  const form = new FormData()
  form.append('file', new Blob([readFileSync(PHOTO)], { type: 'image/jpeg' }), 'photo.jpg')
  return (await ok(client.api('/api/v1/files', { method: 'POST', raw: form }), 201)).id
}

/** A problem reported by insp01 at the point, taken through the API to `stage`. */
async function problemAt(stage, what) {
  const p = await ok(api.insp.api('/api/v1/problems', {
    method: 'POST',
    body: { category_id: category.id, point_id: point.id, description: `E2E ${what} ${RUN}`, source: 'inspection', photo_ids: [await photo(api.insp)] },
  }), 201)
  const order = ['reported', 'accepted', 'assigned', 'rectifying', 'submitted', 'closed']
  const upto = (s) => order.indexOf(stage) >= order.indexOf(s)
  if (upto('accepted')) await act(api.office, p.id, 'accept')
  if (upto('assigned')) await act(api.office, p.id, 'assign', { unit_id: point.unit_id })
  if (upto('rectifying')) await act(api.unit, p.id, 'sign')
  if (upto('submitted')) await act(api.unit, p.id, 'submit', { photo_ids: [await photo(api.unit)], note: '已整改' })
  if (upto('closed')) await act(api.office, p.id, 'verify', { passed: true, reason: '照片无拍摄时间，已现场核实' })
  return p
}

async function openProblem(who, p, status) {
  const { page } = pages[who]
  await page.goto(`${BASE}/problems/${p.id}`)
  await detailStatus(page, status)
  return page
}

/** The newest timeline entry of action `action` must hold every text of `texts`. */
async function timelineHas(page, action, ...texts) {
  const entry = page.locator(`[data-testid=problem-timeline] [data-testid=problem-event-${action}]`).first()
  await entry.waitFor()
  const text = await entry.innerText()
  for (const s of texts) assert.ok(text.includes(s), `the ${action} entry shows ${s}: ${text}`)
}

before(async () => {
  api = { office: await login(BASE, 'office01', DEMO), insp: await login(BASE, 'insp01', DEMO) }
  category = (await ok(api.office.api('/api/v1/categories?size=500'))).items.find((c) => c.code === 'SR01')
  // a point whose responsible unit has a rectifying user of its own
  const points = (await ok(api.office.api('/api/v1/points?size=500'))).items.filter((p) => p.unit_id && p.lat != null)
  for (const p of points) {
    const users = (await ok(api.office.api(`/api/v1/users?unit_id=${p.unit_id}&size=100`))).items
    const u = users.find((x) => x.unit_id === p.unit_id && x.roles.some((k) => k === 'unit_admin' || k === 'unit_staff'))
    if (u) {
      point = p
      unitUser = u.username
      break
    }
  }
  assert.ok(point, 'a demo point whose unit has a user')
  api.unit = await login(BASE, unitUser, DEMO)
  browser = await launchBrowser()
  for (const [who, username] of [['office', 'office01'], ['unit', unitUser], ['insp', 'insp01']]) {
    pages[who] = await openPage(browser, DESKTOP)
    await signIn(pages[who].page, BASE, username, DEMO)
  }
})

after(async () => {
  for (const o of Object.values(pages)) await o.context.close()
  await browser?.close()
})

test('不予立案: the office refuses a report with a reason', async () => {
  const p = await problemAt('reported', '不予立案')
  const page = await openProblem('office', p, '待受理')
  await problemStep(page, 'invalidate', '不予立案', async (d) => {
    await field(d, 'action-reason').fill('非创城测评范围')
    await shot(page, 'dialog-invalidate.png')
  })
  await timelineHas(page, 'invalidate', '不予立案', '非创城测评范围')
  assert.equal(await page.locator('[data-testid=problem-action-void]').count(), 0, 'a final problem offers no void')
  assert.deepEqual(await pages.office.problems(), [])
})

test('退回 by the unit with a reason, then 交办 again by the office', async () => {
  const p = await problemAt('assigned', '退回改派')
  const unitPage = await openProblem('unit', p, '已交办')
  await problemStep(unitPage, 'return', '已退回', async (d) => {
    await field(d, 'action-reason').fill('该路段不属于本单位管辖')
    await shot(unitPage, 'dialog-return.png')
  })
  await timelineHas(unitPage, 'return', '退回', '该路段不属于本单位管辖')

  const page = await openProblem('office', p, '已退回')
  await problemStep(page, 'assign', '已交办', async (d) => {
    // the unit and a deadline are filled in from the routing
    assert.ok((await field(d, 'action-deadline').inputValue()).length > 0, 'a deadline is offered')
    await field(d, 'action-note').fill('经核实仍由该单位负责')
    await shot(page, 'dialog-reassign.png')
  })
  await timelineHas(page, 'assign', '交办', '经核实仍由该单位负责')
  assert.equal(await page.locator('[data-testid=problem-timeline] [data-testid=problem-event-assign]').count(), 2)
  assert.deepEqual(await pages.unit.problems(), [])
})

test('复核不通过 -> 复核不通过 status -> the unit submits again -> 已反馈', async () => {
  const p = await problemAt('submitted', '复核返工')
  const page = await openProblem('office', p, '已反馈')
  await problemStep(page, 'verify-fail', '复核不通过', async (d) => {
    assert.equal(await d.locator('[data-testid=action-outcome]').count(), 0, 'no outcome when failing')
    await field(d, 'action-note').fill('现场仍有垃圾未清理')
    await shot(page, 'dialog-verify-fail.png')
  })
  await timelineHas(page, 'verify', '复核不通过', '现场仍有垃圾未清理')

  const unitPage = await openProblem('unit', p, '复核不通过')
  await problemStep(unitPage, 'submit', '已反馈', async (d) => {
    await d.locator('[data-testid=photo-upload-input]').setInputFiles(PHOTO)
    await d.locator('[data-testid=photo-upload-item] img').waitFor()
    await field(d, 'action-note').fill('已再次清理')
    await shot(unitPage, 'dialog-resubmit.png')
  })
  await timelineHas(unitPage, 'submit', '提交整改', '已再次清理')
  assert.equal(await unitPage.locator('[data-testid=problem-timeline] [data-testid=problem-event-submit]').count(), 2)
})

test('申请延期 by the unit, 审批延期 (approved) by the office: the deadline moves', async () => {
  const p = await problemAt('rectifying', '延期')
  const before = (await ok(api.office.api(`/api/v1/problems/${p.id}`))).deadline
  const unitPage = await openProblem('unit', p, '整改中')
  await problemStep(unitPage, 'extend', '整改中', async (d) => {
    await field(d, 'action-days').fill('5')
    await field(d, 'action-reason').fill('需采购配件')
    await shot(unitPage, 'dialog-extend.png')
  })
  await unitPage.locator('.problem__title .el-tag', { hasText: '延期待审批' }).waitFor()
  await timelineHas(unitPage, 'extend', '申请延期', '需采购配件')
  assert.equal(await unitPage.locator('[data-testid=problem-action-extend]').count(), 0, 'one request at a time')

  const page = await openProblem('office', p, '整改中')
  await problemStep(page, 'decide-extension', '整改中', async (d) => {
    const text = await d.innerText()
    assert.ok(text.includes('需采购配件'), `the dialog shows the reason: ${text}`)
    await d.locator('[data-testid=action-approved] .el-radio').first().click() // 同意 (不同意 also contains it)
    await field(d, 'action-note').fill('同意延期 5 天')
    await shot(page, 'dialog-decide-extension.png')
  })
  await page.locator('.problem__title .el-tag', { hasText: '延期待审批' }).waitFor({ state: 'detached' })
  await timelineHas(page, 'decide-extension', '审批延期', '同意延期 5 天')
  const after = (await ok(api.office.api(`/api/v1/problems/${p.id}`))).deadline
  assert.equal(after - before, 5 * 86400 * 1000, 'five more days')
})

test('挂账 and 取消挂账 return the problem to where it was', async () => {
  const p = await problemAt('rectifying', '挂账')
  const page = await openProblem('office', p, '整改中')
  await problemStep(page, 'park', '已挂账', async (d) => {
    await field(d, 'action-reason').fill('需新建非机动车道，纳入明年计划')
    await shot(page, 'dialog-park.png')
  })
  await timelineHas(page, 'park', '挂账', '需新建非机动车道')
  const desc = await page.locator('[data-testid=problem-descriptions]').innerText()
  assert.ok(desc.includes('挂账前状态') && desc.includes('整改中'), `the parked-from status shows: ${desc}`)
  await problemStep(page, 'unpark', '整改中', async (d) => {
    // the same dialog a step later: no error shown before anything was typed
    assert.equal(await d.locator('.el-form-item__error').count(), 0, 'a fresh dialog shows no errors')
    await field(d, 'action-reason').fill('道路改造已立项')
    await shot(page, 'dialog-unpark.png')
  })
  await timelineHas(page, 'unpark', '取消挂账', '道路改造已立项')
})

test('作废 with a reason', async () => {
  const p = await problemAt('accepted', '作废')
  const page = await openProblem('office', p, '已立案')
  await problemStep(page, 'void', '已作废', async (d) => {
    await field(d, 'action-reason').fill('重复录入')
    await shot(page, 'dialog-void.png')
  })
  await timelineHas(page, 'void', '作废', '重复录入')
  assert.equal(await page.locator('[data-testid=problem-actions] [data-testid^=problem-action-]').count(), 0, 'nothing more to do')
})

test('重新打开 a closed problem: the inspector who reported it, back to 复核不通过', async () => {
  const p = await problemAt('closed', '重新打开')
  const page = await openProblem('insp', p, '已销号')
  await problemStep(page, 'reopen', '复核不通过', async (d) => {
    await field(d, 'action-reason').fill('回访发现问题反弹')
    await shot(page, 'dialog-reopen.png')
  })
  await timelineHas(page, 'reopen', '重新打开', '回访发现问题反弹')
  assert.deepEqual(await pages.insp.problems(), [])
})

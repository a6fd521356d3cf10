// 网上申报 in the browser against a running wenming server (WENMING_URL) with
// the demo county. Through the API the office makes an item and a unit
// uploads a Word file and a PDF; in the browser the office opens the item and
// previews both IN the page (docx-preview renders the Word text, pdf.js paints
// the PDF on a canvas with its same-origin worker, no CSP violation), then
// returns it with a comment in the review dialog; after v2 it approves it as
// 完全符合. The progress matrix and the score page show it; on a phone the
// responsible unit sees the item on /m/materials and previews the Word file.
//
// Env: WENMING_URL, WENMING_DEMO_PASSWORD, WENMING_SCREENSHOTS.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { baseUrl, launchBrowser, openPage, signIn, shot, DESKTOP, PHONE, noSidewaysScroll } from './browser.mjs'
import { login } from '../api/harness.mjs'
import { makeDocx, makePdf } from '../api/docs-fixtures.mjs'

const BASE = baseUrl()
const PASSWORD = process.env.WENMING_DEMO_PASSWORD
if (!PASSWORD) throw new Error('WENMING_DEMO_PASSWORD is not set')

let browser
let office
let lead
let resp
const fx = {}

async function ok(p, status = 200) {
  const r = await p
  assert.equal(r.status, status, r.text)
  return r.body
}

function findStandard(nodes) {
  for (const n of nodes) {
    if (n.level === 3 && n.parts?.materials > 0) return n
    const hit = findStandard(n.children || [])
    if (hit) return hit
  }
  return null
}

async function uploadV(n) {
  const form = new FormData()
  form.append('file', new Blob([makeDocx([`E2E 说明报告 第${n}版`, '一、基本情况：2024年1月以来开展志愿服务活动 36 场。', '二、主要做法：建立台账，定期调度。'])]), `说明报告v${n}.docx`)
  form.append('file', new Blob([makePdf(`E2E REPORT VERSION ${n}`)]), `说明报告v${n}.pdf`)
  form.append('note', `第${n}版`)
  return ok(resp.api(`/api/v1/materials/items/${fx.item}/versions`, { method: 'POST', raw: form }), 201)
}

before(async () => {
  browser = await launchBrowser()
  office = await login(BASE, 'office01', PASSWORD)
  lead = await login(BASE, 'dept11', PASSWORD)
  resp = await login(BASE, 'dept12s', PASSWORD)
  const fws = await ok(office.api('/api/v1/frameworks'))
  const fw = fws.items.find((f) => f.active)
  const tree = await ok(office.api(`/api/v1/frameworks/${fw.id}/indicators`))
  const std = findStandard(tree.items)
  const it = await ok(office.api('/api/v1/materials/items', {
    method: 'POST',
    body: {
      framework_id: fw.id, standard_id: std.id, code: `E2E-${Date.now() % 100000}`, title: 'E2E 志愿服务工作说明', type: 'report',
      requirement: '2024年1月以来；不超过5页', lead_unit_id: lead.me.unit.id, unit_ids: [resp.me.unit.id], deadline: '2030-06-30',
    },
  }), 201)
  fx.item = it.id
  fx.code = it.code
  await uploadV(1)
  await ok(lead.api(`/api/v1/materials/items/${fx.item}/submit`, { method: 'POST' }))
})

after(async () => {
  await browser?.close()
})

test('the office previews a docx and a PDF in the page, returns and approves', async () => {
  const { page, context, problems } = await openPage(browser, DESKTOP)
  try {
    await signIn(page, BASE, 'office01', PASSWORD)
    await page.goto(`${BASE}/materials/items/${fx.item}`)
    await page.locator('[data-testid=mat-status]', { hasText: '已提交' }).waitFor()
    const v1 = page.locator('[data-testid=mat-version-1]')
    // the Word file, rendered as HTML by docx-preview
    await v1.locator('button', { hasText: '.docx' }).click()
    const docx = page.locator('[data-testid=preview-docx] .docx-wrapper')
    await docx.waitFor({ timeout: 20000 })
    assert.match(await docx.innerText(), /E2E 说明报告 第1版[\s\S]*2024年1月以来开展志愿服务活动/)
    await shot(page, 'materials-preview-docx.png')
    // the PDF, painted on a canvas by pdf.js
    await v1.locator('button', { hasText: '.pdf' }).click()
    const canvas = page.locator('[data-testid=preview-pdf-page]').first()
    await canvas.waitFor({ timeout: 20000 })
    await page.waitForFunction(() => {
      const c = document.querySelector('[data-testid=preview-pdf-page]')
      if (!c || !c.width) return false
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
      let dark = 0
      for (let i = 0; i < d.length; i += 4) if (d[i] < 100 && d[i + 3] > 200) dark++
      return dark > 200
    }, null, { timeout: 20000 })
    await shot(page, 'materials-preview-pdf.png')

    // 退回 with a comment
    await page.locator('[data-testid=mat-review]').click()
    const dlg = page.locator('.el-dialog:visible').last()
    await dlg.locator('label', { hasText: '退回' }).click()
    await dlg.locator('[data-testid=mat-comment]').fill('请补充2024年以来的活动照片')
    await shot(page, 'materials-review-dialog.png')
    await dlg.locator('[data-testid=mat-review-ok]').click()
    await page.locator('[data-testid=mat-status]', { hasText: '已退回' }).waitFor()
    assert.match(await page.locator('[data-testid=mat-timeline]').innerText(), /退回[\s\S]*请补充2024年以来的活动照片/)

    // v2 from the unit, then 通过 完全符合
    await uploadV(2)
    await ok(lead.api(`/api/v1/materials/items/${fx.item}/submit`, { method: 'POST' }))
    await page.reload()
    await page.locator('[data-testid=mat-status]', { hasText: '已提交' }).waitFor()
    await page.locator('[data-testid=mat-review]').click()
    const dlg2 = page.locator('.el-dialog:visible').last()
    await dlg2.locator('label', { hasText: '完全符合' }).click()
    await dlg2.locator('[data-testid=mat-review-ok]').click()
    await page.locator('[data-testid=mat-status]', { hasText: '已通过' }).waitFor()
    await page.locator('[data-testid=mat-version-2]').waitFor()
    await shot(page, 'materials-detail-approved.png')

    // the catalogue, the matrix and the score
    await page.goto(`${BASE}/materials/items`)
    await page.locator('[data-testid=mat-table] .el-table__row').first().waitFor()
    await shot(page, 'materials-list.png')
    await page.goto(`${BASE}/materials/progress`)
    // about 9,000 cells for the demo county: give the first paint time
    await page.locator('[data-testid=mp-matrix] tbody tr').first().waitFor({ timeout: 30000 })
    const cell = page.locator(`[data-testid^="mp-cell-"][data-testid$="-${fx.item}"]`).first()
    await cell.waitFor({ state: 'attached', timeout: 20000 })
    await cell.scrollIntoViewIfNeeded()
    assert.equal(await cell.getAttribute('data-status'), 'approved')
    await shot(page, 'materials-progress.png')
    await page.goto(`${BASE}/materials/score`)
    await page.locator('[data-testid=ms-predicted]').waitFor()
    assert.ok(Number(await page.locator('[data-testid=ms-predicted]').innerText()) > 0)
    await shot(page, 'materials-score.png')
    assert.deepEqual(await problems(), [])
  } finally {
    await context.close()
  }
})

test('on a phone the responsible unit sees its items and previews a file', async () => {
  const { page, context, problems } = await openPage(browser, PHONE)
  try {
    await signIn(page, BASE, 'dept12s', PASSWORD)
    await page.goto(`${BASE}/m/materials`)
    await page.locator('[data-testid=m-materials]').waitFor()
    await page.locator('.van-tab', { hasText: '全部' }).click()
    await page.locator(`[data-testid=m-mat-${fx.item}]`).click()
    await page.locator('[data-testid=m-material]').waitFor()
    await page.locator('.van-cell', { hasText: '说明报告v2.docx' }).click()
    await page.locator('[data-testid=preview-docx] .docx-wrapper').waitFor({ timeout: 20000 })
    await noSidewaysScroll(page, 'the material page')
    await shot(page, 'materials-phone-preview.png')
    assert.deepEqual(await problems(), [])
  } finally {
    await context.close()
  }
})

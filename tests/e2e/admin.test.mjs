// The admin web application against a running wenming server (WENMING_URL):
// log in, the sidebar, a unit under the root, a user in it with a role, a
// units sheet imported (and one refused row by row), the creations in
// 操作日志, an expired session, the phone pages, log out.
//
// Env: WENMING_URL, WENMING_ADMIN_USER (default admin), WENMING_ADMIN_PASSWORD
// (what `wenming init` printed), WENMING_SCREENSHOTS (default build/screenshots).
// The tests run in order and share one signed-in desktop browser.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { baseUrl, screenshotDir, launchBrowser, openPage, expectStatus, uploadSheet, closeDialog, DESKTOP, PHONE } from './browser.mjs'
import { readSheet } from './xlsx.mjs'

const BASE = baseUrl()
const ADMIN = process.env.WENMING_ADMIN_USER || 'admin'
const PASSWORD = process.env.WENMING_ADMIN_PASSWORD
if (!PASSWORD) {
  throw new Error('WENMING_ADMIN_PASSWORD is not set: pass the password `wenming init` printed for the administrator')
}

// Names unique to this run, so the suite can run again on the same server.
const RUN = Date.now().toString(36).slice(-6)
const UNIT = `测试单位${RUN}`
const USERNAME = `e2e${RUN}`
const USER_NAME = `测试员${RUN.slice(-3)}`
const ROLE_NAME = '单位联络员'
const IMPORTED = `导入社区${RUN}`
const REFUSED = `未导入社区${RUN}`

let browser
let desk // the shared signed-in desktop page: { context, page, problems, expect }
let tmp
before(async () => {
  browser = await launchBrowser()
  tmp = mkdtempSync(join(tmpdir(), 'wenming-e2e-'))
})
after(async () => {
  await desk?.context.close()
  await browser?.close()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

const shot = (page, name, options = {}) => page.screenshot({ path: join(screenshotDir(), name), ...options })

/** The text box of an input marked with data-testid (Element Plus puts the attribute on the <input>). */
const input = (scope, id) => scope.locator(`input[data-testid=${id}], [data-testid=${id}] input`).first()

/** Fill the login form and submit. */
async function logIn(page, username = ADMIN, password = PASSWORD) {
  await input(page, 'login-username').fill(username)
  await input(page, 'login-password').fill(password)
  await page.locator('[data-testid=login-submit]').click()
}

/** Wait for the login page that will return to `redirect` afterwards. */
async function waitForLogin(page, redirect) {
  await page.waitForURL((url) => url.pathname === '/login' && (redirect === undefined || url.searchParams.get('redirect') === redirect), {
    timeout: 15000,
  })
}

/** The visible Element Plus message box's confirm button. */
async function confirmBox(page) {
  const box = page.locator('.el-message-box').last()
  await box.waitFor()
  await box.locator('.el-message-box__btns .el-button--primary').click()
  await box.waitFor({ state: 'hidden' })
}

/** Open a page through the sidebar and wait for its tab. */
async function openMenu(page, key, tab) {
  await page.locator(`[data-testid=menu-${key}]`).click()
  await page.waitForURL(new RegExp(`/system/${key}$`))
  await page.locator(`[data-testid=tab-${tab ?? key}]`).waitFor()
}

/** The rows of a table, as text. */
async function rowTexts(table) {
  return table.locator('.el-table__body-wrapper tr.el-table__row').allInnerTexts()
}

/** Pick the option with this text from the (one) open Element Plus dropdown. */
async function pickOption(page, text) {
  const option = page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: text }).first()
  await option.click()
}

async function noOverflow(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(overflow <= 0, `${what} is ${overflow}px wider than the phone screen`)
}

test('login page: desktop and phone, a wrong password answers 用户名或密码错误', async () => {
  const { context, page, problems, expect } = await openPage(browser, DESKTOP)
  try {
    expect(expectStatus(401, '/auth/login'))
    await page.goto(`${BASE}/system/units`)
    await waitForLogin(page, '/system/units')
    await page.locator('[data-testid=health-status]').filter({ hasText: '正常' }).waitFor({ timeout: 15000 })
    await shot(page, 'login-desktop.png')

    // An unknown account: its failure counts against the address only, which
    // has a far larger allowance than an account.
    await logIn(page, `nobody-${RUN}`, 'not-the-password-1')
    const error = page.locator('[data-testid=login-error]')
    await error.waitFor()
    const text = (await error.innerText()).trim()
    assert.ok(/用户名或密码错误|秒后|分钟后/.test(text), `login error reads: ${text}`)
    assert.deepEqual(await problems(), [])
  } finally {
    await context.close()
  }

  const phone = await openPage(browser, PHONE)
  try {
    await phone.page.goto(`${BASE}/login`)
    await phone.page.locator('[data-testid=health-status]').filter({ hasText: '正常' }).waitFor({ timeout: 15000 })
    assert.ok(await phone.page.locator('[data-testid=login-submit]').isVisible(), 'login button visible on the phone without scrolling')
    await noOverflow(phone.page, 'the login page')
    await shot(phone.page, 'login-phone.png')
    assert.deepEqual(await phone.problems(), [])
  } finally {
    await phone.context.close()
  }
})

test('the administrator logs in, returns where they came from, and sees the sidebar and home', async () => {
  desk = await openPage(browser, DESKTOP)
  const { page } = desk
  await page.goto(`${BASE}/system/roles`)
  await waitForLogin(page, '/system/roles')
  await logIn(page)
  await page.waitForURL(/\/system\/roles$/, { timeout: 15000 })
  await page.locator('[data-testid=role-table] .el-table__row').first().waitFor()

  const sidebar = page.locator('[data-testid=sidebar]')
  for (const item of ['首页', '系统管理', '单位管理', '用户管理', '角色管理', '操作日志', '登录日志', '在线用户']) {
    await sidebar.getByText(item, { exact: true }).first().waitFor({ timeout: 5000 })
  }
  const tenant = (await page.locator('[data-testid=tenant-name]').innerText()).trim()
  assert.ok(tenant.length > 0, 'the top bar shows the tenant name')

  // Built-in roles: the dialog shows the key disabled and the permissions read-only.
  await page.locator('[data-testid=role-table]').getByText('系统管理员').first().waitFor()
  await shot(page, 'roles.png')
  const edit = page.locator('[data-testid^=role-edit-]').first()
  await edit.click()
  const dialog = page.locator('[data-testid=role-dialog]')
  await dialog.locator('[data-loaded=true] [data-testid=role-perms] .el-checkbox.is-checked').first().waitFor()
  assert.ok(await input(dialog, 'role-key').isDisabled(), 'a built-in role key is not editable')
  await shot(page, 'roles-dialog.png')
  await dialog.locator('.el-dialog__footer .el-button').first().click()
  await dialog.waitFor({ state: 'hidden' })

  // Home: welcome, tenant, countdown and real counts.
  await page.locator('[data-testid=menu-home]').click()
  await page.waitForURL(`${BASE}/`)
  await page.locator('[data-testid=welcome]').waitFor()
  assert.equal((await page.locator('[data-testid=dash-tenant]').innerText()).includes(tenant), true)
  const countdown = (await page.locator('[data-testid=countdown]').innerText()).replace(/\s+/g, ' ')
  assert.match(countdown, /距测评还有|测评|尚未设置测评日期/)
  const units = page.locator('[data-testid=stat-units] [data-testid=stat-value]')
  await units.waitFor()
  assert.match((await units.innerText()).trim(), /^\d+$/)
  await page.locator('[data-testid=health-status]').filter({ hasText: '正常' }).waitFor({ timeout: 15000 })
  await shot(page, 'home.png')
  console.log(`home: tenant ${tenant}; ${countdown.trim()}; units ${(await units.innerText()).trim()}`)
  assert.deepEqual(await desk.problems(), [])
})

test('a unit is created under the root', async () => {
  const { page } = desk
  await openMenu(page, 'units')
  const table = page.locator('[data-testid=unit-table]')
  await table.locator('.el-table__body-wrapper').waitFor()
  await page.waitForFunction(() => !document.querySelector('[data-testid=unit-table] .el-loading-mask'))

  // A fresh installation has no units yet: make the root (总指挥部) first.
  if ((await table.locator('.el-table__row').count()) === 0) {
    await page.locator('[data-testid=unit-add]').click()
    const first = page.locator('[data-testid=unit-dialog]')
    await input(first, 'unit-name').fill(`创城指挥部${RUN}`)
    await first.locator('[data-testid=unit-kind] .el-select__wrapper').click()
    await pickOption(page, '总指挥部')
    await first.locator('[data-testid=unit-submit]').click()
    await first.waitFor({ state: 'hidden' })
    await table.locator('.el-table__row').first().waitFor()
  }

  const addChild = table.locator('[data-testid^=unit-add-child-]').first()
  await addChild.click()
  const dialog = page.locator('[data-testid=unit-dialog]')
  await dialog.waitFor()
  await input(dialog, 'unit-name').fill(UNIT)
  await dialog.locator('[data-testid=unit-kind] .el-select__wrapper').click()
  await pickOption(page, '部门')
  await dialog.locator('[data-testid=unit-submit]').click()
  await dialog.waitFor({ state: 'hidden' })
  const row = table.locator('.el-table__row', { hasText: UNIT })
  await row.waitFor()
  // The new unit is one level below the root (a tree row of level 1).
  assert.match((await row.getAttribute('class')) || '', /el-table__row--level-1/)
  await shot(page, 'units.png')
  assert.deepEqual(await desk.problems(), [])
})

test('a user is created in that unit with a role', async () => {
  const { page } = desk
  await openMenu(page, 'users')
  await page.locator('[data-testid=user-table] .el-table__row').first().waitFor()
  await page.locator('[data-testid=user-add]').click()
  const dialog = page.locator('[data-testid=user-dialog]')
  await dialog.waitFor()
  await input(dialog, 'user-username').fill(USERNAME)
  await input(dialog, 'user-name').fill(USER_NAME)
  await input(dialog, 'user-phone').fill('13800138000')
  await dialog.locator('[data-testid=user-unit] .el-select__wrapper').click()
  await page.keyboard.type(UNIT)
  await page.locator('.el-tree-select__popper:visible .el-tree-node__content', { hasText: UNIT }).first().click()
  await dialog.locator('[data-testid=user-roles] .el-select__wrapper').click()
  await pickOption(page, ROLE_NAME)
  await page.keyboard.press('Escape')
  await input(dialog, 'user-password').fill(`E2e-${RUN}-password`)
  await dialog.locator('[data-testid=user-submit]').click()
  await dialog.waitFor({ state: 'hidden' })

  const row = page.locator('[data-testid=user-table] .el-table__row', { hasText: USERNAME })
  await row.waitFor()
  const text = await row.innerText()
  assert.ok(text.includes(UNIT), `the row names the unit: ${text}`)
  assert.ok(text.includes(ROLE_NAME), `the row shows the role: ${text}`)
  assert.match(text, /138\*{4}8000/, 'the list masks the phone number')
  await shot(page, 'users.png')
  assert.deepEqual(await desk.problems(), [])
})

/** Download the units import template through the dialog and return its header row. */
async function templateColumns(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=import-template]').click()])
  const path = join(tmp, `template-${Date.now()}.xlsx`)
  await download.saveAs(path)
  const rows = readSheet(readFileSync(path))
  const header = rows.find((r) => r.some((c) => /名称/.test(c)))
  assert.ok(header, `the template has a header row with a name column: ${JSON.stringify(rows.slice(0, 3))}`)
  return header
}

/** A CSV with the template's columns; each row is { name, parent }. */
function sheet(header, rows) {
  const value = (col, r) => {
    if (/上级/.test(col)) return r.parent
    if (/名称/.test(col)) return r.name
    if (/类型|类别|kind/i.test(col)) return '社区/村'
    if (/领导/.test(col)) return '张书记'
    if (/联络/.test(col)) return '李联络'
    if (/电话|手机/.test(col)) return '13900001234'
    if (/排序/.test(col)) return '1'
    if (/状态/.test(col)) return '启用'
    return ''
  }
  const cell = (v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)
  const lines = [header.map(cell).join(','), ...rows.map((r) => header.map((c) => cell(value(c, r))).join(','))]
  const path = join(tmp, `units-${Date.now()}.csv`)
  writeFileSync(path, lines.join('\r\n') + '\r\n', 'utf8')
  return path
}

async function rootName(page) {
  const first = page.locator('[data-testid=unit-table] .el-table__row--level-0').first()
  await first.waitFor()
  return (await first.locator('td').nth(1).innerText()).trim()
}

async function openImport(page) {
  await openMenu(page, 'units')
  await page.locator('[data-testid=unit-import]').click()
  await page.locator('[data-testid=import-upload]').waitFor()
}

test('a units sheet with one good row is imported', async () => {
  const { page } = desk
  await openMenu(page, 'units')
  const parent = await rootName(page)
  await openImport(page)
  const header = await templateColumns(page)
  console.log(`units template columns: ${header.join(' | ')}`)
  const path = sheet(header, [{ name: IMPORTED, parent }])
  const result = await uploadSheet(page, path)
  assert.match(result, /导入成功，共 1 条/, `import result: ${result}`)
  await closeDialog(page)
  await page.locator('[data-testid=unit-table] .el-table__row', { hasText: IMPORTED }).waitFor()
  assert.deepEqual(await desk.problems(), [])
})

test('a sheet with a bad row is refused whole and the row is listed', async () => {
  const { page } = desk
  desk.expect(expectStatus(422, '/units/import')) // the refusal may come as 422 with the same body
  const parent = await rootName(page)
  await openImport(page)
  const header = await templateColumns(page)
  const path = sheet(header, [
    { name: REFUSED, parent }, // row 2: fine on its own
    { name: `坏行${RUN}`, parent: `不存在的上级单位${RUN}` }, // row 3: no such parent
  ])
  const result = await uploadSheet(page, path)
  assert.match(result, /没有导入任何数据/, `import result: ${result}`)
  const errors = page.locator('[data-testid=import-errors]')
  await errors.locator('.el-table__row').first().waitFor()
  const rows = await rowTexts(errors)
  console.log(`import errors: ${rows.map((r) => r.replace(/\s+/g, ' ')).join(' / ')}`)
  assert.ok(rows.some((r) => /^\s*3\b/.test(r)), `row 3 is reported: ${rows.join(' / ')}`)
  assert.ok(!rows.some((r) => /^\s*2\b/.test(r)), 'the good row 2 is not reported')
  await shot(page, 'units-import-errors.png')
  await closeDialog(page)
  // All or nothing: the good row of the refused sheet is not there either.
  await page.locator('[data-testid=unit-table] .el-table__row', { hasText: IMPORTED }).waitFor()
  assert.equal(await page.locator('[data-testid=unit-table] .el-table__row', { hasText: REFUSED }).count(), 0)
  assert.deepEqual(await desk.problems(), [])
})

test('the creations are in 操作日志', async () => {
  const { page } = desk
  await openMenu(page, 'audit')
  const table = page.locator('[data-testid=audit-table]')
  await table.locator('.el-table__row').first().waitFor()
  const rows = await rowTexts(table)
  const has = (word) => rows.some((r) => r.includes(word))
  assert.ok(has(UNIT), `an audit row names the new unit ${UNIT}`)
  assert.ok(has(USERNAME), `an audit row names the new user ${USERNAME}`)
  assert.ok(rows.every((r) => /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(r)), 'every row shows its time as YYYY-MM-DD HH:mm')
  await shot(page, 'audit.png')

  await openMenu(page, 'logins')
  await page.locator('[data-testid=login-table] .el-table__row').first().waitFor()
  assert.ok((await rowTexts(page.locator('[data-testid=login-table]'))).some((r) => r.includes(ADMIN)))
  await shot(page, 'logins.png')

  await openMenu(page, 'sessions')
  await page.locator('[data-testid=session-table] .el-table__row').first().waitFor()
  await shot(page, 'sessions.png')
  assert.deepEqual(await desk.problems(), [])
})

test('the tabs close others and all; the home tab stays', async () => {
  const { page } = desk
  const tabs = page.locator('[data-testid=tags-view] .tags__item')
  assert.ok((await tabs.count()) >= 4, 'each opened page has a tab')
  await page.locator('[data-testid=tab-sessions]').click({ button: 'right' })
  await page.locator('.tags__menu li', { hasText: '关闭其他' }).click()
  assert.deepEqual((await tabs.allInnerTexts()).map((s) => s.trim()), ['首页', '在线用户'])
  await page.locator('[data-testid=tabs-more]').click()
  await page.locator('[data-testid=tabs-close-all]').click()
  await page.waitForURL(`${BASE}/`)
  assert.deepEqual((await tabs.allInnerTexts()).map((s) => s.trim()), ['首页'])
})

test('profile and password pages work on a 375-px phone', async () => {
  const { context, page, problems } = await openPage(browser, PHONE)
  try {
    await page.goto(`${BASE}/profile`)
    await waitForLogin(page, '/profile')
    await logIn(page)
    await page.waitForURL(/\/profile$/)
    await input(page, 'profile-name').waitFor()
    await noOverflow(page, 'the profile page')
    await shot(page, 'profile-phone.png')
    await page.getByRole('tab', { name: '修改密码' }).click()
    await input(page, 'pw-old').waitFor()
    await input(page, 'pw-new').fill('short')
    await page.locator('[data-testid=pw-save]').click()
    await page.getByText('新密码至少 10 个字符').first().waitFor()
    await shot(page, 'profile-password-phone.png')

    // The menu is a drawer on a phone.
    await page.locator('[data-testid=sidebar-toggle]').click()
    await page.locator('[data-testid=menu-units]').waitFor()
    await page.waitForFunction(() => {
      const side = document.querySelector('.shell__side')
      return side && side.getBoundingClientRect().left === 0
    })
    await shot(page, 'menu-phone.png')
    await page.locator('[data-testid=menu-units]').click()
    await page.waitForURL(/\/system\/units$/)
    await page.locator('[data-testid=unit-table] .el-table__row').first().waitFor()
    await shot(page, 'units-phone.png')
    assert.deepEqual(await problems(), [])
  } finally {
    await context.close()
  }
})

test('an expired session goes back to login with 登录已过期，请重新登录', async () => {
  const { page } = desk
  desk.expect(/status of 401/) // the dead session's requests
  await desk.context.clearCookies()
  await page.locator('[data-testid=menu-units]').click()
  await waitForLogin(page, '/system/units')
  await page.locator('[data-testid=login-expired]').filter({ hasText: '登录已过期，请重新登录' }).waitFor()
  await logIn(page)
  await page.waitForURL(/\/system\/units$/)
  assert.deepEqual(await desk.problems(), [])
})

test('log out', async () => {
  const { page } = desk
  await page.locator('[data-testid=user-menu]').click()
  await page.locator('[data-testid=logout]').click()
  await confirmBox(page)
  await waitForLogin(page, null)
  await page.goto(`${BASE}/system/users`)
  await waitForLogin(page, '/system/users')
  assert.deepEqual(await desk.problems(), [])
})

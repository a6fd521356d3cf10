// Shared set-up for the browser tests: the server under test, Debian's
// chromium (never a downloaded browser), page error collection, screenshots.
// The harness starts the real server and passes its address in WENMING_URL;
// these tests never start a server themselves.
import assert from 'node:assert/strict'
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

export const CHROMIUM_PATH = process.env.WENMING_CHROMIUM || '/usr/bin/chromium'

export const DESKTOP = { viewport: { width: 1366, height: 768 } }
export const PHONE = {
  viewport: { width: 375, height: 812 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
}

/** The server under test, without a trailing slash. Throws when unset. */
export function baseUrl() {
  const url = process.env.WENMING_URL
  if (!url) {
    throw new Error(
      'WENMING_URL is not set: start the wenming server and run e.g. ' +
        'WENMING_URL=http://127.0.0.1:8080 node --test tests/e2e/',
    )
  }
  return url.replace(/\/+$/, '')
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/**
 * Directory for screenshots (created if missing): WENMING_SCREENSHOTS, else
 * build/screenshots under the repository root whatever the working directory.
 */
export function screenshotDir() {
  const env = process.env.WENMING_SCREENSHOTS
  const dir = env ? resolve(env) : resolve(REPO_ROOT, 'build', 'screenshots')
  mkdirSync(dir, { recursive: true })
  return dir
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  })
}

/**
 * Console errors that are the application working as designed, not faults:
 * chromium logs every 4xx response as "Failed to load resource", and the app
 * learns that nobody is signed in from GET /api/v1/me answering 401.
 */
export const EXPECTED = [/Failed to load resource: the server responded with a status of 401 .*\(\S*\/api\/v1\/me\)$/]

/** Expected-error pattern for a status answered by an API path, e.g. expectStatus(401, '/auth/login'). */
export function expectStatus(status, path) {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`Failed to load resource: the server responded with a status of ${status} .*\\(\\S*\\/api\\/v1${escaped}(\\?\\S*)?\\)$`)
}

/**
 * Open a page in a fresh context and record everything that went wrong in it:
 * console errors, uncaught exceptions and CSP violations (the latter caught by
 * a listener installed before any page script runs, in addition to the
 * "Refused to ..." console message chromium prints).
 * Returns { context, page, problems } where problems() lists them as strings,
 * leaving out those matching EXPECTED or options.expected (RegExps).
 */
export async function openPage(browser, device = DESKTOP, options = {}) {
  const context = await browser.newContext({ ...device, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await context.newPage()
  const expected = [...EXPECTED, ...(options.expected || [])]
  const found = []
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const where = msg.location()?.url
      found.push(`console error: ${msg.text()}${where ? ` (${where})` : ''}`)
    }
  })
  page.on('pageerror', (err) => found.push(`page error: ${err.message}`))
  await page.addInitScript(() => {
    window.__cspViolations = []
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`)
    })
  })

  async function problems() {
    let csp = []
    try {
      csp = await page.evaluate(() => window.__cspViolations || [])
    } catch {
      // page closed or navigating: the console listener still caught them
    }
    return [...found, ...csp.map((v) => `CSP violation: ${v}`)].filter((p) => !expected.some((re) => re.test(p)))
  }
  /** Allow more expected errors from here on (e.g. a deliberate wrong password). */
  function expect(...patterns) {
    expected.push(...patterns)
  }
  // Every page a test leaves is checked with axe before its context closes.
  const close = context.close.bind(context)
  context.close = async (...args) => {
    let found = []
    try {
      // a page just checked (and maybe failed the test) is not checked twice
      if (!page.isClosed() && /^https?:/.test(page.url()) && page.__a11yLast !== page.url()) found = await a11yViolations(page)
    } catch {
      // a page gone or navigating: the checks along the way still ran
    }
    await close(...args)
    a11yVerdict(found, `the last page, ${page.url()}`)
  }
  return { context, page, problems, expect }
}

/**
 * In the open import dialog (components/ImportDialog.vue): choose the file at
 * path, upload it and return the text of the result line.
 */
export async function uploadSheet(page, path) {
  await page.locator('[data-testid=import-upload] input[type=file]').setInputFiles(path)
  await page.locator('[data-testid=import-submit]').click()
  const result = page.locator('[data-testid=import-result]')
  await result.waitFor({ timeout: 30000 })
  return (await result.innerText()).trim()
}

/** Close the topmost dialog with the first button of its footer (关闭 / 取消). */
export async function closeDialog(page) {
  const dialog = page.locator('.el-dialog:visible').last()
  await dialog.locator('.el-dialog__footer .el-button').first().click()
  await dialog.waitFor({ state: 'hidden' })
}

/** The input or textarea of a form field by data-testid (on the element itself or inside it). */
export const field = (scope, id) =>
  scope.locator(`input[data-testid=${id}], [data-testid=${id}] input, textarea[data-testid=${id}], [data-testid=${id}] textarea`).first()

// axe-core from npm (tests/package.json), injected into the page under test.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const AXE_IMPACTS = new Set(['serious', 'critical'])

/**
 * Run axe-core (WCAG 2 A and AA rules) on the page as it is now. Resolves to
 * the serious and critical violations as strings "rule (impact): target …";
 * every page checked is counted in a11yChecked.
 */
export const a11yChecked = []
export async function a11yViolations(page) {
  await page.waitForFunction(() => !document.querySelector('.el-loading-mask, .dialog-fade-enter-active, .el-zoom-in-top-enter-active'), null, { timeout: 10000 }).catch(() => {})
  // a button the test just clicked is still hovered, or fading between its
  // hover and rest colours: axe must see the colours at rest
  await page.mouse.move(0, 0).catch(() => {})
  await page.waitForFunction(() => !document.getAnimations().some((a) => a.playState === 'running' && a.effect?.getComputedTiming().iterations !== Infinity), null, { timeout: 3000 }).catch(() => {})
  // evaluated through the DevTools protocol, which the page's CSP does not govern
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(AXE_SOURCE)
  const violations = await page.evaluate(async () => {
    const res = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] },
      resultTypes: ['violations'],
    })
    return res.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => `${n.target.join(' ')} ${(n.failureSummary || '').split('\n').slice(1, 2).join('')}`.trim()),
    }))
  })
  a11yChecked.push(page.url())
  page.__a11yLast = page.url()
  return violations
    .filter((v) => AXE_IMPACTS.has(v.impact))
    .flatMap((v) => v.nodes.slice(0, 5).map((n) => `${v.id} (${v.impact}): ${n}`))
}

/** Fail when axe finds a serious or critical WCAG 2 A/AA violation on the page. */
export async function assertAccessible(page, what) {
  a11yVerdict(await a11yViolations(page), what || page.url())
}

/*
 * WENMING_AXE=strict (scripts/test.sh's default) fails the test on a serious
 * or critical finding; any other value (e.g. report) appends the findings to
 * build/a11y-report.txt and prints them, so the suite's other checks still
 * run and one run lists every finding (docs/accessibility.md).
 */
function a11yVerdict(found, what) {
  if (process.env.WENMING_AXE === 'strict') {
    assert.deepEqual(found, [], `accessibility of ${what}`)
    return
  }
  if (!found.length) return
  const lines = found.map((f) => `${what}: ${f}`).join('\n') + '\n'
  appendFileSync(resolve(screenshotDir(), '..', 'a11y-report.txt'), lines)
  process.stderr.write(`axe: ${found.length} serious/critical on ${what}\n`)
}

/** A screenshot once messages, dialog animations and images have settled. */
export async function shot(page, name) {
  await page.locator('.el-message').first().waitFor({ state: 'detached', timeout: 8000 }).catch(() => {})
  await page.waitForFunction(() => !document.querySelector('.dialog-fade-enter-active, .dialog-fade-leave-active, .el-zoom-in-top-enter-active'))
  await page.waitForFunction(() => [...document.querySelectorAll('img')].every((i) => i.complete))
  await page.waitForTimeout(300)
  await page.screenshot({ path: resolve(screenshotDir(), name) })
  await assertAccessible(page, name)
}

/** Sign in through the login page; resolves once the app has left /login (or reached `to`). */
export async function signIn(page, base, username, password, to) {
  if (!page.url().includes('/login')) await page.goto(`${base}/login`)
  await field(page, 'login-username').fill(username)
  await field(page, 'login-password').fill(password)
  await page.locator('[data-testid=login-submit]').click()
  await page.waitForURL(to || ((u) => !u.pathname.startsWith('/login')), { timeout: 15000 })
}

/** Wait for the problem detail to show a status and finish loading. */
export async function detailStatus(page, status) {
  await page.locator('[data-testid=problem-status]', { hasText: status }).waitFor({ timeout: 10000 })
  await page.waitForFunction(() => !document.querySelector('[data-testid=problem-detail] > .el-loading-mask'))
}

/**
 * On the problem detail: click the action button `id` (e.g. "return",
 * "verify-fail"), let fill(dialog) complete the dialog, confirm, and wait for
 * the dialog to close and the status to read `status`.
 */
export async function problemStep(page, id, status, fill) {
  await page.locator(`[data-testid=problem-action-${id}]`).click()
  const dialog = page.locator('[data-testid=action-dialog]')
  await dialog.waitFor()
  if (fill) await fill(dialog)
  await dialog.locator('[data-testid=action-submit]').click()
  await dialog.waitFor({ state: 'hidden' })
  await detailStatus(page, status)
}

/** Call the API from inside the page (its session cookie and CSRF token). */
export async function callApi(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const me = await (await fetch('/api/v1/me')).json()
      const res = await fetch(`/api/v1${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      return { status: res.status, data: await res.json().catch(() => null) }
    },
    { method, path, body },
  )
}

/** Fail when the page scrolls sideways on the phone screen. */
export async function noSidewaysScroll(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(overflow <= 0, `${what} is ${overflow}px wider than the phone screen`)
}

/** The body of an API answer (harness client) after checking its status. */
export async function ok(p, status = 200) {
  const r = await p
  assert.equal(r.status, status, r.text)
  return r.body
}

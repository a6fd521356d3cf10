// screenshots.mjs OUTDIR - sign in to a running demo county (WENMING_URL) as
// office01 (WENMING_DEMO_PASSWORD) and photograph the pages README.md shows.
// Run through scripts/screenshots.sh, which starts the server.
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { baseUrl, launchBrowser, openPage, field, DESKTOP, PHONE } from '../tests/e2e/browser.mjs'

const BASE = baseUrl()
const OUT = resolve(process.argv[2] || 'docs/img')
const PASSWORD = process.env.WENMING_DEMO_PASSWORD
if (!PASSWORD) throw new Error('WENMING_DEMO_PASSWORD is not set (the password `wenming demo` printed)')
mkdirSync(OUT, { recursive: true })

async function signIn(page, user) {
  await page.goto(`${BASE}/login`)
  await field(page, 'login-username').fill(user)
  await field(page, 'login-password').fill(PASSWORD)
  await page.locator('[data-testid=login-submit]').click()
  await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 15000 })
}

// Open path, let its requests and chart animations finish, save OUT/name.png.
async function shoot(page, path, name) {
  await page.goto(`${BASE}${path}`)
  await page.waitForLoadState('networkidle')
  await page.waitForTimeout(1500)
  const file = join(OUT, `${name}.png`)
  await page.screenshot({ path: file })
  console.log(`screenshots: ${path} -> ${file}`)
}

const browser = await launchBrowser()
try {
  const signedOut = await openPage(browser, DESKTOP)
  await shoot(signedOut.page, '/login', 'login')
  await signedOut.context.close()

  const desk = await openPage(browser, DESKTOP)
  await signIn(desk.page, 'office01')
  await shoot(desk.page, '/', 'dashboard')
  await shoot(desk.page, '/problems', 'problems')
  await shoot(desk.page, '/map', 'map')
  await shoot(desk.page, '/rankings', 'rankings')
  await shoot(desk.page, '/inspection/rounds', 'rounds')
  // The latest finished 模拟测评's score page, when the demo has one.
  const rounds = await desk.page.request.get(`${BASE}/api/v1/inspections?kind=mock&status=closed&size=50`)
  const mock = rounds.ok() ? (await rounds.json()).items?.[0] : null
  if (mock) await shoot(desk.page, `/inspection/rounds/${mock.id}/score`, 'score')
  else console.log('screenshots: the demo has no finished 模拟测评: no score.png')
  const errors = await desk.problems()
  await desk.context.close()

  const phone = await openPage(browser, PHONE)
  await signIn(phone.page, 'insp01')
  await shoot(phone.page, '/m', 'phone')
  await phone.context.close()
  if (errors.length) console.log(`screenshots: the pages reported:\n  ${errors.join('\n  ')}`)
} finally {
  await browser.close()
}

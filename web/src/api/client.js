// The one HTTP client of the browser application. Pages and stores call
// api.get/post/put/del; none of them touches fetch. Every failure, including
// a dropped connection, surfaces as an ApiError with a Chinese message that
// can be shown to the user as is.
import { t } from '../locales/index.js'

const BASE = '/api/v1'
const DEFAULT_TIMEOUT_MS = 30000

let csrfToken = null
let handlers = {}

/**
 * An API failure. `status` is the HTTP status (0 when no response arrived),
 * `code` the server's machine code (e.g. "not_found") or one of the client's
 * own: "network", "timeout", "aborted", "bad_response", "http_<status>".
 * `field` names the offending input field when the server says so; `data` is
 * the parsed body of a non-2xx response, for callers that need more.
 */
export class ApiError extends Error {
  constructor({ status = 0, code, message, field = null, data = null }) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.field = field
    this.data = data
  }
}

/** Remember the session's CSRF token; it is sent on every non-GET request. */
export function setCsrfToken(token) {
  csrfToken = token || null
}

/**
 * Install the session-wide reactions: onUnauthorized(err) for a 401 (session
 * expired or revoked), onForbidden(err) for a 403. They run before the error
 * reaches the caller; a handler that shows a message sets err.handled so the
 * page does not show a second one. Requests made with { auth: false } (login,
 * the first GET /me) skip them.
 */
export function setAuthHandlers(next) {
  handlers = { ...next }
}

function statusMessage(status) {
  if (status >= 500) return t('api.status5xx')
  const known = t(`api.status${status}`)
  return known === `api.status${status}` ? t('api.statusOther', { status }) : known
}

function buildUrl(path, params) {
  let url = BASE + (path.startsWith('/') ? path : `/${path}`)
  if (params) {
    const search = new URLSearchParams()
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined || value === null || value === '') continue
      if (Array.isArray(value)) value.forEach((v) => search.append(key, v))
      else search.append(key, value)
    }
    const query = search.toString()
    if (query) url += (url.includes('?') ? '&' : '?') + query
  }
  return url
}

async function readBody(response) {
  if (response.status === 204 || response.status === 205) return null
  const text = await response.text()
  if (!text) return null
  const type = response.headers.get('Content-Type') || ''
  if (!type.includes('json')) return text
  try {
    return JSON.parse(text)
  } catch {
    throw new ApiError({ status: response.status, code: 'bad_response', message: t('api.badResponse') })
  }
}

function fileNameOf(response) {
  const cd = response.headers.get('Content-Disposition') || ''
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(cd)
  if (star) {
    try {
      return decodeURIComponent(star[1].trim())
    } catch {
      /* fall through to the plain name */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(cd)
  return plain ? plain[1].trim() : null
}

function raise(err, auth) {
  if (auth !== false) {
    if (err.status === 401) handlers.onUnauthorized?.(err)
    else if (err.status === 403) handlers.onForbidden?.(err)
  }
  throw err
}

/**
 * Send one request. options: params (query object), signal (AbortSignal),
 * timeout (ms, default 30 s; 0 disables), headers (extra headers), auth
 * (false: do not run the 401/403 handlers), form (a FormData to send as
 * multipart instead of JSON), blob (true: resolve to { blob, filename }).
 * Resolves to the parsed JSON body (null for an empty one).
 */
async function request(method, path, body, options = {}) {
  const { params, signal, timeout = DEFAULT_TIMEOUT_MS, headers: extra, auth, form, blob } = options
  const headers = { Accept: blob ? '*/*' : 'application/json', ...extra }
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' }
  if (form) {
    init.body = form // the browser writes the multipart boundary itself
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  if (csrfToken && method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken

  // One controller joins the caller's signal and the timeout, so a slow
  // network on a phone ends with a clear message instead of a spinner forever.
  const controller = new AbortController()
  let timedOut = false
  const timer = timeout > 0 ? setTimeout(() => { timedOut = true; controller.abort() }, timeout) : null
  const onAbort = () => controller.abort()
  if (signal) {
    if (signal.aborted) controller.abort()
    else signal.addEventListener('abort', onAbort, { once: true })
  }
  init.signal = controller.signal

  let response
  try {
    response = await fetch(buildUrl(path, params), init)
  } catch {
    if (timedOut) throw new ApiError({ code: 'timeout', message: t('api.timeout') })
    if (controller.signal.aborted) throw new ApiError({ code: 'aborted', message: t('api.aborted') })
    throw new ApiError({ code: 'network', message: t('api.network') })
  } finally {
    if (timer) clearTimeout(timer)
    if (signal) signal.removeEventListener('abort', onAbort)
  }

  if (blob && response.ok) {
    try {
      return { blob: await response.blob(), filename: fileNameOf(response) }
    } catch {
      throw new ApiError({ status: response.status, code: 'network', message: t('api.network') })
    }
  }

  let data
  try {
    data = await readBody(response)
  } catch (err) {
    if (err instanceof ApiError) throw err
    throw new ApiError({ status: response.status, code: 'network', message: t('api.network') })
  }
  if (response.ok) return data

  const error = data && typeof data === 'object' ? data.error : null
  if (error && typeof error === 'object' && error.message) {
    raise(
      new ApiError({
        status: response.status,
        code: error.code || `http_${response.status}`,
        message: error.message,
        field: error.field ?? null,
        data,
      }),
      auth,
    )
  }
  raise(
    new ApiError({
      status: response.status,
      code: `http_${response.status}`,
      message: statusMessage(response.status),
      data,
    }),
    auth,
  )
}

export const api = {
  get: (path, options) => request('GET', path, undefined, options),
  post: (path, body, options) => request('POST', path, body, options),
  put: (path, body, options) => request('PUT', path, body, options),
  del: (path, options) => request('DELETE', path, undefined, options),
  /** POST a multipart form (file uploads). */
  upload: (path, form, options) => request('POST', path, undefined, { ...options, form }),
  /** GET a file: resolves to { blob, filename } (filename from Content-Disposition). */
  download: (path, options) => request('GET', path, undefined, { timeout: 120000, ...options, blob: true }),
}

export default api

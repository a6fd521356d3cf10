// System endpoints: health now; version, settings and the like later.
import { api, ApiError } from './client.js'

/**
 * Read GET /health. The server answers 200 when healthy and 503 with the same
 * body shape when not, so a 503 carrying a status is a result, not a failure.
 * Resolves to { status, db, version }; rejects with ApiError when no health
 * answer arrived at all (network down, proxy error page, ...).
 */
export async function getHealth(options) {
  try {
    return await api.get('/health', { timeout: 8000, ...options })
  } catch (err) {
    if (err instanceof ApiError && err.status === 503 && err.data && typeof err.data.status === 'string') {
      return err.data
    }
    throw err
  }
}

// The signed-in user (GET /me) for the whole application: who they are, their
// tenant, permissions and menu. A plain reactive object; the app is small
// enough not to need a store library.
import { reactive, readonly } from 'vue'
import { setCsrfToken } from '@/api/client'
import { getMe, login as apiLogin, logout as apiLogout } from '@/api/auth'

const state = reactive({
  me: null, // the Me object, null when signed out
  checked: false, // GET /me has been answered once (either way)
})

export const session = readonly(state)

function adopt(me) {
  state.me = me
  state.checked = true
  setCsrfToken(me?.csrf_token)
}

/** Ask the server who we are. Resolves to Me; rejects with the ApiError (401 when signed out). */
export async function loadMe() {
  try {
    const me = await getMe({ auth: false })
    adopt(me)
    return me
  } catch (err) {
    if (err.status === 401) adopt(null)
    throw err
  }
}

export async function login(username, password) {
  const res = await apiLogin(username, password)
  // The login answer carries Me; read /me again only if it lacks the token.
  const me = res?.user?.csrf_token ? res.user : await getMe({ auth: false })
  adopt(me)
  return me
}

export async function logout() {
  try {
    await apiLogout()
  } finally {
    clear()
  }
}

/** Forget the session locally (after a 401 or a logout). */
export function clear() {
  adopt(null)
}

/** Merge fields into Me after the user edited their profile. */
export function patchMe(fields) {
  if (state.me) state.me = { ...state.me, ...fields }
}

const ALL = new Set(['*', '*:*:*'])

/** Does the user hold the permission? An empty/absent one is always granted. */
export function can(permission) {
  if (!permission) return true
  const perms = state.me?.permissions || []
  return perms.some((p) => ALL.has(p) || p === permission)
}

export function isPlatformAdmin() {
  return !!state.me?.is_platform_admin
}

/** The tenant's time zone, Asia/Shanghai when unset. */
export function timeZone() {
  return state.me?.tenant?.timezone || 'Asia/Shanghai'
}

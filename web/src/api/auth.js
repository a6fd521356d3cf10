// Sessions and the signed-in user's own account (docs/accounts.md, "Sessions").
import { api } from './client.js'

/** POST /auth/login → { user: Me }. 401/429 are the caller's to show. */
export const login = (username, password) => api.post('/auth/login', { username, password }, { auth: false })

/** POST /auth/logout → 204. A 401 here only means the session was gone already. */
export const logout = () => api.post('/auth/logout', undefined, { auth: false })

/** GET /me → Me. `auth: false` on start-up, where a 401 simply means "log in". */
export const getMe = (options) => api.get('/me', options)

/** PUT /me { name, phone } → Me (or 204). */
export const updateMe = (data) => api.put('/me', data)

/** PUT /me/password { old_password, new_password } → 204. */
export const changePassword = (oldPassword, newPassword) =>
  api.put('/me/password', { old_password: oldPassword, new_password: newPassword })

// Each role's first screen (docs/openapi/home.yaml).
import { api } from './client.js'

/** GET /home → { cards: [{ key, ... }], today, now }: the caller's cards, in order. */
export const getHome = (options) => api.get('/home', options)

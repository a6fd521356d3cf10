// The front end's message catalogue. Every user-facing string lives in a
// locale file so that the English UI (second language) is a new file, not a
// hunt through templates. Deliberately tiny: dotted keys and {name} params.
import zhCN from './zh-CN.js'

const catalogues = { 'zh-CN': zhCN }
let current = 'zh-CN'

function lookup(messages, key) {
  return key.split('.').reduce((node, part) => (node == null ? undefined : node[part]), messages)
}

/** Translate `key`, replacing {name} with params.name; unknown keys return the key. */
export function t(key, params) {
  const value = lookup(catalogues[current], key) ?? lookup(zhCN, key)
  if (typeof value !== 'string') return value ?? key
  if (!params) return value
  return value.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m))
}

export function getLocale() {
  return current
}

// Chinese names for values the server sends as keys, falling back to the key.
import { t } from '@/locales'

function label(prefix, key) {
  if (key === null || key === undefined || key === '') return ''
  const text = t(`${prefix}.${key}`)
  return text === `${prefix}.${key}` ? String(key) : text
}

/** A role key → its built-in Chinese name (custom roles: the key; pages with /roles use the real name). */
export const roleLabel = (key) => label('roleNames', key)
export const unitKindLabel = (kind) => label('unitKinds', kind)
export const levelLabel = (level) => label('tenants.levels', level)

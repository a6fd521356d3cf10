// Read the first rows of the first worksheet of an .xlsx with Node alone
// (zip central directory + inflateRaw), enough to learn an import
// template's columns. Shared and inline strings, numbers as text.
import { inflateRawSync } from 'node:zlib'

function entries(buf) {
  let eocd = -1
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)')
  const count = buf.readUInt16LE(eocd + 10)
  let p = buf.readUInt32LE(eocd + 16)
  const out = new Map()
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory entry')
    const method = buf.readUInt16LE(p + 10)
    const csize = buf.readUInt32LE(p + 20)
    const nameLen = buf.readUInt16LE(p + 28)
    const extraLen = buf.readUInt16LE(p + 30)
    const commentLen = buf.readUInt16LE(p + 32)
    const local = buf.readUInt32LE(p + 42)
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen)
    out.set(name, { method, csize, local })
    p += 46 + nameLen + extraLen + commentLen
  }
  return {
    read(name) {
      const e = out.get(name)
      if (!e) return null
      const start = e.local + 30 + buf.readUInt16LE(e.local + 26) + buf.readUInt16LE(e.local + 28)
      const raw = buf.subarray(start, start + e.csize)
      if (e.method === 0) return raw.toString('utf8')
      if (e.method === 8) return inflateRawSync(raw).toString('utf8')
      throw new Error(`zip method ${e.method} not supported`)
    },
    names: () => [...out.keys()],
  }
}

const unescape = (s) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (m, d) => String.fromCodePoint(+d))
    .replace(/&#x([0-9a-f]+);/gi, (m, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&')

const texts = (xml) => [...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g)].map((m) => unescape(m[1] ?? '')).join('')

function colIndex(ref) {
  const letters = /^[A-Z]+/.exec(ref)?.[0] || 'A'
  let n = 0
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64)
  return n - 1
}

/** The number format code of each cell style of styles.xml (cellXfs index -> code). */
export function numberFormats(xml) {
  const custom = new Map([...xml.matchAll(/<numFmt numFmtId="(\d+)" formatCode="([^"]*)"/g)].map((m) => [Number(m[1]), unescape(m[2])]))
  const builtin = { 14: 'yyyy-mm-dd', 22: 'yyyy-mm-dd hh:mm' }
  const xfs = /<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(xml)?.[1] || ''
  return [...xfs.matchAll(/<xf [^>]*?numFmtId="(\d+)"/g)].map((m) => custom.get(Number(m[1])) || builtin[Number(m[1])] || '')
}

/** Is an Excel number format a date or time format? */
export const isDateFormat = (f) => /[yd]/i.test(f.replace(/"[^"]*"|\[[^\]]*\]/g, ''))

/** An Excel serial day (1900 system, wall time) as the text its format shows. */
export function serialText(v, format) {
  const iso = new Date(Math.round((Number(v) - 25569) * 86400) * 1000).toISOString()
  if (!/h/i.test(format)) return iso.slice(0, 10)
  return /s/i.test(format.replace(/^[^h]*/i, '')) ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`
}

/**
 * Rows of the first sheet as arrays of strings (gaps as ''), at most `limit`.
 * A number shown with a date format reads as the text Excel shows
 * ("2026-11-22 08:30"); rows.kinds[i][j] is 'string', 'number' or 'date'.
 */
export function readSheet(buf, limit = 50) {
  const zip = entries(buf)
  const formats = numberFormats(zip.read('xl/styles.xml') || '')
  const kinds = []
  const shared = []
  const sst = zip.read('xl/sharedStrings.xml')
  if (sst) for (const m of sst.matchAll(/<si>([\s\S]*?)<\/si>/g)) shared.push(texts(m[1]))
  let sheetPath = 'xl/worksheets/sheet1.xml'
  if (!zip.read(sheetPath)) sheetPath = zip.names().find((n) => /^xl\/worksheets\/[^/]+\.xml$/.test(n))
  const xml = zip.read(sheetPath) || ''
  const rows = []
  for (const rm of xml.matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>/g)) {
    const row = []
    const kind = []
    for (const cm of rm[1].matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = cm[1]
      const inner = cm[2] || ''
      const ref = /\br="([A-Z]+\d+)"/.exec(attrs)?.[1]
      const type = /\bt="(\w+)"/.exec(attrs)?.[1]
      let value = ''
      if (type === 's') value = shared[Number(/<v>([\s\S]*?)<\/v>/.exec(inner)?.[1])] ?? ''
      else if (type === 'inlineStr') value = texts(inner)
      else value = unescape(/<v>([\s\S]*?)<\/v>/.exec(inner)?.[1] ?? '')
      let k = type === 's' || type === 'inlineStr' || type === 'str' ? 'string' : /<v>/.test(inner) ? 'number' : ''
      const format = formats[Number(/\bs="(\d+)"/.exec(attrs)?.[1] || 0)] || ''
      if (k === 'number' && isDateFormat(format)) {
        k = 'date'
        value = serialText(value, format)
      }
      const i = ref ? colIndex(ref) : row.length
      while (row.length < i) row.push('')
      while (kind.length < i) kind.push('')
      row[i] = value.trim()
      kind[i] = k
    }
    if (row.some((c) => c)) {
      rows.push(row)
      kinds.push(kind)
    }
    if (rows.length >= limit) break
  }
  rows.kinds = kinds
  return rows
}

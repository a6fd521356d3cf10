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

/** Rows of the first sheet as arrays of strings (gaps as ''), at most `limit`. */
export function readSheet(buf, limit = 50) {
  const zip = entries(buf)
  const shared = []
  const sst = zip.read('xl/sharedStrings.xml')
  if (sst) for (const m of sst.matchAll(/<si>([\s\S]*?)<\/si>/g)) shared.push(texts(m[1]))
  let sheetPath = 'xl/worksheets/sheet1.xml'
  if (!zip.read(sheetPath)) sheetPath = zip.names().find((n) => /^xl\/worksheets\/[^/]+\.xml$/.test(n))
  const xml = zip.read(sheetPath) || ''
  const rows = []
  for (const rm of xml.matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>/g)) {
    const row = []
    for (const cm of rm[1].matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = cm[1]
      const inner = cm[2] || ''
      const ref = /\br="([A-Z]+\d+)"/.exec(attrs)?.[1]
      const type = /\bt="(\w+)"/.exec(attrs)?.[1]
      let value = ''
      if (type === 's') value = shared[Number(/<v>([\s\S]*?)<\/v>/.exec(inner)?.[1])] ?? ''
      else if (type === 'inlineStr') value = texts(inner)
      else value = unescape(/<v>([\s\S]*?)<\/v>/.exec(inner)?.[1] ?? '')
      const i = ref ? colIndex(ref) : row.length
      while (row.length < i) row.push('')
      row[i] = value.trim()
    }
    if (row.some((c) => c)) rows.push(row)
    if (rows.length >= limit) break
  }
  return rows
}

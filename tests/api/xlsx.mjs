// xlsx.mjs - a tiny .xlsx reader for the API tests: the zip central
// directory, inflateRaw and the worksheet XML; enough to re-read exports.
import { isDateFormat, numberFormats, serialText } from '../e2e/xlsx.mjs';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';

export function unzip(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'a zip file');
  const files = new Map();
  let p = buf.readUInt32LE(eocd + 16);
  for (let n = buf.readUInt16LE(eocd + 10); n > 0; n--) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50);
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const skip = nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + size);
    files.set(name, (method === 8 ? inflateRawSync(raw) : raw).toString('utf8'));
    p += 46 + skip;
  }
  return files;
}

const xmlText = (s) =>
  s
    .replace(/<[^>]+>/g, '')
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

// Worksheet n (1-based, default the first) as rows of strings (empty cells ""),
// and the sheet names.  A number cell with a date format reads as the text
// Excel shows ("2026-11-22 08:30"); kinds[row][col] says what each cell really
// is: 'string', 'number' or 'date' (a number shown with a date format).
export function readXlsx(buf, n = 1) {
  const files = unzip(buf);
  const formats = numberFormats(files.get('xl/styles.xml') || '');
  const shared = [...(files.get('xl/sharedStrings.xml') || '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => xmlText(m[1]));
  const sheet = files.get(`xl/worksheets/sheet${n}.xml`);
  assert.ok(sheet, `xl/worksheets/sheet${n}.xml`);
  const rows = [];
  const kinds = [];
  for (const rm of sheet.matchAll(/<row [^>]*?r="(\d+)"[^>]*?(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const cells = [];
    const kind = [];
    for (const cm of (rm[2] || '').matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      let col = 0;
      for (const ch of cm[1]) col = col * 26 + (ch.charCodeAt(0) - 64);
      const type = (/t="(\w+)"/.exec(cm[2]) || [])[1];
      const inner = cm[3] || '';
      const v = (/<v>([\s\S]*?)<\/v>/.exec(inner) || [])[1];
      let text = '';
      if (type === 's') text = shared[Number(v)];
      else if (type === 'inlineStr') text = xmlText((/<is>([\s\S]*?)<\/is>/.exec(inner) || ['', ''])[1]);
      else if (v !== undefined) text = xmlText(v);
      const format = formats[Number((/ s="(\d+)"/.exec(cm[2]) || [])[1] || 0)] || '';
      let k = type === 's' || type === 'inlineStr' || type === 'str' ? 'string' : v !== undefined ? 'number' : '';
      if (k === 'number' && isDateFormat(format)) {
        k = 'date';
        text = serialText(v, format);
      }
      while (cells.length < col - 1) cells.push('');
      while (kind.length < col - 1) kind.push('');
      cells[col - 1] = text;
      kind[col - 1] = k;
    }
    rows[Number(rm[1]) - 1] = cells;
    kinds[Number(rm[1]) - 1] = kind;
  }
  const sheets = [...(files.get('xl/workbook.xml') || '').matchAll(/<sheet [^>]*name="([^"]+)"/g)].map((m) => xmlText(m[1]));
  return { rows: rows.filter(Boolean), kinds: kinds.filter(Boolean), sheets };
}


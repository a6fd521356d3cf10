// Precompress the build so the server can answer Accept-Encoding: gzip with
// the .gz sibling instead of compressing on every request.
// Usage: node scripts/gzip.mjs [dir]   (default: dist next to this script)
import { readdir, readFile, writeFile, stat, unlink } from 'node:fs/promises'
import { join, extname, dirname, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync, constants } from 'node:zlib'

const COMPRESSIBLE = new Set(['.js', '.css', '.html', '.svg', '.json'])
const MIN_BYTES = 1024

const root = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist')

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* walk(path)
    else if (entry.isFile()) yield path
  }
}

let count = 0
let rawTotal = 0
let gzTotal = 0
for await (const path of walk(root)) {
  if (!COMPRESSIBLE.has(extname(path))) continue
  const gzPath = `${path}.gz`
  const { size } = await stat(path)
  if (size <= MIN_BYTES) {
    // A stale .gz from an earlier build would be served instead of the file.
    await unlink(gzPath).catch(() => {})
    continue
  }
  const data = await readFile(path)
  const gz = gzipSync(data, { level: constants.Z_BEST_COMPRESSION })
  await writeFile(gzPath, gz)
  count++
  rawTotal += size
  gzTotal += gz.length
  console.log(`${relative(root, path).padEnd(48)} ${String(size).padStart(9)} -> ${String(gz.length).padStart(8)} gz`)
}
console.log(`gzip: ${count} files, ${rawTotal} bytes -> ${gzTotal} bytes`)

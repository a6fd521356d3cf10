// layout.test.mjs - the architecture rules STYLE.md states, checked on the tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(c|h)$/.test(name)) out.push(p);
  }
  return out;
}

const sources = walk(path.join(ROOT, 'src'));

test('only the store back ends include sqlite3.h or libpq-fe.h', () => {
  const offenders = sources.filter((f) => {
    const text = readFileSync(f, 'utf8');
    return /#\s*include\s*[<"](sqlite3|libpq-fe)\.h[>"]/.test(text) && !/\/store\/store_[a-z]+\.c$/.test(f);
  });
  assert.deepEqual(offenders.map((f) => path.relative(ROOT, f)), []);
  // and the back ends really are where the rule says
  assert.ok(sources.some((f) => f.endsWith('src/store/store_sqlite.c')));
  assert.ok(sources.some((f) => f.endsWith('src/store/store_pg.c')));
});

test('only the http layer includes microhttpd.h', () => {
  const offenders = sources.filter(
    (f) => /#\s*include\s*[<"]microhttpd\.h[>"]/.test(readFileSync(f, 'utf8')) && !f.includes('/src/http/'),
  );
  assert.deepEqual(offenders.map((f) => path.relative(ROOT, f)), []);
});

test('API files write no SQL; store files format no HTTP', () => {
  const sqlish = /\b(SELECT\s+.+\s+FROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b/i;
  const apiFiles = sources.filter((f) => /\/api_[a-z_]+\.c$/.test(f));
  for (const f of apiFiles) {
    assert.ok(!sqlish.test(readFileSync(f, 'utf8')), `${path.relative(ROOT, f)} contains SQL`);
  }
  for (const f of sources.filter((f) => f.includes('/src/store/'))) {
    assert.ok(!/http\/req\.h/.test(readFileSync(f, 'utf8')), `${path.relative(ROOT, f)} includes req.h`);
  }
});

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

// ---- layers and folder dependencies ------------------------------------
//
// Every folder of src/ sits in a layer; an include may go to the same layer
// or a lower one, never up.  Low shared libraries (spreadsheet/, export/)
// sit beside store/: they know core/ and nothing else.  src/app.h (the
// process's shared state: config, store, router) belongs with http/; the
// files at the root of src/ (main.c, routes.c) and demo/ sit on top.
// Besides the layers, the folders' include graph must have no cycle.

const LAYERS = {
  core: 0,
  store: 1,
  spreadsheet: 1,
  export: 1,
  http: 2,
  app: 2,
  demo: 4,
  main: 5,
};
const DOMAIN_LAYER = 3; // every other folder: one feature each

export function folderOf(rel) {
  // rel: path relative to src/, e.g. "http/req.c", "app.h", "main.c"
  const parts = rel.split('/');
  if (parts.length === 1) return parts[0] === 'app.h' ? 'app' : 'main';
  return parts[0];
}

export function layerOf(folder) {
  return folder in LAYERS ? LAYERS[folder] : DOMAIN_LAYER;
}

/* [{from, to, file, include}] for every quoted include between two folders. */
export function folderEdges(files) {
  const edges = [];
  for (const { rel, text } of files) {
    const from = folderOf(rel);
    for (const m of text.matchAll(/^\s*#\s*include\s*"([^"]+)"/gm)) {
      const inc = m[1];
      if (!inc.includes('/') && inc !== 'app.h') continue; // same folder or generated
      const target = inc.includes('/') ? inc.split('/')[0] : 'app';
      if (!['core', 'store', 'http'].includes(target) && !files.some((f) => f.rel === inc)) continue;
      const to = folderOf(inc);
      if (to !== from) edges.push({ from, to, file: rel, include: inc });
    }
  }
  return edges;
}

export function backwardIncludes(edges) {
  return edges
    .filter((e) => layerOf(e.to) > layerOf(e.from))
    .map((e) => `${e.file} (${e.from}, layer ${layerOf(e.from)}) includes ${e.include} (${e.to}, layer ${layerOf(e.to)})`);
}

/* Every strongly connected set of more than one folder (Tarjan). */
export function folderCycles(edges) {
  const adj = new Map();
  for (const e of edges) {
    if (!adj.has(e.from)) adj.set(e.from, new Set());
    if (!adj.has(e.to)) adj.set(e.to, new Set());
    adj.get(e.from).add(e.to);
  }
  let index = 0;
  const idx = new Map(), low = new Map(), stack = [], on = new Set(), out = [];
  const visit = (v) => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); on.add(v);
    for (const w of adj.get(v)) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do { w = stack.pop(); on.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1) out.push(comp.sort().join(' <-> '));
    }
  };
  for (const v of [...adj.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

const srcFiles = sources.map((f) => ({
  rel: path.relative(path.join(ROOT, 'src'), f).split(path.sep).join('/'),
  text: readFileSync(f, 'utf8'),
}));
const edges = folderEdges(srcFiles);

test('no include goes from a lower layer to a higher one', () => {
  assert.deepEqual(backwardIncludes(edges), []);
});

test('no core, store or http file includes a domain header', () => {
  const low = edges.filter((e) => layerOf(e.from) <= 2 && layerOf(e.to) >= DOMAIN_LAYER);
  assert.deepEqual(low.map((e) => `${e.file} includes ${e.include}`), []);
});

test('the folders include each other without a cycle', () => {
  assert.deepEqual(folderCycles(edges), []);
});

test('the layer rules catch a backward include and a cycle', () => {
  // a made-up tree: http/ reaching up into auth/, and two domains in a circle
  const tree = [
    { rel: 'core/a.h', text: '' },
    { rel: 'http/req.c', text: '#include "core/a.h"\n#include "auth/auth.h"\n' },
    { rel: 'auth/auth.h', text: '#include "http/req.h"\n#include "org/org.h"\n' },
    { rel: 'http/req.h', text: '' },
    { rel: 'org/org.h', text: '#include "auth/auth.h"\n' },
  ];
  const e = folderEdges(tree);
  assert.deepEqual(backwardIncludes(e), ['http/req.c (http, layer 2) includes auth/auth.h (auth, layer 3)']);
  assert.deepEqual(folderCycles(e), ['auth <-> http <-> org']);
  // without the backward include the circle between the two domains remains
  tree[1].text = '#include "core/a.h"\n';
  tree[2].text = '#include "org/org.h"\n';
  const e2 = folderEdges(tree);
  assert.deepEqual(backwardIncludes(e2), []);
  assert.deepEqual(folderCycles(e2), ['auth <-> org']);
});

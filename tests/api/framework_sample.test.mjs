// framework_sample.test.mjs - docs/samples/framework-sample.xlsx, the sample
// in the layout offices keep (scripts/framework-sample.mjs), previews with no
// error on the demo county and imports to the demo's own framework: the same
// codes, text, methods and grading, merged cells filled down.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, cli, login, ROOT } from './harness.mjs';
import { unzip } from './xlsx.mjs';

let srv;
let office;

async function ok(resPromise, status = 200) {
  const r = await resPromise;
  assert.equal(r.status, status, r.text);
  return r.body;
}

function upload(client, pathname, bytes, filename) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), filename);
  return client.api(pathname, { method: 'POST', raw: form });
}

before(async () => {
  srv = await startServer();
  const r = await cli(['demo'], srv.env);
  assert.equal(r.code, 0, r.stderr);
  const pw = r.stdout.match(/shown once\):\s*\n\s*(\S+)/)[1];
  office = await login(srv.url, 'office01', pw);
});

after(async () => {
  const code = await srv.stop();
  assert.equal(code, 0, `server exit code ${code}\n${srv.log().slice(-3000)}`);
});

test('the shipped sample previews with no error and imports to the demo framework', async () => {
  const book = readFileSync(path.join(ROOT, 'docs/samples/framework-sample.xlsx'));
  assert.match(unzip(book).get('xl/worksheets/sheet1.xml'), /<mergeCell ref="A3:A\d+"\/>/, 'projects merged over their rows');
  const p = await ok(upload(office, '/api/v1/frameworks/import?preview=1', book, 'framework-sample.xlsx'));
  assert.deepEqual(p.errors, []);
  assert.equal(p.counts.standards, 124);
  assert.equal(p.counts.negative_items, 8);
  const r = await ok(upload(office, '/api/v1/frameworks/import?name=' + encodeURIComponent('样表导入'), book, 'framework-sample.xlsx'), 201);
  const demo = (await ok(office.api('/api/v1/frameworks'))).items.find((f) => f.name.includes('示例县'));
  assert.deepEqual([r.framework.projects, r.framework.contents, r.framework.standards], [7, 58, 118]);
  assert.deepEqual(r.framework.totals, demo.totals);
  const a = await ok(office.api(`/api/v1/frameworks/${demo.id}/indicators`));
  const b = await ok(office.api(`/api/v1/frameworks/${r.framework.id}/indicators`));
  const strip = (t) => JSON.stringify(t, (k, v) => (['id', 'framework_id', 'parent_id', 'lead_unit_id', 'sort'].includes(k) ? undefined : v));
  assert.equal(strip(b.items), strip(a.items));
  assert.deepEqual(b.sections, a.sections);
});

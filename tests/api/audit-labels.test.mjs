// audit-labels.test.mjs - the audit log in Chinese from one catalogue
// (src/audit/audit_labels.c): GET /audit/catalogue for the pages, and the
// xlsx export writes actions, object types and summaries with it ("状态：整改中
// → 已反馈", never "problem.submit" or "from: rectifying").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { errorBody } from './harness.mjs';
import { ok, loop, demoServer, unitsWithLiaisons } from './loop.mjs';
import { readSheet } from '../e2e/xlsx.mjs';

let srv;
let office;
let demo;

before(async () => {
  demo = await demoServer();
  srv = demo.srv;
  office = await demo.as('office01');
  const units = {};
  [units.A] = await unitsWithLiaisons(demo, 1);
  const l = loop({ reporter: await demo.as('insp01'), office, category: demo.category, units });
  const p = await l.rectifying('A');
  await l.submit('A', p.id);
});

after(async () => {
  const code = await srv.stop();
  assert.equal(code, 0, `server exit code ${code}\n${srv.log().slice(-3000)}`);
});

test('GET /audit/catalogue: actions, verbs, object types, summary keys and statuses in Chinese', async () => {
  const c = await ok(office.api('/api/v1/audit/catalogue'));
  assert.equal(c.actions['problem.submit'], '提交整改');
  assert.equal(c.actions['file.upload'], '上传照片或附件');
  assert.equal(c.verbs.create, '新增');
  assert.equal(c.object_types.unit, '单位');
  assert.equal(c.summary_keys.from, '原状态');
  assert.equal(c.statuses.rectifying, '整改中');
  const liaison = await demo.as('dept01s');
  errorBody(await liaison.api('/api/v1/audit/catalogue'), assert, 403, 'forbidden');
});

test('the audit xlsx names actions and transitions in Chinese, no internal codes', async () => {
  const r = await fetch(`${srv.url}/api/v1/audit/export?action=problem.`, { headers: { cookie: office.cookie } });
  assert.equal(r.status, 200);
  const rows = readSheet(Buffer.from(await r.arrayBuffer()), 200);
  const body = rows.slice(rows.findIndex((row) => row[0] === '编号') + 1);
  assert.ok(body.length >= 5, `problem rows: ${body.length}`);
  const text = body.map((row) => row.join('|')).join('\n');
  for (const label of ['上报问题', '受理问题', '交办问题', '签收问题', '提交整改']) assert.ok(text.includes(label), `${label} in\n${text}`);
  assert.ok(text.includes('状态：整改中 → 已反馈'), text);
  assert.ok(!/problem\.[a-z]/.test(text), 'an action code in the export');
  assert.ok(!/rectifying|"from"/.test(text), 'a status code in the export');
  assert.ok(body.every((row) => row[5] === '问题'), `object type 问题: ${JSON.stringify(body[0])}`);
});

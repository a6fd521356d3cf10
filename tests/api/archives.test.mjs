// archives.test.mjs - 资料归档 and 责任书 by API on the `wenming demo` county: the
// office sets what a unit kind must keep; a unit files a document against a
// requirement; a unit reads only its own archive (404 otherwise, its files
// too); completeness per unit and who is missing what, also as .xlsx; a
// unit confirms its 责任书 and the office sees who has not.  SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, cli, errorBody, login, loginAdmin, ROOT } from './harness.mjs';
import { readXlsx } from './xlsx.mjs';

let srv;
let admin;
let office;
let pw;
const JPEG = readFileSync(path.join(ROOT, 'tests/fixtures/photo-400x200.jpg'));

async function ok(resPromise, status = 200) {
  const r = await resPromise;
  assert.equal(r.status, status, r.text);
  return r.body;
}

async function unitUser(name) {
  const units = (await ok(admin.api('/api/v1/units?size=500'))).items;
  const unit = units.find((u) => u.name === name);
  assert.ok(unit, name);
  const users = (await ok(admin.api(`/api/v1/users?unit_id=${unit.id}&size=100`))).items;
  const u = users.find((x) => x.unit_id === unit.id && x.roles.some((k) => k === 'unit_admin' || k === 'unit_staff'));
  assert.ok(u, `a user of ${name}`);
  return { unit, client: await login(srv.url, u.username, pw) };
}

before(async () => {
  srv = await startServer();
  const r = await cli(['demo'], srv.env);
  assert.equal(r.code, 0, r.stderr);
  pw = r.stdout.match(/shown once\):\s*\n\s*(\S+)/)[1];
  admin = await loginAdmin(srv);
  office = await login(srv.url, 'office01', pw);
});

after(async () => {
  assert.equal(await srv.stop(), 0);
});

test('a unit reads only its own archive (404 otherwise) and files against its requirements', async () => {
  const a = await unitUser('城关街道');
  const b = await unitUser('东城街道');
  const req = await ok(office.api('/api/v1/archives/requirements', {
    method: 'POST', body: { unit_kind: 'town', title: '志愿服务记录', note: '志愿服务活动记录和照片' },
  }), 201);
  const mine = await ok(a.client.api(`/api/v1/archives/units/${a.unit.id}`));
  assert.ok(mine.requirements.some((x) => x.id === req.id && x.documents.length === 0));
  const f = await ok((() => { const form = new FormData(); form.append('file', new Blob([JPEG]), '志愿服务.jpg'); return a.client.api('/api/v1/files', { method: 'POST', raw: form }); })(), 201);
  const doc = await ok(a.client.api(`/api/v1/archives/units/${a.unit.id}/documents`, {
    method: 'POST', body: { requirement_id: req.id, file_id: f.id, note: '三月份活动' },
  }), 201);
  const after_ = await ok(a.client.api(`/api/v1/archives/units/${a.unit.id}`));
  const row = after_.requirements.find((x) => x.id === req.id);
  assert.equal(row.documents.length, 1);
  assert.equal(row.documents[0].file.id, f.id);
  // another unit: 404 on the archive, on filing into it and on its file
  errorBody(await b.client.api(`/api/v1/archives/units/${a.unit.id}`), assert, 404, 'not_found');
  errorBody(await b.client.api(`/api/v1/archives/units/${a.unit.id}/documents`, {
    method: 'POST', body: { requirement_id: req.id, file_id: f.id },
  }), assert, 404, 'not_found');
  errorBody(await b.client.api(`/api/v1/archives/units/${a.unit.id}/documents/${doc.id}`, { method: 'DELETE' }), assert, 404, 'not_found');
  errorBody(await b.client.api(`/api/v1/files/${f.id}/meta`), assert, 404, 'not_found');
  // the office reads it; b's overview holds only b
  assert.equal((await office.api(`/api/v1/files/${f.id}/meta`)).status, 200);
  const bo = await ok(b.client.api('/api/v1/archives'));
  assert.deepEqual(bo.items.map((x) => x.unit_id), [b.unit.id]);
  // completeness: 东城街道 misses the new requirement, 城关街道 does not
  const all = await ok(office.api('/api/v1/archives'));
  const ra = all.items.find((x) => x.unit_id === a.unit.id);
  const rb = all.items.find((x) => x.unit_id === b.unit.id);
  assert.ok(!ra.missing.includes('志愿服务记录'));
  assert.ok(rb.missing.includes('志愿服务记录'));
  const x = await fetch(`${srv.url}/api/v1/archives/missing.xlsx`, { headers: { cookie: office.cookie } });
  assert.equal(x.status, 200);
  const sheet = readXlsx(Buffer.from(await x.arrayBuffer()));
  const rows = sheet.rows || sheet;
  const flat = JSON.stringify(rows);
  assert.ok(flat.includes('东城街道') && flat.includes('志愿服务记录'), flat.slice(0, 400));
  // bad input: 422, Chinese, nothing written
  const before_ = (await ok(a.client.api(`/api/v1/archives/units/${a.unit.id}`))).requirements.find((y) => y.id === req.id).documents.length;
  const dept = (await ok(office.api('/api/v1/archives/requirements?kind=department'))).items[0];
  errorBody(await a.client.api(`/api/v1/archives/units/${a.unit.id}/documents`, { method: 'POST', body: { requirement_id: dept.id, file_id: f.id } }), assert, 422, 'invalid');
  errorBody(await a.client.api(`/api/v1/archives/units/${a.unit.id}/documents`, { method: 'POST', body: { requirement_id: req.id, file_id: 99999999 } }), assert, 422, 'invalid');
  errorBody(await office.api('/api/v1/archives/requirements', { method: 'POST', body: { unit_kind: '火星', title: 'x' } }), assert, 422, 'invalid');
  errorBody(await a.client.api('/api/v1/archives/requirements', { method: 'POST', body: { unit_kind: 'town', title: 'x' } }), assert, 403, 'forbidden');
  assert.equal((await ok(a.client.api(`/api/v1/archives/units/${a.unit.id}`))).requirements.find((y) => y.id === req.id).documents.length, before_);
  // audited
  const audit = await ok(office.api('/api/v1/audit?size=100'));
  const acts = audit.items.map((y) => y.action);
  assert.ok(acts.includes('archive.requirement.create') && acts.includes('archive.file') && acts.includes('archive.export'), acts.join());
});

test('the office writes a year\'s 责任书, the unit confirms it, the office sees who has not', async () => {
  const a = await unitUser('县住建局');
  const b = await unitUser('县教育局');
  const put = await ok(office.api('/api/v1/pledges', {
    method: 'POST', body: { year: 2031, unit_ids: [a.unit.id, b.unit.id], items: '1. 完成背街小巷整治；\n2. 按月报送进展。' },
  }), 201);
  assert.equal(put.ids.length, 2);
  const mine = await ok(a.client.api('/api/v1/pledges?year=2031'));
  assert.deepEqual(mine.items.map((x) => x.unit_id), [a.unit.id]);
  const id = mine.items[0].id;
  // another unit cannot see or confirm it; the office cannot confirm for the unit
  errorBody(await b.client.api(`/api/v1/pledges/${id}/confirm`, { method: 'POST' }), assert, 404, 'not_found');
  const c = await ok(a.client.api(`/api/v1/pledges/${id}/confirm`, { method: 'POST' }));
  assert.ok(c.confirmed && c.confirmed_at > 0 && c.confirmed_by_name);
  errorBody(await a.client.api(`/api/v1/pledges/${id}/confirm`, { method: 'POST' }), assert, 409, 'conflict');
  const all = await ok(office.api('/api/v1/pledges?year=2031'));
  assert.equal(all.total, 2);
  assert.equal(all.confirmed, 1);
  assert.equal(all.items.find((x) => x.unit_id === b.unit.id).confirmed, false);
  // a confirmed one cannot be rewritten; bad input changes nothing
  errorBody(await office.api('/api/v1/pledges', { method: 'POST', body: { year: 2031, unit_ids: [b.unit.id, a.unit.id], items: '改' } }), assert, 409, 'conflict');
  assert.equal((await ok(office.api('/api/v1/pledges?year=2031'))).items.find((x) => x.unit_id === b.unit.id).items, '1. 完成背街小巷整治；\n2. 按月报送进展。');
  errorBody(await office.api('/api/v1/pledges', { method: 'POST', body: { year: 1999, unit_ids: [a.unit.id], items: 'x' } }), assert, 422, 'invalid');
  errorBody(await office.api('/api/v1/pledges', { method: 'POST', body: { year: 2032, items: 'x' } }), assert, 422, 'invalid');
});

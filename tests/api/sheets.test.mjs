// sheets.test.mjs - assignment sheets (交办单) by API: the office batches assigned
// problems of one unit into a numbered sheet, prints it as a PDF (Chinese text that
// pdftotext extracts, the before-photos, a QR code), the unit signs for it once;
// another unit sees nothing (404) and problems that are not the unit's open work are
// refused (422).  On the `wenming demo` county; runs on SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, cli, errorBody, login, loginAdmin, psql, DB_KIND, ROOT } from './harness.mjs';

let srv;
let admin;
let office;
let insp;
let point;
let category;
let lead;      // { unit_id, user }
let stranger;  // a user of an unrelated unit
const JPEG = readFileSync(path.join(ROOT, 'tests/fixtures/photo-400x200.jpg'));

function sql(text) {
  if (DB_KIND === 'postgres') return psql(srv.db.url, text);
  const file = srv.db.url.replace(/^sqlite:/, '');
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', file, text], { encoding: 'utf8' }).trim();
}

async function ok(resPromise, status = 200) {
  const r = await resPromise;
  assert.equal(r.status, status, r.text);
  return r.body;
}

async function userOfUnit(unitId) {
  const r = await admin.api(`/api/v1/users?unit_id=${unitId}&size=500`);
  assert.equal(r.status, 200, r.text);
  return r.body.items.find((u) => u.unit_id === unitId && u.enabled !== false &&
    u.roles.some((k) => k === 'unit_admin' || k === 'unit_staff'));
}

async function report() {
  const form = new FormData();
  form.append('file', new Blob([JPEG], { type: 'image/jpeg' }), 'photo.jpg');
  const up = await insp.api('/api/v1/files', { method: 'POST', raw: form });
  assert.equal(up.status, 201, up.text);
  return ok(insp.api('/api/v1/problems', {
    method: 'POST',
    body: { category_id: category.id, point_id: point.id, description: '路边垃圾堆放未清理', severity: 1, source: 'inspection', photo_ids: [up.body.id] },
  }), 201);
}

async function assigned() {
  const p = await report();
  await ok(office.api(`/api/v1/problems/${p.id}/accept`, { method: 'POST', body: {} }));
  return ok(office.api(`/api/v1/problems/${p.id}/assign`, { method: 'POST', body: { unit_id: lead.unit_id, deadline: '2030-06-30' } }));
}

// The PDF's bytes (the JSON client would mangle them).
async function pdfOf(client, id) {
  const r = await fetch(`${srv.url}/api/v1/sheets/${id}/pdf`, { headers: { cookie: client.cookie } });
  return { status: r.status, type: r.headers.get('content-type'), disp: r.headers.get('content-disposition'), buf: Buffer.from(await r.arrayBuffer()) };
}

before(async () => {
  srv = await startServer();
  const r = await cli(['demo', '--empty'], srv.env);
  assert.equal(r.code, 0, r.stderr);
  const pw = r.stdout.match(/shown once\):\s*\n\s*(\S+)/)[1];
  admin = await loginAdmin(srv);
  office = await login(srv.url, 'office01', pw);
  insp = await login(srv.url, 'insp01', pw);
  category = (await ok(admin.api('/api/v1/categories?size=500'))).items.find((c) => c.code === 'SR01');
  assert.ok(category, 'demo category SR01');
  const points = (await ok(admin.api('/api/v1/points?size=500'))).items.filter((p) => p.unit_id && p.lat != null);
  for (const p of points) {
    const u = await userOfUnit(p.unit_id);
    if (u) {
      point = p;
      lead = { unit_id: p.unit_id, user: await login(srv.url, u.username, pw) };
      break;
    }
  }
  assert.ok(point, 'a demo point with a unit user');
  const units = (await ok(admin.api('/api/v1/units?size=500'))).items;
  const leadUnit = units.find((x) => x.id === lead.unit_id);
  const related = (a, b) => a.id === b.id || a.ancestors.includes(`/${b.id}/`) || b.ancestors.includes(`/${a.id}/`);
  for (const u of units) {
    if (related(u, leadUnit)) continue;
    const user = await userOfUnit(u.id);
    if (user) {
      stranger = await login(srv.url, user.username, pw);
      break;
    }
  }
  assert.ok(stranger, 'a user of another unit');
});

after(async () => {
  const code = await srv.stop();
  assert.equal(code, 0, `server exit code ${code}\n${srv.log().slice(-3000)}`);
});

test('a sheet of two assigned problems: PDF, sign once, scope, audit', async () => {
  const a = await assigned();
  const b = await assigned();
  const s = await ok(office.api('/api/v1/sheets', { method: 'POST', body: { unit_id: lead.unit_id, problem_ids: [a.id, b.id] } }), 201);
  const year = new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear();
  assert.match(s.number, new RegExp(`^交办〔${year}〕\\d{3}$`));
  assert.equal(s.unit_id, lead.unit_id);
  assert.equal(s.signed, false);
  assert.deepEqual(s.problems.map((p) => p.code), [a.code, b.code]);

  // numbered in sequence
  const c = await assigned();
  const s2 = await ok(office.api('/api/v1/sheets', { method: 'POST', body: { unit_id: lead.unit_id, problem_ids: [c.id] } }), 201);
  assert.equal(Number(s2.number.slice(-3)), Number(s.number.slice(-3)) + 1);

  // list and filters
  const all = await ok(office.api(`/api/v1/sheets?unit_id=${lead.unit_id}`));
  assert.ok(all.items.some((x) => x.id === s.id) && all.items.some((x) => x.id === s2.id));
  const got = await ok(lead.user.api(`/api/v1/sheets/${s.id}`));
  assert.equal(got.problems.length, 2);

  // the PDF; problem b is three days (and a bit) past its deadline
  sql(`UPDATE problems SET deadline = ${Date.now() - 3 * 86400000 - 3600000} WHERE id = ${b.id}`);
  const pdf = await pdfOf(office, s.id);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.type, 'application/pdf');
  assert.match(pdf.disp, /attachment/);
  assert.equal(pdf.buf.subarray(0, 4).toString('latin1'), '%PDF');
  const text = execFileSync('pdftotext', ['-', '-'], { input: pdf.buf, encoding: 'utf8' });
  assert.match(text, /交办单/);
  assert.ok(text.includes(s.number), `number ${s.number} in:\n${text}`);
  assert.ok(text.includes(a.code), `code ${a.code} in:\n${text}`);
  assert.match(text, /签收人/);
  // the issuing office (the maker's unit), its contact, the sign-off with a seal place, the overdue mark
  const maker = await ok(admin.api(`/api/v1/users/${office.me.id}`));
  assert.ok(maker.unit_name || maker.unit?.name, JSON.stringify(maker));
  const office_name = maker.unit_name || maker.unit.name;
  assert.ok(text.includes(`交办单位：${office_name}`), text);
  assert.ok(text.split(office_name).length >= 3, 'the 落款 repeats the office under the seal');
  assert.match(text, new RegExp(`联系人：${office.me.name}`));
  assert.match(text, /盖章处/);
  assert.match(text, /\d{4}年\d{1,2}月\d{1,2}日/);
  assert.match(text, /【超期 4 天】/);
  assert.match(text, /其中已超期 1 个/);
  if (process.env.WENMING_SHEET_PNG) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wenming-sheet-'));
    writeFileSync(path.join(dir, 'sheet.pdf'), pdf.buf);
    execFileSync('pdftoppm', ['-png', '-r', '70', path.join(dir, 'sheet.pdf'), process.env.WENMING_SHEET_PNG]);
  }

  // another unit sees nor signs it
  errorBody(await stranger.api(`/api/v1/sheets/${s.id}`), assert, 404, 'not_found');
  errorBody(await stranger.api(`/api/v1/sheets/${s.id}/sign`, { method: 'POST', body: {} }), assert, 404, 'not_found');
  assert.equal((await pdfOf(stranger, s.id)).status, 404);
  assert.ok(!(await ok(stranger.api('/api/v1/sheets'))).items.some((x) => x.id === s.id));

  // the unit signs, once
  const signed = await ok(lead.user.api(`/api/v1/sheets/${s.id}/sign`, { method: 'POST', body: {} }));
  assert.equal(signed.signed, true);
  assert.equal(signed.signed_by, lead.user.me.id);
  assert.ok(signed.signed_at > 0);
  errorBody(await lead.user.api(`/api/v1/sheets/${s.id}/sign`, { method: 'POST', body: {} }), assert, 409, 'conflict');
  const text2 = execFileSync('pdftotext', ['-', '-'], { input: (await pdfOf(office, s.id)).buf, encoding: 'utf8' });
  assert.ok(text2.includes(lead.user.me.name || lead.user.me.username) || /签收时间：\s*\d{4}-/.test(text2), text2);

  const signedList = await ok(office.api('/api/v1/sheets?signed=1'));
  assert.ok(signedList.items.some((x) => x.id === s.id) && !signedList.items.some((x) => x.id === s2.id));
  const unsigned = await ok(office.api('/api/v1/sheets?signed=0'));
  assert.ok(unsigned.items.some((x) => x.id === s2.id) && !unsigned.items.some((x) => x.id === s.id));

  // audited
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'sheet.create' AND object_id = '${s.id}'`), '1');
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'sheet.sign' AND object_id = '${s.id}'`), '1');
});

test('problems that are not the unit\'s open work are refused with 422', async () => {
  const a = await assigned();
  const fresh = await report(); // reported, not assigned
  const e = errorBody(await office.api('/api/v1/sheets', { method: 'POST', body: { unit_id: lead.unit_id, problem_ids: [a.id, fresh.id, 99999999] } }), assert, 422, 'invalid');
  assert.equal(e.field, 'problem_ids');
  assert.ok(e.message.includes(String(fresh.id)) && e.message.includes('99999999') && !e.message.includes(`${a.id}、`), e.message);
  errorBody(await office.api('/api/v1/sheets', { method: 'POST', body: { unit_id: lead.unit_id, problem_ids: [] } }), assert, 422, 'invalid');
  // the lead unit's own user cannot create one
  assert.equal((await lead.user.api('/api/v1/sheets', { method: 'POST', body: { unit_id: lead.unit_id, problem_ids: [a.id] } })).status, 403);
  errorBody(await office.api('/api/v1/sheets/99999999'), assert, 404, 'not_found');
});

test('the sheet number follows the format the office sets on 参数设置; bad formats 422, nothing saved', async () => {
  const { defaults: _d, updated_at: _a, updated_by_name: _b, ...values } = await ok(office.api('/api/v1/settings'));
  assert.equal(values.sheet_number_format, '交办〔{YYYY}〕{NNN}');
  for (const bad of ['交办〔{YYYY}〕', '{NNN}', '{YYYY}{YYYY}{NNN}', '{YYYY}-{NNNNNNN}', '{YYYY}\n{NNN}', '']) {
    const e = errorBody(await office.api('/api/v1/settings', { method: 'PUT', body: { ...values, sheet_number_format: bad } }), assert, 422, 'invalid');
    assert.equal(e.field, 'sheet_number_format', bad);
  }
  assert.equal((await ok(office.api('/api/v1/settings'))).sheet_number_format, '交办〔{YYYY}〕{NNN}');
  const saved = await ok(office.api('/api/v1/settings', { method: 'PUT', body: { ...values, sheet_number_format: '城管交〔{YYYY}〕第{NNNN}号' } }));
  assert.equal(saved.sheet_number_format, '城管交〔{YYYY}〕第{NNNN}号');
  const audit = (await ok(admin.api('/api/v1/audit?action=settings.update&size=5'))).items[0];
  assert.deepEqual(audit.summary.sheet_number_format, ['交办〔{YYYY}〕{NNN}', '城管交〔{YYYY}〕第{NNNN}号']);
  const p = await assigned();
  const s = await ok(office.api('/api/v1/sheets', { method: 'POST', body: { unit_id: lead.unit_id, problem_ids: [p.id] } }), 201);
  const year = new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear();
  assert.match(s.number, new RegExp(`^城管交〔${year}〕第\\d{4}号$`));
  const text = execFileSync('pdftotext', ['-', '-'], { input: (await pdfOf(office, s.id)).buf, encoding: 'utf8' });
  assert.ok(text.includes(s.number), text);
  await ok(office.api('/api/v1/settings', { method: 'PUT', body: values }));
});

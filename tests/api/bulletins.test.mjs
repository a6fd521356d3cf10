// bulletins.test.mjs - 通报 by API: the office drafts a bulletin from a period
// (figures, overdue problems by unit, the unit table and red / black lists from
// the ranking), picks a typical problem with its before / after photos, and
// downloads it as a PDF (text and images checked with poppler) and as a Word
// document (a zip whose word/document.xml holds the sections and whose
// word/media holds the photos).  Bad input changes nothing, an issued bulletin
// answers 409, units cannot read or draft bulletins, every change is audited;
// issuing sends it to units as an announcement with the PDF attached.
// On the `wenming demo` county; runs on SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { demoServer, unitsWithLiaisons, ok, upload, act, sqlOn, HOUR } from './loop.mjs';

let demo;
let office;
let leader;
let insp;
let units; // two unrelated units with a liaison each
const sql = (text) => sqlOn(demo.srv, text);

// The last ten days up to today in the tenant's calendar (Asia/Shanghai).
function period() {
  const day = (ms) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10);
  return { from: day(Date.now() - 10 * 24 * HOUR), to: day(Date.now()) };
}

async function bytesOf(client, url) {
  const r = await fetch(`${demo.srv.url}${url}`, { headers: { cookie: client.cookie } });
  return { status: r.status, type: r.headers.get('content-type'), disp: r.headers.get('content-disposition'), buf: Buffer.from(await r.arrayBuffer()) };
}

// A problem reported with a photo and driven to closed with an after-photo by unit u.
async function closedWithPhotos(u) {
  const p = await ok(insp.api('/api/v1/problems', {
    method: 'POST',
    body: { category_id: demo.category.id, lat: 30.31, lng: 120.11, description: '农贸市场门口垃圾堆放', source: 'inspection', photo_ids: [await upload(insp)] },
  }), 201);
  await act(office, p.id, 'accept');
  await act(office, p.id, 'assign', { unit_id: u.id, deadline: Date.now() + 48 * HOUR });
  await act(u.user, p.id, 'sign');
  await act(u.user, p.id, 'submit', { note: '已清理', photo_ids: [await upload(u.user)] });
  return act(office, p.id, 'verify', { passed: true, outcome: 'fixed', reason: '照片无拍摄时间，已现场核实' });
}

// A problem assigned to unit u whose deadline passed two days ago.
async function overdue(u) {
  const p = await ok(insp.api('/api/v1/problems', {
    method: 'POST',
    body: { category_id: demo.category.id, lat: 30.41, lng: 120.21, description: '路灯损坏未修复', source: 'inspection' },
  }), 201);
  await act(office, p.id, 'accept');
  await act(office, p.id, 'assign', { unit_id: u.id, deadline: Date.now() + 48 * HOUR });
  sql(`UPDATE problems SET deadline = ${Date.now() - 2 * 24 * HOUR}, assigned_at = ${Date.now() - 3 * 24 * HOUR} WHERE id = ${p.id}`);
  return p;
}

before(async () => {
  demo = await demoServer();
  office = await demo.as('office01');
  leader = await demo.as('leader01');
  insp = await demo.as('insp01');
  units = await unitsWithLiaisons(demo, 2);
});

after(async () => {
  const code = await demo.srv.stop();
  assert.equal(code, 0, `server exit code ${code}\n${demo.srv.log().slice(-3000)}`);
});

test('a draft from a period: sections, number, typical problem, PDF and DOCX with its photos', async () => {
  const typical = await closedWithPhotos(units[0]);
  await overdue(units[1]);
  const b = await ok(office.api('/api/v1/bulletins', { method: 'POST', body: period() }), 201);
  const year = new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 4);
  assert.match(b.number, new RegExp(`^督查情况〔${year}〕第\\d+期$`));
  assert.equal(b.status, 'draft');
  assert.equal(b.from, period().from);
  const c = b.content;
  assert.ok(c.figures.problems_found >= 2, JSON.stringify(c.figures));
  assert.ok(c.figures.problems_closed >= 1, JSON.stringify(c.figures));
  assert.ok(c.figures.problems_overdue >= 1, JSON.stringify(c.figures));
  const od = c.overdue_units.find((x) => x.unit_id === units[1].id);
  assert.ok(od && od.count >= 1 && od.unit_name === units[1].name, JSON.stringify(c.overdue_units));
  assert.equal(c.basis, 'ranking');
  assert.match(c.basis_note, /综合得分/);
  // the unit with an overdue problem fell due in the period: ranked, graded
  const ranked = c.units.find((x) => x.unit_id === units[1].id);
  assert.ok(ranked && ranked.rank >= 1 && /^[A-E]$/.test(ranked.grade), JSON.stringify(c.units));
  assert.match(c.summary, /发现问题 \d+ 个/);
  assert.ok(c.typical.some((t) => t.problem_id === typical.id && t.before_file_id && t.after_file_id), 'proposed as typical');

  // numbered in sequence within the year
  const b2 = await ok(office.api('/api/v1/bulletins', { method: 'POST', body: period() }), 201);
  assert.equal(b2.seq, b.seq + 1);

  // the office picks the typical problem and writes its suggestions
  const e = await ok(office.api(`/api/v1/bulletins/${b.id}`, {
    method: 'PUT',
    body: { typical: [{ problem_id: typical.id, comment: '整改及时，予以肯定' }], suggestions: '各单位要举一反三，立行立改。' },
  }));
  assert.equal(e.content.typical.length, 1);
  assert.equal(e.content.typical[0].code, typical.code);
  assert.ok(e.content.typical[0].before_file_id, 'before photo');
  assert.ok(e.content.typical[0].after_file_id, 'after photo');
  assert.equal(e.content.suggestions, '各单位要举一反三，立行立改。');
  assert.equal(e.content.summary, c.summary, 'what the edit did not name stays');

  // the PDF
  const pdf = await bytesOf(office, `/api/v1/bulletins/${b.id}/pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.type, 'application/pdf');
  assert.match(pdf.disp, /attachment/);
  assert.equal(pdf.buf.subarray(0, 4).toString('latin1'), '%PDF');
  const pages = Number(execFileSync('pdfinfo', ['-'], { input: pdf.buf, encoding: 'utf8' }).match(/Pages:\s+(\d+)/)[1]);
  assert.ok(pages >= 2, `pages ${pages}`);
  const text = execFileSync('pdftotext', ['-', '-'], { input: pdf.buf, encoding: 'utf8' }).replace(/\s+/g, '');
  for (const s of [b.number, '基本情况', '存在的问题', '下步工作建议', '红榜', '黑榜', units[1].name, typical.code, '立行立改']) assert.ok(text.includes(s.replace(/\s+/g, '')), `${s} in the PDF`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bulletin-test-'));
  try {
    writeFileSync(path.join(dir, 'b.pdf'), pdf.buf);
    const images = execFileSync('pdfimages', ['-list', path.join(dir, 'b.pdf')], { encoding: 'utf8' }).trim().split('\n').slice(2);
    assert.ok(images.length >= 2, `before and after photo in the PDF:\n${images.join('\n')}`);
    if (process.env.BULLETIN_SHOTS) {
      execFileSync('pdftoppm', ['-png', '-r', '80', path.join(dir, 'b.pdf'), path.join(process.env.BULLETIN_SHOTS, 'bulletin')]);
    }

    // the Word document
    const docx = await bytesOf(office, `/api/v1/bulletins/${b.id}/docx`);
    assert.equal(docx.status, 200, docx.buf.toString());
    assert.match(docx.type, /wordprocessingml/);
    assert.match(decodeURIComponent(docx.disp), /通报.*\.docx/);
    assert.equal(docx.buf.subarray(0, 2).toString('latin1'), 'PK');
    writeFileSync(path.join(dir, 'b.docx'), docx.buf);
    const xml = execFileSync('unzip', ['-p', path.join(dir, 'b.docx'), 'word/document.xml'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const words = xml.replace(/<[^>]+>/g, '');
    for (const s of [b.number, '一、基本情况', '二、存在的问题', '三、单位排名', '四、红黑榜', '五、下步工作建议', units[1].name, typical.code, '立行立改']) assert.ok(words.includes(s), `${s} in the DOCX`);
    assert.ok((xml.match(/<w:tbl>/g) || []).length >= 3, 'tables in the DOCX');
    const media = execFileSync('unzip', ['-Z1', path.join(dir, 'b.docx')], { encoding: 'utf8' }).split('\n').filter((f) => f.startsWith('word/media/'));
    assert.ok(media.length >= 2, `photos in the DOCX: ${media}`);
    if (process.env.BULLETIN_SHOTS) writeFileSync(path.join(process.env.BULLETIN_SHOTS, 'bulletin.docx'), docx.buf);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // no temporary directory is left behind
  assert.deepEqual(readdirSync(os.tmpdir()).filter((f) => f.startsWith('wenming-bulletin-')), []);

  // leaders read and print; the list shows both
  const list = await ok(leader.api('/api/v1/bulletins'));
  assert.ok(list.items.some((x) => x.id === b.id) && list.items.some((x) => x.id === b2.id));
  assert.equal((await bytesOf(leader, `/api/v1/bulletins/${b.id}/pdf`)).status, 200);
  assert.equal((await leader.api(`/api/v1/bulletins/${b.id}`, { method: 'PUT', body: { suggestions: 'x' } })).status, 403);

  // audited in the change's transaction
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'bulletin.create' AND object_id = '${b.id}'`), '1');
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'bulletin.update' AND object_id = '${b.id}'`), '1');
});

test('bad input gets 422 and changes nothing', async () => {
  const count = () => sql('SELECT COUNT(*) FROM bulletins');
  const before = count();
  const bad = [
    [{ to: period().to }, 'from'],
    [{ from: '2026-13-01', to: period().to }, 'from'],
    [{ from: period().to, to: period().from }, 'to'],
    [{ from: '2020-01-01', to: '2022-01-01' }, 'to'],
    [{ ...period(), assessment_id: 999999 }, 'assessment_id'],
  ];
  for (const [body, field] of bad) {
    const r = await office.api('/api/v1/bulletins', { method: 'POST', body });
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.body.error.field, field, r.text);
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
  }
  assert.equal((await office.api('/api/v1/bulletins', { method: 'POST', body: { ...period(), extra: 1 } })).status, 422);
  assert.equal(count(), before);

  const b = await ok(office.api('/api/v1/bulletins', { method: 'POST', body: period() }), 201);
  const snapshot = sql(`SELECT content FROM bulletins WHERE id = ${b.id}`);
  for (const body of [{ typical: [{ problem_id: 99999999 }] }, { typical: 'x' }, { plan_id: 99999999 }, { title: '' }, { colour: 'red' },
    { typical: [{ problem_id: 1 }, { problem_id: 1 }] }]) {
    const r = await office.api(`/api/v1/bulletins/${b.id}`, { method: 'PUT', body });
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
  }
  assert.equal(sql(`SELECT content FROM bulletins WHERE id = ${b.id}`), snapshot);
  assert.equal((await office.api('/api/v1/bulletins/99999999')).status, 404);
  assert.equal((await office.api('/api/v1/bulletins?status=sent')).status, 422);
});

test('issued to units as an announcement with the PDF and the 进展情况表 attached; 409 after', async () => {
  const b = await ok(office.api('/api/v1/bulletins', { method: 'POST', body: period() }), 201);
  for (const body of [{ unit_ids: [] }, { unit_ids: [units[0].id, units[0].id] }, { unit_ids: ['x'] }, { unit_ids: [99999999] }, { reply_due: '2000-01-01' }, { reply_due: 'soon' }, { extra: 1 }]) {
    const r = await office.api(`/api/v1/bulletins/${b.id}/issue`, { method: 'POST', body });
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
  }
  assert.equal(sql(`SELECT status FROM bulletins WHERE id = ${b.id}`), 'draft');
  assert.equal((await units[0].user.api(`/api/v1/bulletins/${b.id}/issue`, { method: 'POST', body: {} })).status, 403);

  const due = new Date(Date.now() + (8 + 7 * 24) * HOUR).toISOString().slice(0, 10);
  const issued = await ok(office.api(`/api/v1/bulletins/${b.id}/issue`, { method: 'POST', body: { unit_ids: [units[0].id, units[1].id], reply_due: due } }));
  assert.equal(issued.status, 'issued');
  assert.ok(issued.issued_at && issued.announcement_id, JSON.stringify(issued));

  // an issued bulletin never changes
  assert.equal((await office.api(`/api/v1/bulletins/${b.id}`, { method: 'PUT', body: { suggestions: '改' } })).status, 409);
  assert.equal((await office.api(`/api/v1/bulletins/${b.id}`, { method: 'DELETE' })).status, 409);
  assert.equal((await office.api(`/api/v1/bulletins/${b.id}/issue`, { method: 'POST', body: {} })).status, 409);

  // the unit reads it among its announcements, with the PDF attached
  const list = await ok(units[0].user.api('/api/v1/announcements'));
  const ann = list.items.find((x) => x.id === issued.announcement_id);
  assert.ok(ann, 'the unit sees the announcement');
  assert.equal(ann.source_kind, 'bulletin');
  assert.equal(ann.source_id, b.id);
  assert.equal(ann.title, b.title);
  const detail = await ok(units[0].user.api(`/api/v1/announcements/${ann.id}`));
  assert.match(detail.body, /下步工作建议/);
  const pdfFile = detail.files.find((f) => f.content_type === 'application/pdf');
  assert.ok(pdfFile, JSON.stringify(detail.files));
  const got = await bytesOf(units[0].user, `/api/v1/files/${pdfFile.id}`);
  assert.equal(got.status, 200);
  assert.equal(got.buf.subarray(0, 4).toString('latin1'), '%PDF');
  const text = execFileSync('pdftotext', ['-', '-'], { input: got.buf, encoding: 'utf8' }).replace(/\s+/g, '');
  assert.ok(text.includes(b.number), 'the issued PDF carries the number');
  if (b.content.plan_id) assert.ok(detail.files.some((f) => /spreadsheetml/.test(f.content_type)), 'the 进展情况表 attached');
  // a unit it was not sent to does not see it
  const others = await demo.as('comm01');
  if (others.me.unit && ![units[0].id, units[1].id].includes(others.me.unit.id)) {
    const theirs = await others.api('/api/v1/announcements');
    if (theirs.status === 200) assert.ok(!theirs.body.items.some((x) => x.id === issued.announcement_id));
  }
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'bulletin.issue' AND object_id = '${b.id}'`), '1');

  const d = await ok(office.api('/api/v1/bulletins', { method: 'POST', body: period() }), 201);
  assert.equal((await office.api(`/api/v1/bulletins/${d.id}`, { method: 'DELETE' })).status, 204);
  assert.equal((await office.api(`/api/v1/bulletins/${d.id}`)).status, 404);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'bulletin.delete' AND object_id = '${d.id}'`), '1');
});

test('from an assessment period: its results are the unit table and its red and black lists', async () => {
  const period = await ok(office.api('/api/v1/assessments', { method: 'POST', body: { kind: 'month', from: '2025-03-01', to: '2025-03-31' } }), 201);
  const results = await ok(office.api(`/api/v1/assessments/${period.id}/results`));
  const b = await ok(office.api('/api/v1/bulletins', { method: 'POST', body: { from: '2025-03-01', to: '2025-03-31', assessment_id: period.id } }), 201);
  assert.equal(b.assessment_id, period.id);
  assert.equal(b.content.basis, 'assessment');
  assert.match(b.content.basis_note, /考核/);
  const items = results.items ?? results.results ?? results;
  const ranked = (Array.isArray(items) ? items : []).filter((x) => x.rank);
  assert.equal(b.content.units.length, ranked.length, JSON.stringify(results).slice(0, 400));
  for (const u of b.content.units) assert.ok(u.kind && typeof u.score === 'number', JSON.stringify(u));
  const pdf = await bytesOf(office, `/api/v1/bulletins/${b.id}/pdf`);
  const text = execFileSync('pdftotext', ['-', '-'], { input: pdf.buf, encoding: 'utf8' }).replace(/\s+/g, '');
  assert.ok(text.includes('取自考核结果'), 'the basis in the PDF');
  if (b.content.units.length) assert.ok(text.includes('考核得分'), 'the assessment table in the PDF');
  // published: a draft of exactly that period picks it by itself
  await ok(office.api(`/api/v1/assessments/${period.id}/publish`, { method: 'POST', body: {} }));
  const auto = await ok(office.api('/api/v1/bulletins', { method: 'POST', body: { from: '2025-03-01', to: '2025-03-31' } }), 201);
  assert.equal(auto.assessment_id, period.id);
  // another tenant's or an unknown period
  const bad = await office.api('/api/v1/bulletins', { method: 'POST', body: { from: '2025-03-01', to: '2025-03-31', assessment_id: 99999999 } });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'assessment_id');
});

test('units neither read nor draft bulletins; another tenant\'s bulletin is not found', async () => {
  const b = await ok(office.api('/api/v1/bulletins', { method: 'POST', body: period() }), 201);
  const u = units[0].user;
  assert.equal((await u.api('/api/v1/bulletins')).status, 403);
  assert.equal((await u.api(`/api/v1/bulletins/${b.id}`)).status, 403);
  assert.equal((await bytesOf(u, `/api/v1/bulletins/${b.id}/pdf`)).status, 403);
  assert.equal((await bytesOf(u, `/api/v1/bulletins/${b.id}/docx`)).status, 403);
  assert.equal((await u.api('/api/v1/bulletins', { method: 'POST', body: period() })).status, 403);
  assert.equal(u.me.menu.some((m) => m.key === 'bulletin'), false);
  assert.equal(office.me.menu.some((m) => m.key === 'bulletin'), true);

  // the same id seen from another tenant: move the bulletin there and back
  const other = sql(`SELECT MAX(id) FROM tenants`);
  const mine = sql(`SELECT tenant_id FROM bulletins WHERE id = ${b.id}`);
  if (other !== mine) {
    sql(`UPDATE bulletins SET tenant_id = ${other} WHERE id = ${b.id}`);
    assert.equal((await office.api(`/api/v1/bulletins/${b.id}`)).status, 404);
    assert.equal((await bytesOf(office, `/api/v1/bulletins/${b.id}/pdf`)).status, 404);
    assert.equal((await office.api(`/api/v1/bulletins/${b.id}`, { method: 'PUT', body: { suggestions: 'x' } })).status, 404);
    sql(`UPDATE bulletins SET tenant_id = ${mine} WHERE id = ${b.id}`);
  }
});

test('the bulletin number follows the office\'s format in 参数设置', async () => {
  const admin = demo.admin;
  const cur = await ok(office.api('/api/v1/settings'));
  assert.equal(cur.bulletin_number_format, '督查情况〔{YYYY}〕第{N}期');
  const body = { ...cur };
  for (const k of ['updated_at', 'updated_by_name', 'defaults']) delete body[k];
  const bad = await office.api('/api/v1/settings', { method: 'PUT', body: { ...body, bulletin_number_format: '通报第{N}期' } });
  assert.equal(bad.status, 422, bad.text);
  assert.equal(bad.body.error.field, 'bulletin_number_format');
  await ok(office.api('/api/v1/settings', { method: 'PUT', body: { ...body, bulletin_number_format: '督办通报〔{YYYY}〕{NNN}号' } }));
  const b = await ok(office.api('/api/v1/bulletins', { method: 'POST', body: period() }), 201);
  assert.match(b.number, /^督办通报〔\d{4}〕\d{3}号$/);
  await ok(office.api('/api/v1/settings', { method: 'PUT', body: { ...body } }));
  assert.ok(admin);
});

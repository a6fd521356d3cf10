// materials.test.mjs - online materials (docs/materials.md): a responsible
// unit uploads v1, the office returns it with a comment, the unit uploads v2,
// the office approves it as 完全符合; the matrix, the timeline and the audit log
// show each step and score.predicted rises by the standard's weight.  The
// package zip holds v2 (not v1) at its standard-code path and its index lists
// it; another unit gets 404 for the item and both versions' files; type by
// content; bad input changes nothing.  On the demo county; SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { startServer, cli, errorBody, login, loginAdmin } from './harness.mjs';
import { readXlsx } from './xlsx.mjs';
import { makeDocx, makePdf, makeZip } from './docs-fixtures.mjs';

let srv;
let office;
let lead;   // dept01: the lead unit
let resp;   // dept02: a responsible unit
let other;  // dept03: not on the item
let leader;
const fx = {};
const EPS = 1e-6;

async function ok(resPromise, status = 200) {
  const r = await resPromise;
  assert.equal(r.status, status, r.text);
  return r.body;
}

// Every entry of a zip as a Buffer, stored or deflated.
function unzipRaw(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'a zip file');
  const files = new Map();
  let p = buf.readUInt32LE(eocd + 16);
  for (let n = buf.readUInt16LE(eocd + 10); n > 0; n--) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const skip = nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + size);
    files.set(name, method === 8 ? inflateRawSync(raw) : Buffer.from(raw));
    p += 46 + skip;
  }
  return files;
}

async function download(client, pathname) {
  const r = await fetch(srv.url + pathname, { headers: { cookie: client.cookie } });
  return { status: r.status, headers: r.headers, buf: Buffer.from(await r.arrayBuffer()) };
}

function uploadForm(files, note) {
  const form = new FormData();
  for (const [buf, name, type] of files) form.append('file', new Blob([buf], { type }), name);
  if (note) form.append('note', note);
  return form;
}

const post = (client, pathname, body) => client.api(pathname, { method: 'POST', body });
const itemPath = () => `/api/v1/materials/items/${fx.item}`;
const score = async () => ok(office.api(`/api/v1/materials/score?framework_id=${fx.fw}`));

async function cellStatus(client = office) {
  const p = await ok(client.api(`/api/v1/materials/progress?framework_id=${fx.fw}`));
  const cells = p.cells.filter((c) => c.item_id === fx.item);
  return Object.fromEntries(cells.map((c) => [`${c.role}:${c.unit_id}`, c.status]));
}

function findMaterialsStandard(nodes) {
  for (const n of nodes) {
    if (n.level === 3 && n.parts && n.parts.materials > 0) return n;
    const hit = findMaterialsStandard(n.children || []);
    if (hit) return hit;
  }
  return null;
}

before(async () => {
  srv = await startServer();
  const r = await cli(['demo'], srv.env);
  assert.equal(r.code, 0, r.stderr);
  const pw = r.stdout.match(/shown once\):\s*\n\s*(\S+)/)[1];
  const admin = await loginAdmin(srv);
  office = await login(srv.url, 'office01', pw);
  lead = await login(srv.url, 'dept01', pw);
  resp = await login(srv.url, 'dept02', pw);
  other = await login(srv.url, 'dept03', pw);
  leader = await login(srv.url, 'leader01', pw);
  fx.leadUnit = lead.me.unit.id;
  fx.respUnit = resp.me.unit.id;
  assert.ok(fx.leadUnit && fx.respUnit && other.me.unit.id);
  // a framework version of our own, so only this test's items count in it
  const fws = await ok(admin.api('/api/v1/frameworks'));
  const active = (fws.items || fws).find((f) => f.active);
  fx.demoFw = active.id;
  const copy = await ok(post(office, `/api/v1/frameworks/${active.id}/copy`, { name: '材料测试版' }), 201);
  fx.fw = copy.id;
  const tree = await ok(office.api(`/api/v1/frameworks/${fx.fw}/indicators`));
  const std = findMaterialsStandard(tree.items || tree.tree || tree);
  assert.ok(std, 'a standard with a materials part');
  fx.std = std;
});

after(async () => {
  await srv?.stop();
});

test('the office creates an item; bad input is refused and changes nothing', async () => {
  const body = {
    framework_id: fx.fw, standard_id: fx.std.id, code: 'T-1', title: '测试说明报告', type: 'report',
    requirement: '2024年1月以来；不超过5页；PDF 或 Word', lead_unit_id: fx.leadUnit,
    unit_ids: [fx.respUnit], deadline: '2030-12-31',
  };
  const before = (await ok(office.api(`/api/v1/materials/items?framework_id=${fx.fw}`))).total;
  errorBody(await post(office, '/api/v1/materials/items', { ...body, type: 'video' }), assert, 422, 'invalid');
  errorBody(await post(office, '/api/v1/materials/items', { ...body, deadline: '2030-13-01' }), assert, 422, 'invalid');
  errorBody(await post(office, '/api/v1/materials/items', { ...body, standard_id: 999999 }), assert, 422, 'invalid');
  errorBody(await post(office, '/api/v1/materials/items', { ...body, lead_unit_id: 999999 }), assert, 422, 'invalid');
  errorBody(await post(lead, '/api/v1/materials/items', body), assert, 403, 'forbidden');
  assert.equal((await ok(office.api(`/api/v1/materials/items?framework_id=${fx.fw}`))).total, before);
  const it = await ok(post(office, '/api/v1/materials/items', body), 201);
  assert.equal(it.status, 'not_started');
  assert.deepEqual(it.unit_ids, [fx.respUnit]);
  assert.equal(it.lead_unit_id, fx.leadUnit);
  fx.item = it.id;
  errorBody(await post(office, '/api/v1/materials/items', body), assert, 409, 'conflict');
  // the filters of the contract
  const list = await ok(office.api(`/api/v1/materials/items?framework_id=${fx.fw}&unit_id=${fx.respUnit}&status=not_started&standard_id=${fx.std.id}&type=report`));
  assert.equal(list.total, 1);
  assert.equal(list.items[0].code, 'T-1');
  errorBody(await office.api('/api/v1/materials/items?status=bogus'), assert, 422, 'invalid');
  // a unit sees its items on its list; another unit does not
  assert.ok((await ok(resp.api(`/api/v1/materials/items?framework_id=${fx.fw}`))).items.some((x) => x.id === fx.item));
  assert.ok(!(await ok(other.api(`/api/v1/materials/items?framework_id=${fx.fw}`))).items.some((x) => x.id === fx.item));
  errorBody(await other.api(itemPath()), assert, 404, 'not_found');
});

test('upload v1, return, upload v2, approve 完全符合: matrix, timeline, audit, score', async () => {
  const s0 = await score();
  const w = s0.standards.find((s) => s.standard_id === fx.std.id);
  assert.ok(w && w.weight > 0, 'the standard has a materials weight');
  assert.ok(Math.abs(w.weight - fx.std.parts.materials) < 1e-3);
  assert.equal(s0.predicted, 0);
  assert.ok(Math.abs(s0.total - s0.standards.reduce((a, s) => a + s.weight, 0)) < 1e-3);
  assert.deepEqual(Object.values(await cellStatus()), ['not_started', 'not_started']);

  // type by content: an SVG named .pdf is refused, and nothing is stored
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
  errorBody(await resp.api(`${itemPath()}/versions`, { method: 'POST', raw: uploadForm([[svg, 'report.pdf', 'application/pdf']]) }), assert, 415, 'unsupported_media_type');
  errorBody(await resp.api(`${itemPath()}/versions`, { method: 'POST', raw: uploadForm([], '只有说明') }), assert, 422, 'invalid');
  errorBody(await other.api(`${itemPath()}/versions`, { method: 'POST', raw: uploadForm([[makePdf('X'), 'x.pdf', 'application/pdf']]) }), assert, 404, 'not_found');
  assert.equal((await ok(office.api(itemPath()))).versions, 0);

  // v1 by the responsible unit
  const v1 = await ok(resp.api(`${itemPath()}/versions`, {
    method: 'POST', raw: uploadForm([[makePdf('VERSION-ONE'), '../../etc/passwd.pdf', 'application/pdf']], '初稿'),
  }), 201);
  assert.equal(v1.number, 1);
  fx.v1 = v1.id;
  assert.deepEqual(new Set(Object.values(await cellStatus())), new Set(['drafting']));
  let item = await ok(office.api(itemPath()));
  assert.equal(item.status, 'drafting');
  const f1 = item.version_list[0].files[0];
  assert.equal(f1.content_type, 'application/pdf');
  assert.equal(f1.name, 'passwd.pdf', 'the client name is reduced to a bare display name');
  fx.v1file = f1.id;

  // only the lead unit (or the office) submits
  errorBody(await post(resp, `${itemPath()}/submit`), assert, 403, 'forbidden');
  item = await ok(post(lead, `${itemPath()}/submit`));
  assert.equal(item.status, 'submitted');
  assert.deepEqual(new Set(Object.values(await cellStatus())), new Set(['submitted']));
  errorBody(await resp.api(`${itemPath()}/versions`, { method: 'POST', raw: uploadForm([[makePdf('LATE'), 'late.pdf', 'application/pdf']]) }), assert, 409, 'conflict');

  // the office returns it with a comment; units cannot review
  errorBody(await post(lead, `${itemPath()}/review`, { version_id: fx.v1, decision: 'return', comment: 'x' }), assert, 403, 'forbidden');
  errorBody(await post(office, `${itemPath()}/review`, { version_id: fx.v1, decision: 'return' }), assert, 422, 'invalid');
  errorBody(await post(office, `${itemPath()}/review`, { version_id: fx.v1, decision: 'approve', rating: 'great' }), assert, 422, 'invalid');
  item = await ok(post(office, `${itemPath()}/review`, { version_id: fx.v1, decision: 'return', comment: '缺少2024年以来的工作数据' }));
  assert.equal(item.status, 'returned');
  assert.equal(item.version_list[0].status, 'returned');
  assert.equal(item.version_list[0].comment, '缺少2024年以来的工作数据');
  assert.deepEqual(new Set(Object.values(await cellStatus())), new Set(['returned']));
  // the unit sees the comment on its item
  const seen = await ok(resp.api(itemPath()));
  assert.ok(seen.timeline.some((e) => e.action === 'return' && e.note.includes('缺少2024年以来的工作数据')));
  errorBody(await post(office, `${itemPath()}/review`, { version_id: fx.v1, decision: 'approve', rating: 'full' }), assert, 409, 'conflict');

  // v2: a PDF and a Word file
  const v2 = await ok(resp.api(`${itemPath()}/versions`, {
    method: 'POST',
    raw: uploadForm([
      [makePdf('VERSION-TWO'), '说明报告.pdf', 'application/octet-stream'],
      [makeDocx(['测试说明报告', '第二版正文']), '说明报告.docx', 'application/octet-stream'],
    ], '按意见补充'),
  }), 201);
  assert.equal(v2.number, 2);
  assert.equal(v2.files, 2);
  fx.v2 = v2.id;
  item = await ok(office.api(itemPath()));
  assert.equal(item.version_list.length, 2, 'v1 is kept, not overwritten');
  const v2row = item.version_list.find((v) => v.id === fx.v2);
  assert.deepEqual(v2row.files.map((f) => f.content_type), ['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document']);
  fx.v2files = v2row.files.map((f) => f.id);
  await ok(post(lead, `${itemPath()}/submit`));
  errorBody(await post(office, `${itemPath()}/review`, { version_id: fx.v1, decision: 'approve', rating: 'full' }), assert, 409, 'conflict');
  item = await ok(post(office, `${itemPath()}/review`, { version_id: fx.v2, decision: 'approve', rating: 'full', comment: '' }));
  assert.equal(item.status, 'approved');
  assert.equal(item.rating, 'full');
  assert.equal(item.approved_version_id, fx.v2);
  assert.deepEqual(new Set(Object.values(await cellStatus())), new Set(['approved']));

  // the timeline and the audit log show each step
  assert.deepEqual(item.timeline.map((e) => e.action), ['create', 'upload', 'submit', 'return', 'upload', 'submit', 'approve']);
  const audit = await ok(office.api(`/api/v1/audit?object_type=material_item&size=100`));
  const mine = audit.items.filter((a) => String(a.object_id) === String(fx.item)).map((a) => a.action).reverse();
  assert.deepEqual(mine, ['material.create', 'material.upload', 'material.submit', 'material.return', 'material.upload', 'material.submit', 'material.approve']);

  // the score rises by the standard's weight
  const s1 = await score();
  assert.ok(Math.abs(s1.predicted - (s0.predicted + w.weight)) < 1e-3, `${s1.predicted} vs ${s0.predicted} + ${w.weight}`);
  assert.ok(Math.abs(s1.at_risk - (s0.at_risk - w.weight)) < 1e-3);
  assert.equal(s1.standards.find((s) => s.standard_id === fx.std.id).at_risk, 0);
  // the leader reads the score; a unit does not
  await ok(leader.api(`/api/v1/materials/score?framework_id=${fx.fw}`));
  errorBody(await resp.api(`/api/v1/materials/score?framework_id=${fx.fw}`), assert, 403, 'forbidden');

  // per-unit rates
  const p = await ok(office.api(`/api/v1/materials/progress?framework_id=${fx.fw}`));
  const ru = p.units.find((u) => u.unit_id === fx.respUnit);
  assert.equal(ru.total, 1);
  assert.equal(ru.approval_rate, 1);
  assert.ok(p.lead_units.some((u) => u.unit_id === fx.leadUnit && u.approved === 1));
});

test('files: the item scope decides, another unit gets 404 for both versions', async () => {
  for (const [v, f] of [[fx.v1, fx.v1file], [fx.v2, fx.v2files[0]], [fx.v2, fx.v2files[1]]]) {
    const path = `/api/v1/materials/versions/${v}/files/${f}`;
    const mine = await download(resp, path);
    assert.equal(mine.status, 200);
    const theirs = await download(other, path);
    assert.equal(theirs.status, 404);
  }
  // a file id that is not the version's is 404 even within scope
  assert.equal((await download(resp, `/api/v1/materials/versions/${fx.v1}/files/${fx.v2files[0]}`)).status, 404);
  const pdf = await download(office, `/api/v1/materials/versions/${fx.v2}/files/${fx.v2files[0]}`);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.ok(pdf.buf.toString('latin1').includes('VERSION-TWO'));
  const dl = await download(office, `/api/v1/materials/versions/${fx.v2}/files/${fx.v2files[1]}?download=1`);
  assert.match(dl.headers.get('content-disposition'), /^attachment;/);
});

test('the package holds v2 at its standard-code path, with both indexes', async () => {
  const r = await download(office, `/api/v1/materials/package?framework_id=${fx.fw}`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/zip');
  const files = unzipRaw(r.buf);
  const prefix = `${fx.std.code} 说明报告/T-1 测试说明报告/`;
  const entries = [...files.keys()].filter((k) => k.startsWith(prefix));
  assert.equal(entries.length, 2, [...files.keys()].join('\n'));
  const pdfEntry = entries.find((k) => k.endsWith('.pdf'));
  assert.ok(files.get(pdfEntry).toString('latin1').includes('VERSION-TWO'));
  for (const buf of files.values()) assert.ok(!buf.toString('latin1').includes('VERSION-ONE'), 'v1 is not in the package');
  const { rows } = readXlsx(files.get('目录.xlsx'));
  const row = rows.find((x) => x.includes('T-1'));
  assert.ok(row, 'the index lists the item');
  assert.ok(row.includes(pdfEntry), 'with the file path');
  assert.ok(row.includes('第2版') && row.includes('完全符合'));
  assert.equal(files.get('目录.pdf').subarray(0, 5).toString(), '%PDF-');
  // a unit may not export the package
  assert.equal((await download(resp, `/api/v1/materials/package?framework_id=${fx.fw}`)).status, 403);
  // the progress matrix as xlsx
  const x = await download(office, `/api/v1/materials/progress?framework_id=${fx.fw}&format=xlsx`);
  assert.equal(x.status, 200);
  const xr = readXlsx(x.buf).rows;
  assert.ok(xr.some((rr) => rr.includes('T-1') && rr.includes('已通过')));
});

test('the catalogue is copied to a new framework version by standard code', async () => {
  const fw3 = await ok(post(office, `/api/v1/frameworks/${fx.fw}/copy`, { name: '材料测试版二' }), 201);
  const r = await ok(post(office, '/api/v1/materials/copy', { from_framework_id: fx.fw, to_framework_id: fw3.id }));
  assert.equal(r.copied, 1);
  const list = await ok(office.api(`/api/v1/materials/items?framework_id=${fw3.id}`));
  assert.equal(list.total, 1);
  assert.equal(list.items[0].code, 'T-1');
  assert.equal(list.items[0].status, 'not_started');
  assert.equal(list.items[0].standard_code, fx.std.code);
  assert.notEqual(list.items[0].standard_id, fx.std.id);
  // copying again skips what is there
  assert.deepEqual(await ok(post(office, '/api/v1/materials/copy', { from_framework_id: fx.fw, to_framework_id: fw3.id })), { copied: 0, skipped: 1 });
});

test('a zip that is neither Word nor Excel is refused', async () => {
  const it = await ok(post(office, '/api/v1/materials/items', {
    framework_id: fx.fw, standard_id: fx.std.id, code: 'T-2', title: '图片', type: 'photos',
    lead_unit_id: fx.respUnit, deadline: '2030-12-31',
  }), 201);
  const zip = makeZip([{ name: 'a.txt', data: 'hello' }]);
  errorBody(await resp.api(`/api/v1/materials/items/${it.id}/versions`, { method: 'POST', raw: uploadForm([[zip, 'a.docx', 'application/octet-stream']]) }), assert, 415, 'unsupported_media_type');
});

test('the catalogue imports from a sheet: row errors refuse it all, then a clean sheet goes in', async () => {
  const csv = (rows) => {
    const form = new FormData();
    form.append('file', new Blob([rows.map((r) => r.join(',')).join('\r\n')], { type: 'text/csv' }), 'catalogue.csv');
    return form;
  };
  const head = ['材料编号', '材料名称', '类型', '测评标准编号', '牵头单位', '责任单位', '截止日期', '材料要求'];
  const leadName = lead.me.unit.name;
  const respName = resp.me.unit.name;
  const tpl = await download(office, '/api/v1/materials/import/template');
  assert.equal(tpl.status, 200);
  assert.ok(readXlsx(tpl.buf).rows[0].includes('测评标准编号'));
  const before = (await ok(office.api(`/api/v1/materials/items?framework_id=${fx.fw}`))).total;
  const bad = await office.api(`/api/v1/materials/import?framework_id=${fx.fw}`, {
    method: 'POST',
    raw: csv([
      head,
      ['I-1', '导入一', '说明报告', fx.std.code, leadName, respName, '2030-05-01', '不超过5页'],
      ['I-2', '导入二', '视频', 'NO-SUCH', '没有这个单位', '', '2030/13/01', ''],
      ['I-1', '重复编号', '图片资料', fx.std.code, leadName, '', '2030-05-01', ''],
      ['T-1', '已有编号', '图片资料', fx.std.code, leadName, '', '2030-05-01', ''],
    ]),
  });
  assert.equal(bad.status, 422, bad.text);
  const fields = bad.body.errors.map((x) => `${x.row}:${x.field}`);
  for (const f of ['3:类型', '3:测评标准编号', '3:牵头单位', '3:截止日期', '4:材料编号', '5:材料编号']) assert.ok(fields.includes(f), `${f} in ${fields}`);
  assert.equal((await ok(office.api(`/api/v1/materials/items?framework_id=${fx.fw}`))).total, before, 'nothing imported');
  const good = await ok(office.api(`/api/v1/materials/import?framework_id=${fx.fw}`, {
    method: 'POST',
    raw: csv([head,
      ['I-1', '导入一', '说明报告', fx.std.code, leadName, `${respName}、${leadName}`, '2030-05-01', '不超过5页'],
      ['I-2', '导入二', '部门评价', fx.std.code, leadName, '', '2030/06/01', '']]),
  }));
  assert.equal(good.imported, 2);
  const list = await ok(office.api(`/api/v1/materials/items?framework_id=${fx.fw}&keyword=导入`));
  assert.equal(list.total, 2);
  const i1 = list.items.find((x) => x.code === 'I-1');
  assert.equal(i1.deadline, '2030-05-01');
  assert.ok(i1.unit_ids.includes(fx.respUnit));
  assert.equal(list.items.find((x) => x.code === 'I-2').deadline, '2030-06-01');
  errorBody(await lead.api(`/api/v1/materials/import?framework_id=${fx.fw}`, { method: 'POST', raw: csv([head]) }), assert, 403, 'forbidden');
});

test('a template file: the office uploads it, the item\'s units download it, another unit gets 404', async () => {
  const form = new FormData();
  form.append('file', new Blob([makeDocx(['模板', '一、基本情况'])]), '说明报告模板.docx');
  const it = await ok(office.api(`${itemPath()}/template`, { method: 'POST', raw: form }));
  assert.ok(it.template_file_id);
  const mine = await download(resp, `${itemPath()}/template`);
  assert.equal(mine.status, 200);
  assert.match(mine.headers.get('content-disposition'), /attachment/);
  assert.equal(mine.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  assert.equal((await download(other, `${itemPath()}/template`)).status, 404);
  const svg = new FormData();
  svg.append('file', new Blob(['<svg xmlns="http://www.w3.org/2000/svg"/>']), 'x.docx');
  errorBody(await office.api(`${itemPath()}/template`, { method: 'POST', raw: svg }), assert, 415, 'unsupported_media_type');
});

test('/files/{id}: the item\'s units, the office and the leader read a material file; another unit gets 404', async () => {
  const photo = readFileSync(new URL('../fixtures/photo-400x200.jpg', import.meta.url));
  const it = await ok(post(office, '/api/v1/materials/items', {
    framework_id: fx.fw, standard_id: fx.std.id, code: 'T-3', title: '现场照片', type: 'photos',
    lead_unit_id: fx.leadUnit, unit_ids: [fx.respUnit], deadline: '2030-12-31',
  }), 201);
  const v = await ok(resp.api(`/api/v1/materials/items/${it.id}/versions`, {
    method: 'POST',
    raw: uploadForm([[photo, '现场.jpg', 'image/jpeg'], [makePdf('PHOTO-NOTE'), '说明.pdf', 'application/pdf']]),
  }), 201);
  const item = await ok(office.api(`/api/v1/materials/items/${it.id}`));
  const [jpg, pdf] = item.version_list.find((x) => x.id === v.id).files.map((f) => f.id);
  const tpl = (await ok(office.api(itemPath()))).template_file_id;
  assert.ok(jpg && pdf && tpl);
  // lead (dept01) did not upload: before the owner kind only the uploader could read
  for (const who of [resp, lead, office, leader]) {
    for (const p of [`/api/v1/files/${jpg}`, `/api/v1/files/${jpg}/meta`, `/api/v1/files/${jpg}/thumb`,
      `/api/v1/files/${pdf}`, `/api/v1/files/${tpl}/meta`]) {
      assert.equal((await download(who, p)).status, 200, `${who.me.username} ${p}`);
    }
  }
  const orig = await download(lead, `/api/v1/files/${pdf}`);
  assert.ok(orig.buf.toString('latin1').includes('PHOTO-NOTE'));
  for (const id of [jpg, pdf, tpl]) {
    for (const suffix of ['', '/meta', '/thumb']) {
      const r = await other.api(`/api/v1/files/${id}${suffix}`);
      errorBody(r, assert, 404, 'not_found');
    }
  }
});

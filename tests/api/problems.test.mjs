// problems.test.mjs - the closed loop by API (docs/domain.md, "The closed loop"):
// report with photos -> routed -> accept -> assign -> sign -> submit -> verify -> closed,
// the side branches (return, rework, extension, park, void, reopen), 409 for every
// transition the state machine refuses, data scope (404 / 403), list filters,
// numbering, recurrence and near-duplicates, and the audit rows.  On the `wenming demo`
// county; runs on SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, cli, errorBody, login, loginAdmin, psql, DB_KIND, ROOT } from './harness.mjs';

let srv;
let pw;
let admin;
let office;
let insp;
let insp2;
const JPEG = readFileSync(path.join(ROOT, 'tests/fixtures/photo-400x200.jpg'));
const HOUR = 3600 * 1000;

// The cast: a point, its responsible unit and one of that unit's users; a second
// unit with a user (the co-unit); a third unit's user that sees nothing.
let point;
let category;
let lead;      // { unit_id, user: client }
let co;        // { unit_id, user: client }
let stranger;  // client of a third unit

function sql(text) {
  if (DB_KIND === 'postgres') return psql(srv.db.url, text);
  const file = srv.db.url.replace(/^sqlite:/, '');
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', file, text], { encoding: 'utf8' }).trim();
}

async function upload(client) {
  const form = new FormData();
  form.append('file', new Blob([JPEG], { type: 'image/jpeg' }), 'photo.jpg');
  const r = await client.api('/api/v1/files', { method: 'POST', raw: form });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

const act = (client, id, action, body = {}) =>
  client.api(`/api/v1/problems/${id}/${action}`, { method: 'POST', body });

async function ok(resPromise, status = 200) {
  const r = await resPromise;
  assert.equal(r.status, status, r.text);
  return r.body;
}

// A rectifying user (unit_admin or unit_staff) whose own unit is exactly unitId.
async function userOfUnit(unitId) {
  const r = await admin.api(`/api/v1/users?unit_id=${unitId}&size=500`);
  assert.equal(r.status, 200, r.text);
  return r.body.items.find((u) => u.unit_id === unitId && u.enabled !== false &&
    u.roles.some((k) => k === 'unit_admin' || k === 'unit_staff'));
}

async function report(client, extra = {}) {
  const photo = await upload(client);
  return ok(client.api('/api/v1/problems', {
    method: 'POST',
    body: { category_id: category.id, point_id: point.id, description: '垃圾桶周边散落垃圾', severity: 1, source: 'inspection', photo_ids: [photo], ...extra },
  }), 201);
}

// reported -> accepted -> assigned (to the lead unit, co-unit added)
async function assigned(extra = {}) {
  const p = await report(insp);
  await ok(act(office, p.id, 'accept'));
  return ok(act(office, p.id, 'assign', { unit_id: lead.unit_id, co_unit_ids: [co.unit_id], ...extra }));
}

before(async () => {
  srv = await startServer();
  const r = await cli(['demo', '--empty'], srv.env);
  assert.equal(r.code, 0, r.stderr);
  pw = r.stdout.match(/shown once\):\s*\n\s*(\S+)/)[1];
  admin = await loginAdmin(srv);
  office = await login(srv.url, 'office01', pw);
  insp = await login(srv.url, 'insp01', pw);
  insp2 = await login(srv.url, 'insp02', pw);

  const cats = (await ok(admin.api('/api/v1/categories?size=500'))).items;
  category = cats.find((c) => c.code === 'SR01');
  assert.ok(category, 'demo category SR01');

  // a point whose responsible unit has a rectifying user of its own
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
  const others = [];
  const leadUnit = units.find((x) => x.id === lead.unit_id);
  const related = (a, b) => a.id === b.id || a.ancestors.includes(`/${b.id}/`) || b.ancestors.includes(`/${a.id}/`);
  for (const u of units) {
    if (related(u, leadUnit) || others.some((o) => related(u, o.unit))) continue;
    const user = await userOfUnit(u.id);
    if (user) others.push({ unit_id: u.id, unit: u, username: user.username });
    if (others.length === 2) break;
  }
  assert.equal(others.length, 2, 'two more units with users');
  co = { unit_id: others[0].unit_id, user: await login(srv.url, others[0].username, pw) };
  stranger = await login(srv.url, others[1].username, pw);
});

after(async () => {
  const code = await srv.stop();
  assert.equal(code, 0, `server exit code ${code}\n${srv.log().slice(-3000)}`);
});

test('the whole loop: report with a photo, route, accept, assign, sign, submit, verify, close', async () => {
  const before = await upload(insp);
  const created = await ok(insp.api('/api/v1/problems', {
    method: 'POST',
    body: { category_id: category.id, point_id: point.id, description: '路边烟头、纸屑较多', severity: 2, source: 'inspection', photo_ids: [before] },
  }), 201);
  assert.match(created.code, /^\d{4}-\d{6}$/);
  assert.equal(created.code.slice(0, 4), String(new Date(Date.now() + 8 * HOUR).getUTCFullYear()));
  assert.equal(created.status, 'reported');
  assert.equal(created.suggested_unit_id, point.unit_id, 'routed to the point unit');
  assert.equal(created.suggested_deadline_hours, 24);
  assert.equal(created.point_id, point.id);
  assert.equal(created.reporter_id, insp.me.id);
  assert.equal(created.lead_unit_id, null);
  assert.equal(created.overdue, false);
  assert.ok(Array.isArray(created.similar));
  const id = created.id;

  // the reporter sees it; the lead unit does not until it is assigned
  await ok(insp.api(`/api/v1/problems/${id}`));
  errorBody(await lead.user.api(`/api/v1/problems/${id}`), assert, 404, 'not_found');

  const accepted = await ok(act(office, id, 'accept', { note: '情况属实' }));
  assert.equal(accepted.status, 'accepted');
  const deadline = Date.now() + 48 * HOUR;
  const asg = await ok(act(office, id, 'assign', { unit_id: lead.unit_id, deadline }));
  assert.equal(asg.status, 'assigned');
  assert.equal(asg.lead_unit_id, lead.unit_id);
  assert.equal(asg.deadline, deadline);
  assert.ok(asg.assigned_at > 0);

  // the lead unit now sees and signs it, then submits with an after-photo
  await ok(lead.user.api(`/api/v1/problems/${id}`));
  assert.equal((await ok(act(lead.user, id, 'sign'))).status, 'rectifying');
  errorBody(await act(lead.user, id, 'submit', { note: '已清理' }), assert, 422, 'invalid');
  const after1 = await upload(lead.user);
  const sub = await ok(act(lead.user, id, 'submit', { note: '已清理干净', photo_ids: [after1] }));
  assert.equal(sub.status, 'submitted');

  const closed = await ok(act(office, id, 'verify', { passed: true, outcome: 'fixed', note: '现场复核通过', reason: '照片无拍摄时间，已现场核实' }));
  assert.equal(closed.status, 'closed');
  assert.equal(closed.outcome, 'fixed');
  assert.ok(closed.closed_at > 0);

  const d = await ok(office.api(`/api/v1/problems/${id}`));
  assert.deepEqual(d.events.map((e) => e.action), ['report', 'accept', 'assign', 'sign', 'submit', 'verify']);
  assert.deepEqual(d.events.map((e) => e.to_status), ['reported', 'accepted', 'assigned', 'rectifying', 'submitted', 'closed']);
  assert.deepEqual(d.events.map((e) => e.from_status), [null, 'reported', 'accepted', 'assigned', 'rectifying', 'submitted']);
  assert.equal(d.events[0].user_id, insp.me.id);
  assert.equal(d.events[1].note, '情况属实');
  assert.equal(d.events[2].detail.unit_id, lead.unit_id);
  assert.equal(d.events[3].user_id, lead.user.me.id);
  assert.equal(d.events[3].unit_id, lead.unit_id);
  assert.ok(d.events[3].user_name);
  assert.deepEqual(d.events[4].attachments, [after1]);
  assert.deepEqual(d.events[0].attachments, [before]);
  assert.equal(d.events[5].detail.outcome, 'fixed');
  for (let i = 1; i < d.events.length; i++) assert.ok(d.events[i].at >= d.events[i - 1].at);
  const kinds = d.photos.map((p) => [p.kind, p.file_id, p.taken_before_assignment]);
  assert.deepEqual(kinds.sort(), [['after', after1, false], ['before', before, false]]);
  assert.ok(d.photos.every((p) => p.url === `/api/v1/files/${p.file_id}` && 'captured_at' in p));

  // a reporter (inspector) may reopen a closed problem: back to rework
  const again = await ok(act(insp, id, 'reopen', { note: '又出现了' }));
  assert.equal(again.status, 'rework');
  assert.equal(again.outcome, null);
  assert.equal(again.rework_count, 1);
});

test('an after-photo taken (uploaded) before the assignment is flagged', async () => {
  const early = await upload(lead.user);
  const p = await assigned();
  await ok(act(lead.user, p.id, 'sign'));
  const late = await upload(lead.user);
  const d = await ok(act(lead.user, p.id, 'submit', { photo_ids: [early, late] }));
  const flags = Object.fromEntries(d.photos.filter((x) => x.kind === 'after').map((x) => [x.file_id, x.taken_before_assignment]));
  assert.deepEqual(flags, { [early]: true, [late]: false });
});

test('return -> reassign; verify failed -> rework -> submit again -> close', async () => {
  const p = await assigned();
  errorBody(await act(lead.user, p.id, 'return', {}), assert, 422, 'invalid');
  const ret = await ok(act(lead.user, p.id, 'return', { reason: '不属于本单位职责' }));
  assert.equal(ret.status, 'returned');
  const re = await ok(act(office, p.id, 'assign', { unit_id: lead.unit_id, deadline: new Date(Date.now() + 72 * HOUR).toISOString() }));
  assert.equal(re.status, 'assigned');
  await ok(act(lead.user, p.id, 'sign'));
  await ok(act(lead.user, p.id, 'submit', { photo_ids: [await upload(lead.user)] }));
  errorBody(await act(office, p.id, 'verify', { passed: false, outcome: 'fixed' }), assert, 422, 'invalid');
  const fail = await ok(act(office, p.id, 'verify', { passed: false, note: '仍有垃圾' }));
  assert.equal(fail.status, 'rework');
  assert.equal(fail.rework_count, 1);
  await ok(act(lead.user, p.id, 'submit', { photo_ids: [await upload(lead.user)] }));
  errorBody(await act(office, p.id, 'verify', { passed: true, outcome: 'cheated' }), assert, 422, 'invalid');
  const dup = await ok(act(office, p.id, 'verify', { passed: true, outcome: 'duplicate', reason: '照片无拍摄时间，已现场核实' }));
  assert.equal(dup.status, 'closed');
  assert.equal(dup.outcome, 'duplicate');
  assert.deepEqual(dup.events.map((e) => e.action),
    ['report', 'accept', 'assign', 'return', 'assign', 'sign', 'submit', 'verify', 'submit', 'verify']);
  assert.equal(dup.photos.filter((x) => x.kind === 'after').length, 2);
});

test('extension: the unit asks, the office decides; one request at a time', async () => {
  const p = await assigned({ deadline: Date.now() + 24 * HOUR });
  await ok(act(lead.user, p.id, 'sign'));
  errorBody(await act(lead.user, p.id, 'extend', { days: 3 }), assert, 422, 'invalid'); // reason
  errorBody(await act(lead.user, p.id, 'extend', { reason: '材料未到' }), assert, 422, 'invalid'); // days or deadline
  errorBody(await act(office, p.id, 'decide-extension', { approved: true }), assert, 409, 'conflict');
  const asked = await ok(act(lead.user, p.id, 'extend', { days: 3, reason: '材料未到' }));
  assert.equal(asked.extension_pending, true);
  assert.equal(asked.extension_deadline, p.deadline + 3 * 24 * HOUR);
  assert.equal(asked.status, 'rectifying');
  errorBody(await act(lead.user, p.id, 'extend', { days: 5, reason: '再延' }), assert, 409, 'conflict');
  const yes = await ok(act(office, p.id, 'decide-extension', { approved: true, note: '同意' }));
  assert.equal(yes.extension_pending, false);
  assert.equal(yes.deadline, p.deadline + 3 * 24 * HOUR);
  assert.equal(yes.extension_count, 1);
  await ok(act(lead.user, p.id, 'extend', { deadline: yes.deadline + 24 * HOUR, reason: '再等一天' }));
  const no = await ok(act(office, p.id, 'decide-extension', { approved: false, note: '不同意' }));
  assert.equal(no.deadline, yes.deadline);
  assert.equal(no.extension_count, 1);
  assert.deepEqual(no.events.slice(-4).map((e) => [e.action, e.from_status, e.to_status]), [
    ['extend', 'rectifying', 'rectifying'], ['decide-extension', 'rectifying', 'rectifying'],
    ['extend', 'rectifying', 'rectifying'], ['decide-extension', 'rectifying', 'rectifying'],
  ]);
});

test('park and unpark return to the former status; void; invalidate', async () => {
  const p = await assigned();
  await ok(act(lead.user, p.id, 'sign'));
  const parked = await ok(act(office, p.id, 'park', { reason: '需新建非机动车道，本年度无法完成' }));
  assert.equal(parked.status, 'parked');
  assert.equal(parked.parked_from, 'rectifying');
  errorBody(await act(lead.user, p.id, 'submit', { photo_ids: [await upload(lead.user)] }), assert, 409, 'conflict');
  const back = await ok(act(office, p.id, 'unpark'));
  assert.equal(back.status, 'rectifying');
  assert.equal(back.parked_from, null);

  const q = await report(insp);
  await ok(act(office, q.id, 'accept'));
  errorBody(await act(office, q.id, 'void', {}), assert, 422, 'invalid');
  const voided = await ok(act(office, q.id, 'void', { reason: '重复上报' }));
  assert.equal(voided.status, 'voided');
  errorBody(await act(office, q.id, 'reopen'), assert, 409, 'conflict');

  const x = await report(insp);
  const inv = await ok(act(office, x.id, 'invalidate', { reason: '不属于创城范围' }));
  assert.equal(inv.status, 'invalid');
  assert.equal(inv.events[1].note, '不属于创城范围');
});

test('transitions the state machine refuses answer 409 with its message', async () => {
  const p = await report(insp);
  const refused = async (client, action, body) => {
    const err = errorBody(await act(client, p.id, action, body), assert, 409, 'conflict');
    assert.match(err.message, /问题当前状态|延期/);
  };
  await refused(office, 'assign', { unit_id: lead.unit_id, deadline: Date.now() + HOUR });
  await refused(office, 'verify', { passed: true });
  await refused(office, 'unpark');
  await refused(office, 'park');
  await refused(insp, 'reopen');
  await ok(act(office, p.id, 'accept'));
  await refused(office, 'accept');
  await refused(office, 'invalidate', { reason: '迟了' });
  await ok(act(office, p.id, 'assign', { unit_id: lead.unit_id }));
  await refused(lead.user, 'submit', { photo_ids: [await upload(lead.user)] });
  await refused(office, 'verify', { passed: true });
  await refused(insp, 'reopen');
  // the state did not move
  assert.equal((await ok(office.api(`/api/v1/problems/${p.id}`))).status, 'assigned');
  // unknown actions are unknown URLs
  errorBody(await act(office, p.id, 'fly'), assert, 404, 'not_found');
});

test('assign: routed defaults, checked unit, deadline and co-units', async () => {
  const p = await report(insp);
  await ok(act(office, p.id, 'accept'));
  errorBody(await act(office, p.id, 'assign', { deadline: Date.now() - HOUR }), assert, 422, 'invalid');
  let err = errorBody(await act(office, p.id, 'assign', { unit_id: 999999 }), assert, 422, 'invalid');
  assert.equal(err.field, 'unit_id');
  err = errorBody(await act(office, p.id, 'assign', { co_unit_ids: [point.unit_id] }), assert, 422, 'invalid');
  assert.equal(err.field, 'co_unit_ids');
  err = errorBody(await act(office, p.id, 'assign', { deadline: 'tomorrow' }), assert, 422, 'invalid');
  assert.equal(err.field, 'deadline');
  const t0 = Date.now();
  const d = await ok(act(office, p.id, 'assign', { co_unit_ids: [co.unit_id] }));
  assert.equal(d.lead_unit_id, point.unit_id, 'the routed unit by default');
  assert.ok(d.deadline >= t0 + 24 * HOUR && d.deadline <= Date.now() + 24 * HOUR, 'the routed 24 h');
  assert.deepEqual(d.co_units.map((u) => u.id), [co.unit_id]);
  const day = await ok(act(office, p.id, 'assign', { unit_id: lead.unit_id, co_unit_ids: [co.unit_id], deadline: '2099-01-31' }));
  assert.equal(day.deadline, Date.UTC(2099, 0, 31, 23, 59, 59, 999) - 8 * HOUR);
});

test('report: validation and photos of the tenant only', async () => {
  const base = { category_id: category.id, point_id: point.id, description: '测试', source: 'inspection' };
  const bad = async (body, field) => {
    const err = errorBody(await insp.api('/api/v1/problems', { method: 'POST', body }), assert, 422, 'invalid');
    assert.equal(err.field, field, JSON.stringify(body));
  };
  await bad({ ...base, photo_ids: [999999] }, 'photo_ids');
  await bad({ ...base, photo_ids: Array.from({ length: 10 }, (_, i) => i + 1) }, 'photo_ids');
  await bad({ ...base, source: 'rumour' }, 'source');
  await bad({ ...base, severity: 4 }, 'severity');
  await bad({ ...base, description: '' }, 'description');
  await bad({ ...base, category_id: 999999 }, 'category_id');
  await bad({ ...base, point_id: 999999 }, 'point_id');
  await bad({ category_id: category.id, description: '无位置', source: 'grid' }, 'point_id');
  await bad({ ...base, point_id: undefined, lat: 95, lng: 120 }, 'lat');
  await bad({ ...base, extra: 1 }, 'extra');
  // a photo of another tenant is not found either
  sql(`INSERT INTO tenants (name, region_code, level, timezone, enabled, created_at, updated_at) VALUES ('别县', '999999', 'county', 'Asia/Shanghai', 1, 0, 0)`);
  const t2 = sql(`SELECT id FROM tenants WHERE region_code = '999999'`);
  const f = sql(`SELECT id FROM files WHERE tenant_id = ${insp.me.tenant.id} ORDER BY id LIMIT 1`);
  const alien = Number(sql(`INSERT INTO files (tenant_id, sha256, size, content_type, width, height, storage, storage_key, created_at)` +
    ` SELECT ${t2}, sha256, size, content_type, width, height, storage, storage_key, created_at FROM files WHERE id = ${f} RETURNING id`).split('\n')[0]);
  await bad({ ...base, photo_ids: [alien] }, 'photo_ids');
  // by coordinates only: routed through the grid or the category
  const byGps = await ok(insp.api('/api/v1/problems', { method: 'POST', body: { ...base, point_id: undefined, lat: point.lat, lng: point.lng } }), 201);
  assert.ok(byGps.suggested_unit_id);
  assert.equal(byGps.point_id, null);
});

test('data scope: 404 outside it, 403 for a co-unit that is not the lead', async () => {
  const p = await assigned();
  // the co-unit sees it, may not sign
  await ok(co.user.api(`/api/v1/problems/${p.id}`));
  const err = errorBody(await act(co.user, p.id, 'sign'), assert, 403, 'forbidden');
  assert.match(err.message, /牵头单位/);
  assert.ok((await ok(co.user.api('/api/v1/problems?size=100'))).items.some((x) => x.id === p.id));
  // a third unit sees nothing
  errorBody(await stranger.api(`/api/v1/problems/${p.id}`), assert, 404, 'not_found');
  errorBody(await act(stranger, p.id, 'sign'), assert, 404, 'not_found');
  errorBody(await act(stranger, p.id, 'extend', { days: 1, reason: 'x' }), assert, 404, 'not_found');
  assert.ok(!(await ok(stranger.api('/api/v1/problems?size=100'))).items.some((x) => x.id === p.id));
  // another inspector sees only what they reported
  errorBody(await insp2.api(`/api/v1/problems/${p.id}`), assert, 404, 'not_found');
  errorBody(await act(insp2, p.id, 'reopen'), assert, 404, 'not_found');
  const mine = await report(insp2);
  const list = await ok(insp2.api('/api/v1/problems?size=100'));
  assert.deepEqual(list.items.map((x) => x.id), [mine.id]);
  assert.equal(list.total, 1);
  // permissions: an inspector cannot accept, a unit user cannot verify
  errorBody(await act(insp, p.id, 'accept'), assert, 403, 'forbidden');
  errorBody(await act(lead.user, p.id, 'verify', { passed: true }), assert, 403, 'forbidden');
  // a leader sees everything, acts on nothing
  const leader = await login(srv.url, 'leader01', pw);
  await ok(leader.api(`/api/v1/problems/${p.id}`));
  errorBody(await act(leader, p.id, 'assign', {}), assert, 403, 'forbidden');
});

test('list filters: status, unit, category with sub-categories, source, keyword, dates, overdue', async () => {
  const p = await assigned();
  const q = await assigned();
  // make q overdue directly in the database (the API refuses a past deadline)
  sql(`UPDATE problems SET deadline = ${Date.now() - HOUR} WHERE id = ${q.id}`);
  const list = async (qs) => (await ok(office.api(`/api/v1/problems?size=500&${qs}`))).items;
  const ids = (items) => items.map((x) => x.id);

  const od = await list('overdue=1');
  assert.ok(ids(od).includes(q.id));
  assert.ok(!ids(od).includes(p.id));
  assert.ok(od.every((x) => x.overdue === true));
  assert.equal((await ok(office.api(`/api/v1/problems/${q.id}`))).overdue, true);

  const byStatus = await list('status=assigned,rectifying');
  assert.ok(byStatus.every((x) => x.status === 'assigned' || x.status === 'rectifying'));
  assert.ok(ids(byStatus).includes(p.id));
  assert.ok((await list('status=closed')).every((x) => x.status === 'closed'));
  errorBody(await office.api('/api/v1/problems?status=done'), assert, 422, 'invalid');

  assert.ok((await list(`unit_id=${lead.unit_id}`)).every((x) => x.lead_unit_id === lead.unit_id));
  assert.ok(ids(await list(`unit_id=${lead.unit_id}`)).includes(p.id));
  // the parent category SR covers SR01
  const sr = (await ok(admin.api('/api/v1/categories?size=500'))).items.find((c) => c.code === 'SR');
  assert.ok(ids(await list(`category_id=${sr.id}`)).includes(p.id));
  const jt = (await ok(admin.api('/api/v1/categories?size=500'))).items.find((c) => c.code === 'JT');
  assert.ok(!ids(await list(`category_id=${jt.id}`)).includes(p.id));
  assert.ok(ids(await list(`point_id=${point.id}`)).includes(p.id));
  assert.equal((await list('source=media')).length, 0);
  assert.ok(ids(await list(`keyword=${encodeURIComponent(p.code)}`)).includes(p.id));
  assert.ok(ids(await list(`keyword=${encodeURIComponent('散落')}`)).includes(p.id));
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  assert.ok(ids(await list(`from=${today}&to=${today}`)).includes(p.id));
  assert.equal((await list(`to=${Date.now() - 24 * 365 * HOUR}`)).length, 0);
  errorBody(await office.api('/api/v1/problems?from=yesterday'), assert, 422, 'invalid');
  errorBody(await office.api('/api/v1/problems?size=0'), assert, 422, 'invalid');
  // paging
  const page1 = await ok(office.api('/api/v1/problems?size=2&page=1'));
  const page2 = await ok(office.api('/api/v1/problems?size=2&page=2'));
  assert.equal(page1.items.length, 2);
  assert.ok(page1.total >= 4);
  assert.ok(!page2.items.some((x) => ids(page1.items).includes(x.id)));
});

test('numbering is sequential per tenant and year', async () => {
  const a = await report(insp);
  const b = await report(insp2);
  const [ya, na] = a.code.split('-');
  const [yb, nb] = b.code.split('-');
  assert.equal(ya, yb);
  assert.equal(Number(nb), Number(na) + 1);
  const all = (await ok(office.api('/api/v1/problems?size=500'))).items.map((x) => Number(x.code.split('-')[1])).sort((x, y) => x - y);
  assert.deepEqual(all, all.map((_, i) => i + 1), 'no gaps, no repeats');
});

test('recurrence near a recently closed problem, near-duplicates among open ones', async () => {
  // an isolated place and a category nobody else used
  const cat = (await ok(admin.api('/api/v1/categories?size=500'))).items.find((c) => c.code === 'LQ');
  const base = { category_id: cat.id, description: '流浪犬', source: 'grid', lat: 30.5, lng: 119.5 };
  const first = await ok(insp.api('/api/v1/problems', { method: 'POST', body: base }), 201);
  assert.deepEqual(first.similar, []);
  const near = await ok(insp.api('/api/v1/problems', { method: 'POST', body: { ...base, lat: 30.5004 } }), 201); // ~45 m
  assert.deepEqual(near.similar.map((s) => s.id), [first.id]);
  assert.ok(near.similar[0].distance_m > 30 && near.similar[0].distance_m < 60);
  const far = await ok(insp.api('/api/v1/problems', { method: 'POST', body: { ...base, lat: 30.502 } }), 201); // ~220 m
  assert.ok(!far.similar.some((s) => s.id === first.id));
  // close the first one, then a new report nearby is a recurrence
  await ok(act(office, first.id, 'accept'));
  await ok(act(office, first.id, 'assign', { unit_id: lead.unit_id }));
  await ok(act(lead.user, first.id, 'sign'));
  await ok(act(lead.user, first.id, 'submit', { photo_ids: [await upload(lead.user)] }));
  await ok(act(office, first.id, 'verify', { passed: true, reason: '照片无拍摄时间，已现场核实' }));
  const again = await ok(insp.api('/api/v1/problems', { method: 'POST', body: { ...base, lng: 119.5003 } }), 201);
  assert.equal(again.recurrence_of, first.id);
  assert.equal(again.is_recurrence, true);
  assert.equal(far.recurrence_of, null);
});

test('every action is audited as problem.<action>, with the change in one transaction', async () => {
  const p = await assigned();
  await ok(act(lead.user, p.id, 'sign'));
  const rows = (await ok(admin.api('/api/v1/audit?action=problem.&size=500'))).items.filter((x) => x.object_id === String(p.id));
  assert.deepEqual(rows.map((x) => x.action).reverse(), ['problem.create', 'problem.accept', 'problem.assign', 'problem.sign']);
  const sign = rows[0];
  assert.equal(sign.object_type, 'problem');
  assert.equal(sign.summary.from, 'assigned');
  assert.equal(sign.summary.to, 'rectifying');
  assert.equal(sign.summary.code, p.code);
  // a refused transition leaves no row
  await act(office, p.id, 'accept');
  const after = (await ok(admin.api('/api/v1/audit?action=problem.accept&size=500'))).items.filter((x) => x.object_id === String(p.id));
  assert.equal(after.length, 1);
  const verify = await cli(['audit', 'verify'], srv.env);
  assert.equal(verify.code, 0, verify.stdout);
});

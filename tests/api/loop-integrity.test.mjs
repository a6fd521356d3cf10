// loop-integrity.test.mjs - issue 13, A: the loop is closed only by the unit.
// The office gets 403 for the unit's steps (sign, return, submit, extend); where
// the tenant turns 代办 on, the office acts for the unit only with a reason, and
// the timeline, the audit row and the ranking show it apart; 复核 of a flagged
// after-photo needs a reason.  On the `wenming demo` county; SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cli, errorBody, login } from './harness.mjs';
import { demoCast, ok } from './problems-fixtures.mjs';

let c;

before(async () => {
  c = await demoCast();
});

after(async () => c.stop());

const setProxy = async (on) => {
  const s = await ok(c.office.api('/api/v1/settings'));
  const { defaults: _d, updated_at: _a, updated_by_name: _b, ...values } = s;
  return ok(c.office.api('/api/v1/settings', { method: 'PUT', body: { ...values, proxy_enabled: on } }));
};

test('the office gets 403 for the unit steps of a unit problem; nothing changes', async () => {
  const p = await c.assigned();
  for (const [action, body] of [['sign', {}], ['return', { reason: '不归我管' }], ['extend', { days: 2, reason: '等材料' }]]) {
    const err = errorBody(await c.act(c.office, p.id, action, body), assert, 403, 'forbidden');
    assert.match(err.message, /牵头单位/);
  }
  // the unit signs; the office may not submit for it either
  await ok(c.act(c.lead.user, p.id, 'sign'));
  errorBody(await c.act(c.office, p.id, 'submit', { photo_ids: [await c.upload(c.office)] }), assert, 403, 'forbidden');
  const d = await ok(c.office.api(`/api/v1/problems/${p.id}`));
  assert.equal(d.status, 'rectifying');
  assert.deepEqual(d.events.map((e) => e.action), ['report', 'accept', 'assign', 'sign']);
  assert.ok(d.events.every((e) => e.proxy === false));
  // 代办 is off by default: a reason does not open it
  const off = errorBody(await c.act(c.office, p.id, 'submit', { photo_ids: [await c.upload(c.office)], proxy_reason: '该单位无账号' }), assert, 403, 'forbidden');
  assert.match(off.message, /未开启/);
  // a unit user does not give a 代办 reason for its own step
  errorBody(await c.act(c.lead.user, p.id, 'extend', { days: 2, reason: '等材料', proxy_reason: 'x' }), assert, 422, 'invalid');
});

test('代办 when enabled: needs a reason, marked on the timeline, audited, counted apart in the ranking', async () => {
  const s = await setProxy(true);
  assert.equal(s.proxy_enabled, true);
  try {
    const p = await c.assigned();
    // without a reason still 403; a unit user that is not the lead cannot 代办 at all
    errorBody(await c.act(c.office, p.id, 'sign'), assert, 403, 'forbidden');
    errorBody(await c.act(c.co.user, p.id, 'sign', { proxy_reason: '帮忙' }), assert, 404, 'not_found');
    const signed = await ok(c.act(c.office, p.id, 'sign', { proxy_reason: '该单位尚未开通账号' }));
    assert.equal(signed.status, 'rectifying');
    const ev = signed.events.at(-1);
    assert.equal(ev.action, 'sign');
    assert.equal(ev.proxy, true);
    assert.equal(ev.detail.proxy_reason, '该单位尚未开通账号');
    const sub = await ok(c.act(c.office, p.id, 'submit', { photo_ids: [await c.upload(c.office)], proxy_reason: '该单位尚未开通账号' }));
    assert.equal(sub.status, 'submitted');
    await ok(c.act(c.office, p.id, 'verify', { passed: true, reason: '已电话核实' }));
    const rows = (await ok(c.admin.api('/api/v1/audit?action=problem.sign&size=500'))).items.filter((x) => x.object_id === String(p.id));
    assert.equal(rows.length, 1);
    assert.equal(rows[0].summary.proxy, true);
    assert.equal(rows[0].summary.proxy_reason, '该单位尚未开通账号');
    // the ranking counts the closure apart: proxy_closed, not closed (due: its deadline passed)
    c.sql(`UPDATE problems SET deadline = ${Date.now() - 60000} WHERE id = ${p.id}`);
    const rk = await ok(c.office.api('/api/v1/rankings'));
    const row = rk.items.find((x) => x.unit_id === c.lead.unit_id);
    assert.ok(row, 'the lead unit is ranked');
    assert.ok(row.proxy_closed >= 1, JSON.stringify(row));
  } finally {
    await setProxy(false);
  }
});

test('复核 of a flagged after-photo: the warning is shown and passing needs a reason', async () => {
  const p = await c.assigned();
  await ok(c.act(c.lead.user, p.id, 'sign'));
  // the fixture has no capture time and the same bytes as the before-photo
  const d = await ok(c.act(c.lead.user, p.id, 'submit', { photo_ids: [await c.upload(c.lead.user)] }));
  const afterPhoto = d.photos.find((x) => x.kind === 'after');
  assert.deepEqual(afterPhoto.flags, ['没有拍摄时间', '与整改前照片相同']);
  assert.equal(d.verify_warnings.length, 1);
  const err = errorBody(await c.act(c.office, p.id, 'verify', { passed: true }), assert, 422, 'invalid');
  assert.equal(err.field, 'reason');
  assert.match(err.message, /没有拍摄时间/);
  assert.match(err.message, /与整改前照片相同/);
  assert.equal((await ok(c.office.api(`/api/v1/problems/${p.id}`))).status, 'submitted');
  // failing needs no reason about photos; passing with one is audited with the warnings
  const closed = await ok(c.act(c.office, p.id, 'verify', { passed: true, reason: '已到现场核实，照片为补拍' }));
  assert.equal(closed.status, 'closed');
  const row = (await ok(c.admin.api('/api/v1/audit?action=problem.verify&size=500'))).items.find((x) => x.object_id === String(p.id));
  assert.equal(row.summary.reason, '已到现场核实，照片为补拍');
  assert.equal(row.summary.warnings.length, 1);
});

test('files: a problem photo is read with the problem; another unit and another inspector get 404', async () => {
  const p = await c.assigned();
  const d = await ok(c.office.api(`/api/v1/problems/${p.id}`));
  const photo = d.photos.find((x) => x.kind === 'before').file_id;
  for (const tail of ['', '/meta', '/thumb', '/watermarked']) {
    const url = `/api/v1/files/${photo}${tail}`;
    assert.equal((await c.insp.api(url)).status, 200, `the uploader reads ${url}`);
    assert.equal((await c.lead.user.api(url)).status, 200, `the lead unit reads ${url}`);
    assert.equal((await c.office.api(url)).status, 200, `the office reads ${url}`);
    errorBody(await c.stranger.user.api(url), assert, 404, 'not_found');
    errorBody(await c.insp2.api(url), assert, 404, 'not_found');
  }
  // a file one may not read cannot be attached to open it
  errorBody(await c.insp2.api('/api/v1/problems', {
    method: 'POST',
    body: { category_id: c.category.id, point_id: c.point.id, description: '借用别人的照片', source: 'inspection', photo_ids: [photo] },
  }), assert, 422, 'invalid');
  // an upload nobody attached is its uploader's only
  const mine = await c.upload(c.stranger.user);
  assert.equal((await c.stranger.user.api(`/api/v1/files/${mine}`)).status, 200);
  errorBody(await c.lead.user.api(`/api/v1/files/${mine}/meta`), assert, 404, 'not_found');
});

test('wenming user passwd ends the user\'s sessions and is audited (actor: the command line)', async () => {
  const username = c.stranger.user.me.username ?? c.stranger.user.me.user?.username;
  assert.ok(username, JSON.stringify(c.stranger.user.me));
  const s1 = await login(c.srv.url, username, c.pw);
  assert.equal((await s1.api('/api/v1/me')).status, 200);
  const r = await cli(['user', 'passwd', username], c.srv.env, '换一个足够长的新口令 2026\n');
  assert.equal(r.code, 0, r.stderr);
  errorBody(await s1.api('/api/v1/me'), assert, 401, 'unauthorized');
  errorBody(await c.stranger.user.api('/api/v1/me'), assert, 401, 'unauthorized');
  const rows = (await ok(c.admin.api('/api/v1/audit?action=user.reset_password&size=50'))).items;
  const row = rows.find((x) => x.summary && x.summary.username === username);
  assert.ok(row, JSON.stringify(rows));
  assert.equal(row.summary.by, 'wenming user passwd');
  assert.equal(row.username, 'wenming user passwd');
  // the new password works
  const s2 = await login(c.srv.url, username, '换一个足够长的新口令 2026');
  assert.equal((await s2.api('/api/v1/me')).status, 200);
});

test('batch 受理 / 交办 / 作废: all or nothing, each problem audited, defaults per row', async () => {
  const ps = [];
  for (let i = 0; i < 4; i++) ps.push(await c.report());
  const batch = (client, body) => client.api('/api/v1/problems/batch', { method: 'POST', body });
  // a unit user may not; an unknown action, an empty list, a repeated row are 422
  errorBody(await batch(c.lead.user, { action: 'accept', items: [{ id: ps[0].id }] }), assert, 403, 'forbidden');
  errorBody(await batch(c.office, { action: 'sign', items: [{ id: ps[0].id }] }), assert, 422, 'invalid');
  errorBody(await batch(c.office, { action: 'accept', items: [] }), assert, 422, 'invalid');
  errorBody(await batch(c.office, { action: 'accept', items: [{ id: ps[0].id }, { id: ps[0].id }] }), assert, 422, 'invalid');
  const acc = await ok(batch(c.office, { action: 'accept', note: '批量受理', items: ps.map((p) => ({ id: p.id })) }));
  assert.equal(acc.count, 4);
  assert.deepEqual(acc.items.map((x) => x.status), ['accepted', 'accepted', 'accepted', 'accepted']);
  // one bad row (a deadline in the past) rolls the whole batch back and is named
  const past = await batch(c.office, { action: 'assign', items: [{ id: ps[0].id }, { id: ps[1].id, deadline: Date.now() - 1000 }] });
  const err = errorBody(past, assert, 422, 'invalid');
  assert.match(err.message, /第 2 行/);
  assert.equal((await ok(c.office.api(`/api/v1/problems/${ps[0].id}`))).status, 'accepted');
  // assign: the routed unit and the category's deadline by default; a row may override both
  const deadline = Date.now() + 96 * 3600 * 1000;
  const asg = await ok(batch(c.office, { action: 'assign', items: [{ id: ps[0].id }, { id: ps[1].id, unit_id: c.co.unit_id, deadline }] }));
  assert.equal(asg.count, 2);
  const d0 = await ok(c.office.api(`/api/v1/problems/${ps[0].id}`));
  const d1 = await ok(c.office.api(`/api/v1/problems/${ps[1].id}`));
  assert.equal(d0.lead_unit_id, ps[0].suggested_unit_id);
  assert.ok(d0.deadline > Date.now());
  assert.equal(d1.lead_unit_id, c.co.unit_id);
  assert.equal(d1.deadline, deadline);
  // void needs a reason
  errorBody(await batch(c.office, { action: 'void', items: [{ id: ps[2].id }] }), assert, 422, 'invalid');
  await ok(batch(c.office, { action: 'void', reason: '重复上报', items: [{ id: ps[2].id }, { id: ps[3].id }] }));
  assert.equal((await ok(c.office.api(`/api/v1/problems/${ps[3].id}`))).status, 'voided');
  const rows = (await ok(c.admin.api('/api/v1/audit?action=problem.&size=500'))).items.filter((x) => x.summary?.batch);
  for (const p of ps) assert.ok(rows.some((x) => x.object_id === String(p.id)), `audited ${p.id}`);
});

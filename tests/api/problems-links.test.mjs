// problems-links.test.mjs - near-duplicates: a report offers the open problems of its
// category within 100 m (similar), GET /problems/{id}/similar offers them later, and
// POST /problems/{id}/links / DELETE /problems/{id}/links/{other} link and unlink them:
// an event on both timelines, one audit row, 404 outside the scope, 422 for a self-link
// or an unknown / other tenant's problem, 409 for a link that exists.  The duplicate is
// then closed by the office with outcome duplicate.  SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { errorBody } from './harness.mjs';
import { demoCast, ok } from './problems-fixtures.mjs';

let c;
let cat;
before(async () => {
  c = await demoCast();
  cat = c.categories.find((x) => x.code === 'LQ');
});
after(async () => c.stop());

// Two reports of one category 45 m apart at a place of their own (lat offsets keep tests apart).
let spot = 0;
async function pair(first = c.insp, second = c.insp2) {
  const lat = 31 + (++spot) * 0.01;
  const base = { category_id: cat.id, description: '流浪犬聚集', source: 'grid', lat, lng: 120.1 };
  const a = await ok(first.api('/api/v1/problems', { method: 'POST', body: base }), 201);
  const b = await ok(second.api('/api/v1/problems', { method: 'POST', body: { ...base, lat: lat + 0.0004 } }), 201);
  return { a, b };
}
const link = (client, id, body) => client.api(`/api/v1/problems/${id}/links`, { method: 'POST', body });
const unlink = (client, id, other) => client.api(`/api/v1/problems/${id}/links/${other}`, { method: 'DELETE' });

test('the reporter links a new report to the similar open problem it was offered', async () => {
  const { a, b } = await pair();
  assert.deepEqual(b.similar.map((s) => s.id), [a.id]);
  // insp02 cannot open insp01's problem (self scope) but may link to it: it was offered as similar
  errorBody(await c.insp2.api(`/api/v1/problems/${a.id}`), assert, 404, 'not_found');
  const linked = await ok(link(c.insp2, b.id, { other_id: a.id, kind: 'duplicate' }), 201);
  assert.equal(linked.id, b.id);
  assert.deepEqual(linked.links, [], 'the other problem is outside insp02\'s scope: not listed');
  const ev = linked.events.at(-1);
  assert.equal(ev.action, 'link');
  assert.equal(ev.from_status, 'reported');
  assert.equal(ev.to_status, 'reported');
  assert.deepEqual(ev.detail, { other_id: a.id, other_code: a.code, kind: 'duplicate' });

  // the office sees the link from both sides, with codes
  const da = await ok(c.office.api(`/api/v1/problems/${a.id}`));
  assert.deepEqual(da.links.map((l) => [l.id, l.code, l.kind, l.status, l.status_title]), [[b.id, b.code, 'duplicate', 'reported', '待受理']]);
  assert.equal(da.links[0].created_by_name, c.insp2.me.name);
  assert.equal(da.events.at(-1).action, 'link');
  assert.equal(da.events.at(-1).detail.other_code, b.code);
  const db = await ok(c.office.api(`/api/v1/problems/${b.id}`));
  assert.deepEqual(db.links.map((l) => l.id), [a.id]);

  // audited once, as problem.link of the path's problem
  const audit = (await ok(c.admin.api('/api/v1/audit?action=problem.link&size=100'))).items.filter((x) => x.object_id === String(b.id));
  assert.equal(audit.length, 1);
  assert.deepEqual(audit[0].summary, { code: b.code, other_id: a.id, other_code: a.code, kind: 'duplicate' });

  // the office closes the duplicate as 重复问题 the usual way
  await ok(c.act(c.office, b.id, 'accept'));
  await ok(c.act(c.office, b.id, 'assign', { unit_id: c.lead.unit_id }));
  await ok(c.act(c.lead.user, b.id, 'sign'));
  await ok(c.act(c.lead.user, b.id, 'submit', { photo_ids: [await c.upload(c.lead.user)], note: '与前一问题为同一处' }));
  const closed = await ok(c.act(c.office, b.id, 'verify', { passed: true, outcome: 'duplicate', reason: '照片无拍摄时间，已现场核实' }));
  assert.equal(closed.status, 'closed');
  assert.equal(closed.outcome, 'duplicate');
  assert.equal(closed.links.length, 1);
});

test('similar: the office finds near-duplicates of an existing problem, marked when linked', async () => {
  const { a, b } = await pair();
  const s1 = await ok(c.office.api(`/api/v1/problems/${a.id}/similar`));
  assert.deepEqual(s1.items.map((x) => [x.id, x.code, x.linked]), [[b.id, b.code, false]]);
  assert.ok(s1.items[0].distance_m > 30 && s1.items[0].distance_m < 60);
  assert.equal(s1.items[0].status_title, '待受理');
  await ok(link(c.office, a.id, { other_id: b.id }), 201); // kind defaults to duplicate
  const s2 = await ok(c.office.api(`/api/v1/problems/${a.id}/similar`));
  assert.deepEqual(s2.items.map((x) => [x.id, x.linked]), [[b.id, true]]);
  assert.equal((await ok(c.office.api(`/api/v1/problems/${b.id}`))).links[0].kind, 'duplicate');
  // a voided problem is no longer offered
  await ok(c.act(c.office, b.id, 'void', { reason: '重复上报' }));
  assert.deepEqual((await ok(c.office.api(`/api/v1/problems/${a.id}/similar`))).items, []);
  errorBody(await c.stranger.user.api(`/api/v1/problems/${a.id}/similar`), assert, 404, 'not_found');
});

test('unlink: events on both sides, audited; a missing link is 404', async () => {
  const { a, b } = await pair();
  await ok(link(c.office, a.id, { other_id: b.id, kind: 'related' }), 201);
  const after = await ok(unlink(c.office, b.id, a.id));
  assert.deepEqual(after.links, []);
  assert.equal(after.events.at(-1).action, 'unlink');
  assert.equal(after.events.at(-1).detail.kind, 'related');
  const da = await ok(c.office.api(`/api/v1/problems/${a.id}`));
  assert.deepEqual(da.links, []);
  assert.deepEqual(da.events.slice(-2).map((e) => e.action), ['link', 'unlink']);
  errorBody(await unlink(c.office, a.id, b.id), assert, 404, 'not_found');
  errorBody(await unlink(c.office, a.id, 99999999), assert, 404, 'not_found');
  const audit = (await ok(c.admin.api('/api/v1/audit?action=problem.unlink&size=100'))).items.filter((x) => x.object_id === String(b.id));
  assert.equal(audit.length, 1);
  // linking again works after an unlink
  await ok(link(c.office, a.id, { other_id: b.id }), 201);
});

test('refusals: self-link 422, twice 409, unknown or far and unseen 422, outside the scope 404, bad body 422, no permission 403', async () => {
  const { a, b } = await pair();
  const events = async (id) => (await ok(c.office.api(`/api/v1/problems/${id}`))).events.length;
  const before = [await events(a.id), await events(b.id)];
  errorBody(await link(c.office, a.id, { other_id: a.id }), assert, 422, 'invalid');
  errorBody(await link(c.office, a.id, { other_id: 99999999 }), assert, 422, 'invalid');
  errorBody(await link(c.office, a.id, { other_id: b.id, kind: 'same' }), assert, 422, 'invalid');
  errorBody(await link(c.office, a.id, { other_id: 'x' }), assert, 422, 'invalid');
  errorBody(await link(c.office, a.id, {}), assert, 422, 'invalid');
  errorBody(await link(c.office, a.id, { other_id: b.id, extra: 1 }), assert, 422, 'invalid');
  errorBody(await link(c.office, 99999999, { other_id: b.id }), assert, 404, 'not_found');
  await ok(link(c.office, a.id, { other_id: b.id }), 201);
  errorBody(await link(c.office, b.id, { other_id: a.id }), assert, 409, 'conflict');
  // a problem far away that the inspector cannot see: 422, no hint it exists
  const far = await c.report(c.insp2, { point_id: undefined, lat: 35, lng: 121 });
  const own = await c.report(c.insp, { point_id: undefined, lat: 35.01, lng: 121 });
  const e = errorBody(await link(c.insp, own.id, { other_id: far.id }), assert, 422, 'invalid');
  assert.equal(e.field, 'other_id');
  // a problem the inspector cannot see at all is 404
  errorBody(await link(c.insp, far.id, { other_id: own.id }), assert, 404, 'not_found');
  // unit roles have no problem:link
  errorBody(await link(c.lead.user, a.id, { other_id: b.id }), assert, 403, 'forbidden');
  assert.deepEqual([await events(a.id), await events(b.id)], [before[0] + 1, before[1] + 1], 'only the one good link left events');
});

test('another tenant\'s problem at the same place cannot be linked (422)', async () => {
  const { a } = await pair();
  const t2 = await ok(c.admin.api('/api/v1/tenants', { method: 'POST', body: { name: '邻县', region_code: '330199', level: 'county' } }), 201);
  const catId = Number(c.sql(`INSERT INTO problem_categories (tenant_id, code, name, created_at, updated_at) VALUES (${t2.id}, 'LQ', '流浪犬', 0, 0) RETURNING id`));
  const alien = Number(c.sql(`INSERT INTO problems (tenant_id, code, category_id, lat, lng, description, source, status, created_at, updated_at)` +
    ` VALUES (${t2.id}, '2026-900001', ${catId}, ${a.lat}, ${a.lng}, '邻县的问题', 'grid', 'reported', 0, 0) RETURNING id`));
  assert.ok(alien > 0);
  const e = errorBody(await link(c.office, a.id, { other_id: alien }), assert, 422, 'invalid');
  assert.equal(e.field, 'other_id');
  errorBody(await link(c.office, alien, { other_id: a.id }), assert, 404, 'not_found');
  errorBody(await c.office.api(`/api/v1/problems/${alien}/similar`), assert, 404, 'not_found');
  assert.ok(!(await ok(c.office.api(`/api/v1/problems/${a.id}/similar`))).items.some((x) => x.id === alien));
});

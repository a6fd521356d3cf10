// notices.test.mjs - in-app notices (GET /notices): new assignments not yet
// signed, deadlines within 24 hours, overdue problems, for the units in the
// caller's scope; parked and closed problems never, another unit's never.
//
// Unit A (a liaison, 本单位):
//   P1 assigned, unsigned, deadline +48 h, co-unit B     new
//   P2 signed, deadline +2 h                             due soon
//   P3 signed, deadline -1 h                             overdue
//   P4 assigned, unsigned, deadline -2 h                 new and overdue
//   P5 signed, deadline -3 h, parked                     nothing (parked leaves the overdue count)
//   P6 closed                                            nothing
//   P8 signed, deadline +72 h                            nothing yet
// Unit B: P7 assigned, unsigned, deadline +48 h          new
// A: assigned 2 (P1, P4), due_soon 1 (P2), overdue 2 (P3, P4), total 4,
//    items by deadline P4, P3, P2, P1.   B: assigned 1, total 1 (P7 only: a
//    co-unit is not asked to sign).   Leaders: all 5.  The office: its own
//    queue instead (待受理, 待复核), which home.test.mjs checks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { errorBody, login } from './harness.mjs';
import { HOUR, sqlOn, ok, act, loop, demoServer, unitsWithLiaisons } from './loop.mjs';

let srv;
let admin;
let office;
let leader;
let insp;
let pw;
const units = {};
const p = {};

before(async () => {
  const demo = await demoServer();
  ({ srv, pw, admin } = demo);
  const { category } = demo;
  office = await demo.as('office01');
  leader = await demo.as('leader01');
  insp = await demo.as('insp01');
  [units.A, units.B] = await unitsWithLiaisons(demo, 2);
  const { report, assigned, rectifying, closed } = loop({ reporter: insp, office, category, units });
  const setDeadline = (id, ms) => sqlOn(srv, `UPDATE problems SET deadline = ${ms} WHERE id = ${id}`);
  const now = Date.now();

  {
    const q = await report();
    await act(office, q.id, 'accept');
    p.P1 = (await act(office, q.id, 'assign', { unit_id: units.A.id, co_unit_ids: [units.B.id], deadline: now + 48 * HOUR })).id;
  }
  p.P2 = (await rectifying('A')).id;
  setDeadline(p.P2, now + 2 * HOUR);
  p.P3 = (await rectifying('A')).id;
  setDeadline(p.P3, now - 1 * HOUR);
  p.P4 = (await assigned('A')).id;
  setDeadline(p.P4, now - 2 * HOUR);
  p.P5 = (await rectifying('A')).id;
  setDeadline(p.P5, now - 3 * HOUR);
  await act(office, p.P5, 'park', { reason: '需统一规划' });
  p.P6 = (await closed('A')).id;
  setDeadline(p.P6, now - 4 * HOUR);
  p.P8 = (await rectifying('A')).id;
  setDeadline(p.P8, now + 72 * HOUR);
  p.P7 = (await assigned('B')).id;
});

after(async () => {
  const code = await srv.stop();
  assert.equal(code, 0, `server exit code ${code}\n${srv.log().slice(-3000)}`);
});

test('a unit liaison gets its own unit\'s new, due-soon and overdue problems, most urgent first', async () => {
  const body = await ok(units.A.user.api('/api/v1/notices'));
  assert.deepEqual(body.counts, { assigned: 2, due_soon: 1, overdue: 2, total: 4 });
  assert.deepEqual(body.items.map((x) => x.id), [p.P4, p.P3, p.P2, p.P1]);
  assert.deepEqual(body.items.map((x) => x.kind), ['overdue', 'overdue', 'due_soon', 'assigned']);
  assert.deepEqual(body.items.map((x) => x.unsigned), [true, false, false, true]);
  const first = body.items[0];
  assert.equal(first.status, 'assigned');
  assert.equal(first.unit_id, units.A.id);
  assert.equal(first.unit_name, units.A.name);
  assert.match(first.code, /^\d{4}-\d{6}$/);
  assert.equal(typeof first.category_name, 'string');
  assert.ok(first.deadline < body.now);
  // every item links to a problem the liaison may open
  for (const it of body.items) await ok(units.A.user.api(`/api/v1/problems/${it.id}`));
});

test('data scope: another unit\'s problems never appear; a co-unit is not asked to sign', async () => {
  const b = await ok(units.B.user.api('/api/v1/notices'));
  assert.deepEqual(b.counts, { assigned: 1, due_soon: 0, overdue: 0, total: 1 });
  assert.deepEqual(b.items.map((x) => x.id), [p.P7]);
  const a = await ok(units.A.user.api('/api/v1/notices'));
  assert.ok(!a.items.some((x) => x.id === p.P7));
});

test('leaders see every unit, the office its own queue; an inspector\'s own unit has none; a volunteer is refused', async () => {
  const body = await ok(leader.api('/api/v1/notices'));
  assert.equal(body.mode, 'unit');
  assert.deepEqual(body.counts, { assigned: 3, due_soon: 1, overdue: 2, total: 5 });
  assert.deepEqual(new Set(body.items.map((x) => x.id)), new Set([p.P1, p.P2, p.P3, p.P4, p.P7]));
  const o = await ok(office.api('/api/v1/notices'));
  assert.equal(o.mode, 'office');
  assert.equal(o.counts.total, o.counts.to_accept + o.counts.to_verify);
  assert.ok(!o.items.some((x) => [p.P1, p.P2, p.P3, p.P4, p.P7].includes(x.id)), 'the units\' work is not the office\'s queue');
  const i = await ok(insp.api('/api/v1/notices'));
  assert.deepEqual(i.counts, { assigned: 0, due_soon: 0, overdue: 0, total: 0 });
  const vol = await login(srv.url, 'vol01', pw);
  errorBody(await vol.api('/api/v1/notices'), assert, 403, 'forbidden');
});

test('signing and closing take problems off the list', async () => {
  await act(units.A.user, p.P1, 'sign');
  let body = await ok(units.A.user.api('/api/v1/notices'));
  assert.deepEqual(body.counts, { assigned: 1, due_soon: 1, overdue: 2, total: 3 });
  await act(office, p.P3, 'park', { reason: '纳入改造计划' });
  body = await ok(units.A.user.api('/api/v1/notices'));
  assert.deepEqual(body.counts, { assigned: 1, due_soon: 1, overdue: 1, total: 2 });
  assert.deepEqual(body.items.map((x) => x.id), [p.P4, p.P2]);
});

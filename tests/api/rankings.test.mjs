// rankings.test.mjs - unit rankings (docs/rankings.md) on a fixture worked by hand.
//
// Every problem goes through the real API (report, accept, assign, sign, submit,
// verify, extend, park, void ...).  Assigning needs a deadline in the future, so
// afterwards the fixture's times are moved into March 2025 with one UPDATE per
// problem (first_assigned_at, assigned_at, deadline, closed_at, created_at):
// the state, outcome and counters stay what the loop made them.  The period is
// 2025-03-01..2025-03-31 in Asia/Shanghai: [03-01 00:00 +08, 04-01 00:00 +08),
// wholly in the past, so the cut is its end.  Times below are Shanghai time.
//
// Unit A (lead of A1..A10, and of A8, which a new report repeats):
//   A1 assigned 03-02 09:00, deadline 03-05, closed fixed 03-04 09:00  due, closed, on time, 48 h
//   A2 assigned 03-03 09:00, deadline 03-10, closed fixed 03-12 09:00  due, closed late, 216 h
//   A3 assigned 03-05 09:00, deadline 03-15, failed once, closed fixed
//      03-14 15:00                                                   due, closed, on time, reworked, 222 h
//   A4 assigned 03-10, extension approved, deadline 03-20, rectifying due, open, extended, overdue
//   A5 assigned 03-12, deadline 03-25, closed as duplicate 03-20      due, NOT closed (unfixed)
//   A6 assigned 03-15, deadline 03-28, parked                        not due, not overdue
//   A7 assigned 03-20, deadline 04-05, rectifying                    not due (deadline after), not overdue
//   A8 assigned 02-20, deadline 02-25, closed fixed 03-02            nothing in March (deadline in Feb)
//   A9 assigned 03-04, deadline 03-08, voided                        never counts
//   A10 assigned 02-01, deadline 02-10, rectifying                   overdue (deadline before the cut)
//   N1 reported 03-18 at A8's place: recurrence_of = A8              a recurrence of A
//   N2 reported 03-19 at A8's place, then invalid                    never counts
//   due 5 (A1-A5), closed 3 (A1-A3), on time 2 (A1, A3), reworked 1 (A3),
//   recurrences 1 (N1), assigned 7 (A1-A7), extended 1 (A4), overdue 2 (A4, A10)
//   closure 3/5 = 0.6, on time 2/5 = 0.4, rework 1/3, recurrence 1/3, extension 1/7,
//   average (48 + 216 + 222) / 3 = 162.0 h
//   composite 30x0.6 + 30x0.4 + 15x(2/3) + 15x(2/3) + 10x(6/7) = 58.5714 -> 58.57, D
// Unit B:
//   B1 assigned 03-01 08:00, deadline 03-03, closed fixed 03-02 08:00  24 h
//   B2 assigned 03-06 10:00, deadline 03-09, closed fixed 03-08 10:00  48 h
//   B3 assigned 03-25, deadline 04-03, rectifying                    assigned only
//   due 2, closed 2, on time 2, assigned 3: rates 1, 1, 0, 0, 0; 36.0 h; composite 100, A
// Unit C:
//   C1 assigned 03-02, deadline 03-04, rectifying: due 1, overdue 1, assigned 1
//   closure 0, on time 0, rework and recurrence undefined (nothing closed), extension 0/1
//   composite over weight 70: 10 x 1 / 70 = 14.2857 -> 14.29, E
// Order: B (rank 1), A (2), C (3).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { errorBody } from './harness.mjs';
import { HOUR, sqlOn, ok, act, loop, demoServer, unitsWithLiaisons } from './loop.mjs';
import { readSheet } from '../e2e/xlsx.mjs';

let srv;
let admin;
let office;
let insp;
let category;
const units = {}; // A, B, C: { id, name, user }
const ids = {};   // fixture name -> problem id
const PERIOD = 'from=2025-03-01&to=2025-03-31';
let spot, report, assigned, rectifying, submit, closed;

// Shanghai wall time in March 2025 (month 3) or February (2) as ms.
const at = (month, day, hour = 12) => Date.UTC(2025, month - 1, day, hour) - 8 * HOUR;
const sql = (text) => sqlOn(srv, text);

// Move a problem's times (ms; null leaves the column alone).
function setTimes(id, { assigned: a, deadline, closed: c, created }) {
  const sets = [];
  if (a != null) sets.push(`first_assigned_at = ${a}`, `assigned_at = ${a}`);
  if (deadline != null) sets.push(`deadline = ${deadline}`);
  if (c != null) sets.push(`closed_at = ${c}`);
  if (created != null) sets.push(`created_at = ${created}`);
  sql(`UPDATE problems SET ${sets.join(', ')} WHERE id = ${id}`);
}

const byUnit = (body) => Object.fromEntries(body.items.map((row) => [row.unit_id, row]));
const round = (x, places) => Math.round(x * 10 ** places) / 10 ** places;

before(async () => {
  const demo = await demoServer();
  ({ srv, admin, category } = demo);
  office = await demo.as('office01');
  insp = await demo.as('insp01');
  [units.A, units.B, units.C] = await unitsWithLiaisons(demo, 3);
  ({ spot, report, assigned, rectifying, submit, closed } = loop({ reporter: insp, office, category, units }));

  // ---- unit A ----
  ids.A1 = (await closed('A')).id;
  setTimes(ids.A1, { assigned: at(3, 2, 9), deadline: at(3, 5), closed: at(3, 4, 9) });
  ids.A2 = (await closed('A')).id;
  setTimes(ids.A2, { assigned: at(3, 3, 9), deadline: at(3, 10), closed: at(3, 12, 9) });
  {
    const p = await rectifying('A');
    await submit('A', p.id);
    await act(office, p.id, 'verify', { passed: false, note: '仍有垃圾' });
    await submit('A', p.id);
    const done = await act(office, p.id, 'verify', { passed: true, reason: '照片无拍摄时间，已现场核实' });
    assert.equal(done.rework_count, 1);
    ids.A3 = p.id;
    setTimes(p.id, { assigned: at(3, 5, 9), deadline: at(3, 15), closed: at(3, 14, 15) });
  }
  {
    const p = await rectifying('A');
    await act(units.A.user, p.id, 'extend', { days: 3, reason: '需采购设备' });
    const ext = await act(office, p.id, 'decide-extension', { approved: true });
    assert.equal(ext.extension_count, 1);
    ids.A4 = p.id;
    setTimes(p.id, { assigned: at(3, 10), deadline: at(3, 20) });
  }
  ids.A5 = (await closed('A', 'duplicate')).id;
  setTimes(ids.A5, { assigned: at(3, 12), deadline: at(3, 25), closed: at(3, 20) });
  {
    const p = await rectifying('A');
    await act(office, p.id, 'park', { reason: '需纳入明年改造计划' });
    ids.A6 = p.id;
    setTimes(p.id, { assigned: at(3, 15), deadline: at(3, 28) });
  }
  ids.A7 = (await rectifying('A')).id;
  setTimes(ids.A7, { assigned: at(3, 20), deadline: at(4, 5) });
  const a8Place = spot();
  ids.A8 = (await closed('A', 'fixed', a8Place)).id;
  {
    const p = await assigned('A');
    await act(office, p.id, 'void', { reason: '重复录入' });
    ids.A9 = p.id;
    setTimes(p.id, { assigned: at(3, 4), deadline: at(3, 8) });
  }
  ids.A10 = (await rectifying('A')).id;
  setTimes(ids.A10, { assigned: at(2, 1), deadline: at(2, 10) });
  // N1, N2: new reports where A8 was closed (within the default 100 m, closed just now)
  {
    const n1 = await report(a8Place);
    assert.equal(n1.recurrence_of, ids.A8, 'a recurrence of A8');
    setTimes(n1.id, { created: at(3, 18) });
    const n2 = await report({ lat: a8Place.lat + 0.0003, lng: a8Place.lng }); // ~33 m away
    assert.equal(n2.recurrence_of, ids.A8);
    await act(office, n2.id, 'invalidate', { reason: '不属实' });
    setTimes(n2.id, { created: at(3, 19) });
    ids.N1 = n1.id;
    ids.N2 = n2.id;
    // only now: the recurrence window counts back from the report
    setTimes(ids.A8, { assigned: at(2, 20), deadline: at(2, 25), closed: at(3, 2) });
  }

  // ---- unit B ----
  ids.B1 = (await closed('B')).id;
  setTimes(ids.B1, { assigned: at(3, 1, 8), deadline: at(3, 3), closed: at(3, 2, 8) });
  ids.B2 = (await closed('B')).id;
  setTimes(ids.B2, { assigned: at(3, 6, 10), deadline: at(3, 9), closed: at(3, 8, 10) });
  ids.B3 = (await rectifying('B')).id;
  setTimes(ids.B3, { assigned: at(3, 25), deadline: at(4, 3) });

  // ---- unit C ----
  ids.C1 = (await rectifying('C')).id;
  setTimes(ids.C1, { assigned: at(3, 2), deadline: at(3, 4) });
});

after(async () => {
  const code = await srv.stop();
  assert.equal(code, 0, `server exit code ${code}\n${srv.log().slice(-3000)}`);
});

// The hand-worked rows of the header comment.
function expected() {
  return {
    A: {
      due: 5, closed: 3, on_time: 2, reworked: 1, recurrences: 1, assigned: 7, extended: 1, overdue: 2, proxy_closed: 0,
      closure_rate: 0.6, on_time_rate: 0.4, rework_rate: 0.3333, recurrence_rate: 0.3333, extension_rate: 0.1429,
      avg_close_hours: 162, score: 58.57, grade: 'D', rank: 2,
    },
    B: {
      due: 2, closed: 2, on_time: 2, reworked: 0, recurrences: 0, assigned: 3, extended: 0, overdue: 0, proxy_closed: 0,
      closure_rate: 1, on_time_rate: 1, rework_rate: 0, recurrence_rate: 0, extension_rate: 0,
      avg_close_hours: 36, score: 100, grade: 'A', rank: 1,
    },
    C: {
      due: 1, closed: 0, on_time: 0, reworked: 0, recurrences: 0, assigned: 1, extended: 0, overdue: 1, proxy_closed: 0,
      closure_rate: 0, on_time_rate: 0, rework_rate: null, recurrence_rate: null, extension_rate: 0,
      avg_close_hours: null, score: 14.29, grade: 'E', rank: 3,
    },
  };
}

test('the office sees the three units ranked with every count and rate worked by hand', async () => {
  const body = await ok(office.api(`/api/v1/rankings?${PERIOD}`));
  assert.equal(body.from, '2025-03-01');
  assert.equal(body.to, '2025-03-31');
  assert.equal(body.start, at(3, 1, 0));
  assert.equal(body.end, at(4, 1, 0));
  assert.equal(body.cut, body.end, 'a past period is cut at its end');
  assert.equal(body.total, 3);
  assert.deepEqual(body.items.map((x) => x.unit_id), [units.B.id, units.A.id, units.C.id]);
  const rows = byUnit(body);
  const want = expected();
  for (const key of ['A', 'B', 'C']) {
    assert.deepEqual(rows[units[key].id], { unit_id: units[key].id, unit_name: units[key].name, ...want[key] }, `unit ${key}`);
  }
  // the composites once more from the exact fractions, not the rounded rates
  assert.equal(round(30 * 0.6 + 30 * 0.4 + 15 * (2 / 3) + 15 * (2 / 3) + 10 * (6 / 7), 2), 58.57);
  assert.equal(round((10 * 1) / 70 * 100, 2), 14.29);
  assert.deepEqual(body.settings, {
    weight_closure: 30, weight_on_time: 30, weight_rework: 15, weight_recurrence: 15, weight_extension: 10,
    grade_a: 90, grade_b: 75, grade_c: 60, grade_d: 40,
  });
});

test('periods: only the days asked for count; the current month is the default', async () => {
  // 03-01..03-10: A's due A1, A2 (deadlines 03-05, 03-10), both closed, A1 on time;
  // assigned A1-A4 (A9 voided); overdue at 03-11 00:00: A10 (02-10), A2 was closed 03-12 (after the cut)
  const early = byUnit(await ok(office.api('/api/v1/rankings?from=2025-03-01&to=2025-03-10')));
  const a = early[units.A.id];
  assert.equal(a.due, 2);
  assert.equal(a.closed, 1, 'A2 was closed on 03-12, after the period');
  assert.equal(a.on_time, 1);
  assert.equal(a.assigned, 4);
  assert.equal(a.overdue, 2, 'A10, and A2 still open at the cut');
  assert.equal(a.recurrences, 0, 'N1 came on 03-18');
  // February: A8 due and closed (on 03-02: after February, so not closed in it), A10 due
  const feb = byUnit(await ok(office.api('/api/v1/rankings?from=2025-02-01&to=2025-02-28')))[units.A.id];
  assert.equal(feb.due, 2);
  assert.equal(feb.closed, 0);
  assert.equal(feb.closure_rate, 0);
  assert.equal(feb.rework_rate, null, 'no denominator: null, never 0 or 100');
  assert.equal(feb.overdue, 2, 'A8 and A10 were open and past their deadlines on 03-01');
  // nothing in 2024
  assert.deepEqual((await ok(office.api('/api/v1/rankings?from=2024-01-01&to=2024-12-31'))).items, []);

  const now = await ok(office.api('/api/v1/rankings'));
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  assert.equal(now.from, `${today.slice(0, 8)}01`);
  assert.ok(now.to >= today && now.to.slice(0, 7) === today.slice(0, 7));
  assert.ok(now.cut <= Date.now() && now.cut > Date.now() - 60000, 'the current period is cut now');
});

test('bad periods and units: 422 naming the field', async () => {
  for (const [q, field] of [
    ['from=2025-03-01', 'to'],
    ['to=2025-03-01', 'from'],
    ['from=2025-3-1&to=2025-03-31', 'from'],
    ['from=2025-02-30&to=2025-03-31', 'from'],
    ['from=2025-03-31&to=2025-03-01', 'to'],
    ['from=2020-01-01&to=2025-03-31', 'to'],
    [`${PERIOD}&unit_id=999999`, 'unit_id'],
    [`${PERIOD}&unit_id=abc`, 'unit_id'],
  ]) {
    const e = errorBody(await office.api(`/api/v1/rankings?${q}`), assert, 422, 'invalid');
    assert.equal(e.field, field, q);
  }
});

test('data scope: a unit liaison sees its own row only; another unit is 422 unit_id', async () => {
  const a = await ok(units.A.user.api(`/api/v1/rankings?${PERIOD}`));
  assert.deepEqual(a.items.map((x) => x.unit_id), [units.A.id]);
  assert.deepEqual(a.items[0], { unit_id: units.A.id, unit_name: units.A.name, ...expected().A, rank: 1 });
  const c = await ok(units.C.user.api(`/api/v1/rankings?${PERIOD}`));
  assert.deepEqual(c.items.map((x) => x.unit_id), [units.C.id]);
  const e = errorBody(await units.A.user.api(`/api/v1/rankings?${PERIOD}&unit_id=${units.B.id}`), assert, 422, 'invalid');
  assert.equal(e.field, 'unit_id');
  // the office narrows to one unit's subtree
  const only = await ok(office.api(`/api/v1/rankings?${PERIOD}&unit_id=${units.C.id}`));
  assert.deepEqual(only.items.map((x) => x.unit_id), [units.C.id]);
  // inspectors have no ranking permission
  errorBody(await insp.api(`/api/v1/rankings?${PERIOD}`), assert, 403, 'forbidden');
});

test('export: the xlsx holds the JSON rows, as percentages, and is audited', async () => {
  const body = await ok(office.api(`/api/v1/rankings?${PERIOD}`));
  const r = await fetch(`${srv.url}/api/v1/rankings/export?${PERIOD}`, { headers: { cookie: office.cookie } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(r.headers.get('content-disposition'), /filename="rankings-\d{8}\.xlsx"/);
  const rows = readSheet(Buffer.from(await r.arrayBuffer()));
  assert.deepEqual(rows[0], ['单位排名 2025-03-01 至 2025-03-31']);
  assert.deepEqual(rows[1], ['排名', '单位', '应结案', '已结案', '按期结案', '返工', '反弹', '交办', '延期', '超期',
    '结案率(%)', '按期结案率(%)', '返工率(%)', '反弹率(%)', '延期率(%)', '平均结案时长(小时)', '综合得分', '等级']);
  assert.equal(rows.length, 2 + body.items.length);
  const pct = (v) => (v === null ? '—' : v * 100);
  body.items.forEach((x, i) => {
    const cells = rows[2 + i];
    const num = (s) => (s === '—' ? '—' : Number(s));
    assert.equal(num(cells[0]), x.rank ?? '—');
    assert.equal(cells[1], x.unit_name);
    assert.deepEqual(cells.slice(2, 10).map(Number),
      [x.due, x.closed, x.on_time, x.reworked, x.recurrences, x.assigned, x.extended, x.overdue]);
    // the sheet has two decimals of a percentage, the JSON four of a fraction
    const rates = [x.closure_rate, x.on_time_rate, x.rework_rate, x.recurrence_rate, x.extension_rate];
    cells.slice(10, 15).forEach((c, k) => {
      if (rates[k] === null) assert.equal(c, '—');
      else assert.ok(Math.abs(Number(c) - pct(rates[k])) < 0.01, `${x.unit_name} rate ${k}: ${c} vs ${rates[k]}`);
    });
    assert.equal(num(cells[15]), x.avg_close_hours ?? '—');
    assert.equal(num(cells[16]), x.score ?? '—');
    assert.equal(cells[17], x.grade ?? '—');
  });
  const audit = (await ok(admin.api('/api/v1/audit?action=ranking.export&size=1'))).items[0];
  assert.equal(audit.summary.rows, 3);
  assert.equal(audit.summary.period, '2025-03-01..2025-03-31');
  // a liaison's export has its own row only
  const mine = await fetch(`${srv.url}/api/v1/rankings/export?${PERIOD}`, { headers: { cookie: units.C.user.cookie } });
  const sheet = readSheet(Buffer.from(await mine.arrayBuffer()));
  assert.equal(sheet.length, 3);
  assert.equal(sheet[2][1], units.C.name);
  errorBody(await office.api('/api/v1/rankings/export?from=x&to=y'), assert, 422, 'invalid');
});

test('weights and bands come from the settings', async () => {
  const base = (await ok(office.api('/api/v1/settings')));
  delete base.defaults;
  delete base.updated_at;
  delete base.updated_by_name;
  // only the closure rate counts: A 60 (B), B 100 (A), C 0 (E) under bands 95/60/50/30
  await ok(office.api('/api/v1/settings', {
    method: 'PUT',
    body: { ...base, weight_closure: 100, weight_on_time: 0, weight_rework: 0, weight_recurrence: 0, weight_extension: 0, grade_a: 95, grade_b: 60, grade_c: 50, grade_d: 30 },
  }));
  const rows = byUnit(await ok(office.api(`/api/v1/rankings?${PERIOD}`)));
  assert.equal(rows[units.A.id].score, 60);
  assert.equal(rows[units.A.id].grade, 'B');
  assert.equal(rows[units.B.id].grade, 'A');
  assert.equal(rows[units.C.id].score, 0);
  assert.equal(rows[units.C.id].grade, 'E');
  await ok(office.api('/api/v1/settings', { method: 'PUT', body: base }));
  assert.equal(byUnit(await ok(office.api(`/api/v1/rankings?${PERIOD}`)))[units.A.id].score, 58.57);
});

test('a change shows at once: computed counts are used again only while nothing changed', async () => {
  const url = `/api/v1/rankings?${PERIOD}`;
  const before = byUnit(await ok(office.api(url)));
  assert.deepEqual(byUnit(await ok(office.api(url))), before, 'the same counts, asked twice');
  // a workflow step through the API: C1 parked is neither due nor overdue
  await act(office, ids.C1, 'park', { reason: '等待上级批复' });
  let c = byUnit(await ok(office.api(url)))[units.C.id];
  assert.equal(c.due, 0);
  assert.equal(c.overdue, 0);
  assert.equal(c.assigned, 1);
  await act(office, ids.C1, 'unpark', {});
  c = byUnit(await ok(office.api(url)))[units.C.id];
  assert.equal(c.due, 1);
  assert.equal(c.overdue, 1);
  // a unit renamed through the API shows its new name
  await ok(admin.api(`/api/v1/units/${units.C.id}`, { method: 'PUT', body: { name: `${units.C.name}（新）` } }));
  assert.equal(byUnit(await ok(office.api(url)))[units.C.id].unit_name, `${units.C.name}（新）`);
  await ok(admin.api(`/api/v1/units/${units.C.id}`, { method: 'PUT', body: { name: units.C.name } }));
  // a change written to the database by anything else (another server, an operator)
  setTimes(ids.C1, { deadline: at(4, 4) });
  c = byUnit(await ok(office.api(url)))[units.C.id];
  assert.equal(c.due, 0);
  assert.equal(c.overdue, 0);
  setTimes(ids.C1, { deadline: at(3, 4) });
  assert.deepEqual(byUnit(await ok(office.api(url))), before);
});

test('the current month: kept counts serve a later cut only while no deadline passed in between', async () => {
  const now = Date.now();
  const deadline = now + 3000;
  setTimes(ids.C1, { assigned: now - HOUR, deadline });
  try {
    const first = await ok(office.api('/api/v1/rankings'));
    assert.ok(first.cut < deadline, 'asked before the deadline');
    const c1 = byUnit(first)[units.C.id];
    assert.equal(c1.assigned, 1);
    assert.equal(c1.due, 0);
    assert.equal(c1.overdue, 0);
    // a moment later, nothing written: the same counts
    const again = byUnit(await ok(office.api('/api/v1/rankings')))[units.C.id];
    assert.deepEqual(again, c1);
    // the deadline passes with nothing written: due and overdue at once
    await new Promise((resolve) => setTimeout(resolve, deadline - Date.now() + 200));
    const later = await ok(office.api('/api/v1/rankings'));
    assert.ok(later.cut > deadline);
    const c2 = byUnit(later)[units.C.id];
    assert.equal(c2.due, 1);
    assert.equal(c2.overdue, 1);
  } finally {
    setTimes(ids.C1, { assigned: at(3, 2), deadline: at(3, 4) });
  }
  assert.equal(byUnit(await ok(office.api(`/api/v1/rankings?${PERIOD}`)))[units.C.id].due, 1);
});

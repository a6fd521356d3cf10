// home.test.mjs - GET /home: each role's first screen as cards, and the
// office's bell (GET /notices in office mode) counting its own queue.
//
// On the demo county, with two unrelated units A and B (liaisons, 本单位):
//   Q1, Q2 reported                               office: 待受理 2
//   S1 unit A, submitted                          office: 待复核 1
//   T1 unit A, rectifying, deadline later today   office: today 1 (when today has room)
//   O1 unit A, rectifying, deadline -5 h          overdue (A)
//   O2, O3 unit B, assigned, deadline -30 h/-1 h  overdue (B), B: to sign 2
//   R1 unit A, failed verification (rework)       A: rework 1, due soon (+48 h)
//   N1 unit A, assigned, deadline +48 h           A: to sign 1
// Overdue by unit: B 2, A 1 (most first).
// The work card (and the bell's "work"): materials of the active framework
// waiting for A (to upload or submit) and for the office (to review), plan
// tasks due a report; a new item for A, A's upload and submit, and A's
// report move them by one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { errorBody, login } from './harness.mjs';
import { makePdf } from './docs-fixtures.mjs';
import { HOUR, sqlOn, ok, act, loop, demoServer, unitsWithLiaisons } from './loop.mjs';

let srv;
let office;
let leader;
let insp;
let pw;
const units = {};
const p = {};
let todayRoom = false;

before(async () => {
  const demo = await demoServer();
  ({ srv, pw } = demo);
  office = await demo.as('office01');
  leader = await demo.as('leader01');
  insp = await demo.as('insp01');
  [units.A, units.B] = await unitsWithLiaisons(demo, 2);
  const l = loop({ reporter: insp, office, category: demo.category, units });
  const setDeadline = (id, ms) => sqlOn(srv, `UPDATE problems SET deadline = ${ms} WHERE id = ${id}`);
  const now = Date.now();

  p.Q1 = (await l.report()).id;
  p.Q2 = (await l.report()).id;
  p.S1 = (await l.rectifying('A')).id;
  await l.submit('A', p.S1);
  // the tenant is on Asia/Shanghai: a deadline 10 minutes from now is today
  // there unless that crosses its midnight
  const shanghai = new Date(now + 8 * HOUR);
  const minutesLeft = 24 * 60 - (shanghai.getUTCHours() * 60 + shanghai.getUTCMinutes());
  todayRoom = minutesLeft > 15;
  p.T1 = (await l.rectifying('A')).id;
  setDeadline(p.T1, todayRoom ? now + 10 * 60000 : now + 72 * HOUR);
  p.O1 = (await l.rectifying('A')).id;
  setDeadline(p.O1, now - 5 * HOUR);
  p.O2 = (await l.assigned('B')).id;
  setDeadline(p.O2, now - 30 * HOUR);
  p.O3 = (await l.assigned('B')).id;
  setDeadline(p.O3, now - 1 * HOUR);
  p.R1 = (await l.rectifying('A')).id;
  await l.submit('A', p.R1);
  await act(office, p.R1, 'verify', { passed: false, note: '仍有堆放' });
  p.N1 = (await l.assigned('A', undefined, now + 48 * HOUR)).id;
});

after(async () => {
  const code = await srv.stop();
  assert.equal(code, 0, `server exit code ${code}\n${srv.log().slice(-3000)}`);
});

const card = (body, key) => body.cards.find((c) => c.key === key);
const keys = (body) => body.cards.map((c) => c.key);

test('the office sees its queue, today\'s deadlines and overdue by unit', async () => {
  const body = await ok(office.api('/api/v1/home'));
  assert.deepEqual(keys(body), ['office_queue', 'today', 'work', 'overdue_units']);
  assert.match(body.today, /^\d{4}-\d{2}-\d{2}$/);
  const q = card(body, 'office_queue');
  assert.equal(q.to_accept, 2);
  assert.equal(q.to_verify, 1);
  assert.deepEqual(q.accept_items.map((x) => x.id).sort(), [p.Q1, p.Q2].sort());
  assert.deepEqual(q.verify_items.map((x) => x.id), [p.S1]);
  assert.equal(q.verify_items[0].unit_name, units.A.name);
  const t = card(body, 'today');
  assert.equal(t.overdue, 3);
  if (todayRoom) {
    assert.equal(t.due_today, 1);
    assert.deepEqual(t.items.map((x) => x.id), [p.T1]);
  }
  const o = card(body, 'overdue_units');
  assert.deepEqual(o.units.map((u) => [u.unit_id, u.overdue]), [[units.B.id, 2], [units.A.id, 1]]);
  assert.equal(o.units[0].max_days, 1);
});

test('the office\'s bell counts 待受理 and 待复核, not the units\' work', async () => {
  const body = await ok(office.api('/api/v1/notices'));
  assert.equal(body.mode, 'office');
  assert.equal(body.counts.to_accept, 2);
  assert.equal(body.counts.to_verify, 1);
  assert.equal(body.counts.total, 3);
  assert.deepEqual(new Set(body.items.map((x) => x.id)), new Set([p.Q1, p.Q2, p.S1]));
  assert.deepEqual(new Set(body.items.map((x) => x.kind)), new Set(['to_accept', 'to_verify']));
});

test('a unit sees what to sign, what is due, what came back, and only its own', async () => {
  const a = await ok(units.A.user.api('/api/v1/home'));
  assert.deepEqual(keys(a), ['unit_work', 'unit_rates', 'work']);
  const w = card(a, 'unit_work');
  assert.equal(w.to_sign, 1);
  assert.deepEqual(w.sign_items.map((x) => x.id), [p.N1]);
  assert.equal(w.rework, 1);
  assert.deepEqual(w.rework_items.map((x) => x.id), [p.R1]);
  assert.equal(w.overdue, 1);
  // due within 3 days: R1 (reworking, +48 h) and T1 (+10 min)
  if (todayRoom) assert.deepEqual(w.soon_items.map((x) => x.id), [p.T1, p.R1]);
  assert.equal(w.due_soon, w.soon_items.length);
  assert.equal(card(a, 'unit_rates').unit_id, units.A.id);
  const b = card(await ok(units.B.user.api('/api/v1/home')), 'unit_work');
  assert.equal(b.to_sign, 2);
  assert.equal(b.overdue, 2);
  assert.equal(b.rework, 0);
  for (const list of [b.sign_items, b.soon_items, b.rework_items]) {
    assert.ok(list.every((x) => [p.O2, p.O3].includes(x.id)), 'another unit\'s problem on B\'s home');
  }
});

test('a leader sees the prediction and overdue by unit; an inspector its rounds', async () => {
  const l = await ok(leader.api('/api/v1/home'));
  assert.deepEqual(keys(l), ['prediction', 'overdue_units']);
  const pr = card(l, 'prediction');
  assert.equal(typeof pr.rounds, 'number');
  if (pr.inspection) {
    assert.equal(typeof pr.predicted, 'number');
    assert.ok(Array.isArray(pr.losses) && pr.losses.length <= 5);
  }
  assert.deepEqual(card(l, 'overdue_units').units.map((u) => u.overdue), [2, 1]);
  const i = await ok(insp.api('/api/v1/home'));
  assert.deepEqual(keys(i), ['inspector_rounds']);
  const r = card(i, 'inspector_rounds');
  assert.ok(Array.isArray(r.rounds));
  assert.equal(r.points_left, r.rounds.reduce((s, x) => s + x.total - x.done, 0));
});

test('a volunteer gets no cards; signed out is 401', async () => {
  const vol = await login(srv.url, 'vol01', pw);
  assert.deepEqual((await ok(vol.api('/api/v1/home'))).cards, []);
  const r = await fetch(`${srv.url}/api/v1/home`);
  assert.equal(r.status, 401);
  errorBody({ status: r.status, body: await r.json() }, assert, 401, 'unauthorized');
});

// What the lists say is waiting, to check the counts against.
async function expectedWork(client, fw) {
  const items = (await ok(client.api(`/api/v1/materials/items?framework_id=${fw}&size=500`))).items;
  const tasks = (await ok(client.api('/api/v1/tasks?size=500'))).items;
  return {
    submit: items.filter((i) => ['not_started', 'drafting', 'returned'].includes(i.status)).length,
    review: items.filter((i) => i.status === 'submitted').length,
    tasks: tasks.filter((t) => t.report_missing),
  };
}

test('the work card and the bell count materials waiting and tasks due a report', async () => {
  const fws = await ok(office.api('/api/v1/frameworks'));
  const fw = (fws.items || fws).find((f) => f.active).id;
  const work = async (client) => {
    const h = card(await ok(client.api('/api/v1/home')), 'work');
    const n = (await ok(client.api('/api/v1/notices'))).work;
    assert.deepEqual(n, Object.fromEntries(Object.entries(h).filter(([k]) => k !== 'key')), 'the bell and the card agree');
    assert.equal(h.total, h.materials_to_submit + h.materials_to_review + h.tasks_report_missing);
    return h;
  };
  const a = units.A.user;
  let wa = await work(a);
  let eo = await expectedWork(office, fw);
  let ea = await expectedWork(a, fw);
  let wo = await work(office);
  assert.equal(wo.materials_to_review, eo.review);
  assert.equal(wo.materials_to_submit, 0, 'the office reviews; it is not asked to submit');
  assert.equal(wo.tasks_report_missing, eo.tasks.length);
  assert.equal(wa.materials_to_submit, ea.submit);
  assert.equal(wa.materials_to_review, 0);
  assert.equal(wa.tasks_report_missing, ea.tasks.length);
  assert.ok(wo.tasks_report_missing > 0 && wo.materials_to_review + eo.submit > 0, 'the demo county has work waiting');

  // a new item for A: A has one more to submit
  const std = (await ok(office.api(`/api/v1/materials/items?framework_id=${fw}&size=1`))).items[0].standard_id;
  const it = await ok(office.api('/api/v1/materials/items', {
    method: 'POST',
    body: { framework_id: fw, standard_id: std, code: 'HOME-1', title: '首页计数', type: 'report', lead_unit_id: units.A.id, deadline: '2030-12-31' },
  }), 201);
  assert.equal((await work(a)).materials_to_submit, wa.materials_to_submit + 1);
  // uploaded and submitted: it leaves A's count and joins the office's review
  const form = new FormData();
  form.append('file', new Blob([makePdf('HOME')], { type: 'application/pdf' }), 'x.pdf');
  await ok(a.api(`/api/v1/materials/items/${it.id}/versions`, { method: 'POST', raw: form }), 201);
  assert.equal((await work(a)).materials_to_submit, wa.materials_to_submit + 1, 'drafting still waits');
  await ok(a.api(`/api/v1/materials/items/${it.id}/submit`, { method: 'POST' }));
  assert.equal((await work(a)).materials_to_submit, wa.materials_to_submit);
  assert.equal((await work(office)).materials_to_review, wo.materials_to_review + 1);

  // a report on a task due one: one fewer
  if (ea.tasks.length) {
    await ok(a.api(`/api/v1/tasks/${ea.tasks[0].id}/reports`, { method: 'POST', body: { percent: 50, text: '按月报送进展' } }), 201);
    assert.equal((await work(a)).tasks_report_missing, wa.tasks_report_missing - 1);
  }
  // a leader reads but does not work: no work card, the bell's work is zero
  assert.ok(!keys(await ok(leader.api('/api/v1/home'))).includes('work'));
  assert.equal((await ok(leader.api('/api/v1/notices'))).work.total, 0);
});

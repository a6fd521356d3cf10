// assessments.test.mjs - 考核 and 问责 (docs/assessment.md) on the demo county without its
// ninety days (`wenming demo --empty`), March 2025, three towns T1, T2, T3.
//
// Problems go through the real loop (report, accept, assign, sign, submit, verify) and get
// their March times by SQL, as in rankings.test.mjs.  Tasks and material items are facts of
// other modules' tables: the test writes them by SQL with March times, so the expected totals
// below are worked by hand from these rows only, not by calling the server's code.
//
// The scheme: weights problems 40, tasks 20, materials 20, inspections 10, announcements 10;
// bands 优秀 >= 90, 良好 >= 80, 合格 >= 60, 不合格 >= 0; red top 1, black bottom 1; 问责 after 30 days.
//
// T1  problem P1 assigned 03-02, deadline 03-05, closed fixed 03-04: the ranking's rates all 1 -> 100
//     task A (03-01..03-31, T1 and T2) reported 100% on 03-20: reported, on schedule -> 100
//     items M1 (deadline 03-10, submitted 03-08, approved 03-12) and M2 (deadline 03-20,
//     submitted 03-25, never approved): on time 1/2, approved 1/2 -> 50*1/2 + 50*1/2 = 50
//     notice N1 (published 03-10, 回执 due 03-15) read 03-11, replied 03-20 (late):
//     read 1/1, on time 0/1 -> 50*1 + 50*0 = 50
//     inspections: missing
//     base = (40*100 + 20*100 + 20*50 + 10*50) / (40+20+20+10) = 7500/90 = 83.33; +2 -> 85.33 良好,
//     rank 1, red
// T2  problem P2 assigned 03-02, deadline 03-04, still rectifying: closure 0, on time 0,
//     extension 0/1 (good 1), rework and recurrence undefined -> 100 * 10*1 / (30+30+10) = 14.29
//     task A reported 50% on 03-20: reported, not on schedule (expected 100 at the deadline) -> 50
//     base = (40*14.29 + 20*50) / 60 = 1571.6/60 = 26.19 不合格, rank 3, black (no notice: missing)
// T3  task B (03-01..04-30, T3 only) not reported; 0% < 31/61 of its days -> 0
//     item M3 (deadline 03-15, submitted 03-14, approved 03-16) -> 100
//     base = (20*0 + 20*100) / 40 = 50 不合格, rank 2
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { errorBody } from './harness.mjs';
import { HOUR, sqlOn, ok, loop, demoServer } from './loop.mjs';
import { readSheet } from '../e2e/xlsx.mjs';

let srv;
let demo;
let office;
let leader;
let town1;
let category;
const T = {}; // T1, T2, T3: { id, name, user }
const P = {};
let period;

const at = (month, day, hour = 12) => Date.UTC(2025, month - 1, day, hour) - 8 * HOUR;
const sql = (text) => sqlOn(srv, text);
const post = (client, pathname, body) => client.api(pathname, { method: 'POST', body });
const close2 = (a, b) => Math.abs(a - b) < 0.005;

const SCHEME = {
  weights: { problems: 40, tasks: 20, materials: 20, inspections: 10, announcements: 10 },
  bands: [{ grade: '优秀', min: 90 }, { grade: '良好', min: 80 }, { grade: '合格', min: 60 }, { grade: '不合格', min: 0 }],
  red_top: 1,
  black_bottom: 1,
  overdue_days: 30,
};

function setTimes(id, { assigned: a, deadline, closed: c }) {
  const sets = [`first_assigned_at = ${a}`, `assigned_at = ${a}`, `deadline = ${deadline}`, `created_at = ${a - HOUR}`];
  if (c != null) sets.push(`closed_at = ${c}`);
  sql(`UPDATE problems SET ${sets.join(', ')} WHERE id = ${id}`);
}

// A task node under a plan of its own, with units; its id.
function task(tenant, title, startsOn, deadline, unitIds) {
  const created = at(2, 20);
  const plan = sql(`INSERT INTO plan_nodes (tenant_id, level, title, starts_on, deadline, created_at, updated_at)
    VALUES (${tenant}, 'plan', '考核测试计划${title}', '2025-03-01', '2025-12-31', ${created}, ${created}) RETURNING id`);
  const id = sql(`INSERT INTO plan_nodes (tenant_id, plan_id, parent_id, level, title, lead_unit_id, starts_on, deadline, created_at, updated_at)
    VALUES (${tenant}, ${plan}, ${plan}, 'task', '${title}', ${unitIds[0]}, '${startsOn}', '${deadline}', ${created}, ${created}) RETURNING id`);
  unitIds.forEach((u, i) => sql(`INSERT INTO plan_node_units (node_id, unit_id, is_lead) VALUES (${id}, ${u}, ${i === 0 ? 1 : 0})`));
  return id;
}

function report(tenant, taskId, unitId, percent, when) {
  sql(`INSERT INTO task_reports (tenant_id, task_id, unit_id, percent, text, created_at)
    VALUES (${tenant}, ${taskId}, ${unitId}, ${percent}, '进展', ${when})`);
}

// A material item of unit with its deadline, first submission and approval (ms or null).
function item(tenant, std, code, unitId, deadline, submitted, approved) {
  const created = at(2, 20);
  const id = sql(`INSERT INTO material_items (tenant_id, framework_id, standard_id, code, title, type, lead_unit_id, deadline, status, created_at, updated_at)
    VALUES (${tenant}, ${std.fw}, ${std.id}, '${code}', '考核测试材料${code}', 'report', ${unitId}, '${deadline}', '${approved ? 'approved' : 'submitted'}', ${created}, ${created}) RETURNING id`);
  sql(`INSERT INTO material_events (tenant_id, item_id, action, created_at) VALUES (${tenant}, ${id}, 'submit', ${submitted})`);
  if (approved) sql(`INSERT INTO material_events (tenant_id, item_id, action, created_at) VALUES (${tenant}, ${id}, 'approve', ${approved})`);
}

before(async () => {
  demo = await demoServer();
  ({ srv, category } = demo);
  office = await demo.as('office01');
  leader = await demo.as('leader01');
  const units = (await ok(demo.admin.api('/api/v1/units?size=500'))).items.filter((u) => u.kind === 'town');
  [T.T1, T.T2, T.T3] = await Promise.all(['town01', 'town02', 'town03'].map(async (name) => {
    const user = await demo.as(name);
    const u = units.find((x) => x.id === user.me.unit.id);
    return { id: u.id, name: u.name, user };
  }));
  town1 = T.T1.user;
  const { closed, rectifying } = loop({ reporter: office, office, category, units: T });
  P.P1 = (await closed('T1')).id;
  setTimes(P.P1, { assigned: at(3, 2), deadline: at(3, 5), closed: at(3, 4) });
  P.P2 = (await rectifying('T2')).id;
  setTimes(P.P2, { assigned: at(3, 2), deadline: at(3, 4) });

  const tenant = sql(`SELECT tenant_id FROM units WHERE id = ${T.T1.id}`);
  const a = task(tenant, '背街小巷整治A', '2025-03-01', '2025-03-31', [T.T1.id, T.T2.id]);
  report(tenant, a, T.T1.id, 100, at(3, 20));
  report(tenant, a, T.T2.id, 50, at(3, 20));
  task(tenant, '农贸市场改造B', '2025-03-01', '2025-04-30', [T.T3.id]);
  const [stdId, fw] = sql('SELECT id, framework_id FROM indicators WHERE level = 3 ORDER BY id LIMIT 1').split('|');
  const std = { id: stdId, fw };
  item(tenant, std, 'KH-1', T.T1.id, '2025-03-10', at(3, 8), at(3, 12));
  item(tenant, std, 'KH-2', T.T1.id, '2025-03-20', at(3, 25), null);
  item(tenant, std, 'KH-3', T.T3.id, '2025-03-15', at(3, 14), at(3, 16));
  const n1 = sql(`INSERT INTO announcements (tenant_id, title, body, audience, status, reply_due, created_at, updated_at, published_at)
    VALUES (${tenant}, '关于开展背街小巷整治的通知', '请按时回执', 'units', 'published', ${at(3, 15)}, ${at(3, 10)}, ${at(3, 10)}, ${at(3, 10)}) RETURNING id`);
  sql(`INSERT INTO announcement_units (announcement_id, unit_id, read_at, replied_at, reply) VALUES (${n1}, ${T.T1.id}, ${at(3, 11)}, ${at(3, 20)}, '已落实')`);
  await ok(office.api('/api/v1/assessments/scheme', { method: 'PUT', body: SCHEME }));
});

after(async () => {
  const code = await srv.stop();
  assert.equal(code, 0, `server exit code ${code}\n${srv.log().slice(-3000)}`);
});

const byUnit = (body) => Object.fromEntries(body.items.map((x) => [x.unit_id, x]));

test('scheme: bad input is refused with a Chinese message, and nothing changes', async () => {
  const bad = [
    [{ ...SCHEME, weights: { problems: -1 } }, 'weights'],
    [{ ...SCHEME, weights: { bogus: 10 } }, 'weights'],
    [{ ...SCHEME, weights: { problems: 0 } }, 'weights'],
    [{ ...SCHEME, bands: [{ grade: 'A', min: 60 }, { grade: 'B', min: 80 }] }, 'bands'],
    [{ ...SCHEME, red_top: -1 }, 'red_top'],
    [{ ...SCHEME, overdue_days: 0 }, 'overdue_days'],
    [{ ...SCHEME, extra: 1 }, 'extra'],
  ];
  for (const [body, field] of bad) {
    const r = await office.api('/api/v1/assessments/scheme', { method: 'PUT', body });
    const err = errorBody(r, assert, 422, 'invalid');
    assert.equal(err.field, field, JSON.stringify(body));
      }
  const s = await ok(office.api('/api/v1/assessments/scheme'));
  assert.deepEqual(s.weights, SCHEME.weights);
  assert.equal(s.red_top, 1);
  errorBody(await town1.api('/api/v1/assessments/scheme', { method: 'PUT', body: SCHEME }), assert, 403, 'forbidden');
});

test('periods: bad input', async () => {
  const cases = [
    [{ kind: 'quarter', from: '2025-03-01', to: '2025-03-31' }, 'kind'],
    [{ kind: 'month', from: '2025-03-32', to: '2025-03-31' }, 'from'],
    [{ kind: 'month', from: '2025-03-10', to: '2025-03-01' }, 'to'],
    [{ kind: 'year', from: '2024-01-01', to: '2025-03-01' }, 'to'],
    [{ kind: 'month', from: '2025-03-01' }, 'to'],
  ];
  for (const [body, field] of cases) {
    const r = await post(office, '/api/v1/assessments', body);
    assert.equal(errorBody(r, assert, 422, 'invalid').field, field);
  }
  assert.equal((await ok(office.api('/api/v1/assessments'))).total, 0, 'nothing was created');
  errorBody(await post(town1, '/api/v1/assessments', { kind: 'month', from: '2025-03-01', to: '2025-03-31' }), assert, 403, 'forbidden');
});

test('a month is computed, adjusted (+2 with a reason), published; the results equal the hand-worked fixture', async () => {
  period = await ok(post(office, '/api/v1/assessments', { kind: 'month', from: '2025-03-01', to: '2025-03-31' }), 201);
  assert.equal(period.title, '2025年3月考核');
  assert.equal(period.status, 'draft');
  let res = await ok(office.api(`/api/v1/assessments/${period.id}/results`));
  let u = byUnit(res);
  const t1 = u[T.T1.id], t2 = u[T.T2.id], t3 = u[T.T3.id];
  assert.equal(t1.components.problems.score, 100);
  assert.equal(t1.components.tasks.score, 100);
  assert.equal(t1.components.materials.score, 50);
  assert.equal(t1.components.inspections.score, null, 'missing, not 0');
  assert.equal(t1.components.announcements.score, 50);
  assert.deepEqual(t1.components.announcements.basis, { notices: 1, read: 1, replied_on_time: 0 });
  assert.equal(t2.components.announcements.score, null);
  assert.equal(t2.components.announcements.reason, '本期无发给该单位的通知公告');
  assert.deepEqual(t1.components.materials.basis, { items: 2, on_time: 1, approved: 1 });
  assert.ok(close2(t1.total, 83.33), `T1 ${t1.total}`);
  assert.ok(close2(t2.components.problems.score, 14.29));
  assert.equal(t2.components.tasks.score, 50);
  assert.equal(t2.components.materials.score, null);
  assert.ok(close2(t2.total, 26.19), `T2 ${t2.total}`);
  assert.equal(t3.components.problems.score, null);
  assert.equal(t3.components.tasks.score, 0, 'a present component can be 0');
  assert.equal(t3.components.materials.score, 100);
  assert.ok(close2(t3.total, 50), `T3 ${t3.total}`);
  assert.deepEqual([t1.rank, t3.rank, t2.rank], [1, 2, 3]);
  assert.deepEqual([t1.list, t3.list, t2.list], ['red', null, 'black']);
  assert.equal(t1.grade, '良好');
  // other towns have nothing: no total, no rank
  const idle = res.items.find((x) => x.unit_kind === 'town' && ![T.T1.id, T.T2.id, T.T3.id].includes(x.unit_id));
  assert.equal(idle.total, null);
  assert.equal(idle.rank, null);

  // adjustments: bad input first
  const path = `/api/v1/assessments/${period.id}/adjustments`;
  assert.equal(errorBody(await post(office, path, { unit_id: T.T1.id, points: 2 }), assert, 422, 'invalid').field, 'reason');
  assert.equal(errorBody(await post(office, path, { unit_id: T.T1.id, points: 0, reason: '零分调整' }), assert, 422, 'invalid').field, 'points');
  assert.equal(errorBody(await post(office, path, { unit_id: T.T1.id, points: 500, reason: '太多了' }), assert, 422, 'invalid').field, 'points');
  assert.equal(errorBody(await post(office, path, { unit_id: 999999, points: 2, reason: '不存在的单位' }), assert, 422, 'invalid').field, 'unit_id');
  assert.equal(errorBody(await post(office, path, { unit_id: T.T1.id, points: 2, reason: '佐证', file_ids: [999999] }), assert, 422, 'invalid').field, 'file_ids');
  errorBody(await post(leader, path, { unit_id: T.T1.id, points: 2, reason: '领导不能加分' }), assert, 403, 'forbidden');
  const adj = await ok(post(office, path, { unit_id: T.T1.id, points: 2, reason: '创建省级文明单位示范点，加 2 分' }), 201);
  assert.equal(adj.points, 2);
  assert.ok(adj.approver_name, 'the approver is the actor');

  res = await ok(office.api(`/api/v1/assessments/${period.id}/results`));
  u = byUnit(res);
  assert.ok(close2(u[T.T1.id].total, 85.33));
  assert.equal(u[T.T1.id].adjust, 2);
  assert.equal(u[T.T1.id].base, 83.33);
  assert.equal(u[T.T1.id].grade, '良好');
  assert.equal(u[T.T1.id].adjustments[0].reason, '创建省级文明单位示范点，加 2 分');

  const pub = await ok(post(office, `/api/v1/assessments/${period.id}/publish`, {}));
  assert.equal(pub.status, 'published');
  assert.ok(pub.published_at);

  // every edit now answers 409 with a Chinese message
  const edits = [
    () => post(office, path, { unit_id: T.T1.id, points: 1, reason: '发布后再加分' }),
    () => post(office, `/api/v1/assessments/${period.id}/compute`, {}),
    () => post(office, `/api/v1/assessments/${period.id}/publish`, {}),
    () => office.api(`/api/v1/assessments/${period.id}`, { method: 'PUT', body: { title: '改名' } }),
    () => office.api(`/api/v1/assessments/${period.id}`, { method: 'DELETE' }),
  ];
  for (const edit of edits) {
    const r = await edit();
    errorBody(r, assert, 409, 'conflict');
    assert.match(r.body.error.message, /已发布/);
  }
  // the data behind it changes; the published results do not
  sql(`UPDATE problems SET status = 'closed', closed_at = ${at(3, 3)}, outcome = 'fixed' WHERE id = ${P.P2}`);
  const again = await ok(office.api(`/api/v1/assessments/${period.id}/results`));
  assert.deepEqual(again.items, res.items);
  assert.deepEqual(byUnit(again)[T.T2.id].total, u[T.T2.id].total);
  assert.deepEqual(byUnit(again)[T.T1.id], u[T.T1.id]);
  sql(`UPDATE problems SET status = 'rectifying', closed_at = NULL, outcome = NULL WHERE id = ${P.P2}`);
});

test('audit: create, adjust and publish are in the log', async () => {
  const audit = await ok(office.api('/api/v1/audit?object_type=assessment&size=100'));
  const mine = audit.items.filter((a) => String(a.object_id) === String(period.id)).map((a) => a.action).reverse();
  assert.deepEqual(mine.filter((a) => a !== 'assessment.export'), ['assessment.create', 'assessment.adjust', 'assessment.publish']);
});

test('scope: a town reads only its own unit and below, never drafts; another unit\'s history is 404', async () => {
  const draft = await ok(post(office, '/api/v1/assessments', { kind: 'week', from: '2025-03-03', to: '2025-03-09' }), 201);
  errorBody(await town1.api(`/api/v1/assessments/${draft.id}`), assert, 404, 'not_found');
  errorBody(await town1.api(`/api/v1/assessments/${draft.id}/results`), assert, 404, 'not_found');
  const list = await ok(town1.api('/api/v1/assessments'));
  assert.deepEqual(list.items.map((p) => p.id), [period.id]);
  const res = await ok(town1.api(`/api/v1/assessments/${period.id}/results`));
  const all = (await ok(demo.admin.api('/api/v1/units?size=500'))).items;
  const mineIds = new Set(all.filter((x) => x.ancestors.includes(`/${T.T1.id}/`)).map((x) => x.id));
  assert.ok(res.items.some((x) => x.unit_id === T.T1.id));
  assert.ok(res.items.every((x) => mineIds.has(x.unit_id)), 'only T1 and its communities');
  assert.equal(byUnit(res)[T.T1.id].rank, 1, 'the rank is still within all towns');
  const h = await ok(town1.api(`/api/v1/assessments/units/${T.T1.id}/history?kind=month`));
  assert.equal(h.items.length, 1);
  assert.ok(close2(h.items[0].total, 85.33));
  assert.equal(h.items[0].ranked, 3);
  errorBody(await town1.api(`/api/v1/assessments/units/${T.T2.id}/history`), assert, 404, 'not_found');
  errorBody(await town1.api('/api/v1/accountability'), assert, 403, 'forbidden');
  // a draft can be recomputed and deleted
  await ok(post(office, `/api/v1/assessments/${draft.id}/compute`, {}));
  assert.equal((await office.api(`/api/v1/assessments/${draft.id}`, { method: 'DELETE' })).status, 204);
  errorBody(await office.api(`/api/v1/assessments/${draft.id}`), assert, 404, 'not_found');
});

test('export: the results as xlsx', async () => {
  const r = await fetch(`${srv.url}/api/v1/assessments/${period.id}/export`, { headers: { cookie: office.cookie } });
  assert.equal(r.status, 200);
  const rows = readSheet(Buffer.from(await r.arrayBuffer()), 500);
  const line = rows.find((row) => row.includes(T.T1.name));
  assert.ok(line, 'T1 is in the sheet');
  assert.ok(line.includes('85.33') || line.includes(85.33), JSON.stringify(line));
  assert.ok(line.includes('红榜'));
});

test('问责: black-listed twice in a row or long overdue; the office records an action', async () => {
  // April: T2 again last (nothing else changes for it; T1 and T3 have nothing in April)
  const april = await ok(post(office, '/api/v1/assessments', { kind: 'month', from: '2025-04-01', to: '2025-04-30' }), 201);
  await ok(post(office, `/api/v1/assessments/${april.id}/publish`, {}));
  let acc = await ok(office.api('/api/v1/accountability'));
  const t2 = acc.items.find((x) => x.unit_id === T.T2.id);
  assert.ok(t2, 'T2: its problem has been overdue for more than 30 days');
  assert.ok(t2.reasons.some((s) => /超期 30 天以上/.test(s)), JSON.stringify(t2.reasons));
  assert.ok(!acc.items.some((x) => x.unit_id === T.T1.id));

  // black twice in a row: two published weeks.  Week 03-01..07: T1 66.67 (red), T2 9.53, T3 0 (only
  // its task, not reported) -> T3 black.  Week 03-08..14: no problem falls due; T1 tasks 0,
  // M1 100, its notice 50 -> (20*0 + 20*100 + 10*50)/50 = 50; T2 0, T3 0 -> T2 and T3 tied last,
  // both black.  So T3 is black in both, T2 only in the later.
  const w1 = await ok(post(office, '/api/v1/assessments', { kind: 'week', from: '2025-03-01', to: '2025-03-07' }), 201);
  const w2 = await ok(post(office, '/api/v1/assessments', { kind: 'week', from: '2025-03-08', to: '2025-03-14' }), 201);
  await ok(post(office, `/api/v1/assessments/${w1.id}/publish`, {}));
  await ok(post(office, `/api/v1/assessments/${w2.id}/publish`, {}));
  const r1 = byUnit(await ok(office.api(`/api/v1/assessments/${w1.id}/results`)));
  const r2 = byUnit(await ok(office.api(`/api/v1/assessments/${w2.id}/results`)));
  acc = await ok(office.api('/api/v1/accountability'));
  assert.deepEqual([r1[T.T1.id].list, r1[T.T2.id].list, r1[T.T3.id].list], ['red', null, 'black']);
  assert.ok(close2(r1[T.T1.id].total, 66.67) && close2(r1[T.T2.id].total, 9.53));
  assert.deepEqual([r2[T.T1.id].list, r2[T.T2.id].list, r2[T.T3.id].list], ['red', 'black', 'black']);
  assert.deepEqual([r2[T.T2.id].rank, r2[T.T3.id].rank], [2, 2], 'equal totals share a rank');
  acc = await ok(office.api('/api/v1/accountability'));
  const c3 = acc.items.find((x) => x.unit_id === T.T3.id);
  assert.ok(c3 && c3.reasons.some((s) => /连续两期列入黑榜/.test(s)), JSON.stringify(c3));
  assert.ok(!acc.items.find((x) => x.unit_id === T.T2.id).reasons.some((s) => /黑榜/.test(s)), 'T2 only once');

  // record an action: bad input first
  const bad = [
    [{ unit_id: T.T2.id, action: 'fire', acted_on: '2025-05-06', text: '约谈主要负责人' }, 'action'],
    [{ unit_id: T.T2.id, action: 'talk', acted_on: '2025-05-32', text: '约谈主要负责人' }, 'acted_on'],
    [{ unit_id: T.T2.id, action: 'talk', acted_on: '2025-05-06' }, 'text'],
    [{ unit_id: 999999, action: 'talk', acted_on: '2025-05-06', text: '约谈主要负责人' }, 'unit_id'],
  ];
  for (const [body, field] of bad)
    assert.equal(errorBody(await post(office, '/api/v1/accountability', body), assert, 422, 'invalid').field, field);
  errorBody(await post(leader, '/api/v1/accountability', bad[0][0]), assert, 403, 'forbidden');
  const rec = await ok(post(office, '/api/v1/accountability', {
    unit_id: T.T2.id, action: 'talk', acted_on: '2025-05-06', text: '县创城办约谈东城街道主要负责人，限期整改超期问题', basis: t2.reasons.join('；'),
  }), 201);
  assert.equal(rec.action_name, '约谈');
  acc = await ok(leader.api('/api/v1/accountability'));
  assert.equal(acc.records[0].id, rec.id);
  assert.equal(acc.items.find((x) => x.unit_id === T.T2.id).actions, 1);
  // part of the unit's history, and audited
  const h = await ok(office.api(`/api/v1/assessments/units/${T.T2.id}/history`));
  assert.equal(h.accountability[0].id, rec.id);
  const audit = await ok(office.api('/api/v1/audit?object_type=unit&size=100'));
  assert.ok(audit.items.some((a) => a.action === 'accountability.create' && String(a.object_id) === String(T.T2.id)));
});

// inspections.test.mjs - field inspection rounds (docs/inspection.md §3-7):
// sampling reproducible from the seed, points shared among inspectors, data
// scope (an inspector not in the round gets 404, a unit user sees only its
// points' records), idempotent records (same key twice and concurrent
// retries store one record), failed items become routed problems, the score
// equals a hand-worked fixture, compare, the xlsx export re-read and the PDF
// report's text.  On the `wenming demo` county; SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, cli, errorBody, login, loginAdmin, psql, DB_KIND, ROOT } from './harness.mjs';
import { readXlsx } from './xlsx.mjs';

let srv;
let pw;
let admin;
let office;
let insp1;
let insp2;
let insp3;
const JPEG = readFileSync(path.join(ROOT, 'tests/fixtures/photo-400x200.jpg'));
const EPS = 1e-6;

// The fixture: a framework of our own with three field standards on one point type.
//   S1 weight 2 (field), S2 weight 2 (field + materials: field part 1), S3 weight 1 (field, never observed)
//   field total 4.  Items: I1 -> S1 (default credits 1 / 0.5 / 0), I2 -> S2 (fail credit 0.6).
const fx = {};

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

async function download(client, pathname) {
  const r = await fetch(srv.url + pathname, { headers: { cookie: client.cookie } });
  return { status: r.status, headers: r.headers, buf: Buffer.from(await r.arrayBuffer()) };
}

async function upload(client) {
  const form = new FormData();
  form.append('file', new Blob([JPEG], { type: 'image/jpeg' }), 'photo.jpg');
  const r = await client.api('/api/v1/files', { method: 'POST', raw: form });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

const post = (client, pathname, body, headers) => client.api(pathname, { method: 'POST', body, headers });

async function userOfUnit(unitId) {
  const r = await admin.api(`/api/v1/users?unit_id=${unitId}&size=500`);
  return r.body.items.find((u) => u.unit_id === unitId && u.enabled !== false &&
    u.roles.some((k) => k === 'unit_admin' || k === 'unit_staff'));
}

const userId = async (username) => (await ok(admin.api(`/api/v1/users?keyword=${username}&size=50`))).items.find((u) => u.username === username).id;

before(async () => {
  srv = await startServer();
  const r = await cli(['demo', '--empty'], srv.env);
  assert.equal(r.code, 0, r.stderr);
  pw = r.stdout.match(/shown once\):\s*\n\s*(\S+)/)[1];
  admin = await loginAdmin(srv);
  office = await login(srv.url, 'office01', pw);
  insp1 = await login(srv.url, 'insp01', pw);
  insp2 = await login(srv.url, 'insp02', pw);
  insp3 = await login(srv.url, 'insp03', pw);
  fx.insp1 = await userId('insp01');
  fx.insp2 = await userId('insp02');

  // three points of one type whose first point's unit has a unit user
  const types = (await ok(admin.api('/api/v1/point-types?size=100'))).items;
  const points = (await ok(admin.api('/api/v1/points?size=500'))).items;
  for (const t of types) {
    const of = points.filter((p) => p.type_id === t.id && p.unit_id);
    if (of.length < 3) continue;
    for (const p of of) {
      const u = await userOfUnit(p.unit_id);
      if (!u) continue;
      const others = of.filter((q) => q.id !== p.id && q.unit_id !== p.unit_id).slice(0, 2);
      if (others.length < 2) continue;
      fx.type = t;
      fx.points = [p, ...others];
      fx.unitUser = await login(srv.url, u.username, pw);
      break;
    }
    if (fx.type) break;
  }
  assert.ok(fx.type, 'a point type with three points, one of a unit with a user');
  fx.category = (await ok(admin.api('/api/v1/categories?size=500'))).items.find((c) => c.code === 'SR01');

  const f = await ok(office.api('/api/v1/frameworks', { method: 'POST', body: { name: '评分测试体系' } }), 201);
  fx.fid = f.id;
  const node = (body) => ok(office.api(`/api/v1/frameworks/${f.id}/indicators`, { method: 'POST', body }), 201);
  const p1 = await node({ code: 'A', title: '测试项目' });
  const c1 = await node({ parent_id: p1.id, code: 'A.1', title: '测试内容' });
  fx.s1 = await node({ parent_id: c1.id, code: 'A.1.1', title: '标准一', weight: 2, methods: ['field'] });
  fx.s2 = await node({ parent_id: c1.id, code: 'A.1.2', title: '标准二', weight: 2, methods: ['field', 'materials'] });
  fx.s3 = await node({ parent_id: c1.id, code: 'A.1.3', title: '标准三', weight: 1, methods: ['field'] });
  const cl = await ok(office.api(`/api/v1/point-types/${fx.type.id}/checklist?framework_id=${f.id}`, {
    method: 'PUT',
    body: { items: [
      { standard_id: fx.s1.id, title: '检查项一', category_id: fx.category.id },
      { standard_id: fx.s2.id, title: '检查项二', category_id: fx.category.id, credit_fail: 0.6 },
      { standard_id: fx.s3.id, title: '检查项三', category_id: fx.category.id },
    ] },
  }));
  [fx.i1, fx.i2, fx.i3] = cl.items.map((i) => i.id);
});

after(async () => {
  const code = await srv.stop();
  assert.equal(code, 0, `server exit code ${code}\n${srv.log().slice(-3000)}`);
});

test('sampling: the same seed draws the same points, another seed others; n per point type', async () => {
  const body = (seed) => ({
    title: '抽样预览', kind: 'mock', starts_on: '2026-03-01', ends_on: '2026-03-15',
    inspector_ids: [fx.insp1, fx.insp2], selection: { mode: 'sample', per_type: 2, seed },
  });
  const a = await ok(post(office, '/api/v1/inspections/preview', body(20260301)));
  const b = await ok(post(office, '/api/v1/inspections/preview', body(20260301)));
  const c = await ok(post(office, '/api/v1/inspections/preview', body(7)));
  const ids = (x) => x.points.map((p) => p.point_id).sort((m, n) => m - n);
  assert.equal(a.seed, 20260301);
  assert.deepEqual(ids(a), ids(b));
  assert.notDeepEqual(ids(a), ids(c));
  const perType = {};
  for (const p of a.points) perType[p.type_id] = (perType[p.type_id] || 0) + 1;
  assert.ok(Object.values(perType).every((n) => n <= 2));
  assert.ok(Object.keys(perType).length >= 20, 'every point type with points is sampled');
  // shared in contiguous blocks, sizes differing by at most one
  const n1 = a.points.filter((p) => p.inspector_id === fx.insp1).length;
  assert.ok(Math.abs(a.points.length - 2 * n1) <= 1);
  // the stored round has exactly the previewed points; no seed: the server picks one
  const round = await ok(post(office, '/api/v1/inspections', { ...body(20260301), title: '抽样轮次' }), 201);
  assert.equal(round.selection.seed, 20260301);
  assert.equal(round.progress.total, a.points.length);
  const pts = await ok(office.api(`/api/v1/inspections/${round.id}/points?size=500`));
  assert.deepEqual(pts.items.map((p) => p.point_id).sort((m, n) => m - n), ids(a));
  const noSeed = await ok(post(office, '/api/v1/inspections/preview', { ...body(undefined) }));
  assert.ok(Number.isInteger(noSeed.seed) && noSeed.seed >= 0);
  // bad selections: 422 naming the field, nothing stored
  const rounds = sql('SELECT COUNT(*) FROM inspections');
  let e = errorBody(await post(office, '/api/v1/inspections', { ...body(1), selection: { mode: 'sample' } }), assert, 422, 'invalid');
  assert.equal(e.field, 'selection.per_type');
  e = errorBody(await post(office, '/api/v1/inspections', { ...body(1), selection: { mode: 'random', per_type: 1 } }), assert, 422, 'invalid');
  assert.equal(e.field, 'selection.mode');
  e = errorBody(await post(office, '/api/v1/inspections', { ...body(1), kind: 'party' }), assert, 422, 'invalid');
  assert.equal(e.field, 'kind');
  e = errorBody(await post(office, '/api/v1/inspections', { ...body(1), ends_on: '2026-02-01' }), assert, 422, 'invalid');
  assert.equal(e.field, 'ends_on');
  e = errorBody(await post(office, '/api/v1/inspections', { ...body(1), inspector_ids: [] }), assert, 422, 'invalid');
  assert.equal(e.field, 'inspector_ids');
  e = errorBody(await post(office, '/api/v1/inspections', { ...body(1), selection: { mode: 'chosen', point_ids: [99999999] } }), assert, 422, 'invalid');
  assert.equal(e.field, 'selection.point_ids');
  assert.equal(sql('SELECT COUNT(*) FROM inspections'), rounds);
  errorBody(await post(insp1, '/api/v1/inspections', body(1)), assert, 403, 'forbidden');
  await ok(office.api(`/api/v1/inspections/${round.id}`, { method: 'DELETE' }), 204);
});

test('a round on the fixture: chosen points shared, scope of inspectors and units, progress', async () => {
  const round = await ok(post(office, '/api/v1/inspections', {
    title: '2026年第一季度模拟测评', kind: 'mock', framework_id: fx.fid, starts_on: '2026-03-01', ends_on: '2026-03-31',
    inspector_ids: [fx.insp1, fx.insp2], selection: { mode: 'chosen', point_ids: fx.points.map((p) => p.id) },
  }), 201);
  fx.round = round.id;
  assert.equal(round.kind_title, '模拟测评');
  assert.equal(round.status, 'open');
  assert.deepEqual(round.progress, { done: 0, total: 3 });
  assert.deepEqual(round.inspectors.map((i) => i.total).reduce((s, n) => s + n, 0), 3);
  const pts = (await ok(office.api(`/api/v1/inspections/${fx.round}/points`))).items;
  // make the assignment explicit: P1, P2 to insp01, P3 to insp02
  const [P1, P2, P3] = fx.points;
  for (const [pt, who] of [[P1, fx.insp1], [P2, fx.insp1], [P3, fx.insp2]]) {
    const r = await ok(office.api(`/api/v1/inspections/${fx.round}/points/${pt.id}`, { method: 'PUT', body: { inspector_id: who } }));
    assert.equal(r.inspector_id, who);
  }
  assert.equal(pts.length, 3);
  errorBody(await office.api(`/api/v1/inspections/${fx.round}/points/${P1.id}`, { method: 'PUT', body: { inspector_id: await userId('insp05') } }), assert, 422, 'invalid');

  // insp01 sees the round and only its points; insp03 (not in it) gets 404 everywhere
  const mine = (await ok(insp1.api(`/api/v1/inspections/${fx.round}/points`))).items;
  assert.deepEqual(mine.map((p) => p.point_id).sort(), [P1.id, P2.id].sort());
  assert.ok((await ok(insp1.api('/api/v1/inspections'))).items.some((x) => x.id === fx.round));
  assert.ok(!(await ok(insp3.api('/api/v1/inspections'))).items.some((x) => x.id === fx.round));
  errorBody(await insp3.api(`/api/v1/inspections/${fx.round}`), assert, 404, 'not_found');
  errorBody(await insp3.api(`/api/v1/inspections/${fx.round}/score`), assert, 404, 'not_found');
  errorBody(await post(insp3, `/api/v1/inspections/${fx.round}/records`, { client_key: 'k-insp3', point_id: P1.id, observations: [{ item_id: fx.i1, rating: 'pass' }] }), assert, 404, 'not_found');
  // a point of the round assigned to someone else is not the inspector's: 404
  errorBody(await post(insp2, `/api/v1/inspections/${fx.round}/records`, { client_key: 'k-x', point_id: P1.id, observations: [{ item_id: fx.i1, rating: 'pass' }] }), assert, 404, 'not_found');
  const cl = await ok(insp1.api(`/api/v1/inspections/${fx.round}/checklists`));
  assert.deepEqual(cl.point_types.map((t) => t.id), [fx.type.id]);
  assert.equal(cl.point_types[0].items.length, 3);
});

test('records: validation, idempotent by key (twice, and concurrent retries), failed items become routed problems', async () => {
  const [P1, P2, P3] = fx.points;
  const url = `/api/v1/inspections/${fx.round}/records`;
  const problemsBefore = Number(sql('SELECT COUNT(*) FROM problems'));
  const bad = [
    [{ point_id: P1.id, observations: [{ item_id: fx.i1, rating: 'pass' }] }, 'client_key'],
    [{ client_key: 'bad key!', point_id: P1.id, observations: [{ item_id: fx.i1, rating: 'pass' }] }, 'client_key'],
    [{ client_key: 'k1', point_id: P1.id, observations: [] }, 'observations'],
    [{ client_key: 'k1', point_id: P1.id, observations: [{ item_id: fx.i1, rating: 'good' }] }, 'observations[0].rating'],
    [{ client_key: 'k1', point_id: P1.id, observations: [{ item_id: 99999999, rating: 'pass' }] }, 'observations[0].item_id'],
    [{ client_key: 'k1', point_id: P1.id, observations: [{ item_id: fx.i1, rating: 'pass' }, { item_id: fx.i1, rating: 'fail' }] }, 'observations[1].item_id'],
    [{ client_key: 'k1', point_id: P1.id, lat: 30, observations: [{ item_id: fx.i1, rating: 'pass' }] }, 'lng'],
    [{ client_key: 'k1', point_id: P1.id, captured_at: Date.now() + 3 * 86400000, observations: [{ item_id: fx.i1, rating: 'pass' }] }, 'captured_at'],
    [{ client_key: 'k1', point_id: P1.id, observations: [{ item_id: fx.i1, rating: 'fail', photo_ids: [99999999] }] }, 'observations[0].photo_ids'],
  ];
  for (const [body, field] of bad) {
    const e = errorBody(await post(insp1, url, body), assert, 422, 'invalid');
    assert.equal(e.field, field, JSON.stringify(body));
  }
  let e = errorBody(await post(insp1, url, { client_key: 'a', point_id: P1.id, observations: [{ item_id: fx.i1, rating: 'pass' }] }, { 'idempotency-key': 'b' }), assert, 422, 'invalid');
  assert.equal(e.field, 'client_key');
  assert.equal(sql('SELECT COUNT(*) FROM inspection_records'), '0');

  // P1 (insp01): I1 pass, I2 fail (count 3, a photo) -> one problem
  const photo = await upload(insp1);
  const body1 = {
    point_id: P1.id, lat: 30.1, lng: 120.1, captured_at: '2026-03-02T09:30:00+08:00', note: '上午',
    observations: [
      { item_id: fx.i1, rating: 'pass' },
      { item_id: fx.i2, rating: 'fail', count: 3, note: '烟头较多', photo_ids: [photo] },
    ],
  };
  const r1 = await ok(post(insp1, url, body1, { 'idempotency-key': 'rec-p1-0001' }), 201);
  assert.equal(r1.client_key, 'rec-p1-0001');
  assert.equal(r1.inspector_id, fx.insp1);
  assert.deepEqual(r1.summary, { observations: 2, pass: 1, fail: 1, severe: 0, na: 0, rate: 0.8 });
  const failed = r1.observations.find((o) => o.item_id === fx.i2);
  assert.equal(failed.credit, 0.6);
  assert.ok(failed.problem_id, 'a problem for the failed item');
  assert.match(failed.problem_code, /^\d{4}-\d{6}$/);

  // the same key again: 200, the stored record, nothing new
  const again = await ok(post(insp1, url, { ...body1, note: '重试时改了也不算' }, { 'idempotency-key': 'rec-p1-0001' }), 200);
  assert.equal(again.id, r1.id);
  assert.equal(again.replayed, true);
  assert.equal(again.note, '上午');
  // the key in the body works the same way
  assert.equal((await ok(post(insp1, url, { ...body1, client_key: 'rec-p1-0001' }), 200)).id, r1.id);
  // another key for a point with a record: 409
  e = errorBody(await post(insp1, url, { ...body1, client_key: 'rec-p1-0002' }), assert, 409, 'conflict');
  assert.equal(e.field, 'point_id');
  // the same key from another user: 409
  errorBody(await post(insp2, url, { ...body1, point_id: P3.id, client_key: 'rec-p1-0001' }), assert, 409, 'conflict');
  assert.equal(sql(`SELECT COUNT(*) FROM inspection_records WHERE inspection_id = ${fx.round}`), '1');
  assert.equal(Number(sql('SELECT COUNT(*) FROM problems')), problemsBefore + 1);

  // the problem: routed by the point, the round's kind as its source, the photo, linked back
  const prob = await ok(office.api(`/api/v1/problems/${failed.problem_id}`));
  assert.equal(prob.source, 'mock');
  assert.equal(prob.point_id, P1.id);
  assert.equal(prob.category_id, fx.category.id);
  assert.equal(prob.status, 'reported');
  assert.equal(prob.suggested_unit_id, P1.unit_id, 'routed to the point\'s unit');
  // the finding first: the inspector's note, then the item, the rating, the round kind and the point
  assert.match(prob.description, /^烟头较多（检查项二，不合格，数量 3；模拟测评：/);
  assert.deepEqual(prob.photos.filter((p) => p.kind === 'before').map((p) => p.file_id), [photo]);
  const ev = prob.events[0];
  assert.equal(ev.action, 'report');
  assert.equal(ev.detail.inspection_id, fx.round);
  assert.equal(ev.detail.observation_id, failed.id);

  // P2 (insp01): concurrent retries of one key -> one record, one problem
  const body2 = { client_key: 'rec-p2-0001', point_id: P2.id, observations: [{ item_id: fx.i1, rating: 'fail' }, { item_id: fx.i2, rating: 'na' }] };
  const results = await Promise.all(Array.from({ length: 6 }, () => post(insp1, url, body2)));
  const statuses = results.map((r) => r.status).sort();
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 201], results.map((r) => r.text).join('\n'));
  assert.equal(new Set(results.map((r) => r.body.id)).size, 1);
  assert.equal(sql(`SELECT COUNT(*) FROM inspection_records WHERE inspection_id = ${fx.round}`), '2');
  assert.equal(Number(sql('SELECT COUNT(*) FROM problems')), problemsBefore + 2);

  // P3 (insp02): I1 severe -> a severe problem; I2 pass
  const r3 = await ok(post(insp2, url, { client_key: 'rec-p3-0001', point_id: P3.id, observations: [{ item_id: fx.i1, rating: 'severe' }, { item_id: fx.i2, rating: 'pass' }] }), 201);
  const p3prob = await ok(office.api(`/api/v1/problems/${r3.observations[0].problem_id}`));
  assert.equal(p3prob.severity, 3);
  assert.equal(Number(sql('SELECT COUNT(*) FROM problems')), problemsBefore + 3);
  fx.r1 = r1.id;
  fx.r3 = r3.id;

  // the problem list filters by round and standard
  let list = await ok(office.api(`/api/v1/problems?inspection_id=${fx.round}`));
  assert.equal(list.total, 3);
  list = await ok(office.api(`/api/v1/problems?inspection_id=${fx.round}&standard_id=${fx.s1.id}`));
  assert.equal(list.total, 2);

  // scope on records: insp01 cannot read insp02's record; the unit user sees only P1's
  errorBody(await insp1.api(`${url}/${r3.id}`), assert, 404, 'not_found');
  const unitList = await ok(fx.unitUser.api(url));
  assert.deepEqual(unitList.items.map((x) => x.point_id), [P1.id]);
  errorBody(await fx.unitUser.api(`${url}/${r3.id}`), assert, 404, 'not_found');
  errorBody(await post(fx.unitUser, url, { client_key: 'u1', point_id: P1.id, observations: [{ item_id: fx.i1, rating: 'pass' }] }), assert, 403, 'forbidden');

  // progress
  const round = await ok(office.api(`/api/v1/inspections/${fx.round}`));
  assert.deepEqual(round.progress, { done: 3, total: 3 });
  assert.deepEqual(round.inspectors.map((i) => [i.id, i.done, i.total]), [[fx.insp1, 2, 2], [fx.insp2, 1, 1]]);
  assert.ok(Number(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'inspection_record.create'`)) === 3);
});

test('the score equals the hand-worked fixture', async () => {
  // S1: P1 pass 1, P2 fail 0.5, P3 severe 0 -> rate 0.5, field weight 2, score 1, lost 1
  // S2: P1 fail 0.6 (item credit), P2 n/a, P3 pass 1 -> rate 0.8, field weight 1, score 0.8, lost 0.2
  // S3: unobserved.  score 1.8 over observed weight 3 of 4: predicted 2.4, coverage 0.75,
  // overall rate (1 + 0.5 + 0 + 0.6 + 1) / 5 = 0.62.
  const s = await ok(office.api(`/api/v1/inspections/${fx.round}/score`));
  assert.equal(s.field_total, 4);
  assert.ok(Math.abs(s.score - 1.8) < EPS, s.score);
  assert.ok(Math.abs(s.predicted - 2.4) < EPS, s.predicted);
  assert.ok(Math.abs(s.rate - 0.62) < EPS);
  assert.deepEqual(s.coverage, { ratio: 0.75, observed_weight: 3, standards_observed: 2, standards_total: 3 });
  assert.deepEqual(s.observations, { total: 6, rated: 5, pass: 2, fail: 2, severe: 1, na: 1 });
  const byCode = Object.fromEntries(s.standards.map((x) => [x.code, x]));
  assert.equal(byCode['A.1.1'].rate, 0.5);
  assert.equal(byCode['A.1.1'].lost, 1);
  assert.equal(byCode['A.1.2'].field_weight, 1);
  assert.equal(byCode['A.1.2'].rate, 0.8);
  assert.equal(byCode['A.1.3'].observed, 0);
  assert.equal(byCode['A.1.3'].rate, null);
  // where we lose points: S1 (1.0) then S2 (0.2); S1's loss by point P3 0.67, P2 0.33
  assert.deepEqual(s.losses.map((l) => [l.code, l.lost]), [['A.1.1', 1], ['A.1.2', 0.2]]);
  const [P1, P2, P3] = fx.points;
  assert.deepEqual(s.losses[0].points.slice(0, 2).map((p) => [p.point_id, p.lost]), [[P3.id, 0.67], [P2.id, 0.33]]);
  assert.equal(s.losses[0].problem_ids.length, 2);
  assert.equal(s.losses[0].failed, 2);
  assert.equal(s.losses[1].problem_ids.length, 1);
  // groups add up to the total lost
  const lostSum = s.by_point.reduce((t, p) => t + p.lost, 0);
  assert.ok(Math.abs(lostSum - 1.2) < 0.011);
  assert.equal(s.by_point_type.length, 1);
  assert.ok(Math.abs(s.by_point_type[0].lost - 1.2) < EPS);
  assert.equal(s.by_project[0].code, 'A');
  assert.ok(Math.abs(s.by_project[0].rate - 0.6) < EPS);

  // an inspector's score covers their own points only (P1, P2)
  const mine = await ok(insp1.api(`/api/v1/inspections/${fx.round}/score`));
  assert.equal(mine.observations.total, 4);
  assert.deepEqual(mine.points, { done: 2, total: 2 });
});

test('changing a record keeps the problem of an item still failed; a closed round refuses records', async () => {
  const url = `/api/v1/inspections/${fx.round}/records/${fx.r1}`;
  const before = await ok(office.api(url));
  const oldProblem = before.observations.find((o) => o.item_id === fx.i2).problem_id;
  const problems = sql('SELECT COUNT(*) FROM problems');
  errorBody(await insp2.api(url, { method: 'PUT', body: { observations: [{ item_id: fx.i1, rating: 'pass' }] } }), assert, 404, 'not_found');
  const upd = await ok(insp1.api(url, { method: 'PUT', body: { note: '复查', observations: [
    { item_id: fx.i1, rating: 'pass' }, { item_id: fx.i2, rating: 'severe' }, { item_id: fx.i3, rating: 'na' },
  ] } }));
  assert.equal(upd.note, '复查');
  assert.equal(upd.observations.find((o) => o.item_id === fx.i2).problem_id, oldProblem);
  assert.equal(sql('SELECT COUNT(*) FROM problems'), problems, 'no second problem');
  // back to the fixture's ratings
  await ok(insp1.api(url, { method: 'PUT', body: { note: '上午', observations: [
    { item_id: fx.i1, rating: 'pass' }, { item_id: fx.i2, rating: 'fail', count: 3, note: '烟头较多' },
  ] } }));
  await ok(post(office, `/api/v1/inspections/${fx.round}/close`));
  errorBody(await post(office, `/api/v1/inspections/${fx.round}/close`), assert, 409, 'conflict');
  errorBody(await insp1.api(url, { method: 'PUT', body: { observations: [{ item_id: fx.i1, rating: 'pass' }] } }), assert, 409, 'conflict');
  errorBody(await office.api(`/api/v1/frameworks/${fx.fid}/indicators/${fx.s1.id}`, { method: 'PUT', body: { weight: 3 } }), assert, 409, 'conflict');
  errorBody(await office.api(`/api/v1/inspections/${fx.round}`, { method: 'DELETE' }), assert, 409, 'conflict');
});

test('compare two rounds by standard and point', async () => {
  const [P1, P2, P3] = fx.points;
  const round2 = await ok(post(office, '/api/v1/inspections', {
    title: '第二轮', kind: 'daily', framework_id: fx.fid, starts_on: '2026-04-01', ends_on: '2026-04-10',
    inspector_ids: [fx.insp1], selection: { mode: 'chosen', point_ids: [P1.id, P3.id] },
  }), 201);
  const url = `/api/v1/inspections/${round2.id}/records`;
  await ok(post(insp1, url, { client_key: 'r2-p1', point_id: P1.id, observations: [{ item_id: fx.i1, rating: 'pass' }, { item_id: fx.i2, rating: 'pass' }] }), 201);
  await ok(post(insp1, url, { client_key: 'r2-p3', point_id: P3.id, observations: [{ item_id: fx.i1, rating: 'pass' }, { item_id: fx.i2, rating: 'severe' }, { item_id: fx.i3, rating: 'pass' }] }), 201);
  const c = await ok(office.api(`/api/v1/inspections/${round2.id}/compare?with=${fx.round}`));
  const std = Object.fromEntries(c.standards.map((x) => [x.code, x]));
  assert.equal(std['A.1.1'].trend, 'rose');
  assert.equal(std['A.1.1'].delta, 0.5);
  assert.equal(std['A.1.2'].trend, 'fell');
  assert.ok(Math.abs(std['A.1.2'].delta - (-0.3)) < EPS);
  assert.equal(std['A.1.3'].trend, 'new');
  assert.equal(c.standards[0].code, 'A.1.2', 'biggest fall first');
  const pt = Object.fromEntries(c.points.map((x) => [x.point_id, x]));
  assert.equal(pt[P2.id].trend, 'gone');
  assert.equal(pt[P3.id].trend, 'rose');
  errorBody(await office.api(`/api/v1/inspections/${round2.id}/compare?with=${round2.id}`), assert, 422, 'invalid');
  errorBody(await office.api(`/api/v1/inspections/${round2.id}/compare?with=99999999`), assert, 404, 'not_found');
});

test('exports: the xlsx re-reads with four sheets; the PDF report carries the Chinese text', async () => {
  errorBody(await insp1.api(`/api/v1/inspections/${fx.round}/export`), assert, 403, 'forbidden');
  const x = await download(office, `/api/v1/inspections/${fx.round}/export`);
  assert.equal(x.status, 200);
  const book = readXlsx(x.buf);
  assert.deepEqual(book.sheets, ['汇总', '按标准', '按点位', '观测记录']);
  const summary = Object.fromEntries(book.rows.slice(1).map((r) => [r[0], r[1]]));
  assert.equal(summary['预测实地得分'], '2.40');
  assert.equal(summary['实地考察满分'], '4.00');
  const std = readXlsx(x.buf, 2).rows;
  assert.deepEqual(std[0], ['标准编码', '测评标准', '实地分值', '观测次数', '得分率', '得分', '失分']);
  assert.deepEqual(std[1].slice(0, 5), ['A.1.1', '标准一', '2', '3', '0.5']);
  assert.equal(readXlsx(x.buf, 3).rows.length, 4);
  const obs = readXlsx(x.buf, 4).rows;
  assert.equal(obs.length, 7);
  assert.ok(obs.some((r) => r[4] === '严重不合格' && /^\d{4}-\d{6}$/.test(r[9])));

  const pdf = await download(office, `/api/v1/inspections/${fx.round}/report.pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.equal(pdf.buf.subarray(0, 5).toString(), '%PDF-');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wenming-insp-'));
  try {
    writeFileSync(path.join(dir, 'r.pdf'), pdf.buf);
    const text = execFileSync('pdftotext', ['-layout', path.join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
    for (const s of ['2026年第一季度模拟测评', '预测得分', '2.40', '各测评项目得分率', '失分情况', '典型问题', '标准一', '严重不合格'])
      assert.ok(text.includes(s), `PDF text has ${s}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action IN ('inspection.export', 'inspection.report')`), '2');
});

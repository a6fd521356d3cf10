// settings.test.mjs - tenant settings (GET/PUT /settings, 参数设置): defaults,
// validation (422 naming the field, nothing changed), audit, permissions, and
// the recurrence rule of problem reporting following them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { errorBody } from './harness.mjs';
import { sqlOn, ok, loop, demoServer } from './loop.mjs';

let srv;
let admin;
let office;
let leader;
let staff;
let flow;
const DEFAULTS = {
  recur_distance_m: 100, recur_window_days: 30,
  weight_closure: 30, weight_on_time: 30, weight_rework: 15, weight_recurrence: 15, weight_extension: 10,
  grade_a: 90, grade_b: 75, grade_c: 60, grade_d: 40, proxy_enabled: false,
  sheet_number_format: '交办〔{YYYY}〕{NNN}',
  bulletin_number_format: '督查情况〔{YYYY}〕第{N}期',
};

const current = async () => {
  const s = await ok(office.api('/api/v1/settings'));
  const { defaults, updated_at: _a, updated_by_name: _b, ...values } = s;
  assert.deepEqual(defaults, DEFAULTS);
  return values;
};
const put = (body) => office.api('/api/v1/settings', { method: 'PUT', body });

before(async () => {
  const demo = await demoServer();
  ({ srv, admin } = demo);
  const { category } = demo;
  office = await demo.as('office01');
  leader = await demo.as('leader01');
  staff = await demo.as('dept01s');
  const unit = { id: staff.me.unit_id ?? staff.me.unit.id, user: staff };
  flow = loop({ reporter: office, office, category, units: { U: unit } });
});

after(async () => {
  const code = await srv.stop();
  assert.equal(code, 0, `server exit code ${code}\n${srv.log().slice(-3000)}`);
});

test('a tenant that never saved has the defaults; leaders read, units do not', async () => {
  const s = await ok(office.api('/api/v1/settings'));
  assert.equal(s.updated_at, null);
  assert.equal(s.updated_by_name, null);
  assert.deepEqual(await current(), DEFAULTS);
  await ok(leader.api('/api/v1/settings'));
  errorBody(await leader.api('/api/v1/settings', { method: 'PUT', body: DEFAULTS }), assert, 403, 'forbidden');
  errorBody(await staff.api('/api/v1/settings'), assert, 403, 'forbidden');
});

test('PUT replaces every value, answers the new settings and is audited with what changed', async () => {
  const next = { ...DEFAULTS, recur_distance_m: 150, weight_closure: 40, weight_extension: 0, grade_b: 80 };
  const s = await ok(put(next));
  assert.equal(s.recur_distance_m, 150);
  assert.equal(s.weight_closure, 40);
  assert.equal(s.updated_by_name, office.me.name);
  assert.ok(s.updated_at > Date.now() - 60000);
  assert.deepEqual(await current(), next);
  const row = (await ok(admin.api('/api/v1/audit?action=settings.update&size=1'))).items[0];
  assert.equal(row.object_type, 'tenant');
  assert.deepEqual(row.summary, {
    recur_distance_m: [100, 150], weight_closure: [30, 40], weight_extension: [10, 0], grade_b: [75, 80],
  });
  await ok(put(DEFAULTS));
});

test('bad values: 422 naming the field, nothing changed', async () => {
  const before = await current();
  const cases = [
    [{ recur_distance_m: 5 }, 'recur_distance_m'],
    [{ recur_distance_m: 5001 }, 'recur_distance_m'],
    [{ recur_distance_m: 100.5 }, 'recur_distance_m'],
    [{ recur_window_days: 0 }, 'recur_window_days'],
    [{ recur_window_days: 366 }, 'recur_window_days'],
    [{ recur_window_days: '30' }, 'recur_window_days'],
    [{ weight_rework: -5, weight_closure: 50 }, 'weight_rework'],
    [{ weight_rework: 16 }, 'weights'],
    [{ weight_closure: 101 }, 'weight_closure'],
    [{ grade_a: 101 }, 'grade_a'],
    [{ grade_b: 90 }, 'grade_b'],
    [{ grade_d: 60 }, 'grade_d'],
    [{ grade_d: 0 }, 'grade_d'],
    [{ extra: 1 }, 'extra'],
  ];
  for (const [change, field] of cases) {
    const e = errorBody(await put({ ...DEFAULTS, ...change }), assert, 422, 'invalid');
    assert.equal(e.field, field, JSON.stringify(change));
  }
  const { grade_c: _, ...missing } = DEFAULTS;
  assert.equal(errorBody(await put(missing), assert, 422, 'invalid').field, 'grade_c');
  errorBody(await office.api('/api/v1/settings', { method: 'PUT', raw: '{"grade_a":', headers: { 'content-type': 'application/json' } }), assert, 400, 'bad_request');
  errorBody(await office.api('/api/v1/settings', { method: 'PUT', raw: 'x', headers: { 'content-type': 'text/plain' } }), assert, 415, 'unsupported_media_type');
  assert.deepEqual(await current(), before);
});

test('recurrence (反弹) follows the distance and window of the settings', async () => {
  const place = flow.spot();
  const first = await flow.closed('U', 'fixed', place);
  const near = { lat: place.lat + 0.0005, lng: place.lng }; // about 56 m north

  await ok(put({ ...DEFAULTS, recur_distance_m: 50 }));
  assert.equal((await flow.report(near)).recurrence_of, null, '56 m is beyond 50 m');
  await ok(put({ ...DEFAULTS, recur_distance_m: 60 }));
  assert.equal((await flow.report(near)).recurrence_of, first.id, '56 m is within 60 m');

  // closed ten days ago: outside a 7-day window, inside the default 30 days
  sqlOn(srv, `UPDATE problems SET closed_at = ${Date.now() - 10 * 86400 * 1000} WHERE id = ${first.id}`);
  await ok(put({ ...DEFAULTS, recur_window_days: 7 }));
  assert.equal((await flow.report(place)).recurrence_of, null, 'closed 10 days ago, window 7 days');
  await ok(put(DEFAULTS));
  const again = await flow.report(place);
  assert.equal(again.recurrence_of, first.id, 'window 30 days');
  assert.equal(again.is_recurrence, true);
});

test('the office sets the 测评日期: 200, audited, shown to the tenant; a unit user 403; bad dates 422', async () => {
  // GET /me carries the tenant, whose eval_date the home page counts down to
  const evalDate = async () => (await ok(office.api('/api/v1/me'))).tenant.eval_date;
  const was = await evalDate();
  const audits = async () => (await ok(admin.api('/api/v1/audit?action=settings.eval_date&size=500'))).items;
  const n0 = (await audits()).length;
  const r = await ok(office.api('/api/v1/settings/eval-date', { method: 'PUT', body: { eval_date: '2027-05-20' } }));
  assert.equal(r.eval_date, '2027-05-20');
  assert.equal(await evalDate(), '2027-05-20');
  // the leader's home page shows the same date
  assert.equal((await ok(leader.api('/api/v1/me'))).tenant.eval_date, '2027-05-20');
  const rows = await audits();
  assert.equal(rows.length, n0 + 1);
  assert.equal(rows[0].username, 'office01');
  assert.deepEqual(rows[0].summary, { eval_date: [was, '2027-05-20'] });

  errorBody(await staff.api('/api/v1/settings/eval-date', { method: 'PUT', body: { eval_date: '2027-06-01' } }), assert, 403, 'forbidden');
  errorBody(await leader.api('/api/v1/settings/eval-date', { method: 'PUT', body: { eval_date: '2027-06-01' } }), assert, 403, 'forbidden');
  for (const bad of ['2027-02-30', '明天', '2027-5-1', 20270501, true]) {
    const e = errorBody(await office.api('/api/v1/settings/eval-date', { method: 'PUT', body: { eval_date: bad } }), assert, 422, 'invalid');
    assert.equal(e.field, 'eval_date');
  }
  errorBody(await office.api('/api/v1/settings/eval-date', { method: 'PUT', body: { eval_date: '2027-06-01', x: 1 } }), assert, 422, 'invalid');
  assert.equal(await evalDate(), '2027-05-20', 'nothing changed');
  assert.equal((await audits()).length, n0 + 1);

  // cleared with null
  assert.equal((await ok(office.api('/api/v1/settings/eval-date', { method: 'PUT', body: { eval_date: null } }))).eval_date, null);
  assert.equal(await evalDate(), null);
  await ok(office.api('/api/v1/settings/eval-date', { method: 'PUT', body: { eval_date: was } }));
});

// dashboard.test.mjs - the leaders' 驾驶舱 (docs/dashboard.md) on the demo county:
// predicted.total = field + questionnaire + materials, each part equal to what
// its own module's endpoint answers; the top at_risk line regains what it says
// when its fixes are applied (a field line: its failed observations re-inspected
// as 合格; a materials line: its items approved as 完全符合); a part without data
// is null with a reason, never 0; who may read it (leaders and the office; a
// unit's liaison, an inspector 403; no session 401).  SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cli, errorBody, login, loginAdmin, api } from './harness.mjs';
import { makePdf } from './docs-fixtures.mjs';

let srv;
let office;
let leader;
let pw;
const EPS = 0.011; // parts are rounded to 2-4 decimals, the total to 2

async function ok(resPromise, status = 200) {
  const res = await resPromise;
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  return res.body;
}

const dashboard = (client = leader) => ok(client.api('/api/v1/dashboard'));
const near = (a, b, eps, msg) => assert.ok(Math.abs(a - b) <= eps, `${msg}: ${a} vs ${b}`);

before(async () => {
  srv = await startServer();
  const r = await cli(['demo'], srv.env);
  assert.equal(r.code, 0, r.stderr);
  pw = r.stdout.match(/shown once\):\s*\n\s*(\S+)/)[1];
  office = await login(srv.url, 'office01', pw);
  leader = await login(srv.url, 'leader01', pw);
});

after(async () => {
  await srv?.stop();
});

test('predicted.total is field + questionnaire + materials, each as its own module answers', async () => {
  const d = await dashboard();
  const p = d.predicted;
  for (const k of ['field', 'questionnaire', 'materials']) {
    assert.equal(typeof p[k].score, 'number', `${k} is present in the demo county`);
    assert.ok(p[k].max > 0 && p[k].basis && p[k].basis.text && p[k].date, `${k} has max, basis and date`);
  }
  near(p.total.score, p.field.score + p.questionnaire.score + p.materials.score, EPS, 'total = sum');
  assert.equal(p.total.complete, true);
  near(p.total.max, 100, 0.01, 'the national split adds up to 100');

  const round = await ok(leader.api(`/api/v1/inspections/${p.field.basis.inspection_id}/score`));
  near(p.field.score, round.predicted, 1e-9, 'field = the round score predicted');
  near(p.field.max, round.field_total, 1e-9, 'field max = the round field total');
  const res = await ok(leader.api(`/api/v1/surveys/${p.questionnaire.basis.survey_id}/results`));
  near(p.questionnaire.score, res.predicted, 1e-9, 'questionnaire = the survey results predicted');
  const ms = await ok(leader.api(`/api/v1/materials/score?framework_id=${d.framework.id}`));
  near(p.materials.score, ms.predicted, 1e-9, 'materials = the materials score predicted');
  assert.equal(p.materials.basis.items, ms.items);

  // the rest of the screen
  assert.ok(Number.isInteger(d.countdown_days), 'the demo county has an evaluation date');
  assert.equal(d.problems.length, 12);
  assert.ok(d.problems.some((w) => w.reported > 0 && w.closed > 0));
  assert.ok(d.units.top.length > 0 && d.units.bottom.length > 0);
  assert.ok(d.units.top[0].score >= d.units.bottom[0].score);
  assert.equal(d.trend.at(-1).week, d.week);
  near(d.trend.at(-1).total, p.total.score, 1e-9, 'this week is kept for the trend');
  assert.ok(p.negative && typeof p.negative.deduction === 'number');
  assert.ok('minors' in p);
});

test('at_risk is ranked by points per unit of work, each line with its records', async () => {
  const { at_risk: lines } = await dashboard();
  assert.ok(lines.length >= 3);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    assert.equal(l.rank, i + 1);
    assert.ok(l.points > 0 && l.effort > 0 && l.action && l.link && l.ids, JSON.stringify(l));
    near(l.per_effort, l.points / l.effort, 1e-4, 'per_effort');
    if (i) assert.ok(lines[i - 1].per_effort >= l.per_effort, 'sorted by points per unit of work');
  }
  assert.ok(lines.some((l) => l.kind === 'materials'));
  assert.ok(lines.some((l) => l.kind === 'field'));
});

// Re-inspect: the record's observations in ids rated 合格, the others as they were.
async function reinspect(inspectionId, observationIds) {
  const recs = await ok(office.api(`/api/v1/inspections/${inspectionId}/records?limit=1000`));
  const touched = (recs.items || []).filter((r) => observationIds.some((id) => (r.observations || []).some((o) => o.id === id)));
  const ids = recs.items && recs.items[0] && recs.items[0].observations ? null : true;
  const records = [];
  if (ids) {
    for (const r of recs.items) records.push(await ok(office.api(`/api/v1/inspections/${inspectionId}/records/${r.id}`)));
  } else records.push(...touched);
  let changed = 0;
  for (const rec of records) {
    if (!rec.observations.some((o) => observationIds.includes(o.id))) continue;
    const observations = rec.observations.map((o) => {
      if (observationIds.includes(o.id)) {
        changed++;
        return { item_id: o.item_id, rating: 'pass' };
      }
      const x = { item_id: o.item_id, rating: o.rating, count: o.count, note: o.note, photo_ids: o.photo_ids };
      for (const k of ['level', 'shortfalls', 'rate']) if (o[k] !== undefined && o[k] !== null) x[k] = o[k];
      return x;
    });
    await ok(office.api(`/api/v1/inspections/${inspectionId}/records/${rec.id}`, { method: 'PUT', body: { note: rec.note, observations } }));
  }
  assert.equal(changed, observationIds.length, 'every observation of the line was re-inspected');
}

// Approve as 完全符合: the office uploads a version, submits it and approves it.
async function approve(itemId) {
  const path = `/api/v1/materials/items/${itemId}`;
  let item = await ok(office.api(path));
  if (!['submitted'].includes(item.status)) {
    const form = new FormData();
    form.append('file', new Blob([makePdf(`ITEM-${itemId}`)], { type: 'application/pdf' }), 'r.pdf');
    await ok(office.api(`${path}/versions`, { method: 'POST', raw: form }), 201);
    item = await ok(office.api(`${path}/submit`, { method: 'POST' }));
  }
  const v = item.version_list[0];
  await ok(office.api(`${path}/review`, { method: 'POST', body: { version_id: v.id, decision: 'approve', rating: 'full' } }));
}

async function apply(line) {
  if (line.kind === 'field') await reinspect(line.ids.inspection_id, line.ids.observation_ids);
  else if (line.kind === 'materials') for (const id of line.ids.material_ids) await approve(id);
  else throw new Error(`no way to apply a ${line.kind} line in the test`);
}

test('the top at_risk line regains what it says when its fixes are applied', async () => {
  const d0 = await dashboard();
  const top = d0.at_risk[0];
  assert.notEqual(top.kind, 'questionnaire', 'the demo top line is one the test can apply');
  await apply(top);
  const d1 = await dashboard();
  near(d1.predicted.total.score - d0.predicted.total.score, top.points, 0.02, `top line "${top.action}"`);
  assert.ok(!d1.at_risk.some((l) => JSON.stringify(l.ids) === JSON.stringify(top.ids)), 'the line is gone');
});

test('a materials line regains what it says when its items are approved', async () => {
  const d0 = await dashboard();
  const line = d0.at_risk.find((l) => l.kind === 'materials');
  assert.ok(line, 'a materials line');
  await apply(line);
  const d1 = await dashboard();
  near(d1.predicted.materials.score - d0.predicted.materials.score, line.points, 0.001, 'materials part');
  near(d1.predicted.total.score - d0.predicted.total.score, line.points, 0.02, 'total');
});

test('a county without data shows each part as missing (null and a reason), not 0', async () => {
  const bare = await startServer();
  try {
    const admin = await loginAdmin(bare);
    const d = await dashboard(admin);
    for (const k of ['field', 'questionnaire', 'materials']) {
      assert.equal(d.predicted[k].score, null, `${k} is null`);
      assert.match(d.predicted[k].reason, /[\u4e00-\u9fff]/);
    }
    assert.equal(d.predicted.total.score, null);
    assert.deepEqual(d.at_risk, []);
    assert.deepEqual(d.trend, [], 'nothing is kept for a week without figures');
  } finally {
    await bare.stop();
  }
});

test('who may read it: leaders and the office; units and inspectors 403; no session 401', async () => {
  await dashboard(office);
  for (const name of ['dept01', 'comm01', 'insp01', 'grid01']) {
    const c = await login(srv.url, name, pw);
    errorBody(await c.api('/api/v1/dashboard'), assert, 403, 'forbidden');
  }
  const anon = await api(srv.url, '/api/v1/dashboard');
  assert.equal(anon.status, 401);
  // the menu: the leader's and the office's, not a unit's
  const me = await ok(leader.api('/api/v1/me'));
  assert.ok(JSON.stringify(me.menu || me).includes('/dashboard'));
  const unit = await login(srv.url, 'dept01', pw);
  const um = await ok(unit.api('/api/v1/me'));
  assert.ok(!JSON.stringify(um.menu || um).includes('/dashboard'));
});

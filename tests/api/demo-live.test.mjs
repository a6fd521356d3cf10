// demo-live.test.mjs - right after `wenming demo` the county is alive: the
// office sees problems in every state of the loop (some overdue), a finished
// 模拟测评 with a predicted score and its 失分点, a second one to compare
// with, a 日常督查 in progress, rankings for this month and the last, the
// map's problems, signed 交办单 and photos that carry their EXIF (docs/demo.md).
// Under PostgreSQL a SQLite county is played beside it: the same story.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, cli, login, DB_KIND } from './harness.mjs';

const ok = async (p) => {
  const r = await p;
  assert.ok(r.status >= 200 && r.status < 300, `${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};

let srv;
let other = null; // the SQLite county played beside a PostgreSQL one
let otherDir = null;
let office;
let played;

// Play the demo on a server; returns the office's client and the stdout.
async function play(s) {
  const r = await cli(['demo'], s.env);
  assert.equal(r.code, 0, r.stderr);
  const pw = r.stdout.match(/shown once\):\s*\n\s*(\S+)/)[1];
  return { stdout: r.stdout, pw };
}

before(async () => {
  srv = await startServer();
  if (DB_KIND === 'postgres') {
    otherDir = mkdtempSync(path.join(os.tmpdir(), 'wenming-demo-sqlite-'));
    other = await startServer({ db: { url: `sqlite:${otherDir}/wenming.db`, cleanup() {} } });
  }
  // both at once, so that the two stories end at the same moment
  const [a, b] = await Promise.all([play(srv), other ? play(other) : null]);
  played = { ...a, other: b };
  office = await login(srv.url, 'office01', a.pw);
});

after(async () => {
  assert.equal(await srv.stop(), 0);
  if (other) {
    assert.equal(await other.stop(), 0);
    rmSync(otherDir, { recursive: true, force: true });
  }
});

// Every problem of the office's list (pages of 500).
async function allProblems(client) {
  const items = [];
  for (let page = 1; ; page++) {
    const r = await ok(client.api(`/api/v1/problems?size=500&page=${page}`));
    items.push(...r.items);
    if (items.length >= r.total) return items;
  }
}

function countBy(items, key) {
  const out = {};
  for (const it of items) out[it[key]] = (out[it[key]] || 0) + 1;
  return out;
}

test('the office sees a few hundred problems from every source in every state of the loop, some overdue', async () => {
  assert.match(played.stdout, /the last 90 days played: \d+ 个问题 problems/);
  const items = await allProblems(office);
  assert.ok(items.length >= 50, `${items.length} problems`);
  const states = countBy(items, 'status');
  for (const s of ['reported', 'accepted', 'assigned', 'returned', 'rectifying', 'submitted', 'rework', 'closed',
    'parked', 'voided', 'invalid']) {
    assert.ok(states[s] > 0, `no ${s} problem: ${JSON.stringify(states)}`);
  }
  const sources = countBy(items, 'source');
  for (const s of ['mock', 'daily', 'supervision', 'covert', 'grid', 'leader', 'citizen', 'media']) {
    assert.ok(sources[s] > 0, `no problem from ${s}: ${JSON.stringify(sources)}`);
  }
  assert.ok(items.some((p) => p.is_recurrence), 'a recurrence (反弹)');
  assert.ok(items.some((p) => p.extension_count > 0), 'an extended problem');
  assert.ok(items.some((p) => p.extension_pending), 'an extension waiting for the office');
  assert.ok(items.some((p) => p.rework_count > 0 && p.status === 'closed'), 'a reworked problem closed');
  const overdue = await ok(office.api('/api/v1/problems?overdue=1&size=1'));
  assert.ok(overdue.total > 0, 'some overdue today');
  assert.ok(items.filter((p) => p.overdue).length === overdue.total);
});

test('unit steps were taken by the lead unit\'s own accounts, office steps by the office', async () => {
  const items = (await allProblems(office)).filter((p) => p.status === 'closed' && p.rework_count > 0);
  assert.ok(items.length > 0);
  const p = await ok(office.api(`/api/v1/problems/${items[0].id}`));
  const unitSteps = p.events.filter((e) => ['sign', 'submit', 'return', 'extend'].includes(e.action));
  assert.ok(unitSteps.length >= 2);
  for (const e of unitSteps) assert.equal(e.unit_id, p.lead_unit_id, `${e.action} by the lead unit`);
  for (const e of p.events.filter((x) => ['accept', 'assign', 'verify'].includes(x.action))) {
    assert.equal(e.unit_name, '示例县创城办', `${e.action} by the office`);
  }
  // its first after-photo was taken before the assignment: the reason it was reworked
  const after = p.photos.filter((ph) => ph.kind === 'after');
  assert.ok(after.some((ph) => ph.taken_before_assignment));
  const before = p.photos.find((ph) => ph.kind === 'before');
  assert.ok(before.captured_at > 0 && before.lat > 29 && before.lng > 119, 'EXIF time and GPS read back');
  const thumb = await office.api(`/api/v1/files/${before.file_id}/thumb`);
  assert.equal(thumb.status, 200);
  assert.match(thumb.headers.get('content-type'), /image\/jpeg/);
});

test('a finished 模拟测评 has a predicted score and its 失分点; the second compares with the first; a 日常督查 is open', async () => {
  const rounds = (await ok(office.api('/api/v1/inspections?size=50'))).items;
  const mocks = rounds.filter((r) => r.kind === 'mock' && r.status === 'closed').sort((a, b) => a.id - b.id);
  assert.equal(mocks.length, 2);
  const daily = rounds.find((r) => r.kind === 'daily');
  assert.equal(daily.status, 'open');
  assert.ok(daily.progress.done > 0 && daily.progress.done < daily.progress.total, JSON.stringify(daily.progress));
  for (const m of mocks) {
    const score = await ok(office.api(`/api/v1/inspections/${m.id}/score`));
    assert.ok(score.predicted > 0, `predicted ${score.predicted}`);
    assert.ok(Array.isArray(score.losses) && score.losses.length > 0, '失分点');
  }
  const cmp = await ok(office.api(`/api/v1/inspections/${mocks[1].id}/compare?with=${mocks[0].id}`));
  assert.notEqual(cmp.delta_predicted, 0);
  assert.ok(cmp.standards.some((s) => s.delta !== 0));
});

test('the ranking has rows for this month and the last; the map shows problems; sheets were issued and signed', async () => {
  const month = await ok(office.api('/api/v1/rankings'));
  assert.ok(month.items.length > 0, 'this month');
  const [y, m] = month.from.split('-').map(Number);
  const py = m === 1 ? y - 1 : y;
  const pm = m === 1 ? 12 : m - 1;
  const last = new Date(Date.UTC(py, pm, 0)).getUTCDate();
  const mm = String(pm).padStart(2, '0');
  const prev = await ok(office.api(`/api/v1/rankings?from=${py}-${mm}-01&to=${py}-${mm}-${last}`));
  assert.ok(prev.items.length > 0, 'last month');
  const map = await ok(office.api('/api/v1/map/features'));
  assert.ok(map.problems.length >= 50, `${map.problems.length} problems on the map`);
  const sheets = await ok(office.api('/api/v1/sheets?size=100'));
  assert.ok(sheets.items.some((s) => s.signed) && sheets.items.some((s) => !s.signed));
  assert.ok(sheets.items.every((s) => s.problem_count > 0));
});

test('a second `wenming demo` changes nothing, and the audit chain holds', async () => {
  const before = (await ok(office.api('/api/v1/problems?size=1'))).total;
  const again = await cli(['demo'], srv.env);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /demo skipped/);
  assert.equal((await ok(office.api('/api/v1/problems?size=1'))).total, before);
  const verify = await cli(['audit', 'verify'], srv.env);
  assert.equal(verify.code, 0, verify.stdout);
});

test('SQLite and PostgreSQL play the same story', { skip: DB_KIND !== 'postgres' && 'only beside PostgreSQL' }, async () => {
  const office2 = await login(other.url, 'office01', played.other.pw);
  const a = await allProblems(office);
  const b = await allProblems(office2);
  const print = (items) => items
    .map((p) => [p.code, p.status, p.source, p.category_id, p.lead_unit_id, p.overdue, p.rework_count].join(' '))
    .sort();
  assert.equal(a.length, b.length);
  assert.deepEqual(print(a), print(b));
  const sheets = async (c) => (await ok(c.api('/api/v1/sheets?size=100'))).items.map((s) => `${s.number} ${s.signed}`);
  assert.deepEqual(await sheets(office), await sheets(office2));
  for (const id of [1, 2]) {
    const x = await ok(office.api(`/api/v1/inspections/${id}/score`));
    const y = await ok(office2.api(`/api/v1/inspections/${id}/score`));
    assert.equal(x.predicted, y.predicted);
  }
});

// crash.mjs - the durability promise of docs SECURITY.md ("Durability") under kill -9.
//
//   node tests/crash/crash.mjs [--db sqlite|postgres|both] [--rounds N] [--clients N]
//                              [--break delete-problem|delete-event]
//
// Each round: a fresh database, `wenming init` and `wenming demo`, `wenming serve`;
// 64 concurrent clients report problems and drive them through accept, assign (with a
// deadline), sign, submit (with an after-photo) and verify, remembering every answer
// they saw; after a random 1-4 s the server gets SIGKILL and is started again on the
// same database.  Then:
//   - every problem a client saw created (201) exists, with its code;
//   - every transition a client saw (200) is there: the problem's status is the acked
//     one or the next one (a request in flight at the kill may have committed unseen),
//     and it has at least the acked number of timeline events;
//   - nothing is half-applied: for every problem the timeline events and the
//     problem.* audit rows are the same sequence of actions, the last event's
//     to_status is the problem's status, no problem.* audit row names a missing
//     problem, and the yearly numbering has no gap and matches its counter;
//   - `wenming audit verify` exits 0, SQLite's integrity_check and foreign_key_check
//     pass (PostgreSQL: the same queries run, plus a sanity count), /health is 200.
// One line per round, then "crash: N/N rounds, 0 lost"; exit 1 on any failure.
//
// --break proves the checker: between the kill and the restart it deletes an acked
// problem (or the last event of an acked transition) and the round must FAIL.
//
// SQLite needs the sqlite3 CLI; PostgreSQL needs WENMING_TEST_PG (scripts/pgtmp.sh).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, ROOT, cli, freePort, login, psql } from '../api/harness.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
};
const KINDS = { sqlite: ['sqlite'], postgres: ['postgres'], both: ['sqlite', 'postgres'] }[opt('db', 'both')];
const ROUNDS = Number(opt('rounds', '3'));
const CLIENTS = Number(opt('clients', '64'));
const BREAK = opt('break', '');
const MAX_PROBLEMS_PER_CLIENT = 200; // bounded load: at most this many problems per client
const LOAD_CAP_MS = 10000;           // and never longer than this per round
if (!KINDS || !(ROUNDS > 0) || !(CLIENTS > 0) || (BREAK && !['delete-problem', 'delete-event'].includes(BREAK))) {
  console.error('usage: crash.mjs [--db sqlite|postgres|both] [--rounds N] [--clients N] [--break delete-problem|delete-event]');
  process.exit(2);
}

const HOUR = 3600 * 1000;
const JPEG = readFileSync(path.join(ROOT, 'tests/fixtures/photo-400x200.jpg'));
const FLOW = ['reported', 'accepted', 'assigned', 'rectifying', 'submitted', 'closed'];
const RANK = Object.fromEntries(FLOW.map((s, i) => [s, i]));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let dbSeq = 0;

function freshDb(kind) {
  if (kind === 'postgres') {
    const base = process.env.WENMING_TEST_PG;
    if (!base) throw new Error('postgres rounds need WENMING_TEST_PG (scripts/pgtmp.sh start DIR)');
    const name = `crash_${process.pid}_${++dbSeq}`;
    psql(base, `CREATE DATABASE ${name}`);
    return {
      kind,
      url: base.replace(/\/[^/]*$/, `/${name}`),
      cleanup() {
        try {
          psql(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } catch { /* cluster gone */ }
      },
    };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wenming-crash-'));
  return { kind, url: `sqlite:${dir}/wenming.db`, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// Rows of a query as arrays of strings (both CLIs print '|'-separated rows).
function query(db, text) {
  const out = db.kind === 'postgres'
    ? psql(db.url, text)
    : execFileSync('sqlite3', ['-cmd', '.timeout 10000', db.url.replace(/^sqlite:/, ''), text], { encoding: 'utf8' }).trim();
  return out === '' ? [] : out.split('\n').map((l) => l.split('|'));
}

async function serve(env) {
  const port = await freePort();
  const e = { ...env, WENMING_LISTEN: `127.0.0.1:${port}` };
  const proc = spawn(BIN, ['serve'], { env: { ...process.env, ...e }, cwd: ROOT });
  let log = '';
  proc.stdout.on('data', (d) => (log += d));
  proc.stderr.on('data', (d) => (log += d));
  const exited = new Promise((resolve) => proc.on('exit', (code, sig) => resolve(sig || code)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/api/v1/health`)).status === 200) break;
    } catch { /* not yet */ }
    if (proc.exitCode !== null || i > 200) throw new Error(`server did not start:\n${log}`);
    await sleep(25);
  }
  return { url, proc, exited, log: () => log };
}

async function ok(p, status, what) {
  const r = await p;
  if (r.status !== status) throw Object.assign(new Error(`${what}: ${r.status} ${r.text}`), { status: r.status });
  return r.body;
}

async function setup(url, pw, adminPw) {
  const admin = await login(url, 'admin', adminPw);
  const office = await login(url, 'office01', pw);
  const insp = [await login(url, 'insp01', pw), await login(url, 'insp02', pw)];
  const category = (await ok(admin.api('/api/v1/categories?size=500'), 200, 'categories')).items.find((c) => c.code === 'SR01');
  const points = (await ok(admin.api('/api/v1/points?size=500'), 200, 'points')).items.filter((p) => p.unit_id);
  for (const p of points) {
    const users = (await ok(admin.api(`/api/v1/users?unit_id=${p.unit_id}&size=500`), 200, 'users')).items;
    const u = users.find((x) => x.unit_id === p.unit_id && x.enabled !== false &&
      x.roles.some((k) => k === 'unit_admin' || k === 'unit_staff'));
    if (u) return { office, insp, category, point: p, unitId: p.unit_id, unitUser: await login(url, u.username, pw) };
  }
  throw new Error('no demo point with a unit user');
}

// One client: report, then accept, assign, sign, upload + submit, verify; again.
async function client(n, cast, state, acked) {
  const act = (who, id, action, body) =>
    who.api(`/api/v1/problems/${id}/${action}`, { method: 'POST', body });
  const count = (r) => {
    state.statuses[r.status] = (state.statuses[r.status] || 0) + 1;
    return r;
  };
  try {
    for (let k = 0; k < MAX_PROBLEMS_PER_CLIENT && !state.killed; k++) {
      const r = count(await cast.insp[n % 2].api('/api/v1/problems', {
        method: 'POST',
        body: { category_id: cast.category.id, point_id: cast.point.id, description: `崩溃测试 ${n}-${k}`, severity: 1, source: 'inspection' },
      }));
      if (r.status !== 201) continue;
      const seen = { id: r.body.id, code: r.body.code, status: 'reported', events: 1 };
      acked.push(seen);
      const steps = [
        () => act(cast.office, seen.id, 'accept', { note: '属实' }),
        () => act(cast.office, seen.id, 'assign', { unit_id: cast.unitId, deadline: Date.now() + 48 * HOUR }),
        () => act(cast.unitUser, seen.id, 'sign', {}),
        async () => {
          const form = new FormData();
          form.append('file', new Blob([JPEG], { type: 'image/jpeg' }), 'after.jpg');
          const f = count(await cast.unitUser.api('/api/v1/files', { method: 'POST', raw: form }));
          if (f.status !== 201) return f;
          return act(cast.unitUser, seen.id, 'submit', { note: '已整改', photo_ids: [f.body.id] });
        },
        () => act(cast.office, seen.id, 'verify', { passed: true, outcome: 'fixed', reason: '照片无拍摄时间，已现场核实' }),
      ];
      for (const step of steps) {
        if (state.killed) break;
        const s = count(await step());
        if (s.status !== 200) break;
        seen.status = s.body.status;
        seen.events = s.body.events.length;
      }
    }
  } catch (err) {
    if (!state.killed) state.errors.push(`client ${n}: ${err.message}`);
  }
}

// Everything the checker asserts; returns a list of problems found.
async function check(db, env, url, acked) {
  const bad = [];
  const problems = new Map(query(db, 'SELECT id, code, status FROM problems ORDER BY id')
    .map(([id, code, status]) => [Number(id), { code, status }]));
  const events = new Map();
  for (const [pid, action, to] of query(db, 'SELECT problem_id, action, to_status FROM problem_events ORDER BY problem_id, id')) {
    if (!events.has(Number(pid))) events.set(Number(pid), []);
    events.get(Number(pid)).push({ action: action === 'report' ? 'create' : action, to });
  }
  const audits = new Map();
  for (const [oid, action] of query(db, "SELECT object_id, action FROM audit_log WHERE action LIKE 'problem.%' ORDER BY id")) {
    if (!audits.has(Number(oid))) audits.set(Number(oid), []);
    audits.get(Number(oid)).push(action.replace(/^problem\./, ''));
  }
  let lost = 0;
  for (const a of acked) {
    const p = problems.get(a.id);
    if (!p) {
      lost++;
      bad.push(`acked problem ${a.id} (${a.code}) is missing`);
      continue;
    }
    if (p.code !== a.code) bad.push(`problem ${a.id}: code ${p.code}, acked ${a.code}`);
    const have = (events.get(a.id) || []).length;
    const r = RANK[p.status];
    if (r === undefined || r < RANK[a.status] || r > RANK[a.status] + 1 || have < a.events) {
      lost++;
      bad.push(`problem ${a.id}: status ${p.status} with ${have} events, a client saw ${a.status} with ${a.events}`);
    }
  }
  for (const [id, p] of problems) {
    const ev = events.get(id) || [];
    const au = audits.get(id) || [];
    if (ev.map((e) => e.action).join(',') !== au.join(','))
      bad.push(`problem ${id}: timeline [${ev.map((e) => e.action)}] but audit [${au}]`);
    if (!ev.length || ev[ev.length - 1].to !== p.status)
      bad.push(`problem ${id}: status ${p.status} but the last event goes to ${ev.length ? ev[ev.length - 1].to : 'nothing'}`);
  }
  for (const id of audits.keys()) if (!problems.has(id)) bad.push(`audit rows for missing problem ${id}`);
  for (const [tenant, year, last, n, max] of query(db,
    `SELECT c.tenant_id, c.year, c.last_no, count(p.id), max(CAST(substr(p.code, 6) AS INTEGER))
       FROM problem_counters c LEFT JOIN problems p
         ON p.tenant_id = c.tenant_id AND substr(p.code, 1, 4) = CAST(c.year AS TEXT)
      GROUP BY c.tenant_id, c.year, c.last_no`)) {
    if (Number(n) !== Number(last) || (Number(n) && Number(max) !== Number(last)))
      bad.push(`numbering of tenant ${tenant} ${year}: counter ${last}, ${n} problems, highest ${max}`);
  }
  if (db.kind === 'sqlite') {
    const ic = query(db, 'PRAGMA integrity_check').map((r) => r.join('|')).join('; ');
    if (ic !== 'ok') bad.push(`integrity_check: ${ic}`);
    const fk = query(db, 'PRAGMA foreign_key_check');
    if (fk.length) bad.push(`foreign_key_check: ${fk.length} rows, first ${fk[0].join('|')}`);
  } else {
    const [[n]] = query(db, 'SELECT count(*) FROM problems p JOIN problem_events e ON e.problem_id = p.id');
    if (!(Number(n) >= problems.size)) bad.push(`postgres sanity: ${n} joined rows for ${problems.size} problems`);
  }
  const v = await cli(['audit', 'verify'], env);
  if (v.code !== 0) bad.push(`audit verify exit ${v.code}: ${v.stdout}${v.stderr}`);
  const h = await fetch(`${url}/api/v1/health`);
  if (h.status !== 200) bad.push(`/health ${h.status}`);
  return { bad, lost, problems: problems.size };
}

// Sabotage for --break: make one acked write disappear before the restart.
function sabotage(db, acked) {
  if (BREAK === 'delete-problem') {
    const a = acked[Math.floor(acked.length / 2)];
    query(db, `DELETE FROM problem_photos WHERE problem_id = ${a.id}; DELETE FROM problem_units WHERE problem_id = ${a.id};` +
      ` DELETE FROM problem_events WHERE problem_id = ${a.id}; DELETE FROM problems WHERE id = ${a.id}`);
    return `deleted acked problem ${a.id}`;
  }
  const a = acked.find((x) => x.events > 1);
  if (!a) return 'nothing to break';
  query(db, `DELETE FROM problem_photos WHERE event_id = (SELECT max(id) FROM problem_events WHERE problem_id = ${a.id});` +
    ` DELETE FROM problem_events WHERE id = (SELECT max(id) FROM problem_events WHERE problem_id = ${a.id})`);
  return `deleted the last event of acked problem ${a.id} (${a.status})`;
}

async function round(kind, no) {
  const t0 = Date.now();
  const db = freshDb(kind);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wenming-crash-data-'));
  const env = { WENMING_DB: db.url, WENMING_DATA: dataDir, WENMING_WEB: path.join(ROOT, 'web/dist'), WENMING_THREADS: '4' };
  let srv = null;
  try {
    const init = await cli(['init', '--tenant', '测试县'], env);
    if (init.code !== 0) throw new Error(`init: ${init.stderr}`);
    const demo = await cli(['demo', '--empty'], env);
    if (demo.code !== 0) throw new Error(`demo: ${demo.stderr}`);
    const adminPw = init.stdout.match(/password:\s+(\S+)/)[1];
    const pw = demo.stdout.match(/shown once\):\s*\n\s*(\S+)/)[1];

    srv = await serve(env);
    const cast = await setup(srv.url, pw, adminPw);
    const state = { killed: false, statuses: {}, errors: [] };
    const acked = [];
    const killAfter = 1000 + Math.floor(Math.random() * 3000);
    const clients = Array.from({ length: CLIENTS }, (_, n) => client(n, cast, state, acked));
    const killer = sleep(killAfter).then(() => {
      state.killed = true;
      srv.proc.kill('SIGKILL');
    });
    const all = Promise.all(clients);
    await Promise.race([killer, sleep(LOAD_CAP_MS)]);
    state.killed = true;
    srv.proc.kill('SIGKILL');
    const sig = await srv.exited;
    await Promise.race([all, sleep(5000)]);
    const log1 = srv.log();
    srv = null;

    const broke = BREAK ? sabotage(db, acked) : '';
    srv = await serve(env);
    const res = await check(db, env, srv.url, acked);
    const s5 = Object.entries(state.statuses).filter(([k]) => k >= 500).reduce((a, [, v]) => a + v, 0);
    if (s5) res.bad.push(`${s5} answers 5xx under load: ${log1.split('\n').filter((l) => / answered 5\d\d/.test(l)).slice(0, 3).join(' / ')}`);
    if (state.errors.length) res.bad.push(`${state.errors.length} client errors before the kill: ${state.errors[0]}`);
    if (/without an audit row/.test(log1 + srv.log())) res.bad.push('server logged a change without an audit row');
    const transitions = acked.reduce((n, a) => n + a.events - 1, 0);
    const line = `${kind} round ${no}: killed (${sig}) after ${(killAfter / 1000).toFixed(1)} s; acked ${acked.length} problems, ` +
      `${transitions} transitions; ${res.problems} in db; answers ${JSON.stringify(state.statuses)}; ` +
      `${res.bad.length ? 'FAILED' : 'ok'} (${((Date.now() - t0) / 1000).toFixed(1)} s)${broke ? ` [--break: ${broke}]` : ''}`;
    console.log(line);
    for (const b of res.bad.slice(0, 10)) console.log(`  ${b}`);
    if (res.bad.length > 10) console.log(`  ... ${res.bad.length - 10} more`);
    return { ok: res.bad.length === 0, lost: res.lost };
  } catch (err) {
    console.log(`${kind} round ${no}: FAILED: ${err.stack || err.message}`);
    if (srv) console.log(srv.log().slice(-2000));
    return { ok: false, lost: 0 };
  } finally {
    if (srv) {
      srv.proc.kill('SIGTERM');
      await Promise.race([srv.exited, sleep(5000)]);
      if (srv.proc.exitCode === null && srv.proc.signalCode === null) srv.proc.kill('SIGKILL');
    }
    db.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const t0 = Date.now();
let passed = 0;
let total = 0;
let lost = 0;
for (const kind of KINDS) {
  for (let i = 1; i <= ROUNDS; i++) {
    const r = await round(kind, i);
    total++;
    if (r.ok) passed++;
    lost += r.lost;
  }
}
console.log(`crash: ${passed}/${total} rounds, ${lost} lost (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
process.exit(passed === total ? 0 : 1);

// cluster.test.mjs - two `wenming serve` processes on one PostgreSQL database
// with nginx in front (docs/cluster.md): what one server does, the other sees.
//
//   WENMING_TEST_DB=postgres WENMING_TEST_PG=<url> node --test tests/cluster/
//
// Sessions: log in on A, work on B, log out on B and A refuses the token.
// Files: upload on A (its own data directory), fetch original and thumbnail
// on B (another data directory): the bytes travel through the database.
// Writes from both at once: units and problems created on A, B and nginx in
// parallel all land, problem numbers stay gapless and unique, and afterwards
// `wenming audit verify` passes over the one hash chain both servers wrote.
// nginx spreads requests over both (its access log names the upstream).
// The public survey limit is counted in the database, so 10 responses an
// hour from one address hold across both servers (survey_limit.c).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { startCluster, api, cli, login, loginAdmin, psql, DB_KIND, ROOT } from '../api/harness.mjs';

const JPEG = readFileSync(path.join(ROOT, 'tests/fixtures/photo-400x200.jpg'));
let cl;
let A;
let B;
let pw;

async function ok(resPromise, status = 200) {
  const r = await resPromise;
  assert.equal(r.status, status, r.text);
  return r.body;
}

// The same session (cookie and CSRF token) aimed at another server.
function via(client, base) {
  return (pathname, opts = {}) => {
    const headers = { cookie: client.cookie, ...(opts.headers || {}) };
    const method = opts.method || 'GET';
    if (method !== 'GET' && method !== 'HEAD') headers['x-csrf-token'] = client.csrf;
    return api(base, pathname, { ...opts, headers });
  };
}

function upload(call) {
  const form = new FormData();
  form.append('file', new Blob([JPEG], { type: 'image/jpeg' }), '现场.jpg');
  return call('/api/v1/files', { method: 'POST', raw: form });
}

// Regular files under dir (the blob store would put photos there on SQLite).
// Files under dir, leaving out its cache/: the renders each server keeps for
// itself (docs/files.md), derived from the originals in the database.
function filesUnder(dir, top = true) {
  let n = 0;
  for (const name of readdirSync(dir)) {
    if (top && name === 'cache') continue;
    const p = path.join(dir, name);
    n += statSync(p).isDirectory() ? filesUnder(p, false) : 1;
  }
  return n;
}

before(async () => {
  if (DB_KIND !== 'postgres' || !process.env.WENMING_TEST_PG) {
    throw new Error('the cluster test needs WENMING_TEST_DB=postgres and WENMING_TEST_PG (scripts/pgtmp.sh start DIR)');
  }
  cl = await startCluster();
  [A, B] = cl.servers;
  const r = await cli(['demo'], cl.env);
  assert.equal(r.code, 0, r.stderr);
  pw = r.stdout.match(/shown once\):\s*\n\s*(\S+)/)[1];
});

after(async () => {
  if (cl) assert.equal(await cl.stop(), 0, `cluster exit code\n${cl.log().slice(-3000)}`);
});

test('the two servers are separate processes on separate ports and data directories', () => {
  assert.notEqual(A.url, B.url);
  assert.notEqual(A.proc.pid, B.proc.pid);
  assert.notEqual(A.env.WENMING_DATA, B.env.WENMING_DATA);
  assert.equal(A.env.WENMING_DB, B.env.WENMING_DB);
});

test('a session made on A works on B, and a logout on B ends it on A', async () => {
  const office = await login(A.url, 'office01', pw);
  const onB = via(office, B.url);
  const me = await ok(onB('/api/v1/me'));
  assert.equal(me.user?.username ?? me.username, 'office01');
  const unit = await ok(onB('/api/v1/units', { method: 'POST', body: { name: '跨服务器测试局', kind: 'department', parent_id: office.me.unit_id ?? undefined } }), 201);
  const onA = via(office, A.url);
  assert.equal((await ok(onA(`/api/v1/units/${unit.id}`))).name, '跨服务器测试局');
  assert.equal((await onB('/api/v1/auth/logout', { method: 'POST' })).status, 204);
  assert.equal((await onA('/api/v1/me')).status, 401);
  assert.equal((await onB('/api/v1/me')).status, 401);
});

test('a password changed on B ends the other sessions on A', async () => {
  const first = await login(A.url, 'office02', pw);
  const second = await login(B.url, 'office02', pw);
  const next = pw + ' 新的';
  const r = await via(second, B.url)('/api/v1/me/password', { method: 'PUT', body: { old_password: pw, new_password: next } });
  assert.ok(r.status === 200 || r.status === 204, r.text);
  assert.equal((await via(first, A.url)('/api/v1/me')).status, 401);
  await login(A.url, 'office02', next);
});

test('a photo uploaded on A is served by B, original and thumbnail', async () => {
  const admin = await loginAdmin(cl);
  const before = filesUnder(B.env.WENMING_DATA);
  const photo = await ok(upload(via(admin, A.url)), 201);
  for (const kind of ['', '/thumb', '/watermarked']) {
    const onA = await fetch(`${A.url}/api/v1/files/${photo.id}${kind}`, { headers: { cookie: admin.cookie } });
    const onB = await fetch(`${B.url}/api/v1/files/${photo.id}${kind}`, { headers: { cookie: admin.cookie } });
    assert.equal(onB.status, 200, `B ${kind}`);
    assert.match(onB.headers.get('content-type'), /^image\/jpeg/);
    assert.deepEqual(Buffer.from(await onB.arrayBuffer()), Buffer.from(await onA.arrayBuffer()), `same bytes ${kind}`);
  }
  const original = await fetch(`${B.url}/api/v1/files/${photo.id}`, { headers: { cookie: admin.cookie } });
  assert.deepEqual(Buffer.from(await original.arrayBuffer()), JPEG);
  // the bytes live in the database, not in either server's data directory; B kept
  // its own renders, under cache/
  assert.equal(psql(cl.db.url, `SELECT storage FROM files WHERE id = ${photo.id}`), 'db');
  assert.equal(filesUnder(B.env.WENMING_DATA), before);
  assert.ok(existsSync(path.join(B.env.WENMING_DATA, 'cache')));
});

test('writes through A, B and nginx at once: all land, numbers gapless, one audit chain', async () => {
  const insp = await login(cl.url, 'insp01', pw);
  const admin = await loginAdmin(cl);
  const cats = (await ok(admin.api('/api/v1/categories?size=500'))).items;
  const category = cats.find((c) => c.code === 'SR01') || cats[0];
  const point = (await ok(admin.api('/api/v1/points?size=50'))).items.find((p) => p.lat != null);
  const targets = [A.url, B.url, cl.url];
  const photo = (await ok(upload(via(insp, B.url)), 201)).id;
  const jobs = [];
  for (let i = 0; i < 24; i++) {
    const call = via(insp, targets[i % 3]);
    jobs.push(call('/api/v1/problems', {
      method: 'POST',
      body: { category_id: category.id, point_id: point.id, description: `集群并发上报 ${i}`, source: 'inspection', photo_ids: [photo] },
    }));
    jobs.push(via(admin, targets[(i + 1) % 3])('/api/v1/units', {
      method: 'POST', body: { name: `并发单位${i}`, kind: 'department' },
    }));
  }
  const results = await Promise.all(jobs);
  for (const r of results) assert.equal(r.status, 201, r.text);
  const codes = results.filter((r) => r.body.code).map((r) => r.body.code).sort();
  assert.equal(codes.length, 24);
  assert.equal(new Set(codes).size, 24, 'problem numbers are unique');
  const seq = codes.map((c) => Number(c.split('-')[1]));
  for (let i = 1; i < seq.length; i++) assert.equal(seq[i], seq[i - 1] + 1, `gapless: ${codes.join(' ')}`);
  // every one of them is in the audit log, written by one server or the other
  const audited = Number(psql(cl.db.url, "SELECT COUNT(*) FROM audit_log WHERE action = 'problem.create'"));
  assert.ok(audited >= 24, `audit rows: ${audited}`);
  const verify = await cli(['audit', 'verify'], cl.env);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
});

test('the public survey limit holds across both servers: the 11th response in an hour from one address is refused', async () => {
  const office = await login(A.url, 'office01', pw);
  const units = (await ok(office.api('/api/v1/units?size=500'))).items;
  const community = units.find((u) => u.kind === 'community');
  assert.ok(community, 'the demo county has communities');
  const s = await ok(office.api('/api/v1/surveys', {
    method: 'POST',
    body: {
      title: '跨服务器限流测试', min_seconds: 0,
      design: { sections: [{ title: '一', questions: [{ key: 'q1', type: 'single', title: '您知道本县正在创建全国文明城市吗？', options: [{ key: 'y', label: '知道', score: 1 }, { key: 'n', label: '不知道', score: 0 }] }] }] },
    },
  }), 201);
  const { token } = await ok(office.api(`/api/v1/surveys/${s.id}/publish`, { method: 'POST', body: {} }));
  const statuses = [];
  for (let i = 0; i < 12; i++) {
    const base = i % 2 ? B.url : A.url;
    const r = await api(base, `/api/v1/public/surveys/${token}/responses`, {
      method: 'POST',
      body: { device: `cluster-limit-device-${String(i).padStart(4, '0')}`, community_id: community.id, answers: { q1: 'y' }, duration_ms: 60000 },
      headers: { 'x-forwarded-for': '192.0.2.77' },
    });
    statuses.push(r.status);
  }
  // per process each server would have let 6 through: only the shared count stops the 11th
  assert.deepEqual(statuses, [...Array(10).fill(201), 429, 429], JSON.stringify(statuses));
  const n = psql(cl.db.url, `SELECT COUNT(*) FROM survey_responses WHERE survey_id = ${s.id}`);
  assert.equal(Number(n), 10);
});

test('nginx sends requests to both servers', async () => {
  const admin = await loginAdmin(cl);
  for (let i = 0; i < 20; i++) await ok(admin.api('/api/v1/me'));
  const upstreams = new Set(
    cl.nginx.accessLog().split('\n').map((l) => (l.match(/upstream=(\S+)/) || [])[1]).filter((u) => u && u !== '-'),
  );
  assert.ok(upstreams.has(`127.0.0.1:${A.port}`), [...upstreams].join(' '));
  assert.ok(upstreams.has(`127.0.0.1:${B.port}`), [...upstreams].join(' '));
});

test('when A stops, nginx keeps answering from B', async () => {
  const admin = await loginAdmin(cl);
  assert.equal(await A.stop(), 0);
  for (let i = 0; i < 6; i++) {
    const r = await admin.api('/api/v1/me');
    assert.equal(r.status, 200, r.text);
  }
  const verify = await cli(['audit', 'verify'], cl.env);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
});

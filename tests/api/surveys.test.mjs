// surveys.test.mjs - resident questionnaires (docs/surveys.md): design and
// versions, quotas, the public link without login (201, 409 the same device,
// 410 closed or full, 403 a foreign Origin, 429 a flooding address that
// leaves the database within a few rows), a surveyor's idempotent responses,
// quality review (rejected responses excluded everywhere, kept for the
// record), the four rates per community against hand-worked numbers,
// predicted = Σ weight × rate, exports and permissions.  On the `wenming
// demo` county; SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { startServer, cli, errorBody, login, loginAdmin, psql, api, DB_KIND } from './harness.mjs';
import { readXlsx } from './xlsx.mjs';

let srv;
let pw;
let office;
let leader;
let vol;
const fx = {};
const EPS = 1e-4;

function sql(text) {
  if (DB_KIND === 'postgres') return psql(srv.db.url, text);
  const file = srv.db.url.replace(/^sqlite:/, '');
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', file, text], { encoding: 'utf8' }).trim();
}
const count = (table) => Number(sql(`SELECT COUNT(*) FROM ${table}`));

async function ok(resPromise, status = 200) {
  const r = await resPromise;
  assert.equal(r.status, status, r.text);
  return r.body;
}
const post = (client, pathname, body, headers) => client.api(pathname, { method: 'POST', body, headers });

// Wilson's interval at z = 1.96, written out independently of the server.
function wilson(x, n) {
  const z = 1.959963984540054;
  const p = x / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

function design() {
  return {
    sections: [
      {
        title: '社会文化环境治理',
        questions: [
          { key: 'q1', type: 'single', title: '您知道本县正在创建全国文明城市吗？', rate: 'awareness', indicator_id: fx.s1,
            options: [{ key: 'y', label: '知道', score: 1 }, { key: 'n', label: '不知道', score: 0 }] },
          { key: 'q2', type: 'rating', title: '您对社区环境卫生满意吗？', rate: 'satisfaction', indicator_id: fx.s2,
            options: [{ key: 'a', label: '满意', score: 1 }, { key: 'b', label: '比较满意', score: 0.8 },
              { key: 'c', label: '一般', score: 0.5 }, { key: 'd', label: '不满意', score: 0 }, { key: 'x', label: '不清楚' }] },
        ],
      },
      {
        title: '社区服务工作',
        questions: [
          { key: 'q3', type: 'single', title: '您支持创建文明城市吗？', rate: 'support', indicator_id: fx.s1,
            options: [{ key: 'y', label: '支持', score: 1 }, { key: 'n', label: '不支持', score: 0 }] },
          { key: 'q4', type: 'single', title: '您参加过社区志愿服务吗？', rate: 'participation', indicator_id: fx.s2,
            options: [{ key: 'y', label: '参加过', score: 1 }, { key: 'n', label: '没有', score: 0 }] },
          { key: 'q5', type: 'text', title: '您的意见和建议', required: false },
        ],
      },
    ],
  };
}

before(async () => {
  srv = await startServer({ env: { WENMING_TRUST_PROXY: 'on' } });
  const r = await cli(['demo', '--empty'], srv.env);
  assert.equal(r.code, 0, r.stderr);
  pw = r.stdout.match(/shown once\):\s*\n\s*(\S+)/)[1];
  office = await login(srv.url, 'office01', pw);
  leader = await login(srv.url, 'leader01', pw);
  vol = await login(srv.url, 'vol01', pw);
  const comms = sql("SELECT id FROM units WHERE kind = 'community' ORDER BY id LIMIT 3").split('\n').map(Number);
  [fx.c1, fx.c2, fx.c3] = comms;
  const std = sql("SELECT i.id FROM indicators i JOIN frameworks f ON f.id = i.framework_id WHERE f.active = 1 AND i.level = 3 AND i.methods = 'questionnaire' ORDER BY i.id LIMIT 2").split('\n').map(Number);
  [fx.s1, fx.s2] = std;
});

after(async () => {
  if (srv) {
    await srv.stop();
    srv.db.cleanup();
  }
});

test('a draft is designed, checked, published; a published survey is not edited in place', async () => {
  // bad designs change nothing and name the field
  const before = count('surveys');
  let r = await post(office, '/api/v1/surveys', { title: '坏问卷', design: { sections: [{ title: 'A', questions: [{ type: 'single', title: 'x', options: [{ label: '只有一个', score: 1 }] }] }] } });
  const err = errorBody(r, assert, 422, 'invalid');
  assert.match(err.field, /options/);
  r = await post(office, '/api/v1/surveys', { title: '坏问卷', design: { sections: [{ title: 'A', questions: [{ type: 'single', title: 'x', rate: 'happiness', options: [{ label: 'a', score: 1 }, { label: 'b', score: 0 }] }] }] } });
  errorBody(r, assert, 422, 'invalid');
  r = await post(office, '/api/v1/surveys', { title: '坏问卷', quotas: [{ unit_id: 999999, target: 3 }], design: design() });
  errorBody(r, assert, 422, 'invalid');
  assert.equal(count('surveys'), before);

  const s = await ok(post(office, '/api/v1/surveys', {
    title: '2026 年第一轮群众满意度测评', series: '群众满意度测评', wave: '第一轮', min_seconds: 30, design: design(),
    quotas: [{ unit_id: fx.c1, target: 5 }, { unit_id: fx.c2, target: 5 }, { unit_id: fx.c3, target: 1 }],
  }), 201);
  assert.equal(s.status, 'draft');
  assert.equal(s.token, null);
  assert.equal(s.design.sections[0].questions[1].options[4].scored, false);
  assert.equal(s.quotas.length, 3);
  fx.id = s.id;

  // a draft has no public link
  r = await api(srv.url, `/api/v1/public/surveys/${'x'.repeat(24)}`);
  errorBody(r, assert, 404, 'not_found');

  const upd = await ok(office.api(`/api/v1/surveys/${fx.id}`, { method: 'PUT', body: { intro: '感谢您抽出 3 分钟时间' } }));
  assert.equal(upd.intro, '感谢您抽出 3 分钟时间');
  const pub = await ok(post(office, `/api/v1/surveys/${fx.id}/publish`, {}));
  assert.equal(pub.status, 'published');
  assert.match(pub.token, /^[A-Za-z0-9_-]{24}$/);
  assert.match(pub.url, new RegExp(`/s/${pub.token}$`));
  fx.token = pub.token;

  r = await office.api(`/api/v1/surveys/${fx.id}`, { method: 'PUT', body: { title: '改标题' } });
  errorBody(r, assert, 409, 'conflict');
  const v2 = await ok(post(office, '/api/v1/surveys', { copy_from: fx.id, wave: '第二轮' }), 201);
  assert.equal(v2.version, 2);
  assert.equal(v2.previous_id, fx.id);
  assert.equal(v2.status, 'draft');
  assert.equal(v2.quotas.length, 3);
  fx.v2 = v2.id;

  // every change left its audit row
  assert.ok(Number(sql(`SELECT COUNT(*) FROM audit_log WHERE action IN ('survey.create','survey.update','survey.publish') AND object_id = '${fx.id}'`)) >= 3);
});

test('permissions: a volunteer answers but cannot read results; a leader reads but cannot design', async () => {
  let r = await vol.api(`/api/v1/surveys/${fx.id}/results`);
  errorBody(r, assert, 403, 'forbidden');
  r = await vol.api('/api/v1/surveys');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.items.every((s) => s.status === 'published'));
  r = await vol.api(`/api/v1/surveys/${fx.v2}`); // a draft: not the surveyor's business
  errorBody(r, assert, 404, 'not_found');
  r = await post(leader, '/api/v1/surveys', { title: 'x', design: design() });
  errorBody(r, assert, 403, 'forbidden');
  await ok(leader.api(`/api/v1/surveys/${fx.id}/results`));
  r = await office.api('/api/v1/surveys/99999999');
  errorBody(r, assert, 404, 'not_found');
});

const answersOf = (q1, q2, q3, q4) => ({ q1, q2, q3, q4 });

test('another tenant\'s survey answers 404 everywhere', async () => {
  sql("INSERT INTO tenants (name, created_at, updated_at) VALUES ('邻县', 0, 0)");
  const other = Number(sql("SELECT id FROM tenants WHERE name = '邻县'"));
  sql(`INSERT INTO surveys (tenant_id, title, status, token, design, created_at, updated_at) VALUES (${other}, '邻县问卷', 'published', 'other-tenant-token-0001', '{"sections":[]}', 0, 0)`);
  const id = Number(sql("SELECT id FROM surveys WHERE title = '邻县问卷'"));
  for (const p of [`/api/v1/surveys/${id}`, `/api/v1/surveys/${id}/results`, `/api/v1/surveys/${id}/responses`, `/api/v1/surveys/${id}/report.pdf`]) {
    errorBody(await office.api(p), assert, 404, 'not_found');
  }
  errorBody(await post(office, `/api/v1/surveys/${id}/close`, {}), assert, 404, 'not_found');
  errorBody(await post(vol, `/api/v1/surveys/${id}/responses`, { community_id: fx.c1, answers: {} }, { 'Idempotency-Key': 'other-tenant' }), assert, 404, 'not_found');
  const list = await ok(office.api('/api/v1/surveys?size=100'));
  assert.ok(!list.items.some((x) => x.id === id));
  // its public link shows no community of ours
  const form = await api(srv.url, '/api/v1/public/surveys/other-tenant-token-0001');
  assert.equal(form.status, 200, form.text);
  assert.ok(!form.body.communities.some((c) => c.id === fx.c1));
});

test('a surveyor\'s responses are idempotent: the same key twice stores one', async () => {
  const rows = [
    ['k-r1', fx.c1, answersOf('y', 'a', 'y', 'y')],
    ['k-r2', fx.c1, answersOf('n', 'b', 'y', 'n')],
    ['k-r3', fx.c1, answersOf('y', 'c', 'n', 'y')],
    ['k-r4', fx.c1, answersOf('n', 'd', 'n', 'n')],
    ['k-r5', fx.c2, answersOf('y', 'x', 'y', 'n')],
    ['k-r6', fx.c2, answersOf('y', 'a', 'y', 'y')],
  ];
  fx.ids = {};
  for (const [key, unit, answers] of rows) {
    const b = await ok(post(vol, `/api/v1/surveys/${fx.id}/responses`, { community_id: unit, answers, duration_ms: 120000, phone: '13812345678' }, { 'Idempotency-Key': key }), 201);
    fx.ids[key] = b.id;
    assert.equal(b.phone, '138****5678');
  }
  const n = count('survey_responses');
  const again = await ok(post(vol, `/api/v1/surveys/${fx.id}/responses`, { community_id: fx.c1, answers: rows[0][2], duration_ms: 120000 }, { 'Idempotency-Key': 'k-r1' }), 200);
  assert.equal(again.id, fx.ids['k-r1']);
  assert.equal(again.replayed, true);
  assert.equal(count('survey_responses'), n);
  // someone else's key is a conflict, not their record
  const r = await post(office, `/api/v1/surveys/${fx.id}/responses`, { community_id: fx.c1, answers: rows[0][2] }, { 'Idempotency-Key': 'k-r1' });
  errorBody(r, assert, 409, 'conflict');
  // missing required answer, unknown option: 422, nothing stored
  for (const bad of [{ q1: 'y' }, answersOf('maybe', 'a', 'y', 'y')]) {
    const x = await post(vol, `/api/v1/surveys/${fx.id}/responses`, { community_id: fx.c1, answers: bad }, { 'Idempotency-Key': `bad-${Math.random().toString(36).slice(2)}` });
    errorBody(x, assert, 422, 'invalid');
  }
  assert.equal(count('survey_responses'), n);
  // the phone is stored but only ever shown masked
  const list = await ok(office.api(`/api/v1/surveys/${fx.id}/responses?size=100`));
  assert.ok(list.items.every((x) => !x.phone || x.phone === '138****5678'));
  assert.ok(!JSON.stringify(list).includes('13812345678'));
});

test('quality: fast and straight-lined answers are flagged; a rejected response is kept but excluded', async () => {
  const fast = await ok(post(vol, `/api/v1/surveys/${fx.id}/responses`, { community_id: fx.c2, answers: answersOf('y', 'a', 'y', 'y'), duration_ms: 5000, lat: 45.0, lng: 10.0 }, { 'Idempotency-Key': 'k-fast' }), 201);
  assert.deepEqual(fast.flags.sort(), ['fast', 'gps']);
  const flagged = await ok(office.api(`/api/v1/surveys/${fx.id}/responses?flagged=1&review=pending`));
  assert.ok(flagged.items.some((x) => x.id === fast.id));
  // reject the fast one and r4; accept nothing else
  for (const id of [fast.id, fx.ids['k-r4']]) {
    const rv = await ok(post(office, `/api/v1/surveys/${fx.id}/responses/${id}/review`, { decision: 'reject', note: '用时过短' }));
    assert.equal(rv.review, 'rejected');
  }
  let r = await post(office, `/api/v1/surveys/${fx.id}/responses/${fast.id}/review`, { decision: 'maybe' });
  errorBody(r, assert, 422, 'invalid');
  r = await post(vol, `/api/v1/surveys/${fx.id}/responses/${fast.id}/review`, { decision: 'accept' });
  errorBody(r, assert, 403, 'forbidden');
  const rejected = await ok(office.api(`/api/v1/surveys/${fx.id}/responses?review=rejected`));
  assert.equal(rejected.total, 2);
  assert.ok(Number(sql("SELECT COUNT(*) FROM audit_log WHERE action = 'survey_response.review'")) >= 2);
});

test('the four rates per community equal hand-worked numbers; predicted = Σ weight × rate', async () => {
  const res = await ok(office.api(`/api/v1/surveys/${fx.id}/results`));
  assert.equal(res.n, 5);
  assert.equal(res.rejected, 2);
  const byUnit = Object.fromEntries(res.communities.map((c) => [c.unit_id, c]));
  const c1 = byUnit[fx.c1].rates;
  const c2 = byUnit[fx.c2].rates;
  // community 1 (r1, r2, r3; r4 rejected)
  assert.ok(Math.abs(c1.awareness.rate - 2 / 3) < EPS);
  assert.ok(Math.abs(c1.support.rate - 2 / 3) < EPS);
  assert.ok(Math.abs(c1.participation.rate - 2 / 3) < EPS);
  assert.ok(Math.abs(c1.satisfaction.rate - (1 + 0.8 + 0.5) / 3) < EPS);
  assert.equal(c1.satisfaction.method, 'mean');
  // community 2 (r5 answered 不清楚 on q2: not counted)
  assert.equal(c2.awareness.rate, 1);
  assert.equal(c2.participation.rate, 0.5);
  assert.equal(c2.satisfaction.n, 1);
  assert.equal(c2.satisfaction.rate, 1);
  // overall, with Wilson's interval for a proportion
  assert.ok(Math.abs(res.rates.awareness.rate - 0.8) < EPS);
  const [lo, hi] = wilson(4, 5);
  assert.ok(Math.abs(res.rates.awareness.low - lo) < EPS);
  assert.ok(Math.abs(res.rates.awareness.high - hi) < EPS);
  assert.equal(res.rates.awareness.method, 'wilson');
  assert.ok(Math.abs(res.rates.satisfaction.rate - 3.3 / 4) < EPS);
  // items: S1 pools q1 + q3 (8 of 10), S2 pools q2 + q4 (6.3 of 9); each weighs 1 (questionnaire only)
  const s1 = res.items.find((i) => i.indicator_id === fx.s1);
  const s2 = res.items.find((i) => i.indicator_id === fx.s2);
  assert.ok(Math.abs(s1.rate - 0.8) < EPS);
  assert.ok(Math.abs(s2.rate - 0.7) < EPS);
  assert.equal(s1.weight, 1);
  const sum = res.items.reduce((a, i) => a + (i.n ? i.weight * i.rate : 0), 0);
  assert.ok(Math.abs(res.predicted - sum) < EPS);
  assert.ok(Math.abs(res.predicted - 1.5) < EPS);
  assert.equal(res.total, 20);
  // option counts exclude the rejected ones too
  const q2 = res.questions.find((q) => q.key === 'q2');
  assert.deepEqual(q2.options.map((o) => o.count), [2, 1, 1, 0, 1]);
  // points at risk name the unit responsible
  assert.ok(res.at_risk.length >= 1);
  assert.ok(res.at_risk.some((x) => x.kind === 'item' && x.unit_name));
  assert.ok(Array.isArray(res.trend) && res.trend.length >= 1);
});

test('exports: results and responses xlsx (phone masked, rejected marked), PDF report, A4 poster', async () => {
  const get = async (p) => {
    const r = await fetch(srv.url + p, { headers: { cookie: office.cookie } });
    return { status: r.status, type: r.headers.get('content-type'), buf: Buffer.from(await r.arrayBuffer()) };
  };
  let x = await get(`/api/v1/surveys/${fx.id}/results/export`);
  assert.equal(x.status, 200);
  const summary = readXlsx(x.buf, 1).rows;
  assert.ok(summary.some((row) => row[0] === '知晓率' && /^80\.00%/.test(row[1])));
  const comm = readXlsx(x.buf, 2).rows;
  assert.ok(comm.length >= 4);
  x = await get(`/api/v1/surveys/${fx.id}/responses/export`);
  assert.equal(x.status, 200);
  const rows = readXlsx(x.buf, 1).rows;
  const flat = JSON.stringify(rows);
  assert.ok(flat.includes('138****5678'));
  assert.ok(!flat.includes('13812345678'));
  assert.ok(flat.includes('已剔除'));
  assert.equal(rows.length, 1 + 7);
  x = await get(`/api/v1/surveys/${fx.id}/report.pdf`);
  assert.equal(x.status, 200);
  assert.equal(x.buf.subarray(0, 4).toString(), '%PDF');
  x = await get(`/api/v1/surveys/${fx.id}/poster.pdf`);
  assert.equal(x.status, 200);
  assert.equal(x.buf.subarray(0, 4).toString(), '%PDF');
  x = await get(`/api/v1/surveys/${fx.v2}/poster.pdf`);
  assert.equal(x.status, 409);
});

test('questions as xlsx: exported, imported into a draft (round trip), refused row by row, not into a published survey', async () => {
  const get = async (p) => {
    const r = await fetch(srv.url + p, { headers: { cookie: office.cookie } });
    return { status: r.status, buf: Buffer.from(await r.arrayBuffer()) };
  };
  const x = await get(`/api/v1/surveys/${fx.id}/questions/export`);
  assert.equal(x.status, 200);
  const rows = readXlsx(x.buf, 1).rows;
  assert.deepEqual(rows[0], ['分组', '题号', '题型', '题目', '必答', '计入', '测评内容编码', '选项']);
  assert.equal(rows.length, 1 + 5);
  assert.equal(rows[2][2], '评分');
  assert.equal(rows[2][7], '满意=1；比较满意=0.8；一般=0.5；不满意=0；不清楚');
  const upload = (id, buf, name) => {
    const form = new FormData();
    form.append('file', new Blob([buf]), name);
    return office.api(`/api/v1/surveys/${id}/questions/import`, { method: 'POST', raw: form });
  };
  // into the draft v2: the same questions come back, indicators resolved by code
  const r = await upload(fx.v2, x.buf, 'questions.xlsx');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.imported.questions, 5);
  const v2 = await ok(office.api(`/api/v1/surveys/${fx.v2}`));
  const orig = await ok(office.api(`/api/v1/surveys/${fx.id}`));
  const strip = (d) => d.sections.map((s) => [s.title, s.questions.map((q) => [q.key, q.type, q.rate, q.indicator_id, q.options.map((o) => [o.label, o.score])])]);
  assert.deepEqual(strip(v2.design), strip(orig.design));
  // a bad sheet: row errors, nothing changes
  const bad = '分组,题型,题目,计入,测评内容编码,选项\n一,填空题,x,,,\n一,单选,y,幸福率,,a=1；b=0\n一,单选,z,,no-such-code,a=1；b=0\n一,单选,w,,,a=2；b=0\n';
  const rb = await upload(fx.v2, Buffer.from(bad), 'bad.csv');
  assert.equal(rb.status, 422, rb.text);
  assert.deepEqual(rb.body.errors.map((e) => e.row), [2, 3, 4, 5]);
  assert.deepEqual(strip((await ok(office.api(`/api/v1/surveys/${fx.v2}`))).design), strip(orig.design));
  const rp = await upload(fx.id, x.buf, 'questions.xlsx');
  errorBody(rp, assert, 409, 'conflict');
  const t = await get('/api/v1/surveys/questions/template');
  assert.equal(t.status, 200);
});

const pub = (body, ip, headers = {}) => api(srv.url, `/api/v1/public/surveys/${fx.token}/responses`, {
  method: 'POST', body, headers: { 'x-forwarded-for': ip, ...headers },
});
const device = () => `dev-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`.slice(0, 30);

test('public link: no login; 201, the same device 409, a full quota 410, a foreign Origin 403', async () => {
  const form = await api(srv.url, `/api/v1/public/surveys/${fx.token}`);
  assert.equal(form.status, 200, form.text);
  assert.equal(form.body.title, '2026 年第一轮群众满意度测评');
  assert.ok(!JSON.stringify(form.body).includes('score'), 'the public form does not show scores');
  assert.deepEqual(form.body.communities.map((c) => c.id).sort(), [fx.c1, fx.c2, fx.c3].sort());

  const dev = device();
  const body = { device: dev, community_id: fx.c2, answers: answersOf('y', 'b', 'y', 'n'), duration_ms: 90000 };
  let r = await pub(body, '10.1.0.1');
  assert.equal(r.status, 201, r.text);
  assert.match(r.headers.get('set-cookie'), /wm_sdev=/);
  r = await pub(body, '10.1.0.2');
  errorBody(r, assert, 409, 'conflict');
  // community 3 takes one response
  r = await pub({ ...body, device: device(), community_id: fx.c3 }, '10.1.0.3');
  assert.equal(r.status, 201, r.text);
  const n = count('survey_responses');
  r = await pub({ ...body, device: device(), community_id: fx.c3 }, '10.1.0.4');
  errorBody(r, assert, 410, 'gone');
  assert.equal(count('survey_responses'), n);
  // a community outside the quota list
  const other = Number(sql(`SELECT id FROM units WHERE kind = 'community' AND id NOT IN (${fx.c1},${fx.c2},${fx.c3}) ORDER BY id LIMIT 1`));
  r = await pub({ ...body, device: device(), community_id: other }, '10.1.0.5');
  errorBody(r, assert, 422, 'invalid');
  // a page on another site may not post here
  r = await pub({ ...body, device: device() }, '10.1.0.6', { origin: 'https://evil.example' });
  errorBody(r, assert, 403, 'forbidden');
  // no JSON, too big
  r = await api(srv.url, `/api/v1/public/surveys/${fx.token}/responses`, { method: 'POST', raw: 'x'.repeat(20000), headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.1.0.7' } });
  assert.equal(r.status, 413);
  assert.equal(count('survey_responses'), n);
});

test('a flood of 10,000 public submissions from one address leaves the database within a few rows', async () => {
  const responses = count('survey_responses');
  const audit = count('audit_log');
  const statuses = new Map();
  let next = 0;
  const total = 10000;
  const started = Date.now();
  // plain node:http with kept-alive sockets: the client, not the server, is the slow part of a flood
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const { hostname, port } = new URL(srv.url);
  const payload = JSON.stringify({ device: 'flood-device-0000000001', community_id: fx.c1, answers: answersOf('y', 'a', 'y', 'y'), duration_ms: 60000 });
  const once = (i) => new Promise((resolve, reject) => {
    // a new device each time, so only the address limit stands in the way
    const body = payload.replace('0000000001', String(i).padStart(10, '0'));
    const req = http.request({ agent, hostname, port, method: 'POST', path: `/api/v1/public/surveys/${fx.token}/responses`,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-forwarded-for': '203.0.113.9' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(body);
  });
  async function worker() {
    while (next < total) {
      const status = await once(next++);
      statuses.set(status, (statuses.get(status) || 0) + 1);
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker));
  agent.destroy();
  const took = Date.now() - started;
  const grewResponses = count('survey_responses') - responses;
  const grewAudit = count('audit_log') - audit;
  console.log(`flood: ${total} posts in ${took} ms, statuses ${JSON.stringify([...statuses])}, responses +${grewResponses}, audit +${grewAudit}`);
  // the burst and its refill while the flood lasts are all that get past the limit
  assert.ok((statuses.get(429) || 0) >= total - 20 - Math.ceil(took / 6000), JSON.stringify([...statuses]));
  assert.ok(grewResponses <= 10, `responses grew by ${grewResponses}`);
  assert.ok(grewAudit <= 10, `audit grew by ${grewAudit}`);
  // another address is not affected
  const r = await pub({ device: device(), community_id: fx.c2, answers: answersOf('y', 'a', 'y', 'y'), duration_ms: 60000 }, '198.51.100.7');
  assert.equal(r.status, 201, r.text);
});

test('a closed survey answers 410 to the form and to a response', async () => {
  await ok(post(office, `/api/v1/surveys/${fx.id}/close`, {}));
  let r = await api(srv.url, `/api/v1/public/surveys/${fx.token}`);
  errorBody(r, assert, 410, 'gone');
  r = await pub({ device: device(), community_id: fx.c2, answers: answersOf('y', 'a', 'y', 'y') }, '10.2.0.1');
  errorBody(r, assert, 410, 'gone');
  r = await post(vol, `/api/v1/surveys/${fx.id}/responses`, { community_id: fx.c2, answers: answersOf('y', 'a', 'y', 'y') }, { 'Idempotency-Key': 'after-close' });
  assert.ok(r.status === 404 || r.status === 410, r.text);
});

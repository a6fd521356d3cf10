// problems-export.test.mjs - GET /problems/export: the problem list as .xlsx with the
// list's filters and data scope.  The workbook is read back and its rows must equal
// what GET /problems answers for the same query; a unit user's export holds only its
// unit's problems; the export is audited; bad filters are 422, roles without
// problem:export 403.  On the demo county; SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { errorBody } from './harness.mjs';
import { demoCast, ok, chinaMinute } from './problems-fixtures.mjs';
import { readSheet } from '../e2e/xlsx.mjs';

let c;
before(async () => {
  c = await demoCast();
});
after(async () => c.stop());

const SOURCES = { inspection: '日常巡查', supervision: '督查检查', covert: '暗访', grid: '网格员上报', leader: '领导交办', citizen: '群众投诉', media: '媒体曝光' };
const HEADERS = ['问题编号', '状态', '问题分类', '牵头单位', '点位', '地址', '问题描述', '整改期限', '是否超期', '来源', '上报人', '上报时间'];

async function exportOf(client, query = '') {
  const r = await fetch(`${c.srv.url}/api/v1/problems/export${query ? `?${query}` : ''}`, { headers: { cookie: client.cookie } });
  const buf = Buffer.from(await r.arrayBuffer());
  assert.equal(r.status, 200, buf.toString());
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  assert.match(r.headers.get('content-disposition'), /attachment; filename="problems-\d{8}\.xlsx"/);
  const rows = readSheet(buf, 100002);
  assert.match(rows[0][0], /^问题列表导出 \d{4}-\d{2}-\d{2} \d{2}:\d{2}（时间为 Asia\/Shanghai）$/);
  assert.deepEqual(rows[1], HEADERS);
  return rows.slice(2);
}

// What a row of the list must read as in the workbook (trailing empty cells dropped by the reader).
function expected(p) {
  const row = [p.code, p.status_title, p.category_name, p.lead_unit_name || '', p.point_name || '', p.address,
    p.description, chinaMinute(p.deadline), p.overdue ? '是' : '否', SOURCES[p.source], p.reporter_name, chinaMinute(p.created_at)];
  while (row.length && row[row.length - 1] === '') row.pop();
  return row;
}

async function listOf(client, query = '') {
  return (await ok(client.api(`/api/v1/problems?size=500${query ? `&${query}` : ''}`))).items;
}

test('the export equals the list, for the whole list and under every filter', async () => {
  const a = await c.assigned();
  const b = await c.assigned(c.co.unit_id, { deadline: '2030-01-31' });
  await c.report(c.insp2, { description: '共享单车乱停乱放 "=1+1" 导出' }); // reported, a formula-looking text
  // one overdue: its deadline in the past
  c.sql(`UPDATE problems SET deadline = ${Date.now() - 3600 * 1000} WHERE id = ${a.id}`);

  const all = await listOf(c.office);
  assert.ok(all.length >= 3);
  assert.deepEqual(await exportOf(c.office), all.map(expected));

  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const queries = [
    'status=assigned', 'status=reported,assigned', `unit_id=${c.co.unit_id}`, `category_id=${c.category.id}`,
    `point_id=${c.point.id}`, 'source=inspection', 'source=media', 'overdue=1', `keyword=${encodeURIComponent('导出')}`,
    `keyword=${encodeURIComponent(b.code)}`, `from=${today}&to=${today}`, `grid_id=${c.point.grid_id || 1}`,
  ];
  for (const q of queries) {
    const list = await listOf(c.office, q);
    assert.deepEqual(await exportOf(c.office, q), list.map(expected), q);
  }
  const od = await exportOf(c.office, 'overdue=1');
  assert.deepEqual(od.map((r) => r[0]), [a.code]);
  assert.equal(od[0][8], '是');
  const kw = await exportOf(c.office, `keyword=${encodeURIComponent('导出')}`);
  assert.equal(kw.length, 1);
  assert.equal(kw[0][6], '共享单车乱停乱放 "=1+1" 导出', 'text stays text');
  assert.equal((await exportOf(c.office, 'source=media')).length, 0);
  // deadline in the tenant's time: 2030-01-31 ends at 23:59 China time
  assert.equal((await exportOf(c.office, `keyword=${encodeURIComponent(b.code)}`))[0][7], '2030-01-31 23:59');
});

test('a unit user exports only what its scope shows', async () => {
  const mine = await c.assigned();
  const theirs = await c.assigned(c.stranger.unit_id);
  const rows = await exportOf(c.lead.user);
  const codes = rows.map((r) => r[0]);
  assert.ok(codes.includes(mine.code));
  assert.ok(!codes.includes(theirs.code));
  assert.deepEqual(rows, (await listOf(c.lead.user)).map(expected));
  const s = (await exportOf(c.stranger.user)).map((r) => r[0]);
  assert.ok(s.includes(theirs.code));
  assert.ok(!s.includes(mine.code));
  // the leader sees everything
  assert.deepEqual((await exportOf(c.leader)).length, (await listOf(c.leader)).length);
});

test('bad filters are 422, roles without problem:export 403, the export is audited', async () => {
  errorBody(await c.office.api('/api/v1/problems/export?status=done'), assert, 422, 'invalid');
  errorBody(await c.office.api('/api/v1/problems/export?from=yesterday'), assert, 422, 'invalid');
  errorBody(await c.office.api('/api/v1/problems/export?overdue=maybe'), assert, 422, 'invalid');
  errorBody(await c.office.api('/api/v1/problems/export?category_id=999999'), assert, 422, 'invalid');
  errorBody(await c.insp.api('/api/v1/problems/export'), assert, 403, 'forbidden');
  const before = (await ok(c.admin.api('/api/v1/audit?action=problem.export&size=500'))).total;
  const rows = await exportOf(c.office, 'status=assigned');
  const audit = (await ok(c.admin.api('/api/v1/audit?action=problem.export&size=500')));
  assert.equal(audit.total, before + 1);
  assert.equal(audit.items[0].summary.rows, rows.length);
  assert.equal(audit.items[0].summary.status, 'assigned');
  assert.equal(audit.items[0].username, 'office01');
});

test('an export longer than one batch holds every row once, in the list order, ties broken by id', async () => {
  // 10,050 problems reported on 2020-06-01: 10,020 at one and the same moment, so the
  // server's batch boundary (10,000 rows) falls inside the tie, and 30 earlier
  const t = Date.UTC(2020, 5, 1, 4); // 12:00 in Asia/Shanghai
  const tpl = (await c.assigned()).id;
  c.sql(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10050)
    INSERT INTO problems (tenant_id, code, category_id, point_id, grid_id, lat, lng, address, description,
      severity, source, status, reporter_id, suggested_unit_id, suggested_hours, created_at, updated_at)
    SELECT p.tenant_id, 'KS-' || n.i, p.category_id, p.point_id, p.grid_id, p.lat, p.lng, p.address,
      p.description, p.severity, p.source, 'reported', p.reporter_id, p.suggested_unit_id, p.suggested_hours,
      CASE WHEN n.i <= 10020 THEN ${t} ELSE ${t} - n.i * 1000 END, ${t}
    FROM n, problems p WHERE p.id = ${tpl}`);
  try {
    const want = c.sql(`SELECT code FROM problems WHERE code LIKE 'KS-%' ORDER BY created_at DESC, id DESC`).split('\n');
    assert.equal(want.length, 10050);
    const codes = (await exportOf(c.office, 'from=2020-06-01&to=2020-06-01')).map((r) => r[0]);
    assert.equal(new Set(codes).size, codes.length, 'no row twice');
    assert.deepEqual(codes, want);
  } finally {
    c.sql(`DELETE FROM problems WHERE code LIKE 'KS-%'`);
  }
});

test('more than 100,000 rows: 422 with the count, no workbook, nothing audited', async () => {
  const t = Date.UTC(2019, 5, 1, 4);
  const tpl = (await c.assigned()).id;
  c.sql(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100001)
    INSERT INTO problems (tenant_id, code, category_id, description, source, status, created_at, updated_at)
    SELECT p.tenant_id, 'KO-' || n.i, p.category_id, p.description, p.source, 'reported', ${t} - n.i, ${t}
    FROM n, problems p WHERE p.id = ${tpl}`);
  try {
    const audits = (await ok(c.admin.api('/api/v1/audit?action=problem.export&size=1'))).total;
    const err = errorBody(await c.office.api('/api/v1/problems/export?from=2019-06-01&to=2019-06-01'), assert, 422, 'invalid');
    assert.equal(err.field, 'from');
    assert.match(err.message, /100001 个，超过 100000 个的导出上限/);
    assert.equal((await ok(c.admin.api('/api/v1/audit?action=problem.export&size=1'))).total, audits);
    // exactly the cap is fine
    c.sql(`DELETE FROM problems WHERE code = 'KO-100001'`);
    const rows = await exportOf(c.office, 'from=2019-06-01&to=2019-06-01');
    assert.equal(rows.length, 100000);
    assert.equal(rows[0][0], 'KO-1');
    assert.equal(rows[99999][0], 'KO-100000');
  } finally {
    c.sql(`DELETE FROM problems WHERE code LIKE 'KO-%'`);
  }
});

test('times are Excel dates in the tenant zone, not text', async () => {
  const b = await c.assigned(c.co.unit_id, { deadline: '2030-01-31' });
  const r = await fetch(`${c.srv.url}/api/v1/problems/export?keyword=${encodeURIComponent(b.code)}`, { headers: { cookie: c.office.cookie } });
  const buf = Buffer.from(await r.arrayBuffer());
  const rows = readSheet(buf, 10);
  assert.equal(rows[2][0], b.code);
  // 整改期限 and 上报时间 are numbers with a date format; the code is text
  assert.deepEqual([rows.kinds[2][0], rows.kinds[2][7], rows.kinds[2][11]], ['string', 'date', 'date']);
  assert.equal(rows[2][7], '2030-01-31 23:59');
  // the raw cell is the serial day of 2030-01-31 23:59 wall time (China), not UTC
  const sheet = (await import('./xlsx.mjs')).unzip(buf).get('xl/worksheets/sheet1.xml');
  const h3 = /<c r="H3"[^>]*><v>([^<]+)<\/v>/.exec(sheet);
  assert.ok(h3, 'H3 holds a number');
  assert.ok(Math.abs(Number(h3[1]) - (47514 + (23 * 60 + 59) / 1440)) < 1e-6, h3[1]);
});

// master.test.mjs - master data: problem categories (tree, defaults), grids
// (GeoJSON, workers, import), point types and points (CRUD, validation,
// xlsx import/export), tenant isolation, routing, and the demo county.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, cli, errorBody, loginAdmin, psql, DB_KIND } from './harness.mjs';

let srv;
let admin;
const ids = {};

function sql(text) {
  if (DB_KIND === 'postgres') return psql(srv.db.url, text);
  const file = srv.db.url.replace(/^sqlite:/, '');
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', file, text], { encoding: 'utf8' }).trim();
}

function upload(pathname, bytes, filename) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), filename);
  return admin.api(pathname, { method: 'POST', raw: form });
}

const square = (lng, lat, d) => ({
  type: 'Polygon',
  coordinates: [[[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]],
});

before(async () => {
  srv = await startServer();
  admin = await loginAdmin(srv);
  for (const name of ['测试城管局', '测试环卫所', '测试社区']) {
    const r = await admin.api('/api/v1/units', { method: 'POST', body: { name, kind: 'department' } });
    assert.equal(r.status, 201, r.text);
    ids[name] = r.body.id;
  }
});
after(async () => {
  assert.equal(await srv.stop(), 0);
});

test('categories: a tree with defaults; duplicates 409; cycles refused; delete with children 409', async () => {
  let r = await admin.api('/api/v1/categories', {
    method: 'POST',
    body: { code: 'SR', name: '市容环境', default_unit_id: ids['测试城管局'], default_deadline_hours: 72, severity: 2 },
  });
  assert.equal(r.status, 201, r.text);
  ids.sr = r.body.id;
  assert.equal(r.body.default_unit_name, '测试城管局');
  assert.equal(r.body.severity_name, '较重');
  r = await admin.api('/api/v1/categories', { method: 'POST', body: { code: 'SR01', name: '乱扔垃圾', parent_id: ids.sr } });
  assert.equal(r.status, 201, r.text);
  ids.litter = r.body.id;
  errorBody(await admin.api('/api/v1/categories', { method: 'POST', body: { code: 'SR01', name: '别的' } }), assert, 409, 'conflict');
  let err = errorBody(await admin.api('/api/v1/categories', { method: 'POST', body: { code: 'X1', name: '坏', severity: 4 } }), assert, 422, 'invalid');
  assert.equal(err.field, 'severity');
  err = errorBody(await admin.api('/api/v1/categories', { method: 'POST', body: { code: '中文', name: '坏' } }), assert, 422, 'invalid');
  assert.equal(err.field, 'code');
  err = errorBody(await admin.api('/api/v1/categories', { method: 'POST', body: { code: 'X2', name: '坏', default_unit_id: 999999 } }), assert, 422, 'invalid');
  assert.equal(err.field, 'default_unit_id');
  errorBody(await admin.api(`/api/v1/categories/${ids.sr}`, { method: 'PUT', body: { parent_id: ids.litter } }), assert, 409, 'conflict');
  r = await admin.api('/api/v1/categories?tree=1');
  assert.equal(r.body.items.length, 1);
  assert.equal(r.body.items[0].children[0].name, '乱扔垃圾');
  r = await admin.api('/api/v1/categories?keyword=垃圾');
  assert.equal(r.body.total, 1);
  errorBody(await admin.api(`/api/v1/categories/${ids.sr}`, { method: 'DELETE' }), assert, 409, 'conflict');
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'category.create'`), '2');
});

test('grids: GeoJSON checked, geometry returned, workers kept; delete in use 409', async () => {
  let err = errorBody(await admin.api('/api/v1/grids', {
    method: 'POST',
    body: { code: 'G1', name: '一网格', geometry: { type: 'Polygon', coordinates: [[[120, 30], [120.01, 30], [120.01, 30.01], [120, 30.01]]] } },
  }), assert, 422, 'invalid');
  assert.equal(err.field, 'geometry');
  err = errorBody(await admin.api('/api/v1/grids', {
    method: 'POST', body: { code: 'G1', name: '一网格', geometry: square(200, 30, 0.01) },
  }), assert, 422, 'invalid');
  assert.equal(err.field, 'geometry');
  errorBody(await admin.api('/api/v1/grids', { method: 'POST', body: { code: 'G1', name: '一网格', geometry: { type: 'Point', coordinates: [120, 30] } } }), assert, 422, 'invalid');
  const me = admin.me.id;
  let r = await admin.api('/api/v1/grids', {
    method: 'POST',
    body: { code: 'G1', name: '一网格', unit_id: ids['测试社区'], geometry: square(120, 30, 0.01), worker_ids: [me] },
  });
  assert.equal(r.status, 201, r.text);
  ids.g1 = r.body.id;
  assert.equal(r.body.vertex_count, 4);
  assert.ok(r.body.area_m2 > 1_000_000 && r.body.area_m2 < 1_200_000, String(r.body.area_m2));
  assert.deepEqual(r.body.worker_ids, [me]);
  r = await admin.api(`/api/v1/grids/${ids.g1}`);
  assert.equal(r.body.geometry.type, 'Polygon');
  r = await admin.api('/api/v1/grids?keyword=一网');
  assert.equal(r.body.total, 1);
  assert.equal(r.body.items[0].geometry, undefined);
  assert.equal(r.body.items[0].worker_count, 1);
  errorBody(await admin.api('/api/v1/grids', { method: 'POST', body: { code: 'G1', name: '另一', geometry: square(121, 30, 0.01) } }), assert, 409, 'conflict');
});

test('grids: GeoJSON import is all or nothing with errors per feature', async () => {
  const fc = (features) => ({ type: 'FeatureCollection', features });
  const feature = (props, geometry) => ({ type: 'Feature', properties: props, geometry });
  let r = await admin.api('/api/v1/grids/import-geojson', {
    method: 'POST',
    body: fc([
      feature({ name: '导入甲', code: 'GA', unit: '测试社区' }, square(121, 31, 0.01)),
      feature({ name: '导入乙', code: 'GB', unit: '没有的单位' }, square(121.1, 31, 0.01)),
      feature({ name: '导入丙', code: 'GC' }, { type: 'Polygon', coordinates: [[[1, 1], [2, 2]]] }),
    ]),
  });
  assert.equal(r.status, 422, r.text);
  assert.deepEqual(r.body.errors.map((e) => [e.feature, e.field]), [[2, 'unit'], [3, 'geometry']]);
  assert.equal(sql(`SELECT COUNT(*) FROM grids WHERE code IN ('GA','GB','GC')`), '0');
  r = await admin.api('/api/v1/grids/import-geojson', {
    method: 'POST',
    body: fc([
      feature({ name: '导入甲', code: 'GA', unit: '测试社区' }, square(121, 31, 0.01)),
      feature({ 名称: '导入乙' }, { type: 'MultiPolygon', coordinates: [square(121.1, 31, 0.01).coordinates] }),
    ]),
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.imported, 2);
  r = await admin.api('/api/v1/grids?size=100');
  assert.equal(r.body.total, 3);
});

test('point types and points: CRUD, validation, filters, in-use 409', async () => {
  let r = await admin.api('/api/v1/point-types', { method: 'POST', body: { code: 'T01', name: '主次干道' } });
  assert.equal(r.status, 201, r.text);
  ids.road = r.body.id;
  errorBody(await admin.api('/api/v1/point-types', { method: 'POST', body: { code: 'T02', name: '主次干道' } }), assert, 409, 'conflict');
  let err = errorBody(await admin.api('/api/v1/points', { method: 'POST', body: { code: 'P1', name: '人民路', type_id: ids.road, lat: 91, lng: 120 } }), assert, 422, 'invalid');
  assert.equal(err.field, 'lat');
  err = errorBody(await admin.api('/api/v1/points', { method: 'POST', body: { code: 'P1', name: '人民路', type_id: ids.road, lat: 30, lng: -181 } }), assert, 422, 'invalid');
  assert.equal(err.field, 'lng');
  err = errorBody(await admin.api('/api/v1/points', { method: 'POST', body: { code: 'P1', name: '人民路', type_id: 999999 } }), assert, 422, 'invalid');
  assert.equal(err.field, 'type_id');
  r = await admin.api('/api/v1/points', {
    method: 'POST',
    body: { code: 'P1', name: '人民路', type_id: ids.road, lat: 30.005, lng: 120.005, address: '人民路 1 号', grid_id: ids.g1, unit_id: ids['测试环卫所'], person: '王主任', phone: '13900001111' },
  });
  assert.equal(r.status, 201, r.text);
  ids.p1 = r.body.id;
  assert.equal(r.body.grid_name, '一网格');
  assert.equal(r.body.type_name, '主次干道');
  r = await admin.api('/api/v1/points', { method: 'POST', body: { code: 'P2', name: '无位置点', type_id: ids.road } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.lat, null);
  ids.p2 = r.body.id;
  errorBody(await admin.api('/api/v1/points', { method: 'POST', body: { code: 'P2', name: '重复', type_id: ids.road } }), assert, 409, 'conflict');
  r = await admin.api(`/api/v1/points?grid_id=${ids.g1}`);
  assert.deepEqual(r.body.items.map((p) => p.code), ['P1']);
  r = await admin.api(`/api/v1/points?unit_id=${ids['测试环卫所']}&type_id=${ids.road}&keyword=人民`);
  assert.equal(r.body.total, 1);
  r = await admin.api(`/api/v1/points/${ids.p2}`, { method: 'PUT', body: { name: '无位置点（改）' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.name, '无位置点（改）');
  errorBody(await admin.api(`/api/v1/point-types/${ids.road}`, { method: 'DELETE' }), assert, 409, 'conflict');
  errorBody(await admin.api(`/api/v1/grids/${ids.g1}`, { method: 'DELETE' }), assert, 409, 'conflict');
  r = await admin.api(`/api/v1/points/${ids.p2}`, { method: 'DELETE' });
  assert.equal(r.status, 204);
});

test('routing: the point\'s unit, else the grid around the coordinates, else the category; deadline up the tree', async () => {
  let r = await admin.api(`/api/v1/categories/${ids.litter}/route?point_id=${ids.p1}`);
  assert.deepEqual(r.body, { unit_id: ids['测试环卫所'], deadline_hours: 72 });
  r = await admin.api(`/api/v1/categories/${ids.litter}/route?lat=30.002&lng=120.008`);
  assert.deepEqual(r.body, { unit_id: ids['测试社区'], deadline_hours: 72 });
  r = await admin.api(`/api/v1/categories/${ids.litter}/route?lat=25&lng=100`);
  assert.deepEqual(r.body, { unit_id: ids['测试城管局'], deadline_hours: 72 });
  await admin.api(`/api/v1/categories/${ids.litter}`, { method: 'PUT', body: { default_deadline_hours: 24 } });
  r = await admin.api(`/api/v1/categories/${ids.litter}/route`);
  assert.deepEqual(r.body, { unit_id: ids['测试城管局'], deadline_hours: 24 });
  errorBody(await admin.api(`/api/v1/categories/${ids.litter}/route?lat=95&lng=120`), assert, 422, 'invalid');
});

test('another tenant\'s master data answers 404', async () => {
  const t = await admin.api('/api/v1/tenants', { method: 'POST', body: { name: '别的县', region_code: '330200', level: 'county' } });
  assert.equal(t.status, 201, t.text);
  const other = sql(`INSERT INTO point_types (tenant_id, code, name, created_at, updated_at) VALUES (${t.body.id}, 'T9', '别人的', 0, 0) RETURNING id`).split('\n')[0];
  errorBody(await admin.api(`/api/v1/point-types/${other}`), assert, 404, 'not_found');
  errorBody(await admin.api(`/api/v1/point-types/${other}`, { method: 'DELETE' }), assert, 404, 'not_found');
  const err = errorBody(await admin.api('/api/v1/points', { method: 'POST', body: { code: 'PX', name: '越权', type_id: Number(other) } }), assert, 422, 'invalid');
  assert.equal(err.field, 'type_id');
  const r = await admin.api('/api/v1/point-types');
  assert.ok(!r.body.items.some((x) => x.name === '别的县'));
  assert.equal(r.body.total, 1);
});

test('points import: bad rows reported by Excel row, nothing written; then all go in; export reads back', async () => {
  const head = '点位编码,点位名称,点位类型,经度,纬度,地址,所属网格,责任单位,责任人,联系电话,状态\n';
  const bad = head +
    'P10,东街,主次干道,120.001,30.001,东街,一网格,测试社区,李四,13800000000,启用\n' +
    'P11,西街,没有的类型,,,,,,,,\n' +
    'P12,南街,主次干道,120.001,,,,,,,\n' +
    'P1,北街,主次干道,,,,没有的网格,,,,\n';
  let r = await upload('/api/v1/points/import', Buffer.from(bad), 'points.csv');
  assert.equal(r.status, 422, r.text);
  assert.deepEqual(r.body.errors.map((e) => [e.row, e.field]),
    [[3, '点位类型'], [4, '纬度'], [5, '所属网格'], [5, '点位编码']]);
  assert.equal(sql(`SELECT COUNT(*) FROM points WHERE code = 'P10'`), '0');
  const good = head +
    'P10,东街,主次干道,120.001,30.001,东街,一网格,测试社区,李四,13800000000,启用\n' +
    'P11,西街,T01,,,,G1,,,,停用\n';
  r = await upload('/api/v1/points/import', Buffer.from(good), 'points.csv');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.imported, 2);
  r = await admin.api('/api/v1/points?keyword=西街');
  assert.equal(r.body.items[0].enabled, false);
  assert.equal(r.body.items[0].grid_name, '一网格');
  const ex = await fetch(`${srv.url}/api/v1/points/export`, { headers: { cookie: admin.cookie } });
  assert.equal(ex.status, 200);
  const bytes = Buffer.from(await ex.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  // the export imports again unchanged once its codes are free: every row collides now
  r = await upload('/api/v1/points/import', bytes, 'points.xlsx');
  assert.equal(r.status, 422);
  assert.equal(r.body.errors.length, 3);
  assert.ok(r.body.errors.every((e) => e.field === '点位编码'));
  const tpl = await fetch(`${srv.url}/api/v1/points/import/template`, { headers: { cookie: admin.cookie } });
  assert.equal(tpl.status, 200);
  const cat = await fetch(`${srv.url}/api/v1/categories/export`, { headers: { cookie: admin.cookie } });
  assert.equal(cat.status, 200);
});

test('the demo county has its grids, point types, roads, alleys and about 300 points', async () => {
  const s2 = await startServer();
  try {
    const d = await cli(['demo', '--empty'], s2.env);
    assert.equal(d.code, 0, d.stderr);
    const a = await loginAdmin(s2);
    let r = await a.api('/api/v1/grids?size=100');
    assert.equal(r.body.total, 9);
    r = await a.api('/api/v1/point-types?size=100');
    assert.ok(r.body.total >= 24);
    const road = r.body.items.find((t) => t.name === '主次干道');
    const alley = r.body.items.find((t) => t.name === '背街小巷');
    assert.equal(road.point_count, 12);
    assert.equal(alley.point_count, 20);
    r = await a.api('/api/v1/points?size=1');
    assert.ok(r.body.total >= 280 && r.body.total <= 320, String(r.body.total));
    r = await a.api('/api/v1/categories?tree=1');
    const names = r.body.items.map((c) => c.name);
    for (const n of ['市容环境', '交通秩序', '占道经营', '设施破损']) assert.ok(names.includes(n), n);
    const litter = r.body.items.find((c) => c.name === '市容环境').children.find((c) => c.name === '乱扔垃圾/烟头');
    assert.equal(litter.default_deadline_hours, 24);
    assert.equal(r.body.items.find((c) => c.name === '设施破损').default_deadline_hours, 168);
    // every demo point lies in the grid it names
    r = await a.api('/api/v1/points?size=500');
    const p = r.body.items[40];
    const route = await a.api(`/api/v1/categories/${litter.id}/route?lat=${p.lat}&lng=${p.lng}`);
    const grid = (await a.api(`/api/v1/grids/${p.grid_id}`)).body;
    assert.equal(route.body.unit_id, grid.unit_id);
    const verify = await cli(['audit', 'verify'], s2.env);
    assert.equal(verify.code, 0, verify.stdout);
  } finally {
    assert.equal(await s2.stop(), 0);
  }
});

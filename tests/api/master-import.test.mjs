// master-import.test.mjs - the xlsx/csv imports, templates and exports of
// problem categories, point types and grids: a sheet with bad rows is refused
// with exactly those rows (Excel row, column) and writes nothing; the fixed
// sheet goes in; the export reads back to what the list shows; and an export
// imported into another county and exported again gives the same sheet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, errorBody, loginAdmin, psql, DB_KIND } from './harness.mjs';
import { readSheet } from '../e2e/xlsx.mjs';

const PW = 'Grid-Worker-Pass-2026';
let srv; // the county the sheets are imported into
let admin;
let other; // a second county for the round trips
let otherAdmin;

function sql(server, text) {
  if (DB_KIND === 'postgres') return psql(server.db.url, text);
  const file = server.db.url.replace(/^sqlite:/, '');
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', file, text], { encoding: 'utf8' }).trim();
}

// A CSV with every field quoted, so commas and quotes in GeoJSON survive.
const csv = (rows) => Buffer.from(rows.map((r) => r.map((c) => `"${String(c).replaceAll('"', '""')}"`).join(',')).join('\r\n') + '\r\n');

function upload(client, pathname, bytes, filename = 'sheet.csv') {
  const form = new FormData();
  form.append('file', new Blob([bytes]), filename);
  return client.api(pathname, { method: 'POST', raw: form });
}

async function download(server, client, pathname) {
  const r = await fetch(server.url + pathname, { headers: { cookie: client.cookie } });
  assert.equal(r.status, 200, pathname);
  assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  return Buffer.from(await r.arrayBuffer());
}

const where = (r) => r.body.errors.map((e) => [e.row, e.field]);

// The same units and grid workers in both counties, so references resolve in each.
async function setUp(client) {
  for (const name of ['测试城管局', '测试环卫所', '城关街道']) {
    const r = await client.api('/api/v1/units', { method: 'POST', body: { name, kind: 'department' } });
    assert.equal(r.status, 201, r.text);
  }
  const units = (await client.api('/api/v1/units?size=100')).body.items;
  const street = units.find((u) => u.name === '城关街道').id;
  for (const [username, name] of [['gw01', '张网格'], ['gw02', '李网格'], ['gw03', '王网格'], ['gw04', '王网格']]) {
    const r = await client.api('/api/v1/users', {
      method: 'POST',
      body: { username, name, unit_id: street, roles: ['grid_worker'], password: PW },
    });
    assert.equal(r.status, 201, r.text);
  }
}

before(async () => {
  srv = await startServer();
  admin = await loginAdmin(srv);
  other = await startServer();
  otherAdmin = await loginAdmin(other);
  await setUp(admin);
  await setUp(otherAdmin);
});
after(async () => {
  assert.equal(await srv.stop(), 0);
  assert.equal(await other.stop(), 0);
});

// ---- templates ---------------------------------------------------------------

test('templates: the header the import matches, an example row, 填写说明', async () => {
  const want = {
    categories: ['分类编码', '分类名称', '上级分类', '默认责任单位', '处置时限（小时）', '严重程度', '排序', '状态'],
    'point-types': ['类型编码', '类型名称', '排序', '状态'],
    grids: ['网格编码', '网格名称', '责任单位', '网格员', '排序', '状态', '边界（GeoJSON）'],
  };
  for (const [what, header] of Object.entries(want)) {
    const buf = await download(srv, admin, `/api/v1/${what}/import/template`);
    const rows = readSheet(buf);
    assert.deepEqual(rows[0], header, what);
    assert.equal(rows.length, 2, `${what}: header and one example row`);
    assert.ok(buf.includes('xl/worksheets/sheet2.xml'), `${what}: the 填写说明 sheet`);
  }
});

// ---- categories ----------------------------------------------------------------

const CATEGORY_HEAD = ['分类编码', '分类名称', '上级分类', '默认责任单位', '处置时限（小时）', '严重程度', '排序', '状态'];

test('categories import: bad rows listed by Excel row and column, nothing written', async () => {
  const bad = csv([
    CATEGORY_HEAD,
    ['SR', '市容环境', '', '测试城管局', '72', '较重', '10', '启用'],
    ['SR01', '乱扔垃圾/烟头', '市容环境', '', '24', '一般', '', ''],
    ['SR02', '占用盲道', '没有的分类', '', '', '', '', ''],
    ['SR01', '重复编码', '市容环境', '', '', '', '', ''],
    ['SR03', '坏时限', 'SR', '', 'abc', '特急', '', ''],
    ['SR04', '乱扔垃圾/烟头', '市容环境', '', '', '', '', ''],
    ['SR05', '下级', '市容环境/乱扔垃圾/烟头', '不存在的单位', '', '', '', ''],
    ['中文码', '某分类', '', '', '', '', '', '暂停'],
    ['SR06', '', '', '', '9000', '', '100000', ''],
  ]);
  const r = await upload(admin, '/api/v1/categories/import', bad);
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.imported, 0);
  assert.deepEqual(where(r), [
    [4, '上级分类'],
    [5, '分类编码'],
    [6, '处置时限（小时）'],
    [6, '严重程度'],
    [7, '分类名称'],
    [8, '默认责任单位'],
    [9, '分类编码'],
    [9, '状态'],
    [10, '分类名称'],
    [10, '处置时限（小时）'],
    [10, '排序'],
  ]);
  assert.match(r.body.errors[0].message, /没有的分类/);
  assert.match(r.body.errors[1].message, /第 3 行/);
  assert.equal(sql(srv, 'SELECT COUNT(*) FROM problem_categories'), '0');
  assert.equal(sql(srv, `SELECT COUNT(*) FROM audit_log WHERE action = 'category.import'`), '0');

  // a sheet without a required column, an empty one, and bytes that are no sheet
  let e = await upload(admin, '/api/v1/categories/import', csv([['分类编码', '上级分类'], ['X', '']]));
  assert.equal(e.status, 422);
  assert.deepEqual(where(e), [[1, '分类名称']]);
  e = await upload(admin, '/api/v1/categories/import', csv([CATEGORY_HEAD]));
  assert.equal(e.status, 422);
  assert.equal(e.body.errors.length, 1);
  errorBody(await upload(admin, '/api/v1/categories/import', Buffer.from('PK\x03\x04 not a zip at all'), 'x.xlsx'), assert, 415, 'unsupported_media_type');
  errorBody(await admin.api('/api/v1/categories/import', { method: 'POST', body: {} }), assert, 415, 'unsupported_media_type');
});

test('categories import: the fixed sheet builds the tree, parents by path, name or code', async () => {
  const good = csv([
    CATEGORY_HEAD,
    ['SR', '市容环境', '', '测试城管局', '72', '较重', '10', '启用'],
    ['SR01', '乱扔垃圾/烟头', '市容环境', '', '24', '一般', '', ''],
    ['SR02', '占用盲道', 'SR', '测试环卫所', '', '严重', '5', '停用'],
    ['SR05', '下级', '市容环境/乱扔垃圾/烟头', '', '', '', '', ''],
    ['JT', '交通秩序', '', '', '48', '', '20', ''],
    ['JT01', '乱停乱放', '交通秩序', '', '', '2', '', ''],
  ]);
  let r = await upload(admin, '/api/v1/categories/import', good);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body, { imported: 6, errors: [] });
  r = await admin.api('/api/v1/categories?tree=1');
  const sr = r.body.items.find((c) => c.code === 'SR');
  assert.equal(sr.default_unit_name, '测试城管局');
  assert.equal(sr.default_deadline_hours, 72);
  assert.equal(sr.severity_name, '较重');
  assert.deepEqual(sr.children.map((c) => c.code), ['SR01', 'SR02'], 'siblings by sort');
  const litter = sr.children.find((c) => c.code === 'SR01');
  assert.deepEqual(litter.children.map((c) => c.code), ['SR05']);
  const blind = sr.children.find((c) => c.code === 'SR02');
  assert.equal(blind.enabled, false);
  assert.equal(blind.severity, 3);
  assert.equal(blind.default_unit_name, '测试环卫所');
  assert.equal(r.body.items.find((c) => c.code === 'JT').children[0].severity_name, '较重');

  // a later sheet hangs new categories under existing ones; existing codes are refused
  r = await upload(admin, '/api/v1/categories/import', csv([
    CATEGORY_HEAD,
    ['SR06', '烟头', '乱扔垃圾/烟头', '', '', '', '', ''],
    ['SR', '市容环境二', '', '', '', '', '', ''],
    ['JT02', '乱停乱放', 'JT', '', '', '', '', ''],
  ]));
  assert.equal(r.status, 422, r.text);
  assert.deepEqual(where(r), [[3, '分类编码'], [4, '分类名称']]);
  r = await upload(admin, '/api/v1/categories/import', csv([CATEGORY_HEAD, ['SR06', '烟头', '乱扔垃圾/烟头', '', '', '', '', '']]));
  assert.equal(r.status, 200, r.text);
  r = await admin.api('/api/v1/categories?keyword=烟头');
  assert.equal(r.body.items.find((c) => c.code === 'SR06').parent_id, litter.id);
  assert.equal(sql(srv, `SELECT COUNT(*) FROM audit_log WHERE action = 'category.import'`), '2');
});

test('categories export: reads back as the list; imported elsewhere and exported again, the same', async () => {
  const buf = await download(srv, admin, '/api/v1/categories/export');
  const rows = readSheet(buf, 1000);
  assert.deepEqual(rows[0], CATEGORY_HEAD);
  const list = (await admin.api('/api/v1/categories?size=500')).body.items;
  const byId = new Map(list.map((c) => [c.id, c]));
  const path = (c) => (c.parent_id ? `${path(byId.get(c.parent_id))}/${c.name}` : c.name);
  const want = list.map((c) => [
    c.code, c.name, c.parent_id ? path(byId.get(c.parent_id)) : '', c.default_unit_name,
    c.default_deadline_hours ? String(c.default_deadline_hours) : '', c.severity_name, String(c.sort), c.enabled ? '启用' : '停用',
  ]);
  const got = rows.slice(1).map((r) => CATEGORY_HEAD.map((_, i) => r[i] ?? ''));
  assert.deepEqual([...got].sort(), [...want].sort());
  assert.ok(got.findIndex((r) => r[0] === 'SR01') < got.findIndex((r) => r[0] === 'SR05'), 'parents before children');

  const r = await upload(otherAdmin, '/api/v1/categories/import', buf, 'categories.xlsx');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.imported, list.length);
  const again = readSheet(await download(other, otherAdmin, '/api/v1/categories/export'), 1000);
  assert.deepEqual(again, rows);
});

// ---- point types ----------------------------------------------------------------

const TYPE_HEAD = ['类型编码', '类型名称', '排序', '状态'];

test('point types import: bad rows refused; the fixed sheet goes in; export and round trip', async () => {
  let r = await admin.api('/api/v1/point-types', { method: 'POST', body: { code: 'T01', name: '主次干道' } });
  assert.equal(r.status, 201, r.text);
  r = await upload(admin, '/api/v1/point-types/import', csv([
    TYPE_HEAD,
    ['T02', '背街小巷', '20', '启用'],
    ['T01', '农贸市场', '', ''],
    ['T03', '主次干道', '', ''],
    ['T04', '背街小巷', 'x', '关闭'],
    ['T02', '', '', ''],
  ]));
  assert.equal(r.status, 422, r.text);
  assert.deepEqual(where(r), [
    [3, '类型编码'],
    [4, '类型名称'],
    [5, '排序'],
    [5, '状态'],
    [5, '类型名称'],
    [6, '类型名称'],
    [6, '类型编码'],
  ]);
  assert.equal((await admin.api('/api/v1/point-types')).body.total, 1, 'nothing written');

  r = await upload(admin, '/api/v1/point-types/import', csv([
    TYPE_HEAD,
    ['T02', '背街小巷', '20', '启用'],
    ['T03', '农贸市场', '', '停用'],
  ]));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.imported, 2);
  r = await admin.api('/api/v1/point-types?keyword=农贸');
  assert.equal(r.body.items[0].enabled, false);
  const types = (await admin.api('/api/v1/point-types?size=100')).body.items;
  const road = types.find((t) => t.code === 'T01');
  r = await admin.api('/api/v1/points', { method: 'POST', body: { code: 'P1', name: '人民路', type_id: road.id } });
  assert.equal(r.status, 201, r.text);

  const buf = await download(srv, admin, '/api/v1/point-types/export');
  const rows = readSheet(buf);
  assert.deepEqual(rows[0], [...TYPE_HEAD, '点位数']);
  const list = (await admin.api('/api/v1/point-types?size=100')).body.items;
  assert.deepEqual(rows.slice(1), list.map((t) => [t.code, t.name, String(t.sort), t.enabled ? '启用' : '停用', String(t.point_count)]));
  assert.equal(rows.find((x) => x[0] === 'T01')[4], '1');
  // the list's filters apply
  const enabledOnly = readSheet(await download(srv, admin, '/api/v1/point-types/export?enabled=true'));
  assert.deepEqual(enabledOnly.slice(1).map((x) => x[0]), ['T01', 'T02']);

  r = await upload(otherAdmin, '/api/v1/point-types/import', buf, 'types.xlsx');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.imported, 3);
  const again = readSheet(await download(other, otherAdmin, '/api/v1/point-types/export'));
  assert.deepEqual(again.map((x) => x.slice(0, 4)), rows.map((x) => x.slice(0, 4)), 'the same but the point counts');
  assert.equal(sql(srv, `SELECT COUNT(*) FROM audit_log WHERE action IN ('point_type.import', 'point_type.export')`), '3');
});

// ---- grids ----------------------------------------------------------------------

const GRID_HEAD = ['网格编码', '网格名称', '责任单位', '网格员', '排序', '状态', '边界（GeoJSON）'];
const square = (lng, lat, d) => JSON.stringify({
  type: 'Polygon',
  coordinates: [[[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]],
});

test('grids import: bad rows and bad polygons refused by row; the fixed sheet goes in with workers', async () => {
  let r = await admin.api('/api/v1/grids', { method: 'POST', body: { code: 'G001', name: '已有网格', geometry: JSON.parse(square(119, 29, 0.01)) } });
  assert.equal(r.status, 201, r.text);
  const bad = csv([
    GRID_HEAD,
    ['GA', '城关一网格', '城关街道', '张网格（gw01）、gw02', '10', '启用', square(120, 30, 0.01)],
    ['GB', '城关二网格', '', '', '', '', '{"type":"Polygon","coordinates":[[[120,30],[120.01,30],[120.01,30.01],[120,30.01]]]}'],
    ['GC', '城关三网格', '', '', '', '', '{"type":"Point","coordinates":[120,30]}'],
    ['GD', '城关四网格', '', '', '', '', square(200, 30, 0.01)],
    ['GE', '城关五网格', '', '', '', '', '不是 JSON'],
    ['GF', '城关六网格', '没有的单位', '没有的人、王网格', '', '', ''],
    ['G001', '已有网格', '', '', '', '', square(121, 30, 0.01)],
    ['GA', '城关一网格', '', '', '', '', square(121, 31, 0.01)],
  ]);
  r = await upload(admin, '/api/v1/grids/import', bad);
  assert.equal(r.status, 422, r.text);
  const field = '边界（GeoJSON）';
  assert.deepEqual(where(r), [
    [3, field],
    [4, field],
    [5, field],
    [6, field],
    [7, '责任单位'],
    [7, '网格员'],
    [7, '网格员'],
    [7, field],
    [8, '网格编码'],
    [8, '网格名称'],
    [9, '网格编码'],
    [9, '网格名称'],
  ]);
  assert.match(r.body.errors[6].message, /多个用户/, 'two users are called 王网格');
  assert.match(r.body.errors[10].message, /第 2 行/);
  assert.equal(sql(srv, `SELECT COUNT(*) FROM grids WHERE code <> 'G001'`), '0');

  const good = csv([
    GRID_HEAD,
    ['GA', '城关一网格', '城关街道', '张网格（gw01）、gw02', '10', '启用', square(120, 30, 0.01)],
    ['', '城关二网格', '测试城管局', 'gw03，gw04', '', '停用', JSON.stringify({ type: 'Feature', properties: {}, geometry: JSON.parse(square(120.01, 30, 0.01)) })],
    ['', '城关三网格', '', '', '', '', JSON.stringify({ type: 'MultiPolygon', coordinates: [JSON.parse(square(120.02, 30, 0.01)).coordinates] })],
  ]);
  r = await upload(admin, '/api/v1/grids/import', good);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.imported, 3);
  const list = (await admin.api('/api/v1/grids?size=100')).body.items;
  assert.deepEqual(list.map((g) => g.code).sort(), ['G001', 'G002', 'G003', 'GA'], 'codes numbered past the one taken');
  const one = (await admin.api(`/api/v1/grids/${list.find((g) => g.code === 'GA').id}`)).body;
  assert.deepEqual(one.workers.map((w) => w.username), ['gw01', 'gw02']);
  assert.equal(one.unit_name, '城关街道');
  assert.equal(one.vertex_count, 4);
  const two = list.find((g) => g.name === '城关二网格');
  assert.equal(two.enabled, false);
  assert.equal(two.worker_count, 2);
  assert.equal((await admin.api(`/api/v1/grids/${two.id}`)).body.geometry.type, 'Polygon', 'a Feature gives its geometry');
  // the imported boundary routes problems like one drawn by hand
  const cats = (await admin.api('/api/v1/categories?size=1')).body.items;
  r = await admin.api(`/api/v1/categories/${cats[0].id}/route?lat=30.005&lng=120.005`);
  assert.equal(r.body.unit_id, one.unit_id);
});

test('grids export: the list with workers, area and boundary; imported elsewhere, the same', async () => {
  const buf = await download(srv, admin, '/api/v1/grids/export');
  const rows = readSheet(buf);
  assert.deepEqual(rows[0], [...GRID_HEAD, '面积（平方米）', '顶点数']);
  const list = (await admin.api('/api/v1/grids?size=100')).body.items;
  assert.equal(rows.length - 1, list.length);
  for (const g of list) {
    const full = (await admin.api(`/api/v1/grids/${g.id}`)).body;
    const row = rows.find((x) => x[0] === g.code);
    assert.deepEqual(row.slice(0, 6), [
      g.code, g.name, g.unit_name, full.workers.map((w) => `${w.name}（${w.username}）`).join('、'), String(g.sort), g.enabled ? '启用' : '停用',
    ]);
    assert.deepEqual(JSON.parse(row[6]), full.geometry);
    assert.equal(Number(row[7]), Math.round(g.area_m2));
    assert.equal(Number(row[8]), g.vertex_count);
  }
  const filtered = readSheet(await download(srv, admin, '/api/v1/grids/export?keyword=城关一'));
  assert.deepEqual(filtered.slice(1).map((x) => x[0]), ['GA']);

  const r = await upload(otherAdmin, '/api/v1/grids/import', buf, 'grids.xlsx');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.imported, list.length);
  const again = readSheet(await download(other, otherAdmin, '/api/v1/grids/export'));
  assert.deepEqual(again, rows);
  // the same file again: every code and name is taken now
  const dup = await upload(otherAdmin, '/api/v1/grids/import', buf, 'grids.xlsx');
  assert.equal(dup.status, 422);
  assert.equal(dup.body.errors.length, 2 * list.length);
  assert.equal(sql(other, `SELECT COUNT(*) FROM audit_log WHERE action = 'grid.import'`), '1');
});

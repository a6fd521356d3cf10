// map.test.mjs - GET /map/features: grids with polygons, points and the located problems
// in the caller's scope under the list's filters, cut to a bbox; the tile server comes from
// the settings (empty by default) and is the one extra image source of the CSP.  On the demo
// county; SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, errorBody, login, loginAdmin } from './harness.mjs';
import { demoCast, ok } from './problems-fixtures.mjs';

let c;
before(async () => {
  c = await demoCast();
});
after(async () => c.stop());

const features = (client, q = '') => ok(client.api(`/api/v1/map/features${q ? `?${q}` : ''}`));

test('the office gets every layer; no tile server by default', async () => {
  const placed = await c.report(c.insp, { point_id: undefined, lat: 30.01, lng: 120.02, address: '地图测试路口' });
  const unplaced = await c.report(); // at the demo point: located through it
  const m = await features(c.office);
  assert.equal(m.tile_url, '');
  assert.equal(m.tile_attribution, '');
  assert.deepEqual(m.truncated, { grids: false, points: false, problems: false });
  assert.equal(m.grids.length, 9);
  for (const g of m.grids) {
    assert.match(g.geometry.type, /^(Multi)?Polygon$/);
    assert.ok(g.name && g.code);
  }
  const demoPoints = (await ok(c.admin.api('/api/v1/points?size=500'))).items.filter((p) => p.lat != null && p.enabled !== false);
  assert.equal(m.points.length, demoPoints.length);
  const p1 = m.points.find((p) => p.id === c.point.id);
  assert.equal(p1.name, c.point.name);
  assert.equal(p1.lat, c.point.lat);
  assert.ok(p1.type_name);
  const pr = m.problems.find((p) => p.id === placed.id);
  assert.deepEqual([pr.code, pr.status, pr.status_title, pr.lat, pr.lng, pr.overdue], [placed.code, 'reported', '待受理', 30.01, 120.02, false]);
  assert.equal(pr.category_name, c.category.name);
  assert.ok(m.problems.some((p) => p.id === unplaced.id));
  assert.ok(m.problems.every((p) => typeof p.lat === 'number' && typeof p.lng === 'number'));
});

test('filters, bbox and data scope', async () => {
  const a = await c.assigned();
  const far = await c.report(c.insp, { point_id: undefined, lat: 40, lng: 116 });
  // the list's filters apply
  const assigned = await features(c.office, 'status=assigned');
  assert.ok(assigned.problems.length >= 1);
  assert.ok(assigned.problems.every((p) => p.status === 'assigned'));
  assert.ok(assigned.problems.some((p) => p.id === a.id));
  const other = c.categories.find((x) => x.code === 'LQ');
  assert.ok(!(await features(c.office, `category_id=${other.id}`)).problems.some((p) => p.id === a.id));
  // bbox cuts every layer (minLng,minLat,maxLng,maxLat)
  const box = await features(c.office, 'bbox=115.9,39.9,116.1,40.1');
  assert.deepEqual(box.problems.map((p) => p.id), [far.id]);
  assert.deepEqual(box.points, []);
  assert.deepEqual(box.grids, []);
  const near = await features(c.office, `bbox=${c.point.lng - 0.001},${c.point.lat - 0.001},${c.point.lng + 0.001},${c.point.lat + 0.001}`);
  assert.ok(near.points.some((p) => p.id === c.point.id));
  assert.ok(!near.problems.some((p) => p.id === far.id));
  // a unit user sees its own problems only; the inspector its own reports
  const lead = await features(c.lead.user);
  assert.ok(lead.problems.some((p) => p.id === a.id));
  assert.ok(!lead.problems.some((p) => p.id === far.id));
  const stranger = await features(c.stranger.user);
  assert.ok(!stranger.problems.some((p) => p.id === a.id));
  const insp2 = await features(c.insp2);
  assert.ok(!insp2.problems.some((p) => p.id === far.id));
  // bad input
  for (const q of ['bbox=1,2,3', 'bbox=a,b,c,d', 'bbox=120,30,119,31', 'bbox=0,-91,1,1', 'bbox=1,2,3,4,5', 'status=nope', 'overdue=2']) {
    errorBody(await c.office.api(`/api/v1/map/features?${q}`), assert, 422, 'invalid');
  }
});

test('a role without master data permissions gets null layers; without problem:view 403', async () => {
  const vol = await login(c.srv.url, 'vol01', c.pw);
  errorBody(await vol.api('/api/v1/map/features'), assert, 403, 'forbidden');
  // strip master:grid:view from a custom role: grids and points become null
  const role = await ok(c.admin.api('/api/v1/roles', { method: 'POST', body: { key: 'mapper', name: '只看问题', data_scope: 'all', permissions: ['problem:view'] } }), 201);
  const users = (await ok(c.admin.api('/api/v1/users?keyword=vol02&size=5'))).items;
  await ok(c.admin.api(`/api/v1/users/${users[0].id}`, { method: 'PUT', body: { roles: ['mapper'] } }));
  const vol2 = await login(c.srv.url, 'vol02', c.pw);
  const m = await features(vol2);
  assert.equal(m.grids, null);
  assert.equal(m.points, null);
  assert.ok(m.problems.length > 0);
});

test('map_tile_url: given to the page and allowed by the CSP; a bad one stops the server from starting', async () => {
  const srv = await startServer({ env: { WENMING_MAP_TILE_URL: 'https://{s}.tiles.example.cn/{z}/{x}/{y}.png', WENMING_MAP_TILE_ATTRIBUTION: '© 示例地图' } });
  try {
    const admin = await loginAdmin(srv);
    const m = await ok(admin.api('/api/v1/map/features'));
    assert.equal(m.tile_url, 'https://{s}.tiles.example.cn/{z}/{x}/{y}.png');
    assert.equal(m.tile_attribution, '© 示例地图');
    const page = await fetch(`${srv.url}/map`);
    assert.match(page.headers.get('content-security-policy'), /img-src 'self' data: blob: https:\/\/\*\.tiles\.example\.cn;/);
  } finally {
    assert.equal(await srv.stop(), 0);
  }
  const plain = await fetch(`${c.srv.url}/map`);
  assert.match(plain.headers.get('content-security-policy'), /img-src 'self' data: blob:;/);
  await assert.rejects(startServer({ env: { WENMING_MAP_TILE_URL: 'https://x.cn/a.png; script-src *' } }), /map_tile_url|did not start|failed/);
});

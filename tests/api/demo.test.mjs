// demo.test.mjs - `wenming demo` builds the county of docs/domain.md, and each demo
// role sees only its own menu.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cli, login, loginAdmin, api } from './harness.mjs';

let srv;
let demoPassword;
before(async () => {
  srv = await startServer();
  const r = await cli(['demo'], srv.env);
  assert.equal(r.code, 0, r.stderr);
  demoPassword = r.stdout.match(/shown once\):\s*\n\s*(\S+)/)[1];
});
after(async () => {
  assert.equal(await srv.stop(), 0);
});

test('the demo is generated once, at the scale of a real county', async () => {
  const again = await cli(['demo'], srv.env);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /demo skipped/);
  assert.doesNotMatch(again.stdout, /shown once/);
  const admin = await loginAdmin(srv);
  assert.equal(admin.me.tenant.name, '示例县');
  assert.match(admin.me.tenant.eval_date, /^\d{4}-\d{2}-\d{2}$/);
  const verify = await cli(['audit', 'verify'], srv.env);
  assert.equal(verify.code, 0, verify.stdout);
});

const menus = {
  office01: ['units', 'users', 'roles', 'audit', 'logins', 'sessions', 'settings'],
  leader01: ['units', 'users', 'roles', 'audit', 'logins', 'sessions', 'settings'],
  // a unit's menu is its work: its administrator manages its users; the
  // county-wide catalogues are for the office and leaders
  insp01: [],
  dept01: ['users'],
  dept01s: [],
  comm01: [],
  grid01: [],
  vol01: [],
};

test('each demo role logs in with the generated password and sees its own menu', async () => {
  for (const [user, items] of Object.entries(menus)) {
    const s = await login(srv.url, user, demoPassword);
    const system = s.me.menu.find((m) => m.key === 'system');
    const keys = system ? system.children.map((c) => c.key) : [];
    assert.deepEqual(keys, items, user);
    assert.equal(s.me.menu[0].key, 'home', user);
    assert.ok(!s.me.is_platform_admin, user);
    assert.ok(s.me.unit === null || typeof s.me.unit.name === 'string');
  }
  const admin = await loginAdmin(srv);
  const keys = admin.me.menu.find((m) => m.key === 'system').children.map((c) => c.key);
  assert.deepEqual(keys, ['tenants', ...menus.office01]);
  assert.equal((await api(srv.url, '/api/v1/me')).status, 401);
});

test('a wrong password for a demo account is refused', async () => {
  await assert.rejects(login(srv.url, 'office02', 'not the demo password'), /401/);
});

test('a department liaison sees its own department only: 404 for another, 403 for admin endpoints', async () => {
  const admin = await loginAdmin(srv);
  const find = async (username) => {
    const r = await admin.api(`/api/v1/users?keyword=${username}&size=50`);
    assert.equal(r.status, 200);
    return r.body.items.find((u) => u.username === username);
  };
  const own = await find('dept01');      // unit_admin of the same department as dept01s
  const other = await find('dept02');    // another department's admin
  const liaison = await login(srv.url, 'dept01s', demoPassword);
  assert.equal((await liaison.api(`/api/v1/users/${own.id}`)).status, 200);
  const hidden = await liaison.api(`/api/v1/users/${other.id}`);
  assert.equal(hidden.status, 404);
  assert.equal(hidden.body.error.code, 'not_found');
  const unitHidden = await liaison.api(`/api/v1/units/${other.unit_id}`);
  assert.equal(unitHidden.status, 404);
  const list = await liaison.api('/api/v1/users?size=500');
  assert.ok(list.body.items.every((u) => u.unit_id === own.unit_id), 'only its own unit');
  for (const [method, path] of [['GET', '/api/v1/roles'], ['GET', '/api/v1/tenants'], ['GET', '/api/v1/audit'],
    ['POST', '/api/v1/units'], ['GET', '/api/v1/sessions']]) {
    const r = await liaison.api(path, method === 'POST' ? { method, body: { name: 'x', kind: 'other' } } : {});
    assert.equal(r.status, 403, `${method} ${path}`);
  }
});

test('no password or session token ever reaches the server log', async () => {
  const s = await login(srv.url, 'office03', demoPassword);
  await s.api('/api/v1/me');
  await s.api('/api/v1/me', { method: 'PUT', body: { name: '日志检查' } });
  await assert.rejects(login(srv.url, 'office04', 'a wrong password 密码'), /401/);
  await new Promise((r) => setTimeout(r, 100));
  const log = srv.log();
  const token = s.cookie.split('=')[1];
  assert.ok(log.includes('POST /api/v1/auth/login'), 'the log is being read');
  for (const secret of [demoPassword, srv.adminPassword, token, s.csrf, 'a wrong password']) {
    assert.ok(!log.includes(secret), `secret found in the log: ${secret.slice(0, 4)}...`);
  }
});

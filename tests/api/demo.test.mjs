// demo.test.mjs - `wenming demo` builds the county of DESIGN.md, and each demo
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
  office01: ['units', 'users', 'roles', 'audit', 'logins', 'sessions'],
  leader01: ['units', 'users', 'roles', 'audit', 'logins', 'sessions'],
  insp01: ['units'],
  dept01: ['units', 'users'],
  dept01s: ['units', 'users'],
  comm01: ['units', 'users'],
  grid01: ['units'],
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

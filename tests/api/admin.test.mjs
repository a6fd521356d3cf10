// admin.test.mjs - roles, tenants, the audit log and online sessions
// (docs/accounts.md), tenant isolation, and the authorization matrix: every
// built-in role against every endpoint the server registers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { startServer, api, cli, errorBody, login, loginAdmin, psql, DB_KIND, ROOT } from './harness.mjs';

let srv;
let admin; // the platform administrator `wenming init` made, tenant 1
const PW = 'matrix-pass-2468';

// ---- helpers ---------------------------------------------------------------

function sql(text) {
  if (DB_KIND === 'postgres') return psql(srv.db.url, text);
  const file = srv.db.url.replace(/^sqlite:/, '');
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', file, text], { encoding: 'utf8' }).trim();
}

// A user straight in the database (roles by key), password set by the CLI.
async function createUserDb(username, roles, tenantId = 1, password = PW) {
  sql(
    `INSERT INTO users (tenant_id, username, name, phone, password_hash, is_platform_admin, enabled,` +
      ` password_changed_at, created_at, updated_at) VALUES (${tenantId}, '${username}', '用户${username}', '', '!', 0, 1, 0, 0, 0)`,
  );
  for (const role of roles) {
    sql(
      `INSERT INTO user_roles (user_id, role_id) SELECT u.id, r.id FROM users u JOIN roles r` +
        ` ON r.tenant_id = u.tenant_id WHERE u.username = '${username}' AND r.key = '${role}'`,
    );
  }
  const r = await cli(['user', 'passwd', username], srv.env, password + '\n');
  assert.equal(r.code, 0, r.stderr);
}

// Through POST /users when that endpoint exists and takes the request, else in the database.
let usersApi = null;
async function createUser(username, roles, t) {
  if (usersApi === null) usersApi = (await api(srv.url, '/api/v1/users')).status === 401;
  if (usersApi) {
    const r = await admin.api('/api/v1/users', { method: 'POST', body: { username, name: `用户${username}`, roles } });
    if (r.status === 201 || r.status === 200) {
      const p = await cli(['user', 'passwd', username], srv.env, PW + '\n');
      assert.equal(p.code, 0, p.stderr);
      return;
    }
    t?.diagnostic(`POST /users answered ${r.status} for ${username}; inserting in the database`);
  }
  await createUserDb(username, roles);
}

function insertUnit(tenantId, name) {
  const id = Number(
    sql(`INSERT INTO units (tenant_id, name, kind, created_at, updated_at) VALUES (${tenantId}, '${name}', 'department', 0, 0) RETURNING id`).split('\n')[0],
  );
  sql(`UPDATE units SET ancestors = '/${id}/' WHERE id = ${id}`);
  return id;
}

const shanghaiDate = (ms) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(ms));

async function allPages(client, pathname) {
  const items = [];
  for (let page = 1; ; page++) {
    const r = await client.api(`${pathname}${pathname.includes('?') ? '&' : '?'}size=500&page=${page}`);
    assert.equal(r.status, 200, r.text);
    items.push(...r.body.items);
    if (page * 500 >= r.body.total) return items;
  }
}

before(async () => {
  srv = await startServer();
  admin = await loginAdmin(srv);
});

after(async () => {
  const code = await srv.stop();
  assert.equal(code, 0, `server exit code ${code}\n${srv.log().slice(-3000)}`);
});

// ---- roles -------------------------------------------------------------------

test('GET /permissions: the catalogue grouped, without system:tenant', async () => {
  const r = await admin.api('/api/v1/permissions');
  assert.equal(r.status, 200);
  const keys = r.body.flatMap((g) => {
    assert.ok(g.group && Array.isArray(g.items));
    return g.items.map((i) => i.key);
  });
  assert.deepEqual(keys.sort(), [...ALL_PERMS].sort());
  assert.ok(!keys.some((k) => k.startsWith('system:tenant:')));
});

test('roles: the built-in ones, with user_count and permissions from the code', async () => {
  const r = await admin.api('/api/v1/roles?size=100');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.items.map((x) => x.key), Object.keys(ROLE_PERMS));
  assert.equal(r.body.total, 8);
  for (const role of r.body.items) assert.equal(role.builtin, true);
  assert.equal(r.body.items.find((x) => x.key === 'admin').user_count, 1);
  const office = r.body.items.find((x) => x.key === 'office');
  const one = await admin.api(`/api/v1/roles/${office.id}`);
  assert.equal(one.status, 200);
  assert.deepEqual(one.body.permissions.sort(), [...ROLE_PERMS.office].sort());
  assert.equal(one.body.data_scope, 'all');
  assert.deepEqual(one.body.unit_ids, []);
  errorBody(await admin.api('/api/v1/roles/999999'), assert, 404, 'not_found');
  errorBody(await admin.api('/api/v1/roles/abc'), assert, 404, 'not_found');
  // filters
  const named = await admin.api(`/api/v1/roles?name=${encodeURIComponent('创城')}`);
  assert.deepEqual(named.body.items.map((x) => x.key), ['office']);
  errorBody(await admin.api('/api/v1/roles?size=0'), assert, 422, 'invalid');
});

test('roles: create, validate, update, delete, all audited', async () => {
  const unit = insertUnit(1, '住建局');
  const body = { key: 'inspect_lead', name: '督查组长', data_scope: 'all', permissions: ['org:unit:view', 'audit:log:view'] };
  const created = await admin.api('/api/v1/roles', { method: 'POST', body });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.key, 'inspect_lead');
  assert.equal(created.body.builtin, false);
  assert.equal(created.body.enabled, true);
  assert.equal(created.body.user_count, 0);
  assert.deepEqual(created.body.permissions.sort(), ['audit:log:view', 'org:unit:view']);
  const id = created.body.id;

  const bad = async (b, status, code, field) => {
    const r = await admin.api('/api/v1/roles', { method: 'POST', body: { ...body, key: 'another_one', ...b } });
    const err = errorBody(r, assert, status, code);
    if (field) assert.equal(err.field, field, JSON.stringify(b));
  };
  await bad({ key: 'Bad-Key' }, 422, 'invalid', 'key');
  await bad({ key: '9lives' }, 422, 'invalid', 'key');
  await bad({ key: 'inspect_lead' }, 409, 'conflict', 'key');
  await bad({ key: 'office' }, 409, 'conflict', 'key');
  await bad({ name: '' }, 422, 'invalid', 'name');
  await bad({ data_scope: 'everything' }, 422, 'invalid', 'data_scope');
  await bad({ permissions: ['org:unit:fly'] }, 422, 'invalid', 'permissions');
  await bad({ permissions: ['system:tenant:view'] }, 422, 'invalid', 'permissions');
  await bad({ permissions: 'org:unit:view' }, 422, 'invalid', 'permissions');
  await bad({ data_scope: 'custom' }, 422, 'invalid', 'unit_ids');
  await bad({ data_scope: 'custom', unit_ids: [999999] }, 422, 'invalid', 'unit_ids');
  await bad({ data_scope: 'unit', unit_ids: [unit] }, 422, 'invalid', 'unit_ids');
  await bad({ extra: 1 }, 422, 'invalid', 'extra');
  const noKey = await admin.api('/api/v1/roles', { method: 'POST', body: { name: '无标识', data_scope: 'all' } });
  assert.equal(errorBody(noKey, assert, 422, 'invalid').field, 'key');

  // custom scope with a unit of the tenant
  const custom = await admin.api('/api/v1/roles', {
    method: 'POST',
    body: { key: 'town_watch', name: '乡镇督查', data_scope: 'custom', unit_ids: [unit, unit], permissions: ['org:unit:view'] },
  });
  assert.equal(custom.status, 201, custom.text);
  assert.deepEqual(custom.body.unit_ids, [unit]);

  // update: fields left out keep their values
  const up = await admin.api(`/api/v1/roles/${id}`, { method: 'PUT', body: { name: '督查组长（新）', permissions: ['org:unit:view'] } });
  assert.equal(up.status, 200, up.text);
  assert.equal(up.body.name, '督查组长（新）');
  assert.equal(up.body.data_scope, 'all');
  assert.deepEqual(up.body.permissions, ['org:unit:view']);
  errorBody(await admin.api(`/api/v1/roles/${id}`, { method: 'PUT', body: { key: 'renamed' } }), assert, 422, 'invalid');
  const off = await admin.api(`/api/v1/roles/${id}`, { method: 'PUT', body: { enabled: false } });
  assert.equal(off.body.enabled, false);
  errorBody(await admin.api('/api/v1/roles/999999', { method: 'PUT', body: { name: 'x' } }), assert, 404, 'not_found');

  // delete: a custom role nobody holds
  const del = await admin.api(`/api/v1/roles/${id}`, { method: 'DELETE' });
  assert.equal(del.status, 204);
  errorBody(await admin.api(`/api/v1/roles/${id}`), assert, 404, 'not_found');
  errorBody(await admin.api(`/api/v1/roles/${id}`, { method: 'DELETE' }), assert, 404, 'not_found');

  const audit = await admin.api('/api/v1/audit?action=role.&size=100');
  const actions = audit.body.items.filter((x) => x.object_id === String(id)).map((x) => x.action);
  assert.deepEqual(actions, ['role.delete', 'role.update', 'role.update', 'role.create']);
  const createdRow = audit.body.items.find((x) => x.action === 'role.create' && x.object_id === String(id));
  assert.equal(createdRow.object_type, 'role');
  assert.equal(createdRow.summary.key, 'inspect_lead');
});

test('built-in roles: only name and data scope change; never deleted', async () => {
  const roles = (await admin.api('/api/v1/roles?size=100')).body.items;
  const office = roles.find((x) => x.key === 'office');
  const r = await admin.api(`/api/v1/roles/${office.id}`, { method: 'PUT', body: { name: '创城办公室', data_scope: 'unit_below' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.name, '创城办公室');
  assert.equal(r.body.data_scope, 'unit_below');
  assert.deepEqual(r.body.permissions.sort(), [...ROLE_PERMS.office].sort(), 'permissions still from the code');
  // the same permissions sent back are fine; others are not
  const same = await admin.api(`/api/v1/roles/${office.id}`, { method: 'PUT', body: { permissions: ROLE_PERMS.office, key: 'office', enabled: true } });
  assert.equal(same.status, 200, same.text);
  const perms = await admin.api(`/api/v1/roles/${office.id}`, { method: 'PUT', body: { permissions: ['org:unit:view'] } });
  assert.equal(errorBody(perms, assert, 422, 'invalid').field, 'permissions');
  const disable = await admin.api(`/api/v1/roles/${office.id}`, { method: 'PUT', body: { enabled: false } });
  assert.equal(errorBody(disable, assert, 422, 'invalid').field, 'enabled');
  const rekey = await admin.api(`/api/v1/roles/${office.id}`, { method: 'PUT', body: { key: 'office2' } });
  assert.equal(errorBody(rekey, assert, 422, 'invalid').field, 'key');
  errorBody(await admin.api(`/api/v1/roles/${office.id}`, { method: 'DELETE' }), assert, 409, 'conflict');
  const back = await admin.api(`/api/v1/roles/${office.id}`, { method: 'PUT', body: { name: '创城办', data_scope: 'all' } });
  assert.equal(back.status, 200);
});

test('roles: nobody grants what they lack; changes apply at the next request; held roles are not deleted', async () => {
  const mgr = await admin.api('/api/v1/roles', {
    method: 'POST',
    body: { key: 'role_mgr', name: '角色管理员', data_scope: 'all', permissions: ['org:role:view', 'org:role:edit', 'org:unit:view'] },
  });
  assert.equal(mgr.status, 201, mgr.text);
  await createUserDb('role_mgr_user', ['role_mgr']);
  const m = await login(srv.url, 'role_mgr_user', PW);

  const ok = await m.api('/api/v1/roles', { method: 'POST', body: { key: 'unit_viewer', name: '单位查看', data_scope: 'self', permissions: ['org:unit:view'] } });
  assert.equal(ok.status, 201, ok.text);
  const over = await m.api('/api/v1/roles', { method: 'POST', body: { key: 'log_reader', name: '日志', data_scope: 'all', permissions: ['org:unit:view', 'audit:log:export'] } });
  assert.equal(errorBody(over, assert, 403, 'forbidden').field, 'permissions');
  const widen = await m.api(`/api/v1/roles/${ok.body.id}`, { method: 'PUT', body: { permissions: ['org:unit:view', 'org:user:edit'] } });
  assert.equal(errorBody(widen, assert, 403, 'forbidden').field, 'permissions');
  // removing is fine; so is keeping a permission the role already has
  const narrow = await m.api(`/api/v1/roles/${ok.body.id}`, { method: 'PUT', body: { permissions: [] } });
  assert.equal(narrow.status, 200, narrow.text);

  // a change to the role of a logged-in user applies at once, no new login
  errorBody(await m.api('/api/v1/audit'), assert, 403, 'forbidden');
  const grant = await admin.api(`/api/v1/roles/${mgr.body.id}`, {
    method: 'PUT',
    body: { permissions: ['org:role:view', 'org:role:edit', 'org:unit:view', 'audit:log:view'] },
  });
  assert.equal(grant.status, 200);
  assert.equal((await m.api('/api/v1/audit')).status, 200);
  const revoke = await admin.api(`/api/v1/roles/${mgr.body.id}`, { method: 'PUT', body: { enabled: false } });
  assert.equal(revoke.status, 200);
  errorBody(await m.api('/api/v1/roles'), assert, 403, 'forbidden');
  await admin.api(`/api/v1/roles/${mgr.body.id}`, { method: 'PUT', body: { enabled: true } });

  // held by a user: 409, and the user keeps it
  const held = await admin.api(`/api/v1/roles/${mgr.body.id}`, { method: 'DELETE' });
  errorBody(held, assert, 409, 'conflict');
  assert.equal((await admin.api(`/api/v1/roles/${mgr.body.id}`)).body.user_count, 1);
  assert.equal((await m.api('/api/v1/roles')).status, 200);
});

// ---- tenants ---------------------------------------------------------------------

let tenant2;

test('tenants: create with validation, seeded roles, read, update; 404 for unknown ids', async () => {
  const list = await admin.api('/api/v1/tenants');
  assert.equal(list.status, 200);
  assert.equal(list.body.total, 1);
  assert.equal(list.body.items[0].name, '测试县');

  const body = { name: '第二县', region_code: '330102', level: 'county', eval_date: '2027-05-01' };
  const bad = async (b, field) => {
    const r = await admin.api('/api/v1/tenants', { method: 'POST', body: { ...body, ...b } });
    assert.equal(errorBody(r, assert, 422, 'invalid').field, field, JSON.stringify(b));
  };
  await bad({ region_code: '12345' }, 'region_code');
  await bad({ region_code: '1234567' }, 'region_code');
  await bad({ region_code: '33010x' }, 'region_code');
  await bad({ level: 'province' }, 'level');
  await bad({ eval_date: '2027-02-30' }, 'eval_date');
  await bad({ eval_date: '2027/05/01' }, 'eval_date');
  await bad({ timezone: 'Mars/Olympus' }, 'timezone');
  await bad({ name: '' }, 'name');
  await bad({ enabled: 'yes' }, 'enabled');
  const noName = await admin.api('/api/v1/tenants', { method: 'POST', body: { region_code: '330102', level: 'county' } });
  assert.equal(errorBody(noName, assert, 422, 'invalid').field, 'name');

  const r = await admin.api('/api/v1/tenants', { method: 'POST', body });
  assert.equal(r.status, 201, r.text);
  tenant2 = r.body;
  assert.equal(tenant2.name, '第二县');
  assert.equal(tenant2.region_code, '330102');
  assert.equal(tenant2.eval_date, '2027-05-01');
  assert.equal(tenant2.timezone, 'Asia/Shanghai');
  assert.equal(tenant2.enabled, true);
  assert.equal(sql(`SELECT COUNT(*) FROM roles WHERE tenant_id = ${tenant2.id} AND builtin = 1`), '8');
  const dup = await admin.api('/api/v1/tenants', { method: 'POST', body: { ...body, name: '重复' } });
  assert.equal(errorBody(dup, assert, 409, 'conflict').field, 'region_code');

  const got = await admin.api(`/api/v1/tenants/${tenant2.id}`);
  assert.deepEqual(got.body, tenant2);
  errorBody(await admin.api('/api/v1/tenants/999999'), assert, 404, 'not_found');
  errorBody(await admin.api('/api/v1/tenants/999999', { method: 'PUT', body: { name: 'x' } }), assert, 404, 'not_found');

  const up = await admin.api(`/api/v1/tenants/${tenant2.id}`, { method: 'PUT', body: { name: '第二县（改）', eval_date: null, level: 'district' } });
  assert.equal(up.status, 200, up.text);
  assert.equal(up.body.name, '第二县（改）');
  assert.equal(up.body.eval_date, null);
  assert.equal(up.body.level, 'district');
  assert.equal(up.body.region_code, '330102');
  const own = await admin.api('/api/v1/tenants/1', { method: 'PUT', body: { enabled: false } });
  errorBody(own, assert, 409, 'conflict');
  const filtered = await admin.api(`/api/v1/tenants?name=${encodeURIComponent('第二')}`);
  assert.deepEqual(filtered.body.items.map((x) => x.id), [tenant2.id]);

  const audit = await admin.api('/api/v1/audit?object_type=tenant');
  assert.deepEqual(audit.body.items.map((x) => x.action), ['tenant.update', 'tenant.create']);
  assert.equal(audit.body.items[1].object_id, String(tenant2.id));
});

test('tenants: a tenant office user and a tenant admin get 403', async () => {
  await createUser('office_a', ['office']);
  await createUserDb('admin_not_platform', ['admin']);
  for (const name of ['office_a', 'admin_not_platform']) {
    const u = await login(srv.url, name, PW);
    errorBody(await u.api('/api/v1/tenants'), assert, 403, 'forbidden');
    errorBody(await u.api(`/api/v1/tenants/${tenant2.id}`), assert, 403, 'forbidden');
    errorBody(await u.api('/api/v1/tenants', { method: 'POST', body: { name: 'x', region_code: '110101', level: 'city' } }), assert, 403, 'forbidden');
    assert.ok(!u.me.menu.some((m) => (m.children || []).some((c) => c.key === 'tenants')));
  }
});

test('a disabled tenant: its users cannot log in and their sessions end', async () => {
  await createUserDb('t2_admin', ['admin'], tenant2.id);
  const s = await login(srv.url, 't2_admin', PW);
  assert.equal(s.me.tenant.id, tenant2.id);
  const off = await admin.api(`/api/v1/tenants/${tenant2.id}`, { method: 'PUT', body: { enabled: false } });
  assert.equal(off.status, 200);
  assert.equal(off.body.enabled, false);
  errorBody(await s.api('/api/v1/me'), assert, 401, 'unauthorized');
  await assert.rejects(login(srv.url, 't2_admin', PW), /401/);
  const on = await admin.api(`/api/v1/tenants/${tenant2.id}`, { method: 'PUT', body: { enabled: true } });
  assert.equal(on.body.enabled, true);
  await login(srv.url, 't2_admin', PW);
});

// ---- isolation between tenants ----------------------------------------------------

test("another tenant's admin sees none of tenant 1's roles, audit rows or sessions", async () => {
  const t2 = await login(srv.url, 't2_admin', PW);
  const own = await allPages(admin, '/api/v1/roles');
  const theirs = await allPages(t2, '/api/v1/roles');
  assert.equal(theirs.length, 8);
  const ownIds = new Set(own.map((x) => x.id));
  assert.ok(theirs.every((x) => !ownIds.has(x.id)));
  const role1 = own.find((x) => x.key === 'office');
  errorBody(await t2.api(`/api/v1/roles/${role1.id}`), assert, 404, 'not_found');
  errorBody(await t2.api(`/api/v1/roles/${role1.id}`, { method: 'PUT', body: { name: '偷改' } }), assert, 404, 'not_found');
  const custom1 = own.find((x) => !x.builtin);
  errorBody(await t2.api(`/api/v1/roles/${custom1.id}`, { method: 'DELETE' }), assert, 404, 'not_found');
  // a custom role of tenant 2 cannot point at a unit of tenant 1
  const unit1 = Number(sql(`SELECT MIN(id) FROM units WHERE tenant_id = 1`));
  const cross = await t2.api('/api/v1/roles', { method: 'POST', body: { key: 'spy', name: '越权', data_scope: 'custom', unit_ids: [unit1] } });
  assert.equal(errorBody(cross, assert, 422, 'invalid').field, 'unit_ids');

  const rows1 = await allPages(admin, '/api/v1/audit');
  const rows2 = await allPages(t2, '/api/v1/audit');
  assert.ok(rows1.length > 10 && rows2.length > 0);
  const ids1 = new Set(rows1.map((x) => x.id));
  assert.ok(rows2.every((x) => !ids1.has(x.id)), 'no shared audit rows');
  assert.ok(rows2.every((x) => x.username !== 'admin'));
  const logins2 = await allPages(t2, '/api/v1/audit/logins');
  assert.ok(logins2.every((x) => !ids1.has(x.id) && x.action.startsWith('auth.')));
  assert.ok(rows1.every((x) => x.username !== 't2_admin'));

  const sessions2 = await allPages(t2, '/api/v1/sessions');
  assert.ok(sessions2.length >= 1 && sessions2.every((x) => x.username === 't2_admin'));
  const sessions1 = await allPages(admin, '/api/v1/sessions');
  const mine = sessions1.find((x) => x.current);
  errorBody(await t2.api(`/api/v1/sessions/${mine.id}`, { method: 'DELETE' }), assert, 404, 'not_found');
  assert.equal((await admin.api('/api/v1/me')).status, 200, 'still logged in');
});

// ---- audit log -------------------------------------------------------------------

test('audit: filters by time (ms or a date in the tenant zone), user, action, type, result; paging', async () => {
  const all = await admin.api('/api/v1/audit?size=500');
  assert.ok(all.body.total > 10);
  const ids = all.body.items.map((x) => x.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
  for (const x of all.body.items) {
    for (const k of ['id', 'at', 'username', 'ip', 'action', 'object_type', 'object_id', 'summary', 'result', 'request_id']) {
      assert.ok(k in x, k);
    }
  }
  const now = Date.now();
  assert.equal((await admin.api(`/api/v1/audit?from=${now + 3600000}`)).body.total, 0);
  assert.equal((await admin.api('/api/v1/audit?to=1000')).body.total, 0);
  const today = shanghaiDate(now);
  const dayStart = Date.parse(`${today}T00:00:00+08:00`);
  const byDate = await admin.api(`/api/v1/audit?from=${today}&to=${today}&size=500`);
  assert.equal(byDate.status, 200);
  assert.ok(byDate.body.total > 0);
  assert.ok(byDate.body.items.every((x) => x.at >= dayStart && x.at < dayStart + 86400000));
  const yesterday = shanghaiDate(dayStart - 1);
  assert.equal((await admin.api(`/api/v1/audit?to=${yesterday}`)).body.total, 0);

  const user = await admin.api('/api/v1/audit?user=t2_admin');
  assert.equal(user.body.total, 0, "another tenant's user is not in this log");
  const mine = await admin.api('/api/v1/audit?user=admin&size=500');
  assert.ok(mine.body.items.length > 0 && mine.body.items.every((x) => x.username === 'admin'));
  const roles = await admin.api('/api/v1/audit?action=role.&size=500');
  assert.ok(roles.body.items.length > 0 && roles.body.items.every((x) => x.action.startsWith('role.')));
  const types = await admin.api('/api/v1/audit?object_type=role&size=500');
  assert.ok(types.body.items.every((x) => x.object_type === 'role'));
  const denied = await admin.api('/api/v1/audit?result=denied&size=500');
  assert.ok(denied.body.items.length > 0 && denied.body.items.every((x) => x.result === 'denied'));

  const p1 = await admin.api('/api/v1/audit?size=2&page=1');
  const p2 = await admin.api('/api/v1/audit?size=2&page=2');
  assert.equal(p1.body.items.length, 2);
  assert.equal(p2.body.items.length, 2);
  assert.ok(p1.body.items[1].id > p2.body.items[0].id);
  assert.equal(p1.body.total, p2.body.total);

  for (const [q, field] of [
    ['from=yesterday', 'from'],
    ['to=2026-13-01', 'to'],
    ['from=2000&to=1000', 'to'],
    ['result=maybe', 'result'],
    ['action=auth.%25', 'action'],
    ['object_type=a%20b', 'object_type'],
    ['size=501', 'size'],
    ['page=0', 'page'],
  ]) {
    assert.equal(errorBody(await admin.api(`/api/v1/audit?${q}`), assert, 422, 'invalid').field, field, q);
  }
});

test('audit/logins: only auth.* rows', async () => {
  const r = await admin.api('/api/v1/audit/logins?size=500');
  assert.equal(r.status, 200);
  assert.ok(r.body.items.length > 0);
  assert.ok(r.body.items.every((x) => x.action.startsWith('auth.')));
  assert.ok(r.body.items.some((x) => x.action === 'auth.login' && x.result === 'ok'));
  const ok = await admin.api('/api/v1/audit/logins?result=ok&action=auth.login');
  assert.ok(ok.body.items.every((x) => x.action === 'auth.login' && x.result === 'ok'));
  errorBody(await admin.api('/api/v1/audit/logins?action=role.'), assert, 422, 'invalid');
});

test('audit/export: xlsx with a Chinese file name (RFC 5987), the filtered rows, itself audited', async () => {
  const expected = (await admin.api('/api/v1/audit?action=role.')).body.total;
  const r = await fetch(`${srv.url}/api/v1/audit/export?action=role.`, { headers: { cookie: admin.cookie } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const cd = r.headers.get('content-disposition');
  assert.match(cd, /^attachment;/);
  assert.match(cd, /filename="audit-log-\d{8}\.xlsx"/);
  const star = cd.match(/filename\*=UTF-8''([^;\s]+)/)[1];
  assert.equal(decodeURIComponent(star), `操作日志_${shanghaiDate(Date.now()).replace(/-/g, '')}.xlsx`);
  const bytes = Buffer.from(await r.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  const row = (await admin.api('/api/v1/audit?action=audit.export&size=1')).body.items[0];
  assert.equal(row.summary.rows, expected);
  assert.equal(row.summary.action, 'role.');
  errorBody(await admin.api('/api/v1/audit/export?result=bad'), assert, 422, 'invalid');
});

// ---- sessions --------------------------------------------------------------------

test('sessions: the live ones with who and where; kick ends one (401 next), audited', async () => {
  const victim = await login(srv.url, 'office_a', PW);
  const victimId = (await allPages(victim, '/api/v1/sessions')).find((x) => x.current).id;
  const list = await allPages(admin, '/api/v1/sessions');
  const row = list.find((x) => x.id === victimId);
  assert.ok(row, 'office_a is online');
  assert.equal(row.username, 'office_a');
  for (const k of ['id', 'user_id', 'username', 'name', 'unit_name', 'ip', 'user_agent', 'created_at', 'last_seen_at']) assert.ok(k in row, k);
  assert.equal(row.ip, '127.0.0.1');
  assert.equal(row.current, false);
  assert.equal(list.filter((x) => x.current).length, 1);
  const byUser = await admin.api('/api/v1/sessions?user=office');
  assert.ok(byUser.body.items.every((x) => x.username.includes('office') || x.name.includes('office')));

  const kick = await admin.api(`/api/v1/sessions/${row.id}`, { method: 'DELETE' });
  assert.equal(kick.status, 204, kick.text);
  errorBody(await victim.api('/api/v1/me'), assert, 401, 'unauthorized');
  errorBody(await admin.api(`/api/v1/sessions/${row.id}`, { method: 'DELETE' }), assert, 404, 'not_found');
  errorBody(await admin.api('/api/v1/sessions/999999', { method: 'DELETE' }), assert, 404, 'not_found');
  assert.ok(!(await allPages(admin, '/api/v1/sessions')).some((x) => x.id === row.id));
  const audit = await admin.api('/api/v1/audit?action=session.kick');
  assert.equal(audit.body.items[0].object_id, String(row.id));
  assert.equal(audit.body.items[0].summary.username, 'office_a');

  // an idle session is not online any more
  const idle = await login(srv.url, 'office_a', PW);
  const idleRow = (await allPages(idle, '/api/v1/sessions')).find((x) => x.current);
  sql(`UPDATE sessions SET last_seen_at = ${Date.now() - 3 * 3600 * 1000} WHERE id = ${idleRow.id}`);
  assert.ok(!(await allPages(admin, '/api/v1/sessions')).some((x) => x.id === idleRow.id));
  errorBody(await idle.api('/api/v1/me'), assert, 401, 'unauthorized');
});

// ---- the authorization matrix ------------------------------------------------------

// The catalogue and built-in roles as src/auth/perm.c defines them.
const FIELD = ['file:upload', 'file:view', 'master:category:view', 'master:grid:view', 'master:point:view'];
const ALL_PERMS = [
  'org:unit:view', 'org:unit:edit', 'org:unit:import', 'org:unit:export',
  'org:user:view', 'org:user:edit', 'org:user:reset-password', 'org:user:import', 'org:user:export',
  'org:role:view', 'org:role:edit',
  'audit:log:view', 'audit:log:export', 'audit:login:view', 'session:online:view', 'session:online:kick',
  'file:upload', 'file:view', 'master:category:view', 'master:category:edit', 'master:grid:view',
  'master:grid:edit', 'master:point:view', 'master:point:edit',
  'problem:view', 'problem:report', 'problem:export', 'problem:link', 'problem:accept', 'problem:assign',
  'problem:rectify', 'problem:verify', 'problem:approve', 'problem:reopen', 'problem:ranking:view',
  'system:setting:view', 'system:setting:edit',
  'inspection:framework:view', 'inspection:framework:edit', 'inspection:round:view', 'inspection:round:edit',
  'inspection:round:export', 'inspection:record:submit',
  'plan:view', 'plan:edit', 'plan:report', 'plan:comment',
  'material:view', 'material:edit', 'material:upload', 'material:review', 'material:export',
  'survey:view', 'survey:edit', 'survey:review', 'survey:results', 'survey:respond', 'dashboard:view',
  'assess:view', 'assess:edit', 'assess:adjust', 'accountability:view', 'accountability:edit',
  'bulletin:view', 'bulletin:edit',
];
const INSPECTION_OFFICE = ['inspection:framework:view', 'inspection:framework:edit', 'inspection:round:view',
  'inspection:round:edit', 'inspection:round:export', 'inspection:record:submit'];
const INSPECTION_VIEW = ['inspection:framework:view', 'inspection:round:view'];
const MATERIAL_OFFICE = ['material:view', 'material:edit', 'material:upload', 'material:review', 'material:export'];
const MATERIAL_UNIT = ['material:view', 'material:upload'];
const PROBLEM_OFFICE = ['problem:view', 'problem:report', 'problem:export', 'problem:link', 'problem:accept', 'problem:assign', 'problem:rectify',
  'problem:verify', 'problem:approve', 'problem:reopen', 'problem:ranking:view'];
const PROBLEM_FIELD = ['problem:view', 'problem:report', 'problem:link', 'problem:reopen'];
const PROBLEM_UNIT = ['problem:view', 'problem:report', 'problem:export', 'problem:rectify', 'problem:ranking:view'];
const ROLE_PERMS = {
  admin: ALL_PERMS,
  office: [
    'org:unit:view', 'org:unit:edit', 'org:unit:import', 'org:unit:export', 'org:user:view', 'org:user:edit',
    'org:user:reset-password', 'org:user:import', 'org:user:export', 'org:role:view', 'audit:log:view',
    'audit:log:export', 'audit:login:view', 'session:online:view', ...FIELD,
    'master:category:edit', 'master:grid:edit', 'master:point:edit', ...PROBLEM_OFFICE, ...INSPECTION_OFFICE,
    'system:setting:view', 'system:setting:edit', 'plan:view', 'plan:edit', 'plan:report', 'plan:comment', ...MATERIAL_OFFICE,
    'survey:view', 'survey:edit', 'survey:review', 'survey:results', 'survey:respond', 'dashboard:view',
    'assess:view', 'assess:edit', 'assess:adjust', 'accountability:view', 'accountability:edit',
    'bulletin:view', 'bulletin:edit',
  ],
  leader: ['org:unit:view', 'org:user:view', 'org:role:view', 'audit:log:view', 'audit:login:view', 'session:online:view',
    'file:view', 'master:category:view', 'master:grid:view', 'master:point:view', 'problem:view', 'problem:export',
    'problem:ranking:view', 'system:setting:view', ...INSPECTION_VIEW, 'inspection:round:export', 'material:view',
    'material:export', 'plan:view', 'plan:comment', 'survey:view', 'survey:results', 'assess:view', 'accountability:view', 'dashboard:view',
    'bulletin:view'],
  inspector: ['org:unit:view', ...FIELD, ...PROBLEM_FIELD, ...INSPECTION_VIEW, 'inspection:record:submit', 'survey:respond'],
  unit_admin: ['org:unit:view', 'org:user:view', 'org:user:edit', 'org:user:reset-password', 'org:user:export', ...FIELD,
    ...PROBLEM_UNIT, ...INSPECTION_VIEW, ...MATERIAL_UNIT, 'plan:view', 'plan:report', 'assess:view'],
  unit_staff: ['org:unit:view', 'org:user:view', ...FIELD, ...PROBLEM_UNIT, ...INSPECTION_VIEW, ...MATERIAL_UNIT, 'plan:view', 'plan:report', 'assess:view'],
  grid_worker: ['org:unit:view', ...FIELD, ...PROBLEM_FIELD, 'survey:respond'],
  volunteer: ['survey:respond'],
};

// The permissions this suite's own endpoints must declare (docs/accounts.md).
const EXPECTED = {
  'GET /api/v1/roles': 'org:role:view',
  'POST /api/v1/roles': 'org:role:edit',
  'GET /api/v1/roles/{id}': 'org:role:view',
  'PUT /api/v1/roles/{id}': 'org:role:edit',
  'DELETE /api/v1/roles/{id}': 'org:role:edit',
  'GET /api/v1/permissions': 'org:role:view',
  'GET /api/v1/tenants': 'system:tenant:view',
  'POST /api/v1/tenants': 'system:tenant:edit',
  'GET /api/v1/tenants/{id}': 'system:tenant:view',
  'PUT /api/v1/tenants/{id}': 'system:tenant:edit',
  'GET /api/v1/audit': 'audit:log:view',
  'GET /api/v1/audit/logins': 'audit:login:view',
  'GET /api/v1/audit/export': 'audit:log:export',
  'GET /api/v1/sessions': 'session:online:view',
  'DELETE /api/v1/sessions/{id}': 'session:online:kick',
  'POST /api/v1/auth/login': null,
  'POST /api/v1/auth/logout': '',
  'GET /api/v1/me': '',
  'PUT /api/v1/me': '',
  'PUT /api/v1/me/password': '',
  'GET /api/v1/health': null,
  'GET /api/v1/settings': 'system:setting:view',
  'PUT /api/v1/settings': 'system:setting:edit',
  'PUT /api/v1/settings/eval-date': 'system:setting:edit',
  'GET /api/v1/rankings': 'problem:ranking:view',
  'GET /api/v1/dashboard': 'dashboard:view',
  'GET /api/v1/rankings/export': 'problem:ranking:view',
  'GET /api/v1/notices': 'problem:view',
  // docs/inspection.md
  'GET /api/v1/frameworks': 'inspection:framework:view',
  'POST /api/v1/frameworks': 'inspection:framework:edit',
  'POST /api/v1/frameworks/import': 'inspection:framework:edit',
  'GET /api/v1/frameworks/import/template': 'inspection:framework:edit',
  'GET /api/v1/frameworks/{id}': 'inspection:framework:view',
  'PUT /api/v1/frameworks/{id}': 'inspection:framework:edit',
  'DELETE /api/v1/frameworks/{id}': 'inspection:framework:edit',
  'POST /api/v1/frameworks/{id}/copy': 'inspection:framework:edit',
  'POST /api/v1/frameworks/{id}/activate': 'inspection:framework:edit',
  'GET /api/v1/frameworks/{id}/export': 'inspection:framework:view',
  'GET /api/v1/frameworks/{id}/indicators': 'inspection:framework:view',
  'POST /api/v1/frameworks/{id}/indicators': 'inspection:framework:edit',
  'GET /api/v1/frameworks/{id}/indicators/{iid}': 'inspection:framework:view',
  'PUT /api/v1/frameworks/{id}/indicators/{iid}': 'inspection:framework:edit',
  'DELETE /api/v1/frameworks/{id}/indicators/{iid}': 'inspection:framework:edit',
  'GET /api/v1/point-types/{id}/checklist': 'inspection:framework:view',
  'PUT /api/v1/point-types/{id}/checklist': 'inspection:framework:edit',
  'GET /api/v1/inspection-settings': 'inspection:framework:view',
  'PUT /api/v1/inspection-settings': 'inspection:framework:edit',
  'GET /api/v1/inspections': 'inspection:round:view',
  'POST /api/v1/inspections': 'inspection:round:edit',
  'POST /api/v1/inspections/preview': 'inspection:round:edit',
  'GET /api/v1/inspections/{id}': 'inspection:round:view',
  'PUT /api/v1/inspections/{id}': 'inspection:round:edit',
  'DELETE /api/v1/inspections/{id}': 'inspection:round:edit',
  'POST /api/v1/inspections/{id}/close': 'inspection:round:edit',
  'POST /api/v1/inspections/{id}/reopen': 'inspection:round:edit',
  'GET /api/v1/inspections/{id}/points': 'inspection:round:view',
  'PUT /api/v1/inspections/{id}/points/{point_id}': 'inspection:round:edit',
  'GET /api/v1/inspections/{id}/checklists': 'inspection:round:view',
  'GET /api/v1/inspections/{id}/records': 'inspection:round:view',
  'POST /api/v1/inspections/{id}/records': 'inspection:record:submit',
  'GET /api/v1/inspections/{id}/records/{rid}': 'inspection:round:view',
  'PUT /api/v1/inspections/{id}/records/{rid}': 'inspection:record:submit',
  'GET /api/v1/inspections/{id}/score': 'inspection:round:view',
  'GET /api/v1/inspections/{id}/compare': 'inspection:round:view',
  'GET /api/v1/inspections/{id}/export': 'inspection:round:export',
  'GET /api/v1/inspections/{id}/report.pdf': 'inspection:round:export',
  // docs/materials.md
  'GET /api/v1/materials/items': 'material:view',
  'POST /api/v1/materials/items': 'material:edit',
  'GET /api/v1/materials/items/{id}': 'material:view',
  'PUT /api/v1/materials/items/{id}': 'material:edit',
  'DELETE /api/v1/materials/items/{id}': 'material:edit',
  'POST /api/v1/materials/items/{id}/submit': 'material:upload',
  'POST /api/v1/materials/items/{id}/review': 'material:review',
  'GET /api/v1/materials/versions/{id}/files/{fid}': 'material:view',
  'POST /api/v1/materials/copy': 'material:edit',
  'GET /api/v1/materials/progress': 'material:view',
  'GET /api/v1/materials/score': 'material:export',
  'GET /api/v1/materials/package': 'material:export',
  'GET /api/v1/materials/import/template': 'material:edit',
  'POST /api/v1/materials/import': 'material:edit',
  'GET /api/v1/materials/items/{id}/template': 'material:view',
  // docs/surveys.md
  'GET /api/v1/surveys': '',
  'POST /api/v1/surveys': 'survey:edit',
  'GET /api/v1/surveys/{id}': '',
  'PUT /api/v1/surveys/{id}': 'survey:edit',
  'POST /api/v1/surveys/{id}/publish': 'survey:edit',
  'POST /api/v1/surveys/{id}/close': 'survey:edit',
  'GET /api/v1/surveys/{id}/poster.pdf': 'survey:edit',
  'POST /api/v1/surveys/{id}/responses': 'survey:respond',
  'GET /api/v1/surveys/{id}/responses': 'survey:review',
  'POST /api/v1/surveys/{id}/responses/{rid}/review': 'survey:review',
  'GET /api/v1/surveys/{id}/results': 'survey:results',
  'GET /api/v1/surveys/{id}/results/export': 'survey:results',
  'GET /api/v1/surveys/{id}/responses/export': 'survey:results',
  'GET /api/v1/surveys/{id}/report.pdf': 'survey:results',
  'GET /api/v1/surveys/questions/template': 'survey:edit',
  'GET /api/v1/surveys/{id}/questions/export': 'survey:view',
  'POST /api/v1/surveys/{id}/questions/import': 'survey:edit',
  // docs/plans.md
  'GET /api/v1/plans': 'plan:view',
  'POST /api/v1/plans': 'plan:edit',
  'GET /api/v1/plans/{id}': 'plan:view',
  'PUT /api/v1/plans/{id}': 'plan:edit',
  'DELETE /api/v1/plans/{id}': 'plan:edit',
  'POST /api/v1/plans/{id}/nodes': 'plan:edit',
  'PUT /api/v1/plans/{id}/nodes/{node}': 'plan:edit',
  'DELETE /api/v1/plans/{id}/nodes/{node}': 'plan:edit',
  'GET /api/v1/plan-leaders': 'plan:view',
  'POST /api/v1/plans/import': 'plan:edit',
  'GET /api/v1/plans/import/template': 'plan:edit',
  'GET /api/v1/plans/{id}/export': 'plan:view',
  'GET /api/v1/plans/{id}/progress.xlsx': 'plan:view',
  'GET /api/v1/tasks': 'plan:view',
  'GET /api/v1/tasks/{id}': 'plan:view',
  'GET /api/v1/tasks/{id}/reports': 'plan:view',
  'POST /api/v1/tasks/{id}/reports': 'plan:report',
  'POST /api/v1/tasks/{id}/reports/{report}/comment': 'plan:comment',
  'GET /api/v1/meetings': 'plan:view',
  'POST /api/v1/meetings': 'plan:edit',
  'GET /api/v1/meetings/{id}': 'plan:view',
  'POST /api/v1/meetings/{id}/decisions/{d}/task': 'plan:edit',
  // docs/assessment.md
  'GET /api/v1/assessments/scheme': 'assess:view',
  'PUT /api/v1/assessments/scheme': 'assess:edit',
  'GET /api/v1/assessments': 'assess:view',
  'POST /api/v1/assessments': 'assess:edit',
  'GET /api/v1/assessments/{id}': 'assess:view',
  'PUT /api/v1/assessments/{id}': 'assess:edit',
  'DELETE /api/v1/assessments/{id}': 'assess:edit',
  'POST /api/v1/assessments/{id}/compute': 'assess:edit',
  'POST /api/v1/assessments/{id}/publish': 'assess:edit',
  'GET /api/v1/assessments/{id}/results': 'assess:view',
  'POST /api/v1/assessments/{id}/adjustments': 'assess:adjust',
  'GET /api/v1/assessments/{id}/export': 'assess:view',
  'GET /api/v1/assessments/units/{unit_id}/history': 'assess:view',
  'GET /api/v1/accountability': 'accountability:view',
  'POST /api/v1/accountability': 'accountability:edit',
  'GET /api/v1/public/surveys/{token}': null,
  'POST /api/v1/public/surveys/{token}/responses': null,
};

// Every router_add(rt, "METHOD", "/path", handler, PERM, ...) in src/: [method, path, perm]
// with perm null for ROUTE_PUBLIC, '' for ROUTE_LOGIN, undefined when not a literal.
function routeTable() {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.c')) files.push(p);
    }
  };
  walk(path.join(ROOT, 'src'));
  const routes = [];
  const re = /router_add\(\s*\w+,\s*"([A-Z]+)",\s*"([^"]+)",\s*\w+,\s*([^,]+?)\s*,/g;
  for (const f of files) {
    for (const m of readFileSync(f, 'utf8').matchAll(re)) {
      const arg = m[3];
      const perm = arg === 'ROUTE_PUBLIC' ? null : arg === 'ROUTE_LOGIN' ? '' : /^"[^"]*"$/.test(arg) ? arg.slice(1, -1) : undefined;
      routes.push([m[1], m[2], perm]);
    }
  }
  return routes;
}

test('authorization matrix: every built-in role on every endpoint; 401 without a session', async (t) => {
  const routes = routeTable();
  for (const [key, perm] of Object.entries(EXPECTED)) {
    const [method, p] = key.split(' ');
    const found = routes.find((r) => r[0] === method && r[1] === p);
    assert.ok(found, `${key} is registered`);
    assert.equal(found[2], perm, `${key} needs ${perm}`);
  }
  const live = [];
  for (const [method, p, perm] of routes) {
    if (perm === null) continue; // public
    const url = p.replace(/\{[^}]+\}/g, '999999');
    const anon = await api(srv.url, url, { method, body: method === 'GET' || method === 'DELETE' ? undefined : {} });
    if (anon.status === 404 && anon.body?.error?.code === 'not_found') {
      t.diagnostic(`${method} ${p} is not registered yet: skipped`);
      continue;
    }
    errorBody(anon, assert, 401, 'unauthorized');
    live.push([method, p, url, perm]);
  }
  assert.ok(live.length >= Object.keys(EXPECTED).length - 2);

  let checks = 0;
  for (const [role, perms] of Object.entries(ROLE_PERMS)) {
    const username = `m_${role}`;
    await createUser(username, [role], t);
    const u = await login(srv.url, username, PW);
    assert.deepEqual(u.me.roles, [role]);
    assert.deepEqual([...u.me.permissions].sort(), [...perms].sort(), `${role}: /me agrees with perm.c`);
    for (const [method, p, url, perm] of live) {
      if (method === 'POST' && p === '/api/v1/auth/logout') continue; // would end the session under test
      const body = method === 'GET' || method === 'DELETE' ? undefined : {};
      const r = await u.api(url, { method, body });
      const allowed = perm === '' || (perm !== undefined && perms.includes(perm));
      assert.notEqual(r.status, 500, `${role} ${method} ${p}: ${r.text}`);
      if (perm === undefined) continue; // permission not a literal: only "never 500"
      if (allowed) assert.notEqual(r.status, 403, `${role} may ${method} ${p} (${perm}): ${r.text}`);
      else errorBody(r, assert, 403, 'forbidden');
      checks++;
    }
  }
  t.diagnostic(`${live.length} endpoints x ${Object.keys(ROLE_PERMS).length} roles, ${checks} checks;` +
    ` users made through ${usersApi ? 'POST /users' : 'the database'}`);
});

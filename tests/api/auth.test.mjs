// auth.test.mjs - sessions, CSRF, login throttling, passwords and the audit
// chain as SECURITY.md promises them (ASVS V2, V3, V7), on one server.
//
// The server trusts X-Forwarded-For here, so each test that fails logins on
// purpose does it from an address of its own and the per-address throttle of
// one test never spills into another.  Sessions are aged by editing the
// database (sqlite3 or psql), the way a clock would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { startServer, api, cli, errorBody, login, loginAdmin, psql, DB_KIND } from './harness.mjs';

const IDLE = 600; // long enough that a slow, loaded run never idles the admin session out
const ABSOLUTE = 3600;
let srv;
let admin;
const secrets = new Set(); // every password and token this file used: none may reach the audit log

// SQL against the server's database through the command-line client.
function sql(text) {
  if (DB_KIND === 'postgres') return psql(srv.db.url, text);
  const file = srv.db.url.replace(/^sqlite:/, '');
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', file, text], { encoding: 'utf8' }).trim();
}

// A user of tenant 1 with roles, its password set by `wenming user passwd`.
async function createUser(username, password, roles = []) {
  sql(
    `INSERT INTO users (tenant_id, username, name, phone, password_hash, is_platform_admin, enabled,` +
      ` password_changed_at, created_at, updated_at) VALUES (1, '${username}', '测试${username}', '', '!', 0, 1, 0, 0, 0)`,
  );
  for (const role of roles) {
    sql(
      `INSERT INTO user_roles (user_id, role_id) SELECT u.id, r.id FROM users u JOIN roles r` +
        ` ON r.tenant_id = u.tenant_id WHERE u.username = '${username}' AND r.key = '${role}'`,
    );
  }
  const r = await cli(['user', 'passwd', username], srv.env, password + '\n');
  assert.equal(r.code, 0, r.stderr);
  secrets.add(password);
}

const tokenOf = (client) => client.cookie.replace(/^wm_session=/, '');
const hashOf = (token) => createHash('sha256').update(token).digest('hex');

function remember(client) {
  secrets.add(tokenOf(client));
  secrets.add(client.csrf);
  return client;
}

function rawLogin(username, password, headers = {}) {
  return api(srv.url, '/api/v1/auth/login', { method: 'POST', body: { username, password }, headers });
}

const me = (cookie) => api(srv.url, '/api/v1/me', { headers: { cookie } });

before(async () => {
  srv = await startServer({
    env: {
      WENMING_SESSION_IDLE: String(IDLE),
      WENMING_SESSION_ABSOLUTE: String(ABSOLUTE),
      WENMING_TRUST_PROXY: 'on',
    },
  });
  secrets.add(srv.adminPassword);
  admin = remember(await loginAdmin(srv));
});

after(async () => {
  const code = await srv.stop();
  assert.equal(code, 0, `server exit code ${code}\n${srv.log().slice(-3000)}`);
});

test('login sets a new HttpOnly, SameSite=Lax cookie (no Secure over http)', async () => {
  await createUser('cookie_user', 'cookie-pass-1234');
  const a = remember(await login(srv.url, 'cookie_user', 'cookie-pass-1234'));
  const b = remember(await login(srv.url, 'cookie_user', 'cookie-pass-1234'));
  for (const c of [a, b]) {
    assert.match(c.setCookie, /^wm_session=[A-Za-z0-9_-]{43};/);
    assert.match(c.setCookie, /;\s*HttpOnly/i);
    assert.match(c.setCookie, /;\s*SameSite=Lax/i);
    assert.match(c.setCookie, /;\s*Path=\//);
    assert.doesNotMatch(c.setCookie, /Secure/i);
  }
  assert.notEqual(tokenOf(a), tokenOf(b), 'every login issues a new token');
  assert.match(a.csrf, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a.csrf, tokenOf(a));
  // absolute end = login + session_absolute
  assert.ok(Math.abs(a.me.session_expires_at - (Date.now() + ABSOLUTE * 1000)) < 60000);
});

test('the token never appears in a body, a URL or the server log', async () => {
  const r = await rawLogin('admin', srv.adminPassword);
  assert.equal(r.status, 200);
  const token = r.headers.get('set-cookie').match(/wm_session=([^;]+)/)[1];
  secrets.add(token);
  assert.ok(!r.text.includes(token), 'login body');
  assert.equal(r.headers.get('location'), null);
  const m = await me(`wm_session=${token}`);
  assert.equal(m.status, 200);
  assert.ok(!m.text.includes(token), '/me body');
  const denied = await api(srv.url, '/api/v1/me', { method: 'PUT', body: {}, headers: { cookie: `wm_session=${token}` } });
  assert.equal(denied.status, 403);
  assert.ok(!denied.text.includes(token), 'error body');
  await new Promise((res) => setTimeout(res, 50));
  assert.ok(!srv.log().includes(token), 'server log');
  // the database keeps only the hash
  assert.equal(sql(`SELECT COUNT(*) FROM sessions WHERE token_hash = '${hashOf(token)}'`), '1');
  assert.equal(sql(`SELECT COUNT(*) FROM sessions WHERE token_hash = '${token}'`), '0');
});

test('a token sent with the login request is dead after it', async () => {
  await createUser('relogin_user', 'relogin-pass-1234');
  const first = remember(await login(srv.url, 'relogin_user', 'relogin-pass-1234'));
  assert.equal((await me(first.cookie)).status, 200);
  const r = await rawLogin('relogin_user', 'relogin-pass-1234', { cookie: first.cookie });
  assert.equal(r.status, 200);
  const second = `wm_session=${r.headers.get('set-cookie').match(/wm_session=([^;]+)/)[1]}`;
  secrets.add(second.slice(11));
  assert.notEqual(second, first.cookie);
  errorBody(await me(first.cookie), assert, 401, 'unauthorized');
  assert.equal((await me(second)).status, 200);
});

test('logout ends the session everywhere and clears the cookie', async () => {
  const c = remember(await loginAdmin(srv));
  const out = await c.api('/api/v1/auth/logout', { method: 'POST' });
  assert.equal(out.status, 204);
  assert.match(out.headers.get('set-cookie'), /wm_session=;.*Max-Age=0/);
  errorBody(await me(c.cookie), assert, 401, 'unauthorized');
  errorBody(await c.api('/api/v1/auth/logout', { method: 'POST' }), assert, 401, 'unauthorized');
});

test('a password change ends the other sessions and keeps the current one', async () => {
  await createUser('pw_user', 'first-pass-1234');
  const keep = remember(await login(srv.url, 'pw_user', 'first-pass-1234'));
  const other = remember(await login(srv.url, 'pw_user', 'first-pass-1234'));
  const r = await keep.api('/api/v1/me/password', {
    method: 'PUT',
    body: { old_password: 'first-pass-1234', new_password: 'second-pass-5678' },
  });
  assert.equal(r.status, 204, r.text);
  secrets.add('second-pass-5678');
  assert.equal((await me(keep.cookie)).status, 200);
  errorBody(await me(other.cookie), assert, 401, 'unauthorized');
  errorBody(await rawLogin('pw_user', 'first-pass-1234', { 'x-forwarded-for': '10.1.0.1' }), assert, 401, 'unauthorized');
  remember(await login(srv.url, 'pw_user', 'second-pass-5678'));
  // a wrong old password changes nothing
  const wrong = await keep.api('/api/v1/me/password', {
    method: 'PUT',
    body: { old_password: 'not-the-password', new_password: 'third-pass-9012' },
  });
  assert.equal(errorBody(wrong, assert, 422, 'invalid').field, 'old_password');
});

test('idle timeout: a session unused for longer than session_idle answers 401', async () => {
  await createUser('idle_user', 'idle-pass-1234');
  const fresh = remember(await login(srv.url, 'idle_user', 'idle-pass-1234'));
  const stale = remember(await login(srv.url, 'idle_user', 'idle-pass-1234'));
  const now = Date.now();
  // 30 s idle is within the allowance, IDLE + 1 s is not
  sql(`UPDATE sessions SET last_seen_at = ${now - 30000} WHERE token_hash = '${hashOf(tokenOf(fresh))}'`);
  sql(`UPDATE sessions SET last_seen_at = ${now - (IDLE + 1) * 1000} WHERE token_hash = '${hashOf(tokenOf(stale))}'`);
  assert.equal((await me(fresh.cookie)).status, 200);
  errorBody(await me(stale.cookie), assert, 401, 'unauthorized');
  // and it stays dead when the clock is put back
  sql(`UPDATE sessions SET last_seen_at = ${Date.now()} WHERE token_hash = '${hashOf(tokenOf(stale))}'`);
  errorBody(await me(stale.cookie), assert, 401, 'unauthorized');
});

test('absolute timeout: a session past expires_at answers 401 however busy', async () => {
  const c = remember(await loginAdmin(srv));
  assert.equal((await me(c.cookie)).status, 200);
  sql(`UPDATE sessions SET expires_at = ${Date.now() - 1} WHERE token_hash = '${hashOf(tokenOf(c))}'`);
  errorBody(await me(c.cookie), assert, 401, 'unauthorized');
});

test('CSRF: a missing or wrong X-CSRF-Token is 403 csrf_failed and changes nothing', async () => {
  const c = remember(await loginAdmin(srv));
  const missing = await api(srv.url, '/api/v1/me', { method: 'PUT', body: { name: '改名甲' }, headers: { cookie: c.cookie } });
  errorBody(missing, assert, 403, 'csrf_failed');
  const wrong = await c.api('/api/v1/me', { method: 'PUT', body: { name: '改名乙' }, headers: { 'x-csrf-token': 'A'.repeat(43) } });
  errorBody(wrong, assert, 403, 'csrf_failed');
  const otherSession = remember(await loginAdmin(srv));
  const foreign = await c.api('/api/v1/me', { method: 'PUT', body: { name: '改名丙' }, headers: { 'x-csrf-token': otherSession.csrf } });
  errorBody(foreign, assert, 403, 'csrf_failed');
  errorBody(await api(srv.url, '/api/v1/auth/logout', { method: 'POST', headers: { cookie: c.cookie } }), assert, 403, 'csrf_failed');
  assert.equal((await me(c.cookie)).body.name, '系统管理员', 'nothing changed');
  // a cross-site HTML form can only send form encodings, which login refuses
  const form = await api(srv.url, '/api/v1/auth/login', {
    method: 'POST',
    raw: `username=admin&password=${encodeURIComponent(srv.adminPassword)}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  errorBody(form, assert, 415, 'unsupported_media_type');
  const ok = await c.api('/api/v1/me', { method: 'PUT', body: { name: '系统管理员' } });
  assert.equal(ok.status, 200);
});

test('200 logins give 200 distinct cookies of 43 base64url characters', async () => {
  // eight accounts logging in at once: parallel tries at ONE account are throttled as
  // guesses would be (each try counts until its password proves right, issue 13)
  for (let k = 0; k < 8; k++) await createUser(`many_user${k}`, 'many-pass-1234');
  const tokens = new Set();
  for (let round = 0; round < 25; round++) {
    const batch = await Promise.all(
      Array.from({ length: 8 }, (_, k) => rawLogin(`many_user${k}`, 'many-pass-1234', { 'x-forwarded-for': '10.2.0.1' })),
    );
    for (const r of batch) {
      assert.equal(r.status, 200, r.text);
      const m = r.headers.get('set-cookie').match(/^wm_session=([^;]*);/);
      assert.match(m[1], /^[A-Za-z0-9_-]{43}$/);
      tokens.add(m[1]);
      secrets.add(m[1]);
    }
  }
  assert.equal(tokens.size, 200);
});

test('login input: malformed JSON 400, wrong type 415, missing field 422 naming it', async () => {
  const h = { 'x-forwarded-for': '10.3.0.1' };
  const bad = await api(srv.url, '/api/v1/auth/login', { method: 'POST', raw: '{"username": "admin",', headers: { 'content-type': 'application/json', ...h } });
  errorBody(bad, assert, 400, 'bad_request');
  const dup = await api(srv.url, '/api/v1/auth/login', { method: 'POST', raw: '{"username":"a","username":"b","password":"x"}', headers: { 'content-type': 'application/json', ...h } });
  errorBody(dup, assert, 400, 'bad_request');
  const text = await api(srv.url, '/api/v1/auth/login', { method: 'POST', raw: '{"username":"admin","password":"x"}', headers: { 'content-type': 'text/plain', ...h } });
  errorBody(text, assert, 415, 'unsupported_media_type');
  const noPw = await api(srv.url, '/api/v1/auth/login', { method: 'POST', body: { username: 'admin' }, headers: h });
  assert.equal(errorBody(noPw, assert, 422, 'invalid').field, 'password');
  const noUser = await api(srv.url, '/api/v1/auth/login', { method: 'POST', body: { password: 'whatever-1234' }, headers: h });
  assert.equal(errorBody(noUser, assert, 422, 'invalid').field, 'username');
});

test('an unknown user gets the same 401 as a wrong password', async () => {
  const h = { 'x-forwarded-for': '10.4.0.1' };
  const wrong = errorBody(await rawLogin('admin', 'wrong-password-1', h), assert, 401, 'unauthorized');
  const unknown = errorBody(await rawLogin('nobody_here', 'wrong-password-1', h), assert, 401, 'unauthorized');
  assert.equal(unknown.message, wrong.message);
  assert.equal(unknown.field, wrong.field);
});

test('throttling: 429 from the 4th failure with retry_after, then locked even for the right password', async () => {
  await createUser('lock_user', 'lock-pass-12345');
  const h = { 'x-forwarded-for': '10.5.0.1' };
  const statuses = [];
  for (let i = 1; i <= 30; i++) {
    const r = await rawLogin('lock_user', `wrong-pass-${i}xx`, h);
    statuses.push(r.status);
    if (i <= 3) {
      errorBody(r, assert, 401, 'unauthorized');
    } else {
      const err = errorBody(r, assert, 429, 'too_many_requests');
      assert.ok(Number.isInteger(err.retry_after) && err.retry_after >= 1, `retry_after at try ${i}`);
      assert.equal(r.headers.get('retry-after'), String(err.retry_after));
    }
  }
  assert.deepEqual(statuses.slice(0, 4), [401, 401, 401, 429]);
  // locked: the right password is refused too, for about 15 minutes
  const right = await rawLogin('lock_user', 'lock-pass-12345', h);
  const err = errorBody(right, assert, 429, 'too_many_requests');
  assert.ok(err.retry_after > 60 && err.retry_after <= 15 * 60, `retry_after ${err.retry_after}`);
  // ... and from another address as well: the lock is on the account
  errorBody(await rawLogin('lock_user', 'lock-pass-12345', { 'x-forwarded-for': '10.5.0.2' }), assert, 429, 'too_many_requests');
  // the lock is in the audit log
  const rows = await admin.api('/api/v1/audit/logins?action=auth.lock&user=lock_user');
  assert.equal(rows.status, 200);
  assert.ok(rows.body.items.length >= 1, 'auth.lock row');
});

test('throttling is one atomic step: 20 parallel guesses check at most 3 passwords, none under a delay', async () => {
  await createUser('race_user', 'race-pass-12345');
  const h = { 'x-forwarded-for': '10.7.0.1' };
  const first = await Promise.all(Array.from({ length: 20 }, (_, i) => rawLogin('race_user', `wrong-race-${i}xx`, h)));
  const checked = first.filter((r) => r.status === 401).length;
  // 3 before the delay starts; on a heavily loaded machine a 1 s delay may run out while the
  // tries queue for the write lock, which lets one more through per delay that expired
  assert.ok(checked < 6, `${checked} passwords checked`);
  assert.equal(first.filter((r) => r.status === 429).length, 20 - checked);
  // a delay is in force now: 20 more in parallel, the right password among them, check none
  const second = await Promise.all(Array.from({ length: 20 }, (_, i) => rawLogin('race_user', i === 7 ? 'race-pass-12345' : `wrong-race-b${i}x`, h)));
  assert.deepEqual([...new Set(second.map((r) => r.status))], [429]);
});

test('10,000 refused logins add at most a handful of audit rows, with counts', async () => {
  const total = async () => Number(sql('SELECT COUNT(*) FROM audit_log'));
  const before = await total();
  const h = { 'x-forwarded-for': '10.8.0.1' };
  const started = Date.now();
  let refused = 0;
  for (let done = 0; done < 10000; done += 50) {
    const rs = await Promise.all(Array.from({ length: 50 }, (_, i) => rawLogin('flood_target', `guess-${done + i}`, h)));
    refused += rs.filter((r) => r.status === 429 || r.status === 401).length;
  }
  assert.equal(refused, 10000);
  const added = (await total()) - before;
  assert.ok(added <= 10, `${added} audit rows for 10,000 refused logins`);
  console.log(`# 10,000 refused logins: ${added} audit rows, ${Date.now() - started} ms`);
  // on a slow machine the flood outlasts this file's short idle timeout: a fresh administrator session
  admin = remember(await loginAdmin(srv));
  // the lock row carries the counts
  const rows = sql(`SELECT summary FROM audit_log WHERE action = 'auth.lock' AND username = 'flood_target'`).split('\n').filter(Boolean).map((x) => JSON.parse(x));
  assert.ok(rows.length >= 1 && rows.length <= 2, JSON.stringify(rows));
  assert.ok(rows.every((x) => Number.isInteger(x.failures) && Number.isInteger(x.refused)));
  const throttle = Number(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'auth.throttle' AND username = 'flood_target'`));
  assert.ok(throttle >= 1 && throttle <= 2, `${throttle} throttle rows`);
});

test('a failed login\'s username with CR/LF is stored escaped in the audit log', async () => {
  const forged = 'evil\r\nauth.login ok admin';
  errorBody(await rawLogin(forged, 'whatever-12345', { 'x-forwarded-for': '10.9.0.1' }), assert, 401, 'unauthorized');
  const rows = sql(`SELECT username FROM audit_log WHERE action = 'auth.login' AND username LIKE 'evil%'`).split('\n').filter(Boolean);
  assert.deepEqual(rows, ['evil\\r\\nauth.login ok admin']);
});

test('passwords: 64 Chinese characters are accepted whole; the username is refused', async () => {
  await createUser('long_pw_user', 'long-pass-12345');
  const c = remember(await login(srv.url, 'long_pw_user', 'long-pass-12345'));
  const phrase = '创建文明城市人人参与共建共享美好家园'.repeat(4).slice(0, 64);
  assert.equal([...phrase].length, 64);
  const set = await c.api('/api/v1/me/password', { method: 'PUT', body: { old_password: 'long-pass-12345', new_password: phrase } });
  assert.equal(set.status, 204, set.text);
  secrets.add(phrase);
  remember(await login(srv.url, 'long_pw_user', phrase));
  // not truncated: the first 63 characters are a different password
  errorBody(await rawLogin('long_pw_user', phrase.slice(0, 63), { 'x-forwarded-for': '10.6.0.1' }), assert, 401, 'unauthorized');
  const same = await c.api('/api/v1/me/password', { method: 'PUT', body: { old_password: phrase, new_password: 'long_pw_user' } });
  assert.equal(errorBody(same, assert, 422, 'invalid').field, 'new_password');
  const short = await c.api('/api/v1/me/password', { method: 'PUT', body: { old_password: phrase, new_password: 'short' } });
  assert.equal(errorBody(short, assert, 422, 'invalid').field, 'new_password');
});

test('the audit log holds logins, failures, locks and denials, and no secret', async () => {
  // a denial by permission, on top of the CSRF denials above
  await createUser('deny_user', 'deny-pass-12345', ['volunteer']);
  const v = remember(await login(srv.url, 'deny_user', 'deny-pass-12345'));
  errorBody(await v.api('/api/v1/audit'), assert, 403, 'forbidden');

  const seen = new Map();
  for (let page = 1; ; page++) {
    const r = await admin.api(`/api/v1/audit?size=500&page=${page}`);
    assert.equal(r.status, 200);
    for (const row of r.body.items) seen.set(`${row.action}/${row.result}`, (seen.get(`${row.action}/${row.result}`) || 0) + 1);
    if (page * 500 >= r.body.total) break;
  }
  for (const k of ['auth.login/ok', 'auth.login/failed', 'auth.throttle/denied', 'auth.lock/ok', 'auth.logout/ok', 'access.denied/denied', 'user.password/ok']) {
    assert.ok(seen.get(k) > 0, `${k} in the audit log (${[...seen.keys()].join(', ')})`);
  }
  // every row, all tenants, every text column: no password, no token, no CSRF token
  const dump = sql(`SELECT id, username, ip, action, object_type, object_id, summary, result, request_id FROM audit_log ORDER BY id`);
  assert.ok(dump.split('\n').length > 50, 'rows to scan');
  for (const s of secrets) {
    assert.ok(s && s.length >= 10);
    assert.ok(!dump.includes(s), `a secret (${s.slice(0, 3)}...) is in the audit log`);
  }
  assert.doesNotMatch(dump, /password"\s*:/, 'no password field in any summary');
});

test('wenming audit verify: intact, then names the edited row and exits 1', async () => {
  const ok = await cli(['audit', 'verify'], srv.env);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /intact/);
  const id = Number(sql(`SELECT MIN(id) FROM audit_log WHERE action = 'auth.login' AND result = 'ok'`)) + 0;
  assert.ok(id > 0);
  const original = sql(`SELECT summary FROM audit_log WHERE id = ${id}`);
  sql(`UPDATE audit_log SET summary = '{"edited":true}' WHERE id = ${id}`);
  const bad = await cli(['audit', 'verify'], srv.env);
  assert.equal(bad.code, 1, bad.stdout + bad.stderr);
  assert.match(bad.stdout, new RegExp(`row ${id}\\b`));
  // put it back: the chain holds again
  sql(`UPDATE audit_log SET summary = '${original.replace(/'/g, "''")}' WHERE id = ${id}`);
  const again = await cli(['audit', 'verify'], srv.env);
  assert.equal(again.code, 0, again.stdout + again.stderr);
});

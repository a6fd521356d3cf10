// loop.mjs - helpers the closed-loop API tests of rankings, notices and
// settings share: SQL against the test server's database, status checks,
// photo upload, and driving a problem through the loop by API.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, cli, login, loginAdmin, psql, DB_KIND, ROOT } from './harness.mjs';

const JPEG = readFileSync(path.join(ROOT, 'tests/fixtures/photo-400x200.jpg'));
export const HOUR = 3600 * 1000;

// One SQL statement on srv's database (sqlite3 or psql); its output trimmed.
export function sqlOn(srv, text) {
  if (DB_KIND === 'postgres') return psql(srv.db.url, text);
  const file = srv.db.url.replace(/^sqlite:/, '');
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', file, text], { encoding: 'utf8' }).trim();
}

// The body of a response with the expected status.
export async function ok(resPromise, status = 200) {
  const r = await resPromise;
  assert.equal(r.status, status, r.text);
  return r.body;
}

// Upload the fixture photo as client; its file id.
export async function upload(client) {
  const form = new FormData();
  form.append('file', new Blob([JPEG], { type: 'image/jpeg' }), 'photo.jpg');
  const r = await client.api('/api/v1/files', { method: 'POST', raw: form });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

// POST /problems/{id}/{action} expecting 200; the problem after it.
export const act = (client, id, action, body = {}) =>
  ok(client.api(`/api/v1/problems/${id}/${action}`, { method: 'POST', body }));

/*
 * Drive problems through the loop: loop({ reporter, office, category, units })
 * where units maps a key to { id, user }.  Each report gets its own place
 * (about 1.1 km apart) unless one is given, so none is taken for a recurrence
 * of another by accident.
 */
export function loop({ reporter, office, category, units }) {
  let place = 0;
  const spot = () => ({ lat: 30.2 + 0.01 * ++place, lng: 120.1 });
  const report = (where = spot()) =>
    ok(reporter.api('/api/v1/problems', {
      method: 'POST',
      body: { category_id: category.id, ...where, description: '闭环测试问题', source: 'inspection' },
    }), 201);
  async function assigned(u, where, deadline = Date.now() + 48 * HOUR) {
    const p = await report(where);
    await act(office, p.id, 'accept');
    return act(office, p.id, 'assign', { unit_id: units[u].id, deadline });
  }
  async function rectifying(u, where) {
    const p = await assigned(u, where);
    return act(units[u].user, p.id, 'sign');
  }
  async function submit(u, id) {
    return act(units[u].user, id, 'submit', { note: '已整改', photo_ids: [await upload(units[u].user)] });
  }
  async function closed(u, outcome = 'fixed', where = undefined) {
    const p = await rectifying(u, where);
    await submit(u, p.id);
    return act(office, p.id, 'verify', { passed: true, outcome, reason: '照片无拍摄时间，已现场核实' });
  }
  return { spot, report, assigned, rectifying, submit, closed };
}

// A server on the demo county: { srv, pw (the demo accounts' password), admin, as(username) }.
export async function demoServer() {
  const srv = await startServer();
  const r = await cli(['demo', '--empty'], srv.env);
  assert.equal(r.code, 0, r.stderr);
  const pw = r.stdout.match(/shown once\):\s*\n\s*(\S+)/)[1];
  const admin = await loginAdmin(srv);
  const category = (await ok(admin.api('/api/v1/categories?size=500'))).items.find((c) => c.code === 'SR01');
  return { srv, pw, admin, category, as: (username) => login(srv.url, username, pw) };
}

// n unrelated demo units, each with a liaison (unit_staff only, 本单位): [{ id, name, user }].
export async function unitsWithLiaisons(demo, n) {
  const all = (await ok(demo.admin.api('/api/v1/units?size=500'))).items;
  const users = (await ok(demo.admin.api('/api/v1/users?size=500'))).items;
  const related = (a, b) => a.ancestors.includes(`/${b.id}/`) || b.ancestors.includes(`/${a.id}/`);
  const picked = [];
  for (const u of all) {
    const staff = users.find((x) => x.unit_id === u.id && x.enabled !== false && x.roles.length === 1 && x.roles[0] === 'unit_staff');
    if (!staff || picked.some((q) => related(q.unit, u))) continue;
    picked.push({ unit: u, staff });
    if (picked.length === n) break;
  }
  assert.equal(picked.length, n, `${n} unrelated units with a liaison`);
  return Promise.all(picked.map(async (q) => ({ id: q.unit.id, name: q.unit.name, user: await demo.as(q.staff.username) })));
}

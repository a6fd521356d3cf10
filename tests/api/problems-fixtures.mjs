// problems-fixtures.mjs - the demo county cast the problem test files share: a
// server with `wenming demo`, the office, inspectors, a point whose responsible
// unit has a rectifying user of its own (lead), and users of two units that are
// unrelated to it and to each other (co, stranger); reporting, assigning and the
// other small steps every closed-loop test takes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, cli, login, loginAdmin, psql, DB_KIND, ROOT } from './harness.mjs';

export const JPEG = readFileSync(path.join(ROOT, 'tests/fixtures/photo-400x200.jpg'));
export const HOUR = 3600 * 1000;

export async function ok(resPromise, status = 200) {
  const r = await resPromise;
  assert.equal(r.status, status, r.text);
  return r.body;
}

/** "2026-11-22 08:30" of ms in China time (the demo tenant's zone), '' for null. */
export const chinaMinute = (ms) => (ms ? new Date(ms + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ') : '');

/** Start a demo server and log in the cast: { srv, pw, admin, office, insp, insp2, point, category, lead, co, stranger, ... helpers }. */
export async function demoCast() {
  const srv = await startServer();
  const r = await cli(['demo', '--empty'], srv.env);
  assert.equal(r.code, 0, r.stderr);
  const pw = r.stdout.match(/shown once\):\s*\n\s*(\S+)/)[1];
  const admin = await loginAdmin(srv);
  const c = { srv, pw, admin };
  c.office = await login(srv.url, 'office01', pw);
  c.insp = await login(srv.url, 'insp01', pw);
  c.insp2 = await login(srv.url, 'insp02', pw);
  c.leader = await login(srv.url, 'leader01', pw);

  c.sql = (text) => {
    if (DB_KIND === 'postgres') return psql(srv.db.url, text);
    const file = srv.db.url.replace(/^sqlite:/, '');
    return execFileSync('sqlite3', ['-cmd', '.timeout 5000', file, text], { encoding: 'utf8' }).trim();
  };
  c.userOfUnit = async (unitId) => {
    const u = await ok(admin.api(`/api/v1/users?unit_id=${unitId}&size=500`));
    return u.items.find((x) => x.unit_id === unitId && x.enabled !== false &&
      x.roles.some((k) => k === 'unit_admin' || k === 'unit_staff'));
  };
  c.categories = (await ok(admin.api('/api/v1/categories?size=500'))).items;
  c.category = c.categories.find((x) => x.code === 'SR01');
  assert.ok(c.category, 'demo category SR01');

  const points = (await ok(admin.api('/api/v1/points?size=500'))).items.filter((p) => p.unit_id && p.lat != null);
  for (const p of points) {
    const u = await c.userOfUnit(p.unit_id);
    if (u) {
      c.point = p;
      c.lead = { unit_id: p.unit_id, user: await login(srv.url, u.username, pw) };
      break;
    }
  }
  assert.ok(c.point, 'a demo point with a unit user');
  const units = (await ok(admin.api('/api/v1/units?size=500'))).items;
  const leadUnit = units.find((x) => x.id === c.lead.unit_id);
  const related = (a, b) => a.id === b.id || a.ancestors.includes(`/${b.id}/`) || b.ancestors.includes(`/${a.id}/`);
  const others = [];
  for (const u of units) {
    if (related(u, leadUnit) || others.some((o) => related(u, o.unit))) continue;
    const user = await c.userOfUnit(u.id);
    if (user) others.push({ unit_id: u.id, unit: u, username: user.username });
    if (others.length === 2) break;
  }
  assert.equal(others.length, 2, 'two more units with users');
  c.co = { unit_id: others[0].unit_id, user: await login(srv.url, others[0].username, pw) };
  c.stranger = { unit_id: others[1].unit_id, user: await login(srv.url, others[1].username, pw) };

  c.upload = async (client) => {
    const form = new FormData();
    form.append('file', new Blob([JPEG], { type: 'image/jpeg' }), 'photo.jpg');
    const up = await client.api('/api/v1/files', { method: 'POST', raw: form });
    assert.equal(up.status, 201, up.text);
    return up.body.id;
  };
  c.act = (client, id, action, body = {}) => client.api(`/api/v1/problems/${id}/${action}`, { method: 'POST', body });
  c.report = async (client = c.insp, extra = {}) => ok(client.api('/api/v1/problems', {
    method: 'POST',
    body: { category_id: c.category.id, point_id: c.point.id, description: '垃圾桶周边散落垃圾', severity: 1, source: 'inspection', photo_ids: [await c.upload(client)], ...extra },
  }), 201);
  c.assigned = async (unitId = c.lead.unit_id, extra = {}) => {
    const p = await c.report();
    await ok(c.act(c.office, p.id, 'accept'));
    return ok(c.act(c.office, p.id, 'assign', { unit_id: unitId, ...extra }));
  };
  c.stop = async () => {
    const code = await srv.stop();
    assert.equal(code, 0, `server exit code ${code}\n${srv.log().slice(-3000)}`);
  };
  return c;
}

// announcements.test.mjs - 通知公告 by API on the `wenming demo` county: a
// notice sent to three units shows who read it and who has not; a unit
// replies (回执) with a file the others cannot open; drafts change, published
// notices do not; bad input answers 422 JSON in Chinese and changes nothing;
// every change is audited.  Runs on SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, cli, errorBody, login, loginAdmin, ROOT } from './harness.mjs';

let srv;
let admin;
let office;
let pw;
const JPEG = readFileSync(path.join(ROOT, 'tests/fixtures/photo-400x200.jpg'));

async function ok(resPromise, status = 200) {
  const r = await resPromise;
  assert.equal(r.status, status, r.text);
  return r.body;
}

function upload(client, bytes, filename) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), filename);
  return client.api('/api/v1/files', { method: 'POST', raw: form });
}

// A user of the unit named name (unit_admin or unit_staff), logged in.
async function unitUser(name) {
  const units = (await ok(admin.api('/api/v1/units?size=500'))).items;
  const unit = units.find((u) => u.name === name);
  assert.ok(unit, name);
  const users = (await ok(admin.api(`/api/v1/users?unit_id=${unit.id}&size=100`))).items;
  const u = users.find((x) => x.unit_id === unit.id && x.roles.some((k) => k === 'unit_admin' || k === 'unit_staff'));
  assert.ok(u, `a user of ${name}`);
  return { unit, client: await login(srv.url, u.username, pw) };
}

before(async () => {
  srv = await startServer();
  const r = await cli(['demo'], srv.env);
  assert.equal(r.code, 0, r.stderr);
  pw = r.stdout.match(/shown once\):\s*\n\s*(\S+)/)[1];
  admin = await loginAdmin(srv);
  office = await login(srv.url, 'office01', pw);
});

after(async () => {
  assert.equal(await srv.stop(), 0);
});

test('a notice sent to three units shows who read it and who has not', async () => {
  const a = await unitUser('县住建局');
  const b = await unitUser('城关街道');
  const c = await unitUser('西城街道');
  const outsider = await unitUser('东城街道');
  const file = await ok(upload(office, JPEG, '通知附件.jpg'), 201);
  const due = Date.now() + 3 * 86400e3;
  const n = await ok(office.api('/api/v1/announcements', {
    method: 'POST',
    body: {
      title: '关于开展背街小巷环境整治的通知',
      body: '各单位：\n请于本周内完成辖区背街小巷排查。',
      audience: 'units',
      unit_ids: [a.unit.id, b.unit.id, c.unit.id],
      file_ids: [file.id],
      reply_due: due,
      publish: true,
    },
  }), 201);
  assert.equal(n.status, 'published');
  assert.equal(n.unit_count, 3);
  assert.equal(n.read_count, 0);
  assert.equal(n.files.length, 1);

  // a unit lists it as pending; opening it records the unit's and the user's reading
  const pendingA = await ok(a.client.api('/api/v1/announcements?pending=1'));
  assert.ok(pendingA.items.some((x) => x.id === n.id));
  assert.ok((await ok(a.client.api('/api/v1/announcements/pending'))).unread >= 1);
  const seenA = await ok(a.client.api(`/api/v1/announcements/${n.id}`));
  assert.ok(seenA.mine.read_at > 0);
  const readB = await ok(b.client.api(`/api/v1/announcements/${n.id}/read`, { method: 'POST' }));
  assert.ok(readB.mine.read_at > 0);
  // the attachment: addressees read it, a unit not addressed gets 404 (as for the notice)
  assert.equal((await b.client.api(`/api/v1/files/${file.id}/meta`)).status, 200);
  errorBody(await outsider.client.api(`/api/v1/files/${file.id}/meta`), assert, 404, 'not_found');
  errorBody(await outsider.client.api(`/api/v1/announcements/${n.id}`), assert, 404, 'not_found');
  assert.ok(!(await ok(outsider.client.api('/api/v1/announcements?size=100'))).items.some((x) => x.id === n.id));

  const rc = await ok(office.api(`/api/v1/announcements/${n.id}/receipts`));
  const row = (u) => rc.items.find((x) => x.unit_id === u.unit.id);
  assert.equal(rc.items.length, 3);
  assert.ok(row(a).read_at > 0 && row(a).read_by_name);
  assert.ok(row(b).read_at > 0);
  assert.equal(row(c).read_at, 0, '西城街道 has not read it');
  assert.equal(rc.read, 2);
  assert.equal((await ok(office.api(`/api/v1/announcements/${n.id}`))).read_count, 2);

  // 回执 with a file: the replying unit and the office open it; another addressee does not
  const rf = await ok(upload(a.client, JPEG, '回执.jpg'), 201);
  const replied = await ok(a.client.api(`/api/v1/announcements/${n.id}/receipts`, {
    method: 'POST', body: { reply: '已完成排查，共整改 12 处。', file_ids: [rf.id] },
  }), 201);
  assert.ok(replied.mine.replied_at > 0);
  const rc2 = await ok(office.api(`/api/v1/announcements/${n.id}/receipts`));
  const ra = rc2.items.find((x) => x.unit_id === a.unit.id);
  assert.equal(ra.reply, '已完成排查，共整改 12 处。');
  assert.equal(ra.files.length, 1);
  assert.equal(rc2.replied, 1);
  assert.equal((await office.api(`/api/v1/files/${rf.id}/meta`)).status, 200);
  errorBody(await b.client.api(`/api/v1/files/${rf.id}/meta`), assert, 404, 'not_found');
  // a unit sees only its own receipt row
  const own = await ok(b.client.api(`/api/v1/announcements/${n.id}/receipts`));
  assert.deepEqual(own.items.map((x) => x.unit_id), [b.unit.id]);
  // a unit not addressed cannot reply
  errorBody(await outsider.client.api(`/api/v1/announcements/${n.id}/receipts`, {
    method: 'POST', body: { reply: '收到' },
  }), assert, 404, 'not_found');

  // remind the rest: 城关街道 read but did not reply, 西城街道 read nothing
  const rem = await ok(office.api(`/api/v1/announcements/${n.id}/remind`, { method: 'POST' }));
  assert.equal(rem.reminded, 2);

  // the audit log holds each step
  const audit = await ok(office.api('/api/v1/audit?object_type=announcement&size=100'));
  const acts = audit.items.filter((x) => String(x.object_id) === String(n.id)).map((x) => x.action);
  for (const act of ['announcement.publish', 'announcement.read', 'announcement.reply', 'announcement.remind'])
    assert.ok(acts.includes(act), `${act} in ${acts}`);
  assert.equal(acts.filter((x) => x === 'announcement.read').length, 2, 'a reading is audited once per user');
});

test('bad input answers 422 with a Chinese message and changes nothing', async () => {
  const before_ = (await ok(office.api('/api/v1/announcements?size=100'))).total;
  const bad = [
    [{ title: '', unit_ids: [1] }, 'title'],
    [{ title: '通知', unit_ids: [] }, 'unit_ids'],
    [{ title: '通知', unit_ids: [99999999] }, 'unit_ids'],
    [{ title: '通知', audience: 'everyone' }, 'audience'],
    [{ title: '通知', audience: 'kinds', kinds: ['火星'] }, 'kinds'],
    [{ title: '通知', audience: 'all', file_ids: [99999999] }, 'file_ids'],
    [{ title: '通知', audience: 'all', reply_due: -5 }, 'reply_due'],
    [{ title: '通知', audience: 'all', colour: 'red' }, null],
  ];
  for (const [body, field] of bad) {
    const err = errorBody(await office.api('/api/v1/announcements', { method: 'POST', body }), assert, 422, 'invalid');
    if (field) assert.equal(err.field, field, JSON.stringify(body));
  }
  errorBody(await office.api('/api/v1/announcements', { method: 'POST', raw: '{"title":"a","title":"b"}', headers: { 'content-type': 'application/json' } }), assert, 400, 'bad_request');
  assert.equal((await ok(office.api('/api/v1/announcements?size=100'))).total, before_);
  // a unit may not compose
  const a = await unitUser('县住建局');
  errorBody(await a.client.api('/api/v1/announcements', { method: 'POST', body: { title: '通知', audience: 'all' } }), assert, 403, 'forbidden');
});

test('a draft changes and is deleted; once published it is neither; kinds address every unit of a kind', async () => {
  const units = (await ok(admin.api('/api/v1/units?size=500'))).items;
  const streets = units.filter((u) => u.kind === 'town' && u.enabled);
  assert.ok(streets.length > 1, 'the demo has towns');
  const s = await unitUser('城关街道');
  assert.ok(streets.some((u) => u.id === s.unit.id));
  const d = await ok(office.api('/api/v1/announcements', {
    method: 'POST', body: { title: '草稿通知', audience: 'kinds', kinds: ['town'] },
  }), 201);
  assert.equal(d.status, 'draft');
  assert.equal(d.unit_count, streets.length);
  // a unit does not see a draft
  errorBody(await s.client.api(`/api/v1/announcements/${d.id}`), assert, 404, 'not_found');
  const upd = await ok(office.api(`/api/v1/announcements/${d.id}`, {
    method: 'PUT', body: { title: '草稿通知（改）', audience: 'all' },
  }));
  assert.equal(upd.title, '草稿通知（改）');
  assert.equal(upd.unit_count, units.filter((u) => u.enabled).length);
  assert.equal((await office.api(`/api/v1/announcements/${d.id}`, { method: 'DELETE' })).status, 204);
  errorBody(await office.api(`/api/v1/announcements/${d.id}`), assert, 404, 'not_found');

  const p = await ok(office.api('/api/v1/announcements', {
    method: 'POST', body: { title: '待发布', audience: 'units', unit_ids: [s.unit.id] },
  }), 201);
  const pub = await ok(office.api(`/api/v1/announcements/${p.id}/publish`, { method: 'POST' }));
  assert.equal(pub.status, 'published');
  assert.ok(pub.published_at > 0);
  errorBody(await office.api(`/api/v1/announcements/${p.id}/publish`, { method: 'POST' }), assert, 409, 'conflict');
  errorBody(await office.api(`/api/v1/announcements/${p.id}`, { method: 'PUT', body: { title: 'x', audience: 'all' } }), assert, 409, 'conflict');
  errorBody(await office.api(`/api/v1/announcements/${p.id}`, { method: 'DELETE' }), assert, 409, 'conflict');
  // no 回执 asked: a reply is refused
  errorBody(await s.client.api(`/api/v1/announcements/${p.id}/receipts`, { method: 'POST', body: { reply: '收到' } }), assert, 409, 'conflict');
  const got = await ok(s.client.api(`/api/v1/announcements/${p.id}`));
  assert.equal(got.title, '待发布');
});

test('the demo county has notices partly read and answered, archives partly filed, 责任书 mostly confirmed', async () => {
  const list = await ok(office.api('/api/v1/announcements?size=100'));
  const demo = list.items.filter((x) => x.title.startsWith('关于'));
  assert.ok(demo.length >= 4, JSON.stringify(list.items.map((x) => [x.title, x.status, x.published_at])) + list.total);
  assert.ok(demo.some((x) => x.status === 'draft'));
  const all = demo.find((x) => x.title === '关于开展创建全国文明城市集中攻坚行动的通知');
  assert.ok(all.read_count > 0 && all.read_count < all.unit_count, `${all.read_count}/${all.unit_count}`);
  assert.equal(all.files.length, 1);
  const towns = demo.find((x) => x.title === '关于报送背街小巷整治进展情况的通知');
  const rc = await ok(office.api(`/api/v1/announcements/${towns.id}/receipts`));
  assert.ok(rc.replied > 0 && rc.overdue > 0, JSON.stringify({ replied: rc.replied, overdue: rc.overdue }));
  const arch = await ok(office.api('/api/v1/archives'));
  assert.ok(arch.total > 10);
  assert.ok(arch.items.some((x) => x.missing.length > 0) && arch.items.some((x) => x.filed > 0));
  const pl = await ok(office.api('/api/v1/pledges'));
  assert.ok(pl.total > 10 && pl.confirmed > pl.total / 2 && pl.confirmed < pl.total, `${pl.confirmed}/${pl.total}`);
});

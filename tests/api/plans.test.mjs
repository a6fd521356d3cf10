// plans.test.mjs - the task ledger (工作台账) by API on the `wenming demo` county:
// an xlsx action plan of 5 projects and 12 actions imports with its row errors
// reported (and nothing written), then whole with real leader accounts and units;
// a unit reports 60 % with a photo and the 进展情况表, re-read, shows 按进度推进;
// a task past its deadline is 滞后 and in the overdue list; a unit reads only its
// own tasks' reports (404 otherwise).  Runs on SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, cli, errorBody, login, loginAdmin, ROOT } from './harness.mjs';
import { readXlsx, unzip } from './xlsx.mjs';
import { writeXlsx } from './xlsx-write.mjs';

let srv;
let admin;
let office;
let leader;
let pw;
const JPEG = readFileSync(path.join(ROOT, 'tests/fixtures/photo-400x200.jpg'));
const HEAD = ['工程', '行动', '任务', '包抓领导', '牵头单位', '责任单位', '开始日期', '完成时限', '阶段目标', '预期成效'];

function day(offset) {
  const d = new Date(Date.now() + 8 * 3600e3 + offset * 86400e3); // the demo county is UTC+8
  return d.toISOString().slice(0, 10);
}
// Excel's serial day of a YYYY-MM-DD date
const serial = (ymd) => Math.round(Date.parse(`${ymd}T00:00:00Z`) / 86400e3) + 25569;

async function ok(resPromise, status = 200) {
  const r = await resPromise;
  assert.equal(r.status, status, r.text);
  return r.body;
}

function upload(client, pathname, bytes, filename) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), filename);
  return client.api(pathname, { method: 'POST', raw: form });
}

async function download(client, pathname) {
  const r = await fetch(`${srv.url}${pathname}`, { headers: { cookie: client.cookie } });
  assert.equal(r.status, 200, pathname);
  return Buffer.from(await r.arrayBuffer());
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

// The sheet of five projects, twelve actions and two tasks each.
function planRows(bad) {
  const projects = ['城市环境提升工程', '交通秩序整治工程', '市场秩序规范工程', '文明风尚培育工程', '公共服务优化工程'];
  const rows = [HEAD];
  let a = 0;
  projects.forEach((p, i) => {
    rows.push([p, '', '', `leader0${(i % 4) + 1}`, '县文明办', '', day(-30), day(150), '', '']);
    const nact = i < 2 ? 3 : 2;
    for (let k = 0; k < nact; k++, a++) {
      const act = `第${a + 1}项行动`;
      rows.push(['', act, '', '', '县住建局', '', '', '', '', '']);
      rows.push(['', '', `${act}任务一`, 'leader01', '县住建局', '城关街道、东城街道', day(-10), day(30), '月底完成排查', '问题清零']);
      rows.push(['', '', `${act}任务二`, 'leader02', '县城管执法局', '西城街道', serial(day(-40)), day(-2), '', '']);
    }
  });
  if (bad) {
    rows[3][3] = '张三';          // not a leader
    rows[4][5] = '不存在的单位';   // unknown unit
    rows[6][7] = '2026-13-01';    // not a date
    rows[7][7] = '';              // a task without deadline
  }
  return rows;
}

before(async () => {
  srv = await startServer();
  const r = await cli(['demo'], srv.env);
  assert.equal(r.code, 0, r.stderr);
  pw = r.stdout.match(/shown once\):\s*\n\s*(\S+)/)[1];
  admin = await loginAdmin(srv);
  office = await login(srv.url, 'office01', pw);
  leader = await login(srv.url, 'leader01', pw);
});

after(async () => {
  assert.equal(await srv.stop(), 0);
});

test('the demo county has a plan of 5 projects, 12 actions and 60 tasks with reports', async () => {
  const plans = (await ok(office.api('/api/v1/plans'))).items;
  assert.equal(plans.length, 1);
  const tree = await ok(office.api(`/api/v1/plans/${plans[0].id}`));
  const fromMeetings = tree.projects.filter((p) => p.title === '会议议定事项');
  assert.equal(fromMeetings.length, 1, 'a decision of the demo 联席会议 became a task');
  assert.equal(fromMeetings[0].actions[0].tasks.length, 1);
  tree.projects = tree.projects.filter((p) => p.title !== '会议议定事项');
  assert.equal(tree.projects.length, 5);
  const actions = tree.projects.flatMap((p) => p.actions);
  assert.equal(actions.length, 12);
  const tasks = actions.flatMap((a) => a.tasks);
  assert.equal(tasks.length, 60);
  assert.ok(tasks.every((t) => t.leader_id && t.leader_name && t.lead_unit_id && t.deadline));
  assert.ok(tasks.some((t) => t.overdue), 'some demo tasks are overdue');
  const list = await ok(office.api(`/api/v1/tasks?plan_id=${plans[0].id}&size=100`));
  assert.equal(list.total, 61);
  const meetings = (await ok(office.api('/api/v1/meetings'))).items;
  assert.deepEqual(meetings.map((m) => m.kind_name).sort(), ['周例会', '联席会议'].sort());
  assert.ok(list.items.some((t) => t.report_missing), 'a missing report is flagged');
  assert.ok(list.items.some((t) => t.last_report_at), 'reports were made');
  // a leader sees what he is answerable for
  const mine = await ok(leader.api('/api/v1/tasks?mine=1&size=100'));
  assert.ok(mine.total > 0 && mine.items.every((t) => t.leader_id === leader.me.id));
});

test('an xlsx plan with bad rows is refused row by row and writes nothing', async () => {
  const before_ = (await ok(office.api('/api/v1/plans'))).items.length;
  const r = await upload(office, '/api/v1/plans/import?title=' + encodeURIComponent('坏表'), writeXlsx(planRows(true)), 'plan.xlsx');
  assert.equal(r.status, 422, r.text);
  const errs = r.body.errors;
  const at = (row, field) => errs.find((x) => x.row === row && x.field === field);
  assert.ok(at(4, '包抓领导'), JSON.stringify(errs));
  assert.match(at(4, '包抓领导').message, /张三/);
  assert.ok(at(5, '责任单位'), JSON.stringify(errs));
  assert.ok(at(7, '完成时限'), JSON.stringify(errs));
  assert.ok(errs.some((x) => x.row === 8 && /完成时限/.test(x.message)), JSON.stringify(errs));
  assert.equal((await ok(office.api('/api/v1/plans'))).items.length, before_);
  // a unit may not import
  errorBody(await upload((await unitUser('县住建局')).client, '/api/v1/plans/import', writeXlsx(planRows(false)), 'p.xlsx'), assert, 403, 'forbidden');
});

let imported; // the tree of the imported plan

test('an xlsx plan of 5 projects and 12 actions imports with real leaders and units', async () => {
  const r = await upload(office, '/api/v1/plans/import?rhythm=weekly&title=' + encodeURIComponent('集中攻坚行动实施方案'), writeXlsx(planRows(false)), 'plan.xlsx');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.body.projects, r.body.actions, r.body.tasks], [5, 12, 24]);
  imported = await ok(office.api(`/api/v1/plans/${r.body.plan_id}`));
  assert.equal(imported.title, '集中攻坚行动实施方案');
  assert.equal(imported.rhythm, 'weekly');
  assert.equal(imported.projects.length, 5);
  const leaders = (await ok(office.api('/api/v1/plan-leaders'))).items;
  const units = (await ok(admin.api('/api/v1/units?size=500'))).items;
  const id = (name) => units.find((u) => u.name === name).id;
  const t = imported.projects[0].actions[0].tasks[0];
  assert.equal(t.title, '第1项行动任务一');
  assert.equal(t.leader_id, leaders.find((l) => l.username === 'leader01').id);
  assert.equal(t.lead_unit_id, id('县住建局'));
  assert.deepEqual(t.unit_ids.sort(), [id('城关街道'), id('东城街道')].sort());
  assert.equal(t.deadline, day(30));
  const t2 = imported.projects[0].actions[0].tasks[1];
  assert.equal(t2.starts_on, day(-40), 'an Excel serial date is read as a date');
  assert.equal(imported.projects[1].leader_id, leaders.find((l) => l.username === 'leader02').id);
  // exported back in the same layout, it imports again to the same tree
  const buf = await download(office, `/api/v1/plans/${imported.id}/export`);
  const again = await upload(office, '/api/v1/plans/import', buf, 'export.xlsx');
  assert.equal(again.status, 200, again.text);
  assert.deepEqual([again.body.projects, again.body.actions, again.body.tasks], [5, 12, 24]);
});

test('a node leader must hold the leader role; bad input changes nothing', async () => {
  const t = imported.projects[0].actions[0].tasks[0];
  const office01 = office.me.id;
  let r = await office.api(`/api/v1/plans/${imported.id}/nodes/${t.id}`, { method: 'PUT', body: { leader_id: office01 } });
  errorBody(r, assert, 422, 'invalid');
  r = await office.api(`/api/v1/plans/${imported.id}/nodes/${t.id}`, { method: 'PUT', body: { deadline: '2026-02-30' } });
  errorBody(r, assert, 422, 'invalid');
  const same = await ok(office.api(`/api/v1/tasks/${t.id}`));
  assert.equal(same.leader_id, t.leader_id);
  assert.equal(same.deadline, t.deadline);
});

test('a unit reports 60 % with a photo; the 进展情况表 shows 按进度推进, a late task 滞后 and overdue', async () => {
  const { unit, client } = await unitUser('县住建局');
  const t = imported.projects[0].actions[0].tasks[0];     // 10 days of 41 gone: on schedule at 60 %
  const late = imported.projects[0].actions[0].tasks[1];  // deadline two days ago
  const up = await client.api('/api/v1/files', { method: 'POST', raw: (() => { const f = new FormData(); f.append('file', new Blob([JPEG], { type: 'image/jpeg' }), 'p.jpg'); return f; })() });
  assert.equal(up.status, 201, up.text);
  errorBody(await client.api(`/api/v1/tasks/${t.id}/reports`, { method: 'POST', body: { percent: 160, text: 'x' } }), assert, 422, 'invalid');
  const rep = await ok(client.api(`/api/v1/tasks/${t.id}/reports`, {
    method: 'POST', body: { percent: 60, text: '已完成 12 条背街小巷路面硬化', problems: '雨季施工受影响', file_ids: [up.body.id] },
  }), 201);
  assert.equal(rep.percent, 60);
  assert.equal(rep.unit_id, unit.id);
  assert.equal(rep.files.length, 1);
  await ok(client.api(`/api/v1/tasks/${t.id}/reports`, { method: 'POST', body: { percent: 65, text: '又完成 1 条' } }), 201);
  const all = await ok(client.api(`/api/v1/tasks/${t.id}/reports`));
  assert.deepEqual(all.items.map((x) => x.percent), [65, 60], 'every report is kept');
  // the office comments
  const c = await ok(office.api(`/api/v1/tasks/${t.id}/reports/${rep.id}/comment`, { method: 'POST', body: { comment: '进度符合要求' } }));
  assert.equal(c.comment, '进度符合要求');
  errorBody(await client.api(`/api/v1/tasks/${t.id}/reports/${rep.id}/comment`, { method: 'POST', body: { comment: 'x' } }), assert, 403, 'forbidden');

  const buf = await download(office, `/api/v1/plans/${imported.id}/progress.xlsx`);
  const files = unzip(buf);
  assert.match(files.get('xl/worksheets/sheet1.xml'), /<pageSetup[^>]*orientation="landscape"/);
  const { rows, kinds } = readXlsx(buf);
  assert.equal(rows[0][0], '工作责任目标管理任务进展情况表');
  assert.match(rows[1][0], new RegExp(day(0)));
  assert.deepEqual(rows[2], ['序号', '工程/行动', '任务', '包抓领导', '牵头单位', '责任单位', '完成时限', '最新进展', '状态']);
  const row = rows.find((x) => x[2] === t.title && x[5] === '（牵头）');
  assert.ok(row, 'the lead unit row of the task');
  assert.equal(row[3], t.leader_name);
  assert.equal(row[4], '县住建局');
  // a number with a date format (the reader shows it as Excel does)
  assert.equal(kinds[rows.indexOf(row)][6], 'date', 'the deadline is a real Excel date');
  assert.equal(row[6], t.deadline);
  assert.match(files.get('xl/worksheets/sheet1.xml'), new RegExp(`<v>${serial(t.deadline)}</v>`));
  assert.match(row[7], /65%/);
  assert.equal(row[8], '按进度推进');
  const town = rows.find((x) => x[2] === t.title && x[5] === '城关街道');
  assert.equal(town[8], '滞后', 'a responsible unit with no report a quarter of the way in is behind');
  const lateRow = rows.find((x) => x[2] === late.title && x[5] === '（牵头）');
  assert.equal(lateRow[8], '滞后');
  const overdue = await ok(office.api(`/api/v1/tasks?overdue=1&plan_id=${imported.id}&size=100`));
  assert.ok(overdue.items.some((x) => x.id === late.id));
  assert.ok(!overdue.items.some((x) => x.id === t.id));
  const mineOverdue = await ok(client.api(`/api/v1/tasks?overdue=1&unit_id=${unit.id}&size=200`));
  assert.ok(mineOverdue.items.some((x) => x.id === late.id) === false, '县城管执法局 leads the late task, not 县住建局');
});

test('a unit reads only its own tasks and their reports (404 otherwise)', async () => {
  const zj = await unitUser('县住建局');
  const other = await unitUser('县教育局');
  const town = await unitUser('城关街道');
  const t = imported.projects[0].actions[0].tasks[0];
  errorBody(await other.client.api(`/api/v1/tasks/${t.id}/reports`), assert, 404, 'not_found');
  errorBody(await other.client.api(`/api/v1/tasks/${t.id}`), assert, 404, 'not_found');
  errorBody(await other.client.api(`/api/v1/tasks/${t.id}/reports`, { method: 'POST', body: { percent: 10, text: '冒报' } }), assert, 404, 'not_found');
  // a responsible unit sees the task and the lead unit's reports
  const seen = await ok(town.client.api(`/api/v1/tasks/${t.id}/reports`));
  assert.equal(seen.items.length, 2);
  // the report's photo: the responsible unit may read it, another unit gets 404
  const photo = seen.items.find((x) => x.files.length).files[0].id;
  assert.equal((await town.client.api(`/api/v1/files/${photo}`)).status, 200);
  errorBody(await other.client.api(`/api/v1/files/${photo}`), assert, 404, 'not_found');
  const list = await ok(zj.client.api('/api/v1/tasks?size=500'));
  assert.ok(list.items.every((x) => x.lead_unit_id === zj.unit.id || x.unit_ids.includes(zj.unit.id)));
  const tree = await ok(other.client.api(`/api/v1/plans/${imported.id}`));
  assert.equal(tree.projects.flatMap((p) => p.actions).flatMap((a) => a.tasks).length, 0, 'no task of the plan is the unit\'s');
});

test('a meeting decision becomes a task owned by the named unit, and its progress shows', async () => {
  const units = (await ok(admin.api('/api/v1/units?size=500'))).items;
  const id = (name) => units.find((u) => u.name === name).id;
  errorBody(await office.api('/api/v1/meetings', { method: 'POST', body: { kind: 'party', title: 'x', held_on: day(0) } }), assert, 422, 'invalid');
  const m = await ok(office.api('/api/v1/meetings', {
    method: 'POST',
    body: {
      kind: 'dispatch', title: '背街小巷整治调度会', held_on: day(-1), chair_id: leader.me.id,
      minutes: '听取各单位进展汇报，研究存在问题。', unit_ids: [id('县住建局'), id('城关街道'), id('县城管执法局')],
      decisions: ['城关街道 12 月 20 日前完成和平巷路灯修复', '县城管执法局牵头清理占道经营'],
    },
  }), 201);
  assert.equal(m.kind_name, '调度会');
  assert.deepEqual(m.unit_names.length, 3);
  assert.equal(m.decisions.length, 2);
  assert.equal(m.decisions[0].task, null);
  const d = m.decisions[0];
  const r = await ok(office.api(`/api/v1/meetings/${m.id}/decisions/${d.id}/task`, {
    method: 'POST', body: { plan_id: imported.id, unit_id: id('城关街道'), deadline: day(14) },
  }), 201);
  const task = await ok(office.api(`/api/v1/tasks/${r.task_id}`));
  assert.equal(task.title, d.text);
  assert.equal(task.lead_unit_id, id('城关街道'));
  assert.equal(task.deadline, day(14));
  errorBody(await office.api(`/api/v1/meetings/${m.id}/decisions/${d.id}/task`, {
    method: 'POST', body: { plan_id: imported.id, unit_id: id('城关街道'), deadline: day(14) },
  }), assert, 409, 'conflict');
  // the owning unit sees and reports on it; the meeting shows the progress
  const town = await unitUser('城关街道');
  await ok(town.client.api(`/api/v1/tasks/${task.id}/reports`, { method: 'POST', body: { percent: 40, text: '已修复 4 盏' } }), 201);
  const again = await ok(town.client.api(`/api/v1/meetings/${m.id}`));
  assert.equal(again.decisions[0].task.percent, 40);
  assert.equal(again.decisions[0].task.unit_name, '城关街道');
  // a unit that did not attend does not see the meeting
  errorBody(await (await unitUser('县教育局')).client.api(`/api/v1/meetings/${m.id}`), assert, 404, 'not_found');
});

// framework_import.test.mjs - a framework as offices keep it (issue 14,
// docs/framework-import.md): a workbook with a title line, header synonyms,
// merged project cells, codes Ⅰ-3 / Ⅱ-9 / Ⅲ-26, multi-line standards with
// A/B/C rules, methods "问卷调查、实地考察、材料审核", a 负面清单 sheet, a
// checklist sheet and the minors' part.  Preview writes nothing; the import
// keeps codes and text byte for byte; the export re-imports to the same.
// Runs on SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, cli, login, psql, DB_KIND } from './harness.mjs';
import { readXlsx } from './xlsx.mjs';
import { writeXlsx } from './xlsxwrite.mjs';

let srv;
let office;
let insp;
let inspId;
let types;
let points;

function sql(text) {
  if (DB_KIND === 'postgres') return psql(srv.db.url, text);
  const file = srv.db.url.replace(/^sqlite:/, '');
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', file, text], { encoding: 'utf8' }).trim();
}

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
  const r = await fetch(srv.url + pathname, { headers: { cookie: client.cookie } });
  return { status: r.status, buf: Buffer.from(await r.arrayBuffer()) };
}

const S26 =
  '1）诚信建设制度健全，设立“红黑榜”；\n2）开展诚信宣传教育进机关、进企业；\n3）主要商圈设置诚信经营公示牌；\n4）建立失信联合惩戒机制。\n4项全符合为A；符合2）3）4）为B；其余为C';
const S27 = '窗口单位公示服务承诺，文明用语规范。\n每少一处扣2分，扣完为止';
const S40 = '网上申报材料齐全，时间节点为“2024年1月以来”。';
const M1 = '学校开展“扣好人生第一粒扣子”主题教育。\n全部开展为A；部分开展为B；未开展为C';

export function officeWorkbook(typeName) {
  return writeXlsx([
    {
      name: '测评体系任务分解表',
      rows: [
        ['XX县全国文明城市测评体系任务分解表（2026年版）'],
        ['项目编号', '测评项目', '内容编号', '测评内容', '标准编码', '标准内容', '考察方式', '标准分', '牵头单位', '责任单位', '考察点位', '评分方式', '备注'],
        ['Ⅰ-3', '诚信建设', 'Ⅱ-9', '社会诚信', 'Ⅲ-26', S26, '问卷调查、实地考察、材料审核', '2.4', '县发改局', '县市场监管局、县商务局', typeName, 'A=100%、B=80%、C=60%', '重点'],
        ['', '', '', '', 'Ⅲ-27', S27, '实地考察', '1.5', '县行政审批局', '', typeName, '每少一处扣2分', ''],
        ['', '', 'Ⅱ-10', '政务诚信', 'Ⅲ-28', S40, '网上申报、听取汇报', '1', '县发改局', '', '', '', ''],
        ['Ⅰ-4', '法治环境', 'Ⅱ-11', '法治宣传', 'Ⅲ-29', '法治宣传阵地规范。', '网络（电话、媒体）调查、整体观察', '0.6', '县司法局', '', '', '', ''],
      ],
      // the project spans its rows, as offices merge it
      merges: ['A3:A5', 'B3:B5'],
    },
    {
      name: '负面清单',
      rows: [
        ['编号', '负面清单内容', '扣分', '一票否决'],
        ['负-01', '发生重大安全生产责任事故', '', '是'],
        ['负-02', '发生食品安全事件，造成恶劣社会影响', '2', ''],
      ],
    },
    {
      name: '检查项',
      rows: [
        ['点位类型', '检查项编码', '检查项', '标准编码'],
        [typeName, '景点-01-01', '诚信经营公示牌设置规范', 'Ⅲ-26'],
        [typeName, '景点-01-02', '服务承诺公示，文明用语', 'Ⅲ-27'],
        [typeName, '校园-01', '校园周边环境整洁', 'WⅢ-2'],
      ],
    },
    {
      name: '未成年人思想道德建设',
      rows: [
        ['测评项目', '测评内容', '标准编码', '测评标准', '测评方法', '分值', '评分方式'],
        ['理想信念教育', '主题教育', 'WⅢ-1', M1, '材料审核', '60', ''],
        ['', '', 'WⅢ-2', '校园周边环境整洁。', '实地考察', '40', '≥90%=100%、≥60%=60%'],
      ],
    },
  ]);
}

before(async () => {
  srv = await startServer();
  const r = await cli(['demo'], srv.env);
  assert.equal(r.code, 0, r.stderr);
  const pw = r.stdout.match(/shown once\):\s*\n\s*(\S+)/)[1];
  office = await login(srv.url, 'office01', pw);
  insp = await login(srv.url, 'insp01', pw);
  points = (await ok(office.api('/api/v1/points?size=500'))).items;
  // a point type with two points: the graded round visits both
  types = (await ok(office.api('/api/v1/point-types?size=100'))).items.filter((t) => points.filter((p) => p.type_id === t.id).length >= 2);
  inspId = (await ok(office.api('/api/v1/users?keyword=insp01&size=50'))).items.find((u) => u.username === 'insp01').id;
  const units = (await ok(office.api('/api/v1/units?size=500'))).items.map((u) => u.name);
  for (const u of ['县发改局', '县行政审批局']) if (!units.includes(u)) await ok(office.api('/api/v1/units', { method: 'POST', body: { name: u, kind: 'department' } }), 201);
});

after(async () => {
  const code = await srv.stop();
  assert.equal(code, 0, `server exit code ${code}\n${srv.log().slice(-3000)}`);
});

test('an office workbook previews with no error and writes nothing; the import keeps codes and text byte for byte', async () => {
  const type = types[0];
  const book = officeWorkbook(type.name);
  const before = sql('SELECT COUNT(*) FROM frameworks');
  const auditBefore = sql('SELECT COUNT(*) FROM audit_log');

  const p = await ok(upload(office, '/api/v1/frameworks/import?preview=1&name=' + encodeURIComponent('县测评体系2026'), book, 'fw.xlsx'));
  assert.deepEqual(p.errors, [], JSON.stringify(p.errors));
  assert.equal(p.preview, true);
  assert.deepEqual(p.counts, { projects: 3, contents: 4, standards: 6, negative_items: 2, checklist_items: 3 });
  assert.ok(p.warnings.some((w) => /备注/.test(w.message)), 'the unknown column is reported');
  const s26 = p.projects[0].contents[0].standards[0];
  assert.equal(s26.code, 'Ⅲ-26');
  assert.equal(s26.title, S26);
  assert.equal(s26.method_text, '问卷调查、实地考察、材料审核');
  assert.deepEqual(s26.methods, ['field', 'questionnaire', 'materials']);
  assert.equal(s26.grading.kind, 'levels');
  assert.deepEqual(s26.grading.levels.map((l) => [l.name, l.share]), [['A', 1], ['B', 0.8], ['C', 0.6]]);
  assert.equal(s26.grading.levels[0].rule, '4项全符合为A');
  assert.equal(s26.grading.levels[1].rule, '符合2）3）4）为B');
  // the merged project reaches the content Ⅱ-10 two rows down
  assert.deepEqual(p.projects.map((x) => [x.code, x.title, x.section]), [['Ⅰ-3', '诚信建设', 'main'], ['Ⅰ-4', '法治环境', 'main'], ['P1', '理想信念教育', 'minors']]);
  assert.deepEqual(p.projects[0].contents.map((c) => c.code), ['Ⅱ-9', 'Ⅱ-10']);
  assert.equal(sql('SELECT COUNT(*) FROM frameworks'), before, 'a preview writes nothing');
  assert.equal(sql('SELECT COUNT(*) FROM audit_log'), auditBefore);

  // a bad row in preview: answered with the row, still nothing written
  const bad = await ok(upload(office, '/api/v1/frameworks/import?preview=1', '测评项目,测评内容,标准编码,测评标准,测评方法,分值\n项目,内容,A/1,"两行\n文本",走访,1\n', 'bad.csv'));
  assert.deepEqual(bad.errors.map((e) => e.field).sort(), ['标准编码', '测评方法']);

  const r = await ok(upload(office, '/api/v1/frameworks/import?name=' + encodeURIComponent('县测评体系2026'), book, 'fw.xlsx'), 201);
  assert.deepEqual(r.imported, { projects: 3, contents: 4, standards: 6, negative_items: 2, checklist_items: 3 });
  const fid = r.framework.id;
  // the main framework's totals leave the minors' part out
  assert.equal(r.framework.totals.weight, 5.5);
  const tree = await ok(office.api(`/api/v1/frameworks/${fid}/indicators`));
  assert.equal(tree.sections.minors.weight, 100);
  const got = tree.items[0].children[0].children;
  assert.deepEqual(got.map((s) => s.code), ['Ⅲ-26', 'Ⅲ-27']);
  assert.equal(got[0].title, S26);
  assert.equal(Buffer.compare(Buffer.from(got[0].title), Buffer.from(S26)), 0, 'byte for byte');
  assert.equal(got[1].title, S27);
  assert.equal(got[0].method_text, '问卷调查、实地考察、材料审核');
  assert.deepEqual(got[1].grading, { kind: 'deduction', per: 2, floor: 0 });
  assert.equal(got[0].lead_unit_name, '县发改局');
  assert.deepEqual(got[0].parts, { field: 0.8, questionnaire: 0.8, materials: 0.8 });
  assert.equal(tree.items[0].children[1].children[0].parts.materials, 1, '听取汇报 feeds the materials part');
  assert.equal(tree.items[2].section, 'minors');
  const negs = await ok(office.api(`/api/v1/frameworks/${fid}/negative-items`));
  assert.deepEqual(negs.items.map((n) => [n.code, n.deduction, n.veto]), [['负-01', 0, true], ['负-02', 2, false]]);
  const cl = await ok(office.api(`/api/v1/point-types/${type.id}/checklist?framework_id=${fid}`));
  assert.deepEqual(cl.items.map((i) => [i.code, i.standard_code, i.grading.kind]), [['景点-01-01', 'Ⅲ-26', 'levels'], ['景点-01-02', 'Ⅲ-27', 'deduction'], ['校园-01', 'WⅢ-2', 'rate']]);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'framework.import' AND object_id = '${fid}'`), '1');

  // the export writes what was read, and re-imports to the same framework
  const x = await download(office, `/api/v1/frameworks/${fid}/export`);
  assert.equal(x.status, 200);
  const rows = readXlsx(x.buf).rows;
  const row26 = rows.find((row) => row[4] === 'Ⅲ-26');
  assert.deepEqual(row26.slice(0, 8), ['Ⅰ-3', '诚信建设', 'Ⅱ-9', '社会诚信', 'Ⅲ-26', S26, '2.4', '问卷调查、实地考察、材料审核']);
  assert.equal(row26[11], 'A=100%、B=80%、C=60%');
  assert.deepEqual(readXlsx(x.buf).sheets, ['测评体系', '负面清单', '检查项']);
  const again = await ok(upload(office, '/api/v1/frameworks/import?name=' + encodeURIComponent('再导入2026'), x.buf, 'export.xlsx'), 201);
  assert.deepEqual(again.imported, r.imported);
  const tree2 = await ok(office.api(`/api/v1/frameworks/${again.framework.id}/indicators`));
  const strip = (t) => JSON.stringify(t.items, (k, v) => (['id', 'framework_id', 'parent_id', 'lead_unit_id'].includes(k) ? undefined : v));
  assert.equal(strip(tree2), strip(tree), 'the re-import is the same tree, text byte for byte');

  // a scheme edited in the indicator dialog exports as a cell that re-imports to it
  const s27 = tree2.items[0].children[0].children[1];
  const rate = { kind: 'rate', thresholds: [{ min: 0.9, share: 1 }, { min: 0.8, share: 0.8 }] };
  const refused = await office.api(`/api/v1/frameworks/${again.framework.id}/indicators/${s27.id}`, { method: 'PUT', body: { grading: { kind: 'levels', levels: [{ name: 'A', share: 1 }, { name: 'A', share: 0.5 }] } } });
  assert.equal(refused.status, 422);
  assert.deepEqual([refused.body.error.field, refused.body.error.message], ['grading', '评分档次重复']);
  await ok(office.api(`/api/v1/frameworks/${again.framework.id}/indicators/${s27.id}`, { method: 'PUT', body: { grading: rate } }));
  const x2 = await download(office, `/api/v1/frameworks/${again.framework.id}/export`);
  assert.equal(readXlsx(x2.buf).rows.find((row) => row[4] === 'Ⅲ-27')[11], '≥90%=100%、≥80%=80%');
  const third = await ok(upload(office, '/api/v1/frameworks/import?name=' + encodeURIComponent('再导入评分'), x2.buf, 'export.xlsx'), 201);
  const tree3 = await ok(office.api(`/api/v1/frameworks/${third.framework.id}/indicators`));
  assert.deepEqual(tree3.items[0].children[0].children[1].grading, rate);
});

test('a round on graded standards scores a level, a count of shortfalls and a rate as worked by hand; an incident lowers the prediction; the minors gate shows', async () => {
  const type = types[0];
  const r = await ok(upload(office, '/api/v1/frameworks/import?name=' + encodeURIComponent('分档评分体系'), officeWorkbook(type.name), 'fw.xlsx'), 201);
  const fid = r.framework.id;
  const cl = (await ok(office.api(`/api/v1/point-types/${type.id}/checklist?framework_id=${fid}`))).items;
  const [i26, i27, iw2] = cl.map((i) => i.id);
  const [P1, P2] = points.filter((p) => p.type_id === type.id);
  const round = await ok(office.api('/api/v1/inspections', {
    method: 'POST',
    body: { title: '分档评分轮次', kind: 'mock', framework_id: fid, starts_on: '2026-03-01', ends_on: '2026-03-31', inspector_ids: [inspId], selection: { mode: 'chosen', point_ids: [P1.id, P2.id] } },
  }), 201);
  const post = (body) => insp.api(`/api/v1/inspections/${round.id}/records`, { method: 'POST', body });
  // the scheme's question must be answered: a level for Ⅲ-26
  let e = await post({ client_key: 'g-bad', point_id: P1.id, observations: [{ item_id: i26, rating: 'fail' }] });
  assert.equal(e.status, 422, e.text);
  assert.equal(e.body.error.field, 'observations[0].level');
  e = await post({ client_key: 'g-bad', point_id: P1.id, observations: [{ item_id: i26, level: 'E' }] });
  assert.equal(e.status, 422);
  e = await post({ client_key: 'g-bad', point_id: P1.id, observations: [{ item_id: i27, rating: 'fail' }] });
  assert.equal(e.body.error.field, 'observations[0].shortfalls');

  const rec1 = await ok(post({ client_key: 'g-1', point_id: P1.id, observations: [
    { item_id: i26, level: 'B' }, { item_id: i27, shortfalls: 1 }, { item_id: iw2, rate: 0.7 }] }), 201);
  assert.deepEqual(rec1.observations.map((o) => [o.rating, o.credit]), [['fail', 0.8], ['fail', 0], ['fail', 0.6]]);
  assert.equal(rec1.observations[0].level, 'B');
  assert.equal(rec1.observations[1].shortfalls, 1);
  await ok(post({ client_key: 'g-2', point_id: P2.id, observations: [
    { item_id: i26, level: 'A' }, { item_id: i27, shortfalls: 0 }, { item_id: iw2, rate: 0.95 }] }), 201);

  // by hand: Ⅲ-26 field part 2.4/3 = 0.8, rate (0.8 + 1)/2 = 0.9, score 0.72;
  // Ⅲ-27 field part 1.5, 1 shortfall costs 2 > 1.5 -> 0, rate (0 + 1)/2 = 0.5, score 0.75;
  // field weights 0.8 + 1.5 + 0.3 (Ⅲ-29) = 2.6, observed 2.3, score 1.47,
  // predicted 2.6 x 1.47 / 2.3 = 1.6617
  let sc = await ok(office.api(`/api/v1/inspections/${round.id}/score`));
  const std = (code) => sc.standards.find((x) => x.code === code);
  assert.equal(std('Ⅲ-26').rate, 0.9);
  assert.equal(std('Ⅲ-26').score, 0.72);
  assert.equal(std('Ⅲ-27').rate, 0.5);
  assert.equal(std('Ⅲ-27').score, 0.75);
  assert.equal(sc.score, 1.47);
  assert.equal(sc.predicted, 1.66);
  assert.equal(sc.prediction.field, 1.66);
  assert.equal(sc.prediction.deduction, 0);
  assert.equal(sc.prediction.total, 1.66);
  assert.equal(sc.prediction.veto, false);
  // the minors' part on its own: WⅢ-2 (weight 40) at rates 0.7 -> 60%, 0.95 -> 100%:
  // 40 x 0.8 = 32 of the 40 observed, 80 out of 100: below the 85 gate
  assert.deepEqual(sc.prediction.minors, { score: 80, total: 100, observed: true, gate: 85, passed: false });

  // a negative-list incident: the office decides 0.5 points off
  const negs = (await ok(office.api(`/api/v1/frameworks/${fid}/negative-items`))).items;
  const auditBefore = Number(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'negative.incident.create'`));
  const bad = await office.api(`/api/v1/frameworks/${fid}/negative-incidents`, { method: 'POST', body: { item_id: negs[1].id, occurred_on: '2026-13-01', description: 'x' } });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'occurred_on');
  const inc = await ok(office.api(`/api/v1/frameworks/${fid}/negative-incidents`, {
    method: 'POST',
    body: { item_id: negs[1].id, occurred_on: '2026-03-12', place: '城东农贸市场', description: '熟食摊点销售过期食品，经媒体报道引发关注', deduction: 0.5 },
  }), 201);
  assert.equal(inc.item_code, '负-02');
  assert.equal(inc.deduction, 0.5);
  assert.equal(Number(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'negative.incident.create'`)), auditBefore + 1);
  sc = await ok(office.api(`/api/v1/inspections/${round.id}/score`));
  assert.equal(sc.prediction.deduction, 0.5);
  assert.equal(sc.prediction.total, 1.16, 'the predicted total is lowered by the deduction');
  assert.equal(sc.prediction.incidents, 1);
  // an incident on a veto item: the title is vetoed
  await ok(office.api(`/api/v1/frameworks/${fid}/negative-incidents`, {
    method: 'POST', body: { item_id: negs[0].id, occurred_on: '2026-03-20', description: '建筑工地发生较大安全生产责任事故' },
  }), 201);
  sc = await ok(office.api(`/api/v1/inspections/${round.id}/score`));
  assert.equal(sc.prediction.veto, true);
  const list = await ok(office.api(`/api/v1/frameworks/${fid}/negative-incidents`));
  assert.equal(list.total, 2);
  assert.equal(list.veto, true);
  // the office sets the gate: 80 is passed
  const fw = await ok(office.api(`/api/v1/frameworks/${fid}`, { method: 'PUT', body: { minors_gate: 80 } }));
  assert.equal(fw.minors_gate, 80);
  sc = await ok(office.api(`/api/v1/inspections/${round.id}/score`));
  assert.deepEqual(sc.prediction.minors, { score: 80, total: 100, observed: true, gate: 80, passed: true });
  const badGate = await office.api(`/api/v1/frameworks/${fid}`, { method: 'PUT', body: { minors_gate: 120 } });
  assert.equal(badGate.status, 422);
  // an inspector reads but does not record incidents
  const denied = await insp.api(`/api/v1/frameworks/${fid}/negative-incidents`, { method: 'POST', body: { item_id: negs[1].id, occurred_on: '2026-03-12', description: 'x' } });
  assert.equal(denied.status, 403);
});

// frameworks.test.mjs - the evaluation framework (docs/inspection.md §1-2):
// versions, the indicator tree with weights split among methods, validation,
// the all-or-nothing import with row errors, export and re-import, copy,
// activate, the lock once a round uses a version, checklists and the default
// credits.  On the `wenming demo` county; runs on SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, cli, errorBody, login, loginAdmin, psql, DB_KIND } from './harness.mjs';
import { readXlsx } from './xlsx.mjs';

let srv;
let pw;
let admin;
let office;
let insp;
let types;
let categories;

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

async function download(client, pathname) {
  const r = await fetch(srv.url + pathname, { headers: { cookie: client.cookie } });
  return { status: r.status, headers: r.headers, buf: Buffer.from(await r.arrayBuffer()) };
}

function upload(client, pathname, bytes, filename) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), filename);
  return client.api(pathname, { method: 'POST', raw: form });
}

const CSV_HEAD = '项目编码,测评项目,内容编码,测评内容,标准编码,测评标准,分值,测评方法,牵头单位,责任单位,考察点位类型';

before(async () => {
  srv = await startServer();
  const r = await cli(['demo', '--empty'], srv.env);
  assert.equal(r.code, 0, r.stderr);
  pw = r.stdout.match(/shown once\):\s*\n\s*(\S+)/)[1];
  admin = await loginAdmin(srv);
  office = await login(srv.url, 'office01', pw);
  insp = await login(srv.url, 'insp01', pw);
  types = (await ok(admin.api('/api/v1/point-types?size=100'))).items;
  categories = (await ok(admin.api('/api/v1/categories?size=500'))).items;
});

after(async () => {
  const code = await srv.stop();
  assert.equal(code, 0, `server exit code ${code}\n${srv.log().slice(-3000)}`);
});

test('a framework by hand: three levels, weights shared among methods, sums on the parents', async () => {
  const f = await ok(office.api('/api/v1/frameworks', { method: 'POST', body: { name: '手工体系', note: '测试' } }), 201);
  assert.equal(f.active, false);
  assert.equal(f.standards, 0);
  const fid = f.id;
  const p = await ok(office.api(`/api/v1/frameworks/${fid}/indicators`, { method: 'POST', body: { code: '1', title: '项目一' } }), 201);
  assert.equal(p.level, 1);
  assert.equal(p.parent_id, null);
  const c = await ok(office.api(`/api/v1/frameworks/${fid}/indicators`, { method: 'POST', body: { parent_id: p.id, code: '1.1', title: '内容一' } }), 201);
  assert.equal(c.level, 2);
  const road = types.find((t) => t.name === '主次干道');
  const s1 = await ok(office.api(`/api/v1/frameworks/${fid}/indicators`, {
    method: 'POST',
    body: { parent_id: c.id, code: '1.1.1', title: '标准一', weight: 1.2, methods: ['field', 'materials'], point_type_ids: [road.id] },
  }), 201);
  assert.equal(s1.level, 3);
  assert.deepEqual(s1.parts, { field: 0.6, questionnaire: 0, materials: 0.6 });
  assert.deepEqual(s1.point_types.map((t) => t.name), ['主次干道']);
  const s2 = await ok(office.api(`/api/v1/frameworks/${fid}/indicators`, {
    method: 'POST', body: { parent_id: c.id, code: '1.1.2', title: '标准二', weight: 0.9, methods: ['field', 'questionnaire', 'data'] },
  }), 201);
  assert.deepEqual(s2.parts, { field: 0.3, questionnaire: 0.3, materials: 0.3 });
  // data and materials are one part
  const s3 = await ok(office.api(`/api/v1/frameworks/${fid}/indicators`, {
    method: 'POST', body: { parent_id: c.id, code: '1.1.3', title: '标准三', weight: 1, methods: ['materials', 'data'] },
  }), 201);
  assert.deepEqual(s3.parts, { field: 0, questionnaire: 0, materials: 1 });

  // bad nodes: 422 naming the field, nothing stored
  const bad = [
    [{ parent_id: s1.id, code: '1.1.1.1', title: '第四级' }, 'parent_id'],
    [{ parent_id: c.id, code: '1.1.9', title: '无方法', weight: 1 }, 'methods'],
    [{ parent_id: c.id, code: '1.1.9', title: 'x', weight: 101, methods: ['field'] }, 'weight'],
    [{ parent_id: c.id, code: '1.1.9', title: 'x', weight: 1, methods: ['field', 'field'] }, 'methods'],
    [{ parent_id: c.id, code: '1.1.9', title: 'x', weight: 1, methods: ['walk'] }, 'methods'],
    [{ parent_id: c.id, code: '1.1.9', title: 'x', weight: 1, methods: ['materials'], point_type_ids: [road.id] }, 'point_type_ids'],
    [{ code: '2', title: '项目', weight: 3 }, 'weight'],
    [{ code: 'a b', title: 'x' }, 'code'],
    [{ code: '1/2', title: 'x' }, 'code'],
    [{ code: '9', title: 'x\u0007' }, 'title'],
    [{ parent_id: c.id, code: '1.1.9', title: 'x', weight: 1, methods: ['field'], lead_unit_id: 999999 }, 'lead_unit_id'],
  ];
  for (const [body, field] of bad) {
    const e = errorBody(await office.api(`/api/v1/frameworks/${fid}/indicators`, { method: 'POST', body }), assert, 422, 'invalid');
    assert.equal(e.field, field, JSON.stringify(body));
  }
  errorBody(await office.api(`/api/v1/frameworks/${fid}/indicators`, { method: 'POST', body: { parent_id: c.id, code: '1.1.1', title: '重复', weight: 1, methods: ['field'] } }), assert, 409, 'conflict');

  const tree = await ok(office.api(`/api/v1/frameworks/${fid}/indicators`));
  assert.deepEqual(tree.totals, { weight: 3.1, field: 0.9, questionnaire: 0.3, materials: 1.9 });
  assert.equal(tree.items.length, 1);
  assert.equal(tree.items[0].weight, 3.1);
  assert.deepEqual(tree.items[0].methods, ['field', 'questionnaire', 'materials', 'data']);
  assert.deepEqual(tree.items[0].children[0].children.map((s) => s.code), ['1.1.1', '1.1.2', '1.1.3']);
  for (const n of [tree.items[0], tree.items[0].children[0], tree.items[0].children[0].children[0]])
    for (const k of ['id', 'parent_id', 'level', 'code', 'title', 'weight', 'methods']) assert.ok(k in n, k);

  // update keeps the point types not given; a parent can't be changed
  const up = await ok(office.api(`/api/v1/frameworks/${fid}/indicators/${s1.id}`, { method: 'PUT', body: { title: '标准一（改）', weight: 2 } }));
  assert.equal(up.title, '标准一（改）');
  assert.equal(up.point_types.length, 1);
  errorBody(await office.api(`/api/v1/frameworks/${fid}/indicators/${s1.id}`, { method: 'PUT', body: { parent_id: p.id } }), assert, 422, 'invalid');
  errorBody(await office.api(`/api/v1/frameworks/${fid}/indicators/${c.id}`, { method: 'DELETE' }), assert, 409, 'conflict');
  await ok(office.api(`/api/v1/frameworks/${fid}/indicators/${s3.id}`, { method: 'DELETE' }), 204);

  const fw = await ok(office.api(`/api/v1/frameworks/${fid}`));
  assert.equal(fw.projects, 1);
  assert.equal(fw.contents, 1);
  assert.equal(fw.standards, 2);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action LIKE 'indicator.%'`), '7');

  // an inspector reads, but cannot write
  await ok(insp.api(`/api/v1/frameworks/${fid}/indicators`));
  errorBody(await insp.api('/api/v1/frameworks', { method: 'POST', body: { name: 'x' } }), assert, 403, 'forbidden');
  errorBody(await office.api('/api/v1/frameworks', { method: 'POST', body: { name: '手工体系' } }), assert, 409, 'conflict');
  errorBody(await office.api('/api/v1/frameworks/999999'), assert, 404, 'not_found');
});

test('import: every row checked, errors by row and column, nothing written; a good sheet makes a new version', async () => {
  const before = sql('SELECT COUNT(*) FROM frameworks');
  const badCsv = [
    CSV_HEAD,
    '1,理想信念,1.1,核心价值观,1.1.1,公益广告,1.5,实地考察、网上申报,,,主次干道',
    ',,,,1.1.2,宣传栏,abc,实地考察,,,',
    ',,1.2,志愿服务,1.1.3,编码不对,1,实地考察,,,',
    ',,,,1.2.1,方法不对,1,走访,,,',
    ',,,,1.2.2,单位不对,1,网上申报,不存在的单位,,',
    ',,,,1.2.3,点位类型不对,1,网上申报,,,主次干道',
    ',,1.1,核心价值观,1.1.1,重复编码,1,实地考察,,,',
  ].join('\n');
  let r = await upload(office, '/api/v1/frameworks/import?name=坏表', badCsv, 'bad.csv');
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.imported, 0);
  const got = r.body.errors.map((e) => `${e.row}:${e.field}`);
  // the tree comes from the columns: 1.1.3 under content 1.2 (row 4) is not an error
  assert.deepEqual(got, ['3:分值', '5:测评方法', '6:牵头单位', '7:考察点位类型', '8:标准编码']);
  for (const e of r.body.errors) assert.match(e.message, /[\u4e00-\u9fff]/);
  assert.equal(sql('SELECT COUNT(*) FROM frameworks'), before, 'nothing written');

  // missing required columns
  r = await upload(office, '/api/v1/frameworks/import', '项目编码,测评项目\n1,x\n', 'cols.csv');
  assert.equal(r.status, 422);
  assert.ok(r.body.errors.some((e) => e.field === '标准编码'));

  const goodCsv = [
    CSV_HEAD,
    '1,理想信念,1.1,核心价值观,1.1.1,公益广告规范,1.5,实地考察、网上申报,县委宣传部,县城管执法局、县住建局,主次干道、公共广场',
    ',,,,1.1.2,宣传栏内容更新,0.5,实地考察,,,',
    ',,1.2,志愿服务,1.2.1,志愿者注册率,2,数据/部门评价,,,',
    '2,公共秩序,2.1,交通秩序,2.1.1,行人闯红灯,1,实地考察,,,主要交通路口',
    ',,,,2.1.2,市民满意度,1,问卷调查,,,',
  ].join('\r\n');
  r = await upload(office, '/api/v1/frameworks/import?name=导入体系', goodCsv, 'good.csv');
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body.imported, { projects: 2, contents: 3, standards: 5, negative_items: 0, checklist_items: 0 });
  const fid = r.body.framework.id;
  assert.deepEqual(r.body.framework.totals, { weight: 6, field: 2.25, questionnaire: 1, materials: 2.75 });
  const tree = await ok(office.api(`/api/v1/frameworks/${fid}/indicators`));
  const s111 = tree.items[0].children[0].children[0];
  assert.equal(s111.lead_unit_name, '县委宣传部');
  assert.deepEqual(s111.units.map((u) => u.name).sort(), ['县住建局', '县城管执法局'].sort());
  assert.deepEqual(s111.point_types.map((t) => t.name).sort(), ['主次干道', '公共广场'].sort());
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'framework.import'`), '1');

  // export, and the export re-imports to the same tree
  const x = await download(office, `/api/v1/frameworks/${fid}/export`);
  assert.equal(x.status, 200);
  const rows = readXlsx(x.buf).rows;
  assert.deepEqual(rows[0], [...CSV_HEAD.split(','), '评分方式', '所属部分']);
  assert.equal(rows.length, 6);
  assert.deepEqual(rows[1].slice(4, 8), ['1.1.1', '公益广告规范', '1.5', '实地考察、网上申报']);
  r = await upload(office, '/api/v1/frameworks/import?name=再导入', x.buf, 'export.xlsx');
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body.imported, { projects: 2, contents: 3, standards: 5, negative_items: 0, checklist_items: 0 });
  assert.deepEqual(r.body.framework.totals, { weight: 6, field: 2.25, questionnaire: 1, materials: 2.75 });

  const t = await download(office, '/api/v1/frameworks/import/template');
  assert.equal(t.status, 200);
  assert.deepEqual(readXlsx(t.buf).rows[0], [...CSV_HEAD.split(','), '评分方式', '所属部分']);
  assert.deepEqual(readXlsx(t.buf).sheets, ['测评体系', '填写说明']);
});

test('copy a version, activate it (one active per tenant), the old one stays readable', async () => {
  const list = (await ok(office.api('/api/v1/frameworks'))).items;
  const src = list.find((f) => f.name === '导入体系');
  const road = types.find((t) => t.name === '主次干道');
  const tree = await ok(office.api(`/api/v1/frameworks/${src.id}/indicators`));
  const s111 = tree.items[0].children[0].children[0];
  const cat = categories.find((k) => k.code === 'SR01');
  await ok(office.api(`/api/v1/point-types/${road.id}/checklist?framework_id=${src.id}`, {
    method: 'PUT', body: { items: [{ standard_id: s111.id, title: '公益广告无破损', category_id: cat.id, credit_fail: 0.6 }] },
  }));
  const copy = await ok(office.api(`/api/v1/frameworks/${src.id}/copy`, { method: 'POST', body: { name: '导入体系（2027版）' } }), 201);
  assert.equal(copy.copied_from, src.id);
  assert.equal(copy.standards, 5);
  assert.deepEqual(copy.totals, src.totals);
  const cl = await ok(office.api(`/api/v1/point-types/${road.id}/checklist?framework_id=${copy.id}`));
  assert.equal(cl.items.length, 1);
  assert.equal(cl.items[0].standard_code, '1.1.1');
  assert.notEqual(cl.items[0].standard_id, s111.id, 'points at the copy of the standard');
  assert.equal(cl.items[0].credit_fail, 0.6);

  const act = await ok(office.api(`/api/v1/frameworks/${copy.id}/activate`, { method: 'POST' }));
  assert.equal(act.active, true);
  let all = (await ok(office.api('/api/v1/frameworks'))).items;
  assert.equal(all.filter((f) => f.active).length, 1);
  await ok(office.api(`/api/v1/frameworks/${src.id}/activate`, { method: 'POST' }));
  all = (await ok(office.api('/api/v1/frameworks'))).items;
  assert.deepEqual(all.filter((f) => f.active).map((f) => f.id), [src.id]);
  await ok(office.api(`/api/v1/frameworks/${copy.id}/indicators`));
  errorBody(await office.api(`/api/v1/frameworks/${src.id}`, { method: 'DELETE' }), assert, 409, 'conflict');
  const empty = await ok(office.api('/api/v1/frameworks', { method: 'POST', body: { name: '空体系' } }), 201);
  errorBody(await office.api(`/api/v1/frameworks/${empty.id}/activate`, { method: 'POST' }), assert, 409, 'conflict');
  await ok(office.api(`/api/v1/frameworks/${empty.id}`, { method: 'DELETE' }), 204);
});

test('checklists: items tied to field standards of the point type, credits per item or the tenant default', async () => {
  const active = (await ok(office.api('/api/v1/frameworks'))).items.find((f) => f.active);
  const road = types.find((t) => t.name === '主次干道');
  const park = types.find((t) => t.name === '公园');
  const tree = await ok(office.api(`/api/v1/frameworks/${active.id}/indicators`));
  const [s111, s112] = tree.items[0].children[0].children;
  const s121 = tree.items[0].children[1].children[0];
  const cat = categories.find((k) => k.code === 'SR01');

  let cl = await ok(insp.api(`/api/v1/point-types/${road.id}/checklist`));
  assert.equal(cl.framework.id, active.id, 'the active framework by default');
  assert.deepEqual(cl.defaults, { credit_pass: 1, credit_fail: 0.5, credit_severe: 0 });

  const put = (typeId, items) => office.api(`/api/v1/point-types/${typeId}/checklist?framework_id=${active.id}`, { method: 'PUT', body: { items } });
  let e = errorBody(await put(road.id, [{ standard_id: s121.id, title: '非实地', category_id: cat.id }]), assert, 422, 'invalid');
  assert.equal(e.field, 'items[0].standard_id');
  e = errorBody(await put(park.id, [{ standard_id: s111.id, title: '不在公园考察', category_id: cat.id }]), assert, 422, 'invalid');
  assert.equal(e.field, 'items[0].standard_id');
  e = errorBody(await put(road.id, [{ standard_id: s112.id, title: 'x', category_id: cat.id, credit_fail: 2 }]), assert, 422, 'invalid');
  assert.equal(e.field, 'items[0].credit_fail');
  e = errorBody(await put(road.id, [{ standard_id: s112.id, title: 'x', category_id: 999999 }]), assert, 422, 'invalid');
  assert.equal(e.field, 'items[0].category_id');
  errorBody(await insp.api(`/api/v1/point-types/${road.id}/checklist`, { method: 'PUT', body: { items: [] } }), assert, 403, 'forbidden');

  cl = await ok(put(road.id, [
    { standard_id: s111.id, title: '公益广告无破损', category_id: cat.id, credit_fail: 0.6 },
    { standard_id: s112.id, title: '宣传栏及时更新', category_id: cat.id },
  ]));
  assert.deepEqual(cl.items.map((i) => i.title), ['公益广告无破损', '宣传栏及时更新']);
  assert.deepEqual(cl.items[0].credits, { pass: 1, fail: 0.6, severe: 0 });
  assert.equal(cl.items[1].credit_fail, null);

  // the tenant default changes every item without its own credit
  errorBody(await office.api('/api/v1/inspection-settings', { method: 'PUT', body: { credit_fail: -1 } }), assert, 422, 'invalid');
  await ok(office.api('/api/v1/inspection-settings', { method: 'PUT', body: { credit_fail: 0.4 } }));
  cl = await ok(office.api(`/api/v1/point-types/${road.id}/checklist?framework_id=${active.id}`));
  assert.deepEqual(cl.items[1].credits, { pass: 1, fail: 0.4, severe: 0 });
  assert.deepEqual(cl.items[0].credits, { pass: 1, fail: 0.6, severe: 0 });
  await ok(office.api('/api/v1/inspection-settings', { method: 'PUT', body: { credit_fail: 0.5 } }));
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'checklist.update'`), '2');
});

test('the demo county has a framework of 7 projects, 58 contents, 118 standards (40/20/40) and a checklist per point type', async () => {
  const demo = (await ok(admin.api('/api/v1/frameworks'))).items.find((f) => f.name.includes('示例县'));
  assert.ok(demo, 'demo framework');
  assert.equal(demo.projects, 7);
  assert.equal(demo.contents, 58);
  assert.equal(demo.standards, 118);
  assert.deepEqual(demo.totals, { weight: 100, field: 40, questionnaire: 20, materials: 40 });
  // codes numbered across the framework, text on several lines with its grading rule,
  // a lead unit per content, the minors' part and local features apart
  const tree = await ok(admin.api(`/api/v1/frameworks/${demo.id}/indicators`));
  assert.deepEqual(tree.items.slice(0, 2).map((p) => p.code), ['Ⅰ-1', 'Ⅰ-2']);
  assert.equal(tree.items[0].children[0].children[0].code, 'Ⅲ-1');
  const all = tree.items.flatMap((p) => p.children.flatMap((c) => c.children));
  const graded = all.find((s) => s.grading.kind === 'levels' && s.section === 'main');
  assert.match(graded.title, /\n3项全符合为A/);
  assert.equal(graded.grading.levels[0].rule, '3项全符合为A');
  assert.ok(all.some((s) => s.grading.kind === 'deduction'));
  assert.ok(new Set(all.filter((s) => s.section === 'main').map((s) => s.lead_unit_name)).size > 20, 'lead units fit each content');
  assert.equal(tree.sections.minors.weight, 100);
  assert.equal(tree.sections.feature.weight, 5);
  assert.equal(demo.minors_gate, 85);
  assert.equal(demo.feature_cap, 5);
  const negs = await ok(admin.api(`/api/v1/frameworks/${demo.id}/negative-items`));
  assert.equal(negs.total, 8);
  assert.ok(negs.items.some((n) => n.veto) && negs.items.some((n) => n.deduction > 0));
  for (const t of types) {
    const cl = await ok(admin.api(`/api/v1/point-types/${t.id}/checklist?framework_id=${demo.id}`));
    assert.ok(cl.items.length >= 3, `${t.name} has a checklist`);
  }
});

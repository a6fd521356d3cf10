#!/usr/bin/env node
// framework-sample.mjs - write docs/samples/framework-sample.xlsx, the demo
// county's framework in the layout offices keep (docs/framework-import.md):
// a title line, the header in the words real sheets use, project and
// content cells merged over their rows, standards on several lines, the
// 负面清单 and the checklists on sheets of their own, the minors' part and
// local features on theirs.  It runs `wenming demo` on a temporary database,
// exports the framework and lays it out again, so the sample and the demo
// are one framework (tests/api/framework_sample.test.mjs imports it back).
//
//   WENMING_BIN=build/wenming node scripts/framework-sample.mjs [out.xlsx]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, cli, loginAdmin, ROOT } from '../tests/api/harness.mjs';
import { readXlsx } from '../tests/api/xlsx.mjs';
import { writeXlsx } from '../tests/api/xlsxwrite.mjs';

const out = process.argv[2] || path.join(ROOT, 'docs/samples/framework-sample.xlsx');
const HEAD = ['项目编号', '测评项目', '内容编号', '测评内容', '标准编码', '标准内容', '标准分', '考察方式', '牵头单位', '责任单位', '考察点位', '评分方式'];
const col = (i) => String.fromCharCode(65 + i);

// Rows of one part, with project and content cells left empty under the first
// row of each and merged over their rows, as offices lay them out.
function layout(title, rows) {
  const body = [[title], HEAD];
  const merges = [];
  let p0 = 0;
  let c0 = 0;
  const flush = (start, end, cols) => {
    if (end > start) for (const c of cols) merges.push(`${col(c)}${start + 1}:${col(c)}${end + 1}`);
  };
  rows.forEach((r, i) => {
    const n = body.length;
    const prev = rows[i - 1];
    const newProject = !prev || prev[0] !== r[0];
    const newContent = newProject || prev[2] !== r[2];
    if (newProject) { if (i) flush(p0, n - 1, [0, 1]); p0 = n; }
    if (newContent) { if (i) flush(c0, n - 1, [2, 3]); c0 = n; }
    body.push([newProject ? r[0] : '', newProject ? r[1] : '', newContent ? r[2] : '', newContent ? r[3] : '', ...r.slice(4, 12)]);
  });
  flush(p0, body.length - 1, [0, 1]);
  flush(c0, body.length - 1, [2, 3]);
  return { rows: body, merges };
}

const srv = await startServer();
try {
  const r = await cli(['demo'], srv.env);
  if (r.code !== 0) throw new Error(r.stderr);
  const admin = await loginAdmin(srv);
  const demo = (await admin.api('/api/v1/frameworks')).body.items.find((f) => f.name.includes('示例县'));
  const x = await fetch(`${srv.url}/api/v1/frameworks/${demo.id}/export`, { headers: { cookie: admin.cookie } });
  const buf = Buffer.from(await x.arrayBuffer());
  const book = readXlsx(buf);
  const rows = book.rows.slice(1);
  const part = (name) => rows.filter((row) => (row[12] || '') === name);
  const sheets = [
    { name: '测评体系', ...layout('示例县全国文明城市测评体系任务分解表（县级，2026年版）', part('')) },
    { name: '未成年人思想道德建设', ...layout('示例县未成年人思想道德建设测评体系（满分100分，85分以上方可参评）', part('未成年人')) },
    { name: '特色指标', ...layout('示例县特色指标（加分项，最多加5分）', part('特色指标')) },
  ];
  for (let n = 2; n <= book.sheets.length; n++) sheets.push({ name: book.sheets[n - 1], rows: readXlsx(buf, n).rows });
  writeFileSync(out, writeXlsx(sheets));
  console.log(`${out}: ${rows.length} standards, sheets ${sheets.map((s) => s.name).join(', ')}`);
} finally {
  await srv.stop();
}

// files.test.mjs - photo uploads: type by content, size limits, EXIF time and GPS,
// thumbnails turned upright, watermarked copies, tenants, and file names that must
// never become paths.  Runs on SQLite (files on disk) and PostgreSQL (files in the db).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { startServer, api, cli, errorBody, login, loginAdmin, psql, DB_KIND, ROOT } from './harness.mjs';

let srv;
let admin;
let dataDir;
const PW = 'Files-Test-Pw-2024!';
const PLAIN = readFileSync(path.join(ROOT, 'tests/fixtures/photo-400x200.jpg')); // 400x200, no EXIF

function sql(text) {
  if (DB_KIND === 'postgres') return psql(srv.db.url, text);
  const file = srv.db.url.replace(/^sqlite:/, '');
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', file, text], { encoding: 'utf8' }).trim();
}

// ---- a JPEG with a hand-made EXIF block ------------------------------------------

// TIFF (little endian): IFD0 {Orientation, ExifIFD, GPSIFD}, Exif {DateTimeOriginal},
// GPS {LatRef, Lat, LngRef, Lng}.  Offsets are from the TIFF header.
function exifBlock({ orientation, dateTime, lat, lng }) {
  const t = Buffer.alloc(190);
  let p = 0;
  const u16 = (v) => { t.writeUInt16LE(v, p); p += 2; };
  const u32 = (v) => { t.writeUInt32LE(v, p); p += 4; };
  const entry = (tag, type, count, value, inline4 = false) => {
    u16(tag); u16(type); u32(count);
    if (inline4) { t.write(value, p, 'latin1'); p += 4; } else if (type === 3) { u16(value); u16(0); } else u32(value);
  };
  t.write('II', 0, 'latin1'); p = 2; u16(42); u32(8);
  // IFD0 at 8
  u16(3);
  entry(0x0112, 3, 1, orientation);
  entry(0x8769, 4, 1, 50);
  entry(0x8825, 4, 1, 88);
  u32(0);
  // Exif IFD at 50, its data at 68
  u16(1);
  entry(0x9003, 2, 20, 68);
  u32(0);
  t.write(dateTime + '\0', 68, 'latin1');
  p = 88;
  // GPS IFD at 88, rationals at 142 and 166
  u16(4);
  entry(0x0001, 2, 2, lat < 0 ? 'S\0\0\0' : 'N\0\0\0', true);
  entry(0x0002, 5, 3, 142);
  entry(0x0003, 2, 2, lng < 0 ? 'W\0\0\0' : 'E\0\0\0', true);
  entry(0x0004, 5, 3, 166);
  u32(0);
  const dms = (v, at) => {
    v = Math.abs(v);
    const d = Math.floor(v);
    const m = Math.floor((v - d) * 60);
    const s = Math.round(((v - d) * 60 - m) * 60 * 100);
    [d, 1, m, 1, s, 100].forEach((x, i) => t.writeUInt32LE(x, at + i * 4));
  };
  dms(lat, 142);
  dms(lng, 166);
  const head = Buffer.from('Exif\0\0', 'latin1');
  const app1 = Buffer.alloc(4);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(2 + head.length + t.length, 2);
  return Buffer.concat([app1, head, t]);
}

function withExif(jpeg, opts) {
  return Buffer.concat([jpeg.subarray(0, 2), exifBlock(opts), jpeg.subarray(2)]);
}

// Width and height from a JPEG's SOF marker.
function jpegSize(buf) {
  assert.equal(buf[0], 0xff);
  assert.equal(buf[1], 0xd8);
  let i = 2;
  while (i < buf.length) {
    const marker = buf[i + 1];
    const len = buf.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
    i += 2 + len;
  }
  throw new Error('no SOF in JPEG');
}

// Every file under dir, relative, with sizes.
function tree(dir) {
  const out = {};
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = st.size;
    }
  };
  walk(dir);
  return out;
}

const GPS = { lat: 30.274085, lng: 120.15507 };
const EXIF_JPEG = withExif(PLAIN, { orientation: 6, dateTime: '2024:05:01 10:20:30', ...GPS });

function upload(client, bytes, name = 'photo.jpg', type = 'image/jpeg', field = 'file') {
  const form = new FormData();
  form.append(field, new Blob([bytes], { type }), name);
  return client.api('/api/v1/files', { method: 'POST', raw: form });
}

// A multipart body by hand, for file names fetch would not send as given.
function rawUpload(client, bytes, nameBytes) {
  const boundary = '----wenmingtest' + Date.now();
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="`),
    nameBytes,
    Buffer.from('"\r\nContent-Type: image/jpeg\r\n\r\n'),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return client.api('/api/v1/files', {
    method: 'POST',
    raw: body,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

async function createUserDb(username, roles, tenantId) {
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
  const r = await cli(['user', 'passwd', username], srv.env, PW + '\n');
  assert.equal(r.code, 0, r.stderr);
}

before(async () => {
  srv = await startServer();
  admin = await loginAdmin(srv);
  dataDir = srv.env.WENMING_DATA;
});

after(async () => {
  assert.equal(await srv.stop(), 0, 'server exited cleanly');
});

let photo;

test('upload a JPEG: 201 with type from the content, EXIF time and GPS; audited', async () => {
  const r = await upload(admin, EXIF_JPEG, '整改前.jpg');
  assert.equal(r.status, 201, r.text);
  photo = r.body;
  assert.equal(photo.content_type, 'image/jpeg');
  assert.equal(photo.size, EXIF_JPEG.length);
  assert.match(photo.sha256, /^[0-9a-f]{64}$/);
  assert.equal(photo.width, 400);
  assert.equal(photo.height, 200);
  assert.equal(photo.orientation, 6);
  assert.equal(photo.captured_at, Date.UTC(2024, 4, 1, 2, 20, 30), 'EXIF local time taken as UTC+8');
  assert.ok(Math.abs(photo.lat - GPS.lat) < 1e-5, `lat ${photo.lat}`);
  assert.ok(Math.abs(photo.lng - GPS.lng) < 1e-5, `lng ${photo.lng}`);
  assert.equal(photo.original_name, '整改前.jpg');
  assert.equal(photo.url, `/api/v1/files/${photo.id}`);
  assert.equal(photo.thumb_url, `/api/v1/files/${photo.id}/thumb`);
  assert.ok(photo.created_at > Date.now() - 60000);

  const meta = await admin.api(`/api/v1/files/${photo.id}/meta`);
  assert.equal(meta.status, 200);
  assert.deepEqual(meta.body, photo);

  const audit = await admin.api('/api/v1/audit?object_type=file');
  assert.equal(audit.body.items[0].action, 'file.upload');
  assert.equal(audit.body.items[0].object_id, String(photo.id));

  assert.equal(sql(`SELECT storage FROM files WHERE id = ${photo.id}`), DB_KIND === 'postgres' ? 'db' : 'fs');
  if (DB_KIND === 'sqlite') {
    const p = path.join(dataDir, 'files', photo.sha256.slice(0, 2), photo.sha256.slice(2, 4), photo.sha256);
    assert.deepEqual(readFileSync(p), EXIF_JPEG);
  }
});

test('the original comes back byte for byte with a fixed type, nosniff and inline disposition', async () => {
  const r = await fetch(`${srv.url}/api/v1/files/${photo.id}`, { headers: { cookie: admin.cookie } });
  assert.equal(r.status, 200);
  assert.deepEqual(Buffer.from(await r.arrayBuffer()), EXIF_JPEG);
  assert.equal(r.headers.get('content-type'), 'image/jpeg');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.match(r.headers.get('content-disposition'), /^inline; filename="photo-\d+\.jpeg"; filename\*=UTF-8''%E6%95%B4%E6%94%B9%E5%89%8D\.jpg$/);
  assert.match(r.headers.get('cache-control'), /^private, max-age=\d+$/);
});

test('thumbnail: JPEG at most 320 px, turned upright by the EXIF orientation', async () => {
  const r = await fetch(`${srv.url}/api/v1/files/${photo.id}/thumb`, { headers: { cookie: admin.cookie } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'image/jpeg');
  const size = jpegSize(Buffer.from(await r.arrayBuffer()));
  assert.deepEqual(size, { width: 160, height: 320 }, 'orientation 6: 400x200 stored, 200x400 upright');
});

test('renders are kept: the same thumbnail again, and again after the cache is deleted', async () => {
  const get = async (u) => {
    const r = await fetch(`${srv.url}${u}`, { headers: { cookie: admin.cookie } });
    assert.equal(r.status, 200);
    return Buffer.from(await r.arrayBuffer());
  };
  const first = await get(`/api/v1/files/${photo.id}/thumb`);
  assert.deepEqual(await get(`/api/v1/files/${photo.id}/thumb`), first);
  // two bands are two renders, never one served for the other
  const a = await get(`/api/v1/files/${photo.id}/watermarked?point=${encodeURIComponent('甲点')}`);
  const b = await get(`/api/v1/files/${photo.id}/watermarked?point=${encodeURIComponent('乙点')}`);
  assert.notDeepEqual(a, b);
  assert.deepEqual(await get(`/api/v1/files/${photo.id}/watermarked?point=${encodeURIComponent('甲点')}`), a);
  if (process.env.WENMING_TEST_CLUSTER === '1') return; // each server keeps its own
  const cache = path.join(srv.env.WENMING_DATA, 'cache');
  const kept = readdirSync(cache, { recursive: true }).filter((f) => /^[0-9a-f]{64}$/.test(path.basename(f)));
  assert.ok(kept.length >= 3, `renders kept: ${kept.length}`);
  rmSync(cache, { recursive: true, force: true });
  assert.deepEqual(await get(`/api/v1/files/${photo.id}/thumb`), first);
  assert.ok(existsSync(cache));
});

test('watermarked: JPEG, upright, with a band; ?point= is checked', async () => {
  const q = encodeURIComponent('人民路与解放街交叉口');
  const r = await fetch(`${srv.url}/api/v1/files/${photo.id}/watermarked?point=${q}`, { headers: { cookie: admin.cookie } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'image/jpeg');
  const size = jpegSize(Buffer.from(await r.arrayBuffer()));
  assert.equal(size.width, 200);
  assert.ok(size.height >= 400, `height ${size.height}`);
  const long = await admin.api(`/api/v1/files/${photo.id}/watermarked?point=${'点'.repeat(101)}`);
  errorBody(long, assert, 422, 'invalid');
  // a file without EXIF: upload time, position unknown
  const plain = await upload(admin, PLAIN, 'plain.jpg');
  assert.equal(plain.status, 201, plain.text);
  assert.equal(plain.body.captured_at, null);
  assert.equal(plain.body.lat, null);
  const w = await fetch(`${srv.url}/api/v1/files/${plain.body.id}/watermarked`, { headers: { cookie: admin.cookie } });
  assert.equal(w.status, 200);
  assert.deepEqual(jpegSize(Buffer.from(await w.arrayBuffer())).width, 400);
});

test('the same bytes again: a new file that shares the stored blob', async () => {
  const r = await upload(admin, EXIF_JPEG, 'again.jpg');
  assert.equal(r.status, 201, r.text);
  assert.notEqual(r.body.id, photo.id);
  assert.equal(r.body.sha256, photo.sha256);
  assert.equal(
    sql(`SELECT COUNT(DISTINCT storage_key) FROM files WHERE sha256 = '${photo.sha256}'`),
    '1',
  );
});

test('not an image by its content: HTML or SVG named .jpg, a broken JPEG -> 415', async () => {
  const before = tree(dataDir);
  const html = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
  errorBody(await upload(admin, html, 'x.jpg'), assert, 415, 'unsupported_media_type');
  const svg = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>');
  errorBody(await upload(admin, svg, 'x.jpg', 'image/svg+xml'), assert, 415, 'unsupported_media_type');
  errorBody(await upload(admin, svg, 'x.svg', 'image/svg+xml'), assert, 415, 'unsupported_media_type');
  const broken = Buffer.concat([PLAIN.subarray(0, 600), Buffer.alloc(600, 0x41)]);
  errorBody(await upload(admin, broken, 'broken.jpg'), assert, 415, 'unsupported_media_type');
  const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
  errorBody(await upload(admin, gif, 'a.jpg'), assert, 415, 'unsupported_media_type');
  // not multipart at all, or without the file field
  errorBody(await admin.api('/api/v1/files', { method: 'POST', body: { file: 'x' } }), assert, 415, 'unsupported_media_type');
  errorBody(await upload(admin, PLAIN, 'a.jpg', 'image/jpeg', 'other'), assert, 422, 'invalid');
  assert.deepEqual(tree(dataDir), before, 'nothing stored');
});

test('over-size: 413 and the data directory does not grow', async () => {
  const before = tree(dataDir);
  const big = Buffer.alloc(21 << 20, 0x20);
  PLAIN.copy(big); // a JPEG head, then padding: refused for its size, not its type
  errorBody(await upload(admin, big, 'big.jpg'), assert, 413, 'payload_too_large');
  assert.deepEqual(tree(dataDir), before);
  assert.equal((await api(srv.url, '/api/v1/health')).status, 200, 'the server stays up');
});

test('client file names never become paths', async () => {
  const names = [
    Buffer.from('../../etc/passwd.jpg'),
    Buffer.from('/tmp/wenming-owned.jpg'),
    Buffer.from('..\\..\\win.jpg'),
    Buffer.from('a\0b/../../c.jpg', 'latin1'),
    Buffer.from('..'),
  ];
  const got = [];
  for (const n of names) {
    const r = await rawUpload(admin, PLAIN, n);
    assert.equal(r.status, 201, r.text);
    got.push(r.body.original_name);
  }
  assert.equal(got[0], 'passwd.jpg');
  assert.equal(got[1], 'wenming-owned.jpg');
  assert.equal(got[2], 'win.jpg');
  assert.ok(!got[3].includes('/') && !got[3].includes('\0'), JSON.stringify(got[3]));
  assert.equal(got[4], '');
  const long = await upload(admin, PLAIN, 'x'.repeat(150) + '.jpg');
  assert.equal(long.body.original_name, 'x'.repeat(100));
  const cjk = await upload(admin, PLAIN, '长'.repeat(150) + '.jpg'); // cut on a character boundary
  assert.match(cjk.body.original_name, /^长{1,100}$/);
  // on disk only data_dir/files/ab/cd/<sha256> (SQLite; PostgreSQL keeps files in the
  // database) and renders under data_dir/cache/ab/cd/<hash> (both)
  for (const f of Object.keys(tree(dataDir))) {
    assert.match(f, /^(files|cache)\/([0-9a-f]{2})\/([0-9a-f]{2})\/\2\3[0-9a-f]{60}$/, f);
    if (f.startsWith('files/'))
      assert.equal(DB_KIND, 'sqlite', `PostgreSQL keeps files in the database, found ${f}`);
  }
  assert.ok(!existsSync(path.join(dataDir, '..', '..', 'etc', 'passwd.jpg')));
  assert.ok(!existsSync('/tmp/wenming-owned.jpg'));
});

test('files belong to a tenant; login, permission and CSRF are required', async () => {
  const t = await admin.api('/api/v1/tenants', { method: 'POST', body: { name: '照片县', region_code: '330106', level: 'county' } });
  assert.equal(t.status, 201, t.text);
  await createUserDb('files_t2', ['admin'], t.body.id);
  const other = await login(srv.url, 'files_t2', PW);
  for (const p of ['', '/meta', '/thumb', '/watermarked'])
    errorBody(await other.api(`/api/v1/files/${photo.id}${p}`), assert, 404, 'not_found');
  errorBody(await admin.api('/api/v1/files/999999/meta'), assert, 404, 'not_found');
  errorBody(await admin.api('/api/v1/files/abc'), assert, 404, 'not_found');
  // their own upload of the same bytes is theirs, and not ours
  const own = await upload(other, EXIF_JPEG, 'mine.jpg');
  assert.equal(own.status, 201, own.text);
  errorBody(await admin.api(`/api/v1/files/${own.body.id}/meta`), assert, 404, 'not_found');

  errorBody(await api(srv.url, `/api/v1/files/${photo.id}`), assert, 401, 'unauthorized');
  errorBody(await api(srv.url, `/api/v1/files/${photo.id}/thumb`), assert, 401, 'unauthorized');
  const form = new FormData();
  form.append('file', new Blob([PLAIN], { type: 'image/jpeg' }), 'a.jpg');
  errorBody(await api(srv.url, '/api/v1/files', { method: 'POST', raw: form }), assert, 401, 'unauthorized');
  const form2 = new FormData();
  form2.append('file', new Blob([PLAIN], { type: 'image/jpeg' }), 'a.jpg');
  errorBody(await admin.api('/api/v1/files', { method: 'POST', raw: form2, headers: { 'x-csrf-token': '' } }), assert, 403, 'csrf_failed');
});

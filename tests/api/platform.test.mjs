// platform.test.mjs - the HTTP foundation: health, errors, limits, keep-alive,
// static files, security headers and graceful shutdown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { startServer, api, errorBody, DB_KIND } from './harness.mjs';

let srv;
before(async () => {
  srv = await startServer();
});
after(async () => {
  const code = await srv.stop();
  assert.equal(code, 0, `server exit code ${code}\n${srv.log().slice(-3000)}`);
});

test('health answers 200 with the back end and version', async () => {
  const r = await api(srv.url, '/api/v1/health');
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.body).sort(), ['db', 'status', 'version']);
  assert.equal(r.body.status, 'ok');
  assert.equal(r.body.db, DB_KIND);
  assert.match(r.body.version, /^\d+\.\d+\.\d+/);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(r.headers.get('cache-control'), 'no-store');
});

test('every response carries a request id and the security headers', async () => {
  for (const p of ['/api/v1/health', '/api/v1/nope', '/']) {
    const r = await api(srv.url, p);
    assert.match(r.headers.get('x-request-id'), /^[0-9a-f]{16}$/, p);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', p);
    assert.equal(r.headers.get('referrer-policy'), 'same-origin', p);
    assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/, p);
    assert.match(r.headers.get('content-security-policy'), /default-src 'self'/, p);
  }
  const a = await api(srv.url, '/api/v1/health');
  const b = await api(srv.url, '/api/v1/health');
  assert.notEqual(a.headers.get('x-request-id'), b.headers.get('x-request-id'));
});

test('the request id is in the access log', async () => {
  const r = await api(srv.url, '/api/v1/health?probe=1');
  const rid = r.headers.get('x-request-id');
  await new Promise((res) => setTimeout(res, 50));
  assert.match(srv.log(), new RegExp(`GET /api/v1/health 200 .*rid=${rid}`));
});

test('unknown API route: 404 with the JSON error body', async () => {
  const r = await api(srv.url, '/api/v1/no/such/thing');
  errorBody(r, assert, 404, 'not_found');
  errorBody(await api(srv.url, '/api/v2/health'), assert, 404, 'not_found');
});

test('wrong method: 405 with Allow', async () => {
  const r = await api(srv.url, '/api/v1/health', { method: 'DELETE' });
  errorBody(r, assert, 405, 'method_not_allowed');
  assert.equal(r.headers.get('allow'), 'GET');
  const p = await api(srv.url, '/api/v1/health', { method: 'POST', body: { a: 1 } });
  errorBody(p, assert, 405, 'method_not_allowed');
});

test('over-size body: 413 with the JSON error body, server stays healthy', async () => {
  const big = 'x'.repeat(2 * 1024 * 1024);
  const r = await api(srv.url, '/api/v1/health', {
    method: 'POST',
    raw: big,
    headers: { 'content-type': 'application/json' },
  });
  errorBody(r, assert, 413, 'payload_too_large');
  // without a Content-Length (chunked): refused once the limit is passed
  const chunked = await new Promise((resolve, reject) => {
    const req = http.request(srv.url + '/api/v1/health', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    for (let i = 0; i < 40; i++) req.write('y'.repeat(64 * 1024));
    req.end();
  });
  assert.equal(chunked.status, 413);
  assert.equal(chunked.body.error.code, 'payload_too_large');
  const h = await api(srv.url, '/api/v1/health');
  assert.equal(h.status, 200);
});

test('two requests over one connection reuse it (keep-alive)', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = () =>
    new Promise((resolve, reject) => {
      const req = http.get(srv.url + '/api/v1/health', { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, reused: req.reusedSocket }));
      });
      req.on('error', reject);
    });
  const first = await get();
  const second = await get();
  const third = await get();
  agent.destroy();
  assert.equal(first.status, 200);
  assert.equal(first.reused, false);
  assert.equal(second.reused, true);
  assert.equal(third.reused, true);
});

test('an over-long header is refused and the server stays up', async () => {
  const r = await new Promise((resolve) => {
    const s = net.connect(new URL(srv.url).port, '127.0.0.1', () => {
      s.write(`GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100 * 1024)}\r\n\r\n`);
    });
    let text = '';
    s.on('data', (d) => (text += d));
    s.on('close', () => resolve(text));
    s.on('error', () => resolve(text));
  });
  assert.match(r, /^HTTP\/1\.1 4(31|13|00)/);
  assert.equal((await api(srv.url, '/api/v1/health')).status, 200);
});

test('static files: index, ETag and 304, gzip, immutable assets, SPA fallback', async () => {
  const index = await fetch(srv.url + '/');
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /^text\/html/);
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  const html = await index.text();
  assert.match(html, /<div id="app">/);
  const etag = index.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{32}"$/);
  const again = await fetch(srv.url + '/', { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);

  const js = html.match(/src="(\/assets\/[^"]+\.js)"/)[1];
  const raw = await new Promise((resolve, reject) => {
    http.get(srv.url + js, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res));
    }).on('error', reject);
  });
  assert.equal(raw.statusCode, 200);
  assert.equal(raw.headers['content-encoding'], 'gzip');
  assert.match(raw.headers['content-type'], /^text\/javascript/);
  assert.equal(raw.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(raw.headers.vary, 'Accept-Encoding');
  const plain = await fetch(srv.url + js, { headers: { 'accept-encoding': 'identity' } });
  assert.equal(plain.headers.get('content-encoding'), null);

  const page = await fetch(srv.url + '/problems/123');
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<div id="app">/);
  const missing = await api(srv.url, '/assets/no-such-file.js');
  errorBody(missing, assert, 404, 'not_found');
});

test('SIGTERM during a slow request lets it finish, then exit 0', async () => {
  const own = await startServer();
  // with WENMING_TEST_CLUSTER=1, server A itself (own.proc), not nginx in front of the pair
  const port = new URL(own.servers ? own.servers[0].url : own.url).port;
  const body = JSON.stringify({ note: '慢请求'.repeat(20) });
  const half = Math.floor(Buffer.byteLength(body) / 2);
  const buf = Buffer.from(body);
  const response = new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', async () => {
      s.write(
        `POST /api/v1/health HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${buf.length}\r\n\r\n`,
      );
      s.write(buf.subarray(0, half));
      await new Promise((r) => setTimeout(r, 300));
      own.proc.kill('SIGTERM'); // mid-request
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(own.proc.exitCode, null, 'server waits for the request in flight');
      s.write(buf.subarray(half));
    });
    let text = '';
    s.on('data', (d) => {
      text += d;
      if (text.includes('}}')) s.end();
    });
    s.on('close', () => resolve(text));
    s.on('error', reject);
  });
  const text = await response;
  assert.match(text, /^HTTP\/1\.1 405/);
  assert.match(text, /"method_not_allowed"/);
  const code = await own.stop();
  assert.equal(code, 0);
  // and nothing listens any more
  await assert.rejects(fetch(own.url + '/api/v1/health'));
});

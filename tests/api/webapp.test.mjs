// webapp.test.mjs - the web application comes with the binary: `wenming serve`
// started from / (as systemd or an operator starts it) serves web/dist as it
// was at build time; WENMING_WEB still names a directory instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, startServer } from './harness.mjs';

const DIST = path.join(ROOT, 'web/dist');

test('started from /, the server serves the web application built into it', async () => {
  // WENMING_WEB unset: nothing tells the server where the source tree is.
  const srv = await startServer({ cwd: '/', env: { WENMING_WEB: undefined } });
  try {
    const index = await fetch(`${srv.url}/`);
    assert.equal(index.status, 200, srv.log());
    assert.match(index.headers.get('content-type'), /^text\/html/);
    const html = await index.text();
    assert.equal(html, readFileSync(path.join(DIST, 'index.html'), 'utf8'));

    // Every script and style sheet index.html names is there, byte for byte.
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    assert.ok(assets.length >= 2, html);
    for (const a of assets) {
      const r = await fetch(`${srv.url}${a}`, { headers: { 'accept-encoding': 'identity' } });
      assert.equal(r.status, 200, a);
      assert.match(r.headers.get('cache-control'), /immutable/);
      assert.deepEqual(Buffer.from(await r.arrayBuffer()), readFileSync(path.join(DIST, a)), a);
    }
    // A page of the app answers index.html; a missing asset is a 404.
    const page = await fetch(`${srv.url}/problems/list`);
    assert.equal(page.status, 200);
    assert.equal(await page.text(), html);
    assert.equal((await fetch(`${srv.url}/assets/nothing-here.js`)).status, 404);
    assert.match(srv.log(), /\d+ web files/);
  } finally {
    assert.equal(await srv.stop(), 0);
  }
});

test('WENMING_WEB names another directory; a wrong one leaves the API only', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wenming-web-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>其他</title>');
  const srv = await startServer({ cwd: '/', env: { WENMING_WEB: dir } });
  try {
    const r = await fetch(`${srv.url}/`);
    assert.equal(r.status, 200);
    assert.equal(await r.text(), '<!doctype html><title>其他</title>');
  } finally {
    assert.equal(await srv.stop(), 0);
    rmSync(dir, { recursive: true, force: true });
  }

  const none = await startServer({ cwd: '/', env: { WENMING_WEB: '/nonexistent/web' } });
  try {
    assert.equal((await fetch(`${none.url}/`)).status, 404);
    assert.equal((await fetch(`${none.url}/api/v1/health`)).status, 200);
    assert.match(none.log(), /no web application at \/nonexistent\/web/);
  } finally {
    assert.equal(await none.stop(), 0);
  }
});

// harness.mjs - start a real wenming server on a fresh database for a test file.
//
// WENMING_BIN      the binary (default build/wenming; the ASan run passes build/asan/wenming)
// WENMING_TEST_DB  sqlite (default) | postgres
// WENMING_TEST_PG  with postgres: URL of a running cluster's "wenming" database
//                  (scripts/pgtmp.sh prints it); each server gets a new database in it.
// WENMING_TEST_CLUSTER=1  (postgres only) startServer starts TWO `wenming serve`
//                  processes on the one database, each with its own data directory,
//                  and nginx in front of them (round robin, keep-alive to both); the
//                  URL it returns is nginx's, so a test file runs through the pair.
//                  See docs/cluster.md.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.resolve(ROOT, process.env.WENMING_BIN || 'build/wenming');
export const DB_KIND = process.env.WENMING_TEST_DB || 'sqlite';
export const CLUSTER = process.env.WENMING_TEST_CLUSTER === '1';

let dbSeq = 0;

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// psql against the cluster, as a command (no shell).
export function psql(url, sql) {
  return execFileSync('psql', ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', url, '-c', sql], {
    encoding: 'utf8',
  }).trim();
}

// A fresh, empty database: { url, cleanup(), name }.
export function freshDb() {
  if (DB_KIND === 'postgres') {
    const base = process.env.WENMING_TEST_PG;
    if (!base) throw new Error('WENMING_TEST_DB=postgres needs WENMING_TEST_PG (scripts/pgtmp.sh start DIR)');
    const name = `t_${process.pid}_${++dbSeq}`;
    psql(base, `CREATE DATABASE ${name}`);
    const url = base.replace(/\/[^/]*$/, `/${name}`);
    return {
      url,
      name,
      cleanup() {
        try {
          psql(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } catch { /* cluster already gone */ }
      },
    };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wenming-test-'));
  return { url: `sqlite:${dir}/wenming.db`, dir, cleanup() { rmSync(dir, { recursive: true, force: true }); } };
}

// Run a CLI command of the server binary; returns { code, stdout, stderr }.
export function cli(args, env, input) {
  return new Promise((resolve) => {
    const p = spawn(BIN, args, { env: { ...process.env, ...env }, cwd: ROOT });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
    if (input !== undefined) p.stdin.end(input);
    else p.stdin.end();
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Spawn a process and collect its output: { proc, exited (-> exit code; signalCode
// when killed by a signal), output() }.
function spawnLogged(cmd, args, opts, signalCode) {
  const proc = spawn(cmd, args, opts);
  let text = '';
  proc.stdout.on('data', (d) => (text += d));
  proc.stderr.on('data', (d) => (text += d));
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve(signal ? signalCode : code)));
  return { proc, exited, output: () => text };
}

// Wait until url answers /api/v1/health with 200 (10 s); throw failure() otherwise.
async function waitHealthy(url, proc, failure) {
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`${url}/api/v1/health`);
      if (r.status === 200) return;
    } catch { /* not listening yet */ }
    if (proc.exitCode !== null || i > 200) throw new Error(failure());
    await sleep(50);
  }
}

// Start `wenming serve` on a fresh database (after `wenming init`); with
// WENMING_TEST_CLUSTER=1, two of them behind nginx (startCluster).
// Returns { url, env, db, adminPassword, log(), proc, stop(signal) -> exit code }.
export function startServer(opts = {}) {
  return CLUSTER ? startCluster(opts) : startOne(opts);
}

// One server; init: false skips `wenming init` (a second server on the same database);
// cwd: the directory it starts in (the repository root by default).
async function startOne({ env: extraEnv = {}, db = null, init: doInit = true, cwd = ROOT } = {}) {
  const database = db || freshDb();
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wenming-data-'));
  const env = {
    WENMING_DB: database.url,
    WENMING_LISTEN: `127.0.0.1:${port}`,
    WENMING_DATA: dataDir,
    WENMING_WEB: path.join(ROOT, 'web/dist'),
    WENMING_THREADS: '4',
    ...extraEnv,
  };
  let adminPassword = null;
  if (doInit) {
    const init = await cli(['init', '--tenant', '测试县'], env);
    if (init.code !== 0) throw new Error(`wenming init failed: ${init.stderr}`);
    const m = init.stdout.match(/password:\s+(\S+)/);
    adminPassword = m ? m[1] : null;
  }

  const { proc, exited, output } = spawnLogged(BIN, ['serve'], { env: { ...process.env, ...env }, cwd }, 128);
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, proc, () => `server did not start:\n${output()}`);
  let stopped = null;
  return {
    url,
    port,
    env,
    db: database,
    adminPassword,
    proc,
    log: output,
    exited,
    async stop(signal = 'SIGTERM') {
      if (!stopped) {
        if (proc.exitCode === null) proc.kill(signal);
        stopped = exited.then((code) => {
          if (!db) database.cleanup();
          rmSync(dataDir, { recursive: true, force: true });
          // Every change must be audited and no request may end in an unexplained 500:
          // the server logs both, and a clean exit code alone would hide them.
          const bad = output().split('\n').filter((l) => /without an audit row| answered 500/.test(l));
          if (bad.length) {
            console.error(`server log of ${database.url}:\n${bad.join('\n')}`);
            return 97;
          }
          return code;
        });
      }
      return stopped;
    },
  };
}

// nginx in front of the given ports, from a temp prefix as the current user.
// Returns { url, dir, proc, accessLog(), stop() }.
export async function startNginx(ports, { workerConnections = 4096 } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wenming-nginx-'));
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  const tmpl = readFileSync(path.join(ROOT, 'tests/cluster/nginx.conf.in'), 'utf8');
  writeFileSync(
    conf,
    tmpl
      .replaceAll('@DIR@', dir)
      .replaceAll('@LISTEN@', `127.0.0.1:${port}`)
      .replaceAll('@WORKER_CONNECTIONS@', String(workerConnections))
      .replaceAll('@USER@', process.getuid && process.getuid() === 0 ? 'user root root;' : '')
      .replaceAll('@UPSTREAMS@', ports.map((p) => `server 127.0.0.1:${p} max_fails=0;`).join('\n        ')),
  );
  const errorLog = path.join(dir, 'error.log');
  const { proc, exited, output } = spawnLogged('nginx', ['-p', dir, '-c', conf, '-e', errorLog], { cwd: dir }, 0);
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, proc, () =>
    `nginx did not start:\n${output()}\n${existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : ''}`);
  let stopped = null;
  return {
    url,
    dir,
    proc,
    accessLog: () => readFileSync(path.join(dir, 'access.log'), 'utf8'),
    stop() {
      if (!stopped) {
        if (proc.exitCode === null) proc.kill('SIGTERM');
        stopped = exited.then((code) => {
          rmSync(dir, { recursive: true, force: true });
          return code;
        });
      }
      return stopped;
    },
  };
}

// Two servers on one PostgreSQL database behind nginx.  The result looks like
// one server (url is nginx's; env, proc and adminPassword are server A's) and
// adds servers: [a, b] and nginx for tests that talk to each one directly.
export async function startCluster({ env: extraEnv = {}, db = null } = {}) {
  if (DB_KIND !== 'postgres') throw new Error('WENMING_TEST_CLUSTER=1 needs WENMING_TEST_DB=postgres');
  const database = db || freshDb();
  const a = await startOne({ env: extraEnv, db: database });
  let b = null;
  let nginx;
  try {
    b = await startOne({ env: extraEnv, db: database, init: false });
    nginx = await startNginx([a.port, b.port]);
  } catch (err) { // leave nothing running behind a failed start
    await Promise.all([a.stop(), b && b.stop()]);
    if (!db) database.cleanup();
    throw err;
  }
  let stopped = null;
  return {
    url: nginx.url,
    env: a.env,
    db: database,
    adminPassword: a.adminPassword,
    proc: a.proc,
    exited: a.exited,
    servers: [a, b],
    nginx,
    log: () => a.log() + b.log(),
    stop(signal = 'SIGTERM') {
      if (!stopped) {
        stopped = (async () => {
          await nginx.stop();
          const codes = await Promise.all([a.stop(signal), b.stop(signal)]);
          if (!db) database.cleanup();
          return codes.find((c) => c !== 0) ?? 0;
        })();
      }
      return stopped;
    },
  };
}

// One JSON request: { status, headers, body (parsed JSON or null), text }.
export async function api(base, pathname, { method = 'GET', body, headers = {}, raw } = {}) {
  const init = { method, headers: { ...headers } };
  if (raw !== undefined) init.body = raw;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['content-type'] ??= 'application/json';
  }
  const r = await fetch(base + pathname, init);
  const text = await r.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch { /* not JSON */ }
  return { status: r.status, headers: r.headers, body: json, text };
}

// Assert the uniform error body and return it.
export function errorBody(res, assert, status, code) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.ok(res.body && res.body.error, `error body expected: ${res.text}`);
  assert.equal(res.body.error.code, code);
  assert.match(res.body.error.message, /[\u4e00-\u9fff]/, 'message is Chinese');
  assert.match(res.body.error.request_id, /^[0-9a-f]{16}$/);
  return res.body.error;
}

// Log in and return a client that sends the session cookie and the CSRF token:
// { me, cookie, csrf, api(path, opts) }.  Throws unless the login answers 200.
export async function login(base, username, password) {
  const r = await fetch(base + '/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${text}`);
  const set = r.headers.get('set-cookie') || '';
  const m = set.match(/wm_session=([^;]+)/);
  if (!m) throw new Error(`login ${username}: no session cookie`);
  const cookie = `wm_session=${m[1]}`;
  const me = JSON.parse(text).user;
  const client = {
    me,
    cookie,
    csrf: me.csrf_token,
    setCookie: set,
    api(pathname, opts = {}) {
      const headers = { cookie, ...(opts.headers || {}) };
      const method = opts.method || 'GET';
      if (method !== 'GET' && method !== 'HEAD' && !('x-csrf-token' in headers)) headers['x-csrf-token'] = client.csrf;
      return api(base, pathname, { ...opts, headers });
    },
  };
  return client;
}

// Log in as the admin that `wenming init` created for this server.
export function loginAdmin(srv) {
  return login(srv.url, 'admin', srv.adminPassword);
}

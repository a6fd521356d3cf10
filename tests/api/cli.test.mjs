// cli.test.mjs - the command line: init, migrate, backup/restore, user passwd, --help.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cli, freshDb, startServer, api, psql, login, DB_KIND } from './harness.mjs';

test('--help on every command, version, usage errors', async () => {
  for (const args of [['--help'], ['serve', '--help'], ['init', '--help'], ['migrate', '--help'],
    ['backup', '--help'], ['restore', '--help'], ['user', '--help'], ['help']]) {
    const r = await cli(args, {});
    assert.equal(r.code, 0, args.join(' '));
    assert.match(r.stdout, /usage/, args.join(' '));
  }
  const v = await cli(['version'], {});
  assert.match(v.stdout, /^wenming \d+\.\d+\.\d+/);
  assert.equal((await cli(['frobnicate'], {})).code, 2);
  assert.equal((await cli([], {})).code, 2);
  const bad = await cli(['serve'], { WENMING_LISTEN: 'nonsense' });
  assert.equal(bad.code, 1);
  const badKey = await cli(['migrate'], { WENMING_THREADS: 'many' });
  assert.equal(badKey.code, 1);
  assert.match(badKey.stderr, /threads/);
});

test('init prints a random admin password once and is idempotent', async () => {
  const db = freshDb();
  try {
    const env = { WENMING_DB: db.url };
    const first = await cli(['init'], env);
    assert.equal(first.code, 0, first.stderr);
    const pw = first.stdout.match(/password:\s+(\S+)/)[1];
    assert.ok(pw.length >= 16);
    const second = await cli(['init'], env);
    assert.equal(second.code, 0);
    assert.doesNotMatch(second.stdout, /password:\s+\S/);
    assert.ok(!second.stdout.includes(pw));
    const other = freshDb();
    const third = await cli(['init'], { WENMING_DB: other.url });
    other.cleanup();
    assert.notEqual(third.stdout.match(/password:\s+(\S+)/)[1], pw, 'no fixed password');
    const mig = await cli(['migrate'], env);
    assert.equal(mig.code, 0);
    assert.match(mig.stdout, /applied 0 migration/);
  } finally {
    db.cleanup();
  }
});

test('user passwd: policy enforced, the new password stored', async () => {
  const db = freshDb();
  try {
    const env = { WENMING_DB: db.url };
    await cli(['init'], env);
    const short = await cli(['user', 'passwd', 'admin'], env, 'short\n');
    assert.equal(short.code, 1);
    assert.match(short.stderr, /至少需要 10 个字符/);
    const same = await cli(['user', 'passwd', 'admin'], env, 'admin\n');
    assert.equal(same.code, 1);
    const common = await cli(['user', 'passwd', 'admin'], env, '1234567890\n');
    assert.equal(common.code, 1);
    assert.match(common.stderr, /常见/);
    const nobody = await cli(['user', 'passwd', 'nobody'], env, 'a fine long passphrase\n');
    assert.equal(nobody.code, 1);
    assert.match(nobody.stderr, /不存在/);
    const ok = await cli(['user', 'passwd', 'admin'], env, '城市文明从我做起 2026\n');
    assert.equal(ok.code, 0, ok.stderr);
  } finally {
    db.cleanup();
  }
});

test('backup then restore gives back the same data', async () => {
  const db = freshDb();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wenming-backup-'));
  try {
    const env = { WENMING_DB: db.url };
    const init = await cli(['init', '--tenant', '备份县'], env);
    assert.equal(init.code, 0);
    const original = init.stdout.match(/password:\s+(\S+)/)[1];
    const file = path.join(dir, 'backup.db');
    const b = await cli(['backup', file], env);
    assert.equal(b.code, 0, b.stderr);
    assert.ok(existsSync(file));
    const again = await cli(['backup', file], env);
    assert.equal(again.code, 1, 'never overwrites an existing backup');
    // change the live data, then restore: the change is gone
    const pw = await cli(['user', 'passwd', 'admin'], env, 'changed after the backup\n');
    assert.equal(pw.code, 0);
    const r = await cli(['restore', file], env);
    assert.equal(r.code, 0, r.stderr);
    // the password printed by init works again, and the one set after the
    // backup does not: the restore really replaced the data
    const srv = await startServer({ db });
    try {
      const me = await login(srv.url, 'admin', original);
      assert.equal(me.me.tenant.name, '备份县');
      await assert.rejects(login(srv.url, 'admin', 'changed after the backup'), /401/);
    } finally {
      assert.equal(await srv.stop(), 0);
    }
    const bad = await cli(['restore', path.join(dir, 'missing.db')], env);
    assert.equal(bad.code, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    db.cleanup();
  }
});

test('health answers 503 in the same shape while the database is unreachable', { skip: DB_KIND !== 'postgres' && 'PostgreSQL only: SQLite is a file in the process' }, async () => {
  const srv = await startServer();
  const base = process.env.WENMING_TEST_PG;
  const name = srv.db.name;
  try {
    assert.equal((await api(srv.url, '/api/v1/health')).status, 200);
    psql(base, `ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    psql(base, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
    const down = await api(srv.url, '/api/v1/health');
    assert.equal(down.status, 503);
    assert.deepEqual(down.body, { status: 'unavailable', db: 'postgres', version: down.body.version });
    psql(base, `ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    let up;
    for (let i = 0; i < 20; i++) {
      up = await api(srv.url, '/api/v1/health');
      if (up.status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(up.status, 200, 'recovers without a restart');
  } finally {
    psql(base, `ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    assert.equal(await srv.stop(), 0);
  }
});

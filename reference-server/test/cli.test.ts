import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { jwksFileSource } from '../src/auth/keys.js';
import { createVerifier } from '../src/auth/verify.js';
import { openSqliteStorage } from '../src/storage/sqlite/index.js';

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-cli-'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function cliWith(env: NodeJS.ProcessEnv, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    argv,
    env,
    (l) => out.push(l),
    (l) => err.push(l),
  );
  return { code, out, err };
}

const cli = (...argv: string[]) => cliWith({ DATA_DIR: dataDir }, ...argv);

async function seed(n: number) {
  const s = openSqliteStorage({ file: path.join(dataDir, 'ioc.sqlite') });
  for (let i = 1; i <= n; i++)
    await s.audit.append({ actor: 'operator-1', action: 'alert.acknowledge', subject: `alert:${i}` });
  await s.close();
}

describe('ioc audit', () => {
  it('verify reports an intact chain and exits 0', async () => {
    await seed(3);
    const r = await cli('audit', 'verify');
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^audit log intact: 3 record\(s\), head [0-9a-f]{64}$/);
    expect(r.out[1]).toBe('nhật ký kiểm toán toàn vẹn: 3 bản ghi');
  });

  it('verify names the first tampered record and exits 1', async () => {
    await seed(5);
    const db = new Database(path.join(dataDir, 'ioc.sqlite'));
    db.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET subject = 'alert:999' WHERE seq = 4;");
    db.close();
    const r = await cli('audit', 'verify');
    expect(r.code).toBe(1);
    expect(r.err[0]).toBe('audit log BROKEN at record 4 (hash-mismatch); 3 record(s) before it verify');
  });

  it('tail prints the last N records as JSON lines', async () => {
    await seed(4);
    const r = await cli('audit', 'tail', '2');
    expect(r.code).toBe(0);
    expect(r.out.map((l) => (JSON.parse(l) as { subject: string }).subject)).toEqual(['alert:3', 'alert:4']);
  });

  it('rejects unknown commands and bad arguments with usage and exit 2', async () => {
    expect((await cli('audit', 'erase')).code).toBe(2);
    expect((await cli()).err[0]).toMatch(
      /^usage: ioc audit verify \| ioc audit tail \[N\] \| ioc token mint/,
    );
    expect((await cli('audit', 'tail', 'ten')).err).toEqual(['N must be an integer between 1 and 1000']);
  });
});

describe('ioc token mint', () => {
  it('prints a token the server accepts, with the requested claims', async () => {
    const r = await cli(
      'token',
      'mint',
      '--role',
      'department',
      '--sub',
      'can-bo-y-te',
      '--dept',
      'health',
      '--ttl',
      '600',
    );
    expect(r.code).toBe(0);
    const verify = createVerifier({
      keys: jwksFileSource(path.join(dataDir, 'keys', 'jwks.json')),
      issuer: 'urn:dttm:ioc:demo',
      audience: 'ioc-reference-server',
    });
    const p = await verify(r.out[0] as string);
    expect(p).toMatchObject({ subject: 'can-bo-y-te', roles: ['department'], department: 'health' });
    expect([...p.scopes].sort()).toEqual([
      'alerts:read',
      'cameras:read',
      'documents:read',
      'environment:read',
      'events:read',
      'health:read',
      'incidents:read',
      'incidents:write',
      'kpi:read',
      'reports:read',
      'reports:write',
    ]);
    expect(fs.statSync(path.join(dataDir, 'keys', 'demo-signing-key.jwk.json')).mode & 0o777).toBe(0o600);
  });

  it.each([
    [['--sub', 'x'], '--role is required: one of leadership, department, district, operator, machine'],
    [
      ['--role', 'admin', '--sub', 'x'],
      'unknown role "admin": one of leadership, department, district, operator, machine',
    ],
    [['--role', 'operator'], '--sub is required'],
    [['--role', 'operator', '--sub', 'x', '--ttl', '999999'], '--ttl must be 60…86400 seconds'],
    [['--role', 'operator', '--sub', 'x', '--colour', 'red'], 'unknown option --colour'],
    [['--role'], '--role needs a value'],
  ])('rejects %j with exit 2', async (args, message) => {
    const r = await cli('token', 'mint', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([message]);
  });

  it('refuses to mint when an external identity provider is configured', async () => {
    const r = await cliWith(
      { DATA_DIR: dataDir, AUTH_JWKS_FILE: '/etc/ioc/jwks.json' },
      'token',
      'mint',
      '--role',
      'operator',
      '--sub',
      'x',
    );
    expect(r.code).toBe(2);
    expect(r.err[0]).toBe(
      'tokens come from your identity provider when AUTH_JWKS_FILE or AUTH_JWKS_URL is set',
    );
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { openSqliteStorage } from '../src/storage/sqlite/index.js';

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-cli-'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    argv,
    { DATA_DIR: dataDir },
    (l) => out.push(l),
    (l) => err.push(l),
  );
  return { code, out, err };
}

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
    expect((await cli()).err).toEqual(['usage: ioc audit verify | ioc audit tail [N]']);
    expect((await cli('audit', 'tail', 'ten')).err).toEqual(['N must be an integer between 1 and 1000']);
  });
});

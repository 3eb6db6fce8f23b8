import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startCheckpointer } from './checkpointer.js';
import { openSqliteStorage } from './index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function database() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkpointer-'));
  dirs.push(dir);
  const file = path.join(dir, 'db.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL) STRICT');
  return { db, file };
}

const write = (db: Database.Database, from: number, n: number) =>
  db.transaction(() => {
    const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    for (let i = from; i < from + n; i++) insert.run(i, 'x'.repeat(500));
  })();

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('WAL checkpoints on their own thread', () => {
  it('turns automatic checkpoints off for the writer and copies the WAL in the background', async () => {
    const { db, file } = database();
    const c = startCheckpointer(db, file, { intervalMs: 30 });
    await c.ready;
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    // Far more than the 1000 pages after which SQLite would checkpoint in the COMMIT.
    for (let i = 0; i < 30; i++) write(db, i * 500, 500);
    // A pass that begins after the last write copies the whole WAL.
    const last = await c.checkpoint();
    expect(last?.busy).toBe(0);
    expect(last?.log).toBeGreaterThan(0);
    expect(last?.checkpointed).toBe(last?.log);
    // The rows (15,000 × 500 bytes) are in the database file itself, not only in the WAL.
    expect(fs.statSync(file).size).toBeGreaterThan(7_500_000);
    await c.stop();
    expect(c.running()).toBe(false);
    db.close();
  });

  it('gives checkpoints back to the writer when its thread fails', async () => {
    const { db, file } = database();
    const errors: Error[] = [];
    // The thread's own connection cannot open a file that is not there.
    const c = startCheckpointer(db, path.join(path.dirname(file), 'missing.sqlite'), {
      onError: (e) => errors.push(e),
    });
    await c.ready;
    await until(() => !c.running());
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(errors).toHaveLength(1);
    await c.stop();
    db.close();
  });

  it('runs for a file database opened by the storage and stops on close', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkpointer-storage-'));
    dirs.push(dir);
    const file = path.join(dir, 'ioc.sqlite');
    const storage = openSqliteStorage({ file, checkpointIntervalMs: 30 });
    await storage.audit.append({ actor: 'test', action: 't', subject: 's', data: {} });
    await storage.close();
    // Closed cleanly: no WAL left behind, and the row is in the file.
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    const db = new Database(file, { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n).toBe(1);
    db.close();
  });
});

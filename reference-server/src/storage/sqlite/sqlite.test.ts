import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteMigrations } from './migrations.js';
import { openSqliteStorage } from './index.js';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-sqlite-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const LATEST = Math.max(...sqliteMigrations.map((m) => m.version));

describe('SQLite storage', () => {
  it('creates its folder, uses WAL and applies migrations once', async () => {
    const file = path.join(tmp(), 'nested', 'ioc.sqlite');
    const a = openSqliteStorage({ file, now: () => new Date('2026-01-01T00:00:00Z') });
    expect(await a.schemaVersion()).toBe(LATEST);
    await a.close();
    const b = openSqliteStorage({ file });
    expect(await b.schemaVersion()).toBe(LATEST);
    await b.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(
      raw.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all(),
    ).toEqual(
      [...sqliteMigrations]
        .sort((x, y) => x.version - y.version)
        .map((m) => ({
          version: m.version,
          name: m.name,
          applied_at: '2026-01-01T00:00:00.000Z',
        })),
    );
    expect(sqliteMigrations.slice(0, 5).map((m) => m.name)).toEqual([
      'server-metadata',
      'audit-log',
      'environment',
      'kpi',
      'field-reports',
    ]);
    raw.close();
  });

  it('applies new migrations in order and rolls back a failing one', async () => {
    const file = path.join(tmp(), 'ioc.sqlite');
    await openSqliteStorage({ file }).close();
    const tablesOf = (db: Database.Database) =>
      (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
          name: string;
        }[]
      ).map((t) => t.name);
    const before = new Database(file, { readonly: true });
    const existing = tablesOf(before);
    before.close();
    const good = LATEST + 1;
    const bad = LATEST + 2;
    const broken = [
      { version: 1, name: 'server-metadata', sql: 'SELECT 1;' },
      { version: bad, name: 'bad', sql: `CREATE TABLE t${bad} (a INTEGER); INSERT INTO missing VALUES (1);` },
      { version: good, name: 'good', sql: `CREATE TABLE t${good} (a INTEGER);` },
    ];
    expect(() => openSqliteStorage({ file, migrations: broken })).toThrow(/no such table: missing/);
    const raw = new Database(file, { readonly: true });
    // The good one (applied first, in version order) stays; nothing of the failing one does.
    expect(tablesOf(raw)).toEqual([...existing, `t${good}`].sort());
    expect(raw.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: good });
    raw.close();
  });

  it('ping rejects after close; close is idempotent', async () => {
    const s = openSqliteStorage({ file: ':memory:' });
    await expect(s.ping()).resolves.toBeUndefined();
    await s.close();
    await s.close();
    await expect(s.ping()).rejects.toThrow('storage is closed');
  });
});

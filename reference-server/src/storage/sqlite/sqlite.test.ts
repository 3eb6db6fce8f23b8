import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
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

describe('SQLite storage', () => {
  it('creates its folder, uses WAL and applies migrations once', async () => {
    const file = path.join(tmp(), 'nested', 'ioc.sqlite');
    const a = openSqliteStorage({ file, now: () => new Date('2026-01-01T00:00:00Z') });
    expect(await a.schemaVersion()).toBe(5);
    await a.close();
    const b = openSqliteStorage({ file });
    expect(await b.schemaVersion()).toBe(5);
    await b.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.prepare('SELECT version, name, applied_at FROM schema_migrations').all()).toEqual([
      { version: 1, name: 'server-metadata', applied_at: '2026-01-01T00:00:00.000Z' },
      { version: 2, name: 'audit-log', applied_at: '2026-01-01T00:00:00.000Z' },
      { version: 3, name: 'environment', applied_at: '2026-01-01T00:00:00.000Z' },
      { version: 4, name: 'kpi', applied_at: '2026-01-01T00:00:00.000Z' },
      { version: 5, name: 'field-reports', applied_at: '2026-01-01T00:00:00.000Z' },
    ]);
    raw.close();
  });

  it('applies new migrations in order and rolls back a failing one', async () => {
    const file = path.join(tmp(), 'ioc.sqlite');
    await openSqliteStorage({ file }).close();
    const broken = [
      { version: 1, name: 'server-metadata', sql: 'SELECT 1;' },
      { version: 9, name: 'bad', sql: 'CREATE TABLE t9 (a INTEGER); INSERT INTO missing VALUES (1);' },
      { version: 8, name: 'good', sql: 'CREATE TABLE t8 (a INTEGER);' },
    ];
    expect(() => openSqliteStorage({ file, migrations: broken })).toThrow(/no such table: missing/);
    const raw = new Database(file, { readonly: true });
    const tables = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    expect(tables).toEqual([
      { name: 'audit_log' },
      { name: 'env_reading' },
      { name: 'env_station' },
      { name: 'field_report' },
      { name: 'kpi_alert' },
      { name: 'kpi_observation' },
      { name: 'report_photo' },
      { name: 'schema_migrations' },
      { name: 'server_meta' },
      { name: 't8' },
    ]);
    expect(raw.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: 8 });
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

/**
 * One repository test suite, run against every storage back end: the embedded SQLite file and the
 * machine's PostgreSQL (a fresh database per run, dropped afterwards).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryHash, GENESIS_HASH } from '../src/storage/audit-chain.js';
import { openPostgresStorage } from '../src/storage/postgres/index.js';
import { openSqliteStorage } from '../src/storage/sqlite/index.js';
import type { Storage } from '../src/storage/types.js';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

interface Backend {
  readonly name: 'sqlite' | 'postgres';
  setup(): Promise<void>;
  /** A new storage instance on the same database (a second server instance). */
  open(now?: () => Date): Promise<Storage>;
  /** Runs SQL outside the storage API, as a DBA or an attacker with database access would. */
  raw(sql: string): Promise<void>;
  teardown(): Promise<void>;
}

function sqliteBackend(): Backend {
  let dir = '';
  const file = () => path.join(dir, 'ioc.sqlite');
  return {
    name: 'sqlite',
    setup() {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-contract-'));
      return Promise.resolve();
    },
    open(now) {
      return Promise.resolve(openSqliteStorage({ file: file(), ...(now ? { now } : {}) }));
    },
    async raw(sql) {
      await Promise.resolve();
      const db = new Database(file());
      try {
        db.exec(sql);
      } finally {
        db.close();
      }
    },
    teardown() {
      fs.rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

function postgresBackend(): Backend {
  const dbName = `ioc_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = `postgres://postgres@127.0.0.1:5432/${dbName}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  return {
    name: 'postgres',
    setup: () => admin(`CREATE DATABASE ${dbName}`),
    open: (now) => openPostgresStorage({ connectionString: url, ...(now ? { now } : {}) }),
    async raw(sql) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(sql);
      } finally {
        await c.end();
      }
    },
    teardown: () => admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`),
  };
}

describe.each([sqliteBackend(), postgresBackend()])('storage contract: $name', (backend) => {
  let storage: Storage;
  let tick = 0;
  const clock = () => new Date(Date.UTC(2026, 10, 28, 8, 0, 0, tick++));

  beforeAll(async () => {
    await backend.setup();
    storage = await backend.open(clock);
  });
  afterAll(async () => {
    await storage.close();
    await backend.teardown();
  });

  it('applies every migration once, also when a second instance opens the same database', async () => {
    expect(storage.kind).toBe(backend.name);
    expect(await storage.schemaVersion()).toBe(2);
    const second = await backend.open();
    expect(await second.schemaVersion()).toBe(2);
    await second.close();
    await expect(storage.ping()).resolves.toBeUndefined();
  });

  it('verifies an empty audit log', async () => {
    expect(await storage.audit.verify()).toEqual({ ok: true, entries: 0, head: GENESIS_HASH });
  });

  it('appends hash-chained records with canonical, NFC-normalised content', async () => {
    const first = await storage.audit.append({
      actor: 'so-tnmt',
      action: 'station.create',
      subject: 'station:BG-01',
      data: { name: 'Trạm quan trắc Thành phố', location: { lon: 106.19, lat: 21.27 } },
    });
    expect(first).toMatchObject({
      seq: 1,
      at: expect.stringMatching(/^2026-11-28T08:00:00\.\d{3}Z$/) as unknown,
      actor: 'so-tnmt',
      prevHash: GENESIS_HASH,
    });
    expect(first.hash).toBe(entryHash(GENESIS_HASH, first));
    const nfd = 'Sở Y tế'.normalize('NFD');
    const second = await storage.audit.append({
      actor: nfd,
      action: 'alert.acknowledge',
      subject: 'alert:42',
      data: { z: 1, a: [true, null, 'Bắc Giang'.normalize('NFD')] },
    });
    expect(second.seq).toBe(2);
    expect(second.prevHash).toBe(first.hash);
    expect(second.actor).toBe('Sở Y tế'.normalize('NFC'));
    expect(second.data).toEqual({ a: [true, null, 'Bắc Giang'.normalize('NFC')], z: 1 });
    const listed = await storage.audit.list();
    expect(listed).toEqual([first, second]);
    expect(await storage.audit.verify()).toEqual({ ok: true, entries: 2, head: second.hash });
  });

  it('rejects bad input with a clear error and appends nothing', async () => {
    const before = (await storage.audit.list({ limit: 1000 })).length;
    await expect(storage.audit.append({ actor: ' ', action: 'x', subject: 'y' })).rejects.toThrow(
      'actor must be a non-empty string',
    );
    await expect(
      storage.audit.append({ actor: 'a', action: 'x', subject: 'y', data: { v: Number.NaN } }),
    ).rejects.toThrow('$.v: NaN is not representable in JSON');
    expect((await storage.audit.list({ limit: 1000 })).length).toBe(before);
  });

  it('serialises concurrent appends from two instances into one unbroken chain', async () => {
    const other = await backend.open(clock);
    const before = (await storage.audit.list({ limit: 1000 })).length;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 === 0 ? storage : other).audit.append({
          actor: `client-${i}`,
          action: 'reading.ingest',
          subject: `reading:${i}`,
        }),
      ),
    );
    await other.close();
    const all = await storage.audit.list({ limit: 1000 });
    expect(all.length).toBe(before + 40);
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: before + 40 }, (_, i) => i + 1));
    expect((await storage.audit.verify()).ok).toBe(true);
  });

  it('pages with afterSeq and limit', async () => {
    const page = await storage.audit.list({ afterSeq: 2, limit: 3 });
    expect(page.map((e) => e.seq)).toEqual([3, 4, 5]);
  });

  it('refuses UPDATE and DELETE of audit records at the database level', async () => {
    await expect(backend.raw("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1")).rejects.toThrow(
      'audit_log is append-only',
    );
    await expect(backend.raw('DELETE FROM audit_log WHERE seq = 2')).rejects.toThrow(
      'audit_log is append-only',
    );
    expect((await storage.audit.verify()).ok).toBe(true);
  });

  it('detects a record altered behind the triggers’ back', async () => {
    await backend.raw(
      backend.name === 'sqlite'
        ? "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'mallory' WHERE seq = 3;"
        : "ALTER TABLE audit_log DISABLE TRIGGER USER; UPDATE audit_log SET actor = 'mallory' WHERE seq = 3;",
    );
    const result = await storage.audit.verify();
    expect(result).toEqual({ ok: false, entries: 2, brokenAt: 3, reason: 'hash-mismatch' });
  });

  it('rejects calls after close', async () => {
    const s = await backend.open();
    await s.close();
    await s.close();
    await expect(s.ping()).rejects.toThrow('storage is closed');
    await expect(s.audit.list()).rejects.toThrow('storage is closed');
  });
});

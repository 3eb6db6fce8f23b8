import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStorage } from './index.js';
import type { IngestWrite } from './ingest.js';
import { IngestWriteError, startIngestWriter } from './writer.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function databaseFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-writer-'));
  dirs.push(dir);
  const file = path.join(dir, 'ioc.sqlite');
  // The storage creates the schema; the writer thread needs an existing database.
  const s = openSqliteStorage({ file, ingestThread: false, checkpointIntervalMs: 0 });
  void s.close();
  return file;
}

const reading = (stationId: string, minute: number) => [
  stationId,
  new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
  new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
  1,
  '{"pm25":10}',
  '2026-01-01T00:00:00.000Z',
];

const station = (file: string, id: string) => {
  const db = new Database(file);
  db.prepare(
    "INSERT INTO env_station (id, name, kind, lat, lon, created_at) VALUES (?, 'x', 'air', 21, 106, '2026-01-01')",
  ).run(id);
  db.close();
};

const noInThread = () => Promise.reject(new Error('not expected on the main thread'));

describe('SQLite ingest writer thread', () => {
  it('stores writes on its own connection and answers, per row, stored or duplicate', async () => {
    const file = databaseFile();
    station(file, 'S1');
    const w = startIngestWriter(file, { autocheckpoint: 1000, inThread: noInThread });
    const write = (rows: IngestWrite['rows']): IngestWrite => ({
      kind: 'readings',
      rows,
      audit: { actor: 'station', action: 'environment.readings.ingest', subject: 'station:S1' },
      at: '2026-01-01T00:00:00.000Z',
    });
    const [a, b] = await Promise.all([
      w.submit(write([reading('S1', 0), reading('S1', 1)])),
      // Shares a row with the first write: that one is its duplicate.
      w.submit(write([reading('S1', 1), reading('S1', 2), reading('S1', 2)])),
    ]);
    expect([...(a ?? [])]).toEqual([1, 1]);
    expect([...(b ?? [])]).toEqual([0, 1, 0]);
    await w.stop();
    expect(w.running()).toBe(false);
    expect(w.submit(write([]))).toBeUndefined();
    const db = new Database(file, { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM env_reading').get() as { n: number }).n).toBe(3);
    const audit = db.prepare('SELECT data FROM audit_log ORDER BY seq').all() as { data: string }[];
    expect(audit.map((r) => JSON.parse(r.data) as unknown)).toEqual([
      { accepted: 2, duplicates: 0 },
      { accepted: 1, duplicates: 2 },
    ]);
    db.close();
  });

  it('answers more writes than fit in one transaction, each once, in transactions of maxBatch', async () => {
    const file = databaseFile();
    station(file, 'S1');
    const w = startIngestWriter(file, { autocheckpoint: 1000, maxBatch: 3, inThread: noInThread });
    const at = '2026-01-01T00:00:00.000Z';
    const answers = await Promise.all(
      Array.from(
        { length: 10 },
        (_, i) =>
          w.submit({ kind: 'readings', rows: [reading('S1', i), reading('S1', i)], at }) ??
          Promise.reject(new Error('the writer is not running')),
      ),
    );
    expect(answers.map((a) => [...(a ?? [])])).toEqual(Array(10).fill([1, 0]));
    await w.stop();
    const db = new Database(file, { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM env_reading').get() as { n: number }).n).toBe(10);
    db.close();
  });

  it('rejects a write the database refuses, alone, with the database error', async () => {
    const file = databaseFile();
    station(file, 'S1');
    const w = startIngestWriter(file, { autocheckpoint: 1000, inThread: noInThread });
    const at = '2026-01-01T00:00:00.000Z';
    const outcomes = await Promise.allSettled([
      w.submit({ kind: 'readings', rows: [reading('S1', 0)], at }),
      // No such station: a foreign key violation.
      w.submit({ kind: 'readings', rows: [reading('S9', 0)], at }),
      w.submit({
        kind: 'readings',
        rows: [reading('S1', 5)],
        audit: { actor: '', action: 'a', subject: 's' },
        at,
      }),
      w.submit({ kind: 'readings', rows: [reading('S1', 1)], at }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    const fk = (outcomes[1] as PromiseRejectedResult).reason as IngestWriteError;
    expect(fk).toBeInstanceOf(IngestWriteError);
    expect(fk.code).toBe('SQLITE_CONSTRAINT_FOREIGNKEY');
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toContain('actor');
    await w.stop();
  });

  it('hands the writes back to the main thread when it cannot start', async () => {
    const missing = path.join(os.tmpdir(), `missing-${process.pid}`, 'ioc.sqlite');
    const errors: Error[] = [];
    const back: IngestWrite[] = [];
    const w = startIngestWriter(missing, {
      autocheckpoint: 1000,
      inThread: (write) => {
        back.push(write);
        return Promise.resolve(Uint8Array.of(1));
      },
      onError: (e) => errors.push(e),
    });
    const write: IngestWrite = { kind: 'readings', rows: [reading('S1', 0)], at: '2026-01-01T00:00:00Z' };
    expect([...((await w.submit(write)) ?? [])]).toEqual([1]);
    expect(back).toEqual([write]);
    expect(errors).toHaveLength(1);
    expect(w.running()).toBe(false);
    await w.stop();
  });

  it('keeps the audit chain whole when the main thread and the writer append at once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-writer-storage-'));
    dirs.push(dir);
    const warnings: string[] = [];
    const storage = openSqliteStorage({
      file: path.join(dir, 'ioc.sqlite'),
      onWarning: (m) => warnings.push(m),
    });
    await storage.environment.createStation({
      id: 'S1',
      name: 'S1',
      kind: 'air',
      location: { lat: 21.27, lon: 106.19 },
    });
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 200; i++) {
      writes.push(
        storage.environment.insertReadings(
          'S1',
          [{ at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), periodMinutes: 1, values: { pm25: i } }],
          { actor: 'station', action: 'environment.readings.ingest', subject: 'station:S1' },
        ),
      );
      // Writes on the main connection, between the thread's transactions.
      if (i % 10 === 0) writes.push(storage.audit.append({ actor: 'op', action: 'x', subject: `n:${i}` }));
    }
    await Promise.all(writes);
    const log = await storage.audit.list({ limit: 1000 });
    expect(log).toHaveLength(220);
    expect(await storage.audit.verify()).toMatchObject({ ok: true });
    expect(await storage.environment.listReadings('S1', new Date(0), new Date(2030, 0), 1000)).toHaveLength(
      200,
    );
    // Nothing moved back to the main thread.
    expect(warnings).toEqual([]);
    await storage.close();
  });
});

/**
 * One repository test suite, run against every storage back end: the embedded SQLite file and the
 * machine's PostgreSQL (a fresh database per run, dropped afterwards).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryHash, GENESIS_HASH } from '../src/storage/audit-chain.js';
import { openPostgresStorage } from '../src/storage/postgres/index.js';
import { postgresMigrations } from '../src/storage/postgres/migrations.js';
import { openSqliteStorage } from '../src/storage/sqlite/index.js';
import { sqliteMigrations } from '../src/storage/sqlite/migrations.js';
import type { KpiAlert, Observation } from '@dttm/ioc-kpi';
import type { FieldReport, KpiObservationInsert, Storage } from '../src/storage/types.js';
import { pgAdmin } from './pg.js';

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
  return {
    name: 'postgres',
    setup: () => pgAdmin(`CREATE DATABASE ${dbName}`),
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
    teardown: () => pgAdmin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`),
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
    const latest = Math.max(
      ...(backend.name === 'sqlite' ? sqliteMigrations : postgresMigrations).map((m) => m.version),
    );
    expect(latest).toBeGreaterThanOrEqual(5);
    expect(await storage.schemaVersion()).toBe(latest);
    const second = await backend.open();
    expect(await second.schemaVersion()).toBe(latest);
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

  describe('environment repository', () => {
    const station = {
      id: 'BG-KK-01',
      name: 'Trạm quan trắc không khí TP Bắc Giang'.normalize('NFD'),
      kind: 'air' as const,
      location: { lat: 21.2731, lon: 106.1946 },
      area: '213',
    };

    it('registers a station once, NFC-normalised', async () => {
      expect(await storage.environment.createStation(station)).toBe('created');
      expect(await storage.environment.createStation({ ...station, name: 'other' })).toBe('exists');
      expect(await storage.environment.getStation('BG-KK-01')).toEqual({
        ...station,
        name: 'Trạm quan trắc không khí TP Bắc Giang'.normalize('NFC'),
      });
      await storage.environment.createStation({
        id: 'BG-NN-02',
        name: 'Sông Thương',
        kind: 'water',
        location: { lat: 21.3, lon: 106.2 },
      });
      expect((await storage.environment.listStations()).map((x) => x.id)).toEqual(['BG-KK-01', 'BG-NN-02']);
      expect(await storage.environment.getStation('NOPE')).toBeUndefined();
    });

    it('stores a batch, skipping readings of an instant already stored whatever its offset', async () => {
      const first = await storage.environment.insertReadings('BG-KK-01', [
        { at: '2026-11-28T08:00:00+07:00', periodMinutes: 60, values: { pm25: 38.2, pm10: 61 } },
        { at: '2026-11-28T09:00:00+07:00', periodMinutes: 60, values: { pm25: 41.5 } },
      ]);
      expect(first.accepted).toBe(2);
      expect(first.duplicates).toBe(0);
      const again = await storage.environment.insertReadings('BG-KK-01', [
        { at: '2026-11-28T01:00:00Z', periodMinutes: 60, values: { pm25: 99 } },
        { at: '2026-11-28T10:00:00+07:00', periodMinutes: 60, values: { pm10: 70, pm25: 45 } },
        { at: '2026-11-28T10:00:00+07:00', periodMinutes: 5, values: { pm25: 47 } },
      ]);
      expect({ accepted: again.accepted, duplicates: again.duplicates }).toEqual({
        accepted: 2,
        duplicates: 1,
      });
      const listed = await storage.environment.listReadings(
        'BG-KK-01',
        new Date('2026-11-28T00:00:00Z'),
        new Date('2026-11-28T04:00:00Z'),
        100,
      );
      expect(listed.map((r) => [r.at, r.periodMinutes, r.values])).toEqual([
        ['2026-11-28T08:00:00+07:00', 60, { pm10: 61, pm25: 38.2 }],
        ['2026-11-28T09:00:00+07:00', 60, { pm25: 41.5 }],
        ['2026-11-28T10:00:00+07:00', 5, { pm25: 47 }],
        ['2026-11-28T10:00:00+07:00', 60, { pm10: 70, pm25: 45 }],
      ]);
      expect(listed.every((r) => r.stationId === 'BG-KK-01' && /Z$/.test(r.receivedAt))).toBe(true);
      const window = await storage.environment.listReadings(
        'BG-KK-01',
        new Date('2026-11-28T02:00:00Z'),
        new Date('2026-11-28T03:00:00Z'),
        1,
      );
      expect(window.map((r) => r.at)).toEqual(['2026-11-28T09:00:00+07:00']);
    });

    it('finds the latest reading of a station', async () => {
      expect((await storage.environment.latestReading('BG-KK-01'))?.at).toBe('2026-11-28T10:00:00+07:00');
      expect((await storage.environment.latestReading('BG-KK-01'))?.periodMinutes).toBe(60);
      expect(await storage.environment.latestReading('BG-NN-02')).toBeUndefined();
    });

    it('counts a reading repeated within one batch once', async () => {
      const r = await storage.environment.insertReadings('BG-KK-01', [
        { at: '2026-11-27T08:00:00+07:00', periodMinutes: 60, values: { pm25: 1 } },
        { at: '2026-11-27T01:00:00Z', periodMinutes: 60, values: { pm25: 2 } },
        { at: '2026-11-27T08:00:00+07:00', periodMinutes: 15, values: { pm25: 3 } },
      ]);
      expect({ accepted: r.accepted, duplicates: r.duplicates }).toEqual({ accepted: 2, duplicates: 1 });
      expect(r.stored.map((x) => [x.at, x.periodMinutes, x.values.pm25])).toEqual([
        ['2026-11-27T08:00:00+07:00', 60, 1],
        ['2026-11-27T08:00:00+07:00', 15, 3],
      ]);
    });

    it('writes the audit record in the same transaction as the readings', async () => {
      const before = (await storage.audit.list({ limit: 1000 })).length;
      const ok = await storage.environment.insertReadings(
        'BG-KK-01',
        [{ at: '2026-11-28T11:00:00+07:00', periodMinutes: 60, values: { pm25: 50 } }],
        {
          actor: 'station-client',
          action: 'environment.readings.ingest',
          subject: 'station:BG-KK-01',
          data: { via: 'mqtt' },
        },
      );
      expect(ok.accepted).toBe(1);
      const log = await storage.audit.list({ limit: 1000 });
      expect(log.length).toBe(before + 1);
      expect(log.at(-1)).toMatchObject({
        actor: 'station-client',
        data: { via: 'mqtt', accepted: 1, duplicates: 0 },
      });
      // An audit record that cannot be written takes the readings down with it.
      await expect(
        storage.environment.insertReadings(
          'BG-KK-01',
          [{ at: '2026-11-28T12:00:00+07:00', periodMinutes: 60, values: { pm25: 51 } }],
          { actor: '', action: 'environment.readings.ingest', subject: 'station:BG-KK-01' },
        ),
      ).rejects.toThrow('actor must be a non-empty string');
      const noon = await storage.environment.listReadings(
        'BG-KK-01',
        new Date('2026-11-28T05:00:00Z'),
        new Date('2026-11-28T06:00:00Z'),
        10,
      );
      expect(noon).toEqual([]);
      const after = await storage.audit.list({ limit: 1000 });
      expect(after.length).toBe(before + 1);
      expect(after.at(-1)?.prevHash).toBe(after.at(-2)?.hash);
    });

    it('folds sub-hourly readings past retention into weighted hourly means, in whole hours, audited', async () => {
      const w = (at: string, periodMinutes: number, values: Record<string, number>) => ({
        at,
        periodMinutes,
        values,
      });
      await storage.environment.insertReadings('BG-NN-02', [
        // Hour ending 01:00Z: four 15-minute readings and a 5-minute one.
        w('2026-10-01T00:05:00Z', 5, { pm25: 100 }),
        w('2026-10-01T07:15:00+07:00', 15, { pm25: 10, pm10: 50 }),
        w('2026-10-01T00:30:00Z', 15, { pm25: 20 }),
        w('2026-10-01T00:45:00Z', 15, { pm25: 30 }),
        w('2026-10-01T01:00:00Z', 15, { pm25: 40, pm10: 70 }),
        // Hour ending 02:00Z: two 30-minute readings.
        w('2026-10-01T01:30:00Z', 30, { pm25: 5 }),
        w('2026-10-01T02:00:00Z', 30, { pm25: 7 }),
        // Hour ending 03:00Z already has the station's own hourly value: its raw reading stays.
        w('2026-10-01T02:45:00Z', 15, { pm25: 50 }),
        w('2026-10-01T03:00:00Z', 60, { pm25: 9 }),
        // After the cut-off (04:00Z): untouched.
        w('2026-10-01T04:30:00Z', 15, { pm25: 1 }),
      ]);
      const auditBefore = (await storage.audit.list({ limit: 1000 })).length;
      const audit = (o: { hours: number; removed: number; kept: number }) => ({
        actor: 'system',
        action: 'environment.readings.rollup',
        subject: 'station:BG-NN-02',
        data: o,
      });
      // A limit of 3 rows falls inside the first hour: the whole hour is folded, nothing else.
      const first = await storage.environment.rollUpReadings(
        'BG-NN-02',
        new Date('2026-10-01T04:20:00Z'),
        3,
        audit,
      );
      expect(first).toEqual({ hours: 1, removed: 5, kept: 0, more: true });
      const rest = await storage.environment.rollUpReadings(
        'BG-NN-02',
        new Date('2026-10-01T04:20:00Z'),
        1000,
        audit,
      );
      expect(rest).toEqual({ hours: 1, removed: 2, kept: 1, more: false });
      const listed = await storage.environment.listReadings(
        'BG-NN-02',
        new Date('2026-10-01T00:00:00Z'),
        new Date('2026-10-01T06:00:00Z'),
        100,
      );
      expect(listed.map((r) => [r.at, r.periodMinutes, r.values])).toEqual([
        ['2026-10-01T08:00:00+07:00', 60, { pm10: 60, pm25: Math.round((2000 / 65) * 1e6) / 1e6 }],
        ['2026-10-01T09:00:00+07:00', 60, { pm25: 6 }],
        ['2026-10-01T02:45:00Z', 15, { pm25: 50 }],
        ['2026-10-01T03:00:00Z', 60, { pm25: 9 }],
        ['2026-10-01T04:30:00Z', 15, { pm25: 1 }],
      ]);
      const log = await storage.audit.list({ limit: 1000 });
      expect(log.slice(auditBefore).map((e) => e.data)).toEqual([
        { hours: 1, removed: 5, kept: 0 },
        { hours: 1, removed: 2, kept: 1 },
      ]);
      // Chained like every other write.
      expect(log.at(-1)?.prevHash).toBe(log.at(-2)?.hash);
      // Nothing left to fold: no write, no audit record.
      expect(
        await storage.environment.rollUpReadings('BG-NN-02', new Date('2026-10-01T04:20:00Z'), 1000, audit),
      ).toEqual({ hours: 0, removed: 0, kept: 1, more: false });
      expect((await storage.audit.list({ limit: 1000 })).length).toBe(log.length);
    });

    it('refuses readings of an unknown station and stores none of the batch', async () => {
      await expect(
        storage.environment.insertReadings('BG-XX-99', [
          { at: '2026-11-28T08:00:00+07:00', periodMinutes: 60, values: { pm25: 1 } },
        ]),
      ).rejects.toThrow();
      expect(
        await storage.environment.listReadings('BG-XX-99', new Date(0), new Date('2100-01-01'), 10),
      ).toEqual([]);
    });
  });

  describe('KPI repository', () => {
    const obs = (indicator: string, year: number, area: string, value: number): KpiObservationInsert => {
      const observation: Observation = {
        indicator,
        value,
        period: { year },
        scope: { level: 'district', adminUnitCode: area },
        source: 'his',
        method: 'automatic',
        recordedAt: `${year + 1}-01-05T00:00:00+07:00`,
      };
      return {
        key: `his:${indicator}:${year}:${area}`,
        observation,
        periodLabel: String(year),
        periodStart: new Date(Date.UTC(year - 1, 11, 31, 17)).toISOString(),
        periodEnd: new Date(Date.UTC(year, 11, 31, 17)).toISOString(),
      };
    };

    it('stores observations once per key, in one audited transaction', async () => {
      const batch = [
        obs('L2.N1.PN3.01', 2024, '213', 8),
        obs('L2.N1.PN3.01', 2025, '213', 12),
        obs('L2.N1.PN3.01', 2025, '215', 4),
      ];
      const first = await storage.kpi.insertObservations(batch, {
        actor: 'his-client',
        action: 'kpi.observations.ingest',
        subject: 'kpi',
      });
      expect([first.accepted, first.duplicates]).toEqual([3, 0]);
      expect(first.stored.map((x) => x.key)).toEqual(batch.map((b) => b.key));
      const again = await storage.kpi.insertObservations([
        batch[1]!,
        obs('L2.N1.PN3.02', 2025, '213', 30),
        batch[1]!,
      ]);
      expect([again.accepted, again.duplicates]).toEqual([1, 2]);
      expect(again.stored.map((x) => x.observation.indicator)).toEqual(['L2.N1.PN3.02']);
      const tail = await storage.audit.list({ afterSeq: 0, limit: 1000 });
      expect(tail.at(-1)).toMatchObject({
        action: 'kpi.observations.ingest',
        data: { accepted: 3, duplicates: 0 },
      });
    });

    it('lists observations by indicator, area and period, in either order', async () => {
      const all = await storage.kpi.listObservations({ limit: 100 });
      expect(all.map((x) => x.key)).toEqual([
        'his:L2.N1.PN3.01:2024:213',
        'his:L2.N1.PN3.01:2025:213',
        'his:L2.N1.PN3.01:2025:215',
        'his:L2.N1.PN3.02:2025:213',
      ]);
      expect(all[0]?.observation).toEqual(obs('L2.N1.PN3.01', 2024, '213', 8).observation);
      expect(all[0]?.receivedAt).toMatch(/^2026-11-28T08:00:00\.\d{3}Z$/);
      const f = (filter: Parameters<Storage['kpi']['listObservations']>[0]) =>
        storage.kpi.listObservations(filter).then((r) => r.map((x) => x.key));
      expect(await f({ indicators: ['L2.N1.PN3.02'], limit: 10 })).toEqual(['his:L2.N1.PN3.02:2025:213']);
      expect(await f({ indicators: [], limit: 10 })).toEqual([]);
      expect(await f({ adminUnit: '215', limit: 10 })).toEqual(['his:L2.N1.PN3.01:2025:215']);
      expect(await f({ from: '2024-12-31T17:00:00.000Z', indicators: ['L2.N1.PN3.01'], limit: 10 })).toEqual([
        'his:L2.N1.PN3.01:2025:213',
        'his:L2.N1.PN3.01:2025:215',
      ]);
      expect(await f({ to: '2024-12-31T17:00:00.000Z', limit: 10 })).toEqual(['his:L2.N1.PN3.01:2024:213']);
      expect(await f({ order: 'desc', limit: 2 })).toEqual([
        'his:L2.N1.PN3.01:2025:213',
        'his:L2.N1.PN3.01:2025:215',
      ]);
    });

    const alert = (
      id: string,
      state: KpiAlert['state'],
      updatedAt: string,
      dedupKey = `target-not-met|bg|X.${id}|province:24`,
    ): KpiAlert => ({
      id,
      dedupKey,
      kind: 'target-not-met',
      indicator: `X.${id}`,
      profile: 'bg',
      scope: { level: 'province', adminUnitCode: '24' },
      period: '2025',
      severity: 'warning',
      state,
      raisedAt: '2026-01-02T00:00:00+07:00',
      updatedAt,
      message: { vi: 'Chưa đạt', en: 'Not met' },
    });

    it('saves alerts (update or insert), keeping one active alert per dedup key', async () => {
      const a = alert('00000000000000a1', 'open', '2026-01-02T00:00:00+07:00');
      const b = alert('00000000000000b2', 'open', '2026-01-03T00:00:00+07:00');
      expect(
        await storage.kpi.saveAlerts([{ alert: a }, { alert: b }], {
          actor: 'system',
          action: 'kpi.alerts.derive',
          subject: 'kpi',
          data: { raised: 2 },
        }),
      ).toEqual([a.id, b.id]);
      // Another instance raised the same condition meanwhile: not inserted.
      const twin = { ...a, id: '00000000000000a9' };
      expect(await storage.kpi.saveAlerts([{ alert: twin }])).toEqual([]);
      const updated = { ...a, severity: 'critical' as const, updatedAt: '2026-01-04T00:00:00+07:00' };
      expect(await storage.kpi.saveAlerts([{ alert: updated, expected: 'open' }])).toEqual([a.id]);
      // An update from a stale view (the engine saw it acknowledged, it is open) is not written.
      expect(
        await storage.kpi.saveAlerts([{ alert: { ...updated, severity: 'info' }, expected: 'acknowledged' }]),
      ).toEqual([]);
      expect(await storage.kpi.getAlert(a.id)).toEqual(updated);
      expect(await storage.kpi.getAlert('ffffffffffffffff')).toBeUndefined();
      // Once resolved, the key may have a new active alert.
      expect(
        await storage.kpi.saveAlerts([
          {
            expected: 'open',
            alert: {
              ...updated,
              state: 'resolved',
              resolvedAt: '2026-01-05T00:00:00+07:00',
              updatedAt: '2026-01-05T00:00:00+07:00',
            },
          },
        ]),
      ).toEqual([a.id]);
      expect(
        await storage.kpi.saveAlerts([{ alert: { ...twin, updatedAt: '2026-01-06T00:00:00+07:00' } }]),
      ).toEqual([twin.id]);
      const ids = (f: Parameters<Storage['kpi']['listAlerts']>[0]) =>
        storage.kpi.listAlerts(f).then((r) => r.map((x) => x.id));
      expect(await ids({ limit: 10 })).toEqual([twin.id, a.id, b.id]);
      expect(await ids({ states: ['open', 'acknowledged'], limit: 10 })).toEqual([twin.id, b.id]);
      expect(await ids({ states: ['resolved'], limit: 10 })).toEqual([a.id]);
      expect(await ids({ indicator: 'X.00000000000000b2', limit: 10 })).toEqual([b.id]);
      expect(await ids({ kind: 'regression', limit: 10 })).toEqual([]);
    });

    it('transitions an alert only from the expected state, audited in the same transaction', async () => {
      const b = (await storage.kpi.getAlert('00000000000000b2'))!;
      const acked = {
        ...b,
        state: 'acknowledged' as const,
        acknowledgedBy: 'op',
        acknowledgedAt: '2026-01-07T00:00:00+07:00',
        updatedAt: '2026-01-07T00:00:00+07:00',
      };
      const audit = { actor: 'op', action: 'kpi.alert.acknowledge', subject: `alert:${b.id}` };
      expect(await storage.kpi.transitionAlert(acked, 'open', audit)).toBe(true);
      const before = (await storage.audit.list({ limit: 1000 })).length;
      expect(await storage.kpi.transitionAlert(acked, 'open', audit)).toBe(false);
      expect((await storage.audit.list({ limit: 1000 })).length).toBe(before);
      expect(await storage.kpi.getAlert(b.id)).toEqual(acked);
      const log = await storage.audit.list({ limit: 1000 });
      expect(log.at(-1)).toMatchObject({
        actor: 'op',
        action: 'kpi.alert.acknowledge',
        subject: `alert:${b.id}`,
      });
    });
  });

  describe('field-report repository', () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const photo = {
      mediaType: 'image/png' as const,
      data: png,
      sha256: createHash('sha256').update(png).digest('hex'),
    };
    const report = (n: number, over: Partial<FieldReport> = {}): FieldReport => ({
      id: `00000000000000f${n}`,
      code: `PA-2026-AAAAA${n}`,
      text: 'Rác thải đổ trộm bên bờ sông Thương',
      category: 'environment',
      location: { lat: 21.27, lon: 106.19, address: 'Phường Thọ Xương' },
      hasContact: n === 1,
      department: 'environment',
      district: '213',
      state: 'received',
      submittedAt: `2026-03-0${n}T01:00:00.000Z`,
      updatedAt: `2026-03-0${n}T01:00:00.000Z`,
      deadline: `2026-03-1${n}T01:00:00.000Z`,
      history: [{ to: 'received', at: `2026-03-0${n}T01:00:00.000Z`, by: 'citizen' }],
      ...over,
    });
    const audit = (n: number) => ({ actor: 'citizen', action: 'report.submit', subject: `report:${n}` });

    it('stores a report with its photo and contact in one audited transaction; a taken code stores nothing', async () => {
      const before = (await storage.audit.list({ limit: 1000 })).length;
      const one = report(1, {
        photo: { mediaType: 'image/png', bytes: png.length, sha256: photo.sha256 },
      });
      expect(
        await storage.reports.createReport(one, { photo, contact: { phone: '0912 345 678' } }, audit(1)),
      ).toBe('created');
      expect(await storage.reports.createReport(report(2, { code: one.code }), {}, audit(2))).toBe(
        'code-taken',
      );
      expect(await storage.reports.createReport(report(2, { district: '215' }), {}, audit(2))).toBe(
        'created',
      );
      expect(
        await storage.reports.createReport(
          report(3, { category: 'traffic', department: 'transport', deadline: '2026-03-05T01:00:00.000Z' }),
          { photo },
          audit(3),
        ),
      ).toBe('created');
      const log = await storage.audit.list({ limit: 1000 });
      expect(log.slice(before).map((e) => e.subject)).toEqual(['report:1', 'report:2', 'report:3']);
      expect(await storage.reports.getReport(one.id)).toEqual(one);
      expect(await storage.reports.getReportByCode(one.code)).toEqual(one);
      expect(await storage.reports.getReport('ffffffffffffffff')).toBeUndefined();
      expect(await storage.reports.getReportPhoto(one.id)).toEqual(photo);
      expect(await storage.reports.getReportPhoto(report(2).id)).toBeUndefined();
      // The contact is kept in its own column, never in the report's body.
      expect(JSON.stringify(await storage.reports.listReports({ limit: 10 }))).not.toContain('0912');
    });

    it('filters by state, department, district, category, deadline and submission', async () => {
      const ids = (f: Parameters<Storage['reports']['listReports']>[0]) =>
        storage.reports.listReports(f).then((r) => r.map((x) => x.id.slice(-2)));
      expect(await ids({ limit: 10 })).toEqual(['f3', 'f2', 'f1']);
      expect(await ids({ limit: 2 })).toEqual(['f3', 'f2']);
      expect(await ids({ department: 'environment', limit: 10 })).toEqual(['f2', 'f1']);
      expect(await ids({ district: '215', limit: 10 })).toEqual(['f2']);
      expect(await ids({ category: 'traffic', limit: 10 })).toEqual(['f3']);
      expect(await ids({ states: [], limit: 10 })).toEqual([]);
      expect(await ids({ states: ['resolved'], limit: 10 })).toEqual([]);
      expect(await ids({ overdueAt: '2026-03-11T12:00:00.000Z', limit: 10 })).toEqual(['f3', 'f1']);
      expect(await ids({ notOverdueAt: '2026-03-11T12:00:00.000Z', limit: 10 })).toEqual(['f2']);
      expect(
        await ids({
          submittedFrom: '2026-03-02T00:00:00.000Z',
          submittedTo: '2026-03-03T00:00:00.000Z',
          limit: 10,
        }),
      ).toEqual(['f2']);
    });

    it('transitions a report only from the expected state, audited in the same transaction', async () => {
      const cur = (await storage.reports.getReport('00000000000000f1'))!;
      const next: FieldReport = {
        ...cur,
        state: 'assigned',
        department: 'construction',
        updatedAt: '2026-03-02T02:00:00.000Z',
        history: [
          ...cur.history,
          { from: 'received', to: 'assigned', at: '2026-03-02T02:00:00.000Z', by: 'op' },
        ],
      };
      const a = { actor: 'op', action: 'report.assigned', subject: `report:${cur.id}` };
      expect(await storage.reports.transitionReport(next, 'received', a)).toBe(true);
      const before = (await storage.audit.list({ limit: 1000 })).length;
      expect(await storage.reports.transitionReport(next, 'received', a)).toBe(false);
      expect((await storage.audit.list({ limit: 1000 })).length).toBe(before);
      expect(await storage.reports.getReport(cur.id)).toEqual(next);
      expect((await storage.audit.list({ limit: 1000 })).at(-1)).toMatchObject(a);
      // The filter columns follow the body.
      const ids = await storage.reports.listReports({
        department: 'construction',
        states: ['assigned'],
        limit: 10,
      });
      expect(ids.map((r) => r.id)).toEqual([cur.id]);
    });
  });

  describe('concurrent ingests (group commit)', () => {
    const obsOf = (year: number): KpiObservationInsert => ({
      key: `gc:L3.N1.PN1.01:${year}`,
      observation: {
        indicator: 'L3.N1.PN1.01',
        value: year % 100,
        period: { year },
        scope: { level: 'province', adminUnitCode: '24' },
        source: 'gc',
        method: 'automatic',
        recordedAt: '2026-01-05T00:00:00+07:00',
      },
      periodLabel: String(year),
      periodStart: new Date(Date.UTC(year - 1, 11, 31, 17)).toISOString(),
      periodEnd: new Date(Date.UTC(year, 11, 31, 17)).toISOString(),
    });
    const audit = (actor: string) => ({
      actor,
      action: 'kpi.observations.ingest',
      subject: 'kpi',
    });

    it('answers each of several concurrent requests as if they had run in turn, each audited', async () => {
      const before = (await storage.audit.list({ limit: 1000 })).length;
      const [a, b, c] = await Promise.all([
        storage.kpi.insertObservations([obsOf(1901), obsOf(1902)], audit('client-a')),
        // Overlaps a: the repeated key is b's duplicate.
        storage.kpi.insertObservations([obsOf(1902), obsOf(1903)], audit('client-b')),
        storage.kpi.insertObservations([obsOf(1904)], audit('client-c')),
      ]);
      expect([a.accepted, a.duplicates, b.accepted, b.duplicates, c.accepted, c.duplicates]).toEqual([
        2, 0, 1, 1, 1, 0,
      ]);
      expect(b.stored.map((x) => x.key)).toEqual(['gc:L3.N1.PN1.01:1903']);
      const log = (await storage.audit.list({ limit: 1000 })).slice(before);
      expect(log.map((e) => [e.actor, e.data])).toEqual([
        ['client-a', { accepted: 2, duplicates: 0 }],
        ['client-b', { accepted: 1, duplicates: 1 }],
        ['client-c', { accepted: 1, duplicates: 0 }],
      ]);
      expect(log.every((e, i) => i === 0 || e.prevHash === log[i - 1]?.hash)).toBe(true);
    });

    it('fails only the request whose write fails; the concurrent ones are stored', async () => {
      const before = (await storage.audit.list({ limit: 1000 })).length;
      const outcomes = await Promise.allSettled([
        storage.kpi.insertObservations([obsOf(1911)], audit('client-a')),
        // An audit record that cannot be written takes this request's observations down with it.
        storage.kpi.insertObservations([obsOf(1912)], audit('')),
        storage.environment.insertReadings(
          'BG-NN-02',
          [{ at: '2025-05-01T08:00:00+07:00', periodMinutes: 60, values: { do: 6.1 } }],
          {
            actor: 'station',
            action: 'environment.readings.ingest',
            subject: 'station:BG-NN-02',
          },
        ),
        // An unknown station: refused by the database.
        storage.environment.insertReadings('BG-XX-99', [
          { at: '2025-05-01T08:00:00+07:00', periodMinutes: 60, values: { do: 1 } },
        ]),
        storage.kpi.insertObservations([obsOf(1913)], audit('client-c')),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      const keys = (await storage.kpi.listObservations({ indicators: ['L3.N1.PN1.01'], limit: 100 }))
        .map((x) => x.key)
        .filter((k) => k.startsWith('gc:') && k >= 'gc:L3.N1.PN1.01:1911');
      expect(keys).toEqual(['gc:L3.N1.PN1.01:1911', 'gc:L3.N1.PN1.01:1913']);
      const log = (await storage.audit.list({ limit: 1000 })).slice(before);
      expect(log.map((e) => e.actor)).toEqual(['client-a', 'station', 'client-c']);
      expect(log.every((e, i) => i === 0 || e.prevHash === log[i - 1]?.hash)).toBe(true);
    });
  });

  it('rejects calls after close', async () => {
    const s = await backend.open();
    await s.close();
    await s.close();
    await expect(s.ping()).rejects.toThrow('storage is closed');
    await expect(s.audit.list()).rejects.toThrow('storage is closed');
  });
});

/**
 * The health repository (facilities, HL7 v2 messages, the FHIR outbox) against both storage back ends:
 * the embedded SQLite file and the machine's PostgreSQL (a fresh database per run, dropped afterwards).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStorage } from '../src/storage/postgres/index.js';
import { openSqliteStorage } from '../src/storage/sqlite/index.js';
import type { HealthFacility, Hl7MessageRecord, Storage } from '../src/storage/types.js';
import { pgAdmin } from './pg.js';

interface Opened {
  storage: Storage;
  /** A second instance on the same database (a restart). */
  reopen(): Promise<Storage>;
  cleanup(): Promise<void>;
}

const backends = [
  {
    name: 'sqlite',
    open(): Promise<Opened> {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-health-'));
      const file = path.join(dir, 'ioc.sqlite');
      const opened: Storage[] = [openSqliteStorage({ file })];
      return Promise.resolve({
        storage: opened[0]!,
        reopen: () => {
          const s = openSqliteStorage({ file });
          opened.push(s);
          return Promise.resolve(s);
        },
        cleanup: async () => {
          for (const s of opened) await s.close();
          fs.rmSync(dir, { recursive: true, force: true });
        },
      });
    },
  },
  {
    name: 'postgres',
    async open(): Promise<Opened> {
      const db = `ioc_health_${process.pid}_${randomBytes(4).toString('hex')}`;
      await pgAdmin(`CREATE DATABASE ${db}`);
      const url = `postgres://postgres@127.0.0.1:5432/${db}`;
      const opened: Storage[] = [await openPostgresStorage({ connectionString: url })];
      return {
        storage: opened[0]!,
        reopen: async () => {
          const s = await openPostgresStorage({ connectionString: url });
          opened.push(s);
          return s;
        },
        cleanup: async () => {
          for (const s of opened) await s.close();
          await pgAdmin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
        },
      };
    },
  },
] as const;

const facility = (id: string, over: Partial<HealthFacility> = {}): HealthFacility => ({
  id,
  name: `Bệnh viện ${id}`,
  addresses: [],
  createdAt: '2026-03-01T01:00:00.000Z',
  updatedAt: '2026-03-01T01:00:00.000Z',
  ...over,
});

const message = (n: number, over: Partial<Hl7MessageRecord> = {}): Hl7MessageRecord => ({
  id: n.toString(16).padStart(16, '0'),
  key: `HIS^BV_A^C${n}`,
  facility: 'BV_A',
  application: 'HIS',
  messageType: 'ADT^A01',
  structure: 'ADT_A01',
  controlId: `C${n}`,
  receivedAt: new Date(Date.UTC(2026, 2, 1, 2, n)).toISOString(),
  remoteAddress: '127.0.0.1:40000',
  ackCode: 'AA',
  delivery: 'queued',
  attempts: 0,
  fhirResources: [],
  facts: { encounter: true, visit: `V${n}` },
  er7: `MSH|^~\\&|HIS|BV_A|HUB|SYT|20260301090000||ADT^A01|C${n}|P|2.5.1\r`,
  ...over,
});

const audit = (action: string, subject: string) => ({ actor: 'test', action, subject, data: {} });

describe.each(backends)('health repository on $name', (backend) => {
  let o: Opened;
  let s: Storage;
  beforeAll(async () => {
    o = await backend.open();
    s = o.storage;
  });
  afterAll(() => o.cleanup());

  it('registers and replaces facilities, keeping the creation time, audited', async () => {
    expect(
      await s.health.putFacility(facility('BV_B', { area: '215' }), audit('facility.register', 'BV_B')),
    ).toBe('created');
    expect(
      await s.health.putFacility(
        facility('BV_B', {
          name: 'Bệnh viện huyện',
          addresses: ['10.0.0.7'],
          createdAt: '2026-03-05T00:00:00.000Z',
          updatedAt: '2026-03-05T00:00:00.000Z',
        }),
        audit('facility.update', 'BV_B'),
      ),
    ).toBe('updated');
    await s.health.putFacility(facility('BV_A'), audit('facility.register', 'BV_A'));
    expect(await s.health.getFacility('BV_B')).toEqual({
      id: 'BV_B',
      name: 'Bệnh viện huyện',
      addresses: ['10.0.0.7'],
      createdAt: '2026-03-01T01:00:00.000Z',
      updatedAt: '2026-03-05T00:00:00.000Z',
    });
    expect(await s.health.getFacility('NONE')).toBeUndefined();
    expect((await s.health.listFacilities()).map((f) => f.id)).toEqual(['BV_A', 'BV_B']);
    const actions = (await s.audit.list({ limit: 1000 })).map((e) => `${e.action} ${e.subject}`);
    expect(actions).toEqual(['facility.register BV_B', 'facility.update BV_B', 'facility.register BV_A']);
  });

  it('stores a message once per key and lists newest first with filters and paging', async () => {
    expect(await s.health.appendMessage(message(1), audit('hl7.accept', 'm1'))).toBe('stored');
    expect(await s.health.appendMessage(message(1), audit('hl7.accept', 'm1'))).toBe('duplicate');
    await s.health.appendMessage(
      message(2, { messageType: 'ORU^R01', structure: 'ORU_R01', facts: { clinical: true, visit: 'V1' } }),
      audit('hl7.accept', 'm2'),
    );
    await s.health.appendMessage(
      message(3, {
        facility: 'BV_B',
        key: 'HIS^BV_B^C3',
        messageType: 'SIU^S12',
        structure: 'SIU_S12',
        facts: { booking: 'online' },
      }),
      audit('hl7.accept', 'm3'),
    );
    await s.health.appendMessage(
      message(4, { messageType: 'ADT^A03', structure: 'ADT_A03', facts: {} }),
      audit('hl7.accept', 'm4'),
    );
    const ids = async (f: Parameters<Storage['health']['listMessages']>[0]) =>
      (await s.health.listMessages(f)).map((m) => m.controlId);
    expect(await ids({ limit: 10 })).toEqual(['C4', 'C3', 'C2', 'C1']);
    expect(await ids({ limit: 2, offset: 1 })).toEqual(['C3', 'C2']);
    expect(await ids({ limit: 10, facility: 'BV_B' })).toEqual(['C3']);
    expect(await ids({ limit: 10, type: 'ADT' })).toEqual(['C4', 'C1']);
    expect(await ids({ limit: 10, type: 'ADT^A03' })).toEqual(['C4']);
    expect(await ids({ limit: 10, from: message(2).receivedAt, to: message(4).receivedAt })).toEqual([
      'C3',
      'C2',
    ]);
    expect(await s.health.getMessage(message(1).id)).toEqual(message(1));
    expect(await s.health.getMessage('ffffffffffffffff')).toBeUndefined();
    const audited = (await s.audit.list({ limit: 1000 })).filter((e) => e.action === 'hl7.accept');
    expect(audited.map((e) => e.subject)).toEqual(['m1', 'm2', 'm3', 'm4']);
  });

  it('records delivery outcomes, counts per facility and type, and lists KPI facts in a period', async () => {
    expect(
      await s.health.updateDelivery('HIS^BV_A^C1', {
        delivery: 'delivered',
        attempts: 2,
        at: '2026-03-01T03:00:00.000Z',
        fhirResources: ['Patient/1', 'Encounter/2'],
      }),
    ).toBe(true);
    await s.health.updateDelivery('HIS^BV_A^C2', {
      delivery: 'failed',
      attempts: 3,
      lastError: 'FHIR_REJECTED 422',
    });
    expect(await s.health.updateDelivery('HIS^NONE^X', { delivery: 'delivered', attempts: 1 })).toBe(false);
    const m1 = await s.health.getMessage(message(1).id);
    expect(m1).toMatchObject({
      delivery: 'delivered',
      attempts: 2,
      deliveredAt: '2026-03-01T03:00:00.000Z',
      fhirResources: ['Patient/1', 'Encounter/2'],
    });
    expect((await s.health.listMessages({ limit: 10, delivery: 'failed' })).map((m) => m.lastError)).toEqual([
      'FHIR_REJECTED 422',
    ]);
    expect(await s.health.countMessages()).toEqual([
      { facility: 'BV_A', messageType: 'ADT^A01', delivery: 'delivered', count: 1 },
      { facility: 'BV_A', messageType: 'ADT^A03', delivery: 'queued', count: 1 },
      { facility: 'BV_A', messageType: 'ORU^R01', delivery: 'failed', count: 1 },
      { facility: 'BV_B', messageType: 'SIU^S12', delivery: 'queued', count: 1 },
    ]);
    const facts = await s.health.listFacts(message(2).receivedAt, '2026-12-31T00:00:00.000Z');
    expect(facts.map((f) => [f.facility, f.facts])).toEqual([
      ['BV_A', { clinical: true, visit: 'V1' }],
      ['BV_B', { booking: 'online' }],
      ['BV_A', {}],
    ]);
  });

  it('keeps the outbox records in order, drops a delivered Bundle, and reads them back after a restart', async () => {
    await s.health.appendOutboxRecord('k1', 'enqueue', { op: 'enqueue', item: { id: 'k1', n: 1 } });
    await s.health.appendOutboxRecord('k2', 'enqueue', { op: 'enqueue', item: { id: 'k2', n: 2 } });
    await s.health.appendOutboxRecord('k1', 'delivered', { op: 'delivered', id: 'k1', at: 'x' });
    await s.health.appendOutboxRecord('k3', 'dead', { op: 'dead', id: 'k3', attempts: 1 });
    const again = await o.reopen();
    expect(await again.health.loadOutboxRecords()).toEqual([
      { op: 'enqueue', item: { id: 'k2', n: 2 } },
      { op: 'delivered', id: 'k1', at: 'x' },
      { op: 'dead', id: 'k3', attempts: 1 },
    ]);
    expect(await again.schemaVersion()).toBeGreaterThanOrEqual(7);
  });
});

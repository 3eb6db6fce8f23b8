/**
 * The health module on PostgreSQL (a fresh database per run, dropped afterwards): HL7 over MLLP is
 * stored, acknowledged and delivered to the FHIR server, also across a restart with the FHIR server down.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MllpClient } from '@dttm/hl7-fhir-bridge';
import { FhirTestServer } from '@dttm/hl7-fhir-bridge/testing';
import { loadConfig, silentLogger, startServer } from '../src/index.js';
import { adtMessage, siuMessage } from '../src/demo/health.js';
import { serverFixture } from './helpers.js';
import { pgAdmin } from './pg.js';

const dbName = `ioc_health_e2e_${process.pid}_${randomBytes(4).toString('hex')}`;

const clock = new Date('2026-03-02T09:00:00+07:00');
const env: Record<string, string> = {
  KPI_ALERT_INTERVAL_MS: '0',
  REPORTS_INTERVAL_MS: '0',
  HL7_MLLP_PORT: '0',
  HL7_OUTBOX_BASE_DELAY_MS: '20',
  HL7_OUTBOX_MAX_DELAY_MS: '100',
  HL7_KPI_DELAY_MS: '0',
  DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${dbName}`,
};
const f = serverFixture(env, { now: () => clock });
let fhir: FhirTestServer;

beforeAll(async () => {
  await pgAdmin(`CREATE DATABASE ${dbName}`);
  fhir = await FhirTestServer.listen();
  env.FHIR_BASE_URL = fhir.baseUrl;
  await f.start();
});
afterAll(async () => {
  await f.stop();
  await fhir.close();
  await pgAdmin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
});

const patient = (i: number) => ({
  mrn: `BN${i}`,
  cccd: `0247770${String(i).padStart(5, '0')}`,
  family: 'Đỗ',
  given: 'Thu Hà',
  birthDate: '19950909',
  sex: 'F' as const,
});

async function send(er7: string): Promise<string> {
  const client = await MllpClient.connect({ host: '127.0.0.1', port: f.ctx.server.health.port ?? 0 });
  try {
    return (await client.send(er7)).get('MSA-1') ?? '';
  } finally {
    await client.close();
  }
}

describe('health module on PostgreSQL', () => {
  it('stores, acknowledges and delivers; keeps the outbox across a restart; records the KPIs', async () => {
    expect(f.ctx.server.storage.kind).toBe('postgres');
    const reg = await fetch(new URL('/api/v1/health/facilities', f.ctx.server.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${f.ctx.token(['operator'])}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'BV_PG', name: 'Bệnh viện PG', area: '216' }),
    });
    expect(reg.status).toBe(201);
    const at = clock;
    expect(await send(adtMessage({ facility: 'BV_PG', controlId: 'P1', at }, 'A04', patient(1), 'VP1'))).toBe(
      'AA',
    );
    await f.ctx.server.health.drain();
    expect(fhir.find('Encounter', 'urn:dttm:sid:BV_PG:visit|VP1')).toHaveLength(1);

    await fhir.down();
    const start = new Date('2026-03-09T08:00:00+07:00');
    expect(
      await send(siuMessage({ facility: 'BV_PG', controlId: 'P2', at }, patient(2), 'LP2', start, 'WEB')),
    ).toBe('AA');
    await f.ctx.server.close();
    f.ctx.server = await startServer(
      loadConfig({ PORT: '0', DATA_DIR: f.ctx.dataDir, LOG_LEVEL: 'silent', DEMO: 'false', ...env }),
      silentLogger,
      { now: () => clock },
    );
    await fhir.up();
    await f.ctx.server.health.drain();
    const messages = await f.ctx.server.storage.health.listMessages({ limit: 10 });
    expect(messages.map((m) => [m.controlId, m.delivery])).toEqual([
      ['P2', 'delivered'],
      ['P1', 'delivered'],
    ]);
    expect(fhir.resources('Appointment')).toHaveLength(1);
    // Recorded when the restarted server opened the module; nothing changed since.
    expect(await f.ctx.server.health.recordKpis()).toBe(0);
    const obs = await f.ctx.server.kpi.listObservations({
      indicators: ['L2.N1.PN3.01', 'L2.N1.PN3.02'],
      limit: 10,
    });
    expect(
      obs
        .map(
          ({ observation: o }) => `${o.indicator} ${o.scope.adminUnitCode} ${o.numerator}/${o.denominator}`,
        )
        .sort(),
    ).toEqual(['L2.N1.PN3.01 216 0/1', 'L2.N1.PN3.01 24 0/1', 'L2.N1.PN3.02 216 1/1', 'L2.N1.PN3.02 24 1/1']);
    const summary = await f.ctx.server.health.summary();
    expect(summary.kpis.map((k) => [k.indicator, k.numerator, k.denominator])).toEqual([
      ['L2.N1.PN3.01', 0, 1],
      ['L2.N1.PN3.02', 1, 1],
    ]);
  });
});

/**
 * The health demo: simulated hospitals send ADT, ORU and SIU over MLLP to the health module, every
 * message is accepted and delivered to the demo's FHIR server, and both health KPIs get values.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hl7ToFhir, parseHl7 } from '@dttm/hl7-fhir-bridge';
import { createLocalBus } from '../src/events/local.js';
import { silentLogger } from '../src/index.js';
import { KpiService } from '../src/modules/kpi/service.js';
import { HealthService } from '../src/modules/health/service.js';
import {
  DEMO_FACILITIES,
  HospitalSimulator,
  startDemoFhirServer,
  startHealthDemo,
  type DemoFhirServer,
} from '../src/demo/health.js';
import { openSqliteStorage } from '../src/storage/sqlite/index.js';
import type { Storage } from '../src/storage/types.js';

let dir: string;
let storage: Storage;
let fhir: DemoFhirServer;
let kpi: KpiService;
let health: HealthService;
const bus = createLocalBus({ source: 'urn:test' });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-health-demo-'));
  storage = openSqliteStorage({ file: path.join(dir, 'ioc.sqlite') });
  fhir = await startDemoFhirServer();
  kpi = new KpiService({ repo: storage.kpi, bus, logger: silentLogger, alertIntervalMs: 0 });
  health = await HealthService.start({
    repo: storage.health,
    bus,
    logger: silentLogger,
    kpi,
    mllp: { port: 0, host: '127.0.0.1' },
    fhir: { baseUrl: fhir.baseUrl },
    kpiDelayMs: 0,
  });
});
afterAll(async () => {
  await health.close();
  await kpi.close();
  await fhir.close();
  await storage.close();
  await bus.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('health demo', () => {
  it('simulates hospitals whose every message maps to FHIR', () => {
    const sim = new HospitalSimulator('BV_X', 7, () => new Date('2026-03-02T02:00:00Z'), {
      online: 0.5,
      results: 0.7,
    });
    const types = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const er7 = sim.next();
      const m = parseHl7(er7);
      types.add(`${m.type.code}^${m.type.event}`);
      expect(() => hl7ToFhir(m), er7).not.toThrow();
    }
    expect([...types].sort()).toEqual(['ADT^A01', 'ADT^A03', 'ADT^A04', 'ORU^R01', 'SIU^S12']);
  });

  it('registers the demo facilities, seeds a history over MLLP so both KPIs have values, and keeps sending', async () => {
    const demo = await startHealthDemo({
      service: health,
      logger: silentLogger,
      intervalMs: 50,
      historyMessages: 15,
    });
    expect(health.listFacilities().map((f) => [f.id, f.area])).toEqual(
      DEMO_FACILITIES.map((f) => [f.id, f.area]),
    );
    await new Promise((r) => setTimeout(r, 300));
    await demo.close();
    await health.drain();
    const messages = await storage.health.listMessages({ limit: 1000 });
    expect(messages.length).toBeGreaterThan(30);
    expect(messages.every((m) => m.ackCode === 'AA' && m.delivery === 'delivered')).toBe(true);
    const summary = await health.summary();
    for (const k of summary.kpis) {
      expect(k.denominator).toBeGreaterThan(0);
      expect(k.value).toBe(Math.round((k.numerator / k.denominator) * 10_000) / 100);
    }
    const recorded = await kpi.listObservations({ indicators: ['L2.N1.PN3.01', 'L2.N1.PN3.02'], limit: 100 });
    expect(new Set(recorded.map((o) => o.observation.scope.adminUnitCode))).toEqual(
      new Set(['24', '213', '219']),
    );
    // A restart of the demo does not seed again.
    const before = messages.length;
    const again = await startHealthDemo({ service: health, logger: silentLogger, intervalMs: 3_600_000 });
    await again.close();
    expect((await storage.health.listMessages({ limit: 1000 })).length).toBe(before);
  });
});

import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from '../logger.js';
import { ingestReadings, registerStation, type EnvironmentDeps } from '../modules/environment/service.js';
import type { KpiService } from '../modules/kpi/service.js';
import type { ReportService } from '../modules/field-reports/service.js';
import { seedReportsDemo } from './reports.js';
import { seedDocumentsDemo, type DocumentsDemoAxis } from './documents.js';
import type { DocumentService } from '../modules/documents/service.js';
import { seedKpiDemo } from './kpi.js';
import { startHealthDemo, type HealthDemo } from './health.js';
import type { HealthService } from '../modules/health/service.js';
import { DEMO_STATIONS, seededRandom, simulatedReading } from './stations.js';
import { startCamerasDemo, type CamerasDemo } from './cameras.js';
import type { CameraService } from '../modules/cameras/service.js';

const HOUR = 3_600_000;

export interface DemoOptions {
  readonly deps: EnvironmentDeps;
  readonly logger: Logger;
  /** The KPI module to seed with the profile's observations (five years up to the last ended one). */
  readonly kpi?: KpiService;
  /** The field-report module to seed with illustrative reports (once, when it has none). */
  readonly reports?: ReportService;
  /** The document module and the simulated LGSP it talks to: agencies send it documents, it answers. */
  readonly documents?: { readonly service: DocumentService; readonly axis: DocumentsDemoAxis };
  /** The health module: demo hospitals send it HL7 v2 over MLLP (a seeded history, then one message per interval). */
  readonly health?: HealthService;
  /** The camera module: an ONVIF and an ISAPI simulator registered as cameras, emitting analytics each interval. */
  readonly cameras?: CameraService;
  /** Hours of history to seed on first start. Default 48. */
  readonly historyHours?: number;
  /** Milliseconds between live simulated readings. Default 60000. */
  readonly intervalMs?: number;
  /** Publish live readings to this broker (as real stations do); in-process when absent. */
  readonly mqtt?: { readonly url: string; readonly topicPrefix: string };
  readonly now?: () => Date;
}

export interface Demo {
  close(): Promise<void>;
}

/**
 * Demo data for a first start: the KPI profile's observations for five years across the districts,
 * the two simulated stations with their recent history, and a simulator that keeps sending readings so
 * the dashboard is alive. Seeding is idempotent (re-running stores nothing new).
 */
export async function startDemo(o: DemoOptions): Promise<Demo> {
  const now = o.now ?? (() => new Date());
  const random = seededRandom(20251);
  const lastHour = Math.floor(now().getTime() / HOUR) * HOUR;
  for (const station of DEMO_STATIONS) {
    await registerStation(o.deps, station, 'demo');
    const history = Array.from({ length: o.historyHours ?? 48 }, (_, i) =>
      simulatedReading(station, new Date(lastHour - ((o.historyHours ?? 48) - 1 - i) * HOUR), random),
    );
    await ingestReadings(o.deps, station.id, history, 'demo');
  }
  let observations = 0;
  if (o.kpi !== undefined) {
    const last = o.kpi.lastEndedYear();
    observations = (await seedKpiDemo(o.kpi, last - 4, last)).accepted;
  }
  const reports = o.reports === undefined ? 0 : await seedReportsDemo(o.reports);
  if (o.documents !== undefined) {
    await seedDocumentsDemo(o.documents.service, o.documents.axis, o.logger).catch((err: unknown) =>
      o.logger.warn('demo documents not exchanged', {
        error: err instanceof Error ? err.message : String(err),
      }),
    );
  }
  const health: HealthDemo | undefined =
    o.health === undefined
      ? undefined
      : await startHealthDemo({
          service: o.health,
          logger: o.logger,
          intervalMs: o.intervalMs ?? 60_000,
          ...(o.now ? { now: o.now } : {}),
        }).catch((err: unknown) => {
          o.logger.warn('health demo not started', {
            error: err instanceof Error ? err.message : String(err),
          });
          return undefined;
        });
  const cameras: CamerasDemo | undefined =
    o.cameras === undefined
      ? undefined
      : await startCamerasDemo({
          service: o.cameras,
          logger: o.logger,
          intervalMs: o.intervalMs ?? 60_000,
        }).catch((err: unknown) => {
          o.logger.warn('camera demo not started', {
            error: err instanceof Error ? err.message : String(err),
          });
          return undefined;
        });
  o.logger.info('demo data seeded', { stations: DEMO_STATIONS.map((s) => s.id), observations, reports });

  let client: MqttClient | undefined;
  if (o.mqtt !== undefined) {
    try {
      client = await mqtt.connectAsync(o.mqtt.url, {
        protocolVersion: 5,
        connectTimeout: 3000,
        reconnectPeriod: 5000,
      });
    } catch (err) {
      o.logger.warn('demo: MQTT broker unreachable, simulating stations in-process', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  // Live readings: one-minute means stamped with the current minute, like a station's raw feed.
  const timer = setInterval(() => {
    const minute = new Date(Math.floor(now().getTime() / 60_000) * 60_000);
    for (const station of DEMO_STATIONS) {
      const reading = { ...simulatedReading(station, minute, random), periodMinutes: 1 };
      const sent = client
        ? client.publishAsync(
            `${o.mqtt?.topicPrefix}/env/stations/${station.id}/readings`,
            JSON.stringify(reading),
            { qos: 1 },
          )
        : ingestReadings(o.deps, station.id, [reading], `demo:${station.id}`);
      sent.catch((err: unknown) =>
        o.logger.warn('demo reading not sent', {
          station: station.id,
          error: err instanceof Error ? err.message : String(err),
        }),
      );
    }
  }, o.intervalMs ?? 60_000);
  timer.unref();
  return {
    async close() {
      clearInterval(timer);
      await health?.close();
      await cameras?.close();
      await client?.endAsync();
    },
  };
}

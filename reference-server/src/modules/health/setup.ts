import fs from 'node:fs';
import type { ServerConfig } from '../../config.js';
import type { EventBus } from '../../events/types.js';
import type { Logger } from '../../logger.js';
import type { HealthRepository } from '../../storage/types.js';
import { startDemoFhirServer, type DemoFhirServer } from '../../demo/health.js';
import type { KpiService } from '../kpi/service.js';
import { HealthService } from './service.js';

export interface HealthSetup {
  readonly service: HealthService;
  /** The demo's in-process FHIR server, when the demo runs without `FHIR_BASE_URL`. */
  readonly demoFhir?: DemoFhirServer;
  /** Stops the listener and the outbox, then the demo FHIR server. */
  close(): Promise<void>;
}

/**
 * The health module as configured: the MLLP listener on `HL7_MLLP_PORT` writing to `FHIR_BASE_URL`; with
 * the demo and no FHIR server configured, an in-process FHIR test server, and a free MLLP port when none
 * is set. Without either, the registry and the API still serve (no listener).
 */
export async function openHealth(
  config: ServerConfig,
  deps: {
    readonly repo: HealthRepository;
    readonly bus: EventBus;
    readonly logger: Logger;
    readonly kpi: KpiService;
    readonly now?: () => Date;
  },
): Promise<HealthSetup> {
  const h = config.health;
  const demoFhir = config.demo && h.fhirBaseUrl === undefined ? await startDemoFhirServer() : undefined;
  const fhirBaseUrl = h.fhirBaseUrl ?? demoFhir?.baseUrl;
  const mllpPort = h.mllpPort ?? (config.demo ? 0 : undefined);
  const tlsOptions =
    h.tls === undefined
      ? undefined
      : {
          cert: fs.readFileSync(h.tls.certFile),
          key: fs.readFileSync(h.tls.keyFile),
          ...(h.tls.caFile === undefined
            ? {}
            : { ca: fs.readFileSync(h.tls.caFile), requestCert: true, rejectUnauthorized: true }),
        };
  let service: HealthService;
  try {
    service = await HealthService.start({
      ...deps,
      ...(mllpPort === undefined
        ? {}
        : {
            mllp: {
              port: mllpPort,
              host: h.mllpHost,
              ...(tlsOptions === undefined ? {} : { tls: tlsOptions }),
            },
          }),
      ...(fhirBaseUrl === undefined
        ? {}
        : { fhir: { baseUrl: fhirBaseUrl, ...(h.fhirToken === undefined ? {} : { token: h.fhirToken }) } }),
      outbox: { baseDelayMs: h.outboxBaseDelayMs, maxDelayMs: h.outboxMaxDelayMs },
      kpiDelayMs: h.kpiDelayMs,
      ...(h.facilitiesFile === undefined ? {} : { facilitiesFile: h.facilitiesFile }),
    });
  } catch (err) {
    await demoFhir?.close();
    throw err;
  }
  if (service.port !== undefined)
    deps.logger.info('HL7 MLLP listener started', {
      host: h.mllpHost,
      port: service.port,
      tls: h.tls === undefined ? 'off' : h.tls.caFile === undefined ? 'on' : 'client certificates',
      fhir: fhirBaseUrl,
    });
  await service.recordKpis();
  return {
    service,
    ...(demoFhir === undefined ? {} : { demoFhir }),
    async close() {
      await service.close();
      await demoFhir?.close();
    },
  };
}

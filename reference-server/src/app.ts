import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { rateLimitedVerify, type Verify } from './http/auth.js';
import type { Logger } from './logger.js';
import { accessRoutes } from './modules/access/routes.js';
import { auditRoutes } from './modules/audit/routes.js';
import { eventRoutes, type EventStreams } from './modules/events/routes.js';
import { environmentRoutes } from './modules/environment/routes.js';
import { alertRoutes, kpiRoutes } from './modules/kpi/routes.js';
import type { KpiService } from './modules/kpi/service.js';
import { publicReportRoutes, reportRoutes } from './modules/field-reports/routes.js';
import { TokenBuckets, type RateLimitOptions } from './modules/field-reports/rate-limit.js';
import type { ReportService } from './modules/field-reports/service.js';
import { eventVisibility } from './modules/events/visibility.js';
import { healthRoutes } from './modules/health/routes.js';
import type { HealthService } from './modules/health/service.js';
import { cameraRoutes, incidentRoutes, watchlistRoutes } from './modules/cameras/routes.js';
import type { CameraService } from './modules/cameras/service.js';
import { documentRoutes } from './modules/documents/routes.js';
import type { DocumentService } from './modules/documents/service.js';
import type { EventBus } from './events/types.js';
import { HttpProblem, notFound, problemHandler, sendProblem } from './http/problem.js';
import { openApiValidator } from './http/validate.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import type { Storage } from './storage/types.js';
import openapiDocument from './generated/openapi.json';
import type { components } from './generated/reference-server.js';
import { version } from '../package.json';

export interface AppOptions {
  readonly storage: Storage;
  readonly logger: Logger;
  /** Verifies bearer tokens (see `createVerifier`). */
  readonly verify: Verify;
  readonly bus: EventBus;
  /** Told after readings of a station are stored (the AQI threshold monitor). */
  readonly onReadings?: (stationId: string) => void;
  /** The KPI module (catalogue, observations, scorecards, alerts). */
  readonly kpi: KpiService;
  /** Citizens' field reports. */
  readonly reports: ReportService;
  /** Requests per authenticated caller (token subject); absent or `perMinute` 0: no limit. */
  readonly apiRateLimit?: RateLimitOptions;
  /** Report submissions per client address. Default a burst of 5, then 2 per minute. */
  readonly reportRateLimit?: RateLimitOptions;
  /** Express "trust proxy" setting: which proxies' `X-Forwarded-For` gives the client address. */
  readonly trustProxy?: string;
  /** Keep-alive interval of Server-Sent Events streams. */
  readonly sseHeartbeatMs?: number;
  /** Prometheus metrics; a fresh registry when absent. */
  readonly metrics?: Metrics;
  /** Monotonic clock in milliseconds, for uptime and latencies. */
  readonly monotonicNow?: () => number;
  /** Folder of the dashboard's static files. */
  readonly webRoot?: string;
  /** Hospitals' HL7 v2 feeds, their FHIR delivery and the health KPIs (`/api/v1/health/...`). */
  readonly health?: HealthService;
  /** Cameras, their incidents and the plate watch list. */
  readonly cameras?: CameraService;
  /** Official documents through the LGSP; absent when no axis is configured (503 LGSP_NOT_CONFIGURED). */
  readonly documents?: DocumentService;
  /** JSON body limit of a document to send (base64 attachments). Default 8 MiB. */
  readonly documentBodyLimitBytes?: number;
}

type Schemas = components['schemas'];

export const SERVICE_NAME = '@dttm/reference-server';
export const SERVICE_VERSION: string = version;

/** The default dashboard folder, beside `src/` and `dist/`. */
export function defaultWebRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'web');
}

export interface IocApp {
  readonly app: Express;
  /** Ends long-lived responses (SSE) so shutdown does not wait for them. */
  readonly closeStreams: () => void;
}

/** Composes the IOC's HTTP modules. No business logic lives here. */
export function createApp(options: AppOptions): IocApp {
  const now = options.monotonicNow ?? (() => performance.now());
  const startedAt = now();
  const app = express();
  app.disable('x-powered-by');
  if (options.trustProxy !== undefined) {
    const hops = /^\d+$/.test(options.trustProxy) ? Number(options.trustProxy) : undefined;
    app.set('trust proxy', hops ?? options.trustProxy.split(',').map((x) => x.trim()));
  }
  app.set('etag', false);
  const metrics = options.metrics ?? createMetrics();
  app.use(metrics.middleware);

  app.get('/health', (_req, res) => {
    const body: Schemas['Health'] = {
      status: 'ok',
      service: SERVICE_NAME,
      version: SERVICE_VERSION,
      uptimeSeconds: Math.max(0, (now() - startedAt) / 1000),
    };
    res.json(body);
  });

  app.get('/ready', async (_req, res) => {
    const t0 = now();
    try {
      await options.storage.ping();
      const body: Schemas['Readiness'] = {
        status: 'ready',
        checks: { storage: { status: 'up', kind: options.storage.kind, latencyMs: now() - t0 } },
      };
      res.json(body);
    } catch (err) {
      options.logger.warn('readiness check failed', {
        error: err instanceof Error ? err.message : String(err),
      });
      const checks: Schemas['ReadinessChecks'] = {
        storage: {
          status: 'down',
          kind: options.storage.kind,
          latencyMs: now() - t0,
          error: err instanceof Error ? err.message : String(err),
        },
      };
      const problem = new HttpProblem(503, 'NOT_READY', 'Service Unavailable', 'Storage is not reachable', {
        checks,
      });
      sendProblem(res, problem.toProblem('/ready'));
    }
  });

  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  // A readable rendering of the specification (web/docs.html), with no external assets.
  app.get('/docs', (_req, res) => {
    res.sendFile(path.join(options.webRoot ?? defaultWebRoot(), 'docs.html'));
  });

  app.get('/openapi.json', (_req, res) => {
    res.json(openapiDocument);
  });

  // Every authenticated route verifies through this: the token, then the caller's request rate.
  const limit = options.apiRateLimit;
  const verify =
    limit === undefined || limit.perMinute <= 0
      ? options.verify
      : rateLimitedVerify(options.verify, new TokenBuckets(limit));

  // One validator compiled from the specification, applied inside each router after authentication.
  const validate = openApiValidator(openapiDocument);
  // Citizens' public endpoints parse their own bodies (rate limited first, a larger limit for photos).
  app.use(
    '/api/v1/public',
    publicReportRoutes(options.reports, validate, {
      rateLimit: options.reportRateLimit ?? { burst: 5, perMinute: 2 },
    }),
  );
  // Documents parse their own bodies (after authentication; a larger limit for base64 attachments).
  app.use(
    '/api/v1/documents',
    documentRoutes(options.documents, verify, validate, {
      bodyLimitBytes: options.documentBodyLimitBytes ?? 8 * 1024 * 1024,
    }),
  );
  app.use(express.json({ limit: '1mb' }));
  app.use('/api/v1/me', accessRoutes(verify, validate));
  app.use('/api/v1/audit', auditRoutes(options.storage.audit, verify, validate));
  app.use(
    '/api/v1/environment',
    environmentRoutes(
      {
        repo: options.storage.environment,
        bus: options.bus,
        ...(options.onReadings === undefined ? {} : { onReadings: options.onReadings }),
      },
      verify,
      validate,
    ),
  );
  app.use('/api/v1/kpi', kpiRoutes(options.kpi, verify, validate));
  app.use('/api/v1/alerts', alertRoutes(options.kpi, verify, validate));
  app.use('/api/v1/reports', reportRoutes(options.reports, verify, validate));
  if (options.health !== undefined) app.use('/api/v1/health', healthRoutes(options.health, verify, validate));
  if (options.cameras !== undefined) {
    app.use('/api/v1/cameras', cameraRoutes(options.cameras, verify, validate));
    app.use('/api/v1/incidents', incidentRoutes(options.cameras, verify, validate));
    app.use('/api/v1/watchlist', watchlistRoutes(options.cameras, verify, validate));
  }
  const events: EventStreams = eventRoutes(options.bus, verify, validate, {
    ...(options.sseHeartbeatMs === undefined ? {} : { heartbeatMs: options.sseHeartbeatMs }),
    clients: metrics.sseClients,
    canSee: eventVisibility(options.kpi, options.storage.environment),
  });
  app.use('/api/v1/events', events.router);

  app.use(express.static(options.webRoot ?? defaultWebRoot(), { index: 'index.html', fallthrough: true }));

  app.use(notFound);
  app.use(problemHandler(options.logger));
  return { app, closeStreams: () => events.closeAll() };
}

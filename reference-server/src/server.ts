import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { createMetrics } from './http/metrics.js';
import type { ServerConfig } from './config.js';
import type { Logger } from './logger.js';
import { ensureDemoIssuer } from './auth/demo.js';
import { jwksFileSource, jwksUrlSource, type KeySource } from './auth/keys.js';
import { createVerifier } from './auth/verify.js';
import { createLocalBus } from './events/local.js';
import { createNatsBus } from './events/nats.js';
import type { EventBus } from './events/types.js';
import { startDemo, type Demo } from './demo/index.js';
import { startMqttIngest, type MqttIngest } from './modules/environment/mqtt.js';
import { KpiService } from './modules/kpi/service.js';
import { recordEnvironmentKpis } from './modules/environment/kpi-feed.js';
import { ThresholdMonitor } from './modules/environment/thresholds.js';
import { ReadingRetention } from './modules/environment/retention.js';
import { recordReportKpis } from './modules/field-reports/kpi-feed.js';
import { ReportService } from './modules/field-reports/service.js';
import type { HealthService } from './modules/health/service.js';
import { openHealth } from './modules/health/setup.js';
import { recordCameraKpis } from './modules/cameras/kpi-feed.js';
import { CameraSecrets, loadCameraSecretKey } from './modules/cameras/secrets.js';
import { CameraService } from './modules/cameras/service.js';
import { openStorage } from './storage/index.js';
import { startDocumentsAxisDemo, type DocumentsDemoAxis } from './demo/documents.js';
import type { DocumentService } from './modules/documents/service.js';
import { openDocumentService } from './modules/documents/setup.js';
import type { Storage } from './storage/types.js';

export interface RunningServer {
  /** Base URL, e.g. `http://localhost:8080/`. */
  readonly url: string;
  readonly port: number;
  readonly storage: Storage;
  readonly bus: EventBus;
  /** MQTT ingestion, when configured; `ready` resolves once subscribed. */
  readonly mqtt: MqttIngest | undefined;
  /** The KPI module (tests re-derive alerts through it). */
  readonly kpi: KpiService;
  /** VN_AQI threshold alerts of the stations. */
  readonly thresholds: ThresholdMonitor;
  /** Retention of the stations' raw readings (tests run a round through it). */
  readonly retention: ReadingRetention;
  /** Citizens' field reports (tests run its escalation round through it). */
  readonly reports: ReportService;
  /** Hospitals' HL7 v2 over MLLP, their FHIR delivery and the health KPIs. */
  readonly health: HealthService;
  /** Cameras, their subscriptions and incidents. */
  readonly cameras: CameraService;
  /** Official documents through the LGSP; undefined when no axis is configured. */
  readonly documents: DocumentService | undefined;
  /** Stops accepting connections, drains in-flight requests (up to the shutdown timeout), closes storage. */
  close(): Promise<void>;
}

/** The trusted token-signing keys: the configured JWKS, or the embedded demo issuer's. */
export function keySource(config: ServerConfig): KeySource {
  const jwks = config.auth.jwks;
  if (jwks.kind === 'file') return jwksFileSource(jwks.file);
  if (jwks.kind === 'url') return jwksUrlSource(jwks.url);
  return jwksFileSource(ensureDemoIssuer(config.dataDir).jwksFile);
}

/** The event bus: NATS JetStream when configured, in-process otherwise. */
export async function openBus(config: ServerConfig, logger: Logger): Promise<EventBus> {
  const source = `urn:dttm:ioc:${randomUUID()}`;
  if (config.eventBusUrl === undefined) return createLocalBus({ source });
  return createNatsBus({
    source,
    url: config.eventBusUrl,
    onError: (err) =>
      logger.error('event bus error', { error: err instanceof Error ? err.message : String(err) }),
  });
}

export interface StartOptions {
  /** Keep-alive interval of SSE streams (tests shorten it). */
  readonly sseHeartbeatMs?: number;
  /** Wall clock of the KPI module (tests fix it). */
  readonly now?: () => Date;
}

/** Closes what was opened, one after the other in the order given (the most recently opened first). */
async function closeInOrder(...items: ({ close(): Promise<void> } | undefined)[]): Promise<void> {
  for (const item of items) await item?.close();
}

/** Opens storage and the event bus, builds the app and listens. */
export async function startServer(
  config: ServerConfig,
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningServer> {
  const storage = await openStorage({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    sqliteIngestThread: config.sqliteIngestThread,
    onWarning: (message, err) => logger.warn(message, { error: err.message }),
  });
  const metrics = createMetrics();
  let bus: EventBus;
  try {
    const inner = await openBus(config, logger);
    // One counter child per event type (prom-client otherwise hashes the labels on every call).
    const counted = new Map<string, { inc: (n?: number) => void }>();
    const count = (type: string, n: number) => {
      let counter = counted.get(type);
      if (counter === undefined) {
        counter = metrics.eventsPublished.labels({ type });
        counted.set(type, counter);
      }
      counter.inc(n);
    };
    bus = {
      ...inner,
      async publish(type, data, opts) {
        const event = await inner.publish(type, data, opts);
        count(type, 1);
        return event;
      },
      async publishAll(type, items) {
        if (items.length === 0) return [];
        const events = await inner.publishAll(type, items);
        count(type, events.length);
        return events;
      },
    };
  } catch (err) {
    await storage.close();
    throw err;
  }
  const verify = createVerifier({
    keys: keySource(config),
    issuer: config.auth.issuer,
    audience: config.auth.audience,
  });
  const kpi = new KpiService({
    repo: storage.kpi,
    bus,
    logger,
    alertIntervalMs: config.kpiAlertIntervalMs,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  // Raw readings past their retention are folded into hourly means (first round shortly after start).
  const retention = new ReadingRetention({
    repo: storage.environment,
    logger,
    rawRetentionDays: config.readingsRawRetentionDays,
    intervalMs: config.retentionIntervalMs,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const thresholds = new ThresholdMonitor({
    environment: storage.environment,
    alerts: storage.kpi,
    bus,
    logger,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  // Overdue field reports are escalated, then the citizens' feedback KPIs (L1.*) recorded, each round.
  const reportKpis = () =>
    recordReportKpis({
      repo: storage.reports,
      kpi,
      logger,
      ...(options.now ? { now: options.now } : {}),
    }).catch((err: unknown) =>
      logger.warn('field-report KPIs not recorded', {
        error: err instanceof Error ? err.message : String(err),
      }),
    );
  const reports = new ReportService({
    repo: storage.reports,
    bus,
    logger,
    intervalMs: config.reportsIntervalMs,
    onTick: reportKpis,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  // Hospitals' HL7 v2: the MLLP listener and its FHIR server (the demo's own when none is configured).
  const health = await openHealth(config, {
    repo: storage.health,
    bus,
    logger,
    kpi,
    ...(options.now === undefined ? {} : { now: options.now }),
  }).catch(async (err: unknown) => {
    await closeInOrder(reports, retention, thresholds, kpi, bus, storage);
    throw err;
  });
  // Official documents: the configured LGSP, or the demo's simulated one, or off.
  let documentsDemo: DocumentsDemoAxis | undefined;
  let documents: DocumentService | undefined;
  try {
    if (config.lgsp === undefined && config.demo)
      documentsDemo = await startDocumentsAxisDemo(config.dataDir);
    documents = await openDocumentService(config, {
      repo: storage.documents,
      bus,
      logger,
      ...(documentsDemo !== undefined ? { fallback: documentsDemo } : {}),
    });
  } catch (err) {
    await closeInOrder(documentsDemo, reports, retention, thresholds, kpi, bus, storage);
    throw err;
  }
  // Cameras: subscriptions run by the server; the coverage KPI (L2.N2.PN2.01) follows the registry.
  const profile = kpi.defaultProfile.profile;
  let cameraKpis: () => Promise<unknown> = () => Promise.resolve();
  const cameras = new CameraService({
    repo: storage.cameras,
    bus,
    logger,
    secrets: new CameraSecrets(loadCameraSecretKey(config.cameras.secretKey, config.dataDir)),
    dedupWindowMs: config.cameras.dedupWindowMs,
    healthIntervalMs: config.cameras.healthIntervalMs,
    maxReconnectDelayMs: config.cameras.reconnectMaxMs,
    // Instances sharing the database run each camera's subscription once, under a lease.
    instanceId: bus.source,
    leaseTtlMs: config.cameras.leaseTtlMs,
    leaseRenewMs: config.cameras.leaseRenewMs,
    province: {
      adminUnitCode: profile.area?.adminUnitCode ?? '',
      districts: (profile.subareas ?? []).map((s) => s.adminUnitCode),
    },
    onRegistryChange: () => cameraKpis(),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  cameraKpis = () =>
    recordCameraKpis({ cameras, kpi, logger, ...(options.now ? { now: options.now } : {}) }).catch(
      (err: unknown) =>
        logger.warn('camera KPIs not recorded', { error: err instanceof Error ? err.message : String(err) }),
    );
  const environmentDeps = {
    repo: storage.environment,
    bus,
    onReadings: (id: string) => thresholds.readingsStored(id),
  };
  const { app, closeStreams } = createApp({
    storage,
    logger,
    verify,
    bus,
    kpi,
    reports,
    health: health.service,
    ...(documents === undefined ? {} : { documents }),
    documentBodyLimitBytes: Math.ceil(config.documents.maxAttachmentBytes * 1.4) + 256 * 1024,
    cameras,
    reportRateLimit: config.reportRateLimit,
    apiRateLimit: config.apiRateLimit,
    ...(config.trustProxy === undefined ? {} : { trustProxy: config.trustProxy }),
    onReadings: environmentDeps.onReadings,
    metrics,
    ...(options.sseHeartbeatMs === undefined ? {} : { sseHeartbeatMs: options.sseHeartbeatMs }),
  });
  const server = http.createServer(app);
  server.keepAliveTimeout = 5_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await closeInOrder(
      health,
      documents,
      documentsDemo,
      cameras,
      reports,
      retention,
      thresholds,
      kpi,
      bus,
      storage,
    );
    throw err;
  }
  let ingest: MqttIngest | undefined;
  if (config.mqtt !== undefined) {
    ingest = startMqttIngest({
      ...config.mqtt,
      deps: environmentDeps,
      logger,
      onOutcome: (outcome) => metrics.mqttMessages.inc({ outcome }),
    });
  }
  // The event subscriptions of the registered cameras.
  await cameras.start();
  let demo: Demo | undefined;
  if (config.demo) {
    demo = await startDemo({
      deps: environmentDeps,
      logger,
      kpi,
      reports,
      cameras,
      health: health.service,
      ...(documents !== undefined && documentsDemo !== undefined
        ? { documents: { service: documents, axis: documentsDemo } }
        : {}),
      intervalMs: config.demoIntervalMs,
      ...(config.mqtt === undefined
        ? {}
        : { mqtt: { url: config.mqtt.url, topicPrefix: config.mqtt.topicPrefix } }),
    });
  }
  // The environment KPIs (L2.N3.*) follow the stations' data: now, then with each alert round.
  const feed = () =>
    recordEnvironmentKpis({
      repo: storage.environment,
      kpi,
      logger,
      ...(options.now ? { now: options.now } : {}),
    }).catch((err: unknown) =>
      logger.warn('environment KPIs not recorded', {
        error: err instanceof Error ? err.message : String(err),
      }),
    );
  await feed();
  // Retention in the background: a large first fold must not delay start-up.
  void retention.runOnce().catch((err: unknown) =>
    logger.warn('reading retention round failed', {
      error: err instanceof Error ? err.message : String(err),
    }),
  );
  await cameraKpis();
  // A first round now: reports that passed their deadline while the server was down are escalated.
  await reports.tick().catch((err: unknown) =>
    logger.warn('field-report round failed', {
      error: err instanceof Error ? err.message : String(err),
    }),
  );
  const feedTimer =
    config.kpiAlertIntervalMs > 0 ? setInterval(() => void feed(), config.kpiAlertIntervalMs) : undefined;
  feedTimer?.unref();
  const { port } = server.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}/`;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      closeStreams();
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
      await drained;
      clearTimeout(timer);
      if (feedTimer !== undefined) clearInterval(feedTimer);
      await closeInOrder(
        demo,
        ingest,
        health,
        documents,
        documentsDemo,
        cameras,
        reports,
        retention,
        thresholds,
        kpi,
        bus,
        storage,
      );
    })();
    return closing;
  };
  return {
    url,
    port,
    storage,
    bus,
    mqtt: ingest,
    kpi,
    thresholds,
    retention,
    reports,
    health: health.service,
    cameras,
    documents,
    close,
  };
}

import os from 'node:os';
import path from 'node:path';
import { isAgencyCode } from '@dttm/lgsp-client';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Typed server configuration. Only this module reads the environment. */
export interface ServerConfig {
  /** TCP port; 0 picks a free one. Env `PORT`, default 8080. */
  readonly port: number;
  /** Interface to bind. Env `HOST`, default `127.0.0.1` (set `0.0.0.0` to serve the network). */
  readonly host: string;
  /** Folder for the embedded database and other local state. Env `DATA_DIR`, default `./data`. */
  readonly dataDir: string;
  /** Milliseconds to drain connections on SIGTERM/SIGINT before closing them. Env `SHUTDOWN_TIMEOUT_MS`, default 10000. */
  readonly shutdownTimeoutMs: number;
  /** Env `LOG_LEVEL`: debug | info | warn | error | silent. Default `info`. */
  readonly logLevel: LogLevel;
  /** Env `DATABASE_URL` (`postgres://…`): use PostgreSQL instead of the embedded SQLite file. */
  readonly databaseUrl?: string;
  /**
   * Env `SQLITE_INGEST_THREAD`: on the embedded database, observation and reading batches are written
   * on a thread of their own (default true); `false` writes them on the main thread.
   */
  readonly sqliteIngestThread: boolean;
  readonly auth: AuthConfig;
  /** Env `EVENT_BUS_URL` (`nats://host:4222`): share events between instances through NATS JetStream. */
  readonly eventBusUrl?: string;
  /** Readings over MQTT; absent when `MQTT_URL` is not set. */
  readonly mqtt?: MqttConfig;
  /** Seed demo data and run the station simulator. Env `DEMO` (default on), or `--no-demo`. */
  readonly demo: boolean;
  /** Env `DEMO_INTERVAL_MS`: milliseconds between simulated readings. Default 60000. */
  readonly demoIntervalMs: number;
  /** Env `KPI_ALERT_INTERVAL_MS`: how often KPI alerts are re-derived without new data (due dates pass). Default 600000; 0 disables. */
  readonly kpiAlertIntervalMs: number;
  /** Env `REPORTS_INTERVAL_MS`: how often overdue field reports are escalated and their KPIs recorded. Default 60000; 0 disables. */
  readonly reportsIntervalMs: number;
  /** Env `READINGS_RAW_RETENTION_DAYS`: sub-hourly readings older than this are folded into hourly means. Default 30; 0 keeps them. */
  readonly readingsRawRetentionDays: number;
  /** Env `RETENTION_INTERVAL_MS`: how often the retention round runs. Default 3600000; 0 disables. */
  readonly retentionIntervalMs: number;
  /** Env `REPORTS_RATE_BURST` (default 5) and `REPORTS_RATE_PER_MINUTE` (default 2): report submissions per client address. */
  readonly reportRateLimit: { readonly burst: number; readonly perMinute: number };
  /**
   * Env `API_RATE_BURST` (default 1000) and `API_RATE_PER_MINUTE` (default 12000, i.e. 200 a second):
   * requests per authenticated caller (token subject), beyond which the answer is 429 with
   * `Retry-After`. `API_RATE_PER_MINUTE=0` turns the limit off.
   */
  readonly apiRateLimit: { readonly burst: number; readonly perMinute: number };
  /**
   * Env `TRUST_PROXY`: which reverse proxies' `X-Forwarded-For` names the client (Express "trust proxy":
   * `loopback`, a hop count, or comma-separated addresses/CIDRs). Unset: the socket's peer is the client.
   */
  readonly trustProxy?: string;
  /** Hospitals' HL7 v2 over MLLP, delivered to a FHIR server. */
  readonly health: HealthConfig;
  /** Cameras: subscriptions, health, incidents, stored credentials. */
  readonly cameras: CamerasConfig;
  /** The provincial LGSP document axis; absent when `LGSP_URL` is not set (the demo then simulates one). */
  readonly lgsp?: LgspConfig;
  /** Official documents: polling, signing and verification. */
  readonly documents: DocumentsConfig;
}

export interface LgspConfig {
  /** Env `LGSP_URL`: base URL of the gateway, e.g. `https://lgsp.bacgiang.gov.vn:8243`. */
  readonly url: string;
  /** Env `LGSP_AXIS_PATH`: path of the document axis on the gateway, e.g. `/edoc/1.0`. Default none. */
  readonly axisPath?: string;
  /** Env `LGSP_SYSTEM_ID` and `LGSP_SECRET_KEY`: the axis account (`X-SystemId`/`X-SecretKey`). Required with `LGSP_URL`. */
  readonly systemId: string;
  readonly secretKey: string;
  /** Env `LGSP_AGENCY_CODE`: our agency code (mã định danh, `AAA.BB.CC.Lnn`). Required with `LGSP_URL`. */
  readonly agencyCode: string;
  /** Env `LGSP_AGENCY_NAME`: our agency's name in outgoing packages. */
  readonly agencyName?: string;
  /**
   * Env `LGSP_TOKEN_URL`, `LGSP_CLIENT_ID`, `LGSP_CLIENT_SECRET` (all three or none): a gateway that also
   * wants an OAuth2 client-credentials bearer token (WSO2) besides the axis account.
   */
  readonly oauth2?: { readonly tokenUrl: string; readonly clientId: string; readonly clientSecret: string };
}

export interface DocumentsConfig {
  /** Env `LGSP_POLL_INTERVAL_MS`: how often the inbox polls the axis. Default 30000; 0 disables polling. */
  readonly pollIntervalMs: number;
  /** Env `DOCUMENT_SIGNING_KEY` and `DOCUMENT_SIGNING_CERT`: PEM files of the key and certificate chain (signer first) signing outgoing documents. Required with `LGSP_URL`. */
  readonly signingKeyFile?: string;
  readonly signingCertFile?: string;
  /** Env `DOCUMENT_TRUST_ANCHORS`: folder of trust anchors (`.pem`, `.cer`, `.crt`) and CRLs (`.crl`). Unset: the bundled Vietnamese roots. */
  readonly trustAnchorsDir?: string;
  /** Env `DOCUMENT_MAX_ATTACHMENT_BYTES`: largest decoded attachment of an outgoing document. Default 5242880 (5 MiB). */
  readonly maxAttachmentBytes: number;
  /** Env `LGSP_RETRY_BASE_DELAY_MS`: first delay before the outbox sends again after a failure (doubling, with jitter). Default 2000. */
  readonly retryBaseDelayMs: number;
  /** Env `LGSP_STORE_RETENTION_DAYS`: sent outbox entries and settled inbox records older than this are pruned (daily). Default 90. */
  readonly storeRetentionDays: number;
}

export interface HealthConfig {
  /** Env `HL7_MLLP_PORT`: TCP port of the MLLP listener (0: a free one). Unset: no listener, except with the demo (a free port). */
  readonly mllpPort?: number;
  /** Env `HL7_MLLP_HOST`: interface of the MLLP listener. Default `127.0.0.1`. */
  readonly mllpHost: string;
  /** Env `HL7_FACILITIES_FILE`: a JSON array of facilities (`{ id, name, area?, addresses? }`) registered at start. */
  readonly facilitiesFile?: string;
  /** Env `FHIR_BASE_URL`: the FHIR R4 server messages are written to. Required with `HL7_MLLP_PORT` (the demo starts its own). */
  readonly fhirBaseUrl?: string;
  /** Env `FHIR_TOKEN`: bearer token for the FHIR server. */
  readonly fhirToken?: string;
  /** Env `HL7_OUTBOX_BASE_DELAY_MS` (default 500) and `HL7_OUTBOX_MAX_DELAY_MS` (default 30000): backoff between FHIR delivery attempts. */
  readonly outboxBaseDelayMs: number;
  readonly outboxMaxDelayMs: number;
  /**
   * Env `HL7_MLLP_TLS_CERT` and `HL7_MLLP_TLS_KEY` (PEM files, together): MLLP over TLS. With `HL7_MLLP_TLS_CA`
   * (PEM of certificate authorities) a facility must present a client certificate issued by one of them.
   */
  readonly tls?: { readonly certFile: string; readonly keyFile: string; readonly caFile?: string };
  /** Env `HL7_KPI_DELAY_MS`: after a new message, the health KPIs are recomputed this much later (one round per burst). Default 2000; 0: only at start. */
  readonly kpiDelayMs: number;
}

/** The HL7 v2 listener and its FHIR server. */
function healthConfig(env: NodeJS.ProcessEnv, cwd: string, demo: boolean): HealthConfig {
  const rawPort = env.HL7_MLLP_PORT?.trim();
  const mllpPort = rawPort ? integer(env, 'HL7_MLLP_PORT', 0, 0, 65535) : undefined;
  const mllpHost = env.HL7_MLLP_HOST?.trim() || '127.0.0.1';
  const fhirBaseUrl = env.FHIR_BASE_URL?.trim().replace(/\/+$/, '');
  if (fhirBaseUrl && !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(fhirBaseUrl))
    throw new ConfigError('FHIR_BASE_URL', 'expected an http(s) URL');
  if (mllpPort !== undefined && !fhirBaseUrl && !demo)
    throw new ConfigError(
      'FHIR_BASE_URL',
      'required with HL7_MLLP_PORT: the FHIR R4 server messages are written to',
    );
  const facilitiesFile = env.HL7_FACILITIES_FILE?.trim();
  const pem = (name: string) => {
    const v = env[name]?.trim();
    return v ? path.resolve(cwd, v) : undefined;
  };
  const certFile = pem('HL7_MLLP_TLS_CERT');
  const keyFile = pem('HL7_MLLP_TLS_KEY');
  const caFile = pem('HL7_MLLP_TLS_CA');
  if ((certFile === undefined) !== (keyFile === undefined))
    throw new ConfigError(
      certFile === undefined ? 'HL7_MLLP_TLS_CERT' : 'HL7_MLLP_TLS_KEY',
      'set HL7_MLLP_TLS_CERT and HL7_MLLP_TLS_KEY together',
    );
  if (caFile !== undefined && certFile === undefined)
    throw new ConfigError(
      'HL7_MLLP_TLS_CA',
      'client certificates need TLS: set HL7_MLLP_TLS_CERT and HL7_MLLP_TLS_KEY',
    );
  const fhirToken = env.FHIR_TOKEN?.trim();
  const outboxBaseDelayMs = integer(env, 'HL7_OUTBOX_BASE_DELAY_MS', 500, 1, 3_600_000);
  const outboxMaxDelayMs = integer(env, 'HL7_OUTBOX_MAX_DELAY_MS', 30_000, 1, 86_400_000);
  if (outboxMaxDelayMs < outboxBaseDelayMs)
    throw new ConfigError('HL7_OUTBOX_MAX_DELAY_MS', 'must not be less than HL7_OUTBOX_BASE_DELAY_MS');
  return {
    ...(mllpPort === undefined ? {} : { mllpPort }),
    mllpHost,
    ...(facilitiesFile ? { facilitiesFile: path.resolve(cwd, facilitiesFile) } : {}),
    ...(certFile !== undefined && keyFile !== undefined
      ? { tls: { certFile, keyFile, ...(caFile === undefined ? {} : { caFile }) } }
      : {}),
    ...(fhirBaseUrl ? { fhirBaseUrl } : {}),
    ...(fhirToken ? { fhirToken } : {}),
    outboxBaseDelayMs,
    outboxMaxDelayMs,
    kpiDelayMs: integer(env, 'HL7_KPI_DELAY_MS', 2000, 0, 86_400_000),
  };
}

export interface MqttConfig {
  /** Env `MQTT_URL`, e.g. `mqtt://127.0.0.1:1883`. */
  readonly url: string;
  /** Env `MQTT_CLIENT_ID`, default `ioc-reference-server-<hostname>`: give each instance its own. */
  readonly clientId: string;
  /** Env `MQTT_TOPIC_PREFIX`, default `ioc` (topics `<prefix>/env/stations/<id>/readings`). */
  readonly topicPrefix: string;
  /** Env `MQTT_SHARE_GROUP`, default `ioc-reference-server`; empty for a plain subscription. */
  readonly shareGroup?: string;
}

/** Where bearer tokens come from. */
export interface AuthConfig {
  /** Env `AUTH_ISSUER`, default `urn:dttm:ioc:demo`. */
  readonly issuer: string;
  /** Env `AUTH_AUDIENCE`, default `ioc-reference-server`. */
  readonly audience: string;
  /**
   * Env `AUTH_JWKS_FILE` or `AUTH_JWKS_URL` (one of them). When neither is set, the server runs its
   * own demo issuer with keys under `DATA_DIR/keys/` (mint tokens with `npm run ioc -- token mint`).
   */
  readonly jwks:
    | { readonly kind: 'file'; readonly file: string }
    | { readonly kind: 'url'; readonly url: string }
    | { readonly kind: 'demo' };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/** A true/false variable (`true`/`false`, `1`/`0`, `yes`/`no`, any case); `fallback` when unset. */
function boolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = (env[name] ?? String(fallback)).trim().toLowerCase();
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(name, `expected true or false, got "${env[name]}"`);
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `expected an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** The LGSP document axis settings, when `LGSP_URL` is set. */
function lgspConfig(env: NodeJS.ProcessEnv): LgspConfig | undefined {
  const url = env.LGSP_URL?.trim();
  if (!url) return undefined;
  if (!/^https?:\/\/[^\s/]+(\/\S*)?$/.test(url)) throw new ConfigError('LGSP_URL', 'expected an http(s) URL');
  const required = (name: string) => {
    const v = env[name]?.trim();
    if (!v) throw new ConfigError(name, 'required with LGSP_URL');
    return v;
  };
  const agencyCode = required('LGSP_AGENCY_CODE');
  if (!isAgencyCode(agencyCode))
    throw new ConfigError('LGSP_AGENCY_CODE', `expected an agency code AAA.BB.CC.Lnn, got "${agencyCode}"`);
  const axisPath = env.LGSP_AXIS_PATH?.trim();
  if (axisPath && !/^\/\S*$/.test(axisPath))
    throw new ConfigError('LGSP_AXIS_PATH', 'expected a path starting with /');
  const agencyName = env.LGSP_AGENCY_NAME?.trim().normalize('NFC');
  const tokenUrl = env.LGSP_TOKEN_URL?.trim();
  const clientId = env.LGSP_CLIENT_ID?.trim();
  const clientSecret = env.LGSP_CLIENT_SECRET?.trim();
  const oauthSet = [tokenUrl, clientId, clientSecret].filter(Boolean).length;
  if (oauthSet !== 0 && oauthSet !== 3) {
    const missing = !tokenUrl ? 'LGSP_TOKEN_URL' : !clientId ? 'LGSP_CLIENT_ID' : 'LGSP_CLIENT_SECRET';
    throw new ConfigError(missing, 'set LGSP_TOKEN_URL, LGSP_CLIENT_ID and LGSP_CLIENT_SECRET together');
  }
  if (tokenUrl && !/^https?:\/\/\S+$/.test(tokenUrl))
    throw new ConfigError('LGSP_TOKEN_URL', 'expected an http(s) URL');
  return {
    ...(tokenUrl && clientId && clientSecret ? { oauth2: { tokenUrl, clientId, clientSecret } } : {}),
    url,
    systemId: required('LGSP_SYSTEM_ID'),
    secretKey: required('LGSP_SECRET_KEY'),
    agencyCode,
    ...(agencyName ? { agencyName } : {}),
    ...(axisPath ? { axisPath } : {}),
  };
}

export interface CamerasConfig {
  /** Env `CAMERA_HEALTH_INTERVAL_MS`: how often each connected camera is probed (device information). Default 30000. */
  readonly healthIntervalMs: number;
  /** Env `CAMERA_RECONNECT_MAX_MS`: longest delay between reconnections of a camera's event subscription. Default 30000. */
  readonly reconnectMaxMs: number;
  /** Env `INCIDENT_DEDUP_WINDOW_MS`: repeats of an event from the same camera within this window update the open incident. Default 300000. */
  readonly dedupWindowMs: number;
  /**
   * Env `CAMERA_LEASE_TTL_MS`: how long an instance's lease on a camera's event subscription lasts
   * without renewal; another instance sharing the database takes the camera over after it. Default 30000.
   */
  readonly leaseTtlMs: number;
  /**
   * Env `CAMERA_LEASE_RENEW_MS`: interval of the subscription reconcile round (renew the held leases,
   * acquire free ones, follow registry changes made through other instances); below the TTL. Default 10000.
   */
  readonly leaseRenewMs: number;
  /**
   * Env `CAMERA_SECRET_KEY`: AES-256-GCM key sealing camera passwords at rest, 32 bytes as 64 hex digits
   * or base64. Unset: a key generated once into `DATA_DIR/keys/camera-secret.key`.
   */
  readonly secretKey?: Uint8Array;
}

function camerasConfig(env: NodeJS.ProcessEnv): CamerasConfig {
  const raw = env.CAMERA_SECRET_KEY?.trim();
  let secretKey: Uint8Array | undefined;
  if (raw) {
    secretKey = /^[0-9a-fA-F]{64}$/.test(raw)
      ? Buffer.from(raw, 'hex')
      : /^[A-Za-z0-9+/]{43}=$/.test(raw)
        ? Buffer.from(raw, 'base64')
        : undefined;
    if (secretKey?.length !== 32)
      throw new ConfigError('CAMERA_SECRET_KEY', 'expected 32 bytes as 64 hex digits or base64');
  }
  const leaseTtlMs = integer(env, 'CAMERA_LEASE_TTL_MS', 30_000, 1_000, 3_600_000);
  const leaseRenewMs = integer(env, 'CAMERA_LEASE_RENEW_MS', 10_000, 100, 3_600_000);
  if (leaseRenewMs >= leaseTtlMs)
    throw new ConfigError(
      'CAMERA_LEASE_RENEW_MS',
      `must be below CAMERA_LEASE_TTL_MS (${leaseTtlMs}), got ${leaseRenewMs}`,
    );
  return {
    healthIntervalMs: integer(env, 'CAMERA_HEALTH_INTERVAL_MS', 30_000, 100, 86_400_000),
    reconnectMaxMs: integer(env, 'CAMERA_RECONNECT_MAX_MS', 30_000, 100, 3_600_000),
    dedupWindowMs: integer(env, 'INCIDENT_DEDUP_WINDOW_MS', 300_000, 0, 86_400_000),
    leaseTtlMs,
    leaseRenewMs,
    ...(secretKey ? { secretKey } : {}),
  };
}

/** Reads the configuration from environment variables, with the embedded defaults. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
  argv: readonly string[] = [],
): ServerConfig {
  const demoEnv = boolean(env, 'DEMO', true);
  const unknownArg = argv.find((a) => a !== '--no-demo' && a !== '--demo');
  if (unknownArg !== undefined)
    throw new ConfigError('argv', `unknown option ${unknownArg} (known: --no-demo)`);
  const demo = argv.includes('--no-demo') ? false : argv.includes('--demo') ? true : demoEnv;
  const level = (env.LOG_LEVEL ?? 'info').trim().toLowerCase();
  if (!LOG_LEVELS.includes(level as LogLevel)) {
    throw new ConfigError('LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  const host = (env.HOST ?? '127.0.0.1').trim();
  if (host === '') throw new ConfigError('HOST', 'must not be empty');
  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl && !/^postgres(ql)?:\/\/[^\s]+$/.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'expected a postgres:// or postgresql:// URL');
  }
  const jwksFile = env.AUTH_JWKS_FILE?.trim();
  const jwksUrl = env.AUTH_JWKS_URL?.trim();
  if (jwksFile && jwksUrl)
    throw new ConfigError('AUTH_JWKS_URL', 'set AUTH_JWKS_FILE or AUTH_JWKS_URL, not both');
  if (jwksUrl && !/^https?:\/\/\S+$/.test(jwksUrl))
    throw new ConfigError('AUTH_JWKS_URL', 'expected an http(s) URL');
  const auth: AuthConfig = {
    issuer: env.AUTH_ISSUER?.trim() || 'urn:dttm:ioc:demo',
    audience: env.AUTH_AUDIENCE?.trim() || 'ioc-reference-server',
    jwks: jwksFile
      ? { kind: 'file', file: path.resolve(cwd, jwksFile) }
      : jwksUrl
        ? { kind: 'url', url: jwksUrl }
        : { kind: 'demo' },
  };
  const eventBusUrl = env.EVENT_BUS_URL?.trim();
  const trustProxy = env.TRUST_PROXY?.trim();
  if (eventBusUrl && !/^nats:\/\/[^\s/]+$/.test(eventBusUrl)) {
    throw new ConfigError('EVENT_BUS_URL', 'expected nats://host:port');
  }
  const mqttUrl = env.MQTT_URL?.trim();
  if (mqttUrl && !/^mqtts?:\/\/[^\s/]+\/?$/.test(mqttUrl))
    throw new ConfigError('MQTT_URL', 'expected mqtt://host:port');
  const topicPrefix = env.MQTT_TOPIC_PREFIX?.trim() || 'ioc';
  if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(topicPrefix)) {
    throw new ConfigError('MQTT_TOPIC_PREFIX', 'letters, digits, _ and - separated by /');
  }
  const shareGroup =
    env.MQTT_SHARE_GROUP === undefined ? 'ioc-reference-server' : env.MQTT_SHARE_GROUP.trim();
  const mqttConfig: MqttConfig | undefined = mqttUrl
    ? {
        url: mqttUrl,
        clientId: env.MQTT_CLIENT_ID?.trim() || `ioc-reference-server-${os.hostname()}`,
        topicPrefix,
        ...(shareGroup === '' ? {} : { shareGroup }),
      }
    : undefined;
  const lgsp = lgspConfig(env);
  const file = (name: string) => {
    const v = env[name]?.trim();
    return v ? path.resolve(cwd, v) : undefined;
  };
  const signingKeyFile = file('DOCUMENT_SIGNING_KEY');
  const signingCertFile = file('DOCUMENT_SIGNING_CERT');
  if ((signingKeyFile === undefined) !== (signingCertFile === undefined))
    throw new ConfigError(
      signingKeyFile === undefined ? 'DOCUMENT_SIGNING_KEY' : 'DOCUMENT_SIGNING_CERT',
      'set DOCUMENT_SIGNING_KEY and DOCUMENT_SIGNING_CERT together',
    );
  if (lgsp !== undefined && signingKeyFile === undefined)
    throw new ConfigError('DOCUMENT_SIGNING_KEY', 'outgoing documents are signed: required with LGSP_URL');
  const trustAnchorsDir = file('DOCUMENT_TRUST_ANCHORS');
  const documents: DocumentsConfig = {
    pollIntervalMs: integer(env, 'LGSP_POLL_INTERVAL_MS', 30_000, 0, 86_400_000),
    maxAttachmentBytes: integer(env, 'DOCUMENT_MAX_ATTACHMENT_BYTES', 5 * 1024 * 1024, 1, 50 * 1024 * 1024),
    retryBaseDelayMs: integer(env, 'LGSP_RETRY_BASE_DELAY_MS', 2000, 10, 600_000),
    storeRetentionDays: integer(env, 'LGSP_STORE_RETENTION_DAYS', 90, 1, 3650),
    ...(signingKeyFile !== undefined && signingCertFile !== undefined
      ? { signingKeyFile, signingCertFile }
      : {}),
    ...(trustAnchorsDir !== undefined ? { trustAnchorsDir } : {}),
  };
  return {
    ...(lgsp ? { lgsp } : {}),
    documents,
    cameras: camerasConfig(env),
    health: healthConfig(env, cwd, demo),
    ...(databaseUrl ? { databaseUrl } : {}),
    sqliteIngestThread: boolean(env, 'SQLITE_INGEST_THREAD', true),
    ...(eventBusUrl ? { eventBusUrl } : {}),
    ...(trustProxy ? { trustProxy } : {}),
    ...(mqttConfig ? { mqtt: mqttConfig } : {}),
    demo,
    demoIntervalMs: integer(env, 'DEMO_INTERVAL_MS', 60_000, 100, 86_400_000),
    kpiAlertIntervalMs: integer(env, 'KPI_ALERT_INTERVAL_MS', 600_000, 0, 86_400_000),
    reportsIntervalMs: integer(env, 'REPORTS_INTERVAL_MS', 60_000, 0, 86_400_000),
    readingsRawRetentionDays: integer(env, 'READINGS_RAW_RETENTION_DAYS', 30, 0, 36_500),
    retentionIntervalMs: integer(env, 'RETENTION_INTERVAL_MS', 3_600_000, 0, 604_800_000),
    reportRateLimit: {
      burst: integer(env, 'REPORTS_RATE_BURST', 5, 1, 1_000_000),
      perMinute: integer(env, 'REPORTS_RATE_PER_MINUTE', 2, 0, 1_000_000),
    },
    apiRateLimit: {
      burst: integer(env, 'API_RATE_BURST', 1000, 1, 10_000_000),
      perMinute: integer(env, 'API_RATE_PER_MINUTE', 12_000, 0, 100_000_000),
    },
    auth,
    port: integer(env, 'PORT', 8080, 0, 65535),
    host,
    dataDir: path.resolve(cwd, env.DATA_DIR?.trim() || 'data'),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    logLevel: level as LogLevel,
  };
}

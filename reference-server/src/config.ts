import os from 'node:os';
import path from 'node:path';

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
  /** Env `REPORTS_RATE_BURST` (default 5) and `REPORTS_RATE_PER_MINUTE` (default 2): report submissions per client address. */
  readonly reportRateLimit: { readonly burst: number; readonly perMinute: number };
  /**
   * Env `TRUST_PROXY`: which reverse proxies' `X-Forwarded-For` names the client (Express "trust proxy":
   * `loopback`, a hop count, or comma-separated addresses/CIDRs). Unset: the socket's peer is the client.
   */
  readonly trustProxy?: string;
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

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `expected an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** Reads the configuration from environment variables, with the embedded defaults. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
  argv: readonly string[] = [],
): ServerConfig {
  const demoEnv = (env.DEMO ?? 'true').trim().toLowerCase();
  if (!['true', 'false', '1', '0', 'yes', 'no'].includes(demoEnv)) {
    throw new ConfigError('DEMO', `expected true or false, got "${env.DEMO}"`);
  }
  const unknownArg = argv.find((a) => a !== '--no-demo' && a !== '--demo');
  if (unknownArg !== undefined)
    throw new ConfigError('argv', `unknown option ${unknownArg} (known: --no-demo)`);
  const demo = argv.includes('--no-demo')
    ? false
    : argv.includes('--demo')
      ? true
      : ['true', '1', 'yes'].includes(demoEnv);
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
  return {
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(eventBusUrl ? { eventBusUrl } : {}),
    ...(trustProxy ? { trustProxy } : {}),
    ...(mqttConfig ? { mqtt: mqttConfig } : {}),
    demo,
    demoIntervalMs: integer(env, 'DEMO_INTERVAL_MS', 60_000, 100, 86_400_000),
    kpiAlertIntervalMs: integer(env, 'KPI_ALERT_INTERVAL_MS', 600_000, 0, 86_400_000),
    reportsIntervalMs: integer(env, 'REPORTS_INTERVAL_MS', 60_000, 0, 86_400_000),
    reportRateLimit: {
      burst: integer(env, 'REPORTS_RATE_BURST', 5, 1, 1_000_000),
      perMinute: integer(env, 'REPORTS_RATE_PER_MINUTE', 2, 0, 1_000_000),
    },
    auth,
    port: integer(env, 'PORT', 8080, 0, 65535),
    host,
    dataDir: path.resolve(cwd, env.DATA_DIR?.trim() || 'data'),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    logLevel: level as LogLevel,
  };
}

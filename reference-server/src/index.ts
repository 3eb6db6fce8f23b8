export { createApp, defaultWebRoot, SERVICE_NAME, SERVICE_VERSION } from './app.js';
export type { AppOptions } from './app.js';
export { ConfigError, loadConfig } from './config.js';
export type { LogLevel, ServerConfig } from './config.js';
export { createLogger, silentLogger } from './logger.js';
export type { Logger } from './logger.js';
export { keySource, openBus, startServer } from './server.js';
export type { RunningServer, StartOptions } from './server.js';
export { createLocalBus } from './events/local.js';
export type { LocalBus, LocalBusOptions } from './events/local.js';
export { createNatsBus } from './events/nats.js';
export type { NatsBusOptions } from './events/nats.js';
export { EventBusError } from './events/types.js';
export type { EventBus, IocEvent, SubscribeOptions } from './events/types.js';
export { openStorage } from './storage/index.js';
export type { StorageConfig } from './storage/index.js';
export { openSqliteStorage } from './storage/sqlite/index.js';
export { openPostgresStorage } from './storage/postgres/index.js';
export { AuditInputError, GENESIS_HASH, canonicalJson, verifyChain } from './storage/audit-chain.js';
export type {
  AuditEntry,
  AuditInput,
  AuditLog,
  AuditVerification,
  JsonValue,
  Migration,
  Storage,
} from './storage/types.js';

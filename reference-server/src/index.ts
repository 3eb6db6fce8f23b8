export { createApp, defaultWebRoot, SERVICE_NAME, SERVICE_VERSION } from './app.js';
export type { AppOptions } from './app.js';
export { ConfigError, loadConfig } from './config.js';
export type { LogLevel, ServerConfig } from './config.js';
export { createLogger, silentLogger } from './logger.js';
export type { Logger } from './logger.js';
export { startServer } from './server.js';
export type { RunningServer } from './server.js';
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

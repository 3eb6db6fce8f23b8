import path from 'node:path';
import { openPostgresStorage } from './postgres/index.js';
import { openSqliteStorage } from './sqlite/index.js';
import type { Storage } from './types.js';

export interface StorageConfig {
  readonly dataDir: string;
  readonly databaseUrl?: string | undefined;
  /** SQLite: ingest writes on a thread of their own (default true). */
  readonly sqliteIngestThread?: boolean;
  readonly now?: () => Date;
  /** Told of storage trouble that does not stop it (e.g. WAL checkpoints back on the writer's thread). */
  readonly onWarning?: (message: string, err: Error) => void;
}

/** PostgreSQL when a `postgres://` URL is configured, otherwise the embedded SQLite file in `dataDir`. */
export async function openStorage(config: StorageConfig): Promise<Storage> {
  const now = config.now ?? (() => new Date());
  if (config.databaseUrl !== undefined)
    return openPostgresStorage({ connectionString: config.databaseUrl, now });
  return openSqliteStorage({
    file: path.join(config.dataDir, 'ioc.sqlite'),
    now,
    ...(config.sqliteIngestThread !== undefined ? { ingestThread: config.sqliteIngestThread } : {}),
    ...(config.onWarning !== undefined ? { onWarning: config.onWarning } : {}),
  });
}

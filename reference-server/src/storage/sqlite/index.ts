import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Migration, Storage } from '../types.js';
import { sqliteMigrations } from './migrations.js';

export interface SqliteStorageOptions {
  /** Database file; `:memory:` for tests. Its folder is created when missing. */
  readonly file: string;
  readonly migrations?: readonly Migration[];
  /** Clock used for migration records. */
  readonly now?: () => Date;
}

/** Opens (and migrates) the embedded SQLite database in WAL mode. */
export function openSqliteStorage(options: SqliteStorageOptions): Storage {
  if (options.file !== ':memory:') fs.mkdirSync(path.dirname(options.file), { recursive: true });
  const db = new Database(options.file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, options.migrations ?? sqliteMigrations, options.now ?? (() => new Date()));
  } catch (err) {
    db.close();
    throw err;
  }
  let closed = false;
  return {
    kind: 'sqlite',
    ping() {
      if (closed) return Promise.reject(new Error('storage is closed'));
      try {
        db.prepare('SELECT 1').get();
        return Promise.resolve();
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    },
    schemaVersion() {
      const row = db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as {
        v: number;
      };
      return Promise.resolve(row.v);
    },
    close() {
      if (!closed) {
        closed = true;
        db.close();
      }
      return Promise.resolve();
    },
  };
}

function migrate(db: Database.Database, migrations: readonly Migration[], now: () => Date): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT;`);
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of sorted) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, now().toISOString());
    })();
  }
}

import type { Migration } from '../types.js';

/** Versioned schema of the embedded database. Append only: never edit an applied migration. */
export const sqliteMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'server-metadata',
    sql: `CREATE TABLE server_meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;`,
  },
  {
    version: 2,
    name: 'audit-log',
    sql: `CREATE TABLE audit_log (
      seq INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      subject TEXT NOT NULL,
      data TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL UNIQUE
    ) STRICT;
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;`,
  },
  {
    version: 3,
    name: 'environment',
    sql: `CREATE TABLE env_station (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('air', 'water')),
      lat REAL NOT NULL,
      lon REAL NOT NULL,
      area TEXT,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE env_reading (
      station_id TEXT NOT NULL REFERENCES env_station (id),
      at_utc TEXT NOT NULL,
      at TEXT NOT NULL,
      period_minutes INTEGER NOT NULL,
      values_json TEXT NOT NULL,
      received_at TEXT NOT NULL,
      PRIMARY KEY (station_id, at_utc, period_minutes)
    ) STRICT, WITHOUT ROWID;`,
  },
];

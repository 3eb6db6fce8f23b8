import type { Migration } from '../types.js';

/** Versioned PostgreSQL schema. Append only: never edit an applied migration. */
export const postgresMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'server-metadata',
    sql: `CREATE TABLE server_meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );`,
  },
  {
    version: 2,
    name: 'audit-log',
    sql: `CREATE TABLE audit_log (
      seq BIGINT PRIMARY KEY,
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      subject TEXT NOT NULL,
      data TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL UNIQUE
    );
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
    CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();`,
  },
  {
    version: 3,
    name: 'environment',
    sql: `CREATE TABLE env_station (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('air', 'water')),
      lat DOUBLE PRECISION NOT NULL,
      lon DOUBLE PRECISION NOT NULL,
      area TEXT,
      created_at TEXT NOT NULL
    );
    CREATE TABLE env_reading (
      station_id TEXT NOT NULL REFERENCES env_station (id),
      at_utc TEXT NOT NULL,
      at TEXT NOT NULL,
      period_minutes INTEGER NOT NULL,
      values_json TEXT NOT NULL,
      received_at TEXT NOT NULL,
      PRIMARY KEY (station_id, at_utc, period_minutes)
    );`,
  },
];

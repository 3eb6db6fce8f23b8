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
];

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
];

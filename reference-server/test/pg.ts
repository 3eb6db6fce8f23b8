import pg from 'pg';

/** The machine's PostgreSQL (trust authentication), as the tests and benchmarks use it. */
export const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs one statement on the maintenance database (CREATE / DROP DATABASE …). */
export async function pgAdmin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** The connection URL of database `name` on the machine's PostgreSQL. */
export const pgUrl = (name: string) => `postgres://postgres@127.0.0.1:5432/${name}`;

import type Database from 'better-sqlite3';
import { ingestAuditInput, nextEntry } from '../audit-chain.js';
import type { AuditEntry, AuditInput, IngestAudit } from '../types.js';

/**
 * The ingest writes of the embedded database as plain data: the rows of one request and its audit
 * record. The same code runs them on the writer thread (writer-thread.ts) and, when that thread is not
 * running, on the main one, so both paths store exactly the same.
 */
export interface IngestWrite {
  readonly kind: 'observations' | 'readings';
  /** Statement parameters, one array per row (see the INSERT statements below). */
  readonly rows: readonly (readonly (string | number | null)[])[];
  readonly audit?: IngestAudit | undefined;
  /** ISO instant of the audit record (the main thread's clock). */
  readonly at: string;
}

export const INSERT_SQL: Readonly<Record<IngestWrite['kind'], string>> = {
  observations: `INSERT OR IGNORE INTO kpi_observation (key, indicator, period_label, period_start, period_end,
      scope_level, admin_unit, department, recorded_at, received_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  readings:
    'INSERT OR IGNORE INTO env_reading (station_id, at_utc, at, period_minutes, values_json, received_at) VALUES (?, ?, ?, ?, ?, ?)',
};

export type Prepare = (sql: string) => Database.Statement;

/** Appends one audit record; call inside an IMMEDIATE transaction (the chain's head is read in it). */
export function appendAuditRow(prep: Prepare, input: AuditInput, at: Date): AuditEntry {
  const head = prep('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined;
  const e = nextEntry(head, input, at);
  prep(
    'INSERT INTO audit_log (seq, at, actor, action, subject, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(e.seq, e.at, e.actor, e.action, e.subject, JSON.stringify(e.data), e.prevHash, e.hash);
  return e;
}

/**
 * Runs one ingest write inside the caller's transaction. Returns, per row, 1 when it was stored and
 * 0 when it was a duplicate (already stored, or earlier in the same write).
 */
export function runIngestWrite(prep: Prepare, write: IngestWrite): Uint8Array {
  const insert = prep(INSERT_SQL[write.kind]);
  const stored = new Uint8Array(write.rows.length);
  let accepted = 0;
  write.rows.forEach((row, i) => {
    if (insert.run(...row).changes === 1) {
      stored[i] = 1;
      accepted++;
    }
  });
  if (write.audit !== undefined) {
    const outcome = { accepted, duplicates: write.rows.length - accepted };
    appendAuditRow(prep, ingestAuditInput(write.audit, outcome), new Date(write.at));
  }
  return stored;
}

/** A prepare function that prepares each statement once per connection. */
export function statementCache(db: Database.Database): Prepare {
  const statements = new Map<string, Database.Statement>();
  return (sql) => {
    let st = statements.get(sql);
    if (st === undefined) {
      st = db.prepare(sql);
      statements.set(sql, st);
    }
    return st;
  };
}

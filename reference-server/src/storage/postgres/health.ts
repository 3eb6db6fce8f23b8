import type pg from 'pg';
import type { HealthRepository, Hl7DeliveryState } from '../health-types.js';
import {
  facilityBody,
  messageColumns,
  messageWhere,
  toFacility,
  toMessage,
  withDelivery,
} from '../health-rows.js';
import type { AuditEntry, AuditInput, JsonValue } from '../types.js';

export interface PostgresHealthDeps {
  readonly pool: pg.Pool;
  /** Throws when the storage is closed. */
  readonly ensureOpen: () => void;
  readonly inTransaction: <T>(fn: (c: pg.PoolClient) => Promise<T>) => Promise<T>;
  /** Appends one audit record inside the caller's transaction. */
  readonly appendAudit: (c: pg.PoolClient, input: AuditInput) => Promise<AuditEntry>;
}

interface MessageRow {
  body: string;
  er7: string;
}

/** The health module's repository on PostgreSQL. */
export function postgresHealthRepository({
  pool,
  ensureOpen,
  inTransaction,
  appendAudit,
}: PostgresHealthDeps): HealthRepository {
  return {
    async putFacility(f, auditInput) {
      ensureOpen();
      return inTransaction(async (c) => {
        const existing = await c.query<{ body: string }>(
          'SELECT body FROM health_facility WHERE id = $1 FOR UPDATE',
          [f.id],
        );
        const row = existing.rows[0];
        const stored = row === undefined ? f : { ...f, createdAt: toFacility(row).createdAt };
        await c.query(
          `INSERT INTO health_facility (id, area, updated_at, body) VALUES ($1, $2, $3, $4)
           ON CONFLICT (id) DO UPDATE SET area = excluded.area, updated_at = excluded.updated_at, body = excluded.body`,
          [f.id, f.area ?? null, f.updatedAt, facilityBody(stored)],
        );
        await appendAudit(c, auditInput);
        return row === undefined ? 'created' : 'updated';
      });
    },
    async getFacility(id) {
      ensureOpen();
      const r = await pool.query<{ body: string }>('SELECT body FROM health_facility WHERE id = $1', [id]);
      const row = r.rows[0];
      return row === undefined ? undefined : toFacility(row);
    },
    async listFacilities() {
      ensureOpen();
      const r = await pool.query<{ body: string }>('SELECT body FROM health_facility ORDER BY id');
      return r.rows.map(toFacility);
    },
    async appendMessage(m, auditInput) {
      ensureOpen();
      return inTransaction(async (c) => {
        const col = messageColumns(m);
        const r = await c.query(
          `INSERT INTO hl7_message (id, key, facility, message_type, message_code, received_at, delivery, body, er7)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
          [
            col.id,
            col.key,
            col.facility,
            col.message_type,
            col.message_code,
            col.received_at,
            col.delivery,
            col.body,
            col.er7,
          ],
        );
        if (r.rowCount !== 1) return 'duplicate';
        await appendAudit(c, auditInput);
        return 'stored';
      });
    },
    async getMessage(id) {
      ensureOpen();
      const r = await pool.query<MessageRow>('SELECT body, er7 FROM hl7_message WHERE id = $1', [id]);
      const row = r.rows[0];
      return row === undefined ? undefined : toMessage(row);
    },
    async listMessages(f) {
      ensureOpen();
      const args: (string | number)[] = [];
      const where = messageWhere(f, (v) => {
        args.push(v);
        return `$${args.length}`;
      });
      args.push(f.limit, f.offset ?? 0);
      const r = await pool.query<MessageRow>(
        `SELECT body, er7 FROM hl7_message ${where} ORDER BY received_at DESC, seq DESC LIMIT $${args.length - 1} OFFSET $${args.length}`,
        args,
      );
      return r.rows.map(toMessage);
    },
    async updateDelivery(key, u) {
      ensureOpen();
      return inTransaction(async (c) => {
        const r = await c.query<MessageRow>('SELECT body, er7 FROM hl7_message WHERE key = $1 FOR UPDATE', [
          key,
        ]);
        const row = r.rows[0];
        if (row === undefined) return false;
        const next = withDelivery(toMessage(row), u);
        await c.query('UPDATE hl7_message SET delivery = $1, body = $2 WHERE key = $3', [
          next.delivery,
          messageColumns(next).body,
          key,
        ]);
        return true;
      });
    },
    async countMessages() {
      ensureOpen();
      const r = await pool.query<{
        facility: string;
        message_type: string;
        delivery: Hl7DeliveryState;
        n: number;
      }>(
        `SELECT facility, message_type, delivery, COUNT(*)::int AS n FROM hl7_message
         GROUP BY facility, message_type, delivery ORDER BY facility, message_type, delivery`,
      );
      return r.rows.map((row) => ({
        facility: row.facility,
        messageType: row.message_type,
        delivery: row.delivery,
        count: row.n,
      }));
    },
    async listFacts(from, to) {
      ensureOpen();
      const r = await pool.query<MessageRow>(
        `SELECT body, '' AS er7 FROM hl7_message WHERE received_at >= $1 AND received_at < $2
         AND message_code IN ('ADT', 'ORU', 'MDM', 'SIU') ORDER BY received_at, seq`,
        [from, to],
      );
      return r.rows.map((row) => {
        const m = toMessage(row);
        return { facility: m.facility, receivedAt: m.receivedAt, facts: m.facts };
      });
    },
    async appendOutboxRecord(itemId, op, record) {
      ensureOpen();
      await inTransaction(async (c) => {
        await c.query('INSERT INTO hl7_outbox (item_id, op, body) VALUES ($1, $2, $3)', [
          itemId,
          op,
          JSON.stringify(record),
        ]);
        if (op === 'delivered')
          await c.query("DELETE FROM hl7_outbox WHERE item_id = $1 AND op = 'enqueue'", [itemId]);
      });
    },
    async loadOutboxRecords() {
      ensureOpen();
      const r = await pool.query<{ body: string }>('SELECT body FROM hl7_outbox ORDER BY seq');
      return r.rows.map((row) => JSON.parse(row.body) as JsonValue);
    },
  };
}

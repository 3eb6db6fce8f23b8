import type Database from 'better-sqlite3';
import type { HealthRepository, Hl7DeliveryState, Hl7MessageCount } from '../health-types.js';
import {
  facilityBody,
  messageColumns,
  messageWhere,
  toFacility,
  toMessage,
  withDelivery,
} from '../health-rows.js';
import type { AuditEntry, AuditInput, JsonValue } from '../types.js';

export interface SqliteHealthDeps {
  readonly db: Database.Database;
  readonly prep: (sql: string) => Database.Statement;
  readonly live: <T>(fn: () => T) => Promise<T>;
  /** Appends one audit record; called inside an IMMEDIATE transaction. */
  readonly appendAudit: (input: AuditInput) => AuditEntry;
}

interface MessageRow {
  body: string;
  er7: string;
}

/** The health module's repository on the embedded SQLite database. */
export function sqliteHealthRepository({ db, prep, live, appendAudit }: SqliteHealthDeps): HealthRepository {
  return {
    putFacility(f, auditInput) {
      return live(() =>
        db
          .transaction(() => {
            const existing = prep('SELECT body FROM health_facility WHERE id = ?').get(f.id) as
              { body: string } | undefined;
            const stored = existing === undefined ? f : { ...f, createdAt: toFacility(existing).createdAt };
            prep(
              `INSERT INTO health_facility (id, area, updated_at, body) VALUES (?, ?, ?, ?)
               ON CONFLICT (id) DO UPDATE SET area = excluded.area, updated_at = excluded.updated_at, body = excluded.body`,
            ).run(f.id, f.area ?? null, f.updatedAt, facilityBody(stored));
            appendAudit(auditInput);
            return existing === undefined ? ('created' as const) : ('updated' as const);
          })
          .immediate(),
      );
    },
    getFacility(id) {
      return live(() => {
        const row = prep('SELECT body FROM health_facility WHERE id = ?').get(id) as
          { body: string } | undefined;
        return row === undefined ? undefined : toFacility(row);
      });
    },
    listFacilities() {
      return live(() =>
        (prep('SELECT body FROM health_facility ORDER BY id').all() as { body: string }[]).map(toFacility),
      );
    },
    appendMessage(m, auditInput) {
      return live(() =>
        db
          .transaction(() => {
            const c = messageColumns(m);
            const r = prep(
              `INSERT INTO hl7_message (id, key, facility, message_type, message_code, received_at, delivery, body, er7)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
            ).run(
              c.id,
              c.key,
              c.facility,
              c.message_type,
              c.message_code,
              c.received_at,
              c.delivery,
              c.body,
              c.er7,
            );
            if (r.changes !== 1) return 'duplicate' as const;
            appendAudit(auditInput);
            return 'stored' as const;
          })
          .immediate(),
      );
    },
    getMessage(id) {
      return live(() => {
        const row = prep('SELECT body, er7 FROM hl7_message WHERE id = ?').get(id) as MessageRow | undefined;
        return row === undefined ? undefined : toMessage(row);
      });
    },
    listMessages(f) {
      return live(() => {
        const args: (string | number)[] = [];
        const where = messageWhere(f, (v) => {
          args.push(v);
          return '?';
        });
        const sql = `SELECT body, er7 FROM hl7_message ${where} ORDER BY received_at DESC, seq DESC LIMIT ? OFFSET ?`;
        return (prep(sql).all(...args, f.limit, f.offset ?? 0) as MessageRow[]).map(toMessage);
      });
    },
    updateDelivery(key, u) {
      return live(() =>
        db
          .transaction(() => {
            const row = prep('SELECT body, er7 FROM hl7_message WHERE key = ?').get(key) as
              MessageRow | undefined;
            if (row === undefined) return false;
            const next = withDelivery(toMessage(row), u);
            prep('UPDATE hl7_message SET delivery = ?, body = ? WHERE key = ?').run(
              next.delivery,
              messageColumns(next).body,
              key,
            );
            return true;
          })
          .immediate(),
      );
    },
    countMessages() {
      return live(() =>
        (
          prep(
            `SELECT facility, message_type, delivery, COUNT(*) AS n FROM hl7_message
             GROUP BY facility, message_type, delivery ORDER BY facility, message_type, delivery`,
          ).all() as { facility: string; message_type: string; delivery: Hl7DeliveryState; n: number }[]
        ).map((r): Hl7MessageCount => ({
          facility: r.facility,
          messageType: r.message_type,
          delivery: r.delivery,
          count: r.n,
        })),
      );
    },
    listFacts(from, to) {
      return live(() =>
        (
          prep(
            `SELECT body, '' AS er7 FROM hl7_message WHERE received_at >= ? AND received_at < ?
             AND message_code IN ('ADT', 'ORU', 'MDM', 'SIU') ORDER BY received_at, seq`,
          ).all(from, to) as MessageRow[]
        ).map((row) => {
          const m = toMessage(row);
          return { facility: m.facility, receivedAt: m.receivedAt, facts: m.facts };
        }),
      );
    },
    appendOutboxRecord(itemId, op, record) {
      return live(() =>
        db
          .transaction(() => {
            prep('INSERT INTO hl7_outbox (item_id, op, body) VALUES (?, ?, ?)').run(
              itemId,
              op,
              JSON.stringify(record),
            );
            if (op === 'delivered')
              prep("DELETE FROM hl7_outbox WHERE item_id = ? AND op = 'enqueue'").run(itemId);
          })
          .immediate(),
      );
    },
    loadOutboxRecords() {
      return live(() =>
        (prep('SELECT body FROM hl7_outbox ORDER BY seq').all() as { body: string }[]).map(
          (r) => JSON.parse(r.body) as JsonValue,
        ),
      );
    },
  };
}

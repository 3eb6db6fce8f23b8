import type Database from 'better-sqlite3';
import {
  documentColumns,
  documentWhere,
  likePrefix,
  type DocumentReports,
  type DocumentRepository,
  type OfficialDocument,
} from '../documents-types.js';
import type { AuditEntry, AuditInput, JsonValue } from '../types.js';

export interface SqliteDocumentsDeps {
  readonly db: Database.Database;
  readonly prep: (sql: string) => Database.Statement;
  readonly live: <T>(fn: () => T) => Promise<T>;
  /** Appends one audit record; called inside the write's transaction. */
  readonly appendAudit: (input: AuditInput) => AuditEntry;
}

const toDocument = (row: { body: string }): OfficialDocument => JSON.parse(row.body) as OfficialDocument;

/** Official documents and the LGSP exchange store on SQLite (migration 6). */
export function createSqliteDocuments({
  db,
  prep,
  live,
  appendAudit,
}: SqliteDocumentsDeps): DocumentRepository {
  return {
    createDocument(doc, content, audit) {
      return live(() =>
        db
          .transaction(() => {
            const c = documentColumns(doc);
            if (
              prep('SELECT 1 FROM official_document WHERE id = ? OR (direction = ? AND document_id = ?)').get(
                c.id,
                c.direction,
                c.document_id,
              ) !== undefined
            )
              return 'exists' as const;
            prep(
              `INSERT INTO official_document (id, direction, document_id, state, flagged, created_at, updated_at, body)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
            ).run(c.id, c.direction, c.document_id, c.state, c.flagged, c.created_at, c.updated_at, c.body);
            prep('INSERT INTO official_document_content (id, edxml, reports) VALUES (?, ?, ?)').run(
              c.id,
              content.edxml,
              JSON.stringify(content.reports),
            );
            appendAudit(audit);
            return 'created' as const;
          })
          .immediate(),
      );
    },
    updateDocument(doc, audit) {
      return live(() =>
        db
          .transaction(() => {
            const c = documentColumns(doc);
            const r = prep(
              'UPDATE official_document SET state = ?, flagged = ?, updated_at = ?, body = ? WHERE id = ?',
            ).run(c.state, c.flagged, c.updated_at, c.body, c.id);
            if (r.changes !== 1) return false;
            if (audit !== undefined) appendAudit(audit);
            return true;
          })
          .immediate(),
      );
    },
    getDocument(id) {
      return live(() => {
        const row = prep('SELECT body FROM official_document WHERE id = ?').get(id) as
          { body: string } | undefined;
        return row === undefined ? undefined : toDocument(row);
      });
    },
    findDocument(direction, documentId) {
      return live(() => {
        const row = prep('SELECT body FROM official_document WHERE direction = ? AND document_id = ?').get(
          direction,
          documentId,
        ) as { body: string } | undefined;
        return row === undefined ? undefined : toDocument(row);
      });
    },
    listDocuments(f) {
      return live(() => {
        const args: Array<string | number> = [];
        const where = documentWhere(f, (v) => {
          args.push(v);
          return '?';
        });
        const sql = `SELECT body FROM official_document ${where} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`;
        return (prep(sql).all(...args, f.limit, f.offset ?? 0) as { body: string }[]).map(toDocument);
      });
    },
    getDocumentEdxml(id) {
      return live(() => {
        const row = prep('SELECT edxml FROM official_document_content WHERE id = ?').get(id) as
          { edxml: string } | undefined;
        return row?.edxml;
      });
    },
    getDocumentReports(id) {
      return live(() => {
        const row = prep('SELECT reports FROM official_document_content WHERE id = ?').get(id) as
          { reports: string } | undefined;
        return row === undefined ? undefined : (JSON.parse(row.reports) as DocumentReports);
      });
    },
    exchangeGet(namespace, key) {
      return live(() => {
        const row = prep('SELECT value FROM document_exchange WHERE namespace = ? AND key = ?').get(
          namespace,
          key,
        ) as { value: string } | undefined;
        return row === undefined ? undefined : (JSON.parse(row.value) as JsonValue);
      });
    },
    exchangeSet(namespace, key, value) {
      return live(() => {
        prep(
          'INSERT INTO document_exchange (namespace, key, value) VALUES (?, ?, ?) ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value',
        ).run(namespace, key, JSON.stringify(value));
      });
    },
    exchangeDelete(namespace, key) {
      return live(() => {
        prep('DELETE FROM document_exchange WHERE namespace = ? AND key = ?').run(namespace, key);
      });
    },
    exchangeEntries(namespace, prefix) {
      return live(() =>
        (
          prep(
            "SELECT key, value FROM document_exchange WHERE namespace = ? AND key LIKE ? ESCAPE '\\' ORDER BY key",
          ).all(namespace, likePrefix(prefix)) as { key: string; value: string }[]
        ).map((r): [string, JsonValue] => [r.key, JSON.parse(r.value) as JsonValue]),
      );
    },
  };
}

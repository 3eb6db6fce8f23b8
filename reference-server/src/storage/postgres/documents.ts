import type pg from 'pg';
import {
  documentColumns,
  documentWhere,
  likePrefix,
  type DocumentReports,
  type DocumentRepository,
  type OfficialDocument,
} from '../documents-types.js';
import type { AuditEntry, AuditInput, JsonValue } from '../types.js';

export interface PostgresDocumentsDeps {
  readonly pool: pg.Pool;
  readonly ensureOpen: () => void;
  /** Runs `fn` in one transaction. */
  readonly tx: <T>(fn: (c: pg.PoolClient) => Promise<T>) => Promise<T>;
  /** Appends one audit record inside the caller's transaction. */
  readonly appendAudit: (c: pg.PoolClient, input: AuditInput) => Promise<AuditEntry>;
}

const toDocument = (row: { body: string }): OfficialDocument => JSON.parse(row.body) as OfficialDocument;

/** Official documents and the LGSP exchange store on PostgreSQL (migration 6). */
export function createPostgresDocuments({
  pool,
  ensureOpen,
  tx,
  appendAudit,
}: PostgresDocumentsDeps): DocumentRepository {
  return {
    async createDocument(doc, content, audit) {
      ensureOpen();
      const c = documentColumns(doc);
      return tx(async (client) => {
        const r = await client.query(
          `INSERT INTO official_document (id, direction, document_id, state, flagged, created_at, updated_at, body)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
          [c.id, c.direction, c.document_id, c.state, c.flagged, c.created_at, c.updated_at, c.body],
        );
        if (r.rowCount !== 1) return 'exists' as const;
        await client.query('INSERT INTO official_document_content (id, edxml, reports) VALUES ($1, $2, $3)', [
          c.id,
          content.edxml,
          JSON.stringify(content.reports),
        ]);
        await appendAudit(client, audit);
        return 'created' as const;
      });
    },
    async updateDocument(doc, audit) {
      ensureOpen();
      const c = documentColumns(doc);
      return tx(async (client) => {
        const r = await client.query(
          'UPDATE official_document SET state = $1, flagged = $2, updated_at = $3, body = $4 WHERE id = $5',
          [c.state, c.flagged, c.updated_at, c.body, c.id],
        );
        if (r.rowCount !== 1) return false;
        if (audit !== undefined) await appendAudit(client, audit);
        return true;
      });
    },
    async getDocument(id) {
      ensureOpen();
      const r = await pool.query<{ body: string }>('SELECT body FROM official_document WHERE id = $1', [id]);
      return r.rows[0] === undefined ? undefined : toDocument(r.rows[0]);
    },
    async findDocument(direction, documentId) {
      ensureOpen();
      const r = await pool.query<{ body: string }>(
        'SELECT body FROM official_document WHERE direction = $1 AND document_id = $2',
        [direction, documentId],
      );
      return r.rows[0] === undefined ? undefined : toDocument(r.rows[0]);
    },
    async listDocuments(f) {
      ensureOpen();
      const args: Array<string | number> = [];
      const where = documentWhere(f, (v) => {
        args.push(v);
        return `$${args.length}`;
      });
      args.push(f.limit, f.offset ?? 0);
      const r = await pool.query<{ body: string }>(
        `SELECT body FROM official_document ${where} ORDER BY created_at DESC, id LIMIT $${args.length - 1} OFFSET $${args.length}`,
        args,
      );
      return r.rows.map(toDocument);
    },
    async getDocumentEdxml(id) {
      ensureOpen();
      const r = await pool.query<{ edxml: string }>(
        'SELECT edxml FROM official_document_content WHERE id = $1',
        [id],
      );
      return r.rows[0]?.edxml;
    },
    async getDocumentReports(id) {
      ensureOpen();
      const r = await pool.query<{ reports: string }>(
        'SELECT reports FROM official_document_content WHERE id = $1',
        [id],
      );
      return r.rows[0] === undefined ? undefined : (JSON.parse(r.rows[0].reports) as DocumentReports);
    },
    async exchangeGet(namespace, key) {
      ensureOpen();
      const r = await pool.query<{ value: string }>(
        'SELECT value FROM document_exchange WHERE namespace = $1 AND key = $2',
        [namespace, key],
      );
      return r.rows[0] === undefined ? undefined : (JSON.parse(r.rows[0].value) as JsonValue);
    },
    async exchangeSet(namespace, key, value) {
      ensureOpen();
      await pool.query(
        'INSERT INTO document_exchange (namespace, key, value) VALUES ($1, $2, $3) ON CONFLICT (namespace, key) DO UPDATE SET value = EXCLUDED.value',
        [namespace, key, JSON.stringify(value)],
      );
    },
    async exchangeDelete(namespace, key) {
      ensureOpen();
      await pool.query('DELETE FROM document_exchange WHERE namespace = $1 AND key = $2', [namespace, key]);
    },
    async exchangeEntries(namespace, prefix) {
      ensureOpen();
      const r = await pool.query<{ key: string; value: string }>(
        "SELECT key, value FROM document_exchange WHERE namespace = $1 AND key LIKE $2 ESCAPE '\\' ORDER BY key",
        [namespace, likePrefix(prefix)],
      );
      return r.rows.map((row): [string, JsonValue] => [row.key, JSON.parse(row.value) as JsonValue]);
    },
  };
}

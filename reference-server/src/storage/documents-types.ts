import type { AuditInput, JsonValue } from './types.js';

/** Which way an official document travelled through the LGSP document axis. */
export type DocumentDirection = 'in' | 'out';

/**
 * Where a document stands. Outgoing: `queued` (in the outbox), `retrying` (the axis failed, the
 * outbox tries again), `sent` (the axis has it), `delivered` (a recipient answered with a status
 * package), `failed` (dead-lettered). Incoming: `received` (stored and verified), then the edXML
 * processing status we report back (`rejected` for 02, `processing` for 03–05, `done` for 06).
 */
export type DocumentState =
  'queued' | 'retrying' | 'sent' | 'delivered' | 'failed' | 'received' | 'rejected' | 'processing' | 'done';

export const DOCUMENT_STATES: readonly DocumentState[] = [
  'queued',
  'retrying',
  'sent',
  'delivered',
  'failed',
  'received',
  'rejected',
  'processing',
  'done',
];

export interface DocumentOrgan {
  readonly organId: string;
  readonly organName?: string;
}

export interface DocumentAttachmentInfo {
  readonly name: string;
  readonly contentType: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** Verdict of one signature: of the edXML package itself, or of a PDF attachment. */
export interface DocumentSignatureSummary {
  /** `edxml`, or `attachment` with the attachment's name. */
  readonly target: 'edxml' | 'attachment';
  readonly attachment?: string;
  readonly indication: 'TOTAL_PASSED' | 'TOTAL_FAILED' | 'INDETERMINATE' | 'NO_SIGNATURE';
  readonly subIndication?: string;
  readonly signer?: string;
  readonly signingTime?: string;
  readonly message: { readonly vi: string; readonly en: string };
}

/** One step of a document's history: a state change, a status package sent or received. */
export interface DocumentHistoryEntry {
  readonly at: string;
  readonly state: DocumentState;
  /** edXML status code (01…16) of a status package sent or received. */
  readonly statusCode?: string;
  /** Agency that sent the status package (incoming status) or that it was sent to. */
  readonly agency?: string;
  readonly by: string;
  readonly description?: string;
}

/** A stored official document (the dashboard's and the API's view; the package is stored apart). */
export interface OfficialDocument {
  readonly id: string;
  readonly direction: DocumentDirection;
  /** edXML `DocumentId`: `OrganId,YYYY/MM/DD,Number/Notation`. */
  readonly documentId: string;
  readonly from: DocumentOrgan;
  readonly to: readonly DocumentOrgan[];
  readonly codeNumber: string;
  readonly codeNotation: string;
  readonly subject: string;
  readonly documentType?: string;
  readonly promulgationDate: string;
  readonly place?: string;
  readonly signerName?: string;
  readonly attachments: readonly DocumentAttachmentInfo[];
  readonly state: DocumentState;
  /** True when a signature did not pass (invalid, untrusted, missing): stored and shown, never dropped. */
  readonly flagged: boolean;
  readonly signatures: readonly DocumentSignatureSummary[];
  /** Identifier the axis gave the package. */
  readonly axisDocId?: string;
  /** Latest edXML status per recipient (outgoing) or the latest we sent (incoming). */
  readonly statuses: Readonly<Record<string, { readonly statusCode: string; readonly at: string }>>;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly history: readonly DocumentHistoryEntry[];
}

export interface DocumentFilter {
  readonly direction?: DocumentDirection;
  readonly states?: readonly DocumentState[];
  readonly flagged?: boolean;
  /** `createdAt` at or after. */
  readonly from?: string;
  /** `createdAt` before. */
  readonly to?: string;
  readonly limit: number;
  readonly offset?: number;
}

/** The stored validation reports of a document (specs/schemas/validation-report.schema.json each). */
export interface DocumentReports {
  readonly edxml?: JsonValue;
  readonly attachments: ReadonlyArray<{ readonly name: string; readonly report: JsonValue }>;
}

export interface DocumentRepository {
  /** Stores a document with its package and reports; `exists` when its id (or direction + DocumentId) is taken. */
  createDocument(
    doc: OfficialDocument,
    content: { readonly edxml: string; readonly reports: DocumentReports },
    audit: AuditInput,
  ): Promise<'created' | 'exists'>;
  /** Replaces the document's record (not its package); false when it does not exist. */
  updateDocument(doc: OfficialDocument, audit?: AuditInput): Promise<boolean>;
  getDocument(id: string): Promise<OfficialDocument | undefined>;
  findDocument(direction: DocumentDirection, documentId: string): Promise<OfficialDocument | undefined>;
  /** Newest first. */
  listDocuments(filter: DocumentFilter): Promise<OfficialDocument[]>;
  getDocumentEdxml(id: string): Promise<string | undefined>;
  getDocumentReports(id: string): Promise<DocumentReports | undefined>;
  /** The durable key-value store under the LGSP outbox and inbox (one namespace each). */
  exchangeGet(namespace: string, key: string): Promise<JsonValue | undefined>;
  exchangeSet(namespace: string, key: string, value: JsonValue): Promise<void>;
  exchangeDelete(namespace: string, key: string): Promise<void>;
  exchangeEntries(namespace: string, prefix: string): Promise<Array<[string, JsonValue]>>;
}

/** Columns shared by both back ends. */
export function documentColumns(d: OfficialDocument) {
  return {
    id: d.id,
    direction: d.direction,
    document_id: d.documentId,
    state: d.state,
    flagged: d.flagged ? 1 : 0,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
    body: JSON.stringify(d),
  };
}

/** WHERE clause of a filter; `param` adds one value and returns its placeholder. */
export function documentWhere(f: DocumentFilter, param: (v: string | number) => string): string {
  const parts: string[] = [];
  if (f.direction !== undefined) parts.push(`direction = ${param(f.direction)}`);
  if (f.states !== undefined && f.states.length > 0)
    parts.push(`state IN (${f.states.map((s) => param(s)).join(', ')})`);
  if (f.flagged !== undefined) parts.push(`flagged = ${param(f.flagged ? 1 : 0)}`);
  if (f.from !== undefined) parts.push(`created_at >= ${param(f.from)}`);
  if (f.to !== undefined) parts.push(`created_at < ${param(f.to)}`);
  return parts.length === 0 ? '' : `WHERE ${parts.join(' AND ')}`;
}

/** Escapes a LIKE prefix (`\` as the escape character). */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

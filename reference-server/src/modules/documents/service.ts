import { createHash, randomBytes } from 'node:crypto';
import {
  DocumentInbox,
  DocumentOutbox,
  EDXML_STATUS_MEANINGS,
  buildEdxml,
  createStatusPackage,
  edxmlDocumentId,
  isLgspError,
  parseEdxml,
  type DocumentAxis,
  type EdxmlDocument,
  type EdxmlStatusCode,
  type InboxMessage,
  type OutboxEntry,
  type OutboxEvent,
  type ParsedEdxml,
} from '@dttm/lgsp-client';
import { signEdxml, verifyEdxml, verifyPdf, type ValidationReport } from '@dttm/digital-signature';
import type { EventBus } from '../../events/types.js';
import type { Logger } from '../../logger.js';
import type {
  DocumentFilter,
  DocumentHistoryEntry,
  DocumentReports,
  DocumentRepository,
  DocumentSignatureSummary,
  DocumentState,
  JsonValue,
  OfficialDocument,
} from '../../storage/types.js';
import { exchangeStore } from './exchange-store.js';
import type { DocumentSigner, DocumentTrust } from './trust.js';
import { RequestError } from '../../http/request-error.js';

export class DocumentRequestError extends RequestError {
  override readonly name = 'DocumentRequestError';
}

/** Content types an outgoing attachment may have. */
export const ATTACHMENT_TYPES = [
  'application/pdf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'image/jpeg',
  'image/png',
] as const;
export const MAX_ATTACHMENTS = 10;

/** A document to send, as validated against the OpenAPI document. */
export interface SendDocumentInput {
  readonly to: ReadonlyArray<{ organId: string; organName?: string }>;
  readonly codeNumber: string;
  readonly codeNotation: string;
  readonly subject: string;
  readonly content?: string;
  readonly documentType?: { type: string; typeName?: string };
  /** `YYYY-MM-DD`; default today in Vietnam. */
  readonly promulgationDate?: string;
  readonly place?: string;
  readonly signerName?: string;
  readonly attachments?: ReadonlyArray<{ name: string; contentType: string; data: string }>;
}

export interface StatusInput {
  readonly statusCode: '02' | '03' | '04' | '05' | '06';
  readonly description?: string;
}

export interface DocumentServiceOptions {
  readonly repo: DocumentRepository;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly axis: DocumentAxis;
  /** Our agency on the axis. */
  readonly agency: { readonly organId: string; readonly organName?: string };
  readonly signer: DocumentSigner;
  readonly trust: DocumentTrust;
  /** Inbox polling interval; 0 polls only when `poll()` is called. */
  readonly pollIntervalMs: number;
  readonly maxAttachmentBytes: number;
  /** First retry delay of the outbox (doubles per attempt, with jitter). Default 2000. */
  readonly retryBaseDelayMs?: number;
  /** Days sent outbox entries and settled inbox records are kept (pruned once a day). Default 90. */
  readonly retentionDays?: number;
  readonly now?: () => Date;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const nfc = (s: string | undefined) => s?.normalize('NFC').trim();

/** `YYYY/MM/DD` of an instant in Vietnam time (UTC+07:00). */
function vietnamDay(at: Date): string {
  return new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '/');
}

function errorText(error: unknown): string {
  if (isLgspError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** The summary of one validation report. */
function summarize(
  report: ValidationReport,
  target: DocumentSignatureSummary['target'],
  attachment?: string,
): DocumentSignatureSummary[] {
  if (report.signatures.length === 0)
    return [
      {
        target,
        ...(attachment !== undefined ? { attachment } : {}),
        indication: 'NO_SIGNATURE',
        message: { vi: 'Không có chữ ký số.', en: 'Not signed.' },
      },
    ];
  return report.signatures.map((s) => ({
    target,
    ...(attachment !== undefined ? { attachment } : {}),
    indication: s.indication,
    ...(s.subIndication !== undefined ? { subIndication: s.subIndication } : {}),
    ...(s.signer?.commonName !== undefined ? { signer: s.signer.commonName } : {}),
    ...(s.signingTime.claimed !== undefined ? { signingTime: s.signingTime.claimed } : {}),
    message: { vi: s.message.vi, en: s.message.en },
  }));
}

const isPdf = (a: { contentType?: string; attachmentName: string }) =>
  a.contentType === 'application/pdf' || a.attachmentName.toLowerCase().endsWith('.pdf');

/** Incoming state after we report an edXML processing status. */
function stateOfStatus(code: string): DocumentState {
  if (code === '01') return 'received';
  if (code === '02') return 'rejected';
  if (code === '06') return 'done';
  return 'processing';
}

/**
 * Official documents through the provincial LGSP document axis: outgoing documents are built as
 * edXML, signed and kept in a durable outbox until the axis has them; the inbox polls the axis,
 * verifies every received package's signatures (the edXML XML-DSig and PDF attachments), stores it
 * with its validation reports (flagged when a signature does not pass, never dropped) and answers
 * with status package 01; processing statuses 02–06 are sent back on request; status packages from
 * recipients mark outgoing documents delivered. Every change is audited and published.
 */
export class DocumentService {
  readonly agency: { readonly organId: string; readonly organName?: string };
  readonly #repo: DocumentRepository;
  readonly #bus: EventBus;
  readonly #logger: Logger;
  readonly #signer: DocumentSigner;
  readonly #trust: DocumentTrust;
  readonly #now: () => Date;
  readonly #maxAttachmentBytes: number;
  readonly #outbox: DocumentOutbox;
  readonly #inbox: DocumentInbox;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** Outbox events are applied to the documents one at a time, in order. */
  #work: Promise<unknown> = Promise.resolve();
  #polling: Promise<unknown> = Promise.resolve();
  #closed = false;
  readonly #retentionMs: number;
  #prunedAt = 0;

  private constructor(options: DocumentServiceOptions, outbox: DocumentOutbox, inbox: DocumentInbox) {
    this.agency = options.agency;
    this.#repo = options.repo;
    this.#bus = options.bus;
    this.#logger = options.logger;
    this.#signer = options.signer;
    this.#trust = options.trust;
    this.#now = options.now ?? (() => new Date());
    this.#maxAttachmentBytes = options.maxAttachmentBytes;
    this.#retentionMs = (options.retentionDays ?? 90) * 86_400_000;
    this.#outbox = outbox;
    this.#inbox = inbox;
  }

  /** Opens the outbox (sending in the background) and the inbox (polling every `pollIntervalMs`). */
  static async open(options: DocumentServiceOptions): Promise<DocumentService> {
    // Events of entries restored from the store may come before the service exists.
    const holder: { service?: DocumentService } = {};
    const pending: OutboxEvent[] = [];
    const outbox = await DocumentOutbox.open({
      axis: options.axis,
      store: exchangeStore(options.repo, 'outbox'),
      backoff: { baseDelayMs: options.retryBaseDelayMs ?? 2000, maxDelayMs: 600_000 },
      autoStart: false,
      onEvent: (event) => {
        if (holder.service === undefined) pending.push(event);
        else holder.service.#outboxEvent(event);
      },
    });
    const inbox = await DocumentInbox.open({
      axis: options.axis,
      store: exchangeStore(options.repo, 'inbox'),
      pollIntervalMs: Math.max(options.pollIntervalMs, 1000),
    });
    const service = new DocumentService(options, outbox, inbox);
    holder.service = service;
    for (const e of pending) service.#outboxEvent(e);
    outbox.start();
    if (options.pollIntervalMs > 0) {
      const s = service;
      s.#timer = setInterval(() => void s.poll().catch(() => undefined), options.pollIntervalMs);
      s.#timer.unref();
    }
    return service;
  }

  now(): Date {
    return this.#now();
  }

  // ── sending ──

  /** Builds, signs and queues a document; resolves once it is durable in the outbox. */
  async send(input: SendDocumentInput, actor: string): Promise<OfficialDocument> {
    const now = this.#now();
    const date = input.promulgationDate?.replace(/-/g, '/') ?? vietnamDay(now);
    const attachments = (input.attachments ?? []).map((a, i) => {
      if (!BASE64.test(a.data))
        throw new DocumentRequestError(422, 'ATTACHMENT_INVALID', `attachment ${i + 1} is not base64`);
      const content = Buffer.from(a.data, 'base64');
      if (content.length === 0)
        throw new DocumentRequestError(422, 'ATTACHMENT_INVALID', `attachment ${i + 1} is empty`);
      if (content.length > this.#maxAttachmentBytes)
        throw new DocumentRequestError(
          413,
          'ATTACHMENT_TOO_LARGE',
          `attachment ${i + 1} has ${content.length} bytes; at most ${this.#maxAttachmentBytes} are accepted`,
          { bytes: content.length, maxBytes: this.#maxAttachmentBytes },
        );
      if (a.contentType === 'application/pdf' && content.subarray(0, 5).toString('latin1') !== '%PDF-')
        throw new DocumentRequestError(422, 'ATTACHMENT_INVALID', `attachment ${i + 1} is not a PDF file`);
      return { name: nfc(a.name) ?? '', contentType: a.contentType, content };
    });
    const codeNumber = input.codeNumber.trim();
    const codeNotation = nfc(input.codeNotation) ?? '';
    const documentId = edxmlDocumentId(this.agency.organId, date, codeNumber, codeNotation);
    if ((await this.#repo.findDocument('out', documentId)) !== undefined)
      throw new DocumentRequestError(409, 'DOCUMENT_EXISTS', `document ${documentId} was sent already`, {
        documentId,
      });
    const to = input.to.map((t) => ({
      organId: t.organId.trim(),
      ...(t.organName !== undefined ? { organName: nfc(t.organName) ?? '' } : {}),
    }));
    const place = nfc(input.place);
    const content = nfc(input.content);
    const signerName = nfc(input.signerName);
    const pkg: EdxmlDocument = {
      kind: 'edoc',
      messageHeader: {
        from: { ...this.agency },
        to,
        documentId,
        code: { codeNumber, codeNotation },
        promulgationInfo: { promulgationDate: date, ...(place ? { place } : {}) },
        documentType: input.documentType ?? { type: '1', typeName: 'Công văn' },
        subject: nfc(input.subject) ?? '',
        ...(content ? { content } : {}),
        ...(signerName ? { signerInfo: { fullName: signerName } } : {}),
      },
      traceHeaderList: { traceHeaders: [] },
      attachments: attachments.map((a, i) => ({
        contentId: `att${i + 1}`,
        contentType: a.contentType,
        attachmentName: a.name,
        content: a.content,
      })),
    };
    let xml: string;
    try {
      xml = buildEdxml(pkg);
    } catch (err) {
      if (isLgspError(err))
        throw new DocumentRequestError(422, err.code, err.message, {
          ...(err.details !== undefined ? { details: err.details } : {}),
        });
      throw err;
    }
    const signed = signEdxml(xml, {
      key: this.#signer.key,
      certificateChain: [...this.#signer.certificateChain],
    });
    const at = now.toISOString();
    const doc: OfficialDocument = {
      id: randomBytes(8).toString('hex'),
      direction: 'out',
      documentId,
      from: { ...this.agency },
      to,
      codeNumber,
      codeNotation,
      subject: pkg.messageHeader.subject,
      ...(input.documentType?.typeName !== undefined ? { documentType: input.documentType.typeName } : {}),
      promulgationDate: date,
      ...(place ? { place } : {}),
      ...(signerName ? { signerName } : {}),
      attachments: attachments.map((a) => ({
        name: a.name,
        contentType: a.contentType,
        bytes: a.content.length,
        sha256: createHash('sha256').update(a.content).digest('hex'),
      })),
      state: 'queued',
      flagged: false,
      signatures: [],
      statuses: {},
      createdAt: at,
      updatedAt: at,
      history: [{ at, state: 'queued', by: actor }],
    };
    const created = await this.#repo.createDocument(
      doc,
      { edxml: signed, reports: { attachments: [] } },
      {
        actor,
        action: 'document.send',
        subject: `document:${doc.id}`,
        data: { documentId, to: to.map((t) => t.organId), attachments: doc.attachments.length },
      },
    );
    if (created === 'exists')
      throw new DocumentRequestError(409, 'DOCUMENT_EXISTS', `document ${documentId} was sent already`, {
        documentId,
      });
    try {
      await this.#outbox.enqueue(signed, { id: `edoc:${documentId}` });
    } catch (err) {
      // Not in the outbox: the record says so rather than waiting forever in `queued`.
      const failed: OfficialDocument = {
        ...doc,
        state: 'failed',
        history: [...doc.history, { at, state: 'failed', by: 'system', description: errorText(err) }],
      };
      await this.#repo.updateDocument(failed, {
        actor: 'system',
        action: 'document.failed',
        subject: `document:${doc.id}`,
        data: { documentId, error: errorText(err) },
      });
      throw err;
    }
    await this.#publishStatus(doc, { kind: 'outgoing', state: 'queued' });
    return doc;
  }

  // ── receiving ──

  /** One inbox round: lists the axis, handles every new document and status package. */
  poll(signal?: AbortSignal): Promise<void> {
    const run = this.#polling.then(async () => {
      if (this.#closed) return;
      try {
        await this.#inbox.poll((document, message) => this.#received(document, message), {
          ...(signal !== undefined ? { signal } : {}),
        });
        const now = this.#now().getTime();
        if (now - this.#prunedAt >= 86_400_000) {
          this.#prunedAt = now;
          await this.prune(new Date(now - this.#retentionMs));
        }
      } catch (err) {
        this.#logger.warn('LGSP inbox poll failed', { error: errorText(err) });
        throw err;
      }
    });
    this.#polling = run.catch(() => undefined);
    return run;
  }

  async #received(document: ParsedEdxml, message: InboxMessage): Promise<void> {
    if (document.kind === 'status') {
      const entry = await this.#outbox.trackStatus(document);
      if (entry === undefined)
        this.#logger.info('status package for a document we did not send', {
          documentId: document.status.responseFor.documentId ?? null,
        });
      await this.#work; // the outbox's status event is applied before the message is acknowledged
      return;
    }
    const h = document.messageHeader;
    const documentId =
      h.documentId ??
      edxmlDocumentId(
        h.from.organId,
        h.promulgationInfo.promulgationDate,
        h.code.codeNumber,
        h.code.codeNotation,
      );
    let doc = await this.#repo.findDocument('in', documentId);
    if (doc === undefined) doc = await this.#store(document, documentId, message);
    // Status 01 answers once per document (the outbox drops a repeat of the same id).
    await this.#sendStatus(doc, { statusCode: '01' }, 'system', document);
  }

  async #verify(
    xml: Uint8Array,
    document: EdxmlDocument,
  ): Promise<{
    signatures: DocumentSignatureSummary[];
    reports: DocumentReports;
  }> {
    const options = { trustStore: this.#trust.trustStore, crls: [...this.#trust.crls] };
    const signatures: DocumentSignatureSummary[] = [];
    let edxml: JsonValue | undefined;
    try {
      const report = await verifyEdxml(xml, options);
      edxml = report as unknown as JsonValue;
      signatures.push(...summarize(report, 'edxml'));
    } catch (err) {
      signatures.push({
        target: 'edxml',
        indication: 'TOTAL_FAILED',
        subIndication: 'FORMAT_FAILURE',
        message: {
          vi: `Không kiểm tra được chữ ký: ${errorText(err)}`,
          en: `Signature not verifiable: ${errorText(err)}`,
        },
      });
    }
    const attachments: Array<{ name: string; report: JsonValue }> = [];
    for (const a of document.attachments) {
      if (!isPdf(a)) continue;
      try {
        const report = await verifyPdf(a.content, options);
        attachments.push({ name: a.attachmentName, report: report as unknown as JsonValue });
        signatures.push(...summarize(report, 'attachment', a.attachmentName));
      } catch (err) {
        signatures.push({
          target: 'attachment',
          attachment: a.attachmentName,
          indication: 'TOTAL_FAILED',
          subIndication: 'FORMAT_FAILURE',
          message: {
            vi: `Không đọc được tệp PDF: ${errorText(err)}`,
            en: `Unreadable PDF: ${errorText(err)}`,
          },
        });
      }
    }
    return { signatures, reports: { ...(edxml !== undefined ? { edxml } : {}), attachments } };
  }

  async #store(
    document: EdxmlDocument,
    documentId: string,
    message: InboxMessage,
  ): Promise<OfficialDocument> {
    const h = document.messageHeader;
    const { signatures, reports } = await this.#verify(message.xml, document);
    // The package itself must be signed and valid; an unsigned PDF attachment is not a fault.
    const flagged = signatures.some(
      (s) =>
        s.indication !== 'TOTAL_PASSED' && !(s.target === 'attachment' && s.indication === 'NO_SIGNATURE'),
    );
    const at = this.#now().toISOString();
    const doc: OfficialDocument = {
      id: randomBytes(8).toString('hex'),
      direction: 'in',
      documentId,
      from: { organId: h.from.organId, ...(h.from.organName ? { organName: h.from.organName } : {}) },
      to: h.to.map((t) => ({ organId: t.organId, ...(t.organName ? { organName: t.organName } : {}) })),
      codeNumber: h.code.codeNumber,
      codeNotation: h.code.codeNotation,
      subject: h.subject,
      ...(h.documentType.typeName ? { documentType: h.documentType.typeName } : {}),
      promulgationDate: h.promulgationInfo.promulgationDate,
      ...(h.promulgationInfo.place ? { place: h.promulgationInfo.place } : {}),
      ...(h.signerInfo?.fullName ? { signerName: h.signerInfo.fullName } : {}),
      attachments: document.attachments.map((a) => ({
        name: a.attachmentName,
        contentType: a.contentType ?? 'application/octet-stream',
        bytes: a.content.length,
        sha256: createHash('sha256').update(a.content).digest('hex'),
      })),
      state: 'received',
      flagged,
      signatures,
      axisDocId: message.docId,
      statuses: {},
      createdAt: at,
      updatedAt: at,
      history: [
        {
          at,
          state: 'received',
          by: 'system',
          ...(flagged ? { description: 'signature not valid: flagged / chữ ký không hợp lệ: gắn cờ' } : {}),
        },
      ],
    };
    const outcome = await this.#repo.createDocument(
      doc,
      { edxml: Buffer.from(message.xml).toString('utf8'), reports },
      {
        actor: 'system',
        action: 'document.receive',
        subject: `document:${doc.id}`,
        data: {
          documentId,
          from: doc.from.organId,
          axisDocId: message.docId,
          flagged,
          indications: signatures.map((s) => s.indication),
        },
      },
    );
    if (outcome === 'exists') {
      const stored = await this.#repo.findDocument('in', documentId);
      if (stored !== undefined) return stored;
    }
    await this.#bus.publish(
      'document.received',
      {
        ...(doc as unknown as Record<string, JsonValue>),
        indication: flagged ? 'flagged' : 'valid',
      },
      { subject: `document:${doc.id}` },
    );
    return doc;
  }

  // ── status packages ──

  /** Records a processing status of a received document and sends the status package back. */
  async recordStatus(id: string, input: StatusInput, actor: string): Promise<OfficialDocument> {
    const doc = await this.get(id);
    if (doc.direction !== 'in')
      throw new DocumentRequestError(
        409,
        'NOT_A_RECEIVED_DOCUMENT',
        'statuses are reported for received documents only',
      );
    if (doc.state === 'done' || doc.state === 'rejected')
      throw new DocumentRequestError(
        409,
        'DOCUMENT_CLOSED',
        `the document is ${doc.state}: no further status`,
        {
          state: doc.state,
        },
      );
    const xml = await this.#repo.getDocumentEdxml(id);
    if (xml === undefined) throw new DocumentRequestError(404, 'DOCUMENT_NOT_FOUND', `no document "${id}"`);
    const parsed = await parseEdxml(xml, { validate: false });
    if (parsed.kind !== 'edoc') throw new Error(`stored package of ${id} is not a document`);
    return this.#sendStatus(
      doc,
      { statusCode: input.statusCode, ...(input.description ? { description: input.description } : {}) },
      actor,
      parsed,
    );
  }

  async #sendStatus(
    doc: OfficialDocument,
    status: { statusCode: EdxmlStatusCode; description?: string },
    actor: string,
    received: EdxmlDocument,
  ): Promise<OfficialDocument> {
    const description = nfc(status.description);
    const n = doc.history.filter((e) => e.statusCode !== undefined && e.agency === doc.from.organId).length;
    const id =
      status.statusCode === '01'
        ? `status:${doc.documentId}:01`
        : `status:${doc.documentId}:${status.statusCode}:${n}`;
    if (status.statusCode === '01' && doc.statuses[doc.from.organId] !== undefined) return doc;
    const now = this.#now();
    const pkg = createStatusPackage(received, {
      from: { ...this.agency },
      statusCode: status.statusCode,
      ...(description ? { description } : {}),
      at: now,
    });
    await this.#outbox.enqueue(pkg, { id });
    const at = now.toISOString();
    const state = stateOfStatus(status.statusCode);
    const entry: DocumentHistoryEntry = {
      at,
      state,
      statusCode: status.statusCode,
      agency: doc.from.organId,
      by: actor,
      ...(description ? { description } : {}),
    };
    const next: OfficialDocument = {
      ...doc,
      state,
      updatedAt: at,
      statuses: { ...doc.statuses, [doc.from.organId]: { statusCode: status.statusCode, at } },
      history: [...doc.history, entry],
    };
    await this.#repo.updateDocument(next, {
      actor,
      action: 'document.status',
      subject: `document:${doc.id}`,
      data: { statusCode: status.statusCode, to: doc.from.organId, ...(description ? { description } : {}) },
    });
    await this.#publishStatus(next, {
      kind: 'status-queued',
      state,
      statusCode: status.statusCode,
      agency: doc.from.organId,
    });
    return next;
  }

  // ── outbox progress ──

  #outboxEvent(event: OutboxEvent): void {
    if (event.type === 'error') {
      this.#logger.warn('LGSP outbox error', { error: errorText(event.error) });
      return;
    }
    if (event.type === 'enqueued' || event.type === 'duplicate' || event.type === 'sending') return;
    const run = this.#work.then(() => this.#applyOutbox(event));
    this.#work = run.catch((err: unknown) =>
      this.#logger.error('document outbox update failed', { error: errorText(err) }),
    );
  }

  async #applyOutbox(event: Exclude<OutboxEvent, { type: 'error' | 'enqueued' | 'duplicate' | 'sending' }>) {
    const entry: OutboxEntry = event.entry;
    if (entry.documentId === undefined) return;
    const at = this.#now().toISOString();
    if (entry.messageType === 'status') {
      // A status package we answer a received document with.
      const doc = await this.#repo.findDocument('in', entry.documentId);
      if (doc === undefined || (event.type !== 'sent' && event.type !== 'dead')) return;
      const code = /^status:.*:(\d{2})(?::\d+)?$/.exec(entry.id)?.[1];
      await this.#publishStatus(doc, {
        kind: event.type === 'sent' ? 'status-sent' : 'status-failed',
        state: doc.state,
        ...(code !== undefined ? { statusCode: code } : {}),
        agency: entry.to[0] ?? doc.from.organId,
        ...(event.type === 'dead' ? { error: errorText(event.error) } : {}),
      });
      return;
    }
    const doc = await this.#repo.findDocument('out', entry.documentId);
    if (doc === undefined) return;
    let next: OfficialDocument;
    let info: StatusInfo;
    if (event.type === 'sent') {
      if (doc.state === 'delivered') return;
      next = {
        ...doc,
        state: 'sent',
        ...(entry.docId !== undefined ? { axisDocId: entry.docId } : {}),
        updatedAt: at,
        history: [
          ...doc.history,
          {
            at,
            state: 'sent',
            by: 'system',
            ...(entry.docId ? { description: `axis id ${entry.docId}` } : {}),
          },
        ],
      };
      info = { kind: 'outgoing', state: 'sent' };
    } else if (event.type === 'retry') {
      if (doc.state !== 'queued' && doc.state !== 'retrying') return;
      const description = `attempt ${entry.attempts} failed (${errorText(event.error)}); retrying in ${Math.round(event.delayMs / 1000)} s`;
      next = {
        ...doc,
        state: 'retrying',
        updatedAt: at,
        history: [...doc.history, { at, state: 'retrying', by: 'system', description }],
      };
      info = { kind: 'outgoing', state: 'retrying', error: errorText(event.error) };
    } else if (event.type === 'dead') {
      next = {
        ...doc,
        state: 'failed',
        updatedAt: at,
        history: [...doc.history, { at, state: 'failed', by: 'system', description: errorText(event.error) }],
      };
      info = { kind: 'outgoing', state: 'failed', error: errorText(event.error) };
    } else {
      // A recipient's status package (trackStatus).
      const s = entry.statuses[event.agency];
      if (s === undefined) return;
      next = {
        ...doc,
        state: 'delivered',
        updatedAt: at,
        statuses: { ...doc.statuses, [event.agency]: { statusCode: s.statusCode, at } },
        history: [
          ...doc.history,
          {
            at,
            state: 'delivered',
            statusCode: s.statusCode,
            agency: event.agency,
            by: event.agency,
            ...(s.description !== undefined ? { description: s.description } : {}),
          },
        ],
      };
      info = { kind: 'status-received', state: 'delivered', statusCode: s.statusCode, agency: event.agency };
    }
    await this.#repo.updateDocument(next, {
      actor: 'system',
      action: `document.${next.state}`,
      subject: `document:${doc.id}`,
      data: {
        documentId: doc.documentId,
        ...(info.statusCode ? { statusCode: info.statusCode } : {}),
        ...(info.agency ? { agency: info.agency } : {}),
      },
    });
    await this.#publishStatus(next, info);
  }

  async #publishStatus(doc: OfficialDocument, info: StatusInfo): Promise<void> {
    await this.#bus.publish(
      'document.status',
      {
        id: doc.id,
        direction: doc.direction,
        documentId: doc.documentId,
        subject: doc.subject,
        kind: info.kind,
        state: info.state,
        flagged: doc.flagged,
        ...(info.statusCode !== undefined
          ? {
              statusCode: info.statusCode,
              statusMeaning: EDXML_STATUS_MEANINGS[info.statusCode as EdxmlStatusCode] ?? info.statusCode,
            }
          : {}),
        ...(info.agency !== undefined ? { agency: info.agency } : {}),
        ...(info.error !== undefined ? { error: info.error } : {}),
        at: doc.updatedAt,
      },
      { subject: `document:${doc.id}` },
    );
  }

  // ── reading ──

  async list(filter: DocumentFilter): Promise<OfficialDocument[]> {
    return this.#repo.listDocuments(filter);
  }

  async get(id: string): Promise<OfficialDocument> {
    const doc = await this.#repo.getDocument(id);
    if (doc === undefined) throw new DocumentRequestError(404, 'DOCUMENT_NOT_FOUND', `no document "${id}"`);
    return doc;
  }

  async edxml(id: string): Promise<string> {
    await this.get(id);
    const xml = await this.#repo.getDocumentEdxml(id);
    if (xml === undefined) throw new DocumentRequestError(404, 'DOCUMENT_NOT_FOUND', `no document "${id}"`);
    return xml;
  }

  async reports(id: string): Promise<DocumentReports> {
    await this.get(id);
    return (await this.#repo.getDocumentReports(id)) ?? { attachments: [] };
  }

  /**
   * Forgets sent outbox entries and settled inbox records older than `before` (the documents stay; a
   * copy of an old package arriving later is still recognised by its DocumentId). Returns the counts.
   */
  async prune(before: Date): Promise<{ outbox: number; inbox: number }> {
    const outbox = await this.#outbox.prune(before.getTime());
    const inbox = await this.#inbox.prune(before.getTime());
    if (outbox + inbox > 0) this.#logger.info('LGSP exchange store pruned', { outbox, inbox });
    return { outbox, inbox };
  }

  /** Waits until the outbox's events seen so far are applied (tests, shutdown). */
  async settled(): Promise<void> {
    await this.#work;
  }

  /** Stops polling and sending (unsent documents stay in the outbox for the next start). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    await this.#polling;
    await this.#inbox.close();
    await this.#outbox.close();
    await this.#work;
  }
}

interface StatusInfo {
  readonly kind: 'outgoing' | 'status-queued' | 'status-sent' | 'status-failed' | 'status-received';
  readonly state: DocumentState;
  readonly statusCode?: string;
  readonly agency?: string;
  readonly error?: string;
}

import type { AgencyEntry } from '../edxml/agency-catalogue.js';
import { buildEdxml } from '../edxml/build.js';
import type { EdxmlPackage } from '../edxml/model.js';
import { LgspError } from '../errors.js';
import type { LgspClient } from '../http/client.js';
import {
  defaultDocumentAxisCodec,
  type AxisRequest,
  type DocumentAxisCodec,
  type EdocMessageType,
  type EdocProcessingStatus,
  type ReceivedEdocEntry,
  type SendEdocResult,
} from './codec.js';

/** Options of {@link DocumentAxis}. */
export interface DocumentAxisOptions {
  /** The client that carries the calls (auth, TLS, retries, circuit breaker, middleware). */
  readonly client: LgspClient;
  /** How the operations travel over HTTP. Default {@link defaultDocumentAxisCodec}. */
  readonly codec?: DocumentAxisCodec;
  /** Path prefix of the axis on the gateway, e.g. `/edoc/1.0`. Default none. */
  readonly basePath?: string;
}

/** Options common to every axis call. */
export interface AxisCallOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/** What {@link DocumentAxis.sendEdoc} sends. */
export interface SendEdocInput extends AxisCallOptions {
  /** A package (built and validated here) or the edXML already serialized. */
  readonly edxml: EdxmlPackage | string | Uint8Array;
  /** The sender's agency code. Default: `From` of the package (required for serialized input). */
  readonly from?: string;
  /** Default: from the package's kind (required for serialized input). */
  readonly messageType?: EdocMessageType;
  readonly fileName?: string;
}

/** A day as `YYYY/MM/DD`, or an instant (its date in Vietnam time). */
export type AxisDate = string | Date;

/** What {@link DocumentAxis.getReceivedEdocList} asks for. */
export interface ListReceivedInput extends AxisCallOptions {
  readonly messageType: EdocMessageType;
  readonly fromDate: AxisDate;
  readonly toDate: AxisDate;
}

const VN_OFFSET_MS = 7 * 3600 * 1000;
const DAY = /^\d{4}\/(0[1-9]|1[0-2])\/(0[1-9]|[12]\d|3[01])$/;

/** `YYYY/MM/DD` of an instant in Vietnam time (UTC+07:00, no DST). */
export function axisDate(at: Date | number): string {
  const d = new Date((typeof at === 'number' ? at : at.getTime()) + VN_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}`;
}

function toAxisDate(value: AxisDate, name: string): string {
  if (typeof value !== 'string') return axisDate(value);
  if (!DAY.test(value)) {
    throw new LgspError('CONFIG_INVALID', `${name} must be YYYY/MM/DD, got "${value}"`, {
      details: { field: name, value },
    });
  }
  return value;
}

/**
 * The operations of a provincial document axis (trục liên thông văn bản): `sendEdoc`,
 * `getReceivedEdocList`, `getEdoc`, `updateStatus` and `getAgenciesList`, carried by an
 * {@link LgspClient} and encoded by a pluggable {@link DocumentAxisCodec}.
 */
export class DocumentAxis {
  readonly codec: DocumentAxisCodec;
  private readonly client: LgspClient;
  private readonly basePath: string;

  constructor(options: DocumentAxisOptions) {
    this.client = options.client;
    this.codec = options.codec ?? defaultDocumentAxisCodec();
    const base = (options.basePath ?? '').replace(/\/+$/, '');
    if (base !== '' && !base.startsWith('/')) {
      throw new LgspError('CONFIG_INVALID', `basePath must start with "/", got "${base}"`, {
        details: { field: 'basePath' },
      });
    }
    this.basePath = base;
  }

  /** Sends a document or status package; resolves with the id the axis gave it. Not retried here. */
  async sendEdoc(input: SendEdocInput): Promise<SendEdocResult> {
    let bytes: Uint8Array;
    let from = input.from;
    let messageType = input.messageType;
    if (typeof input.edxml === 'string') bytes = new TextEncoder().encode(input.edxml);
    else if (input.edxml instanceof Uint8Array) bytes = input.edxml;
    else {
      const pkg = input.edxml;
      bytes = new TextEncoder().encode(buildEdxml(pkg));
      from ??= pkg.kind === 'edoc' ? pkg.messageHeader.from.organId : pkg.status.from.organId;
      messageType ??= pkg.kind;
    }
    if (from === undefined || messageType === undefined) {
      throw new LgspError(
        'CONFIG_INVALID',
        'sendEdoc of serialized edXML needs `from` and `messageType` / cần `from` và `messageType`',
        { details: { field: from === undefined ? 'from' : 'messageType' } },
      );
    }
    const request = this.codec.encodeSendEdoc({
      from,
      messageType,
      edxml: bytes,
      ...(input.fileName === undefined ? {} : { fileName: input.fileName }),
    });
    return this.codec.decodeSendEdoc(await this.send(request, input));
  }

  /** Lists the messages of one type waiting for this agency, received between two days (inclusive). */
  async getReceivedEdocList(input: ListReceivedInput): Promise<ReceivedEdocEntry[]> {
    const request = this.codec.encodeListReceived({
      messageType: input.messageType,
      fromDate: toAxisDate(input.fromDate, 'fromDate'),
      toDate: toAxisDate(input.toDate, 'toDate'),
    });
    return this.codec.decodeListReceived(await this.send(request, input));
  }

  /** Downloads one message as edXML bytes (decoded from base64). */
  async getEdoc(docId: string, options: AxisCallOptions = {}): Promise<Uint8Array> {
    return this.codec.decodeGetEdoc(await this.send(this.codec.encodeGetEdoc(docId), options));
  }

  /** Reports what this agency did with a received message: `done`, `fail` or `processing`. */
  async updateStatus(
    docId: string,
    status: EdocProcessingStatus,
    options: AxisCallOptions & { readonly description?: string } = {},
  ): Promise<void> {
    const request = this.codec.encodeUpdateStatus({
      docId,
      status,
      ...(options.description === undefined ? {} : { description: options.description }),
    });
    this.codec.decodeUpdateStatus(await this.send(request, options));
  }

  /** The agencies connected to the axis, ready for `AgencyCatalogue.from`. */
  async getAgenciesList(options: AxisCallOptions = {}): Promise<AgencyEntry[]> {
    return this.codec.decodeGetAgencies(await this.send(this.codec.encodeGetAgencies(), options));
  }

  private async send(request: AxisRequest, options: AxisCallOptions) {
    return this.client.request({
      method: request.method,
      path: `${this.basePath}${request.path}`,
      ...(request.query === undefined ? {} : { query: request.query }),
      ...(request.headers === undefined ? {} : { headers: request.headers }),
      ...(request.body === undefined ? {} : { body: request.body }),
      idempotent: request.idempotent,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
  }
}

import { randomUUID } from 'node:crypto';
import type { AgencyEntry } from '../edxml/agency-catalogue.js';
import { LgspError } from '../errors.js';
import type { components } from '../generated/lgsp.js';
import { invalidResponse, isObject, parseJsonResponse, pick, type Json } from '../json-response.js';

type Schemas = components['schemas'];

/** The two kinds of messages a document axis carries: documents and status packages. */
export type EdocMessageType = 'edoc' | 'status';

/** What a recipient reports with `updateStatus`. */
export type EdocProcessingStatus = 'done' | 'fail' | 'processing';

/** A `sendEdoc` call, before encoding. */
export interface SendEdocRequest {
  /** The sending agency's code (mã định danh). */
  readonly from: string;
  readonly messageType: EdocMessageType;
  /** The edXML package. */
  readonly edxml: Uint8Array;
  /** File name of the multipart part. Default `edoc.edxml` / `status.edxml`. */
  readonly fileName?: string;
}

/** The axis's answer to `sendEdoc`. */
export interface SendEdocResult {
  /** Identifier the axis gave the message. */
  readonly docId: string;
  /** The decoded response body. */
  readonly raw: unknown;
}

/** A `syncReceivedEdocList` call, before encoding. */
export interface ListReceivedRequest {
  readonly messageType: EdocMessageType;
  /** `YYYY/MM/DD`. */
  readonly fromDate: string;
  /** `YYYY/MM/DD`. */
  readonly toDate: string;
}

/** One message waiting in the agency's mailbox. */
export interface ReceivedEdocEntry {
  /** Identifier the axis gave the message; pass it to `getEdoc` and `updateStatus`. */
  readonly docId: string;
  /** The sending agency's code, when the axis lists it. */
  readonly from?: string;
  /** The kind of message, when the axis lists it. */
  readonly messageType?: EdocMessageType;
  /** The entry as decoded. */
  readonly raw: unknown;
}

/** An `updateStatus` call, before encoding. */
export interface UpdateStatusRequest {
  readonly docId: string;
  readonly status: EdocProcessingStatus;
  /** Why, for `fail`. */
  readonly description?: string;
}

/** An HTTP request built by a codec; the path is relative to the axis base path. */
export interface AxisRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** e.g. `/v1/sendEdoc`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** Whether the transport may retry it after a network error or a 5xx. */
  readonly idempotent: boolean;
}

/** A successful (2xx) HTTP response given to a codec. */
export interface AxisResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Uint8Array;
  readonly requestId: string;
}

/**
 * How the document-axis operations travel over HTTP: each operation has an encoder (what to send)
 * and a decoder (what the answer means). Decoders throw `RESPONSE_INVALID` (with `details.field`)
 * for a body they do not understand and `AXIS_REJECTED` when the axis reports an error.
 */
export interface DocumentAxisCodec {
  readonly name: string;
  encodeSendEdoc(request: SendEdocRequest): AxisRequest;
  decodeSendEdoc(response: AxisResponse): SendEdocResult;
  encodeListReceived(request: ListReceivedRequest): AxisRequest;
  decodeListReceived(response: AxisResponse): ReceivedEdocEntry[];
  encodeGetEdoc(docId: string): AxisRequest;
  /** Returns the edXML bytes. */
  decodeGetEdoc(response: AxisResponse): Uint8Array;
  encodeUpdateStatus(request: UpdateStatusRequest): AxisRequest;
  decodeUpdateStatus(response: AxisResponse): void;
  encodeGetAgencies(): AxisRequest;
  decodeGetAgencies(response: AxisResponse): AgencyEntry[];
}

/** Options of {@link defaultDocumentAxisCodec}. */
export interface DefaultCodecOptions {
  /** Multipart field carrying the JSON header `{from, servicetype, messagetype}`. Default `header`. */
  readonly headerField?: string;
  /** Multipart field carrying the edXML file. Default `file`. */
  readonly fileField?: string;
  /** Value of `servicetype` in the header. Default `eDoc`. */
  readonly serviceType?: string;
  /** Multipart boundary generator (tests). Default a random UUID. */
  readonly boundary?: () => string;
}

function invalid(operation: string, field: string, message: string, response: AxisResponse): LgspError {
  return invalidResponse(operation, field, message, response);
}

const parseJson = parseJsonResponse;

const STATUS_FIELDS = ['status', 'result'];
const DESCRIPTION_FIELDS = ['errorDesc', 'errorDescription', 'description', 'message'];
const WRAPPERS = ['data', 'result'];

/**
 * Checks the result status of an object response: `status` (or `result`) must be `OK` (any case);
 * another string is the axis's error description (`AXIS_REJECTED`). A `data` or `result` wrapper
 * object is looked into when the top level has no status.
 */
function checkStatus(operation: string, body: Json, response: AxisResponse): void {
  const candidates = [body, ...WRAPPERS.map((w) => pick(body, [w])).filter(isObject)];
  for (const obj of candidates) {
    const status = pick(obj, STATUS_FIELDS);
    if (typeof status === 'string') {
      if (status.trim().toUpperCase() === 'OK') return;
      const extra = pick(obj, DESCRIPTION_FIELDS);
      const description = typeof extra === 'string' && extra !== '' ? `${status}: ${extra}` : status;
      throw new LgspError(
        'AXIS_REJECTED',
        `${operation} was refused by the document axis: ${description} / trục liên thông từ chối ${operation}: ${description}`,
        { details: { operation, description, status: response.status, requestId: response.requestId } },
      );
    }
  }
  throw invalid(operation, 'status', 'no result status ("OK" or an error description)', response);
}

/** The object holding an operation's fields: the body or its `data`/`result` wrapper. */
function payload(body: Json, has: readonly string[]): Json {
  if (pick(body, has) !== undefined) return body;
  for (const w of WRAPPERS) {
    const inner = pick(body, [w]);
    if (isObject(inner) && pick(inner, has) !== undefined) return inner;
  }
  return body;
}

const LIST_FIELDS = ['data', 'result', 'items', 'edocs', 'agencies'];

/** A list response: a bare array, or an object with a status and an array under a list field. */
function listOf(operation: string, response: AxisResponse): { items: unknown[]; field: string } {
  const body = parseJson(operation, response);
  if (Array.isArray(body)) return { items: body, field: '' };
  if (!isObject(body)) throw invalid(operation, '(body)', 'not a JSON object or array', response);
  checkStatus(operation, body, response);
  for (const name of LIST_FIELDS) {
    const value = pick(body, [name]);
    if (Array.isArray(value)) return { items: value, field: name };
    if (isObject(value)) {
      for (const innerName of LIST_FIELDS) {
        const inner = pick(value, [innerName]);
        if (Array.isArray(inner)) return { items: inner, field: `${name}.${innerName}` };
      }
    }
  }
  throw invalid(operation, 'data', 'no list', response);
}

function idString(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function itemPath(field: string, i: number, name: string): string {
  return field === '' ? `[${i}].${name}` : `${field}[${i}].${name}`;
}

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const size = parts.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

function contains(haystack: Uint8Array, needle: Buffer): boolean {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).includes(needle);
}

/**
 * The default codec, following the operation names and parameters published for provincial
 * document axes and the VXP SDK:
 *
 * - `POST /v1/sendEdoc`, `multipart/form-data` with a `header` field (JSON
 *   `{"from","servicetype":"eDoc","messagetype"}`) and a `file` field (the edXML); answer
 *   `{"status":"OK","docId":"…"}`.
 * - `GET /v1/syncReceivedEdocList?messageType=edoc|status&fromDate=YYYY/MM/DD&toDate=YYYY/MM/DD`;
 *   answer `{"status":"OK","data":[{"docId","from","messageType"}]}` or a bare array.
 * - `GET /v1/getEdoc?docId=`; answer `{"status":"OK","data":"<base64 edXML>"}`, a base64 text body or
 *   the XML itself.
 * - `POST /v1/updateStatus` with JSON `{"docId","status":"done|fail|processing","description"}`;
 *   answer `{"status":"OK"}` or 204.
 * - `GET /v1/getAgenciesList`; answer `{"status":"OK","data":[{"code","name"}]}` or a bare array.
 *
 * Tolerated on input: any case and `_`/`-` in field names (`DocId`, `doc_id`), `data`/`result`
 * wrappers, `result` for `status`, `organId`/`id`/`maDinhDanh` for an agency `code`,
 * `organName`/`tenDonVi` for its `name`, `content`/`edoc`/`file` for the base64 document.
 */
export function defaultDocumentAxisCodec(options: DefaultCodecOptions = {}): DocumentAxisCodec {
  const headerField = options.headerField ?? 'header';
  const fileField = options.fileField ?? 'file';
  const serviceType = options.serviceType ?? 'eDoc';
  const boundary = options.boundary ?? (() => `dttm-${randomUUID()}`);
  const enc = new TextEncoder();

  return {
    name: 'default',

    encodeSendEdoc(request) {
      const headerValue: Omit<Schemas['SendEdocHeader'], 'servicetype'> & { servicetype: string } = {
        from: request.from,
        servicetype: serviceType,
        messagetype: request.messageType,
      };
      const header = JSON.stringify(headerValue);
      const fileName = (request.fileName ?? `${request.messageType}.edxml`).replace(/["\r\n]/g, '_');
      let b = boundary();
      while (contains(request.edxml, Buffer.from(b))) b = `${b}-${randomUUID()}`;
      const body = concat([
        enc.encode(
          `--${b}\r\nContent-Disposition: form-data; name="${headerField}"\r\n` +
            `Content-Type: application/json; charset=utf-8\r\n\r\n${header}\r\n` +
            `--${b}\r\nContent-Disposition: form-data; name="${fileField}"; filename="${fileName}"\r\n` +
            `Content-Type: application/xml\r\n\r\n`,
        ),
        request.edxml,
        enc.encode(`\r\n--${b}--\r\n`),
      ]);
      return {
        method: 'POST',
        path: '/v1/sendEdoc',
        headers: { 'content-type': `multipart/form-data; boundary=${b}`, accept: 'application/json' },
        body,
        idempotent: false,
      };
    },

    decodeSendEdoc(response) {
      const body = parseJson('sendEdoc', response);
      if (!isObject(body)) throw invalid('sendEdoc', '(body)', 'not a JSON object', response);
      checkStatus('sendEdoc', body, response);
      const docId = idString(pick(payload(body, ['docId']), ['docId']));
      if (docId === undefined) throw invalid('sendEdoc', 'docId', 'no document id', response);
      return { docId, raw: body };
    },

    encodeListReceived(request) {
      return {
        method: 'GET',
        path: '/v1/syncReceivedEdocList',
        query: { messageType: request.messageType, fromDate: request.fromDate, toDate: request.toDate },
        headers: { accept: 'application/json' },
        idempotent: true,
      };
    },

    decodeListReceived(response) {
      const { items, field } = listOf('syncReceivedEdocList', response);
      return items.map((item, i) => {
        if (!isObject(item)) {
          throw invalid('syncReceivedEdocList', itemPath(field, i, 'docId'), 'not an object', response);
        }
        const docId = idString(pick(item, ['docId']));
        if (docId === undefined) {
          throw invalid('syncReceivedEdocList', itemPath(field, i, 'docId'), 'no document id', response);
        }
        const from = pick(item, ['from']);
        const type = pick(item, ['messageType']);
        if (type !== undefined && type !== 'edoc' && type !== 'status') {
          throw invalid(
            'syncReceivedEdocList',
            itemPath(field, i, 'messageType'),
            `unknown message type ${JSON.stringify(type)}`,
            response,
          );
        }
        return {
          docId,
          ...(typeof from === 'string' && from !== '' ? { from } : {}),
          ...(type === undefined ? {} : { messageType: type }),
          raw: item,
        };
      });
    },

    encodeGetEdoc(docId) {
      return { method: 'GET', path: '/v1/getEdoc', query: { docId }, idempotent: true };
    },

    decodeGetEdoc(response) {
      const bytes = response.body;
      let start = 0;
      while (
        start < bytes.length &&
        (bytes[start] === 0x20 || bytes[start] === 0x0a || bytes[start] === 0x0d || bytes[start] === 0x09)
      ) {
        start++;
      }
      const first = bytes[start];
      // The XML itself (possibly after a BOM).
      if (first === 0x3c || (first === 0xef && bytes[start + 1] === 0xbb)) return bytes;
      let base64: string;
      let field = '(body)';
      if (first === 0x7b) {
        const body = parseJson('getEdoc', response);
        if (!isObject(body)) throw invalid('getEdoc', '(body)', 'not a JSON object', response);
        checkStatus('getEdoc', body, response);
        const names = ['data', 'content', 'edoc', 'file', 'fileContent'];
        let value = pick(body, names);
        field = 'data';
        if (isObject(value)) {
          value = pick(value, names.slice(1).concat('data'));
          field = 'data.content';
        }
        if (typeof value !== 'string' || value.trim() === '') {
          throw invalid('getEdoc', field, 'no base64 edXML', response);
        }
        base64 = value;
      } else {
        base64 = new TextDecoder().decode(bytes);
      }
      if (!BASE64.test(base64) || base64.trim() === '') {
        throw invalid('getEdoc', field, 'not base64', response);
      }
      return new Uint8Array(Buffer.from(base64, 'base64'));
    },

    encodeUpdateStatus(request) {
      return {
        method: 'POST',
        path: '/v1/updateStatus',
        headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
        body: JSON.stringify({
          docId: request.docId,
          status: request.status,
          ...(request.description === undefined ? {} : { description: request.description }),
        } satisfies Schemas['UpdateStatusRequest']),
        // Setting a status twice has the effect of setting it once.
        idempotent: true,
      };
    },

    decodeUpdateStatus(response) {
      if (response.status === 204) return;
      const body = parseJson('updateStatus', response);
      if (!isObject(body)) throw invalid('updateStatus', '(body)', 'not a JSON object', response);
      checkStatus('updateStatus', body, response);
    },

    encodeGetAgencies() {
      return {
        method: 'GET',
        path: '/v1/getAgenciesList',
        headers: { accept: 'application/json' },
        idempotent: true,
      };
    },

    decodeGetAgencies(response) {
      const { items, field } = listOf('getAgenciesList', response);
      return items.map((item, i) => {
        if (!isObject(item)) {
          throw invalid('getAgenciesList', itemPath(field, i, 'code'), 'not an object', response);
        }
        const code = idString(pick(item, ['code', 'organId', 'agencyCode', 'maDinhDanh', 'id']));
        if (code === undefined) {
          throw invalid('getAgenciesList', itemPath(field, i, 'code'), 'no agency code', response);
        }
        const name = pick(item, ['name', 'organName', 'agencyName', 'tenDonVi']);
        if (typeof name !== 'string' || name.trim() === '') {
          throw invalid('getAgenciesList', itemPath(field, i, 'name'), 'no agency name', response);
        }
        return { code, name: name.trim() };
      });
    },
  };
}

import { Buffer } from 'node:buffer';
import { LgspError } from '../errors.js';
import { XmlReader } from '../xml/reader.js';
import {
  TreeBuilder,
  child,
  childText,
  children,
  toRawElement as rawElement,
  type XmlElement,
  type XmlTextSink,
} from '../xml/tree.js';
import { EDXML_LEGACY_NAMESPACE, EDXML_NAMESPACE } from './model.js';
import type {
  EdxmlAttachment,
  EdxmlBussiness,
  EdxmlBussinessDocType,
  EdxmlDocument,
  EdxmlMessageHeader,
  EdxmlOrganization,
  EdxmlReference,
  EdxmlResponseFor,
  EdxmlStaffInfo,
  EdxmlStatusCode,
  EdxmlStatusPackage,
  EdxmlSourceInfo,
  ParsedEdxml,
} from './model.js';
import { assertValidEdxml, invalidEdxml, isEdxmlStatusCode, stripCid, type EdxmlIssue } from './validate.js';

/** Options of {@link parseEdxml}. Every limit has a default. */
export interface EdxmlParseOptions {
  /** Validate the package and throw `EDXML_INVALID` naming the paths. Default `true`. */
  readonly validate?: boolean;
  /** Maximum input size in bytes. Default 96 MiB. */
  readonly maxBytes?: number;
  /** Maximum decoded size of one attachment in bytes. Default 64 MiB (the national gateway accepts 50 MB files). */
  readonly maxAttachmentBytes?: number;
  /** Maximum element depth. Default 64. */
  readonly maxDepth?: number;
  /** Maximum characters of any text field other than attachment content. Default 1,000,000. */
  readonly maxTextLength?: number;
  /** Cancels the parse between chunks. */
  readonly signal?: AbortSignal;
  /**
   * Receives each attachment's decoded bytes instead of keeping them in memory (e.g. to write them to
   * files): memory then stays flat whatever the attachment size. Parsed attachments then carry `size`
   * and an empty `content`.
   */
  readonly attachmentSink?: (attachment: {
    readonly index: number;
    readonly path: string;
  }) => EdxmlAttachmentSink;
}

/** Where {@link EdxmlParseOptions.attachmentSink} sends an attachment's bytes. Writes are awaited in order. */
export interface EdxmlAttachmentSink {
  write(chunk: Uint8Array): void | Promise<void>;
  /** The attachment ended; every byte was written. */
  close(): void | Promise<void>;
  /** The parse failed before the attachment ended; discard what was written. */
  abort?(error: unknown): void | Promise<void>;
}

interface DecodedAttachment {
  readonly content: Uint8Array;
  readonly size?: number;
}

/** Accepted inputs: text, bytes, or a stream of byte chunks (e.g. a Node.js `Readable` or a fetch body). */
export type EdxmlInput = string | Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

const MiB = 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*$/;

/** Decodes base64 text arriving in pieces, keeping only the decoded chunks. */
interface DecodedOutput {
  chunk(bytes: Buffer): void;
  end(size: number): void;
}

class Base64Sink implements XmlTextSink {
  size = 0;
  private carry = '';
  private padded = false;

  constructor(
    private readonly path: string,
    private readonly maxBytes: number,
    private readonly output: DecodedOutput,
  ) {}

  text(text: string, offset: number): void {
    let clean = this.carry + text.replace(/\s+/g, '');
    if (clean.length === 0) return;
    if (this.padded) this.bad(offset);
    const eq = clean.indexOf('=');
    if (eq !== -1 && !/^={1,2}$/.test(clean.slice(eq))) this.bad(offset);
    if (!BASE64.test(eq === -1 ? clean : clean.slice(0, eq))) this.bad(offset);
    const usable = clean.length - (clean.length % 4);
    if (eq !== -1 && usable === clean.length) this.padded = true;
    this.carry = clean.slice(usable);
    clean = clean.slice(0, usable);
    if (clean.length === 0) return;
    const bytes = Buffer.from(clean, 'base64');
    this.size += bytes.length;
    if (this.size > this.maxBytes) {
      throw new LgspError(
        'EDXML_LIMIT_EXCEEDED',
        `${this.path} is larger than ${this.maxBytes} bytes (byte ${offset}) / tệp đính kèm ${this.path} lớn hơn ${this.maxBytes} byte`,
        { details: { path: this.path, offset, limit: this.maxBytes } },
      );
    }
    this.output.chunk(bytes);
  }

  end(offset: number): void {
    if (this.carry.length > 0) {
      if (this.carry.length === 1) this.bad(offset);
      const bytes = Buffer.from(this.carry, 'base64');
      this.size += bytes.length;
      this.output.chunk(bytes);
      this.carry = '';
    }
    this.output.end(this.size);
  }

  private bad(offset: number): never {
    throw new LgspError(
      'EDXML_INVALID',
      `${this.path}: not valid base64 (byte ${offset}) / không phải base64 hợp lệ`,
      {
        details: {
          issues: [
            { path: this.path, rule: 'format', message: 'not valid base64 / không phải base64 hợp lệ' },
          ],
          offset,
        },
      },
    );
  }
}

async function* chunks(input: EdxmlInput): AsyncGenerator<Uint8Array> {
  if (typeof input === 'string') yield new TextEncoder().encode(input);
  else if (input instanceof Uint8Array) yield input;
  else yield* input;
}

/**
 * Parses an edXML package (document or status) from text, bytes or a stream. Tolerates real-world
 * variants: the legacy `http://www.go.vn/eDoc` namespace, prefixed and default namespaces mixed,
 * bytes before `<?xml`, whitespace around values and inside agency codes. Hostile XML is rejected by
 * the `@dttm/core` guard before any tree is built. Attachment base64 is decoded as it streams in.
 */
export async function parseEdxml(input: EdxmlInput, options: EdxmlParseOptions = {}): Promise<ParsedEdxml> {
  const contents = new Map<XmlElement, DecodedAttachment>();
  const maxAttachmentBytes = options.maxAttachmentBytes ?? 64 * MiB;
  const queue: (() => void | Promise<void>)[] = [];
  const open = new Set<EdxmlAttachmentSink>();
  let index = 0;
  const tree = new TreeBuilder({
    maxTextLength: options.maxTextLength ?? 1_000_000,
    stream: (element) => {
      if (
        element.name.local !== 'ContentTransferEncoded' ||
        !element.path.endsWith('Attachment/ContentTransferEncoded')
      ) {
        return undefined;
      }
      const sinkFactory = options.attachmentSink;
      if (sinkFactory !== undefined) {
        // Decoded bytes go to the caller's sink, in order, with back-pressure between input chunks.
        const target = sinkFactory({ index: index++, path: element.path });
        open.add(target);
        return new Base64Sink(element.path, maxAttachmentBytes, {
          chunk: (bytes) => queue.push(() => target.write(bytes)),
          end: (size) => {
            queue.push(async () => {
              await target.close();
              open.delete(target);
            });
            contents.set(element, { content: new Uint8Array(0), size });
          },
        });
      }
      index++;
      const parts: Buffer[] = [];
      return new Base64Sink(element.path, maxAttachmentBytes, {
        chunk: (bytes) => parts.push(bytes),
        end: (size) => {
          const content = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, size);
          parts.length = 0;
          contents.set(element, {
            content: new Uint8Array(content.buffer, content.byteOffset, content.byteLength),
          });
        },
      });
    },
  });
  const reader = new XmlReader(tree, {
    maxBytes: options.maxBytes ?? 96 * MiB,
    maxDepth: options.maxDepth ?? 64,
    maxTagBytes: 64 * 1024,
  });
  const drain = async () => {
    while (queue.length > 0) await (queue.shift() as () => void | Promise<void>)();
  };
  try {
    for await (const chunk of chunks(input)) {
      if (options.signal?.aborted) {
        throw new LgspError('ABORTED', 'parsing was aborted / đã hủy phân tích', {
          cause: options.signal.reason,
        });
      }
      reader.write(chunk);
      await drain();
    }
    reader.end();
    await drain();
  } catch (error) {
    for (const sink of open) await sink.abort?.(error);
    throw error;
  }
  const root = tree.root as XmlElement;
  return toPackage(root, contents, reader.leadingBytes, options.validate !== false);
}

function notEdxml(en: string, vi: string, offset: number): LgspError<'EDXML_NOT_EDXML'> {
  return new LgspError('EDXML_NOT_EDXML', `${en} (byte ${offset}) / ${vi} (byte ${offset})`, {
    details: { offset },
  });
}

class Mapper {
  readonly warnings: string[] = [];
  readonly issues: EdxmlIssue[] = [];

  text(el: XmlElement | undefined, name: string): string | undefined {
    const v = childText(el, name);
    return v === undefined || v === '' ? undefined : v.normalize('NFC');
  }

  required(el: XmlElement | undefined, name: string): string {
    return this.text(el, name) ?? '';
  }

  id(el: XmlElement | undefined, name: string): string {
    const raw = childText(el, name) ?? '';
    const cleaned = raw.replace(/\s+/g, '');
    if (cleaned !== raw.trim()) this.warnings.push(`whitespace removed inside ${el?.path ?? ''}/${name}`);
    return cleaned;
  }

  documentId(el: XmlElement | undefined, name: string): string | undefined {
    const v = this.text(el, name);
    if (v === undefined) return undefined;
    const cleaned = v
      .split(',')
      .map((part, i) => (i === 0 ? part.replace(/\s+/g, '') : part.trim()))
      .join(',');
    if (cleaned !== v) this.warnings.push(`whitespace removed inside ${el?.path ?? ''}/${name}`);
    return cleaned;
  }

  organization(el: XmlElement | undefined): EdxmlOrganization {
    return compact<EdxmlOrganization>({
      organId: this.id(el, 'OrganId'),
      organizationInCharge: this.text(el, 'OrganizationInCharge'),
      organName: this.text(el, 'OrganName'),
      organAdd: this.text(el, 'OrganAdd'),
      email: this.text(el, 'Email'),
      telephone: this.text(el, 'Telephone'),
      fax: this.text(el, 'Fax'),
      website: this.text(el, 'Website'),
    });
  }

  responseFor(el: XmlElement | undefined): EdxmlResponseFor {
    return compact<EdxmlResponseFor>({
      organId: this.id(el, 'OrganId'),
      code: this.text(el, 'Code'),
      promulgationDate: this.text(el, 'PromulgationDate'),
      documentId: this.documentId(el, 'DocumentId'),
    });
  }

  staffInfo(el: XmlElement | undefined): EdxmlStaffInfo | undefined {
    if (el === undefined) return undefined;
    return compact<EdxmlStaffInfo>({
      department: this.text(el, 'Department'),
      staff: this.text(el, 'Staff'),
      email: this.text(el, 'Email'),
      mobile: this.text(el, 'Mobile'),
    });
  }

  messageHeader(mh: XmlElement): EdxmlMessageHeader {
    const code = child(mh, 'Code');
    const prom = child(mh, 'PromulgationInfo');
    const type = child(mh, 'DocumentType');
    const signer = child(mh, 'SignerInfo');
    const other = child(mh, 'OtherInfo');
    const toPlaces = child(mh, 'ToPlaces');
    const responseFor = children(mh, 'ResponseFor');
    const appendixes = child(other, 'Appendixes');
    return compact<EdxmlMessageHeader>({
      from: this.organization(child(mh, 'From')),
      to: children(mh, 'To').map((t) => this.organization(t)),
      documentId: this.documentId(mh, 'DocumentId'),
      code: {
        codeNumber: this.required(code, 'CodeNumber'),
        codeNotation: this.required(code, 'CodeNotation'),
      },
      promulgationInfo: compact({
        place: this.text(prom, 'Place'),
        promulgationDate: this.required(prom, 'PromulgationDate'),
      }),
      documentType: compact({
        type: this.required(type, 'Type'),
        typeDetail: this.text(type, 'TypeDetail'),
        typeName: this.text(type, 'TypeName'),
      }),
      subject: this.required(mh, 'Subject'),
      content: this.text(mh, 'Content'),
      signerInfo:
        signer === undefined
          ? undefined
          : compact({
              competence: this.text(signer, 'Competence'),
              position: this.text(signer, 'Position'),
              fullName: this.text(signer, 'FullName'),
            }),
      dueDate: this.text(mh, 'DueDate'),
      otherInfo:
        other === undefined
          ? undefined
          : compact({
              priority: this.text(other, 'Priority'),
              sphereOfPromulgation: this.text(other, 'SphereOfPromulgation'),
              typerNotation: this.text(other, 'TyperNotation'),
              promulgationAmount: this.text(other, 'PromulgationAmount'),
              pageAmount: this.text(other, 'PageAmount'),
              direction: this.text(other, 'Direction'),
              appendixes:
                appendixes === undefined
                  ? undefined
                  : children(appendixes, 'Appendix')
                      .map((a) => a.text.trim().normalize('NFC'))
                      .filter((a) => a !== ''),
            }),
      steeringType: this.text(mh, 'SteeringType'),
      toPlaces:
        toPlaces === undefined
          ? undefined
          : children(toPlaces, 'Place').map((p) => p.text.trim().normalize('NFC')),
      responseFor: responseFor.length === 0 ? undefined : responseFor.map((r) => this.responseFor(r)),
    });
  }

  bussiness(el: XmlElement | undefined): EdxmlBussiness | undefined {
    if (el === undefined) return undefined;
    const rawType = childText(el, 'BussinessDocType') ?? '';
    let type: EdxmlBussinessDocType = 0;
    if (/^[0-3]$/.test(rawType)) type = Number(rawType) as EdxmlBussinessDocType;
    else {
      this.issues.push({
        path: 'TraceHeaderList/Bussiness/BussinessDocType',
        rule: rawType === '' ? 'required' : 'code',
        message: 'must be 0, 1, 2 or 3 / phải là 0, 1, 2 hoặc 3',
      });
    }
    const replacement = child(el, 'ReplacementInfoList');
    const info = child(el, 'BussinessDocumentInfo');
    return compact<EdxmlBussiness>({
      bussinessDocType: type,
      bussinessDocReason: this.text(el, 'BussinessDocReason'),
      paper: this.text(el, 'Paper'),
      staffInfo: this.staffInfo(child(el, 'StaffInfo')),
      replacementInfoList: replacement === undefined ? undefined : rawElement(replacement),
      bussinessDocumentInfo: info === undefined ? undefined : rawElement(info),
    });
  }
}

/** Drops properties whose value is `undefined` (the model uses absent optional properties). */
function compact<T extends object>(value: { [K in keyof T]: T[K] | undefined }): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as T;
}

function toPackage(
  root: XmlElement,
  contents: ReadonlyMap<XmlElement, DecodedAttachment>,
  leadingBytes: number,
  validate: boolean,
): ParsedEdxml {
  const envelope = root.name.local === 'edXMLEnvelope' ? root : child(root, 'edXMLEnvelope');
  if (root.name.local !== 'edXML' && root.name.local !== 'edXMLEnvelope') {
    throw notEdxml(
      `the root element is <${root.name.local}>, not <edXML>`,
      `phần tử gốc là <${root.name.local}>, không phải <edXML>`,
      root.offset,
    );
  }
  if (envelope === undefined) throw notEdxml('no edXMLEnvelope', 'thiếu edXMLEnvelope', root.offset);
  const header = child(envelope, 'edXMLHeader');
  if (header === undefined) throw notEdxml('no edXMLHeader', 'thiếu edXMLHeader', envelope.offset);
  const m = new Mapper();
  const namespace = root.name.uri ?? envelope.name.uri ?? header.name.uri;
  if (namespace === EDXML_LEGACY_NAMESPACE) m.warnings.push(`legacy namespace ${EDXML_LEGACY_NAMESPACE}`);
  else if (namespace === undefined) m.warnings.push('no namespace');
  else if (namespace !== EDXML_NAMESPACE) {
    throw notEdxml(`unknown namespace ${namespace}`, `không nhận ra namespace ${namespace}`, root.offset);
  }
  if (root === envelope) m.warnings.push('edXMLEnvelope used as the root element');
  if (leadingBytes > 0) m.warnings.push(`${leadingBytes} bytes before the XML declaration`);
  const signatureEl = child(header, 'Signature') ?? child(header, 'DigitalSignature');
  const signature =
    signatureEl !== undefined && (signatureEl.children.length > 0 || signatureEl.text.trim() !== '')
      ? rawElement(signatureEl)
      : undefined;
  const statusEl = child(header, 'Status');
  let pkg: EdxmlDocument | EdxmlStatusPackage;
  if (statusEl !== undefined) {
    const rawCode = childText(statusEl, 'StatusCode') ?? '';
    const code = rawCode.length === 1 ? `0${rawCode}` : rawCode;
    if (rawCode.length === 1) m.warnings.push('one-digit StatusCode padded to two digits');
    if (!isEdxmlStatusCode(code)) {
      m.issues.push({
        path: 'Status/StatusCode',
        rule: code === '' ? 'required' : 'code',
        message: 'must be a status code 01–16 / phải là mã trạng thái 01–16',
      });
    }
    pkg = compact<EdxmlStatusPackage>({
      kind: 'status',
      status: compact({
        responseFor: m.responseFor(child(statusEl, 'ResponseFor')),
        from: m.organization(child(statusEl, 'From')),
        staffInfo: m.staffInfo(child(statusEl, 'StaffInfo')),
        statusCode: code as EdxmlStatusCode,
        description: m.text(statusEl, 'Description'),
        timestamp: m.required(statusEl, 'Timestamp'),
      }),
      signature,
    });
  } else {
    const mh = child(header, 'MessageHeader');
    if (mh === undefined)
      throw notEdxml('no MessageHeader or Status', 'thiếu MessageHeader hoặc Status', header.offset);
    const traceList = child(header, 'TraceHeaderList');
    const body = child(envelope, 'edXMLBody');
    const manifestEl = child(body, 'edXMLManifest') ?? child(body, 'Manifest');
    const references: EdxmlReference[] = children(manifestEl, 'Reference').map((r) => {
      const href = r.attributes.find((a) => a.name.local === 'href')?.value;
      return compact<EdxmlReference>({
        contentId: m.text(r, 'ContentId') ?? href?.trim() ?? '',
        contentType: m.text(r, 'ContentType'),
        description: m.text(r, 'Description'),
        attachmentName: m.text(r, 'AttachmentName'),
      });
    });
    const encoded =
      child(root, 'AttachmentEncoded') ??
      child(envelope, 'AttachmentEncoded') ??
      child(body, 'AttachmentEncoded');
    const attachments: EdxmlAttachment[] = children(encoded, 'Attachment').map((a) => {
      const data = child(a, 'ContentTransferEncoded');
      const decoded = data === undefined ? undefined : contents.get(data);
      return compact<EdxmlAttachment>({
        contentId: stripCid(childText(a, 'ContentId') ?? ''),
        contentType: m.text(a, 'ContentType'),
        description: m.text(a, 'Description'),
        attachmentName: m.required(a, 'AttachmentName'),
        content: decoded?.content ?? new Uint8Array(0),
        size: decoded?.size,
      });
    });
    pkg = compact<EdxmlDocument>({
      kind: 'edoc',
      messageHeader: m.messageHeader(mh),
      traceHeaderList: compact({
        traceHeaders: children(traceList, 'TraceHeader').map((t) => ({
          organId: m.id(t, 'OrganId'),
          timestamp: m.required(t, 'Timestamp'),
        })),
        bussiness: m.bussiness(child(traceList, 'Bussiness')),
      }),
      signature,
      manifest: manifestEl === undefined ? undefined : references,
      attachments,
    });
  }
  if (validate) assertValidEdxml(pkg, m.issues);
  else if (m.issues.length > 0) throw invalidEdxml(m.issues);
  const source: EdxmlSourceInfo = { namespace, leadingBytes, warnings: m.warnings };
  return { ...pkg, source };
}

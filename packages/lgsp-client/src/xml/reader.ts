import { createXmlGuard, isXmlSecurityError, type XmlGuard } from '@dttm/core';
import { LgspError } from '../errors.js';

/** A namespace-resolved element or attribute name. */
export interface XmlName {
  /** The prefix as written (`''` when none). */
  readonly prefix: string;
  readonly local: string;
  /** The namespace URI in scope, `undefined` when the prefix is unbound or there is no default namespace. */
  readonly uri: string | undefined;
}

export interface XmlAttribute {
  /** The name as written, e.g. `xlink:href`. */
  readonly qname: string;
  readonly name: XmlName;
  readonly value: string;
}

/** Receives parsing events. Text may arrive in several pieces for one element. */
export interface XmlHandler {
  start(name: XmlName, attributes: readonly XmlAttribute[], offset: number): void;
  text(text: string, offset: number): void;
  end(name: XmlName, offset: number): void;
}

export interface XmlReaderLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
  readonly maxTagBytes: number;
}

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const SEMI = 0x3b;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

const XMLNS_URI = 'http://www.w3.org/2000/xmlns/';
const XML_URI = 'http://www.w3.org/XML/1998/namespace';

function malformed(en: string, vi: string, offset: number): LgspError<'XML_MALFORMED'> {
  return new LgspError('XML_MALFORMED', `${en} (byte ${offset}) / ${vi} (byte ${offset})`, {
    details: { offset },
  });
}

const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g;
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (_m, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    return NAMED[ref] ?? '';
  });
}

function indexOfSeq(data: Uint8Array, seq: readonly number[], from: number): number {
  const first = seq[0] as number;
  let i = data.indexOf(first, from);
  while (i !== -1 && i + seq.length <= data.length) {
    let ok = true;
    for (let k = 1; k < seq.length; k++) {
      if (data[i + k] !== seq[k]) {
        ok = false;
        break;
      }
    }
    if (ok) return i;
    i = data.indexOf(first, i + 1);
  }
  return -1;
}

const COMMENT_END = [0x2d, 0x2d, 0x3e];
const CDATA_END = [0x5d, 0x5d, 0x3e];
const PI_END = [0x3f, 0x3e];
const CDATA_START = '<![CDATA[';
const NAME = /^[^\s/>="']+/;
const ATTR = /\s*([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;

interface Scope {
  readonly qname: string;
  readonly name: XmlName;
  readonly bindings: ReadonlyMap<string, string> | undefined;
}

/**
 * A small streaming, namespace-aware XML reader working on UTF-8 bytes. Every chunk first passes
 * through the `@dttm/core` XML guard (no DTDs, no undeclared entities, size and depth limits).
 * Text is delivered as it arrives, so a large base64 element never has to be held whole.
 * Bytes before the first `<` (a BOM, transport garbage) are skipped and counted in `leadingBytes`.
 */
export class XmlReader {
  private readonly guard: XmlGuard;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private pending: Uint8Array | undefined;
  /** Absolute offset of `pending[0]` (or of the next chunk). */
  private base = 0;
  private readonly stack: Scope[] = [];
  private rootSeen = false;
  private rootClosed = false;
  private started = false;
  private inCdata = false;
  leadingBytes = 0;

  constructor(
    private readonly handler: XmlHandler,
    private readonly limits: XmlReaderLimits,
  ) {
    this.guard = createXmlGuard(limits);
  }

  write(chunk: Uint8Array): void {
    let data = chunk;
    if (!this.started) {
      const lt = data.indexOf(LT);
      if (lt === -1) {
        this.leadingBytes += data.length;
        this.base += data.length;
        this.checkLeading();
        return;
      }
      this.leadingBytes += lt;
      this.base += lt;
      this.checkLeading();
      data = data.subarray(lt);
      this.started = true;
    }
    this.guarded(() => this.guard.write(data));
    if (this.pending !== undefined && this.pending.length > 0) {
      const joined = new Uint8Array(this.pending.length + data.length);
      joined.set(this.pending, 0);
      joined.set(data, this.pending.length);
      data = joined;
    }
    const consumed = this.process(data);
    this.pending = consumed < data.length ? data.slice(consumed) : undefined;
    this.base += consumed;
  }

  end(): void {
    if (!this.started) throw malformed('no XML markup found', 'không tìm thấy nội dung XML', this.base);
    this.guarded(() => this.guard.end());
    if (this.pending !== undefined && this.pending.length > 0) {
      // Only text can be left over here (the guard rejects unfinished markup).
      this.emitText(this.pending, 0, this.pending.length);
      this.pending = undefined;
    }
    if (!this.rootSeen) throw malformed('no root element', 'không có phần tử gốc', this.base);
    if (!this.rootClosed)
      throw malformed('the root element is not closed', 'phần tử gốc chưa đóng', this.base);
  }

  private checkLeading(): void {
    if (this.leadingBytes > this.limits.maxTagBytes) {
      throw malformed(
        `no XML markup in the first ${this.limits.maxTagBytes} bytes`,
        `không có nội dung XML trong ${this.limits.maxTagBytes} byte đầu`,
        0,
      );
    }
  }

  private guarded(fn: () => unknown): void {
    try {
      fn();
    } catch (error) {
      if (isXmlSecurityError(error)) {
        throw new LgspError('XML_UNSAFE', error.message, {
          cause: error,
          details: { offset: error.offset + this.leadingBytes, reason: error.code },
        });
      }
      throw error;
    }
  }

  /** Processes as much of `data` as possible; returns the number of bytes consumed. */
  private process(data: Uint8Array): number {
    const n = data.length;
    let pos = 0;
    while (pos < n) {
      if (this.inCdata) {
        // CDATA is delivered as it arrives, like text, so a large section never accumulates.
        const close = indexOfSeq(data, CDATA_END, pos);
        if (close === -1) {
          const cut = this.safeCdataEnd(data, pos, n);
          if (cut > pos) this.handler.text(this.decode(data, pos, cut), this.base + pos);
          return cut;
        }
        if (close > pos) this.handler.text(this.decode(data, pos, close), this.base + pos);
        this.inCdata = false;
        pos = close + 3;
        continue;
      }
      if (data[pos] !== LT) {
        const lt = data.indexOf(LT, pos);
        if (lt === -1) {
          const cut = this.safeTextEnd(data, pos, n);
          if (cut > pos) this.emitText(data, pos, cut);
          return cut;
        }
        this.emitText(data, pos, lt);
        pos = lt;
        continue;
      }
      if (pos + 1 >= n) return pos;
      const next = data[pos + 1];
      if (next === 0x3f /* ? */) {
        const close = indexOfSeq(data, PI_END, pos + 2);
        if (close === -1) return pos;
        this.processingInstruction(data, pos, close);
        pos = close + 2;
      } else if (next === 0x21 /* ! */) {
        if (pos + 4 > n) return pos;
        if (data[pos + 2] === 0x2d && data[pos + 3] === 0x2d) {
          const close = indexOfSeq(data, COMMENT_END, pos + 4);
          if (close === -1) return pos;
          pos = close + 3;
        } else {
          if (pos + CDATA_START.length > n) return pos;
          this.requireOpen(pos);
          this.inCdata = true;
          pos += CDATA_START.length;
        }
      } else if (next === 0x2f /* / */) {
        const close = data.indexOf(GT, pos);
        if (close === -1) return pos;
        this.endTag(this.decode(data, pos + 2, close).trim(), pos);
        pos = close + 1;
      } else {
        const close = this.tagEnd(data, pos + 1);
        if (close === -1) return pos;
        this.startTag(data, pos, close);
        pos = close + 1;
      }
    }
    return pos;
  }

  /** Index of the `>` closing a start tag, skipping quoted attribute values; -1 when not yet complete. */
  private tagEnd(data: Uint8Array, from: number): number {
    let quote = 0;
    for (let i = from; i < data.length; i++) {
      const b = data[i];
      if (quote !== 0) {
        if (b === quote) quote = 0;
      } else if (b === DQUOTE || b === SQUOTE) quote = b;
      else if (b === GT) return i;
    }
    return -1;
  }

  /** End of CDATA content that can be delivered now: not a possible start of `]]>`, not inside a UTF-8 sequence. */
  private safeCdataEnd(data: Uint8Array, from: number, n: number): number {
    let cut = n;
    while (cut > from && cut > n - 2 && data[cut - 1] === 0x5d) cut--;
    for (let k = cut - 1; k >= Math.max(from, cut - 3); k--) {
      const b = data[k] as number;
      if ((b & 0xc0) === 0x80) continue;
      const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      if (k + len > cut) cut = k;
      break;
    }
    return cut;
  }

  /** End of the text that can be decoded now: not inside an entity reference or a UTF-8 sequence. */
  private safeTextEnd(data: Uint8Array, from: number, n: number): number {
    let cut = n;
    const amp = data.lastIndexOf(AMP, n - 1);
    if (amp >= from && data.indexOf(SEMI, amp) === -1) cut = amp;
    for (let k = cut - 1; k >= Math.max(from, cut - 3); k--) {
      const b = data[k] as number;
      if ((b & 0xc0) === 0x80) continue;
      const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      if (k + len > cut) cut = k;
      break;
    }
    return cut;
  }

  private decode(data: Uint8Array, from: number, to: number): string {
    try {
      return this.decoder.decode(data.subarray(from, to));
    } catch (error) {
      throw new LgspError(
        'XML_MALFORMED',
        `invalid UTF-8 between bytes ${this.base + from} and ${this.base + to} / UTF-8 không hợp lệ từ byte ${this.base + from} đến ${this.base + to}`,
        { cause: error, details: { offset: this.base + from } },
      );
    }
  }

  private emitText(data: Uint8Array, from: number, to: number): void {
    if (to <= from) return;
    const text = decodeEntities(this.decode(data, from, to));
    // Text outside the root element (whitespace, stray bytes around the document) is ignored.
    if (this.stack.length === 0) return;
    this.handler.text(text, this.base + from);
  }

  private requireOpen(pos: number): void {
    if (this.stack.length === 0) {
      throw malformed('content outside the root element', 'nội dung nằm ngoài phần tử gốc', this.base + pos);
    }
  }

  private processingInstruction(data: Uint8Array, pos: number, close: number): void {
    const body = this.decode(data, pos + 2, close);
    if (!/^xml\s/i.test(body)) return;
    const encoding = /encoding\s*=\s*["']([^"']+)["']/i.exec(body)?.[1];
    if (encoding !== undefined && !/^(utf-?8|us-ascii|ascii)$/i.test(encoding)) {
      throw new LgspError(
        'XML_MALFORMED',
        `unsupported encoding "${encoding}", only UTF-8 is accepted (byte ${this.base + pos}) / không hỗ trợ bảng mã "${encoding}", chỉ chấp nhận UTF-8`,
        { details: { offset: this.base + pos, encoding } },
      );
    }
  }

  private resolve(
    qname: string,
    isAttribute: boolean,
    scope: ReadonlyMap<string, string> | undefined,
  ): XmlName {
    const colon = qname.indexOf(':');
    const prefix = colon === -1 ? '' : qname.slice(0, colon);
    const local = colon === -1 ? qname : qname.slice(colon + 1);
    if (prefix === 'xml') return { prefix, local, uri: XML_URI };
    if (prefix === '' && isAttribute) return { prefix, local, uri: undefined };
    const bound = scope?.get(prefix) ?? this.lookup(prefix);
    return { prefix, local, uri: bound === '' ? undefined : bound };
  }

  private lookup(prefix: string): string | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const uri = this.stack[i]?.bindings?.get(prefix);
      if (uri !== undefined) return uri;
    }
    return undefined;
  }

  private startTag(data: Uint8Array, pos: number, close: number): void {
    const offset = this.base + pos;
    if (this.rootClosed) {
      throw malformed('a second root element', 'có phần tử gốc thứ hai', offset);
    }
    let raw = this.decode(data, pos + 1, close);
    const selfClosing = raw.endsWith('/');
    if (selfClosing) raw = raw.slice(0, -1);
    const qname = NAME.exec(raw)?.[0];
    if (qname === undefined) throw malformed('a tag without a name', 'thẻ không có tên', offset);
    const rawAttributes: [string, string][] = [];
    let bindings: Map<string, string> | undefined;
    ATTR.lastIndex = qname.length;
    let match: RegExpExecArray | null;
    let last = qname.length;
    while ((match = ATTR.exec(raw)) !== null) {
      const attrName = match[1] as string;
      const value = decodeEntities((match[2] ?? match[3] ?? '').replace(/[\t\n\r]/g, ' '));
      last = ATTR.lastIndex;
      if (attrName === 'xmlns' || attrName.startsWith('xmlns:')) {
        bindings ??= new Map();
        bindings.set(attrName === 'xmlns' ? '' : attrName.slice(6), value);
      }
      rawAttributes.push([attrName, value]);
    }
    if (raw.slice(last).trim() !== '') {
      throw malformed(
        `malformed attributes in <${qname}>`,
        `thuộc tính sai cú pháp trong <${qname}>`,
        offset,
      );
    }
    const name = this.resolve(qname, false, bindings);
    const attributes = rawAttributes.map(([q, value]) => ({
      qname: q,
      name:
        q === 'xmlns' || q.startsWith('xmlns:')
          ? { prefix: 'xmlns', local: q, uri: XMLNS_URI }
          : this.resolve(q, true, bindings),
      value,
    }));
    if (this.stack.length >= this.limits.maxDepth) {
      throw new LgspError(
        'XML_UNSAFE',
        `elements nest deeper than ${this.limits.maxDepth} levels (byte ${offset})`,
        {
          details: { offset, reason: 'XML_TOO_DEEP' },
        },
      );
    }
    this.rootSeen = true;
    this.stack.push({ qname, name, bindings });
    this.handler.start(name, attributes, offset);
    if (selfClosing) this.pop(offset);
  }

  private endTag(qname: string, pos: number): void {
    const offset = this.base + pos;
    const top = this.stack[this.stack.length - 1];
    if (top === undefined)
      throw malformed(`unexpected </${qname}>`, `thẻ đóng </${qname}> không mong đợi`, offset);
    if (top.qname !== qname) {
      throw malformed(
        `</${qname}> does not close <${top.qname}>`,
        `</${qname}> không khớp với <${top.qname}>`,
        offset,
      );
    }
    this.pop(offset);
  }

  private pop(offset: number): void {
    const top = this.stack.pop();
    if (top === undefined) return;
    this.handler.end(top.name, offset);
    if (this.stack.length === 0) this.rootClosed = true;
  }
}

import { SignatureError, type SignatureErrorCode } from './errors.js';

/** One DER TLV node. `start`/`end` are absolute byte offsets of the whole TLV in the original input. */
export interface DerNode {
  /** Tag class: 0 universal, 1 application, 2 context-specific, 3 private. */
  readonly cls: number;
  readonly constructed: boolean;
  /** Tag number. */
  readonly tag: number;
  /** Offset of the first byte of the TLV. */
  readonly start: number;
  /** Offset of the first content byte. */
  readonly contentStart: number;
  /** Offset just past the TLV. */
  readonly end: number;
  /** The whole TLV (view into the input). */
  readonly raw: Uint8Array;
  /** The content bytes (view into the input). */
  readonly content: Uint8Array;
  /** Children when constructed. */
  readonly children: readonly DerNode[];
}

export interface DerLimits {
  /** Maximum nesting depth (default 64). */
  readonly maxDepth?: number;
  /** Maximum number of nodes (default 200 000). */
  readonly maxNodes?: number;
}

export const TAG = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  ENUMERATED: 10,
  UTF8String: 12,
  SEQUENCE: 16,
  SET: 17,
  PrintableString: 19,
  T61String: 20,
  IA5String: 22,
  UTCTime: 23,
  GeneralizedTime: 24,
  VisibleString: 26,
  UniversalString: 28,
  BMPString: 30,
} as const;

/**
 * Parses one DER TLV spanning all of `input`. Fails with `SIG_DER_INVALID` naming the byte offset.
 * Indefinite lengths (BER) are accepted for constructed values since some PKCS#7 producers emit them.
 */
export function parseDer(
  input: Uint8Array,
  limits: DerLimits = {},
  code: SignatureErrorCode = 'SIG_DER_INVALID',
): DerNode {
  const state = { nodes: 0, maxNodes: limits.maxNodes ?? 200_000, maxDepth: limits.maxDepth ?? 64, code };
  const node = parseAt(input, 0, input.length, 0, state);
  if (node.end !== input.length) {
    throw derError(code, `trailing data after the DER value at byte ${node.end}`, node.end);
  }
  return node;
}

interface State {
  nodes: number;
  readonly maxNodes: number;
  readonly maxDepth: number;
  readonly code: SignatureErrorCode;
}

function derError(code: SignatureErrorCode, message: string, offset: number): SignatureError {
  return new SignatureError(code, message, { details: { offset } });
}

function parseAt(buf: Uint8Array, pos: number, limit: number, depth: number, st: State): DerNode {
  if (depth > st.maxDepth)
    throw derError(st.code, `DER nesting deeper than ${st.maxDepth} at byte ${pos}`, pos);
  if (++st.nodes > st.maxNodes) throw derError(st.code, `more than ${st.maxNodes} DER nodes`, pos);
  const start = pos;
  if (pos >= limit) throw derError(st.code, `truncated DER: expected a tag at byte ${pos}`, pos);
  const first = buf[pos++] as number;
  const cls = first >> 6;
  const constructed = (first & 0x20) !== 0;
  let tag = first & 0x1f;
  if (tag === 0x1f) {
    tag = 0;
    let b: number;
    let count = 0;
    do {
      if (pos >= limit) throw derError(st.code, `truncated DER tag at byte ${pos}`, pos);
      b = buf[pos++] as number;
      tag = tag * 128 + (b & 0x7f);
      if (++count > 4) throw derError(st.code, `DER tag number too large at byte ${start}`, start);
    } while (b & 0x80);
  }
  if (pos >= limit) throw derError(st.code, `truncated DER: expected a length at byte ${pos}`, pos);
  const lenByte = buf[pos++] as number;
  let length: number;
  let indefinite = false;
  if (lenByte < 0x80) {
    length = lenByte;
  } else if (lenByte === 0x80) {
    if (!constructed)
      throw derError(st.code, `indefinite length on a primitive value at byte ${start}`, start);
    indefinite = true;
    length = 0;
  } else {
    const n = lenByte & 0x7f;
    if (n > 4) throw derError(st.code, `DER length of ${n} bytes is too large at byte ${pos - 1}`, pos - 1);
    length = 0;
    for (let i = 0; i < n; i++) {
      if (pos >= limit) throw derError(st.code, `truncated DER length at byte ${pos}`, pos);
      length = length * 256 + (buf[pos++] as number);
    }
  }
  const contentStart = pos;
  const children: DerNode[] = [];
  let end: number;
  if (indefinite) {
    let p = pos;
    for (;;) {
      if (p + 2 > limit)
        throw derError(st.code, `unterminated indefinite-length value at byte ${start}`, start);
      if (buf[p] === 0 && buf[p + 1] === 0) {
        end = p + 2;
        break;
      }
      const child = parseAt(buf, p, limit, depth + 1, st);
      children.push(child);
      p = child.end;
    }
    const node: DerNode = {
      cls,
      constructed,
      tag,
      start,
      contentStart,
      end,
      raw: buf.subarray(start, end),
      content: buf.subarray(contentStart, end - 2),
      children,
    };
    return node;
  }
  end = contentStart + length;
  if (end > limit) {
    throw derError(
      st.code,
      `DER length ${length} at byte ${start} runs past the end of its container (${limit})`,
      start,
    );
  }
  if (constructed) {
    let p = contentStart;
    while (p < end) {
      const child = parseAt(buf, p, end, depth + 1, st);
      children.push(child);
      p = child.end;
    }
  }
  return {
    cls,
    constructed,
    tag,
    start,
    contentStart,
    end,
    raw: buf.subarray(start, end),
    content: buf.subarray(contentStart, end),
    children,
  };
}

/** A small cursor over a node's children that raises typed errors naming the path. */
export class DerReader {
  private i = 0;
  constructor(
    readonly node: DerNode,
    readonly path: string,
    readonly code: SignatureErrorCode,
  ) {}

  fail(message: string, at: DerNode | undefined = undefined): never {
    const offset = (at ?? this.node).start;
    throw new SignatureError(this.code, `${this.path}: ${message} (byte ${offset})`, {
      details: { path: this.path, offset },
    });
  }

  get remaining(): number {
    return this.node.children.length - this.i;
  }

  peek(): DerNode | undefined {
    return this.node.children[this.i];
  }

  /** Next child, required; checks universal tag when given. */
  next(what: string, universalTag?: number): DerNode {
    const n = this.node.children[this.i];
    if (n === undefined) this.fail(`missing ${what}`);
    if (universalTag !== undefined && (n.cls !== 0 || n.tag !== universalTag)) {
      this.fail(`${what} has unexpected tag [${n.cls}:${n.tag}]`, n);
    }
    this.i++;
    return n;
  }

  /** Next child if it is context-specific [tag]. */
  optionalContext(tag: number): DerNode | undefined {
    const n = this.node.children[this.i];
    if (n !== undefined && n.cls === 2 && n.tag === tag) {
      this.i++;
      return n;
    }
    return undefined;
  }

  /** Next child if it has the universal tag. */
  optionalUniversal(tag: number): DerNode | undefined {
    const n = this.node.children[this.i];
    if (n !== undefined && n.cls === 0 && n.tag === tag) {
      this.i++;
      return n;
    }
    return undefined;
  }

  child(what: string, universalTag: number, path: string): DerReader {
    return new DerReader(this.next(what, universalTag), `${this.path}.${path}`, this.code);
  }
}

export function expectTag(n: DerNode, tag: number, path: string, code: SignatureErrorCode): DerNode {
  if (n.cls !== 0 || n.tag !== tag) {
    throw new SignatureError(code, `${path}: unexpected tag [${n.cls}:${n.tag}] (byte ${n.start})`, {
      details: { path, offset: n.start },
    });
  }
  return n;
}

export function decodeOid(n: DerNode, path: string, code: SignatureErrorCode): string {
  const c = n.content;
  if (n.tag !== TAG.OID || c.length === 0 || ((c[c.length - 1] as number) & 0x80) !== 0) {
    throw new SignatureError(code, `${path}: invalid OBJECT IDENTIFIER (byte ${n.start})`, {
      details: { path, offset: n.start },
    });
  }
  const parts: number[] = [];
  let v = 0;
  for (const b of c) {
    v = v * 128 + (b & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 128) {
      throw new SignatureError(code, `${path}: OBJECT IDENTIFIER arc too large (byte ${n.start})`, {
        details: { path, offset: n.start },
      });
    }
    if ((b & 0x80) === 0) {
      if (parts.length === 0) {
        const first = v < 40 ? 0 : v < 80 ? 1 : 2;
        parts.push(first, v - first * 40);
      } else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** INTEGER content as lower-case hex without redundant leading zero bytes. */
export function integerHex(n: DerNode): string {
  let c = n.content;
  while (c.length > 1 && c[0] === 0) c = c.subarray(1);
  return toHex(c);
}

export function integerNumber(n: DerNode, path: string, code: SignatureErrorCode): number {
  if (n.tag !== TAG.INTEGER || n.content.length === 0 || n.content.length > 6) {
    throw new SignatureError(code, `${path}: invalid small INTEGER (byte ${n.start})`, {
      details: { path, offset: n.start },
    });
  }
  let v = 0;
  for (const b of n.content) v = v * 256 + b;
  return v;
}

export function decodeTime(n: DerNode, path: string, code: SignatureErrorCode): Date {
  const s = Buffer.from(n.content).toString('latin1');
  let m: RegExpExecArray | null;
  let date: Date | undefined;
  if (n.tag === TAG.UTCTime && (m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?Z$/.exec(s))) {
    const yy = Number(m[1]);
    const year = yy >= 50 ? 1900 + yy : 2000 + yy;
    date = new Date(
      Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)),
    );
  } else if (
    n.tag === TAG.GeneralizedTime &&
    (m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:\.(\d{1,9}))?Z$/.exec(s))
  ) {
    const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
    date = new Date(
      Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms),
    );
  }
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw new SignatureError(
      code,
      `${path}: invalid time ${JSON.stringify(s.slice(0, 32))} (byte ${n.start})`,
      {
        details: { path, offset: n.start },
      },
    );
  }
  return date;
}

/** Decodes the directory-string types used in names (UTF8String, BMPString, PrintableString, ...). */
export function decodeString(n: DerNode): string {
  const c = n.content;
  let s: string;
  switch (n.tag) {
    case TAG.BMPString: {
      let out = '';
      for (let i = 0; i + 1 < c.length; i += 2)
        out += String.fromCharCode(((c[i] as number) << 8) | (c[i + 1] as number));
      s = out;
      break;
    }
    case TAG.UniversalString: {
      let out = '';
      for (let i = 0; i + 3 < c.length; i += 4) {
        const cp =
          (((c[i] as number) << 24) |
            ((c[i + 1] as number) << 16) |
            ((c[i + 2] as number) << 8) |
            (c[i + 3] as number)) >>>
          0;
        out += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      }
      s = out;
      break;
    }
    case TAG.T61String:
      s = Buffer.from(c).toString('latin1');
      break;
    default:
      s = Buffer.from(c).toString('utf8');
  }
  return s.normalize('NFC');
}

// ---------------------------------------------------------------------------------------------
// Minimal DER encoder (OCSP requests, signed-attribute re-encoding, tests).

export function encodeLength(len: number): Uint8Array {
  if (len < 0x80) return Uint8Array.of(len);
  const bytes: number[] = [];
  let v = len;
  while (v > 0) {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  }
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export function encodeTlv(tagByte: number, content: Uint8Array): Uint8Array {
  return Buffer.concat([Uint8Array.of(tagByte), encodeLength(content.length), content]);
}

export function encodeSequence(...items: Uint8Array[]): Uint8Array {
  return encodeTlv(0x30, Buffer.concat(items));
}

export function encodeOid(oid: string): Uint8Array {
  const arcs = oid.split('.').map(Number);
  const out: number[] = [];
  const push = (v: number) => {
    const tmp: number[] = [v & 0x7f];
    let x = Math.floor(v / 128);
    while (x > 0) {
      tmp.unshift((x & 0x7f) | 0x80);
      x = Math.floor(x / 128);
    }
    out.push(...tmp);
  };
  push((arcs[0] as number) * 40 + (arcs[1] as number));
  for (const a of arcs.slice(2)) push(a);
  return encodeTlv(0x06, Uint8Array.from(out));
}

export function encodeOctetString(b: Uint8Array): Uint8Array {
  return encodeTlv(0x04, b);
}

export const DER_NULL = Uint8Array.of(0x05, 0x00);

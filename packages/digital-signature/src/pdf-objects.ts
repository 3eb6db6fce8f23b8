import { inflateSync } from 'node:zlib';

/**
 * A small reader for the PDF object syntax (ISO 32000-1 §7.3), enough to list the objects each
 * incremental update defines and compare them with their previous version. Bounded: nesting depth,
 * object count and decompressed object-stream size are limited; unreadable parts are reported, not
 * thrown.
 */

export type PdfValue =
  | { readonly t: 'dict'; readonly v: ReadonlyMap<string, PdfValue> }
  | { readonly t: 'array'; readonly v: readonly PdfValue[] }
  | { readonly t: 'name'; readonly v: string }
  | { readonly t: 'num'; readonly v: number }
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'ref'; readonly n: number; readonly g: number }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'null' };

export interface PdfObject {
  readonly num: number;
  readonly gen: number;
  /** Byte offset of the `N G obj` header (for objects inside an object stream: of the stream). */
  readonly offset: number;
  readonly value: PdfValue;
  /** Raw stream bytes (still encoded), when the object is a stream. */
  readonly stream?: Uint8Array;
  /** Set when the object was read from a compressed object stream. */
  readonly inObjectStream?: number;
}

export interface PdfRevision {
  /** 1-based. */
  readonly index: number;
  readonly start: number;
  /** Offset just past `%%EOF` and its end-of-line (the file length for an unterminated tail). */
  readonly end: number;
  readonly terminated: boolean;
  readonly objects: readonly PdfObject[];
  /** The trailer dictionary, or the dictionary of the cross-reference stream. */
  readonly trailer?: ReadonlyMap<string, PdfValue>;
  /** Parts that could not be read (compressed streams with unsupported filters, syntax errors). */
  readonly problems: readonly string[];
}

class ParseError extends Error {}

const WS = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
const MAX_DEPTH = 32;

class Lexer {
  pos: number;
  constructor(
    readonly s: string,
    start: number,
    readonly limit: number,
  ) {
    this.pos = start;
  }

  skipWs(): void {
    const s = this.s;
    while (this.pos < this.limit) {
      const c = s.charCodeAt(this.pos);
      if (WS.has(c)) this.pos++;
      else if (c === 0x25) {
        while (this.pos < this.limit && s[this.pos] !== '\n' && s[this.pos] !== '\r') this.pos++;
      } else break;
    }
  }

  regular(): string {
    const start = this.pos;
    while (this.pos < this.limit) {
      const c = this.s.charCodeAt(this.pos);
      if (WS.has(c) || DELIM.has(c)) break;
      this.pos++;
    }
    return this.s.slice(start, this.pos);
  }

  value(depth = 0): PdfValue {
    if (depth > MAX_DEPTH) throw new ParseError(`nesting deeper than ${MAX_DEPTH}`);
    this.skipWs();
    if (this.pos >= this.limit) throw new ParseError('unexpected end of object');
    const s = this.s;
    const c = s[this.pos];
    if (c === '<' && s[this.pos + 1] === '<') {
      this.pos += 2;
      const map = new Map<string, PdfValue>();
      for (;;) {
        this.skipWs();
        if (s[this.pos] === '>' && s[this.pos + 1] === '>') {
          this.pos += 2;
          return { t: 'dict', v: map };
        }
        if (s[this.pos] !== '/') throw new ParseError(`dictionary key expected at byte ${this.pos}`);
        this.pos++;
        const key = decodeName(this.regular());
        map.set(key, this.value(depth + 1));
      }
    }
    if (c === '[') {
      this.pos++;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipWs();
        if (this.pos >= this.limit) throw new ParseError('unterminated array');
        if (s[this.pos] === ']') {
          this.pos++;
          return { t: 'array', v: items };
        }
        items.push(this.value(depth + 1));
      }
    }
    if (c === '/') {
      this.pos++;
      return { t: 'name', v: decodeName(this.regular()) };
    }
    if (c === '(') return { t: 'str', v: this.literalString() };
    if (c === '<') {
      const end = s.indexOf('>', this.pos);
      if (end < 0 || end >= this.limit) throw new ParseError('unterminated hex string');
      const hex = s.slice(this.pos + 1, end).replace(/\s+/g, '');
      this.pos = end + 1;
      return { t: 'str', v: Buffer.from(hex.length % 2 === 0 ? hex : `${hex}0`, 'hex').toString('latin1') };
    }
    const word = this.regular();
    if (word === '') throw new ParseError(`unexpected character at byte ${this.pos}`);
    if (word === 'true' || word === 'false') return { t: 'bool', v: word === 'true' };
    if (word === 'null') return { t: 'null' };
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) {
      if (/^\d+$/.test(word)) {
        const save = this.pos;
        const m = /^\s+(\d{1,5})\s+R(?![^\s()<>[\]{}/%])/.exec(
          s.slice(this.pos, Math.min(this.limit, this.pos + 32)),
        );
        if (m !== null) {
          this.pos = save + m[0].length;
          return { t: 'ref', n: Number(word), g: Number(m[1]) };
        }
      }
      return { t: 'num', v: Number(word) };
    }
    throw new ParseError(`unexpected token ${JSON.stringify(word.slice(0, 20))} at byte ${this.pos}`);
  }

  literalString(): string {
    const s = this.s;
    let depth = 0;
    let out = '';
    this.pos++;
    while (this.pos < this.limit) {
      const ch = s[this.pos++] as string;
      if (ch === '\\') {
        out += ch + (s[this.pos++] ?? '');
      } else if (ch === '(') {
        depth++;
        out += ch;
      } else if (ch === ')') {
        if (depth === 0) return out;
        depth--;
        out += ch;
      } else out += ch;
    }
    throw new ParseError('unterminated string');
  }
}

function decodeName(raw: string): string {
  return raw.replace(/#([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** Canonical text of a value (dictionary keys sorted), for equality. */
export function canonical(v: PdfValue): string {
  switch (v.t) {
    case 'dict':
      return `<<${[...v.v.keys()]
        .sort()
        .map((k) => `/${k} ${canonical(v.v.get(k) as PdfValue)}`)
        .join(' ')}>>`;
    case 'array':
      return `[${v.v.map(canonical).join(' ')}]`;
    case 'name':
      return `/${v.v}`;
    case 'num':
      return String(v.v);
    case 'str':
      return JSON.stringify(v.v);
    case 'ref':
      return `${v.n} ${v.g} R`;
    case 'bool':
      return String(v.v);
    case 'null':
      return 'null';
  }
}

export const dictOf = (v: PdfValue | undefined): ReadonlyMap<string, PdfValue> | undefined =>
  v?.t === 'dict' ? v.v : undefined;
export const nameOf = (v: PdfValue | undefined): string | undefined => (v?.t === 'name' ? v.v : undefined);
export const numberOf = (v: PdfValue | undefined): number | undefined => (v?.t === 'num' ? v.v : undefined);
export const refsOf = (v: PdfValue | undefined): readonly number[] =>
  v?.t === 'array' ? v.v.flatMap((x) => (x.t === 'ref' ? [x.n] : [])) : v?.t === 'ref' ? [v.n] : [];

export interface ReadLimits {
  /** Maximum number of objects read (default 200 000). */
  readonly maxObjects?: number;
  /** Maximum total bytes inflated from object streams (default 64 MiB). */
  readonly maxInflatedBytes?: number;
}

const OBJ_HEADER = /(\d{1,10})\s+(\d{1,5})\s+obj\b/g;

/** Splits a PDF into its revisions (each ending with `%%EOF`) and reads the objects each defines. */
export function readRevisions(pdf: Uint8Array, limits: ReadLimits = {}): PdfRevision[] {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const ends: number[] = [];
  for (const m of text.matchAll(/%%EOF(\r\n|\r|\n)?/g)) ends.push(m.index + m[0].length);
  const budget = {
    objects: limits.maxObjects ?? 200_000,
    inflated: limits.maxInflatedBytes ?? 64 * 1024 * 1024,
  };
  const revisions: PdfRevision[] = [];
  let start = 0;
  const bounds: [number, boolean][] = ends.map((e) => [e, true]);
  if (text.slice(ends.at(-1) ?? 0).trim() !== '') bounds.push([text.length, false]);
  for (const [end, terminated] of bounds) {
    if (end <= start) continue;
    revisions.push(readSection(pdf, text, start, end, revisions.length + 1, terminated, budget));
    start = end;
  }
  return revisions;
}

function readSection(
  pdf: Uint8Array,
  text: string,
  start: number,
  end: number,
  index: number,
  terminated: boolean,
  budget: { objects: number; inflated: number },
): PdfRevision {
  // Work on the section alone so that every search is bounded by it (linear in the file size overall).
  const base = start;
  const s = text.slice(start, end);
  const limit = s.length;
  const endstreams: number[] = [];
  for (let k = s.indexOf('endstream'); k >= 0; k = s.indexOf('endstream', k + 9)) endstreams.push(k);
  /** First `endstream` at or after `from`, by binary search (no rescanning). */
  const endstreamFrom = (from: number): number => {
    let lo = 0;
    let hi = endstreams.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((endstreams[mid] as number) < from) lo = mid + 1;
      else hi = mid;
    }
    return endstreams[lo] ?? -1;
  };
  const objects: PdfObject[] = [];
  const problems: string[] = [];
  let trailer: ReadonlyMap<string, PdfValue> | undefined;
  const re = new RegExp(OBJ_HEADER.source, 'g');
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    if (m.index > 0 && !WS.has(s.charCodeAt(m.index - 1)) && !DELIM.has(s.charCodeAt(m.index - 1))) continue;
    if (--budget.objects < 0) {
      problems.push('too many objects');
      break;
    }
    const num = Number(m[1]);
    const gen = Number(m[2]);
    const lx = new Lexer(s, m.index + m[0].length, limit);
    try {
      const value = lx.value();
      lx.skipWs();
      let stream: Uint8Array | undefined;
      if (s.startsWith('stream', lx.pos)) {
        let p = lx.pos + 6;
        if (s[p] === '\r') p++;
        if (s[p] === '\n') p++;
        const len = numberOf(dictOf(value)?.get('Length'));
        let streamEnd: number;
        if (len !== undefined && p + len <= limit && /^\s*endstream/.test(s.slice(p + len, p + len + 32))) {
          streamEnd = p + len;
        } else {
          const e = endstreamFrom(p);
          if (e < 0) throw new ParseError('unterminated stream');
          streamEnd = e;
          while (streamEnd > p && (s[streamEnd - 1] === '\n' || s[streamEnd - 1] === '\r')) streamEnd--;
        }
        stream = pdf.subarray(base + p, base + streamEnd);
        re.lastIndex = endstreamFrom(streamEnd) + 9;
      } else re.lastIndex = lx.pos;
      const obj: PdfObject = {
        num,
        gen,
        offset: base + m.index,
        value,
        ...(stream === undefined ? {} : { stream }),
      };
      objects.push(obj);
      const dict = dictOf(value);
      const type = nameOf(dict?.get('Type'));
      if (type === 'XRef' && dict !== undefined) trailer = dict;
      if (type === 'ObjStm' && dict !== undefined && stream !== undefined) {
        const inner = readObjectStream(obj, dict, stream, budget);
        if (typeof inner === 'string') problems.push(`object stream ${num} ${gen}: ${inner}`);
        else objects.push(...inner);
      }
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      problems.push(`object ${num} ${gen} at byte ${base + m.index}: ${err.message}`);
      re.lastIndex = m.index + m[0].length;
    }
  }
  const t = s.lastIndexOf('trailer');
  if (t >= 0) {
    try {
      trailer = dictOf(new Lexer(s, t + 7, limit).value()) ?? trailer;
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      problems.push(`trailer: ${err.message}`);
    }
  }
  return { index, start, end, terminated, objects, ...(trailer === undefined ? {} : { trailer }), problems };
}

function readObjectStream(
  container: PdfObject,
  dict: ReadonlyMap<string, PdfValue>,
  raw: Uint8Array,
  budget: { objects: number; inflated: number },
): PdfObject[] | string {
  const filter = dict.get('Filter');
  const filters = filter?.t === 'array' ? filter.v.map(nameOf) : filter === undefined ? [] : [nameOf(filter)];
  if (filters.some((f) => f !== 'FlateDecode') || filters.length > 1)
    return `unsupported filter ${canonical(filter ?? { t: 'null' })}`;
  if (dict.get('DecodeParms') !== undefined) return 'predictors are not supported';
  let data: Buffer;
  try {
    data =
      filters.length === 0
        ? Buffer.from(raw)
        : inflateSync(raw, { maxOutputLength: Math.max(1, budget.inflated) });
  } catch {
    return 'cannot be inflated (corrupt or over the size limit)';
  }
  budget.inflated -= data.length;
  const n = numberOf(dict.get('N'));
  const first = numberOf(dict.get('First'));
  if (n === undefined || first === undefined || n < 0 || first < 0 || first > data.length)
    return 'bad /N or /First';
  const s = data.toString('latin1');
  const header = s.slice(0, first).trim().split(/\s+/).map(Number);
  const out: PdfObject[] = [];
  for (let i = 0; i < n; i++) {
    const num = header[2 * i];
    const off = header[2 * i + 1];
    if (num === undefined || off === undefined || !Number.isInteger(num) || !Number.isInteger(off))
      return 'bad header';
    if (--budget.objects < 0) return 'too many objects';
    const next = header[2 * i + 3];
    const limit = next === undefined ? s.length : first + next;
    try {
      out.push({
        num,
        gen: 0,
        offset: container.offset,
        value: new Lexer(s, first + off, Math.min(limit, s.length)).value(),
        inObjectStream: container.num,
      });
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      return `object ${num}: ${err.message}`;
    }
  }
  return out;
}

import { Hl7Error } from '../errors.js';
import { decodeBytes, encodeText, resolveCharset } from './charset.js';
import { encodingCharacters, escapeText, unescapeText, type Delimiters, type HexDecoder } from './escape.js';

/** Limits and decoding choices for {@link parseHl7}. */
export interface ParseOptions {
  /** Largest accepted message, in bytes (or UTF-16 code units for string input). Default 8 MiB. */
  readonly maxBytes?: number;
  /** Largest accepted number of segments. Default 50 000. */
  readonly maxSegments?: number;
  /**
   * Character set used for byte input, overriding MSH-18 (for a facility whose HIS labels it
   * wrongly). A decoder name such as `windows-1258`, `tcvn` or `utf8`.
   */
  readonly charset?: string;
  /** Extra MSH-18 labels (upper-case) mapped to decoder names, e.g. `{ 'VN3': 'tcvn' }`. */
  readonly charsetAliases?: Readonly<Record<string, string>>;
}

export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
export const DEFAULT_MAX_SEGMENTS = 50_000;

const HEADER_SEGMENTS = new Set(['MSH', 'FHS', 'BHS']);
const SEGMENT_NAME = /^[A-Z][A-Z0-9]{2}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F]/;
const TERMINATOR = /(?:\r\n|\r|\n)+/g;

type Structure = string[][][];

function splitField(raw: string, d: Delimiters): Structure {
  const reps = raw.indexOf(d.repetition) < 0 ? [raw] : raw.split(d.repetition);
  return reps.map((rep) =>
    (rep.indexOf(d.component) < 0 ? [rep] : rep.split(d.component)).map((comp) =>
      comp.indexOf(d.subcomponent) < 0 ? [comp] : comp.split(d.subcomponent),
    ),
  );
}

function joinField(s: Structure, d: Delimiters): string {
  return s.map((rep) => rep.map((comp) => comp.join(d.subcomponent)).join(d.component)).join(d.repetition);
}

/** One segment: its name and its fields, kept as received (escaped) for an exact round trip. */
export class Hl7Segment {
  readonly name: string;
  /** `raw[n]` is field n as received (escaped); `raw[0]` is the segment name. */
  private readonly raw: string[];
  private readonly parsed: (Structure | undefined)[] = [];

  /** @internal */
  constructor(
    fields: string[],
    private readonly d: Delimiters,
    private readonly hex: HexDecoder,
  ) {
    this.raw = fields;
    this.name = fields[0] ?? '';
  }

  /** The highest field number present. */
  get fieldCount(): number {
    return this.raw.length - 1;
  }

  private structure(field: number): Structure | undefined {
    const cached = this.parsed[field];
    if (cached !== undefined) return cached;
    const raw = this.raw[field];
    if (raw === undefined) return undefined;
    const s = this.isHeader() && field <= 2 ? [[[raw]]] : splitField(raw, this.d);
    this.parsed[field] = s;
    return s;
  }

  private isHeader(): boolean {
    return HEADER_SEGMENTS.has(this.name);
  }

  /** Field `n` as received (escaped, with its repetitions and components), or `undefined`. */
  rawField(n: number): string | undefined {
    return this.raw[n];
  }

  /** Number of repetitions of field `n` (0 when absent or empty). */
  repetitionCount(n: number): number {
    const raw = this.raw[n];
    if (raw === undefined || raw === '') return 0;
    return this.structure(n)?.length ?? 0;
  }

  /**
   * The escaped value at a position (1-based; repetition, component and subcomponent default to 1
   * when the field is addressed as a whole, `0` means "the whole" of that level).
   */
  getRaw(field: number, repetition = 0, component = 0, subcomponent = 0): string | undefined {
    if (field === 0) return this.name;
    const raw = this.raw[field];
    if (raw === undefined) return undefined;
    if (repetition === 0 && component === 0 && subcomponent === 0) return raw;
    const s = this.structure(field) as Structure;
    const rep = s[(repetition || 1) - 1];
    if (rep === undefined) return undefined;
    if (component === 0 && subcomponent === 0) {
      return rep.map((c) => c.join(this.d.subcomponent)).join(this.d.component);
    }
    const comp = rep[(component || 1) - 1];
    if (comp === undefined) return undefined;
    if (subcomponent === 0) return comp.join(this.d.subcomponent);
    return comp[subcomponent - 1];
  }

  /**
   * The text at a position, with escape sequences resolved and Unicode normalised to NFC.
   * Without repetition/component numbers, the first repetition's first component is returned.
   */
  get(field: number, repetition = 1, component = 1, subcomponent = 1): string | undefined {
    if (this.isHeader() && field <= 2) return this.raw[field];
    const raw = this.getRaw(field, repetition, component, subcomponent);
    return raw === undefined ? undefined : unescapeText(raw, this.d, this.hex).normalize('NFC');
  }

  /** Replaces a value with `text` (escaped here), growing the field structure as needed. */
  set(text: string, field: number, repetition = 1, component = 1, subcomponent = 1): void {
    if (field < 1 || (this.isHeader() && field <= 2)) {
      throw new Hl7Error(
        'BAD_PATH',
        `${this.name}-${field} cannot be set / không thể gán ${this.name}-${field}`,
        {
          details: { segment: this.name, field },
        },
      );
    }
    while (this.raw.length <= field) this.raw.push('');
    const s = this.structure(field) as Structure;
    while (s.length < repetition) s.push([['']]);
    const rep = s[repetition - 1] as string[][];
    while (rep.length < component) rep.push(['']);
    const comp = rep[component - 1] as string[];
    while (comp.length < subcomponent) comp.push('');
    comp[subcomponent - 1] = escapeText(text, this.d);
    this.raw[field] = joinField(s, this.d);
  }

  /** The segment in ER7, without its terminator. */
  toString(): string {
    if (this.isHeader()) {
      return this.name + this.d.field + this.raw.slice(2).join(this.d.field);
    }
    return this.raw.join(this.d.field);
  }
}

/** Where a value sits in a message, parsed from a path like `PID-3[2].1.2` or `OBX[2]-5`. */
export interface Hl7Path {
  readonly segment: string;
  /** 1-based occurrence of the segment in the message. */
  readonly occurrence: number;
  readonly field: number;
  /** 1-based; 0 when the path does not name one. */
  readonly repetition: number;
  readonly component: number;
  readonly subcomponent: number;
}

const PATH = /^([A-Z][A-Z0-9]{2})(?:\[(\d+)\])?(?:-(\d+)(?:\[(\d+)\])?(?:\.(\d+)(?:\.(\d+))?)?)?$/;

/** Parses a path such as `PID-3[2].1` (segment, occurrence, field, repetition, component, subcomponent). */
export function parsePath(path: string): Hl7Path {
  const m = PATH.exec(path);
  const nums = m === null ? [] : [m[2], m[3], m[4], m[5], m[6]].map((v) => (v === undefined ? 0 : Number(v)));
  if (
    m === null ||
    (nums[0] === 0 && m[2] !== undefined) ||
    nums.slice(1).some((n, i) => n === 0 && [m[3], m[4], m[5], m[6]][i] !== undefined)
  ) {
    throw new Hl7Error(
      'BAD_PATH',
      `Malformed HL7 path "${path}" (expected e.g. PID-3[2].1) / Đường dẫn HL7 sai "${path}"`,
      {
        details: { path },
      },
    );
  }
  return {
    segment: m[1] as string,
    occurrence: nums[0] || 1,
    field: nums[1] ?? 0,
    repetition: nums[2] ?? 0,
    component: nums[3] ?? 0,
    subcomponent: nums[4] ?? 0,
  };
}

/** Message type from MSH-9: code (`ADT`), trigger event (`A01`) and structure (`ADT_A01`, or derived). */
export interface MessageType {
  readonly code: string;
  readonly event: string;
  readonly structure: string;
}

/** A parsed HL7 v2 message. `toString()` gives back the received text exactly. */
export class Hl7Message {
  /** @internal */
  constructor(
    readonly segments: Hl7Segment[],
    readonly delimiters: Delimiters,
    /** Decoder name of the message's character set (`utf8`, `iso-8859-1`, `windows-1258`...). */
    readonly charset: string,
    private readonly terminators: string[],
    private readonly prefix: string,
  ) {}

  /** The first (or n-th, 1-based) segment with this name. */
  segment(name: string, occurrence = 1): Hl7Segment | undefined {
    let seen = 0;
    for (const s of this.segments) {
      if (s.name === name && ++seen === occurrence) return s;
    }
    return undefined;
  }

  /** Every segment with this name, in order. */
  segmentsNamed(name: string): Hl7Segment[] {
    return this.segments.filter((s) => s.name === name);
  }

  /** Text at a path (`PID-5.1`, `PID-3[2].1`, `OBX[2]-5`), unescaped and NFC; `undefined` when absent. */
  get(path: string): string | undefined {
    const p = parsePath(path);
    const seg = this.segment(p.segment, p.occurrence);
    if (seg === undefined) return undefined;
    if (p.field === 0) return seg.name;
    return seg.get(p.field, p.repetition || 1, p.component || 1, p.subcomponent || 1);
  }

  /** Escaped value at a path; a path without component returns the whole repetition (or field). */
  getRaw(path: string): string | undefined {
    const p = parsePath(path);
    return this.segment(p.segment, p.occurrence)?.getRaw(p.field, p.repetition, p.component, p.subcomponent);
  }

  /** The text of the given component of every repetition of a field (`PID-3.1` → all MRNs, ids...). */
  getAll(path: string): string[] {
    const p = parsePath(path);
    const seg = this.segment(p.segment, p.occurrence);
    if (seg === undefined) return [];
    const n = seg.repetitionCount(p.field);
    const out: string[] = [];
    for (let r = 1; r <= n; r++) out.push(seg.get(p.field, r, p.component || 1, p.subcomponent || 1) ?? '');
    return out;
  }

  /** Sets the text at a path (escaping it); the segment must exist. */
  set(path: string, text: string): void {
    const p = parsePath(path);
    const seg = this.segment(p.segment, p.occurrence);
    if (seg === undefined) {
      throw new Hl7Error('BAD_PATH', `No ${p.segment} segment to set ${path} / không có đoạn ${p.segment}`, {
        details: { path },
      });
    }
    seg.set(text, p.field, p.repetition || 1, p.component || 1, p.subcomponent || 1);
  }

  /** MSH-9 as code, event and structure (MSH-9.3, or derived from 9.1 and 9.2 when missing). */
  get type(): MessageType {
    const code = this.get('MSH-9.1') ?? '';
    const event = this.get('MSH-9.2') ?? '';
    const structure = this.get('MSH-9.3') || (event === '' ? code : `${code}_${event}`);
    return { code, event, structure };
  }

  /** MSH-10, the sender's message control id. */
  get controlId(): string {
    return this.get('MSH-10') ?? '';
  }

  /** MSH-12.1, the HL7 version (`2.5.1`). */
  get version(): string {
    return this.get('MSH-12') ?? '';
  }

  /** The message in ER7, exactly as received when it was not modified. */
  toString(): string {
    let out = this.prefix;
    for (let i = 0; i < this.segments.length; i++) {
      out += (this.segments[i] as Hl7Segment).toString() + (this.terminators[i] ?? '\r');
    }
    return out;
  }

  /** The message encoded in its character set (MSH-18), ready for the wire. */
  toBytes(): Buffer {
    return encodeText(this.toString(), this.charset);
  }
}

function fail(
  code: 'NO_MSH' | 'BAD_DELIMITERS' | 'BAD_SEGMENT' | 'BINARY_CONTENT' | 'TOO_LARGE',
  en: string,
  vi: string,
  details: Record<string, unknown>,
): never {
  throw new Hl7Error(code, `${en} / ${vi}`, { details });
}

/** Reads MSH-1/MSH-2 (or FHS/BHS) at the start of `text` and returns the delimiters. */
export function readDelimiters(text: string, offset = 0): Delimiters {
  const field = text.charAt(offset + 3);
  const end = text.indexOf(field, offset + 4);
  const enc = text.slice(offset + 4, end < 0 ? undefined : end).replace(/[\r\n].*$/s, '');
  const chars = [field, ...enc];
  const bad =
    field === '' ||
    (enc.length !== 4 && enc.length !== 5) ||
    new Set(chars).size !== chars.length ||
    chars.some((c) => /[A-Za-z0-9\s]/.test(c));
  if (bad) {
    fail(
      'BAD_DELIMITERS',
      `MSH-1/MSH-2 do not define distinct delimiters ("${field}${enc}")`,
      `MSH-1/MSH-2 không xác định được dấu phân cách`,
      {
        field: 'MSH-2',
        value: field + enc,
        offset,
      },
    );
  }
  const [component, repetition, escape, subcomponent, truncation] = [...enc];
  return {
    field,
    component: component as string,
    repetition: repetition as string,
    escape: escape as string,
    subcomponent: subcomponent as string,
    ...(truncation === undefined ? {} : { truncation }),
  };
}

/** Finds MSH-18 in undecoded bytes (ASCII-compatible charsets) and returns its first component. */
function sniffMsh18(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString(
    'latin1',
  );
  const start = head.indexOf('MSH');
  if (start < 0) return '';
  const lineEnd = head.slice(start).search(/[\r\n]/);
  const line = head.slice(start, lineEnd < 0 ? undefined : start + lineEnd);
  const fs = line.charAt(3);
  if (fs === '') return '';
  const enc = line.slice(4, 8);
  const f18 = line.split(fs)[17] ?? '';
  const cut = f18.search(new RegExp(`[${enc.replace(/[\]\\^-]/g, '\\$&')}]`));
  return cut < 0 ? f18 : f18.slice(0, cut);
}

/** Decodes input bytes using `options.charset` or MSH-18; returns the text and the charset used. */
export function decodeInput(
  input: string | Uint8Array,
  options: ParseOptions = {},
): { text: string; charset: string } {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > maxBytes) {
    fail(
      'TOO_LARGE',
      `Message of ${size} bytes exceeds the ${maxBytes}-byte limit`,
      `Thông điệp vượt quá giới hạn ${maxBytes} byte`,
      {
        size,
        maxBytes,
      },
    );
  }
  if (typeof input === 'string') {
    const msh18 = /^\uFEFF?\s*(?:MSH|FHS|BHS)/.test(input)
      ? sniffMsh18(Buffer.from(input.slice(0, 4096), 'latin1'))
      : '';
    let charset = 'utf8';
    if (options.charset !== undefined) charset = options.charset;
    else if (msh18 !== '') charset = resolveCharset(msh18, options.charsetAliases);
    return { text: input, charset };
  }
  const charset = options.charset ?? resolveCharset(sniffMsh18(input), options.charsetAliases);
  return { text: decodeBytes(input, charset), charset };
}

export function hexDecoderFor(charset: string): HexDecoder {
  return (bytes) => (charset === 'utf8' ? Buffer.from(bytes).toString('utf8') : decodeBytes(bytes, charset));
}

interface Lines {
  readonly prefix: string;
  readonly lines: string[];
  readonly terminators: string[];
  /** Character offset of each line in the text. */
  readonly offsets: number[];
}

/** Splits text into segments, keeping the exact terminators (CR, LF, CRLF, blank lines). */
export function splitLines(text: string, maxSegments: number): Lines {
  const lead = /^\uFEFF?[\s]*/.exec(text)?.[0] ?? '';
  const lines: string[] = [];
  const terminators: string[] = [];
  const offsets: number[] = [];
  let pos = lead.length;
  TERMINATOR.lastIndex = pos;
  while (pos < text.length) {
    const m = TERMINATOR.exec(text);
    const end = m === null ? text.length : m.index;
    lines.push(text.slice(pos, end));
    terminators.push(m === null ? '' : m[0]);
    offsets.push(pos);
    if (lines.length > maxSegments) {
      fail('TOO_LARGE', `More than ${maxSegments} segments`, `Nhiều hơn ${maxSegments} đoạn`, {
        maxSegments,
      });
    }
    pos = m === null ? text.length : m.index + m[0].length;
  }
  return { prefix: lead, lines, terminators, offsets };
}

/** Checks a segment line and splits it into fields. */
export function splitSegment(line: string, index: number, offset: number, d: Delimiters): string[] {
  const fields = line.split(d.field);
  const name = fields[0] as string;
  if (!SEGMENT_NAME.test(name)) {
    fail(
      'BAD_SEGMENT',
      `Segment ${index + 1} at offset ${offset} has an invalid name "${name.slice(0, 10)}"`,
      `Đoạn ${index + 1} có tên không hợp lệ`,
      {
        segmentIndex: index + 1,
        offset,
        segment: name.slice(0, 10),
      },
    );
  }
  if (HEADER_SEGMENTS.has(name)) {
    // Field 1 is the field separator itself, field 2 the encoding characters.
    fields.splice(1, 0, d.field);
  }
  return fields;
}

export function checkControlBytes(text: string): void {
  const m = CONTROL.exec(text);
  if (m !== null) {
    const before = text.slice(0, m.index);
    const segStart = Math.max(before.lastIndexOf('\r'), before.lastIndexOf('\n')) + 1;
    const segment = text.slice(segStart, segStart + 3);
    const field = before.slice(segStart).split(text.charAt(3)).length - 1;
    fail(
      'BINARY_CONTENT',
      `Control byte 0x${m[0].charCodeAt(0).toString(16).padStart(2, '0')} at offset ${m.index} (${segment}-${field})`,
      `Ký tự điều khiển không hợp lệ tại vị trí ${m.index}`,
      {
        offset: m.index,
        segment,
        field,
      },
    );
  }
}

/**
 * Parses one ER7 message (string, or bytes decoded per MSH-18). Delimiters come from MSH-1/2;
 * segments end with CR (LF and CRLF are tolerated and kept); Z-segments are kept like any other.
 * Throws {@link Hl7Error} `NO_MSH`, `BAD_DELIMITERS`, `BAD_SEGMENT`, `BINARY_CONTENT`,
 * `TOO_LARGE` or `CHARSET_UNSUPPORTED`, naming the segment and offset.
 */
export function parseHl7(input: string | Uint8Array, options: ParseOptions = {}): Hl7Message {
  const { text, charset } = decodeInput(input, options);
  const split = splitLines(text, options.maxSegments ?? DEFAULT_MAX_SEGMENTS);
  const first = split.lines[0] ?? '';
  if (!first.startsWith('MSH')) {
    fail(
      'NO_MSH',
      'The message does not start with an MSH segment',
      'Thông điệp không bắt đầu bằng đoạn MSH',
      {
        offset: split.prefix.length,
        start: first.slice(0, 8),
      },
    );
  }
  const d = readDelimiters(first);
  checkControlBytes(text);
  const hex = hexDecoderFor(charset);
  const segments = split.lines.map(
    (line, i) => new Hl7Segment(splitSegment(line, i, split.offsets[i] as number, d), d, hex),
  );
  return new Hl7Message(segments, d, charset, split.terminators, split.prefix);
}

/** A field for {@link buildHl7}: text (escaped for you), or its components' texts. */
export type FieldValue = string | readonly string[];

/**
 * Builds a message from segments given as arrays of fields (index 0 = segment name). For MSH,
 * fields 1 and 2 are ignored: they come from `d`.
 */
export function buildHl7(
  segments: readonly (readonly FieldValue[])[],
  d: Delimiters,
  charset = 'utf8',
): Hl7Message {
  const hex = hexDecoderFor(charset);
  const out = segments.map((fields) => {
    const name = typeof fields[0] === 'string' ? fields[0] : '';
    const raw = fields.map((f) =>
      typeof f === 'string' ? escapeText(f, d) : f.map((c) => escapeText(c, d)).join(d.component),
    );
    raw[0] = name;
    if (HEADER_SEGMENTS.has(name)) {
      raw[1] = d.field;
      raw[2] = encodingCharacters(d);
    }
    return new Hl7Segment(raw, d, hex);
  });
  return new Hl7Message(
    out,
    d,
    charset,
    out.map(() => '\r'),
    '',
  );
}

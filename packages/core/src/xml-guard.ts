import { DttmError, errorGuard, type DttmErrorOptions } from './errors.js';

/**
 * Stable codes of {@link XmlSecurityError}:
 * - `XML_DTD_FORBIDDEN`: a `<!DOCTYPE>` or another DTD declaration (`<!ENTITY>`, `<!ELEMENT>`, ...).
 * - `XML_ENTITY_FORBIDDEN`: a reference to an entity other than the five predefined ones and numeric references.
 * - `XML_EXTERNAL_REFERENCE`: an XInclude namespace declaration (a way to pull in external content).
 * - `XML_TOO_LARGE`: the input, one tag, or one name is longer than the configured limit.
 * - `XML_TOO_DEEP`: elements nest deeper than the configured limit.
 * - `XML_MALFORMED`: the markup cannot be scanned (bare `&`, a tag or comment left open at the end, a stray end tag).
 */
export type XmlSecurityCode =
  | 'XML_DTD_FORBIDDEN'
  | 'XML_ENTITY_FORBIDDEN'
  | 'XML_EXTERNAL_REFERENCE'
  | 'XML_TOO_LARGE'
  | 'XML_TOO_DEEP'
  | 'XML_MALFORMED';

/** Thrown by {@link scanXml} and {@link createXmlGuard}. `offset` is the byte offset (UTF-8) of the problem. */
export class XmlSecurityError extends DttmError<XmlSecurityCode> {
  override readonly name = 'XmlSecurityError';
  /** Byte offset, from the start of the input, where the problem was found. */
  readonly offset: number;

  constructor(code: XmlSecurityCode, message: string, offset: number, options: DttmErrorOptions = {}) {
    super(code, message, { ...options, details: { ...options.details, offset } });
    this.offset = offset;
  }
}

/** True when `value` is an {@link XmlSecurityError}, even one from another copy of `@dttm/core`. */
export const isXmlSecurityError = errorGuard<XmlSecurityError>('XmlSecurityError');

/** Limits enforced by the guard. Every limit has a default that suits documents of a few megabytes. */
export interface XmlGuardLimits {
  /** Maximum input size in bytes. Default 16 MiB. */
  readonly maxBytes?: number;
  /** Maximum element nesting depth. Default 64. */
  readonly maxDepth?: number;
  /** Maximum bytes of one tag, comment or processing instruction (text and CDATA are unlimited). Default 64 KiB. */
  readonly maxTagBytes?: number;
}

/** What the guard saw in a document that passed. */
export interface XmlGuardSummary {
  /** Bytes scanned. */
  readonly bytes: number;
  /** Number of elements. */
  readonly elements: number;
  /** Deepest nesting reached. */
  readonly maxDepth: number;
}

/** An incremental guard: feed it chunks as they arrive, then call `end()`. Throws at the first problem. */
export interface XmlGuard {
  write(chunk: Uint8Array | string): void;
  end(): XmlGuardSummary;
}

export const DEFAULT_XML_GUARD_LIMITS: Required<XmlGuardLimits> = {
  maxBytes: 16 * 1024 * 1024,
  maxDepth: 64,
  maxTagBytes: 64 * 1024,
};

/**
 * Checks a whole document before it reaches a parser: rejects DTDs, entity declarations and references
 * to undeclared entities, XInclude, over-large input and deep nesting. It does not check well-formedness
 * beyond what it needs to find these; the parser does that.
 */
export function scanXml(input: Uint8Array | string, limits?: XmlGuardLimits): XmlGuardSummary {
  const guard = createXmlGuard(limits);
  guard.write(input);
  return guard.end();
}

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const SEMI = 0x3b;
const BANG = 0x21;
const QUESTION = 0x3f;
const SLASH = 0x2f;
const DASH = 0x2d;
const RBRACKET = 0x5d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

const enum State {
  Text,
  Lt,
  Bang,
  Comment,
  Cdata,
  Pi,
  StartTag,
  EndTag,
  Entity,
}

const XINCLUDE_NS = 'http://www.w3.org/2001/XInclude';
const PREDEFINED = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);
const MAX_ENTITY_BYTES = 12;

function message(en: string, vi: string, offset: number): string {
  return `${en} (byte ${offset}) / ${vi} (byte ${offset})`;
}

/** Creates an incremental {@link XmlGuard}. */
export function createXmlGuard(limits: XmlGuardLimits = {}): XmlGuard {
  const maxBytes = limits.maxBytes ?? DEFAULT_XML_GUARD_LIMITS.maxBytes;
  const maxDepth = limits.maxDepth ?? DEFAULT_XML_GUARD_LIMITS.maxDepth;
  const maxTagBytes = limits.maxTagBytes ?? DEFAULT_XML_GUARD_LIMITS.maxTagBytes;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  let state = State.Text;
  let base = 0; // absolute offset of chunk[0]
  let depth = 0;
  let deepest = 0;
  let elements = 0;
  let markStart = 0; // absolute offset of the current '<' or '&'
  let quote = 0; // open quote inside a tag, 0 when none
  let prev1 = 0; // last two bytes seen inside a comment / CDATA / PI / tag
  let prev2 = 0;
  let tagBytes: number[] = []; // bytes of the current tag, Bang prefix or entity name
  let returnState = State.Text; // where an entity reference returns to (text or start tag)
  let entityStart = 0;
  let entityName: number[] = [];
  let ended = false;

  const fail = (code: XmlSecurityCode, en: string, vi: string, offset: number): never => {
    throw new XmlSecurityError(code, message(en, vi, offset), offset);
  };

  /** Fails when the current tag, comment or processing instruction (starting at `markStart`) is too long. */
  const tagLimit = (): void => {
    if (tagBytes.length > maxTagBytes) {
      fail(
        'XML_TOO_LARGE',
        `markup longer than ${maxTagBytes} bytes`,
        `đánh dấu dài hơn ${maxTagBytes} byte`,
        markStart,
      );
    }
  };

  const closeStartTag = (selfClosing: boolean): void => {
    const text = decoder.decode(new Uint8Array(tagBytes));
    if (text.includes(XINCLUDE_NS)) {
      fail('XML_EXTERNAL_REFERENCE', 'XInclude is not allowed', 'không cho phép XInclude', markStart);
    }
    elements++;
    if (!selfClosing) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (depth > maxDepth) {
        fail(
          'XML_TOO_DEEP',
          `elements nest deeper than ${maxDepth} levels`,
          `phần tử lồng sâu quá ${maxDepth} cấp`,
          markStart,
        );
      }
    }
  };

  /** Validates the collected entity name and returns the text it stands for. */
  const checkEntity = (): string => {
    const name = decoder.decode(new Uint8Array(entityName));
    const predefined = PREDEFINED.get(name);
    if (predefined !== undefined) return predefined;
    const numeric = /^#([0-9]{1,7})$/.exec(name) ?? /^#x([0-9a-fA-F]{1,6})$/.exec(name);
    if (numeric) {
      const cp = Number.parseInt(numeric[1] as string, name.startsWith('#x') ? 16 : 10);
      if (cp <= 0x10ffff) return String.fromCodePoint(cp);
    } else if (/^[A-Za-z_:][A-Za-z0-9._:-]*$/.test(name)) {
      fail(
        'XML_ENTITY_FORBIDDEN',
        `reference to the undeclared entity "&${name};"`,
        `tham chiếu tới thực thể không được khai báo "&${name};"`,
        entityStart,
      );
    }
    return fail(
      'XML_MALFORMED',
      'malformed character reference',
      'tham chiếu ký tự sai cú pháp',
      entityStart,
    );
  };

  const write = (input: Uint8Array | string): void => {
    if (ended) throw new TypeError('write() after end()');
    const chunk = typeof input === 'string' ? encoder.encode(input) : input;
    if (base + chunk.length > maxBytes) {
      fail(
        'XML_TOO_LARGE',
        `the document is larger than ${maxBytes} bytes`,
        `tài liệu lớn hơn ${maxBytes} byte`,
        maxBytes,
      );
    }
    const n = chunk.length;
    let i = 0;
    let nextLt = -2;
    let nextAmp = -2;
    while (i < n) {
      switch (state) {
        case State.Text: {
          if (nextLt !== -1 && nextLt < i) nextLt = chunk.indexOf(LT, i);
          if (nextAmp !== -1 && nextAmp < i) nextAmp = chunk.indexOf(AMP, i);
          const lt = nextLt === -1 ? n : nextLt;
          const amp = nextAmp === -1 ? n : nextAmp;
          if (lt === n && amp === n) {
            i = n;
            break;
          }
          if (amp < lt) {
            entityStart = base + amp;
            state = State.Entity;
            returnState = State.Text;
            entityName = [];
            i = amp + 1;
          } else {
            markStart = base + lt;
            state = State.Lt;
            i = lt + 1;
          }
          break;
        }
        case State.Entity: {
          const b = chunk[i] as number;
          i++;
          if (b === SEMI) {
            const decoded = checkEntity();
            if (returnState === State.StartTag) {
              for (const x of encoder.encode(decoded)) tagBytes.push(x);
              tagLimit();
            }
            state = returnState;
          } else {
            entityName.push(b);
            if (entityName.length > MAX_ENTITY_BYTES || b === LT || b === AMP || b <= 0x20) {
              fail(
                'XML_MALFORMED',
                'a "&" that starts no reference',
                'ký tự "&" không mở tham chiếu',
                entityStart,
              );
            }
          }
          break;
        }
        case State.Lt: {
          const b = chunk[i] as number;
          i++;
          tagBytes = [];
          prev1 = 0;
          prev2 = 0;
          if (b === BANG) state = State.Bang;
          else if (b === QUESTION) state = State.Pi;
          else if (b === SLASH) state = State.EndTag;
          else {
            state = State.StartTag;
            quote = 0;
            tagBytes.push(b);
            if (b === GT) fail('XML_MALFORMED', 'empty tag "<>"', 'thẻ rỗng "<>"', markStart);
          }
          break;
        }
        case State.Bang: {
          const b = chunk[i] as number;
          i++;
          tagBytes.push(b);
          const head = String.fromCharCode(...tagBytes);
          if (head === '--') {
            state = State.Comment;
            tagBytes = [];
          } else if (head === '[CDATA[') {
            state = State.Cdata;
          } else if (head.length === 1 && b >= 0x41 && b <= 0x5a) {
            // Outside a DTD only comments and CDATA may follow "<!": this is <!DOCTYPE, <!ENTITY, ...
            fail(
              'XML_DTD_FORBIDDEN',
              'DTD declarations (<!DOCTYPE, <!ENTITY, ...) are not allowed',
              'không cho phép khai báo DTD (<!DOCTYPE, <!ENTITY, ...)',
              markStart,
            );
          } else if (!'--'.startsWith(head) && !'[CDATA['.startsWith(head)) {
            fail('XML_MALFORMED', 'unknown markup after "<!"', 'đánh dấu không hợp lệ sau "<!"', markStart);
          }
          break;
        }
        case State.Comment:
        case State.Cdata:
        case State.Pi: {
          // Scan to the terminator: "-->", "]]>" or "?>".
          const b = chunk[i] as number;
          i++;
          if (state !== State.Cdata) {
            tagBytes.push(b);
            tagLimit();
          }
          if (b === GT) {
            if (state === State.Comment && prev1 === DASH && prev2 === DASH) state = State.Text;
            else if (state === State.Cdata && prev1 === RBRACKET && prev2 === RBRACKET) state = State.Text;
            else if (state === State.Pi && prev1 === QUESTION) state = State.Text;
          }
          prev2 = prev1;
          prev1 = b;
          if (state === State.Cdata && b !== GT && b !== RBRACKET) {
            // Skip ahead to the next ']' quickly.
            const next = chunk.indexOf(RBRACKET, i);
            if (next === -1) {
              i = n;
              prev1 = 0;
              prev2 = 0;
            } else if (next > i) {
              i = next;
              prev1 = 0;
              prev2 = 0;
            }
          }
          break;
        }
        case State.StartTag: {
          const b = chunk[i] as number;
          i++;
          if (quote !== 0) {
            if (b === quote) quote = 0;
            else if (b === AMP) {
              entityStart = base + i - 1;
              entityName = [];
              state = State.Entity;
              returnState = State.StartTag;
              break;
            }
            tagBytes.push(b);
            tagLimit();
            break;
          }
          if (b === DQUOTE || b === SQUOTE) quote = b;
          else if (b === LT)
            fail('XML_MALFORMED', 'a "<" inside a tag', 'ký tự "<" nằm trong thẻ', base + i - 1);
          else if (b === GT) {
            closeStartTag(prev1 === SLASH);
            state = State.Text;
            break;
          }
          prev1 = b;
          tagBytes.push(b);
          tagLimit();
          break;
        }
        case State.EndTag: {
          const b = chunk[i] as number;
          i++;
          tagBytes.push(b);
          tagLimit();
          if (b === GT) {
            depth--;
            if (depth < 0) {
              fail('XML_MALFORMED', 'an end tag without a start tag', 'thẻ đóng không có thẻ mở', markStart);
            }
            state = State.Text;
          }
          break;
        }
      }
    }
    base += n;
  };

  return {
    write,
    end(): XmlGuardSummary {
      if (ended) throw new TypeError('end() called twice');
      ended = true;
      if (state !== State.Text) {
        fail(
          'XML_MALFORMED',
          'the document ends inside markup',
          'tài liệu kết thúc giữa chừng một thẻ',
          markStart,
        );
      }
      if (depth > 0) {
        fail(
          'XML_MALFORMED',
          `the document ends with ${depth} element(s) still open`,
          `tài liệu kết thúc khi còn ${depth} phần tử chưa đóng`,
          base,
        );
      }
      return { bytes: base, elements, maxDepth: deepest };
    },
  };
}

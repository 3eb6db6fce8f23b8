import { isXmlSecurityError, scanXml, type XmlGuardLimits } from '@dttm/core';
import { CameraError, msg } from './errors.js';

/** One element of a parsed document, with namespaces resolved. */
export interface XmlElement {
  /** Local name, without prefix. */
  readonly name: string;
  /** Namespace URI, `''` when none is in scope. */
  readonly ns: string;
  /** Prefix as written (`''` for the default namespace). */
  readonly prefix: string;
  /** Attributes by local name (prefixes dropped; `xmlns` declarations excluded). */
  readonly attrs: Readonly<Record<string, string>>;
  /** Child elements in document order. */
  readonly children: readonly XmlElement[];
  /** Direct text content (CDATA included), entities decoded, not trimmed. */
  readonly text: string;
  /** Namespace declarations in scope, prefix → URI (`''` is the default namespace). */
  readonly scope: ReadonlyMap<string, string>;
  /** Path from the root, e.g. `/Envelope/Body/GetProfilesResponse`, for error messages. */
  readonly path: string;
  /** UTF-16 index of the start tag's `<` in the parsed text. */
  readonly start: number;
  /** UTF-16 index just after the end tag's `>`. */
  readonly end: number;
}

/** Limits applied to every device payload; defaults suit SOAP responses and alert streams. */
export type XmlLimits = XmlGuardLimits;

export const DEFAULT_XML_LIMITS: Required<XmlLimits> = {
  maxBytes: 4 * 1024 * 1024,
  maxDepth: 48,
  maxTagBytes: 16 * 1024,
};

interface MutableElement {
  name: string;
  ns: string;
  prefix: string;
  attrs: Record<string, string>;
  children: MutableElement[];
  text: string;
  scope: Map<string, string>;
  path: string;
  qname: string;
  start: number;
  end: number;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (_m, ent: string) => {
    if (ent.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ent.slice(2), 16));
    if (ent.startsWith('#')) return String.fromCodePoint(Number.parseInt(ent.slice(1), 10));
    return PREDEFINED[ent] ?? `&${ent};`;
  });
}

function byteOffset(text: string, index: number): number {
  return Buffer.byteLength(text.slice(0, index), 'utf8');
}

function isNameChar(c: number): boolean {
  // Anything that is not whitespace, '/', '>', '=' or a quote.
  return c > 0x20 && c !== 0x2f && c !== 0x3e && c !== 0x3d && c !== 0x22 && c !== 0x27;
}

/**
 * Parses an untrusted XML document. The input first goes through `@dttm/core`'s `scanXml` (no DTD, no
 * entities, size and depth limits); then a namespace-aware parser builds a small element tree. Vendor
 * variations (any prefix, default namespaces, redeclared prefixes) are resolved to namespace URIs.
 * Throws `CameraError` with `XML_FORBIDDEN`, `XML_LIMIT_EXCEEDED` or `XML_MALFORMED` and the byte offset.
 */
export function parseXml(input: string | Uint8Array, limits: XmlLimits = {}): XmlElement {
  const effective = { ...DEFAULT_XML_LIMITS, ...limits };
  try {
    scanXml(input, effective);
  } catch (err) {
    if (isXmlSecurityError(err)) {
      const code =
        err.code === 'XML_TOO_LARGE' || err.code === 'XML_TOO_DEEP'
          ? 'XML_LIMIT_EXCEEDED'
          : err.code === 'XML_MALFORMED'
            ? 'XML_MALFORMED'
            : 'XML_FORBIDDEN';
      throw new CameraError(code, err.message, { cause: err, details: { offset: err.offset } });
    }
    throw err;
  }
  return parseTree(xmlText(input));
}

/** The text of an input as the parser sees it (UTF-8 decoded), for slicing with `start`/`end`. */
export function xmlText(input: string | Uint8Array): string {
  return typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: false }).decode(input);
}

function parseTree(src: string): XmlElement {
  function fail(en: string, vi: string, index: number): never {
    const offset = byteOffset(src, index);
    throw new CameraError('XML_MALFORMED', msg(`${en} (byte ${offset})`, `${vi} (byte ${offset})`), {
      details: { offset },
    });
  }
  const rootScope = new Map<string, string>([
    ['xml', 'http://www.w3.org/XML/1998/namespace'],
    ['', ''],
  ]);
  const stack: MutableElement[] = [];
  let root: MutableElement | undefined;
  let pos = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = src.length;
  while (pos < n) {
    const lt = src.indexOf('<', pos);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > pos) {
      const chunk = src.slice(pos, textEnd);
      const top = stack[stack.length - 1];
      if (top) top.text += decode(chunk);
      else if (chunk.trim() !== '')
        fail('text outside the root element', 'văn bản nằm ngoài phần tử gốc', pos);
    }
    if (lt === -1) break;
    pos = lt;
    const next = src.charCodeAt(pos + 1);
    if (next === 0x3f) {
      // <? ... ?>
      const end = src.indexOf('?>', pos + 2);
      if (end === -1) fail('unterminated processing instruction', 'chỉ thị xử lý không đóng', pos);
      pos = end + 2;
      continue;
    }
    if (next === 0x21) {
      if (src.startsWith('<!--', pos)) {
        const end = src.indexOf('-->', pos + 4);
        if (end === -1) fail('unterminated comment', 'chú thích không đóng', pos);
        pos = end + 3;
        continue;
      }
      if (src.startsWith('<![CDATA[', pos)) {
        const end = src.indexOf(']]>', pos + 9);
        if (end === -1) fail('unterminated CDATA section', 'đoạn CDATA không đóng', pos);
        const top = stack[stack.length - 1];
        if (!top) fail('CDATA outside the root element', 'CDATA nằm ngoài phần tử gốc', pos);
        else top.text += src.slice(pos + 9, end);
        pos = end + 3;
        continue;
      }
      fail('markup declarations are not allowed', 'không cho phép khai báo đánh dấu', pos);
    }
    if (next === 0x2f) {
      const end = src.indexOf('>', pos + 2);
      if (end === -1) fail('unterminated end tag', 'thẻ đóng không kết thúc', pos);
      const qname = src.slice(pos + 2, end).trim();
      const top = stack.pop();
      if (!top || top.qname !== qname) {
        fail(
          `end tag </${qname}> does not match <${top?.qname ?? ''}>`,
          `thẻ đóng </${qname}> không khớp <${top?.qname ?? ''}>`,
          pos,
        );
      }
      top.end = end + 1;
      pos = end + 1;
      continue;
    }
    // Start tag.
    let i = pos + 1;
    while (i < n && isNameChar(src.charCodeAt(i))) i++;
    const qname = src.slice(pos + 1, i);
    if (qname === '') fail('empty element name', 'tên phần tử rỗng', pos);
    const rawAttrs: [string, string][] = [];
    let selfClosing = false;
    for (;;) {
      while (i < n && src.charCodeAt(i) <= 0x20) i++;
      if (i >= n) fail('unterminated start tag', 'thẻ mở không kết thúc', pos);
      const c = src.charCodeAt(i);
      if (c === 0x3e) {
        i++;
        break;
      }
      if (c === 0x2f) {
        if (src.charCodeAt(i + 1) !== 0x3e) fail('"/" not followed by ">"', '"/" không theo sau bởi ">"', i);
        selfClosing = true;
        i += 2;
        break;
      }
      const nameStart = i;
      while (i < n && isNameChar(src.charCodeAt(i))) i++;
      const aname = src.slice(nameStart, i);
      while (i < n && src.charCodeAt(i) <= 0x20) i++;
      if (aname === '' || src.charCodeAt(i) !== 0x3d) {
        fail('malformed attribute', 'thuộc tính sai cú pháp', nameStart);
      }
      i++;
      while (i < n && src.charCodeAt(i) <= 0x20) i++;
      const q = src.charCodeAt(i);
      if (q !== 0x22 && q !== 0x27) fail('unquoted attribute value', 'giá trị thuộc tính thiếu dấu nháy', i);
      const close = src.indexOf(q === 0x22 ? '"' : "'", i + 1);
      if (close === -1) fail('unterminated attribute value', 'giá trị thuộc tính không đóng', i);
      rawAttrs.push([aname, decode(src.slice(i + 1, close))]);
      i = close + 1;
    }
    const parent = stack[stack.length - 1];
    if (!parent && root) fail('more than one root element', 'nhiều hơn một phần tử gốc', pos);
    let scope = parent ? parent.scope : rootScope;
    for (const [k, v] of rawAttrs) {
      if (k === 'xmlns' || k.startsWith('xmlns:')) {
        if (scope === (parent ? parent.scope : rootScope)) scope = new Map(scope);
        scope.set(k === 'xmlns' ? '' : k.slice(6), v);
      }
    }
    const colon = qname.indexOf(':');
    const prefix = colon === -1 ? '' : qname.slice(0, colon);
    const name = colon === -1 ? qname : qname.slice(colon + 1);
    const ns = scope.get(prefix);
    if (ns === undefined) fail(`undeclared prefix "${prefix}"`, `tiền tố "${prefix}" chưa khai báo`, pos);
    const attrs: Record<string, string> = {};
    for (const [k, v] of rawAttrs) {
      if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
      const c2 = k.indexOf(':');
      attrs[c2 === -1 ? k : k.slice(c2 + 1)] = v;
    }
    const el: MutableElement = {
      name,
      ns: ns ?? '',
      prefix,
      attrs,
      children: [],
      text: '',
      scope,
      path: `${parent ? parent.path : ''}/${name}`,
      qname,
      start: pos,
      end: i,
    };
    if (parent) parent.children.push(el);
    else root = el;
    if (!selfClosing) stack.push(el);
    pos = i;
  }
  if (stack.length > 0 || !root) {
    return fail(
      'the document ends before the root element closes',
      'tài liệu kết thúc trước khi đóng phần tử gốc',
      n,
    );
  }
  return root;
}

/** First child with this local name (any namespace). */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (c.name === name) return c;
  return undefined;
}

/** All children with this local name (any namespace). */
export function childrenNamed(el: XmlElement | undefined, name: string): XmlElement[] {
  if (!el) return [];
  return el.children.filter((c) => c.name === name);
}

/** Follows a path of local names; returns the first match at each step. */
export function descend(el: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let cur = el;
  for (const n of names) cur = child(cur, n);
  return cur;
}

/** Trimmed text of the element at the path, or `undefined`. */
export function textAt(el: XmlElement | undefined, ...names: string[]): string | undefined {
  const t = descend(el, ...names)?.text.trim();
  return t === undefined || t === '' ? undefined : t;
}

/** Depth-first search for the first descendant with this local name. */
export function find(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) {
    if (c.name === name) return c;
    const f = find(c, name);
    if (f) return f;
  }
  return undefined;
}

/** Text of a required element; throws `RESPONSE_INVALID` naming the path when it is missing. */
export function requireText(el: XmlElement, ...names: string[]): string {
  const t = textAt(el, ...names);
  if (t === undefined) {
    const path = `${el.path}/${names.join('/')}`;
    throw new CameraError('RESPONSE_INVALID', msg(`missing ${path}`, `thiếu ${path}`), { details: { path } });
  }
  return t;
}

/** Escapes text for element content or attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : '&apos;',
  );
}

import { scanXml, isXmlSecurityError, type XmlGuardLimits } from '@dttm/core';
import { DOMParser, type CharacterData, type Document, type Element, type Node } from '@xmldom/xmldom';
import { SignatureError } from '../errors.js';

export type { Attr, CharacterData, Document, Element, Node, ProcessingInstruction } from '@xmldom/xmldom';

export const NODE = {
  ELEMENT: 1,
  ATTRIBUTE: 2,
  TEXT: 3,
  CDATA: 4,
  PI: 7,
  COMMENT: 8,
  DOCUMENT: 9,
} as const;

export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
export const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** Limits for untrusted XML; the defaults suit edXML packages of tens of megabytes. */
export type XmlLimits = XmlGuardLimits;

export const DEFAULT_XML_LIMITS: Required<XmlLimits> = {
  maxBytes: 64 * 1024 * 1024,
  maxDepth: 64,
  maxTagBytes: 64 * 1024,
};

/** Decodes UTF-8 input (BOM removed); bytes before the XML declaration (seen in real packages) are dropped. */
export function xmlText(input: Uint8Array | string): string {
  let text: string;
  if (typeof input === 'string') text = input.replace(/^\uFEFF/, '');
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch (err) {
      throw new SignatureError('SIG_XML_INVALID', 'the XML document is not valid UTF-8', { cause: err });
    }
  }
  const decl = text.slice(0, 1024).indexOf('<?xml');
  if (decl > 0) text = text.slice(decl);
  const enc = /^<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/.exec(text);
  if (enc?.[1] !== undefined && !/^utf-?8$/i.test(enc[1])) {
    throw new SignatureError('SIG_XML_INVALID', `unsupported XML encoding ${enc[1]} (only UTF-8 is read)`, {
      details: { encoding: enc[1] },
    });
  }
  return text;
}

/**
 * Parses untrusted XML into a DOM. The input first goes through the `@dttm/core` guard (no DTD, no
 * entity other than the predefined ones, no XInclude, bounded size and depth); the parser then runs
 * in strict mode (every error and warning rejects the document).
 */
export function parseXml(input: Uint8Array | string, limits: XmlLimits = {}): Document {
  const text = xmlText(input);
  const bytes = typeof input === 'string' ? Buffer.byteLength(text) : input.length;
  const maxBytes = limits.maxBytes ?? DEFAULT_XML_LIMITS.maxBytes;
  if (bytes > maxBytes) {
    throw new SignatureError(
      'SIG_INPUT_TOO_LARGE',
      `XML of ${bytes} bytes exceeds the limit of ${maxBytes}`,
      {
        details: { size: bytes, limit: maxBytes },
      },
    );
  }
  try {
    scanXml(text, {
      maxBytes,
      maxDepth: limits.maxDepth ?? DEFAULT_XML_LIMITS.maxDepth,
      maxTagBytes: limits.maxTagBytes ?? DEFAULT_XML_LIMITS.maxTagBytes,
    });
  } catch (err) {
    if (!isXmlSecurityError(err)) throw err;
    throw new SignatureError('SIG_XML_FORBIDDEN', err.message, {
      cause: err,
      details: { guardCode: err.code, offset: err.offset },
    });
  }
  let problem: string | undefined;
  const parser = new DOMParser({
    onError: (level, msg) => {
      problem ??= `${level}: ${msg}`;
      throw new SignatureError('SIG_XML_INVALID', `the XML document is not well-formed: ${msg}`);
    },
  });
  let doc: Document;
  try {
    doc = parser.parseFromString(text, 'application/xml');
  } catch (err) {
    throw new SignatureError(
      'SIG_XML_INVALID',
      `the XML document is not well-formed: ${problem ?? (err instanceof Error ? err.message : String(err))}`,
      { cause: err },
    );
  }
  if (doc.documentElement === null) {
    throw new SignatureError('SIG_XML_INVALID', 'the XML document has no root element');
  }
  return doc;
}

export function isElement(n: Node | null | undefined): n is Element {
  return n !== null && n !== undefined && n.nodeType === NODE.ELEMENT;
}

/** Element children of `el`. */
export function childElements(el: Node): Element[] {
  const out: Element[] = [];
  for (let c = el.firstChild; c !== null; c = c.nextSibling) if (isElement(c)) out.push(c);
  return out;
}

/** Local name of an element (without prefix). */
export function localName(el: Element): string {
  return el.localName ?? el.nodeName;
}

/**
 * The location of an element as a path of local names from the root, with a 1-based position when
 * siblings share the name: `/edXML/edXMLEnvelope/edXMLHeader`, `/a/b[2]`.
 */
export function elementPath(el: Element): string {
  const steps: string[] = [];
  let cur: Node | null = el;
  while (isElement(cur)) {
    const name = localName(cur);
    const parent: Node | null = cur.parentNode;
    let step = name;
    if (isElement(parent)) {
      const same = childElements(parent).filter((c) => localName(c) === name);
      if (same.length > 1) step = `${name}[${same.indexOf(cur) + 1}]`;
    }
    steps.push(step);
    cur = parent;
  }
  return `/${steps.reverse().join('/')}`;
}

/**
 * Every element matching `path` (local names; a step may carry a 1-based `[n]`): `/a/b` matches
 * every `b` child of the root `a`, so a duplicated element yields several matches.
 */
export function selectPath(doc: Document, path: string): Element[] {
  const steps = path
    .replace(/^\/+/, '')
    .split('/')
    .filter((s) => s.length > 0);
  let current: Element[] = [];
  const root = doc.documentElement;
  if (root === null || steps.length === 0) return [];
  steps.forEach((step, i) => {
    const m = /^([^[\]]+)(?:\[(\d+)\])?$/.exec(step);
    if (m === null) throw new SignatureError('SIG_XML_INVALID', `invalid element path ${path}`);
    const name = m[1] as string;
    const pos = m[2] === undefined ? undefined : Number(m[2]);
    const candidates = i === 0 ? [[root]] : current.map((p) => childElements(p));
    current = candidates.flatMap((list) => {
      const named = list.filter((e) => localName(e) === name);
      if (pos === undefined) return named;
      const at = named[pos - 1];
      return at === undefined ? [] : [at];
    });
  });
  return current;
}

/** True when `ancestor` is `node` or one of its ancestors. */
export function contains(ancestor: Node, node: Node): boolean {
  for (let n: Node | null = node; n !== null; n = n.parentNode) if (n === ancestor) return true;
  return false;
}

/** Concatenated text of an element that must contain only text (no child elements, no comments). */
export function textOnly(el: Element, what: string): string {
  let s = '';
  for (let c = el.firstChild; c !== null; c = c.nextSibling) {
    if (c.nodeType === NODE.TEXT || c.nodeType === NODE.CDATA) s += (c as CharacterData).data;
    else {
      throw new SignatureError('SIG_XML_INVALID', `${what} must contain only text (${elementPath(el)})`, {
        details: { path: elementPath(el) },
      });
    }
  }
  return s;
}

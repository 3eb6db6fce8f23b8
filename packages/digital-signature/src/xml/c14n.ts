import { SignatureError } from '../errors.js';
import {
  NODE,
  XMLNS_NS,
  XML_NS,
  type Attr,
  type CharacterData,
  type Document,
  type Element,
  type Node,
  type ProcessingInstruction,
} from './dom.js';

/** Canonicalization algorithms (W3C URIs). */
export const C14N = {
  inclusive: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  inclusiveWithComments: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
  exclusive: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  exclusiveWithComments: 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
} as const;

export type C14nAlgorithm = (typeof C14N)[keyof typeof C14N];

export function isC14nAlgorithm(uri: string): uri is C14nAlgorithm {
  return (Object.values(C14N) as string[]).includes(uri);
}

export interface C14nOptions {
  /** Exclusive (`true`) or inclusive canonical XML 1.0. */
  readonly exclusive: boolean;
  readonly withComments: boolean;
  /** Exclusive c14n: the InclusiveNamespaces PrefixList (`#default` for the default namespace). */
  readonly inclusivePrefixes?: readonly string[];
  /** Element subtrees left out of the node-set (the enveloped-signature transform). */
  readonly exclude?: (el: Element) => boolean;
}

export function c14nOptions(uri: C14nAlgorithm, inclusivePrefixes: readonly string[] = []): C14nOptions {
  return {
    exclusive: uri === C14N.exclusive || uri === C14N.exclusiveWithComments,
    withComments: uri === C14N.inclusiveWithComments || uri === C14N.exclusiveWithComments,
    inclusivePrefixes,
  };
}

type NsMap = ReadonlyMap<string, string>;

const escapeText = (s: string): string =>
  s.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#xD;'));

const ATTR_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '"': '&quot;',
  '\t': '&#x9;',
  '\n': '&#xA;',
  '\r': '&#xD;',
};
const escapeAttr = (s: string): string => s.replace(/[&<"\t\n\r]/g, (c) => ATTR_ESCAPES[c] ?? c);

/** Namespace declarations of one element: prefix ('' for the default namespace) → URI. */
function declarations(el: Element): Map<string, string> {
  const out = new Map<string, string>();
  const attrs = el.attributes;
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs.item(i) as Attr;
    if (a.namespaceURI !== XMLNS_NS) continue;
    const prefix = a.prefix === 'xmlns' ? (a.localName ?? '') : '';
    if (prefix === 'xml') continue;
    out.set(prefix, a.value);
  }
  return out;
}

/** Namespaces in scope at `el` (from its ancestors and itself). */
export function inScopeNamespaces(el: Element): Map<string, string> {
  const chain: Element[] = [];
  for (let n: Node | null = el; n !== null && n.nodeType === NODE.ELEMENT; n = n.parentNode)
    chain.push(n as Element);
  const scope = new Map<string, string>();
  for (const e of chain.reverse()) for (const [p, u] of declarations(e)) scope.set(p, u);
  return scope;
}

/** xml:* attributes inherited from the ancestors of `el` (inclusive c14n of a document subset). */
function inheritedXmlAttributes(el: Element): Attr[] {
  const found = new Map<string, Attr>();
  for (let n: Node | null = el.parentNode; n !== null && n.nodeType === NODE.ELEMENT; n = n.parentNode) {
    const attrs = (n as Element).attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs.item(i) as Attr;
      if (a.namespaceURI === XML_NS && !found.has(a.localName ?? a.name)) found.set(a.localName ?? a.name, a);
    }
  }
  return [...found.values()].filter((a) => !el.hasAttributeNS(XML_NS, a.localName ?? a.name));
}

function compareAttrs(a: Attr, b: Attr): number {
  const ua = a.namespaceURI ?? '';
  const ub = b.namespaceURI ?? '';
  if (ua !== ub) return ua < ub ? -1 : 1;
  const la = a.localName ?? a.name;
  const lb = b.localName ?? b.name;
  return la < lb ? -1 : la > lb ? 1 : 0;
}

function renderNs(prefix: string, uri: string): string {
  return prefix === '' ? ` xmlns="${escapeAttr(uri)}"` : ` xmlns:${prefix}="${escapeAttr(uri)}"`;
}

class Canonicalizer {
  private readonly out: string[] = [];
  constructor(private readonly opts: C14nOptions) {}

  result(): string {
    return this.out.join('');
  }

  document(doc: Document): void {
    let beforeRoot = true;
    for (let c = doc.firstChild; c !== null; c = c.nextSibling) {
      if (c.nodeType === NODE.ELEMENT) {
        this.element(c as Element, new Map(), new Map(), true);
        beforeRoot = false;
      } else if (
        (c.nodeType === NODE.PI && (c as ProcessingInstruction).target !== 'xml') ||
        (c.nodeType === NODE.COMMENT && this.opts.withComments)
      ) {
        if (!beforeRoot) this.out.push('\n');
        this.leaf(c);
        if (beforeRoot) this.out.push('\n');
      }
    }
  }

  /** Canonicalizes the subtree of `el` as a document subset (its ancestors' namespaces in scope). */
  apex(el: Element): void {
    const parentScope =
      el.parentNode !== null && el.parentNode.nodeType === NODE.ELEMENT
        ? inScopeNamespaces(el.parentNode as Element)
        : new Map<string, string>();
    this.element(el, parentScope, new Map(), true);
  }

  private leaf(n: Node): void {
    if (n.nodeType === NODE.PI) {
      const { data, target } = n as ProcessingInstruction;
      this.out.push(data === '' ? `<?${target}?>` : `<?${target} ${data}?>`);
    } else if (n.nodeType === NODE.COMMENT) {
      this.out.push(`<!--${(n as CharacterData).data}-->`);
    }
  }

  private element(el: Element, parentScope: NsMap, rendered: NsMap, isApex: boolean): void {
    if (this.opts.exclude?.(el) === true) return;
    const scope = new Map(parentScope);
    for (const [p, u] of declarations(el)) scope.set(p, u);
    const nowRendered = new Map(rendered);
    const nsOut: [string, string][] = [];
    const consider = (prefix: string): void => {
      const uri = scope.get(prefix) ?? '';
      const prev = rendered.get(prefix) ?? '';
      if (uri === prev) return;
      nsOut.push([prefix, uri]);
      nowRendered.set(prefix, uri);
    };
    const attrs: Attr[] = [];
    const list = el.attributes;
    for (let i = 0; i < list.length; i++) {
      const a = list.item(i) as Attr;
      if (a.namespaceURI !== XMLNS_NS) attrs.push(a);
    }
    if (this.opts.exclusive) {
      const used = new Set<string>([el.prefix ?? '']);
      for (const a of attrs)
        if (a.prefix !== null && a.prefix !== '' && a.prefix !== 'xml') used.add(a.prefix);
      for (const p of this.opts.inclusivePrefixes ?? []) {
        const prefix = p === '#default' ? '' : p;
        if (scope.has(prefix)) used.add(prefix);
      }
      for (const p of used) consider(p);
    } else {
      for (const p of scope.keys()) consider(p);
      if (isApex) attrs.push(...inheritedXmlAttributes(el));
    }
    nsOut.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    attrs.sort(compareAttrs);
    const name = el.tagName;
    this.out.push(`<${name}`);
    for (const [p, u] of nsOut) this.out.push(renderNs(p, u));
    for (const a of attrs) this.out.push(` ${a.name}="${escapeAttr(a.value)}"`);
    this.out.push('>');
    for (let c = el.firstChild; c !== null; c = c.nextSibling) {
      switch (c.nodeType) {
        case NODE.ELEMENT:
          this.element(c as Element, scope, nowRendered, false);
          break;
        case NODE.TEXT:
        case NODE.CDATA:
          this.out.push(escapeText((c as CharacterData).data));
          break;
        case NODE.PI:
          this.leaf(c);
          break;
        case NODE.COMMENT:
          if (this.opts.withComments) this.leaf(c);
          break;
        default:
          throw new SignatureError('SIG_XML_INVALID', `unexpected node type ${c.nodeType} in ${name}`);
      }
    }
    this.out.push(`</${name}>`);
  }
}

/**
 * Canonical XML 1.0 (inclusive) or Exclusive XML Canonicalization 1.0 of a document or of an
 * element's subtree (a document subset: in-scope namespaces of the ancestors apply), with or
 * without comments, optionally leaving out excluded element subtrees.
 */
export function canonicalize(node: Document | Element, opts: C14nOptions): string {
  const c = new Canonicalizer(opts);
  if (node.nodeType === NODE.DOCUMENT) c.document(node);
  else c.apex(node);
  return c.result();
}

import { createHash, constants, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { SignatureError } from '../errors.js';
import type { DigestName } from '../oids.js';
import type { XmlReferenceReport } from '../report.js';
import { C14N, canonicalize, c14nOptions, isC14nAlgorithm, type C14nAlgorithm } from './c14n.js';
import {
  childElements,
  contains,
  elementPath,
  isElement,
  localName,
  NODE,
  textOnly,
  type Document,
  type Element,
  type Node,
} from './dom.js';

export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

/** XML-DSig DigestMethod URIs. */
export const DIGEST_URIS: Readonly<Record<string, DigestName>> = {
  'http://www.w3.org/2000/09/xmldsig#sha1': 'sha1',
  'http://www.w3.org/2001/04/xmldsig-more#sha224': 'sha224',
  'http://www.w3.org/2001/04/xmlenc#sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384': 'sha384',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'sha512',
};

export interface XmlSignatureAlgorithm {
  /** `RSASSA-PSS`: RFC 6931 `sha*-rsa-MGF1` (MGF1 with the same digest, salt of the digest's length). */
  readonly key: 'RSA' | 'RSASSA-PSS' | 'ECDSA';
  readonly digest: DigestName;
  /** Display name, as in CMS reports: `RSA-SHA256`, `ECDSA-SHA256`. */
  readonly name: string;
}

/** XML-DSig SignatureMethod URIs. */
export const SIGNATURE_URIS: Readonly<Record<string, XmlSignatureAlgorithm>> = {
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': { key: 'RSA', digest: 'sha1', name: 'RSA-SHA1' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': { key: 'RSA', digest: 'sha256', name: 'RSA-SHA256' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': { key: 'RSA', digest: 'sha384', name: 'RSA-SHA384' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': { key: 'RSA', digest: 'sha512', name: 'RSA-SHA512' },
  'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1': {
    key: 'RSASSA-PSS',
    digest: 'sha256',
    name: 'RSASSA-PSS-SHA256',
  },
  'http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1': {
    key: 'RSASSA-PSS',
    digest: 'sha384',
    name: 'RSASSA-PSS-SHA384',
  },
  'http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1': {
    key: 'RSASSA-PSS',
    digest: 'sha512',
    name: 'RSASSA-PSS-SHA512',
  },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1': { key: 'ECDSA', digest: 'sha1', name: 'ECDSA-SHA1' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256': {
    key: 'ECDSA',
    digest: 'sha256',
    name: 'ECDSA-SHA256',
  },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384': {
    key: 'ECDSA',
    digest: 'sha384',
    name: 'ECDSA-SHA384',
  },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512': {
    key: 'ECDSA',
    digest: 'sha512',
    name: 'ECDSA-SHA512',
  },
};

export const uriOfDigest = (d: DigestName): string => {
  const uri = Object.keys(DIGEST_URIS).find((k) => DIGEST_URIS[k] === d);
  if (uri === undefined) throw new SignatureError('SIG_UNSUPPORTED_ALGORITHM', `no XML-DSig URI for ${d}`);
  return uri;
};

/** A parsed `ds:Reference`. */
export interface ParsedReference {
  readonly element: Element;
  readonly uri: string | undefined;
  readonly transforms: readonly { readonly algorithm: string; readonly prefixes: readonly string[] }[];
  readonly digestMethod: string;
  readonly digestValue: Uint8Array;
}

/** A parsed `ds:Signature`, before any cryptographic check. */
export interface ParsedSignature {
  readonly element: Element;
  readonly path: string;
  readonly signedInfo: Element;
  readonly canonicalization: C14nAlgorithm;
  readonly canonicalizationPrefixes: readonly string[];
  readonly signatureMethod: string;
  readonly references: readonly ParsedReference[];
  readonly signatureValue: Uint8Array;
  /** DER certificates from KeyInfo/X509Data/X509Certificate, in document order. */
  readonly certificates: readonly Uint8Array[];
}

const invalid = (msg: string, el: Element): SignatureError =>
  new SignatureError('SIG_XML_INVALID', `${msg} (${elementPath(el)})`, {
    details: { path: elementPath(el) },
  });

const isDsig = (el: Element, name: string): boolean => el.namespaceURI === DSIG_NS && localName(el) === name;

/** Element children, refusing non-whitespace text and comments between them. */
function structuralChildren(el: Element): Element[] {
  for (let c: Node | null = el.firstChild; c !== null; c = c.nextSibling) {
    if (c.nodeType === NODE.ELEMENT) continue;
    if (c.nodeType === NODE.TEXT && (c.nodeValue ?? '').trim() === '') continue;
    if (c.nodeType === NODE.COMMENT) throw invalid(`a comment inside ${localName(el)}`, el);
    throw invalid(`unexpected content inside ${localName(el)}`, el);
  }
  return childElements(el);
}

function attr(el: Element, name: string): string | undefined {
  return el.hasAttribute(name) ? (el.getAttribute(name) ?? '') : undefined;
}

function algorithmOf(el: Element): string {
  const a = attr(el, 'Algorithm');
  if (a === undefined || a === '') throw invalid(`${localName(el)} has no Algorithm`, el);
  return a;
}

function base64(el: Element, what: string): Uint8Array {
  const text = textOnly(el, what).replace(/[\s]+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0 || text.length === 0) {
    throw invalid(`${what} is not base64`, el);
  }
  return new Uint8Array(Buffer.from(text, 'base64'));
}

function prefixList(el: Element): string[] {
  const inc = structuralChildren(el).find(
    (c) => localName(c) === 'InclusiveNamespaces' && c.namespaceURI === C14N.exclusive,
  );
  const list = inc === undefined ? undefined : attr(inc, 'PrefixList');
  return list === undefined ? [] : list.split(/\s+/).filter((p) => p.length > 0);
}

/** All `ds:Signature` elements of a document, in document order. */
export function findSignatureElements(doc: Document): Element[] {
  const out: Element[] = [];
  const walk = (el: Element): void => {
    if (isDsig(el, 'Signature')) out.push(el);
    for (const c of childElements(el)) walk(c);
  };
  if (doc.documentElement !== null) walk(doc.documentElement);
  return out;
}

/** Reads the structure of one `ds:Signature` (strictly: one SignedInfo, then SignatureValue, KeyInfo?, Object*). */
export function parseSignatureElement(sig: Element): ParsedSignature {
  const kids = structuralChildren(sig);
  const [signedInfo, sigValue, ...rest] = kids;
  if (signedInfo === undefined || !isDsig(signedInfo, 'SignedInfo'))
    throw invalid('Signature must start with SignedInfo', sig);
  if (sigValue === undefined || !isDsig(sigValue, 'SignatureValue'))
    throw invalid('SignedInfo must be followed by SignatureValue', sig);
  let keyInfo: Element | undefined;
  for (const [i, r] of rest.entries()) {
    if (isDsig(r, 'KeyInfo') && i === 0) keyInfo = r;
    else if (!isDsig(r, 'Object')) throw invalid(`unexpected ${localName(r)} in Signature`, r);
  }
  const si = structuralChildren(signedInfo);
  const [cm, sm, ...refs] = si;
  if (cm === undefined || !isDsig(cm, 'CanonicalizationMethod'))
    throw invalid('SignedInfo must start with CanonicalizationMethod', signedInfo);
  if (sm === undefined || !isDsig(sm, 'SignatureMethod'))
    throw invalid('CanonicalizationMethod must be followed by SignatureMethod', signedInfo);
  if (refs.length === 0) throw invalid('SignedInfo has no Reference', signedInfo);
  const canonicalization = algorithmOf(cm);
  if (!isC14nAlgorithm(canonicalization)) {
    throw new SignatureError(
      'SIG_UNSUPPORTED_ALGORITHM',
      `unsupported CanonicalizationMethod ${canonicalization}`,
      { details: { algorithm: canonicalization } },
    );
  }
  if (structuralChildren(sm).some((c) => localName(c) === 'HMACOutputLength'))
    throw invalid('HMAC signatures are not accepted', sm);
  const references = refs.map((ref): ParsedReference => {
    if (!isDsig(ref, 'Reference')) throw invalid(`unexpected ${localName(ref)} in SignedInfo`, ref);
    const parts = structuralChildren(ref);
    let i = 0;
    const transforms: { algorithm: string; prefixes: string[] }[] = [];
    if (parts[0] !== undefined && isDsig(parts[0], 'Transforms')) {
      for (const t of structuralChildren(parts[0])) {
        if (!isDsig(t, 'Transform')) throw invalid(`unexpected ${localName(t)} in Transforms`, t);
        transforms.push({ algorithm: algorithmOf(t), prefixes: prefixList(t) });
      }
      i = 1;
    }
    const dm = parts[i];
    const dv = parts[i + 1];
    if (dm === undefined || !isDsig(dm, 'DigestMethod')) throw invalid('Reference has no DigestMethod', ref);
    if (dv === undefined || !isDsig(dv, 'DigestValue')) throw invalid('Reference has no DigestValue', ref);
    if (parts.length > i + 2) throw invalid('unexpected content after DigestValue', ref);
    return {
      element: ref,
      uri: attr(ref, 'URI'),
      transforms,
      digestMethod: algorithmOf(dm),
      digestValue: base64(dv, 'DigestValue'),
    };
  });
  const certificates: Uint8Array[] = [];
  if (keyInfo !== undefined) {
    for (const data of childElements(keyInfo).filter((c) => isDsig(c, 'X509Data'))) {
      for (const c of childElements(data).filter((x) => isDsig(x, 'X509Certificate')))
        certificates.push(base64(c, 'X509Certificate'));
    }
  }
  return {
    element: sig,
    path: elementPath(sig),
    signedInfo,
    canonicalization,
    canonicalizationPrefixes: canonicalization.startsWith(C14N.exclusive) ? prefixList(cm) : [],
    signatureMethod: algorithmOf(sm),
    references,
    signatureValue: base64(sigValue, 'SignatureValue'),
    certificates,
  };
}

/** The canonical SignedInfo: the octets the SignatureValue is computed over. */
export function canonicalSignedInfo(sig: ParsedSignature): Uint8Array {
  return Buffer.from(
    canonicalize(sig.signedInfo, c14nOptions(sig.canonicalization, sig.canonicalizationPrefixes)),
    'utf8',
  );
}

const ID_ATTRIBUTES = ['Id', 'ID', 'id'];

/** Every element carrying `value` in an `Id`, `ID` or `id` attribute. */
export function elementsById(doc: Document, value: string): Element[] {
  const out: Element[] = [];
  const walk = (el: Element): void => {
    if (ID_ATTRIBUTES.some((a) => el.getAttribute(a) === value)) out.push(el);
    for (const c of childElements(el)) walk(c);
  };
  if (doc.documentElement !== null) walk(doc.documentElement);
  return out;
}

/** The outcome of processing one reference. */
export interface ReferenceOutcome {
  readonly report: XmlReferenceReport;
  readonly digest?: DigestName;
  /** The element whose subtree is signed, when the reference resolved. */
  readonly target?: Element;
  /** Subtrees excluded by the enveloped-signature transform. */
  readonly excluded: readonly Element[];
  /**
   * `not-found`: the URI resolves to nothing; `ambiguous`: several elements carry the Id;
   * `unsupported`: a URI form, transform or digest this package does not process.
   */
  readonly failure?: 'not-found' | 'ambiguous' | 'unsupported';
}

const XPOINTER_ID = /^#xpointer\(id\(['"]([^'"]+)['"]\)\)$/;

/** Dereferences a same-document reference, applies its transforms and compares its digest. */
export function processReference(doc: Document, sig: Element, ref: ParsedReference): ReferenceOutcome {
  const uri = ref.uri;
  const transforms = ref.transforms.map((t) => t.algorithm);
  const base = { uri: uri ?? '', transforms, excludes: [] as string[], digestValid: false };
  const fail = (failure: NonNullable<ReferenceOutcome['failure']>, problem: string): ReferenceOutcome => ({
    report: { ...base, problem },
    excluded: [],
    failure,
  });
  const digest = DIGEST_URIS[ref.digestMethod];
  if (digest === undefined) return fail('unsupported', `unsupported DigestMethod ${ref.digestMethod}`);
  const withDigest = { ...base, digestAlgorithm: digest };
  if (uri === undefined)
    return fail('unsupported', 'a Reference without URI (external data) is not supported');
  let target: Element | Document;
  let keepComments = false;
  if (uri === '' || uri === '#xpointer(/)') {
    target = doc;
    keepComments = uri !== '';
  } else if (uri.startsWith('#')) {
    const xp = XPOINTER_ID.exec(uri);
    const id = xp?.[1] ?? uri.slice(1);
    if (xp === null && uri.startsWith('#xpointer('))
      return fail('unsupported', `unsupported XPointer ${uri}`);
    keepComments = xp !== null;
    const found = elementsById(doc, id);
    if (found.length === 0) return fail('not-found', `no element has the Id "${id}"`);
    if (found.length > 1) {
      return {
        report: {
          ...withDigest,
          problem: `${found.length} elements have the Id "${id}": ${found.map(elementPath).join(', ')}`,
        },
        excluded: [],
        failure: 'ambiguous',
      };
    }
    target = found[0] as Element;
  } else return fail('unsupported', `only same-document references are supported, not "${uri}"`);

  const excluded: Element[] = [];
  let c14n: { alg: C14nAlgorithm; prefixes: readonly string[] } | undefined;
  for (const t of ref.transforms) {
    if (c14n !== undefined) return fail('unsupported', `transform ${t.algorithm} after canonicalization`);
    if (t.algorithm === ENVELOPED) {
      const rootEl = target.nodeType === NODE.DOCUMENT ? target.documentElement : target;
      if (rootEl !== null && contains(rootEl, sig) && !excluded.includes(sig)) excluded.push(sig);
    } else if (isC14nAlgorithm(t.algorithm)) c14n = { alg: t.algorithm, prefixes: t.prefixes };
    else return fail('unsupported', `unsupported Transform ${t.algorithm}`);
  }
  const alg = c14n ?? { alg: C14N.inclusive, prefixes: [] };
  const opts = c14nOptions(alg.alg, alg.prefixes);
  const octets = canonicalize(target, {
    ...opts,
    withComments: opts.withComments && keepComments,
    exclude: (el) => excluded.includes(el),
  });
  const actual = createHash(digest).update(octets, 'utf8').digest();
  const targetEl = target.nodeType === NODE.DOCUMENT ? target.documentElement : target;
  const covers = isElement(targetEl) ? elementPath(targetEl) : undefined;
  return {
    report: {
      ...withDigest,
      ...(covers === undefined ? {} : { covers }),
      excludes: excluded.map(elementPath),
      digestValid: Buffer.from(ref.digestValue).equals(actual),
    },
    digest,
    ...(isElement(targetEl) ? { target: targetEl } : {}),
    excluded,
  };
}

/** Verifies a SignatureValue over canonical SignedInfo (ECDSA values are r‖s, as XML-DSig 1.1 specifies). */
export function verifyXmlSignatureValue(
  alg: XmlSignatureAlgorithm,
  key: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  const type = key.asymmetricKeyType;
  try {
    if (alg.key === 'RSA') {
      if (type !== 'rsa') return false;
      return cryptoVerify(alg.digest, data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
    }
    if (alg.key === 'RSASSA-PSS') {
      if (type !== 'rsa' && type !== 'rsa-pss') return false;
      const saltLength = createHash(alg.digest).digest().length;
      return cryptoVerify(
        alg.digest,
        data,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength },
        signature,
      );
    }
    if (type !== 'ec') return false;
    return cryptoVerify(alg.digest, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}

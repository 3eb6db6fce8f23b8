import { XMLSerializer } from '@xmldom/xmldom';
import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  sign as cryptoSign,
  type KeyObject,
} from 'node:crypto';
import type { Certificate } from '../certificate.js';
import { SignatureError } from '../errors.js';
import { loadCertificates } from '../load.js';
import type { DigestName } from '../oids.js';
import { C14N, canonicalize, c14nOptions } from './c14n.js';
import { parseXml, selectPath, XMLNS_NS, type Document, type Element } from './dom.js';
import {
  canonicalSignedInfo,
  DSIG_NS,
  elementsById,
  ENVELOPED,
  findSignatureElements,
  parseSignatureElement,
  processReference,
  SIGNATURE_URIS,
  uriOfDigest,
  verifyXmlSignatureValue,
} from './dsig.js';

/** Signature algorithms {@link signXml} can produce. */
export type XmlSigningAlgorithm =
  'rsa-sha256' | 'rsa-sha384' | 'rsa-sha512' | 'rsa-sha1' | 'rsa-pss-sha256' | 'ecdsa-sha256';

const ALGORITHM_URIS: Readonly<Record<XmlSigningAlgorithm, string>> = {
  'rsa-sha1': 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  'rsa-sha256': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'rsa-sha384': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
  'rsa-sha512': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  'rsa-pss-sha256': 'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1',
  'ecdsa-sha256': 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
};

export interface XmlSignOptions {
  /** The signer's private key (KeyObject, PEM or DER PKCS#8). */
  readonly key: KeyObject | string | Uint8Array;
  /** The signer's certificate first, then the intermediates to put in KeyInfo (DER, PEM or parsed). */
  readonly certificateChain: readonly (Certificate | Uint8Array | string)[];
  /** Default `rsa-sha256` (`ecdsa-sha256` for an EC key). */
  readonly algorithm?: XmlSigningAlgorithm;
  /** Digest of the reference (default `sha256`). */
  readonly digest?: Extract<DigestName, 'sha1' | 'sha256' | 'sha384' | 'sha512'>;
  /** Path of the element the Signature is appended to (default: the document element). */
  readonly parent?: string;
  /**
   * Sign only the element whose `Id`/`ID`/`id` attribute has this value (`Reference URI="#value"`)
   * instead of the whole document (`URI=""`, the default).
   */
  readonly referenceId?: string;
}

function privateKey(key: XmlSignOptions['key']): KeyObject {
  try {
    if (typeof key === 'string') return createPrivateKey(key);
    if (key instanceof Uint8Array)
      return createPrivateKey({ key: Buffer.from(key), format: 'der', type: 'pkcs8' });
    return key;
  } catch (err) {
    throw new SignatureError('SIG_KEY_INVALID', 'the signing key cannot be read', { cause: err });
  }
}

function certificates(list: XmlSignOptions['certificateChain']): Certificate[] {
  const out = list.flatMap((c) =>
    typeof c === 'string' || c instanceof Uint8Array ? loadCertificates(c) : [c],
  );
  if (out.length === 0) throw new SignatureError('SIG_KEY_INVALID', 'certificateChain is empty');
  return out;
}

function el(
  doc: Document,
  name: string,
  attrs: Readonly<Record<string, string>> = {},
  text?: string,
): Element {
  const e = doc.createElementNS(DSIG_NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.appendChild(doc.createTextNode(text));
  return e;
}

function setText(e: Element, text: string): void {
  while (e.firstChild !== null) e.removeChild(e.firstChild);
  e.appendChild((e.ownerDocument as Document).createTextNode(text));
}

/**
 * Adds an enveloped XML-DSig signature (exclusive c14n, `Reference URI=""` with the
 * enveloped-signature transform, KeyInfo/X509Data with the chain) as the last child of `parent`.
 * The result is re-parsed and checked before it is returned. Throws `SIG_XML_INVALID` for a
 * document that cannot be signed, `SIG_KEY_INVALID` when the key does not match the certificate.
 */
export function signXml(xml: Uint8Array | string, options: XmlSignOptions): string {
  const key = privateKey(options.key);
  const chain = certificates(options.certificateChain);
  const signer = chain[0] as Certificate;
  const spki = (k: KeyObject): string => k.export({ type: 'spki', format: 'der' }).toString('hex');
  if (spki(createPublicKey(key)) !== spki(signer.publicKey)) {
    throw new SignatureError('SIG_KEY_INVALID', 'the private key does not match the signing certificate', {
      details: { subject: signer.subject.text },
    });
  }
  const algorithm = options.algorithm ?? (key.asymmetricKeyType === 'ec' ? 'ecdsa-sha256' : 'rsa-sha256');
  const alg = SIGNATURE_URIS[ALGORITHM_URIS[algorithm]];
  if (alg === undefined || (alg.key === 'ECDSA') !== (key.asymmetricKeyType === 'ec')) {
    throw new SignatureError(
      'SIG_KEY_INVALID',
      `a ${key.asymmetricKeyType ?? 'unknown'} key cannot sign ${algorithm}`,
    );
  }
  const digest = options.digest ?? 'sha256';
  const doc = parseXml(xml);
  const parentPath = options.parent ?? `/${(doc.documentElement as Element).localName ?? ''}`;
  const parents = selectPath(doc, parentPath);
  if (parents.length !== 1) {
    throw new SignatureError(
      'SIG_XML_INVALID',
      `${parents.length} elements match ${parentPath}; exactly one is needed`,
      {
        details: { path: parentPath, matches: parents.length },
      },
    );
  }
  const parent = parents[0] as Element;
  if (findSignatureElements(doc).some((s) => s.parentNode === parent)) {
    throw new SignatureError('SIG_XML_INVALID', `${parentPath} already holds a Signature`, {
      details: { path: parentPath },
    });
  }
  const sig = el(doc, 'Signature');
  sig.setAttributeNS(XMLNS_NS, 'xmlns', DSIG_NS);
  const signedInfo = el(doc, 'SignedInfo');
  signedInfo.appendChild(el(doc, 'CanonicalizationMethod', { Algorithm: C14N.exclusive }));
  signedInfo.appendChild(el(doc, 'SignatureMethod', { Algorithm: ALGORITHM_URIS[algorithm] }));
  const ref = el(doc, 'Reference', {
    URI: options.referenceId === undefined ? '' : `#${options.referenceId}`,
  });
  const transforms = el(doc, 'Transforms');
  transforms.appendChild(el(doc, 'Transform', { Algorithm: ENVELOPED }));
  transforms.appendChild(el(doc, 'Transform', { Algorithm: C14N.exclusive }));
  ref.appendChild(transforms);
  ref.appendChild(el(doc, 'DigestMethod', { Algorithm: uriOfDigest(digest) }));
  const digestValue = el(doc, 'DigestValue', {}, '');
  ref.appendChild(digestValue);
  signedInfo.appendChild(ref);
  sig.appendChild(signedInfo);
  const signatureValue = el(doc, 'SignatureValue', {}, '');
  sig.appendChild(signatureValue);
  const keyInfo = el(doc, 'KeyInfo');
  const data = el(doc, 'X509Data');
  for (const c of chain)
    data.appendChild(el(doc, 'X509Certificate', {}, Buffer.from(c.der).toString('base64')));
  keyInfo.appendChild(data);
  sig.appendChild(keyInfo);
  parent.appendChild(sig);

  let target: Document | Element = doc;
  if (options.referenceId !== undefined) {
    const found = elementsById(doc, options.referenceId);
    if (found.length !== 1) {
      throw new SignatureError(
        'SIG_XML_INVALID',
        `${found.length} elements have the Id "${options.referenceId}"; exactly one is needed`,
      );
    }
    target = found[0] as Element;
  }
  const octets = canonicalize(target, { ...c14nOptions(C14N.exclusive), exclude: (e) => e === sig });
  setText(digestValue, createHash(digest).update(octets, 'utf8').digest('base64'));
  const si = Buffer.from(canonicalize(signedInfo, c14nOptions(C14N.exclusive)), 'utf8');
  const value =
    alg.key === 'RSA'
      ? cryptoSign(alg.digest, si, key)
      : alg.key === 'RSASSA-PSS'
        ? cryptoSign(alg.digest, si, {
            key,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: createHash(alg.digest).digest().length,
          })
        : cryptoSign(alg.digest, si, { key, dsaEncoding: 'ieee-p1363' });
  setText(signatureValue, value.toString('base64'));
  const out = new XMLSerializer().serializeToString(doc);
  selfCheck(out, signer, alg);
  return out;
}

/** Re-parses a signed document and checks the new signature, so what is returned is what verifies. */
function selfCheck(
  out: string,
  signer: Certificate,
  alg: NonNullable<(typeof SIGNATURE_URIS)[string]>,
): void {
  const doc = parseXml(out);
  const sigEl = findSignatureElements(doc).find((s) =>
    parseSignatureElement(s).certificates.some((c) => Buffer.from(c).equals(Buffer.from(signer.der))),
  );
  const parsed = sigEl === undefined ? undefined : parseSignatureElement(sigEl);
  const refOk =
    sigEl !== undefined &&
    parsed !== undefined &&
    parsed.references.every((r) => processReference(doc, sigEl, r).report.digestValid);
  if (
    parsed === undefined ||
    !refOk ||
    !verifyXmlSignatureValue(alg, signer.publicKey, canonicalSignedInfo(parsed), parsed.signatureValue)
  ) {
    throw new SignatureError('SIG_XML_INVALID', 'the signed document does not survive serialization');
  }
}

/** {@link signXml} for edXML: the Signature goes into `edXMLHeader`, as QCVN 102:2016 packages carry it. */
export function signEdxml(xml: Uint8Array | string, options: Omit<XmlSignOptions, 'parent'>): string {
  const doc = parseXml(xml);
  const root = doc.documentElement as Element;
  const name = root.localName ?? '';
  const header =
    name === 'edXMLEnvelope' ? '/edXMLEnvelope/edXMLHeader' : `/${name}/edXMLEnvelope/edXMLHeader`;
  return signXml(xml, { ...options, parent: header });
}

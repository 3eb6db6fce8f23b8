import { parseAlgorithmIdentifier, type AlgorithmIdentifier } from './algorithms.js';
import { parseCertificate, parseName, type Certificate, type Name } from './certificate.js';
import {
  decodeOid,
  decodeTime,
  DerReader,
  integerHex,
  integerNumber,
  parseDer,
  TAG,
  toHex,
  type DerNode,
} from './der.js';
import { SignatureError } from './errors.js';
import { OID } from './oids.js';

const CODE = 'SIG_CMS_INVALID' as const;

/** How a SignerInfo names its certificate. */
export type SignerIdentifier =
  | { readonly kind: 'issuerAndSerial'; readonly issuer: Name; readonly serialNumber: string }
  | { readonly kind: 'subjectKeyIdentifier'; readonly keyIdentifier: string };

export interface Attribute {
  readonly oid: string;
  readonly values: readonly DerNode[];
}

export interface SignerInfo {
  readonly index: number;
  readonly version: number;
  readonly sid: SignerIdentifier;
  readonly digestAlgorithm: AlgorithmIdentifier;
  /** Signed attributes, when present. */
  readonly signedAttributes?: readonly Attribute[];
  /** DER of the signed attributes re-tagged as SET OF (the bytes that were signed). */
  readonly signedAttributesDer?: Uint8Array;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signature: Uint8Array;
  readonly unsignedAttributes: readonly Attribute[];
}

export interface SignedData {
  readonly version: number;
  readonly digestAlgorithms: readonly AlgorithmIdentifier[];
  readonly contentType: string;
  /** Encapsulated content, or `undefined` for a detached signature. */
  readonly content?: Uint8Array;
  readonly certificates: readonly Certificate[];
  /** Raw CRLs carried in the SignedData (`crls` field). */
  readonly crls: readonly Uint8Array[];
  readonly signers: readonly SignerInfo[];
}

/** Limits for CMS parsing. */
export interface CmsParseOptions {
  /** Maximum input size in bytes (default 64 MiB). */
  readonly maxBytes?: number;
}

/** Parses a DER (or BER with indefinite lengths) ContentInfo holding SignedData. */
export function parseSignedData(input: Uint8Array, options: CmsParseOptions = {}): SignedData {
  const max = options.maxBytes ?? 64 * 1024 * 1024;
  if (input.length > max) {
    throw new SignatureError(
      'SIG_INPUT_TOO_LARGE',
      `CMS input of ${input.length} bytes exceeds the limit of ${max}`,
      {
        details: { size: input.length, limit: max },
      },
    );
  }
  const root = parseDer(input, {}, CODE);
  const ci: DerReader = new DerReader(root, 'ContentInfo', CODE);
  if (root.tag !== TAG.SEQUENCE) ci.fail('not a SEQUENCE');
  const ct = decodeOid(ci.next('contentType', TAG.OID), 'ContentInfo.contentType', CODE);
  if (ct !== OID.signedData) ci.fail(`contentType ${ct} is not signedData`);
  const explicit = ci.optionalContext(0);
  const sdNode = explicit?.children[0];
  if (sdNode === undefined) ci.fail('missing content');
  return parseSignedDataNode(sdNode);
}

function octetStringContent(n: DerNode): Uint8Array {
  if (!n.constructed) return n.content;
  return Buffer.concat(n.children.map((c) => octetStringContent(c)));
}

function parseAttributes(n: DerNode, path: string): Attribute[] {
  return n.children.map((a, i) => {
    const r: DerReader = new DerReader(a, `${path}[${i}]`, CODE);
    const oid = decodeOid(r.next('attrType', TAG.OID), `${path}[${i}].attrType`, CODE);
    const set = r.next('attrValues', TAG.SET);
    return { oid, values: set.children };
  });
}

function parseSignedDataNode(n: DerNode): SignedData {
  const sd: DerReader = new DerReader(n, 'SignedData', CODE);
  if (n.tag !== TAG.SEQUENCE) sd.fail('not a SEQUENCE');
  const version = integerNumber(sd.next('version', TAG.INTEGER), 'SignedData.version', CODE);
  const digestAlgorithms = sd
    .next('digestAlgorithms', TAG.SET)
    .children.map((c, i) => parseAlgorithmIdentifier(c, `SignedData.digestAlgorithms[${i}]`, CODE));
  const eci: DerReader = sd.child('encapContentInfo', TAG.SEQUENCE, 'encapContentInfo');
  const contentType = decodeOid(
    eci.next('eContentType', TAG.OID),
    'SignedData.encapContentInfo.eContentType',
    CODE,
  );
  const eContent = eci.optionalContext(0);
  let content: Uint8Array | undefined;
  if (eContent !== undefined) {
    const os = eContent.children[0];
    if (os === undefined || os.tag !== TAG.OCTET_STRING)
      eci.fail('eContent is not an OCTET STRING', eContent);
    content = octetStringContent(os);
  }
  const certificates: Certificate[] = [];
  const certsNode = sd.optionalContext(0);
  for (const c of certsNode?.children ?? []) {
    if (c.cls === 0 && c.tag === TAG.SEQUENCE) certificates.push(parseCertificate(c.raw));
  }
  const crls: Uint8Array[] = [];
  const crlsNode = sd.optionalContext(1);
  for (const c of crlsNode?.children ?? []) if (c.cls === 0 && c.tag === TAG.SEQUENCE) crls.push(c.raw);
  const signerSet = sd.next('signerInfos', TAG.SET);
  const signers = signerSet.children.map((s, i) => parseSignerInfo(s, i));
  return {
    version,
    digestAlgorithms,
    contentType,
    ...(content === undefined ? {} : { content }),
    certificates,
    crls,
    signers,
  };
}

function parseSignerInfo(n: DerNode, index: number): SignerInfo {
  const path = `SignedData.signerInfos[${index}]`;
  const r: DerReader = new DerReader(n, path, CODE);
  if (n.tag !== TAG.SEQUENCE) r.fail('not a SEQUENCE');
  const version = integerNumber(r.next('version', TAG.INTEGER), `${path}.version`, CODE);
  const sidNode = r.next('sid');
  let sid: SignerIdentifier;
  if (sidNode.cls === 0 && sidNode.tag === TAG.SEQUENCE) {
    const ias: DerReader = new DerReader(sidNode, `${path}.sid`, CODE);
    const issuer = parseName(ias.next('issuer', TAG.SEQUENCE), `${path}.sid.issuer`, CODE);
    const serial = ias.next('serialNumber', TAG.INTEGER);
    sid = { kind: 'issuerAndSerial', issuer, serialNumber: integerHex(serial) };
  } else if (sidNode.cls === 2 && sidNode.tag === 0) {
    sid = { kind: 'subjectKeyIdentifier', keyIdentifier: toHex(sidNode.content) };
  } else {
    r.fail('sid is neither IssuerAndSerialNumber nor [0] SubjectKeyIdentifier', sidNode);
  }
  const digestAlgorithm = parseAlgorithmIdentifier(
    r.next('digestAlgorithm', TAG.SEQUENCE),
    `${path}.digestAlgorithm`,
    CODE,
  );
  const sa = r.optionalContext(0);
  const signatureAlgorithm = parseAlgorithmIdentifier(
    r.next('signatureAlgorithm', TAG.SEQUENCE),
    `${path}.signatureAlgorithm`,
    CODE,
  );
  const signature = r.next('signature', TAG.OCTET_STRING).content;
  const ua = r.optionalContext(1);
  let signedAttributesDer: Uint8Array | undefined;
  if (sa !== undefined) {
    // The signature covers the DER encoding of the attributes with the SET OF tag (RFC 5652 §5.4).
    if (sa.content.length !== sa.end - sa.contentStart) r.fail('signedAttrs must use a definite length', sa);
    const copy = new Uint8Array(sa.raw);
    copy[0] = 0x31;
    signedAttributesDer = copy;
  }
  return {
    index,
    version,
    sid,
    digestAlgorithm,
    ...(sa === undefined ? {} : { signedAttributes: parseAttributes(sa, `${path}.signedAttrs`) }),
    ...(signedAttributesDer === undefined ? {} : { signedAttributesDer }),
    signatureAlgorithm,
    signature,
    unsignedAttributes: ua === undefined ? [] : parseAttributes(ua, `${path}.unsignedAttrs`),
  };
}

/** The single value of an attribute, or `undefined`; fails when the attribute has several values. */
export function attributeValue(
  attrs: readonly Attribute[] | undefined,
  oid: string,
  path: string,
): DerNode | undefined {
  const matches = (attrs ?? []).filter((a) => a.oid === oid);
  if (matches.length === 0) return undefined;
  const first = matches[0] as Attribute;
  if (matches.length > 1 || first.values.length !== 1) {
    throw new SignatureError(CODE, `${path}: attribute ${oid} must occur once with one value`, {
      details: { path, oid },
    });
  }
  return first.values[0];
}

/** Decodes the signingTime attribute. */
export function signingTimeOf(signer: SignerInfo): Date | undefined {
  const path = `SignedData.signerInfos[${signer.index}].signedAttrs.signingTime`;
  const v = attributeValue(signer.signedAttributes, OID.signingTime, path);
  return v === undefined ? undefined : decodeTime(v, path, CODE);
}

/** ESSCertIDv2 / ESSCertID entries of signingCertificateV2 / signingCertificate. */
export interface EssCertId {
  readonly hashAlgorithm: string;
  readonly hash: Uint8Array;
  readonly issuerSerial?: { readonly serialNumber: string };
}

export function signingCertificateRefs(signer: SignerInfo): { version: 1 | 2; ids: EssCertId[] } | undefined {
  const base = `SignedData.signerInfos[${signer.index}].signedAttrs`;
  const v2 = attributeValue(
    signer.signedAttributes,
    OID.signingCertificateV2,
    `${base}.signingCertificateV2`,
  );
  const v1 = attributeValue(signer.signedAttributes, OID.signingCertificate, `${base}.signingCertificate`);
  const node = v2 ?? v1;
  if (node === undefined) return undefined;
  const path = `${base}.${v2 === undefined ? 'signingCertificate' : 'signingCertificateV2'}`;
  const certs = node.children[0];
  if (certs === undefined) throw new SignatureError(CODE, `${path}: empty`, { details: { path } });
  const ids = certs.children.map((id, i) => {
    const r: DerReader = new DerReader(id, `${path}.certs[${i}]`, CODE);
    let hashAlgorithm: string = v2 === undefined ? OID.sha1 : OID.sha256;
    if (v2 !== undefined && r.peek()?.tag === TAG.SEQUENCE) {
      hashAlgorithm = parseAlgorithmIdentifier(
        r.next('hashAlgorithm'),
        `${path}.certs[${i}].hashAlgorithm`,
        CODE,
      ).oid;
    }
    const hash = r.next('certHash', TAG.OCTET_STRING).content;
    const is = r.optionalUniversal(TAG.SEQUENCE);
    const serial = is?.children[1];
    return serial === undefined
      ? { hashAlgorithm, hash }
      : { hashAlgorithm, hash, issuerSerial: { serialNumber: integerHex(serial) } };
  });
  return { version: v2 === undefined ? 1 : 2, ids };
}

/** RFC 3161 TSTInfo. */
export interface TstInfo {
  readonly policy: string;
  readonly hashAlgorithm: string;
  readonly hashedMessage: Uint8Array;
  readonly serialNumber: string;
  readonly genTime: Date;
  readonly nonce?: string;
}

export function parseTstInfo(content: Uint8Array): TstInfo {
  const code = 'SIG_TIMESTAMP_INVALID' as const;
  const root = parseDer(content, {}, code);
  const r: DerReader = new DerReader(root, 'TSTInfo', code);
  if (root.tag !== TAG.SEQUENCE) r.fail('not a SEQUENCE');
  r.next('version', TAG.INTEGER);
  const policy = decodeOid(r.next('policy', TAG.OID), 'TSTInfo.policy', code);
  const mi: DerReader = r.child('messageImprint', TAG.SEQUENCE, 'messageImprint');
  const hashAlgorithm = parseAlgorithmIdentifier(
    mi.next('hashAlgorithm', TAG.SEQUENCE),
    'TSTInfo.messageImprint',
    code,
  ).oid;
  const hashedMessage = mi.next('hashedMessage', TAG.OCTET_STRING).content;
  const serialNumber = integerHex(r.next('serialNumber', TAG.INTEGER));
  const genTime = decodeTime(r.next('genTime', TAG.GeneralizedTime), 'TSTInfo.genTime', code);
  r.optionalUniversal(TAG.SEQUENCE);
  r.optionalUniversal(TAG.BOOLEAN);
  const nonce = r.optionalUniversal(TAG.INTEGER);
  return {
    policy,
    hashAlgorithm,
    hashedMessage,
    serialNumber,
    genTime,
    ...(nonce === undefined ? {} : { nonce: integerHex(nonce) }),
  };
}

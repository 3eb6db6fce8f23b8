import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { parseAlgorithmIdentifier, type AlgorithmIdentifier } from './algorithms.js';
import {
  decodeOid,
  decodeString,
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
import { NAME_ATTRIBUTES, OID } from './oids.js';

/** One attribute of a distinguished name. */
export interface NameAttribute {
  readonly oid: string;
  /** Short name (`CN`, `O`, `OU`, `C`, ...) or the OID. */
  readonly type: string;
  /** Decoded value, NFC-normalised (UTF8String, BMPString, PrintableString, ... are all decoded). */
  readonly value: string;
  /** ASN.1 string type the value was encoded with, e.g. `UTF8String`, `BMPString`. */
  readonly encoding: string;
}

/** A distinguished name. */
export interface Name {
  /** The DER encoding (used for exact comparisons). */
  readonly der: Uint8Array;
  /** Attributes in encoding order (RDN by RDN). */
  readonly attributes: readonly NameAttribute[];
  /** A readable form, most significant first, e.g. `C=VN, O=Ban Cơ yếu Chính phủ, CN=...`. */
  readonly text: string;
}

export type KeyUsageBit =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

const KEY_USAGE_BITS: readonly KeyUsageBit[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

export interface Extension {
  readonly oid: string;
  readonly critical: boolean;
  /** The extnValue OCTET STRING's content. */
  readonly value: Uint8Array;
}

export interface AuthorityKeyIdentifier {
  readonly keyIdentifier?: string;
  readonly authorityCertSerialNumber?: string;
}

export interface PublicKeyInfo {
  /** `RSA`, `EC`, `Ed25519` or the algorithm OID. */
  readonly algorithm: string;
  /** Modulus or curve size in bits. */
  readonly bits: number;
  /** Named curve for EC keys (node:crypto name, e.g. `prime256v1`). */
  readonly curve?: string;
}

/** A parsed X.509 certificate. Immutable; `der` and the views in it point into one buffer. */
export interface Certificate {
  readonly der: Uint8Array;
  /** The TBSCertificate bytes (what the issuer signed). */
  readonly tbs: Uint8Array;
  readonly version: number;
  /** Serial number as lower-case hex without leading zeros. */
  readonly serialNumber: string;
  /** The serial's INTEGER content bytes (as encoded). */
  readonly serialBytes: Uint8Array;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signature: Uint8Array;
  readonly issuer: Name;
  readonly subject: Name;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: KeyObject;
  readonly publicKeyInfo: PublicKeyInfo;
  /** The subjectPublicKey BIT STRING's bytes (for OCSP key hashes). */
  readonly subjectPublicKey: Uint8Array;
  readonly extensions: readonly Extension[];
  readonly basicConstraints?: { readonly ca: boolean; readonly pathLength?: number };
  readonly keyUsage?: readonly KeyUsageBit[];
  readonly extKeyUsage?: readonly string[];
  readonly subjectKeyIdentifier?: string;
  readonly authorityKeyIdentifier?: AuthorityKeyIdentifier;
  /** AIA caIssuers URLs. */
  readonly caIssuers: readonly string[];
  /** AIA OCSP URLs. */
  readonly ocspUrls: readonly string[];
  /** CRL distribution point URLs (fullName URIs). */
  readonly crlUrls: readonly string[];
  /** Certificate policy OIDs. */
  readonly policies: readonly string[];
  /** Critical extensions this package does not process (RFC 5280 requires rejecting them). */
  readonly unknownCriticalExtensions: readonly string[];
  /** SHA-256 fingerprint, upper-case hex with colons. */
  readonly fingerprintSha256: string;
}

const CODE = 'SIG_CERTIFICATE_INVALID' as const;

/** Extensions whose semantics this package processes; other critical extensions make a certificate invalid. */
const KNOWN_EXTENSIONS = new Set<string>([
  OID.basicConstraints,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.subjectKeyIdentifier,
  OID.authorityKeyIdentifier,
  OID.authorityInfoAccess,
  OID.crlDistributionPoints,
  OID.certificatePolicies,
  OID.subjectAltName,
  OID.ocspNoCheck,
]);

export function fingerprint(der: Uint8Array, algorithm: 'sha256' | 'sha1' = 'sha256'): string {
  return createHash(algorithm).update(der).digest('hex').toUpperCase().match(/../g)?.join(':') ?? '';
}

const STRING_TYPES: Readonly<Record<number, string>> = {
  [TAG.UTF8String]: 'UTF8String',
  [TAG.PrintableString]: 'PrintableString',
  [TAG.T61String]: 'TeletexString',
  [TAG.IA5String]: 'IA5String',
  [TAG.VisibleString]: 'VisibleString',
  [TAG.UniversalString]: 'UniversalString',
  [TAG.BMPString]: 'BMPString',
};

export function parseName(n: DerNode, path: string, code: SignatureError['code'] = CODE): Name {
  const r: DerReader = new DerReader(n, path, code);
  if (n.cls !== 0 || n.tag !== TAG.SEQUENCE) r.fail('Name is not a SEQUENCE');
  const attributes: NameAttribute[] = [];
  for (const rdn of n.children) {
    if (rdn.tag !== TAG.SET) r.fail('RelativeDistinguishedName is not a SET', rdn);
    for (const atv of rdn.children) {
      const typeNode = atv.children[0];
      const valueNode = atv.children[1];
      if (atv.tag !== TAG.SEQUENCE || typeNode === undefined || valueNode === undefined) {
        r.fail('invalid AttributeTypeAndValue', atv);
      }
      const oid = decodeOid(typeNode, `${path}.type`, code);
      attributes.push({
        oid,
        type: NAME_ATTRIBUTES[oid] ?? oid,
        value: valueNode.constructed ? '' : decodeString(valueNode),
        encoding: STRING_TYPES[valueNode.tag] ?? `tag${valueNode.tag}`,
      });
    }
  }
  return {
    der: n.raw,
    attributes,
    text: attributes.map((a) => `${a.type}=${a.value}`).join(', '),
  };
}

/** First value of an attribute (`CN`, `O`, `OU`, `C`, `serialNumber`, ...). */
export function nameAttribute(name: Name, type: string): string | undefined {
  return name.attributes.find((a) => a.type === type || a.oid === type)?.value;
}

function canonicalName(name: Name): string {
  return name.attributes
    .map((a) => `${a.oid}=${a.value.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase()}`)
    .join('|');
}

/** RFC 5280 name matching: identical DER, or equal after case folding and whitespace collapsing. */
export function namesEqual(a: Name, b: Name): boolean {
  return Buffer.from(a.der).equals(Buffer.from(b.der)) || canonicalName(a) === canonicalName(b);
}

/** Parses one DER-encoded X.509 certificate. */
export function parseCertificate(input: Uint8Array): Certificate {
  const der = new Uint8Array(input);
  const root = parseDer(der, {}, CODE);
  const top: DerReader = new DerReader(root, 'Certificate', CODE);
  if (root.tag !== TAG.SEQUENCE) top.fail('not a SEQUENCE');
  const tbsNode = top.next('tbsCertificate', TAG.SEQUENCE);
  const signatureAlgorithm = parseAlgorithmIdentifier(
    top.next('signatureAlgorithm', TAG.SEQUENCE),
    'Certificate.signatureAlgorithm',
    CODE,
  );
  const sigNode = top.next('signatureValue', TAG.BIT_STRING);
  const tbs: DerReader = new DerReader(tbsNode, 'Certificate.tbsCertificate', CODE);
  let version = 1;
  const v = tbs.optionalContext(0);
  if (v !== undefined) {
    const vi = v.children[0];
    if (vi === undefined) tbs.fail('empty version', v);
    version = integerNumber(vi, 'Certificate.tbsCertificate.version', CODE) + 1;
  }
  const serialNode = tbs.next('serialNumber', TAG.INTEGER);
  const innerSig = parseAlgorithmIdentifier(
    tbs.next('signature', TAG.SEQUENCE),
    'Certificate.tbsCertificate.signature',
    CODE,
  );
  if (innerSig.oid !== signatureAlgorithm.oid) {
    tbs.fail('signature algorithm in tbsCertificate differs from the outer signatureAlgorithm', tbsNode);
  }
  const issuer = parseName(tbs.next('issuer', TAG.SEQUENCE), 'Certificate.tbsCertificate.issuer');
  const validity: DerReader = tbs.child('validity', TAG.SEQUENCE, 'validity');
  const nb = validity.next('notBefore');
  const na = validity.next('notAfter');
  const notBefore = decodeTime(nb, 'Certificate.tbsCertificate.validity.notBefore', CODE);
  const notAfter = decodeTime(na, 'Certificate.tbsCertificate.validity.notAfter', CODE);
  const subject = parseName(tbs.next('subject', TAG.SEQUENCE), 'Certificate.tbsCertificate.subject');
  const spkiNode = tbs.next('subjectPublicKeyInfo', TAG.SEQUENCE);
  const spkiAlg = parseAlgorithmIdentifier(
    expectChild(spkiNode, 0, 'Certificate.tbsCertificate.subjectPublicKeyInfo.algorithm'),
    'Certificate.tbsCertificate.subjectPublicKeyInfo.algorithm',
    CODE,
  );
  const spkBits = expectChild(
    spkiNode,
    1,
    'Certificate.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey',
  );
  if (spkBits.tag !== TAG.BIT_STRING || spkBits.content.length < 1) {
    tbs.fail('subjectPublicKey is not a BIT STRING', spkBits);
  }
  const spkiDer = spkiNode.raw;
  let key: KeyObject | undefined;
  // Creating a KeyObject is the costliest step of parsing: do it on first use.
  const loadKey = (): KeyObject => {
    if (key !== undefined) return key;
    try {
      key = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
      return key;
    } catch (cause) {
      throw new SignatureError(
        'SIG_UNSUPPORTED_ALGORITHM',
        `Certificate.tbsCertificate.subjectPublicKeyInfo: unsupported or invalid public key (${spkiAlg.oid})`,
        {
          cause,
          details: { path: 'Certificate.tbsCertificate.subjectPublicKeyInfo', offset: spkiNode.start },
        },
      );
    }
  };
  tbs.optionalContext(1);
  tbs.optionalContext(2);
  const extensions: Extension[] = [];
  const extWrapper = tbs.optionalContext(3);
  if (extWrapper !== undefined) {
    const seq = extWrapper.children[0];
    if (seq === undefined || seq.tag !== TAG.SEQUENCE) tbs.fail('extensions are not a SEQUENCE', extWrapper);
    const seen = new Set<string>();
    for (const e of seq.children) {
      const er: DerReader = new DerReader(e, 'Certificate.tbsCertificate.extensions', CODE);
      const oid = decodeOid(er.next('extnID', TAG.OID), 'Certificate.tbsCertificate.extensions.extnID', CODE);
      const crit = er.optionalUniversal(TAG.BOOLEAN);
      const value = er.next('extnValue', TAG.OCTET_STRING);
      if (seen.has(oid)) er.fail(`duplicate extension ${oid}`, e);
      seen.add(oid);
      extensions.push({ oid, critical: crit !== undefined && crit.content[0] !== 0, value: value.content });
    }
  }
  const sig = sigNode.content.subarray(1);
  const cert: Mutable<Certificate> = {
    der,
    tbs: tbsNode.raw,
    version,
    serialNumber: integerHex(serialNode),
    serialBytes: serialNode.content,
    signatureAlgorithm,
    signature: sig,
    issuer,
    subject,
    notBefore,
    notAfter,
    get publicKey(): KeyObject {
      return loadKey();
    },
    publicKeyInfo: spkiInfo(spkiAlg, spkBits.content.subarray(1)),
    subjectPublicKey: spkBits.content.subarray(1),
    extensions,
    caIssuers: [],
    ocspUrls: [],
    crlUrls: [],
    policies: [],
    unknownCriticalExtensions: extensions
      .filter((e) => e.critical && !KNOWN_EXTENSIONS.has(e.oid))
      .map((e) => e.oid),
    fingerprintSha256: fingerprint(der),
  };
  for (const e of extensions) applyExtension(cert, e);
  return cert;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function expectChild(n: DerNode, i: number, path: string): DerNode {
  const c = n.children[i];
  if (c === undefined) {
    throw new SignatureError(CODE, `${path}: missing (byte ${n.start})`, {
      details: { path, offset: n.start },
    });
  }
  return c;
}

const CURVES: Readonly<Record<string, readonly [string, number]>> = {
  [OID.p256]: ['prime256v1', 256],
  [OID.p384]: ['secp384r1', 384],
  [OID.p521]: ['secp521r1', 521],
};

/** Key algorithm and size read from the SubjectPublicKeyInfo itself (no KeyObject needed). */
function spkiInfo(alg: AlgorithmIdentifier, key: Uint8Array): PublicKeyInfo {
  if (alg.oid === OID.rsaEncryption || alg.oid === OID.rsassaPss) {
    const seq = parseDer(key, {}, CODE);
    const modulus = seq.children[0];
    if (seq.tag !== TAG.SEQUENCE || modulus === undefined || modulus.tag !== TAG.INTEGER) {
      throw new SignatureError(
        CODE,
        'Certificate.tbsCertificate.subjectPublicKeyInfo: invalid RSA public key',
        {
          details: { path: 'Certificate.tbsCertificate.subjectPublicKeyInfo' },
        },
      );
    }
    let m = modulus.content;
    while (m.length > 1 && m[0] === 0) m = m.subarray(1);
    const bits = m.length === 0 ? 0 : (m.length - 1) * 8 + (32 - Math.clz32(m[0] as number));
    return { algorithm: 'RSA', bits };
  }
  if (alg.oid === OID.ecPublicKey) {
    const curveOid =
      alg.params === undefined ? '' : decodeOid(alg.params, 'Certificate.subjectPublicKeyInfo.curve', CODE);
    const curve = CURVES[curveOid];
    return curve === undefined
      ? { algorithm: 'EC', bits: 0, curve: curveOid }
      : { algorithm: 'EC', bits: curve[1], curve: curve[0] };
  }
  if (alg.oid === OID.ed25519) return { algorithm: 'Ed25519', bits: 256 };
  return { algorithm: alg.oid, bits: 0 };
}

function applyExtension(cert: Mutable<Certificate>, e: Extension): void {
  const path = `Certificate.extensions[${e.oid}]`;
  const n = parseDer(e.value, {}, CODE);
  const r: DerReader = new DerReader(n, path, CODE);
  switch (e.oid) {
    case OID.basicConstraints: {
      if (n.tag !== TAG.SEQUENCE) r.fail('basicConstraints is not a SEQUENCE');
      const ca = r.optionalUniversal(TAG.BOOLEAN);
      const pl = r.optionalUniversal(TAG.INTEGER);
      const isCa = ca !== undefined && ca.content[0] !== 0;
      cert.basicConstraints =
        pl === undefined
          ? { ca: isCa }
          : { ca: isCa, pathLength: integerNumber(pl, `${path}.pathLen`, CODE) };
      break;
    }
    case OID.keyUsage: {
      if (n.tag !== TAG.BIT_STRING || n.content.length < 1) r.fail('keyUsage is not a BIT STRING');
      const bits: KeyUsageBit[] = [];
      KEY_USAGE_BITS.forEach((name, i) => {
        const byte = n.content[1 + (i >> 3)];
        if (byte !== undefined && (byte & (0x80 >> (i & 7))) !== 0) bits.push(name);
      });
      cert.keyUsage = bits;
      break;
    }
    case OID.extKeyUsage:
      cert.extKeyUsage = n.children.map((c) => decodeOid(c, `${path}.keyPurposeId`, CODE));
      break;
    case OID.subjectKeyIdentifier:
      if (n.tag !== TAG.OCTET_STRING) r.fail('subjectKeyIdentifier is not an OCTET STRING');
      cert.subjectKeyIdentifier = toHex(n.content);
      break;
    case OID.authorityKeyIdentifier: {
      let aki: AuthorityKeyIdentifier = {};
      for (const c of n.children) {
        if (c.cls === 2 && c.tag === 0) aki = { ...aki, keyIdentifier: toHex(c.content) };
        if (c.cls === 2 && c.tag === 2) aki = { ...aki, authorityCertSerialNumber: integerHex(c) };
      }
      cert.authorityKeyIdentifier = aki;
      break;
    }
    case OID.authorityInfoAccess: {
      const caIssuers: string[] = [];
      const ocsp: string[] = [];
      for (const ad of n.children) {
        const method = ad.children[0];
        const loc = ad.children[1];
        if (method === undefined || loc === undefined) r.fail('invalid AccessDescription', ad);
        const m = decodeOid(method, `${path}.accessMethod`, CODE);
        if (loc.cls === 2 && loc.tag === 6) {
          const url = Buffer.from(loc.content).toString('latin1');
          if (m === OID.caIssuers) caIssuers.push(url);
          else if (m === OID.ocsp) ocsp.push(url);
        }
      }
      cert.caIssuers = caIssuers;
      cert.ocspUrls = ocsp;
      break;
    }
    case OID.crlDistributionPoints: {
      const urls: string[] = [];
      for (const dp of n.children) {
        const dpn = dp.children.find((c) => c.cls === 2 && c.tag === 0);
        const full = dpn?.children.find((c) => c.cls === 2 && c.tag === 0);
        for (const gn of full?.children ?? []) {
          if (gn.cls === 2 && gn.tag === 6) urls.push(Buffer.from(gn.content).toString('latin1'));
        }
      }
      cert.crlUrls = urls;
      break;
    }
    case OID.certificatePolicies:
      cert.policies = n.children.map((p) => {
        const id = p.children[0];
        if (id === undefined) r.fail('empty PolicyInformation', p);
        return decodeOid(id, `${path}.policyIdentifier`, CODE);
      });
      break;
    default:
      break;
  }
}

/** True when the certificate's subject and issuer are the same name. */
export function isSelfIssued(cert: Certificate): boolean {
  return namesEqual(cert.subject, cert.issuer);
}

/** A short JSON-friendly summary of a certificate, used in reports. */
export interface CertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly fingerprintSha256: string;
  readonly commonName?: string;
  readonly organization?: string;
}

export function summarize(cert: Certificate): CertificateSummary {
  const cn = nameAttribute(cert.subject, 'CN');
  const o = nameAttribute(cert.subject, 'O');
  return {
    subject: cert.subject.text,
    issuer: cert.issuer.text,
    serialNumber: cert.serialNumber,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    fingerprintSha256: cert.fingerprintSha256,
    ...(cn === undefined ? {} : { commonName: cn }),
    ...(o === undefined ? {} : { organization: o }),
  };
}

import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { parseCertificate, type Certificate, type KeyUsageBit } from '../certificate.js';
import { parseSignedData } from '../cms.js';
import { createSignedData } from '../cms-sign.js';
import { parseDer } from '../der.js';
import { SignatureError } from '../errors.js';
import { OID, OID_BY_DIGEST } from '../oids.js';
import {
  bitString,
  bool,
  enumerated,
  explicit,
  generalizedTime,
  ia5,
  integer,
  namedBits,
  nullValue,
  octets,
  oid,
  printable,
  seq,
  set,
  time,
  tlv,
  utf8,
} from './asn1.js';

/** Key types the test PKI generates. */
export type TestKeyType = 'rsa-2048' | 'rsa-3072' | 'rsa-4096' | 'ec-p256' | 'ec-p384' | 'ec-p521';
export type TestDigest = 'sha1' | 'sha256' | 'sha384' | 'sha512';

/**
 * A distinguished name, written in this order: C, ST, L, O, OU, title, serialNumber, UID, CN, emailAddress.
 * Values are UTF8String (Vietnamese text as is) except C and serialNumber (PrintableString) and
 * emailAddress (IA5String).
 */
export interface TestName {
  readonly C?: string;
  readonly ST?: string;
  readonly L?: string;
  readonly O?: string;
  readonly OU?: string;
  readonly title?: string;
  readonly serialNumber?: string;
  /** userID (0.9.2342.19200300.100.1.1), where Vietnamese certificates carry "MST:…" or "CCCD:…". */
  readonly UID?: string;
  readonly CN: string;
  readonly emailAddress?: string;
}

const NAME_ORDER: readonly [keyof TestName, string, 'utf8' | 'printable' | 'ia5'][] = [
  ['C', '2.5.4.6', 'printable'],
  ['ST', '2.5.4.8', 'utf8'],
  ['L', '2.5.4.7', 'utf8'],
  ['O', '2.5.4.10', 'utf8'],
  ['OU', '2.5.4.11', 'utf8'],
  ['title', '2.5.4.12', 'utf8'],
  ['serialNumber', '2.5.4.5', 'printable'],
  ['UID', '0.9.2342.19200300.100.1.1', 'utf8'],
  ['CN', '2.5.4.3', 'utf8'],
  ['emailAddress', '1.2.840.113549.1.9.1', 'ia5'],
];

/** DER of a Name. */
export function encodeName(name: TestName): Uint8Array {
  const rdns: Uint8Array[] = [];
  for (const [key, type, kind] of NAME_ORDER) {
    const v = name[key];
    if (v === undefined) continue;
    const value = kind === 'utf8' ? utf8(v) : kind === 'printable' ? printable(v) : ia5(v);
    rdns.push(set(seq(oid(type), value)));
  }
  return seq(...rdns);
}

const EKU: Readonly<Record<string, string>> = {
  serverAuth: OID.ekuServerAuth,
  clientAuth: OID.ekuClientAuth,
  codeSigning: OID.ekuCodeSigning,
  emailProtection: OID.ekuEmailProtection,
  timeStamping: OID.ekuTimeStamping,
  ocspSigning: OID.ekuOcspSigning,
  any: OID.ekuAny,
};

const KEY_USAGE_BIT: Readonly<Record<KeyUsageBit, number>> = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
  encipherOnly: 7,
  decipherOnly: 8,
};

/** CRL reason codes (RFC 5280 §5.3.1). */
export type CrlReason =
  | 'unspecified'
  | 'keyCompromise'
  | 'cACompromise'
  | 'affiliationChanged'
  | 'superseded'
  | 'cessationOfOperation'
  | 'certificateHold'
  | 'removeFromCRL'
  | 'privilegeWithdrawn'
  | 'aACompromise';

const REASON_CODE: Readonly<Record<CrlReason, number>> = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
};

/** An extension written as given (DER of the extnValue contents). */
export interface TestExtension {
  readonly oid: string;
  readonly critical?: boolean;
  readonly value: Uint8Array;
}

export interface IssueOptions {
  readonly subject: TestName;
  /** Key type (default `rsa-2048`), or an existing key pair. */
  readonly key?: TestKeyType | { readonly privateKey: KeyObject; readonly publicKey: KeyObject };
  /** Serial number as hex (default: 16 random bytes, positive). */
  readonly serialNumber?: string;
  /** Default: the PKI clock minus one day. */
  readonly notBefore?: Date;
  /** Default: notBefore plus `validDays` (default 365). */
  readonly notAfter?: Date;
  readonly validDays?: number;
  /** Digest of the issuer's signature (default `sha256`). */
  readonly digest?: TestDigest;
  /** A CA certificate (basicConstraints cA, critical); `pathLen` optional. Default: end entity. */
  readonly ca?: boolean | { readonly pathLen: number };
  /** keyUsage (critical). Default: keyCertSign+cRLSign for CAs, digitalSignature+nonRepudiation otherwise; `[]` omits it. */
  readonly keyUsage?: readonly KeyUsageBit[];
  /** extKeyUsage by name (`timeStamping`, `ocspSigning`, `emailProtection`, `clientAuth`, …) or OID. */
  readonly extKeyUsage?: readonly string[];
  /** Mark extKeyUsage critical (RFC 3161 requires it for TSAs). */
  readonly extKeyUsageCritical?: boolean;
  /** Authority information access: caIssuers and OCSP URLs. */
  readonly aia?: { readonly caIssuers?: readonly string[]; readonly ocsp?: readonly string[] };
  /** CRL distribution point URLs. */
  readonly crlDistributionPoints?: readonly string[];
  /** Certificate policy OIDs. */
  readonly policies?: readonly string[];
  /** id-pkix-ocsp-nocheck (for delegated OCSP responders). */
  readonly ocspNoCheck?: boolean;
  /** Leave out SKI / AKI. */
  readonly omitKeyIdentifiers?: boolean;
  /** Further extensions, after the standard ones. */
  readonly extensions?: readonly TestExtension[];
}

/** A certificate made by the test PKI, with its private key. */
export interface TestCertificate {
  readonly der: Uint8Array;
  readonly pem: string;
  readonly certificate: Certificate;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** PKCS#8 PEM of the private key. */
  readonly keyPem: string;
  /** The issuing certificate, absent for a self-signed root. */
  readonly issuer?: TestCertificate;
  /** Serial number, lower-case hex without leading zeros (as `Certificate.serialNumber`). */
  readonly serialNumber: string;
}

export interface RevocationEntry {
  readonly serialNumber: string;
  readonly revocationDate: Date;
  readonly reason?: CrlReason;
  /** invalidityDate entry extension. */
  readonly invalidityDate?: Date;
}

export interface CrlOptions {
  /** Default: the PKI clock. */
  readonly thisUpdate?: Date;
  /** Default: thisUpdate + 7 days; `null` omits it. */
  readonly nextUpdate?: Date | null;
  /** Default: the revocations recorded for this issuer with `revoke`. */
  readonly revoked?: readonly RevocationEntry[];
  /** cRLNumber (default: increments per issuer from 1). */
  readonly crlNumber?: number;
  readonly digest?: TestDigest;
  /** Sign with this key instead of the issuer's (a CRL whose signature does not verify). */
  readonly signingKey?: KeyObject;
}

export type OcspCertStatus = 'good' | 'revoked' | 'unknown';

export interface OcspResponseOptions {
  /** Signs the response: the issuer itself (default) or a delegated responder (id-kp-OCSPSigning) it issued. */
  readonly responder?: TestCertificate;
  /** Default: the PKI clock. */
  readonly producedAt?: Date;
  readonly thisUpdate?: Date;
  /** Default: thisUpdate + 1 day; `null` omits it. */
  readonly nextUpdate?: Date | null;
  /** `echo` (default) copies the request's nonce, `omit` leaves it out, `wrong` answers another one. */
  readonly nonce?: 'echo' | 'omit' | 'wrong';
  /** Status override, default from the PKI's records. */
  readonly status?: OcspCertStatus;
  /** Responder ID by key hash instead of by name. */
  readonly responderIdByKey?: boolean;
  readonly digest?: TestDigest;
}

export interface TimestampOptions {
  /** Default: the PKI clock. */
  readonly genTime?: Date;
  /** Digest of the message imprint and of the token signature (default `sha256`). */
  readonly digest?: TestDigest;
  /** TSA policy OID (default 2.16.704.1.2.1.99.1). */
  readonly policy?: string;
  /** Certificates embedded after the TSA's (default: its issuer, when known). */
  readonly chain?: readonly TestCertificate[];
}

export interface TestPkiOptions {
  /** Time used for defaults (validity, CRL and OCSP times). Default `() => new Date()`. */
  readonly clock?: () => Date;
  /** Base URL written into AIA, CRL DP and OCSP URLs (default `http://pki.test`). */
  readonly baseUrl?: string;
}

const DAY = 86_400_000;

function hexOf(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

function generateKey(type: TestKeyType): { privateKey: KeyObject; publicKey: KeyObject } {
  switch (type) {
    case 'rsa-2048':
    case 'rsa-3072':
    case 'rsa-4096':
      return generateKeyPairSync('rsa', { modulusLength: Number(type.slice(4)) });
    case 'ec-p256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' });
    case 'ec-p384':
      return generateKeyPairSync('ec', { namedCurve: 'P-384' });
    case 'ec-p521':
      return generateKeyPairSync('ec', { namedCurve: 'P-521' });
  }
}

const RSA_WITH: Readonly<Record<TestDigest, string>> = {
  sha1: OID.sha1WithRSA,
  sha256: OID.sha256WithRSA,
  sha384: OID.sha384WithRSA,
  sha512: OID.sha512WithRSA,
};
const ECDSA_WITH: Readonly<Record<TestDigest, string>> = {
  sha1: OID.ecdsaSha1,
  sha256: OID.ecdsaSha256,
  sha384: OID.ecdsaSha384,
  sha512: OID.ecdsaSha512,
};

/** AlgorithmIdentifier and signature function for a key (RSA PKCS#1 v1.5 or ECDSA). */
function signer(
  key: KeyObject,
  digest: TestDigest,
): { alg: Uint8Array; sign: (tbs: Uint8Array) => Uint8Array } {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') {
    return { alg: seq(oid(RSA_WITH[digest]), nullValue()), sign: (tbs) => sign(digest, tbs, key) };
  }
  if (type === 'ec') {
    return { alg: seq(oid(ECDSA_WITH[digest])), sign: (tbs) => sign(digest, tbs, key) };
  }
  throw new SignatureError('SIG_KEY_INVALID', `the test PKI signs with RSA or EC keys, not ${type ?? '?'}`);
}

const extension = (id: string, critical: boolean, value: Uint8Array): Uint8Array =>
  critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));

/** SubjectKeyIdentifier method 1 of RFC 5280: SHA-1 of the subjectPublicKey BIT STRING contents. */
function keyIdentifier(publicKey: KeyObject): Uint8Array {
  const spki = parseDer(new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })));
  const bits = spki.children[1];
  if (bits === undefined) throw new SignatureError('SIG_KEY_INVALID', 'unreadable public key');
  return new Uint8Array(createHash('sha1').update(bits.content.subarray(1)).digest());
}

const uri = (u: string): Uint8Array => tlv(0x86, Buffer.from(u, 'latin1'));

export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

/** A degenerate SignedData (`.p7b`) carrying `certificates`. */
export function createP7b(certificates: readonly Uint8Array[]): Uint8Array {
  const signedData = seq(
    integer(1),
    set(),
    seq(oid(OID.data)),
    tlv(0xa0, Buffer.concat(certificates)),
    set(),
  );
  return seq(oid(OID.signedData), explicit(0, signedData));
}

/**
 * A test PKI: issues certificates (roots, intermediates, signers, TSAs, OCSP responders) with node:crypto
 * keys and the package's DER writer, records revocations, and makes CRLs and OCSP responses from them.
 * `TestPkiServer` serves it on loopback. No openssl needed.
 */
export class TestPki {
  readonly baseUrl: string;
  readonly clock: () => Date;
  private readonly issued = new Map<string, TestCertificate[]>();
  private readonly revocations = new Map<string, RevocationEntry[]>();
  private readonly unknown = new Set<string>();
  private readonly crlNumbers = new Map<string, number>();
  private readonly responders = new Map<string, TestCertificate>();
  private readonly slugs = new Map<string, TestCertificate>();

  constructor(options: TestPkiOptions = {}) {
    this.clock = options.clock ?? (() => new Date());
    this.baseUrl = (options.baseUrl ?? 'http://pki.test').replace(/\/+$/, '');
  }

  /** Issues a certificate: self-signed when `issuer` is undefined. */
  issue(issuer: TestCertificate | undefined, options: IssueOptions): TestCertificate {
    const keys =
      options.key === undefined || typeof options.key === 'string'
        ? generateKey(options.key ?? 'rsa-2048')
        : options.key;
    const digest = options.digest ?? 'sha256';
    const notBefore = options.notBefore ?? new Date(this.clock().getTime() - DAY);
    const notAfter = options.notAfter ?? new Date(notBefore.getTime() + (options.validDays ?? 365) * DAY);
    let serial = options.serialNumber;
    if (serial === undefined) {
      const r = randomBytes(16);
      r[0] = ((r[0] as number) & 0x7f) | 0x10;
      serial = r.toString('hex');
    }
    const subject = encodeName(options.subject);
    const issuerName = issuer === undefined ? subject : issuer.certificate.subject.der;
    const signingKey = issuer === undefined ? keys.privateKey : issuer.privateKey;
    const spki = new Uint8Array(keys.publicKey.export({ type: 'spki', format: 'der' }));
    const exts: Uint8Array[] = [];
    const ca = options.ca ?? false;
    if (ca !== false) {
      exts.push(
        extension(
          OID.basicConstraints,
          true,
          typeof ca === 'object' ? seq(bool(true), integer(ca.pathLen)) : seq(bool(true)),
        ),
      );
    }
    const ku =
      options.keyUsage ??
      (ca !== false ? ['keyCertSign', 'cRLSign'] : ['digitalSignature', 'nonRepudiation']);
    if (ku.length > 0) exts.push(extension(OID.keyUsage, true, namedBits(ku.map((b) => KEY_USAGE_BIT[b]))));
    if (options.extKeyUsage !== undefined && options.extKeyUsage.length > 0) {
      exts.push(
        extension(
          OID.extKeyUsage,
          options.extKeyUsageCritical ?? false,
          seq(...options.extKeyUsage.map((e) => oid(EKU[e] ?? e))),
        ),
      );
    }
    if (options.omitKeyIdentifiers !== true) {
      exts.push(extension(OID.subjectKeyIdentifier, false, octets(keyIdentifier(keys.publicKey))));
      const authorityKey = keyIdentifier(issuer === undefined ? keys.publicKey : issuer.publicKey);
      exts.push(extension(OID.authorityKeyIdentifier, false, seq(tlv(0x80, authorityKey))));
    }
    const aia = options.aia;
    if (aia !== undefined && ((aia.caIssuers?.length ?? 0) > 0 || (aia.ocsp?.length ?? 0) > 0)) {
      const access = [
        ...(aia.ocsp ?? []).map((u) => seq(oid(OID.ocsp), uri(u))),
        ...(aia.caIssuers ?? []).map((u) => seq(oid(OID.caIssuers), uri(u))),
      ];
      exts.push(extension(OID.authorityInfoAccess, false, seq(...access)));
    }
    if (options.crlDistributionPoints !== undefined && options.crlDistributionPoints.length > 0) {
      const points = options.crlDistributionPoints.map((u) => seq(tlv(0xa0, tlv(0xa0, uri(u)))));
      exts.push(extension(OID.crlDistributionPoints, false, seq(...points)));
    }
    if (options.policies !== undefined && options.policies.length > 0) {
      exts.push(extension(OID.certificatePolicies, false, seq(...options.policies.map((p) => seq(oid(p))))));
    }
    if (options.ocspNoCheck === true) exts.push(extension(OID.ocspNoCheck, false, nullValue()));
    for (const e of options.extensions ?? []) exts.push(extension(e.oid, e.critical ?? false, e.value));
    const s = signer(signingKey, digest);
    const tbs = seq(
      explicit(0, integer(2)),
      integer(serial),
      s.alg,
      issuerName,
      seq(time(notBefore), time(notAfter)),
      subject,
      spki,
      ...(exts.length > 0 ? [explicit(3, seq(...exts))] : []),
    );
    const der = seq(tbs, s.alg, bitString(s.sign(tbs)));
    const certificate = parseCertificate(der);
    const cert: TestCertificate = {
      der,
      pem: toPem('CERTIFICATE', der),
      certificate,
      privateKey: keys.privateKey,
      publicKey: keys.publicKey,
      keyPem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      ...(issuer === undefined ? {} : { issuer }),
      serialNumber: certificate.serialNumber,
    };
    if (issuer !== undefined) {
      const list = this.issued.get(issuer.certificate.fingerprintSha256) ?? [];
      list.push(cert);
      this.issued.set(issuer.certificate.fingerprintSha256, list);
    }
    return cert;
  }

  /** Records a revocation (used by `crl` and by OCSP responses). */
  revoke(cert: TestCertificate, revocationDate: Date, reason?: CrlReason, invalidityDate?: Date): void {
    const issuer = cert.issuer;
    if (issuer === undefined)
      throw new SignatureError('SIG_CERTIFICATE_INVALID', 'a self-signed root cannot be revoked');
    const key = issuer.certificate.fingerprintSha256;
    const list = (this.revocations.get(key) ?? []).filter((e) => e.serialNumber !== cert.serialNumber);
    list.push({
      serialNumber: cert.serialNumber,
      revocationDate,
      ...(reason === undefined ? {} : { reason }),
      ...(invalidityDate === undefined ? {} : { invalidityDate }),
    });
    this.revocations.set(key, list);
  }

  /** Makes the OCSP responder answer "unknown" for this certificate. */
  markUnknown(cert: TestCertificate): void {
    this.unknown.add(cert.certificate.fingerprintSha256);
  }

  /** Delegates OCSP signing for `issuer` to `responder` (a certificate it issued with id-kp-OCSPSigning). */
  setOcspResponder(issuer: TestCertificate, responder: TestCertificate): void {
    this.responders.set(issuer.certificate.fingerprintSha256, responder);
  }

  /** Publishes a CA under `name` (URL-safe): `TestPkiServer` serves `/<name>.cer`, `/<name>.p7b`, `/<name>.crl` and `POST /ocsp/<name>`. */
  publish(name: string, ca: TestCertificate): void {
    this.slugs.set(name, ca);
  }

  /** The URLs of a published CA (for a child's AIA and CRL DP). */
  urls(name: string): { cer: string; p7b: string; crl: string; ocsp: string } {
    const b = this.baseUrl;
    return {
      cer: `${b}/${name}.cer`,
      p7b: `${b}/${name}.p7b`,
      crl: `${b}/${name}.crl`,
      ocsp: `${b}/ocsp/${name}`,
    };
  }

  published(name: string): TestCertificate | undefined {
    return this.slugs.get(name);
  }

  /** The revocation status the PKI has recorded for a certificate. */
  statusOf(cert: TestCertificate): { status: OcspCertStatus; entry?: RevocationEntry } {
    if (this.unknown.has(cert.certificate.fingerprintSha256)) return { status: 'unknown' };
    const issuer = cert.issuer;
    if (issuer === undefined) return { status: 'unknown' };
    const entry = this.revocations
      .get(issuer.certificate.fingerprintSha256)
      ?.find((e) => e.serialNumber === cert.serialNumber);
    return entry === undefined ? { status: 'good' } : { status: 'revoked', entry };
  }

  /** A CRL (v2, with AKI and cRLNumber) signed by `issuer`. */
  crl(issuer: TestCertificate, options: CrlOptions = {}): Uint8Array {
    const fp = issuer.certificate.fingerprintSha256;
    const thisUpdate = options.thisUpdate ?? this.clock();
    const nextUpdate =
      options.nextUpdate === null
        ? undefined
        : (options.nextUpdate ?? new Date(thisUpdate.getTime() + 7 * DAY));
    const number = options.crlNumber ?? (this.crlNumbers.get(fp) ?? 0) + 1;
    if (options.crlNumber === undefined) this.crlNumbers.set(fp, number);
    const revoked = options.revoked ?? this.revocations.get(fp) ?? [];
    const entries = revoked.map((e) => {
      const entryExts: Uint8Array[] = [];
      if (e.reason !== undefined)
        entryExts.push(extension(OID.crlReason, false, enumerated(REASON_CODE[e.reason])));
      if (e.invalidityDate !== undefined)
        entryExts.push(extension('2.5.29.24', false, generalizedTime(e.invalidityDate)));
      return seq(
        integer(e.serialNumber),
        time(e.revocationDate),
        ...(entryExts.length > 0 ? [seq(...entryExts)] : []),
      );
    });
    const digest = options.digest ?? 'sha256';
    const key = options.signingKey ?? issuer.privateKey;
    const s = signer(key, digest);
    const tbs = seq(
      integer(1),
      s.alg,
      issuer.certificate.subject.der,
      time(thisUpdate),
      ...(nextUpdate === undefined ? [] : [time(nextUpdate)]),
      ...(entries.length > 0 ? [seq(...entries)] : []),
      explicit(
        0,
        seq(
          extension(OID.authorityKeyIdentifier, false, seq(tlv(0x80, keyIdentifier(issuer.publicKey)))),
          extension(OID.crlNumber, false, integer(number)),
        ),
      ),
    );
    return seq(tbs, s.alg, bitString(s.sign(tbs)));
  }

  /** An RFC 3161 timestamp token (SignedData over a TSTInfo) over `data`, signed by `tsa`. */
  timestamp(tsa: TestCertificate, data: Uint8Array, options: TimestampOptions = {}): Uint8Array {
    const digest = options.digest ?? 'sha256';
    const genTime = options.genTime ?? this.clock();
    const tstInfo = seq(
      integer(1),
      oid(options.policy ?? '2.16.704.1.2.1.99.1'),
      seq(seq(oid(OID_BY_DIGEST[digest]), nullValue()), octets(createHash(digest).update(data).digest())),
      integer(
        randomBytes(8)
          .toString('hex')
          .replace(/^[89a-f]/, '1'),
      ),
      generalizedTime(genTime),
    );
    const chain = options.chain ?? (tsa.issuer === undefined ? [] : [tsa.issuer]);
    return createSignedData(
      tstInfo,
      {
        key: tsa.privateKey,
        certificateChain: [tsa.der, ...chain.map((c) => c.der)],
        detached: false,
        digest,
        signingTime: genTime,
      },
      OID.tstInfo,
    );
  }

  /**
   * Adds a signature timestamp (unsigned attribute id-aa-timeStampToken over the signature value) to
   * the first signer of a DER CMS made by `createCms`.
   */
  addTimestamp(cms: Uint8Array, tsa: TestCertificate, options: TimestampOptions = {}): Uint8Array {
    const signature = parseSignedData(cms).signers[0]?.signature;
    const ci = parseDer(cms);
    const sd = ci.children[1]?.children[0];
    const infos = sd?.children.at(-1);
    const signer = infos?.children[0];
    const contentType = ci.children[0];
    if (
      signature === undefined ||
      sd === undefined ||
      infos === undefined ||
      signer === undefined ||
      contentType === undefined
    )
      throw new SignatureError('SIG_CMS_INVALID', 'no SignerInfo to timestamp');
    if (signer.children.some((c) => c.cls === 2 && c.tag === 1))
      throw new SignatureError('SIG_CMS_INVALID', 'the SignerInfo already has unsigned attributes');
    const token = this.timestamp(tsa, signature, options);
    const attr = seq(oid(OID.timeStampToken), set(token));
    const newSigner = seq(...signer.children.map((c) => c.raw), tlv(0xa1, attr));
    const newInfos = tlv(0x31, Buffer.concat([newSigner, ...infos.children.slice(1).map((c) => c.raw)]));
    const newSd = seq(...sd.children.slice(0, -1).map((c) => c.raw), newInfos);
    return seq(contentType.raw, explicit(0, newSd));
  }

  /**
   * Answers a DER OCSPRequest for certificates issued by `issuer`: a BasicOCSPResponse with one
   * SingleResponse per requested CertID (good / revoked with time and reason / unknown, from the
   * PKI's records), signed by the delegated responder or the issuer. Unreadable requests get
   * `malformedRequest`.
   */
  ocspResponse(issuer: TestCertificate, request: Uint8Array, options: OcspResponseOptions = {}): Uint8Array {
    let requests: { certId: Uint8Array; serial: string; matches: boolean }[];
    let nonce: Uint8Array | undefined;
    try {
      const tbs = parseDer(request).children[0];
      const list = tbs?.children.find((c) => c.cls === 0 && c.tag === 16);
      if (tbs === undefined || list === undefined) throw new Error('no requestList');
      requests = list.children.map((r) => {
        const certId = r.children[0];
        const [hashAlg, nameHash, keyHash, serial] = certId?.children ?? [];
        if (
          certId === undefined ||
          hashAlg === undefined ||
          serial === undefined ||
          nameHash === undefined ||
          keyHash === undefined
        )
          throw new Error('bad CertID');
        const algOid = hexOf(hashAlg.children[0]?.raw ?? new Uint8Array());
        const digest = (
          {
            [hexOf(oid(OID.sha1))]: 'sha1',
            [hexOf(oid(OID.sha256))]: 'sha256',
            [hexOf(oid(OID.sha384))]: 'sha384',
            [hexOf(oid(OID.sha512))]: 'sha512',
          } as Record<string, string>
        )[algOid];
        const matches =
          digest !== undefined &&
          hexOf(nameHash.content) ===
            createHash(digest).update(issuer.certificate.subject.der).digest('hex') &&
          hexOf(keyHash.content) ===
            createHash(digest).update(issuer.certificate.subjectPublicKey).digest('hex');
        return { certId: certId.raw, serial: hexOf(serial.content).replace(/^(00)+(?=.)/, ''), matches };
      });
      const exts = tbs.children.find((c) => c.cls === 2 && c.tag === 2)?.children[0];
      const nonceExt = exts?.children.find(
        (e) => hexOf(e.children[0]?.raw ?? new Uint8Array()) === hexOf(oid(OID.ocspNonce)),
      );
      nonce = nonceExt?.children.at(-1)?.content;
    } catch {
      return seq(enumerated(1));
    }
    const producedAt = options.producedAt ?? this.clock();
    const thisUpdate = options.thisUpdate ?? producedAt;
    const nextUpdate =
      options.nextUpdate === null ? undefined : (options.nextUpdate ?? new Date(thisUpdate.getTime() + DAY));
    const known = this.issued.get(issuer.certificate.fingerprintSha256) ?? [];
    const singles = requests.map((r) => {
      const cert = r.matches ? known.find((c) => c.serialNumber === r.serial) : undefined;
      const recorded = cert === undefined ? { status: 'unknown' as const } : this.statusOf(cert);
      const status = options.status ?? recorded.status;
      let certStatus: Uint8Array;
      if (status === 'good') certStatus = Uint8Array.of(0x80, 0x00);
      else if (status === 'unknown') certStatus = Uint8Array.of(0x82, 0x00);
      else {
        const entry = 'entry' in recorded ? recorded.entry : undefined;
        const when = entry?.revocationDate ?? thisUpdate;
        certStatus = tlv(
          0xa1,
          Buffer.concat([
            generalizedTime(when),
            ...(entry?.reason === undefined ? [] : [explicit(0, enumerated(REASON_CODE[entry.reason]))]),
          ]),
        );
      }
      return seq(
        r.certId,
        certStatus,
        generalizedTime(thisUpdate),
        ...(nextUpdate === undefined ? [] : [explicit(0, generalizedTime(nextUpdate))]),
      );
    });
    const responder =
      options.responder ?? this.responders.get(issuer.certificate.fingerprintSha256) ?? issuer;
    const responderId =
      options.responderIdByKey === true
        ? explicit(2, octets(createHash('sha1').update(responder.certificate.subjectPublicKey).digest()))
        : explicit(1, responder.certificate.subject.der);
    const nonceMode = options.nonce ?? 'echo';
    const responseExts =
      nonce === undefined || nonceMode === 'omit'
        ? []
        : [
            explicit(
              1,
              seq(
                extension(
                  OID.ocspNonce,
                  false,
                  nonceMode === 'wrong' ? octets(new Uint8Array(16).fill(7)) : nonce,
                ),
              ),
            ),
          ];
    const tbs = seq(responderId, generalizedTime(producedAt), seq(...singles), ...responseExts);
    const s = signer(responder.privateKey, options.digest ?? 'sha256');
    const basic = seq(
      tbs,
      s.alg,
      bitString(s.sign(tbs)),
      ...(responder === issuer ? [] : [explicit(0, seq(responder.der))]),
    );
    return seq(enumerated(0), explicit(0, seq(oid(OID.ocspBasic), octets(basic))));
  }
}

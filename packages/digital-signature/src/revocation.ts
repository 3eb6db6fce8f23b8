import { createHash, randomBytes } from 'node:crypto';
import {
  parseAlgorithmIdentifier,
  resolveSignatureScheme,
  verifySignature,
  type AlgorithmIdentifier,
} from './algorithms.js';
import {
  fingerprint,
  namesEqual,
  parseCertificate,
  parseName,
  type Certificate,
  type Name,
} from './certificate.js';
import {
  DER_NULL,
  decodeOid,
  decodeTime,
  DerReader,
  encodeOctetString,
  encodeOid,
  encodeSequence,
  encodeTlv,
  integerHex,
  parseDer,
  TAG,
  toHex,
  type DerNode,
} from './der.js';
import { SignatureError } from './errors.js';
import { fetchBytes, type NetworkContext } from './net.js';
import { DIGEST_BY_OID, OID } from './oids.js';
import { verifyIssued } from './path.js';

// ------------------------------------------------------------------------------------------------
// CRL

export interface RevokedEntry {
  readonly serialNumber: string;
  readonly revocationDate: Date;
  readonly reason?: string;
}

export interface Crl {
  readonly der: Uint8Array;
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signature: Uint8Array;
  readonly issuer: Name;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  readonly revoked: ReadonlyMap<string, RevokedEntry>;
  /** Critical CRL extensions this package does not process (the CRL is then not used). */
  readonly unknownCriticalExtensions: readonly string[];
  readonly isDelta: boolean;
}

const REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'unused',
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
];

/** Parses a DER CertificateList (RFC 5280 §5). */
export function parseCrl(input: Uint8Array): Crl {
  const code = 'SIG_CRL_INVALID' as const;
  const der = new Uint8Array(input);
  const root = parseDer(der, {}, code);
  const top: DerReader = new DerReader(root, 'CertificateList', code);
  if (root.tag !== TAG.SEQUENCE) top.fail('not a SEQUENCE');
  const tbsNode = top.next('tbsCertList', TAG.SEQUENCE);
  const signatureAlgorithm = parseAlgorithmIdentifier(
    top.next('signatureAlgorithm', TAG.SEQUENCE),
    'CertificateList.signatureAlgorithm',
    code,
  );
  const sig = top.next('signatureValue', TAG.BIT_STRING);
  const r: DerReader = new DerReader(tbsNode, 'CertificateList.tbsCertList', code);
  r.optionalUniversal(TAG.INTEGER);
  r.next('signature', TAG.SEQUENCE);
  const issuer = parseName(r.next('issuer', TAG.SEQUENCE), 'CertificateList.tbsCertList.issuer', code);
  const thisUpdate = decodeTime(r.next('thisUpdate'), 'CertificateList.tbsCertList.thisUpdate', code);
  let nextUpdate: Date | undefined;
  const nu = r.peek();
  if (nu !== undefined && nu.cls === 0 && (nu.tag === TAG.UTCTime || nu.tag === TAG.GeneralizedTime)) {
    nextUpdate = decodeTime(r.next('nextUpdate'), 'CertificateList.tbsCertList.nextUpdate', code);
  }
  const revoked = new Map<string, RevokedEntry>();
  const list = r.optionalUniversal(TAG.SEQUENCE);
  for (const entry of list?.children ?? []) {
    const er: DerReader = new DerReader(entry, 'CertificateList.tbsCertList.revokedCertificates', code);
    const serialNumber = integerHex(er.next('userCertificate', TAG.INTEGER));
    const revocationDate = decodeTime(er.next('revocationDate'), `${er.path}.revocationDate`, code);
    let reason: string | undefined;
    const exts = er.optionalUniversal(TAG.SEQUENCE);
    for (const ext of exts?.children ?? []) {
      const oid = decodeOid(ext.children[0] ?? ext, `${er.path}.crlEntryExtensions`, code);
      const value = ext.children[ext.children.length - 1];
      if (oid === OID.crlReason && value !== undefined) {
        const e = parseDer(value.content, {}, code);
        reason = REASONS[e.content[0] ?? 0] ?? 'unspecified';
      }
    }
    revoked.set(
      serialNumber,
      reason === undefined ? { serialNumber, revocationDate } : { serialNumber, revocationDate, reason },
    );
  }
  const unknownCritical: string[] = [];
  let isDelta = false;
  const extWrapper = r.optionalContext(0);
  for (const ext of extWrapper?.children[0]?.children ?? []) {
    const oid = decodeOid(ext.children[0] ?? ext, 'CertificateList.tbsCertList.crlExtensions', code);
    const crit = ext.children[1]?.tag === TAG.BOOLEAN && ext.children[1].content[0] !== 0;
    if (oid === OID.deltaCrlIndicator) isDelta = true;
    if (crit && oid !== OID.issuingDistributionPoint && oid !== OID.deltaCrlIndicator)
      unknownCritical.push(oid);
  }
  return {
    der,
    tbs: tbsNode.raw,
    signatureAlgorithm,
    signature: sig.content.subarray(1),
    issuer,
    thisUpdate,
    ...(nextUpdate === undefined ? {} : { nextUpdate }),
    revoked,
    unknownCriticalExtensions: unknownCritical,
    isDelta,
  };
}

// ------------------------------------------------------------------------------------------------
// OCSP

export interface OcspSingleResponse {
  readonly serialNumber: string;
  readonly hashAlgorithm: string;
  readonly issuerNameHash: string;
  readonly issuerKeyHash: string;
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly revocationTime?: Date;
  readonly reason?: string;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
}

export interface OcspResponse {
  readonly der: Uint8Array;
  /** `successful`, `malformedRequest`, `internalError`, `tryLater`, `sigRequired`, `unauthorized`. */
  readonly responseStatus: string;
  readonly tbs?: Uint8Array;
  readonly signatureAlgorithm?: AlgorithmIdentifier;
  readonly signature?: Uint8Array;
  readonly responderName?: Name;
  readonly responderKeyHash?: string;
  readonly producedAt?: Date;
  readonly responses: readonly OcspSingleResponse[];
  readonly certificates: readonly Certificate[];
  readonly nonce?: string;
}

const OCSP_STATUS = [
  'successful',
  'malformedRequest',
  'internalError',
  'tryLater',
  '',
  'sigRequired',
  'unauthorized',
];

/** Parses a DER OCSPResponse (RFC 6960). */
export function parseOcspResponse(input: Uint8Array): OcspResponse {
  const code = 'SIG_OCSP_INVALID' as const;
  const der = new Uint8Array(input);
  const root = parseDer(der, {}, code);
  const top: DerReader = new DerReader(root, 'OCSPResponse', code);
  if (root.tag !== TAG.SEQUENCE) top.fail('not a SEQUENCE');
  const st = top.next('responseStatus', TAG.ENUMERATED);
  const responseStatus = OCSP_STATUS[st.content[0] ?? 99] ?? `status${st.content[0] ?? ''}`;
  const rb = top.optionalContext(0);
  if (responseStatus !== 'successful' || rb === undefined)
    return { der, responseStatus, responses: [], certificates: [] };
  const rbs: DerReader = new DerReader(rb.children[0] ?? rb, 'OCSPResponse.responseBytes', code);
  const type = decodeOid(rbs.next('responseType', TAG.OID), 'OCSPResponse.responseBytes.responseType', code);
  if (type !== OID.ocspBasic) rbs.fail(`unsupported responseType ${type}`);
  const basicNode = parseDer(rbs.next('response', TAG.OCTET_STRING).content, {}, code);
  const basic: DerReader = new DerReader(basicNode, 'BasicOCSPResponse', code);
  const tbsNode = basic.next('tbsResponseData', TAG.SEQUENCE);
  const signatureAlgorithm = parseAlgorithmIdentifier(
    basic.next('signatureAlgorithm', TAG.SEQUENCE),
    'BasicOCSPResponse.signatureAlgorithm',
    code,
  );
  const signature = basic.next('signature', TAG.BIT_STRING).content.subarray(1);
  const certsNode = basic.optionalContext(0);
  const certificates = (certsNode?.children[0]?.children ?? []).map((c) => parseCertificate(c.raw));
  const rd: DerReader = new DerReader(tbsNode, 'BasicOCSPResponse.tbsResponseData', code);
  rd.optionalContext(0);
  let responderName: Name | undefined;
  let responderKeyHash: string | undefined;
  const byName = rd.optionalContext(1);
  if (byName !== undefined)
    responderName = parseName(byName.children[0] ?? byName, `${rd.path}.responderID`, code);
  else {
    const byKey = rd.optionalContext(2);
    if (byKey === undefined) rd.fail('missing responderID');
    responderKeyHash = toHex((byKey.children[0] ?? byKey).content);
  }
  const producedAt = decodeTime(rd.next('producedAt', TAG.GeneralizedTime), `${rd.path}.producedAt`, code);
  const responses = rd
    .next('responses', TAG.SEQUENCE)
    .children.map((s, i) => parseSingle(s, `${rd.path}.responses[${i}]`));
  let nonce: string | undefined;
  const exts = rd.optionalContext(1);
  for (const ext of exts?.children[0]?.children ?? []) {
    const oid = decodeOid(ext.children[0] ?? ext, `${rd.path}.responseExtensions`, code);
    const v = ext.children[ext.children.length - 1];
    if (oid === OID.ocspNonce && v !== undefined) {
      // The nonce value is an OCTET STRING, itself usually wrapping an OCTET STRING.
      let bytes = v.content;
      try {
        const inner = parseDer(bytes, {}, code);
        if (inner.tag === TAG.OCTET_STRING) bytes = inner.content;
      } catch {
        // a raw nonce value
      }
      nonce = toHex(bytes);
    }
  }
  return {
    der,
    responseStatus,
    tbs: tbsNode.raw,
    signatureAlgorithm,
    signature,
    ...(responderName === undefined ? {} : { responderName }),
    ...(responderKeyHash === undefined ? {} : { responderKeyHash }),
    producedAt,
    responses,
    certificates,
    ...(nonce === undefined ? {} : { nonce }),
  };
}

function parseSingle(n: DerNode, path: string): OcspSingleResponse {
  const code = 'SIG_OCSP_INVALID' as const;
  const r: DerReader = new DerReader(n, path, code);
  const id: DerReader = r.child('certID', TAG.SEQUENCE, 'certID');
  const hashAlgorithm = parseAlgorithmIdentifier(
    id.next('hashAlgorithm', TAG.SEQUENCE),
    `${path}.certID.hashAlgorithm`,
    code,
  ).oid;
  const issuerNameHash = toHex(id.next('issuerNameHash', TAG.OCTET_STRING).content);
  const issuerKeyHash = toHex(id.next('issuerKeyHash', TAG.OCTET_STRING).content);
  const serialNumber = integerHex(id.next('serialNumber', TAG.INTEGER));
  const cs = r.next('certStatus');
  let status: OcspSingleResponse['status'];
  let revocationTime: Date | undefined;
  let reason: string | undefined;
  if (cs.cls === 2 && cs.tag === 0) status = 'good';
  else if (cs.cls === 2 && cs.tag === 1) {
    status = 'revoked';
    const t = cs.children[0];
    if (t === undefined) r.fail('revoked status without revocationTime', cs);
    revocationTime = decodeTime(t, `${path}.certStatus.revocationTime`, code);
    const rr = cs.children[1];
    const e = rr?.children[0];
    if (e !== undefined) reason = REASONS[e.content[0] ?? 0] ?? 'unspecified';
  } else if (cs.cls === 2 && cs.tag === 2) status = 'unknown';
  else r.fail('invalid certStatus', cs);
  const thisUpdate = decodeTime(r.next('thisUpdate', TAG.GeneralizedTime), `${path}.thisUpdate`, code);
  const nu = r.optionalContext(0);
  const nextUpdate =
    nu?.children[0] === undefined ? undefined : decodeTime(nu.children[0], `${path}.nextUpdate`, code);
  return {
    serialNumber,
    hashAlgorithm,
    issuerNameHash,
    issuerKeyHash,
    status,
    ...(revocationTime === undefined ? {} : { revocationTime }),
    ...(reason === undefined ? {} : { reason }),
    thisUpdate,
    ...(nextUpdate === undefined ? {} : { nextUpdate }),
  };
}

/** Builds a DER OCSPRequest for `cert` (SHA-1 CertID, as RFC 5019 responders expect), optionally with a nonce. */
export function buildOcspRequest(cert: Certificate, issuer: Certificate, nonce?: Uint8Array): Uint8Array {
  const certId = encodeSequence(
    encodeSequence(encodeOid(OID.sha1), DER_NULL),
    encodeOctetString(createHash('sha1').update(issuer.subject.der).digest()),
    encodeOctetString(createHash('sha1').update(issuer.subjectPublicKey).digest()),
    encodeTlv(0x02, cert.serialBytes),
  );
  const request = encodeSequence(certId);
  const parts = [encodeSequence(request)];
  if (nonce !== undefined) {
    const ext = encodeSequence(encodeOid(OID.ocspNonce), encodeOctetString(encodeOctetString(nonce)));
    parts.push(encodeTlv(0xa2, encodeSequence(ext)));
  }
  return encodeSequence(encodeSequence(...parts));
}

// ------------------------------------------------------------------------------------------------
// Checking

/** Outcome of revocation checking for one certificate. `unknown` is never treated as good. */
export interface RevocationStatus {
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly source?: 'ocsp' | 'crl';
  /** Where the data came from: fetched URL, `supplied` (offline input) or `embedded` (in the signature). */
  readonly origin?: string;
  readonly revocationTime?: Date;
  readonly reason?: string;
  readonly thisUpdate?: Date;
  readonly nextUpdate?: Date;
  readonly producedAt?: Date;
  /** Why sources were rejected or unavailable (English, for diagnostics). */
  readonly problems: readonly string[];
}

export interface RevocationOptions {
  readonly net: NetworkContext;
  /** Validation time used for freshness. */
  readonly time: Date;
  /** Use the network (OCSP, CRL distribution points); `false` = offline, only supplied data. */
  readonly online: boolean;
  /** CRLs supplied by the caller or embedded in the signature (DER or PEM-decoded). */
  readonly crls: readonly Uint8Array[];
  /** OCSP responses supplied by the caller (DER). */
  readonly ocspResponses: readonly Uint8Array[];
  /** Send a nonce in OCSP requests and require it to be echoed when the responder returns one. */
  readonly ocspNonce: boolean;
  /** Reject revocation data older than this (thisUpdate), in seconds; default: use nextUpdate only. */
  readonly maxAgeSeconds?: number;
  readonly random: (n: number) => Uint8Array;
}

function fresh(thisUpdate: Date, nextUpdate: Date | undefined, opts: RevocationOptions): string | undefined {
  const t = opts.time.getTime();
  if (thisUpdate.getTime() > t + 5 * 60_000)
    return `issued in the future (thisUpdate ${thisUpdate.toISOString()})`;
  if (nextUpdate !== undefined && nextUpdate.getTime() < t)
    return `stale (nextUpdate ${nextUpdate.toISOString()})`;
  if (opts.maxAgeSeconds !== undefined && t - thisUpdate.getTime() > opts.maxAgeSeconds * 1000) {
    return `older than ${opts.maxAgeSeconds} s (thisUpdate ${thisUpdate.toISOString()})`;
  }
  return undefined;
}

function checkCrl(
  cert: Certificate,
  issuer: Certificate,
  crl: Crl,
  opts: RevocationOptions,
): RevocationStatus | string {
  if (!namesEqual(crl.issuer, issuer.subject)) return 'CRL issuer does not match the certificate issuer';
  if (crl.isDelta) return 'delta CRLs are not supported';
  if (crl.unknownCriticalExtensions.length > 0)
    return `CRL has unprocessed critical extensions ${crl.unknownCriticalExtensions.join(', ')}`;
  const ok = opts.net.cache.memoVerify(`crl:${fingerprint(crl.der)}:${issuer.fingerprintSha256}`, () => {
    try {
      return verifySignature(
        resolveSignatureScheme(crl.signatureAlgorithm),
        issuer.publicKey,
        crl.tbs,
        crl.signature,
      );
    } catch {
      return false;
    }
  });
  if (!ok) return 'CRL signature does not verify with the issuer key';
  if (issuer.keyUsage !== undefined && !issuer.keyUsage.includes('cRLSign'))
    return 'CRL issuer keyUsage lacks cRLSign';
  if (crl.thisUpdate.getTime() < cert.notBefore.getTime()) {
    return 'CRL was issued before the certificate became valid, so it cannot speak for it';
  }
  const stale = fresh(crl.thisUpdate, crl.nextUpdate, opts);
  if (stale !== undefined) return `CRL ${stale}`;
  const entry = crl.revoked.get(cert.serialNumber);
  const base = {
    source: 'crl' as const,
    thisUpdate: crl.thisUpdate,
    ...(crl.nextUpdate === undefined ? {} : { nextUpdate: crl.nextUpdate }),
    problems: [],
  };
  if (entry === undefined || entry.reason === 'removeFromCRL') return { status: 'good', ...base };
  return {
    status: 'revoked',
    revocationTime: entry.revocationDate,
    ...(entry.reason === undefined ? {} : { reason: entry.reason }),
    ...base,
  };
}

function ocspMatches(s: OcspSingleResponse, cert: Certificate, issuer: Certificate): boolean {
  const digest = DIGEST_BY_OID[s.hashAlgorithm];
  if (digest === undefined) return false;
  return (
    s.serialNumber === cert.serialNumber &&
    s.issuerNameHash === createHash(digest).update(issuer.subject.der).digest('hex') &&
    s.issuerKeyHash === createHash(digest).update(issuer.subjectPublicKey).digest('hex')
  );
}

function checkOcsp(
  cert: Certificate,
  issuer: Certificate,
  resp: OcspResponse,
  opts: RevocationOptions,
  expectedNonce: string | undefined,
): RevocationStatus | string {
  if (resp.responseStatus !== 'successful') return `OCSP responder answered ${resp.responseStatus}`;
  const single = resp.responses.find((s) => ocspMatches(s, cert, issuer));
  if (single === undefined) return 'OCSP response does not cover this certificate';
  if (expectedNonce !== undefined && resp.nonce !== undefined && resp.nonce !== expectedNonce) {
    return 'OCSP nonce does not match the request';
  }
  // Responder authorisation (RFC 6960 §4.2.2.2): the issuer itself, or a certificate it issued with id-kp-OCSPSigning.
  const candidates = [issuer, ...resp.certificates];
  const responder = candidates.find((c) =>
    resp.responderName !== undefined
      ? namesEqual(c.subject, resp.responderName)
      : createHash('sha1').update(c.subjectPublicKey).digest('hex') === resp.responderKeyHash,
  );
  if (responder === undefined) return 'OCSP responder certificate not found';
  const sigOk = opts.net.cache.memoVerify(
    `ocsp:${fingerprint(resp.der)}:${responder.fingerprintSha256}`,
    () => {
      try {
        return (
          resp.signatureAlgorithm !== undefined &&
          resp.tbs !== undefined &&
          resp.signature !== undefined &&
          verifySignature(
            resolveSignatureScheme(resp.signatureAlgorithm),
            responder.publicKey,
            resp.tbs,
            resp.signature,
          )
        );
      } catch {
        return false;
      }
    },
  );
  if (!sigOk) return 'OCSP response signature does not verify';
  if (responder.fingerprintSha256 !== issuer.fingerprintSha256) {
    if (!verifyIssued(responder, issuer, opts.net.cache))
      return 'OCSP responder certificate is not issued by the certificate issuer';
    if (!(responder.extKeyUsage ?? []).includes(OID.ekuOcspSigning)) {
      return 'OCSP responder is not authorised (extKeyUsage lacks id-kp-OCSPSigning)';
    }
    const at = (resp.producedAt ?? opts.time).getTime();
    if (at < responder.notBefore.getTime() || at > responder.notAfter.getTime()) {
      return 'OCSP responder certificate was not valid when the response was produced';
    }
  }
  const stale = fresh(single.thisUpdate, single.nextUpdate, opts);
  if (stale !== undefined) return `OCSP response ${stale}`;
  const base = {
    source: 'ocsp' as const,
    thisUpdate: single.thisUpdate,
    ...(single.nextUpdate === undefined ? {} : { nextUpdate: single.nextUpdate }),
    ...(resp.producedAt === undefined ? {} : { producedAt: resp.producedAt }),
    problems: [],
  };
  if (single.status === 'unknown') return 'OCSP responder does not know the certificate';
  if (single.status === 'good') return { status: 'good', ...base };
  return {
    status: 'revoked',
    ...(single.revocationTime === undefined ? {} : { revocationTime: single.revocationTime }),
    ...(single.reason === undefined ? {} : { reason: single.reason }),
    ...base,
  };
}

function expiryOf(next: Date | undefined): number | undefined {
  return next?.getTime();
}

/**
 * Determines the revocation status of `cert` (issued by `issuer`): supplied OCSP responses, supplied
 * CRLs, then (online) OCSP from AIA and CRLs from the distribution points, with caching. Every source
 * is signature-checked and freshness-checked; if none yields an answer the status is `unknown`.
 */
export async function checkRevocation(
  cert: Certificate,
  issuer: Certificate,
  opts: RevocationOptions,
): Promise<RevocationStatus> {
  const problems: string[] = [];
  const withOrigin = (s: RevocationStatus, origin: string): RevocationStatus => ({ ...s, origin, problems });
  const tryParse = <T>(f: () => T, what: string): T | undefined => {
    try {
      return f();
    } catch (err) {
      problems.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  };
  for (const der of opts.ocspResponses) {
    const resp = tryParse(() => parseOcspResponse(der), 'supplied OCSP response');
    if (resp === undefined) continue;
    if (!resp.responses.some((s) => ocspMatches(s, cert, issuer))) continue;
    const r = checkOcsp(cert, issuer, resp, opts, undefined);
    if (typeof r === 'string') problems.push(`supplied OCSP: ${r}`);
    else return withOrigin(r, 'supplied');
  }
  for (const der of opts.crls) {
    const crl = tryParse(() => parseCrl(der), 'supplied CRL');
    if (crl === undefined || !namesEqual(crl.issuer, issuer.subject)) continue;
    const r = checkCrl(cert, issuer, crl, opts);
    if (typeof r === 'string') problems.push(`supplied CRL: ${r}`);
    else return withOrigin(r, 'supplied');
  }
  if (!opts.online) {
    problems.push('offline: no supplied CRL or OCSP response gives a usable status');
    return { status: 'unknown', problems };
  }
  const now = opts.net.now().getTime();
  for (const url of cert.ocspUrls) {
    const key = `ocsp:${url}:${issuer.fingerprintSha256}:${cert.serialNumber}`;
    let der = opts.net.cache.get(key, now);
    let nonceHex: string | undefined;
    if (der === undefined) {
      const nonce = opts.ocspNonce ? opts.random(16) : undefined;
      nonceHex = nonce === undefined ? undefined : toHex(nonce);
      try {
        der = await fetchBytes(opts.net, url, {
          method: 'POST',
          headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' },
          body: buildOcspRequest(cert, issuer, nonce),
        });
      } catch (err) {
        if (err instanceof SignatureError && err.code === 'SIG_ABORTED') throw err;
        problems.push(`OCSP ${url}: ${err instanceof Error ? err.message : String(err)}`);
        continue;
      }
    }
    const resp = tryParse(() => parseOcspResponse(der), `OCSP ${url}`);
    if (resp === undefined) continue;
    const r = checkOcsp(cert, issuer, resp, opts, nonceHex);
    if (typeof r === 'string') {
      problems.push(`OCSP ${url}: ${r}`);
      continue;
    }
    opts.net.cache.set(key, der, now, expiryOf(r.nextUpdate));
    return withOrigin(r, url);
  }
  for (const url of cert.crlUrls) {
    const key = `crl:${url}`;
    let der = opts.net.cache.get(key, now);
    if (der === undefined) {
      try {
        der = await fetchBytes(opts.net, url);
      } catch (err) {
        if (err instanceof SignatureError && err.code === 'SIG_ABORTED') throw err;
        problems.push(`CRL ${url}: ${err instanceof Error ? err.message : String(err)}`);
        continue;
      }
    }
    const crl = tryParse(() => parseCrl(der), `CRL ${url}`);
    if (crl === undefined) continue;
    const r = checkCrl(cert, issuer, crl, opts);
    if (typeof r === 'string') {
      problems.push(`CRL ${url}: ${r}`);
      continue;
    }
    opts.net.cache.set(key, der, now, expiryOf(crl.nextUpdate));
    return withOrigin(r, url);
  }
  if (cert.ocspUrls.length === 0 && cert.crlUrls.length === 0)
    problems.push('certificate names no OCSP responder or CRL');
  return { status: 'unknown', problems };
}

/** Default nonce source. */
export function defaultRandom(n: number): Uint8Array {
  return new Uint8Array(randomBytes(n));
}

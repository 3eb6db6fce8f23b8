import { createHash } from 'node:crypto';
import {
  digestFromOid,
  resolveSignatureScheme,
  verifySignature,
  type SignatureScheme,
} from './algorithms.js';
import { namesEqual, summarize, type Certificate } from './certificate.js';
import {
  attributeValue,
  parseSignedData,
  parseTstInfo,
  signingCertificateRefs,
  signingTimeOf,
  type SignedData,
  type SignerInfo,
} from './cms.js';
import { decodeOid, toHex } from './der.js';
import { isSignatureError, SignatureError } from './errors.js';
import { loadCertificates, parsePem } from './load.js';
import { embeddedValidationData, ltvReport } from './ltv.js';
import { message, type LocalizedMessage, type MessageId } from './messages.js';
import { ValidationCache, type FetchLike, type NetworkContext } from './net.js';
import { DIGEST_BY_OID, OID, type DigestName } from './oids.js';
import { buildPath, type CertificatePurpose, type PathResult } from './path.js';
import { DEFAULT_POLICY, type ConstraintLevel, type ValidationPolicy } from './policy.js';
import type {
  BuildingBlock,
  CheckStatus,
  Indication,
  ReportCheck,
  RevocationReport,
  SignatureReport,
  SignerReport,
  SubIndication,
  TimestampReport,
  ValidationReport,
} from './report.js';
import { checkRevocation, defaultRandom, type RevocationStatus } from './revocation.js';
import { TrustStore } from './trust-store.js';

/** Options of {@link verifyCms}. All I/O is injected; without `fetch` validation is offline. */
export interface VerifyOptions {
  /** Trust anchors (default: the bundled Vietnamese roots). Build it once and reuse it. */
  readonly trustStore?: TrustStore;
  /** The signed file, for detached signatures. */
  readonly detachedContent?: Uint8Array;
  /** Extra certificates (DER, PEM, .p7b or parsed) offered for signer identification and path building. */
  readonly certificates?: readonly (Certificate | Uint8Array | string)[];
  /** CRLs (DER or PEM) for offline revocation checking. CRLs carried in the signature are used too. */
  readonly crls?: readonly Uint8Array[];
  /** OCSP responses (DER) for offline revocation checking. */
  readonly ocspResponses?: readonly Uint8Array[];
  /** Fetch for AIA, CRL and OCSP. Omit for offline validation. */
  readonly fetch?: FetchLike;
  /** Follow AIA caIssuers to complete chains (default `true` when `fetch` is given). */
  readonly fetchAia?: boolean;
  /** Fetch CRLs/OCSP (default `true` when `fetch` is given). */
  readonly onlineRevocation?: boolean;
  /** Shared cache for downloads (default: a new cache per call). */
  readonly cache?: ValidationCache;
  readonly policy?: ValidationPolicy;
  /** The time to validate at (default `clock()`). */
  readonly validationTime?: Date;
  /** Clock (default `() => new Date()`). */
  readonly clock?: () => Date;
  /** Per-request network timeout in ms (default 10 000). */
  readonly timeoutMs?: number;
  /** Maximum size of a downloaded object (default 10 MiB). */
  readonly maxResponseBytes?: number;
  /** Maximum size of the signature input (default 64 MiB). */
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
  /** Send a nonce with OCSP requests (default `true`). */
  readonly ocspNonce?: boolean;
  /** Random bytes source for nonces (default node:crypto). */
  readonly random?: (n: number) => Uint8Array;
}

/** Shared state of one verification call (CMS, PDF and XML). */
export interface Context {
  readonly opts: VerifyOptions;
  readonly policy: ValidationPolicy;
  readonly trustStore: TrustStore;
  readonly net: NetworkContext;
  readonly time: Date;
  readonly pool: readonly Certificate[];
  readonly crls: readonly Uint8Array[];
  readonly online: boolean;
}

interface Outcome {
  readonly indication: Indication;
  readonly sub?: SubIndication;
  readonly reason: LocalizedMessage;
}

/** Collects the checks of one signature and derives its verdict. */
export class Collector {
  readonly checks: ReportCheck[] = [];
  readonly outcomes: Outcome[] = [];
  add(block: BuildingBlock, id: string, status: CheckStatus, msg: LocalizedMessage): void {
    this.checks.push({ block, id, status, message: msg });
  }
  fail(
    block: BuildingBlock,
    id: string,
    indication: Indication,
    sub: SubIndication,
    msg: LocalizedMessage,
  ): void {
    this.add(block, id, 'FAILED', msg);
    this.outcomes.push({ indication, sub, reason: msg });
  }
  /** Applies a policy level to a violated constraint. */
  constraint(
    level: ConstraintLevel,
    block: BuildingBlock,
    id: string,
    indication: Indication,
    sub: SubIndication,
    msg: LocalizedMessage,
  ): void {
    if (level === 'FAIL') this.fail(block, id, indication, sub, msg);
    else if (level === 'WARN') this.add(block, id, 'WARNING', msg);
    else if (level === 'INFORM') this.add(block, id, 'INFORMATION', msg);
  }
  verdict(): Outcome {
    return (
      this.outcomes.find((o) => o.indication === 'TOTAL_FAILED') ??
      this.outcomes.find((o) => o.indication === 'INDETERMINATE') ?? {
        indication: 'TOTAL_PASSED',
        reason: message('VERDICT_PASSED'),
      }
    );
  }
}

function toCerts(list: VerifyOptions['certificates']): Certificate[] {
  return (list ?? []).flatMap((c) =>
    typeof c === 'string' || c instanceof Uint8Array ? loadCertificates(c) : [c],
  );
}

function findSigner(signer: SignerInfo, pool: readonly Certificate[]): Certificate | undefined {
  const sid = signer.sid;
  return pool.find((c) =>
    sid.kind === 'issuerAndSerial'
      ? c.serialNumber === sid.serialNumber && namesEqual(c.issuer, sid.issuer)
      : c.subjectKeyIdentifier === sid.keyIdentifier,
  );
}

/** Accepts a CRL as DER or as PEM text (`-----BEGIN X509 CRL-----`), as `openssl ca -gencrl` writes it. */
function pemOrDer(bytes: Uint8Array): Uint8Array {
  if (bytes[0] === 0x30) return bytes;
  const block = parsePem(Buffer.from(bytes).toString('latin1')).find((b) => b.label === 'X509 CRL');
  return block?.der ?? bytes;
}

const iso = (d: Date | undefined): string | undefined => d?.toISOString();

/**
 * Verifies every signature of a CMS/PKCS#7 SignedData (attached or detached) and returns an
 * ETSI EN 319 102-1 style report. Never throws for an invalid signature: the report says why.
 * Throws `SignatureError` only for misuse or cancellation (`SIG_ABORTED`).
 */
export async function verifyCms(input: Uint8Array, options: VerifyOptions = {}): Promise<ValidationReport> {
  const clock = options.clock ?? (() => new Date());
  const time = options.validationTime ?? clock();
  const policy = options.policy ?? DEFAULT_POLICY;
  const base = {
    reportVersion: 1 as const,
    format: 'CMS' as const,
    validationTime: time.toISOString(),
    policy: policy.name,
  };
  let sd: SignedData;
  try {
    sd = parseSignedData(input, options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes });
  } catch (err) {
    if (!isSignatureError(err)) throw err;
    return {
      ...base,
      indication: 'TOTAL_FAILED',
      subIndication: 'FORMAT_FAILURE',
      message: message('FORMAT_FAILURE', { detail: err.message }),
      document: { detached: options.detachedContent !== undefined },
      signatures: [],
    };
  }
  const content = sd.content ?? options.detachedContent;
  const signatures = await verifySignedData(sd, content, options, (i) => `S${i}`);
  return {
    ...base,
    ...worstOf(signatures),
    document: {
      detached: sd.content === undefined,
      contentType: sd.contentType,
      ...(content === undefined ? {} : { contentLength: content.length }),
    },
    signatures,
  };
}

/** The report-level verdict: the worst signature (TOTAL_FAILED, then INDETERMINATE), or FORMAT_FAILURE when none. */
export function worstOf(
  signatures: readonly SignatureReport[],
): Pick<ValidationReport, 'indication' | 'subIndication' | 'message'> {
  const worst =
    signatures.find((s) => s.indication === 'TOTAL_FAILED') ??
    signatures.find((s) => s.indication === 'INDETERMINATE') ??
    signatures[0];
  if (worst === undefined) {
    return { indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE', message: message('NO_SIGNER') };
  }
  return {
    indication: worst.indication,
    ...(worst.subIndication === undefined ? {} : { subIndication: worst.subIndication }),
    message: worst.message,
  };
}

/** Verifies every SignerInfo of parsed SignedData over `content` (shared by CMS and PDF verification). */
export async function verifySignedData(
  sd: SignedData,
  content: Uint8Array | undefined,
  options: VerifyOptions,
  idOf: (signerIndex: number) => string,
): Promise<SignatureReport[]> {
  const ctx = createContext(options, sd.certificates, sd.crls);
  const signatures: SignatureReport[] = [];
  for (const signer of sd.signers) {
    const report = await verifySigner(sd, signer, content, ctx, idOf(signer.index));
    signatures.push({ ...report, ltv: ltvReport(report, embeddedValidationData(sd, signer)) });
  }
  return signatures;
}

/** Builds the verification context; `certificates` and `crls` found in the signature come first. */
export function createContext(
  options: VerifyOptions,
  certificates: readonly Certificate[],
  crls: readonly Uint8Array[],
): Context {
  const clock = options.clock ?? (() => new Date());
  const fetchFn = options.fetch;
  const net: NetworkContext = {
    fetch: fetchFn,
    timeoutMs: options.timeoutMs ?? 10_000,
    maxResponseBytes: options.maxResponseBytes ?? 10 * 1024 * 1024,
    signal: options.signal,
    cache: options.cache ?? new ValidationCache(),
    now: clock,
  };
  return {
    opts: options,
    policy: options.policy ?? DEFAULT_POLICY,
    trustStore: options.trustStore ?? new TrustStore(),
    net,
    time: options.validationTime ?? clock(),
    pool: [...certificates, ...toCerts(options.certificates)],
    crls: [...crls, ...(options.crls ?? []).map(pemOrDer)],
    online: fetchFn !== undefined && options.onlineRevocation !== false,
  };
}

function hashHex(digest: DigestName, data: Uint8Array): string {
  return createHash(digest).update(data).digest('hex');
}

/** Checks the signature value (and messageDigest) of one SignerInfo. Returns a message id on failure. */
function checkSignatureValue(
  sd: SignedData,
  signer: SignerInfo,
  cert: Certificate,
  content: Uint8Array,
  scheme: SignatureScheme,
  digest: DigestName,
): { ok: true } | { ok: false; id: MessageId; sub: SubIndication; indication: Indication } {
  const path = `SignedData.signerInfos[${signer.index}].signedAttrs`;
  if (signer.signedAttributes !== undefined && signer.signedAttributesDer !== undefined) {
    const ct = attributeValue(signer.signedAttributes, OID.contentType, `${path}.contentType`);
    if (ct === undefined || decodeOid(ct, `${path}.contentType`, 'SIG_CMS_INVALID') !== sd.contentType) {
      return { ok: false, id: 'CONTENT_TYPE_MISMATCH', sub: 'FORMAT_FAILURE', indication: 'TOTAL_FAILED' };
    }
    const md = attributeValue(signer.signedAttributes, OID.messageDigest, `${path}.messageDigest`);
    if (md === undefined)
      return { ok: false, id: 'HASH_FAILURE', sub: 'FORMAT_FAILURE', indication: 'TOTAL_FAILED' };
    if (toHex(md.content) !== hashHex(digest, content)) {
      return { ok: false, id: 'HASH_FAILURE', sub: 'HASH_FAILURE', indication: 'TOTAL_FAILED' };
    }
    if (!verifySignature(scheme, cert.publicKey, signer.signedAttributesDer, signer.signature)) {
      return { ok: false, id: 'SIG_CRYPTO_FAILURE', sub: 'SIG_CRYPTO_FAILURE', indication: 'TOTAL_FAILED' };
    }
    return { ok: true };
  }
  if (!verifySignature(scheme, cert.publicKey, content, signer.signature)) {
    return { ok: false, id: 'SIG_CRYPTO_FAILURE', sub: 'SIG_CRYPTO_FAILURE', indication: 'TOTAL_FAILED' };
  }
  return { ok: true };
}

/** What a signature report carries besides the checks. */
export type ReportExtra = Partial<
  Pick<SignatureReport, 'signer' | 'signatureAlgorithm' | 'digestAlgorithm' | 'pdf' | 'xml'>
> & {
  chain?: readonly Certificate[];
  revocation?: RevocationReport[];
  timestamps?: TimestampReport[];
  proven?: Date;
};

/** Assembles the report of one signature from its collected checks. */
export function signatureReport(
  c: Collector,
  id: string,
  claimed: Date | undefined,
  extra: ReportExtra = {},
): SignatureReport {
  const v = c.verdict();
  const verdictMsg =
    v.indication === 'TOTAL_PASSED'
      ? message('VERDICT_PASSED')
      : {
          vi: `${message(v.indication === 'TOTAL_FAILED' ? 'VERDICT_FAILED' : 'VERDICT_INDETERMINATE').vi} ${v.reason.vi}`,
          en: `${message(v.indication === 'TOTAL_FAILED' ? 'VERDICT_FAILED' : 'VERDICT_INDETERMINATE').en} ${v.reason.en}`,
        };
  const proven = iso(extra.proven);
  const claimedIso = iso(claimed);
  return {
    id,
    indication: v.indication,
    ...(v.sub === undefined ? {} : { subIndication: v.sub }),
    message: verdictMsg,
    ...(extra.signer === undefined ? {} : { signer: extra.signer }),
    ...(extra.signatureAlgorithm === undefined ? {} : { signatureAlgorithm: extra.signatureAlgorithm }),
    ...(extra.digestAlgorithm === undefined ? {} : { digestAlgorithm: extra.digestAlgorithm }),
    signingTime: {
      ...(claimedIso === undefined ? {} : { claimed: claimedIso }),
      ...(proven === undefined ? {} : { proven, provenBy: 'timestamp' as const }),
    },
    chain: (extra.chain ?? []).map(summarize),
    revocation: extra.revocation ?? [],
    timestamps: extra.timestamps ?? [],
    checks: c.checks,
    ...(extra.pdf === undefined ? {} : { pdf: extra.pdf }),
    ...(extra.xml === undefined ? {} : { xml: extra.xml }),
  };
}

async function verifySigner(
  sd: SignedData,
  signer: SignerInfo,
  content: Uint8Array | undefined,
  ctx: Context,
  id: string,
): Promise<SignatureReport> {
  const c = new Collector();
  let claimed: Date | undefined;
  try {
    claimed = signingTimeOf(signer);
  } catch (err) {
    if (!isSignatureError(err)) throw err;
    c.fail(
      'FC',
      'SIGNING_TIME',
      'TOTAL_FAILED',
      'FORMAT_FAILURE',
      message('FORMAT_FAILURE', { detail: err.message }),
    );
  }
  const finish = (extra: ReportExtra = {}): SignatureReport => signatureReport(c, id, claimed, extra);

  // ISC: identification of the signing certificate.
  const cert = findSigner(signer, ctx.pool);
  if (cert === undefined) {
    c.fail(
      'ISC',
      'SIGNING_CERTIFICATE',
      'INDETERMINATE',
      'NO_SIGNING_CERTIFICATE_FOUND',
      message('SIGNING_CERT_MISSING'),
    );
    return finish();
  }
  c.add('ISC', 'SIGNING_CERTIFICATE', 'PASSED', message('SIGNING_CERT_FOUND'));
  const signerSummary: SignerReport = {
    ...summarize(cert),
    keyAlgorithm: cert.publicKeyInfo.algorithm,
    keySize: cert.publicKeyInfo.bits,
  };
  try {
    const refs = signingCertificateRefs(signer);
    if (refs === undefined) {
      c.constraint(
        ctx.policy.signingCertificateReference,
        'ISC',
        'SIGNING_CERTIFICATE_REFERENCE',
        'INDETERMINATE',
        'NO_SIGNING_CERTIFICATE_FOUND',
        message('SIGNING_CERT_REF_ABSENT'),
      );
    } else {
      const first = refs.ids[0];
      const alg = first === undefined ? undefined : DIGEST_BY_OID[first.hashAlgorithm];
      if (first === undefined || alg === undefined || toHex(first.hash) !== hashHex(alg, cert.der)) {
        c.fail(
          'ISC',
          'SIGNING_CERTIFICATE_REFERENCE',
          'INDETERMINATE',
          'NO_SIGNING_CERTIFICATE_FOUND',
          message('SIGNING_CERT_REF_MISMATCH'),
        );
      } else c.add('ISC', 'SIGNING_CERTIFICATE_REFERENCE', 'PASSED', message('SIGNING_CERT_REF_OK'));
    }
  } catch (err) {
    if (!isSignatureError(err)) throw err;
    c.fail(
      'FC',
      'SIGNING_CERTIFICATE_REFERENCE',
      'TOTAL_FAILED',
      'FORMAT_FAILURE',
      message('FORMAT_FAILURE', { detail: err.message }),
    );
  }

  // CV: cryptographic verification.
  let scheme: SignatureScheme;
  let digest: DigestName;
  try {
    digest = digestFromOid(signer.digestAlgorithm.oid);
    scheme = resolveSignatureScheme(signer.signatureAlgorithm, digest);
  } catch (err) {
    if (!isSignatureError(err)) throw err;
    c.fail(
      'CV',
      'ALGORITHM',
      'INDETERMINATE',
      'CRYPTO_CONSTRAINTS_FAILURE',
      message('ALGORITHM_UNSUPPORTED', { detail: err.message }),
    );
    return finish({ signer: signerSummary });
  }
  const algos = { signer: signerSummary, signatureAlgorithm: scheme.name, digestAlgorithm: digest };
  if (content === undefined) {
    c.fail('CV', 'SIGNED_DATA', 'INDETERMINATE', 'SIGNED_DATA_NOT_FOUND', message('CONTENT_MISSING'));
    return finish(algos);
  }
  let cv: ReturnType<typeof checkSignatureValue>;
  try {
    cv = checkSignatureValue(sd, signer, cert, content, scheme, digest);
  } catch (err) {
    if (!isSignatureError(err)) throw err;
    c.fail(
      'FC',
      'SIGNED_ATTRIBUTES',
      'TOTAL_FAILED',
      'FORMAT_FAILURE',
      message('FORMAT_FAILURE', { detail: err.message }),
    );
    return finish(algos);
  }
  if (!cv.ok) {
    c.fail(
      'CV',
      cv.id === 'HASH_FAILURE' ? 'MESSAGE_DIGEST' : 'SIGNATURE_VALUE',
      cv.indication,
      cv.sub,
      message(cv.id),
    );
    return finish(algos);
  }
  if (signer.signedAttributes !== undefined) c.add('CV', 'MESSAGE_DIGEST', 'PASSED', message('HASH_OK'));
  c.add('CV', 'SIGNATURE_VALUE', 'PASSED', message('SIG_OK'));
  if (claimed === undefined) {
    c.constraint(
      ctx.policy.claimedSigningTime,
      'SAV',
      'CLAIMED_SIGNING_TIME',
      'INDETERMINATE',
      'SIG_CONSTRAINTS_FAILURE',
      message('CLAIMED_TIME_ABSENT'),
    );
  }

  // POE: RFC 3161 timestamps over the signature value.
  const timestamps: TimestampReport[] = [];
  for (const attr of signer.unsignedAttributes.filter((a) => a.oid === OID.timeStampToken)) {
    for (const token of attr.values) timestamps.push(await verifyTimestamp(token.raw, signer.signature, ctx));
  }
  const validTs = timestamps
    .filter((t) => t.valid && t.genTime !== undefined)
    .map((t) => new Date(t.genTime as string));
  const poe = validTs.length === 0 ? undefined : new Date(Math.min(...validTs.map((d) => d.getTime())));
  for (const t of timestamps) {
    if (t.valid) c.add('POE', 'TIMESTAMP', 'PASSED', message('TIMESTAMP_OK', { time: t.genTime ?? '' }));
    else
      c.add('POE', 'TIMESTAMP', 'WARNING', message('TIMESTAMP_INVALID', { detail: t.problems.join('; ') }));
  }
  const ts = { ...algos, timestamps, ...(poe === undefined ? {} : { proven: poe }) };

  const validated = await validateSigner(c, cert, ctx, { claimed, poe, scheme, digest });
  return finish({ ...ts, ...validated });
}

/** What {@link validateSigner} needs to know about the signature. */
export interface SignerFacts {
  readonly claimed: Date | undefined;
  readonly poe: Date | undefined;
  readonly scheme: SignatureScheme;
  readonly digest: DigestName;
  /** Further digests the signature relies on (XML-DSig references), judged like the signature's. */
  readonly otherDigests?: readonly { readonly label: string; readonly digest: DigestName }[];
}

/**
 * X.509 validation of the signing certificate (path to a trust anchor, revocation of every link,
 * validity with proof of existence) and the cryptographic constraints of the policy.
 */
export async function validateSigner(
  c: Collector,
  cert: Certificate,
  ctx: Context,
  facts: SignerFacts,
): Promise<{ chain?: readonly Certificate[]; revocation?: RevocationReport[] }> {
  const { claimed, poe, scheme, digest } = facts;
  // XCV: path building and validation.
  const path = await buildPath(cert, {
    trustStore: ctx.trustStore,
    intermediates: ctx.pool,
    time: ctx.time,
    purpose: 'signing',
    fetchAia: ctx.net.fetch !== undefined && ctx.opts.fetchAia !== false,
    net: ctx.net,
  });
  if (path.status === 'not-found') {
    c.fail('XCV', 'CHAIN', 'INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND', message('NO_CHAIN'));
    return {};
  }
  const anchor = path.chain[path.chain.length - 1] as Certificate;
  c.add('XCV', 'CHAIN', 'PASSED', message('CHAIN_OK', { anchor: anchor.subject.text }));
  applyChainProblems(c, path, ctx);

  // RFC: revocation of every certificate but the anchor.
  const revocation: RevocationReport[] = [];
  const statuses: RevocationStatus[] = [];
  for (let i = 0; i + 1 < path.chain.length; i++) {
    const subject = path.chain[i] as Certificate;
    const st = await checkRevocation(subject, path.chain[i + 1] as Certificate, {
      net: ctx.net,
      time: ctx.time,
      online: ctx.online,
      crls: ctx.crls,
      ocspResponses: ctx.opts.ocspResponses ?? [],
      ocspNonce: ctx.opts.ocspNonce ?? true,
      ...(ctx.policy.revocationMaxAgeSeconds === undefined
        ? {}
        : { maxAgeSeconds: ctx.policy.revocationMaxAgeSeconds }),
      random: ctx.opts.random ?? defaultRandom,
    });
    statuses.push(st);
    revocation.push(revocationReport(subject, st));
    applyRevocation(c, subject, st, i === 0, claimed, poe, ctx);
  }

  // Validity period of the signer at validation time, with POE.
  applyValidity(c, cert, claimed, poe, ctx, statuses[0]);
  applyCaValidity(c, path, poe, ctx);

  // SAV: cryptographic constraints.
  applyCrypto(c, cert, scheme, digest, path, poe ?? ctx.time, ctx, facts.otherDigests ?? []);

  return { chain: path.chain, revocation };
}

function applyChainProblems(c: Collector, path: PathResult, ctx: Context): void {
  for (const p of path.problems) {
    if (p.kind === 'EXPIRED' || p.kind === 'NOT_YET_VALID') continue; // handled with POE below
    if (p.kind === 'SIGNER_KEY_USAGE' || p.kind === 'SIGNER_EXTENDED_KEY_USAGE') {
      c.constraint(
        ctx.policy.signerKeyUsage,
        'XCV',
        'SIGNER_KEY_USAGE',
        'INDETERMINATE',
        'CHAIN_CONSTRAINTS_FAILURE',
        message('SIGNER_KEY_USAGE', { detail: p.detail }),
      );
      continue;
    }
    c.fail(
      'XCV',
      p.kind,
      'INDETERMINATE',
      'CHAIN_CONSTRAINTS_FAILURE',
      message('CHAIN_CONSTRAINT', { index: p.index, detail: p.detail }),
    );
  }
}

function revocationReport(cert: Certificate, st: RevocationStatus): RevocationReport {
  const opt = <K extends string>(k: K, d: Date | undefined) =>
    d === undefined ? {} : { [k]: d.toISOString() };
  return {
    subject: cert.subject.text,
    serialNumber: cert.serialNumber,
    status: st.status,
    ...(st.source === undefined ? {} : { source: st.source }),
    ...(st.origin === undefined ? {} : { origin: st.origin }),
    ...opt('revocationTime', st.revocationTime),
    ...(st.reason === undefined ? {} : { reason: st.reason }),
    ...opt('thisUpdate', st.thisUpdate),
    ...opt('nextUpdate', st.nextUpdate),
    ...opt('producedAt', st.producedAt),
    problems: st.problems,
  };
}

function applyRevocation(
  c: Collector,
  cert: Certificate,
  st: RevocationStatus,
  isSigner: boolean,
  claimed: Date | undefined,
  poe: Date | undefined,
  ctx: Context,
): void {
  const subject = cert.subject.text;
  if (st.status === 'good') {
    c.add(
      'RFC',
      'REVOCATION',
      'PASSED',
      message('REVOCATION_GOOD', { subject, source: st.source === 'ocsp' ? 'OCSP' : 'CRL' }),
    );
    return;
  }
  if (st.status === 'unknown') {
    c.constraint(
      ctx.policy.revocation,
      'RFC',
      'REVOCATION',
      'INDETERMINATE',
      'TRY_LATER',
      message('REVOCATION_UNKNOWN', { subject }),
    );
    return;
  }
  const rt = st.revocationTime ?? ctx.time;
  const date = rt.toISOString();
  if (poe !== undefined && poe.getTime() < rt.getTime()) {
    c.add('RFC', 'REVOCATION', 'WARNING', message('REVOKED_AFTER_POE', { subject, date }));
  } else if (isSigner && claimed !== undefined && claimed.getTime() >= rt.getTime()) {
    c.fail(
      'RFC',
      'REVOCATION',
      'TOTAL_FAILED',
      'REVOKED',
      message('REVOKED_BEFORE_SIGNING', { subject, date }),
    );
  } else {
    c.fail(
      'RFC',
      'REVOCATION',
      'INDETERMINATE',
      isSigner ? 'REVOKED_NO_POE' : 'REVOKED_CA_NO_POE',
      message('REVOKED_NO_POE', { subject, date }),
    );
  }
}

function applyValidity(
  c: Collector,
  cert: Certificate,
  claimed: Date | undefined,
  poe: Date | undefined,
  ctx: Context,
  revocation: RevocationStatus | undefined,
): void {
  const nb = cert.notBefore.getTime();
  const na = cert.notAfter.getTime();
  if (claimed !== undefined && claimed.getTime() > na) {
    c.fail(
      'XCV',
      'SIGNER_VALIDITY',
      'TOTAL_FAILED',
      'EXPIRED',
      message('SIGNED_AFTER_EXPIRY', { time: claimed.toISOString(), date: cert.notAfter.toISOString() }),
    );
    return;
  }
  if ((claimed !== undefined && claimed.getTime() < nb) || ctx.time.getTime() < nb) {
    const time = (claimed ?? ctx.time).toISOString();
    c.fail(
      'XCV',
      'SIGNER_VALIDITY',
      'TOTAL_FAILED',
      'NOT_YET_VALID',
      message('SIGNED_BEFORE_VALIDITY', { time, date: cert.notBefore.toISOString() }),
    );
    return;
  }
  if (ctx.time.getTime() > na && !(poe !== undefined && poe.getTime() <= na)) {
    c.fail(
      'XCV',
      'SIGNER_VALIDITY',
      'INDETERMINATE',
      revocation?.status === 'good' ? 'OUT_OF_BOUNDS_NOT_REVOKED' : 'OUT_OF_BOUNDS_NO_POE',
      message('CERT_EXPIRED', { date: cert.notAfter.toISOString() }),
    );
  }
}

function applyCaValidity(c: Collector, path: PathResult, poe: Date | undefined, ctx: Context): void {
  for (const p of path.problems) {
    if (p.index === 0 || (p.kind !== 'EXPIRED' && p.kind !== 'NOT_YET_VALID')) continue;
    const ca = path.chain[p.index] as Certificate;
    if (p.kind === 'EXPIRED' && poe !== undefined && poe.getTime() <= ca.notAfter.getTime()) continue;
    c.fail(
      'XCV',
      `CA_${p.kind}`,
      'INDETERMINATE',
      'OUT_OF_BOUNDS_NO_POE',
      message('CHAIN_CONSTRAINT', { index: p.index, detail: p.detail }),
    );
  }
  void ctx;
}

function digestAccepted(
  policy: ValidationPolicy,
  digest: DigestName | undefined,
  at: Date,
): string | undefined {
  if (digest === undefined) return undefined;
  const rule = policy.digests[digest];
  if (rule === undefined) return `${digest} is not accepted`;
  if (rule.notAfter !== undefined && at.getTime() > Date.parse(rule.notAfter)) {
    return `${digest} is accepted only for signatures proven before ${rule.notAfter}`;
  }
  return undefined;
}

function keyTooSmall(policy: ValidationPolicy, cert: Certificate): string | undefined {
  const { algorithm, bits } = cert.publicKeyInfo;
  const min = algorithm === 'RSA' ? policy.minKeySize.RSA : algorithm === 'EC' ? policy.minKeySize.EC : 0;
  return bits < min ? `${algorithm} key of ${bits} bits is below ${min} ("${cert.subject.text}")` : undefined;
}

function applyCrypto(
  c: Collector,
  cert: Certificate,
  scheme: SignatureScheme,
  digest: DigestName,
  path: PathResult,
  at: Date,
  ctx: Context,
  otherDigests: readonly { readonly label: string; readonly digest: DigestName }[],
): void {
  const problems: string[] = [];
  const d = digestAccepted(ctx.policy, scheme.digest ?? digest, at);
  if (d !== undefined) problems.push(`signature: ${d}`);
  for (const o of otherDigests) {
    const od = digestAccepted(ctx.policy, o.digest, at);
    if (od !== undefined) problems.push(`${o.label}: ${od}`);
  }
  const k = keyTooSmall(ctx.policy, cert);
  if (k !== undefined) problems.push(k);
  // Certificate signatures are judged at the time the issuer made them (the certificate's notBefore).
  path.chain.slice(0, -1).forEach((cc, i) => {
    try {
      const s = resolveSignatureScheme(cc.signatureAlgorithm);
      const p = digestAccepted(ctx.policy, s.digest, cc.notBefore);
      if (p !== undefined) problems.push(`certificate ${i}: ${p}`);
    } catch (err) {
      problems.push(`certificate ${i}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (i > 0) {
      const kk = keyTooSmall(ctx.policy, cc);
      if (kk !== undefined) problems.push(kk);
    }
  });
  if (problems.length === 0) {
    c.add('SAV', 'CRYPTOGRAPHIC_CONSTRAINTS', 'PASSED', message('CRYPTO_OK'));
    return;
  }
  c.constraint(
    ctx.policy.cryptographic,
    'SAV',
    'CRYPTOGRAPHIC_CONSTRAINTS',
    'INDETERMINATE',
    'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
    message('CRYPTO_CONSTRAINT', { detail: problems.join('; ') }),
  );
}

/** Verifies an RFC 3161 timestamp token over `signatureValue`; the TSA chain is validated at genTime. */
async function verifyTimestamp(
  token: Uint8Array,
  signatureValue: Uint8Array,
  ctx: Context,
): Promise<TimestampReport> {
  const problems: string[] = [];
  try {
    const tsd = parseSignedData(token);
    if (tsd.contentType !== OID.tstInfo || tsd.content === undefined) {
      throw new SignatureError('SIG_TIMESTAMP_INVALID', 'timestamp token does not encapsulate a TSTInfo');
    }
    const tst = parseTstInfo(tsd.content);
    const genTime = tst.genTime.toISOString();
    const imprintDigest = digestFromOid(tst.hashAlgorithm);
    if (toHex(tst.hashedMessage) !== hashHex(imprintDigest, signatureValue)) {
      problems.push('messageImprint does not match the signature value');
    }
    const tsSigner = tsd.signers[0];
    if (tsSigner === undefined || tsd.signers.length !== 1)
      throw new SignatureError('SIG_TIMESTAMP_INVALID', 'timestamp token must have one signer');
    const tsa = findSigner(tsSigner, [...tsd.certificates, ...ctx.pool]);
    if (tsa === undefined) {
      problems.push('TSA certificate not found');
      return { genTime, valid: false, problems };
    }
    const digest = digestFromOid(tsSigner.digestAlgorithm.oid);
    const scheme = resolveSignatureScheme(tsSigner.signatureAlgorithm, digest);
    const cv = checkSignatureValue(tsd, tsSigner, tsa, tsd.content, scheme, digest);
    if (!cv.ok) problems.push(`token signature: ${message(cv.id).en}`);
    const path = await buildPath(tsa, {
      trustStore: ctx.trustStore,
      intermediates: [...tsd.certificates, ...ctx.pool],
      time: tst.genTime,
      purpose: 'timestamping' satisfies CertificatePurpose,
      fetchAia: ctx.net.fetch !== undefined && ctx.opts.fetchAia !== false,
      net: ctx.net,
    });
    if (path.status === 'not-found') problems.push(`TSA: ${path.reason ?? 'no chain'}`);
    for (const p of path.problems) problems.push(`TSA certificate ${p.index}: ${p.detail}`);
    const alg = digestAccepted(ctx.policy, digest, ctx.time);
    if (alg !== undefined) problems.push(`TSA signature: ${alg}`);
    return { genTime, valid: problems.length === 0, tsa: summarize(tsa), problems };
  } catch (err) {
    if (isSignatureError(err) && err.code === 'SIG_ABORTED') throw err;
    if (!isSignatureError(err)) throw err;
    problems.push(err.message);
    return { valid: false, problems };
  }
}

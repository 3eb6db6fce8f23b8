import { parseCertificate, summarize, type Certificate } from '../certificate.js';
import { isSignatureError, type SignatureError } from '../errors.js';
import { message } from '../messages.js';
import { ValidationCache } from '../net.js';
import { DEFAULT_POLICY } from '../policy.js';
import { TrustStore } from '../trust-store.js';
import type {
  SignatureReport,
  SignerReport,
  ValidationReport,
  XmlSignatureReport,
  XmlTrustedElementReport,
} from '../report.js';
import {
  Collector,
  createContext,
  signatureReport,
  validateSigner,
  worstOf,
  type VerifyOptions,
} from '../verify.js';
import {
  contains,
  elementPath,
  localName,
  parseXml,
  selectPath,
  type Document,
  type Element,
  type XmlLimits,
} from './dom.js';
import {
  canonicalSignedInfo,
  findSignatureElements,
  parseSignatureElement,
  processReference,
  SIGNATURE_URIS,
  verifyXmlSignatureValue,
  type ReferenceOutcome,
} from './dsig.js';

/** Options of {@link verifyXml} and {@link verifyEdxml}: those of `verifyCms` plus what to trust. */
export interface XmlVerifyOptions extends Omit<VerifyOptions, 'detachedContent'> {
  /**
   * Paths (local names from the root, `/edXML/edXMLEnvelope/edXMLHeader`) of the elements the caller
   * relies on. Each must exist exactly once and be covered by a valid reference of every signature.
   * Default: the document element (`verifyXml`); the header and the body (`verifyEdxml`).
   */
  readonly trustedElements?: readonly string[];
  /** Limits of the XML guard (depth, tag size); `maxBytes` applies to the whole document. */
  readonly xmlLimits?: Omit<XmlLimits, 'maxBytes'>;
}

/** Per-format defaults: the trusted elements, and for edXML the attachments and the signature's place. */
interface FormatDefaults {
  trusted: string[];
  attachments?: string;
  signatureParent?: string;
}
type Defaults = (doc: Document) => FormatDefaults;

function formatFailure(
  base: Omit<ValidationReport, 'indication' | 'message' | 'document' | 'signatures'>,
  err: SignatureError,
  length: number,
): ValidationReport {
  const guard = err.details?.['guardCode'];
  const code = `${err.code}${typeof guard === 'string' ? ` (${guard})` : ''}`;
  // Messages of the XML guard are bilingual ("English / Tiếng Việt"): each language gets its half.
  const [en, vi] = err.message.split(' / ');
  const msg = (detail: string | undefined) =>
    message('FORMAT_FAILURE', { detail: `${code}: ${detail ?? err.message}` });
  return {
    ...base,
    indication: 'TOTAL_FAILED',
    subIndication: 'FORMAT_FAILURE',
    message: { vi: msg(vi ?? en).vi, en: msg(en).en },
    document: { detached: false, fileLength: length },
    signatures: [],
  };
}

async function verifyDocument(
  input: Uint8Array | string,
  options: XmlVerifyOptions,
  defaults: Defaults,
): Promise<ValidationReport> {
  const clock = options.clock ?? (() => new Date());
  const time = options.validationTime ?? clock();
  const opts: XmlVerifyOptions = {
    ...options,
    validationTime: time,
    cache: options.cache ?? new ValidationCache(),
    trustStore: options.trustStore ?? new TrustStore(),
  };
  const base = {
    reportVersion: 1 as const,
    format: 'XML' as const,
    validationTime: time.toISOString(),
    policy: (options.policy ?? DEFAULT_POLICY).name,
  };
  const length = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  let doc: Document;
  try {
    doc = parseXml(input, {
      ...options.xmlLimits,
      ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    });
  } catch (err) {
    if (!isSignatureError(err)) throw err;
    return formatFailure(base, err, length);
  }
  const root = doc.documentElement as Element;
  const d = defaults(doc);
  const trusted = options.trustedElements ?? d.trusted;
  const sigs = findSignatureElements(doc);
  const signatures: SignatureReport[] = [];
  for (const [i, el] of sigs.entries()) {
    try {
      signatures.push(await verifySignatureElement(doc, el, `S${i}`, opts, trusted, d));
    } catch (err) {
      if (!isSignatureError(err) || err.code === 'SIG_ABORTED') throw err;
      const c = new Collector();
      c.fail(
        'FC',
        'XML_STRUCTURE',
        'TOTAL_FAILED',
        'FORMAT_FAILURE',
        message('FORMAT_FAILURE', { detail: err.message }),
      );
      const xml = {
        signaturePath: elementPath(el),
        references: [],
        coveredElements: [],
        trustedElements: [],
      };
      signatures.push(signatureReport(c, `S${i}`, undefined, { xml }));
    }
  }
  return {
    ...base,
    ...worstOf(signatures),
    document: {
      detached: false,
      fileLength: length,
      signatureFields: sigs.length,
      rootElement: localName(root),
    },
    signatures,
  };
}

/**
 * Verifies every XML-DSig signature (`ds:Signature`) of an XML document: canonicalization, the
 * references and their transforms, the signature value, then the signer's certificate (taken from
 * KeyInfo only as a candidate: the path to a trust anchor, revocation and the policy decide). The
 * report says what each signature covers; the elements of `trustedElements` must be covered.
 * Never throws for a bad document or signature: the report says why.
 */
export function verifyXml(
  input: Uint8Array | string,
  options: XmlVerifyOptions = {},
): Promise<ValidationReport> {
  return verifyDocument(input, options, (doc) => ({
    trusted: [`/${localName(doc.documentElement as Element)}`],
  }));
}

/**
 * Verifies the signatures of an edXML package (QCVN 102:2016). By default the header
 * (`edXMLHeader`) and, when present, the body (`edXMLBody`) must be covered; a warning says when
 * the attachments (`AttachmentEncoded`) are not.
 */
export function verifyEdxml(
  input: Uint8Array | string,
  options: XmlVerifyOptions = {},
): Promise<ValidationReport> {
  return verifyDocument(input, options, (doc) => edxmlDefaults(doc));
}

/** The elements an edXML reader relies on: the header, and the body when there is one. */
export function edxmlDefaults(doc: Document): FormatDefaults {
  const root = doc.documentElement as Element;
  const rootName = localName(root);
  const env = rootName === 'edXMLEnvelope' ? `/${rootName}` : `/${rootName}/edXMLEnvelope`;
  const trusted = [`${env}/edXMLHeader`];
  if (selectPath(doc, `${env}/edXMLBody`).length > 0) trusted.push(`${env}/edXMLBody`);
  const attachments = `/${rootName}/AttachmentEncoded`;
  const signatureParent = `${env}/edXMLHeader`;
  return selectPath(doc, attachments).length > 0
    ? { trusted, attachments, signatureParent }
    : { trusted, signatureParent };
}

function covered(outcomes: readonly ReferenceOutcome[], el: Element): boolean {
  return outcomes.some(
    (o) =>
      o.report.digestValid &&
      o.target !== undefined &&
      contains(o.target, el) &&
      !o.excluded.some((x) => contains(x, el)),
  );
}

async function verifySignatureElement(
  doc: Document,
  el: Element,
  id: string,
  options: XmlVerifyOptions,
  trusted: readonly string[],
  defaults: FormatDefaults,
): Promise<SignatureReport> {
  const c = new Collector();
  const signaturePath = elementPath(el);
  const xmlBase: XmlSignatureReport = {
    signaturePath,
    references: [],
    coveredElements: [],
    trustedElements: [],
  };
  let parsed: ReturnType<typeof parseSignatureElement>;
  let keyInfo: Certificate[];
  try {
    parsed = parseSignatureElement(el);
    keyInfo = parsed.certificates.map((der) => parseCertificate(der));
  } catch (err) {
    if (!isSignatureError(err)) throw err;
    c.fail(
      'FC',
      'XML_STRUCTURE',
      'TOTAL_FAILED',
      'FORMAT_FAILURE',
      message('FORMAT_FAILURE', { detail: err.message }),
    );
    return signatureReport(c, id, undefined, { xml: xmlBase });
  }
  c.add('FC', 'XML_STRUCTURE', 'PASSED', message('FORMAT_OK'));
  const ctx = createContext(options, keyInfo, []);
  const xmlInfo = {
    ...xmlBase,
    signatureMethod: parsed.signatureMethod,
    canonicalization: parsed.canonicalization,
  };
  const alg = SIGNATURE_URIS[parsed.signatureMethod];
  if (alg === undefined) {
    c.fail(
      'CV',
      'ALGORITHM',
      'INDETERMINATE',
      'CRYPTO_CONSTRAINTS_FAILURE',
      message('ALGORITHM_UNSUPPORTED', { detail: parsed.signatureMethod }),
    );
    return signatureReport(c, id, undefined, { xml: xmlInfo });
  }

  // CV (references): dereference, transform, digest.
  const outcomes = parsed.references.map((r) => processReference(doc, el, r));
  for (const o of outcomes) {
    const uri = o.report.uri;
    const detail = o.report.problem ?? '';
    if (o.failure === 'not-found')
      c.fail(
        'CV',
        'REFERENCE',
        'INDETERMINATE',
        'SIGNED_DATA_NOT_FOUND',
        message('XML_REFERENCE_NOT_FOUND', { uri, detail }),
      );
    else if (o.failure === 'ambiguous')
      c.fail(
        'FC',
        'REFERENCE_ID_UNIQUE',
        'TOTAL_FAILED',
        'FORMAT_FAILURE',
        message('XML_REFERENCE_AMBIGUOUS', { detail }),
      );
    else if (o.failure === 'unsupported')
      c.fail(
        'FC',
        'REFERENCE',
        'TOTAL_FAILED',
        'FORMAT_FAILURE',
        message('XML_REFERENCE_UNSUPPORTED', { uri, detail }),
      );
    else if (!o.report.digestValid)
      c.fail(
        'CV',
        'REFERENCE_DIGEST',
        'TOTAL_FAILED',
        'HASH_FAILURE',
        message('XML_REFERENCE_HASH_FAILURE', { uri }),
      );
    else
      c.add(
        'CV',
        'REFERENCE_DIGEST',
        'PASSED',
        message('XML_REFERENCE_OK', { uri, covers: o.report.covers ?? '' }),
      );
  }

  // SAV (scope): what the caller relies on must be what was signed, at the place it is read.
  const trustedReports: XmlTrustedElementReport[] = trusted.map((path) => {
    const matches = selectPath(doc, path);
    const status =
      matches.length === 0
        ? 'missing'
        : matches.length > 1
          ? 'ambiguous'
          : covered(outcomes, matches[0] as Element)
            ? 'covered'
            : 'not-covered';
    return { path, status, matches: matches.length };
  });
  for (const t of trustedReports) {
    const { path } = t;
    if (t.status === 'covered')
      c.add('SAV', 'SIGNED_SCOPE', 'PASSED', message('XML_SCOPE_COVERED', { path }));
    else if (t.status === 'missing')
      c.fail(
        'SAV',
        'SIGNED_SCOPE',
        'INDETERMINATE',
        'SIGNED_DATA_NOT_FOUND',
        message('XML_SCOPE_MISSING', { path }),
      );
    else if (t.status === 'ambiguous')
      c.fail(
        'FC',
        'SIGNED_SCOPE',
        'TOTAL_FAILED',
        'FORMAT_FAILURE',
        message('XML_SCOPE_AMBIGUOUS', { path, count: t.matches }),
      );
    else {
      const name = path
        .split('/')
        .at(-1)
        ?.replace(/\[\d+\]$/, '');
      const moved = outcomes.find(
        (o) => o.target !== undefined && localName(o.target) === name && elementPath(o.target) !== path,
      );
      if (moved?.target !== undefined) {
        c.fail(
          'FC',
          'SIGNED_SCOPE',
          'TOTAL_FAILED',
          'FORMAT_FAILURE',
          message('XML_SIGNED_ELEMENT_MOVED', { path, signed: elementPath(moved.target) }),
        );
      } else
        c.fail(
          'SAV',
          'SIGNED_SCOPE',
          'INDETERMINATE',
          'SIG_CONSTRAINTS_FAILURE',
          message('XML_SCOPE_NOT_COVERED', { path }),
        );
    }
  }
  const { attachments, signatureParent } = defaults;
  if (signatureParent !== undefined && !signaturePath.startsWith(`${signatureParent}/Signature`)) {
    c.add(
      'FC',
      'SIGNATURE_LOCATION',
      'WARNING',
      message('XML_SIGNATURE_LOCATION', { path: signaturePath, expected: signatureParent }),
    );
  }
  if (attachments !== undefined) {
    const att = selectPath(doc, attachments);
    if (att.some((a) => !covered(outcomes, a)))
      c.add(
        'SAV',
        'ATTACHMENTS_SCOPE',
        'WARNING',
        message('XML_ATTACHMENTS_NOT_COVERED', { path: attachments }),
      );
  }
  const xml: XmlSignatureReport = {
    ...xmlInfo,
    references: outcomes.map((o) => o.report),
    coveredElements: outcomes
      .filter((o) => o.report.digestValid && o.report.covers !== undefined)
      .map((o) => o.report.covers as string),
    trustedElements: trustedReports,
  };

  // ISC + CV (signature value): KeyInfo certificates are candidates, never trusted by themselves.
  const data = canonicalSignedInfo(parsed);
  const candidates = ctx.pool;
  const signer = candidates.find((cert) =>
    verifyXmlSignatureValue(alg, cert.publicKey, data, parsed.signatureValue),
  );
  const algos = { signatureAlgorithm: alg.name, digestAlgorithm: alg.digest, xml };
  if (signer === undefined) {
    const claimedSigner = keyInfo.find((k) => k.basicConstraints?.ca !== true) ?? keyInfo[0];
    if (claimedSigner === undefined) {
      c.fail(
        'ISC',
        'SIGNING_CERTIFICATE',
        'INDETERMINATE',
        'NO_SIGNING_CERTIFICATE_FOUND',
        message('SIGNING_CERT_MISSING'),
      );
      return signatureReport(c, id, undefined, algos);
    }
    c.add('ISC', 'SIGNING_CERTIFICATE', 'PASSED', message('SIGNING_CERT_FOUND'));
    c.fail('CV', 'SIGNATURE_VALUE', 'TOTAL_FAILED', 'SIG_CRYPTO_FAILURE', message('SIG_CRYPTO_FAILURE'));
    return signatureReport(c, id, undefined, { ...algos, signer: signerReport(claimedSigner) });
  }
  c.add('ISC', 'SIGNING_CERTIFICATE', 'PASSED', message('SIGNING_CERT_FOUND'));
  c.add('CV', 'SIGNATURE_VALUE', 'PASSED', message('SIG_OK'));
  c.constraint(
    ctx.policy.claimedSigningTime,
    'SAV',
    'CLAIMED_SIGNING_TIME',
    'INDETERMINATE',
    'SIG_CONSTRAINTS_FAILURE',
    message('CLAIMED_TIME_ABSENT'),
  );
  const withSigner = { ...algos, signer: signerReport(signer) };
  if (c.verdict().indication === 'TOTAL_FAILED') return signatureReport(c, id, undefined, withSigner);

  // XCV, RFC, SAV (crypto): the same validation as CMS signatures.
  const validated = await validateSigner(c, signer, ctx, {
    claimed: undefined,
    poe: undefined,
    scheme: { scheme: alg.key, digest: alg.digest, name: alg.name },
    digest: alg.digest,
    otherDigests: outcomes.flatMap((o, i) =>
      o.digest === undefined ? [] : [{ label: `reference ${i} (${o.report.uri})`, digest: o.digest }],
    ),
  });
  return signatureReport(c, id, undefined, { ...withSigner, ...validated });
}

function signerReport(cert: Certificate): SignerReport {
  return { ...summarize(cert), keyAlgorithm: cert.publicKeyInfo.algorithm, keySize: cert.publicKeyInfo.bits };
}

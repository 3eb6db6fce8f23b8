import type { CertificateSummary } from './certificate.js';
import type { LocalizedMessage } from './messages.js';
import type { PdfChangeKind } from './pdf-changes.js';

/** ETSI EN 319 102-1 main indication. */
export type Indication = 'TOTAL_PASSED' | 'TOTAL_FAILED' | 'INDETERMINATE';

/** ETSI EN 319 102-1 sub-indications. */
export type SubIndication =
  | 'FORMAT_FAILURE'
  | 'HASH_FAILURE'
  | 'SIG_CRYPTO_FAILURE'
  | 'REVOKED'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'SIG_CONSTRAINTS_FAILURE'
  | 'CHAIN_CONSTRAINTS_FAILURE'
  | 'CERTIFICATE_CHAIN_GENERAL_FAILURE'
  | 'CRYPTO_CONSTRAINTS_FAILURE'
  | 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE'
  | 'POLICY_PROCESSING_ERROR'
  | 'SIGNATURE_POLICY_NOT_AVAILABLE'
  | 'TIMESTAMP_ORDER_FAILURE'
  | 'NO_SIGNING_CERTIFICATE_FOUND'
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'REVOKED_NO_POE'
  | 'REVOKED_CA_NO_POE'
  | 'OUT_OF_BOUNDS_NO_POE'
  | 'OUT_OF_BOUNDS_NOT_REVOKED'
  | 'NO_POE'
  | 'TRY_LATER'
  | 'SIGNED_DATA_NOT_FOUND';

/**
 * Building blocks of EN 319 102-1: format checking, identification of the signing certificate,
 * cryptographic verification, X.509 certificate validation, revocation freshness, signature
 * acceptance validation, proof of existence (timestamps).
 */
export type BuildingBlock = 'FC' | 'ISC' | 'CV' | 'XCV' | 'RFC' | 'SAV' | 'POE';

export type CheckStatus = 'PASSED' | 'FAILED' | 'WARNING' | 'INFORMATION';

export interface ReportCheck {
  readonly block: BuildingBlock;
  /** Stable check identifier, e.g. `MESSAGE_DIGEST`, `SIGNATURE_VALUE`, `CHAIN`, `REVOCATION`. */
  readonly id: string;
  readonly status: CheckStatus;
  readonly message: LocalizedMessage;
}

export interface RevocationReport {
  readonly subject: string;
  readonly serialNumber: string;
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly source?: 'ocsp' | 'crl';
  readonly origin?: string;
  readonly revocationTime?: string;
  readonly reason?: string;
  readonly thisUpdate?: string;
  readonly nextUpdate?: string;
  readonly producedAt?: string;
  readonly problems: readonly string[];
}

export interface TimestampReport {
  readonly genTime?: string;
  readonly valid: boolean;
  readonly tsa?: CertificateSummary;
  readonly problems: readonly string[];
}

/** Long-term validation hints: which timestamps and validation data the signature embeds. */
export interface LtvReport {
  /** Baseline level reached by the embedded data (a hint, not a conformance check). */
  readonly level: 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';
  /** A valid RFC 3161 timestamp over the signature value. */
  readonly signatureTimestamp: boolean;
  /** PDF: a document timestamp in a later revision. */
  readonly documentTimestamp?: boolean;
  /**
   * Where revocation data is embedded: `cms-crls` (SignedData `crls`), `adbe-revocation-info` (Adobe's
   * signed attribute), `cades-revocation-values` (CAdES unsigned attribute), `pdf-dss` (a PDF DSS
   * dictionary in the signature's revision or later).
   */
  readonly revocationData: readonly (
    'cms-crls' | 'adbe-revocation-info' | 'cades-revocation-values' | 'pdf-dss'
  )[];
  /** A CAdES archive timestamp, or (PDF) a document timestamp after the DSS. */
  readonly archiveTimestamp: boolean;
}

export interface SignerReport extends CertificateSummary {
  readonly keyAlgorithm: string;
  readonly keySize: number;
}

export interface SignatureReport {
  /** `S0`, `S1`, ... in SignerInfo order. */
  readonly id: string;
  readonly indication: Indication;
  readonly subIndication?: SubIndication;
  /** One-line verdict with the main reason. */
  readonly message: LocalizedMessage;
  readonly signer?: SignerReport;
  readonly signatureAlgorithm?: string;
  readonly digestAlgorithm?: string;
  readonly signingTime: {
    /** Time claimed by the signer (signingTime attribute). */
    readonly claimed?: string;
    /** Earliest time proven by a valid timestamp. */
    readonly proven?: string;
    readonly provenBy?: 'timestamp';
  };
  /** Certificates from the signer (first) to the trust anchor (last). */
  readonly chain: readonly CertificateSummary[];
  readonly revocation: readonly RevocationReport[];
  readonly timestamps: readonly TimestampReport[];
  readonly checks: readonly ReportCheck[];
  /** For PDF signatures: what the signature covers in the file. */
  readonly pdf?: PdfSignatureReport;
  /** For XML signatures: the references and what they cover. */
  readonly xml?: XmlSignatureReport;
  /** CMS and PDF signatures: long-term validation hints. */
  readonly ltv?: LtvReport;
}

/** One `ds:Reference` of an XML signature. */
export interface XmlReferenceReport {
  /** The `URI` attribute as written (`""`, `#id`). */
  readonly uri: string;
  readonly digestAlgorithm?: string;
  /** Transform algorithm URIs, in order. */
  readonly transforms: readonly string[];
  /** Path of the element whose subtree the reference signs (the document element for `URI=""`). */
  readonly covers?: string;
  /** Subtrees left out of what is signed (the enveloped signature itself). */
  readonly excludes: readonly string[];
  readonly digestValid: boolean;
  /** Why the reference could not be processed, when it could not. */
  readonly problem?: string;
}

/** Whether an element the caller trusts is covered by the signature. */
export interface XmlTrustedElementReport {
  readonly path: string;
  /**
   * `covered`: exactly one element has this path and a valid reference signs it; `not-covered`: it
   * exists but no valid reference signs it; `missing`: no element has this path; `ambiguous`: several
   * elements have it (a duplicated, possibly wrapped element).
   */
  readonly status: 'covered' | 'not-covered' | 'missing' | 'ambiguous';
  readonly matches: number;
}

/** What an XML signature signs (anti-wrapping: compare with the elements you rely on). */
export interface XmlSignatureReport {
  /** Path of the `Signature` element, e.g. `/edXML/edXMLEnvelope/edXMLHeader/Signature`. */
  readonly signaturePath: string;
  readonly signatureMethod?: string;
  readonly canonicalization?: string;
  readonly references: readonly XmlReferenceReport[];
  /** Paths of the subtrees signed by references whose digest matches. */
  readonly coveredElements: readonly string[];
  readonly trustedElements: readonly XmlTrustedElementReport[];
}

export interface PdfSignatureReport {
  /** `/ByteRange` as found: [offset1, length1, offset2, length2]. */
  readonly byteRange: readonly [number, number, number, number];
  /** `/SubFilter` of the signature dictionary, e.g. `adbe.pkcs7.detached`, `ETSI.CAdES.detached`. */
  readonly subFilter?: string;
  /** Length of the signed revision (offset2 + length2). */
  readonly signedLength: number;
  /** 1-based revision of the file the signature signs (revisions end with `%%EOF`). */
  readonly revision?: number;
  /** DocMDP permission level when this is a certification signature: 1 no changes, 2 form filling and signing, 3 also annotations. */
  readonly docMdpPermissions?: 1 | 2 | 3;
  /** True when bytes were appended after the signed revision (incremental updates). */
  readonly modifiedAfterSigning: boolean;
  /** True when every appended revision is itself covered by a later signature. */
  readonly laterChangesSigned: boolean;
  /** What the incremental updates after the signature changed, when it was modified. */
  readonly changes?: readonly PdfChangeReport[];
}

/** One change made by an incremental update after a PDF signature. */
export interface PdfChangeReport {
  readonly revision: number;
  /** `N G` of the changed object. */
  readonly object?: string;
  /**
   * `signature`, `timestamp`, `validation-data` (DSS), `form-fill`, `annotation`, `appearance` (new
   * objects only referenced by the others), `metadata` (the Info dictionary), `other` (any other
   * change: page content, pages, catalog) or `unparsed` (an update that could not be read).
   */
  readonly kind: PdfChangeKind;
  /** Permitted after this signature (by the DocMDP level of the certification signature, if any). */
  readonly allowed: boolean;
  /** English detail. */
  readonly detail: string;
}

/** The JSON validation report (schema: specs/schemas/validation-report.schema.json). */
export interface ValidationReport {
  readonly reportVersion: 1;
  readonly format: 'CMS' | 'PDF' | 'XML';
  /** ISO 8601 instant the validation was performed for. */
  readonly validationTime: string;
  readonly policy: string;
  /** Worst indication over all signatures (TOTAL_FAILED when the file itself is unreadable). */
  readonly indication: Indication;
  readonly subIndication?: SubIndication;
  readonly message: LocalizedMessage;
  readonly document: {
    readonly detached: boolean;
    /** PDF and XML: file size in bytes and number of signature dictionaries / Signature elements found. */
    readonly fileLength?: number;
    readonly signatureFields?: number;
    /** PDF: number of revisions (the original file and each incremental update). */
    readonly revisions?: number;
    /** XML: local name of the document element (`edXML`). */
    readonly rootElement?: string;
    readonly contentType?: string;
    readonly contentLength?: number;
  };
  readonly signatures: readonly SignatureReport[];
}

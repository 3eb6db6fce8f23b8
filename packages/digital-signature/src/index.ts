export { SignatureError, isSignatureError, type SignatureErrorCode } from './errors.js';
export { VERSION } from './version.js';
export { parseDer, type DerNode, type DerLimits } from './der.js';
export {
  parseCertificate,
  parseName,
  nameAttribute,
  namesEqual,
  fingerprint,
  summarize,
  type Certificate,
  type CertificateSummary,
  type Name,
  type NameAttribute,
  type Extension,
  type KeyUsageBit,
  type AuthorityKeyIdentifier,
  type PublicKeyInfo,
} from './certificate.js';
export { loadCertificates, parsePem, type PemBlock } from './load.js';
export {
  parseSignedData,
  parseTstInfo,
  signingTimeOf,
  type SignedData,
  type SignerInfo,
  type SignerIdentifier,
  type Attribute,
  type TstInfo,
  type CmsParseOptions,
} from './cms.js';
export { type AlgorithmIdentifier, type SignatureScheme } from './algorithms.js';
export { type DigestName } from './oids.js';
export {
  TrustStore,
  bundledVietnameseCertificates,
  type TrustStoreOptions,
  type TrustAnchor,
  type AnchorSource,
  type BundledCertificate,
} from './trust-store.js';
export { ValidationCache, type FetchLike } from './net.js';
export {
  buildPath,
  checkPath,
  verifyIssued,
  type PathResult,
  type ChainProblem,
  type CertificatePurpose,
  type BuildPathOptions,
} from './path.js';
export {
  parseCrl,
  parseOcspResponse,
  buildOcspRequest,
  checkRevocation,
  type Crl,
  type RevokedEntry,
  type OcspResponse,
  type OcspSingleResponse,
  type RevocationStatus,
  type RevocationOptions,
} from './revocation.js';
export {
  DEFAULT_POLICY,
  definePolicy,
  type ValidationPolicy,
  type ConstraintLevel,
  type AlgorithmRule,
} from './policy.js';
export { type LocalizedMessage } from './messages.js';
export type {
  ValidationReport,
  SignatureReport,
  SignerReport,
  Indication,
  SubIndication,
  BuildingBlock,
  CheckStatus,
  ReportCheck,
  RevocationReport,
  TimestampReport,
} from './report.js';
export { verifyCms, type VerifyOptions } from './verify.js';
export { createCms, type CmsSignOptions } from './cms-sign.js';
export { verifyPdf, findPdfSignatures, type PdfSignatureField } from './pdf.js';
export type {
  PdfSignatureReport,
  PdfChangeReport,
  LtvReport,
  XmlSignatureReport,
  XmlReferenceReport,
  XmlTrustedElementReport,
} from './report.js';
export { verifyXml, verifyEdxml, type XmlVerifyOptions } from './xml/verify-xml.js';
export { signXml, signEdxml, type XmlSignOptions, type XmlSigningAlgorithm } from './xml/sign.js';
export { canonicalize, C14N, type C14nAlgorithm, type C14nOptions } from './xml/c14n.js';
export { runCli, formatReport, CLI_USAGE, type CliIo } from './cli-core.js';

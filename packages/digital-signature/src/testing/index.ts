/**
 * `@dttm/digital-signature/testing`: a test PKI made with node:crypto (no openssl) — certificates,
 * CRLs, OCSP responses and a loopback server for AIA, CRL and OCSP.
 */
export {
  TestPki,
  createP7b,
  encodeName,
  toPem,
  type TestPkiOptions,
  type TestCertificate,
  type TestName,
  type TestKeyType,
  type TestDigest,
  type TestExtension,
  type IssueOptions,
  type CrlOptions,
  type CrlReason,
  type RevocationEntry,
  type OcspCertStatus,
  type OcspResponseOptions,
  type TimestampOptions,
} from './pki.js';
export { TestPkiServer, type TestPkiServerOptions } from './server.js';
export { createTestHierarchy, type TestHierarchy, type TestHierarchyOptions } from './hierarchy.js';

import type { DigestName } from './oids.js';

/** How a violated constraint affects the result (ETSI EN 319 102-1 / DSS policy levels). */
export type ConstraintLevel = 'FAIL' | 'WARN' | 'INFORM' | 'IGNORE';

/** Acceptance of one digest algorithm. */
export interface AlgorithmRule {
  /**
   * ISO 8601 instant after which the algorithm is no longer accepted: signatures must be proven
   * (by a timestamp) to exist before it. Omit for "accepted without limit".
   */
  readonly notAfter?: string;
}

/** A validation policy: which constraints apply and how strictly. */
export interface ValidationPolicy {
  readonly name: string;
  /** Digest algorithms accepted for signatures and certificates; an absent algorithm is refused. */
  readonly digests: Readonly<Partial<Record<DigestName, AlgorithmRule>>>;
  /** Minimum public key sizes in bits. */
  readonly minKeySize: { readonly RSA: number; readonly EC: number };
  /** Level for algorithm and key-size constraints. */
  readonly cryptographic: ConstraintLevel;
  /** Level when the revocation status of a certificate in the chain is unknown. */
  readonly revocation: ConstraintLevel;
  /** Reject revocation data older than this many seconds (default: rely on nextUpdate). */
  readonly revocationMaxAgeSeconds?: number;
  /** Level for keyUsage/extKeyUsage of the signing certificate. */
  readonly signerKeyUsage: ConstraintLevel;
  /** Level when the signingCertificate(V2) attribute is absent. */
  readonly signingCertificateReference: ConstraintLevel;
  /** Level when no claimed signing time (signingTime attribute) is present. */
  readonly claimedSigningTime: ConstraintLevel;
  /** PDF: level when bytes not covered by any later signature were appended after a signature. */
  readonly pdfChangesAfterSigning: ConstraintLevel;
}

/**
 * The default policy, following Thông tư 15/2025/TT-BKHCN: SHA-256 and stronger; SHA-1 only for
 * signatures proven to exist before 2020-01-01; RSA ≥ 2048 bits, ECDSA ≥ 256 bits; revocation
 * status required (unknown ⇒ INDETERMINATE/TRY_LATER).
 */
export const DEFAULT_POLICY: ValidationPolicy = {
  name: 'dttm-default-2025',
  digests: {
    sha1: { notAfter: '2020-01-01T00:00:00Z' },
    sha224: { notAfter: '2024-01-01T00:00:00Z' },
    sha256: {},
    sha384: {},
    sha512: {},
    'sha3-256': {},
    'sha3-384': {},
    'sha3-512': {},
  },
  minKeySize: { RSA: 2048, EC: 256 },
  cryptographic: 'FAIL',
  revocation: 'FAIL',
  signerKeyUsage: 'FAIL',
  signingCertificateReference: 'WARN',
  claimedSigningTime: 'INFORM',
  pdfChangesAfterSigning: 'FAIL',
};

/** Builds a policy from the default with some fields replaced. */
export function definePolicy(
  overrides: Partial<ValidationPolicy> & { readonly name: string },
): ValidationPolicy {
  return { ...DEFAULT_POLICY, ...overrides };
}

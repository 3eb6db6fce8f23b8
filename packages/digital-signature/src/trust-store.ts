import { parseCertificate, type Certificate } from './certificate.js';
import { SignatureError } from './errors.js';
import { loadCertificates } from './load.js';
import { VN_BUNDLED_CERTIFICATES, type BundledCertificate } from './trust-anchors/vn.generated.js';

export type { BundledCertificate };

/** Where an anchor came from. */
export type AnchorSource = 'bundled-vn' | 'user';

export interface TrustAnchor {
  readonly certificate: Certificate;
  readonly source: AnchorSource;
  /** Identifier of a bundled anchor (file name), or the certificate's CN for user anchors. */
  readonly id: string;
}

export interface TrustStoreOptions {
  /**
   * Include the Vietnamese roots shipped with the package (National Root CA G2 and G3, the
   * government RootCA G2). Default `true`.
   */
  readonly includeVietnameseRoots?: boolean;
  /**
   * Also use the shipped Vietnamese intermediates (VNPT-CA SHA2, CA phục vụ các cơ quan Nhà nước G2)
   * for path building. They are not trust anchors. Default `true`.
   */
  readonly includeVietnameseIntermediates?: boolean;
  /** Additional anchors: parsed certificates, or DER/PEM/.p7b input (e.g. a file read at runtime). */
  readonly anchors?: readonly (Certificate | Uint8Array | string)[];
  /** Additional intermediates offered to path building. */
  readonly intermediates?: readonly (Certificate | Uint8Array | string)[];
}

/** The Vietnamese certificates shipped with this package, with their pinned SHA-256 fingerprints. */
export function bundledVietnameseCertificates(): readonly BundledCertificate[] {
  return VN_BUNDLED_CERTIFICATES;
}

function toCertificates(input: Certificate | Uint8Array | string): Certificate[] {
  if (typeof input === 'string' || input instanceof Uint8Array) return loadCertificates(input);
  return [input];
}

/**
 * An immutable set of trust anchors plus known intermediates. Build a new store to update it
 * (e.g. from a PEM bundle downloaded by the application): no code change or release is needed
 * when a root is added, such as the 2025 root of the Ministry of Science and Technology.
 */
export class TrustStore {
  readonly anchors: readonly TrustAnchor[];
  readonly intermediates: readonly Certificate[];
  private readonly byFingerprint: ReadonlySet<string>;

  constructor(options: TrustStoreOptions = {}) {
    const anchors: TrustAnchor[] = [];
    const intermediates: Certificate[] = [];
    for (const b of VN_BUNDLED_CERTIFICATES) {
      if (b.role === 'root' && options.includeVietnameseRoots !== false) {
        anchors.push({ certificate: parseCertificate(loadDer(b.pem)), source: 'bundled-vn', id: b.id });
      }
      if (b.role === 'intermediate' && options.includeVietnameseIntermediates !== false) {
        intermediates.push(parseCertificate(loadDer(b.pem)));
      }
    }
    for (const input of options.anchors ?? []) {
      for (const cert of toCertificates(input)) {
        if (cert.version >= 3 && cert.basicConstraints?.ca !== true) {
          throw new SignatureError(
            'SIG_TRUST_ANCHOR_INVALID',
            `trust anchor "${cert.subject.text}" is not a CA certificate (basicConstraints cA is not set)`,
            { details: { subject: cert.subject.text, fingerprintSha256: cert.fingerprintSha256 } },
          );
        }
        const cn = cert.subject.attributes.find((a) => a.type === 'CN')?.value ?? cert.subject.text;
        anchors.push({ certificate: cert, source: 'user', id: cn });
      }
    }
    for (const input of options.intermediates ?? []) intermediates.push(...toCertificates(input));
    const seen = new Set<string>();
    this.anchors = anchors.filter(
      (a) => !seen.has(a.certificate.fingerprintSha256) && seen.add(a.certificate.fingerprintSha256),
    );
    this.intermediates = intermediates;
    this.byFingerprint = seen;
  }

  /** True when the certificate (by SHA-256 fingerprint) is one of the anchors. */
  isAnchor(cert: Certificate): boolean {
    return this.byFingerprint.has(cert.fingerprintSha256);
  }
}

function loadDer(pem: string): Uint8Array {
  const c = loadCertificates(pem)[0];
  if (c === undefined) throw new SignatureError('SIG_PEM_INVALID', 'bundled PEM holds no certificate');
  return c.der;
}

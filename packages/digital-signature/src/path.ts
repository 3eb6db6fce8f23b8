import { resolveSignatureScheme, verifySignature } from './algorithms.js';
import { isSelfIssued, namesEqual, type Certificate } from './certificate.js';
import { SignatureError } from './errors.js';
import { loadCertificates } from './load.js';
import { fetchBytes, type NetworkContext, type ValidationCache } from './net.js';
import { OID } from './oids.js';
import type { TrustStore } from './trust-store.js';

/** What the end-entity certificate must be good for. */
export type CertificatePurpose = 'signing' | 'timestamping' | 'ocsp-signing';

/** A constraint violated by a certificate of a built path. */
export interface ChainProblem {
  readonly kind:
    | 'EXPIRED'
    | 'NOT_YET_VALID'
    | 'NOT_A_CA'
    | 'CA_KEY_USAGE'
    | 'PATH_LENGTH'
    | 'UNKNOWN_CRITICAL_EXTENSION'
    | 'SIGNER_KEY_USAGE'
    | 'SIGNER_EXTENDED_KEY_USAGE';
  /** Index in the chain (0 = end entity). */
  readonly index: number;
  readonly detail: string;
}

export interface PathResult {
  /** `found` when a path to an anchor whose every link verifies was built. */
  readonly status: 'found' | 'not-found';
  /** End entity first, trust anchor last (empty when not found). */
  readonly chain: readonly Certificate[];
  /** Constraint violations on the found path (empty = valid at the given time). */
  readonly problems: readonly ChainProblem[];
  /** URLs fetched through AIA while building. */
  readonly fetched: readonly string[];
  /** Why no path was found, when not found. */
  readonly reason?: string;
}

export interface BuildPathOptions {
  readonly trustStore: TrustStore;
  /** Extra candidate intermediates (e.g. certificates carried in the signature). */
  readonly intermediates?: readonly Certificate[];
  /** Validation time for the validity-period checks. */
  readonly time: Date;
  readonly purpose: CertificatePurpose;
  /** Follow AIA caIssuers (DER certificate or .p7b) through `net.fetch`. */
  readonly fetchAia: boolean;
  readonly net: NetworkContext;
  /** Maximum path length including anchor (default 10). */
  readonly maxDepth?: number;
  /** Maximum number of partial paths explored (default 500). */
  readonly maxSteps?: number;
}

/** True when `issuer` could have issued `cert` (names, key identifiers) and the signature verifies with node:crypto. */
export function verifyIssued(cert: Certificate, issuer: Certificate, cache?: ValidationCache): boolean {
  if (!namesEqual(cert.issuer, issuer.subject)) return false;
  const aki = cert.authorityKeyIdentifier?.keyIdentifier;
  if (aki !== undefined && issuer.subjectKeyIdentifier !== undefined && aki !== issuer.subjectKeyIdentifier)
    return false;
  const check = (): boolean => {
    try {
      return verifySignature(
        resolveSignatureScheme(cert.signatureAlgorithm),
        issuer.publicKey,
        cert.tbs,
        cert.signature,
      );
    } catch {
      return false;
    }
  };
  return cache === undefined
    ? check()
    : cache.memoVerify(`cert:${cert.fingerprintSha256}:${issuer.fingerprintSha256}`, check);
}

async function fetchAiaCertificates(url: string, net: NetworkContext): Promise<Certificate[]> {
  const key = `aia:${url}`;
  const now = net.now().getTime();
  let bytes = net.cache.get(key, now);
  if (bytes === undefined) {
    bytes = await fetchBytes(net, url);
    net.cache.set(key, bytes, now);
  }
  return loadCertificates(bytes);
}

/**
 * Builds a certification path from `leaf` to an anchor of the trust store (RFC 5280 §6 essentials),
 * verifying every link's signature with node:crypto, then checks validity at `time`,
 * basicConstraints, pathLen, keyUsage and unknown critical extensions on the path.
 */
export async function buildPath(leaf: Certificate, options: BuildPathOptions): Promise<PathResult> {
  const maxDepth = options.maxDepth ?? 10;
  const pool: Certificate[] = [...(options.intermediates ?? []), ...options.trustStore.intermediates];
  const fetched: string[] = [];
  const fetchedUrls = new Set<string>();
  let lastFetchError: SignatureError | undefined;

  const candidates = (cert: Certificate): Certificate[] => {
    const out: Certificate[] = [];
    const seen = new Set<string>();
    for (const c of pool) {
      if (seen.has(c.fingerprintSha256) || c.fingerprintSha256 === cert.fingerprintSha256) continue;
      seen.add(c.fingerprintSha256);
      if (verifyIssued(cert, c, options.net.cache)) out.push(c);
    }
    return out;
  };
  const anchorFor = (cert: Certificate): Certificate | undefined => {
    if (options.trustStore.isAnchor(cert)) return cert;
    return options.trustStore.anchors
      .map((a) => a.certificate)
      .find((a) => verifyIssued(cert, a, options.net.cache));
  };

  // Bounds the depth-first search so crafted certificate sets cannot make it explode.
  let budget = options.maxSteps ?? 500;
  const search = async (path: Certificate[]): Promise<Certificate[] | undefined> => {
    if (--budget < 0) return undefined;
    const cur = path[path.length - 1] as Certificate;
    const anchor = anchorFor(cur);
    if (anchor !== undefined) return anchor === cur ? path : [...path, anchor];
    if (path.length >= maxDepth) return undefined;
    let next = candidates(cur).filter((c) => !path.some((p) => p.fingerprintSha256 === c.fingerprintSha256));
    if (next.length === 0 && options.fetchAia) {
      for (const url of cur.caIssuers) {
        if (fetchedUrls.has(url)) continue;
        fetchedUrls.add(url);
        try {
          const certs = await fetchAiaCertificates(url, options.net);
          fetched.push(url);
          pool.push(...certs);
        } catch (err) {
          if (err instanceof SignatureError && err.code === 'SIG_ABORTED') throw err;
          if (err instanceof SignatureError) lastFetchError = err;
        }
      }
      next = candidates(cur).filter((c) => !path.some((p) => p.fingerprintSha256 === c.fingerprintSha256));
    }
    for (const c of next) {
      const found = await search([...path, c]);
      if (found !== undefined) return found;
    }
    return undefined;
  };

  const chain = await search([leaf]);
  if (chain === undefined) {
    return {
      status: 'not-found',
      chain: [],
      problems: [],
      fetched,
      reason:
        lastFetchError === undefined
          ? `no path from "${leaf.subject.text}" to a configured trust anchor`
          : `no path to a trust anchor; AIA fetch failed: ${lastFetchError.message}`,
    };
  }
  return { status: 'found', chain, problems: checkPath(chain, options.time, options.purpose), fetched };
}

const EKU_FOR: Readonly<Record<CertificatePurpose, string | undefined>> = {
  signing: undefined,
  timestamping: OID.ekuTimeStamping,
  'ocsp-signing': OID.ekuOcspSigning,
};

/** Checks the RFC 5280 constraints on a built path (end entity first, anchor last). */
export function checkPath(
  chain: readonly Certificate[],
  time: Date,
  purpose: CertificatePurpose,
): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const t = time.getTime();
  const last = chain.length - 1;
  chain.forEach((cert, i) => {
    if (t < cert.notBefore.getTime()) {
      problems.push({
        kind: 'NOT_YET_VALID',
        index: i,
        detail: `valid from ${cert.notBefore.toISOString()}`,
      });
    }
    if (t > cert.notAfter.getTime()) {
      problems.push({ kind: 'EXPIRED', index: i, detail: `expired ${cert.notAfter.toISOString()}` });
    }
    if (i !== last && cert.unknownCriticalExtensions.length > 0) {
      problems.push({
        kind: 'UNKNOWN_CRITICAL_EXTENSION',
        index: i,
        detail: `unprocessed critical extension(s) ${cert.unknownCriticalExtensions.join(', ')}`,
      });
    }
    if (i > 0) {
      if (cert.version >= 3 && cert.basicConstraints?.ca !== true) {
        problems.push({
          kind: 'NOT_A_CA',
          index: i,
          detail: 'issuer certificate is not a CA (basicConstraints)',
        });
      }
      if (cert.keyUsage !== undefined && !cert.keyUsage.includes('keyCertSign')) {
        problems.push({ kind: 'CA_KEY_USAGE', index: i, detail: 'issuer keyUsage lacks keyCertSign' });
      }
      const pl = cert.basicConstraints?.pathLength;
      if (pl !== undefined) {
        // Non-self-issued intermediates below this CA (excluding the end entity).
        const below = chain.slice(1, i).filter((c) => !isSelfIssued(c)).length;
        if (below > pl) {
          problems.push({
            kind: 'PATH_LENGTH',
            index: i,
            detail: `pathLenConstraint ${pl} exceeded by ${below} CA(s)`,
          });
        }
      }
    }
  });
  const leaf = chain[0];
  if (leaf !== undefined && chain.length > 1) {
    if (purpose === 'signing') {
      if (
        leaf.keyUsage !== undefined &&
        !leaf.keyUsage.some((k) => k === 'digitalSignature' || k === 'nonRepudiation')
      ) {
        problems.push({
          kind: 'SIGNER_KEY_USAGE',
          index: 0,
          detail: 'keyUsage has neither digitalSignature nor nonRepudiation',
        });
      }
    } else {
      if (
        leaf.keyUsage !== undefined &&
        !leaf.keyUsage.some((k) => k === 'digitalSignature' || k === 'nonRepudiation')
      ) {
        problems.push({ kind: 'SIGNER_KEY_USAGE', index: 0, detail: 'keyUsage lacks digitalSignature' });
      }
      const eku = EKU_FOR[purpose];
      if (eku !== undefined && !(leaf.extKeyUsage ?? []).includes(eku)) {
        problems.push({ kind: 'SIGNER_EXTENDED_KEY_USAGE', index: 0, detail: `extKeyUsage lacks ${eku}` });
      }
    }
  }
  return problems;
}

import { constants, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { decodeOid, integerNumber, type DerNode } from './der.js';
import { SignatureError } from './errors.js';
import { DIGEST_BY_OID, OID, type DigestName } from './oids.js';

/** An AlgorithmIdentifier as found in certificates, CRLs, OCSP and CMS. */
export interface AlgorithmIdentifier {
  readonly oid: string;
  /** The parameters node, when present and not NULL. */
  readonly params?: DerNode;
}

/** A resolved signature scheme. */
export interface SignatureScheme {
  /** `RSA` (PKCS#1 v1.5), `RSASSA-PSS`, `ECDSA` or `Ed25519`. */
  readonly scheme: 'RSA' | 'RSASSA-PSS' | 'ECDSA' | 'Ed25519';
  /** Digest, or `undefined` for Ed25519. */
  readonly digest: DigestName | undefined;
  /** PSS salt length. */
  readonly saltLength?: number;
  /** Display name such as `RSA-SHA256`, `RSASSA-PSS-SHA256`, `ECDSA-SHA384`. */
  readonly name: string;
}

export function parseAlgorithmIdentifier(
  n: DerNode,
  path: string,
  code: SignatureError['code'],
): AlgorithmIdentifier {
  if (n.tag !== 16 || n.children.length === 0) {
    throw new SignatureError(code, `${path}: invalid AlgorithmIdentifier (byte ${n.start})`, {
      details: { path, offset: n.start },
    });
  }
  const oid = decodeOid(n.children[0] as DerNode, `${path}.algorithm`, code);
  const p = n.children[1];
  return p === undefined || (p.cls === 0 && p.tag === 5) ? { oid } : { oid, params: p };
}

const RSA_SIG: Readonly<Record<string, DigestName>> = {
  [OID.sha1WithRSA]: 'sha1',
  [OID.sha224WithRSA]: 'sha224',
  [OID.sha256WithRSA]: 'sha256',
  [OID.sha384WithRSA]: 'sha384',
  [OID.sha512WithRSA]: 'sha512',
};
const ECDSA_SIG: Readonly<Record<string, DigestName>> = {
  [OID.ecdsaSha1]: 'sha1',
  [OID.ecdsaSha224]: 'sha224',
  [OID.ecdsaSha256]: 'sha256',
  [OID.ecdsaSha384]: 'sha384',
  [OID.ecdsaSha512]: 'sha512',
};

export function digestFromOid(oid: string): DigestName {
  const d = DIGEST_BY_OID[oid];
  if (d === undefined) {
    throw new SignatureError('SIG_UNSUPPORTED_ALGORITHM', `unsupported digest algorithm ${oid}`, {
      details: { oid },
    });
  }
  return d;
}

/**
 * Resolves a signature AlgorithmIdentifier. In CMS, `signatureAlgorithm` is often just
 * `rsaEncryption`/`id-ecPublicKey` and the digest comes from the SignerInfo's `digestAlgorithm`
 * (passed as `digestHint`).
 */
export function resolveSignatureScheme(alg: AlgorithmIdentifier, digestHint?: DigestName): SignatureScheme {
  const rsa = RSA_SIG[alg.oid];
  if (rsa !== undefined) return { scheme: 'RSA', digest: rsa, name: `RSA-${rsa.toUpperCase()}` };
  const ec = ECDSA_SIG[alg.oid];
  if (ec !== undefined) return { scheme: 'ECDSA', digest: ec, name: `ECDSA-${ec.toUpperCase()}` };
  if (alg.oid === OID.rsaEncryption && digestHint !== undefined) {
    return { scheme: 'RSA', digest: digestHint, name: `RSA-${digestHint.toUpperCase()}` };
  }
  if (alg.oid === OID.ecPublicKey && digestHint !== undefined) {
    return { scheme: 'ECDSA', digest: digestHint, name: `ECDSA-${digestHint.toUpperCase()}` };
  }
  if (alg.oid === OID.ed25519) return { scheme: 'Ed25519', digest: undefined, name: 'Ed25519' };
  if (alg.oid === OID.rsassaPss) return resolvePss(alg.params);
  throw new SignatureError('SIG_UNSUPPORTED_ALGORITHM', `unsupported signature algorithm ${alg.oid}`, {
    details: { oid: alg.oid },
  });
}

function resolvePss(params: DerNode | undefined): SignatureScheme {
  let digest: DigestName = 'sha1';
  let mgfDigest: DigestName = 'sha1';
  let saltLength = 20;
  const code = 'SIG_UNSUPPORTED_ALGORITHM' as const;
  for (const field of params?.children ?? []) {
    if (field.cls !== 2) continue;
    const inner = field.children[0];
    if (inner === undefined) continue;
    if (field.tag === 0)
      digest = digestFromOid(parseAlgorithmIdentifier(inner, 'pss.hashAlgorithm', code).oid);
    else if (field.tag === 1) {
      const mgf = parseAlgorithmIdentifier(inner, 'pss.maskGenAlgorithm', code);
      if (mgf.oid !== OID.mgf1 || mgf.params === undefined) {
        throw new SignatureError(code, `unsupported PSS mask generation function ${mgf.oid}`);
      }
      mgfDigest = digestFromOid(parseAlgorithmIdentifier(mgf.params, 'pss.mgf1.hash', code).oid);
    } else if (field.tag === 2) saltLength = integerNumber(inner, 'pss.saltLength', code);
    else if (field.tag === 3 && integerNumber(inner, 'pss.trailerField', code) !== 1) {
      throw new SignatureError(code, 'unsupported PSS trailer field');
    }
  }
  if (mgfDigest !== digest) {
    throw new SignatureError(code, `RSASSA-PSS with MGF1-${mgfDigest} over ${digest} is not supported`);
  }
  return { scheme: 'RSASSA-PSS', digest, saltLength, name: `RSASSA-PSS-${digest.toUpperCase()}` };
}

/** Checks that the key type fits the scheme (an RSA signature must not be checked with an EC key). */
function keyFits(scheme: SignatureScheme, key: KeyObject): boolean {
  const t = key.asymmetricKeyType;
  switch (scheme.scheme) {
    case 'RSA':
      return t === 'rsa';
    case 'RSASSA-PSS':
      return t === 'rsa' || t === 'rsa-pss';
    case 'ECDSA':
      return t === 'ec';
    case 'Ed25519':
      return t === 'ed25519';
  }
}

/** Verifies `signature` over `data` with `node:crypto`. Returns false on mismatch, never throws for bad signatures. */
export function verifySignature(
  scheme: SignatureScheme,
  key: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (!keyFits(scheme, key)) return false;
  try {
    if (scheme.scheme === 'RSASSA-PSS') {
      return cryptoVerify(
        scheme.digest ?? 'sha256',
        data,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.saltLength ?? 20 },
        signature,
      );
    }
    if (scheme.scheme === 'RSA') {
      return cryptoVerify(
        scheme.digest ?? 'sha256',
        data,
        { key, padding: constants.RSA_PKCS1_PADDING },
        signature,
      );
    }
    return cryptoVerify(scheme.digest ?? null, data, key, signature);
  } catch {
    return false;
  }
}

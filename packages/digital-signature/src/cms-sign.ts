import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  sign as cryptoSign,
  type KeyObject,
} from 'node:crypto';
import type { Certificate } from './certificate.js';
import { DER_NULL, encodeOctetString, encodeOid, encodeSequence, encodeTlv } from './der.js';
import { SignatureError } from './errors.js';
import { loadCertificates } from './load.js';
import { OID, OID_BY_DIGEST } from './oids.js';

/** Options of {@link createCms}. */
export interface CmsSignOptions {
  /** The signer's private key (KeyObject, PEM or DER PKCS#8); RSA or EC. */
  readonly key: KeyObject | string | Uint8Array;
  /** The signer's certificate first, then the intermediates to embed (DER, PEM, `.p7b` or parsed). */
  readonly certificateChain: readonly (Certificate | Uint8Array | string)[];
  /** Leave the content out of the SignedData (default `true`, as PDF and `.p7s` files do). */
  readonly detached?: boolean;
  /** Digest (default `sha256`). */
  readonly digest?: 'sha1' | 'sha256' | 'sha384' | 'sha512';
  /** RSA padding: PKCS#1 v1.5 (default) or RSASSA-PSS (salt = digest length). */
  readonly rsaPadding?: 'pkcs1' | 'pss';
  /** The signingTime attribute (default `clock()`). */
  readonly signingTime?: Date;
  readonly clock?: () => Date;
}

/** DER SET OF content: the encodings in ascending order. */
const sorted = (items: readonly Uint8Array[]): Buffer =>
  Buffer.concat([...items].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
const set = (items: readonly Uint8Array[]): Uint8Array => encodeTlv(0x31, sorted(items));
const integer = (n: number): Uint8Array => encodeTlv(0x02, Uint8Array.of(n));
const attribute = (oid: string, value: Uint8Array): Uint8Array =>
  encodeSequence(encodeOid(oid), set([value]));

function time(d: Date): Uint8Array {
  const y = d.getUTCFullYear();
  const s = d
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  // UTCTime for 1950–2049 (RFC 5652), GeneralizedTime otherwise.
  return y >= 1950 && y < 2050
    ? encodeTlv(0x17, Buffer.from(s.slice(2), 'latin1'))
    : encodeTlv(0x18, Buffer.from(s, 'latin1'));
}

const DIGEST_LENGTH = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 } as const;
const RSA_WITH = {
  sha1: OID.sha1WithRSA,
  sha256: OID.sha256WithRSA,
  sha384: OID.sha384WithRSA,
  sha512: OID.sha512WithRSA,
} as const;
const ECDSA_WITH = {
  sha1: OID.ecdsaSha1,
  sha256: OID.ecdsaSha256,
  sha384: OID.ecdsaSha384,
  sha512: OID.ecdsaSha512,
} as const;

/**
 * Creates a CMS SignedData (RFC 5652), attached or detached, with the signed attributes contentType,
 * signingTime, messageDigest and signingCertificateV2, signed with RSA (PKCS#1 v1.5 or PSS) or
 * ECDSA. For tests, fixtures and the reference server; `verifyCms` verifies what it makes.
 * Throws `SIG_KEY_INVALID` when the key is unusable or does not match the certificate.
 */
export function createCms(content: Uint8Array, options: CmsSignOptions): Uint8Array {
  return createSignedData(content, options, OID.data);
}

/**
 * `createCms` with another encapsulated content type (the test PKI's timestamp tokens use
 * id-ct-TSTInfo); not part of the public API.
 */
export function createSignedData(
  content: Uint8Array,
  options: CmsSignOptions,
  contentType: string,
): Uint8Array {
  let key: KeyObject;
  try {
    key =
      typeof options.key === 'string'
        ? createPrivateKey(options.key)
        : options.key instanceof Uint8Array
          ? createPrivateKey({ key: Buffer.from(options.key), format: 'der', type: 'pkcs8' })
          : options.key;
  } catch (err) {
    throw new SignatureError('SIG_KEY_INVALID', 'the signing key cannot be read', { cause: err });
  }
  const chain = options.certificateChain.flatMap((c) =>
    typeof c === 'string' || c instanceof Uint8Array ? loadCertificates(c) : [c],
  );
  const signer = chain[0];
  if (signer === undefined) throw new SignatureError('SIG_KEY_INVALID', 'certificateChain is empty');
  const spki = (k: KeyObject): string => k.export({ type: 'spki', format: 'der' }).toString('hex');
  if (spki(createPublicKey(key)) !== spki(signer.publicKey)) {
    throw new SignatureError('SIG_KEY_INVALID', 'the private key does not match the signing certificate', {
      details: { subject: signer.subject.text },
    });
  }
  const type = key.asymmetricKeyType;
  if (type !== 'rsa' && type !== 'ec') {
    throw new SignatureError('SIG_KEY_INVALID', `unsupported key type ${type ?? 'unknown'}`);
  }
  const digest = options.digest ?? 'sha256';
  const digestAlg = encodeSequence(encodeOid(OID_BY_DIGEST[digest]));
  const signingTime = options.signingTime ?? (options.clock ?? (() => new Date()))();
  const essCertId = encodeSequence(encodeOctetString(createHash('sha256').update(signer.der).digest()));
  const attrs = [
    attribute(OID.contentType, encodeOid(contentType)),
    attribute(OID.signingTime, time(signingTime)),
    attribute(OID.messageDigest, encodeOctetString(createHash(digest).update(content).digest())),
    attribute(OID.signingCertificateV2, encodeSequence(encodeSequence(essCertId))),
  ];
  // The signature covers the attributes as a DER SET; SignerInfo carries them as [0] IMPLICIT.
  const signedAttrs = set(attrs);
  const pss = type === 'rsa' && options.rsaPadding === 'pss';
  let signatureAlg: Uint8Array;
  let signature: Buffer;
  if (type === 'ec') {
    signatureAlg = encodeSequence(encodeOid(ECDSA_WITH[digest]));
    signature = cryptoSign(digest, signedAttrs, key);
  } else if (pss) {
    const hash = encodeSequence(encodeOid(OID_BY_DIGEST[digest]), DER_NULL);
    const params = encodeSequence(
      encodeTlv(0xa0, hash),
      encodeTlv(0xa1, encodeSequence(encodeOid(OID.mgf1), hash)),
      encodeTlv(0xa2, integer(DIGEST_LENGTH[digest])),
    );
    signatureAlg = encodeSequence(encodeOid(OID.rsassaPss), params);
    signature = cryptoSign(digest, signedAttrs, {
      key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: DIGEST_LENGTH[digest],
    });
  } else {
    signatureAlg = encodeSequence(encodeOid(RSA_WITH[digest]), DER_NULL);
    signature = cryptoSign(digest, signedAttrs, key);
  }
  const sid = encodeSequence(signer.issuer.der, encodeTlv(0x02, signer.serialBytes));
  const signerInfo = encodeSequence(
    integer(1),
    sid,
    digestAlg,
    encodeTlv(0xa0, sorted(attrs)),
    signatureAlg,
    encodeOctetString(signature),
  );
  const encap =
    options.detached === false
      ? encodeSequence(encodeOid(contentType), encodeTlv(0xa0, encodeOctetString(content)))
      : encodeSequence(encodeOid(contentType));
  const signedData = encodeSequence(
    integer(contentType === OID.data ? 1 : 3),
    set([digestAlg]),
    encap,
    encodeTlv(0xa0, Buffer.concat(chain.map((c) => c.der))),
    set([signerInfo]),
  );
  return new Uint8Array(encodeSequence(encodeOid(OID.signedData), encodeTlv(0xa0, signedData)));
}

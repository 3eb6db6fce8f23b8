import { parseCertificate, type Certificate } from './certificate.js';
import { parseSignedData } from './cms.js';
import { decodeOid, parseDer, TAG } from './der.js';
import { SignatureError } from './errors.js';
import { OID } from './oids.js';

/** One PEM block. */
export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
  /** Character offset of the block in the text. */
  readonly offset: number;
}

const PEM_RE = /-----BEGIN ([A-Z0-9 #]+)-----([\s\S]*?)-----END \1-----/g;

/** Extracts all PEM blocks from a text. Fails with `SIG_PEM_INVALID` on a block with bad base64. */
export function parsePem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(PEM_RE)) {
    const label = m[1] as string;
    const body = (m[2] as string).replace(/^[A-Za-z-]+:.*$/gm, '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0 || body.length === 0) {
      throw new SignatureError(
        'SIG_PEM_INVALID',
        `PEM block "${label}" at character ${m.index} has invalid base64`,
        {
          details: { label, offset: m.index },
        },
      );
    }
    blocks.push({ label, der: new Uint8Array(Buffer.from(body, 'base64')), offset: m.index });
  }
  return blocks;
}

function looksLikePem(input: Uint8Array | string): boolean {
  const head =
    typeof input === 'string'
      ? input.slice(0, 4096)
      : Buffer.from(input.subarray(0, 4096)).toString('latin1');
  return head.includes('-----BEGIN ');
}

function certificatesFromDer(der: Uint8Array): Certificate[] {
  const root = parseDer(der, {}, 'SIG_CERTIFICATE_INVALID');
  const first = root.children[0];
  if (root.tag === TAG.SEQUENCE && first !== undefined && first.cls === 0 && first.tag === TAG.OID) {
    const oid = decodeOid(first, 'ContentInfo.contentType', 'SIG_CMS_INVALID');
    if (oid !== OID.signedData) {
      throw new SignatureError('SIG_CMS_INVALID', `ContentInfo.contentType ${oid} is not signedData`, {
        details: { path: 'ContentInfo.contentType' },
      });
    }
    return [...parseSignedData(der).certificates];
  }
  return [parseCertificate(der)];
}

/**
 * Loads certificates from DER, PEM (one or many `CERTIFICATE` / `PKCS7` blocks) or a PKCS#7
 * certificate bundle (`.p7b`, DER or PEM). Fails with a typed error naming the problem.
 */
export function loadCertificates(input: Uint8Array | string): Certificate[] {
  if (looksLikePem(input)) {
    const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
    const blocks = parsePem(text).filter((b) =>
      ['CERTIFICATE', 'X509 CERTIFICATE', 'PKCS7', 'CMS', 'PKCS #7 SIGNED DATA'].includes(b.label),
    );
    if (blocks.length === 0) {
      throw new SignatureError('SIG_PEM_INVALID', 'no CERTIFICATE or PKCS7 block found in the PEM text');
    }
    return blocks.flatMap((b) => certificatesFromDer(b.der));
  }
  if (typeof input === 'string') {
    throw new SignatureError('SIG_PEM_INVALID', 'text input holds no PEM block');
  }
  return certificatesFromDer(input);
}

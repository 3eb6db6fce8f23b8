import { createHash } from 'node:crypto';
import { BASE64_ENCODING, PASSWORD_DIGEST_TYPE } from './soap.js';
import { escapeXml } from '../xml.js';

/** One parsed `WWW-Authenticate` challenge. */
export interface AuthChallenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Parses a `WWW-Authenticate` header value, which may hold several challenges (fetch joins repeated
 * headers with ", "), e.g. `Digest realm="a", nonce="n", algorithm=SHA-256, Digest realm="a", ...`.
 */
export function parseChallenges(header: string): AuthChallenge[] {
  const out: { scheme: string; params: Record<string, string> }[] = [];
  const n = header.length;
  let i = 0;
  const isTokenChar = (c: string): boolean => /[A-Za-z0-9!#$%&'*+.^_`|~-]/.test(c);
  while (i < n) {
    while (i < n && /[\s,]/.test(header[i] as string)) i++;
    const start = i;
    while (i < n && isTokenChar(header[i] as string)) i++;
    if (i === start) {
      i++;
      continue;
    }
    const token = header.slice(start, i);
    let j = i;
    while (j < n && header[j] === ' ') j++;
    if (header[j] !== '=') {
      out.push({ scheme: token, params: {} });
      continue;
    }
    j++;
    while (j < n && header[j] === ' ') j++;
    let value = '';
    if (header[j] === '"') {
      j++;
      while (j < n && header[j] !== '"') {
        if (header[j] === '\\') j++;
        value += header[j] ?? '';
        j++;
      }
      j++;
    } else {
      const vs = j;
      while (j < n && header[j] !== ',' && header[j] !== ' ') j++;
      value = header.slice(vs, j);
    }
    i = j;
    const cur = out[out.length - 1];
    if (cur) cur.params[token.toLowerCase()] = value;
  }
  return out;
}

type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

const HASHES: Record<DigestAlgorithm, string> = {
  MD5: 'md5',
  'MD5-sess': 'md5',
  'SHA-256': 'sha256',
  'SHA-256-sess': 'sha256',
};

/** Picks the strongest supported Digest challenge (SHA-256 before MD5). */
export function pickDigest(challenges: readonly AuthChallenge[]): AuthChallenge | undefined {
  const digests = challenges.filter(
    (c) => c.scheme.toLowerCase() === 'digest' && (c.params.algorithm ?? 'MD5').toUpperCase() in UPPER,
  );
  return digests.find((c) => (c.params.algorithm ?? '').toUpperCase().startsWith('SHA-256')) ?? digests[0];
}

const UPPER: Record<string, DigestAlgorithm> = {
  MD5: 'MD5',
  'MD5-SESS': 'MD5-sess',
  'SHA-256': 'SHA-256',
  'SHA-256-SESS': 'SHA-256-sess',
};

/** State kept per device so later requests can authenticate without a new round trip. */
export interface DigestSession {
  readonly challenge: AuthChallenge;
  nc: number;
}

/** Computes an `Authorization: Digest ...` header (RFC 7616, qop=auth or none). */
export function digestAuthorization(
  session: DigestSession,
  method: string,
  uri: string,
  username: string,
  password: string,
  cnonce: string,
): string {
  const p = session.challenge.params;
  const algorithm = UPPER[(p.algorithm ?? 'MD5').toUpperCase()] ?? 'MD5';
  const h = (s: string): string => createHash(HASHES[algorithm]).update(s, 'utf8').digest('hex');
  const realm = p.realm ?? '';
  const nonce = p.nonce ?? '';
  let ha1 = h(`${username}:${realm}:${password}`);
  if (algorithm.endsWith('-sess')) ha1 = h(`${ha1}:${nonce}:${cnonce}`);
  const ha2 = h(`${method}:${uri}`);
  const qops = (p.qop ?? '').split(',').map((s) => s.trim());
  const useQop = qops.includes('auth');
  session.nc++;
  const nc = session.nc.toString(16).padStart(8, '0');
  const response = useQop ? h(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`) : h(`${ha1}:${nonce}:${ha2}`);
  const q = (s: string): string => `"${s.replace(/["\\]/g, '\\$&')}"`;
  const parts = [
    `username=${q(username)}`,
    `realm=${q(realm)}`,
    `nonce=${q(nonce)}`,
    `uri=${q(uri)}`,
    `algorithm=${algorithm}`,
    `response=${q(response)}`,
  ];
  if (useQop) parts.push('qop=auth', `nc=${nc}`, `cnonce=${q(cnonce)}`);
  if (p.opaque !== undefined) parts.push(`opaque=${q(p.opaque)}`);
  return `Digest ${parts.join(', ')}`;
}

/**
 * WS-UsernameToken with PasswordDigest = Base64(SHA1(nonce + Created + password)), the nonce raw bytes
 * from a cryptographic source and the password as UTF-8.
 */
export function usernameToken(username: string, password: string, nonce: Uint8Array, created: Date): string {
  const createdText = created.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const digest = createHash('sha1')
    .update(nonce)
    .update(Buffer.from(createdText + password, 'utf8'))
    .digest('base64');
  return (
    `<wsse:Security soap:mustUnderstand="1"><wsse:UsernameToken>` +
    `<wsse:Username>${escapeXml(username)}</wsse:Username>` +
    `<wsse:Password Type="${PASSWORD_DIGEST_TYPE}">${digest}</wsse:Password>` +
    `<wsse:Nonce EncodingType="${BASE64_ENCODING}">${Buffer.from(nonce).toString('base64')}</wsse:Nonce>` +
    `<wsu:Created>${createdText}</wsu:Created></wsse:UsernameToken></wsse:Security>`
  );
}

import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  randomUUID,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import type { Role } from './roles.js';

/**
 * The embedded deployment's own token issuer: an ES256 key pair kept under `DATA_DIR/keys/`, whose
 * public half is the JWKS the server trusts by default. Production deployments point
 * `AUTH_JWKS_FILE` or `AUTH_JWKS_URL` at their identity provider instead.
 */
export interface DemoIssuer {
  readonly jwksFile: string;
  readonly privateKey: KeyObject;
  readonly kid: string;
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url) of an EC public key. */
function thumbprint(jwk: JsonWebKey): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

export function ensureDemoIssuer(dataDir: string): DemoIssuer {
  const dir = path.join(dataDir, 'keys');
  const privateFile = path.join(dir, 'demo-signing-key.jwk.json');
  const jwksFile = path.join(dir, 'jwks.json');
  if (!fs.existsSync(privateFile)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pub = publicKey.export({ format: 'jwk' });
    const kid = thumbprint(pub).slice(0, 16);
    fs.writeFileSync(privateFile, JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid }), {
      mode: 0o600,
    });
    fs.writeFileSync(
      jwksFile,
      JSON.stringify({ keys: [{ ...pub, kid, use: 'sig', alg: 'ES256' }] }, null, 2) + '\n',
    );
  }
  const jwk = JSON.parse(fs.readFileSync(privateFile, 'utf8')) as JsonWebKey & { kid: string };
  const { kid, ...keyJwk } = jwk;
  return { jwksFile, privateKey: createPrivateKey({ key: keyJwk, format: 'jwk' }), kid };
}

export interface MintOptions {
  readonly issuer: string;
  readonly audience: string;
  readonly subject: string;
  readonly roles: readonly Role[];
  readonly department?: string;
  readonly area?: string;
  /** Space-separated scopes; default: every scope the roles allow. */
  readonly scope?: string;
  /** Lifetime in seconds. Default 3600. */
  readonly ttlSec?: number;
  readonly now?: () => number;
}

/** Signs a token with the demo issuer's key (ES256). */
export function mintToken(issuer: DemoIssuer, o: MintOptions): string {
  const iat = Math.floor((o.now ?? Date.now)() / 1000);
  const claims: Record<string, unknown> = {
    sub: o.subject,
    roles: o.roles,
    iat,
    exp: iat + (o.ttlSec ?? 3600),
    jti: randomUUID(),
    ...(o.department === undefined ? {} : { dept: o.department }),
    ...(o.area === undefined ? {} : { area: o.area }),
    ...(o.scope === undefined ? {} : { scope: o.scope }),
  };
  return jwt.sign(claims, issuer.privateKey, {
    algorithm: 'ES256',
    keyid: issuer.kid,
    issuer: o.issuer,
    audience: o.audience,
  });
}

import type { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { KeySource } from './keys.js';
import { effectiveScopes, isRole, type Principal, type Role } from './roles.js';

/** Only these: no `none`, no HMAC (so a public key can never be used as an HMAC secret). */
export const ALLOWED_ALGORITHMS = ['RS256', 'ES256'] as const;

export type AuthFailure =
  | 'missing-token'
  | 'malformed-token'
  | 'algorithm-not-allowed'
  | 'unknown-key'
  | 'invalid-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'invalid-claims';

export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    readonly reason: AuthFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface VerifierOptions {
  readonly keys: KeySource;
  readonly issuer: string;
  readonly audience: string;
  /** Seconds of clock skew tolerated on exp/nbf. Default 30. */
  readonly clockToleranceSec?: number;
  /** Longest accepted token lifetime (exp − iat) in seconds. Default 24 h. */
  readonly maxLifetimeSec?: number;
  /**
   * How long a verified token is remembered, in milliseconds (machine clients send the same token with
   * every request). Expiry is re-checked on every hit; a removed signing key stops being honoured after
   * at most this long. Default 60000; 0 disables the cache.
   */
  readonly cacheTtlMs?: number;
  /** Most tokens remembered. Default 10000. */
  readonly cacheSize?: number;
  readonly now?: () => number;
}

const AREA = /^\d{2,5}$/;
const DEPARTMENT = /^[a-z][a-z0-9-]{1,39}$/;

function keyMatches(alg: string, key: KeyObject): boolean {
  if (alg === 'RS256')
    return key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048;
  if (alg === 'ES256')
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  return false;
}

/** Verifies a bearer token and returns the caller, or throws AuthError saying why not. */
export function createVerifier(options: VerifierOptions): (token: string) => Promise<Principal> {
  const now = options.now ?? Date.now;
  const tolerance = options.clockToleranceSec ?? 30;
  const maxLifetime = options.maxLifetimeSec ?? 86_400;
  const ttl = options.cacheTtlMs ?? 60_000;
  const size = options.cacheSize ?? 10_000;
  const cache = new Map<string, { principal: Principal; until: number }>();
  return async (token) => {
    const hit = ttl > 0 ? cache.get(token) : undefined;
    if (hit !== undefined) {
      const t = now();
      if (t < hit.until && hit.principal.expiresAt + tolerance > t / 1000) return hit.principal;
      cache.delete(token);
      if (hit.principal.expiresAt + tolerance <= t / 1000)
        throw new AuthError('expired', 'the token has expired');
    }
    const principal = await verifyUncached(token);
    if (ttl > 0) {
      if (cache.size >= size) cache.delete(cache.keys().next().value as string);
      cache.set(token, { principal, until: now() + ttl });
    }
    return principal;
  };

  async function verifyUncached(token: string): Promise<Principal> {
    const decoded = jwt.decode(token, { complete: true });
    if (decoded === null || typeof decoded.payload === 'string') {
      throw new AuthError('malformed-token', 'the bearer token is not a JWT');
    }
    const alg = decoded.header.alg;
    if (!(ALLOWED_ALGORITHMS as readonly string[]).includes(alg)) {
      throw new AuthError('algorithm-not-allowed', `algorithm ${alg} is not accepted (RS256 or ES256 only)`);
    }
    const key = await options.keys.getKey(decoded.header.kid);
    if (key === undefined)
      throw new AuthError('unknown-key', `no verification key with kid "${decoded.header.kid ?? ''}"`);
    if (!keyMatches(alg, key))
      throw new AuthError('algorithm-not-allowed', `key "${decoded.header.kid}" cannot verify ${alg}`);
    let payload: jwt.JwtPayload;
    try {
      payload = jwt.verify(token, key, {
        algorithms: [alg as jwt.Algorithm],
        issuer: options.issuer,
        audience: options.audience,
        clockTolerance: tolerance,
        clockTimestamp: Math.floor(now() / 1000),
        complete: false,
      }) as jwt.JwtPayload;
    } catch (err) {
      if (err instanceof jwt.TokenExpiredError) throw new AuthError('expired', 'the token has expired');
      if (err instanceof jwt.NotBeforeError)
        throw new AuthError('not-yet-valid', 'the token is not valid yet');
      const message = err instanceof Error ? err.message : String(err);
      if (message.startsWith('jwt issuer invalid'))
        throw new AuthError('wrong-issuer', 'the token was issued by someone else');
      if (message.startsWith('jwt audience invalid'))
        throw new AuthError('wrong-audience', 'the token is meant for another service');
      throw new AuthError('invalid-signature', 'the token signature does not verify');
    }
    return toPrincipal(payload, maxLifetime);
  }
}

function toPrincipal(p: jwt.JwtPayload, maxLifetime: number): Principal {
  const bad = (why: string) => new AuthError('invalid-claims', why);
  if (typeof p.sub !== 'string' || p.sub === '') throw bad('the token has no subject (sub)');
  if (typeof p.exp !== 'number') throw bad('the token has no expiry (exp)');
  if (typeof p.iat === 'number' && p.exp - p.iat > maxLifetime)
    throw bad(`the token lives longer than ${maxLifetime} s`);
  const rolesClaim: unknown = (p as Record<string, unknown>).roles;
  if (!Array.isArray(rolesClaim) || rolesClaim.length === 0) throw bad('the token has no roles');
  const roles: Role[] = [];
  for (const r of rolesClaim) {
    if (!isRole(r)) throw bad(`unknown role ${JSON.stringify(r)}`);
    if (!roles.includes(r)) roles.push(r);
  }
  const claims = p as Record<string, unknown>;
  const department = claims.dept;
  const area = claims.area;
  if (roles.includes('department') && (typeof department !== 'string' || !DEPARTMENT.test(department))) {
    throw bad('the department role needs a dept claim such as "health"');
  }
  if (roles.includes('district') && (typeof area !== 'string' || !AREA.test(area))) {
    throw bad('the district role needs an area claim: the administrative-unit code, e.g. "213"');
  }
  const scope = claims.scope;
  if (scope !== undefined && typeof scope !== 'string') throw bad('scope must be a space-separated string');
  return {
    subject: p.sub,
    roles,
    scopes: effectiveScopes(roles, scope === undefined ? undefined : scope.split(' ').filter(Boolean)),
    ...(typeof department === 'string' ? { department } : {}),
    ...(typeof area === 'string' ? { area } : {}),
    expiresAt: p.exp,
  };
}

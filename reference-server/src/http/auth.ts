import type { RequestHandler, Response } from 'express';
import { AuthError } from '../auth/verify.js';
import type { Principal, Scope } from '../auth/roles.js';
import { HttpProblem, sendProblem } from './problem.js';

export type Verify = (token: string) => Promise<Principal>;

/** A caller over its request rate: answered 429 with `Retry-After`. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(
    readonly subject: string,
    readonly retryAfterSeconds: number,
  ) {
    super(`too many requests from ${subject}: retry in ${retryAfterSeconds} s`);
  }
}

/**
 * Limits each authenticated caller (token subject) to a token bucket: `burst` requests at once, then
 * `perMinute`. A client that floods the API is slowed down without affecting the others.
 */
export function rateLimitedVerify(verify: Verify, buckets: { take(key: string): number }): Verify {
  return async (token) => {
    const principal = await verify(token);
    const wait = buckets.take(principal.subject);
    if (wait > 0) throw new RateLimitedError(principal.subject, wait);
    return principal;
  };
}

/** The authenticated caller of this request; only call after `authenticate`. */
export function principalOf(res: Response): Principal {
  const p = res.locals.principal as Principal | undefined;
  if (p === undefined) throw new Error('principalOf() used on a route without authenticate()');
  return p;
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;

/** Requires a valid bearer token; answers 401 problem+json with WWW-Authenticate otherwise. */
export function authenticate(verify: Verify): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    const challenge = (error?: string) => `Bearer realm="ioc"${error ? `, error="${error}"` : ''}`;
    try {
      if (header === undefined) throw new AuthError('missing-token', 'this endpoint needs a bearer token');
      const m = BEARER.exec(header.trim());
      if (!m?.[1]) throw new AuthError('malformed-token', 'expected "Authorization: Bearer <JWT>"');
      res.locals.principal = await verify(m[1]);
      next();
    } catch (err) {
      if (err instanceof RateLimitedError) {
        res.set('Retry-After', String(err.retryAfterSeconds));
        sendProblem(
          res,
          new HttpProblem(429, 'RATE_LIMITED', 'Too Many Requests', err.message, {
            retryAfterSeconds: err.retryAfterSeconds,
          }).toProblem(req.originalUrl),
        );
        return;
      }
      if (!(err instanceof AuthError)) {
        next(err);
        return;
      }
      res.set('WWW-Authenticate', challenge(err.reason === 'missing-token' ? undefined : 'invalid_token'));
      sendProblem(
        res,
        new HttpProblem(401, 'UNAUTHENTICATED', 'Unauthorized', err.message, {
          reason: err.reason,
        }).toProblem(req.originalUrl),
      );
    }
  };
}

/** Requires one scope of the authenticated caller; answers 403 otherwise. */
export function requireScope(scope: Scope): RequestHandler {
  return (req, res, next) => {
    const p = principalOf(res);
    if (p.scopes.has(scope)) {
      next();
      return;
    }
    res.set('WWW-Authenticate', `Bearer realm="ioc", error="insufficient_scope", scope="${scope}"`);
    sendProblem(
      res,
      new HttpProblem(
        403,
        'FORBIDDEN',
        'Forbidden',
        `this needs the ${scope} scope, which your roles do not grant`,
        {
          requiredScope: scope,
        },
      ).toProblem(req.originalUrl),
    );
  };
}

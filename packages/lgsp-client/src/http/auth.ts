import { Buffer } from 'node:buffer';
import { LgspError } from '../errors.js';
import type { components } from '../generated/lgsp.js';
import type { Clock } from './clock.js';

/** The token endpoint's answer, as described in specs/openapi/lgsp.yaml. Fields are checked before use. */
type TokenResponse = components['schemas']['TokenResponse'];

/** What the client gives an auth strategy for each request. */
export interface AuthContext {
  /** The client's fetch (with its TLS settings), for strategies that call a token endpoint. */
  readonly fetch: typeof fetch;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  /**
   * Set when the service answered 401 to credentials previously applied: the strategy should get
   * fresh ones unless another request already did (compare with `rejected`).
   */
  readonly forceRefresh: boolean;
  /** The credential value the service rejected, when `forceRefresh` is set. */
  readonly rejected?: string;
}

/** A pluggable way of authenticating to the LGSP gateway. */
export interface AuthStrategy {
  /** Short name for logs, e.g. `oauth2-client-credentials`. */
  readonly name: string;
  /** Whether a 401 may be cured by {@link AuthContext.forceRefresh}. */
  readonly refreshable: boolean;
  /** Adds credentials to `headers`; returns the credential value used (compared on a later 401). */
  apply(headers: Headers, context: AuthContext): Promise<string | undefined>;
}

/** Options of {@link oauth2ClientCredentials}. */
export interface OAuth2ClientCredentialsOptions {
  /** WSO2 token endpoint, e.g. `https://lgsp.example.gov.vn:8243/token`. */
  readonly tokenUrl: string | URL;
  /** Consumer key (client id). */
  readonly consumerKey: string;
  /** Consumer secret (client secret). Never logged. */
  readonly consumerSecret: string;
  /** Optional OAuth2 scope. */
  readonly scope?: string;
  /** Refresh this long before the token expires. Default 60 000 ms. */
  readonly refreshSkewMs?: number;
  /** Timeout of one token request. Default 15 000 ms. */
  readonly timeoutMs?: number;
}

interface CachedToken {
  readonly value: string;
  readonly expiresAt: number;
}

/**
 * WSO2 API Manager OAuth2 client credentials: `POST tokenUrl` with `Authorization: Basic` and
 * `grant_type=client_credentials`, then `Authorization: Bearer`. The token is cached and refreshed
 * `refreshSkewMs` before it expires; concurrent requests share one refresh (single flight); a 401 on a
 * token forces one refresh.
 */
export function oauth2ClientCredentials(options: OAuth2ClientCredentialsOptions): AuthStrategy {
  const skew = options.refreshSkewMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const basic = Buffer.from(`${options.consumerKey}:${options.consumerSecret}`, 'utf8').toString('base64');
  let cached: CachedToken | undefined;
  let inFlight: Promise<CachedToken> | undefined;

  const fetchToken = async (context: AuthContext): Promise<CachedToken> => {
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    if (options.scope !== undefined) body.set('scope', options.scope);
    const signal = AbortSignal.any([context.signal, AbortSignal.timeout(timeoutMs)]);
    let response: Response;
    try {
      response = await context.fetch(String(options.tokenUrl), {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: body.toString(),
        signal,
      });
    } catch (error) {
      throw new LgspError(
        'AUTH_FAILED',
        'the token endpoint could not be reached / không kết nối được máy chủ cấp token',
        { cause: error, retryable: true, details: { tokenUrl: String(options.tokenUrl) } },
      );
    }
    const text = await response.text();
    if (!response.ok) {
      throw new LgspError(
        'AUTH_FAILED',
        `the token endpoint answered ${response.status}; check the consumer key and secret / máy chủ cấp token trả về ${response.status}; kiểm tra consumer key và secret`,
        {
          retryable: response.status >= 500,
          details: { status: response.status, tokenUrl: String(options.tokenUrl) },
        },
      );
    }
    let json: Partial<Record<keyof TokenResponse, unknown>>;
    try {
      json = JSON.parse(text) as typeof json;
    } catch (error) {
      throw new LgspError(
        'AUTH_FAILED',
        'the token endpoint answered no JSON / máy chủ cấp token không trả về JSON',
        {
          cause: error,
        },
      );
    }
    if (typeof json.access_token !== 'string' || json.access_token === '') {
      throw new LgspError(
        'AUTH_FAILED',
        'the token response has no access_token / phản hồi không có access_token',
      );
    }
    const expiresIn = typeof json.expires_in === 'number' ? json.expires_in : Number(json.expires_in ?? 3600);
    return {
      value: json.access_token,
      expiresAt: context.clock.now() + (Number.isFinite(expiresIn) ? expiresIn : 3600) * 1000,
    };
  };

  const refresh = (context: AuthContext): Promise<CachedToken> => {
    // Single flight: every caller waiting for a token shares one request, whatever signal it has.
    inFlight ??= fetchToken({ ...context, signal: new AbortController().signal })
      .then((token) => {
        cached = token;
        return token;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  return {
    name: 'oauth2-client-credentials',
    refreshable: true,
    async apply(headers, context) {
      let token = cached;
      const stale = token === undefined || context.clock.now() >= token.expiresAt - skew;
      const rejected = context.forceRefresh && token !== undefined && token.value === context.rejected;
      if (stale || rejected || token === undefined)
        token = await untilAborted(refresh(context), context.signal);
      headers.set('authorization', `Bearer ${token.value}`);
      return token.value;
    },
  };
}

/** The `lgspaccesstoken` header variant: base64 JSON of the partner's keys. */
export interface LgspAccessTokenOptions {
  readonly accessKey: string;
  readonly secretKey: string;
  readonly appName: string;
  readonly partnerCode: string;
  readonly partnerCodeCus: string;
}

/** Sends `lgspaccesstoken: base64({"AccessKey","SecretKey","AppName","PartnerCode","PartnerCodeCus"})`. */
export function lgspAccessToken(options: LgspAccessTokenOptions): AuthStrategy {
  const value = Buffer.from(
    JSON.stringify({
      AccessKey: options.accessKey,
      SecretKey: options.secretKey,
      AppName: options.appName,
      PartnerCode: options.partnerCode,
      PartnerCodeCus: options.partnerCodeCus,
    }),
    'utf8',
  ).toString('base64');
  return {
    name: 'lgspaccesstoken',
    refreshable: false,
    apply(headers) {
      headers.set('lgspaccesstoken', value);
      return Promise.resolve(undefined);
    },
  };
}

/** Document-axis REST credentials: `X-SystemId` and `X-SecretKey` headers. */
export function systemIdSecretKey(options: {
  readonly systemId: string;
  readonly secretKey: string;
}): AuthStrategy {
  return {
    name: 'x-systemid-secretkey',
    refreshable: false,
    apply(headers) {
      headers.set('x-systemid', options.systemId);
      headers.set('x-secretkey', options.secretKey);
      return Promise.resolve(undefined);
    },
  };
}

/** A fixed bearer token obtained elsewhere. */
export function staticBearer(token: string): AuthStrategy {
  return {
    name: 'static-bearer',
    refreshable: false,
    apply(headers) {
      headers.set('authorization', `Bearer ${token}`);
      return Promise.resolve(undefined);
    },
  };
}

/** Waits for `promise` unless `signal` aborts first (the shared work goes on for other waiters). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: Error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

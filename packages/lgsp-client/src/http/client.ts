import { randomUUID } from 'node:crypto';
import { isDttmError, redactSecrets, redactUrl } from '@dttm/core';
import { LgspError, isLgspError, type LgspErrorCode } from '../errors.js';
import type { AuthStrategy } from './auth.js';
import { CircuitBreaker, type CircuitBreakerOptions, type CircuitState } from './circuit.js';
import { systemClock, type Clock } from './clock.js';
import {
  buildSoapEnvelope,
  parseSoapEnvelope,
  soapHeaders,
  type SoapElement,
  type SoapEnvelope,
  type SoapVersion,
} from './soap.js';
import { createNodeFetch, type TlsOptions } from './tls-fetch.js';

/** Log sink. Every field passed to it has secrets redacted already. */
export interface Logger {
  debug?(message: string, fields: Readonly<Record<string, unknown>>): void;
  info?(message: string, fields: Readonly<Record<string, unknown>>): void;
  warn?(message: string, fields: Readonly<Record<string, unknown>>): void;
  error?(message: string, fields: Readonly<Record<string, unknown>>): void;
}

/** Retry settings. Only idempotent calls are retried, and only after network errors, timeouts and 5xx. */
export interface RetryOptions {
  /** Total attempts including the first. Default 3. */
  readonly maxAttempts?: number;
  /** Base of the exponential backoff. Default 200 ms. */
  readonly baseDelayMs?: number;
  /** Upper bound of one backoff delay. Default 10 000 ms. */
  readonly maxDelayMs?: number;
  /** Upper bound of a delay requested by `Retry-After`. Default 60 000 ms. */
  readonly maxRetryAfterMs?: number;
}

/** The request about to be sent; middleware may change any field. */
export interface OutgoingRequest {
  method: string;
  url: URL;
  readonly headers: Headers;
  body: string | Uint8Array | undefined;
}

/** The request being sent, as seen (and changeable) by middleware. */
export interface RequestContext {
  /** UUID sent as `X-Request-Id`; the same for every attempt of one call. */
  readonly requestId: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Circuit-breaker key: `{origin}/{context}/{version}`. */
  readonly endpoint: string;
  /** The request; a middleware may change it. */
  readonly request: OutgoingRequest;
}

/** A named middleware. Hooks run in the order the middleware were given. */
export interface Middleware {
  readonly name: string;
  /** Before each attempt is sent (after authentication). */
  onRequest?(context: RequestContext): void | Promise<void>;
  /** After a response arrives; returning a `Response` replaces it. */
  onResponse?(context: RequestContext, response: Response): void | Response | Promise<void | Response>;
  /** When an attempt fails (network, timeout, HTTP error), before any retry. */
  onError?(context: RequestContext, error: LgspError): void | Promise<void>;
}

/** Options of {@link LgspClient}. Only `baseUrl` is required. */
export interface LgspClientOptions {
  /** Gateway base URL, e.g. `https://lgsp.example.gov.vn:8243`. */
  readonly baseUrl: string | URL;
  /** How to authenticate; none when absent. */
  readonly auth?: AuthStrategy;
  /** A `fetch` implementation. Default: the platform's (keep-alive), or a `node:https` one when `tls` is set. */
  readonly fetch?: typeof fetch;
  /** Custom CA bundle and client certificate (mTLS). Certificates are always verified. */
  readonly tls?: TlsOptions;
  /** Timeout of one attempt, including reading the body. Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Retry settings, or `false` to never retry. */
  readonly retry?: RetryOptions | false;
  /** Circuit breaker settings, or `false` to disable. */
  readonly circuitBreaker?: CircuitBreakerOptions | false;
  readonly middleware?: readonly Middleware[];
  readonly logger?: Logger;
  /** Time source and sleep. Default: the system clock. */
  readonly clock?: Clock;
  /** Random numbers in [0, 1) for backoff jitter. Default `Math.random`. */
  readonly random?: () => number;
  /** Request id generator. Default `crypto.randomUUID`. */
  readonly requestId?: () => string;
  /** `User-Agent` header. */
  readonly userAgent?: string;
  /** Largest response body read, in bytes. Default 16 MiB. */
  readonly maxResponseBytes?: number;
}

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** One call of an LGSP API published at `/{context}/{version}`. */
export interface CallOptions {
  /** API context, e.g. `dmdc_DmMaDanToc_Data`. */
  readonly context: string;
  /** API version, e.g. `1.0`. */
  readonly version: string;
  /** Resource path below the version, e.g. `/items/42`. */
  readonly path?: string;
  /** Default `GET`, or `POST` when a body is given. */
  readonly method?: HttpMethod;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** A JSON body. */
  readonly json?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Whether the call may be repeated safely. Default: true for GET, HEAD, PUT, DELETE, OPTIONS. */
  readonly idempotent?: boolean;
  readonly signal?: AbortSignal;
  /** Overrides the client's timeout for this call. */
  readonly timeoutMs?: number;
}

/**
 * A request to a path of the gateway outside the `/{context}/{version}` scheme, such as a document
 * axis's `/v1/sendEdoc`. The body is sent as given; the response body is returned as bytes.
 */
export interface RequestOptions {
  readonly method: HttpMethod;
  /** Path below the base URL's path, e.g. `/v1/getEdoc`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** Whether the call may be repeated safely. Default: true for GET, HEAD, PUT, DELETE, OPTIONS. */
  readonly idempotent?: boolean;
  readonly signal?: AbortSignal;
  /** Overrides the client's timeout for this call. */
  readonly timeoutMs?: number;
}

/** A successful {@link LgspClient.request}: status, headers and the raw body. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly requestId: string;
  readonly body: Uint8Array;
}

/** A successful JSON call. */
export interface LgspResponse<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly requestId: string;
  /** The parsed JSON body (`undefined` for an empty body). */
  readonly data: T;
}

/** Options of {@link LgspClient.paginate}. */
export interface PaginateOptions<T> extends Omit<CallOptions, 'method' | 'json' | 'idempotent'> {
  /** Extracts the items from one page's JSON body, e.g. `(body) => body.data`. */
  readonly items: (body: unknown) => readonly T[] | undefined;
  /** Query parameter of the page number. Default `page`. */
  readonly pageParam?: string;
  /** Query parameter of the page size. Default `size`. */
  readonly sizeParam?: string;
  /** Default 100. */
  readonly pageSize?: number;
  /** Number of the first page. Default 1. */
  readonly firstPage?: number;
  /** Safety bound on the number of pages requested. Default 10 000. */
  readonly maxPages?: number;
}

/** One SOAP call of an LGSP service. */
export interface SoapCallOptions extends Omit<CallOptions, 'json' | 'method' | 'query'> {
  /** Default `1.1`. */
  readonly soapVersion?: SoapVersion;
  /** SOAPAction (1.1) or the `action` parameter (1.2). */
  readonly action?: string;
  /** The XML fragment placed in `Body`. */
  readonly body: string;
  /** The XML fragment placed in `Header`. */
  readonly header?: string;
  /** SOAP calls are POSTs: not retried unless marked idempotent. Default false. */
  readonly idempotent?: boolean;
}

/** A successful SOAP call. */
export interface SoapResponse {
  readonly status: number;
  readonly requestId: string;
  readonly envelope: SoapEnvelope;
  /** Shortcut to the first element of the body. */
  readonly result: SoapElement | undefined;
}

const IDEMPOTENT = new Set<string>(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const SNIPPET = 512;

interface Attempt<T> {
  readonly method: string;
  readonly url: URL;
  readonly endpoint: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array | undefined;
  readonly idempotent: boolean;
  readonly signal: AbortSignal | undefined;
  readonly timeoutMs: number;
  /** Reads a successful response. */
  readonly read: (response: Response) => Promise<T>;
  /** Turns an error response into a specific error (e.g. a SOAP fault), or `undefined`. */
  readonly classify?: (response: Response, body: string) => LgspError | undefined;
}

/**
 * Client for APIs published on an LGSP gateway (WSO2 API Manager) at `/{context}/{version}`.
 * Every call has a request id, a timeout and an `AbortSignal`; idempotent calls are retried with
 * exponential backoff, jitter and `Retry-After`; each endpoint has a circuit breaker; a 401 forces one
 * credential refresh; logs never carry secrets.
 */
export class LgspClient {
  private readonly baseUrl: URL;
  private readonly fetch: typeof fetch;
  private readonly ownedFetch: { close(): void } | undefined;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly newRequestId: () => string;
  private readonly timeoutMs: number;
  private readonly retry: Required<RetryOptions> | undefined;
  private readonly breakerOptions: Required<CircuitBreakerOptions> | undefined;
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly middleware: Middleware[];
  private readonly logger: Logger | undefined;
  private readonly auth: AuthStrategy | undefined;
  private readonly userAgent: string | undefined;
  private readonly maxResponseBytes: number;

  constructor(options: LgspClientOptions) {
    try {
      this.baseUrl = new URL(String(options.baseUrl));
    } catch (error) {
      throw new LgspError('CONFIG_INVALID', 'baseUrl is not a URL / baseUrl không phải URL', {
        cause: error,
      });
    }
    if (options.fetch !== undefined && options.tls !== undefined) {
      throw new LgspError(
        'CONFIG_INVALID',
        'give either fetch or tls, not both (configure TLS in your fetch) / chỉ dùng fetch hoặc tls, không dùng cả hai',
      );
    }
    if (options.fetch !== undefined) this.fetch = options.fetch;
    else if (options.tls !== undefined) {
      const nodeFetch = createNodeFetch({ tls: options.tls });
      this.fetch = nodeFetch;
      this.ownedFetch = nodeFetch;
    } else this.fetch = globalThis.fetch.bind(globalThis);
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.newRequestId = options.requestId ?? randomUUID;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retry =
      options.retry === false
        ? undefined
        : {
            maxAttempts: options.retry?.maxAttempts ?? 3,
            baseDelayMs: options.retry?.baseDelayMs ?? 200,
            maxDelayMs: options.retry?.maxDelayMs ?? 10_000,
            maxRetryAfterMs: options.retry?.maxRetryAfterMs ?? 60_000,
          };
    this.breakerOptions =
      options.circuitBreaker === false
        ? undefined
        : {
            failureThreshold: options.circuitBreaker?.failureThreshold ?? 5,
            resetTimeoutMs: options.circuitBreaker?.resetTimeoutMs ?? 30_000,
          };
    this.middleware = [...(options.middleware ?? [])];
    this.logger = options.logger;
    this.auth = options.auth;
    this.userAgent = options.userAgent;
    this.maxResponseBytes = options.maxResponseBytes ?? 16 * 1024 * 1024;
  }

  /** Adds a middleware at the end of the pipeline. */
  use(middleware: Middleware): this {
    this.middleware.push(middleware);
    return this;
  }

  /** Removes the middleware with this name; returns whether one was removed. */
  removeMiddleware(name: string): boolean {
    const i = this.middleware.findIndex((m) => m.name === name);
    if (i === -1) return false;
    this.middleware.splice(i, 1);
    return true;
  }

  /** The circuit state of an endpoint (`closed` when it has not been called). */
  circuitState(context: string, version: string): CircuitState {
    return this.breakers.get(this.endpointKey(context, version))?.current() ?? 'closed';
  }

  /** Calls a JSON API and parses the JSON response. */
  async call<T = unknown>(options: CallOptions): Promise<LgspResponse<T>> {
    const method = options.method ?? (options.json === undefined ? 'GET' : 'POST');
    const url = this.url(options.context, options.version, options.path, options.query);
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.json !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
    let requestId = '';
    const result = await this.execute<{ status: number; headers: Headers; data: T }>(
      {
        method,
        url,
        endpoint: this.endpointKey(options.context, options.version),
        headers,
        body: options.json === undefined ? undefined : JSON.stringify(options.json),
        idempotent: options.idempotent ?? IDEMPOTENT.has(method),
        signal: options.signal,
        timeoutMs: options.timeoutMs ?? this.timeoutMs,
        read: async (response) => {
          const text = new TextDecoder().decode(await readLimited(response, this.maxResponseBytes));
          let data: T;
          try {
            data = (text.trim() === '' ? undefined : JSON.parse(text)) as T;
          } catch (error) {
            throw new LgspError('RESPONSE_INVALID', 'the response is not JSON / phản hồi không phải JSON', {
              cause: error,
              details: { status: response.status, body: text.slice(0, SNIPPET) },
            });
          }
          return { status: response.status, headers: response.headers, data };
        },
      },
      (id) => (requestId = id),
    );
    return { ...result, requestId };
  }

  /**
   * Iterates over every item of a paged API, such as the shared catalogues (`dmdc_*_Data/1.0`), one
   * page request at a time. Stops after a page with fewer than `pageSize` items (or none), or after
   * `maxPages`. Catalogue payloads differ between provinces, so `items` extracts the list from a page.
   */
  async *paginate<T>(options: PaginateOptions<T>): AsyncGenerator<T, void, undefined> {
    const pageParam = options.pageParam ?? 'page';
    const sizeParam = options.sizeParam ?? 'size';
    const pageSize = options.pageSize ?? 100;
    const maxPages = options.maxPages ?? 10_000;
    for (let page = options.firstPage ?? 1, n = 0; n < maxPages; page++, n++) {
      const response = await this.call<unknown>({
        ...options,
        method: 'GET',
        query: { ...options.query, [pageParam]: page, [sizeParam]: pageSize },
      });
      const items = options.items(response.data);
      if (!Array.isArray(items)) {
        throw new LgspError(
          'RESPONSE_INVALID',
          'a page has no item list / trang dữ liệu không có danh sách',
          {
            details: { page, requestId: response.requestId },
          },
        );
      }
      yield* items;
      if (items.length < pageSize) return;
    }
  }

  /**
   * Sends a request to a path of the gateway that does not follow `/{context}/{version}` (a document
   * axis's `/v1/...` operations) with the same pipeline as {@link call}: auth, middleware, request id,
   * timeout, retries of idempotent calls, and a circuit breaker keyed by the path.
   */
  async request(options: RequestOptions): Promise<RawResponse> {
    if (!/^\/[A-Za-z0-9_.~\-/]*$/.test(options.path) || options.path.split('/').includes('..')) {
      throw new LgspError('CONFIG_INVALID', `invalid request path "${options.path}"`, {
        details: { path: options.path },
      });
    }
    const base = this.baseUrl.pathname.replace(/\/$/, '');
    const url = new URL(`${base}${options.path}`, this.baseUrl);
    for (const [k, v] of Object.entries(options.query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    let requestId = '';
    const result = await this.execute<{ status: number; headers: Headers; body: Uint8Array }>(
      {
        method: options.method,
        url,
        endpoint: `${this.baseUrl.origin}${base}${options.path}`,
        headers: { ...options.headers },
        body: options.body,
        idempotent: options.idempotent ?? IDEMPOTENT.has(options.method),
        signal: options.signal,
        timeoutMs: options.timeoutMs ?? this.timeoutMs,
        read: async (response) => ({
          status: response.status,
          headers: response.headers,
          body: await readLimited(response, this.maxResponseBytes),
        }),
      },
      (id) => (requestId = id),
    );
    return { ...result, requestId };
  }

  /** Calls a SOAP 1.1/1.2 service; a SOAP fault becomes a `SOAP_FAULT` error. */
  async soap(options: SoapCallOptions): Promise<SoapResponse> {
    const version = options.soapVersion ?? '1.1';
    const url = this.url(options.context, options.version, options.path, undefined);
    let requestId = '';
    const envelope = await this.execute<{ status: number; envelope: SoapEnvelope }>(
      {
        method: 'POST',
        url,
        endpoint: this.endpointKey(options.context, options.version),
        headers: {
          accept: 'application/soap+xml, text/xml',
          ...options.headers,
          ...soapHeaders(version, options.action),
        },
        body: buildSoapEnvelope(version, options.body, options.header),
        idempotent: options.idempotent ?? false,
        signal: options.signal,
        timeoutMs: options.timeoutMs ?? this.timeoutMs,
        read: async (response) => {
          const parsed = parseSoapEnvelope(
            await readLimited(response, this.maxResponseBytes),
            this.maxResponseBytes,
          );
          if (parsed.fault !== undefined) throw soapFault(parsed, response.status);
          return { status: response.status, envelope: parsed };
        },
        classify: (response, body) => {
          if (!/xml/i.test(response.headers.get('content-type') ?? '') || !/Fault/.test(body))
            return undefined;
          try {
            const parsed = parseSoapEnvelope(new TextEncoder().encode(body));
            return parsed.fault === undefined ? undefined : soapFault(parsed, response.status);
          } catch {
            return undefined;
          }
        },
      },
      (id) => (requestId = id),
    );
    return { ...envelope, requestId, result: envelope.envelope.body[0] };
  }

  /** Releases sockets held by the client's own keep-alive agents (when it created them for `tls`). */
  close(): void {
    this.ownedFetch?.close();
  }

  private endpointKey(context: string, version: string): string {
    return `${this.baseUrl.origin}/${context}/${version}`;
  }

  private url(context: string, version: string, path: string | undefined, query: CallOptions['query']): URL {
    if (!/^[A-Za-z0-9_.~-]+$/.test(context) || !/^[A-Za-z0-9_.~-]+$/.test(version)) {
      throw new LgspError('CONFIG_INVALID', `invalid API context or version "${context}/${version}"`, {
        details: { context, version },
      });
    }
    const base = this.baseUrl.pathname.replace(/\/$/, '');
    const suffix = path === undefined || path === '' ? '' : path.startsWith('/') ? path : `/${path}`;
    const url = new URL(`${base}/${context}/${version}${suffix}`, this.baseUrl);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  private breaker(endpoint: string): CircuitBreaker | undefined {
    if (this.breakerOptions === undefined) return undefined;
    let breaker = this.breakers.get(endpoint);
    if (breaker === undefined) {
      breaker = new CircuitBreaker(
        this.clock,
        this.breakerOptions.failureThreshold,
        this.breakerOptions.resetTimeoutMs,
      );
      this.breakers.set(endpoint, breaker);
    }
    return breaker;
  }

  private log(level: keyof Logger, message: string, fields: Record<string, unknown>): void {
    const logger = this.logger;
    if (logger?.[level] === undefined) return;
    try {
      logger[level](message, redactSecrets(fields) as Record<string, unknown>);
    } catch {
      // A failing logger must not fail the call.
    }
  }

  private backoff(retryIndex: number, retryAfter: string | null): number {
    const retry = this.retry as Required<RetryOptions>;
    if (retryAfter !== null) {
      const seconds = Number(retryAfter);
      const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - this.clock.now();
      if (Number.isFinite(ms)) return Math.min(Math.max(0, ms), retry.maxRetryAfterMs);
    }
    const cap = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (retryIndex - 1));
    return Math.floor(this.random() * cap);
  }

  private async execute<T>(spec: Attempt<T>, onRequestId: (id: string) => void): Promise<T> {
    const requestId = this.newRequestId();
    onRequestId(requestId);
    const breaker = this.breaker(spec.endpoint);
    const maxAttempts = spec.idempotent && this.retry !== undefined ? this.retry.maxAttempts : 1;
    let refreshed = false;
    let forceRefresh = false;
    let rejected: string | undefined;
    let attempt = 0;
    for (;;) {
      attempt++;
      if (spec.signal?.aborted) throw aborted(spec.signal, requestId);
      if (breaker !== undefined && !breaker.tryAcquire()) {
        throw new LgspError(
          'CIRCUIT_OPEN',
          `${spec.endpoint} failed repeatedly; calls are paused for ${breaker.retryInMs()} ms / dịch vụ lỗi liên tiếp, tạm dừng gọi ${breaker.retryInMs()} ms`,
          {
            retryable: true,
            details: { endpoint: spec.endpoint, retryInMs: breaker.retryInMs(), requestId },
          },
        );
      }
      // One controller per attempt: aborted by the timeout or by the caller's signal.
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new DOMException('timeout', 'TimeoutError'));
      }, spec.timeoutMs);
      const onCallerAbort = () => controller.abort(spec.signal?.reason);
      spec.signal?.addEventListener('abort', onCallerAbort, { once: true });
      const signal = controller.signal;
      const headers = new Headers(spec.headers);
      headers.set('x-request-id', requestId);
      if (this.userAgent !== undefined) headers.set('user-agent', this.userAgent);
      let context: RequestContext | undefined;
      let error: LgspError;
      let retryAfter: string | null = null;
      const started = this.clock.now();
      try {
        let credential: string | undefined;
        if (this.auth !== undefined) {
          credential = await this.auth.apply(headers, {
            fetch: this.fetch,
            clock: this.clock,
            signal,
            forceRefresh,
            ...(rejected === undefined ? {} : { rejected }),
          });
        }
        forceRefresh = false;
        context = {
          requestId,
          attempt,
          endpoint: spec.endpoint,
          request: { method: spec.method, url: new URL(spec.url), headers, body: spec.body },
        };
        for (const m of this.middleware) await m.onRequest?.(context);
        if (this.logger?.debug !== undefined) {
          this.log('debug', 'lgsp.request', {
            requestId,
            attempt,
            method: context.request.method,
            url: redactUrl(context.request.url.href),
            headers: context.request.headers,
          });
        }
        const out = context.request;
        let response = await this.fetch(out.url, {
          method: out.method,
          headers: out.headers,
          signal,
          ...(out.body === undefined ? {} : { body: out.body }),
        });
        for (const m of this.middleware) {
          const replaced = await m.onResponse?.(context, response);
          if (replaced !== undefined) response = replaced;
        }
        if (this.logger?.debug !== undefined) {
          this.log('debug', 'lgsp.response', {
            requestId,
            attempt,
            status: response.status,
            durationMs: this.clock.now() - started,
          });
        }
        if (response.ok) {
          const value = await spec.read(response);
          breaker?.success();
          return value;
        }
        const body = await response.text().catch(() => '');
        const specific = spec.classify?.(response, body);
        if (response.status === 401 && this.auth?.refreshable === true && !refreshed) {
          // One forced refresh: the gateway may have revoked the token (e.g. after a password change).
          refreshed = true;
          forceRefresh = true;
          rejected = credential;
          breaker?.success();
          attempt--;
          this.log('info', 'lgsp.auth.refresh', { requestId, status: 401 });
          continue;
        }
        if (specific !== undefined) {
          breaker?.success();
          throw specific;
        }
        error = httpError(response.status, body, spec, requestId);
        if (response.status >= 500) {
          breaker?.failure();
          retryAfter = response.headers.get('retry-after');
        } else breaker?.success();
      } catch (caught) {
        if (isLgspError(caught) && caught.code === 'SOAP_FAULT') throw caught;
        if (spec.signal?.aborted) {
          breaker?.release();
          throw aborted(spec.signal, requestId);
        }
        if (isLgspError(caught)) {
          error = caught;
          // Token-endpoint failures say nothing about this endpoint; unreadable bodies prove it answered.
          if (caught.code === 'AUTH_FAILED') breaker?.release();
          else if (caught.code === 'NETWORK_ERROR' || caught.code === 'TIMEOUT') breaker?.failure();
          else breaker?.success();
        } else {
          breaker?.failure();
          error = new LgspError<LgspErrorCode>(
            timedOut ? 'TIMEOUT' : 'NETWORK_ERROR',
            timedOut
              ? `no answer from ${spec.endpoint} within ${spec.timeoutMs} ms / không có phản hồi trong ${spec.timeoutMs} ms`
              : `could not reach ${spec.endpoint}: ${errorMessage(caught)} / không kết nối được`,
            { cause: caught, retryable: true, details: { endpoint: spec.endpoint, requestId, attempt } },
          );
        }
      } finally {
        clearTimeout(timer);
        spec.signal?.removeEventListener('abort', onCallerAbort);
      }
      const errorContext: RequestContext = context ?? {
        requestId,
        attempt,
        endpoint: spec.endpoint,
        request: { method: spec.method, url: new URL(spec.url), headers, body: spec.body },
      };
      for (const m of this.middleware) {
        try {
          await m.onError?.(errorContext, error);
        } catch {
          // Error hooks observe; they cannot change the outcome.
        }
      }
      if (!error.retryable || attempt >= maxAttempts) {
        this.log('warn', 'lgsp.failed', { requestId, attempt, code: error.code, message: error.message });
        throw error;
      }
      const delayMs = this.backoff(attempt, retryAfter);
      this.log('info', 'lgsp.retry', { requestId, attempt, code: error.code, delayMs });
      try {
        await this.clock.sleep(delayMs, spec.signal);
      } catch {
        throw aborted(spec.signal as AbortSignal, requestId);
      }
    }
  }
}

/** Reads a body, failing with `RESPONSE_INVALID` as soon as it exceeds `max` bytes. */
async function readLimited(response: Response, max: number): Promise<Uint8Array> {
  const tooLarge = () =>
    new LgspError(
      'RESPONSE_INVALID',
      `the response is larger than ${max} bytes / phản hồi lớn hơn ${max} byte`,
      {
        details: { status: response.status, limit: max },
      },
    );
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > max) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (response.body === null) return new Uint8Array(0);
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge();
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

function soapFault(envelope: SoapEnvelope, status: number): LgspError<'SOAP_FAULT'> {
  const fault = envelope.fault as NonNullable<SoapEnvelope['fault']>;
  return new LgspError(
    'SOAP_FAULT',
    `SOAP fault ${fault.code}: ${fault.reason} / lỗi SOAP ${fault.code}: ${fault.reason}`,
    {
      details: { status, faultCode: fault.code, faultReason: fault.reason, soapVersion: envelope.version },
    },
  );
}

function httpError<T>(status: number, body: string, spec: Attempt<T>, requestId: string): LgspError {
  const server = status >= 500;
  const code: LgspErrorCode =
    status === 401 ? 'AUTH_FAILED' : server ? 'HTTP_SERVER_ERROR' : 'HTTP_CLIENT_ERROR';
  const hint =
    status === 401 || status === 403
      ? 'check the credentials and the API subscription / kiểm tra thông tin xác thực và đăng ký API'
      : server
        ? 'the service failed; try again later / dịch vụ gặp lỗi, thử lại sau'
        : 'the request was refused; fix it before retrying / yêu cầu bị từ chối, cần sửa trước khi gửi lại';
  return new LgspError(code, `${spec.method} ${spec.url.pathname} answered ${status}: ${hint}`, {
    retryable: server,
    details: { status, requestId, endpoint: spec.endpoint, body: body.slice(0, SNIPPET) },
  });
}

function aborted(signal: AbortSignal, requestId: string): LgspError<'ABORTED'> {
  return new LgspError('ABORTED', 'the call was aborted / cuộc gọi đã bị hủy', {
    cause: signal.reason,
    details: { requestId },
  });
}

function errorMessage(error: unknown): string {
  if (isDttmError(error)) return error.message;
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}

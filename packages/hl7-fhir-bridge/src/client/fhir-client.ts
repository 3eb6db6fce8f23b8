import type { Client as FhirKitClient } from 'fhir-kit-client';
import { Hl7Error, isHl7Error, type Hl7ErrorCode } from '../errors.js';
import type { FhirResource, TransactionBundle } from '../fhir/types.js';

/** One issue of an OperationOutcome, as the server sent it. */
export interface OutcomeIssue {
  readonly severity: string;
  readonly code: string;
  readonly diagnostics?: string;
  readonly details?: unknown;
  readonly expression?: readonly string[];
}

/** A FHIR Bundle as read back (transaction-response, searchset). */
export interface FhirBundle {
  readonly resourceType: 'Bundle';
  readonly type: string;
  readonly total?: number;
  readonly entry?: readonly {
    readonly fullUrl?: string;
    readonly resource?: FhirResource;
    readonly response?: { readonly status: string; readonly location?: string; readonly etag?: string };
  }[];
}

/** Exponential backoff with full jitter: attempt n waits `random() × min(maxDelayMs, baseDelayMs × 2^(n-1))`. */
export interface BackoffOptions {
  /** Default 200 ms. */
  readonly baseDelayMs?: number;
  /** Default 10 000 ms. */
  readonly maxDelayMs?: number;
}

/** Told before each retry. */
export interface RetryInfo {
  /** The attempt that failed (1-based). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: Hl7Error;
}

export interface FhirClientOptions {
  /** FHIR base URL, e.g. `https://hub.example.vn/fhir`. */
  readonly baseUrl: string;
  /**
   * When given, requests go through this `fetch` directly; otherwise through `fhir-kit-client`
   * (which uses the global `fetch`).
   */
  readonly fetch?: typeof fetch;
  /** Sent as `Authorization: Bearer …`; a function is called before every attempt (token refresh). */
  readonly bearerToken?: string | (() => string | Promise<string>);
  /** Extra headers on every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per attempt. Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Attempts per call, first included, for retryable failures (5xx, 429, network, timeout). Default 4. */
  readonly maxAttempts?: number;
  readonly backoff?: BackoffOptions;
  /** Waits between attempts. Default a timer; tests inject their own. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Jitter source in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
  readonly onRetry?: (info: RetryInfo) => void;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
  /** Attempts for this call (overrides `maxAttempts`); the outbox uses 1 and retries itself. */
  readonly maxAttempts?: number;
}

interface RawResponse {
  readonly status: number;
  /** Parsed JSON; `undefined` for an empty body. */
  readonly json: unknown;
  /** The body was not JSON. */
  readonly invalid: boolean;
  /** The `Retry-After` header, when sent. */
  readonly retryAfter?: string | null;
}

type Transport = (
  method: string,
  path: string,
  body: string | undefined,
  headers: Record<string, string>,
  signal: AbortSignal,
) => Promise<RawResponse>;

/** Resolves after `ms`, or rejects when `signal` aborts. */
export function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The delay before retry number `attempt` (1-based). */
export function backoffDelay(
  attempt: number,
  backoff: BackoffOptions = {},
  random: () => number = Math.random,
) {
  const base = backoff.baseDelayMs ?? 200;
  const max = backoff.maxDelayMs ?? 10_000;
  return Math.floor(random() * Math.min(max, base * 2 ** (attempt - 1)));
}

/**
 * The wait before retrying after `error`: the backoff delay, or the server's `Retry-After`
 * (`details.retryAfterMs`) when longer, capped at `maxDelayMs`.
 */
export function retryDelay(
  attempt: number,
  error: Hl7Error,
  backoff: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const delay = backoffDelay(attempt, backoff, random);
  const asked = error.details?.retryAfterMs;
  if (typeof asked !== 'number') return delay;
  return Math.max(delay, Math.min(asked, backoff.maxDelayMs ?? 10_000));
}

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function parseBody(text: string): { json: unknown; invalid: boolean } {
  if (text === '') return { json: undefined, invalid: false };
  try {
    return { json: JSON.parse(text) as unknown, invalid: false };
  } catch {
    return { json: text, invalid: true };
  }
}

function fetchTransport(baseUrl: string, fetchFn: typeof fetch): Transport {
  return async (method, path, body, headers, signal) => {
    const res = await fetchFn(joinUrl(baseUrl, path), {
      method,
      headers,
      signal,
      ...(body === undefined ? {} : { body }),
    });
    const { json, invalid } = parseBody(await res.text());
    return { status: res.status, json, invalid, retryAfter: res.headers.get('retry-after') };
  };
}

interface FhirKitError {
  readonly response: { readonly status: number; readonly data: unknown };
  readonly config?: { readonly headers?: unknown };
}

function isFhirKitError(e: unknown): e is FhirKitError {
  if (typeof e !== 'object' || e === null || !('response' in e)) return false;
  const r = e.response;
  return typeof r === 'object' && r !== null && typeof (r as { status?: unknown }).status === 'number';
}

function fhirKitTransport(baseUrl: string): Transport {
  let client: Promise<FhirKitClient> | undefined;
  return async (method, path, body, headers, signal) => {
    client ??= import('fhir-kit-client').then((m) => new m.Client({ baseUrl }));
    const c = await client;
    try {
      const json = await c.request(path, {
        method: method as 'GET',
        options: { headers, signal },
        ...(body === undefined ? {} : { body }),
      });
      return { status: 200, json: JSON.parse(JSON.stringify(json)) as unknown, invalid: false };
    } catch (err) {
      if (!isFhirKitError(err)) throw err;
      const data = err.response.data;
      const h = err.config?.headers;
      const retryAfter = h instanceof Headers ? h.get('retry-after') : null;
      return { status: err.response.status, json: data, invalid: typeof data === 'string', retryAfter };
    }
  };
}

/** The OperationOutcome issues of a response body, if it is one. */
export function outcomeIssues(body: unknown): OutcomeIssue[] {
  if (typeof body !== 'object' || body === null) return [];
  const b = body as { resourceType?: unknown; issue?: unknown };
  if (b.resourceType !== 'OperationOutcome' || !Array.isArray(b.issue)) return [];
  return b.issue.filter((i): i is OutcomeIssue => typeof i === 'object' && i !== null);
}

/** `Retry-After` as milliseconds (delta-seconds or an HTTP date), or undefined. */
export function retryAfterMs(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function statusError(
  status: number,
  body: unknown,
  method: string,
  path: string,
  retryAfter?: number,
): Hl7Error {
  const issues = outcomeIssues(body);
  const first = issues.find((i) => typeof i.diagnostics === 'string')?.diagnostics;
  const what = `${method} ${path}: HTTP ${status}${first === undefined ? '' : ` — ${first}`}`;
  const details = { status, method, path, issues };
  let code: Hl7ErrorCode;
  let hint: string;
  if (status === 401 || status === 403) {
    code = 'FHIR_UNAUTHORIZED';
    hint = 'check the bearer token / kiểm tra mã truy cập';
  } else if (status === 412) {
    code = 'FHIR_PRECONDITION';
    hint = 'a conditional request matched several resources / điều kiện khớp nhiều tài nguyên';
  } else if (status >= 500 || status === 429 || status === 408) {
    return new Hl7Error('FHIR_SERVER_ERROR', `${what}; retry later / máy chủ FHIR lỗi, thử lại sau`, {
      details: retryAfter === undefined ? details : { ...details, retryAfterMs: retryAfter },
      retryable: true,
    });
  } else {
    code = 'FHIR_REJECTED';
    hint = 'the server rejected the request / máy chủ từ chối yêu cầu';
  }
  return new Hl7Error(code, `${what}; ${hint}`, { details });
}

/**
 * A FHIR R4 client for the bridge: capability check, transaction submit, read and search, with
 * retries (exponential backoff, full jitter) on 5xx/429/network/timeout and never on other 4xx,
 * per-attempt timeouts, `AbortSignal`, bearer auth, and {@link Hl7Error}s carrying the server's
 * OperationOutcome issues in `details.issues`.
 */
export class FhirClient {
  private readonly transport: Transport;

  constructor(private readonly options: FhirClientOptions) {
    this.transport =
      options.fetch === undefined
        ? fhirKitTransport(options.baseUrl)
        : fetchTransport(options.baseUrl, options.fetch);
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /**
   * Reads `/metadata` and checks the server speaks FHIR R4 (4.0.x) and accepts transactions;
   * throws `FHIR_CAPABILITY` otherwise. Returns the CapabilityStatement.
   */
  async capabilities(options: CallOptions = {}): Promise<FhirResource> {
    const cs = await this.request('GET', 'metadata', undefined, options);
    const c = cs as {
      resourceType?: unknown;
      fhirVersion?: unknown;
      rest?: { mode?: string; interaction?: { code?: string }[] }[];
    };
    if (c.resourceType !== 'CapabilityStatement') {
      throw new Hl7Error(
        'FHIR_CAPABILITY',
        '/metadata is not a CapabilityStatement / không phải CapabilityStatement',
        {
          details: { resourceType: c.resourceType },
        },
      );
    }
    if (typeof c.fhirVersion !== 'string' || !c.fhirVersion.startsWith('4.0')) {
      throw new Hl7Error(
        'FHIR_CAPABILITY',
        `The server speaks FHIR ${String(c.fhirVersion)}, not R4 (4.0.x) / máy chủ không phải FHIR R4`,
        { details: { fhirVersion: c.fhirVersion } },
      );
    }
    const server = (Array.isArray(c.rest) ? c.rest : []).find((r) => r.mode === 'server');
    if (!(server?.interaction ?? []).some((i) => i.code === 'transaction')) {
      throw new Hl7Error(
        'FHIR_CAPABILITY',
        'The server does not accept transaction Bundles / máy chủ không hỗ trợ transaction',
        { details: { missing: 'transaction' } },
      );
    }
    return cs as FhirResource;
  }

  /** Submits a transaction Bundle; resolves with the `transaction-response` Bundle. */
  async transaction(bundle: TransactionBundle, options: CallOptions = {}): Promise<FhirBundle> {
    const res = await this.request('POST', '', JSON.stringify(bundle), options);
    const b = res as Partial<FhirBundle>;
    if (b.resourceType !== 'Bundle' || b.type !== 'transaction-response') {
      throw new Hl7Error(
        'FHIR_BAD_RESPONSE',
        'The answer to a transaction is not a transaction-response Bundle',
        {
          details: { resourceType: b.resourceType, type: b.type },
          retryable: true,
        },
      );
    }
    return res as FhirBundle;
  }

  /** `GET /Type/id`. */
  async read(type: string, id: string, options: CallOptions = {}): Promise<FhirResource> {
    return (await this.request(
      'GET',
      `${encodeURIComponent(type)}/${encodeURIComponent(id)}`,
      undefined,
      options,
    )) as FhirResource;
  }

  /** `GET /Type?identifier=system|value`: the searchset Bundle. */
  async searchByIdentifier(
    type: string,
    system: string,
    value: string,
    options: CallOptions = {},
  ): Promise<FhirBundle> {
    const q = new URLSearchParams({ identifier: `${system}|${value}` });
    return (await this.request(
      'GET',
      `${encodeURIComponent(type)}?${q.toString()}`,
      undefined,
      options,
    )) as FhirBundle;
  }

  private async request(
    method: string,
    path: string,
    body: string | undefined,
    options: CallOptions,
  ): Promise<unknown> {
    const max = Math.max(1, options.maxAttempts ?? this.options.maxAttempts ?? 4);
    const signal = options.signal ?? new AbortController().signal;
    const sleep = this.options.sleep ?? defaultSleep;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(method, path, body, signal);
      } catch (err) {
        const e = err as Hl7Error;
        if (!e.retryable || attempt >= max) throw e;
        const delayMs = retryDelay(attempt, e, this.options.backoff, this.options.random);
        this.options.onRetry?.({ attempt, delayMs, error: e });
        try {
          await sleep(delayMs, signal);
        } catch (cause) {
          throw new Hl7Error('ABORTED', 'The FHIR request was aborted / yêu cầu FHIR đã bị hủy', { cause });
        }
      }
    }
  }

  private async attempt(
    method: string,
    path: string,
    body: string | undefined,
    signal: AbortSignal,
  ): Promise<unknown> {
    if (signal.aborted) {
      throw new Hl7Error('ABORTED', 'The FHIR request was aborted / yêu cầu FHIR đã bị hủy', {
        cause: signal.reason,
      });
    }
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const headers: Record<string, string> = {
      accept: 'application/fhir+json',
      ...this.options.headers,
    };
    if (body !== undefined) headers['content-type'] = 'application/fhir+json; charset=utf-8';
    const token = this.options.bearerToken;
    if (token !== undefined)
      headers.authorization = `Bearer ${typeof token === 'string' ? token : await token()}`;
    let res: RawResponse;
    try {
      res = await this.transport(method, path, body, headers, AbortSignal.any([signal, timeout]));
    } catch (cause) {
      if (isHl7Error(cause)) throw cause;
      if (signal.aborted) {
        throw new Hl7Error('ABORTED', 'The FHIR request was aborted / yêu cầu FHIR đã bị hủy', { cause });
      }
      if (timeout.aborted) {
        throw new Hl7Error(
          'FHIR_TIMEOUT',
          `${method} /${path}: no answer within ${timeoutMs} ms / quá thời gian chờ`,
          {
            cause,
            retryable: true,
            details: { method, path, timeoutMs },
          },
        );
      }
      throw new Hl7Error(
        'FHIR_NETWORK',
        `${method} /${path}: cannot reach the FHIR server / không kết nối được máy chủ FHIR`,
        {
          cause,
          retryable: true,
          details: { method, path },
        },
      );
    }
    if (res.status >= 400) {
      throw statusError(res.status, res.json, method, `/${path}`, retryAfterMs(res.retryAfter));
    }
    if (res.invalid || res.json === undefined) {
      throw new Hl7Error(
        'FHIR_BAD_RESPONSE',
        `${method} /${path}: HTTP ${res.status} without a FHIR JSON body`,
        {
          details: { status: res.status, method, path },
          retryable: true,
        },
      );
    }
    return res.json;
  }
}

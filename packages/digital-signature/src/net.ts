import { SignatureError } from './errors.js';

/** The subset of `fetch` the package uses; pass `globalThis.fetch` or a simulator. */
export type FetchLike = (
  url: string,
  init: {
    readonly method: 'GET' | 'POST';
    readonly headers?: Record<string, string>;
    readonly body?: Uint8Array;
    readonly signal: AbortSignal;
  },
) => Promise<{ readonly ok: boolean; readonly status: number; arrayBuffer(): Promise<ArrayBuffer> }>;

/** A cache entry: bytes plus the instant after which it must be refetched. */
interface Entry {
  readonly bytes: Uint8Array;
  readonly expiresAt: number;
}

/**
 * In-memory cache for AIA certificates, CRLs and OCSP responses. Create one per application and pass
 * it to every verification to share downloads; entries expire at the data's `nextUpdate` (CRL/OCSP)
 * or after `ttlMs` (AIA certificates).
 */
export class ValidationCache {
  private readonly entries = new Map<string, Entry>();
  constructor(
    /** Lifetime of AIA downloads, and upper bound for all entries (default 1 hour). */
    readonly ttlMs: number = 3_600_000,
    /** Maximum number of entries (oldest evicted first, default 1000). */
    readonly maxEntries: number = 1000,
  ) {}

  get(key: string, now: number): Uint8Array | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    if (e.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return e.bytes;
  }

  set(key: string, bytes: Uint8Array, now: number, expiresAt?: number): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { bytes, expiresAt: Math.min(expiresAt ?? Infinity, now + this.ttlMs) });
  }

  get size(): number {
    return this.entries.size;
  }

  private readonly verified = new Map<string, boolean>();

  /**
   * Memoises a signature check keyed by the SHA-256 fingerprints of what was signed and of the key
   * holder, so repeated validations of the same chain or revocation data verify each signature once.
   */
  memoVerify(key: string, compute: () => boolean): boolean {
    const hit = this.verified.get(key);
    if (hit !== undefined) return hit;
    const result = compute();
    if (this.verified.size >= this.maxEntries * 4) this.verified.clear();
    this.verified.set(key, result);
    return result;
  }
}

export interface NetworkContext {
  readonly fetch: FetchLike | undefined;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly signal: AbortSignal | undefined;
  readonly cache: ValidationCache;
  readonly now: () => Date;
}

/** Fetches bytes with a timeout, abort signal and size limit. Errors are `SIG_FETCH_FAILED` (retryable) or `SIG_ABORTED`. */
export async function fetchBytes(
  ctx: NetworkContext,
  url: string,
  init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: Uint8Array } = { method: 'GET' },
): Promise<Uint8Array> {
  if (ctx.fetch === undefined) {
    throw new SignatureError('SIG_FETCH_FAILED', `no fetch function configured (offline mode): ${url}`, {
      details: { url },
    });
  }
  if (!/^https?:\/\//i.test(url)) {
    throw new SignatureError('SIG_FETCH_FAILED', `only http(s) URLs are fetched: ${url}`, {
      details: { url },
    });
  }
  if (ctx.signal?.aborted === true)
    throw new SignatureError('SIG_ABORTED', 'validation aborted', { cause: ctx.signal.reason });
  const timeout = AbortSignal.timeout(ctx.timeoutMs);
  const signal = ctx.signal === undefined ? timeout : AbortSignal.any([ctx.signal, timeout]);
  try {
    const res = await ctx.fetch(url, { ...init, signal });
    if (!res.ok) {
      throw new SignatureError('SIG_FETCH_FAILED', `HTTP ${res.status} from ${url}`, {
        retryable: res.status >= 500 || res.status === 429,
        details: { url, status: res.status },
      });
    }
    const buf = new Uint8Array(await res.arrayBuffer());
    if (buf.length > ctx.maxResponseBytes) {
      throw new SignatureError(
        'SIG_INPUT_TOO_LARGE',
        `response from ${url} exceeds ${ctx.maxResponseBytes} bytes`,
        {
          details: { url, size: buf.length },
        },
      );
    }
    return buf;
  } catch (cause) {
    if (cause instanceof SignatureError) throw cause;
    if (ctx.signal?.aborted) throw new SignatureError('SIG_ABORTED', 'validation aborted', { cause });
    throw new SignatureError('SIG_FETCH_FAILED', `fetching ${url} failed`, {
      cause,
      retryable: true,
      details: { url, timedOut: timeout.aborted },
    });
  }
}

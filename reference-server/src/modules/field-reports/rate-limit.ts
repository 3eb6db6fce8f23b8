/** A token bucket per client key, in memory (one instance's view; enough to slow a flood down). */
export interface RateLimitOptions {
  /** Submissions allowed at once. */
  readonly burst: number;
  /** Tokens added per minute. */
  readonly perMinute: number;
  /** Monotonic clock in milliseconds. */
  readonly now?: () => number;
  /** Buckets kept at most; full ones are dropped first when exceeded. Default 10000. */
  readonly maxClients?: number;
}

export class TokenBuckets {
  readonly #burst: number;
  readonly #perMs: number;
  readonly #now: () => number;
  readonly #max: number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(options: RateLimitOptions) {
    this.#burst = options.burst;
    this.#perMs = options.perMinute / 60_000;
    this.#now = options.now ?? (() => performance.now());
    this.#max = options.maxClients ?? 10_000;
  }

  /** Buckets held now. */
  get size(): number {
    return this.#buckets.size;
  }

  /** Takes one token for `key`: 0 when allowed, otherwise the seconds to wait before retrying. */
  take(key: string): number {
    const now = this.#now();
    const b = this.#buckets.get(key) ?? { tokens: this.#burst, at: now };
    b.tokens = Math.min(this.#burst, b.tokens + (now - b.at) * this.#perMs);
    b.at = now;
    const allowed = b.tokens >= 1;
    if (allowed) b.tokens -= 1;
    // Most recently used last, so eviction meets the idle ones first.
    this.#buckets.delete(key);
    this.#buckets.set(key, b);
    if (this.#buckets.size > this.#max) this.#evict(now, key);
    if (allowed) return 0;
    if (this.#perMs <= 0) return 3600;
    return Math.max(1, Math.ceil((1 - b.tokens) / this.#perMs / 1000));
  }

  /** Drops the least recently used buckets (they refill to full while idle anyway). */
  #evict(now: number, keep: string): void {
    for (const [key, b] of this.#buckets) {
      if (this.#buckets.size <= this.#max) return;
      if (key === keep) continue;
      if (b.tokens + (now - b.at) * this.#perMs >= this.#burst || this.#buckets.size > this.#max * 1.1)
        this.#buckets.delete(key);
    }
  }
}

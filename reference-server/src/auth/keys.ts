import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs';

/** Supplies verification keys by `kid`. Implementations cache and pick up rotated keys. */
export interface KeySource {
  /** The key for `kid`, or undefined when no such key is known (after any refresh the source allows). */
  getKey(kid: string | undefined): Promise<KeyObject | undefined>;
}

interface Jwk {
  readonly kty?: unknown;
  readonly crv?: unknown;
  readonly kid?: unknown;
  readonly use?: unknown;
  readonly d?: unknown;
}

export class JwksError extends Error {
  override readonly name = 'JwksError';
}

/** Parses a JWKS document; only public signature keys (RSA, EC P-256) are kept, private members refused. */
export function parseJwks(text: string, where: string): Map<string, KeyObject> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new JwksError(`${where}: not JSON (${(err as Error).message})`);
  }
  const list: unknown = (doc as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) throw new JwksError(`${where}: expected {"keys": [...]}`);
  const keys = new Map<string, KeyObject>();
  (list as Jwk[]).forEach((jwk, i) => {
    if (jwk.use !== undefined && jwk.use !== 'sig') return;
    if (jwk.d !== undefined) throw new JwksError(`${where}: keys[${i}] contains a private key`);
    if (typeof jwk.kid !== 'string' || jwk.kid === '') throw new JwksError(`${where}: keys[${i}] has no kid`);
    if (jwk.kty !== 'RSA' && !(jwk.kty === 'EC' && jwk.crv === 'P-256')) return;
    try {
      keys.set(jwk.kid, createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }));
    } catch (err) {
      throw new JwksError(
        `${where}: keys[${i}] (${String(jwk.kid)}) is not a valid key: ${(err as Error).message}`,
      );
    }
  });
  return keys;
}

/**
 * Keys from a JWKS file. The file is re-read when its modification time changes, so rotating keys
 * means writing a new file (old and new keys side by side during the overlap).
 */
export function jwksFileSource(
  file: string,
  options: { readonly checkIntervalMs?: number; readonly now?: () => number } = {},
): KeySource {
  const interval = options.checkIntervalMs ?? 1000;
  const now = options.now ?? Date.now;
  let cached: { mtimeMs: number; keys: Map<string, KeyObject> } | undefined;
  let checkedAt = -Infinity;
  return {
    getKey(kid) {
      // Look at the file at most once per interval, and whenever a kid is unknown.
      const known = kid !== undefined && cached?.keys.has(kid) === true;
      if (cached !== undefined && known && now() - checkedAt < interval)
        return Promise.resolve(cached.keys.get(kid));
      checkedAt = now();
      const st = fs.statSync(file, { throwIfNoEntry: false });
      if (st === undefined) return Promise.reject(new JwksError(`${file}: no such JWKS file`));
      if (cached?.mtimeMs !== st.mtimeMs) {
        cached = { mtimeMs: st.mtimeMs, keys: parseJwks(fs.readFileSync(file, 'utf8'), file) };
      }
      return Promise.resolve(kid === undefined ? undefined : cached.keys.get(kid));
    },
  };
}

export interface JwksUrlOptions {
  readonly fetch?: typeof fetch;
  /** How long a fetched JWKS is trusted. Default 10 minutes. */
  readonly maxAgeMs?: number;
  /** Minimum time between refetches triggered by an unknown `kid`. Default 30 s. */
  readonly minRefreshIntervalMs?: number;
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

/** Keys from a JWKS URL, cached; an unknown `kid` triggers a (rate-limited) refetch so rotation works. */
export function jwksUrlSource(url: string, options: JwksUrlOptions = {}): KeySource {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const maxAge = options.maxAgeMs ?? 600_000;
  const minInterval = options.minRefreshIntervalMs ?? 30_000;
  let cached: { at: number; keys: Map<string, KeyObject> } | undefined;
  let inflight: Promise<Map<string, KeyObject>> | undefined;
  const refresh = () => {
    inflight ??= (async () => {
      try {
        const res = await doFetch(url, {
          signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
          headers: { accept: 'application/json' },
        });
        if (!res.ok) throw new JwksError(`${url}: HTTP ${res.status}`);
        const keys = parseJwks(await res.text(), url);
        cached = { at: now(), keys };
        return keys;
      } finally {
        inflight = undefined;
      }
    })();
    return inflight;
  };
  return {
    async getKey(kid) {
      if (cached === undefined || now() - cached.at > maxAge) await refresh();
      let key = kid === undefined ? undefined : cached?.keys.get(kid);
      if (
        key === undefined &&
        kid !== undefined &&
        cached !== undefined &&
        now() - cached.at >= minInterval
      ) {
        key = (await refresh()).get(kid);
      }
      return key;
    },
  };
}

/** Placeholder written instead of a secret value. */
export const REDACTED = '[REDACTED]';

const SECRET_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|password|passwd|pass|secret|client[-_]?secret|x-secretkey|x-secret-key|token|access[-_]?token|refresh[-_]?token|id[-_]?token|lgspaccesstoken|api[-_]?key|x-api-key|private[-_]?key|passphrase)$/i;

/** True when a property or header name usually holds a secret (Authorization, passwords, tokens, keys). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.trim());
}

const MAX_DEPTH = 8;

/**
 * Returns a deep copy of `value` in which every property whose name looks like a secret
 * is replaced by `[REDACTED]`. Handles plain objects, arrays, `Map`, `Headers`-like objects
 * (anything with `entries()`), and cycles. Strings in URLs keep their shape but lose
 * user-info passwords and secret query parameters.
 */
export function redactSecrets(value: unknown): unknown {
  return redactValue(value, 0, new WeakSet());
}

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactUrl(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1, seen));
    if (value instanceof Date) return value.toISOString();
    if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
    const entries = iterableEntries(value);
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      out[k] = isSecretKey(k) ? REDACTED : redactValue(v, depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

function iterableEntries(value: object): Iterable<[string, unknown]> {
  const maybe = value as { entries?: unknown };
  if (!(value instanceof Error) && typeof maybe.entries === 'function' && !isPlainObject(value)) {
    const result: [string, unknown][] = [];
    for (const entry of (maybe.entries as () => Iterable<unknown>).call(value)) {
      if (Array.isArray(entry) && entry.length === 2) result.push([String(entry[0]), entry[1]]);
    }
    return result;
  }
  return Object.entries(value);
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Removes the password of `user:password@host` and the values of secret query parameters. */
export function redactUrl(text: string): string {
  if (!URL_LIKE.test(text)) return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  let changed = false;
  if (url.password) {
    url.password = REDACTED;
    changed = true;
  }
  for (const key of [...url.searchParams.keys()]) {
    if (isSecretKey(key)) {
      url.searchParams.set(key, REDACTED);
      changed = true;
    }
  }
  return changed ? url.toString() : text;
}

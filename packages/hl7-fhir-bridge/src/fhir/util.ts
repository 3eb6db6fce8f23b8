import { createHash } from 'node:crypto';

/** Removes `undefined`, empty strings, empty arrays and empty objects, recursively. */
export function compact<T>(value: T): T {
  return prune(value) as T;
}

function prune(value: unknown): unknown {
  if (value === '' || value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value as unknown[]) {
      const p = prune(v);
      if (p !== undefined) out.push(p);
    }
    return out.length === 0 ? undefined : out;
  }
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  let any = false;
  for (const k in src) {
    const p = prune(src[k]);
    if (p !== undefined) {
      out[k] = p;
      any = true;
    }
  }
  return any ? out : undefined;
}

// A fixed namespace so the same identifiers always give the same UUID (RFC 4122 version 5 layout).
const NAMESPACE = Buffer.from('6b1f3c2e9d8a4f0b8c7e5a4d3b2c1f0e', 'hex');

/** `urn:uuid:` derived from a name (SHA-1, UUID v5 layout): the same name always gives the same URN. */
export function deterministicUrn(name: string): string {
  const h = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `urn:uuid:${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** Encodes a search parameter value, keeping `:` `/` and the `|` token separator readable. */
function encodeParam(s: string): string {
  if (/^[A-Za-z0-9:/._~-]*$/.test(s)) return s;
  return encodeURIComponent(s).replace(/%3A/gi, ':').replace(/%2F/gi, '/');
}

/** `identifier=system|value`, URL-encoded for a conditional URL. */
export function identifierQuery(system: string, value: string): string {
  return `identifier=${encodeParam(system)}|${encodeParam(value)}`;
}

/** `code` → its display from a table, or the code itself. */
export function lookup<T>(table: Readonly<Record<string, T>>, code: string | undefined): T | undefined {
  if (code === undefined || code === '') return undefined;
  return Object.prototype.hasOwnProperty.call(table, code) ? table[code] : undefined;
}

/** A FHIR instant plus some minutes, in the same offset (`Z` stays `Z`). */
export function addMinutes(instant: string, minutes: number): string | undefined {
  const m = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(Z|([+-])(\d{2}):(\d{2}))$/.exec(instant);
  const at = Date.parse(instant);
  if (m === null || Number.isNaN(at)) return undefined;
  const offset = m[1] === 'Z' ? 0 : (m[2] === '-' ? -1 : 1) * (Number(m[3]) * 60 + Number(m[4]));
  const local = new Date(at + (minutes + offset) * 60_000).toISOString().slice(0, 19);
  return `${local}${m[1] === 'Z' ? 'Z' : m[1]}`;
}

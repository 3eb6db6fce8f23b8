import { createHash } from 'node:crypto';
import type { AuditEntry, AuditInput, AuditVerification, IngestAudit, JsonValue } from './types.js';

/** `prevHash` of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

export class AuditInputError extends Error {
  override readonly name = 'AuditInputError';
}

/**
 * Canonical JSON (RFC 8785 style for the values we accept): object keys sorted by code unit,
 * no whitespace, strings NFC-normalised. Rejects values JSON cannot carry faithfully.
 */
export function canonicalJson(value: unknown, path = '$'): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value))
        throw new AuditInputError(`${path}: ${value} is not representable in JSON`);
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value.normalize('NFC'));
    case 'object': {
      if (Array.isArray(value))
        return `[${value.map((v, i) => canonicalJson(v, `${path}[${i}]`)).join(',')}]`;
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new AuditInputError(`${path}: only plain objects, arrays and primitives can be audited`);
      }
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k.normalize('NFC'))}:${canonicalJson(obj[k], `${path}.${k}`)}`).join(',')}}`;
    }
    default:
      throw new AuditInputError(`${path}: a ${typeof value} cannot be audited`);
  }
}

export function validateAuditInput(input: AuditInput): void {
  for (const field of ['actor', 'action', 'subject'] as const) {
    const v = input[field] as unknown;
    if (typeof v !== 'string' || v.trim() === '' || v.length > 512) {
      throw new AuditInputError(`${field} must be a non-empty string of at most 512 characters`);
    }
  }
}

/** SHA-256 over the previous hash and the canonical form of the record's other fields. */
export function entryHash(prevHash: string, e: Omit<AuditEntry, 'hash' | 'prevHash'>): string {
  const body = canonicalJson({
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    subject: e.subject,
    data: e.data,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** Builds the next record of the chain. */
export function nextEntry(
  previous: { readonly seq: number; readonly hash: string } | undefined,
  input: AuditInput,
  at: Date,
): AuditEntry {
  validateAuditInput(input);
  const data: JsonValue =
    input.data === undefined ? null : (JSON.parse(canonicalJson(input.data)) as JsonValue);
  const base = {
    seq: (previous?.seq ?? 0) + 1,
    at: at.toISOString(),
    actor: input.actor.normalize('NFC'),
    action: input.action.normalize('NFC'),
    subject: input.subject.normalize('NFC'),
    data,
  };
  const prevHash = previous?.hash ?? GENESIS_HASH;
  return { ...base, prevHash, hash: entryHash(prevHash, base) };
}

/** Verifies records streamed in sequence order. */
export async function verifyChain(
  entries: AsyncIterable<AuditEntry> | Iterable<AuditEntry>,
): Promise<AuditVerification> {
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  let count = 0;
  for await (const e of entries) {
    if (e.seq !== expectedSeq)
      return { ok: false, entries: count, brokenAt: expectedSeq, reason: 'sequence-gap' };
    if (e.prevHash !== prev) return { ok: false, entries: count, brokenAt: e.seq, reason: 'chain-broken' };
    if (entryHash(e.prevHash, e) !== e.hash)
      return { ok: false, entries: count, brokenAt: e.seq, reason: 'hash-mismatch' };
    prev = e.hash;
    expectedSeq++;
    count++;
  }
  return { ok: true, entries: count, head: prev };
}

/** The audit input of an ingest with its outcome. */
export function ingestAuditInput(
  audit: IngestAudit,
  outcome: { readonly accepted: number; readonly duplicates: number },
): AuditInput {
  return {
    actor: audit.actor,
    action: audit.action,
    subject: audit.subject,
    data: { ...audit.data, accepted: outcome.accepted, duplicates: outcome.duplicates },
  };
}

import { describe, expect, it } from 'vitest';
import {
  isSignatureError,
  loadCertificates,
  parseCertificate,
  parseCrl,
  parseDer,
  parseOcspResponse,
  parseSignedData,
  TrustStore,
  verifyCms,
} from '../src/index.js';
import { crl, pemToDer, read, VALIDATE_AT } from './helpers.js';

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(input: Uint8Array, r: () => number): Uint8Array {
  const out = Buffer.from(input);
  const kind = Math.floor(r() * 4);
  if (kind === 0) {
    for (let i = 0; i < 1 + Math.floor(r() * 8); i++)
      out[Math.floor(r() * out.length)] = Math.floor(r() * 256);
    return out;
  }
  if (kind === 1) return out.subarray(0, Math.floor(r() * out.length));
  if (kind === 2) {
    const at = Math.floor(r() * out.length);
    return Buffer.concat([
      out.subarray(0, at),
      Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]),
      out.subarray(at),
    ]);
  }
  const at = Math.floor(r() * out.length);
  out[at] = (out[at] ?? 0) ^ (1 << Math.floor(r() * 8));
  return out;
}

/** Runs `f` and returns the thrown value, or undefined. */
function thrown(f: () => unknown): unknown {
  try {
    f();
    return undefined;
  } catch (e) {
    return e;
  }
}

const parsers: [string, Uint8Array, (b: Uint8Array) => unknown][] = [
  ['certificate', pemToDer(read('signer-ec.crt')), parseCertificate],
  ['cms', read('cms/two-signers.p7s'), (b) => parseSignedData(b)],
  ['crl', crl('ca.crl'), parseCrl],
  ['ocsp', read('ocsp/signer-rsa.der'), parseOcspResponse],
  ['p7b', read('ca.p7b'), loadCertificates],
];

describe('parsers under random and mutated input', () => {
  it.each(parsers)('%s: only SignatureError, bounded time', (_, seed, parse) => {
    const r = rng(42);
    const started = Date.now();
    const codes = new Set<string>();
    for (let i = 0; i < 1500; i++) {
      const input =
        i % 5 === 0
          ? new Uint8Array(Array.from({ length: Math.floor(r() * 512) }, () => Math.floor(r() * 256)))
          : mutate(seed, r);
      const err = thrown(() => parse(input));
      if (err !== undefined) {
        expect(isSignatureError(err), err instanceof Error ? err.message : typeof err).toBe(true);
        if (isSignatureError(err)) codes.add(err.code);
      }
    }
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(codes.size).toBeGreaterThan(0);
  });

  it('rejects hostile nesting and oversized lengths with offsets', () => {
    const deep = new Uint8Array(200_000).map((_, i) => (i % 2 === 0 ? 0x30 : 0x80));
    const e1 = thrown(() => parseDer(deep));
    expect(isSignatureError(e1) && e1.message).toBe('DER nesting deeper than 64 at byte 130');
    const huge = Uint8Array.of(0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x00);
    const e2 = thrown(() => parseDer(huge));
    expect(isSignatureError(e2) && [e2.code, e2.details?.['offset']]).toEqual(['SIG_DER_INVALID', 0]);
    const e3 = thrown(() => parseSignedData(new Uint8Array(10), { maxBytes: 5 }));
    expect(isSignatureError(e3) && e3.code).toBe('SIG_INPUT_TOO_LARGE');
  });

  it('verifyCms answers every mutated signature with a report, never an exception', async () => {
    const trustStore = new TrustStore({ anchors: [read('root.crt')], includeVietnameseRoots: false });
    const r = rng(7);
    const seed = read('cms/valid-rsa-attached.p7m');
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const report = await verifyCms(mutate(seed, r), {
        trustStore,
        validationTime: VALIDATE_AT,
        crls: [crl('ca.crl'), crl('root.crl')],
      });
      seen.add(`${report.indication}/${report.subIndication ?? ''}`);
    }
    expect(seen.has('TOTAL_FAILED/FORMAT_FAILURE')).toBe(true);
    expect([...seen].every((s) => /^(TOTAL_PASSED|TOTAL_FAILED|INDETERMINATE)\//.test(s))).toBe(true);
  });
});

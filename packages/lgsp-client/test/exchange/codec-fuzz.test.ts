import { describe, expect, it } from 'vitest';
import { defaultDocumentAxisCodec, isLgspError, type AxisResponse } from '../../src/index.js';
import { readConformance } from '../fixtures.js';

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '{',
  '}',
  '[',
  ']',
  '"',
  ':',
  ',',
  'null',
  'true',
  '0',
  '"OK"',
  '"status"',
  '"data"',
  '"docId"',
  '<',
  'QUJD',
  '\u0000',
  'é',
];

const { vectors } = JSON.parse(readConformance('document-axis/responses.json')) as {
  vectors: { response: { body: string } }[];
};
const codec = defaultDocumentAxisCodec();
const decoders = [
  (r: AxisResponse) => codec.decodeSendEdoc(r),
  (r: AxisResponse) => codec.decodeListReceived(r),
  (r: AxisResponse) => codec.decodeGetEdoc(r),
  (r: AxisResponse) => codec.decodeUpdateStatus(r),
  (r: AxisResponse) => codec.decodeGetAgencies(r),
];

describe('default codec on mangled responses', () => {
  it('decodes or throws a typed error for 20 000 mutations of the vector bodies', () => {
    const random = prng(20261201);
    let typed = 0;
    let decoded = 0;
    for (let i = 0; i < 20_000; i++) {
      const base = vectors[Math.floor(random() * vectors.length)]?.response.body ?? '';
      let body = base;
      for (let e = 0; e < 1 + Math.floor(random() * 3); e++) {
        const at = Math.floor(random() * (body.length + 1));
        const cut = Math.floor(random() * 4);
        body =
          body.slice(0, at) + (PIECES[Math.floor(random() * PIECES.length)] ?? '') + body.slice(at + cut);
      }
      const response: AxisResponse = {
        status: 200,
        headers: new Headers(),
        body: new TextEncoder().encode(body),
        requestId: 'fuzz',
      };
      const decode = decoders[i % decoders.length] as (r: AxisResponse) => unknown;
      try {
        decode(response);
        decoded++;
      } catch (error) {
        if (!isLgspError(error))
          throw new Error(`untyped error for ${JSON.stringify(body)}: ${String(error)}`);
        expect(['RESPONSE_INVALID', 'AXIS_REJECTED']).toContain(error.code);
        typed++;
      }
    }
    expect(typed + decoded).toBe(20_000);
    expect(typed).toBeGreaterThan(1000);
    expect(decoded).toBeGreaterThan(100);
  });
});

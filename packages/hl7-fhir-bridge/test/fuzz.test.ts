import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { isHl7Error, parseHl7, parseHl7Batch } from '../src/index.js';

const seed = fs.readFileSync(
  path.resolve(import.meta.dirname, '../../../specs/conformance/hl7v2/er7/adt-a01-vnpt.hl7'),
);

/** Deterministic generator (mulberry32) so a failure can be replayed. */
function rng(s: number): () => number {
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

it('mutated messages either parse and round-trip exactly, or fail with a typed error', () => {
  const rand = rng(42);
  const alphabet = Buffer.from('|^~\\&\r\nMSHPIDZ0 \x00\x0b\x1c\xff');
  let parsed = 0;
  let rejected = 0;
  for (let i = 0; i < 3000; i++) {
    const bytes = Buffer.from(seed);
    const edits = 1 + Math.floor(rand() * 4);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rand() * bytes.length);
      bytes[at] =
        rand() < 0.5 ? (alphabet[Math.floor(rand() * alphabet.length)] as number) : Math.floor(rand() * 256);
    }
    const input = rand() < 0.3 ? bytes.subarray(0, Math.floor(rand() * bytes.length)) : bytes;
    try {
      const m = parseHl7(input);
      expect(m.toBytes().equals(input)).toBe(true);
      parsed++;
    } catch (err) {
      if (!isHl7Error(err)) throw err;
      rejected++;
    }
    try {
      parseHl7Batch(input);
    } catch (err) {
      if (!isHl7Error(err)) throw err;
    }
  }
  expect(parsed).toBeGreaterThan(100);
  expect(rejected).toBeGreaterThan(100);
});

it('random bytes are rejected with a typed error', () => {
  const rand = rng(7);
  for (let i = 0; i < 500; i++) {
    const bytes = Buffer.alloc(1 + Math.floor(rand() * 300), 0).map(() => Math.floor(rand() * 256));
    expect(() => parseHl7(bytes)).toThrow(expect.objectContaining({ name: 'Hl7Error' }) as Error);
  }
});

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

it('mutated conformance messages map to valid bundles or fail with a typed error, never crash', async () => {
  const { hl7ToFhir } = await import('../src/index.js');
  const { validateBundle } = await import('./fhir-validate.js');
  const dir = path.resolve(import.meta.dirname, '../../../specs/conformance/hl7v2/fhir');
  const seeds = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.hl7'))
    .sort()
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
  const rand = rng(7);
  const alphabet = '|^~\\&\r0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ.-+"ễđ';
  let mapped = 0;
  let rejected = 0;
  for (let i = 0; i < 1500; i++) {
    const chars = [...(seeds[i % seeds.length] as string)];
    const edits = 1 + Math.floor(rand() * 6);
    for (let e = 0; e < edits; e++) {
      const at = 9 + Math.floor(rand() * (chars.length - 9));
      const r = rand();
      if (r < 0.4) chars[at] = alphabet[Math.floor(rand() * alphabet.length)] as string;
      else if (r < 0.7) chars.splice(at, 1 + Math.floor(rand() * 12));
      else chars.splice(at, 0, alphabet[Math.floor(rand() * alphabet.length)] as string);
    }
    const text = chars.join('');
    try {
      const result = hl7ToFhir(text);
      expect(validateBundle(result.bundle), text).toEqual([]);
      mapped++;
    } catch (err) {
      if (!isHl7Error(err)) throw new Error(`${String(err)} for ${JSON.stringify(text)}`, { cause: err });
      rejected++;
    }
  }
  expect(mapped).toBeGreaterThan(500);
  expect(rejected).toBeGreaterThan(100);
}, 30_000);

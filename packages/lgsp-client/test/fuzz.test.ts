import { scanXml, isXmlSecurityError } from '@dttm/core';
import { describe, expect, it } from 'vitest';
import { isLgspError, parseEdxml } from '../src/index.js';
import { readConformance } from './fixtures.js';

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

const INSERTS = [
  '<',
  '>',
  '&',
  '&amp',
  '<!DOCTYPE x [<!ENTITY a "b">]>',
  '<![CDATA[',
  ']]>',
  '"',
  '\u0000',
  '<a>',
  '</a>',
  '\uFFFD',
  'é',
];

function mutate(input: Buffer, random: () => number): Buffer {
  let out = input;
  const edits = 1 + Math.floor(random() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * out.length);
    const kind = Math.floor(random() * 5);
    if (kind === 0) {
      out = Buffer.from(out);
      out[at] = Math.floor(random() * 256);
    } else if (kind === 1) {
      out = Buffer.concat([
        out.subarray(0, at),
        out.subarray(Math.min(out.length, at + Math.floor(random() * 64))),
      ]);
    } else if (kind === 2) {
      const len = Math.floor(random() * 128);
      out = Buffer.concat([out.subarray(0, at), out.subarray(at, at + len), out.subarray(at)]);
    } else if (kind === 3) {
      const text = INSERTS[Math.floor(random() * INSERTS.length)] as string;
      out = Buffer.concat([out.subarray(0, at), Buffer.from(text), out.subarray(at)]);
    } else {
      out = out.subarray(0, at);
    }
  }
  return out;
}

describe('fuzzing the edXML parser with mutated golden packages', () => {
  it('either parses or throws a typed error, quickly, for 400 mutations', async () => {
    const random = prng(20261128);
    const sources = [
      readConformance('edxml/edoc-new.edxml'),
      readConformance('edxml/messy-legacy.edxml'),
    ].map((s) => Buffer.from(s));
    const outcomes = new Map<string, number>();
    const started = performance.now();
    for (let i = 0; i < 400; i++) {
      const input = mutate(sources[i % 2] as Buffer, random);
      let outcome = 'parsed';
      try {
        await parseEdxml(input);
      } catch (error) {
        if (!isLgspError(error)) throw new Error(`mutation ${i} threw a non-LgspError: ${String(error)}`);
        outcome = error.code;
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      // The guard alone also never throws anything but its own error.
      try {
        scanXml(input);
      } catch (error) {
        expect(isXmlSecurityError(error)).toBe(true);
      }
    }
    expect(performance.now() - started).toBeLessThan(10_000);
    // The mutations exercise several failure paths, not just one.
    expect(outcomes.size).toBeGreaterThanOrEqual(4);
  });
});

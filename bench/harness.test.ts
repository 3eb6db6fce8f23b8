import { describe, expect, it } from 'vitest';
import { formatRate, formatRatio, measure, median, type ComparisonResult } from './harness.js';

describe('bench harness', () => {
  it('median of odd and even lists; rejects an empty one', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  it('prints the ratio line CI and READMEs quote', () => {
    const r: ComparisonResult = {
      suite: 's',
      name: 'edxml-parse',
      peer: 'xml2js',
      unit: 'doc',
      oursItemsPerSecond: 3000,
      peerItemsPerSecond: 1200,
      ratio: 2.5,
      rounds: 5,
    };
    expect(formatRatio(r)).toBe('edxml-parse: ours/xml2js = 2.50x (higher is better)');
    expect(formatRate(r)).toBe('  ours 3,000 doc/s, xml2js 1,200 doc/s (median of 5 rounds)');
  });

  it('measures a faster operation as a ratio above 1, counting items per operation', async () => {
    const spin = (n: number) => {
      let x = 0;
      for (let i = 0; i < n; i++) x += Math.sqrt(i);
      return x;
    };
    const r = await measure(
      'test',
      {
        name: 'spin',
        peer: 'slow-spin',
        ours: () => spin(2_000),
        theirs: () => spin(20_000),
        itemsPerOp: 10,
      },
      { timeMs: 300, rounds: 3 },
    );
    expect(r.ratio).toBeGreaterThan(3);
    expect(r.oursItemsPerSecond).toBeGreaterThan(r.peerItemsPerSecond);
    expect(r.rounds).toBe(3);
  });

  it('awaits asynchronous operations', async () => {
    let completed = 0;
    const op = () =>
      new Promise<void>((resolve) =>
        setTimeout(() => {
          completed++;
          resolve();
        }, 1),
      );
    const r = await measure(
      'test',
      { name: 'timer', peer: 'timer', ours: op, theirs: op },
      { timeMs: 100, rounds: 2 },
    );
    expect(completed).toBeGreaterThan(0);
    expect(r.oursItemsPerSecond).toBeLessThan(2000);
  });
});

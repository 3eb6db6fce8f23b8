import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './rate-limit.js';

describe('TokenBuckets', () => {
  it('allows a burst, then refills at the configured rate, per key', () => {
    let t = 0;
    const b = new TokenBuckets({ burst: 2, perMinute: 4, now: () => t });
    expect([b.take('a'), b.take('a'), b.take('a')]).toEqual([0, 0, 15]);
    expect(b.take('b')).toBe(0);
    t = 7_500; // half a token back
    expect(b.take('a')).toBe(8);
    t = 15_000;
    expect(b.take('a')).toBe(0);
    t = 10 * 60_000; // long idle: full again, never more than the burst
    expect([b.take('a'), b.take('a'), b.take('a')]).toEqual([0, 0, 15]);
  });

  it('never refills at rate 0', () => {
    const b = new TokenBuckets({ burst: 1, perMinute: 0, now: () => 0 });
    expect([b.take('a'), b.take('a')]).toEqual([0, 3600]);
  });

  it('keeps a bounded number of buckets, dropping idle ones first', () => {
    let t = 0;
    const b = new TokenBuckets({ burst: 1, perMinute: 60, now: () => t, maxClients: 100 });
    for (let i = 0; i < 1000; i++) b.take(`client-${i}`);
    // The most recent client is still limited; an early one was forgotten (a fresh, full bucket).
    expect(b.take('client-999')).toBe(1);
    t = 500;
    expect(b.take('client-0')).toBe(0);
    expect(b.size).toBeLessThanOrEqual(110);
  });
});

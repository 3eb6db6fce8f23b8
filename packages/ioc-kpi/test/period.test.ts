import { describe, expect, it } from 'vitest';
import { formatInstant, periodFrequency, periodLabel, periodRange, previousPeriod } from '../src/index.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('periods', () => {
  it('resolves calendar periods in Vietnam time (UTC+07:00)', () => {
    expect(periodRange({ year: 2025 })).toMatchObject({ kind: 'year', label: '2025' });
    expect(iso(periodRange({ year: 2025 }).start)).toBe('2024-12-31T17:00:00.000Z');
    expect(iso(periodRange({ year: 2025 }).end)).toBe('2025-12-31T17:00:00.000Z');
    const q = periodRange({ year: 2025, quarter: 2 });
    expect([q.label, iso(q.start), iso(q.end)]).toEqual([
      '2025-Q2',
      '2025-03-31T17:00:00.000Z',
      '2025-06-30T17:00:00.000Z',
    ]);
    const m = periodRange({ year: 2024, month: 2 });
    expect([m.label, iso(m.start), iso(m.end)]).toEqual([
      '2024-02',
      '2024-01-31T17:00:00.000Z',
      '2024-02-29T17:00:00.000Z',
    ]);
    expect(iso(periodRange({ year: 2025, quarter: 4 }).end)).toBe('2025-12-31T17:00:00.000Z');
    expect(iso(periodRange({ year: 2025 }, 'Z').start)).toBe('2025-01-01T00:00:00.000Z');
  });

  it('resolves ISO 8601 intervals: start/end, start/duration, duration/end; local times default to +07:00', () => {
    expect(periodLabel({ interval: '2025-01-01/2025-04-01' })).toBe(
      '2025-01-01T00:00:00+07:00/2025-04-01T00:00:00+07:00',
    );
    expect(periodLabel({ interval: '2025-01-31T00:00:00+07:00/P1M' })).toBe(
      '2025-01-31T00:00:00+07:00/2025-02-28T00:00:00+07:00',
    );
    expect(periodLabel({ interval: 'P1D/2025-03-01T00:00:00Z' })).toBe(
      '2025-02-28T07:00:00+07:00/2025-03-01T07:00:00+07:00',
    );
    expect(periodLabel({ interval: '2025-06-01T08:00/PT1H30M' })).toBe(
      '2025-06-01T08:00:00+07:00/2025-06-01T09:30:00+07:00',
    );
    expect(periodLabel({ interval: '2024-01-01/P1Y' })).toBe(
      '2024-01-01T00:00:00+07:00/2025-01-01T00:00:00+07:00',
    );
    expect(periodFrequency(periodRange({ interval: '2025-01-01/P1D' }))).toBe('daily');
    expect(periodFrequency(periodRange({ interval: '2025-01-01/P3M' }))).toBe('quarterly');
    expect(periodFrequency(periodRange({ year: 2025, month: 3 }))).toBe('monthly');
  });

  it('rejects malformed periods with INVALID_PERIOD', () => {
    for (const p of [
      { interval: '2025-01-01' },
      { interval: '2025-02-30/2025-03-01' },
      { interval: '2025-04-01/2025-01-01' },
      { interval: 'P1M/P2M' },
      { interval: '2025-01-01/P' },
      { interval: 'yesterday/today' },
      { year: 1800 },
      { year: 2025.5 },
      { year: 2025, quarter: 5 },
      { year: 2025, month: 0 },
      { year: 2025, quarter: 1, month: 1 },
    ]) {
      expect(() => periodRange(p as never), JSON.stringify(p)).toThrow(
        expect.objectContaining({ name: 'KpiError', code: 'INVALID_PERIOD' }),
      );
    }
    expect(() => periodRange({ year: 2025 }, 'Asia/Ho_Chi_Minh')).toThrow(
      expect.objectContaining({ code: 'INVALID_ZONE' }),
    );
  });

  it('steps back to the previous period of the same kind', () => {
    expect(previousPeriod({ year: 2025 })).toEqual({ year: 2024 });
    expect(previousPeriod({ year: 2025, quarter: 1 })).toEqual({ year: 2024, quarter: 4 });
    expect(previousPeriod({ year: 2025, quarter: 3 })).toEqual({ year: 2025, quarter: 2 });
    expect(previousPeriod({ year: 2025, month: 1 })).toEqual({ year: 2024, month: 12 });
    expect(previousPeriod({ interval: '2025-01-08/2025-01-15' })).toEqual({
      interval: '2025-01-01T00:00:00+07:00/2025-01-08T00:00:00+07:00',
    });
    expect(formatInstant(Date.UTC(2025, 0, 1, 17))).toBe('2025-01-02T00:00:00+07:00');
  });
});

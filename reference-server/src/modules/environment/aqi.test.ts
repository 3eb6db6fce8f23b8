import { describe, expect, it } from 'vitest';
import { hourlyMeans } from './aqi.js';

const r = (at: string, periodMinutes: number, values: Record<string, number>) => ({
  stationId: 'S',
  at,
  periodMinutes,
  values,
  receivedAt: at,
});

describe('hourlyMeans', () => {
  it('buckets readings into the hour they end in, weighting by period', () => {
    const means = hourlyMeans([
      r('2026-11-28T08:00:00+07:00', 60, { pm25: 30 }), // covers 07:00–08:00
      r('2026-11-28T08:05:00+07:00', 5, { pm25: 40, no2: 10 }), // 08:00–08:05
      r('2026-11-28T08:20:00+07:00', 15, { pm25: 60 }),
      r('2026-11-28T09:00:00+07:00', 1, { no2: 20 }),
    ]);
    expect(means.get(Date.parse('2026-11-28T08:00:00+07:00'))).toEqual({ pm25: 30 });
    expect(means.get(Date.parse('2026-11-28T09:00:00+07:00'))).toEqual({
      pm25: (40 * 5 + 60 * 15) / 20,
      no2: (10 * 5 + 20) / 6,
    });
  });

  it('ignores values that are not VN_AQI pollutants', () => {
    const means = hourlyMeans([r('2026-11-28T08:00:00Z', 60, { temperature: 20, humidity: 70 })]);
    expect(means.get(Date.parse('2026-11-28T08:00:00Z'))).toEqual({});
  });
});

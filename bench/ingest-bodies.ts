/** Request bodies of the ingest benchmarks: every call gives new items (no duplicates to skip). */

const INDICATORS = ['L2.N1.PN1.02', 'L2.N1.PN3.01', 'L2.N3.PN1.03', 'L3.N1.PN1.01'];

/** `POST /api/v1/kpi/observations` bodies of `batch` keyed observations (distinct periods and districts). */
export function observationBodies(batch: number, keyPrefix: string): () => string {
  let seq = 0;
  return () => {
    const observations = Array.from({ length: batch }, () => {
      const i = seq++;
      return {
        key: `${keyPrefix}-${i}`,
        indicator: INDICATORS[i % INDICATORS.length],
        value: 40,
        numerator: 4,
        denominator: 10,
        period: { year: 1900 + (Math.floor(i / 48) % 300), month: 1 + (Math.floor(i / 4) % 12) },
        scope: { level: 'district', adminUnitCode: String(213 + (Math.floor(i / 14_400) % 10)) },
        source: 'bench',
        method: 'automatic',
        recordedAt: '2026-01-01T00:00:00+07:00',
      };
    });
    return JSON.stringify({ observations });
  };
}

/** `POST …/readings` bodies of `batch` one-minute readings from `start` on. */
export function readingBodies(batch: number, start: Date): () => string {
  let minute = 0;
  return () => {
    const readings = Array.from({ length: batch }, () => ({
      at: new Date(start.getTime() + minute++ * 60_000).toISOString(),
      periodMinutes: 1,
      values: { pm25: 35.5, pm10: 60.1, no2: 21 },
    }));
    return JSON.stringify({ readings });
  };
}

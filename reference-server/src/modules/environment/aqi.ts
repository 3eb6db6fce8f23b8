import { dailyAqi, hourlyAqi, POLLUTANTS, type AqiResult, type Maybe, type Pollutant } from '@dttm/ioc-kpi';
import type { components } from '../../generated/reference-server.js';
import type { EnvironmentRepository, StoredReading } from '../../storage/types.js';

type Schemas = components['schemas'];
const HOUR = 3_600_000;
const VN_OFFSET = 7 * HOUR;

/** End of the hour a reading belongs to (a reading stamped 08:00 covers 07:00–08:00). */
const hourEnd = (ms: number) => Math.ceil(ms / HOUR) * HOUR;

/** Hourly means per pollutant, weighting each reading by its averaging period. */
export function hourlyMeans(
  readings: readonly StoredReading[],
): Map<number, Partial<Record<Pollutant, number>>> {
  const sums = new Map<number, Map<Pollutant, { sum: number; weight: number }>>();
  for (const r of readings) {
    const h = hourEnd(Date.parse(r.at));
    let bucket = sums.get(h);
    if (bucket === undefined) {
      bucket = new Map<Pollutant, { sum: number; weight: number }>();
      sums.set(h, bucket);
    }
    for (const p of POLLUTANTS) {
      const v = r.values[p];
      if (v === undefined) continue;
      const acc = bucket.get(p) ?? { sum: 0, weight: 0 };
      acc.sum += v * r.periodMinutes;
      acc.weight += r.periodMinutes;
      bucket.set(p, acc);
    }
  }
  const means = new Map<number, Partial<Record<Pollutant, number>>>();
  for (const [h, bucket] of sums) {
    means.set(h, Object.fromEntries([...bucket].map(([p, a]) => [p, a.sum / a.weight])));
  }
  return means;
}

function vnIso(ms: number): string {
  return new Date(ms + VN_OFFSET).toISOString().replace(/\.\d{3}Z$/, '+07:00');
}

function toValue(r: AqiResult): Schemas['AqiValue'] {
  return {
    status: r.status,
    aqi: r.aqi,
    ...(r.reason === undefined ? {} : { reason: r.reason }),
    ...(r.dominant === undefined ? {} : { dominant: r.dominant }),
    ...(r.band === undefined
      ? {}
      : {
          band: {
            level: r.band.level,
            nameVi: r.band.nameVi,
            nameEn: r.band.nameEn,
            hex: r.band.hex,
            adviceVi: r.band.adviceVi,
            adviceEn: r.band.adviceEn,
          },
        }),
    subIndices: { ...r.subIndices },
    concentrations: Object.fromEntries(
      Object.entries(r.concentrations).map(([k, v]) => [k, Math.round(v * 10) / 10]),
    ),
  };
}

/**
 * VN_AQI of a station: hourly for the hour ending at or after `at` (default: the latest reading's hour)
 * and daily for that Vietnam calendar day, from the stored readings.
 */
export async function stationAqi(
  repo: EnvironmentRepository,
  stationId: string,
  at: Date | undefined,
): Promise<Schemas['StationAqi']> {
  let end: number;
  if (at !== undefined) end = hourEnd(at.getTime());
  else {
    // The latest reading decides the hour (an indexed lookup: the dashboard asks on every new reading).
    const last = await repo.latestReading(stationId);
    end = hourEnd(last === undefined ? Date.now() : Date.parse(last.at));
  }
  // The Vietnam day of the hour: 01:00 … 24:00 local, i.e. hour ends from local midnight + 1 h.
  const dayStart = Math.floor((end - HOUR + VN_OFFSET) / (24 * HOUR)) * 24 * HOUR - VN_OFFSET;
  const from = Math.min(end - 12 * HOUR, dayStart);
  // Readings stamped exactly at an hour end belong to that hour: query (from, end] as [from + 1 ms, end + 1 ms).
  const readings = await repo.listReadings(stationId, new Date(from + 1), new Date(end + 1), 1_000_000);
  const means = hourlyMeans(readings);
  const series = (p: Pollutant): Maybe[] =>
    Array.from({ length: 12 }, (_, i) => means.get(end - i * HOUR)?.[p] ?? null);
  const current = means.get(end) ?? {};
  const hourly = hourlyAqi({
    pm25: series('pm25'),
    pm10: series('pm10'),
    o3: current.o3 ?? null,
    co: current.co ?? null,
    so2: current.so2 ?? null,
    no2: current.no2 ?? null,
  });
  const dayHours = (p: Pollutant): Maybe[] =>
    Array.from({ length: 24 }, (_, i) => {
      const h = dayStart + (i + 1) * HOUR;
      return h > end ? null : (means.get(h)?.[p] ?? null);
    });
  const daily = dailyAqi(Object.fromEntries(POLLUTANTS.map((p) => [p, dayHours(p)])));
  return {
    stationId,
    hourly: { ...toValue(hourly), hourEnding: vnIso(end) },
    daily: { ...toValue(daily), date: vnIso(dayStart + HOUR).slice(0, 10) },
  };
}

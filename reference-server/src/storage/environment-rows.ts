import type { ReadingInput, Station, StoredReading } from './types.js';

/** Row shapes and conversions shared by the SQL back ends. */
export interface StationRow {
  id: string;
  name: string;
  kind: string;
  lat: number;
  lon: number;
  area: string | null;
}

export interface ReadingRow {
  station_id: string;
  at: string;
  period_minutes: number;
  values_json: string;
  received_at: string;
}

export const toStation = (r: StationRow): Station => ({
  id: r.id,
  name: r.name,
  kind: r.kind as Station['kind'],
  location: { lat: r.lat, lon: r.lon },
  ...(r.area === null ? {} : { area: r.area }),
});

export const toReading = (r: ReadingRow): StoredReading => ({
  stationId: r.station_id,
  at: r.at,
  periodMinutes: r.period_minutes,
  values: JSON.parse(r.values_json) as Record<string, number>,
  receivedAt: r.received_at,
});

/** The instant of `at` in UTC with millisecond precision: sortable, and the uniqueness key. */
export function utcKey(at: string): string {
  const t = Date.parse(at);
  if (Number.isNaN(t)) throw new RangeError(`"${at}" is not an ISO 8601 instant`);
  return new Date(t).toISOString();
}

/** Values with their keys sorted, so equal readings serialise identically. */
export function valuesJson(r: ReadingInput): string {
  return JSON.stringify(Object.fromEntries(Object.entries(r.values).sort(([a], [b]) => (a < b ? -1 : 1))));
}

const HOUR = 3_600_000;
const VN_OFFSET = 7 * HOUR;

/** A raw reading as the roll-up reads it. */
export interface RawReadingRow {
  at_utc: string;
  period_minutes: number;
  values_json: string;
}

/** End of the hour a reading stamped `atUtc` belongs to (a reading stamped 08:00 covers 07:00–08:00). */
export function hourEndOf(atUtc: string): number {
  return Math.ceil(Date.parse(atUtc) / HOUR) * HOUR;
}

/** `before` rounded down to a whole hour (UTC ISO): only complete hours are folded. */
export function wholeHours(before: Date): string {
  return new Date(Math.floor(before.getTime() / HOUR) * HOUR).toISOString();
}

/** When a LIMIT cut the rows inside their first hour, the bounds (exclusive, inclusive) to read that whole hour. */
export function wholeHourBounds(rows: readonly RawReadingRow[]): { after: string; upTo: string } | undefined {
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (first === undefined || last === undefined) return undefined;
  const end = hourEndOf(first.at_utc);
  if (hourEndOf(last.at_utc) !== end) return undefined;
  return { after: new Date(end - HOUR).toISOString(), upTo: new Date(end).toISOString() };
}

/** Bounds (exclusive, inclusive) of the hour ends the rows fall in: where their hourly readings would be. */
export function hourEndsOf(rows: readonly RawReadingRow[]): { after: string; upTo: string } {
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (first === undefined || last === undefined) throw new RangeError('no rows');
  return {
    after: new Date(hourEndOf(first.at_utc) - HOUR).toISOString(),
    upTo: new Date(hourEndOf(last.at_utc)).toISOString(),
  };
}

/** What one roll-up of a station writes: the hourly means, and the raw rows they replace. */
export interface RollUpPlan {
  /** Hourly readings to insert (`at` the end of the hour, +07:00; period 60). */
  readonly hourly: { readonly atUtc: string; readonly at: string; readonly valuesJson: string }[];
  /** Keys (`at_utc`, `period_minutes`) of the raw rows folded into `hourly`. */
  readonly remove: { readonly atUtc: string; readonly periodMinutes: number }[];
  /** Raw rows kept because their hour already has an hourly reading (a late delivery). */
  readonly kept: number;
}

/**
 * Plans the roll-up of sub-hourly readings into hourly means, each pollutant weighted by the readings'
 * averaging periods (as VN_AQI's hourly means are). A reading stamped 08:00 covers 07:00–08:00, so it
 * belongs to the hour ending 08:00. Hours that already have an hourly reading (from the station, or an
 * earlier roll-up) keep their raw rows: nothing is folded twice and nothing is dropped.
 * `complete` says whether the rows of the last hour may be partial (a LIMIT cut them): that hour waits.
 */
export function planRollUp(
  rows: readonly RawReadingRow[],
  existingHours: ReadonlySet<string>,
  complete: boolean,
): RollUpPlan {
  const byHour = new Map<number, RawReadingRow[]>();
  for (const r of rows) {
    const end = hourEndOf(r.at_utc);
    let list = byHour.get(end);
    if (list === undefined) byHour.set(end, (list = []));
    list.push(r);
  }
  const hours = [...byHour.keys()].sort((a, b) => a - b);
  if (!complete && hours.length > 1) hours.pop();
  const hourly: RollUpPlan['hourly'][number][] = [];
  const remove: RollUpPlan['remove'][number][] = [];
  let kept = 0;
  for (const end of hours) {
    const list = byHour.get(end) ?? [];
    const atUtc = new Date(end).toISOString();
    if (existingHours.has(atUtc)) {
      kept += list.length;
      continue;
    }
    const sums = new Map<string, { sum: number; weight: number }>();
    for (const r of list) {
      for (const [k, v] of Object.entries(JSON.parse(r.values_json) as Record<string, number>)) {
        const acc = sums.get(k) ?? { sum: 0, weight: 0 };
        acc.sum += v * r.period_minutes;
        acc.weight += r.period_minutes;
        sums.set(k, acc);
      }
      remove.push({ atUtc: r.at_utc, periodMinutes: r.period_minutes });
    }
    const values = Object.fromEntries(
      [...sums].map(([k, a]) => [k, Math.round((a.sum / a.weight) * 1e6) / 1e6]),
    );
    hourly.push({
      atUtc,
      at: new Date(end + VN_OFFSET).toISOString().replace(/\.\d{3}Z$/, '+07:00'),
      valuesJson: valuesJson({ at: atUtc, periodMinutes: 60, values }),
    });
  }
  return { hourly, remove, kept };
}

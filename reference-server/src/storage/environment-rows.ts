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

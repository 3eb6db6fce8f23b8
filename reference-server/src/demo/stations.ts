import type { ReadingInput, Station } from '../storage/types.js';

/** Two simulated air-quality stations of the demo deployment. */
export const DEMO_STATIONS: readonly Station[] = [
  {
    id: 'BG-KK-01',
    name: 'Trạm quan trắc không khí tự động TP Bắc Giang',
    kind: 'air',
    location: { lat: 21.2731, lon: 106.1946 },
    area: '213',
  },
  {
    id: 'BG-KK-02',
    name: 'Trạm quan trắc không khí KCN Quang Châu (Việt Yên)',
    kind: 'air',
    location: { lat: 21.2297, lon: 106.1012 },
    area: '222',
  },
];

/** A small deterministic generator (mulberry32), so demo data is the same on every start. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** ISO 8601 in Vietnam time (+07:00), as stations send it. */
export function vietnamTime(instant: Date): string {
  const local = new Date(instant.getTime() + 7 * 3_600_000);
  return local.toISOString().replace(/\.\d{3}Z$/, '+07:00');
}

/**
 * A plausible hourly reading: traffic peaks at 7–9 h and 17–19 h, an industrial station dirtier than
 * the city one, noise from the seeded generator.
 */
export function simulatedReading(station: Station, hourEnd: Date, random: () => number): ReadingInput {
  const hour = (hourEnd.getUTCHours() + 7) % 24;
  const rush = hour >= 7 && hour <= 9 ? 1.5 : hour >= 17 && hour <= 19 ? 1.7 : hour <= 5 ? 0.8 : 1;
  const base = station.id.endsWith('02') ? 1.35 : 1;
  const pm25 = round1(28 * base * rush * (0.75 + random() * 0.5));
  return {
    at: vietnamTime(hourEnd),
    periodMinutes: 60,
    values: {
      pm25,
      pm10: round1(pm25 * (1.5 + random() * 0.3)),
      no2: round1(22 * base * rush * (0.8 + random() * 0.4)),
      so2: round1(9 * base * (0.8 + random() * 0.4)),
      co: Math.round(900 * rush * (0.8 + random() * 0.4)),
      o3: round1(hour >= 11 && hour <= 15 ? 95 + random() * 40 : 45 + random() * 25),
      temperature: round1(18 + 6 * Math.sin(((hour - 9) / 24) * 2 * Math.PI) + random()),
      humidity: round1(70 + random() * 15),
    },
  };
}

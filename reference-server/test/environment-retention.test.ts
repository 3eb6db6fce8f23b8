import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractErrors } from './contract.js';
import { serverFixture } from './helpers.js';

/**
 * Retention of the stations' time series over HTTP: one-minute readings older than the configured
 * retention are folded into hourly means by the retention round; recent ones are untouched; the AQI
 * of the folded hours stays what it was; the fold is audited.
 */
const NOW = new Date('2026-03-20T12:00:00Z');
const f = serverFixture(
  { READINGS_RAW_RETENTION_DAYS: '7', RETENTION_INTERVAL_MS: '0', KPI_ALERT_INTERVAL_MS: '0' },
  { now: () => NOW },
);
const STATION = 'BG-RT-01';
const base = () => f.ctx.server.url;

async function call(method: string, p: string, token: string, body?: unknown) {
  const res = await fetch(new URL(p, base()), {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** One-minute readings for `minutes` minutes ending at `end`, PM2.5 rising by 1 µg/m³ a minute from `start`. */
function minutes(end: string, count: number, start: number) {
  const t = Date.parse(end);
  return Array.from({ length: count }, (_, i) => ({
    at: new Date(t - (count - 1 - i) * 60_000).toISOString(),
    periodMinutes: 1,
    values: { pm25: start + i, pm10: 80 },
  }));
}

beforeAll(async () => {
  await f.start();
  const operator = f.ctx.token(['operator']);
  const created = await call('POST', '/api/v1/environment/stations', operator, {
    id: STATION,
    name: 'Trạm thử lưu trữ',
    kind: 'air',
    location: { lat: 21.28, lon: 106.2 },
    area: '213',
  });
  expect(created.status).toBe(201);
  const machine = f.ctx.token(['machine']);
  // Ten days ago: two full hours of one-minute readings (01:00–03:00Z on 10 March).
  const old = [...minutes('2026-03-10T02:00:00Z', 60, 1), ...minutes('2026-03-10T03:00:00Z', 60, 61)];
  for (let i = 0; i < old.length; i += 60) {
    const r = await call('POST', `/api/v1/environment/stations/${STATION}/readings`, machine, {
      readings: old.slice(i, i + 60),
    });
    expect(r.status).toBe(202);
  }
  // Yesterday: one hour, kept raw.
  const recent = await call('POST', `/api/v1/environment/stations/${STATION}/readings`, machine, {
    readings: minutes('2026-03-19T10:00:00Z', 60, 1),
  });
  expect(recent.status).toBe(202);
}, 60_000);
afterAll(() => f.stop());

describe('reading retention', () => {
  it('folds raw readings past retention into weighted hourly means and keeps the recent ones', async () => {
    const operator = f.ctx.token(['operator']);
    const aqiPath = `/api/v1/environment/stations/${STATION}/aqi?date=2026-03-10`;
    const aqiBefore = await call('GET', aqiPath, operator);

    const round = await f.ctx.server.retention.runOnce();
    expect(round).toEqual({
      stations: 1,
      before: '2026-03-13T12:00:00.000Z',
      hours: 2,
      removed: 120,
      kept: 0,
    });

    const path = `/api/v1/environment/stations/${STATION}/readings?from=2026-03-10T00:00:00Z&to=2026-03-10T06:00:00Z`;
    const old = await call('GET', path, operator);
    expect(old.status).toBe(200);
    expect(
      contractErrors(
        'GET',
        '/api/v1/environment/stations/{stationId}/readings',
        200,
        'application/json',
        old.body,
      ),
    ).toEqual([]);
    const items = old.body.items as { at: string; periodMinutes: number; values: Record<string, number> }[];
    // Means of 1…60 and 61…120.
    expect(items.map((r) => [r.at, r.periodMinutes, r.values])).toEqual([
      ['2026-03-10T09:00:00+07:00', 60, { pm10: 80, pm25: 30.5 }],
      ['2026-03-10T10:00:00+07:00', 60, { pm10: 80, pm25: 90.5 }],
    ]);
    const recent = await call(
      'GET',
      `/api/v1/environment/stations/${STATION}/readings?from=2026-03-19T00:00:00Z&to=2026-03-20T00:00:00Z`,
      operator,
    );
    expect((recent.body.items as unknown[]).length).toBe(60);

    // VN_AQI works at hourly resolution: the folded day's figures are unchanged.
    const aqiAfter = await call('GET', aqiPath, operator);
    expect(aqiAfter.status).toBe(aqiBefore.status);
    expect(aqiAfter.body).toEqual(aqiBefore.body);

    const audit = await call('GET', '/api/v1/audit?limit=1000', operator);
    const entries = audit.body.items as { actor: string; action: string; subject: string; data: unknown }[];
    expect(entries.filter((e) => e.action === 'environment.readings.rollup')).toEqual([
      expect.objectContaining({
        actor: 'system',
        subject: `station:${STATION}`,
        data: { hours: 2, removed: 120, kept: 0, before: '2026-03-13T12:00:00.000Z', retentionDays: 7 },
      }),
    ]);
    // A second round finds nothing to do.
    expect(await f.ctx.server.retention.runOnce()).toMatchObject({ hours: 0, removed: 0 });
  });
});

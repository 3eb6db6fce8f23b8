import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractErrors } from './contract.js';
import { nextEvent, serverFixture, sseFrames } from './helpers.js';

const f = serverFixture();
beforeAll(() => f.start());
afterAll(() => f.stop());

const STATION = {
  id: 'BG-KK-01',
  name: 'Trạm quan trắc không khí TP Bắc Giang',
  kind: 'air',
  location: { lat: 21.2731, lon: 106.1946 },
  area: '213',
};

async function call(
  method: string,
  path: string,
  roles: Parameters<typeof f.ctx.token>[0],
  body?: unknown,
  claims: Parameters<typeof f.ctx.token>[1] = {},
) {
  const res = await fetch(new URL(path, f.ctx.server.url), {
    method,
    headers: {
      authorization: `Bearer ${f.ctx.token(roles, claims)}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const type = res.headers.get('content-type')?.split(';')[0] ?? '';
  return { status: res.status, type, json: (await res.json()) as Record<string, unknown> };
}

describe('environment API', () => {
  it('operators register stations; a second registration is a 409; the write is audited', async () => {
    const created = await call('POST', '/api/v1/environment/stations', ['operator'], STATION);
    expect(created.status).toBe(201);
    expect(created.json).toEqual(STATION);
    expect(
      contractErrors('POST', '/api/v1/environment/stations', 201, 'application/json', created.json),
    ).toEqual([]);
    const again = await call('POST', '/api/v1/environment/stations', ['operator'], STATION);
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('STATION_EXISTS');
    const audit = await f.ctx.server.storage.audit.list();
    expect(audit.map((e) => [e.action, e.subject])).toEqual([
      ['environment.station.create', 'station:BG-KK-01'],
    ]);
  });

  it('rejects an invalid station naming each field, and non-operators', async () => {
    const bad = await call('POST', '/api/v1/environment/stations', ['operator'], {
      ...STATION,
      id: 'bg 1',
      location: { lat: 91, lon: 106 },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toEqual([
      { in: 'body', name: 'id', message: 'must match pattern "^[A-Z0-9][A-Z0-9-]{1,31}$"' },
      { in: 'body', name: 'location.lat', message: 'must be <= 24' },
    ]);
    const dept = await call('POST', '/api/v1/environment/stations', ['district'], STATION);
    expect(dept.status).toBe(403);
  });

  it('machine clients ingest readings idempotently; the stream announces each new one', async () => {
    const ac = new AbortController();
    const sse = await fetch(new URL('/api/v1/events?types=environment.reading.received', f.ctx.server.url), {
      headers: { authorization: `Bearer ${f.ctx.token(['operator'])}` },
      signal: ac.signal,
    });
    const frames = sseFrames(sse);
    const batch = {
      readings: [
        { at: '2026-11-28T08:00:00+07:00', values: { pm25: 38.2, pm10: 61, temperature: 19.5 } },
        { at: '2026-11-28T09:00:00+07:00', periodMinutes: 60, values: { pm25: 41.5 } },
      ],
    };
    const first = await call('POST', '/api/v1/environment/stations/BG-KK-01/readings', ['machine'], batch);
    expect(first.status).toBe(202);
    expect(first.json).toEqual({ accepted: 2, duplicates: 0 });
    expect(
      contractErrors(
        'POST',
        '/api/v1/environment/stations/{stationId}/readings',
        202,
        'application/json',
        first.json,
      ),
    ).toEqual([]);
    const event = await nextEvent(frames);
    expect(event).toMatchObject({
      type: 'environment.reading.received',
      subject: 'station:BG-KK-01',
      data: {
        stationId: 'BG-KK-01',
        at: '2026-11-28T08:00:00+07:00',
        periodMinutes: 60,
        values: { pm10: 61, pm25: 38.2, temperature: 19.5 },
      },
    });
    ac.abort();
    const retry = await call('POST', '/api/v1/environment/stations/BG-KK-01/readings', ['machine'], batch);
    expect(retry.json).toEqual({ accepted: 0, duplicates: 2 });
  });

  it('departments, districts and leadership read readings with the source offsets kept', async () => {
    const r = await call(
      'GET',
      '/api/v1/environment/stations/BG-KK-01/readings?from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z',
      ['leadership'],
    );
    expect(r.status).toBe(200);
    expect(
      contractErrors(
        'GET',
        '/api/v1/environment/stations/{stationId}/readings',
        200,
        'application/json',
        r.json,
      ),
    ).toEqual([]);
    expect((r.json.items as { at: string }[]).map((x) => x.at)).toEqual([
      '2026-11-28T08:00:00+07:00',
      '2026-11-28T09:00:00+07:00',
    ]);
    const list = await call('GET', '/api/v1/environment/stations', ['district']);
    expect((list.json.items as { id: string }[]).map((x) => x.id)).toEqual(['BG-KK-01']);
  });

  it('shares data by level and authority: a district sees its own area, other departments nothing', async () => {
    const own = await call('GET', '/api/v1/environment/stations', ['district'], undefined, { area: '213' });
    expect((own.json.items as { id: string }[]).map((x) => x.id)).toEqual(['BG-KK-01']);
    const other = await call('GET', '/api/v1/environment/stations', ['district'], undefined, { area: '222' });
    expect(other.json.items).toEqual([]);
    for (const path of ['', '/readings', '/aqi']) {
      const r = await call('GET', `/api/v1/environment/stations/BG-KK-01${path}`, ['district'], undefined, {
        area: '222',
      });
      expect(r).toMatchObject({ status: 404, json: { code: 'STATION_NOT_FOUND' } });
    }
    const health = await call('GET', '/api/v1/environment/stations', ['department'], undefined, {
      department: 'health',
    });
    expect(health.json.items).toEqual([]);
    const env = await call('GET', '/api/v1/environment/stations/BG-KK-01', ['department'], undefined, {
      department: 'environment',
    });
    expect(env.status).toBe(200);
  });

  it('computes the VN_AQI of a station from its readings', async () => {
    const r = await call('GET', '/api/v1/environment/stations/BG-KK-01/aqi?at=2026-11-28T09:00:00%2B07:00', [
      'district',
    ]);
    expect(r.status).toBe(200);
    expect(
      contractErrors('GET', '/api/v1/environment/stations/{stationId}/aqi', 200, 'application/json', r.json),
    ).toEqual([]);
    // PM2.5 NowCast of [41.5, 38.2]: w = 38.2/41.5, (41.5 + w·38.2)/(1 + w) = 39.9 µg/m³ → 80.
    expect(r.json.hourly).toMatchObject({
      hourEnding: '2026-11-28T09:00:00+07:00',
      status: 'ok',
      aqi: 80,
      dominant: 'pm25',
      subIndices: { pm25: 80 },
      concentrations: { pm25: 39.9 },
      band: { level: 2, nameVi: 'Trung bình', hex: '#ffff00' },
    });
    // Two hours of a day are not enough for a 24-hour mean.
    expect(r.json.daily).toMatchObject({ date: '2026-11-28', status: 'no-data', aqi: null });
    const none = await call(
      'GET',
      '/api/v1/environment/stations/BG-KK-01/aqi?at=2026-11-20T09:00:00%2B07:00',
      ['district'],
    );
    expect(none.json.hourly).toMatchObject({
      status: 'no-data',
      aqi: null,
      reason: 'VN_AQI needs PM2.5 or PM10',
    });
  });

  it.each([
    [
      'a negative concentration',
      { readings: [{ at: '2026-11-28T10:00:00+07:00', values: { pm25: -1 } }] },
      'readings.0.values.pm25',
      'must be >= 0',
    ],
    [
      'a missing instant',
      { readings: [{ values: { pm25: 1 } }] },
      'readings.0.at',
      "must have required property 'at'",
    ],
    [
      'an instant without offset',
      { readings: [{ at: '2026-11-28 10:00', values: { pm25: 1 } }] },
      'readings.0.at',
      'must match format "date-time"',
    ],
    [
      'an unknown pollutant',
      { readings: [{ at: '2026-11-28T10:00:00+07:00', values: { lead: 1 } }] },
      'readings.0.values',
      'must NOT have additional properties',
    ],
    ['an empty batch', { readings: [] }, 'readings', 'must NOT have fewer than 1 items'],
  ])('rejects %s with 400 and stores nothing', async (_what, body, name, message) => {
    const r = await call('POST', '/api/v1/environment/stations/BG-KK-01/readings', ['machine'], body);
    expect(r.status).toBe(400);
    expect(r.json.errors).toContainEqual({ in: 'body', name, message });
    const stored = await f.ctx.server.storage.environment.listReadings(
      'BG-KK-01',
      new Date(0),
      new Date('2100-01-01'),
      100,
    );
    expect(stored.length).toBe(2);
  });

  it('answers 404 for an unknown station, 413 for an oversized body, 400 for broken JSON, 403 for readers', async () => {
    const unknown = await call('POST', '/api/v1/environment/stations/BG-XX-99/readings', ['machine'], {
      readings: [{ at: '2026-11-28T10:00:00+07:00', values: { pm25: 1 } }],
    });
    expect(unknown).toMatchObject({ status: 404, json: { code: 'STATION_NOT_FOUND' } });
    const huge = await call(
      'POST',
      '/api/v1/environment/stations/BG-KK-01/readings',
      ['machine'],
      'x'.repeat(2_000_000),
    );
    expect(huge).toMatchObject({
      status: 413,
      type: 'application/problem+json',
      json: { code: 'BODY_TOO_LARGE' },
    });
    const broken = await call(
      'POST',
      '/api/v1/environment/stations/BG-KK-01/readings',
      ['machine'],
      '{"readings": [',
    );
    expect(broken).toMatchObject({ status: 400, json: { code: 'INVALID_JSON' } });
    const reader = await call('POST', '/api/v1/environment/stations/BG-KK-01/readings', ['leadership'], {
      readings: [],
    });
    expect(reader.status).toBe(403);
    const missing = await call('GET', '/api/v1/environment/stations/BG-XX-99', ['leadership']);
    expect(missing).toMatchObject({ status: 404, json: { code: 'STATION_NOT_FOUND' } });
  });
});

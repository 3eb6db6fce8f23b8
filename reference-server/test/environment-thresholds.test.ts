import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverFixture } from './helpers.js';

const f = serverFixture({ KPI_ALERT_INTERVAL_MS: '0' }, { now: () => new Date('2026-12-01T12:00:00+07:00') });
beforeAll(() => f.start());
afterAll(() => f.stop());

async function post(path: string, roles: Parameters<typeof f.ctx.token>[0], body: unknown) {
  const res = await fetch(new URL(path, f.ctx.server.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${f.ctx.token(roles)}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const hours = (from: string, n: number, pm25: number) =>
  Array.from({ length: n }, (_, i) => ({
    at: new Date(Date.parse(from) + i * 3_600_000).toISOString(),
    periodMinutes: 60,
    values: { pm25 },
  }));

/** Waits until the station's threshold alert matches (the monitor runs shortly after each ingest). */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('VN_AQI threshold alerts', () => {
  it('raise when a station’s hourly AQI is poor, escalate, and clear once it is back below the band', async () => {
    const station = {
      id: 'BG-KK-09',
      name: 'Trạm Việt Yên',
      kind: 'air',
      location: { lat: 21.27, lon: 106.08 },
      area: '222',
    };
    expect((await post('/api/v1/environment/stations', ['operator'], station)).status).toBe(201);
    const alerts = () =>
      f.ctx.server.storage.kpi.listAlerts({
        states: ['open', 'acknowledged', 'resolved'],
        kind: 'threshold',
        limit: 10,
      });

    // PM2.5 at 70 µg/m³ for 12 hours: NowCast 70, sub-index 100 + 50/30 × 20 = 133 (Kém): no alert.
    expect(
      (
        await post(`/api/v1/environment/stations/${station.id}/readings`, ['machine'], {
          readings: hours('2026-12-01T00:00:00+07:00', 12, 70),
        })
      ).status,
    ).toBe(202);
    // Checked now, and again by the monitor after the ingest: neither raises anything.
    expect(await f.ctx.server.thresholds.check(station.id)).toBeUndefined();
    await new Promise((r) => setTimeout(r, 700));
    expect(await alerts()).toEqual([]);

    // 100 µg/m³: sub-index 150 + 50/70 × 20 = 164 (Xấu) → a warning for the station's district.
    await post(`/api/v1/environment/stations/${station.id}/readings`, ['machine'], {
      readings: hours('2026-12-01T12:00:00+07:00', 12, 100),
    });
    const [raised] = await until(alerts, (l) => l.length === 1);
    expect(raised).toMatchObject({
      kind: 'threshold',
      indicator: 'VN_AQI',
      severity: 'warning',
      value: 164,
      target: '≥ 151',
      source: 'station:BG-KK-09',
      scope: { level: 'district', adminUnitCode: '222' },
    });
    expect(raised?.message.vi).toContain('Trạm Việt Yên: VN_AQI giờ');
    // The district sees it; another district does not.
    const seen = async (area: string) =>
      (
        (await (
          await fetch(new URL('/api/v1/alerts', f.ctx.server.url), {
            headers: { authorization: `Bearer ${f.ctx.token(['district'], { area })}` },
          })
        ).json()) as { items: { id: string }[] }
      ).items.map((a) => a.id);
    expect(await seen('222')).toEqual([raised?.id]);
    expect(await seen('213')).toEqual([]);

    // 200 µg/m³: 200 + 100/100 × 50 = 250 (Rất xấu) → critical.
    await post(`/api/v1/environment/stations/${station.id}/readings`, ['machine'], {
      readings: hours('2026-12-02T00:00:00+07:00', 12, 200),
    });
    expect((await until(alerts, (l) => l[0]?.severity === 'critical'))[0]).toMatchObject({
      id: raised?.id,
      severity: 'critical',
      value: 250,
    });

    // Clean air for six hours: NowCast falls far below 141 → resolved by the system.
    await post(`/api/v1/environment/stations/${station.id}/readings`, ['machine'], {
      readings: hours('2026-12-02T12:00:00+07:00', 6, 5),
    });
    expect((await until(alerts, (l) => l[0]?.state === 'resolved'))[0]).toMatchObject({
      id: raised?.id,
      state: 'resolved',
      resolvedBy: 'system',
    });
    // Checking again changes nothing.
    expect(await f.ctx.server.thresholds.check(station.id)).toBeUndefined();
    const audit = await f.ctx.server.storage.audit.list({ limit: 1000 });
    expect(
      audit
        .filter((e) => e.action === 'environment.aqi.threshold')
        .map((e) => (e.data as { change: string }).change),
    ).toEqual(['raised', 'updated', 'resolved']);
  });
});

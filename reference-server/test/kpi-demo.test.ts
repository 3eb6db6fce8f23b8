import { BAC_GIANG_2025, ObservationValidator, resolveProfile } from '@dttm/ioc-kpi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoObservations } from '../src/demo/kpi.js';
import { serverFixture } from './helpers.js';

const NOW = new Date('2026-12-01T09:00:00+07:00');
const f = serverFixture(
  { DEMO: 'true', DEMO_INTERVAL_MS: '3600000', KPI_ALERT_INTERVAL_MS: '0' },
  { now: () => NOW },
);
beforeAll(() => f.start());
afterAll(() => f.stop());

describe('KPI demo data', () => {
  it('is valid, deterministic, and per district with numerators and denominators', () => {
    const profile = resolveProfile(BAC_GIANG_2025);
    const a = demoObservations(profile, 2021, 2025);
    expect(demoObservations(profile, 2021, 2025)).toEqual(a);
    const v = new ObservationValidator(profile);
    const { key: _k, ...first } = a[0] as { key: string };
    expect(v.check(first)).toEqual([]);
    expect(
      a.filter((o) => {
        const { key: _key, ...body } = o;
        return v.check(body).length > 0;
      }),
    ).toEqual([]);
    // 23 percent indicators × 10 districts × 5 years, plus the yes/no indicator at province level each year.
    expect(a).toHaveLength(23 * 10 * 5 + 5);
  });

  it('seeds five years so the dashboard has a scorecard, a history and alerts at first start', async () => {
    const res = await fetch(new URL('/api/v1/kpi/scorecard', f.ctx.server.url), {
      headers: { authorization: `Bearer ${f.ctx.token(['leadership'])}` },
    });
    const card = (await res.json()) as { period: { label: string }; summary: Record<string, number> };
    expect(card.period.label).toBe('2025');
    expect(card.summary).toMatchObject({ total: 36, noData: 12 });
    // The seeded random makes the split exact: half the reported indicators reach their 2025 target.
    expect(card.summary).toMatchObject({ met: 12, notMet: 12 });
    const alerts = await f.ctx.server.storage.kpi.listAlerts({ states: ['open'], limit: 1000 });
    expect(alerts.filter((x) => x.kind === 'missing-report')).toHaveLength(12);
    expect(alerts.filter((x) => x.kind === 'target-not-met').map((x) => x.indicator)).toEqual(
      expect.arrayContaining(['L2.N1.PN1.03', 'L2.N3.PN1.05', 'L3.N2.PN1.01']),
    );
    // The environment KPI follows the stations: two demo air stations, in 2 of the 10 districts.
    const now = await fetch(new URL('/api/v1/kpi/scorecard?year=2026', f.ctx.server.url), {
      headers: { authorization: `Bearer ${f.ctx.token(['leadership'])}` },
    });
    const air = ((await now.json()) as { indicators: Record<string, unknown>[] }).indicators.find(
      (e) => e.indicator === 'L2.N3.PN1.03',
    );
    expect(air).toMatchObject({
      value: 20,
      numerator: 2,
      denominator: 10,
      basis: 'observation',
      quality: ['provisional', 'revised'],
    });
    // Seeding again stores nothing new.
    const again = await f.ctx.server.kpi.ingest(
      demoObservations(f.ctx.server.kpi.defaultProfile, 2021, 2025).slice(0, 50),
      'demo',
    );
    expect(again).toEqual({ accepted: 0, duplicates: 50, rejected: [] });
  });
});

describe('environment KPIs from the station data', () => {
  it('record coverage per station kind, and a change supersedes the previous value', async () => {
    const { recordEnvironmentKpis } = await import('../src/modules/environment/kpi-feed.js');
    const { silentLogger } = await import('../src/index.js');
    const env = f.ctx.server.storage.environment;
    const deps = { repo: env, kpi: f.ctx.server.kpi, logger: silentLogger, now: () => NOW };
    const water = async (id: string, area: string) => {
      await env.createStation({
        id,
        name: `Trạm nước ${area}`,
        kind: 'water',
        location: { lat: 21.3, lon: 106.2 },
        area,
      });
      await env.insertReadings(id, [
        { at: '2026-11-30T10:00:00+07:00', periodMinutes: 60, values: { do: 6.1 } },
      ]);
    };
    const value = async () => {
      const card = await f.ctx.server.kpi.scorecard({ period: { year: 2026 }, view: { all: true } });
      return card.indicators.find((e) => e.indicator === 'L2.N3.PN1.02')?.value;
    };
    // No water station yet: nothing recorded for water ("no data", not 0 %); air is unchanged (2 of 10).
    expect(await recordEnvironmentKpis(deps)).toBe(0);
    expect(await value()).toBeNull();
    await water('BG-NM-01', '216');
    expect(await recordEnvironmentKpis({ ...deps, now: () => new Date(NOW.getTime() + 1000) })).toBe(1);
    expect(await value()).toBe(10);
    expect(await recordEnvironmentKpis({ ...deps, now: () => new Date(NOW.getTime() + 2000) })).toBe(0);
    await water('BG-NM-02', '217');
    // A station in a district already covered adds nothing.
    await water('BG-NM-03', '217');
    expect(await recordEnvironmentKpis({ ...deps, now: () => new Date(NOW.getTime() + 60_000) })).toBe(1);
    expect(await value()).toBe(20);
  });
});

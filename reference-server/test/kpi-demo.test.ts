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
    // Seeding again stores nothing new.
    const again = await f.ctx.server.kpi.ingest(
      demoObservations(f.ctx.server.kpi.defaultProfile, 2021, 2025).slice(0, 50),
      'demo',
    );
    expect(again).toEqual({ accepted: 0, duplicates: 50, rejected: [] });
  });
});

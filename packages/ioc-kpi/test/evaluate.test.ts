import { describe, expect, it } from 'vitest';
import {
  BAC_GIANG_2025,
  HEALTH_SECTOR_EXAMPLE,
  KpiSchemas,
  ObservationValidator,
  achievement,
  achievementBand,
  evaluateProfile,
  meetsGoal,
  progress,
  resolveProfile,
  type Observation,
} from '../src/index.js';
import { readConformance } from './helpers.js';

interface Expected {
  period: unknown;
  summary: Record<string, unknown>;
  rollups: Record<string, Record<string, unknown>>;
  indicators: Record<string, Record<string, unknown>>;
}

const bg = resolveProfile(BAC_GIANG_2025);

function obs(indicator: string, value: number | boolean, extra: Partial<Observation> = {}): Observation {
  return {
    indicator,
    value,
    period: { year: 2025 },
    scope: { level: 'province', adminUnitCode: '24' },
    source: 'test',
    method: 'manual',
    recordedAt: '2026-01-05T00:00:00+07:00',
    ...extra,
  };
}

describe('goals', () => {
  it('evaluates each operator', () => {
    expect([meetsGoal({ op: 'eq', value: 100 }, 100), meetsGoal({ op: 'eq', value: 100 }, 99.9)]).toEqual([
      true,
      false,
    ]);
    expect([meetsGoal({ op: 'gte', value: 30 }, 30), meetsGoal({ op: 'gte', value: 30 }, 29.99)]).toEqual([
      true,
      false,
    ]);
    expect([meetsGoal({ op: 'lte', value: 60 }, 60), meetsGoal({ op: 'lte', value: 60 }, 61)]).toEqual([
      true,
      false,
    ]);
    const band = { op: 'between', min: 80, max: 95 } as const;
    expect([79, 80, 95, 96].map((x) => meetsGoal(band, x))).toEqual([false, true, true, false]);
    expect([
      meetsGoal({ op: 'yes' }, true),
      meetsGoal({ op: 'yes' }, false),
      meetsGoal({ op: 'no' }, false),
    ]).toEqual([true, false, true]);
    expect(meetsGoal({ op: 'gte', value: 30 }, true)).toBe(false);
  });

  it('measures achievement in the goal direction, capped at 100', () => {
    expect(achievement({ op: 'gte', value: 50 }, 25)).toBe(50);
    expect(achievement({ op: 'gte', value: 50 }, 80)).toBe(100);
    expect(achievement({ op: 'lte', value: 60 }, 90)).toBeCloseTo(66.667, 3);
    expect(achievement({ op: 'lte', value: 60 }, 0)).toBe(100);
    expect(achievement({ op: 'eq', value: 100 }, 90)).toBe(90);
    expect(achievement({ op: 'between', min: 80, max: 95 }, 40)).toBe(50);
    expect(achievement({ op: 'between', min: 80, max: 95 }, 100)).toBe(95);
    expect(achievement({ op: 'yes' }, false)).toBe(0);
  });

  it('bands achievement like U4SSC: <33 → 1, 33–66 → 2, 66–95 → 3, ≥95 → 4', () => {
    expect([0, 32.99, 33, 65.99, 66, 94.99, 95, 100].map(achievementBand)).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
  });

  it('measures progress from the baseline; "not deployed" counts from 0, "no data" gives none', () => {
    expect(progress({ op: 'gte', value: 50 }, { value: 33.7 }, 42)).toBe(50.92);
    expect(progress({ op: 'gte', value: 30 }, { state: 'not-deployed' }, 12)).toBe(40);
    expect(progress({ op: 'gte', value: 30 }, { state: 'no-data' }, 12)).toBeNull();
    expect(progress({ op: 'lte', value: 60 }, { value: 95 }, 74)).toBe(60);
    expect(progress({ op: 'gte', value: 50 }, { value: 33.7 }, 30)).toBe(-22.7);
    expect(progress({ op: 'yes' }, { value: false }, true)).toBeNull();
  });
});

describe('evaluating the Bắc Giang profile', () => {
  const observations = readConformance<Observation[]>('bac-giang-2025.observations.json');
  const expected = readConformance<Expected>('bac-giang-2025.scorecard.expected.json');
  const validator = new ObservationValidator(bg);
  const batch = validator.validateBatch(observations);
  const card = evaluateProfile(bg, batch.accepted, { period: { year: 2025 } });

  it('accepts every observation of the conformance set', () => {
    expect(batch.rejected).toEqual([]);
    expect(batch.accepted).toHaveLength(observations.length);
  });

  it('gets the expected scorecard (specs/conformance/ioc-kpi/bac-giang-2025.scorecard.expected.json)', () => {
    expect(card.period).toEqual(expected.period);
    expect(card.scope).toEqual({ level: 'province', adminUnitCode: '24' });
    expect(card.summary).toMatchObject(expected.summary);
    for (const [code, want] of Object.entries(expected.rollups))
      expect(
        card.rollups.find((r) => r.code === code),
        code,
      ).toMatchObject(want);
    const byCode = new Map(card.indicators.map((e) => [e.indicator, e]));
    for (const [code, want] of Object.entries(expected.indicators)) {
      const { trend, delta, ...rest } = want;
      const got = byCode.get(code);
      expect(got, code).toMatchObject(rest);
      if (trend !== undefined) expect(got?.trend, code).toMatchObject({ direction: trend, delta });
    }
  });

  it('adds districts up through numerators and denominators, and says why it cannot', () => {
    const e = card.indicators.find((x) => x.indicator === 'L2.N1.PN3.02');
    expect(e?.reason?.en).toBe(
      'adding up districts needs every district’s numerator and denominator (percentages are never averaged)',
    );
    const no = card.indicators.find((x) => x.indicator === 'L2.N3.PN1.01');
    expect(no).toMatchObject({
      status: 'no-data',
      achievement: null,
      band: null,
      basis: 'none',
      reason: { en: 'no observation for this period and scope' },
    });
  });

  it('evaluates one district from its own observations only', () => {
    const d = evaluateProfile(bg, batch.accepted, {
      period: { year: 2025 },
      scope: { level: 'district', adminUnitCode: '215' },
    });
    expect(d.indicators.find((x) => x.indicator === 'L2.N1.PN3.01')).toMatchObject({
      status: 'not-met',
      value: 2.5,
      basis: 'observation',
      achievement: 25,
      band: 1,
    });
    expect(d.summary).toMatchObject({ met: 0, notMet: 1, noData: 35 });
  });

  it('builds the trend series oldest first and restricts to chosen indicators', () => {
    const c = evaluateProfile(bg, batch.accepted, {
      period: { year: 2025 },
      indicators: ['L2.N1.PN1.02'],
      trendPeriods: 2,
    });
    expect(c.indicators).toHaveLength(1);
    expect(c.indicators[0]?.trend).toEqual({
      direction: 'improving',
      delta: 13,
      series: [
        { period: '2023', value: null },
        { period: '2024', value: 42 },
        { period: '2025', value: 55 },
      ],
    });
    expect(c.summary).toMatchObject({ total: 1, met: 1, score: 100 });
  });

  it('produces a scorecard valid against specs/schemas/kpi-scorecard.schema.json', () => {
    expect(new KpiSchemas().check('scorecard', JSON.parse(JSON.stringify(card)))).toEqual([]);
  });

  it('throws UNKNOWN_INDICATOR for an observation the profile does not know', () => {
    expect(() => evaluateProfile(bg, [obs('ZZ.01', 1)], { period: { year: 2025 } })).toThrow(
      expect.objectContaining({ name: 'KpiError', code: 'UNKNOWN_INDICATOR' }),
    );
  });
});

describe('sector profile evaluation', () => {
  const h = resolveProfile(HEALTH_SECTOR_EXAMPLE);
  const dept = { level: 'department', department: 'health' } as const;
  it('handles lower-better, band and yes/no indicators, weights, and monthly trends', () => {
    const list: Observation[] = [
      obs('YT.01', 45, { scope: dept, numerator: 9, denominator: 20, period: { year: 2025, quarter: 2 } }),
      obs('YT.02', 75, { scope: dept, period: { year: 2025, month: 5 } }),
      obs('YT.02', 70, { scope: dept, period: { year: 2025, month: 6 } }),
      obs('YT.03', 98, { scope: dept, period: { year: 2025, month: 5 } }),
      obs('YT.03', 92, { scope: dept, period: { year: 2025, month: 6 } }),
      obs('YT.04', false, { scope: dept, period: { year: 2025, month: 6 } }),
    ];
    const c = evaluateProfile(h, list, {
      period: { year: 2025, quarter: 2 },
      indicators: ['YT.01', 'YT.02', 'YT.03', 'YT.04'],
    });
    const e = new Map(c.indicators.map((x) => [x.indicator, x]));
    expect(e.get('YT.01')).toMatchObject({
      status: 'not-met',
      achievement: 50,
      band: 2,
      weight: 2,
      progress: 10,
    });
    expect(e.get('YT.02')).toMatchObject({
      status: 'not-met',
      value: 70,
      observedPeriod: '2025-06',
      achievement: 85.71,
      band: 3,
      progress: 71.43,
    });
    expect(e.get('YT.03')).toMatchObject({ status: 'met', value: 92, achievement: 100 });
    expect(e.get('YT.04')).toMatchObject({
      status: 'not-met',
      value: false,
      achievement: 0,
      band: 1,
      progress: null,
    });
    // Weighted: (2 × 50 + 85.71 + 100 + 0) / 5 = 57.142
    expect(c.summary).toMatchObject({ met: 1, notMet: 3, score: 57.14, band: 2 });
    const monthly = evaluateProfile(h, list, {
      period: { year: 2025, month: 6 },
      indicators: ['YT.02', 'YT.03'],
    });
    const m = new Map(monthly.indicators.map((x) => [x.indicator, x.trend]));
    expect(m.get('YT.02')).toMatchObject({ direction: 'improving', delta: -5 });
    expect(m.get('YT.03')).toMatchObject({ direction: 'improving', delta: -6 });
  });
});

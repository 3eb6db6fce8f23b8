import { describe, expect, it } from 'vitest';
import {
  BAC_GIANG_2025,
  KpiSchemas,
  acknowledgeAlert,
  deriveAlerts,
  deriveThresholdAlert,
  evaluateProfile,
  resolveAlert,
  resolveProfile,
  type KpiAlert,
  type Observation,
} from '../src/index.js';
import { readConformance } from './helpers.js';

const bg = resolveProfile(BAC_GIANG_2025);
const schemas = new KpiSchemas();

function obs(
  indicator: string,
  value: number,
  period: Observation['period'] = { year: 2025 },
  recordedAt = '2026-01-05T00:00:00+07:00',
): Observation {
  return {
    indicator,
    value,
    period,
    scope: { level: 'province', adminUnitCode: '24' },
    source: 't',
    method: 'automatic',
    recordedAt,
  };
}

/** The scorecard of one indicator (L2.N1.PN2.01, target ≥ 30) with the given value for 2025. */
function cardOf(values: Observation[], period: Observation['period'] = { year: 2025 }) {
  return evaluateProfile(bg, values, { period, indicators: ['L2.N1.PN2.01'] });
}

describe('alerts', () => {
  it('raises the conformance set’s alerts: not met at period end, regression, missing reports', () => {
    const observations = readConformance<Observation[]>('bac-giang-2025.observations.json');
    const expected = readConformance<{
      alerts: {
        now: string;
        raised: number;
        targetNotMet: Record<string, string>;
        regression: string[];
        missingReport: number;
      };
    }>('bac-giang-2025.scorecard.expected.json').alerts;
    const card = evaluateProfile(bg, observations, { period: { year: 2025 } });
    const r = deriveAlerts({ scorecard: card, existing: [], now: expected.now, profile: bg });
    expect(r.changes).toHaveLength(expected.raised);
    expect(r.changes.every((c) => c.type === 'raised')).toBe(true);
    const of = (kind: string) => r.alerts.filter((a) => a.kind === kind);
    expect(Object.fromEntries(of('target-not-met').map((a) => [a.indicator, a.severity]))).toEqual(
      expected.targetNotMet,
    );
    expect(of('regression').map((a) => a.indicator)).toEqual(expected.regression);
    expect(of('missing-report')).toHaveLength(expected.missingReport);
    const a = of('target-not-met').find((x) => x.indicator === 'L2.N1.PN1.03');
    expect(a).toMatchObject({
      dedupKey: 'target-not-met|bac-giang-2025|L2.N1.PN1.03|province:24',
      state: 'open',
      period: '2025',
      value: 12,
      target: '≥ 30',
      achievement: 40,
      raisedAt: expected.now,
      message: {
        vi: 'Chỉ số L2.N1.PN1.03 (Hỗ trợ thực hiện thủ tục hành chính ứng dụng ICT) chưa đạt mục tiêu ≥ 30 kỳ 2025: giá trị 12 %, đạt 40 %.',
        en: 'Indicator L2.N1.PN1.03 (ICT support for carrying out administrative procedures) did not meet its target ≥ 30 for 2025: value 12 %, 40 % achieved.',
      },
    });
    expect(a?.id).toMatch(/^[0-9a-f]{16}$/);
    for (const alert of r.alerts) expect(schemas.check('alert', alert), alert.id).toEqual([]);
    // Evaluating again changes nothing: one alert per key.
    expect(
      deriveAlerts({ scorecard: card, existing: r.alerts, now: '2026-02-16T00:00:00+07:00', profile: bg })
        .changes,
    ).toEqual([]);
  });

  it('does not raise "not met" before the period ends, and grades earlier periods lower', () => {
    const card = cardOf([obs('L2.N1.PN2.01', 10)]);
    expect(
      deriveAlerts({
        scorecard: card,
        existing: [],
        now: '2025-12-31T23:59:00+07:00',
        profile: bg,
        policy: { kinds: ['target-not-met'] },
      }).changes,
    ).toEqual([]);
    const after = deriveAlerts({
      scorecard: card,
      existing: [],
      now: '2026-01-01T00:00:00+07:00',
      profile: bg,
      policy: { kinds: ['target-not-met'] },
    });
    expect(after.changes.map((c) => [c.type, c.alert.severity])).toEqual([['raised', 'critical']]);
    const early = cardOf([obs('L2.N1.PN2.01', 10, { year: 2023 })], { year: 2023 });
    const e = deriveAlerts({
      scorecard: early,
      existing: [],
      now: '2024-02-01T00:00:00+07:00',
      profile: bg,
      policy: { kinds: ['target-not-met'] },
    });
    expect(e.changes.map((c) => c.alert.severity)).toEqual(['warning']);
  });

  it('a value flapping around the target raises once and clears only past the hysteresis margin', () => {
    const policy = { kinds: ['target-not-met'] as const, hysteresis: 2, clearAfter: 2 };
    let alerts: KpiAlert[] = [];
    const log: string[] = [];
    const values = [29.5, 30.2, 29.8, 30.4, 31.9, 32.5, 29.9, 32.1, 33, 34];
    values.forEach((v, i) => {
      const now = `2026-01-${String(10 + i).padStart(2, '0')}T00:00:00+07:00`;
      const r = deriveAlerts({
        scorecard: cardOf([obs('L2.N1.PN2.01', v, { year: 2025 }, now)]),
        existing: alerts,
        now,
        profile: bg,
        policy,
      });
      alerts = [...r.alerts];
      log.push(
        r.changes.map((c) => `${c.type}:${c.alert.state}:${c.alert.clearStreak ?? 0}`).join(',') || '-',
      );
    });
    expect(log).toEqual([
      'raised:open:0', // 29.5 < 30
      '-', // 30.2 met but not ≥ 32: still open, streak stays 0
      'updated:open:0', // 29.8: value changed
      '-', // 30.4
      '-', // 31.9
      'updated:open:1', // 32.5 ≥ 32: first clear evaluation
      'updated:open:0', // 29.9: not met again, streak reset
      'updated:open:1', // 32.1
      'resolved:resolved:2', // 33: second clear evaluation in a row
      '-', // 34: nothing open
    ]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      state: 'resolved',
      resolvedBy: 'system',
      resolvedAt: '2026-01-18T00:00:00+07:00',
    });
  });

  it('reopens an alert that returns soon after clearing, raises a new one later', () => {
    const policy = { kinds: ['target-not-met'] as const, reopenWithinMs: 3 * 86_400_000 };
    const at = (d: number) => `2026-01-${String(d).padStart(2, '0')}T00:00:00+07:00`;
    const step = (v: number, d: number, existing: readonly KpiAlert[]) =>
      deriveAlerts({
        scorecard: cardOf([obs('L2.N1.PN2.01', v, { year: 2025 }, at(d))]),
        existing,
        now: at(d),
        profile: bg,
        policy,
      });
    const a = step(10, 10, []);
    const b = step(40, 11, a.alerts);
    const c = step(10, 12, b.alerts);
    expect(c.changes.map((x) => [x.type, x.alert.state, x.alert.reopenCount])).toEqual([
      ['reopened', 'open', 1],
    ]);
    expect(c.alerts).toHaveLength(1);
    const d = step(40, 13, c.alerts);
    const e = step(10, 25, d.alerts);
    expect(e.changes.map((x) => x.type)).toEqual(['raised']);
    expect(e.alerts).toHaveLength(2);
  });

  it('raises a missing report only past its due date, and resolves it when the report arrives', () => {
    const policy = { kinds: ['missing-report'] as const, dueAfterDays: 20 };
    const empty = cardOf([]);
    expect(
      deriveAlerts({ scorecard: empty, existing: [], now: '2026-01-20T00:00:00+07:00', profile: bg, policy })
        .changes,
    ).toEqual([]);
    const r = deriveAlerts({
      scorecard: empty,
      existing: [],
      now: '2026-01-21T00:00:00+07:00',
      profile: bg,
      policy,
    });
    expect(r.changes.map((c) => [c.type, c.alert.kind, c.alert.severity, c.alert.dedupKey])).toEqual([
      ['raised', 'missing-report', 'info', 'missing-report|bac-giang-2025|L2.N1.PN2.01|province:24|2025'],
    ]);
    expect(r.alerts[0]?.message.en).toBe(
      'No observation of indicator L2.N1.PN2.01 (Provision of real-time traffic information) for 2025 although it is past due.',
    );
    const later = deriveAlerts({
      scorecard: cardOf([obs('L2.N1.PN2.01', 35)]),
      existing: r.alerts,
      now: '2026-01-25T00:00:00+07:00',
      profile: bg,
      policy,
    });
    expect(later.changes.map((c) => [c.type, c.alert.state, c.alert.resolvedBy])).toEqual([
      ['resolved', 'resolved', 'system'],
    ]);
  });

  it('raises a regression beyond the threshold and keeps acknowledged alerts acknowledged', () => {
    const prior = obs('L2.N1.PN2.01', 40, { year: 2024 });
    const small = deriveAlerts({
      scorecard: cardOf([prior, obs('L2.N1.PN2.01', 39)]),
      existing: [],
      now: '2026-02-01T00:00:00+07:00',
      profile: bg,
      policy: { kinds: ['regression'], regressionThreshold: 2 },
    });
    expect(small.changes).toEqual([]);
    const big = deriveAlerts({
      scorecard: cardOf([prior, obs('L2.N1.PN2.01', 35)]),
      existing: [],
      now: '2026-02-01T00:00:00+07:00',
      profile: bg,
      policy: { kinds: ['regression'], regressionThreshold: 2 },
    });
    expect(big.changes.map((c) => [c.alert.kind, c.alert.severity, c.alert.message.en])).toEqual([
      [
        'regression',
        'warning',
        'Indicator L2.N1.PN2.01 (Provision of real-time traffic information) got worse than the previous period (2024: 40 % → 2025: 35 %).',
      ],
    ]);
    const acked = acknowledgeAlert(big.alerts[0] as KpiAlert, {
      by: 'operator-1',
      at: '2026-02-02T08:00:00+07:00',
    });
    expect(acked).toMatchObject({
      state: 'acknowledged',
      acknowledgedBy: 'operator-1',
      acknowledgedAt: '2026-02-02T08:00:00+07:00',
    });
    const again = deriveAlerts({
      scorecard: cardOf([prior, obs('L2.N1.PN2.01', 33)]),
      existing: [acked],
      now: '2026-02-03T00:00:00+07:00',
      profile: bg,
      policy: { kinds: ['regression'] },
    });
    expect(again.changes.map((c) => [c.type, c.alert.state, c.alert.value])).toEqual([
      ['updated', 'acknowledged', 33],
    ]);
  });

  it('moves open → acknowledged → resolved with who and when; other moves are ALERT_INVALID_TRANSITION', () => {
    const card = cardOf([obs('L2.N1.PN2.01', 10)]);
    const [open] = deriveAlerts({
      scorecard: card,
      existing: [],
      now: '2026-01-02T00:00:00+07:00',
      profile: bg,
      policy: { kinds: ['target-not-met'] },
    }).alerts;
    if (!open) throw new Error('no alert');
    const ack = acknowledgeAlert(open, { by: 'op@ioc', at: '2026-01-02T08:00:00+07:00' });
    const done = resolveAlert(ack, {
      by: 'op@ioc',
      at: '2026-01-03T08:00:00+07:00',
      note: 'Sở GTVT đã bổ sung số liệu',
    });
    expect(done).toMatchObject({
      state: 'resolved',
      resolvedBy: 'op@ioc',
      resolvedAt: '2026-01-03T08:00:00+07:00',
      resolution: 'Sở GTVT đã bổ sung số liệu',
      acknowledgedBy: 'op@ioc',
    });
    expect(() => acknowledgeAlert(ack, { by: 'x', at: '2026-01-03T00:00:00Z' })).toThrow(
      expect.objectContaining({ code: 'ALERT_INVALID_TRANSITION' }),
    );
    expect(() => resolveAlert(done, { by: 'x', at: '2026-01-03T00:00:00Z' })).toThrow(
      expect.objectContaining({ code: 'ALERT_INVALID_TRANSITION' }),
    );
    expect(() => acknowledgeAlert(open, { by: ' ', at: '2026-01-03T00:00:00Z' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => deriveAlerts({ scorecard: card, existing: [], now: 'soon' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(schemas.check('alert', done)).toEqual([]);
  });
});

describe('threshold alerts', () => {
  const thresholds = [
    { severity: 'warning' as const, op: 'gte' as const, value: 151, name: { vi: 'Xấu', en: 'Poor' } },
    {
      severity: 'critical' as const,
      op: 'gte' as const,
      value: 201,
      name: { vi: 'Rất xấu', en: 'Very poor' },
    },
  ];
  const step = (value: number | null, at: string, existing?: KpiAlert) =>
    deriveThresholdAlert({
      key: 'aqi|station:BG-KK-01',
      indicator: 'VN_AQI',
      value,
      at,
      thresholds,
      hysteresis: 10,
      scope: { level: 'district', adminUnitCode: '213' },
      source: 'station:BG-KK-01',
      message: (v, t) => ({
        vi: `VN_AQI ${v} (${t.name?.vi ?? ''})`,
        en: `VN_AQI ${v} (${t.name?.en ?? ''})`,
      }),
      ...(existing !== undefined ? { existing } : {}),
    });

  it('raises once, escalates and de-escalates by level, and clears past the hysteresis band', () => {
    expect(step(140, '2026-12-01T08:00:00+07:00')).toBeUndefined();
    const raised = step(160, '2026-12-01T09:00:00+07:00');
    expect(raised?.type).toBe('raised');
    const a = raised?.alert as KpiAlert;
    expect(a).toMatchObject({
      kind: 'threshold',
      dedupKey: 'threshold|aqi|station:BG-KK-01',
      indicator: 'VN_AQI',
      severity: 'warning',
      state: 'open',
      value: 160,
      target: '≥ 151',
      source: 'station:BG-KK-01',
      message: { vi: 'VN_AQI 160 (Xấu)', en: 'VN_AQI 160 (Poor)' },
    });
    expect(schemas.check('alert', a)).toEqual([]);
    // A steady breach at the same level changes nothing.
    expect(step(175, '2026-12-01T10:00:00+07:00', a)).toBeUndefined();
    const worse = step(230, '2026-12-01T11:00:00+07:00', a);
    expect([worse?.type, worse?.alert.severity, worse?.alert.target]).toEqual([
      'updated',
      'critical',
      '≥ 201',
    ]);
    const acked = acknowledgeAlert(worse?.alert as KpiAlert, { by: 'op', at: '2026-12-01T11:05:00+07:00' });
    const better = step(180, '2026-12-01T12:00:00+07:00', acked);
    expect([better?.type, better?.alert.severity, better?.alert.state]).toEqual([
      'updated',
      'warning',
      'acknowledged',
    ]);
    // 145 is below 151 but within the 10-point band: still open.
    expect(step(145, '2026-12-01T13:00:00+07:00', better?.alert)).toBeUndefined();
    expect(step(null, '2026-12-01T14:00:00+07:00', better?.alert)).toBeUndefined();
    const cleared = step(139, '2026-12-01T15:00:00+07:00', better?.alert);
    expect(cleared?.alert).toMatchObject({
      state: 'resolved',
      resolvedBy: 'system',
      value: 139,
      resolvedAt: '2026-12-01T15:00:00+07:00',
    });
    // Once resolved, a new breach raises a new alert.
    expect(step(160, '2026-12-01T16:00:00+07:00', cleared?.alert)?.type).toBe('raised');
    expect(() => step(Number.NaN, '2026-12-01T16:00:00+07:00')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});

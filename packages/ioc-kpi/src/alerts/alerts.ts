import { KpiError } from '../errors.js';
import type { Message, Scope } from '../catalogue/types.js';
import type { ResolvedProfile } from '../catalogue/catalogue.js';
import type { IndicatorEvaluation, Scorecard } from '../evaluation/evaluate.js';
import { scopeKey } from '../observations/observation.js';
import { periodRange } from '../observations/period.js';

export type AlertKind = 'target-not-met' | 'regression' | 'missing-report' | 'threshold';
export type AlertSeverity = 'info' | 'warning' | 'critical';
export type AlertState = 'open' | 'acknowledged' | 'resolved';

/** An alert on an indicator (`specs/schemas/kpi-alert.schema.json`). */
export interface KpiAlert {
  readonly id: string;
  /** One active alert per key: kind, profile, indicator, scope (and period for regressions and missing reports). */
  readonly dedupKey: string;
  readonly kind: AlertKind;
  readonly indicator: string;
  readonly profile?: string;
  readonly scope?: Scope;
  /** What a threshold alert is about, e.g. `station:BG-KK-01`. */
  readonly source?: string;
  /** Label of the period the alert is about (the latest one evaluated for target-not-met). */
  readonly period?: string;
  readonly severity: AlertSeverity;
  readonly state: AlertState;
  readonly value?: number | boolean | null;
  readonly target?: string;
  readonly achievement?: number | null;
  readonly raisedAt: string;
  readonly updatedAt?: string;
  readonly acknowledgedAt?: string;
  readonly acknowledgedBy?: string;
  readonly resolvedAt?: string;
  readonly resolvedBy?: string;
  readonly resolution?: string;
  readonly clearStreak?: number;
  readonly reopenCount?: number;
  readonly message: Message;
}

export interface AlertPolicy {
  /**
   * How far past the target (in the indicator's unit) a value must get before an open
   * target-not-met alert clears, so a value hovering at the target does not raise and clear
   * over and over. Default 0.
   */
  readonly hysteresis?: number;
  /** Consecutive clear evaluations before an alert resolves itself. Default 1. */
  readonly clearAfter?: number;
  /** Worsening versus the previous period (in the unit) that counts as a regression. Default 0: any. */
  readonly regressionThreshold?: number;
  /** Days after a period ends before its missing observation alerts, when the target sets none. Default 30. */
  readonly dueAfterDays?: number;
  /** An alert raised again within this many ms of resolving is reopened instead of duplicated. Default 24 h. */
  readonly reopenWithinMs?: number;
  /** Kinds to raise; default all three. */
  readonly kinds?: readonly AlertKind[];
}

export type AlertChangeType = 'raised' | 'updated' | 'reopened' | 'resolved';

export interface AlertChange {
  readonly type: AlertChangeType;
  readonly alert: KpiAlert;
}

export interface DeriveAlertsInput {
  readonly scorecard: Scorecard;
  /** Alerts known so far (any state); the result carries them forward. */
  readonly existing: readonly KpiAlert[];
  /** The evaluation time, ISO 8601. */
  readonly now: string;
  /** The resolved profile, for per-target due dates and the target period. */
  readonly profile?: ResolvedProfile;
  readonly policy?: AlertPolicy;
}

export interface DeriveAlertsResult {
  /** Every alert: the existing ones updated, plus those raised now. */
  readonly alerts: readonly KpiAlert[];
  /** What changed, in order; publish these. */
  readonly changes: readonly AlertChange[];
}

const DAY_MS = 86_400_000;

/** FNV-1a 64-bit, hex: a short deterministic id. */
function hash(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(text)) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

function fmt(v: number | boolean | null): { vi: string; en: string } {
  if (v === null) return { vi: 'chưa có số liệu', en: 'no data' };
  if (typeof v === 'boolean') return v ? { vi: 'Có', en: 'yes' } : { vi: 'Chưa', en: 'not yet' };
  return { vi: String(Math.round(v * 100) / 100).replace('.', ','), en: String(Math.round(v * 100) / 100) };
}

function describe(kind: AlertKind, e: IndicatorEvaluation, period: string): Message {
  const v = fmt(e.value);
  const unit = e.unitLabel === '%' ? ' %' : e.unitLabel && e.unit !== 'boolean' ? ` ${e.unitLabel}` : '';
  const target = e.target?.text ?? '';
  const nameVi = e.name.vi;
  const nameEn = e.name.en ?? e.name.vi;
  switch (kind) {
    case 'target-not-met':
      return {
        vi: `Chỉ số ${e.indicator} (${nameVi}) chưa đạt mục tiêu ${target} kỳ ${period}: giá trị ${v.vi}${unit}${e.achievement !== null ? `, đạt ${fmt(e.achievement).vi} %` : ''}.`,
        en: `Indicator ${e.indicator} (${nameEn}) did not meet its target ${target} for ${period}: value ${v.en}${unit}${e.achievement !== null ? `, ${fmt(e.achievement).en} % achieved` : ''}.`,
      };
    case 'regression': {
      const prev = [...e.trend.series]
        .reverse()
        .slice(1)
        .find((p) => p.value !== null);
      const pv = fmt(prev?.value ?? null);
      return {
        vi: `Chỉ số ${e.indicator} (${nameVi}) giảm so với kỳ trước (${prev?.period ?? '?'}: ${pv.vi}${unit} → ${period}: ${v.vi}${unit}).`,
        en: `Indicator ${e.indicator} (${nameEn}) got worse than the previous period (${prev?.period ?? '?'}: ${pv.en}${unit} → ${period}: ${v.en}${unit}).`,
      };
    }
    case 'missing-report':
      return {
        vi: `Chưa nhận được số liệu chỉ số ${e.indicator} (${nameVi}) kỳ ${period} dù đã quá hạn báo cáo.`,
        en: `No observation of indicator ${e.indicator} (${nameEn}) for ${period} although it is past due.`,
      };
    case 'threshold':
      return {
        vi: `Chỉ số ${e.indicator} (${nameVi}) vượt ngưỡng kỳ ${period}: giá trị ${v.vi}${unit}.`,
        en: `Indicator ${e.indicator} (${nameEn}) is past its threshold for ${period}: value ${v.en}${unit}.`,
      };
  }
}

/** Whether a met value is past the target by the hysteresis margin. */
function clearsBy(e: IndicatorEvaluation, margin: number): boolean {
  if (e.status !== 'met') return false;
  const g = e.target;
  if (g === null || typeof e.value !== 'number' || margin <= 0) return true;
  switch (g.op) {
    case 'gte':
      return e.value >= g.value + margin;
    case 'lte':
      return e.value <= g.value - margin;
    case 'between':
      return e.value >= g.min + margin && e.value <= g.max - margin;
    default:
      return true;
  }
}

function isActive(a: KpiAlert): boolean {
  return a.state === 'open' || a.state === 'acknowledged';
}

/**
 * Alerts as a pure function of a scorecard, the alerts known so far and the time: an indicator
 * not met once its period has ended, a regression versus the previous period, a missing report
 * past its due date. One active alert per dedup key; a condition that persists updates its alert
 * (severity, value) instead of raising another; an alert clears itself only after the value is
 * past the target by `hysteresis` for `clearAfter` evaluations; a condition that returns soon
 * after clearing reopens its alert. Acknowledged alerts stay acknowledged while the condition lasts.
 */
export function deriveAlerts(input: DeriveAlertsInput): DeriveAlertsResult {
  const { scorecard, now } = input;
  const policy = input.policy ?? {};
  const margin = policy.hysteresis ?? 0;
  const clearAfter = Math.max(1, policy.clearAfter ?? 1);
  const threshold = policy.regressionThreshold ?? 0;
  const reopenWithin = policy.reopenWithinMs ?? DAY_MS;
  const kinds = new Set<AlertKind>(policy.kinds ?? ['target-not-met', 'regression', 'missing-report']);
  const nowMs = Date.parse(now);
  if (Number.isNaN(nowMs)) throw new KpiError('INVALID_INPUT', `now "${now}" is not an ISO 8601 date-time`);
  const endMs = Date.parse(scorecard.period.end);
  const ended = nowMs >= endMs;
  const period = scorecard.period.label;
  const profileId = scorecard.profile.id;
  const sk = scopeKey(scorecard.scope);
  const tp = input.profile?.profile.targetPeriod;
  const targetEnd = tp === undefined ? undefined : periodRange(tp).end;

  const alerts = new Map<string, KpiAlert>();
  const latestByKey = new Map<string, KpiAlert>();
  for (const a of input.existing) {
    alerts.set(a.id, a);
    const prev = latestByKey.get(a.dedupKey);
    if (prev === undefined || isActive(a) || (!isActive(prev) && a.raisedAt > prev.raisedAt))
      latestByKey.set(a.dedupKey, a);
  }
  const changes: AlertChange[] = [];
  const put = (type: AlertChangeType, a: KpiAlert) => {
    alerts.set(a.id, a);
    latestByKey.set(a.dedupKey, a);
    changes.push({ type, alert: a });
  };

  const fire = (
    kind: AlertKind,
    key: string,
    e: IndicatorEvaluation,
    severity: AlertSeverity,
    alertPeriod: string,
  ) => {
    const message = describe(kind, e, alertPeriod);
    const current = latestByKey.get(key);
    const fields = {
      severity,
      value: e.value,
      ...(e.target !== null ? { target: e.target.text } : {}),
      achievement: e.achievement,
      period: alertPeriod,
      message,
      clearStreak: 0,
    };
    if (current !== undefined && isActive(current)) {
      const same =
        current.severity === severity &&
        current.value === e.value &&
        current.period === alertPeriod &&
        (current.clearStreak ?? 0) === 0;
      if (!same) put('updated', { ...current, ...fields, updatedAt: now });
      return;
    }
    if (
      current !== undefined &&
      current.resolvedAt !== undefined &&
      nowMs - Date.parse(current.resolvedAt) < reopenWithin
    ) {
      const {
        resolvedAt: _r,
        resolvedBy: _b,
        resolution: _n,
        acknowledgedAt: _a,
        acknowledgedBy: _ab,
        ...rest
      } = current;
      put('reopened', {
        ...rest,
        ...fields,
        state: 'open',
        updatedAt: now,
        reopenCount: (current.reopenCount ?? 0) + 1,
      });
      return;
    }
    put('raised', {
      id: hash(`${key}#${now}`),
      dedupKey: key,
      kind,
      indicator: e.indicator,
      profile: profileId,
      scope: scorecard.scope,
      state: 'open',
      raisedAt: now,
      ...fields,
    });
  };

  const clear = (key: string, immediate: boolean) => {
    const current = latestByKey.get(key);
    if (current === undefined || !isActive(current)) return;
    const streak = (current.clearStreak ?? 0) + 1;
    if (immediate || streak >= clearAfter) {
      put('resolved', {
        ...current,
        state: 'resolved',
        clearStreak: streak,
        resolvedAt: now,
        resolvedBy: 'system',
        updatedAt: now,
      });
    } else {
      put('updated', { ...current, clearStreak: streak, updatedAt: now });
    }
  };

  for (const e of scorecard.indicators) {
    if (e.status === 'not-applicable') continue;
    // Not met once the period has ended.
    if (kinds.has('target-not-met')) {
      const key = `target-not-met|${profileId}|${e.indicator}|${sk}`;
      if (e.status === 'not-met' && ended) {
        const final = targetEnd === undefined || endMs >= targetEnd;
        const severe = (e.band ?? 1) <= 2;
        const severity: AlertSeverity = final
          ? severe
            ? 'critical'
            : 'warning'
          : severe
            ? 'warning'
            : 'info';
        fire('target-not-met', key, e, severity, period);
      } else if (e.status === 'met') {
        const current = latestByKey.get(key);
        if (current !== undefined && isActive(current)) {
          if (clearsBy(e, margin)) clear(key, false);
          else if ((current.clearStreak ?? 0) > 0)
            put('updated', { ...current, clearStreak: 0, updatedAt: now });
        }
      }
    }
    // Worse than the previous period.
    if (kinds.has('regression')) {
      const key = `regression|${profileId}|${e.indicator}|${sk}|${period}`;
      const worse =
        e.trend.direction === 'worsening' && (e.trend.delta === null || Math.abs(e.trend.delta) > threshold);
      if (worse) fire('regression', key, e, 'warning', period);
      else if (e.trend.direction !== 'insufficient-data') clear(key, true);
    }
    // Missing past its due date.
    if (kinds.has('missing-report')) {
      const key = `missing-report|${profileId}|${e.indicator}|${sk}|${period}`;
      const dueDays =
        input.profile?.indicators.get(e.indicator)?.target?.dueAfterDays ?? policy.dueAfterDays ?? 30;
      if (e.status === 'no-data' && nowMs >= endMs + dueDays * DAY_MS) {
        const overdueDays = (nowMs - endMs) / DAY_MS - dueDays;
        fire('missing-report', key, e, overdueDays > 30 ? 'warning' : 'info', period);
      } else if (e.status !== 'no-data') clear(key, true);
    }
  }
  return { alerts: [...alerts.values()], changes };
}

export interface TransitionInput {
  /** Who: a user id. */
  readonly by: string;
  /** When, ISO 8601. */
  readonly at: string;
  readonly note?: string;
}

function transitionError(a: KpiAlert, to: AlertState): KpiError {
  return new KpiError('ALERT_INVALID_TRANSITION', `alert ${a.id} is ${a.state}: it cannot become ${to}`, {
    details: { id: a.id, from: a.state, to },
  });
}

function checkActor(t: TransitionInput): void {
  if (t.by.trim() === '') throw new KpiError('INVALID_INPUT', 'a transition needs who made it ("by")');
  if (Number.isNaN(Date.parse(t.at)))
    throw new KpiError('INVALID_INPUT', `"${t.at}" is not an ISO 8601 date-time`);
}

/** open → acknowledged, recording who and when. Throws `ALERT_INVALID_TRANSITION` from any other state. */
export function acknowledgeAlert(alert: KpiAlert, t: TransitionInput): KpiAlert {
  checkActor(t);
  if (alert.state !== 'open') throw transitionError(alert, 'acknowledged');
  return { ...alert, state: 'acknowledged', acknowledgedAt: t.at, acknowledgedBy: t.by, updatedAt: t.at };
}

/** open | acknowledged → resolved, recording who, when and an optional note. */
export function resolveAlert(alert: KpiAlert, t: TransitionInput): KpiAlert {
  checkActor(t);
  if (alert.state === 'resolved') throw transitionError(alert, 'resolved');
  return {
    ...alert,
    state: 'resolved',
    resolvedAt: t.at,
    resolvedBy: t.by,
    updatedAt: t.at,
    ...(t.note !== undefined ? { resolution: t.note } : {}),
  };
}

/** A named threshold: `value` reached in the direction `op` gives `severity`. */
export interface Threshold {
  readonly severity: AlertSeverity;
  readonly op: 'gte' | 'lte';
  readonly value: number;
  /** Name shown in messages, e.g. `Xấu` / `Poor`. */
  readonly name?: Message;
}

export interface ThresholdInput {
  /** Dedup key subject, e.g. `aqi|station:BG-KK-01`; the alert's key is `threshold|<key>`. */
  readonly key: string;
  readonly indicator: string;
  /** The latest measured value; `null` (no data) changes nothing. */
  readonly value: number | null;
  /** When it was measured (or evaluated), ISO 8601. */
  readonly at: string;
  /** Warning and critical levels; the most severe one reached wins. */
  readonly thresholds: readonly Threshold[];
  /** How far back past the lowest threshold the value must come before the alert clears. Default 0. */
  readonly hysteresis?: number;
  readonly scope?: Scope;
  readonly source?: string;
  readonly profile?: string;
  /** The message for a severity reached by a value. */
  readonly message: (value: number, threshold: Threshold) => Message;
  /** The alert currently active for this key, if any. */
  readonly existing?: KpiAlert;
}

const SEVERITY_RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

/**
 * A threshold alert as a pure function of the latest value and the active alert: raised when the
 * value reaches a threshold, updated when it moves to another level (the value alone changing does not
 * update, so a steady breach does not spam), resolved by `system` only once the value is back past the
 * lowest threshold by `hysteresis`. Acknowledged alerts stay acknowledged while the breach lasts.
 */
export function deriveThresholdAlert(input: ThresholdInput): AlertChange | undefined {
  const { value, existing } = input;
  if (value === null) return undefined;
  if (!Number.isFinite(value)) throw new KpiError('INVALID_INPUT', `threshold value ${value} is not finite`);
  if (Number.isNaN(Date.parse(input.at)))
    throw new KpiError('INVALID_INPUT', `"${input.at}" is not an ISO 8601 date-time`);
  const reached = (t: Threshold, margin = 0) =>
    t.op === 'gte' ? value >= t.value - margin : value <= t.value + margin;
  let hit: Threshold | undefined;
  for (const t of input.thresholds)
    if (reached(t) && (hit === undefined || SEVERITY_RANK[t.severity] > SEVERITY_RANK[hit.severity])) hit = t;
  const active = existing !== undefined && isActive(existing) ? existing : undefined;
  if (hit === undefined) {
    if (active === undefined) return undefined;
    const margin = input.hysteresis ?? 0;
    // Still within the hysteresis band of some threshold: keep the alert as it is.
    if (margin > 0 && input.thresholds.some((t) => reached(t, margin))) return undefined;
    return {
      type: 'resolved',
      alert: {
        ...active,
        state: 'resolved',
        value,
        resolvedAt: input.at,
        resolvedBy: 'system',
        updatedAt: input.at,
      },
    };
  }
  const message = input.message(value, hit);
  const target = `${hit.op === 'gte' ? '≥' : '≤'} ${hit.value}`;
  if (active !== undefined) {
    if (active.severity === hit.severity) return undefined;
    return {
      type: 'updated',
      alert: { ...active, severity: hit.severity, value, target, message, updatedAt: input.at },
    };
  }
  const dedupKey = `threshold|${input.key}`;
  return {
    type: 'raised',
    alert: {
      id: hash(`${dedupKey}#${input.at}`),
      dedupKey,
      kind: 'threshold',
      indicator: input.indicator,
      ...(input.profile !== undefined ? { profile: input.profile } : {}),
      ...(input.scope !== undefined ? { scope: input.scope } : {}),
      ...(input.source !== undefined ? { source: input.source } : {}),
      severity: hit.severity,
      state: 'open',
      value,
      target,
      raisedAt: input.at,
      message,
    },
  };
}

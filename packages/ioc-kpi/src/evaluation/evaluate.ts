import { KpiError } from '../errors.js';
import type { ResolvedIndicator, ResolvedProfile, TreeNode } from '../catalogue/catalogue.js';
import type { Goal, LocalizedText, Message, Period, Scope, TableValue, Unit } from '../catalogue/types.js';
import type { Observation, QualityFlag } from '../observations/observation.js';
import {
  formatInstant,
  periodRange,
  previousPeriod,
  VIETNAM_ZONE,
  type PeriodKind,
  type PeriodRange,
} from '../observations/period.js';
import { achievement, achievementBand, goalText, meetsGoal, progress, type AchievementBand } from './goal.js';

export type EvaluationStatus = 'met' | 'not-met' | 'no-data' | 'not-applicable';
export type TrendDirection = 'improving' | 'worsening' | 'stable' | 'insufficient-data';

export interface TrendPoint {
  readonly period: string;
  readonly value: number | boolean | null;
}

export interface Trend {
  readonly direction: TrendDirection;
  /** Current value minus the previous period's (numbers only). */
  readonly delta: number | null;
  /** Oldest first, ending with the evaluated period. */
  readonly series: readonly TrendPoint[];
}

/** One indicator evaluated for one period and scope. */
export interface IndicatorEvaluation {
  readonly indicator: string;
  readonly name: LocalizedText;
  readonly unit: Unit;
  readonly unitLabel?: string;
  readonly layer: string;
  readonly group: string;
  readonly subgroup: string;
  readonly sector?: string;
  readonly status: EvaluationStatus;
  readonly value: number | boolean | null;
  readonly numerator?: number;
  readonly denominator?: number;
  /** `observation`: one reported value; `aggregate`: sub-areas added up through numerators and denominators. */
  readonly basis: 'observation' | 'aggregate' | 'none';
  /** The period of the observation used (a sub-period when none covers the whole evaluated period). */
  readonly observedPeriod?: string;
  /** For aggregates: how many sub-areas reported, of how many the profile lists, and which are missing. */
  readonly coverage?: {
    readonly reported: number;
    readonly expected?: number;
    readonly missing?: readonly string[];
  };
  readonly quality?: readonly QualityFlag[];
  readonly target: (Goal & { readonly text: string }) | null;
  readonly baseline: TableValue | null;
  /** 0–100: how far the value gets to the target (U4SSC-style). */
  readonly achievement: number | null;
  readonly band: AchievementBand | null;
  /** % of the way from the baseline to the target; null when the baseline is unknown. */
  readonly progress: number | null;
  readonly trend: Trend;
  readonly weight: number;
  /** Why the status is `no-data` or `not-applicable`. */
  readonly reason?: Message;
}

export interface RollUp {
  readonly level: 'total' | 'layer' | 'group' | 'subgroup';
  readonly code: string;
  readonly name: LocalizedText;
  readonly parent?: string;
  readonly met: number;
  readonly notMet: number;
  readonly noData: number;
  readonly notApplicable: number;
  readonly total: number;
  /** Weighted mean achievement (0–100) of the indicators with data; no data is excluded, never zero. */
  readonly score: number | null;
  readonly band: AchievementBand | null;
  /** Share (0–100) of applicable indicators that have data. */
  readonly coverage: number | null;
}

export interface Scorecard {
  readonly profile: {
    readonly id: string;
    readonly version: string;
    readonly name: LocalizedText;
    readonly illustrative: boolean;
  };
  readonly catalogue: { readonly id: string; readonly version: string };
  readonly period: {
    readonly label: string;
    readonly kind: PeriodKind;
    readonly start: string;
    readonly end: string;
  };
  readonly scope: Scope;
  readonly summary: RollUp;
  /** Layers, groups and subgroups, in tree order (a layer, then its groups, each followed by its subgroups). */
  readonly rollups: readonly RollUp[];
  readonly indicators: readonly IndicatorEvaluation[];
}

export interface EvaluateOptions {
  readonly period: Period;
  /** Scope to evaluate; default the profile's area (or the whole province without a code). */
  readonly scope?: Scope;
  /** Zone of calendar periods; default +07:00. */
  readonly zone?: string;
  /** Previous periods in the trend series; default 3. */
  readonly trendPeriods?: number;
  /** Only these indicators (e.g. a department's). */
  readonly indicators?: readonly string[];
}

interface Prepared {
  readonly o: Observation;
  readonly start: number;
  readonly end: number;
  readonly range: PeriodRange;
}

/** `recordedAt` in ms, parsed only when two observations tie. */
function recorded(p: Prepared): number {
  return Date.parse(p.o.recordedAt);
}

interface Picked {
  readonly value: number | boolean;
  readonly numerator?: number;
  readonly denominator?: number;
  readonly basis: 'observation' | 'aggregate';
  readonly observedPeriod?: string;
  readonly coverage?: IndicatorEvaluation['coverage'];
  readonly quality?: readonly QualityFlag[];
}

type Outcome = { readonly picked: Picked } | { readonly reason: Message };

const NO_OBSERVATION: Message = {
  vi: 'chưa có số liệu cho kỳ và phạm vi này',
  en: 'no observation for this period and scope',
};

/** The best observation within a period: one covering exactly the period, else the latest-ending one; ties go to the latest recorded. */
function best(list: readonly Prepared[], range: PeriodRange): Prepared | undefined {
  let chosen: Prepared | undefined;
  let exact = false;
  for (const p of list) {
    if (p.start < range.start || p.end > range.end) continue;
    const isExact = p.start === range.start && p.end === range.end;
    if (chosen === undefined) {
      chosen = p;
      exact = isExact;
      continue;
    }
    if (exact && !isExact) continue;
    if (isExact && !exact) {
      chosen = p;
      exact = true;
      continue;
    }
    if (p.end > chosen.end || (p.end === chosen.end && recorded(p) > recorded(chosen))) chosen = p;
  }
  return chosen;
}

function direct(p: Prepared): Picked {
  const o = p.o;
  return {
    value: o.value,
    ...(o.numerator !== undefined ? { numerator: o.numerator } : {}),
    ...(o.denominator !== undefined ? { denominator: o.denominator } : {}),
    basis: 'observation',
    observedPeriod: p.range.label,
    ...(o.quality !== undefined && o.quality.length > 0 ? { quality: o.quality } : {}),
  };
}

function aggregate(unit: Unit, parts: readonly Prepared[], expected: readonly string[] | undefined): Outcome {
  const reportedCodes = parts.map((p) => p.o.scope.adminUnitCode ?? '');
  const missing = expected?.filter((c) => !reportedCodes.includes(c));
  const coverage = {
    reported: parts.length,
    ...(expected !== undefined ? { expected: expected.length } : {}),
    ...(missing !== undefined && missing.length > 0 ? { missing } : {}),
  };
  const quality = [...new Set(parts.flatMap((p) => p.o.quality ?? []))];
  const base = { basis: 'aggregate' as const, coverage, ...(quality.length > 0 ? { quality } : {}) };
  const withRatio = parts.every((p) => p.o.numerator !== undefined && p.o.denominator !== undefined);
  const sum = (f: (p: Prepared) => number) => parts.reduce((s, p) => s + f(p), 0);
  switch (unit) {
    case 'percent':
    case 'count-per-area': {
      if (!withRatio)
        return {
          reason: {
            vi: 'cộng dồn các huyện cần tử số và mẫu số của mọi huyện (không lấy trung bình các tỷ lệ)',
            en: 'adding up districts needs every district’s numerator and denominator (percentages are never averaged)',
          },
        };
      const numerator = sum((p) => p.o.numerator as number);
      const denominator = sum((p) => p.o.denominator as number);
      const value = (numerator / denominator) * (unit === 'percent' ? 100 : 1);
      return { picked: { value: Math.round(value * 1e6) / 1e6, numerator, denominator, ...base } };
    }
    case 'count':
      return { picked: { value: sum((p) => p.o.value as number), ...base } };
    case 'boolean':
      return { picked: { value: parts.every((p) => p.o.value === true), ...base } };
    default:
      return {
        reason: {
          vi: 'chỉ số dạng chỉ số/đại lượng không cộng dồn được từ các huyện: cần số liệu cấp tỉnh',
          en: 'an index or quantity cannot be added up from districts: a province-level observation is needed',
        },
      };
  }
}

function trendOf(ind: ResolvedIndicator, series: readonly TrendPoint[]): Trend {
  const current = series[series.length - 1]?.value ?? null;
  let previous: number | boolean | null = null;
  for (let i = series.length - 2; i >= 0; i--) {
    const v = series[i]?.value;
    if (v !== null && v !== undefined) {
      previous = v;
      break;
    }
  }
  if (current === null || previous === null) return { direction: 'insufficient-data', delta: null, series };
  if (typeof current === 'boolean' || typeof previous === 'boolean') {
    const direction: TrendDirection =
      current === previous ? 'stable' : current === true ? 'improving' : 'worsening';
    return { direction, delta: null, series };
  }
  const delta = Math.round((current - previous) * 1e6) / 1e6;
  let better: number;
  if (ind.direction === 'band' && ind.target?.target.op === 'between') {
    const g = ind.target.target;
    const dist = (v: number) => (v < g.min ? g.min - v : v > g.max ? v - g.max : 0);
    better = dist(previous) - dist(current);
  } else {
    better = ind.direction === 'lower-better' ? -delta : delta;
  }
  const direction: TrendDirection =
    Math.abs(better) < 1e-9 ? 'stable' : better > 0 ? 'improving' : 'worsening';
  return { direction, delta, series };
}

function sameScope(a: Scope, b: Scope): boolean {
  if (a.level !== b.level) return false;
  if (a.level === 'department') return a.department === b.department;
  return (
    a.adminUnitCode === undefined || b.adminUnitCode === undefined || a.adminUnitCode === b.adminUnitCode
  );
}

/**
 * Evaluates every indicator of a resolved profile for one period and scope, and rolls the results
 * up by subgroup, group and layer. For a province, a province-level observation is used when there
 * is one; otherwise district observations are added up through their numerators and denominators
 * (never by averaging percentages). "No data" stays its own status and is left out of scores.
 */
export function evaluateProfile(
  resolved: ResolvedProfile,
  observations: readonly Observation[],
  options: EvaluateOptions,
): Scorecard {
  const zone = options.zone ?? VIETNAM_ZONE;
  const range = periodRange(options.period, zone);
  const profile = resolved.profile;
  const area = profile.area;
  const scope: Scope =
    options.scope ??
    (area !== undefined
      ? {
          level: area.level,
          ...(area.adminUnitCode !== undefined ? { adminUnitCode: area.adminUnitCode } : {}),
          ...(area.department !== undefined ? { department: area.department } : {}),
        }
      : { level: 'province' });
  const trendPeriods = options.trendPeriods ?? 3;
  const subareas = profile.subareas?.map((s) => s.adminUnitCode);
  const wanted = options.indicators !== undefined ? new Set(options.indicators) : undefined;

  // Periods repeat across observations: resolve each distinct one once per call.
  const ranges = new Map<number | string, PeriodRange>();
  const rangeOf = (period: Period): PeriodRange => {
    const q = period as { year?: number; quarter?: number; month?: number; interval?: string };
    const key =
      q.interval !== undefined
        ? q.interval
        : q.month !== undefined
          ? (q.year ?? 0) * 100 + q.month
          : q.quarter !== undefined
            ? -((q.year ?? 0) * 10 + q.quarter)
            : (q.year ?? 0);
    let r = ranges.get(key);
    if (r === undefined) ranges.set(key, (r = periodRange(period, zone)));
    return r;
  };

  // Index observations by indicator, with their period instants resolved once.
  const byIndicator = new Map<string, Prepared[]>();
  for (const o of observations) {
    if (wanted !== undefined && !wanted.has(o.indicator)) continue;
    if (!resolved.indicators.has(o.indicator))
      throw new KpiError(
        'UNKNOWN_INDICATOR',
        `observation of unknown indicator "${o.indicator}" (profile "${profile.id}")`,
        {
          details: { indicator: o.indicator },
        },
      );
    const r = rangeOf(o.period);
    const p: Prepared = { o, start: r.start, end: r.end, range: r };
    let list = byIndicator.get(o.indicator);
    if (list === undefined) byIndicator.set(o.indicator, (list = []));
    list.push(p);
  }

  const periods: PeriodRange[] = [range];
  let p: Period = options.period;
  for (let i = 0; i < trendPeriods; i++) {
    p = previousPeriod(p, zone);
    periods.unshift(periodRange(p, zone));
  }

  /** An indicator's observations split once: those of the evaluated scope, and districts' by code. */
  const partition = (list: readonly Prepared[]) => {
    const mine: Prepared[] = [];
    const perDistrict = new Map<string, Prepared[]>();
    const aggregating = scope.level === 'province';
    for (const x of list) {
      if (sameScope(x.o.scope, scope)) {
        mine.push(x);
        continue;
      }
      const code = x.o.scope.adminUnitCode;
      if (!aggregating || x.o.scope.level !== 'district' || code === undefined) continue;
      if (subareas !== undefined && !subareas.includes(code)) continue;
      let l = perDistrict.get(code);
      if (l === undefined) perDistrict.set(code, (l = []));
      l.push(x);
    }
    return { mine, perDistrict };
  };

  const valueAt = (ind: ResolvedIndicator, parts: ReturnType<typeof partition>, r: PeriodRange): Outcome => {
    const hit = best(parts.mine, r);
    if (hit !== undefined) return { picked: direct(hit) };
    if (parts.perDistrict.size === 0) return { reason: NO_OBSERVATION };
    const found: Prepared[] = [];
    for (const l of parts.perDistrict.values()) {
      const b = best(l, r);
      if (b !== undefined) found.push(b);
    }
    if (found.length === 0) return { reason: NO_OBSERVATION };
    return aggregate(ind.unit, found, subareas);
  };

  const evaluations: IndicatorEvaluation[] = [];
  for (const ind of resolved.indicators.values()) {
    if (wanted !== undefined && !wanted.has(ind.code)) continue;
    const list = byIndicator.get(ind.code);
    const parts = list === undefined ? undefined : partition(list);
    const outcomes = periods.map((r) =>
      parts === undefined ? { reason: NO_OBSERVATION } : valueAt(ind, parts, r),
    );
    const now = outcomes[outcomes.length - 1] as Outcome;
    const series = periods.map((r, i) => {
      const o = outcomes[i] as Outcome;
      return { period: r.label, value: 'picked' in o ? o.picked.value : null };
    });
    const t = ind.target;
    const goal = t === undefined ? null : { ...t.target, text: goalText(t.target) };
    const common = {
      indicator: ind.code,
      name: ind.name,
      unit: ind.unit,
      ...(ind.unitLabel !== undefined ? { unitLabel: ind.unitLabel } : {}),
      layer: ind.layer,
      group: ind.group,
      subgroup: ind.subgroup,
      ...(ind.sector !== undefined ? { sector: ind.sector } : {}),
      target: goal,
      baseline: t?.baseline ?? t?.current ?? null,
      trend: trendOf(ind, series),
      weight: t?.weight ?? 1,
    };
    const picked = 'picked' in now ? now.picked : undefined;
    const measured = picked
      ? {
          value: picked.value,
          ...(picked.numerator !== undefined ? { numerator: picked.numerator } : {}),
          ...(picked.denominator !== undefined ? { denominator: picked.denominator } : {}),
          basis: picked.basis,
          ...(picked.observedPeriod !== undefined ? { observedPeriod: picked.observedPeriod } : {}),
          ...(picked.coverage !== undefined ? { coverage: picked.coverage } : {}),
          ...(picked.quality !== undefined ? { quality: picked.quality } : {}),
        }
      : { value: null, basis: 'none' as const };
    if (t === undefined || t.notApplicable === true) {
      evaluations.push({
        ...common,
        ...measured,
        status: 'not-applicable',
        achievement: null,
        band: null,
        progress: null,
        reason:
          t === undefined
            ? {
                vi: 'hồ sơ không đặt mục tiêu cho chỉ số này',
                en: 'the profile sets no target for this indicator',
              }
            : {
                vi: 'hồ sơ đánh dấu chỉ số này là không áp dụng',
                en: 'the profile marks this indicator not applicable',
              },
      });
      continue;
    }
    if (picked === undefined) {
      evaluations.push({
        ...common,
        ...measured,
        status: 'no-data',
        achievement: null,
        band: null,
        progress: null,
        reason: 'reason' in now ? now.reason : NO_OBSERVATION,
      });
      continue;
    }
    const ach = Math.round(achievement(t.target, picked.value, ind.direction) * 100) / 100;
    evaluations.push({
      ...common,
      ...measured,
      status: meetsGoal(t.target, picked.value) ? 'met' : 'not-met',
      achievement: ach,
      band: achievementBand(ach),
      progress: progress(t.target, t.baseline ?? t.current, picked.value),
    });
  }

  const byCode = new Map(evaluations.map((e) => [e.indicator, e]));
  const rollups: RollUp[] = [];
  const rollup = (
    level: RollUp['level'],
    code: string,
    name: LocalizedText,
    items: IndicatorEvaluation[],
    parent?: string,
  ): RollUp => {
    let met = 0;
    let notMet = 0;
    let noData = 0;
    let na = 0;
    let wsum = 0;
    let score = 0;
    for (const e of items) {
      if (e.status === 'met') met++;
      else if (e.status === 'not-met') notMet++;
      else if (e.status === 'no-data') noData++;
      else na++;
      if (e.achievement !== null && (e.status === 'met' || e.status === 'not-met')) {
        wsum += e.weight;
        score += e.weight * e.achievement;
      }
    }
    const s = wsum > 0 ? Math.round((score / wsum) * 100) / 100 : null;
    const applicable = items.length - na;
    return {
      level,
      code,
      name,
      ...(parent !== undefined ? { parent } : {}),
      met,
      notMet,
      noData,
      notApplicable: na,
      total: items.length,
      score: s,
      band: s === null ? null : achievementBand(s),
      coverage: applicable > 0 ? Math.round(((met + notMet) / applicable) * 10_000) / 100 : null,
    };
  };
  const under = (node: TreeNode): IndicatorEvaluation[] => {
    if (node.level === 'subgroup')
      return node.children.map((c) => byCode.get(c)).filter((e): e is IndicatorEvaluation => e !== undefined);
    return node.children.flatMap((c) => {
      const child = resolved.nodes.get(c);
      return child ? under(child) : [];
    });
  };
  for (const lc of resolved.layers) {
    const layer = resolved.nodes.get(lc);
    if (!layer) continue;
    const li = under(layer);
    if (li.length === 0) continue;
    rollups.push(rollup('layer', layer.code, layer.name, li));
    for (const gc of layer.children) {
      const group = resolved.nodes.get(gc);
      if (!group) continue;
      const gi = under(group);
      if (gi.length === 0) continue;
      rollups.push(rollup('group', group.code, group.name, gi, layer.code));
      for (const sc of group.children) {
        const sub = resolved.nodes.get(sc);
        if (!sub) continue;
        const si = under(sub);
        if (si.length > 0) rollups.push(rollup('subgroup', sub.code, sub.name, si, group.code));
      }
    }
  }

  return {
    profile: {
      id: profile.id,
      version: profile.version,
      name: profile.name,
      illustrative: profile.illustrative === true,
    },
    catalogue: { id: resolved.catalogue.id, version: resolved.catalogue.version },
    period: {
      label: range.label,
      kind: range.kind,
      start: formatInstant(range.start, zone),
      end: formatInstant(range.end, zone),
    },
    scope,
    summary: rollup('total', profile.id, profile.name, evaluations),
    rollups,
    indicators: evaluations,
  };
}

import type { Direction, Goal, TableValue } from '../catalogue/types.js';

/** U4SSC / ITU-T Y.4903 achievement band: < 33 % → 1, 33–66 % → 2, 66–95 % → 3, ≥ 95 % → 4. */
export type AchievementBand = 1 | 2 | 3 | 4;

const EPSILON = 1e-9;

/** Whether a value meets a goal. A boolean goal needs a boolean value and a numeric goal a number. */
export function meetsGoal(goal: Goal, value: number | boolean): boolean {
  switch (goal.op) {
    case 'yes':
      return value === true;
    case 'no':
      return value === false;
    case 'eq':
      return (
        typeof value === 'number' &&
        Math.abs(value - goal.value) <= EPSILON * Math.max(1, Math.abs(goal.value))
      );
    case 'gte':
      return typeof value === 'number' && value >= goal.value - EPSILON;
    case 'lte':
      return typeof value === 'number' && value <= goal.value + EPSILON;
    case 'between':
      return typeof value === 'number' && value >= goal.min - EPSILON && value <= goal.max + EPSILON;
  }
}

function clamp(n: number): number {
  return Math.max(0, Math.min(100, n));
}

/**
 * How far a value gets towards its goal, 0–100 (%): the ratio of value to target in the goal's
 * direction, capped at 100. `eq` counts from below for higher-better and band indicators and
 * from above for lower-better ones; outside a `between` band, the ratio to the nearer bound.
 */
export function achievement(
  goal: Goal,
  value: number | boolean,
  direction: Direction = 'higher-better',
): number {
  if (goal.op === 'yes' || goal.op === 'no') return meetsGoal(goal, value) ? 100 : 0;
  if (typeof value !== 'number') return 0;
  if (meetsGoal(goal, value)) return 100;
  const up = (v: number, t: number) => (t <= 0 ? (v >= t ? 100 : 0) : clamp((v / t) * 100));
  const down = (v: number, t: number) => (v <= 0 ? 100 : t <= 0 ? 0 : clamp((t / v) * 100));
  switch (goal.op) {
    case 'gte':
      return up(value, goal.value);
    case 'lte':
      return down(value, goal.value);
    case 'eq':
      return direction === 'lower-better' || value > goal.value
        ? down(value, goal.value)
        : up(value, goal.value);
    case 'between':
      return value < goal.min ? up(value, goal.min) : down(value, goal.max);
  }
}

/** The band of an achievement percentage. */
export function achievementBand(pct: number): AchievementBand {
  if (pct >= 95) return 4;
  if (pct >= 66) return 3;
  if (pct >= 33) return 2;
  return 1;
}

/** The number a goal aims at, for progress: the target, or the nearer bound of a band. */
function aim(goal: Goal, baseline: number): number | undefined {
  switch (goal.op) {
    case 'eq':
    case 'gte':
    case 'lte':
      return goal.value;
    case 'between':
      return baseline < goal.min ? goal.min : baseline > goal.max ? goal.max : undefined;
    default:
      return undefined;
  }
}

/** The numeric baseline of a table value: the value, 0 for "not deployed", undefined for "no data". */
export function baselineNumber(v: TableValue | undefined): number | undefined {
  if (v === undefined) return undefined;
  if ('state' in v) return v.state === 'not-deployed' ? 0 : undefined;
  return typeof v.value === 'number' ? v.value : undefined;
}

/**
 * Progress from the baseline to the target, in % (0 at the baseline, 100 at the target; negative
 * when the value moved away). `null` for yes/no goals and when the baseline is unknown ("no data").
 */
export function progress(
  goal: Goal,
  baseline: TableValue | undefined,
  value: number | boolean,
): number | null {
  if (typeof value !== 'number') return null;
  const b = baselineNumber(baseline);
  if (b === undefined) return null;
  const t = aim(goal, b);
  if (t === undefined) return goal.op === 'between' && meetsGoal(goal, value) ? 100 : null;
  if (Math.abs(t - b) <= EPSILON) return meetsGoal(goal, value) ? 100 : 0;
  return Math.round(((value - b) / (t - b)) * 10_000) / 100;
}

/** The target as written, e.g. `≥ 50`, `= 100`, `80–95`, `Có`. */
export function goalText(goal: Goal): string {
  if (goal.text !== undefined) return goal.text;
  switch (goal.op) {
    case 'eq':
      return `= ${goal.value}`;
    case 'gte':
      return `≥ ${goal.value}`;
    case 'lte':
      return `≤ ${goal.value}`;
    case 'between':
      return `${goal.min}–${goal.max}`;
    case 'yes':
      return 'Có';
    case 'no':
      return 'Không';
  }
}

import { KpiError } from '../errors.js';
import type { Period } from '../catalogue/types.js';

/** Vietnam's offset: UTC+07:00, no daylight saving. */
export const VIETNAM_ZONE = '+07:00';

export type PeriodKind = 'year' | 'quarter' | 'month' | 'interval';

/** A period with its instants: `[start, end)` in epoch milliseconds. */
export interface PeriodRange {
  readonly kind: PeriodKind;
  /** `2025`, `2025-Q2`, `2025-06`, or the interval as `start/end` in ISO 8601 with offsets. */
  readonly label: string;
  readonly start: number;
  readonly end: number;
}

const DAY_MS = 86_400_000;

function offsetMinutes(zone: string): number {
  if (zone === VIETNAM_ZONE) return 420;
  if (zone === 'Z') return 0;
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(zone);
  if (!m) throw new KpiError('INVALID_ZONE', `zone "${zone}" is not a fixed UTC offset such as +07:00`);
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** Midnight at the start of a calendar date in the zone, as epoch ms. */
function zonedMidnight(year: number, month: number, day: number, offset: number): number {
  return Date.UTC(year, month - 1, day) - offset * 60_000;
}

function isYear(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1900 && v <= 2200;
}

function invalid(message: string): KpiError {
  return new KpiError('INVALID_PERIOD', message);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;
const DURATION_RE =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Parses an ISO 8601 date or date-time; a value without an offset is in `offset`. */
function parseInstant(text: string, offset: number): number {
  let m = DATE_RE.exec(text);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo))
      throw invalid(`"${text}" is not a calendar date`);
    return zonedMidnight(y, mo, d, offset);
  }
  m = DATE_TIME_RE.exec(text);
  if (!m) throw invalid(`"${text}" is not an ISO 8601 date or date-time`);
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 24 || mi > 59 || s > 60)
    throw invalid(`"${text}" is not a valid date-time`);
  if (h === 24 && (mi !== 0 || s !== 0)) throw invalid(`"${text}" is not a valid date-time`);
  const frac = m[7] ? Number(m[7]) * 1000 : 0;
  const zone = m[8] === undefined ? offset : offsetMinutes(m[8]);
  return Date.UTC(y, mo - 1, d, h, mi, s) + frac - zone * 60_000;
}

interface Duration {
  readonly years: number;
  readonly months: number;
  readonly ms: number;
}

function parseDuration(text: string): Duration | undefined {
  const m = DURATION_RE.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const n = (i: number) => Number(m[i] ?? 0);
  return {
    years: n(1),
    months: n(2),
    ms: (n(3) * 7 + n(4)) * DAY_MS + n(5) * 3_600_000 + n(6) * 60_000 + n(7) * 1000,
  };
}

/** Adds a duration to an instant with calendar arithmetic in the zone (month ends clamp). */
function addDuration(instant: number, d: Duration, sign: 1 | -1, offset: number): number {
  const local = new Date(instant + offset * 60_000);
  let y = local.getUTCFullYear();
  let mo = local.getUTCMonth() + sign * (d.years * 12 + d.months);
  y += Math.floor(mo / 12);
  mo = ((mo % 12) + 12) % 12;
  const day = Math.min(local.getUTCDate(), daysInMonth(y, mo + 1));
  const shifted =
    Date.UTC(
      y,
      mo,
      day,
      local.getUTCHours(),
      local.getUTCMinutes(),
      local.getUTCSeconds(),
      local.getUTCMilliseconds(),
    ) -
    offset * 60_000;
  return shifted + sign * d.ms;
}

function iso(instant: number, offset: number): string {
  const local = new Date(instant + offset * 60_000).toISOString().replace(/\.000Z$|Z$/, '');
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return local + zone;
}

/**
 * Resolves a period to its instants. Years, quarters and months are calendar periods in `zone`
 * (default +07:00); an interval is `start/end`, `start/duration` or `duration/end`.
 * Throws `KpiError` `INVALID_PERIOD` for anything else.
 */
export function periodRange(period: Period, zone: string = VIETNAM_ZONE): PeriodRange {
  const offset = offsetMinutes(zone);
  const p = period as Partial<Record<'year' | 'quarter' | 'month' | 'interval', unknown>>;
  if (typeof p.interval === 'string') {
    const parts = p.interval.split('/');
    if (parts.length !== 2 || !parts[0] || !parts[1])
      throw invalid(`interval "${p.interval}" must be start/end, start/duration or duration/end`);
    const [a, b] = parts as [string, string];
    const da = a.startsWith('P') ? parseDuration(a) : undefined;
    const db = b.startsWith('P') ? parseDuration(b) : undefined;
    if (a.startsWith('P') && da === undefined) throw invalid(`"${a}" is not an ISO 8601 duration`);
    if (b.startsWith('P') && db === undefined) throw invalid(`"${b}" is not an ISO 8601 duration`);
    if (da && db) throw invalid(`interval "${p.interval}" has two durations`);
    const start = da ? addDuration(parseInstant(b, offset), da, -1, offset) : parseInstant(a, offset);
    const end = db
      ? addDuration(start, db, 1, offset)
      : da
        ? parseInstant(b, offset)
        : parseInstant(b, offset);
    if (!(end > start)) throw invalid(`interval "${p.interval}" ends before it starts`);
    return { kind: 'interval', label: `${iso(start, offset)}/${iso(end, offset)}`, start, end };
  }
  if (!isYear(p.year)) throw invalid('a period needs a year between 1900 and 2200, or an interval');
  const year = p.year;
  if (p.quarter !== undefined) {
    if (p.month !== undefined) throw invalid('a period has a quarter or a month, not both');
    const q = p.quarter;
    if (typeof q !== 'number' || !Number.isInteger(q) || q < 1 || q > 4)
      throw invalid('quarter must be 1, 2, 3 or 4');
    const start = zonedMidnight(year, (q - 1) * 3 + 1, 1, offset);
    const end = q === 4 ? zonedMidnight(year + 1, 1, 1, offset) : zonedMidnight(year, q * 3 + 1, 1, offset);
    return { kind: 'quarter', label: `${year}-Q${q}`, start, end };
  }
  if (p.month !== undefined) {
    const mo = p.month;
    if (typeof mo !== 'number' || !Number.isInteger(mo) || mo < 1 || mo > 12)
      throw invalid('month must be between 1 and 12');
    const start = zonedMidnight(year, mo, 1, offset);
    const end = mo === 12 ? zonedMidnight(year + 1, 1, 1, offset) : zonedMidnight(year, mo + 1, 1, offset);
    return { kind: 'month', label: `${year}-${String(mo).padStart(2, '0')}`, start, end };
  }
  return {
    kind: 'year',
    label: String(year),
    start: zonedMidnight(year, 1, 1, offset),
    end: zonedMidnight(year + 1, 1, 1, offset),
  };
}

/** The label of a period: `2025`, `2025-Q2`, `2025-06` or `start/end`. */
export function periodLabel(period: Period, zone: string = VIETNAM_ZONE): string {
  return periodRange(period, zone).label;
}

/** The period of the same kind just before this one (an interval: the same length, ending at its start). */
export function previousPeriod(period: Period, zone: string = VIETNAM_ZONE): Period {
  const r = periodRange(period, zone);
  const p = period as { year: number; quarter?: number; month?: number };
  switch (r.kind) {
    case 'year':
      return { year: p.year - 1 };
    case 'quarter':
      return p.quarter === 1
        ? { year: p.year - 1, quarter: 4 }
        : { year: p.year, quarter: (p.quarter ?? 1) - 1 };
    case 'month':
      return p.month === 1 ? { year: p.year - 1, month: 12 } : { year: p.year, month: (p.month ?? 1) - 1 };
    case 'interval': {
      const offset = offsetMinutes(zone);
      return { interval: `${iso(r.start - (r.end - r.start), offset)}/${iso(r.start, offset)}` };
    }
  }
}

/** The calculation frequency a period stands for (intervals: by length). */
export function periodFrequency(range: PeriodRange): 'monthly' | 'quarterly' | 'yearly' | 'daily' | 'other' {
  if (range.kind === 'year') return 'yearly';
  if (range.kind === 'quarter') return 'quarterly';
  if (range.kind === 'month') return 'monthly';
  const days = (range.end - range.start) / DAY_MS;
  if (days === 1) return 'daily';
  if (days >= 28 && days <= 31) return 'monthly';
  if (days >= 89 && days <= 92) return 'quarterly';
  if (days === 365 || days === 366) return 'yearly';
  return 'other';
}

/** ISO 8601 instant with the zone's offset, e.g. `2025-01-01T00:00:00+07:00`. */
export function formatInstant(instant: number, zone: string = VIETNAM_ZONE): string {
  return iso(instant, offsetMinutes(zone));
}

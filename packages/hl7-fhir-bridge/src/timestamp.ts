import { Hl7Error } from './errors.js';

/** How much of a DTM value the sender gave. */
export type DtmPrecision = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'fraction';

/** An HL7 v2 DTM/TS value with its precision and offset kept as sent. */
export interface Hl7Timestamp {
  readonly year: number;
  readonly month?: number;
  readonly day?: number;
  readonly hour?: number;
  readonly minute?: number;
  readonly second?: number;
  /** Fractional-second digits exactly as sent (`'1'`, `'1234'`). */
  readonly fraction?: string;
  readonly precision: DtmPrecision;
  /** `+07:00` style offset: the one sent, or the facility's default. */
  readonly offset: string;
  /** Whether the offset came from the value (`'message'`) or the default zone (`'default'`). */
  readonly offsetSource: 'message' | 'default';
}

export interface TimestampOptions {
  /** Offset of the sending facility, used when a value has none. Default `+07:00` (Asia/Ho_Chi_Minh). */
  readonly defaultOffset?: string;
  /** Field named in errors, e.g. `PID-7`. */
  readonly field?: string;
}

const DTM =
  /^(\d{4})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:\.(\d{1,4}))?)?)?)?)?)?(?:([+-])(\d{2})(\d{2})?|(Z))?$/;
const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

function bad(value: string, field: string | undefined, why: string): never {
  throw new Hl7Error(
    'BAD_TIMESTAMP',
    `${field === undefined ? '' : `${field}: `}"${value}" is not a valid HL7 DTM (${why}) / giá trị thời gian không hợp lệ`,
    { details: { value, ...(field === undefined ? {} : { field }), reason: why } },
  );
}

function normaliseOffset(sign: string, hh: string, mm: string, value: string, field?: string): string {
  const h = Number(hh);
  const m = Number(mm);
  if (m > 59 || h > 14 || (h === 14 && m > 0)) bad(value, field, 'offset out of range');
  return `${sign}${hh}:${mm}`;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Parses `YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]`, keeping the precision sent. A value
 * without offset takes `defaultOffset` (`+07:00` unless configured per facility); `+07` (hours
 * only) is accepted. Out-of-range parts throw `BAD_TIMESTAMP` naming the field.
 */
export function parseDtm(value: string, options: TimestampOptions = {}): Hl7Timestamp {
  const m = DTM.exec(value.trim());
  if (m === null) bad(value, options.field, 'expected YYYY[MM[DD[HH[MM[SS[.S…]]]]]][±ZZZZ]');
  const [, y, mo, d, h, mi, s, frac, sign, oh, om, z] = m;
  const year = Number(y);
  const parts: { -readonly [K in keyof Hl7Timestamp]?: Hl7Timestamp[K] } = { year };
  let precision: DtmPrecision = 'year';
  if (mo !== undefined) {
    parts.month = Number(mo);
    if (parts.month < 1 || parts.month > 12) bad(value, options.field, 'month out of range');
    precision = 'month';
  }
  if (d !== undefined) {
    parts.day = Number(d);
    if (parts.day < 1 || parts.day > daysIn(year, parts.month as number))
      bad(value, options.field, 'day out of range');
    precision = 'day';
  }
  if (h !== undefined) {
    parts.hour = Number(h);
    if (parts.hour > 23) bad(value, options.field, 'hour out of range');
    precision = 'hour';
  }
  if (mi !== undefined) {
    parts.minute = Number(mi);
    if (parts.minute > 59) bad(value, options.field, 'minute out of range');
    precision = 'minute';
  }
  if (s !== undefined) {
    parts.second = Number(s);
    if (parts.second > 59) bad(value, options.field, 'second out of range');
    precision = 'second';
  }
  if (frac !== undefined) {
    parts.fraction = frac;
    precision = 'fraction';
  }
  let offset: string;
  let offsetSource: 'message' | 'default' = 'message';
  if (z !== undefined) offset = '+00:00';
  else if (sign !== undefined) offset = normaliseOffset(sign, oh as string, om ?? '00', value, options.field);
  else {
    const def = OFFSET.exec(options.defaultOffset ?? '+07:00');
    if (def === null) bad(options.defaultOffset ?? '', 'defaultOffset', 'expected ±HH:MM');
    offset = normaliseOffset(def[1] as string, def[2] as string, def[3] as string, value, options.field);
    offsetSource = 'default';
  }
  return { ...parts, year, precision, offset, offsetSource };
}

const p2 = (n: number | undefined): string => String(n ?? 0).padStart(2, '0');

/** A FHIR value and whether precision had to be dropped to express it. */
export interface FhirTimeValue {
  readonly value: string;
  /** Precision of `value` (never more than the source's). */
  readonly precision: DtmPrecision;
  /** True when the source was more precise than `value` (e.g. a time on a FHIR `date`). */
  readonly truncated: boolean;
}

function datePart(t: Hl7Timestamp, upTo: DtmPrecision): string {
  const y = String(t.year).padStart(4, '0');
  if (upTo === 'year' || t.month === undefined) return y;
  if (upTo === 'month' || t.day === undefined) return `${y}-${p2(t.month)}`;
  return `${y}-${p2(t.month)}-${p2(t.day)}`;
}

/** FHIR `date` (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`): the calendar date as sent, time dropped. */
export function toFhirDate(t: Hl7Timestamp): FhirTimeValue {
  const precision: DtmPrecision = t.precision === 'year' || t.precision === 'month' ? t.precision : 'day';
  return { value: datePart(t, precision), precision, truncated: precision !== t.precision };
}

/**
 * FHIR `dateTime`. A date keeps its precision (`2024`, `2024-03`, `2024-03-05`). FHIR needs seconds
 * once a time is given, so a value precise to the hour or minute is reduced to its date (never
 * padded with invented seconds; `truncated` is true). Seconds and fractions keep the offset sent.
 */
export function toFhirDateTime(t: Hl7Timestamp): FhirTimeValue {
  if (t.precision === 'hour' || t.precision === 'minute') {
    return { value: datePart(t, 'day'), precision: 'day', truncated: true };
  }
  if (t.precision !== 'second' && t.precision !== 'fraction') {
    return { value: datePart(t, t.precision), precision: t.precision, truncated: false };
  }
  return { value: instantText(t), precision: t.precision, truncated: false };
}

function instantText(t: Hl7Timestamp): string {
  const frac = t.fraction === undefined ? '' : `.${t.fraction}`;
  return `${datePart(t, 'day')}T${p2(t.hour)}:${p2(t.minute)}:${p2(t.second)}${frac}${t.offset}`;
}

/** FHIR `instant`: requires at least seconds; otherwise throws `TIMESTAMP_PRECISION`. */
export function toFhirInstant(t: Hl7Timestamp, field?: string): string {
  if (t.precision !== 'second' && t.precision !== 'fraction') {
    throw new Hl7Error(
      'TIMESTAMP_PRECISION',
      `${field === undefined ? '' : `${field}: `}a FHIR instant needs seconds, the value is precise to the ${t.precision} / thiếu độ chính xác đến giây`,
      { details: { precision: t.precision, ...(field === undefined ? {} : { field }) } },
    );
  }
  return instantText(t);
}

/** The instant a timestamp starts at, as a JS `Date` (for comparisons and storage). */
export function timestampToDate(t: Hl7Timestamp): Date {
  const sign = t.offset.startsWith('-') ? -1 : 1;
  const offMin = sign * (Number(t.offset.slice(1, 3)) * 60 + Number(t.offset.slice(4, 6)));
  const ms = t.fraction === undefined ? 0 : Math.floor(Number(`0.${t.fraction}`) * 1000);
  const utc = Date.UTC(t.year, (t.month ?? 1) - 1, t.day ?? 1, t.hour ?? 0, t.minute ?? 0, t.second ?? 0, ms);
  return new Date(utc - offMin * 60_000);
}

/** Formats an instant as an HL7 DTM in the given offset, to the second: `20240305143000+0700`. */
export function formatDtm(date: Date, offset = '+07:00'): string {
  const m = OFFSET.exec(offset);
  if (m === null) bad(offset, 'offset', 'expected ±HH:MM');
  const offMin = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  const local = new Date(date.getTime() + offMin * 60_000);
  return (
    String(local.getUTCFullYear()).padStart(4, '0') +
    p2(local.getUTCMonth() + 1) +
    p2(local.getUTCDate()) +
    p2(local.getUTCHours()) +
    p2(local.getUTCMinutes()) +
    p2(local.getUTCSeconds()) +
    `${m[1]}${m[2]}${m[3]}`
  );
}

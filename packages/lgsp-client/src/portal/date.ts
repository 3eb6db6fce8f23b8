import { LgspError } from '../errors.js';

const VN_OFFSET_MS = 7 * 3600 * 1000;
const PORTAL_DATE = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

function dateError(field: string, value: unknown, reason: string): LgspError<'DATE_INVALID'> {
  return new LgspError(
    'DATE_INVALID',
    `${field}: ${reason}, got ${JSON.stringify(value)} / trường ${field}: ngày giờ không hợp lệ (yyyyMMddHHmmss)`,
    { details: { field, value: typeof value === 'string' ? value : String(value) } },
  );
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The portal's `yyyyMMddHHmmss` of an instant, in Vietnam time (UTC+07:00, no daylight saving).
 * The format has whole seconds: milliseconds are dropped (floored), never rounded up to the next second.
 * `field` names the value in the error thrown for an invalid `Date`.
 */
export function toPortalDate(at: Date | number, field = 'date'): string {
  const ms = typeof at === 'number' ? at : at.getTime();
  if (!Number.isFinite(ms)) throw dateError(field, at, 'not a valid instant');
  const d = new Date(Math.floor(ms / 1000) * 1000 + VN_OFFSET_MS);
  const year = d.getUTCFullYear();
  if (year < 1 || year > 9999) throw dateError(field, at, 'year outside 0001–9999');
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${p(year, 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}` +
    `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`
  );
}

/**
 * The instant of a portal `yyyyMMddHHmmss` value read in Vietnam time. Exactly 14 digits: a value
 * without seconds, `24:00`, 30 February, 29 February of a common year or second 60 is rejected with
 * `DATE_INVALID` naming `field`.
 */
export function fromPortalDate(value: string, field = 'date'): Date {
  if (typeof value !== 'string') throw dateError(field, value, 'not a string');
  const m = PORTAL_DATE.exec(value);
  if (m === null) throw dateError(field, value, 'not 14 digits yyyyMMddHHmmss');
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year < 1) throw dateError(field, value, 'year 0000');
  if (month < 1 || month > 12) throw dateError(field, value, `month ${month}`);
  if (day < 1 || day > daysInMonth(year, month))
    throw dateError(field, value, `day ${day} of month ${month}`);
  if (hour > 23) throw dateError(field, value, `hour ${hour}`);
  if (minute > 59) throw dateError(field, value, `minute ${minute}`);
  if (second > 59) throw dateError(field, value, `second ${second}`);
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, 0);
  return new Date(utc.getTime() - VN_OFFSET_MS);
}

/** True when `value` is a valid portal `yyyyMMddHHmmss` date. */
export function isPortalDate(value: string): boolean {
  try {
    fromPortalDate(value);
    return true;
  } catch {
    return false;
  }
}

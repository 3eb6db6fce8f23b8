import { describe, expect, it } from 'vitest';
import {
  formatDtm,
  isHl7Error,
  parseDtm,
  timestampToDate,
  toFhirDate,
  toFhirDateTime,
  toFhirInstant,
} from '../src/index.js';

describe('parseDtm', () => {
  it('keeps precision and the offset sent', () => {
    expect(parseDtm('20240305143012.1234-0500')).toEqual({
      year: 2024,
      month: 3,
      day: 5,
      hour: 14,
      minute: 30,
      second: 12,
      fraction: '1234',
      precision: 'fraction',
      offset: '-05:00',
      offsetSource: 'message',
    });
    expect(parseDtm('2024')).toEqual({
      year: 2024,
      precision: 'year',
      offset: '+07:00',
      offsetSource: 'default',
    });
    expect(parseDtm('202403', { defaultOffset: '+08:00' }).offset).toBe('+08:00');
    expect(parseDtm('202403051430+00').offset).toBe('+00:00');
    expect(parseDtm('20240305').precision).toBe('day');
  });

  it('rejects malformed and out-of-range values, naming the field', () => {
    for (const bad of [
      '2024-03-05',
      '20241305',
      '20230229',
      '2024030524',
      '202403051460',
      '20240305143099',
      '24',
      '20240305+1500',
      '20240305143012.12345',
    ]) {
      let code: unknown;
      try {
        parseDtm(bad, { field: 'PID-7' });
      } catch (err) {
        code = isHl7Error(err) ? [err.code, err.details?.field] : err;
      }
      expect(code, bad).toEqual(['BAD_TIMESTAMP', 'PID-7']);
    }
    expect(parseDtm('20240229').day).toBe(29);
  });
});

describe('FHIR conversions', () => {
  it('never invents precision', () => {
    expect(toFhirDateTime(parseDtm('1987'))).toEqual({ value: '1987', precision: 'year', truncated: false });
    expect(toFhirDateTime(parseDtm('198704'))).toEqual({
      value: '1987-04',
      precision: 'month',
      truncated: false,
    });
    expect(toFhirDateTime(parseDtm('19870412'))).toEqual({
      value: '1987-04-12',
      precision: 'day',
      truncated: false,
    });
    expect(toFhirDateTime(parseDtm('202403051430'))).toEqual({
      value: '2024-03-05',
      precision: 'day',
      truncated: true,
    });
    expect(toFhirDateTime(parseDtm('20240305143012'))).toEqual({
      value: '2024-03-05T14:30:12+07:00',
      precision: 'second',
      truncated: false,
    });
    expect(toFhirDateTime(parseDtm('20240305143012.1234+0000')).value).toBe('2024-03-05T14:30:12.1234+00:00');
    expect(toFhirDate(parseDtm('19870412083000'))).toEqual({
      value: '1987-04-12',
      precision: 'day',
      truncated: true,
    });
    expect(toFhirDate(parseDtm('198704'))).toEqual({
      value: '1987-04',
      precision: 'month',
      truncated: false,
    });
    expect(toFhirInstant(parseDtm('20240305143012.5'))).toBe('2024-03-05T14:30:12.5+07:00');
  });

  it('refuses an instant without seconds', () => {
    try {
      toFhirInstant(parseDtm('202403051430'), 'MSH-7');
      expect.unreachable();
    } catch (err) {
      expect(isHl7Error(err) && [err.code, err.details]).toEqual([
        'TIMESTAMP_PRECISION',
        { precision: 'minute', field: 'MSH-7' },
      ]);
    }
  });

  it('converts to and from instants in the facility zone', () => {
    expect(timestampToDate(parseDtm('20240305143012.25')).toISOString()).toBe('2024-03-05T07:30:12.250Z');
    expect(timestampToDate(parseDtm('20240101-0330')).toISOString()).toBe('2024-01-01T03:30:00.000Z');
    expect(formatDtm(new Date('2024-03-05T20:00:00Z'))).toBe('20240306030000+0700');
    expect(formatDtm(new Date('2024-03-05T20:00:00Z'), '-05:00')).toBe('20240305150000-0500');
  });
});

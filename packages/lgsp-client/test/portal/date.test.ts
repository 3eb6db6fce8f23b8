import { describe, expect, it } from 'vitest';
import { fromPortalDate, isLgspError, isPortalDate, toPortalDate } from '../../src/index.js';

function rejection(value: string, field: string): { code: string; field: unknown } {
  try {
    fromPortalDate(value, field);
  } catch (error) {
    if (!isLgspError(error)) throw error;
    return { code: error.code, field: (error.details as { field?: unknown }).field };
  }
  throw new Error(`${value} was accepted`);
}

describe('portal dates (yyyyMMddHHmmss, UTC+07:00)', () => {
  it('formats an instant in Vietnam time, across the UTC day boundary', () => {
    expect(toPortalDate(new Date('2026-12-01T17:30:45Z'))).toBe('20261202003045');
    expect(toPortalDate(new Date('2026-12-31T16:59:59Z'))).toBe('20261231235959');
    expect(toPortalDate(new Date('2026-12-31T17:00:00Z'))).toBe('20270101000000');
  });

  it('parses back to the same instant, to the second', () => {
    expect(fromPortalDate('20261202003045').toISOString()).toBe('2026-12-01T17:30:45.000Z');
    expect(fromPortalDate('20270101000000').toISOString()).toBe('2026-12-31T17:00:00.000Z');
    for (const iso of ['2024-02-28T17:00:00Z', '2000-02-29T05:06:07Z', '1999-12-31T23:59:59Z']) {
      const at = new Date(iso);
      expect(fromPortalDate(toPortalDate(at)).getTime()).toBe(at.getTime());
    }
  });

  it('drops milliseconds instead of rounding into the next second', () => {
    expect(toPortalDate(new Date('2026-12-01T16:59:59.999Z'))).toBe('20261201235959');
  });

  it('accepts 29 February of leap years only', () => {
    expect(fromPortalDate('20240229120000').toISOString()).toBe('2024-02-29T05:00:00.000Z');
    expect(fromPortalDate('20000229000000').toISOString()).toBe('2000-02-28T17:00:00.000Z');
    expect(rejection('20230229120000', 'NgayTiepNhan')).toEqual({
      code: 'DATE_INVALID',
      field: 'NgayTiepNhan',
    });
    expect(rejection('19000229120000', 'NgayHenTra')).toEqual({ code: 'DATE_INVALID', field: 'NgayHenTra' });
  });

  it('rejects 24:00, second 60, month 13, day 31 of a 30-day month and missing seconds, naming the field', () => {
    for (const value of [
      '20261201240000',
      '20261201235960',
      '20261301000000',
      '20260431000000',
      '20261201235900'.slice(0, 12),
    ]) {
      expect(rejection(value, 'receivedAt')).toEqual({ code: 'DATE_INVALID', field: 'receivedAt' });
    }
    expect(rejection('2026-12-01 10:00:00', 'dueAt')).toEqual({ code: 'DATE_INVALID', field: 'dueAt' });
    expect(rejection('00001201100000', 'dueAt')).toEqual({ code: 'DATE_INVALID', field: 'dueAt' });
    expect(isPortalDate('202612011000')).toBe(false);
    expect(isPortalDate('20261201100000')).toBe(true);
  });

  it('rejects an invalid Date with the field name', () => {
    try {
      toPortalDate(new Date('nope'), 'finishedAt');
      expect.unreachable();
    } catch (error) {
      expect(isLgspError(error) && error.code).toBe('DATE_INVALID');
      expect(isLgspError(error) && (error.details as { field: string }).field).toBe('finishedAt');
    }
  });
});

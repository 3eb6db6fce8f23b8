import { describe, expect, it } from 'vitest';
import {
  BAC_GIANG_2025,
  ObservationValidator,
  isKpiError,
  observationKey,
  resolveProfile,
} from '../src/index.js';

const profile = resolveProfile(BAC_GIANG_2025);
const v = new ObservationValidator(profile);

const good = {
  indicator: 'L2.N1.PN3.01',
  value: 12.5,
  numerator: 25,
  denominator: 200,
  period: { year: 2025, quarter: 2 },
  scope: { level: 'district', adminUnitCode: '213' },
  source: 'his-bv-tp',
  method: 'automatic',
  quality: ['provisional'],
  recordedAt: '2025-07-03T10:00:00+07:00',
};

const codes = (value: unknown) => v.check(value).map((i) => [i.code, i.path]);

describe('observation validation', () => {
  it('accepts a valid observation and NFC-normalises its text', () => {
    const decomposed = 'so-y-te-bac-giang-'.concat('A\u0302\u0301');
    const r = v.validate({ ...good, source: decomposed });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.observation.source).toBe('so-y-te-bac-giang-Ấ');
    expect(v.assert(good)).toEqual(good);
  });

  it('names every schema problem by field, in Vietnamese and English', () => {
    const issues = v.check({
      indicator: 'L2.N1.PN3.01',
      value: '12',
      period: { year: 2025, quarter: 5 },
      scope: { level: 'ward' },
      method: 'guess',
      recordedAt: '2025-07-03 10:00',
      extra: true,
    });
    expect(issues.map((i) => i.path)).toEqual([
      '/source',
      '/extra',
      '/value',
      '/period',
      '/scope/level',
      '/method',
      '/recordedAt',
    ]);
    expect(issues.find((i) => i.path === '/source')?.message).toEqual({
      vi: 'thiếu trường bắt buộc "source"',
      en: 'required field "source" is missing',
    });
    expect(issues.find((i) => i.path === '/recordedAt')?.message.vi).toBe(
      'phải là thời điểm ISO 8601 có múi giờ, ví dụ 2025-06-30T17:00:00+07:00',
    );
    expect(issues.find((i) => i.path === '/extra')?.message).toEqual({
      vi: 'trường "extra" không được phép',
      en: 'field "extra" is not allowed',
    });
  });

  it('rejects NaN and Infinity as NOT_FINITE', () => {
    expect(codes({ ...good, value: Number.NaN })).toEqual([['NOT_FINITE', '/value']]);
    expect(codes({ ...good, denominator: Number.POSITIVE_INFINITY })).toEqual([
      ['NOT_FINITE', '/denominator'],
    ]);
  });

  it('rejects an unknown indicator, a wrong type, and values out of range', () => {
    expect(codes({ ...good, indicator: 'L9.N9.PN9.99' })).toEqual([['UNKNOWN_INDICATOR', '/indicator']]);
    expect(codes({ ...good, value: true, numerator: undefined, denominator: undefined })).toEqual([
      ['WRONG_TYPE', '/value'],
    ]);
    expect(
      codes({ ...good, indicator: 'L3.N3.PN1.01', value: 1, numerator: undefined, denominator: undefined }),
    ).toEqual([['WRONG_TYPE', '/value']]);
    const { numerator: _n, denominator: _d, ...plain } = good;
    expect(codes({ ...plain, value: 100.5 })).toEqual([['OUT_OF_RANGE', '/value']]);
    expect(codes({ ...plain, value: -1 })).toEqual([['OUT_OF_RANGE', '/value']]);
    expect(v.check({ ...plain, value: 101 })[0]?.message).toEqual({
      vi: 'tỷ lệ phần trăm phải trong khoảng 0–100, nhận 101',
      en: 'a percentage must be within 0–100, got 101',
    });
  });

  it('checks numerator and denominator against the value', () => {
    expect(codes({ ...good, numerator: 300 })).toEqual([['INCONSISTENT', '/numerator']]);
    expect(codes({ ...good, value: 13 })).toEqual([['INCONSISTENT', '/value']]);
    expect(codes({ ...good, value: 12.54 })).toEqual([]);
    expect(codes({ ...good, denominator: undefined })).toEqual([['INCONSISTENT', '/denominator']]);
    expect(codes({ ...good, denominator: 0 })).toEqual([['SCHEMA', '/denominator']]);
  });

  it('rejects malformed periods and scopes without the codes their level needs', () => {
    expect(codes({ ...good, period: { interval: '2025-06-01/2025-05-01' } })).toEqual([
      ['INVALID_PERIOD', '/period'],
    ]);
    expect(codes({ ...good, period: { interval: '2025-13-01/P1M' } })).toEqual([
      ['INVALID_PERIOD', '/period'],
    ]);
    expect(codes({ ...good, scope: { level: 'district' } })).toEqual([['SCOPE', '/scope/adminUnitCode']]);
    expect(codes({ ...good, scope: { level: 'province', adminUnitCode: '213' } })).toEqual([
      ['SCOPE', '/scope/adminUnitCode'],
    ]);
    expect(codes({ ...good, scope: { level: 'department' } })).toEqual([['SCOPE', '/scope/department']]);
  });

  it('assert throws OBSERVATION_INVALID carrying every issue', () => {
    try {
      v.assert({
        ...good,
        value: 150,
        numerator: undefined,
        denominator: undefined,
        scope: { level: 'district' },
      });
      expect.unreachable();
    } catch (err) {
      expect(isKpiError(err)).toBe(true);
      if (!isKpiError(err)) return;
      expect(err.code).toBe('OBSERVATION_INVALID');
      expect(err.message).toBe(
        'invalid observation: /value: a percentage must be within 0–100, got 150 (+1 more)',
      );
      expect((err.details?.issues as unknown[]).length).toBe(2);
    }
  });

  it('a batch keeps the good entries, rejects duplicates unless flagged revised', () => {
    const same = { ...good, value: 15, numerator: 30, denominator: 200 };
    const r = v.validateBatch([
      good,
      { ...good, value: 'x' },
      same,
      { ...same, quality: ['revised'] },
      { ...good, scope: { level: 'district', adminUnitCode: '215' } },
    ]);
    expect(r.accepted.map((o) => [o.value, o.scope.adminUnitCode])).toEqual([
      [12.5, '213'],
      [15, '213'],
      [12.5, '215'],
    ]);
    expect(r.rejected.map((x) => [x.index, x.issues.map((i) => i.code)])).toEqual([
      [1, ['SCHEMA']],
      [2, ['DUPLICATE']],
    ]);
    expect(r.rejected[1]?.issues[0]?.message.en).toBe(
      'duplicates entry 0: same indicator, period and scope (flag it "revised" if it corrects that value)',
    );
  });

  it('keys observations by indicator, period and scope', () => {
    expect(observationKey(good as never)).toBe('L2.N1.PN3.01|2025-Q2|district:213');
    expect(
      observationKey({
        indicator: 'X',
        period: { interval: '2025-01-01/P1D' },
        scope: { level: 'department', department: 'health' },
      }),
    ).toBe('X|2025-01-01T00:00:00+07:00/2025-01-02T00:00:00+07:00|department:health');
  });
});

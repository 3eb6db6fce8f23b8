import { describe, expect, it } from 'vitest';
import { isCameraError } from './errors.js';
import { normalizePlate, parseVietnamesePlate } from './plates.js';

describe('parseVietnamesePlate', () => {
  it.each([
    ['98A-123.45', '98A12345', '98A-123.45', 'car', 'Bắc Giang'],
    ['98a 12345', '98A12345', '98A-123.45', 'car', 'Bắc Giang'],
    ['13A-1234', '13A1234', '13A-1234', 'car', 'Bắc Giang'],
    ['29LD-123.45', '29LD12345', '29LD-123.45', 'joint_venture', 'Hà Nội'],
    ['30KT-012.34', '30KT01234', '30KT-012.34', 'military_economic', 'Hà Nội'],
    ['80NG-123.45', '80NG12345', '80NG-123.45', 'diplomatic', 'Cơ quan trung ương (central agencies)'],
    ['51NN-123.45', '51NN12345', '51NN-123.45', 'foreign', 'TP. Hồ Chí Minh'],
    ['98B1-234.56', '98B123456', '98B1-234.56', 'motorbike', 'Bắc Giang'],
    ['98B123456', '98B123456', '98B1-234.56', 'motorbike', 'Bắc Giang'],
    ['98-B1\n234.56', '98B123456', '98B1-234.56', 'motorbike', 'Bắc Giang'],
    ['98B1-2345', '98B12345', '98B1-2345', 'motorbike', 'Bắc Giang'],
    ['29AA-123.45', '29AA12345', '29AA-123.45', 'motorbike', 'Hà Nội'],
    ['98R-012.34', '98R01234', '98R-012.34', 'trailer', 'Bắc Giang'],
  ])('%s', (raw, normalized, formatted, category, province) => {
    const p = parseVietnamesePlate(raw);
    expect(p).toMatchObject({ raw, normalized, formatted, category, province, valid: true });
  });

  it('reads an 8-character run without separators as a 5-digit car plate', () => {
    expect(parseVietnamesePlate('98B12345')).toMatchObject({ series: 'B', number: '12345', category: 'car' });
  });

  it('flags two-line plates', () => {
    expect(parseVietnamesePlate('98-B1\n234.56').twoLine).toBe(true);
    expect(parseVietnamesePlate('98B1-234.56').twoLine).toBe(false);
  });

  it('reads military red plates without a province', () => {
    expect(parseVietnamesePlate('TM-12-34')).toEqual({
      raw: 'TM-12-34',
      normalized: 'TM1234',
      valid: true,
      formatted: 'TM-12-34',
      category: 'military',
      series: 'TM',
      number: '1234',
      twoLine: false,
    });
  });

  it('maps Đ to D and NFC-normalizes', () => {
    expect(normalizePlate('29đ-123.45')).toBe('29D12345');
    expect(normalizePlate('98A\u0323-1')).toBe('98Ạ1');
  });

  it('keeps invalid reads with valid: false', () => {
    expect(parseVietnamesePlate('00A-123.45')).toEqual({
      raw: '00A-123.45',
      normalized: '00A12345',
      valid: false,
      twoLine: false,
    });
    expect(parseVietnamesePlate('HELLO').valid).toBe(false);
    expect(parseVietnamesePlate('98A-12').valid).toBe(false);
    expect(parseVietnamesePlate('80NG-1234').valid).toBe(false);
  });

  it('throws PLATE_INVALID in strict mode', () => {
    try {
      parseVietnamesePlate('ABC', { strict: true });
      expect.unreachable();
    } catch (err) {
      expect(isCameraError(err) && err.code).toBe('PLATE_INVALID');
    }
  });
});

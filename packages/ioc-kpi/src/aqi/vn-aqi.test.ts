import { describe, expect, it } from 'vitest';
import { isKpiError } from '../errors.js';
import {
  POLLUTANTS,
  VN_AQI_BREAKPOINTS,
  aqiBand,
  dailyAqi,
  hourlyAqi,
  nowCast,
  subIndex,
  type Pollutant,
} from './vn-aqi.js';

const INDEX = [0, 50, 100, 150, 200, 300, 400, 500];

describe('subIndex (QĐ 1459 Table 1)', () => {
  it.each(POLLUTANTS.flatMap((p) => VN_AQI_BREAKPOINTS[p].map((bp, i) => [p, bp, INDEX[i]] as const)))(
    '%s at the breakpoint %d µg/m³ is %d',
    (p, bp, expected) => {
      expect(subIndex(p, bp)).toEqual({ value: expected, beyondScale: false });
    },
  );

  it.each(
    POLLUTANTS.flatMap((p) =>
      VN_AQI_BREAKPOINTS[p].slice(0, -1).map((bp, i) => {
        const next = VN_AQI_BREAKPOINTS[p][i + 1] as number;
        return [
          p,
          (bp + next) / 2,
          Math.round(((INDEX[i] as number) + (INDEX[i + 1] as number)) / 2),
        ] as const;
      }),
    ),
  )('%s halfway between breakpoints (%d µg/m³) is %d', (p, c, expected) => {
    expect(subIndex(p, c)?.value).toBe(expected);
  });

  it.each([
    ['pm25', 25.5, 51],
    ['pm25', 35, 70],
    ['pm25', 100, 164],
    ['pm10', 200, 125],
    ['pm10', 50.4, 50],
    ['no2', 750, 155],
    ['co', 10_001, 50],
    ['so2', 126, 50],
    ['so2', 127, 50],
    ['so2', 130, 51],
  ] as [Pollutant, number, number][])('%s %d µg/m³ → %d (hand-computed)', (p, c, expected) => {
    expect(subIndex(p, c)?.value).toBe(expected);
  });

  it('uses the 8-hour O3 column when asked, and skips 8-hour means above its table', () => {
    expect(subIndex('o3', 100, '8h')).toEqual({ value: 50, beyondScale: false });
    expect(subIndex('o3', 150, '8h')).toEqual({ value: 130, beyondScale: false });
    expect(subIndex('o3', 400, '8h')).toEqual({ value: 300, beyondScale: false });
    expect(subIndex('o3', 401, '8h')).toBeUndefined();
    expect(subIndex('o3', 150, '1h')).toEqual({ value: 47, beyondScale: false });
  });

  it('caps concentrations above the highest breakpoint at 500 and says so', () => {
    expect(subIndex('pm25', 501)).toEqual({ value: 500, beyondScale: true });
    expect(subIndex('co', 200_000)).toEqual({ value: 500, beyondScale: true });
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects %d with AQI_INVALID_INPUT', (c) => {
    try {
      subIndex('pm25', c);
      expect.unreachable();
    } catch (err) {
      expect(isKpiError(err)).toBe(true);
      expect((err as { code: string }).code).toBe('AQI_INVALID_INPUT');
    }
  });
});

describe('nowCast', () => {
  it('weights by w = max(Cmin/Cmax, ½)', () => {
    expect(nowCast([40, 30, 20])).toBeCloseTo(60 / 1.75, 10);
    expect(nowCast([30, 25, 24])).toBeCloseTo(65.36 / 2.44, 10);
  });

  it('gives missing hours weight 0', () => {
    expect(nowCast([40, null, 20])).toBeCloseTo(45 / 1.25, 10);
    expect(nowCast([40, 30, undefined, null, 20])).toBeCloseTo((40 + 15 + 20 / 16) / (1 + 0.5 + 1 / 16), 10);
  });

  it('needs 2 of the 3 most recent hours', () => {
    expect(nowCast([40, null, null, 30, 30])).toBeUndefined();
    expect(nowCast([null, null, 30])).toBeUndefined();
    expect(nowCast([])).toBeUndefined();
    expect(nowCast([null, 12, 12])).toBe(12);
  });

  it('uses at most 12 hours', () => {
    const thirteen = [10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 1000];
    expect(nowCast(thirteen)).toBe(10);
  });

  it('is 0 for clean air, not NaN', () => {
    expect(nowCast([0, 0, 0])).toBe(0);
  });
});

describe('hourlyAqi', () => {
  it('takes the highest sub-index with its band, colour and advice', () => {
    const r = hourlyAqi({ pm25: [60, 60, 60], no2: 750, co: 5000 });
    expect(r).toMatchObject({
      aqi: 155,
      status: 'ok',
      dominant: 'no2',
      subIndices: { pm25: 117, no2: 155, co: 25 },
      beyondScale: [],
    });
    expect(r.band).toMatchObject({ level: 4, nameVi: 'Xấu', nameEn: 'Bad', hex: '#ff0000' });
  });

  it('uses the 1-hour O3 column', () => {
    expect(hourlyAqi({ pm10: [20, 20], o3: 180 }).subIndices.o3).toBe(75);
  });

  it('is "no data" without PM2.5 or PM10, whatever the gases say', () => {
    expect(hourlyAqi({ no2: 750, o3: 100 })).toMatchObject({
      aqi: null,
      status: 'no-data',
      reason: 'VN_AQI needs PM2.5 or PM10',
    });
    expect(hourlyAqi({ pm25: [30, null, null], no2: 10 })).toMatchObject({ aqi: null, status: 'no-data' });
  });
});

describe('dailyAqi', () => {
  const day = (v: number | null) => Array.from({ length: 24 }, () => v);

  it('PM from the 24-hour mean, gases from the daily maximum', () => {
    const pm25 = day(30);
    pm25[12] = 54; // mean becomes 31
    const so2 = day(20);
    so2[8] = 130; // max 130 → 51
    expect(dailyAqi({ pm25, so2 })).toMatchObject({
      aqi: 62,
      dominant: 'pm25',
      subIndices: { pm25: 62, so2: 51 },
      concentrations: { pm25: 31, so2: 130 },
    });
  });

  it('O3: the larger of the max 1-hour and the max rolling 8-hour sub-index', () => {
    const o3 = day(20);
    for (let h = 8; h < 16; h++) o3[h] = 150; // an 8-hour mean of 150 → 130 (8-h column)
    o3[12] = 180; // 1-hour max 180 → 75; the window mean rises to 153.75 → 134
    const r = dailyAqi({ pm10: day(40), o3 });
    expect(r.subIndices.o3).toBe(134);
    expect(r.dominant).toBe('o3');
  });

  it('O3: skips 8-hour means above the 8-hour table', () => {
    expect(dailyAqi({ pm25: day(10), o3: day(450) }).subIndices.o3).toBe(213);
  });

  it('needs 18 hours for the PM mean by default (configurable)', () => {
    const sparse = day(null);
    for (let h = 0; h < 17; h++) sparse[h] = 40;
    expect(dailyAqi({ pm25: sparse }).status).toBe('no-data');
    expect(dailyAqi({ pm25: sparse }, { minHoursForMean: 12 })).toMatchObject({ status: 'ok', aqi: 80 });
  });

  it('rejects more than 24 hourly values and negative concentrations', () => {
    expect(() => dailyAqi({ pm25: Array.from({ length: 25 }, () => 1) })).toThrow(
      'a day has 24 hourly values, got 25',
    );
    expect(() => dailyAqi({ no2: [1, -2] })).toThrow('no2[1]: -2 is not a concentration');
  });
});

describe('aqiBand', () => {
  it.each([
    [0, 1, 'Tốt', '#00e400'],
    [50, 1, 'Tốt', '#00e400'],
    [51, 2, 'Trung bình', '#ffff00'],
    [100, 2, 'Trung bình', '#ffff00'],
    [101, 3, 'Kém', '#ff7e00'],
    [150, 3, 'Kém', '#ff7e00'],
    [151, 4, 'Xấu', '#ff0000'],
    [200, 4, 'Xấu', '#ff0000'],
    [201, 5, 'Rất xấu', '#8f3f97'],
    [300, 5, 'Rất xấu', '#8f3f97'],
    [301, 6, 'Nguy hại', '#7e0023'],
    [500, 6, 'Nguy hại', '#7e0023'],
  ])('%d is level %d (%s, %s)', (aqi, level, nameVi, hexColour) => {
    expect(aqiBand(aqi)).toMatchObject({ level, nameVi, hex: hexColour });
  });

  it('has bilingual advice for every band', () => {
    for (let aqi = 0; aqi <= 500; aqi += 25) {
      const b = aqiBand(aqi);
      expect(b.adviceVi.length).toBeGreaterThan(20);
      expect(b.adviceEn.length).toBeGreaterThan(20);
    }
  });
});

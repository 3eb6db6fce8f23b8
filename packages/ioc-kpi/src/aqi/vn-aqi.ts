/**
 * VN_AQI — the Vietnamese air-quality index of Quyết định 1459/QĐ-TCMT (12/11/2019).
 * Concentrations are in µg/m³ (CO too). Pure functions: no I/O, no clock.
 */
import { KpiError } from '../errors.js';

export const POLLUTANTS = ['pm25', 'pm10', 'o3', 'co', 'so2', 'no2'] as const;
export type Pollutant = (typeof POLLUTANTS)[number];

/** Which O3 breakpoint column: the 1-hour one (hourly AQI) or the 8-hour one (daily AQI). */
export type O3Column = '1h' | '8h';

const INDEX = [0, 50, 100, 150, 200, 300, 400, 500] as const;

/** Breakpoints BPi of QĐ 1459, Table 1 (µg/m³). O3 8h has no breakpoints above AQI 300. */
export const VN_AQI_BREAKPOINTS: Readonly<Record<Pollutant | 'o3_8h', readonly number[]>> = {
  o3: [0, 160, 200, 300, 400, 800, 1000, 1200],
  o3_8h: [0, 100, 120, 170, 210, 400],
  co: [0, 10000, 30000, 45000, 60000, 90000, 120000, 150000],
  so2: [0, 125, 350, 550, 800, 1600, 2100, 2630],
  no2: [0, 100, 200, 700, 1200, 2350, 3100, 3850],
  pm10: [0, 50, 150, 250, 350, 420, 500, 600],
  pm25: [0, 25, 50, 80, 150, 250, 350, 500],
};

export interface AqiBand {
  /** 1 (good) … 6 (hazardous). */
  readonly level: 1 | 2 | 3 | 4 | 5 | 6;
  readonly min: number;
  readonly max: number;
  readonly nameVi: string;
  readonly nameEn: string;
  /** RGB as published in the decision. */
  readonly rgb: readonly [number, number, number];
  /** `#rrggbb` */
  readonly hex: string;
  readonly adviceVi: string;
  readonly adviceEn: string;
}

const hex = (rgb: readonly [number, number, number]) =>
  `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
const band = (
  level: AqiBand['level'],
  min: number,
  max: number,
  nameVi: string,
  nameEn: string,
  rgb: readonly [number, number, number],
  adviceVi: string,
  adviceEn: string,
): AqiBand => ({ level, min, max, nameVi, nameEn, rgb, hex: hex(rgb), adviceVi, adviceEn });

/** The six bands with their colours and health messages (QĐ 1459, Tables 3 and 4). */
export const VN_AQI_BANDS: readonly AqiBand[] = [
  band(
    1,
    0,
    50,
    'Tốt',
    'Good',
    [0, 228, 0],
    'Chất lượng không khí tốt, không ảnh hưởng tới sức khỏe.',
    'Air quality is good and poses no health risk.',
  ),
  band(
    2,
    51,
    100,
    'Trung bình',
    'Moderate',
    [255, 255, 0],
    'Chất lượng không khí ở mức chấp nhận được; người nhạy cảm (người già, trẻ em, người mắc bệnh hô hấp, tim mạch) có thể chịu tác động nhất định tới sức khỏe.',
    'Air quality is acceptable; sensitive people (the elderly, children, people with respiratory or heart disease) may feel some effects.',
  ),
  band(
    3,
    101,
    150,
    'Kém',
    'Poor',
    [255, 126, 0],
    'Người nhạy cảm gặp các vấn đề về sức khỏe; người bình thường ít bị ảnh hưởng.',
    'Sensitive people may have health problems; the general public is less likely to be affected.',
  ),
  band(
    4,
    151,
    200,
    'Xấu',
    'Bad',
    [255, 0, 0],
    'Người bình thường bắt đầu bị ảnh hưởng tới sức khỏe; người nhạy cảm có thể gặp vấn đề sức khỏe nghiêm trọng hơn.',
    'Everyone may begin to feel health effects; sensitive people may have more serious problems.',
  ),
  band(
    5,
    201,
    300,
    'Rất xấu',
    'Very bad',
    [143, 63, 151],
    'Cảnh báo sức khỏe: mọi người bị ảnh hưởng tới sức khỏe nghiêm trọng hơn.',
    'Health warning: everyone may experience more serious health effects.',
  ),
  band(
    6,
    301,
    500,
    'Nguy hại',
    'Hazardous',
    [126, 0, 35],
    'Cảnh báo khẩn cấp về sức khỏe: toàn bộ dân số bị ảnh hưởng nghiêm trọng.',
    'Health emergency: the whole population is likely to be seriously affected.',
  ),
];

/** The band of an (integer) AQI value; values above 500 fall in the top band. */
export function aqiBand(aqi: number): AqiBand {
  assertConcentration('aqi', aqi);
  const rounded = Math.round(aqi);
  return VN_AQI_BANDS.find((b) => rounded <= b.max) ?? (VN_AQI_BANDS[5] as AqiBand);
}

function assertConcentration(what: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new KpiError(
      'AQI_INVALID_INPUT',
      `${what}: ${String(value)} is not a concentration (a finite number ≥ 0)`,
      {
        details: { field: what },
      },
    );
  }
}

export interface SubIndex {
  /** The sub-index, rounded to an integer. */
  readonly value: number;
  /** True when the concentration is above the highest breakpoint (the value is capped at 500). */
  readonly beyondScale: boolean;
}

/**
 * Sub-index of one pollutant: `AQIx = (I[i+1] − I[i]) / (BP[i+1] − BP[i]) × (Cx − BP[i]) + I[i]` for
 * BP[i] ≤ Cx ≤ BP[i+1]. Returns undefined for an O3 8-hour mean above its table (> 400 µg/m³), which
 * the decision says to skip.
 */
export function subIndex(
  pollutant: Pollutant,
  concentration: number,
  o3Column: O3Column = '1h',
): SubIndex | undefined {
  assertConcentration(pollutant, concentration);
  const bp =
    pollutant === 'o3' && o3Column === '8h' ? VN_AQI_BREAKPOINTS.o3_8h : VN_AQI_BREAKPOINTS[pollutant];
  const top = bp[bp.length - 1] as number;
  if (concentration > top) {
    if (pollutant === 'o3' && o3Column === '8h') return undefined;
    return { value: 500, beyondScale: true };
  }
  for (let i = 0; i < bp.length - 1; i++) {
    const lo = bp[i] as number;
    const hi = bp[i + 1] as number;
    if (concentration <= hi) {
      const iLo = INDEX[i] as number;
      const iHi = INDEX[i + 1] as number;
      return {
        value: Math.round(((iHi - iLo) / (hi - lo)) * (concentration - lo) + iLo),
        beyondScale: false,
      };
    }
  }
  return { value: 0, beyondScale: false };
}

/** Sub-index on a 1-hour column, which always exists. */
function index1h(pollutant: Pollutant, concentration: number): SubIndex {
  return subIndex(pollutant, concentration, '1h') as SubIndex;
}

/** A value that may be missing (no measurement for that hour). */
export type Maybe = number | null | undefined;

const present = (v: Maybe): v is number => typeof v === 'number';

/**
 * NowCast of PM over the last 12 hourly means, most recent first (`hourly[0]` = c1, the current hour).
 * `w* = Cmin/Cmax`, `w = max(w*, ½)`, `NowCast = Σ w^(i−1)·ci / Σ w^(i−1)` over the hours present
 * (missing hours weigh 0). At least 2 of c1..c3 must be present; otherwise there is no NowCast.
 */
export function nowCast(hourly: readonly Maybe[]): number | undefined {
  const c = hourly.slice(0, 12);
  c.forEach((v, i) => {
    if (present(v)) assertConcentration(`c${i + 1}`, v);
  });
  if (c.slice(0, 3).filter(present).length < 2) return undefined;
  const values = c.filter(present);
  const max = Math.max(...values);
  const min = Math.min(...values);
  const w = max === 0 ? 1 : Math.max(min / max, 0.5);
  let num = 0;
  let den = 0;
  c.forEach((v, i) => {
    if (!present(v)) return;
    const weight = w ** i;
    num += weight * v;
    den += weight;
  });
  return num / den;
}

export interface AqiResult {
  /** The AQI (integer), or null when there is not enough data ("no data"). */
  readonly aqi: number | null;
  readonly status: 'ok' | 'no-data';
  /** Why there is no AQI, in English (for logs); absent when `status` is `ok`. */
  readonly reason?: string;
  /** The pollutant with the highest sub-index. */
  readonly dominant?: Pollutant;
  readonly band?: AqiBand;
  /** Sub-indices that could be computed. */
  readonly subIndices: Readonly<Partial<Record<Pollutant, number>>>;
  /** The concentrations the sub-indices were computed from (NowCast, 24-h mean, maxima…). */
  readonly concentrations: Readonly<Partial<Record<Pollutant, number>>>;
  /** Pollutants above the highest breakpoint. */
  readonly beyondScale: readonly Pollutant[];
}

function combine(
  sub: Partial<Record<Pollutant, SubIndex>>,
  concentrations: Partial<Record<Pollutant, number>>,
): AqiResult {
  const subIndices: Partial<Record<Pollutant, number>> = {};
  const beyondScale: Pollutant[] = [];
  for (const p of POLLUTANTS) {
    const s = sub[p];
    if (s === undefined) continue;
    subIndices[p] = s.value;
    if (s.beyondScale) beyondScale.push(p);
  }
  if (subIndices.pm25 === undefined && subIndices.pm10 === undefined) {
    return {
      aqi: null,
      status: 'no-data',
      reason: 'VN_AQI needs PM2.5 or PM10',
      subIndices,
      concentrations,
      beyondScale,
    };
  }
  let dominant: Pollutant = 'pm25';
  let aqi = -1;
  for (const p of POLLUTANTS) {
    const v = subIndices[p];
    if (v !== undefined && v > aqi) {
      aqi = v;
      dominant = p;
    }
  }
  return { aqi, status: 'ok', dominant, band: aqiBand(aqi), subIndices, concentrations, beyondScale };
}

/** Inputs of the hourly AQI. */
export interface HourlyAqiInput {
  /** Last 12 hourly PM2.5 means, most recent first (for NowCast). */
  readonly pm25?: readonly Maybe[];
  /** Last 12 hourly PM10 means, most recent first. */
  readonly pm10?: readonly Maybe[];
  /** This hour's means. */
  readonly o3?: Maybe;
  readonly co?: Maybe;
  readonly so2?: Maybe;
  readonly no2?: Maybe;
}

/**
 * Hourly VN_AQI: SO2, CO, NO2 and O3 (1-hour column) from this hour's means; PM2.5 and PM10 from their
 * NowCast. The AQI is the highest sub-index and needs PM2.5 or PM10.
 */
export function hourlyAqi(input: HourlyAqiInput): AqiResult {
  const sub: Partial<Record<Pollutant, SubIndex>> = {};
  const conc: Partial<Record<Pollutant, number>> = {};
  for (const p of ['pm25', 'pm10'] as const) {
    const series = input[p];
    if (series === undefined) continue;
    const nc = nowCast(series);
    if (nc === undefined) continue;
    conc[p] = nc;
    sub[p] = index1h(p, nc);
  }
  for (const p of ['o3', 'co', 'so2', 'no2'] as const) {
    const v = input[p];
    if (!present(v)) continue;
    conc[p] = v;
    sub[p] = index1h(p, v);
  }
  return combine(sub, conc);
}

export interface DailyAqiOptions {
  /** Hours of the day that must be present for the 24-hour PM mean. Default 18 (75 %). */
  readonly minHoursForMean?: number;
  /** Hours of an 8-hour window that must be present for a rolling O3 mean. Default 6 (75 %). */
  readonly minHoursFor8h?: number;
}

/** Inputs of the daily AQI: the 24 hourly means of the day (01:00 … 24:00), missing hours as null. */
export type DailyAqiInput = Readonly<Partial<Record<Pollutant, readonly Maybe[]>>>;

/**
 * Daily VN_AQI: PM from the 24-hour mean; SO2, NO2 and CO from the day's highest hourly mean; O3 from
 * the larger of the highest 1-hour sub-index and the highest rolling 8-hour sub-index (8-hour means
 * above the 8-hour table are skipped). The data-completeness thresholds are policy, not part of the
 * decision: they are options.
 */
export function dailyAqi(day: DailyAqiInput, options: DailyAqiOptions = {}): AqiResult {
  const minMean = options.minHoursForMean ?? 18;
  const min8h = options.minHoursFor8h ?? 6;
  const sub: Partial<Record<Pollutant, SubIndex>> = {};
  const conc: Partial<Record<Pollutant, number>> = {};
  for (const p of POLLUTANTS) {
    const hours = day[p];
    if (hours === undefined) continue;
    if (hours.length > 24) {
      throw new KpiError('AQI_INVALID_INPUT', `${p}: a day has 24 hourly values, got ${hours.length}`, {
        details: { field: p },
      });
    }
    hours.forEach((v, i) => {
      if (present(v)) assertConcentration(`${p}[${i}]`, v);
    });
    const values = hours.filter(present);
    if (values.length === 0) continue;
    if (p === 'pm25' || p === 'pm10') {
      if (values.length < minMean) continue;
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      conc[p] = mean;
      sub[p] = index1h(p, mean);
    } else if (p === 'o3') {
      const max1h = Math.max(...values);
      let best = index1h('o3', max1h);
      let bestConc = max1h;
      for (let start = 0; start + 8 <= hours.length; start++) {
        const window = hours.slice(start, start + 8).filter(present);
        if (window.length < min8h) continue;
        const mean = window.reduce((a, b) => a + b, 0) / window.length;
        const s = subIndex('o3', mean, '8h');
        if (s !== undefined && s.value > best.value) {
          best = s;
          bestConc = mean;
        }
      }
      conc.o3 = bestConc;
      sub.o3 = best;
    } else {
      const max = Math.max(...values);
      conc[p] = max;
      sub[p] = index1h(p, max);
    }
  }
  return combine(sub, conc);
}

import { KpiError } from '../errors.js';

/**
 * VN_WQI, the surface-water quality index of Quyết định 1460/QĐ-TCMT (12/11/2019).
 *
 * PROVISIONAL: the breakpoints below come from public implementations, not from a transcription of
 * the decision, and public implementations disagree on how the groups are combined. The tables are
 * data and the aggregation is an option, so a user can set them to the decision's text; check
 * before publishing figures.
 */

/** Parameters by group: I pH; II pesticides; III metals; IV organic and nutrients; V microbiology. */
export const WQI_GROUPS = {
  I: ['ph'],
  II: ['aldrin', 'bhc', 'dieldrin', 'ddts', 'heptachlor'],
  III: ['as', 'cd', 'pb', 'cr6', 'cu', 'zn', 'hg'],
  IV: ['do', 'bod5', 'cod', 'toc', 'nh4', 'no3', 'no2', 'po4'],
  V: ['coliform', 'ecoli'],
} as const;

export type WqiGroup = keyof typeof WQI_GROUPS;
export type WqiParameter = (typeof WQI_GROUPS)[WqiGroup][number];

/** One sample: concentrations in mg/L (pesticides µg/L, coliform and E. coli MPN/100 mL), DO in mg/L with the water temperature in °C. */
export type WqiSample = Partial<Record<WqiParameter, number | null>> & {
  readonly temperature?: number | null;
};

/** Concentration breakpoints → sub-index 100, 75, 50, 25, 10 (fewer breakpoints use the first qualities); above the last → 10. */
export const VN_WQI_BREAKPOINTS: Readonly<Partial<Record<WqiParameter, readonly number[]>>> = {
  bod5: [4, 6, 15, 25, 50],
  cod: [10, 15, 30, 50, 150],
  toc: [4, 6, 15, 25, 50],
  nh4: [0.3, 0.6, 0.9, 5],
  no3: [2, 5, 10, 15],
  po4: [0.1, 0.2, 0.3, 0.5, 4],
  coliform: [2500, 5000, 7500, 10000],
  ecoli: [20, 50, 100, 200],
  as: [0.01, 0.02, 0.05, 0.1],
  cd: [0.005, 0.008, 0.01, 0.1],
  pb: [0.02, 0.04, 0.05, 0.5],
  cr6: [0.01, 0.02, 0.04, 0.05, 0.1],
  cu: [0.1, 0.2, 0.5, 1, 2],
  zn: [0.5, 1, 1.5, 2, 3],
  hg: [0.001, 0.0015, 0.002, 0.01],
};

/** Pesticide limits (µg/L): at or below → 100, above → 10. */
export const VN_WQI_PESTICIDE_LIMITS: Readonly<Record<(typeof WQI_GROUPS)['II'][number], number>> = {
  aldrin: 0.1,
  bhc: 0.02,
  dieldrin: 0.1,
  ddts: 1,
  heptachlor: 0.2,
};

/** DO as % saturation → sub-index (piecewise linear, 88–112 % is 100). */
const DO_POINTS: readonly (readonly [number, number])[] = [
  [20, 10],
  [50, 50],
  [75, 75],
  [88, 100],
  [112, 100],
  [125, 75],
  [150, 50],
  [200, 10],
];

const Q = [100, 75, 50, 25, 10];

export interface WqiBand {
  readonly min: number;
  readonly max: number;
  readonly nameVi: string;
  readonly nameEn: string;
  readonly rgb: readonly [number, number, number];
  readonly hex: string;
  readonly useVi: string;
  readonly useEn: string;
}

const hex = (rgb: readonly [number, number, number]) =>
  '#' + rgb.map((c) => c.toString(16).padStart(2, '0')).join('');
const band = (
  min: number,
  max: number,
  nameVi: string,
  nameEn: string,
  rgb: [number, number, number],
  useVi: string,
  useEn: string,
): WqiBand => ({
  min,
  max,
  nameVi,
  nameEn,
  rgb,
  hex: hex(rgb),
  useVi,
  useEn,
});

export const VN_WQI_BANDS: readonly WqiBand[] = [
  band(
    91,
    100,
    'Rất tốt',
    'Very good',
    [51, 51, 255],
    'Sử dụng tốt cho mục đích cấp nước sinh hoạt',
    'Good for drinking-water supply',
  ),
  band(
    76,
    90,
    'Tốt',
    'Good',
    [0, 228, 0],
    'Sử dụng cho cấp nước sinh hoạt nhưng cần biện pháp xử lý phù hợp',
    'Drinking-water supply with suitable treatment',
  ),
  band(
    51,
    75,
    'Trung bình',
    'Fair',
    [255, 255, 0],
    'Sử dụng cho tưới tiêu và các mục đích tương đương',
    'Irrigation and similar uses',
  ),
  band(
    26,
    50,
    'Xấu',
    'Poor',
    [255, 126, 0],
    'Sử dụng cho giao thông thủy và các mục đích tương đương',
    'Waterways and similar uses',
  ),
  band(
    10,
    25,
    'Kém',
    'Bad',
    [255, 0, 0],
    'Nước ô nhiễm nặng, cần biện pháp xử lý',
    'Heavily polluted: needs treatment',
  ),
  band(
    0,
    9,
    'Ô nhiễm rất nặng',
    'Very heavily polluted',
    [126, 0, 35],
    'Nước nhiễm độc, cần biện pháp khắc phục, xử lý',
    'Toxic: needs remediation',
  ),
];

/** How group indices combine: `weighted-core` = ∛(mean IV² × mean V); `sqrt-core` = √(mean IV × mean V). */
export type WqiAggregation =
  'weighted-core' | 'sqrt-core' | ((groups: Readonly<Partial<Record<WqiGroup, number>>>) => number);

export interface WqiOptions {
  readonly aggregation?: WqiAggregation;
  /** Parameters of group IV needed for a result (default 3). */
  readonly minGroupIV?: number;
  /** Replace breakpoints (the tables are provisional). */
  readonly breakpoints?: Readonly<Partial<Record<WqiParameter, readonly number[]>>>;
}

export interface WqiResult {
  readonly status: 'ok' | 'no-data';
  readonly wqi: number | null;
  readonly band: WqiBand | null;
  readonly subIndices: Readonly<Partial<Record<WqiParameter, number>>>;
  readonly groups: Readonly<Partial<Record<WqiGroup, number>>>;
  /** Always true: see the module note. */
  readonly provisional: true;
}

function fromBreakpoints(bp: readonly number[], c: number): number {
  if (c <= (bp[0] as number)) return 100;
  for (let i = 1; i < bp.length; i++) {
    const hi = bp[i] as number;
    if (c <= hi) {
      const lo = bp[i - 1] as number;
      const qa = Q[i - 1] as number;
      const qb = Q[i] as number;
      return qa - ((qa - qb) / (hi - lo)) * (c - lo);
    }
  }
  return 10;
}

function phIndex(ph: number): number {
  if (ph < 5.5 || ph > 9) return 10;
  if (ph < 6) return 50 + ((ph - 5.5) / 0.5) * 50;
  if (ph <= 8.5) return 100;
  return 100 - ((ph - 8.5) / 0.5) * 50;
}

/** DO saturation (mg/L) at a temperature (°C). */
export function doSaturation(t: number): number {
  return 14.652 - 0.41022 * t + 0.007991 * t * t - 0.000077774 * t * t * t;
}

function doIndex(mgL: number, temperature: number): number {
  const pct = (mgL / doSaturation(temperature)) * 100;
  const first = DO_POINTS[0] as readonly [number, number];
  const last = DO_POINTS[DO_POINTS.length - 1] as readonly [number, number];
  if (pct <= first[0] || pct >= last[0]) return 10;
  for (let i = 1; i < DO_POINTS.length; i++) {
    const [x1, y1] = DO_POINTS[i] as readonly [number, number];
    const [x0, y0] = DO_POINTS[i - 1] as readonly [number, number];
    if (pct <= x1) return y0 + ((y1 - y0) / (x1 - x0)) * (pct - x0);
  }
  return 10;
}

/** The band of a VN_WQI value. */
export function wqiBand(wqi: number): WqiBand {
  const v = Math.round(wqi);
  return (
    VN_WQI_BANDS.find((b) => v >= b.min && v <= b.max) ?? (VN_WQI_BANDS[VN_WQI_BANDS.length - 1] as WqiBand)
  );
}

/** VN_WQI of one sample (provisional: see the module note). Throws `WQI_INVALID_INPUT` for negative or non-finite values. */
export function vnWqi(sample: WqiSample, options: WqiOptions = {}): WqiResult {
  const bps = { ...VN_WQI_BREAKPOINTS, ...options.breakpoints };
  const sub: Partial<Record<WqiParameter, number>> = {};
  for (const [k, v] of Object.entries(sample)) {
    if (v === null || v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || (k !== 'temperature' && v < 0))
      throw new KpiError('WQI_INVALID_INPUT', `"${k}" must be a finite, non-negative number`, {
        details: { field: k },
      });
  }
  const value = (p: WqiParameter) => {
    const v = sample[p];
    return typeof v === 'number' ? v : undefined;
  };
  const ph = value('ph');
  if (ph !== undefined) sub.ph = phIndex(ph);
  for (const p of WQI_GROUPS.II) {
    const v = value(p);
    if (v !== undefined) sub[p] = v <= VN_WQI_PESTICIDE_LIMITS[p] ? 100 : 10;
  }
  for (const p of [...WQI_GROUPS.III, ...WQI_GROUPS.IV, ...WQI_GROUPS.V]) {
    const v = value(p);
    if (v === undefined) continue;
    if (p === 'do') {
      const t = sample.temperature;
      if (typeof t !== 'number')
        throw new KpiError('WQI_INVALID_INPUT', 'DO needs the water temperature', {
          details: { field: 'temperature' },
        });
      sub.do = doIndex(v, t);
    } else if (p === 'no2') sub.no2 = v <= 0.05 ? 100 : 10;
    else {
      const bp = bps[p];
      if (bp !== undefined) sub[p] = fromBreakpoints(bp, v);
    }
  }
  const of = (g: WqiGroup) => WQI_GROUPS[g].map((p) => sub[p]).filter((x): x is number => x !== undefined);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const geo = (xs: number[]) =>
    Math.pow(
      xs.reduce((a, b) => a * (b / 100), 1),
      1 / xs.length,
    ) * 100;
  const groups: Partial<Record<WqiGroup, number>> = {};
  const [i, ii, iii, iv, v] = [of('I'), of('II'), of('III'), of('IV'), of('V')];
  if (i.length) groups.I = i[0] as number;
  if (ii.length) groups.II = geo(ii);
  if (iii.length) groups.III = geo(iii);
  if (iv.length) groups.IV = mean(iv);
  if (v.length) groups.V = mean(v);
  const round = (x: number) => Math.round(x * 100) / 100;
  const rounded = Object.fromEntries(Object.entries(sub).map(([k, x]) => [k, round(x)])) as Partial<
    Record<WqiParameter, number>
  >;
  if (iv.length < (options.minGroupIV ?? 3))
    return { status: 'no-data', wqi: null, band: null, subIndices: rounded, groups, provisional: true };
  const agg = options.aggregation ?? 'weighted-core';
  let core: number;
  if (typeof agg === 'function') core = agg(groups);
  else if (groups.V === undefined) core = groups.IV as number;
  else if (agg === 'sqrt-core') core = Math.sqrt((groups.IV as number) * groups.V);
  else core = Math.cbrt((groups.IV as number) ** 2 * groups.V);
  const factor = (g: number | undefined) => (g === undefined ? 1 : g / 100);
  const wqi = Math.round(factor(groups.I) * factor(groups.II) * factor(groups.III) * core);
  return { status: 'ok', wqi, band: wqiBand(wqi), subIndices: rounded, groups, provisional: true };
}

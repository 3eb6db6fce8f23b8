/**
 * @dttm/ioc-kpi, in one process:
 * - `kpi-validate-evaluate`: validate 200 observations with `ObservationValidator` (schema compiled
 *   once, plus the profile checks) and evaluate the Bắc Giang profile over them, vs the same
 *   validation with the schema re-compiled by a new Ajv for every observation (what a naive
 *   integration does) followed by the same evaluation.
 * - `kpi-validate-evaluate-1m`: the same over 1,000,000 observations (36 indicators × 10 districts ×
 *   years and months), vs ajv's compiled validate function alone over the same objects: the
 *   ratio is the cost of our semantic checks, period resolution and evaluation on top of the
 *   bare schema check.
 * - `vn-aqi-hourly`: `hourlyAqi` (NowCast over 12 hours for PM2.5 and PM10, four gases, band) vs a
 *   plain transcription of the same formulas without input checks or band lookup (a physical
 *   baseline: no npm package computes VN_AQI).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import {
  BAC_GIANG_2025,
  KpiSchemas,
  ObservationValidator,
  evaluateProfile,
  hourlyAqi,
  resolveProfile,
  type Observation,
} from '../packages/ioc-kpi/src/index.js';
import { kpiObservationSchema } from '../packages/ioc-kpi/src/generated/schemas.js';
import { defineBench } from './harness.js';

const profile = resolveProfile(BAC_GIANG_2025);
const validator = new ObservationValidator(profile);
const codes = [...profile.indicators.keys()];
const districts = ['213', '215', '216', '217', '218', '219', '220', '221', '222', '223'];

function makeObservations(n: number): Observation[] {
  const out: Observation[] = [];
  for (let i = 0; out.length < n; i++) {
    const code = codes[i % codes.length] as string;
    const district = districts[Math.floor(i / codes.length) % districts.length] as string;
    const slot = Math.floor(i / (codes.length * districts.length));
    const year = 2021 + (slot % 5);
    const month = 1 + (Math.floor(slot / 5) % 12);
    const boolean = profile.indicators.get(code)?.valueType === 'boolean';
    const den = 100 + (i % 50);
    const num = i % den;
    out.push({
      indicator: code,
      value: boolean ? i % 2 === 0 : Math.round((num / den) * 1e4) / 100,
      ...(boolean ? {} : { numerator: num, denominator: den }),
      period: { year, month },
      scope: { level: 'district', adminUnitCode: district },
      source: 'bench',
      method: 'automatic',
      recordedAt: '2026-01-05T00:00:00+07:00',
    });
  }
  return out;
}

const small = makeObservations(200);
const million = makeObservations(1_000_000);
const schemas = new KpiSchemas();
const compiledOnly = schemas.validator('observation');

function evaluate(list: Observation[]): number {
  return evaluateProfile(profile, list, { period: { year: 2025 } }).summary.met;
}

function oursBatch(list: Observation[]): number {
  const accepted: Observation[] = [];
  for (const o of list) accepted.push(validator.assert(o));
  return evaluate(accepted);
}

function recompilePerCall(list: Observation[]): number {
  const accepted: Observation[] = [];
  for (const o of list) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    ajv.addFormat('date-time', true);
    const validate = ajv.compile(kpiObservationSchema);
    if (!validate(o)) throw new Error('invalid');
    accepted.push(o);
  }
  return evaluate(accepted);
}

function ajvOnly(list: Observation[]): number {
  let ok = 0;
  for (const o of list) if (compiledOnly(o)) ok++;
  return ok;
}

// VN_AQI, the plain formulas.
const BP: Record<string, number[]> = {
  pm25: [0, 25, 50, 80, 150, 250, 350, 500],
  pm10: [0, 50, 150, 250, 350, 420, 500, 600],
  o3: [0, 160, 200, 300, 400, 800, 1000, 1200],
  co: [0, 10000, 30000, 45000, 60000, 90000, 120000, 150000],
  so2: [0, 125, 350, 550, 800, 1600, 2100, 2630],
  no2: [0, 100, 200, 700, 1200, 2350, 3100, 3850],
};
const I = [0, 50, 100, 150, 200, 300, 400, 500];
function plainSub(p: string, c: number): number {
  const bp = BP[p] as number[];
  for (let i = 0; i < 7; i++) {
    const lo = bp[i] as number;
    const hi = bp[i + 1] as number;
    if (c <= hi) return (((I[i + 1] as number) - (I[i] as number)) / (hi - lo)) * (c - lo) + (I[i] as number);
  }
  return 500;
}
function plainNowCast(c: readonly number[]): number {
  const min = Math.min(...c);
  const max = Math.max(...c);
  const w = Math.max(min / max, 0.5);
  let s = 0;
  let d = 0;
  for (let i = 0; i < c.length; i++) {
    s += w ** i * (c[i] as number);
    d += w ** i;
  }
  return s / d;
}
const hours = [
  {
    pm25: [42, 40, 38, 35, 33, 30, 31, 35, 37, 40, 41, 44],
    pm10: [80, 78, 75, 70, 66, 60, 62, 70, 74, 80, 82, 88],
    o3: 90,
    co: 2100,
    so2: 20,
    no2: 45,
  },
  {
    pm25: [12, 14, 15, 18, 20, 22, 25, 24, 23, 21, 20, 19],
    pm10: [30, 31, 35, 38, 41, 44, 50, 48, 46, 42, 40, 38],
    o3: 140,
    co: 900,
    so2: 8,
    no2: 22,
  },
];
function plainHourly(h: (typeof hours)[number]): number {
  return Math.round(
    Math.max(
      plainSub('pm25', plainNowCast(h.pm25)),
      plainSub('pm10', plainNowCast(h.pm10)),
      plainSub('o3', h.o3),
      plainSub('co', h.co),
      plainSub('so2', h.so2),
      plainSub('no2', h.no2),
    ),
  );
}

export default defineBench({
  name: 'ioc-kpi',
  comparisons: [
    {
      name: 'kpi-validate-evaluate',
      peer: 'ajv-recompile-per-call',
      ours: () => oursBatch(small),
      theirs: () => recompilePerCall(small),
      itemsPerOp: small.length,
      unit: 'obs',
    },
    {
      name: 'kpi-validate-evaluate-1m',
      peer: 'ajv-compiled-validate-only',
      ours: () => oursBatch(million),
      theirs: () => ajvOnly(million),
      itemsPerOp: million.length,
      unit: 'obs',
    },
    {
      name: 'vn-aqi-hourly',
      peer: 'plain-formula',
      ours: () => hours.reduce((s, h) => s + (hourlyAqi(h).aqi ?? 0), 0),
      theirs: () => hours.reduce((s, h) => s + plainHourly(h), 0),
      itemsPerOp: hours.length,
      unit: 'aqi',
    },
  ],
});

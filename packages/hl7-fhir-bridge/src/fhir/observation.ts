import type { Hl7Segment } from '../er7/message.js';
import { Hl7Error } from '../errors.js';
import type { MapContext } from './context.js';
import { codeable, codeSystem } from './datatypes.js';
import { CS, localSystem } from './systems.js';
import type { CodeableConcept, FhirResource } from './types.js';
import { lookup } from './util.js';

/** HL7 table 0078 → v3 ObservationInterpretation (IG ConceptMap InterpretationCodes). */
const INTERPRETATION: Readonly<Record<string, string>> = {
  '<': 'Off scale low',
  '>': 'Off scale high',
  A: 'Abnormal',
  AA: 'Critical abnormal',
  B: 'Better',
  CAR: 'Carrier',
  D: 'Significant change down',
  DET: 'Detected',
  E: 'Equivocal',
  EX: 'outside threshold',
  EXP: 'Expected',
  H: 'High',
  HH: 'Critical high',
  HU: 'Significantly high',
  I: 'Intermediate',
  IE: 'Insufficient evidence',
  IND: 'Indeterminate',
  L: 'Low',
  LL: 'Critical low',
  LU: 'Significantly low',
  N: 'Normal',
  NCL: 'No CLSI defined breakpoint',
  ND: 'Not detected',
  NEG: 'Negative',
  NR: 'Non-reactive',
  NS: 'Non-susceptible',
  POS: 'Positive',
  R: 'Resistant',
  RR: 'Reactive',
  S: 'Susceptible',
  SDD: 'Susceptible-dose dependent',
  'SYN-R': 'Synergy - resistant',
  'SYN-S': 'Synergy - susceptible',
  U: 'Significant change up',
  UNE: 'Unexpected',
  W: 'Worse',
  WR: 'Weakly reactive',
};

/**
 * HL7 table 0085 → Observation.status: A, C, D, F, P, W, X as the IG ConceptMap; I/O (no result yet)
 * → registered, R/S (not verified, partial) → preliminary, U (changed to final) → final, which the
 * IG leaves open; B, N, V → `unknown` with a warning.
 */
export const OBSERVATION_STATUS: Readonly<Record<string, string>> = {
  A: 'amended',
  C: 'corrected',
  D: 'entered-in-error',
  F: 'final',
  I: 'registered',
  O: 'registered',
  P: 'preliminary',
  R: 'preliminary',
  S: 'preliminary',
  U: 'final',
  W: 'entered-in-error',
  X: 'cancelled',
};

/** Unit spellings seen in Vietnamese LIS feeds → UCUM codes. */
const UCUM: Readonly<Record<string, string>> = {
  'mmol/l': 'mmol/L',
  'umol/l': 'umol/L',
  'µmol/l': 'umol/L',
  'μmol/l': 'umol/L',
  'mg/dl': 'mg/dL',
  'mg/l': 'mg/L',
  'g/l': 'g/L',
  'g/dl': 'g/dL',
  'ng/ml': 'ng/mL',
  'pg/ml': 'pg/mL',
  'ng/dl': 'ng/dL',
  'u/l': 'U/L',
  'iu/l': '[IU]/L',
  'ui/l': '[IU]/L',
  'miu/l': 'm[IU]/L',
  'uiu/ml': 'u[IU]/mL',
  'meq/l': 'meq/L',
  'mmol/mol': 'mmol/mol',
  '%': '%',
  fl: 'fL',
  pg: 'pg',
  'l/l': 'L/L',
  '10^9/l': '10*9/L',
  'x10^9/l': '10*9/L',
  '10*9/l': '10*9/L',
  '10^12/l': '10*12/L',
  'x10^12/l': '10*12/L',
  '10*12/l': '10*12/L',
  mmhg: 'mm[Hg]',
  'mm[hg]': 'mm[Hg]',
  '°c': 'Cel',
  cel: 'Cel',
  kg: 'kg',
  g: 'g',
  cm: 'cm',
  m: 'm',
  'kg/m2': 'kg/m2',
  '/min': '/min',
  'lần/phút': '/min',
  'l/ph': '/min',
  bpm: '/min',
  'ml/min': 'mL/min',
  'ml/ph': 'mL/min',
  s: 's',
  sec: 's',
  'mm/h': 'mm/h',
  ml: 'mL',
};

export interface Quantity {
  value?: number;
  comparator?: string;
  unit?: string;
  system?: string;
  code?: string;
}

/** CWE units (OBX-6, RXA-7) → Quantity unit, UCUM system and code when known. */
export function quantityUnit(
  ctx: MapContext,
  seg: Hl7Segment,
  field: number,
): Omit<Quantity, 'value' | 'comparator'> {
  const code = ctx.get(seg, field, 1);
  const text = ctx.get(seg, field, 2);
  const sys = ctx.get(seg, field, 3);
  if (code === undefined && text === undefined) return {};
  const unit = text ?? code ?? '';
  if (sys?.toUpperCase() === 'UCUM' || sys?.toUpperCase() === 'ISO+' || sys === CS.ucum) {
    return { unit, system: CS.ucum, ...(code === undefined ? {} : { code }) };
  }
  const ucum = code === undefined ? undefined : lookup(UCUM, code.toLowerCase());
  if (ucum !== undefined) return { unit, system: CS.ucum, code: ucum };
  ctx.warn(
    'UNIT_NOT_UCUM',
    ctx.path(seg, field),
    `Unit "${unit}" has no UCUM code: kept as text`,
    'đơn vị không theo UCUM',
    unit,
  );
  const system = sys === undefined ? undefined : codeSystem(ctx, sys, ctx.path(seg, field));
  return { unit, ...(system === undefined || code === undefined ? {} : { system, code }) };
}

const NUMBER = /^\s*(<=|>=|<|>)?\s*([+-]?(?:\d+\.?\d*|\.\d+))\s*$/;

function toNumber(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+))\s*$/.exec(s);
  return m === null ? undefined : Number(m[1]);
}

/** OBX-7 → referenceRange: `low-high`, `<x`, `>x`, or text only. */
function referenceRange(ctx: MapContext, obx: Hl7Segment, unit: Omit<Quantity, 'value' | 'comparator'>) {
  const raw = ctx.get(obx, 7);
  if (raw === undefined) return undefined;
  const q = (v: number) => ({ value: v, ...unit });
  const range = /^\s*([+-]?\d+(?:\.\d+)?)\s*[-–]\s*([+-]?\d+(?:\.\d+)?)\s*$/.exec(raw);
  if (range !== null) return [{ low: q(Number(range[1])), high: q(Number(range[2])), text: raw }];
  const bound = /^\s*(<=|>=|<|>|≤|≥)\s*([+-]?\d+(?:\.\d+)?)\s*$/.exec(raw);
  if (bound !== null) {
    const upper = bound[1] === '<' || bound[1] === '<=' || bound[1] === '≤';
    return [{ [upper ? 'high' : 'low']: q(Number(bound[2])), text: raw }];
  }
  return [{ text: raw }];
}

/** OBX-8 (repeating) → interpretation via table 0078; an unknown flag is kept as text, warned. */
function interpretation(ctx: MapContext, obx: Hl7Segment): CodeableConcept[] {
  const out: CodeableConcept[] = [];
  for (let r = 1; r <= ctx.reps(obx, 8); r++) {
    const code = ctx.get(obx, 8, 1, r);
    if (code === undefined) continue;
    const display = lookup(INTERPRETATION, code.toUpperCase());
    if (display === undefined) {
      ctx.warn(
        'CODE_UNMAPPED',
        ctx.path(obx, 8, r),
        `Abnormal flag "${code}" is not in HL7 table 0078`,
        'cờ bất thường không thuộc bảng 0078',
        code,
      );
      out.push({ text: code });
    } else {
      out.push({ coding: [{ system: CS.interpretation, code: code.toUpperCase(), display }] });
    }
  }
  return out;
}

/** OBX-2/OBX-5 → the Observation's value[x] (NM, SN, CE/CWE, ST/TX/FT, DT/TS/DTM, TM). */
function value(
  ctx: MapContext,
  obx: Hl7Segment,
  type: string | undefined,
  unit: Omit<Quantity, 'value' | 'comparator'>,
): Record<string, unknown> {
  const n = obx.repetitionCount(5);
  if (n === 0) return {};
  const path = ctx.path(obx, 5);
  const extra = (from: number) => {
    for (let r = from; r <= n; r++) ctx.unmappedRepetition(obx, 5, r);
  };
  switch (type) {
    case 'NM': {
      const raw = ctx.get(obx, 5);
      extra(2);
      if (raw === undefined) return {};
      const m = NUMBER.exec(raw);
      if (m === null) {
        ctx.warn(
          'VALUE_INVALID',
          path,
          `NM value "${raw}" is not a number: kept as a string`,
          'giá trị NM không phải số',
          raw,
        );
        return { valueString: raw };
      }
      return {
        valueQuantity: { value: Number(m[2]), ...(m[1] === undefined ? {} : { comparator: m[1] }), ...unit },
      };
    }
    case 'SN': {
      const cmp = ctx.get(obx, 5, 1);
      const n1 = toNumber(ctx.get(obx, 5, 2));
      const sep = ctx.get(obx, 5, 3);
      const n2 = toNumber(ctx.get(obx, 5, 4));
      extra(2);
      if (
        n1 !== undefined &&
        sep === undefined &&
        n2 === undefined &&
        (cmp === undefined || /^(<|>|<=|>=)$/.test(cmp))
      ) {
        return { valueQuantity: { value: n1, ...(cmp === undefined ? {} : { comparator: cmp }), ...unit } };
      }
      if (n1 !== undefined && n2 !== undefined && cmp === undefined && (sep === ':' || sep === '/')) {
        return { valueRatio: { numerator: { value: n1 }, denominator: { value: n2 } } };
      }
      if (n1 !== undefined && n2 !== undefined && cmp === undefined && sep === '-') {
        return { valueRange: { low: { value: n1, ...unit }, high: { value: n2, ...unit } } };
      }
      const raw = [cmp, ctx.get(obx, 5, 2), sep, ctx.get(obx, 5, 4)].filter((p) => p !== undefined).join('');
      ctx.warn(
        'VALUE_INVALID',
        path,
        'SN value not understood: kept as a string',
        'giá trị SN không đọc được',
        raw,
      );
      return { valueString: raw };
    }
    case 'CE':
    case 'CWE':
    case 'CNE':
    case 'CF': {
      const c = codeable(ctx, obx, 5);
      extra(2);
      return c === undefined ? {} : { valueCodeableConcept: c };
    }
    case 'ST':
    case 'TX':
    case 'FT': {
      const lines: string[] = [];
      for (let r = 1; r <= n; r++) lines.push(ctx.get(obx, 5, 1, r) ?? '');
      const joined = lines.join('\n').trim();
      return joined === '' ? {} : { valueString: joined };
    }
    case 'DT':
    case 'TS':
    case 'DTM': {
      const v = ctx.dateTime(obx, 5);
      extra(2);
      return v === undefined ? {} : { valueDateTime: v };
    }
    case 'TM': {
      const raw = ctx.get(obx, 5);
      extra(2);
      const m = raw === undefined ? null : /^(\d{2})(\d{2})(\d{2})$/.exec(raw);
      if (m !== null) return { valueTime: `${m[1]}:${m[2]}:${m[3]}` };
      return raw === undefined ? {} : { valueString: raw };
    }
    default:
      // ED, RP, NA… stay unmapped (reported) rather than being turned into something else.
      return {};
  }
}

export interface ObservationParent {
  readonly keyValue: string;
  readonly effective: string | undefined;
  readonly subject: string | undefined;
  readonly encounter: string | undefined;
}

/** OBX → Observation keyed on OBX-21, or on the report key + OBX-3 code + OBX-4 sub-id. */
export function mapObservation(
  ctx: MapContext,
  obx: Hl7Segment,
  parent: ObservationParent,
  usedKeys: Set<string>,
): string {
  ctx.use(obx, 1, 4);
  const code = codeable(ctx, obx, 3);
  if (code === undefined) {
    throw new Hl7Error(
      'MISSING_FIELD',
      `${ctx.path(obx, 3)} (observation identifier) is empty / thiếu mã xét nghiệm OBX-3`,
      {
        details: { segment: 'OBX', field: 3, path: ctx.path(obx, 3) },
      },
    );
  }
  const type = ctx.get(obx, 2)?.toUpperCase();
  const statusCode = ctx.get(obx, 11)?.toUpperCase();
  let status = lookup(OBSERVATION_STATUS, statusCode);
  if (status === undefined) {
    ctx.warn(
      statusCode === undefined ? 'STATUS_MISSING' : 'CODE_UNMAPPED',
      ctx.path(obx, 11),
      statusCode === undefined
        ? 'OBX-11 (result status) is empty: status "unknown"'
        : `Result status "${statusCode}" is not in HL7 table 0085`,
      'thiếu hoặc sai trạng thái kết quả OBX-11',
      statusCode,
    );
    status = 'unknown';
  }
  const unit = type === 'NM' || type === 'SN' ? quantityUnit(ctx, obx, 6) : {};
  const v = value(ctx, obx, type, unit);
  let key = { system: localSystem(ctx.facility, 'observation'), value: '' };
  const own = ctx.get(obx, 21);
  if (own !== undefined)
    key = { system: localSystem(ctx.get(obx, 21, 2) ?? ctx.facility, 'observation'), value: own };
  else {
    const sub = ctx.get(obx, 4);
    key.value = `${parent.keyValue}/${code.coding?.[0]?.code ?? code.text ?? ''}${sub === undefined ? '' : `/${sub}`}`;
    if (usedKeys.has(key.value)) key.value += `#${ctx.get(obx, 1) ?? ctx.path(obx)}`;
  }
  usedKeys.add(key.value);
  const observation: FhirResource = {
    resourceType: 'Observation',
    identifier: [key],
    status,
    code,
    subject: parent.subject === undefined ? undefined : { reference: parent.subject },
    encounter: parent.encounter === undefined ? undefined : { reference: parent.encounter },
    effectiveDateTime: ctx.dateTime(obx, 14) ?? parent.effective,
    ...v,
    interpretation: interpretation(ctx, obx),
    referenceRange: referenceRange(ctx, obx, unit),
    method: codeable(ctx, obx, 17),
  };
  return ctx.add(observation, key, 'update');
}

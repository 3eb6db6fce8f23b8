import { KpiError } from '../errors.js';
import type { Period, Scope } from '../catalogue/types.js';
import type { ResolvedProfile } from '../catalogue/catalogue.js';
import type { ValidationIssue } from '../schema.js';
import { periodRange, VIETNAM_ZONE } from './period.js';

export type QualityFlag = 'estimated' | 'provisional' | 'revised' | 'imputed' | 'outlier';

/** One reported value of an indicator (`specs/schemas/kpi-observation.schema.json`). */
export interface Observation {
  readonly indicator: string;
  readonly value: number | boolean;
  readonly period: Period;
  readonly scope: Scope;
  readonly numerator?: number;
  readonly denominator?: number;
  /** Source system that reported the value. */
  readonly source: string;
  readonly method: 'manual' | 'automatic';
  readonly quality?: readonly QualityFlag[];
  /** ISO 8601 date-time with offset. */
  readonly recordedAt: string;
}

export type ValidationResult =
  | { readonly ok: true; readonly observation: Observation }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

export interface BatchResult {
  /** Valid observations, in input order (NFC-normalised). */
  readonly accepted: readonly Observation[];
  /** Rejected entries by input index, with every issue found. */
  readonly rejected: readonly { readonly index: number; readonly issues: readonly ValidationIssue[] }[];
}

export interface ObservationValidatorOptions {
  /** Zone of calendar periods; default +07:00. */
  readonly zone?: string;
  /** Largest accepted gap, in percentage points, between a percent value and numerator/denominator × 100. Default 0.05. */
  readonly percentTolerance?: number;
}

/** A stable key of what an observation is about: indicator, period and scope. */
export function observationKey(
  o: Pick<Observation, 'indicator' | 'period' | 'scope'>,
  zone = VIETNAM_ZONE,
): string {
  return `${o.indicator}|${periodRange(o.period, zone).label}|${scopeKey(o.scope)}`;
}

/** `province:24`, `district:213`, `department:health`. */
export function scopeKey(s: Scope): string {
  if (s.level === 'department')
    return `department:${s.department ?? ''}${s.adminUnitCode ? `@${s.adminUnitCode}` : ''}`;
  return `${s.level}:${s.adminUnitCode ?? ''}`;
}

function msg(code: ValidationIssue['code'], path: string, vi: string, en: string): ValidationIssue {
  return { code, path, message: { vi, en } };
}

const NON_ASCII = /[^ -~]/;

/** The observation with its text NFC-normalised; the same object when nothing changes (the usual ASCII case). */
function nfc(o: Observation): Observation {
  const dept = o.scope.department;
  const deptChanges = dept !== undefined && NON_ASCII.test(dept) && dept.normalize('NFC') !== dept;
  const sourceChanges = NON_ASCII.test(o.source) && o.source.normalize('NFC') !== o.source;
  if (!deptChanges && !sourceChanges) return o;
  return {
    ...o,
    source: o.source.normalize('NFC'),
    ...(deptChanges ? { scope: { ...o.scope, department: dept.normalize('NFC') } } : {}),
  };
}

/**
 * Validates observations against the KPI observation schema (ajv, compiled once and reused) and
 * against the profile: known indicator, value of the indicator's type and range, a period that
 * resolves, a scope with the codes its level needs, numerator and denominator consistent with the
 * value. Every issue names its field (JSON Pointer) in Vietnamese and English.
 */
export class ObservationValidator {
  readonly #profile: ResolvedProfile;
  readonly #zone: string;
  readonly #tolerance: number;

  constructor(profile: ResolvedProfile, options: ObservationValidatorOptions = {}) {
    this.#profile = profile;
    this.#zone = options.zone ?? VIETNAM_ZONE;
    this.#tolerance = options.percentTolerance ?? 0.05;
    profile.schemas.validator('observation');
  }

  /** Every issue of one observation; empty when it is valid. */
  check(value: unknown): ValidationIssue[] {
    const issues: ValidationIssue[] = [];
    if (typeof value === 'object' && value !== null) {
      const v = value as Record<string, unknown>;
      for (const f of ['value', 'numerator', 'denominator'] as const) {
        const x = v[f];
        if (typeof x === 'number' && !Number.isFinite(x))
          issues.push(
            msg(
              'NOT_FINITE',
              `/${f}`,
              `"${f}" phải là số hữu hạn (không phải NaN hay vô cực)`,
              `"${f}" must be a finite number (not NaN or Infinity)`,
            ),
          );
      }
      if (issues.length > 0) return issues;
    }
    issues.push(...this.#profile.schemas.check('observation', value));
    if (issues.length > 0) return issues;
    const o = value as Observation;

    const ind = this.#profile.indicators.get(o.indicator);
    if (ind === undefined) {
      issues.push(
        msg(
          'UNKNOWN_INDICATOR',
          '/indicator',
          `không có chỉ số "${o.indicator}" trong hồ sơ "${this.#profile.profile.id}"`,
          `there is no indicator "${o.indicator}" in profile "${this.#profile.profile.id}"`,
        ),
      );
    } else {
      if (ind.valueType === 'boolean' && typeof o.value !== 'boolean')
        issues.push(
          msg(
            'WRONG_TYPE',
            '/value',
            `chỉ số "${ind.code}" nhận giá trị true/false (Có/Chưa)`,
            `indicator "${ind.code}" takes true/false (yes/not yet)`,
          ),
        );
      if (ind.valueType === 'number' && typeof o.value !== 'number')
        issues.push(
          msg(
            'WRONG_TYPE',
            '/value',
            `chỉ số "${ind.code}" nhận giá trị số (${ind.unitLabel ?? ind.unit})`,
            `indicator "${ind.code}" takes a number (${ind.unitLabel ?? ind.unit})`,
          ),
        );
      if (typeof o.value === 'number') {
        if (ind.unit === 'percent' && (o.value < 0 || o.value > 100))
          issues.push(
            msg(
              'OUT_OF_RANGE',
              '/value',
              `tỷ lệ phần trăm phải trong khoảng 0–100, nhận ${o.value}`,
              `a percentage must be within 0–100, got ${o.value}`,
            ),
          );
        if (ind.unit !== 'percent' && ind.unit !== 'index' && o.value < 0)
          issues.push(
            msg(
              'OUT_OF_RANGE',
              '/value',
              `giá trị không được âm, nhận ${o.value}`,
              `the value must not be negative, got ${o.value}`,
            ),
          );
        if (ind.unit === 'count' && !Number.isInteger(o.value))
          issues.push(
            msg(
              'OUT_OF_RANGE',
              '/value',
              `số đếm phải là số nguyên, nhận ${o.value}`,
              `a count must be an integer, got ${o.value}`,
            ),
          );
      }
      const hasNum = o.numerator !== undefined;
      const hasDen = o.denominator !== undefined;
      if (hasNum !== hasDen) {
        issues.push(
          msg(
            'INCONSISTENT',
            hasNum ? '/denominator' : '/numerator',
            'cần có cả tử số và mẫu số, hoặc không có cả hai',
            'give both numerator and denominator, or neither',
          ),
        );
      } else if (hasNum && hasDen && typeof o.value === 'number') {
        const num = o.numerator;
        const den = o.denominator;
        if (ind.unit === 'percent') {
          if (num > den)
            issues.push(
              msg(
                'INCONSISTENT',
                '/numerator',
                `tử số (${num}) lớn hơn mẫu số (${den})`,
                `the numerator (${num}) is greater than the denominator (${den})`,
              ),
            );
          else if (Math.abs((num / den) * 100 - o.value) > this.#tolerance)
            issues.push(
              msg(
                'INCONSISTENT',
                '/value',
                `giá trị ${o.value} khác tử số/mẫu số × 100 = ${round((num / den) * 100)}`,
                `the value ${o.value} differs from numerator/denominator × 100 = ${round((num / den) * 100)}`,
              ),
            );
        } else if (ind.unit === 'count-per-area' || ind.unit === 'index' || ind.unit === 'quantity') {
          const ratio = num / den;
          if (Math.abs(ratio - o.value) > Math.max(1e-9, Math.abs(ratio) * 1e-3))
            issues.push(
              msg(
                'INCONSISTENT',
                '/value',
                `giá trị ${o.value} khác tử số/mẫu số = ${round(ratio)}`,
                `the value ${o.value} differs from numerator/denominator = ${round(ratio)}`,
              ),
            );
        }
      } else if (hasNum && typeof o.value === 'boolean') {
        issues.push(
          msg(
            'INCONSISTENT',
            '/numerator',
            'chỉ số Có/Chưa không có tử số/mẫu số',
            'a yes/no indicator has no numerator/denominator',
          ),
        );
      }
    }
    try {
      periodRange(o.period, this.#zone);
    } catch (err) {
      issues.push(
        msg(
          'INVALID_PERIOD',
          '/period',
          `kỳ báo cáo không hợp lệ: ${(err as Error).message}`,
          `invalid period: ${(err as Error).message}`,
        ),
      );
    }
    const s = o.scope;
    if (s.level === 'district' && (s.adminUnitCode === undefined || s.adminUnitCode.length !== 3))
      issues.push(
        msg(
          'SCOPE',
          '/scope/adminUnitCode',
          'phạm vi cấp huyện cần mã đơn vị hành chính 3 chữ số',
          'a district scope needs a 3-digit administrative-unit code',
        ),
      );
    if (s.level === 'province' && s.adminUnitCode !== undefined && s.adminUnitCode.length !== 2)
      issues.push(
        msg('SCOPE', '/scope/adminUnitCode', 'mã tỉnh gồm 2 chữ số', 'a province code has 2 digits'),
      );
    if (s.level === 'department' && s.department === undefined)
      issues.push(
        msg(
          'SCOPE',
          '/scope/department',
          'phạm vi cấp sở/ngành cần tên "department"',
          'a department scope needs "department"',
        ),
      );
    return issues;
  }

  validate(value: unknown): ValidationResult {
    const issues = this.check(value);
    return issues.length === 0 ? { ok: true, observation: nfc(value as Observation) } : { ok: false, issues };
  }

  /** The observation, NFC-normalised; throws `KpiError` `OBSERVATION_INVALID` with `details.issues`. */
  assert(value: unknown): Observation {
    const r = this.validate(value);
    if (r.ok) return r.observation;
    const first = r.issues[0];
    throw new KpiError(
      'OBSERVATION_INVALID',
      `invalid observation: ${first ? `${first.path || '/'}: ${first.message.en}` : 'unknown'}${r.issues.length > 1 ? ` (+${r.issues.length - 1} more)` : ''}`,
      { details: { issues: r.issues } },
    );
  }

  /**
   * Validates a batch. A second observation of the same indicator, period and scope is a
   * `DUPLICATE` unless it is flagged `revised` (then both are kept and the later `recordedAt` wins
   * in evaluation). One bad entry does not reject the others.
   */
  validateBatch(values: readonly unknown[]): BatchResult {
    const accepted: Observation[] = [];
    const rejected: { index: number; issues: ValidationIssue[] }[] = [];
    const duplicates = new BatchDuplicates(this.#zone);
    values.forEach((value, index) => {
      const r = this.validate(value);
      if (!r.ok) {
        rejected.push({ index, issues: [...r.issues] });
        return;
      }
      const duplicate = duplicates.check(r.observation, index);
      if (duplicate !== undefined) {
        rejected.push({ index, issues: [duplicate] });
        return;
      }
      accepted.push(r.observation);
    });
    return { accepted, rejected };
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * Finds repeated observations within one batch: a second observation of the same indicator, period
 * and scope is a `DUPLICATE` unless it is flagged `revised`.
 */
export class BatchDuplicates {
  readonly #seen = new Map<string, number>();
  readonly #zone: string;

  constructor(zone: string = VIETNAM_ZONE) {
    this.#zone = zone;
  }

  /** The duplicate issue for the observation at `index`, or undefined (and remembers it). */
  check(o: Observation, index: number): ValidationIssue | undefined {
    const key = observationKey(o, this.#zone);
    const first = this.#seen.get(key);
    if (first === undefined) {
      this.#seen.set(key, index);
      return undefined;
    }
    if ((o.quality ?? []).includes('revised')) return undefined;
    return msg(
      'DUPLICATE',
      '',
      `trùng với phần tử ${first}: cùng chỉ số, kỳ và phạm vi (đánh dấu "revised" nếu là số liệu điều chỉnh)`,
      `duplicates entry ${first}: same indicator, period and scope (flag it "revised" if it corrects that value)`,
    );
  }
}

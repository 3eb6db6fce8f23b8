import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import {
  kpiAlertSchema,
  kpiCatalogueSchema,
  kpiObservationSchema,
  kpiProfileSchema,
  kpiScorecardSchema,
} from './generated/schemas.js';
import type { Message } from './catalogue/types.js';

/** Stable codes of validation issues (an issue names the field in `path`, a JSON Pointer). */
export type IssueCode =
  | 'SCHEMA'
  | 'UNKNOWN_INDICATOR'
  | 'WRONG_TYPE'
  | 'OUT_OF_RANGE'
  | 'NOT_FINITE'
  | 'INVALID_PERIOD'
  | 'INCONSISTENT'
  | 'SCOPE'
  | 'DUPLICATE'
  | 'PROFILE';

/** One problem with one field, in Vietnamese and English. */
export interface ValidationIssue {
  readonly code: IssueCode;
  /** JSON Pointer of the offending field, e.g. `/period/quarter`; `` for the whole document. */
  readonly path: string;
  readonly message: Message;
}

export type SchemaName = 'catalogue' | 'profile' | 'observation' | 'alert' | 'scorecard';

const SCHEMAS = {
  catalogue: kpiCatalogueSchema,
  profile: kpiProfileSchema,
  observation: kpiObservationSchema,
  alert: kpiAlertSchema,
  scorecard: kpiScorecardSchema,
} as const;

/** RFC 3339 date-time with a required offset. */
const DATE_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/i;

function dateTime(value: string): boolean {
  if (!DATE_TIME.test(value)) return false;
  const y = Number(value.slice(0, 4));
  const m = Number(value.slice(5, 7));
  const d = Number(value.slice(8, 10));
  const days =
    m === 2
      ? y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
        ? 29
        : 28
      : [4, 6, 9, 11].includes(m)
        ? 30
        : 31;
  return d <= days;
}

function uri(value: string): boolean {
  try {
    return new URL(value).protocol.length > 1;
  } catch {
    return false;
  }
}

const TYPE_VI: Record<string, string> = {
  number: 'số',
  integer: 'số nguyên',
  string: 'chuỗi',
  boolean: 'true/false',
  object: 'đối tượng',
  array: 'mảng',
  null: 'null',
};

/** Hints for fields whose schema is a `oneOf`, so the message says what is accepted. */
const ONE_OF_HINTS: Record<string, Message> = {
  '/period': {
    vi: 'kỳ báo cáo phải là {year}, {year, quarter}, {year, month} hoặc {interval} (khoảng thời gian ISO 8601)',
    en: 'the period must be {year}, {year, quarter}, {year, month} or {interval} (an ISO 8601 interval)',
  },
  '/value': { vi: 'giá trị phải là số hoặc true/false', en: 'the value must be a number or true/false' },
  '/targetPeriod': {
    vi: 'kỳ mục tiêu phải là {year}, {year, quarter}, {year, month} hoặc {interval}',
    en: 'the target period must be {year}, {year, quarter}, {year, month} or {interval}',
  },
};

function pointer(base: string, prop: string): string {
  return `${base}/${prop.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function describe(e: ErrorObject): { path: string; message: Message } {
  const p = e.params as Record<string, unknown>;
  const path = e.instancePath;
  switch (e.keyword) {
    case 'required': {
      const f = String(p.missingProperty);
      return {
        path: pointer(path, f),
        message: { vi: `thiếu trường bắt buộc "${f}"`, en: `required field "${f}" is missing` },
      };
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const f = String(p.additionalProperty ?? p.unevaluatedProperty);
      return {
        path: pointer(path, f),
        message: { vi: `trường "${f}" không được phép`, en: `field "${f}" is not allowed` },
      };
    }
    case 'type': {
      const t = String(p.type);
      const vi = t
        .split(',')
        .map((x) => TYPE_VI[x] ?? x)
        .join(' hoặc ');
      return { path, message: { vi: `phải là ${vi}`, en: `must be ${t.split(',').join(' or ')}` } };
    }
    case 'enum': {
      const list = (p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      return { path, message: { vi: `phải là một trong: ${list}`, en: `must be one of: ${list}` } };
    }
    case 'const':
      return {
        path,
        message: {
          vi: `phải bằng ${JSON.stringify(p.allowedValue)}`,
          en: `must equal ${JSON.stringify(p.allowedValue)}`,
        },
      };
    case 'pattern':
      return {
        path,
        message: {
          vi: `không đúng định dạng (${String(p.pattern)})`,
          en: `does not match ${String(p.pattern)}`,
        },
      };
    case 'format':
      return p.format === 'date-time'
        ? {
            path,
            message: {
              vi: 'phải là thời điểm ISO 8601 có múi giờ, ví dụ 2025-06-30T17:00:00+07:00',
              en: 'must be an ISO 8601 date-time with an offset, e.g. 2025-06-30T17:00:00+07:00',
            },
          }
        : {
            path,
            message: {
              vi: `không đúng định dạng ${String(p.format)}`,
              en: `must be a valid ${String(p.format)}`,
            },
          };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const sym = { minimum: '≥', maximum: '≤', exclusiveMinimum: '>', exclusiveMaximum: '<' }[e.keyword];
      return {
        path,
        message: { vi: `phải ${sym} ${String(p.limit)}`, en: `must be ${sym} ${String(p.limit)}` },
      };
    }
    case 'minLength':
      return { path, message: { vi: 'không được để trống', en: 'must not be empty' } };
    case 'minItems':
      return {
        path,
        message: {
          vi: `cần ít nhất ${String(p.limit)} phần tử`,
          en: `needs at least ${String(p.limit)} items`,
        },
      };
    case 'uniqueItems':
      return { path, message: { vi: 'có phần tử trùng lặp', en: 'has duplicate items' } };
    case 'oneOf':
      return {
        path,
        message: ONE_OF_HINTS[path] ?? {
          vi: 'không khớp với dạng nào được phép',
          en: 'matches none of the allowed forms',
        },
      };
    default:
      return { path, message: { vi: e.message ?? e.keyword, en: e.message ?? e.keyword } };
  }
}

/**
 * Turns ajv errors into one issue per field. Errors inside a failed `oneOf` are folded into the
 * `oneOf`'s own issue (the branches' errors say nothing useful on their own), unless only one
 * branch is close (its discriminating fields are present), in which case that branch's errors are kept.
 */
export function toIssues(errors: readonly ErrorObject[]): ValidationIssue[] {
  const oneOfPaths = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath);
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (
      e.keyword !== 'oneOf' &&
      oneOfPaths.some((p) => e.instancePath === p || e.instancePath.startsWith(p + '/'))
    ) {
      continue;
    }
    const d = describe(e);
    const key = `${d.path}\u0000${d.message.en}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ code: 'SCHEMA', ...d });
  }
  return issues;
}

/**
 * The KPI JSON Schemas of `specs/schemas/`, compiled once per instance on first use and reused.
 * Create one and keep it: compiling is the expensive part.
 */
export class KpiSchemas {
  readonly #ajv: Ajv2020;
  readonly #compiled = new Map<SchemaName, ValidateFunction>();

  constructor() {
    this.#ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictNumbers: true });
    this.#ajv.addFormat('date-time', { type: 'string', validate: dateTime });
    this.#ajv.addFormat('uri', { type: 'string', validate: uri });
    for (const schema of Object.values(SCHEMAS)) this.#ajv.addSchema(schema);
  }

  /** The compiled validator of one schema. */
  validator(name: SchemaName): ValidateFunction {
    let fn = this.#compiled.get(name);
    if (fn === undefined) {
      const compiled = this.#ajv.getSchema(SCHEMAS[name].$id);
      if (compiled === undefined) throw new Error(`schema ${name} is not registered`);
      fn = compiled;
      this.#compiled.set(name, fn);
    }
    return fn;
  }

  /** Issues of `value` against one schema; empty when it is valid. */
  check(name: SchemaName, value: unknown): ValidationIssue[] {
    const fn = this.validator(name);
    return fn(value) ? [] : toIssues(fn.errors ?? []);
  }
}

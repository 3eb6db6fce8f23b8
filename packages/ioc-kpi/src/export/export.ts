import type { Scope } from '../catalogue/types.js';
import type { IndicatorEvaluation, Scorecard } from '../evaluation/evaluate.js';
import { periodFrequency, type PeriodRange } from '../observations/period.js';

export type Language = 'vi' | 'en';

const HEADERS: Record<Language, readonly string[]> = {
  vi: [
    'Mã chỉ số',
    'Tên chỉ số',
    'Lớp',
    'Nhóm',
    'Phân nhóm',
    'Đơn vị tính',
    'Kỳ',
    'Phạm vi',
    'Giá trị',
    'Tử số',
    'Mẫu số',
    'Chỉ tiêu',
    'Trạng thái',
    'Mức đạt (%)',
    'Bậc đạt (1–4)',
    'Tiến độ so với ban đầu (%)',
    'Xu hướng',
    'Nguồn số liệu',
  ],
  en: [
    'Indicator code',
    'Indicator',
    'Layer',
    'Group',
    'Subgroup',
    'Unit',
    'Period',
    'Scope',
    'Value',
    'Numerator',
    'Denominator',
    'Target',
    'Status',
    'Achievement (%)',
    'Band (1–4)',
    'Progress from baseline (%)',
    'Trend',
    'Basis',
  ],
};

const STATUS: Record<Language, Record<IndicatorEvaluation['status'], string>> = {
  vi: { met: 'Đạt', 'not-met': 'Chưa đạt', 'no-data': 'Chưa có số liệu', 'not-applicable': 'Không áp dụng' },
  en: { met: 'Met', 'not-met': 'Not met', 'no-data': 'No data', 'not-applicable': 'Not applicable' },
};

const TREND: Record<Language, Record<IndicatorEvaluation['trend']['direction'], string>> = {
  vi: {
    improving: 'Cải thiện',
    worsening: 'Xấu đi',
    stable: 'Không đổi',
    'insufficient-data': 'Chưa đủ số liệu',
  },
  en: {
    improving: 'Improving',
    worsening: 'Worsening',
    stable: 'Stable',
    'insufficient-data': 'Insufficient data',
  },
};

const BASIS: Record<Language, Record<IndicatorEvaluation['basis'], string>> = {
  vi: { observation: 'Báo cáo', aggregate: 'Tổng hợp từ cấp huyện', none: '' },
  en: { observation: 'Reported', aggregate: 'Added up from districts', none: '' },
};

function scopeText(s: Scope, lang: Language): string {
  const level = {
    vi: { province: 'Tỉnh', district: 'Huyện/TP', department: 'Sở/ngành' },
    en: { province: 'Province', district: 'District', department: 'Department' },
  }[lang][s.level];
  const code = s.level === 'department' ? s.department : s.adminUnitCode;
  return code !== undefined ? `${level} ${code}` : level;
}

function num(v: number | null | undefined, lang: Language): string {
  if (v === null || v === undefined) return '';
  const s = String(Math.round(v * 100) / 100);
  return lang === 'vi' ? s.replace('.', ',') : s;
}

/** RFC 4180 quoting; text that a spreadsheet would run as a formula is prefixed with an apostrophe. */
function cell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",;\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export interface CsvOptions {
  /** Column headings and texts; default Vietnamese. */
  readonly lang?: Language;
  /** Field separator; default `,` (`;` suits spreadsheets set to a Vietnamese locale with decimal commas). */
  readonly separator?: ',' | ';' | '\t';
}

/**
 * The scorecard as a CSV report: UTF-8 with a byte-order mark so Excel shows Vietnamese,
 * Vietnamese headings by default, CRLF line ends, one row per indicator. With `lang: 'vi'` decimals
 * use a comma, so the default separator becomes `;`.
 */
export function scorecardToCsv(card: Scorecard, options: CsvOptions = {}): string {
  const lang = options.lang ?? 'vi';
  const sep = options.separator ?? (lang === 'vi' ? ';' : ',');
  const rows = [HEADERS[lang].map(cell).join(sep)];
  for (const e of card.indicators) {
    const value =
      typeof e.value === 'boolean'
        ? lang === 'vi'
          ? e.value
            ? 'Có'
            : 'Chưa'
          : e.value
            ? 'Yes'
            : 'Not yet'
        : num(e.value, lang);
    rows.push(
      [
        e.indicator,
        lang === 'en' ? (e.name.en ?? e.name.vi) : e.name.vi,
        e.layer,
        e.group,
        e.subgroup,
        e.unitLabel ?? e.unit,
        card.period.label,
        scopeText(card.scope, lang),
        value,
        num(e.numerator, lang),
        num(e.denominator, lang),
        e.target?.text ?? '',
        STATUS[lang][e.status],
        num(e.achievement, lang),
        e.band === null ? '' : String(e.band),
        num(e.progress, lang),
        TREND[lang][e.trend.direction],
        BASIS[lang][e.basis],
      ]
        .map(cell)
        .join(sep),
    );
  }
  return '\uFEFF' + rows.join('\r\n') + '\r\n';
}

/** An NGSI-LD Property. */
interface Property<T> {
  readonly type: 'Property';
  readonly value: T;
}

/** A FIWARE Smart Data Models `KeyPerformanceIndicator` entity (NGSI-LD, normalized). */
export interface FiwareKpiEntity {
  readonly id: string;
  readonly type: 'KeyPerformanceIndicator';
  readonly '@context': readonly string[];
  readonly name: Property<string>;
  readonly alternateName?: Property<string>;
  readonly description?: Property<string>;
  readonly category: Property<readonly string[]>;
  readonly kpiValue: Property<number | boolean>;
  readonly calculationPeriod: Property<{ readonly from: string; readonly to: string }>;
  readonly calculationFrequency?: Property<string>;
  readonly calculationMethod: Property<'manual' | 'automatic' | 'semiautomatic'>;
  readonly calculationFormula?: Property<string>;
  readonly currentStanding: Property<'veryGood' | 'good' | 'fair' | 'bad' | 'veryBad'>;
  readonly businessTarget?: Property<string>;
  readonly organization?: Property<{ readonly name: string }>;
  readonly provider?: Property<{ readonly name: string }>;
  readonly area?: Property<string>;
  readonly process: Property<string>;
  readonly dateModified?: Property<{ readonly '@type': 'DateTime'; readonly '@value': string }>;
}

export interface FiwareOptions {
  /** Issuing organisation, e.g. `UBND tỉnh Bắc Giang`. */
  readonly organization?: string;
  /** System that produced the values. */
  readonly provider?: string;
  /** Calculation method of the values; default `semiautomatic`. */
  readonly calculationMethod?: 'manual' | 'automatic' | 'semiautomatic';
  /** `dateModified`, ISO 8601. */
  readonly modifiedAt?: string;
  /** JSON-LD contexts; default the Smart Data Models KPI context and the NGSI-LD core context. */
  readonly context?: readonly string[];
}

const DEFAULT_CONTEXT = [
  'https://raw.githubusercontent.com/smart-data-models/dataModel.KeyPerformanceIndicator/master/context.jsonld',
  'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld',
];

function standing(achievementPct: number): FiwareKpiEntity['currentStanding']['value'] {
  if (achievementPct >= 95) return 'veryGood';
  if (achievementPct >= 66) return 'good';
  if (achievementPct >= 33) return 'fair';
  if (achievementPct >= 10) return 'bad';
  return 'veryBad';
}

function frequency(card: Scorecard): string | undefined {
  const range: PeriodRange = {
    kind: card.period.kind,
    label: card.period.label,
    start: Date.parse(card.period.start),
    end: Date.parse(card.period.end),
  };
  const f = periodFrequency(range);
  return f === 'other' ? undefined : f;
}

/**
 * Evaluated indicators as FIWARE `KeyPerformanceIndicator` NGSI-LD entities, one per indicator
 * with a value (indicators without data are left out: the model has no "no data" value). The
 * target goes to `businessTarget` as text, as the model has no numeric target.
 */
export function scorecardToFiware(card: Scorecard, options: FiwareOptions = {}): FiwareKpiEntity[] {
  const scopeId =
    card.scope.level === 'department'
      ? `department-${card.scope.department ?? ''}`
      : `${card.scope.level}-${card.scope.adminUnitCode ?? 'all'}`;
  const freq = frequency(card);
  const out: FiwareKpiEntity[] = [];
  for (const e of card.indicators) {
    if (e.value === null) continue;
    const ach = e.achievement ?? (e.status === 'met' ? 100 : 0);
    out.push({
      id: `urn:ngsi-ld:KeyPerformanceIndicator:${card.profile.id}:${e.indicator}:${scopeId}:${card.period.label.replace(/[/:+]/g, '_')}`,
      type: 'KeyPerformanceIndicator',
      '@context': options.context ?? DEFAULT_CONTEXT,
      name: { type: 'Property', value: e.name.vi },
      ...(e.name.en !== undefined ? { alternateName: { type: 'Property' as const, value: e.name.en } } : {}),
      category: { type: 'Property', value: [e.unit === 'boolean' ? 'qualitative' : 'quantitative'] },
      kpiValue: { type: 'Property', value: e.value },
      calculationPeriod: { type: 'Property', value: { from: card.period.start, to: card.period.end } },
      ...(freq !== undefined ? { calculationFrequency: { type: 'Property' as const, value: freq } } : {}),
      calculationMethod: { type: 'Property', value: options.calculationMethod ?? 'semiautomatic' },
      ...(e.numerator !== undefined && e.denominator !== undefined
        ? {
            calculationFormula: {
              type: 'Property' as const,
              value: `${e.numerator} / ${e.denominator}${e.unit === 'percent' ? ' × 100' : ''}`,
            },
          }
        : {}),
      currentStanding: { type: 'Property', value: standing(ach) },
      ...(e.target !== null ? { businessTarget: { type: 'Property' as const, value: e.target.text } } : {}),
      ...(options.organization !== undefined
        ? { organization: { type: 'Property' as const, value: { name: options.organization } } }
        : {}),
      ...(options.provider !== undefined
        ? { provider: { type: 'Property' as const, value: { name: options.provider } } }
        : {}),
      ...(card.scope.adminUnitCode !== undefined
        ? { area: { type: 'Property' as const, value: card.scope.adminUnitCode } }
        : {}),
      process: { type: 'Property', value: `${card.profile.id}/${e.subgroup}` },
      ...(options.modifiedAt !== undefined
        ? {
            dateModified: {
              type: 'Property' as const,
              value: { '@type': 'DateTime' as const, '@value': options.modifiedAt },
            },
          }
        : {}),
    });
  }
  return out;
}

/** Text in Vietnamese, and in English where a translation exists. */
export interface LocalizedText {
  readonly vi: string;
  readonly en?: string;
}

/** Vietnamese and English, both present: messages produced by this package. */
export interface Message {
  readonly vi: string;
  readonly en: string;
}

/** How an indicator's value is expressed. */
export type Unit = 'percent' | 'boolean' | 'count' | 'count-per-area' | 'index' | 'quantity';
export type ValueType = 'number' | 'boolean';
/** Which way is better: a higher value, a lower value, or a value inside a band (set by the target). */
export type Direction = 'higher-better' | 'lower-better' | 'band';
export type Frequency = 'monthly' | 'quarterly' | 'yearly';

export interface SourceDocument {
  readonly id: string;
  readonly title: LocalizedText;
  readonly issuer?: string;
  readonly date?: string;
  readonly url?: string;
}

/** Where a definition comes from: a document, and optionally its table and row. */
export interface SourceRef {
  readonly document: string;
  readonly table?: string;
  readonly row?: number;
  readonly page?: number;
}

export interface RatioTerm {
  readonly name: LocalizedText;
  readonly unitLabel?: string;
}

/** How another source table writes an indicator; a profile may select it. */
export interface IndicatorAlias {
  readonly id: string;
  readonly source: SourceRef;
  readonly name?: LocalizedText;
  readonly unit?: Unit;
  readonly unitLabel?: string;
  readonly subgroup?: string;
  readonly note?: LocalizedText;
}

export interface Indicator {
  readonly code: string;
  readonly name: LocalizedText;
  readonly description?: LocalizedText;
  readonly unit: Unit;
  readonly unitLabel?: string;
  readonly valueType: ValueType;
  readonly direction: Direction;
  readonly sector?: string;
  readonly numerator?: RatioTerm;
  readonly denominator?: RatioTerm;
  readonly formula?: LocalizedText;
  readonly frequency?: Frequency;
  readonly sources?: readonly SourceRef[];
  readonly aliases?: readonly IndicatorAlias[];
  readonly notes?: LocalizedText;
}

export interface Subgroup {
  readonly code: string;
  readonly name: LocalizedText;
  readonly sources?: readonly SourceRef[];
  readonly notes?: LocalizedText;
  readonly indicators: readonly Indicator[];
}

export interface Group {
  readonly code: string;
  readonly name: LocalizedText;
  readonly notes?: LocalizedText;
  readonly subgroups: readonly Subgroup[];
}

export interface Layer {
  readonly code: string;
  readonly name: LocalizedText;
  readonly groups: readonly Group[];
}

/** A KPI framework as data (`specs/schemas/kpi-catalogue.schema.json`). */
export interface Catalogue {
  readonly id: string;
  readonly version: string;
  readonly name: LocalizedText;
  readonly description?: LocalizedText;
  readonly documents: readonly SourceDocument[];
  readonly source?: SourceRef;
  readonly layers: readonly Layer[];
}

/** Administrative level of a value or an area. */
export type ScopeLevel = 'province' | 'district' | 'department';

/** Who or where a value is about. */
export interface Scope {
  readonly level: ScopeLevel;
  /** Administrative-unit code: province 2 digits (Bắc Giang 24), district 3 digits. */
  readonly adminUnitCode?: string;
  readonly department?: string;
}

/** A reporting period: a year, a quarter, a month, or an ISO 8601 interval. */
export type Period =
  | { readonly year: number }
  | { readonly year: number; readonly quarter: number }
  | { readonly year: number; readonly month: number }
  | { readonly interval: string };

/** A value as a source table writes it: a number or yes/no, or a state with no value. */
export type TableValue =
  | { readonly value: number | boolean; readonly text?: string }
  | {
      /** `no-data`: not yet determined (Chưa xác định). `not-deployed`: not yet deployed (Chưa triển khai), a known zero. */
      readonly state: 'no-data' | 'not-deployed';
      readonly text?: string;
    };

/** A target: =, ≥, ≤, between, or yes/no. */
export type Goal =
  | { readonly op: 'eq' | 'gte' | 'lte'; readonly value: number; readonly text?: string }
  | { readonly op: 'between'; readonly min: number; readonly max: number; readonly text?: string }
  | { readonly op: 'yes' | 'no'; readonly text?: string };

export interface ProfileTarget {
  readonly indicator: string;
  readonly row?: number;
  readonly current?: TableValue;
  readonly reference2020?: TableValue;
  /** Value progress is measured from; defaults to `current`. */
  readonly baseline?: TableValue;
  readonly target: Goal;
  readonly unitText?: string;
  readonly weight?: number;
  readonly dueAfterDays?: number;
  readonly notApplicable?: boolean;
}

export interface ProfileIndicator extends Indicator {
  /** Subgroup of the catalogue (or of the profile's `subgroups`) the indicator belongs to. */
  readonly subgroup: string;
}

export interface ProfileSubgroup {
  readonly code: string;
  readonly name: LocalizedText;
  readonly group: string;
}

export interface ProfileArea extends Scope {
  readonly name?: LocalizedText;
}

export interface Subarea {
  readonly adminUnitCode: string;
  readonly name: LocalizedText;
  readonly areaKm2?: number;
}

/** Targets and extra indicators over a catalogue (`specs/schemas/kpi-profile.schema.json`). */
export interface Profile {
  readonly id: string;
  readonly version: string;
  readonly name: LocalizedText;
  readonly description?: LocalizedText;
  readonly catalogue: string;
  readonly extends?: string;
  readonly illustrative?: boolean;
  readonly documents?: readonly SourceDocument[];
  readonly source?: SourceRef;
  readonly area?: ProfileArea;
  readonly subareas?: readonly Subarea[];
  readonly targetPeriod: Period;
  readonly columns?: {
    readonly current?: LocalizedText;
    readonly reference2020?: LocalizedText;
    readonly target?: LocalizedText;
  };
  readonly indicators?: readonly ProfileIndicator[];
  readonly subgroups?: readonly ProfileSubgroup[];
  /** Indicator code → alias id to use instead of the catalogue's primary definition. */
  readonly aliases?: Readonly<Record<string, string>>;
  readonly targets: readonly ProfileTarget[];
}

export { KpiError, isKpiError } from './errors.js';
export { VERSION } from './version.js';
export {
  POLLUTANTS,
  VN_AQI_BANDS,
  VN_AQI_BREAKPOINTS,
  aqiBand,
  dailyAqi,
  hourlyAqi,
  nowCast,
  subIndex,
} from './aqi/vn-aqi.js';
export type {
  AqiBand,
  AqiResult,
  DailyAqiInput,
  DailyAqiOptions,
  HourlyAqiInput,
  Maybe,
  O3Column,
  Pollutant,
  SubIndex,
} from './aqi/vn-aqi.js';
export type * from './catalogue/types.js';
export {
  BAC_GIANG_2025,
  HEALTH_SECTOR_EXAMPLE,
  VN_SMART_CITY_2025,
  listIndicators,
  resolveProfile,
  validateCatalogue,
} from './catalogue/catalogue.js';
export type { ResolveOptions, ResolvedIndicator, ResolvedProfile, TreeNode } from './catalogue/catalogue.js';
export { KpiSchemas, toIssues } from './schema.js';
export type { IssueCode, SchemaName, ValidationIssue } from './schema.js';
export {
  VIETNAM_ZONE,
  formatInstant,
  periodFrequency,
  periodLabel,
  periodRange,
  previousPeriod,
} from './observations/period.js';
export type { PeriodKind, PeriodRange } from './observations/period.js';
export {
  BatchDuplicates,
  ObservationValidator,
  observationKey,
  scopeKey,
} from './observations/observation.js';
export type {
  BatchResult,
  Observation,
  ObservationValidatorOptions,
  QualityFlag,
  ValidationResult,
} from './observations/observation.js';
export {
  achievement,
  achievementBand,
  baselineNumber,
  goalText,
  meetsGoal,
  progress,
} from './evaluation/goal.js';
export type { AchievementBand } from './evaluation/goal.js';
export { evaluateProfile } from './evaluation/evaluate.js';
export type {
  EvaluateOptions,
  EvaluationStatus,
  IndicatorEvaluation,
  RollUp,
  Scorecard,
  Trend,
  TrendDirection,
  TrendPoint,
} from './evaluation/evaluate.js';
export { acknowledgeAlert, deriveAlerts, deriveThresholdAlert, resolveAlert } from './alerts/alerts.js';
export type {
  AlertChange,
  AlertChangeType,
  AlertKind,
  AlertPolicy,
  AlertSeverity,
  AlertState,
  DeriveAlertsInput,
  DeriveAlertsResult,
  KpiAlert,
  Threshold,
  ThresholdInput,
  TransitionInput,
} from './alerts/alerts.js';
export { scorecardToCsv, scorecardToFiware } from './export/export.js';
export type { CsvOptions, FiwareKpiEntity, FiwareOptions, Language } from './export/export.js';
export {
  VN_WQI_BANDS,
  VN_WQI_BREAKPOINTS,
  VN_WQI_PESTICIDE_LIMITS,
  WQI_GROUPS,
  doSaturation,
  vnWqi,
  wqiBand,
} from './wqi/vn-wqi.js';
export type {
  WqiAggregation,
  WqiBand,
  WqiGroup,
  WqiOptions,
  WqiParameter,
  WqiResult,
  WqiSample,
} from './wqi/vn-wqi.js';

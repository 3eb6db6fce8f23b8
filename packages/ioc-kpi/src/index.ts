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

export { KpiError, isKpiError } from './errors.js';
export { VERSION } from './version.js';

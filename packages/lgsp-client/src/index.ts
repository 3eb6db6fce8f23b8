export { LgspError, isLgspError } from './errors.js';
export { VERSION } from './version.js';

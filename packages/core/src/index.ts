export { DttmError, errorGuard, isDttmError } from './errors.js';
export type { DttmErrorJSON, DttmErrorOptions } from './errors.js';
export { REDACTED, isSecretKey, redactSecrets, redactUrl } from './redact.js';
export { VERSION } from './version.js';

export { DttmError, errorGuard, isDttmError } from './errors.js';
export type { DttmErrorJSON, DttmErrorOptions } from './errors.js';
export { REDACTED, isSecretKey, redactSecrets, redactUrl } from './redact.js';
export { VERSION } from './version.js';
export {
  DEFAULT_XML_GUARD_LIMITS,
  XmlSecurityError,
  createXmlGuard,
  isXmlSecurityError,
  scanXml,
  type XmlGuard,
  type XmlGuardLimits,
  type XmlGuardSummary,
  type XmlSecurityCode,
} from './xml-guard.js';

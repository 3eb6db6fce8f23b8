export { Hl7Error, isHl7Error } from './errors.js';
export { VERSION } from './version.js';

export { SignatureError, isSignatureError } from './errors.js';
export { VERSION } from './version.js';

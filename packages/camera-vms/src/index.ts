export { CameraError, isCameraError } from './errors.js';
export { VERSION } from './version.js';

import { DttmError, errorGuard, type DttmErrorOptions } from '@dttm/core';

/**
 * The one error class thrown by `@dttm/camera-vms`. Match on `code` (stable, listed in the
 * README) or use `isCameraError`, which works across realms and duplicated installs.
 */
export class CameraError<Code extends string = string> extends DttmError<Code> {
  override readonly name = 'CameraError';

  constructor(code: Code, message: string, options?: DttmErrorOptions) {
    super(code, message, options);
  }
}

/** True when `value` is a {@link CameraError}, even one created by another copy of this package. */
export const isCameraError = errorGuard<CameraError>('CameraError');

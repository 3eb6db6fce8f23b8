import { DttmError, errorGuard, type DttmErrorOptions } from '@dttm/core';

/**
 * The one error class thrown by `@dttm/lgsp-client`. Match on `code` (stable, listed in the
 * README) or use `isLgspError`, which works across realms and duplicated installs.
 */
export class LgspError<Code extends string = string> extends DttmError<Code> {
  override readonly name = 'LgspError';

  constructor(code: Code, message: string, options?: DttmErrorOptions) {
    super(code, message, options);
  }
}

/** True when `value` is a {@link LgspError}, even one created by another copy of this package. */
export const isLgspError = errorGuard<LgspError>('LgspError');

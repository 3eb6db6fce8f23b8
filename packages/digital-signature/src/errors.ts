import { DttmError, errorGuard, type DttmErrorOptions } from '@dttm/core';

/**
 * The one error class thrown by `@dttm/digital-signature`. Match on `code` (stable, listed in the
 * README) or use `isSignatureError`, which works across realms and duplicated installs.
 */
export class SignatureError<Code extends string = string> extends DttmError<Code> {
  override readonly name = 'SignatureError';

  constructor(code: Code, message: string, options?: DttmErrorOptions) {
    super(code, message, options);
  }
}

/** True when `value` is a {@link SignatureError}, even one created by another copy of this package. */
export const isSignatureError = errorGuard<SignatureError>('SignatureError');

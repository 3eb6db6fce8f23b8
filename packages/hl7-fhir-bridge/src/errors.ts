import { DttmError, errorGuard, type DttmErrorOptions } from '@dttm/core';

/**
 * The one error class thrown by `@dttm/hl7-fhir-bridge`. Match on `code` (stable, listed in the
 * README) or use `isHl7Error`, which works across realms and duplicated installs.
 */
export class Hl7Error<Code extends string = string> extends DttmError<Code> {
  override readonly name = 'Hl7Error';

  constructor(code: Code, message: string, options?: DttmErrorOptions) {
    super(code, message, options);
  }
}

/** True when `value` is a {@link Hl7Error}, even one created by another copy of this package. */
export const isHl7Error = errorGuard<Hl7Error>('Hl7Error');

import { DttmError, errorGuard, type DttmErrorOptions } from '@dttm/core';

/**
 * The one error class thrown by `@dttm/ioc-kpi`. Match on `code` (stable, listed in the
 * README) or use `isKpiError`, which works across realms and duplicated installs.
 */
export class KpiError<Code extends string = string> extends DttmError<Code> {
  override readonly name = 'KpiError';

  constructor(code: Code, message: string, options?: DttmErrorOptions) {
    super(code, message, options);
  }
}

/** True when `value` is a {@link KpiError}, even one created by another copy of this package. */
export const isKpiError = errorGuard<KpiError>('KpiError');

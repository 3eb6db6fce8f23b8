import { DttmError, errorGuard, type DttmErrorOptions } from '@dttm/core';

/**
 * Stable codes of {@link CameraError} (each one is documented in the README's error table):
 * - `INVALID_ARGUMENT`: a caller-supplied value is out of range or malformed (PTZ speed, token, URL).
 * - `XML_FORBIDDEN`: a device sent XML with a DTD, an entity declaration or XInclude.
 * - `XML_LIMIT_EXCEEDED`: a device sent XML larger or deeper than the configured limits.
 * - `XML_MALFORMED`: a device sent XML that is not well formed.
 * - `RESPONSE_INVALID`: a well-formed response lacks a required element (the message names its path).
 * - `SOAP_FAULT`: the device answered with a SOAP fault (`details.subcode`, `details.reason`).
 * - `AUTH_FAILED`: credentials were rejected, even after re-measuring the device clock.
 * - `HTTP_ERROR`: an unexpected HTTP status, or a Milestone command answered with a failure status.
 * - `NETWORK`: the device could not be reached or the connection dropped (retryable).
 * - `TIMEOUT`: the device did not answer within the timeout (retryable).
 * - `ABORTED`: the caller's `AbortSignal` fired.
 * - `NOT_SUPPORTED`: the device does not advertise the service or feature asked for.
 * - `CLOSED`: the client or the event subscription was closed.
 * - `PLATE_INVALID`: a string is not a Vietnamese licence plate (from `parseVietnamesePlate` with `strict`).
 * - `EVENT_INVALID`: a vendor event payload or message (JSON) is malformed, too large, or lacks required fields.
 */
export type CameraErrorCode =
  | 'INVALID_ARGUMENT'
  | 'XML_FORBIDDEN'
  | 'XML_LIMIT_EXCEEDED'
  | 'XML_MALFORMED'
  | 'RESPONSE_INVALID'
  | 'SOAP_FAULT'
  | 'AUTH_FAILED'
  | 'HTTP_ERROR'
  | 'NETWORK'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'NOT_SUPPORTED'
  | 'CLOSED'
  | 'PLATE_INVALID'
  | 'EVENT_INVALID';

/**
 * The one error class thrown by `@dttm/camera-vms`. Match on `code` (stable, listed in the
 * README) or use `isCameraError`, which works across realms and duplicated installs.
 */
export class CameraError<Code extends CameraErrorCode = CameraErrorCode> extends DttmError<Code> {
  override readonly name = 'CameraError';

  constructor(code: Code, message: string, options?: DttmErrorOptions) {
    super(code, message, options);
  }
}

/** True when `value` is a {@link CameraError}, even one created by another copy of this package. */
export const isCameraError = errorGuard<CameraError>('CameraError');

/** Bilingual message: English, then Vietnamese. */
export function msg(en: string, vi: string): string {
  return `${en} / ${vi}`;
}

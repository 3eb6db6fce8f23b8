import { DttmError, errorGuard, type DttmErrorOptions } from '@dttm/core';

/**
 * Stable codes of {@link LgspError}; each is documented in the README's error-code table.
 *
 * XML and edXML:
 * - `XML_UNSAFE`: the XML guard rejected the input (DTD, undeclared entity, XInclude, size or depth limit).
 * - `XML_MALFORMED`: the input is not well-formed XML or not UTF-8.
 * - `EDXML_NOT_EDXML`: well-formed XML, but not an edXML package (wrong root or namespace, no header).
 * - `EDXML_INVALID`: an edXML package breaks a rule (required field, format, length, code list).
 * - `EDXML_LIMIT_EXCEEDED`: an attachment or a field is larger than the configured limit.
 * - `AGENCY_CODE_INVALID`: an agency identifier (mã định danh) is not of the form `AAA.BB.CC.Lnn`.
 *
 * Transport and services:
 * - `CONFIG_INVALID`: an option is missing or contradictory.
 * - `NETWORK_ERROR`: the connection failed or was dropped (retryable).
 * - `TIMEOUT`: no answer within the configured time (retryable).
 * - `ABORTED`: the caller's `AbortSignal` fired.
 * - `CIRCUIT_OPEN`: the endpoint failed repeatedly; calls are refused until the cool-down ends (retryable).
 * - `AUTH_FAILED`: the token endpoint refused the credentials, or the service still answered 401 after one refresh.
 * - `HTTP_CLIENT_ERROR`: the service answered 4xx (not retried).
 * - `HTTP_SERVER_ERROR`: the service answered 5xx after all retries (retryable).
 * - `SOAP_FAULT`: the service answered a SOAP fault.
 * - `RESPONSE_INVALID`: the response body is not the expected JSON or SOAP.
 *
 * Document exchange:
 * - `AXIS_REJECTED`: the document axis answered, but its result status is an error description.
 * - `SIGNATURE_INVALID`: the signature-verification hook reported a received package as not valid.
 * - `STORE_FAILED`: an outbox or inbox store could not be read or written (or is corrupt before its last line).
 * - `CLOSED`: the outbox or inbox was used after `close()`.
 *
 * Public-service portal:
 * - `DATE_INVALID`: a portal date is not a possible `yyyyMMddHHmmss` instant (names the field).
 * - `PORTAL_REJECTED`: the portal answered, but its result code is an error (names the service).
 * - `DOSSIER_INVALID`: a dossier or progress payload is missing a required field (names it).
 */
export type LgspErrorCode =
  | 'XML_UNSAFE'
  | 'XML_MALFORMED'
  | 'EDXML_NOT_EDXML'
  | 'EDXML_INVALID'
  | 'EDXML_LIMIT_EXCEEDED'
  | 'AGENCY_CODE_INVALID'
  | 'CONFIG_INVALID'
  | 'NETWORK_ERROR'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'CIRCUIT_OPEN'
  | 'AUTH_FAILED'
  | 'HTTP_CLIENT_ERROR'
  | 'HTTP_SERVER_ERROR'
  | 'SOAP_FAULT'
  | 'RESPONSE_INVALID'
  | 'AXIS_REJECTED'
  | 'SIGNATURE_INVALID'
  | 'STORE_FAILED'
  | 'CLOSED'
  | 'DATE_INVALID'
  | 'PORTAL_REJECTED'
  | 'DOSSIER_INVALID';

/**
 * The one error class thrown by `@dttm/lgsp-client`. Match on `code` (stable, listed in the
 * README) or use `isLgspError`, which works across realms and duplicated installs.
 */
export class LgspError<Code extends LgspErrorCode = LgspErrorCode> extends DttmError<Code> {
  override readonly name = 'LgspError';

  constructor(code: Code, message: string, options?: DttmErrorOptions) {
    super(code, message, options);
  }
}

/** True when `value` is a {@link LgspError}, even one created by another copy of this package. */
export const isLgspError = errorGuard<LgspError>('LgspError');

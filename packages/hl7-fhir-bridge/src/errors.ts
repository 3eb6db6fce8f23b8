import { DttmError, errorGuard, type DttmErrorOptions } from '@dttm/core';

/**
 * Stable codes of {@link Hl7Error}; each one is documented in the README's error table.
 *
 * ER7 parsing and access:
 * - `NO_MSH`: the input does not start with an `MSH` (or `FHS`/`BHS` for a batch) segment.
 * - `BAD_DELIMITERS`: MSH-1/MSH-2 do not define a usable set of distinct delimiters.
 * - `BAD_SEGMENT`: a segment name is not three upper-case letters/digits (the message names it and its offset).
 * - `BINARY_CONTENT`: the message contains control bytes (NUL, ...) that ER7 never carries.
 * - `TOO_LARGE`: the message exceeds `maxBytes` or `maxSegments`.
 * - `CHARSET_UNSUPPORTED`: MSH-18 names a character set that cannot be decoded.
 * - `BAD_BATCH`: batch envelope (FHS/BHS/BTS/FTS) out of order, or a trailer count disagrees.
 * - `BAD_PATH`: a path such as `PID-3[2].1` is malformed.
 * - `UNSUPPORTED_MESSAGE_TYPE`: the receiver does not accept this MSH-9 type, or it has no FHIR mapping.
 * - `UNKNOWN_SENDER`: a receiver's `validate` refuses the sending facility (MSH-4) or its source address.
 * - `MISSING_FIELD`: a field required for the operation (MSH-9, MSH-10, MSH-12; PID-3, OBR-4… for
 *   the FHIR mapping) is empty.
 * - `MISSING_SEGMENT`: a segment the FHIR mapping needs (PID, OBR, SCH, TXA, RXA…) is absent.
 * - `BAD_TIMESTAMP`: a DTM/TS value is malformed or out of range.
 * - `TIMESTAMP_PRECISION`: a timestamp is too imprecise for the requested FHIR type (instant needs seconds).
 *
 * MLLP transport:
 * - `MLLP_FRAMING`: bytes outside a VT … FS CR frame, or a frame without an end.
 * - `MLLP_TRUNCATED`: the connection closed in the middle of a frame.
 * - `MLLP_TOO_LARGE`: a frame exceeds `maxMessageBytes`.
 * - `MLLP_TIMEOUT`: no ACK, or no bytes, within the configured time (retryable).
 * - `MLLP_CLOSED`: the connection or the server closed before the operation ended (retryable).
 * - `MLLP_NETWORK`: the peer could not be reached or the socket failed (retryable).
 * - `MLLP_NACK`: the receiver answered AE/AR/CE/CR (`details.ackCode`; retryable for AR and CE).
 * - `STORE_FAILED`: the message store could not durably accept a message (retryable).
 * - `ABORTED`: the caller's `AbortSignal` fired.
 *
 * FHIR client and outbox (`details.status` and `details.issues`, the OperationOutcome issues, when the
 * server sent them):
 * - `FHIR_REJECTED`: the server answered 4xx other than 401/403/412 (invalid resource or bundle; permanent).
 * - `FHIR_UNAUTHORIZED`: 401 or 403 (check the bearer token).
 * - `FHIR_PRECONDITION`: 412, a conditional request matched several resources.
 * - `FHIR_SERVER_ERROR`: 5xx or 429 (retryable).
 * - `FHIR_NETWORK`: the server could not be reached or the connection dropped (retryable).
 * - `FHIR_TIMEOUT`: no complete answer within `timeoutMs` (retryable).
 * - `FHIR_BAD_RESPONSE`: the answer is not the FHIR JSON expected (retryable).
 * - `FHIR_CAPABILITY`: the CapabilityStatement is not FHIR R4 or lacks an interaction the bridge needs.
 * - `OUTBOX_CLOSED`: the outbox was closed.
 */
export type Hl7ErrorCode =
  | 'NO_MSH'
  | 'BAD_DELIMITERS'
  | 'BAD_SEGMENT'
  | 'BINARY_CONTENT'
  | 'TOO_LARGE'
  | 'CHARSET_UNSUPPORTED'
  | 'BAD_BATCH'
  | 'BAD_PATH'
  | 'MISSING_FIELD'
  | 'MISSING_SEGMENT'
  | 'UNSUPPORTED_MESSAGE_TYPE'
  | 'UNKNOWN_SENDER'
  | 'BAD_TIMESTAMP'
  | 'TIMESTAMP_PRECISION'
  | 'MLLP_FRAMING'
  | 'MLLP_TRUNCATED'
  | 'MLLP_TOO_LARGE'
  | 'MLLP_TIMEOUT'
  | 'MLLP_CLOSED'
  | 'MLLP_NETWORK'
  | 'MLLP_NACK'
  | 'STORE_FAILED'
  | 'ABORTED'
  | 'FHIR_REJECTED'
  | 'FHIR_UNAUTHORIZED'
  | 'FHIR_PRECONDITION'
  | 'FHIR_SERVER_ERROR'
  | 'FHIR_NETWORK'
  | 'FHIR_TIMEOUT'
  | 'FHIR_BAD_RESPONSE'
  | 'FHIR_CAPABILITY'
  | 'OUTBOX_CLOSED';

/**
 * The one error class thrown by `@dttm/hl7-fhir-bridge`. Match on `code` (stable, listed in the
 * README) or use `isHl7Error`, which works across realms and duplicated installs.
 */
export class Hl7Error<Code extends Hl7ErrorCode = Hl7ErrorCode> extends DttmError<Code> {
  override readonly name = 'Hl7Error';

  constructor(code: Code, message: string, options?: DttmErrorOptions) {
    super(code, message, options);
  }
}

/** True when `value` is a {@link Hl7Error}, even one created by another copy of this package. */
export const isHl7Error = errorGuard<Hl7Error>('Hl7Error');

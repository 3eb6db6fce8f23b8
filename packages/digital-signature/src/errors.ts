import { DttmError, errorGuard, type DttmErrorOptions } from '@dttm/core';

/**
 * Stable error codes of `@dttm/digital-signature` (documented in the README):
 *
 * - `SIG_DER_INVALID`: bytes are not valid DER (truncated, bad length, too deep, trailing data).
 * - `SIG_PEM_INVALID`: a PEM block is malformed or holds no usable object.
 * - `SIG_INPUT_TOO_LARGE`: input exceeds the configured size limit.
 * - `SIG_CERTIFICATE_INVALID`: a certificate is well-formed DER but not a valid X.509 structure.
 * - `SIG_CRL_INVALID`: a CRL is not a valid CertificateList.
 * - `SIG_OCSP_INVALID`: an OCSP response is not a valid OCSPResponse.
 * - `SIG_CMS_INVALID`: a CMS/PKCS#7 object is not a valid ContentInfo/SignedData.
 * - `SIG_PDF_INVALID`: the input is not a PDF file (no `%PDF-` header).
 * - `SIG_TIMESTAMP_INVALID`: an RFC 3161 timestamp token is not a valid TSTInfo token.
 * - `SIG_UNSUPPORTED_ALGORITHM`: a signature or digest algorithm is not supported.
 * - `SIG_DETACHED_CONTENT_MISSING`: a detached signature was verified without its content.
 * - `SIG_TRUST_ANCHOR_INVALID`: a supplied trust anchor is not a self-signed CA certificate.
 * - `SIG_FETCH_FAILED`: fetching AIA/CRL/OCSP data failed (network, HTTP status, timeout); retryable.
 * - `SIG_ABORTED`: the caller's `AbortSignal` fired.
 * - `SIG_CLI_USAGE`: `dttm-verify` was called with invalid arguments.
 * - `SIG_XML_INVALID`: an XML document is not well-formed UTF-8 XML, or an XML-DSig element is malformed.
 * - `SIG_XML_FORBIDDEN`: the XML guard refused the input (DTD, entity, XInclude, too deep, too large).
 * - `SIG_KEY_INVALID`: a signing key is unusable or does not match the signing certificate.
 */
export type SignatureErrorCode =
  | 'SIG_DER_INVALID'
  | 'SIG_PEM_INVALID'
  | 'SIG_INPUT_TOO_LARGE'
  | 'SIG_CERTIFICATE_INVALID'
  | 'SIG_CRL_INVALID'
  | 'SIG_OCSP_INVALID'
  | 'SIG_CMS_INVALID'
  | 'SIG_PDF_INVALID'
  | 'SIG_TIMESTAMP_INVALID'
  | 'SIG_UNSUPPORTED_ALGORITHM'
  | 'SIG_DETACHED_CONTENT_MISSING'
  | 'SIG_TRUST_ANCHOR_INVALID'
  | 'SIG_FETCH_FAILED'
  | 'SIG_ABORTED'
  | 'SIG_CLI_USAGE'
  | 'SIG_XML_INVALID'
  | 'SIG_XML_FORBIDDEN'
  | 'SIG_KEY_INVALID';

/**
 * The one error class thrown by `@dttm/digital-signature`. Match on `code` (stable, listed in the
 * README) or use `isSignatureError`, which works across realms and duplicated installs.
 */
export class SignatureError<Code extends SignatureErrorCode = SignatureErrorCode> extends DttmError<Code> {
  override readonly name = 'SignatureError';

  constructor(code: Code, message: string, options?: DttmErrorOptions) {
    super(code, message, options);
  }
}

/** True when `value` is a {@link SignatureError}, even one created by another copy of this package. */
export const isSignatureError = errorGuard<SignatureError>('SignatureError');

/** A user-facing message in Vietnamese and English. */
export interface LocalizedMessage {
  readonly vi: string;
  readonly en: string;
}

type Args = Readonly<Record<string, string | number>>;

const CATALOGUE = {
  FORMAT_OK: { vi: 'Cấu trúc chữ ký hợp lệ.', en: 'The signature structure is well-formed.' },
  FORMAT_FAILURE: {
    vi: 'Cấu trúc chữ ký không hợp lệ: {detail}',
    en: 'The signature structure is invalid: {detail}',
  },
  NO_SIGNER: { vi: 'Tệp không chứa chữ ký nào.', en: 'The file contains no signature.' },
  SIGNING_CERT_FOUND: {
    vi: 'Đã xác định chứng thư số của người ký.',
    en: 'The signing certificate was identified.',
  },
  SIGNING_CERT_MISSING: {
    vi: 'Không tìm thấy chứng thư số của người ký.',
    en: 'The signing certificate was not found.',
  },
  SIGNING_CERT_REF_MISMATCH: {
    vi: 'Thuộc tính signingCertificate không khớp với chứng thư số của người ký.',
    en: 'The signingCertificate attribute does not match the signing certificate.',
  },
  SIGNING_CERT_REF_ABSENT: {
    vi: 'Chữ ký không có thuộc tính signingCertificateV2.',
    en: 'The signature has no signingCertificateV2 attribute.',
  },
  SIGNING_CERT_REF_OK: {
    vi: 'Thuộc tính signingCertificate khớp với chứng thư số của người ký.',
    en: 'The signingCertificate attribute matches the signing certificate.',
  },
  CONTENT_MISSING: {
    vi: 'Thiếu dữ liệu đã ký (chữ ký tách rời cần có tệp gốc).',
    en: 'The signed data is missing (a detached signature needs the original file).',
  },
  CONTENT_TYPE_MISMATCH: {
    vi: 'Thuộc tính contentType không khớp với loại nội dung.',
    en: 'The contentType attribute does not match the content type.',
  },
  HASH_OK: { vi: 'Giá trị băm của dữ liệu khớp với chữ ký.', en: 'The data digest matches the signature.' },
  HASH_FAILURE: {
    vi: 'Dữ liệu đã bị thay đổi sau khi ký (giá trị băm không khớp).',
    en: 'The data was changed after signing (digest mismatch).',
  },
  SIG_OK: {
    vi: 'Chữ ký số đúng với khóa công khai của người ký.',
    en: "The signature verifies with the signer's public key.",
  },
  SIG_CRYPTO_FAILURE: {
    vi: 'Chữ ký số không khớp với khóa công khai của người ký.',
    en: "The signature does not verify with the signer's public key.",
  },
  ALGORITHM_UNSUPPORTED: {
    vi: 'Thuật toán không được hỗ trợ: {detail}',
    en: 'Unsupported algorithm: {detail}',
  },
  CHAIN_OK: {
    vi: 'Đã xây dựng chuỗi chứng thư đến gốc tin cậy "{anchor}".',
    en: 'A certificate chain to the trust anchor "{anchor}" was built.',
  },
  NO_CHAIN: {
    vi: 'Không xây dựng được chuỗi chứng thư đến một gốc tin cậy.',
    en: 'No certificate chain to a trust anchor could be built.',
  },
  CHAIN_CONSTRAINT: {
    vi: 'Chứng thư thứ {index} trong chuỗi vi phạm ràng buộc: {detail}',
    en: 'Certificate {index} of the chain violates a constraint: {detail}',
  },
  SIGNER_KEY_USAGE: {
    vi: 'Chứng thư số của người ký không được phép dùng để ký: {detail}',
    en: 'The signing certificate is not allowed for signing: {detail}',
  },
  CERT_EXPIRED: {
    vi: 'Chứng thư số của người ký đã hết hạn ({date}) và không có bằng chứng chữ ký tồn tại trước đó.',
    en: 'The signing certificate expired ({date}) and there is no proof the signature existed before.',
  },
  SIGNED_AFTER_EXPIRY: {
    vi: 'Thời điểm ký ({time}) sau ngày hết hạn của chứng thư số ({date}).',
    en: 'The signing time ({time}) is after the certificate expired ({date}).',
  },
  SIGNED_BEFORE_VALIDITY: {
    vi: 'Thời điểm ký ({time}) trước ngày chứng thư số có hiệu lực ({date}).',
    en: 'The signing time ({time}) is before the certificate became valid ({date}).',
  },
  REVOCATION_GOOD: {
    vi: 'Chứng thư "{subject}" chưa bị thu hồi (theo {source}).',
    en: 'Certificate "{subject}" is not revoked (per {source}).',
  },
  REVOCATION_UNKNOWN: {
    vi: 'Không xác định được trạng thái thu hồi của chứng thư "{subject}".',
    en: 'The revocation status of certificate "{subject}" could not be determined.',
  },
  REVOKED_BEFORE_SIGNING: {
    vi: 'Chứng thư "{subject}" đã bị thu hồi ngày {date}, trước thời điểm ký.',
    en: 'Certificate "{subject}" was revoked on {date}, before the signing time.',
  },
  REVOKED_NO_POE: {
    vi: 'Chứng thư "{subject}" đã bị thu hồi ngày {date}; không có dấu thời gian chứng minh chữ ký có trước đó.',
    en: 'Certificate "{subject}" was revoked on {date}; no timestamp proves the signature existed before.',
  },
  REVOKED_AFTER_POE: {
    vi: 'Chứng thư "{subject}" bị thu hồi ngày {date}, sau thời điểm được dấu thời gian chứng minh.',
    en: 'Certificate "{subject}" was revoked on {date}, after the time proven by a timestamp.',
  },
  CRYPTO_CONSTRAINT: {
    vi: 'Thuật toán hoặc độ dài khóa không được chính sách chấp nhận: {detail}',
    en: 'Algorithm or key size not accepted by the policy: {detail}',
  },
  CRYPTO_OK: {
    vi: 'Thuật toán và độ dài khóa được chính sách chấp nhận.',
    en: 'Algorithms and key sizes are accepted by the policy.',
  },
  TIMESTAMP_OK: {
    vi: 'Dấu thời gian hợp lệ chứng minh chữ ký tồn tại lúc {time}.',
    en: 'A valid timestamp proves the signature existed at {time}.',
  },
  TIMESTAMP_INVALID: { vi: 'Dấu thời gian không hợp lệ: {detail}', en: 'Invalid timestamp: {detail}' },
  CLAIMED_TIME_ABSENT: {
    vi: 'Chữ ký không ghi thời điểm ký.',
    en: 'The signature does not state a signing time.',
  },
  PDF_BYTE_RANGE_OK: {
    vi: 'ByteRange bao phủ toàn bộ phiên bản đã ký, trừ giá trị chữ ký (/Contents).',
    en: 'The ByteRange covers the whole signed revision except the signature value (/Contents).',
  },
  PDF_BYTE_RANGE_INVALID: { vi: 'ByteRange không hợp lệ: {detail}', en: 'Invalid ByteRange: {detail}' },
  PDF_MODIFIED_AFTER_SIGNING: {
    vi: 'Tài liệu đã bị sửa đổi sau khi ký ({bytes} byte được thêm vào sau phiên bản đã ký).',
    en: 'The document was modified after signing ({bytes} bytes appended after the signed revision).',
  },
  PDF_LATER_REVISION_SIGNED: {
    vi: 'Các thay đổi sau chữ ký này đều được một chữ ký sau bao phủ.',
    en: 'Every change after this signature is covered by a later signature.',
  },
  PDF_CHANGES_ALLOWED: {
    vi: 'Sau khi ký, tài liệu có thay đổi được phép: {changes}.',
    en: 'The document was changed after signing in permitted ways: {changes}.',
  },
  PDF_CHANGES_NOT_ALLOWED: {
    vi: 'Tài liệu đã bị sửa đổi sau khi ký: {changes}{mdp}.',
    en: 'The document was modified after signing: {changes}{mdp}.',
  },
  PDF_CHANGES_NOTHING: {
    vi: 'Sau khi ký, {bytes} byte được thêm vào nhưng không đối tượng nào thay đổi.',
    en: '{bytes} bytes were appended after signing but no object changed.',
  },
  PDF_DOCMDP_CERTIFIED: {
    vi: 'Chữ ký chứng nhận (DocMDP mức {level}: {meaning}).',
    en: 'Certification signature (DocMDP level {level}: {meaning}).',
  },
  XML_REFERENCE_OK: {
    vi: 'Tham chiếu "{uri}" khớp giá trị băm ({covers}).',
    en: 'Reference "{uri}" matches its digest ({covers}).',
  },
  XML_REFERENCE_HASH_FAILURE: {
    vi: 'Dữ liệu được tham chiếu "{uri}" đã bị thay đổi sau khi ký (giá trị băm không khớp).',
    en: 'The data of reference "{uri}" was changed after signing (digest mismatch).',
  },
  XML_REFERENCE_NOT_FOUND: {
    vi: 'Không tìm thấy dữ liệu được ký của tham chiếu "{uri}": {detail}',
    en: 'The signed data of reference "{uri}" was not found: {detail}',
  },
  XML_REFERENCE_AMBIGUOUS: {
    vi: 'Nhiều phần tử mang cùng định danh được ký (dấu hiệu tấn công bọc chữ ký): {detail}',
    en: 'Several elements carry the signed Id (a sign of signature wrapping): {detail}',
  },
  XML_REFERENCE_UNSUPPORTED: {
    vi: 'Không xử lý được tham chiếu "{uri}": {detail}',
    en: 'Reference "{uri}" cannot be processed: {detail}',
  },
  XML_SCOPE_COVERED: {
    vi: 'Chữ ký bao phủ phần tử {path}.',
    en: 'The signature covers {path}.',
  },
  XML_SCOPE_NOT_COVERED: {
    vi: 'Chữ ký không bao phủ phần tử {path}: nội dung này không được chữ ký bảo đảm.',
    en: 'The signature does not cover {path}: its content is not protected by the signature.',
  },
  XML_SCOPE_MISSING: {
    vi: 'Tài liệu không có phần tử {path}.',
    en: 'The document has no {path} element.',
  },
  XML_SCOPE_AMBIGUOUS: {
    vi: 'Tài liệu có {count} phần tử {path} (phần tử bị nhân đôi, dấu hiệu tấn công bọc chữ ký).',
    en: 'The document has {count} {path} elements (a duplicated element, a sign of signature wrapping).',
  },
  XML_SIGNED_ELEMENT_MOVED: {
    vi: 'Phần tử được ký nằm ở {signed}, không phải ở {path} (dấu hiệu tấn công bọc chữ ký).',
    en: 'The signed element is at {signed}, not at {path} (a sign of signature wrapping).',
  },
  XML_SIGNATURE_LOCATION: {
    vi: 'Chữ ký nằm ở {path}, không phải trong {expected} như QCVN 102:2016 quy định.',
    en: 'The signature is at {path}, not in {expected} where QCVN 102:2016 places it.',
  },
  XML_ATTACHMENTS_NOT_COVERED: {
    vi: 'Chữ ký không bao phủ các tệp đính kèm ({path}).',
    en: 'The signature does not cover the attachments ({path}).',
  },
  VERDICT_PASSED: { vi: 'Chữ ký hợp lệ.', en: 'The signature is valid.' },
  VERDICT_FAILED: { vi: 'Chữ ký không hợp lệ.', en: 'The signature is not valid.' },
  VERDICT_INDETERMINATE: {
    vi: 'Chưa đủ căn cứ để kết luận chữ ký hợp lệ.',
    en: 'The signature could not be confirmed as valid.',
  },
} as const satisfies Record<string, LocalizedMessage>;

export type MessageId = keyof typeof CATALOGUE;

export function message(id: MessageId, args: Args = {}): LocalizedMessage {
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(args[k] ?? `{${k}}`));
  const m: LocalizedMessage = CATALOGUE[id];
  return { vi: fill(m.vi).normalize('NFC'), en: fill(m.en) };
}

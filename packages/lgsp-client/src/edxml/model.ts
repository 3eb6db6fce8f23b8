/** The edXML namespace of QCVN 102:2016/BTTTT. Always produced by the builder. */
export const EDXML_NAMESPACE = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';
/** The namespace older producers used by mistake: accepted on input, never produced. */
export const EDXML_LEGACY_NAMESPACE = 'http://www.go.vn/eDoc';

/** An agency in `From`, `To` and status packages. */
export interface EdxmlOrganization {
  /** Agency identifier (mã định danh), e.g. `000.00.00.G22`. */
  readonly organId: string;
  readonly organizationInCharge?: string;
  readonly organName?: string;
  readonly organAdd?: string;
  readonly email?: string;
  readonly telephone?: string;
  readonly fax?: string;
  readonly website?: string;
}

/** Số và ký hiệu văn bản. */
export interface EdxmlCode {
  readonly codeNumber: string;
  readonly codeNotation: string;
}

export interface EdxmlPromulgationInfo {
  readonly place?: string;
  /** `YYYY/MM/DD`. */
  readonly promulgationDate: string;
}

export interface EdxmlDocumentType {
  readonly type: string;
  readonly typeDetail?: string;
  readonly typeName?: string;
}

export interface EdxmlSignerInfo {
  readonly competence?: string;
  readonly position?: string;
  readonly fullName?: string;
}

export interface EdxmlOtherInfo {
  readonly priority?: string;
  readonly sphereOfPromulgation?: string;
  readonly typerNotation?: string;
  readonly promulgationAmount?: string;
  readonly pageAmount?: string;
  readonly direction?: string;
  readonly appendixes?: readonly string[];
}

/** The document a package answers (status packages) or responds to. */
export interface EdxmlResponseFor {
  readonly organId: string;
  readonly code?: string;
  /** `YYYY/MM/DD`. */
  readonly promulgationDate?: string;
  readonly documentId?: string;
}

export interface EdxmlMessageHeader {
  readonly from: EdxmlOrganization;
  readonly to: readonly EdxmlOrganization[];
  /** `OrganId,YYYY/MM/DD,Number/Notation`. */
  readonly documentId?: string;
  readonly code: EdxmlCode;
  readonly promulgationInfo: EdxmlPromulgationInfo;
  readonly documentType: EdxmlDocumentType;
  readonly subject: string;
  readonly content?: string;
  readonly signerInfo?: EdxmlSignerInfo;
  /** `YYYY/MM/DD`. */
  readonly dueDate?: string;
  readonly otherInfo?: EdxmlOtherInfo;
  readonly steeringType?: string;
  readonly toPlaces?: readonly string[];
  readonly responseFor?: readonly EdxmlResponseFor[];
}

export interface EdxmlTraceHeader {
  readonly organId: string;
  /** `yyyy/MM/dd HH:mm:ss`, Vietnam time (+07:00). */
  readonly timestamp: string;
}

/** BussinessDocType: 0 new, 1 revoke, 2 update, 3 replace. */
export type EdxmlBussinessDocType = 0 | 1 | 2 | 3;

export interface EdxmlStaffInfo {
  readonly department?: string;
  readonly staff?: string;
  readonly email?: string;
  readonly mobile?: string;
}

/**
 * An element kept as it was read, for parts of the package whose structure varies between
 * producers or that other components interpret (the XML-DSig `Signature`).
 */
export interface EdxmlRawElement {
  /** Local name. */
  readonly name: string;
  /** Namespace URI, when one is in scope. */
  readonly namespace?: string;
  /** Attributes by name as written (namespace declarations excluded). */
  readonly attributes: Readonly<Record<string, string>>;
  readonly text: string;
  readonly children: readonly EdxmlRawElement[];
}

export interface EdxmlBussiness {
  readonly bussinessDocType: EdxmlBussinessDocType;
  readonly bussinessDocReason?: string;
  readonly paper?: string;
  readonly staffInfo?: EdxmlStaffInfo;
  readonly replacementInfoList?: EdxmlRawElement;
  readonly bussinessDocumentInfo?: EdxmlRawElement;
}

export interface EdxmlTraceHeaderList {
  readonly traceHeaders: readonly EdxmlTraceHeader[];
  readonly bussiness?: EdxmlBussiness;
}

/** A manifest entry describing one attachment. */
export interface EdxmlReference {
  /** `cid:…` as written in the manifest. */
  readonly contentId: string;
  readonly contentType?: string;
  readonly description?: string;
  readonly attachmentName?: string;
}

/** An attachment with its decoded bytes. */
export interface EdxmlAttachment {
  /** Content id without the `cid:` prefix. */
  readonly contentId: string;
  readonly contentType?: string;
  readonly description?: string;
  readonly attachmentName: string;
  /** The decoded bytes (empty when a parse sent them to an `attachmentSink`). */
  readonly content: Uint8Array;
  /** Decoded size in bytes, set by a parse that sent the bytes to an `attachmentSink`. */
  readonly size?: number;
}

/** An attachment's description without its bytes. */
export type EdxmlAttachmentMeta = Omit<EdxmlAttachment, 'content' | 'size'>;

/** An attachment whose bytes may come from a stream, for `streamEdxml`. */
export interface EdxmlAttachmentInput extends EdxmlAttachmentMeta {
  readonly content: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
}

/** A document package (văn bản). */
export interface EdxmlDocument<A extends EdxmlAttachmentMeta = EdxmlAttachment> {
  readonly kind: 'edoc';
  readonly messageHeader: EdxmlMessageHeader;
  readonly traceHeaderList: EdxmlTraceHeaderList;
  /** The XML-DSig `Signature` (or `DigitalSignature`) element as read; written back unchanged. */
  readonly signature?: EdxmlRawElement;
  /** Manifest references; the builder derives them from the attachments when absent. */
  readonly manifest?: readonly EdxmlReference[];
  readonly attachments: readonly A[];
}

/**
 * Status codes of status packages. Known meanings: 01 received, 02 rejected, 03 accepted/registered,
 * 04 assigned, 05 in progress, 06 done, 13 sender recalls, 15 recipient agrees to the recall,
 * 16 recipient refuses the recall. Validation accepts the whole range 01–16.
 */
export type EdxmlStatusCode =
  | '01'
  | '02'
  | '03'
  | '04'
  | '05'
  | '06'
  | '07'
  | '08'
  | '09'
  | '10'
  | '11'
  | '12'
  | '13'
  | '14'
  | '15'
  | '16';

/** Meanings of the status codes used in the field (English / Vietnamese). */
export const EDXML_STATUS_MEANINGS: Readonly<Partial<Record<EdxmlStatusCode, string>>> = {
  '01': 'received / đã nhận',
  '02': 'rejected / từ chối tiếp nhận',
  '03': 'accepted, registered / đã tiếp nhận, vào sổ',
  '04': 'assigned / đã phân công',
  '05': 'in progress / đang xử lý',
  '06': 'done / hoàn thành',
  '13': 'sender recalls / bên gửi thu hồi',
  '15': 'recipient agrees to the recall / đồng ý thu hồi',
  '16': 'recipient refuses the recall / từ chối thu hồi',
};

export interface EdxmlStatus {
  readonly responseFor: EdxmlResponseFor;
  readonly from: EdxmlOrganization;
  readonly staffInfo?: EdxmlStaffInfo;
  readonly statusCode: EdxmlStatusCode;
  readonly description?: string;
  /** `yyyy/MM/dd HH:mm:ss`, Vietnam time (+07:00). */
  readonly timestamp: string;
}

/** A status package (trạng thái văn bản). */
export interface EdxmlStatusPackage {
  readonly kind: 'status';
  readonly status: EdxmlStatus;
  readonly signature?: EdxmlRawElement;
}

/** Either kind of edXML package. */
export type EdxmlPackage = EdxmlDocument | EdxmlStatusPackage;

/** What the parser noticed about the input beyond the model. */
export interface EdxmlSourceInfo {
  /** The edXML namespace found (the legacy one is reported as such). */
  readonly namespace: string | undefined;
  /** Bytes skipped before the first `<` (BOM, transport garbage). */
  readonly leadingBytes: number;
  /** Tolerated deviations, in English. */
  readonly warnings: readonly string[];
}

/** A parsed package with information about its source. */
export type ParsedEdxml = EdxmlPackage & { readonly source: EdxmlSourceInfo };

import type {
  EdxmlDocument,
  EdxmlAttachmentMeta,
  EdxmlOrganization,
  EdxmlStaffInfo,
  EdxmlStatusCode,
  EdxmlStatusPackage,
} from './model.js';
import { edxmlTimestamp } from './time.js';

/** Builds `OrganId,YYYY/MM/DD,Number/Notation`, the edXML `DocumentId`. */
export function edxmlDocumentId(
  organId: string,
  promulgationDate: string,
  codeNumber: string,
  codeNotation: string,
): string {
  return `${organId.trim()},${promulgationDate.trim()},${codeNumber.trim()}/${codeNotation.trim()}`;
}

/** What the recipient reports in {@link createStatusPackage}. */
export interface StatusReport {
  /** The agency reporting the status (usually the recipient). */
  readonly from: EdxmlOrganization;
  readonly statusCode: EdxmlStatusCode;
  readonly description?: string;
  readonly staffInfo?: EdxmlStaffInfo;
  /** When the status applies; default now. Written as Vietnam time. */
  readonly at?: Date | number;
}

/**
 * Builds the status package answering a received document: `ResponseFor` is taken from the document
 * (sender's OrganId, `Number/Notation`, promulgation date, DocumentId), the timestamp is Vietnam time.
 */
export function createStatusPackage(
  document: EdxmlDocument<EdxmlAttachmentMeta>,
  report: StatusReport,
): EdxmlStatusPackage {
  const h = document.messageHeader;
  const documentId =
    h.documentId ??
    edxmlDocumentId(
      h.from.organId,
      h.promulgationInfo.promulgationDate,
      h.code.codeNumber,
      h.code.codeNotation,
    );
  return {
    kind: 'status',
    status: {
      responseFor: {
        organId: h.from.organId,
        code: `${h.code.codeNumber}/${h.code.codeNotation}`,
        promulgationDate: h.promulgationInfo.promulgationDate,
        documentId,
      },
      from: report.from,
      ...(report.staffInfo === undefined ? {} : { staffInfo: report.staffInfo }),
      statusCode: report.statusCode,
      ...(report.description === undefined ? {} : { description: report.description }),
      timestamp: edxmlTimestamp(report.at ?? Date.now()),
    },
  };
}

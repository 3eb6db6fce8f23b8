import { LgspError } from '../errors.js';
import { isAgencyCode } from './agency.js';
import type {
  EdxmlAttachmentMeta,
  EdxmlDocument,
  EdxmlOrganization,
  EdxmlResponseFor,
  EdxmlStatusPackage,
} from './model.js';

/** Anything the validator accepts: a status package or a document whose attachments may be streams. */
export type EdxmlValidatable = EdxmlDocument<EdxmlAttachmentMeta> | EdxmlStatusPackage;

/** Which rule an issue breaks. */
export type EdxmlIssueRule = 'required' | 'format' | 'length' | 'code' | 'reference';

/** One problem found in a package. `path` names the element, e.g. `MessageHeader/To[2]/OrganId`. */
export interface EdxmlIssue {
  readonly path: string;
  readonly rule: EdxmlIssueRule;
  /** English / Vietnamese. */
  readonly message: string;
}

/** Field length limits used by validators in the field (characters). */
export const EDXML_LIMITS = { subject: 500, content: 500, place: 150, attachmentName: 200 } as const;

const DATE = /^(\d{4})\/(\d{2})\/(\d{2})$/;
const TIMESTAMP = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const DOCUMENT_ID = /^([^,]+),(\d{4}\/\d{2}\/\d{2}),([^,]+\/[^,]+)$/;
const STATUS_CODE = /^(0[1-9]|1[0-6])$/;

/** True for a real calendar date written `YYYY/MM/DD`. */
export function isEdxmlDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** True for `yyyy/MM/dd HH:mm:ss` with a real date and time. */
export function isEdxmlTimestamp(value: string): boolean {
  const m = TIMESTAMP.exec(value);
  if (!m) return false;
  return (
    isEdxmlDate(`${m[1]}/${m[2]}/${m[3]}`) && Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 60
  );
}

/** True for `OrganId,YYYY/MM/DD,Number/Notation` with a valid agency code and date. */
export function isEdxmlDocumentId(value: string): boolean {
  const m = DOCUMENT_ID.exec(value);
  return m !== null && isAgencyCode(m[1] as string) && isEdxmlDate(m[2] as string);
}

/** True for a status code in the range 01–16. */
export function isEdxmlStatusCode(value: string): boolean {
  return STATUS_CODE.test(value);
}

class Collector {
  readonly issues: EdxmlIssue[] = [];
  add(path: string, rule: EdxmlIssueRule, en: string, vi: string): void {
    this.issues.push({ path, rule, message: `${en} / ${vi}` });
  }
  required(path: string, value: string | undefined): value is string {
    if (value === undefined || value.trim() === '') {
      this.add(path, 'required', 'is required', 'bắt buộc');
      return false;
    }
    return true;
  }
  length(path: string, value: string | undefined, max: number): void {
    if (value !== undefined && [...value].length > max) {
      this.add(path, 'length', `is longer than ${max} characters`, `dài quá ${max} ký tự`);
    }
  }
  organId(path: string, value: string | undefined): void {
    if (this.required(path, value) && !isAgencyCode(value)) {
      this.add(
        path,
        'format',
        'is not an agency code AAA.BB.CC.Lnn',
        'không phải mã định danh AAA.BB.CC.Lnn',
      );
    }
  }
  date(path: string, value: string | undefined, required: boolean): void {
    if (required ? this.required(path, value) : value !== undefined && value !== '') {
      if (!isEdxmlDate(value as string))
        this.add(path, 'format', 'is not a date YYYY/MM/DD', 'không phải ngày YYYY/MM/DD');
    }
  }
  timestamp(path: string, value: string | undefined): void {
    if (this.required(path, value) && !isEdxmlTimestamp(value)) {
      this.add(
        path,
        'format',
        'is not a time yyyy/MM/dd HH:mm:ss',
        'không phải thời gian yyyy/MM/dd HH:mm:ss',
      );
    }
  }
  documentId(path: string, value: string | undefined, required: boolean): void {
    if (required ? this.required(path, value) : value !== undefined && value !== '') {
      if (!isEdxmlDocumentId(value as string)) {
        this.add(
          path,
          'format',
          'is not OrganId,YYYY/MM/DD,Number/Notation',
          'không đúng dạng MãĐịnhDanh,YYYY/MM/DD,Số/KýHiệu',
        );
      }
    }
  }
  organization(path: string, org: EdxmlOrganization): void {
    this.organId(`${path}/OrganId`, org.organId);
  }
  responseFor(path: string, r: EdxmlResponseFor): void {
    this.organId(`${path}/OrganId`, r.organId);
    this.date(`${path}/PromulgationDate`, r.promulgationDate, false);
    this.documentId(`${path}/DocumentId`, r.documentId, false);
  }
}

function validateDocument(doc: EdxmlDocument<EdxmlAttachmentMeta>, c: Collector): void {
  const h = doc.messageHeader;
  const mh = 'MessageHeader';
  c.organization(`${mh}/From`, h.from);
  if (h.to.length === 0)
    c.add(`${mh}/To`, 'required', 'at least one recipient is required', 'cần ít nhất một nơi nhận');
  h.to.forEach((to, i) => c.organization(`${mh}/To[${i + 1}]`, to));
  c.documentId(`${mh}/DocumentId`, h.documentId, true);
  c.required(`${mh}/Code/CodeNumber`, h.code.codeNumber);
  c.required(`${mh}/Code/CodeNotation`, h.code.codeNotation);
  c.length(`${mh}/PromulgationInfo/Place`, h.promulgationInfo.place, EDXML_LIMITS.place);
  c.date(`${mh}/PromulgationInfo/PromulgationDate`, h.promulgationInfo.promulgationDate, true);
  c.required(`${mh}/DocumentType/Type`, h.documentType.type);
  if (c.required(`${mh}/Subject`, h.subject)) c.length(`${mh}/Subject`, h.subject, EDXML_LIMITS.subject);
  c.length(`${mh}/Content`, h.content, EDXML_LIMITS.content);
  c.date(`${mh}/DueDate`, h.dueDate, false);
  h.toPlaces?.forEach((p, i) => c.length(`${mh}/ToPlaces/Place[${i + 1}]`, p, EDXML_LIMITS.place));
  h.responseFor?.forEach((r, i) => c.responseFor(`${mh}/ResponseFor[${i + 1}]`, r));
  doc.traceHeaderList.traceHeaders.forEach((t, i) => {
    c.organId(`TraceHeaderList/TraceHeader[${i + 1}]/OrganId`, t.organId);
    c.timestamp(`TraceHeaderList/TraceHeader[${i + 1}]/Timestamp`, t.timestamp);
  });
  const type = doc.traceHeaderList.bussiness?.bussinessDocType;
  if (type !== undefined && ![0, 1, 2, 3].includes(type)) {
    c.add(
      'TraceHeaderList/Bussiness/BussinessDocType',
      'code',
      'must be 0, 1, 2 or 3',
      'phải là 0, 1, 2 hoặc 3',
    );
  }
  const ids = new Set<string>();
  doc.attachments.forEach((a, i) => {
    const path = `AttachmentEncoded/Attachment[${i + 1}]`;
    if (c.required(`${path}/ContentId`, a.contentId)) ids.add(stripCid(a.contentId));
    if (c.required(`${path}/AttachmentName`, a.attachmentName)) {
      c.length(`${path}/AttachmentName`, a.attachmentName, EDXML_LIMITS.attachmentName);
    }
  });
  doc.manifest?.forEach((r, i) => {
    const path = `edXMLManifest/Reference[${i + 1}]`;
    c.length(`${path}/AttachmentName`, r.attachmentName, EDXML_LIMITS.attachmentName);
    if (c.required(`${path}/ContentId`, r.contentId) && !ids.has(stripCid(r.contentId))) {
      c.add(
        `${path}/ContentId`,
        'reference',
        'names no attachment of the package',
        'không trỏ tới tệp đính kèm nào',
      );
    }
  });
}

function validateStatus(pkg: EdxmlStatusPackage, c: Collector): void {
  const s = pkg.status;
  c.responseFor('Status/ResponseFor', s.responseFor);
  c.organization('Status/From', s.from);
  if (c.required('Status/StatusCode', s.statusCode) && !isEdxmlStatusCode(s.statusCode)) {
    c.add('Status/StatusCode', 'code', 'must be a status code 01–16', 'phải là mã trạng thái 01–16');
  }
  c.timestamp('Status/Timestamp', s.timestamp);
}

/** Removes a `cid:` prefix and surrounding angle brackets or whitespace from a content id. */
export function stripCid(contentId: string): string {
  return contentId
    .trim()
    .replace(/^cid:/i, '')
    .replace(/^<(.*)>$/, '$1');
}

/** Returns every rule the package breaks; an empty list means valid. */
export function validateEdxml(pkg: EdxmlValidatable): EdxmlIssue[] {
  const c = new Collector();
  if (pkg.kind === 'edoc') validateDocument(pkg, c);
  else validateStatus(pkg, c);
  return c.issues;
}

/** Throws `EDXML_INVALID` (naming the first path in the message, all issues in `details.issues`). */
export function assertValidEdxml(pkg: EdxmlValidatable, extra: readonly EdxmlIssue[] = []): void {
  const seen = new Set<string>();
  const issues = [...extra, ...validateEdxml(pkg)].filter((i) => {
    const key = `${i.path}\u0000${i.rule}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (issues.length > 0) throw invalidEdxml(issues);
}

export function invalidEdxml(issues: readonly EdxmlIssue[]): LgspError<'EDXML_INVALID'> {
  const first = issues[0] as EdxmlIssue;
  const more = issues.length > 1 ? ` (+${issues.length - 1})` : '';
  return new LgspError('EDXML_INVALID', `${first.path}: ${first.message}${more}`, {
    details: { issues: issues.map((i) => ({ ...i })) },
  });
}

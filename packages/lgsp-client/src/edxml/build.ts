import { Buffer } from 'node:buffer';
import { EDXML_NAMESPACE } from './model.js';
import type {
  EdxmlAttachmentInput,
  EdxmlAttachmentMeta,
  EdxmlDocument,
  EdxmlMessageHeader,
  EdxmlOrganization,
  EdxmlPackage,
  EdxmlRawElement,
  EdxmlReference,
  EdxmlResponseFor,
  EdxmlStaffInfo,
  EdxmlStatusPackage,
} from './model.js';
import { assertValidEdxml, stripCid } from './validate.js';

/** Options of {@link buildEdxml} and {@link streamEdxml}. */
export interface EdxmlBuildOptions {
  /** Validate the package first and throw `EDXML_INVALID` naming the path. Default `true`. */
  readonly validate?: boolean;
}

const P = 'edXML:';
const XLINK = 'http://www.w3.org/1999/xlink';

function esc(value: string): string {
  return value
    .normalize('NFC')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;');
}

/** `<edXML:Name>value</edXML:Name>`, or nothing when the value is absent. */
function el(name: string, value: string | undefined, prefix = P): string {
  return value === undefined ? '' : `<${prefix}${name}>${esc(value)}</${prefix}${name}>`;
}

function group(name: string, inner: string, prefix = P): string {
  return `<${prefix}${name}>${inner}</${prefix}${name}>`;
}

function organization(name: string, o: EdxmlOrganization): string {
  return group(
    name,
    el('OrganId', o.organId) +
      el('OrganizationInCharge', o.organizationInCharge) +
      el('OrganName', o.organName) +
      el('OrganAdd', o.organAdd) +
      el('Email', o.email) +
      el('Telephone', o.telephone) +
      el('Fax', o.fax) +
      el('Website', o.website),
  );
}

function responseFor(r: EdxmlResponseFor): string {
  return group(
    'ResponseFor',
    el('OrganId', r.organId) +
      el('Code', r.code) +
      el('PromulgationDate', r.promulgationDate) +
      el('DocumentId', r.documentId),
  );
}

function staffInfo(s: EdxmlStaffInfo | undefined): string {
  if (s === undefined) return '';
  return group(
    'StaffInfo',
    el('Department', s.department) + el('Staff', s.staff) + el('Email', s.email) + el('Mobile', s.mobile),
  );
}

function raw(e: EdxmlRawElement | undefined, parentNamespace: string): string {
  if (e === undefined) return '';
  const inEdxml = e.namespace === EDXML_NAMESPACE;
  const name = inEdxml ? `${P}${e.name}` : e.name;
  const decl = !inEdxml && e.namespace !== parentNamespace ? ` xmlns="${esc(e.namespace ?? '')}"` : '';
  const attrs = Object.entries(e.attributes)
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join('');
  const ns = inEdxml ? parentNamespace : (e.namespace ?? '');
  return `<${name}${decl}${attrs}>${esc(e.text)}${e.children.map((c) => raw(c, ns)).join('')}</${name}>`;
}

function messageHeader(h: EdxmlMessageHeader): string {
  const o = h.otherInfo;
  return group(
    'MessageHeader',
    organization('From', h.from) +
      h.to.map((t) => organization('To', t)).join('') +
      el('DocumentId', h.documentId) +
      group('Code', el('CodeNumber', h.code.codeNumber) + el('CodeNotation', h.code.codeNotation)) +
      group(
        'PromulgationInfo',
        el('Place', h.promulgationInfo.place) + el('PromulgationDate', h.promulgationInfo.promulgationDate),
      ) +
      group(
        'DocumentType',
        el('Type', h.documentType.type) +
          el('TypeDetail', h.documentType.typeDetail) +
          el('TypeName', h.documentType.typeName),
      ) +
      el('Subject', h.subject) +
      el('Content', h.content) +
      (h.signerInfo === undefined
        ? ''
        : group(
            'SignerInfo',
            el('Competence', h.signerInfo.competence) +
              el('Position', h.signerInfo.position) +
              el('FullName', h.signerInfo.fullName),
          )) +
      el('DueDate', h.dueDate) +
      (o === undefined
        ? ''
        : group(
            'OtherInfo',
            el('Priority', o.priority) +
              el('SphereOfPromulgation', o.sphereOfPromulgation) +
              el('TyperNotation', o.typerNotation) +
              el('PromulgationAmount', o.promulgationAmount) +
              el('PageAmount', o.pageAmount) +
              el('Direction', o.direction) +
              (o.appendixes === undefined
                ? ''
                : group('Appendixes', o.appendixes.map((a) => el('Appendix', a)).join(''))),
          )) +
      el('SteeringType', h.steeringType) +
      (h.toPlaces === undefined ? '' : group('ToPlaces', h.toPlaces.map((p) => el('Place', p)).join(''))) +
      (h.responseFor ?? []).map(responseFor).join(''),
  );
}

function manifest(doc: EdxmlDocument<EdxmlAttachmentMeta>): string {
  const refs: readonly EdxmlReference[] =
    doc.manifest ??
    doc.attachments.map((a) => ({
      contentId: `cid:${stripCid(a.contentId)}`,
      ...(a.contentType === undefined ? {} : { contentType: a.contentType }),
      ...(a.description === undefined ? {} : { description: a.description }),
      attachmentName: a.attachmentName,
    }));
  return group(
    'edXMLManifest',
    refs
      .map(
        (r) =>
          `<${P}Reference xmlns:xlink="${XLINK}" xlink:href="${esc(r.contentId)}" xlink:type="simple">` +
          el('ContentId', r.contentId) +
          el('ContentType', r.contentType) +
          el('Description', r.description) +
          el('AttachmentName', r.attachmentName) +
          `</${P}Reference>`,
      )
      .join(''),
  );
}

function head(pkg: EdxmlDocument<EdxmlAttachmentMeta> | EdxmlStatusPackage): string {
  let header: string;
  let body: string;
  if (pkg.kind === 'status') {
    const s = pkg.status;
    header =
      group(
        'Status',
        responseFor(s.responseFor) +
          organization('From', s.from) +
          staffInfo(s.staffInfo) +
          el('StatusCode', s.statusCode) +
          el('Description', s.description) +
          el('Timestamp', s.timestamp),
      ) + raw(pkg.signature, EDXML_NAMESPACE);
    body = `<${P}edXMLBody/>`;
  } else {
    const t = pkg.traceHeaderList;
    const b = t.bussiness;
    header =
      messageHeader(pkg.messageHeader) +
      group(
        'TraceHeaderList',
        t.traceHeaders
          .map((h) => group('TraceHeader', el('OrganId', h.organId) + el('Timestamp', h.timestamp)))
          .join('') +
          (b === undefined
            ? ''
            : group(
                'Bussiness',
                el('BussinessDocType', String(b.bussinessDocType)) +
                  el('BussinessDocReason', b.bussinessDocReason) +
                  el('Paper', b.paper) +
                  staffInfo(b.staffInfo) +
                  raw(b.replacementInfoList, EDXML_NAMESPACE) +
                  raw(b.bussinessDocumentInfo, EDXML_NAMESPACE),
              )),
      ) +
      raw(pkg.signature, EDXML_NAMESPACE);
    body = group('edXMLBody', manifest(pkg));
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<edXML xmlns="${EDXML_NAMESPACE}" xmlns:edXML="${EDXML_NAMESPACE}">` +
    group('edXMLEnvelope', group('edXMLHeader', header) + body)
  );
}

function attachmentOpen(a: EdxmlAttachmentMeta): string {
  return (
    '<Attachment>' +
    el('ContentId', stripCid(a.contentId), '') +
    el('ContentType', a.contentType, '') +
    el('Description', a.description, '') +
    el('AttachmentName', a.attachmentName, '') +
    '<ContentTransferEncoded>'
  );
}

const ATTACHMENT_CLOSE = '</ContentTransferEncoded></Attachment>';

/**
 * Serializes a package to edXML text in the QCVN 102:2016 namespace. Attachments are base64-encoded
 * in `AttachmentEncoded`; the manifest is derived from them unless given. For large attachments use
 * {@link streamEdxml}, which never holds the encoded package in memory.
 */
export function buildEdxml(pkg: EdxmlPackage, options: EdxmlBuildOptions = {}): string {
  if (options.validate !== false) assertValidEdxml(pkg);
  if (pkg.kind === 'status') return `${head(pkg)}</edXML>\n`;
  const parts = [head(pkg)];
  if (pkg.attachments.length > 0) {
    parts.push('<AttachmentEncoded>');
    for (const a of pkg.attachments) {
      parts.push(
        attachmentOpen(a),
        Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength).toString('base64'),
        ATTACHMENT_CLOSE,
      );
    }
    parts.push('</AttachmentEncoded>');
  }
  parts.push('</edXML>\n');
  return parts.join('');
}

const encoder = new TextEncoder();

async function* chunksOf(content: EdxmlAttachmentInput['content']): AsyncGenerator<Uint8Array> {
  if (content instanceof Uint8Array) yield content;
  else yield* content;
}

/**
 * Serializes a package as a stream of UTF-8 chunks. Attachment bytes may come from streams
 * (e.g. `fs.createReadStream`) and are base64-encoded chunk by chunk, so memory stays flat
 * whatever the attachment size.
 */
export async function* streamEdxml(
  pkg: EdxmlDocument<EdxmlAttachmentInput> | EdxmlStatusPackage,
  options: EdxmlBuildOptions = {},
): AsyncGenerator<Uint8Array> {
  if (options.validate !== false) assertValidEdxml(pkg);
  yield encoder.encode(head(pkg));
  if (pkg.kind === 'edoc' && pkg.attachments.length > 0) {
    yield encoder.encode('<AttachmentEncoded>');
    for (const a of pkg.attachments) {
      yield encoder.encode(attachmentOpen(a));
      let carry: Buffer = Buffer.alloc(0);
      for await (const chunk of chunksOf(a.content)) {
        const bytes =
          carry.length === 0
            ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
            : Buffer.concat([carry, chunk]);
        const usable = bytes.length - (bytes.length % 3);
        if (usable > 0) yield Buffer.from(bytes.subarray(0, usable).toString('base64'), 'latin1');
        carry = Buffer.from(bytes.subarray(usable));
      }
      if (carry.length > 0) yield Buffer.from(carry.toString('base64'), 'latin1');
      yield encoder.encode(ATTACHMENT_CLOSE);
    }
    yield encoder.encode('</AttachmentEncoded>');
  }
  yield encoder.encode('</edXML>\n');
}

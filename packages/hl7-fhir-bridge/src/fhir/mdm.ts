import type { Hl7Segment } from '../er7/message.js';
import { Hl7Error } from '../errors.js';
import { missingSegment } from './adt.js';
import type { MapContext } from './context.js';
import { entityIdentifier, practitionerRef, tableCode } from './datatypes.js';
import { mapEncounter } from './encounter.js';
import { mapPatient } from './patient.js';
import type { FhirResource } from './types.js';
import { lookup } from './util.js';

/** HL7 table 0271 (TXA-17 completion status) → DocumentReference.docStatus. */
const DOC_STATUS: Readonly<Record<string, string>> = {
  AU: 'final',
  LA: 'final',
  DO: 'final',
  DI: 'preliminary',
  IN: 'preliminary',
  IP: 'preliminary',
  PA: 'preliminary',
};

const MIME: Readonly<Record<string, string>> = {
  'APPLICATION/PDF': 'application/pdf',
  'AP/PDF': 'application/pdf',
  'TEXT/HTML': 'text/html',
  'TEXT/PLAIN': 'text/plain',
  'TEXT/RTF': 'text/rtf',
  'TEXT/XML': 'text/xml',
  'APPLICATION/XML': 'application/xml',
  'IMAGE/JPEG': 'image/jpeg',
  'IM/JPEG': 'image/jpeg',
  'IMAGE/PNG': 'image/png',
  'IM/PNG': 'image/png',
};

/** OBX-5 ED (source^type^subtype^encoding^data) → attachment; TX/FT/ST lines → one text attachment. */
function attachments(ctx: MapContext, obxs: Hl7Segment[], created: string | undefined): unknown[] {
  const out: unknown[] = [];
  let lines: string[] = [];
  const flushText = () => {
    if (lines.length === 0) return;
    out.push({
      attachment: {
        contentType: 'text/plain; charset=utf-8',
        data: Buffer.from(lines.join('\n'), 'utf8').toString('base64'),
        creation: created,
      },
    });
    lines = [];
  };
  for (const obx of obxs) {
    ctx.use(obx, 1, 4, 11);
    const type = ctx.get(obx, 2)?.toUpperCase();
    if (type === 'TX' || type === 'FT' || type === 'ST') {
      for (let r = 1; r <= ctx.reps(obx, 5); r++) lines.push(ctx.get(obx, 5, 1, r) ?? '');
      ctx.use(obx, 3);
      continue;
    }
    if (type !== 'ED') continue;
    flushText();
    const kind = `${ctx.get(obx, 5, 2) ?? ''}/${ctx.get(obx, 5, 3) ?? ''}`.toUpperCase();
    const encoding = ctx.get(obx, 5, 4)?.toUpperCase();
    const raw = (obx.getRaw(5, 1, 5) ?? '').replace(/\s+/g, '');
    const data =
      encoding === 'BASE64'
        ? raw
        : encoding === 'HEX'
          ? Buffer.from(raw, 'hex').toString('base64')
          : Buffer.from(ctx.get(obx, 5, 5) ?? '', 'utf8').toString('base64');
    const valid = data.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(data);
    if (!valid) {
      ctx.warn(
        'VALUE_INVALID',
        ctx.path(obx, 5),
        'ED data is not valid base64/hex: left out',
        'dữ liệu ED không hợp lệ, bị bỏ qua',
      );
    }
    const contentType = lookup(MIME, kind) ?? 'application/octet-stream';
    if (lookup(MIME, kind) === undefined) {
      ctx.warn(
        'CODE_UNMAPPED',
        ctx.path(obx, 5),
        `ED type "${kind}" has no MIME type: application/octet-stream`,
        'không xác định được kiểu MIME',
        kind,
      );
    }
    ctx.use(obx, 3);
    out.push({ attachment: { contentType, data: valid ? data : undefined, creation: created } });
  }
  flushText();
  return out;
}

/** MDM_T02 → DocumentReference (TXA-12 as master identifier) with the OBX content as attachments. */
export function mapMdm(ctx: MapContext): void {
  const pid = ctx.message.segment('PID');
  if (pid === undefined) missingSegment('PID', ctx.message.type.structure);
  const txa = ctx.message.segment('TXA');
  if (txa === undefined) missingSegment('TXA', ctx.message.type.structure);
  const obxs = ctx.message.segmentsNamed('OBX');
  if (obxs.length === 0) missingSegment('OBX', ctx.message.type.structure);
  for (const seg of ctx.message.segments) if (seg.name === 'EVN') ctx.use(seg, 1);
  mapPatient(ctx, pid, ctx.opts.patientWrite ?? 'create');
  const pv1 = ctx.message.segment('PV1');
  if (pv1 !== undefined) mapEncounter(ctx, pv1, 'T02', 'create', ctx.patientKeyValue ?? '');
  ctx.use(txa, 1);
  const key = entityIdentifier(ctx, txa, 12, 'document');
  if (key === undefined) {
    throw new Hl7Error(
      'MISSING_FIELD',
      `${ctx.path(txa, 12)} (unique document number) is empty / thiếu số văn bản TXA-12`,
      {
        details: { segment: 'TXA', field: 12 },
      },
    );
  }
  const authors = [practitionerRef(ctx, txa, 9), practitionerRef(ctx, txa, 5)].filter((a) => a !== undefined);
  const content = attachments(ctx, obxs, ctx.dateTime(txa, 6));
  if (content.length === 0) missingSegment('OBX', ctx.message.type.structure);
  const completion = ctx.get(txa, 17)?.toUpperCase();
  const doc: FhirResource = {
    resourceType: 'DocumentReference',
    masterIdentifier: key,
    identifier: [key],
    status: 'current',
    docStatus: lookup(DOC_STATUS, completion),
    type: tableCode(ctx, txa, 2, '0270'),
    subject: ctx.patientUrl === undefined ? undefined : { reference: ctx.patientUrl },
    date: ctx.instant(txa, 4),
    author: authors,
    authenticator: practitionerRef(ctx, txa, 10),
    content,
    context: ctx.encounterUrl === undefined ? undefined : { encounter: [{ reference: ctx.encounterUrl }] },
  };
  ctx.add(doc, key, 'update');
}

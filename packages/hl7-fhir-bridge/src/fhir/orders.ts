import type { Hl7Segment } from '../er7/message.js';
import { Hl7Error } from '../errors.js';
import { missingSegment } from './adt.js';
import type { MapContext } from './context.js';
import { codeable, codeables, entityIdentifier, practitionerRef } from './datatypes.js';
import { mapEncounter } from './encounter.js';
import { mapSpecimen, note, orderNumbers } from './oru.js';
import { mapPatient } from './patient.js';
import type { FhirResource } from './types.js';
import { lookup } from './util.js';

/** HL7 table 0038 (ORC-5 order status) → ServiceRequest.status. */
const ORDER_STATUS: Readonly<Record<string, string>> = {
  A: 'active',
  CA: 'revoked',
  CM: 'completed',
  DC: 'revoked',
  ER: 'entered-in-error',
  HD: 'on-hold',
  IP: 'active',
  RP: 'revoked',
  SC: 'active',
};

/**
 * HL7 table 0119 (ORC-1 order control) → ServiceRequest.status when ORC-5 is empty, per the IG
 * ConceptMap OrderControlCode: a cancel or hold *request* (CA, HD) leaves the order `active`; it is
 * `revoked` once cancelled (CR, OC, OD, DC, DR, DF) and `on-hold` once held (HR, OH).
 */
const CONTROL_STATUS: Readonly<Record<string, string>> = {
  AF: 'active',
  CA: 'active',
  CR: 'revoked',
  DC: 'revoked',
  DF: 'revoked',
  DR: 'revoked',
  FU: 'completed',
  HD: 'active',
  HR: 'on-hold',
  NW: 'active',
  OC: 'revoked',
  OD: 'revoked',
  OH: 'on-hold',
  OK: 'active',
  PR: 'active',
  PY: 'active',
  RL: 'active',
  RO: 'active',
  RQ: 'active',
};

/** TQ priority (ORC-7.6, OBR-27.6, TQ1-9) → ServiceRequest.priority. */
const PRIORITY: Readonly<Record<string, string>> = {
  S: 'stat',
  A: 'asap',
  R: 'routine',
  P: 'urgent',
  C: 'urgent',
  T: 'routine',
};

interface Pending {
  orc: Hl7Segment | undefined;
  obr: Hl7Segment | undefined;
  tq1: Hl7Segment | undefined;
  notes: Hl7Segment[];
  specimens: Hl7Segment[];
}

/** ORM_O01 / OML_O21 → a ServiceRequest per order (ORC with its OBR), Specimens from SPM. */
export function mapOrders(ctx: MapContext): void {
  let sawPid = false;
  let sawOrder = false;
  let pending: Pending | undefined;
  const flush = () => {
    if (pending !== undefined) serviceRequest(ctx, pending);
    pending = undefined;
  };
  for (const seg of ctx.message.segments) {
    switch (seg.name) {
      case 'PID':
        sawPid = true;
        mapPatient(ctx, seg, ctx.opts.patientWrite ?? 'create');
        break;
      case 'PV1':
        mapEncounter(ctx, seg, 'O01', 'create', ctx.patientKeyValue ?? '');
        break;
      case 'ORC':
        flush();
        sawOrder = true;
        pending = { orc: seg, obr: undefined, tq1: undefined, notes: [], specimens: [] };
        break;
      case 'OBR':
        if (pending === undefined || pending.obr !== undefined) {
          flush();
          pending = { orc: undefined, obr: undefined, tq1: undefined, notes: [], specimens: [] };
        }
        sawOrder = true;
        pending.obr = seg;
        break;
      case 'TQ1':
        if (pending !== undefined && pending.tq1 === undefined) pending.tq1 = seg;
        break;
      case 'NTE':
        if (pending?.obr !== undefined) pending.notes.push(seg);
        break;
      case 'SPM':
        if (pending !== undefined) pending.specimens.push(seg);
        break;
    }
  }
  flush();
  if (!sawPid) missingSegment('PID', ctx.message.type.structure);
  if (!sawOrder) missingSegment('ORC', ctx.message.type.structure);
}

function serviceRequest(ctx: MapContext, p: Pending): void {
  const { orc, obr, tq1 } = p;
  if (orc !== undefined) ctx.use(orc, 1);
  if (obr !== undefined) ctx.use(obr, 1);
  const { placer, filler, identifiers } = orderNumbers(ctx, obr, orc);
  const key = placer ?? filler;
  const where = orc ?? obr;
  if (key === undefined || where === undefined) {
    throw new Hl7Error(
      'MISSING_FIELD',
      `${where === undefined ? 'ORC' : ctx.path(where, 2)}: no placer or filler order number (ORC-2/3, OBR-2/3) / thiếu số chỉ định`,
      { details: { segment: where?.name ?? 'ORC', field: 2 } },
    );
  }
  const orderStatus = orc === undefined ? undefined : ctx.get(orc, 5)?.toUpperCase();
  const control = orc === undefined ? undefined : ctx.get(orc, 1)?.toUpperCase();
  let status = lookup(ORDER_STATUS, orderStatus) ?? lookup(CONTROL_STATUS, control);
  if (status === undefined) {
    ctx.warn(
      'STATUS_MISSING',
      ctx.path(where, orc === undefined ? 1 : 5),
      'No order status (ORC-5) or known order control (ORC-1): status "unknown"',
      'không xác định được trạng thái chỉ định',
      orderStatus ?? control,
    );
    status = 'unknown';
  }
  const priorityCode =
    (tq1 === undefined ? undefined : ctx.get(tq1, 9)) ??
    (orc === undefined ? undefined : ctx.get(orc, 7, 6)) ??
    (obr === undefined ? undefined : ctx.get(obr, 27, 6));
  if (tq1 !== undefined) ctx.use(tq1, 1);
  const requisition = orc === undefined ? undefined : entityIdentifier(ctx, orc, 4, 'placer-group');
  const requester =
    (orc === undefined ? undefined : practitionerRef(ctx, orc, 12)) ??
    (obr === undefined ? undefined : practitionerRef(ctx, obr, 16));
  const resource: FhirResource = {
    resourceType: 'ServiceRequest',
    identifier: identifiers,
    requisition,
    status,
    intent: 'order',
    priority: lookup(PRIORITY, priorityCode?.toUpperCase()),
    code: obr === undefined ? undefined : codeable(ctx, obr, 4),
    subject: ctx.patientUrl === undefined ? undefined : { reference: ctx.patientUrl },
    encounter: ctx.encounterUrl === undefined ? undefined : { reference: ctx.encounterUrl },
    authoredOn: orc === undefined ? undefined : ctx.dateTime(orc, 9),
    requester,
    reasonCode: obr === undefined ? undefined : codeables(ctx, obr, 31),
    specimen: [] as unknown[],
  };
  const url = ctx.add(resource, key, 'update');
  const stored = ctx.resourceAt(url) as Record<string, unknown>;
  for (const nte of p.notes) note(ctx, nte, url);
  p.specimens.forEach((spm, i) => {
    (stored.specimen as unknown[]).push({ reference: mapSpecimen(ctx, spm, `${key.value}/${i + 1}`) });
  });
}

import type { Hl7Segment } from '../er7/message.js';
import { Hl7Error } from '../errors.js';
import { missingSegment } from './adt.js';
import type { MapContext } from './context.js';
import { codeable, entityIdentifier, practitionerRef } from './datatypes.js';
import { mapEncounter } from './encounter.js';
import { quantityUnit } from './observation.js';
import { mapContact, mapInsurance, mapPatient } from './patient.js';
import { CS, localSystem } from './systems.js';
import type { FhirResource } from './types.js';

const FUNCTION_AP = { coding: [{ system: CS.v2('0443'), code: 'AP', display: 'Administering Provider' }] };
const FUNCTION_OP = { coding: [{ system: CS.v2('0443'), code: 'OP', display: 'Ordering Provider' }] };

/** VXU_V04 → Patient, and an Immunization per RXA (with its ORC and RXR). */
export function mapVxu(ctx: MapContext): void {
  let orc: Hl7Segment | undefined;
  let last: { resource: Record<string, unknown> } | undefined;
  let sawPid = false;
  let sawRxa = false;
  for (const seg of ctx.message.segments) {
    switch (seg.name) {
      case 'PID':
        sawPid = true;
        mapPatient(ctx, seg, ctx.opts.patientWrite ?? 'create');
        break;
      case 'NK1':
        mapContact(ctx, seg);
        break;
      case 'IN1':
        mapInsurance(ctx, seg);
        break;
      case 'PV1':
        mapEncounter(ctx, seg, 'V04', 'create', ctx.patientKeyValue ?? '');
        break;
      case 'ORC':
        orc = seg;
        ctx.use(seg, 1);
        break;
      case 'RXA':
        if (!sawPid) missingSegment('PID', ctx.message.type.structure);
        sawRxa = true;
        last = { resource: immunization(ctx, seg, orc) };
        orc = undefined;
        break;
      case 'RXR':
        if (last !== undefined) {
          last.resource.route = codeable(ctx, seg, 1);
          last.resource.site = codeable(ctx, seg, 2);
        }
        break;
    }
  }
  if (!sawPid) missingSegment('PID', ctx.message.type.structure);
  if (!sawRxa) missingSegment('RXA', ctx.message.type.structure);
}

function immunization(
  ctx: MapContext,
  rxa: Hl7Segment,
  orc: Hl7Segment | undefined,
): Record<string, unknown> {
  ctx.use(rxa, 1, 2);
  const vaccine = codeable(ctx, rxa, 5);
  if (vaccine === undefined) {
    throw new Hl7Error(
      'MISSING_FIELD',
      `${ctx.path(rxa, 5)} (administered code) is empty / thiếu mã vắc xin RXA-5`,
      {
        details: { segment: 'RXA', field: 5 },
      },
    );
  }
  const occurrence = ctx.dateTime(rxa, 3);
  if (occurrence === undefined) {
    throw new Hl7Error(
      'MISSING_FIELD',
      `${ctx.path(rxa, 3)} (start of administration) is empty / thiếu ngày tiêm RXA-3`,
      {
        details: { segment: 'RXA', field: 3 },
      },
    );
  }
  const completion = ctx.get(rxa, 20)?.toUpperCase();
  const action = ctx.get(rxa, 21)?.toUpperCase();
  const status =
    action === 'D'
      ? 'entered-in-error'
      : completion === 'NA' || completion === 'RE'
        ? 'not-done'
        : 'completed';
  const key = (orc === undefined
    ? undefined
    : (entityIdentifier(ctx, orc, 3, 'filler-order') ?? entityIdentifier(ctx, orc, 2, 'placer-order'))) ?? {
    system: localSystem(ctx.facility, 'immunization'),
    value: `${ctx.patientKeyValue ?? ''}/${ctx.get(rxa, 3) ?? ''}/${vaccine.coding?.[0]?.code ?? vaccine.text ?? ''}`,
  };
  const amount = ctx.get(rxa, 6);
  const dose =
    amount === undefined || amount === '999' || !/^\d+(\.\d+)?$/.test(amount) ? undefined : Number(amount);
  const unit = dose === undefined ? {} : quantityUnit(ctx, rxa, 7);
  if (dose === undefined) ctx.use(rxa, 7);
  const source = ctx.get(rxa, 9);
  const performer = [];
  const admin = practitionerRef(ctx, rxa, 10);
  if (admin !== undefined) performer.push({ function: FUNCTION_AP, actor: admin });
  const ordering = orc === undefined ? undefined : practitionerRef(ctx, orc, 12);
  if (ordering !== undefined) performer.push({ function: FUNCTION_OP, actor: ordering });
  const maker = ctx.get(rxa, 17);
  const resource: Record<string, unknown> = {
    resourceType: 'Immunization',
    identifier: [key],
    status,
    statusReason: status === 'not-done' ? codeable(ctx, rxa, 18) : undefined,
    vaccineCode: vaccine,
    patient: { reference: ctx.patientUrl },
    encounter: ctx.encounterUrl === undefined ? undefined : { reference: ctx.encounterUrl },
    occurrenceDateTime: occurrence,
    primarySource: source === undefined ? undefined : source === '00',
    reportOrigin: source !== undefined && source !== '00' ? codeable(ctx, rxa, 9) : undefined,
    manufacturer:
      maker === undefined
        ? undefined
        : {
            identifier: {
              system:
                ctx.get(rxa, 17, 3)?.toUpperCase() === 'MVX'
                  ? 'http://terminology.hl7.org/CodeSystem/MVX'
                  : localSystem(ctx.facility, 'manufacturer'),
              value: maker,
            },
            display: ctx.get(rxa, 17, 2),
          },
    lotNumber: ctx.get(rxa, 15),
    expirationDate: ctx.date(rxa, 16),
    doseQuantity: dose === undefined ? undefined : { value: dose, ...unit },
    performer,
  };
  return ctx.resourceAt(ctx.add(resource as FhirResource, key, 'update')) as Record<string, unknown>;
}

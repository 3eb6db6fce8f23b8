import type { Hl7Segment } from '../er7/message.js';
import { Hl7Error } from '../errors.js';
import { missingSegment } from './adt.js';
import type { MapContext } from './context.js';
import { codeable, entityIdentifier, locationRef, practitionerRef } from './datatypes.js';
import { mapPatient } from './patient.js';
import { CS } from './systems.js';
import type { FhirResource } from './types.js';
import { addMinutes, lookup } from './util.js';

export const SIU_EVENTS = ['S12', 'S13', 'S14', 'S15'] as const;

/** HL7 table 0278 (SCH-25 filler status) → Appointment.status (IG ConceptMap FillerStatusCodes). */
const FILLER_STATUS: Readonly<Record<string, string>> = {
  PENDING: 'pending',
  WAITLIST: 'waitlist',
  BOOKED: 'booked',
  STARTED: 'checked-in',
  COMPLETE: 'fulfilled',
  CANCELLED: 'cancelled',
  DELETED: 'entered-in-error',
  NOSHOW: 'noshow',
};

/**
 * SIU_S12–S15 → Appointment. Status per event: S12 and S14 take SCH-25 (default `booked`), S13
 * (rescheduled) is `booked`, S15 `cancelled` with SCH-6 as the reason.
 */
export function mapSiu(ctx: MapContext, event: string): void {
  const sch = ctx.message.segment('SCH');
  if (sch === undefined) missingSegment('SCH', ctx.message.type.structure);
  const pid = ctx.message.segment('PID');
  if (pid === undefined) missingSegment('PID', ctx.message.type.structure);
  mapPatient(ctx, pid, ctx.opts.patientWrite ?? 'create');
  const placer = entityIdentifier(ctx, sch, 1, 'placer-appointment');
  const filler = entityIdentifier(ctx, sch, 2, 'filler-appointment');
  const key = filler ?? placer;
  if (key === undefined) {
    throw new Hl7Error(
      'MISSING_FIELD',
      `${ctx.path(sch, 2)}: SCH-1/SCH-2 (appointment ids) are empty / thiếu mã lịch hẹn`,
      {
        details: { segment: 'SCH', field: 2 },
      },
    );
  }
  const fillerStatus = ctx.get(sch, 25);
  let status: string;
  if (event === 'S15') status = 'cancelled';
  else if (event === 'S13') status = 'booked';
  else {
    const mapped = fillerStatus === undefined ? undefined : lookup(FILLER_STATUS, fillerStatus.toUpperCase());
    if (fillerStatus !== undefined && mapped === undefined) {
      ctx.warn(
        'CODE_UNMAPPED',
        ctx.path(sch, 25),
        `Filler status "${fillerStatus}" is not in HL7 table 0278: status "booked"`,
        'trạng thái lịch hẹn không thuộc bảng 0278',
        fillerStatus,
      );
    }
    status = mapped ?? 'booked';
  }
  const tq1 = ctx.message.segment('TQ1');
  let start: string | undefined;
  let end: string | undefined;
  if (tq1 !== undefined) {
    ctx.use(tq1, 1);
    start = ctx.instant(tq1, 7);
    end = ctx.instant(tq1, 8);
  }
  start ??= ctx.instant(sch, 11, 4);
  end ??= ctx.instant(sch, 11, 5);
  const duration = ctx.get(sch, 9);
  const unit = ctx.get(sch, 10)?.toUpperCase();
  const minutes =
    duration !== undefined && /^\d+$/.test(duration) && (unit === undefined || unit === 'MIN' || unit === 'M')
      ? Number(duration)
      : duration !== undefined && /^\d+$/.test(duration) && (unit === 'HR' || unit === 'H')
        ? Number(duration) * 60
        : undefined;
  if (end === undefined && start !== undefined && minutes !== undefined) end = addMinutes(start, minutes);
  if ((start === undefined || end === undefined) && !['cancelled', 'proposed', 'waitlist'].includes(status)) {
    const where = tq1 === undefined ? ctx.path(sch, 11) : ctx.path(tq1, start === undefined ? 7 : 8);
    throw new Hl7Error(
      'MISSING_FIELD',
      `${where}: a ${status} appointment needs a start and an end (TQ1-7/8 or SCH-11.4/11.5, or a start and SCH-9 duration) / lịch hẹn thiếu giờ bắt đầu hoặc kết thúc`,
      {
        details: {
          segment: tq1 === undefined ? 'SCH' : 'TQ1',
          field: tq1 === undefined ? 11 : start === undefined ? 7 : 8,
        },
      },
    );
  }
  const participant: unknown[] = [
    { actor: { reference: ctx.patientUrl, type: 'Patient' }, required: 'required', status: 'accepted' },
  ];
  const serviceType: unknown[] = [];
  const comments: string[] = [];
  for (const seg of ctx.message.segments) {
    if (seg.name === 'AIP') {
      const p = aip(ctx, seg);
      if (p.actor !== undefined || p.type !== undefined) participant.push(p);
    } else if (seg.name === 'AIL') {
      ctx.use(seg, 1, 2);
      const actor = locationRef(ctx, seg, 3);
      if (actor !== undefined) participant.push({ actor, status: 'accepted' });
    } else if (seg.name === 'AIS') {
      ctx.use(seg, 1, 2);
      const c = codeable(ctx, seg, 3);
      if (c !== undefined) serviceType.push(c);
    } else if (seg.name === 'RGS') ctx.use(seg, 1, 2);
    else if (seg.name === 'NTE') {
      ctx.use(seg, 1, 2);
      for (let r = 1; r <= ctx.reps(seg, 3); r++) comments.push(ctx.get(seg, 3, 1, r) ?? '');
    }
  }
  const reason = codeable(ctx, sch, 7);
  const appointment: FhirResource = {
    resourceType: 'Appointment',
    identifier: [
      ...(placer === undefined
        ? []
        : [
            {
              type: { coding: [{ system: CS.v2('0203'), code: 'PLAC', display: 'Placer Identifier' }] },
              ...placer,
            },
          ]),
      ...(filler === undefined
        ? []
        : [
            {
              type: { coding: [{ system: CS.v2('0203'), code: 'FILL', display: 'Filler Identifier' }] },
              ...filler,
            },
          ]),
    ],
    status,
    cancelationReason: event === 'S15' ? codeable(ctx, sch, 6) : undefined,
    serviceType,
    appointmentType: reason,
    start,
    end,
    minutesDuration: minutes,
    comment: comments.join('\n').trim(),
    participant,
  };
  ctx.add(appointment, key, 'update');
}

function aip(ctx: MapContext, seg: Hl7Segment): Record<string, unknown> {
  ctx.use(seg, 1, 2);
  const role = codeable(ctx, seg, 4);
  return {
    type: role === undefined ? undefined : [role],
    actor: practitionerRef(ctx, seg, 3),
    status: 'accepted',
  };
}

import type { Hl7Segment } from '../er7/message.js';
import type { MapContext } from './context.js';
import { locationRef, practitionerRef, tableCode } from './datatypes.js';
import { CS, VN_SYSTEMS, localSystem } from './systems.js';
import type { Coding, FhirResource, Reference } from './types.js';
import { lookup } from './util.js';

/** HL7 table 0004 → Encounter.class (IG ConceptMap PatientClass[EncounterClass]). */
const CLASS: Readonly<Record<string, Coding>> = {
  E: { system: CS.actCode, code: 'EMER', display: 'emergency' },
  I: { system: CS.actCode, code: 'IMP', display: 'inpatient encounter' },
  O: { system: CS.actCode, code: 'AMB', display: 'ambulatory' },
  P: { system: CS.actCode, code: 'PRENC', display: 'pre-admission' },
  R: { system: CS.v2('0004'), code: 'R', display: 'Recurring patient' },
  B: { system: CS.v2('0004'), code: 'B', display: 'Obstetrics' },
  C: { system: CS.v2('0004'), code: 'C', display: 'Commercial Account' },
  N: { system: CS.v2('0004'), code: 'N', display: 'Not Applicable' },
  U: { system: CS.v2('0004'), code: 'U', display: 'Unknown' },
};

/** Trigger event → Encounter.status (IG ConceptMap Event[EncounterStatus]). */
export const EVENT_STATUS: Readonly<Record<string, string>> = {
  A01: 'in-progress',
  A02: 'in-progress',
  A03: 'finished',
  A04: 'planned',
  A11: 'cancelled',
};

const PARTICIPANTS: readonly [number, string, string][] = [
  [7, 'ATND', 'attender'],
  [8, 'REF', 'referrer'],
  [9, 'CON', 'consultant'],
  [17, 'ADM', 'admitter'],
];

/**
 * Status from PV1 alone (IG segment map and PatientClass[EncounterStatus], used for A08 and for
 * non-ADT messages): finished when PV1-45 (discharge) is valued, planned for a pre-admit (P),
 * unknown for U or no class, otherwise in-progress.
 */
function statusFromPv1(ctx: MapContext, pv1: Hl7Segment): string {
  if (ctx.get(pv1, 45) !== undefined) return 'finished';
  const cls = ctx.get(pv1, 2)?.toUpperCase();
  return cls === 'P' ? 'planned' : cls === 'U' || cls === undefined ? 'unknown' : 'in-progress';
}

/** PV1 → Encounter, keyed on the visit number (PV1-19). */
export function mapEncounter(
  ctx: MapContext,
  pv1: Hl7Segment,
  event: string,
  mode: 'update' | 'create',
  patientKeyValue: string,
): string | undefined {
  ctx.use(pv1, 1);
  const patientClass = ctx.get(pv1, 2)?.toUpperCase();
  let cls = lookup(CLASS, patientClass);
  if (cls === undefined) {
    ctx.warn(
      'CODE_UNMAPPED',
      ctx.path(pv1, 2),
      patientClass === undefined
        ? 'PV1-2 (patient class) is empty'
        : `Patient class "${patientClass}" is not in HL7 table 0004`,
      'loại bệnh nhân (PV1-2) không hợp lệ',
      patientClass,
    );
    cls = { system: 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor', code: 'UNK', display: 'unknown' };
  }
  const status = lookup(EVENT_STATUS, event) ?? statusFromPv1(ctx, pv1);
  const visit = ctx.get(pv1, 19);
  let key: { system: string; value: string };
  if (visit !== undefined)
    key = { system: localSystem(ctx.get(pv1, 19, 4) ?? ctx.facility, 'visit'), value: visit };
  else {
    const admitted = ctx.get(pv1, 44) ?? ctx.message.controlId;
    key = { system: localSystem(ctx.facility, 'visit-derived'), value: `${patientKeyValue}/${admitted}` };
    ctx.warn(
      'ENCOUNTER_NO_VISIT_NUMBER',
      ctx.path(pv1, 19),
      'PV1-19 (visit number) is empty: the Encounter is keyed on the patient and PV1-44 (or MSH-10)',
      'thiếu số lượt khám PV1-19',
    );
  }
  const current = locationRef(ctx, pv1, 3);
  const prior = locationRef(ctx, pv1, 6);
  const location: { location: Reference; status?: string }[] = [];
  if (prior !== undefined && event === 'A02') location.push({ location: prior, status: 'completed' });
  if (current !== undefined) {
    const locStatus =
      status === 'finished'
        ? 'completed'
        : status === 'planned'
          ? 'planned'
          : status === 'cancelled'
            ? undefined
            : 'active';
    location.push({ location: current, ...(locStatus === undefined ? {} : { status: locStatus }) });
  }
  const participant = [];
  for (const [field, code, display] of PARTICIPANTS) {
    for (let r = 1; r <= ctx.reps(pv1, field); r++) {
      const who = practitionerRef(ctx, pv1, field, r);
      if (who !== undefined) {
        participant.push({
          type: [{ coding: [{ system: CS.participationType, code, display }] }],
          individual: who,
        });
      }
    }
  }
  const admissionType = tableCode(ctx, pv1, 4, '0007');
  const encounter: FhirResource = {
    resourceType: 'Encounter',
    identifier: [
      { type: { coding: [{ system: CS.v2('0203'), code: 'VN', display: 'Visit number' }] }, ...key },
    ],
    status,
    class: cls,
    type: admissionType === undefined ? undefined : [admissionType],
    serviceType: tableCode(ctx, pv1, 10, '0069'),
    subject: ctx.patientUrl === undefined ? undefined : { reference: ctx.patientUrl },
    participant,
    period: { start: ctx.dateTime(pv1, 44), end: ctx.dateTime(pv1, 45) },
    hospitalization: {
      admitSource: tableCode(ctx, pv1, 14, '0023'),
      reAdmission: tableCode(ctx, pv1, 13, '0092'),
      dischargeDisposition: tableCode(ctx, pv1, 36, '0112'),
    },
    location,
    serviceProvider:
      ctx.opts.providerCode === undefined
        ? undefined
        : {
            type: 'Organization',
            identifier: { system: VN_SYSTEMS.providerCode, value: ctx.opts.providerCode },
          },
  };
  const url = ctx.add(encounter, key, mode);
  ctx.encounterUrl = url;
  return url;
}

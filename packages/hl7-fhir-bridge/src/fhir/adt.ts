import type { Hl7Segment } from '../er7/message.js';
import { Hl7Error } from '../errors.js';
import type { MapContext } from './context.js';
import { mapEncounter } from './encounter.js';
import { cxIdentifiers, humanName, mapContact, mapInsurance, mapPatient, patientKey } from './patient.js';
import type { FhirResource } from './types.js';

/** Events whose PV1 describes a visit (A28/A31 carry person data only; A40 a merge). */
const VISIT_EVENTS = new Set(['A01', 'A02', 'A03', 'A04', 'A08', 'A11']);

export const ADT_EVENTS = ['A01', 'A02', 'A03', 'A04', 'A08', 'A11', 'A28', 'A31', 'A40'] as const;

/** ADT → Patient (conditional update), Encounter per event, Coverage, merge links for A40. */
export function mapAdt(ctx: MapContext, event: string): void {
  const mode = ctx.opts.patientWrite ?? 'update';
  let sawPid = false;
  for (const seg of ctx.message.segments) {
    switch (seg.name) {
      case 'EVN':
        ctx.use(seg, 1);
        break;
      case 'PID': {
        sawPid = true;
        mapPatient(ctx, seg, mode);
        break;
      }
      case 'NK1':
        mapContact(ctx, seg);
        break;
      case 'PV1':
        if (VISIT_EVENTS.has(event)) mapEncounter(ctx, seg, event, 'update', ctx.patientKeyValue ?? '');
        else ctx.use(seg, 1, 2);
        break;
      case 'IN1':
        mapInsurance(ctx, seg);
        break;
      case 'MRG':
        if (event === 'A40') merge(ctx, seg);
        break;
    }
  }
  if (!sawPid) missingSegment('PID', ctx.message.type.structure);
  if (event === 'A40' && ctx.message.segment('MRG') === undefined)
    missingSegment('MRG', ctx.message.type.structure);
}

export function missingSegment(segment: string, structure: string): never {
  throw new Hl7Error(
    'MISSING_SEGMENT',
    `${structure} needs a ${segment} segment to be mapped to FHIR / thiếu đoạn ${segment}`,
    { details: { segment, structure } },
  );
}

/**
 * A40: MRG-1 names the patient merged away. It becomes a Patient with `active: false` and a
 * `replaced-by` link to the surviving Patient (PID), which gets a `replaces` link back.
 */
function merge(ctx: MapContext, mrg: Hl7Segment): void {
  const survivor = ctx.patient as Record<string, unknown> | undefined;
  const survivorUrl = ctx.patientUrl;
  if (survivor === undefined || survivorUrl === undefined) missingSegment('PID', ctx.message.type.structure);
  const old = cxIdentifiers(ctx, mrg, 1);
  const key = patientKey(old);
  if (key === undefined) {
    throw new Hl7Error(
      'MISSING_FIELD',
      `${ctx.path(mrg, 1)} (prior patient identifier) is empty / thiếu mã người bệnh cũ`,
      {
        details: { segment: 'MRG', field: 1 },
      },
    );
  }
  const name = humanName(ctx, mrg, 7);
  const retired: FhirResource = {
    resourceType: 'Patient',
    identifier: old.map((i) => i.identifier),
    active: false,
    name: name === undefined ? undefined : [name],
    link: [{ other: { reference: survivorUrl }, type: 'replaced-by' }],
  };
  const oldUrl = ctx.add(retired, key.identifier, 'update');
  const links = (survivor.link as unknown[] | undefined) ?? [];
  links.push({ other: { reference: oldUrl }, type: 'replaces' });
  survivor.link = links;
}

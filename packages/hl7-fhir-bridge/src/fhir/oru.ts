import type { Hl7Segment } from '../er7/message.js';
import { Hl7Error } from '../errors.js';
import { missingSegment } from './adt.js';
import type { MapContext } from './context.js';
import { codeable, entityIdentifier, tableCode } from './datatypes.js';
import { mapEncounter } from './encounter.js';
import { mapObservation } from './observation.js';
import { mapPatient } from './patient.js';
import { CS, localSystem } from './systems.js';
import type { FhirResource, Identifier } from './types.js';
import { lookup } from './util.js';

/** HL7 table 0123 → DiagnosticReport.status (IG ConceptMap ResultStatus). */
const REPORT_STATUS: Readonly<Record<string, string>> = {
  O: 'registered',
  I: 'registered',
  S: 'registered',
  P: 'preliminary',
  C: 'corrected',
  R: 'partial',
  F: 'final',
  X: 'cancelled',
};

const PLAC = { coding: [{ system: CS.v2('0203'), code: 'PLAC', display: 'Placer Identifier' }] };
const FILL = { coding: [{ system: CS.v2('0203'), code: 'FILL', display: 'Filler Identifier' }] };

/**
 * Placer and filler numbers of an order from OBR-2/3, with ORC-2/3 as fallback; an ORC number that
 * differs from the OBR's is kept as an extra identifier rather than dropped.
 */
export function orderNumbers(ctx: MapContext, obr: Hl7Segment | undefined, orc: Hl7Segment | undefined) {
  const read = (field: number, kind: string) => {
    const fromObr = obr === undefined ? undefined : entityIdentifier(ctx, obr, field, kind);
    const fromOrc = orc === undefined ? undefined : entityIdentifier(ctx, orc, field, kind);
    const extra =
      fromObr !== undefined &&
      fromOrc !== undefined &&
      (fromObr.value !== fromOrc.value || fromObr.system !== fromOrc.system)
        ? fromOrc
        : undefined;
    return { main: fromObr ?? fromOrc, extra };
  };
  const p = read(2, 'placer-order');
  const f = read(3, 'filler-order');
  const identifiers: Identifier[] = [];
  for (const [id, type] of [
    [p.main, PLAC],
    [p.extra, PLAC],
    [f.main, FILL],
    [f.extra, FILL],
  ] as const) {
    if (id !== undefined) identifiers.push({ type, ...id });
  }
  return { placer: p.main, filler: f.main, identifiers };
}

/** SPM → Specimen keyed on SPM-2 (filler, then placer number) or on the report key. */
export function mapSpecimen(ctx: MapContext, spm: Hl7Segment, fallbackKey: string): string {
  ctx.use(spm, 1);
  const key = entityIdentifier(ctx, spm, 2, 'specimen', 2) ??
    entityIdentifier(ctx, spm, 2, 'specimen', 1) ?? {
      system: localSystem(ctx.facility, 'specimen'),
      value: fallbackKey,
    };
  const specimen: FhirResource = {
    resourceType: 'Specimen',
    identifier: [key],
    type: codeable(ctx, spm, 4),
    subject: ctx.patientUrl === undefined ? undefined : { reference: ctx.patientUrl },
    receivedTime: ctx.dateTime(spm, 18),
    collection: {
      collectedDateTime: ctx.dateTime(spm, 17),
      method: codeable(ctx, spm, 7),
      bodySite: codeable(ctx, spm, 8),
    },
  };
  return ctx.add(specimen, key, 'update');
}

interface Report {
  readonly resource: Record<string, unknown>;
  readonly keyValue: string;
  readonly effective: string | undefined;
  readonly usedKeys: Set<string>;
  readonly obr: Hl7Segment;
  specimens: number;
}

/** ORU_R01 → Patient, Encounter, DiagnosticReport per OBR, Observation per OBX, Specimen per SPM. */
export function mapOru(ctx: MapContext): void {
  let orc: Hl7Segment | undefined;
  let report: Report | undefined;
  let lastObservation: string | undefined;
  let sawPid = false;
  for (const seg of ctx.message.segments) {
    switch (seg.name) {
      case 'PID':
        sawPid = true;
        mapPatient(ctx, seg, ctx.opts.patientWrite ?? 'create');
        break;
      case 'PV1':
        mapEncounter(ctx, seg, 'R01', 'create', ctx.patientKeyValue ?? '');
        break;
      case 'ORC':
        orc = seg;
        ctx.use(seg, 1);
        break;
      case 'OBR':
        if (!sawPid) missingSegment('PID', ctx.message.type.structure);
        report = diagnosticReport(ctx, seg, orc);
        orc = undefined;
        lastObservation = undefined;
        break;
      case 'OBX': {
        if (report === undefined) missingSegment('OBR', ctx.message.type.structure);
        lastObservation = mapObservation(
          ctx,
          seg,
          {
            keyValue: report.keyValue,
            effective: report.effective,
            subject: ctx.patientUrl,
            encounter: ctx.encounterUrl,
          },
          report.usedKeys,
        );
        const results = report.resource.result as { reference: string }[];
        if (!results.some((x) => x.reference === lastObservation))
          results.push({ reference: lastObservation });
        break;
      }
      case 'NTE':
        if (lastObservation !== undefined) note(ctx, seg, lastObservation);
        break;
      case 'SPM':
        if (report !== undefined) {
          report.specimens++;
          const url = mapSpecimen(ctx, seg, `${report.keyValue}/${report.specimens}`);
          (report.resource.specimen as unknown[]).push({ reference: url });
        }
        break;
    }
  }
  if (!sawPid) missingSegment('PID', ctx.message.type.structure);
  if (report === undefined) missingSegment('OBR', ctx.message.type.structure);
}

/** NTE-3 lines → `note` of the resource at `url`. */
export function note(ctx: MapContext, nte: Hl7Segment, url: string): void {
  ctx.use(nte, 1, 2);
  const lines: string[] = [];
  for (let r = 1; r <= ctx.reps(nte, 3); r++) lines.push(ctx.get(nte, 3, 1, r) ?? '');
  const text = lines.join('\n').trim();
  const target = ctx.resourceAt(url) as Record<string, unknown> | undefined;
  if (text === '' || target === undefined) return;
  const notes = (target.note as unknown[] | undefined) ?? [];
  notes.push({ text });
  target.note = notes;
}

function diagnosticReport(ctx: MapContext, obr: Hl7Segment, orc: Hl7Segment | undefined): Report {
  ctx.use(obr, 1);
  const { placer, filler, identifiers } = orderNumbers(ctx, obr, orc);
  const key = filler ?? placer;
  if (key === undefined) {
    throw new Hl7Error(
      'MISSING_FIELD',
      `${ctx.path(obr, 3)}: OBR-3/OBR-2 (filler/placer order number) are empty / thiếu số chỉ định`,
      {
        details: { segment: 'OBR', field: 3 },
      },
    );
  }
  const code = codeable(ctx, obr, 4);
  if (code === undefined) {
    throw new Hl7Error(
      'MISSING_FIELD',
      `${ctx.path(obr, 4)} (universal service identifier) is empty / thiếu mã dịch vụ OBR-4`,
      {
        details: { segment: 'OBR', field: 4 },
      },
    );
  }
  const statusCode = ctx.get(obr, 25)?.toUpperCase();
  let status = lookup(REPORT_STATUS, statusCode);
  if (status === undefined) {
    ctx.warn(
      statusCode === undefined ? 'STATUS_MISSING' : 'CODE_UNMAPPED',
      ctx.path(obr, 25),
      statusCode === undefined
        ? 'OBR-25 (result status) is empty: status "unknown"'
        : `Result status "${statusCode}" has no DiagnosticReport status`,
      'thiếu hoặc sai trạng thái OBR-25',
      statusCode,
    );
    status = 'unknown';
  }
  const effective = ctx.dateTime(obr, 7);
  const category = tableCode(ctx, obr, 24, '0074');
  const resource: Record<string, unknown> = {
    resourceType: 'DiagnosticReport',
    identifier: identifiers,
    basedOn: placer === undefined ? undefined : [{ type: 'ServiceRequest', identifier: placer }],
    status,
    category: category === undefined ? undefined : [category],
    code,
    subject: ctx.patientUrl === undefined ? undefined : { reference: ctx.patientUrl },
    encounter: ctx.encounterUrl === undefined ? undefined : { reference: ctx.encounterUrl },
    effectiveDateTime: effective,
    issued: ctx.instant(obr, 22),
    specimen: [],
    result: [],
  };
  const stored = ctx.resourceAt(ctx.add(resource as FhirResource, key, 'update')) as Record<string, unknown>;
  const r: Report = {
    resource: stored,
    keyValue: key.value,
    effective,
    usedKeys: new Set(),
    obr,
    specimens: 0,
  };
  // v2.3 feeds without SPM name the specimen in OBR-15.
  if (ctx.message.segment('SPM') === undefined && obr.repetitionCount(15) > 0) {
    const type = codeable(ctx, obr, 15);
    const spKey = { system: localSystem(ctx.facility, 'specimen'), value: `${key.value}/1` };
    const url = ctx.add(
      {
        resourceType: 'Specimen',
        identifier: [spKey],
        type,
        subject: ctx.patientUrl === undefined ? undefined : { reference: ctx.patientUrl },
        collection: { collectedDateTime: effective },
      },
      spKey,
      'update',
    );
    (stored.specimen as unknown[]).push({ reference: url });
  }
  return r;
}

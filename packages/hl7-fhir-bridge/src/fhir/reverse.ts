import { DEFAULT_DELIMITERS, escapeText } from '../er7/escape.js';
import { parseHl7, type Hl7Message } from '../er7/message.js';
import { Hl7Error } from '../errors.js';
import { formatDtm } from '../timestamp.js';
import { CODING_SYSTEMS, VN_SYSTEMS } from './systems.js';
import type { FhirResource } from './types.js';

/** Header values and clock for messages built from FHIR resources. */
export interface ReverseOptions {
  /** MSH-3. Default `DTTM_HUB`. */
  readonly sendingApplication?: string;
  /** MSH-4. Default `SYT`. */
  readonly sendingFacility?: string;
  /** MSH-5: the receiving HIS. */
  readonly receivingApplication?: string;
  /** MSH-6: the receiving facility (its MRNs are those with `patient-internal-id/<MSH-6>`). */
  readonly receivingFacility?: string;
  /** MSH-10. */
  readonly controlId: string;
  /** MSH-7 comes from it. Default the system clock. */
  readonly clock?: () => Date;
  /** Offset of MSH-7. Default `+07:00`. */
  readonly offset?: string;
  /** MSH-12. Default `2.5.1`. */
  readonly version?: string;
  /** MSH-11. Default `P`. */
  readonly processingId?: string;
}

/** A field: text, components, or repetitions of components. */
type Field = string | readonly string[] | readonly (readonly string[])[];
type Json = Record<string, unknown>;

const d = DEFAULT_DELIMITERS;
const esc = (s: string) => escapeText(s.normalize('NFC'), d);

function field(f: Field | undefined): string {
  if (f === undefined) return '';
  if (typeof f === 'string') return esc(f);
  if (f.length > 0 && Array.isArray(f[0])) {
    return (f as readonly (readonly string[])[])
      .map((rep) => trimJoin(rep.map(esc), d.component))
      .join(d.repetition);
  }
  return trimJoin((f as readonly string[]).map(esc), d.component);
}

function trimJoin(parts: string[], sep: string): string {
  let n = parts.length;
  while (n > 0 && parts[n - 1] === '') n--;
  return parts.slice(0, n).join(sep);
}

function segment(name: string, fields: Record<number, Field | undefined>): string {
  const max = Math.max(
    0,
    ...Object.keys(fields)
      .map(Number)
      .filter((k) => field(fields[k]) !== ''),
  );
  const out = [name];
  for (let i = 1; i <= max; i++) out.push(field(fields[i]));
  return out.join(d.field);
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const obj = (v: unknown): Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};

/** FHIR date/dateTime/instant → HL7 DTM, keeping its precision and offset (`Z` → `+0000`). */
export function fhirToDtm(value: string): string {
  const m =
    /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2}))?)?)?$/.exec(
      value,
    );
  if (m === null) return '';
  const [, y, mo = '', dd = '', h, mi, s, frac, zone] = m;
  if (h === undefined) return `${y}${mo}${dd}`;
  const off = zone === undefined || zone === 'Z' ? '+0000' : zone.replace(':', '');
  return `${y}${mo}${dd}${h}${mi}${s}${frac === undefined ? '' : `.${frac.slice(0, 4)}`}${off}`;
}

const SYSTEM_NAMES = new Map<string, string>();
for (const [name, uri] of Object.entries(CODING_SYSTEMS))
  if (!SYSTEM_NAMES.has(uri)) SYSTEM_NAMES.set(uri, name);

/** A system URI → the CWE-3 name (`LN`, `HL70276`…), or the URI itself. */
function systemName(uri: string): string {
  const table = /^http:\/\/terminology\.hl7\.org\/CodeSystem\/v2-(\d{4})$/.exec(uri);
  if (table !== null) return `HL7${table[1]}`;
  return SYSTEM_NAMES.get(uri) ?? uri;
}

/** CodeableConcept → CWE (first coding; its text as CWE-9 when it differs). */
function cwe(cc: unknown): string[] {
  const c = obj(cc);
  const coding = obj(arr(c.coding)[0]);
  const code = str(coding.code);
  const text = str(c.text);
  if (code === '') return text === '' ? [] : ['', text];
  return [
    code,
    str(coding.display),
    str(coding.system) === '' ? '' : systemName(str(coding.system)),
    '',
    '',
    '',
    '',
    '',
    text,
  ];
}

const GENDER: Record<string, string> = { male: 'M', female: 'F', other: 'O', unknown: 'U' };
const NAME_USE: Record<string, string> = { official: 'L', usual: 'D', maiden: 'M', nickname: 'N' };
const ADDRESS_USE: Record<string, string> = { home: 'H', work: 'B', temp: 'C', old: 'BA' };

/** Patient.identifier → CX repetitions, with the authority and type the forward mapping recognises. */
function cxList(identifiers: unknown): string[][] {
  const out: string[][] = [];
  for (const id of arr(identifiers)) {
    const system = str(id.system);
    const value = str(id.value);
    if (value === '') continue;
    const period = obj(id.period);
    const dates = [fhirToDtm(str(period.start)), fhirToDtm(str(period.end))];
    const typeCode = str(obj(arr(obj(id.type).coding)[0]).code);
    let authority = '';
    let type = typeCode;
    if (system === VN_SYSTEMS.nationalId) [authority, type] = ['BCA', 'NI'];
    else if (system === VN_SYSTEMS.citizenId) [authority, type] = ['BCA', 'CMND'];
    else if (system === VN_SYSTEMS.insuranceNumber) [authority, type] = ['BHXH', 'HC'];
    else if (system === VN_SYSTEMS.mohPatientId) [authority, type] = ['BYT', 'PT'];
    else if (system.startsWith(`${VN_SYSTEMS.patientInternalId}/`)) {
      const rest = system.slice(VN_SYSTEMS.patientInternalId.length + 1).split('/');
      authority = rest[0] ?? '';
      type = rest[1]?.toUpperCase() ?? (typeCode || 'MR');
    } else authority = system;
    out.push([value, '', '', authority, type, '', dates[0] ?? '', dates[1] ?? '']);
  }
  return out;
}

/** Patient → PID (identifiers, names, birth, sex, address, phones, death). */
function pid(patient: FhirResource): string {
  const ids = cxList(patient.identifier);
  if (ids.length === 0) {
    throw new Hl7Error(
      'MISSING_FIELD',
      'Patient.identifier is empty: PID-3 cannot be built / thiếu mã định danh người bệnh',
      {
        details: { element: 'Patient.identifier', segment: 'PID', field: 3 },
      },
    );
  }
  const names = arr(patient.name).map((n) => [
    str(n.family),
    arr(n.given).map(str).join(' '),
    '',
    str(arr(n.suffix)[0]),
    str(arr(n.prefix)[0]),
    '',
    NAME_USE[str(n.use)] ?? '',
  ]);
  const addresses = arr(patient.address).map((a) => {
    const line = arr(a.line).map(str);
    return [
      line[0] ?? '',
      line.slice(1).join(', '),
      str(a.city),
      str(a.state),
      str(a.postalCode),
      str(a.country),
      ADDRESS_USE[str(a.use)] ?? '',
      '',
      str(a.district),
    ];
  });
  const phones = (work: boolean) =>
    arr(patient.telecom)
      .filter((t) => (str(t.use) === 'work') === work)
      .map((t) => {
        const system = str(t.system);
        if (system === 'email') return ['', 'NET', 'Internet', str(t.value)];
        const equip =
          system === 'fax' ? 'FX' : system === 'pager' ? 'BP' : str(t.use) === 'mobile' ? 'CP' : 'PH';
        return [str(t.value), work ? 'WPN' : 'PRN', equip];
      });
  const deceased =
    typeof patient.deceasedDateTime === 'string'
      ? { 29: fhirToDtm(patient.deceasedDateTime), 30: 'Y' }
      : typeof patient.deceasedBoolean === 'boolean'
        ? { 30: patient.deceasedBoolean ? 'Y' : 'N' }
        : {};
  return segment('PID', {
    1: '1',
    3: ids,
    5: names,
    7: fhirToDtm(str(patient.birthDate)),
    8: GENDER[str(patient.gender)] ?? '',
    11: addresses,
    13: phones(false),
    14: phones(true),
    15: cwe(obj(arr(patient.communication)[0]).language),
    16: cwe(patient.maritalStatus),
    ...deceased,
  });
}

function msh(o: ReverseOptions, type: readonly string[]): string {
  const now = (o.clock ?? (() => new Date()))();
  return (
    'MSH|^~\\&|' +
    [
      field(o.sendingApplication ?? 'DTTM_HUB'),
      field(o.sendingFacility ?? 'SYT'),
      field(o.receivingApplication ?? ''),
      field(o.receivingFacility ?? ''),
      formatDtm(now, o.offset ?? '+07:00'),
      '',
      field(type),
      field(o.controlId),
      field(o.processingId ?? 'P'),
      field(o.version ?? '2.5.1'),
      '',
      '',
      'AL',
      'NE',
      '',
      'UNICODE UTF-8',
    ].join('|')
  );
}

function build(lines: string[]): Hl7Message {
  return parseHl7(lines.join('\r') + '\r');
}

/** FHIR Patient → ADT_A08 (update patient information), to push demographics back into an HIS. */
export function patientToAdtA08(patient: FhirResource, options: ReverseOptions): Hl7Message {
  if (patient.resourceType !== 'Patient') {
    throw new Hl7Error(
      'UNSUPPORTED_MESSAGE_TYPE',
      `Expected a Patient, got ${patient.resourceType} / cần tài nguyên Patient`,
      {
        details: { resourceType: patient.resourceType },
      },
    );
  }
  const now = (options.clock ?? (() => new Date()))();
  const clocked = { ...options, clock: () => now };
  return build([
    msh(clocked, ['ADT', 'A08', 'ADT_A01']),
    segment('EVN', { 1: 'A08', 2: formatDtm(now, options.offset ?? '+07:00') }),
    pid(patient),
    segment('PV1', { 1: '1', 2: 'N' }),
  ]);
}

const FILLER_STATUS: Record<string, string> = {
  proposed: 'Pending',
  pending: 'Pending',
  booked: 'Booked',
  arrived: 'Started',
  'checked-in': 'Started',
  fulfilled: 'Complete',
  cancelled: 'Cancelled',
  noshow: 'Noshow',
  'entered-in-error': 'Deleted',
  waitlist: 'Waitlist',
};

/** An identifier's value and its EI namespace (the `<namespace>` of `urn:dttm:sid:<namespace>:<kind>`). */
function ei(id: Json | undefined): string[] {
  if (id === undefined) return [];
  const system = str(id.system);
  const local = /^urn:dttm:sid:([^:]+):/.exec(system);
  return [
    str(id.value),
    local?.[1] ?? '',
    local === null && system !== '' ? system : '',
    local === null && system !== '' ? 'URI' : '',
  ];
}

function typeCode(id: Json): string {
  return str(obj(arr(obj(id.type).coding)[0]).code);
}

/** XCN from a logical Practitioner reference: id, then the display split family-first. */
function xcn(ref: Json): string[] {
  const words = str(ref.display)
    .split(/\s+/)
    .filter((w) => w !== '');
  return [str(obj(ref.identifier).value), words[0] ?? '', words.slice(1).join(' ')];
}

/**
 * FHIR Appointment → SIU_S12 (new booking), to push online bookings into an HIS. `patient` fills PID;
 * without it PID-3 comes from the patient participant's identifier. Start/end go to SCH-11 and TQ1.
 */
export function appointmentToSiuS12(
  appointment: FhirResource,
  options: ReverseOptions & { readonly patient?: FhirResource },
): Hl7Message {
  if (appointment.resourceType !== 'Appointment') {
    throw new Hl7Error(
      'UNSUPPORTED_MESSAGE_TYPE',
      `Expected an Appointment, got ${appointment.resourceType} / cần tài nguyên Appointment`,
      {
        details: { resourceType: appointment.resourceType },
      },
    );
  }
  const ids = arr(appointment.identifier);
  const placer = ids.find((i) => typeCode(i) === 'PLAC') ?? ids.find((i) => typeCode(i) === '');
  const filler = ids.find((i) => typeCode(i) === 'FILL');
  if (placer === undefined && filler === undefined) {
    throw new Hl7Error(
      'MISSING_FIELD',
      'Appointment.identifier is empty: SCH-1/SCH-2 cannot be built / thiếu mã lịch hẹn',
      {
        details: { element: 'Appointment.identifier', segment: 'SCH', field: 1 },
      },
    );
  }
  const participants = arr(appointment.participant);
  const isPatient = (p: Json) =>
    str(obj(p.actor).type) === 'Patient' || str(obj(p.actor).reference).startsWith('Patient');
  let patientSegment: string;
  if (options.patient !== undefined) patientSegment = pid(options.patient);
  else {
    const actor = obj(participants.find(isPatient)?.actor);
    const id = obj(actor.identifier);
    if (str(id.value) === '') {
      throw new Hl7Error(
        'MISSING_FIELD',
        'No patient: pass options.patient or give the patient participant an identifier / thiếu người bệnh',
        {
          details: { element: 'Appointment.participant.actor', segment: 'PID', field: 3 },
        },
      );
    }
    patientSegment = pid({ resourceType: 'Patient', identifier: [id] });
  }
  const start = fhirToDtm(str(appointment.start));
  const end = fhirToDtm(str(appointment.end));
  const minutes = typeof appointment.minutesDuration === 'number' ? String(appointment.minutesDuration) : '';
  const lines = [
    msh(options, ['SIU', 'S12', 'SIU_S12']),
    segment('SCH', {
      1: ei(placer),
      2: ei(filler),
      7: cwe(appointment.appointmentType),
      9: minutes,
      10: minutes === '' ? '' : 'MIN',
      11: ['', '', minutes, start, end],
      25: FILLER_STATUS[str(appointment.status)] ?? '',
    }),
  ];
  if (start !== '' || end !== '') lines.push(segment('TQ1', { 1: '1', 7: start, 8: end }));
  if (str(appointment.comment) !== '')
    lines.push(
      segment('NTE', {
        1: '1',
        3: str(appointment.comment)
          .split('\n')
          .map((l) => [l]),
      }),
    );
  lines.push(patientSegment, segment('RGS', { 1: '1', 2: 'A' }));
  let n = 0;
  for (const st of arr(appointment.serviceType))
    lines.push(segment('AIS', { 1: String(++n), 2: 'A', 3: cwe(st) }));
  n = 0;
  for (const p of participants) {
    const actor = obj(p.actor);
    if (str(actor.type) !== 'Location') continue;
    const value = str(obj(actor.identifier).value).split('/');
    lines.push(
      segment('AIL', { 1: String(++n), 2: 'A', 3: [value[0] ?? '', value[1] ?? '', value[2] ?? ''] }),
    );
  }
  n = 0;
  for (const p of participants) {
    const actor = obj(p.actor);
    if (str(actor.type) !== 'Practitioner') continue;
    lines.push(segment('AIP', { 1: String(++n), 2: 'A', 3: xcn(actor), 4: cwe(arr(p.type)[0]) }));
  }
  return build(lines);
}

/**
 * Structural checks of FHIR R4 transaction bundles produced by the mapping: required elements,
 * the value sets the mapping uses, date/dateTime/instant formats, no empty elements, NFC text,
 * conditional requests keyed on an identifier the resource carries, and every urn:uuid reference
 * resolved inside the bundle.
 */
const DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;
const DATE_TIME =
  /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00)))?)?)?$/;
const INSTANT =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))$/;

const DATE_KEYS = new Set(['birthDate', 'expirationDate']);
const DATE_TIME_KEYS = new Set([
  'effectiveDateTime',
  'occurrenceDateTime',
  'authoredOn',
  'collectedDateTime',
  'receivedTime',
  'deceasedDateTime',
  'valueDateTime',
  'creation',
]);
const INSTANT_KEYS = new Set(['issued', 'timestamp']);

const V3_INTERPRETATION = new Set(
  '< > A AA B CAR D DET E EX EXP H HH HU I IE IND L LL LU N NCL ND NEG NR NS POS R RR S SDD SYN-R SYN-S U UNE W WR'.split(
    ' ',
  ),
);

const VALUE_SETS: Record<string, Record<string, readonly string[]>> = {
  Patient: { gender: ['male', 'female', 'other', 'unknown'] },
  Encounter: {
    status: [
      'planned',
      'arrived',
      'triaged',
      'in-progress',
      'onleave',
      'finished',
      'cancelled',
      'entered-in-error',
      'unknown',
    ],
  },
  Observation: {
    status: [
      'registered',
      'preliminary',
      'final',
      'amended',
      'corrected',
      'cancelled',
      'entered-in-error',
      'unknown',
    ],
  },
  DiagnosticReport: {
    status: [
      'registered',
      'partial',
      'preliminary',
      'final',
      'amended',
      'corrected',
      'appended',
      'cancelled',
      'entered-in-error',
      'unknown',
    ],
  },
  ServiceRequest: {
    status: ['draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown'],
    intent: [
      'proposal',
      'plan',
      'directive',
      'order',
      'original-order',
      'reflex-order',
      'filler-order',
      'instance-order',
      'option',
    ],
    priority: ['routine', 'urgent', 'asap', 'stat'],
  },
  Appointment: {
    status: [
      'proposed',
      'pending',
      'booked',
      'arrived',
      'fulfilled',
      'cancelled',
      'noshow',
      'entered-in-error',
      'checked-in',
      'waitlist',
    ],
  },
  DocumentReference: {
    status: ['current', 'superseded', 'entered-in-error'],
    docStatus: ['preliminary', 'final', 'amended', 'entered-in-error'],
  },
  Immunization: { status: ['completed', 'entered-in-error', 'not-done'] },
  Coverage: { status: ['active', 'cancelled', 'draft', 'entered-in-error'] },
  Specimen: {},
};

const REQUIRED: Record<string, readonly string[]> = {
  Encounter: ['status', 'class'],
  Observation: ['status', 'code'],
  DiagnosticReport: ['status', 'code'],
  ServiceRequest: ['status', 'intent', 'subject'],
  Appointment: ['status', 'participant'],
  DocumentReference: ['status', 'content'],
  Immunization: ['status', 'vaccineCode', 'patient'],
  Coverage: ['status', 'beneficiary', 'payor'],
};

type Json = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? 'undefined'));

function walk(value: unknown, path: string, visit: (key: string, v: unknown, path: string) => void): void {
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, visit));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      visit(k, v, `${path}.${k}`);
      walk(v, `${path}.${k}`, visit);
    }
  }
}

export function validateBundle(bundle: unknown): string[] {
  const errors: string[] = [];
  const b = bundle as Json;
  if (b.resourceType !== 'Bundle') errors.push('resourceType is not Bundle');
  if (b.type !== 'transaction') errors.push('type is not transaction');
  if (b.timestamp !== undefined && !INSTANT.test(str(b.timestamp)))
    errors.push(`timestamp ${str(b.timestamp)}`);
  const entries = (b.entry ?? []) as Json[];
  if (!Array.isArray(entries) || entries.length === 0) errors.push('no entries');
  const urls = new Set<string>();
  for (const e of entries) {
    const url = str(e.fullUrl);
    if (!/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(url))
      errors.push(`fullUrl ${url}`);
    if (urls.has(url)) errors.push(`duplicate fullUrl ${url}`);
    urls.add(url);
  }
  entries.forEach((e, i) => {
    const r = e.resource as Json;
    const rt = str(r.resourceType);
    const at = `entry[${i}] ${rt}`;
    if (VALUE_SETS[rt] === undefined && rt !== 'Patient') errors.push(`${at}: unexpected resource type`);
    for (const key of REQUIRED[rt] ?? []) {
      const v = r[key];
      if (v === undefined || (Array.isArray(v) && v.length === 0)) errors.push(`${at}: ${key} is required`);
    }
    for (const [key, allowed] of Object.entries(VALUE_SETS[rt] ?? {})) {
      if (r[key] !== undefined && !allowed.includes(str(r[key])))
        errors.push(`${at}: ${key} "${str(r[key])}" not in its value set`);
    }
    // Conditional request keyed on an identifier the resource has.
    const req = e.request as Json;
    const q =
      req.method === 'PUT'
        ? str(req.url).split('?identifier=')[1]
        : str(req.ifNoneExist ?? '').replace(/^identifier=/, '');
    if (req.method === 'PUT' && !str(req.url).startsWith(`${rt}?identifier=`))
      errors.push(`${at}: PUT url ${str(req.url)}`);
    if (req.method === 'POST' && (req.url !== rt || req.ifNoneExist === undefined))
      errors.push(`${at}: POST without ifNoneExist`);
    const ids = [
      ...((r.identifier ?? []) as Json[]),
      ...(r.masterIdentifier === undefined ? [] : [r.masterIdentifier as Json]),
    ];
    const keys = ids.map(
      (id) =>
        `${encodeURIComponent(str(id.system)).replace(/%3A/gi, ':').replace(/%2F/gi, '/')}|${encodeURIComponent(str(id.value)).replace(/%3A/gi, ':').replace(/%2F/gi, '/')}`,
    );
    if (q === undefined || !keys.includes(q))
      errors.push(`${at}: conditional key ${str(q)} is not one of its identifiers`);
    for (const id of ids)
      if (id.value === undefined || id.system === undefined)
        errors.push(`${at}: identifier without system/value`);
    if (rt === 'Encounter') {
      const c = r.class as Json | undefined;
      if (c?.system === undefined || c.code === undefined) errors.push(`${at}: class needs system and code`);
    }
    if (rt === 'Observation') {
      const values = Object.keys(r).filter((k) => k.startsWith('value'));
      if (values.length > 1) errors.push(`${at}: several value[x]`);
      for (const interp of (r.interpretation ?? []) as Json[]) {
        for (const c of (interp.coding ?? []) as Json[]) {
          if (
            c.system !== 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation' ||
            !V3_INTERPRETATION.has(str(c.code))
          ) {
            errors.push(`${at}: interpretation ${str(c.code)} not in v3 ObservationInterpretation`);
          }
        }
      }
      const q2 = r.valueQuantity as Json | undefined;
      if (q2 !== undefined) {
        if (typeof q2.value !== 'number') errors.push(`${at}: valueQuantity.value not a number`);
        if (q2.comparator !== undefined && !['<', '<=', '>=', '>'].includes(str(q2.comparator)))
          errors.push(`${at}: comparator`);
        if (q2.code !== undefined && q2.system === undefined)
          errors.push(`${at}: quantity code without system`);
      }
    }
    if (rt === 'Appointment') {
      const status = str(r.status);
      if (
        (r.start === undefined || r.end === undefined) &&
        !['proposed', 'cancelled', 'waitlist'].includes(status)
      ) {
        errors.push(`${at}: app-3 start and end are required when ${status}`);
      }
      for (const k of ['start', 'end'])
        if (r[k] !== undefined && !INSTANT.test(str(r[k]))) errors.push(`${at}: ${k} not an instant`);
      for (const p of (r.participant ?? []) as Json[]) {
        if (!['accepted', 'declined', 'tentative', 'needs-action'].includes(str(p.status)))
          errors.push(`${at}: participant.status`);
        if (p.actor === undefined && p.type === undefined)
          errors.push(`${at}: app-1 participant needs actor or type`);
      }
    }
    if (rt === 'DocumentReference') {
      if (r.date !== undefined && !INSTANT.test(str(r.date))) errors.push(`${at}: date not an instant`);
      for (const c of (r.content ?? []) as Json[]) {
        const a = c.attachment as Json | undefined;
        if (a?.contentType === undefined) errors.push(`${at}: attachment without contentType`);
        if (a?.data !== undefined && Buffer.from(str(a.data), 'base64').toString('base64') !== str(a.data))
          errors.push(`${at}: data not base64`);
      }
    }
    if (rt === 'Immunization' && r.occurrenceDateTime === undefined)
      errors.push(`${at}: occurrence[x] is required`);
    if (rt === 'Patient') {
      for (const l of (r.link ?? []) as Json[]) {
        if (!['replaced-by', 'replaces', 'refer', 'seealso'].includes(str(l.type)))
          errors.push(`${at}: link.type`);
      }
    }
    walk(r, at, (key, v, path) => {
      if (
        v === '' ||
        (Array.isArray(v) && v.length === 0) ||
        (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0)
      ) {
        errors.push(`${path}: empty element`);
      }
      if (typeof v === 'string' && v !== v.normalize('NFC')) errors.push(`${path}: text not NFC`);
      if (key === 'reference' && typeof v === 'string' && v.startsWith('urn:uuid:') && !urls.has(v))
        errors.push(`${path}: unresolved ${v}`);
      if (DATE_KEYS.has(key) && !DATE.test(str(v))) errors.push(`${path}: not a FHIR date: ${str(v)}`);
      if (DATE_TIME_KEYS.has(key) && !DATE_TIME.test(str(v)))
        errors.push(`${path}: not a FHIR dateTime: ${str(v)}`);
      if (INSTANT_KEYS.has(key) && !INSTANT.test(str(v)))
        errors.push(`${path}: not a FHIR instant: ${str(v)}`);
      if ((key === 'start' || key === 'end') && path.includes('.period.') && !DATE_TIME.test(str(v)))
        errors.push(`${path}: period not a dateTime`);
      if (
        key === 'system' &&
        !path.includes('.telecom[') &&
        typeof v === 'string' &&
        !/^(https?:\/\/|urn:)/.test(v)
      )
        errors.push(`${path}: system is not a URI: ${v}`);
    });
  });
  return errors;
}

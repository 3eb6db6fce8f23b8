import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  VN_SYSTEMS,
  classifyCx,
  hl7ToFhir,
  isHl7Error,
  parseHl7,
  type FhirResource,
  type Hl7ErrorCode,
  type MappingOptions,
  type MappingResult,
} from '../src/index.js';
import { validateBundle } from './fhir-validate.js';

const dir = path.resolve(import.meta.dirname, '../../../specs/conformance/hl7v2/fhir');
const vectors = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.hl7'))
  .map((f) => f.slice(0, -4))
  .sort();
const input = (name: string) => fs.readFileSync(path.join(dir, `${name}.hl7`));
const json = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
const map = (name: string, options?: MappingOptions) => hl7ToFhir(input(name), options);

/** Mapped JSON read loosely in assertions. */
type Key =
  | 'address'
  | 'attachment'
  | 'beneficiary'
  | 'birthDate'
  | 'bodySite'
  | 'cancelationReason'
  | 'class'
  | 'code'
  | 'coding'
  | 'collectedDateTime'
  | 'collection'
  | 'comment'
  | 'content'
  | 'data'
  | 'details'
  | 'dischargeDisposition'
  | 'display'
  | 'docStatus'
  | 'doseQuantity'
  | 'effectiveDateTime'
  | 'ehealth'
  | 'end'
  | 'example'
  | 'extension'
  | 'gender'
  | 'get'
  | 'gov'
  | 'high'
  | 'hl7'
  | 'hospitalization'
  | 'identifier'
  | 'info'
  | 'intent'
  | 'interpretation'
  | 'json'
  | 'line'
  | 'link'
  | 'location'
  | 'lotNumber'
  | 'low'
  | 'masterIdentifier'
  | 'meta'
  | 'minutesDuration'
  | 'name'
  | 'note'
  | 'occurrenceDateTime'
  | 'org'
  | 'participant'
  | 'patient'
  | 'period'
  | 'primarySource'
  | 'priority'
  | 'reasonCode'
  | 'reference'
  | 'referenceRange'
  | 'report'
  | 'requisition'
  | 'res'
  | 'result'
  | 'segments'
  | 'specimen'
  | 'start'
  | 'status'
  | 'statusReason'
  | 'system'
  | 'tag'
  | 'text'
  | 'type'
  | 'types'
  | 'vaccineCode'
  | 'value'
  | 'valueCodeableConcept'
  | 'valueQuantity'
  | 'valueRange'
  | 'valueRatio'
  | 'valueString'
  | 'vn';
type J = { readonly [K in Key | 0 | 1 | 2 | 3]: J } & {
  readonly length: number;
  map<T>(fn: (v: J) => T): T[];
};
const loose = (v: unknown) => v as J;

function resources(r: MappingResult, type: string): J[] {
  return r.bundle.entry.filter((e) => e.resource.resourceType === type).map((e) => loose(e.resource));
}
function one(r: MappingResult, type: string): J {
  const all = resources(r, type);
  expect(all).toHaveLength(1);
  return all[0] as J;
}
/** Sets a value at a path such as `entry[1].resource.status` in a JSON copy. */
function setAt(root: unknown, path: string, value: unknown): void {
  const keys = path.split(/[.[\]]/).filter((k) => k !== '');
  let node = root as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  node[keys.at(-1) as string] = value;
}
function codeOf(fn: () => unknown): { code: Hl7ErrorCode; details: unknown } | undefined {
  try {
    fn();
  } catch (err) {
    if (isHl7Error(err)) return { code: err.code, details: err.details };
    throw err;
  }
  return undefined;
}
const er7 = (...segments: string[]) => segments.join('\r') + '\r';

describe('conformance vectors (specs/conformance/hl7v2/fhir)', () => {
  it('has at least 25 messages across ADT, ORU, ORM, OML, SIU, MDM and VXU', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(25);
    const types = new Set(vectors.map((v) => v.split('-')[0]));
    expect([...types].sort()).toEqual(['adt', 'mdm', 'oml', 'orm', 'oru', 'siu', 'vxu']);
  });

  for (const name of vectors) {
    it(`${name}: bundle, warnings and unmapped equal the expected files; resources valid`, () => {
      const result = map(name);
      expect(result.bundle).toStrictEqual(json(`${name}.json`));
      expect({ warnings: result.warnings, unmapped: result.unmapped }).toStrictEqual(
        json(`${name}.report.json`),
      );
      expect(validateBundle(result.bundle)).toEqual([]);
    });
  }

  it('a replayed message gives the identical bundle (no new ids, no duplicates)', () => {
    for (const name of vectors) {
      const a = map(name);
      const b = map(name);
      expect(b).toStrictEqual(a);
      const urls = a.bundle.entry.map((e) => e.fullUrl);
      expect(new Set(urls).size).toBe(urls.length);
    }
  });

  it('the same patient gets the same fullUrl from the HIS, the LIS and the booking portal', () => {
    const patientUrl = (name: string) =>
      map(name).bundle.entry.find((e) => e.resource.resourceType === 'Patient')?.fullUrl;
    const url = patientUrl('adt-a01-vnpt-admit');
    expect(url).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(patientUrl('oru-r01-lis-roche-cbc')).toBe(url);
    expect(patientUrl('siu-s12-booking-online')).toBe(url);
    expect(patientUrl('orm-o01-vnpt-new-order')).toBe(url);
  });
});

describe('the structural validator', () => {
  it('finds what is wrong in a broken bundle', () => {
    const good = map('siu-s12-booking-online').bundle;
    const broken: unknown = structuredClone(good);
    setAt(broken, 'entry[1].resource.status', 'confirmed');
    setAt(broken, 'entry[1].resource.start', undefined);
    setAt(broken, 'entry[1].resource.participant[0].status', 'maybe');
    setAt(broken, 'entry[1].resource.comment', '');
    setAt(broken, 'entry[0].resource.gender', 'nam');
    setAt(broken, 'entry[1].request.url', 'Appointment?identifier=urn:x|1');
    setAt(broken, 'entry[0].resource.name[0].text', 'Nguye\u0302\u0303n');
    expect(validateBundle(broken)).toEqual([
      'entry[0] Patient: gender "nam" not in its value set',
      'entry[0] Patient.name[0].text: text not NFC',
      'entry[1] Appointment: status "confirmed" not in its value set',
      'entry[1] Appointment: conditional key urn:x|1 is not one of its identifiers',
      'entry[1] Appointment: app-3 start and end are required when confirmed',
      'entry[1] Appointment: participant.status',
      'entry[1] Appointment.comment: empty element',
    ]);
  });
});

describe('ADT → Patient, Encounter, Coverage', () => {
  it('A01: identifiers per VN Core, Vietnamese name and address, BHYT Coverage with validity', () => {
    const r = map('adt-a01-vnpt-admit');
    const p = one(r, 'Patient');
    expect(p.identifier.map((i) => [i.system, i.value])).toEqual([
      ['http://fhir.ehealth.gov.vn/core/sid/patient-internal-id/BVBG', 'BN000123'],
      [VN_SYSTEMS.nationalId, '024087001234'],
      [VN_SYSTEMS.insuranceNumber, 'GD4242420123456'],
    ]);
    expect(p.name).toEqual([
      { use: 'official', text: 'Nguyễn Văn An', family: 'Nguyễn', given: ['Văn', 'An'] },
    ]);
    expect(p.address[0]).toMatchObject({
      line: ['Số 12 Lê Lợi', 'Phường Trần Phú'],
      city: 'TP Bắc Giang',
      state: 'Bắc Giang',
      country: 'VN',
      use: 'home',
    });
    expect(r.bundle.entry[0]?.request).toEqual({
      method: 'PUT',
      url: 'Patient?identifier=http://fhir.ehealth.gov.vn/core/sid/national_id|024087001234',
    });
    const c = one(r, 'Coverage');
    expect(c.period).toEqual({ start: '2024-01-01', end: '2024-12-31' });
    expect(c.class.map((k) => [k.type.coding[0].code, k.value])).toEqual([
      ['group', 'GD'],
      ['plan', '4'],
    ]);
    expect(c.beneficiary.reference).toBe(r.bundle.entry[0]?.fullUrl);
    const e = one(r, 'Encounter');
    expect([e.status, e.class.code, e.period.start]).toEqual([
      'in-progress',
      'IMP',
      '2024-03-05T14:30:00+07:00',
    ]);
    expect(r.unmapped).toContainEqual({ segment: 'ZBH', occurrence: 1, path: 'ZBH' });
  });

  it('status per event: A02 in-progress with the old bed completed, A03 finished, A04 planned, A11 cancelled', () => {
    const a02 = one(map('adt-a02-vnpt-transfer'), 'Encounter');
    expect(a02.status).toBe('in-progress');
    expect(a02.location.map((l) => [l.location.identifier.value, l.status])).toEqual([
      ['NOI/101/A', 'completed'],
      ['HSTC/201/B', 'active'],
    ]);
    const a03 = one(map('adt-a03-vnpt-discharge'), 'Encounter');
    expect([a03.status, a03.period.end, a03.location[0].status]).toEqual([
      'finished',
      '2024-03-10T15:55:00+07:00',
      'completed',
    ]);
    expect(a03.hospitalization.dischargeDisposition.coding[0].code).toBe('01');
    expect(one(map('adt-a04-viettel-outpatient'), 'Encounter').status).toBe('planned');
    expect(one(map('adt-a11-vnpt-cancel'), 'Encounter').status).toBe('cancelled');
    expect(one(map('adt-a08-fpt-update'), 'Encounter').status).toBe('in-progress');
  });

  it('A28/A31 carry the person only; the Ministry id keys the Patient', () => {
    const r = map('adt-a28-viettel-person');
    expect(resources(r, 'Encounter')).toEqual([]);
    expect(r.bundle.entry[0]?.request.url).toBe(
      `Patient?identifier=${VN_SYSTEMS.mohPatientId}|YT2400000012345`,
    );
  });

  it('A40 retires the old record with replaced-by and links the survivor with replaces', () => {
    const r = map('adt-a40-vnpt-merge');
    const [survivor, old] = resources(r, 'Patient');
    const [survivorUrl, oldUrl] = r.bundle.entry.map((e) => e.fullUrl);
    expect(survivor?.link).toEqual([{ other: { reference: oldUrl }, type: 'replaces' }]);
    expect(old).toMatchObject({
      active: false,
      link: [{ other: { reference: survivorUrl }, type: 'replaced-by' }],
    });
    expect(r.bundle.entry[1]?.request.url).toBe(
      'Patient?identifier=http://fhir.ehealth.gov.vn/core/sid/patient-internal-id/BVBG|BN000999',
    );
  });

  it('v2.3 with LF terminators: a whole name in XPN-1 is split, CMND recognised, district from XAD-9', () => {
    const p = one(map('adt-a04-viettel-outpatient'), 'Patient');
    expect(p.name[0]).toEqual({ text: 'Trần Thị Bình', family: 'Trần', given: ['Thị', 'Bình'] });
    expect(p.identifier[1]).toMatchObject({ system: VN_SYSTEMS.citizenId, value: '121234567' });
    expect(p.address[0]).toMatchObject({
      line: ['Thôn Đồng Mới', 'Xã Phượng Sơn'],
      district: 'Huyện Lục Ngạn',
      state: 'Bắc Giang',
    });
  });

  it('escaped delimiters come out as text', () => {
    const p = one(map('adt-a08-fpt-update'), 'Patient');
    expect(p.address[0].line[0]).toBe('Số 5 & 7 Ngõ 12^3 Hoàng Hoa Thám');
  });
});

describe('Vietnamese identifiers', () => {
  it('classifies CX values by type and assigning authority', () => {
    expect(classifyCx({ value: '024087001234', type: 'NI', authority: 'BCA' })).toBe('cccd');
    expect(classifyCx({ value: '121234567', type: 'NI', authority: '' })).toBe('cmnd');
    expect(classifyCx({ value: '121234567', type: 'CMND', authority: '' })).toBe('cmnd');
    expect(classifyCx({ value: 'GD4242420123456', type: '', authority: 'BHXH' })).toBe('bhyt');
    expect(classifyCx({ value: 'X1', type: 'PT', authority: 'BYT' })).toBe('moh');
    expect(classifyCx({ value: 'BN1', type: '', authority: 'BVBG' })).toBe('mrn');
    expect(classifyCx({ value: 'B123', type: 'PPN', authority: '' })).toBe('other');
  });

  it('format problems are warnings; the identifiers are still written', () => {
    const r = map('adt-a31-fpt-bad-ids');
    expect(r.warnings.map((w) => [w.code, w.path, w.value])).toEqual([
      ['IDENTIFIER_FORMAT', 'PID-3[2]', '02417500987'],
      ['IDENTIFIER_FORMAT', 'PID-3[3]', 'XX9240012345'],
      ['IDENTIFIER_FORMAT', 'PID-3[4]', '12345'],
    ]);
    expect(one(r, 'Patient').identifier.map((i) => i.value)).toEqual([
      'YT-0045999',
      '02417500987',
      'XX9240012345',
      '12345',
    ]);
  });

  it('a CCCD whose century/sex digit and birth year disagree with PID-7/PID-8 is flagged', () => {
    const r = map('adt-a04-cccd-mismatch-minimal');
    expect(r.warnings[0]).toMatchObject({
      code: 'IDENTIFIER_MISMATCH',
      path: 'PID-3[2]',
      value: '024187001234',
    });
    expect(r.warnings[0]?.message).toContain('CCCD encodes sex female, PID-8 says male');
  });

  it('decodes Windows-1258 bytes (MSH-18) into NFC Vietnamese names', () => {
    const bytes = fs.readFileSync(path.resolve(dir, '../er7/adt-a08-cp1258.hl7'));
    const p = loose(hl7ToFhir(bytes).bundle.entry[0]?.resource);
    expect(p.name[0]).toEqual({ text: 'Đỗ Thị Hằng', family: 'Đỗ', given: ['Thị', 'Hằng'] });
    expect(p.name[0].text).toBe('Đỗ Thị Hằng'.normalize('NFC'));
  });
});

describe('ORU → DiagnosticReport, Observation, Specimen', () => {
  it('NM results with UCUM units, reference ranges and table 0078 flags', () => {
    const r = map('oru-r01-lis-roche-cbc');
    const [wbc, hb] = resources(r, 'Observation');
    expect(wbc?.valueQuantity).toEqual({
      value: 11.8,
      unit: '10^9/L',
      system: 'http://unitsofmeasure.org',
      code: '10*9/L',
    });
    expect(wbc?.interpretation[0].coding[0]).toEqual({
      system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
      code: 'H',
      display: 'High',
    });
    expect(hb?.referenceRange[0].low.value).toBe(130);
    const dr = one(r, 'DiagnosticReport');
    expect([dr.status, dr.result.length, dr.specimen.length]).toEqual(['final', 3, 1]);
    expect(dr.identifier.map((i) => i.type.coding[0].code)).toEqual(['PLAC', 'FILL']);
    expect(one(r, 'Specimen').collection.collectedDateTime).toBe('2024-03-05T15:05:00+07:00');
  });

  it('local units are mapped to UCUM; an unknown flag is kept as text and warned', () => {
    const r = map('oru-r01-viettel-biochem-v23');
    const obs = resources(r, 'Observation');
    expect(obs[2]?.valueQuantity).toMatchObject({ unit: 'µmol/l', code: 'umol/L' });
    expect(obs[3]?.interpretation).toEqual([{ text: '*' }]);
    expect(obs[0]?.note).toEqual([{ text: 'Bệnh nhân chưa nhịn đói' }]);
    expect(r.warnings.map((w) => w.code)).toContain('CODE_UNMAPPED');
  });

  it('coded, text and structured numeric values; result status table 0085', () => {
    const coded = resources(map('oru-r01-serology-coded'), 'Observation');
    expect(coded[0]?.valueCodeableConcept.coding[0]).toEqual({
      system: 'http://snomed.info/sct',
      code: '260385009',
      display: 'Negative',
    });
    expect(coded[3]?.valueString).toBe('Dòng 1: mẫu huyết thanh\nDòng 2: đã ly tâm');
    const sn = resources(map('oru-r01-micro-sn-corrected'), 'Observation');
    expect(sn.map((o) => o.status)).toEqual(['corrected', 'preliminary', 'final', 'cancelled']);
    expect(sn[0]?.valueQuantity).toMatchObject({ value: 0.5, comparator: '<' });
    expect(sn[1]?.valueRatio).toEqual({ numerator: { value: 1 }, denominator: { value: 128 } });
    expect(sn[2]?.valueRange.high.value).toBe(110);
  });

  it('missing result status is warned, never invented; extra repetitions and ED values are reported unmapped', () => {
    const r = map('oru-r01-missing-status');
    expect(resources(r, 'Observation').map((o) => o.status)).toEqual(['unknown', 'final']);
    expect(r.warnings.filter((w) => w.code === 'STATUS_MISSING').map((w) => w.path)).toEqual([
      'OBR-25',
      'OBX-11',
    ]);
    const e = map('oru-r01-escapes-repeats');
    expect(e.unmapped).toEqual([
      { segment: 'OBX', occurrence: 3, path: 'OBX[3]-5' },
      { segment: 'OBX', occurrence: 1, path: 'OBX-5[2]' },
    ]);
    expect(resources(e, 'Observation')[1]?.valueString).toBe(
      'Huyết áp tâm thu & tâm trương cao\nTái khám sau 2 tuần | theo dõi tại nhà',
    );
  });
});

describe('orders, appointments, documents, immunizations', () => {
  it('ORM_O01: one ServiceRequest per ORC/OBR, status, priority, requisition, notes', () => {
    const r = map('orm-o01-vnpt-new-order');
    const [a, b] = resources(r, 'ServiceRequest');
    expect([a?.status, a?.intent, a?.priority, a?.requisition.value]).toEqual([
      'active',
      'order',
      'stat',
      'PHIEU-9911',
    ]);
    expect(a?.note).toEqual([{ text: 'Lấy máu trước 7 giờ sáng' }]);
    expect(a?.reasonCode[0].coding[0]).toEqual({
      system: 'http://hl7.org/fhir/sid/icd-10',
      code: 'R50.9',
      display: 'Sốt không rõ nguyên nhân',
    });
    expect(b?.identifier[0].value).toBe('CD240305-12');
    expect(one(map('orm-o01-viettel-cancel'), 'ServiceRequest').status).toBe('revoked');
    const oml = map('oml-o21-lis-specimen');
    expect(one(oml, 'ServiceRequest')).toMatchObject({ status: 'active', priority: 'asap' });
    expect(one(oml, 'Specimen').collection.bodySite.coding[0].code).toBe('368209003');
    // SPM-2 is an EIP: the placer EI sits in the subcomponents of component 1.
    expect(one(oml, 'Specimen').identifier).toEqual([
      { system: 'urn:dttm:sid:HIS_VNPT:specimen', value: 'SP-CD240305-13' },
    ]);
    expect(one(map('oru-r01-lis-roche-cbc'), 'Specimen').identifier).toEqual([
      { system: 'urn:dttm:sid:LIS_ROCHE:specimen', value: 'SP2403050042' },
    ]);
  });

  it('SIU: booked, rescheduled, pending and cancelled appointments on the same key', () => {
    const s12 = one(map('siu-s12-booking-online'), 'Appointment');
    expect([s12.status, s12.start, s12.end, s12.minutesDuration]).toEqual([
      'booked',
      '2024-04-08T08:30:00+07:00',
      '2024-04-08T08:45:00+07:00',
      15,
    ]);
    expect(s12.participant).toHaveLength(3);
    const s13 = one(map('siu-s13-reschedule-tq1'), 'Appointment');
    expect([s13.status, s13.start]).toEqual(['booked', '2024-04-09T14:00:00+07:00']);
    const s14 = one(map('siu-s14-modify-pending'), 'Appointment');
    expect([s14.status, s14.minutesDuration]).toEqual(['pending', 60]);
    const s15 = map('siu-s15-cancel');
    expect(one(s15, 'Appointment').status).toBe('cancelled');
    expect(one(s15, 'Appointment').cancelationReason.coding[0].display).toBe('Bệnh nhân hủy lịch');
    const url = (m: MappingResult) =>
      m.bundle.entry.find((e) => e.resource.resourceType === 'Appointment')?.request.url;
    expect(url(s15)).toBe(url(map('siu-s12-booking-online')));
  });

  it('MDM_T02: text lines become one UTF-8 attachment; an ED PDF keeps its base64', () => {
    const d = one(map('mdm-t02-discharge-summary'), 'DocumentReference');
    expect(Buffer.from(d.content[0].attachment.data as unknown as string, 'base64').toString('utf8')).toBe(
      'Chẩn đoán: Viêm phổi (J18.9)\nTình trạng ra viện: Ổn định & về nhà',
    );
    expect([d.status, d.docStatus, d.masterIdentifier.value]).toEqual([
      'current',
      'final',
      'GRV-2024-000123',
    ]);
    const pdf = one(map('mdm-t02-pdf-report'), 'DocumentReference');
    expect(pdf.content[0].attachment).toEqual({
      contentType: 'application/pdf',
      data: 'JVBERi0xLjQKJcOkw7zDtsOfCjEgMCBvYmoK',
    });
  });

  it('VXU_V04: administered, historical and refused doses', () => {
    const i = one(map('vxu-v04-tiemchung'), 'Immunization');
    expect([
      i.status,
      i.vaccineCode.coding[0].system,
      i.lotNumber,
      i.doseQuantity.value,
      i.primarySource,
    ]).toEqual(['completed', 'http://hl7.org/fhir/sid/cvx', 'MMR2403A', 0.5, true]);
    const [hist, refused] = resources(map('vxu-v04-refused-historical'), 'Immunization');
    expect([hist?.status, hist?.primarySource, hist?.occurrenceDateTime, hist?.doseQuantity]).toEqual([
      'completed',
      false,
      '2020-03-01',
      undefined,
    ]);
    expect([refused?.status, refused?.statusReason.coding[0].code]).toEqual(['not-done', '00']);
  });
});

describe('per-facility overrides (MSH-4), without forking', () => {
  it('code systems, identifier systems and MRN system apply only to their facility', () => {
    const options: MappingOptions = {
      facilities: {
        TTYT_LUCNGAN: {
          codeSystems: { '99VTL': 'https://ttyt-lucngan.example.vn/cs/xet-nghiem' },
          mrnSystem: 'https://ttyt-lucngan.example.vn/sid/ma-benh-nhan',
        },
      },
    };
    const r = map('oru-r01-viettel-biochem-v23', options);
    expect(r.warnings.map((w) => w.code)).not.toContain('CODE_SYSTEM_UNKNOWN');
    expect(resources(r, 'Observation')[0]?.code.coding[0].system).toBe(
      'https://ttyt-lucngan.example.vn/cs/xet-nghiem',
    );
    expect(one(r, 'Patient').identifier[0].system).toBe('https://ttyt-lucngan.example.vn/sid/ma-benh-nhan');
    const other = map('oru-r01-serology-coded', options);
    expect(other.warnings.map((w) => w.code)).toContain('CODE_SYSTEM_UNKNOWN');
    const ids = map('adt-a01-vnpt-admit', { identifierSystems: { 'BCA^NI': 'urn:example:cccd' } });
    expect(one(ids, 'Patient').identifier[1].system).toBe('urn:example:cccd');
  });

  it('address layout, identifier classification, zone and patient write mode', () => {
    const er7Fixture = fs.readFileSync(path.resolve(dir, '../er7/adt-a01-vnpt.hl7'));
    const layout = hl7ToFhir(er7Fixture, {
      facilities: { BV_BACGIANG: { addressLayout: { ward: 3, city: 0 } } },
    });
    expect(one(layout, 'Patient').address[0]).toEqual({
      text: 'Số 12 & 14 Đường Lê Lợi, Phường Trần Phú, Bắc Giang',
      country: 'VN',
      line: ['Số 12 & 14 Đường Lê Lợi', 'Phường Trần Phú'],
      state: 'Bắc Giang',
    });
    const classified = map('adt-a31-fpt-bad-ids', {
      classifyIdentifier: (cx) => (cx.type === 'CMND' ? 'other' : undefined),
    });
    expect(classified.warnings.map((w) => w.path)).toEqual(['PID-3[2]', 'PID-3[3]']);
    const zone = map('oru-r01-viettel-biochem-v23', {
      facilities: { TTYT_LUCNGAN: { defaultOffset: '+08:00' } },
    });
    expect(one(zone, 'DiagnosticReport').effectiveDateTime).toBe('2024-04-02T08:30:00+08:00');
    const update = map('oru-r01-lis-roche-cbc', { patientWrite: 'update' });
    expect(update.bundle.entry[0]?.request.method).toBe('PUT');
  });

  it('a Z-segment handler maps ZBH; its unused fields are still reported; a failing handler is a warning', () => {
    const options: MappingOptions = {
      segments: {
        ZBH: (seg, api) => {
          const note = api.get(2);
          const p = api.patient as Record<string, unknown>;
          p.extension = [
            { url: 'https://bvbg.example.vn/fhir/StructureDefinition/ghi-chu', valueString: note },
          ];
          api.warn('VALUE_INVALID', 'ZBH-2', 'note checked by the handler');
          expect(seg.name).toBe('ZBH');
        },
      },
    };
    const r = map('adt-a01-vnpt-admit', options);
    expect(one(r, 'Patient').extension[0].valueString).toBe('Ghi chú|đặc biệt');
    expect(r.unmapped).toContainEqual({ segment: 'ZBH', occurrence: 1, path: 'ZBH-3' });
    expect(r.warnings).toEqual([
      { code: 'VALUE_INVALID', path: 'ZBH-2', message: 'note checked by the handler' },
    ]);
    expect(r.unmapped).not.toContainEqual({ segment: 'ZBH', occurrence: 1, path: 'ZBH' });
    const failing = map('adt-a01-vnpt-admit', {
      segments: {
        ZBH: () => {
          throw new Error('boom');
        },
      },
    });
    expect(failing.warnings.at(-1)).toMatchObject({ code: 'HANDLER_FAILED', path: 'ZBH' });
  });

  it('a resource hook sees every resource last', () => {
    const seen: string[] = [];
    const r = map('oru-r01-lis-roche-cbc', {
      resource: (res: FhirResource) => {
        seen.push(res.resourceType);
        return { ...res, meta: { tag: [{ system: 'urn:dttm:source', code: 'LIS' }] } };
      },
    });
    expect(seen).toEqual([
      'Patient',
      'Encounter',
      'DiagnosticReport',
      'Observation',
      'Observation',
      'Observation',
      'Specimen',
    ]);
    expect(loose(r.bundle.entry[2]?.resource.meta).tag[0].code).toBe('LIS');
  });
});

describe('typed errors', () => {
  const msh = (type: string) => `MSH|^~\\&|HIS|BVBG|HUB|SYT|20240305143012||${type}|E1|P|2.5.1`;

  it('unsupported message types', () => {
    const e = codeOf(() => hl7ToFhir(er7(msh('ADT^A05'), 'PID|1||BN1')));
    expect(e?.code).toBe('UNSUPPORTED_MESSAGE_TYPE');
    expect(e?.details).toMatchObject({ field: 'MSH-9', type: 'ADT^A05' });
    expect(codeOf(() => hl7ToFhir(er7(msh('ACK'))))?.code).toBe('UNSUPPORTED_MESSAGE_TYPE');
  });

  it('missing segments and required fields', () => {
    const cases: [string[], Hl7ErrorCode, unknown][] = [
      [[msh('ADT^A01'), 'EVN|A01'], 'MISSING_SEGMENT', { segment: 'PID', structure: 'ADT_A01' }],
      [[msh('ADT^A01'), 'PID|1||'], 'MISSING_FIELD', { segment: 'PID', field: 3 }],
      [[msh('ADT^A40'), 'PID|1||BN1'], 'MISSING_SEGMENT', { segment: 'MRG', structure: 'ADT_A40' }],
      [[msh('ORU^R01'), 'PID|1||BN1'], 'MISSING_SEGMENT', { segment: 'OBR', structure: 'ORU_R01' }],
      [[msh('ORU^R01'), 'PID|1||BN1', 'OBR|1||F1'], 'MISSING_FIELD', { segment: 'OBR', field: 4 }],
      [
        [msh('ORU^R01'), 'PID|1||BN1', 'OBR|1||F1|GLU', 'OBX|1|NM||'],
        'MISSING_FIELD',
        { segment: 'OBX', field: 3, path: 'OBX-3' },
      ],
      [[msh('ORM^O01'), 'PID|1||BN1', 'ORC|NW'], 'MISSING_FIELD', { segment: 'ORC', field: 2 }],
      [[msh('SIU^S12'), 'PID|1||BN1'], 'MISSING_SEGMENT', { segment: 'SCH', structure: 'SIU_S12' }],
      [[msh('SIU^S12'), 'SCH|', 'PID|1||BN1'], 'MISSING_FIELD', { segment: 'SCH', field: 2 }],
      [
        [msh('MDM^T02'), 'PID|1||BN1', 'TXA|1|DS', 'OBX|1|TX|X||a'],
        'MISSING_FIELD',
        { segment: 'TXA', field: 12 },
      ],
      [
        [msh('MDM^T02'), 'PID|1||BN1', 'TXA|1|DS||||||||||D1'],
        'MISSING_SEGMENT',
        { segment: 'OBX', structure: 'MDM_T02' },
      ],
      [[msh('VXU^V04'), 'PID|1||BN1', 'RXA|0|1||||'], 'MISSING_FIELD', { segment: 'RXA', field: 5 }],
      [
        [msh('VXU^V04'), 'PID|1||BN1', 'RXA|0|1|||08^HepB^CVX'],
        'MISSING_FIELD',
        { segment: 'RXA', field: 3 },
      ],
    ];
    for (const [segments, code, details] of cases) {
      expect(
        codeOf(() => hl7ToFhir(er7(...segments))),
        segments.join(' / '),
      ).toEqual({ code, details });
    }
  });

  it('a booked appointment without times is an error; a start and a duration give the end', () => {
    const siu = (sch: string) => er7(msh('SIU^S12'), sch, 'PID|1||BN1^^^BVBG^MR');
    expect(codeOf(() => hl7ToFhir(siu('SCH||LH1|||||||||||||||||||||||Booked')))).toEqual({
      code: 'MISSING_FIELD',
      details: { segment: 'SCH', field: 11 },
    });
    const r = hl7ToFhir(siu('SCH||LH1|||||||30|MIN|^^^20240408233000+0700'));
    expect([one(r, 'Appointment').start, one(r, 'Appointment').end]).toEqual([
      '2024-04-08T23:30:00+07:00',
      '2024-04-09T00:00:00+07:00',
    ]);
    const proposed = hl7ToFhir(er7(msh('SIU^S15'), 'SCH||LH1', 'PID|1||BN1^^^BVBG^MR'));
    expect(one(proposed, 'Appointment').status).toBe('cancelled');
  });

  it('two OBRs with the same filler number make one report holding both results, with a warning', () => {
    const r = hl7ToFhir(
      er7(
        msh('ORU^R01'),
        'PID|1||BN1^^^BVBG^MR',
        'OBR|1||XN1^LIS|GLU^Glucose^LN|||20240305080000||||||||||||||||||F',
        'OBX|1|NM|GLU^Glucose^LN||5.5|mmol/L|||||F',
        'OBR|2||XN1^LIS|URE^Ure^LN|||20240305080000||||||||||||||||||F',
        'OBX|1|NM|URE^Ure^LN||4.1|mmol/L|||||F',
      ),
    );
    expect(one(r, 'DiagnosticReport').result).toHaveLength(2);
    expect(resources(r, 'Observation')).toHaveLength(2);
    expect(r.warnings.map((w) => [w.code, w.value])).toEqual([['DUPLICATE_KEY', 'XN1']]);
  });

  it('parser errors pass through for text input; an Hl7Message is accepted as is', () => {
    expect(codeOf(() => hl7ToFhir('PID|1||BN1'))?.code).toBe('NO_MSH');
    const msg = parseHl7(input('adt-a01-vnpt-admit'));
    expect(hl7ToFhir(msg)).toStrictEqual(map('adt-a01-vnpt-admit'));
  });

  it('order control without order status follows the IG: a cancel request stays active', () => {
    const status = (control: string) =>
      one(
        hl7ToFhir(
          er7(msh('ORM^O01'), 'PID|1||BN1^^^BVBG^MR', `ORC|${control}|CD1`, 'OBR|1|CD1||GLU^Glucose^LN'),
        ),
        'ServiceRequest',
      ).status;
    expect(['NW', 'CA', 'CR', 'OC', 'HR'].map(status)).toEqual([
      'active',
      'active',
      'revoked',
      'revoked',
      'on-hold',
    ]);
    const unknown = hl7ToFhir(
      er7(msh('ORM^O01'), 'PID|1||BN1^^^BVBG^MR', 'ORC|XO|CD1', 'OBR|1|CD1||GLU^Glucose^LN'),
    );
    expect([one(unknown, 'ServiceRequest').status, unknown.warnings[0]?.code]).toEqual([
      'unknown',
      'STATUS_MISSING',
    ]);
  });

  it('sex per table 0001 as the IG maps it', () => {
    const sex = (code: string) =>
      one(hl7ToFhir(er7(msh('ADT^A28'), `PID|1||BN1^^^BVBG^MR||Lê^An||2000|${code}`)), 'Patient').gender;
    expect(['M', 'F', 'O', 'U', 'A', 'N', 'Nữ'].map(sex)).toEqual([
      'male',
      'female',
      'other',
      'unknown',
      'other',
      'other',
      'female',
    ]);
  });

  it('an invalid timestamp is a warning naming the field, the rest is mapped', () => {
    const r = hl7ToFhir(
      er7(msh('ADT^A04'), 'PID|1||BN1^^^BVBG^MR||Lý^Thị Mai||19871345|F', 'PV1|1|O|||||||||||||||||V1'),
    );
    expect(r.warnings[0]).toMatchObject({ code: 'TIMESTAMP_INVALID', path: 'PID-7', value: '19871345' });
    expect(one(r, 'Patient')).toMatchObject({ gender: 'female', name: [{ text: 'Lý Thị Mai' }] });
    expect(one(r, 'Patient').birthDate).toBeUndefined();
  });
});

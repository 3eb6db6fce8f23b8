import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appointmentToSiuS12,
  fhirToDtm,
  hl7ToFhir,
  isHl7Error,
  patientToAdtA08,
  type FhirResource,
  type TransactionBundle,
} from '../src/index.js';

const dir = path.resolve(import.meta.dirname, '../../../specs/conformance/hl7v2/fhir');
const bundle = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as TransactionBundle;
const resource = (b: TransactionBundle, type: string) =>
  b.entry.find((e) => e.resource.resourceType === type)?.resource as FhirResource;
const clock = () => new Date('2024-04-01T13:00:05Z');

describe('fhirToDtm', () => {
  it('keeps precision and offset', () => {
    expect(fhirToDtm('1987')).toBe('1987');
    expect(fhirToDtm('1987-04')).toBe('198704');
    expect(fhirToDtm('1987-04-12')).toBe('19870412');
    expect(fhirToDtm('2024-04-08T08:30:00+07:00')).toBe('20240408083000+0700');
    expect(fhirToDtm('2024-04-08T01:30:00.12Z')).toBe('20240408013000.12+0000');
    expect(fhirToDtm('not a date')).toBe('');
  });
});

describe('Patient → ADT_A08', () => {
  const patient = resource(bundle('adt-a01-vnpt-admit'), 'Patient');
  const msg = patientToAdtA08(patient, {
    controlId: 'HUB-1',
    sendingFacility: 'SYT',
    receivingFacility: 'BVBG',
    clock,
  });

  it('builds the message an HIS expects', () => {
    expect(msg.toString().split('\r')).toEqual([
      'MSH|^~\\&|DTTM_HUB|SYT||BVBG|20240401200005+0700||ADT^A08^ADT_A01|HUB-1|P|2.5.1|||AL|NE||UNICODE UTF-8',
      'EVN|A08|20240401200005+0700',
      'PID|1||BN000123^^^BVBG^MR~024087001234^^^BCA^NI~GD4242420123456^^^BHXH^HC^^20240101^20241231||Nguyễn^Văn An^^^^^L||19870412|M|||Số 12 Lê Lợi^Phường Trần Phú^TP Bắc Giang^Bắc Giang^230000^VN^H||0912345678^PRN^CP~^NET^Internet^an.nguyen@example.vn||vi^^urn:ietf:bcp:47',
      'PV1|1|N',
      '',
    ]);
  });

  it('round-trips through hl7ToFhir to the same demographics', () => {
    const back = resource(hl7ToFhir(msg).bundle, 'Patient');
    const { contact: _contact, communication: _c1, ...expected } = patient;
    const { communication: _c2, ...actual } = back;
    expect(actual).toEqual(expected);
  });

  it('escapes delimiters in values', () => {
    const p = resource(bundle('adt-a08-fpt-update'), 'Patient');
    const text = patientToAdtA08(p, { controlId: 'X', clock }).toString();
    expect(text).toContain('Số 5 \\T\\ 7 Ngõ 12\\S\\3 Hoàng Hoa Thám');
    expect((resource(hl7ToFhir(text).bundle, 'Patient').address as { line: string[] }[])[0]?.line[0]).toBe(
      'Số 5 & 7 Ngõ 12^3 Hoàng Hoa Thám',
    );
  });

  it('typed errors for a resource without identifiers or of another type', () => {
    const err = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return isHl7Error(e) ? [e.code, e.details] : e;
      }
      return undefined;
    };
    expect(
      err(() =>
        patientToAdtA08({ resourceType: 'Patient', name: [{ family: 'Lê' }] }, { controlId: '1', clock }),
      ),
    ).toEqual(['MISSING_FIELD', { element: 'Patient.identifier', segment: 'PID', field: 3 }]);
    expect(err(() => patientToAdtA08({ resourceType: 'Observation' }, { controlId: '1', clock }))).toEqual([
      'UNSUPPORTED_MESSAGE_TYPE',
      { resourceType: 'Observation' },
    ]);
    expect(
      err(() =>
        appointmentToSiuS12({ resourceType: 'Appointment', status: 'booked' }, { controlId: '1', clock }),
      ),
    ).toEqual(['MISSING_FIELD', { element: 'Appointment.identifier', segment: 'SCH', field: 1 }]);
    expect(
      err(() =>
        appointmentToSiuS12(
          { resourceType: 'Appointment', identifier: [{ system: 'urn:x', value: '1' }], participant: [] },
          { controlId: '1', clock },
        ),
      ),
    ).toEqual(['MISSING_FIELD', { element: 'Appointment.participant.actor', segment: 'PID', field: 3 }]);
  });
});

describe('Appointment → SIU_S12', () => {
  const source = bundle('siu-s12-booking-online');
  const appointment = resource(source, 'Appointment');
  const patient = resource(source, 'Patient');
  const options = {
    controlId: 'HUB-S12-1',
    sendingApplication: 'DATLICH_BG',
    sendingFacility: 'BVBG',
    clock,
    patient,
  };
  const msg = appointmentToSiuS12(appointment, options);

  it('builds SCH, TQ1, NTE, PID, RGS, AIS, AIL and AIP', () => {
    const lines = msg.toString().split('\r');
    expect(lines.map((l) => l.slice(0, 3))).toEqual([
      'MSH',
      'SCH',
      'TQ1',
      'NTE',
      'PID',
      'RGS',
      'AIS',
      'AIL',
      'AIP',
      '',
    ]);
    expect(lines[1]).toBe(
      'SCH|DL240401-77^DATLICH_BG|LH-88001^HIS_VNPT|||||FOLLOWUP^Tái khám^HL70276||15|MIN|^^15^20240408083000+0700^20240408084500+0700||||||||||||||Booked',
    );
    expect(lines[2]).toBe('TQ1|1||||||20240408083000+0700|20240408084500+0700');
    expect(lines[8]).toBe('AIP|1|A|BS001^Trần^Thị Bình|ATND^Bác sĩ khám^HL70443');
  });

  it('round-trips through hl7ToFhir to the same Appointment', () => {
    const back = hl7ToFhir(msg);
    expect(resource(back.bundle, 'Appointment')).toEqual(appointment);
    expect(back.warnings).toEqual([]);
  });

  it('without a Patient, PID-3 comes from the patient participant identifier', () => {
    const appt = {
      resourceType: 'Appointment',
      identifier: [{ system: 'urn:dttm:sid:DATLICH_BG:placer-appointment', value: 'DL-9' }],
      status: 'proposed',
      participant: [
        {
          actor: {
            type: 'Patient',
            identifier: { system: 'http://fhir.ehealth.gov.vn/core/sid/national_id', value: '024087001234' },
          },
          status: 'accepted',
        },
      ],
    };
    const text = appointmentToSiuS12(appt, { controlId: '2', clock }).toString();
    expect(text.split('\r')[2]).toBe('PID|1||024087001234^^^BCA^NI');
    expect(text.split('\r')[1]).toBe('SCH|DL-9^DATLICH_BG||||||||||||||||||||||||Pending');
  });
});

/**
 * Every identifier and code system URI the mapping writes, in one place.
 *
 * The `VN_SYSTEMS` naming systems come from the VN Core FHIR IG (`hl7.fhir.vn.core`, canonical
 * `http://fhir.ehealth.gov.vn/core`). The IG publishes no naming system for the Ministry of Health's
 * patient id yet: `mohPatientId` is this package's own URN until it does (override it with
 * `identifierSystems`). Systems local to a facility (visits, orders, practitioners…) are
 * `urn:dttm:sid:<facility>:<kind>`.
 */
export const VN_SYSTEMS = {
  /** Căn cước công dân (CCCD), 12 digits. */
  nationalId: 'http://fhir.ehealth.gov.vn/core/sid/national_id',
  /** Old chứng minh nhân dân (CMND), 9 or 12 digits. */
  citizenId: 'http://fhir.ehealth.gov.vn/core/sid/citizen_id',
  /** Health-insurance (BHYT) card number, 15 characters. */
  insuranceNumber: 'http://fhir.ehealth.gov.vn/core/sid/insurance_number',
  /** Base of a facility's patient ids (MRN, mã bệnh nhân); `/<facility>` is appended. */
  patientInternalId: 'http://fhir.ehealth.gov.vn/core/sid/patient-internal-id',
  /** Ministry facility code (mã cơ sở khám chữa bệnh). */
  providerCode: 'http://fhir.ehealth.gov.vn/core/sid/provider-medical-license-number',
  /** The Ministry of Health's patient id (not yet in VN Core: this package's URN). */
  mohPatientId: 'urn:dttm:sid:moh:patient-id',
} as const;

/** `urn:dttm:sid:<facility>:<kind>`: identifiers that only mean something at one facility. */
export function localSystem(facility: string, kind: string): string {
  const safe = facility.replace(/[^A-Za-z0-9._-]/g, '_') || 'unknown';
  return `urn:dttm:sid:${safe}:${kind}`;
}

export const CS = {
  v2: (table: string) => `http://terminology.hl7.org/CodeSystem/v2-${table}`,
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  participationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  ucum: 'http://unitsofmeasure.org',
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  cvx: 'http://hl7.org/fhir/sid/cvx',
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  linkedBundleId: 'urn:dttm:hl7v2:message',
} as const;

/** CWE-3 / CE-3 coding-system names → URIs (HL7 table 0396 and common local spellings). */
export const CODING_SYSTEMS: Readonly<Record<string, string>> = {
  LN: CS.loinc,
  LOINC: CS.loinc,
  SCT: CS.snomed,
  SNM: CS.snomed,
  SNOMED: CS.snomed,
  'SNOMED-CT': CS.snomed,
  UCUM: CS.ucum,
  CVX: CS.cvx,
  MVX: 'http://terminology.hl7.org/CodeSystem/MVX',
  I10: CS.icd10,
  ICD10: CS.icd10,
  'ICD-10': CS.icd10,
  ATC: 'http://www.whocc.no/atc',
};

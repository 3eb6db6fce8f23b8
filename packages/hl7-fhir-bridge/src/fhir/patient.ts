import type { Hl7Segment } from '../er7/message.js';
import { Hl7Error } from '../errors.js';
import type { MapContext } from './context.js';
import { codeable, identifierType, personName, tableCode } from './datatypes.js';
import { CS, VN_SYSTEMS } from './systems.js';
import type { CodeableConcept, CxValue, FhirResource, Identifier, IdentifierKind, Period } from './types.js';
import { lookup } from './util.js';

const TYPE_KIND: Readonly<Record<string, IdentifierKind>> = {
  NI: 'cccd',
  NNVNM: 'cccd',
  CCCD: 'cccd',
  CC: 'cccd',
  CMND: 'cmnd',
  HC: 'bhyt',
  HI: 'bhyt',
  BHYT: 'bhyt',
  SB: 'bhyt',
  MR: 'mrn',
  MRN: 'mrn',
  PI: 'mrn',
  PT: 'mrn',
  MOH: 'moh',
};

const AUTHORITY_KIND: Readonly<Record<string, IdentifierKind>> = {
  BHXH: 'bhyt',
  BHYT: 'bhyt',
  VSS: 'bhyt',
  BYT: 'moh',
  MOH: 'moh',
};

/** The identifier kind of a CX value from CX-5 and CX-4 (see the README's identifier table). */
export function classifyCx(cx: CxValue): IdentifierKind {
  const byAuthority = lookup(AUTHORITY_KIND, cx.authority);
  if (byAuthority !== undefined) return byAuthority;
  const byType = lookup(TYPE_KIND, cx.type);
  if (byType === 'cccd' && /^\d{9}$/.test(cx.value)) return 'cmnd';
  if (byType !== undefined) return byType;
  return cx.type === '' ? 'mrn' : 'other';
}

const KEY_ORDER: readonly IdentifierKind[] = ['moh', 'cccd', 'mrn', 'bhyt', 'cmnd', 'other'];

export interface PatientIdentifier {
  readonly kind: IdentifierKind;
  readonly identifier: Identifier & { system: string; value: string };
  readonly path: string;
}

/** CCCD: 3-digit province of birth (001–096), century/sex digit, 2-digit birth year, 6-digit serial. */
function checkCccd(ctx: MapContext, value: string, path: string, birthDate?: string, gender?: string): void {
  if (!/^\d{12}$/.test(value)) {
    ctx.warn('IDENTIFIER_FORMAT', path, 'A CCCD has 12 digits', 'số CCCD phải có 12 chữ số', value);
    return;
  }
  const province = Number(value.slice(0, 3));
  if (province < 1 || province > 96) {
    ctx.warn(
      'IDENTIFIER_FORMAT',
      path,
      'CCCD province code must be 001–096',
      'mã tỉnh trong CCCD không hợp lệ',
      value,
    );
  }
  const d = Number(value.charAt(3));
  const year = 1900 + 100 * Math.floor(d / 2) + Number(value.slice(4, 6));
  const sex = d % 2 === 0 ? 'male' : 'female';
  if (birthDate !== undefined && birthDate.length >= 4 && Number(birthDate.slice(0, 4)) !== year) {
    ctx.warn(
      'IDENTIFIER_MISMATCH',
      path,
      `CCCD encodes birth year ${year}, PID-7 says ${birthDate.slice(0, 4)}`,
      'năm sinh trong CCCD không khớp PID-7',
      value,
    );
  }
  if ((gender === 'male' || gender === 'female') && gender !== sex) {
    ctx.warn(
      'IDENTIFIER_MISMATCH',
      path,
      `CCCD encodes sex ${sex}, PID-8 says ${gender}`,
      'giới tính trong CCCD không khớp PID-8',
      value,
    );
  }
}

function checkFormat(
  ctx: MapContext,
  kind: IdentifierKind,
  value: string,
  path: string,
  birthDate?: string,
  gender?: string,
) {
  if (kind === 'cccd') checkCccd(ctx, value, path, birthDate, gender);
  else if (kind === 'cmnd' && !/^(\d{9}|\d{12})$/.test(value)) {
    ctx.warn(
      'IDENTIFIER_FORMAT',
      path,
      'A CMND has 9 or 12 digits',
      'số CMND phải có 9 hoặc 12 chữ số',
      value,
    );
  } else if (kind === 'bhyt' && !/^[A-Z]{2}[1-5]\d{12}$/.test(value) && !/^\d{12}$/.test(value)) {
    ctx.warn(
      'IDENTIFIER_FORMAT',
      path,
      'A BHYT card number is 2 letters, a benefit level 1–5, a 2-digit province and a 10-digit social-insurance number (or a 12-digit CCCD)',
      'mã thẻ BHYT không đúng định dạng 15 ký tự',
      value,
    );
  }
}

/** One CX repetition → a classified Identifier with its VN Core system. */
export function cxIdentifier(
  ctx: MapContext,
  seg: Hl7Segment,
  field: number,
  rep: number,
  facts: { birthDate?: string | undefined; gender?: string | undefined } = {},
): PatientIdentifier | undefined {
  const g = (c: number) => ctx.get(seg, field, c, rep);
  const value = g(1);
  const path = ctx.path(seg, field, rep);
  if (value === undefined) return undefined;
  const type = (g(5) ?? '').toUpperCase();
  const authority = (g(4) ?? '').toUpperCase();
  const cx: CxValue = { value, type, authority };
  const kind = ctx.opts.classifyIdentifier?.(cx) ?? classifyCx(cx);
  checkFormat(ctx, kind, value, path, facts.birthDate, facts.gender);
  const own = ctx.opts.identifierSystems;
  const override =
    own === undefined
      ? undefined
      : (lookup(own, `${authority}^${type}`) ?? lookup(own, authority) ?? lookup(own, type));
  let system: string;
  let idType: CodeableConcept;
  switch (kind) {
    case 'cccd':
      system = VN_SYSTEMS.nationalId;
      idType = identifierType('NI', 'National unique individual identifier');
      break;
    case 'cmnd':
      system = VN_SYSTEMS.citizenId;
      idType = identifierType('NI', 'National unique individual identifier');
      break;
    case 'bhyt':
      system = VN_SYSTEMS.insuranceNumber;
      idType = identifierType('HC', 'Health Card Number');
      break;
    case 'moh':
      system = VN_SYSTEMS.mohPatientId;
      idType = identifierType('PT', 'Patient external identifier');
      break;
    case 'mrn': {
      const owner = g(4) ?? ctx.facility;
      system =
        ctx.opts.mrnSystem !== undefined && owner === ctx.facility
          ? ctx.opts.mrnSystem
          : `${VN_SYSTEMS.patientInternalId}/${owner}`;
      idType = identifierType('MR', 'Medical record number');
      break;
    }
    default: {
      const owner = g(4) ?? ctx.facility;
      system = `${VN_SYSTEMS.patientInternalId}/${owner}/${type.toLowerCase()}`;
      idType = identifierType(type);
    }
  }
  if (override !== undefined) system = override;
  const period: Period = { start: ctx.date(seg, field, 7, rep), end: ctx.date(seg, field, 8, rep) } as Period;
  return {
    kind,
    path,
    identifier: {
      type: idType,
      system,
      value,
      ...(period.start === undefined && period.end === undefined ? {} : { period }),
    },
  };
}

/** Every repetition of a CX field. */
export function cxIdentifiers(
  ctx: MapContext,
  seg: Hl7Segment,
  field: number,
  facts: { birthDate?: string | undefined; gender?: string | undefined } = {},
): PatientIdentifier[] {
  const out: PatientIdentifier[] = [];
  for (let r = 1; r <= ctx.reps(seg, field); r++) {
    const id = cxIdentifier(ctx, seg, field, r, facts);
    if (id !== undefined) out.push(id);
  }
  return out;
}

/** The identifier a Patient is keyed on: Ministry id, CCCD, MRN, BHYT, CMND, then any other. */
export function patientKey(ids: readonly PatientIdentifier[]): PatientIdentifier | undefined {
  for (const kind of KEY_ORDER) {
    const found = ids.find((i) => i.kind === kind);
    if (found !== undefined) return found;
  }
  return undefined;
}

const NAME_USE: Readonly<Record<string, string>> = { L: 'official', D: 'usual', M: 'maiden', N: 'nickname' };

/** XPN → HumanName, Vietnamese order (family, middle, given); a whole name in XPN-1 is split. */
export function humanName(
  ctx: MapContext,
  seg: Hl7Segment,
  field: number,
  rep = 1,
): Record<string, unknown> | undefined {
  const g = (c: number) => ctx.get(seg, field, c, rep);
  let family = g(1);
  const words = (s: string | undefined) => (s === undefined ? [] : s.split(/\s+/).filter((w) => w !== ''));
  let given = [...words(g(2)), ...words(g(3))];
  if (family !== undefined && given.length === 0 && /\s/.test(family)) {
    const all = words(family);
    family = all[0];
    given = all.slice(1);
  }
  const prefix = g(5);
  const suffix = g(4);
  const use = lookup(NAME_USE, g(7)?.toUpperCase());
  const text = personName([family, ...given]);
  if (text === undefined) return undefined;
  return {
    use,
    text,
    family,
    given,
    prefix: prefix === undefined ? undefined : [prefix],
    suffix: suffix === undefined ? undefined : [suffix],
  };
}

const ADDRESS_USE: Readonly<Record<string, string>> = {
  H: 'home',
  B: 'work',
  O: 'work',
  C: 'temp',
  BA: 'old',
  P: 'home',
};

/** XAD → Address with the ward in `line[1]`, district, city and province (`state`) per the layout. */
export function address(
  ctx: MapContext,
  seg: Hl7Segment,
  field: number,
  rep = 1,
): Record<string, unknown> | undefined {
  const g = (c: number) => ctx.get(seg, field, c, rep);
  const layout = ctx.opts.addressLayout ?? {};
  const part = (n: number | undefined, fallback: number) => {
    const c = n ?? fallback;
    return c > 0 ? g(c) : undefined;
  };
  const street = g(1);
  const ward = part(layout.ward, 2);
  const district = part(layout.district, 9);
  const city = part(layout.city, 3);
  const state = part(layout.province, 4);
  const type = g(7)?.toUpperCase();
  const parts = [street, ward, district, city, state].filter((p): p is string => p !== undefined);
  if (parts.length === 0 && g(6) === undefined) return undefined;
  return {
    use: lookup(ADDRESS_USE, type),
    type: type === 'M' ? 'postal' : undefined,
    text: parts.join(', '),
    line: [street, ward].filter((p) => p !== undefined),
    city,
    district,
    state,
    postalCode: g(5),
    country: g(6),
  };
}

const TELECOM_USE: Readonly<Record<string, string>> = {
  PRN: 'home',
  WPN: 'work',
  VHN: 'home',
  EMR: 'temp',
  ORN: 'temp',
};

/** XTN → ContactPoint (phone, mobile, fax, email). */
export function contactPoint(
  ctx: MapContext,
  seg: Hl7Segment,
  field: number,
  rep = 1,
): Record<string, unknown> | undefined {
  const g = (c: number) => ctx.get(seg, field, c, rep);
  const use2 = g(2)?.toUpperCase();
  const equip = g(3)?.toUpperCase();
  const email = equip === 'INTERNET' || equip === 'X.400' || use2 === 'NET';
  const phone = personName([g(5) === undefined ? undefined : `+${g(5)}`, g(6), g(7)])?.replace(/\s+/g, ' ');
  const value = email ? (g(4) ?? g(1)) : (g(12) ?? g(1) ?? phone);
  if (value === undefined) return undefined;
  const system = email ? 'email' : equip === 'FX' ? 'fax' : equip === 'BP' ? 'pager' : 'phone';
  return { system, value, use: equip === 'CP' ? 'mobile' : lookup(TELECOM_USE, use2) };
}

const GENDER: Readonly<Record<string, string>> = {
  M: 'male',
  F: 'female',
  O: 'other',
  A: 'other',
  U: 'unknown',
  N: 'other',
  NAM: 'male',
  NỮ: 'female',
  NU: 'female',
};

export function gender(ctx: MapContext, seg: Hl7Segment, field: number): string | undefined {
  const code = ctx.get(seg, field);
  if (code === undefined) return undefined;
  const g = lookup(GENDER, code.toUpperCase());
  if (g === undefined) {
    ctx.warn(
      'CODE_UNMAPPED',
      ctx.path(seg, field),
      `Sex "${code}" is not in HL7 table 0001`,
      'giới tính không thuộc bảng 0001',
      code,
    );
  }
  return g;
}

/** PID → Patient (identifiers, names, telecom, sex, birth, address, language, death) and BHYT Coverage. */
export function mapPatient(ctx: MapContext, pid: Hl7Segment, mode: 'update' | 'create'): string {
  ctx.use(pid, 1);
  const birthDate = ctx.date(pid, 7);
  const sex = gender(ctx, pid, 8);
  const facts = { birthDate, gender: sex };
  const ids = [
    ...cxIdentifiers(ctx, pid, 3, facts),
    ...cxIdentifiers(ctx, pid, 2, facts),
    ...cxIdentifiers(ctx, pid, 4, facts),
  ];
  const key = patientKey(ids);
  if (key === undefined) {
    throw new Hl7Error(
      'MISSING_FIELD',
      `${ctx.path(pid, 3)} (patient identifier list) is empty: a Patient cannot be keyed / thiếu mã định danh người bệnh`,
      { details: { segment: 'PID', field: 3 } },
    );
  }
  const names = [];
  for (let r = 1; r <= ctx.reps(pid, 5); r++) names.push(humanName(ctx, pid, 5, r));
  const telecom = [];
  for (const f of [13, 14]) {
    for (let r = 1; r <= ctx.reps(pid, f); r++) {
      const c = contactPoint(ctx, pid, f, r);
      if (c !== undefined && f === 14 && c.use === undefined) c.use = 'work';
      telecom.push(c);
    }
  }
  const addresses = [];
  for (let r = 1; r <= ctx.reps(pid, 11); r++) addresses.push(address(ctx, pid, 11, r));
  const language = codeable(ctx, pid, 15);
  const lang0 = language?.coding?.[0];
  if (language?.coding !== undefined && lang0 !== undefined && lang0.system === undefined) {
    language.coding[0] = { system: 'urn:ietf:bcp:47', ...lang0 };
  }
  const deceasedAt = ctx.dateTime(pid, 29);
  const deceasedFlag = ctx.get(pid, 30)?.toUpperCase();
  const patient: FhirResource = {
    resourceType: 'Patient',
    identifier: ids.map((i) => i.identifier),
    name: names,
    telecom,
    gender: sex,
    birthDate,
    ...(deceasedAt !== undefined
      ? { deceasedDateTime: deceasedAt }
      : deceasedFlag === 'Y' || deceasedFlag === 'N'
        ? { deceasedBoolean: deceasedFlag === 'Y' }
        : {}),
    address: addresses,
    maritalStatus: tableCode(ctx, pid, 16, '0002'),
    communication: language === undefined ? undefined : [{ language }],
  };
  const url = ctx.add(patient, key.identifier, mode);
  ctx.patient = ctx.resourceAt(url);
  ctx.patientUrl = url;
  ctx.patientKeyValue = key.identifier.value;
  for (const id of ids) if (id.kind === 'bhyt') coverage(ctx, id.identifier.value, id.identifier.period);
  return url;
}

/** BHYT card → Coverage (beneficiary = the Patient, payor = Vietnam Social Security, benefit level as class). */
export function coverage(
  ctx: MapContext,
  card: string,
  period: Period | undefined,
  payorName?: string,
): FhirResource | undefined {
  if (ctx.patientUrl === undefined) return undefined;
  const identifier = { system: VN_SYSTEMS.insuranceNumber, value: card };
  const existing = ctx.resourceAt(ctx.add({ resourceType: 'Coverage' }, identifier));
  if (existing === undefined) return undefined;
  const form = /^([A-Z]{2})([1-5])(\d{2})\d{10}$/.exec(card);
  const r = existing as Record<string, unknown>;
  r.identifier = [{ type: identifierType('HC', 'Health Card Number'), ...identifier }];
  r.status = 'active';
  r.type = { coding: [{ system: CS.actCode, code: 'PUBLICPOL', display: 'public healthcare' }] };
  r.subscriberId = card;
  r.beneficiary = { reference: ctx.patientUrl };
  if (period !== undefined && (period.start !== undefined || period.end !== undefined)) r.period = period;
  r.payor = [{ display: payorName ?? 'Bảo hiểm xã hội Việt Nam' }];
  if (form !== null) {
    r.class = [
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'group' }] },
        value: form[1],
        name: 'Mã đối tượng',
      },
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' }] },
        value: form[2],
        name: 'Mức hưởng',
      },
    ];
  }
  return existing;
}

/** IN1 → the Coverage of its policy number (IN1-36), with IN1-12/13 validity and IN1-4 payor. */
export function mapInsurance(ctx: MapContext, in1: Hl7Segment): void {
  ctx.use(in1, 1);
  const card = ctx.get(in1, 36) ?? ctx.get(in1, 2);
  if (card === undefined) return;
  checkFormat(ctx, 'bhyt', card, ctx.path(in1, 36));
  const start = ctx.date(in1, 12);
  const end = ctx.date(in1, 13);
  const payor = ctx.get(in1, 4);
  const period = start === undefined && end === undefined ? undefined : ({ start, end } as Period);
  coverage(ctx, card, period, payor);
}

/** NK1 → Patient.contact (name, relationship, address, phones). */
export function mapContact(ctx: MapContext, nk1: Hl7Segment): void {
  ctx.use(nk1, 1);
  if (ctx.patient === undefined) return;
  const telecom = [contactPoint(ctx, nk1, 5), contactPoint(ctx, nk1, 6)];
  const contact = {
    relationship: [codeable(ctx, nk1, 3)],
    name: humanName(ctx, nk1, 2),
    telecom,
    address: address(ctx, nk1, 4),
  };
  const p = ctx.patient as Record<string, unknown>;
  const list = (p.contact as unknown[] | undefined) ?? [];
  list.push(contact);
  p.contact = list;
}

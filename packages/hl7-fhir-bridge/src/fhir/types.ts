import type { Hl7Message, Hl7Segment } from '../er7/message.js';

/** A FHIR R4 resource as JSON: its `resourceType` and its elements. */
export interface FhirResource {
  readonly resourceType: string;
  [element: string]: unknown;
}

export interface Coding {
  system?: string;
  version?: string;
  code?: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface Period {
  start?: string;
  end?: string;
}

export interface Identifier {
  use?: 'usual' | 'official' | 'temp' | 'secondary' | 'old';
  type?: CodeableConcept;
  system?: string;
  value?: string;
  period?: Period;
  assigner?: Reference;
}

export interface Reference {
  reference?: string;
  type?: string;
  identifier?: Identifier;
  display?: string;
}

/** One entry of the transaction: a deterministic `urn:uuid` fullUrl, the resource and its request. */
export interface BundleEntry {
  readonly fullUrl: string;
  readonly resource: FhirResource;
  readonly request: {
    readonly method: 'PUT' | 'POST';
    /** `Patient?identifier=system|value` (conditional update) or `Patient` (conditional create). */
    readonly url: string;
    /** For conditional create: `identifier=system|value`. */
    readonly ifNoneExist?: string;
  };
}

/** A FHIR R4 transaction Bundle. */
export interface TransactionBundle {
  readonly resourceType: 'Bundle';
  readonly type: 'transaction';
  /** MSH-10 under a system naming the sender (MSH-3/MSH-4). */
  readonly identifier?: Identifier;
  /** MSH-7 as an instant, when it has seconds. */
  readonly timestamp?: string;
  readonly entry: BundleEntry[];
}

/** Stable codes of {@link MappingWarning}; each one is listed in the README. */
export type MappingWarningCode =
  | 'IDENTIFIER_FORMAT'
  | 'IDENTIFIER_MISMATCH'
  | 'IDENTIFIER_NO_SYSTEM'
  | 'CODE_SYSTEM_UNKNOWN'
  | 'CODE_UNMAPPED'
  | 'TIMESTAMP_INVALID'
  | 'TIMESTAMP_TRUNCATED'
  | 'TIMESTAMP_PADDED'
  | 'VALUE_INVALID'
  | 'UNIT_NOT_UCUM'
  | 'STATUS_MISSING'
  | 'ENCOUNTER_NO_VISIT_NUMBER'
  | 'HANDLER_FAILED'
  | 'DUPLICATE_KEY';

/** Something the mapping kept, changed or could not check; never a silent drop. */
export interface MappingWarning {
  readonly code: MappingWarningCode;
  /** Where, as an HL7 path: `PID-3[2]`, `OBX[2]-6`. */
  readonly path: string;
  /** English / Vietnamese explanation. */
  readonly message: string;
  /** The offending value, when there is one. */
  readonly value?: string;
}

/** A segment, field or repetition the mapping did not carry into FHIR. */
export interface UnmappedItem {
  readonly segment: string;
  /** 1-based occurrence of the segment in the message. */
  readonly occurrence: number;
  /** `ZBH` for a whole segment, `PID-6` for a field, `OBX[2]-5[2]` for one repetition. */
  readonly path: string;
}

/** What {@link hl7ToFhir} returns. */
export interface MappingResult {
  readonly bundle: TransactionBundle;
  readonly warnings: MappingWarning[];
  readonly unmapped: UnmappedItem[];
}

/** The kind of a patient identifier, decided from CX-5 (type) and CX-4 (assigning authority). */
export type IdentifierKind = 'cccd' | 'cmnd' | 'bhyt' | 'mrn' | 'moh' | 'other';

/** A CX value as the classifier sees it. */
export interface CxValue {
  readonly value: string;
  /** CX-5, upper-cased (`MR`, `NI`, `HC`…), or `''`. */
  readonly type: string;
  /** CX-4.1, upper-cased (`BVBG`, `BCA`, `BHXH`…), or `''`. */
  readonly authority: string;
}

/** Which XAD components hold the Vietnamese address parts (1-based). */
export interface AddressLayout {
  /** Ward (phường/xã): becomes `line[1]`. Default 2 (other designation). */
  readonly ward?: number;
  /** District (quận/huyện). Default 9 (county/parish code). */
  readonly district?: number;
  /** City. Default 3. */
  readonly city?: number;
  /** Province (tỉnh/thành phố): `state`. Default 4. */
  readonly province?: number;
}

/** What a segment handler (e.g. for a Z-segment) can do. */
export interface SegmentHandlerApi {
  readonly message: Hl7Message;
  /** Sending facility (MSH-4.1). */
  readonly facility: string;
  /** The Patient being built for this message (mutable), when the message has a PID. */
  readonly patient: FhirResource | undefined;
  /** Marks fields as mapped; fields left unmarked are reported in `unmapped`. */
  use(...fields: number[]): void;
  /** Text of a field (first repetition, component 1 unless given), marking it as mapped. */
  get(field: number, component?: number, repetition?: number): string | undefined;
  warn(code: MappingWarningCode, path: string, message: string, value?: string): void;
  /** Adds a resource to the bundle under a conditional update keyed on `identifier`. */
  addResource(resource: FhirResource, identifier: { system: string; value: string }): string;
}

/** Custom mapping of one segment (a Z-segment, or a standard one the default mapping skips). */
export type SegmentHandler = (segment: Hl7Segment, api: SegmentHandlerApi) => void;

/** Mapping choices; the same shape applies globally and per sending facility. */
export interface FacilityOptions {
  /** Offset for timestamps without one. Default `+07:00`. */
  readonly defaultOffset?: string;
  /** Ministry facility code (mã CSKCB), used for `Encounter.serviceProvider`. */
  readonly providerCode?: string;
  /** System of this facility's MRNs. Default `http://fhir.ehealth.gov.vn/core/sid/patient-internal-id/<MSH-4>`. */
  readonly mrnSystem?: string;
  /** Identifier systems keyed by `AUTHORITY^TYPE`, `AUTHORITY` or `TYPE` (upper case), checked first. */
  readonly identifierSystems?: Readonly<Record<string, string>>;
  /** Overrides the identifier kind decided from CX-5/CX-4; return `undefined` to keep the default. */
  readonly classifyIdentifier?: (cx: CxValue) => IdentifierKind | undefined;
  /** Code systems keyed by the CWE-3 name (`LN`, `99BVBG`); `''` is used when CWE-3 is empty. */
  readonly codeSystems?: Readonly<Record<string, string>>;
  /** Which XAD components hold ward, district, city and province. */
  readonly addressLayout?: AddressLayout;
  /**
   * How the Patient is written: `update` (conditional PUT, the default for ADT) or `create`
   * (conditional create with `ifNoneExist`, the default for ORU/ORM/OML/SIU/MDM/VXU, so an
   * ancillary system never overwrites demographics).
   */
  readonly patientWrite?: 'update' | 'create';
  /** Handlers for segments by name (`ZBH`); they run after the default mapping. */
  readonly segments?: Readonly<Record<string, SegmentHandler>>;
  /** Last look at every resource before it goes into the bundle; return the resource to keep. */
  readonly resource?: (resource: FhirResource, message: Hl7Message) => FhirResource;
}

/** Options of {@link hl7ToFhir}: defaults, plus overrides per sending facility (MSH-4.1). */
export interface MappingOptions extends FacilityOptions {
  readonly facilities?: Readonly<Record<string, FacilityOptions>>;
}

import type { Hl7Message, Hl7Segment } from '../er7/message.js';
import { isHl7Error } from '../errors.js';
import { parseDtm, toFhirDate, toFhirDateTime, toFhirInstant, type Hl7Timestamp } from '../timestamp.js';
import { localSystem } from './systems.js';
import type {
  BundleEntry,
  FacilityOptions,
  FhirResource,
  MappingOptions,
  MappingWarning,
  MappingWarningCode,
  TransactionBundle,
  UnmappedItem,
} from './types.js';
import { compact, deterministicUrn, identifierQuery } from './util.js';

/** Options for one message: the defaults overlaid with its facility's overrides. */
function resolveOptions(options: MappingOptions, facility: string): FacilityOptions {
  const own = options.facilities?.[facility];
  if (own === undefined) return options;
  return {
    ...options,
    ...own,
    identifierSystems: { ...options.identifierSystems, ...own.identifierSystems },
    codeSystems: { ...options.codeSystems, ...own.codeSystems },
    segments: { ...options.segments, ...own.segments },
    addressLayout: { ...options.addressLayout, ...own.addressLayout },
  };
}

interface Entry {
  fullUrl: string;
  resource: FhirResource;
  request: BundleEntry['request'];
}

/** State of one message's mapping: what was read, what was produced, what went wrong. */
export class MapContext {
  readonly facility: string;
  readonly opts: FacilityOptions;
  readonly warnings: MappingWarning[] = [];
  /** CWE-3 names already warned about (one CODE_SYSTEM_UNKNOWN per name and message). */
  readonly warnedSystems = new Set<string>();
  private readonly extraUnmapped: UnmappedItem[] = [];
  private readonly used = new Map<Hl7Segment, Set<number>>();
  private readonly handled = new Set<Hl7Segment>();
  private readonly occurrence = new Map<Hl7Segment, number>();
  private readonly entries: Entry[] = [];
  private readonly byUrl = new Map<string, Entry>();
  /** The Patient of the message, once PID is mapped. */
  patient: FhirResource | undefined;
  patientUrl: string | undefined;
  /** Value of the identifier the Patient is keyed on. */
  patientKeyValue: string | undefined;
  encounterUrl: string | undefined;

  constructor(
    readonly message: Hl7Message,
    options: MappingOptions,
  ) {
    this.facility = (message.get('MSH-4.1') ?? '').trim();
    this.opts = resolveOptions(options, this.facility);
    const seen = new Map<string, number>();
    for (const s of message.segments) {
      const n = (seen.get(s.name) ?? 0) + 1;
      seen.set(s.name, n);
      this.occurrence.set(s, n);
    }
  }

  /** `OBX[2]-5[3]` style path of a segment, field and repetition. */
  path(seg: Hl7Segment, field?: number, rep?: number): string {
    const n = this.occurrence.get(seg) ?? 1;
    let p = n > 1 ? `${seg.name}[${n}]` : seg.name;
    if (field !== undefined) p += `-${field}`;
    if (rep !== undefined && rep > 1) p += `[${rep}]`;
    return p;
  }

  /** Marks a segment as taken by a mapper (its unused fields are then reported one by one). */
  handle(seg: Hl7Segment): void {
    this.handled.add(seg);
  }

  use(seg: Hl7Segment, ...fields: number[]): void {
    this.handled.add(seg);
    let set = this.used.get(seg);
    if (set === undefined) {
      set = new Set();
      this.used.set(seg, set);
    }
    for (const f of fields) set.add(f);
  }

  /** Trimmed text of a component (empty and the HL7 null `""` → undefined), marking the field used. */
  get(seg: Hl7Segment, field: number, component = 1, rep = 1, sub = 1): string | undefined {
    this.use(seg, field);
    return text(seg.get(field, rep, component, sub));
  }

  /** Number of repetitions of a field, marking it used. */
  reps(seg: Hl7Segment, field: number): number {
    this.use(seg, field);
    return seg.repetitionCount(field);
  }

  /** Reports one repetition that was not carried into FHIR. */
  unmappedRepetition(seg: Hl7Segment, field: number, rep: number): void {
    this.extraUnmapped.push({
      segment: seg.name,
      occurrence: this.occurrence.get(seg) ?? 1,
      path: this.path(seg, field, rep),
    });
  }

  warn(code: MappingWarningCode, path: string, en: string, vi: string, value?: string): void {
    this.warnText(code, path, `${en} / ${vi}`, value);
  }

  /** A warning whose message is given whole (from a custom handler). */
  warnText(code: MappingWarningCode, path: string, message: string, value?: string): void {
    this.warnings.push({ code, path, message, ...(value === undefined ? {} : { value }) });
  }

  private timestamp(
    seg: Hl7Segment,
    field: number,
    component: number,
    rep: number,
  ): Hl7Timestamp | undefined {
    const raw = this.get(seg, field, component, rep);
    if (raw === undefined) return undefined;
    const where = this.path(seg, field, rep);
    try {
      return parseDtm(raw, { defaultOffset: this.opts.defaultOffset ?? '+07:00', field: where });
    } catch (err) {
      if (!isHl7Error(err)) throw err;
      this.warn(
        'TIMESTAMP_INVALID',
        where,
        'Not a valid HL7 timestamp, left out',
        'thời gian không hợp lệ, bị bỏ qua',
        raw,
      );
      return undefined;
    }
  }

  /** FHIR dateTime of a DTM component; a time without seconds becomes its date, with a warning. */
  dateTime(seg: Hl7Segment, field: number, component = 1, rep = 1): string | undefined {
    const t = this.timestamp(seg, field, component, rep);
    if (t === undefined) return undefined;
    const v = toFhirDateTime(t);
    if (v.truncated) {
      this.warn(
        'TIMESTAMP_TRUNCATED',
        this.path(seg, field, rep),
        `FHIR dateTime needs seconds once a time is given: kept the date of a value precise to the ${t.precision}`,
        'FHIR cần giây khi có giờ: chỉ giữ ngày',
        seg.get(field, rep, component),
      );
    }
    return v.value;
  }

  /** FHIR date of a DTM component (time dropped without warning: the element is a date). */
  date(seg: Hl7Segment, field: number, component = 1, rep = 1): string | undefined {
    const t = this.timestamp(seg, field, component, rep);
    return t === undefined ? undefined : toFhirDate(t).value;
  }

  /**
   * FHIR instant of a DTM component. A value precise to the minute or hour gets `:00` seconds
   * (with a warning naming the field); a date alone cannot be an instant and is left out, warned.
   */
  instant(seg: Hl7Segment, field: number, component = 1, rep = 1): string | undefined {
    const t = this.timestamp(seg, field, component, rep);
    if (t === undefined) return undefined;
    const where = this.path(seg, field, rep);
    if (t.precision === 'second' || t.precision === 'fraction') return toFhirInstant(t);
    if (t.precision === 'hour' || t.precision === 'minute') {
      this.warn(
        'TIMESTAMP_PADDED',
        where,
        `FHIR instant needs seconds: a value precise to the ${t.precision} was given :00`,
        'FHIR instant cần giây: đã thêm :00',
        seg.get(field, rep, component),
      );
      return toFhirInstant({ ...t, minute: t.minute ?? 0, second: 0, precision: 'second' });
    }
    this.warn(
      'TIMESTAMP_TRUNCATED',
      where,
      'A date alone cannot be a FHIR instant: left out',
      'chỉ có ngày, không thể là instant: bị bỏ qua',
      seg.get(field, rep, component),
    );
    return undefined;
  }

  /**
   * Adds a resource under a deterministic fullUrl (hash of type and key identifier): `update` →
   * `PUT Type?identifier=…`, `create` → `POST Type` with `ifNoneExist`. The same key twice in a
   * message gives the first resource back.
   */
  add(
    resource: FhirResource,
    key: { system: string; value: string },
    mode: 'update' | 'create' = 'update',
  ): string {
    const fullUrl = deterministicUrn(`${resource.resourceType}|${key.system}|${key.value}`);
    const existing = this.byUrl.get(fullUrl);
    if (existing !== undefined) {
      if (existing.resource !== resource && Object.keys(resource).length > 1) {
        this.warn(
          'DUPLICATE_KEY',
          `${resource.resourceType}?identifier=${key.system}|${key.value}`,
          `A second ${resource.resourceType} has the same identifier: the first one is kept and what refers to the second refers to it`,
          'trùng mã định danh: gộp vào tài nguyên đầu tiên',
          key.value,
        );
      }
      return fullUrl;
    }
    const q = identifierQuery(key.system, key.value);
    const request: BundleEntry['request'] =
      mode === 'update'
        ? { method: 'PUT', url: `${resource.resourceType}?${q}` }
        : { method: 'POST', url: resource.resourceType, ifNoneExist: q };
    const entry = { fullUrl, resource, request };
    this.entries.push(entry);
    this.byUrl.set(fullUrl, entry);
    return fullUrl;
  }

  resourceAt(fullUrl: string): FhirResource | undefined {
    return this.byUrl.get(fullUrl)?.resource;
  }

  /** The transaction bundle: resources compacted (no empty elements) and passed to the `resource` hook. */
  bundle(): TransactionBundle {
    const msh = this.message.segment('MSH');
    const controlId = msh === undefined ? undefined : this.get(msh, 10);
    const timestamp = msh === undefined ? undefined : this.instant(msh, 7);
    const hook = this.opts.resource;
    const entry = this.entries.map((e) => {
      const r = compact(e.resource);
      return {
        fullUrl: e.fullUrl,
        resource: hook === undefined ? r : hook(r, this.message),
        request: e.request,
      };
    });
    return {
      resourceType: 'Bundle',
      type: 'transaction',
      ...(controlId === undefined
        ? {}
        : { identifier: { system: localSystem(this.facility, 'message'), value: controlId } }),
      ...(timestamp === undefined ? {} : { timestamp }),
      entry,
    };
  }

  /** Valued fields of mapped segments that no mapper read, and segments no mapper took. */
  unmapped(): UnmappedItem[] {
    const out: UnmappedItem[] = [];
    for (const seg of this.message.segments) {
      const occurrence = this.occurrence.get(seg) ?? 1;
      if (!this.handled.has(seg)) {
        out.push({ segment: seg.name, occurrence, path: this.path(seg) });
        continue;
      }
      const used = this.used.get(seg);
      const first = seg.name === 'MSH' ? 3 : 1;
      for (let f = first; f <= seg.fieldCount; f++) {
        if (used?.has(f) === true) continue;
        const raw = seg.rawField(f);
        if (raw === undefined || raw === '' || raw === '""' || onlyDelimiters(raw, this.message)) continue;
        out.push({ segment: seg.name, occurrence, path: this.path(seg, f) });
      }
    }
    for (const u of this.extraUnmapped) out.push(u);
    return out;
  }
}

export function text(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' || t === '""' ? undefined : t;
}

function onlyDelimiters(raw: string, message: Hl7Message): boolean {
  const d = message.delimiters;
  for (const c of raw) {
    if (c !== d.component && c !== d.repetition && c !== d.subcomponent) return false;
  }
  return true;
}

import { inflateSync } from 'node:zlib';
import {
  canonical,
  dictOf,
  nameOf,
  numberOf,
  readRevisions,
  refsOf,
  type PdfObject,
  type PdfRevision,
  type PdfValue,
} from './pdf-objects.js';

/** What an object changed by an incremental update is. */
export type PdfChangeKind =
  | 'signature'
  | 'timestamp'
  | 'validation-data'
  | 'form-fill'
  | 'annotation'
  | 'appearance'
  | 'metadata'
  | 'other'
  | 'unparsed';

export interface PdfChange {
  /** 1-based revision that made the change. */
  readonly revision: number;
  /** `N G` of the object, when the change is an object. */
  readonly object?: string;
  readonly kind: PdfChangeKind;
  /** English detail (diagnostics). */
  readonly detail: string;
}

/** DocMDP permission levels (ISO 32000-1 Table 254): 1 no changes, 2 form filling and signing, 3 also annotations. */
export type DocMdpLevel = 1 | 2 | 3;

/** Whether a change of `kind` is permitted after a signature, under a DocMDP level (undefined: approval signatures only). */
export function changeAllowed(kind: PdfChangeKind, level: DocMdpLevel | undefined): boolean {
  switch (kind) {
    case 'validation-data':
    case 'timestamp':
    case 'appearance':
      return true;
    case 'signature':
    case 'form-fill':
    case 'metadata':
      return level === undefined || level >= 2;
    case 'annotation':
      return level === undefined || level === 3;
    case 'other':
    case 'unparsed':
      return false;
  }
}

const SEVERITY: readonly PdfChangeKind[] = [
  'appearance',
  'validation-data',
  'timestamp',
  'signature',
  'metadata',
  'form-fill',
  'annotation',
  'other',
];
const worst = (kinds: readonly PdfChangeKind[]): PdfChangeKind =>
  kinds.reduce<PdfChangeKind>((a, b) => (SEVERITY.indexOf(b) > SEVERITY.indexOf(a) ? b : a), 'appearance');

const FORM_KEYS = new Set(['Fields', 'SigFlags', 'DR', 'DA', 'NeedAppearances']);
const FIELD_KEYS = new Set(['V', 'AP', 'AS', 'Ff', 'Lock', 'SV', 'DV', 'Kids', 'MK', 'F']);
const ANNOT_SUBTYPES = new Set([
  'Text',
  'Link',
  'FreeText',
  'Line',
  'Square',
  'Circle',
  'Polygon',
  'PolyLine',
  'Highlight',
  'Underline',
  'Squiggly',
  'StrikeOut',
  'Stamp',
  'Caret',
  'Ink',
  'Popup',
  'FileAttachment',
  'Sound',
  'Movie',
  'Widget',
  'Screen',
  'PrinterMark',
  'TrapNet',
  'Watermark',
  '3D',
  'Redact',
]);

type Lookup = (num: number) => PdfObject | undefined;

function differingKeys(a: ReadonlyMap<string, PdfValue>, b: ReadonlyMap<string, PdfValue>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].sort().filter((k) => {
    const x = a.get(k);
    const y = b.get(k);
    return x === undefined || y === undefined || canonical(x) !== canonical(y);
  });
}

function fieldType(d: ReadonlyMap<string, PdfValue>, lookup: Lookup): string | undefined {
  let cur: ReadonlyMap<string, PdfValue> | undefined = d;
  for (let i = 0; i < 16 && cur !== undefined; i++) {
    const ft = nameOf(cur.get('FT'));
    if (ft !== undefined) return ft;
    const parent = cur.get('Parent');
    cur = parent?.t === 'ref' ? dictOf(lookup(parent.n)?.value) : undefined;
  }
  return undefined;
}

function isSignatureDict(d: ReadonlyMap<string, PdfValue>): boolean {
  const type = nameOf(d.get('Type'));
  return type === 'Sig' || type === 'DocTimeStamp' || (d.has('ByteRange') && d.has('Contents'));
}

/** Kind of an annotation, field or widget dictionary (or undefined when it is none of those). */
function interactiveKind(d: ReadonlyMap<string, PdfValue>, lookup: Lookup): PdfChangeKind | undefined {
  const subtype = nameOf(d.get('Subtype'));
  const isWidget = subtype === 'Widget';
  const isField = d.has('FT') || (d.has('T') && (d.has('Kids') || d.has('V')));
  if (isWidget || isField) {
    if (fieldType(d, lookup) !== 'Sig') return 'form-fill';
    const v = d.get('V');
    const sig = v?.t === 'ref' ? dictOf(lookup(v.n)?.value) : undefined;
    return sig !== undefined && nameOf(sig.get('Type')) === 'DocTimeStamp' ? 'timestamp' : 'signature';
  }
  if (
    nameOf(d.get('Type')) === 'Annot' ||
    (subtype !== undefined && ANNOT_SUBTYPES.has(subtype) && d.has('Rect'))
  )
    return 'annotation';
  return undefined;
}

function refListKind(
  before: readonly number[],
  after: readonly number[],
  lookup: Lookup,
  removedKind: PdfChangeKind,
): PdfChangeKind {
  const old = new Set(before);
  const now = new Set(after);
  const kinds: PdfChangeKind[] = [];
  for (const n of after) {
    if (old.has(n)) continue;
    const d = dictOf(lookup(n)?.value);
    kinds.push(d === undefined ? 'other' : (interactiveKind(d, lookup) ?? 'other'));
  }
  if (before.some((n) => !now.has(n))) kinds.push(removedKind);
  return worst(kinds);
}

function resolveRefs(v: PdfValue | undefined, lookup: Lookup): readonly number[] {
  if (v?.t === 'ref') {
    const target = lookup(v.n)?.value;
    return target?.t === 'array' ? refsOf(target) : [v.n];
  }
  return refsOf(v);
}

/** The objects the DSS dictionaries of a revision reference (certificates, CRLs, OCSP responses, VRI). */
function validationObjects(objects: readonly PdfObject[], lookup: Lookup): Set<number> {
  const out = new Set<number>();
  const visit = (v: PdfValue | undefined, depth: number): void => {
    if (v === undefined || depth > 6) return;
    if (v.t === 'ref') {
      if (out.has(v.n)) return;
      out.add(v.n);
      visit(lookup(v.n)?.value, depth + 1);
    } else if (v.t === 'array') for (const x of v.v) visit(x, depth + 1);
    else if (v.t === 'dict') for (const x of v.v.values()) visit(x, depth + 1);
  };
  for (const o of objects) {
    const d = dictOf(o.value);
    const type = nameOf(d?.get('Type'));
    if (type === 'DSS') {
      out.add(o.num);
      visit(o.value, 0);
    } else if (type === 'Catalog') {
      const dss = d?.get('DSS');
      if (dss !== undefined) visit(dss, 0);
    }
  }
  return out;
}

function sameObject(a: PdfObject, b: PdfObject): boolean {
  if (canonical(a.value) !== canonical(b.value)) return false;
  if (a.stream === undefined || b.stream === undefined) return a.stream === b.stream;
  return Buffer.compare(Buffer.from(a.stream), Buffer.from(b.stream)) === 0;
}

function classify(
  obj: PdfObject,
  old: PdfObject | undefined,
  lookup: Lookup,
  prevLookup: Lookup,
  dss: ReadonlySet<number>,
  info: number | undefined,
): { kind: PdfChangeKind; detail: string } | undefined {
  if (old !== undefined && sameObject(obj, old)) return undefined;
  const d = dictOf(obj.value);
  const oldD = dictOf(old?.value);
  const type = nameOf(d?.get('Type'));
  const what = old === undefined ? 'added' : 'changed';
  if (type === 'XRef' || type === 'ObjStm') return undefined;
  if (dss.has(obj.num) || type === 'DSS' || type === 'VRI')
    return { kind: 'validation-data', detail: `validation data ${what}` };
  if (d !== undefined && isSignatureDict(d)) {
    const ts = type === 'DocTimeStamp' || nameOf(d.get('SubFilter')) === 'ETSI.RFC3161';
    return {
      kind: ts ? 'timestamp' : 'signature',
      detail: `${ts ? 'document timestamp' : 'signature'} ${what}`,
    };
  }
  if (d !== undefined) {
    const interactive = interactiveKind(d, lookup);
    if (interactive !== undefined) {
      if (
        oldD !== undefined &&
        differingKeys(oldD, d).some((k) => !FIELD_KEYS.has(k)) &&
        interactive !== 'annotation'
      )
        return { kind: 'other', detail: `field or widget ${what} beyond its value and appearance` };
      return {
        kind: interactive,
        detail: `${interactive === 'annotation' ? 'annotation' : 'field or widget'} ${what}`,
      };
    }
  }
  if (type === 'Catalog') {
    if (oldD === undefined || d === undefined) return { kind: 'other', detail: 'a new document catalog' };
    const kinds = differingKeys(oldD, d).map((k): PdfChangeKind => {
      if (k === 'DSS' || k === 'Extensions') return 'validation-data';
      if (k === 'AcroForm') return formKind(oldD.get('AcroForm'), d.get('AcroForm'), prevLookup, lookup);
      return 'other';
    });
    return { kind: worst(kinds), detail: `catalog changed (${differingKeys(oldD, d).join(', ')})` };
  }
  if (type === 'Page') {
    if (oldD === undefined || d === undefined) return { kind: 'other', detail: 'a new page' };
    const keys = differingKeys(oldD, d);
    if (keys.some((k) => k !== 'Annots'))
      return { kind: 'other', detail: `page changed (${keys.join(', ')})` };
    const kind = refListKind(
      resolveRefs(oldD.get('Annots'), prevLookup),
      resolveRefs(d.get('Annots'), lookup),
      lookup,
      'annotation',
    );
    return { kind, detail: 'page annotations changed' };
  }
  if (d !== undefined && d.has('Fields') && type === undefined) {
    return { kind: formKind(old?.value, obj.value, prevLookup, lookup), detail: `interactive form ${what}` };
  }
  if (info === obj.num) return { kind: 'metadata', detail: `document information ${what}` };
  if (type === 'Metadata') return { kind: 'metadata', detail: `XMP metadata ${what}` };
  if (old === undefined) {
    if (type === 'Page' || type === 'Pages' || type === 'Catalog')
      return { kind: 'other', detail: `a new ${type}` };
    return { kind: 'appearance', detail: `object added${type === undefined ? '' : ` (${type})`}` };
  }
  if (old.value.t === 'array' && obj.value.t === 'array') {
    // An indirect /Annots or /Fields array.
    return {
      kind: refListKind(refsOf(old.value), refsOf(obj.value), lookup, 'annotation'),
      detail: 'array of annotations or fields changed',
    };
  }
  return { kind: 'other', detail: `object changed${type === undefined ? '' : ` (${type})`}` };
}

function formKind(
  before: PdfValue | undefined,
  after: PdfValue | undefined,
  prevLookup: Lookup,
  lookup: Lookup,
): PdfChangeKind {
  const resolve = (v: PdfValue | undefined, l: Lookup) =>
    v?.t === 'ref' ? dictOf(l(v.n)?.value) : dictOf(v);
  const a = resolve(before, prevLookup) ?? new Map<string, PdfValue>();
  const b = resolve(after, lookup);
  if (b === undefined) return 'other';
  const keys = differingKeys(a, b);
  if (keys.some((k) => !FORM_KEYS.has(k))) return 'other';
  if (!keys.includes('Fields')) return keys.length === 0 ? 'appearance' : 'form-fill';
  const added = refListKind(
    resolveRefs(a.get('Fields'), prevLookup),
    resolveRefs(b.get('Fields'), lookup),
    lookup,
    'other',
  );
  return added === 'appearance' ? 'signature' : added;
}

/** The revisions of a PDF and what each incremental update changed. */
export interface PdfRevisionAnalysis {
  readonly revisions: readonly PdfRevision[];
  /** 1-based revision a signature covering `signedLength` bytes signs. */
  revisionOf(signedLength: number): number;
  /** The changes made by the revisions after `revision` (and objects of `revision` past `signedLength`). */
  changesAfter(revision: number, signedLength?: number): readonly PdfChange[];
  /** The object (signature dictionary) containing the byte at `offset`. */
  objectAt(offset: number): PdfObject | undefined;
}

export function analysePdfRevisions(pdf: Uint8Array): PdfRevisionAnalysis {
  const revisions = readRevisions(pdf);
  const state = new Map<number, PdfObject>();
  const perRevision: PdfChange[][] = [];
  let previousTrailer: ReadonlyMap<string, PdfValue> | undefined;
  for (const rev of revisions) {
    const changes: PdfChange[] = rev.problems.map((p) => ({
      revision: rev.index,
      kind: 'unparsed' as const,
      detail: p,
    }));
    const mine = new Map<number, PdfObject>();
    for (const o of rev.objects) mine.set(o.num, o);
    // `state` is the file before this revision until the end of the loop body.
    const prevState = state;
    const prevLookup: Lookup = (n) => prevState.get(n);
    const lookup: Lookup = (n) => mine.get(n) ?? prevState.get(n);
    const dss = validationObjects(rev.objects, lookup);
    const infoRef = rev.trailer?.get('Info');
    const info = infoRef?.t === 'ref' ? infoRef.n : undefined;
    if (rev.index > 1) {
      for (const o of mine.values()) {
        const c = classify(o, prevState.get(o.num), lookup, prevLookup, dss, info);
        if (c !== undefined) changes.push({ revision: rev.index, object: `${o.num} ${o.gen}`, ...c });
      }
      const root = (t: ReadonlyMap<string, PdfValue> | undefined) => {
        const r = t?.get('Root');
        return r === undefined ? undefined : canonical(r);
      };
      if (
        previousTrailer !== undefined &&
        rev.trailer !== undefined &&
        root(rev.trailer) !== root(previousTrailer)
      ) {
        changes.push({
          revision: rev.index,
          kind: 'other',
          detail: 'the trailer points to another document catalog',
        });
      }
    }
    for (const [n, o] of mine) state.set(n, o);
    previousTrailer = rev.trailer ?? previousTrailer;
    perRevision.push(changes);
  }
  const sorted = revisions
    .flatMap((r) => r.objects.filter((o) => o.inObjectStream === undefined))
    .sort((a, b) => a.offset - b.offset);
  return {
    revisions,
    revisionOf(signedLength) {
      const r = revisions.find((x) => x.end >= signedLength);
      return r?.index ?? revisions.length;
    },
    changesAfter(revision, signedLength) {
      const own = revisions[revision - 1];
      const unsigned =
        own !== undefined && signedLength !== undefined
          ? own.objects.filter((o) => o.offset >= signedLength)
          : [];
      const tail: PdfChange[] = unsigned.map((o) => ({
        revision,
        object: `${o.num} ${o.gen}`,
        kind: 'unparsed',
        detail: 'object after the signed bytes, in the signed revision',
      }));
      return [...tail, ...perRevision.slice(revision).flat()];
    },
    objectAt(offset) {
      let found: PdfObject | undefined;
      for (const o of sorted) {
        if (o.offset > offset) break;
        found = o;
      }
      return found;
    },
  };
}

/** The DocMDP permission level of a certification signature dictionary (undefined for approval signatures). */
export function docMdpLevel(sig: PdfObject | undefined): DocMdpLevel | undefined {
  const refs = dictOf(sig?.value)?.get('Reference');
  const list = refs?.t === 'array' ? refs.v : refs === undefined ? [] : [refs];
  for (const r of list) {
    const d = dictOf(r);
    if (nameOf(d?.get('TransformMethod')) !== 'DocMDP') continue;
    const p = numberOf(dictOf(d?.get('TransformParams'))?.get('P')) ?? 2;
    return p <= 1 ? 1 : p >= 3 ? 3 : 2;
  }
  return undefined;
}

/** Validation data of the document security store (PDF 2.0 / PAdES DSS), decoded streams. */
export interface DssData {
  readonly certificates: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
  readonly ocspResponses: readonly Uint8Array[];
}

/** Reads the latest DSS dictionary's `/Certs`, `/CRLs` and `/OCSPs` streams (unfiltered or FlateDecode). */
export function readDss(analysis: PdfRevisionAnalysis, maxStreamBytes = 10 * 1024 * 1024): DssData {
  const latest = new Map<number, PdfObject>();
  for (const r of analysis.revisions) for (const o of r.objects) latest.set(o.num, o);
  let dss: ReadonlyMap<string, PdfValue> | undefined;
  for (const r of [...analysis.revisions].reverse()) {
    const found = r.objects.find((o) => nameOf(dictOf(o.value)?.get('Type')) === 'DSS');
    if (found !== undefined) {
      dss = dictOf(latest.get(found.num)?.value);
      break;
    }
  }
  const streams = (key: string): Uint8Array[] => {
    const out: Uint8Array[] = [];
    for (const n of resolveRefs(dss?.get(key), (x) => latest.get(x))) {
      const o = latest.get(n);
      const d = dictOf(o?.value);
      if (o?.stream === undefined || d === undefined) continue;
      const filter = d.get('Filter');
      const name = filter?.t === 'array' && filter.v.length === 1 ? nameOf(filter.v[0]) : nameOf(filter);
      try {
        if (filter === undefined) out.push(o.stream);
        else if (name === 'FlateDecode' && d.get('DecodeParms') === undefined)
          out.push(new Uint8Array(inflateSync(o.stream, { maxOutputLength: maxStreamBytes })));
      } catch {
        // An undecodable stream is left out; revocation then falls back to the other sources.
      }
    }
    return out;
  };
  return { certificates: streams('Certs'), crls: streams('CRLs'), ocspResponses: streams('OCSPs') };
}

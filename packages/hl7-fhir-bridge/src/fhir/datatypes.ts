import type { Hl7Segment } from '../er7/message.js';
import type { MapContext } from './context.js';
import { CODING_SYSTEMS, CS, localSystem } from './systems.js';
import type { CodeableConcept, Coding, Identifier, Reference } from './types.js';
import { lookup } from './util.js';

/** A CWE-3 name → system URI: facility table, HL7 table 0396, `HL7nnnn`, or a URI/OID given as is. */
export function codeSystem(ctx: MapContext, name: string | undefined, path: string): string | undefined {
  const own = ctx.opts.codeSystems;
  if (name === undefined) return own?.[''];
  const fromOwn = own === undefined ? undefined : lookup(own, name);
  if (fromOwn !== undefined) return fromOwn;
  const upper = name.toUpperCase();
  const known = lookup(CODING_SYSTEMS, upper);
  if (known !== undefined) return known;
  const table = /^HL7(\d{4})$/.exec(upper);
  if (table !== null) return CS.v2(table[1] as string);
  if (/^(https?:|urn:)/i.test(name)) return name;
  if (/^\d+(\.\d+)+$/.test(name)) return `urn:oid:${name}`;
  if (!ctx.warnedSystems.has(name)) {
    ctx.warnedSystems.add(name);
    ctx.warn(
      'CODE_SYSTEM_UNKNOWN',
      path,
      `Coding system "${name}" is not known: codes kept without system (set codeSystems for this facility)`,
      `hệ mã "${name}" chưa được khai báo`,
      name,
    );
  }
  return undefined;
}

/** CWE/CE → CodeableConcept: primary and alternate codings, CWE-9 (or CWE-2 alone) as text. */
export function codeable(
  ctx: MapContext,
  seg: Hl7Segment,
  field: number,
  rep = 1,
): CodeableConcept | undefined {
  const g = (c: number) => ctx.get(seg, field, c, rep);
  const path = ctx.path(seg, field, rep);
  const coding: Coding[] = [];
  for (const [ci, ti, si] of [
    [1, 2, 3],
    [4, 5, 6],
  ] as const) {
    const code = g(ci);
    const display = g(ti);
    if (code === undefined) continue;
    const system = codeSystem(ctx, g(si), path);
    coding.push({
      ...(system === undefined ? {} : { system }),
      code,
      ...(display === undefined ? {} : { display }),
    });
  }
  const text = g(9) ?? (coding.length === 0 ? g(2) : undefined);
  if (coding.length === 0 && text === undefined) return undefined;
  return { ...(coding.length === 0 ? {} : { coding }), ...(text === undefined ? {} : { text }) };
}

/** Every repetition of a CWE field. */
export function codeables(ctx: MapContext, seg: Hl7Segment, field: number): CodeableConcept[] {
  const out: CodeableConcept[] = [];
  for (let r = 1; r <= ctx.reps(seg, field); r++) {
    const c = codeable(ctx, seg, field, r);
    if (c !== undefined) out.push(c);
  }
  return out;
}

/** A code from an HL7 table (IS/ID) as a CodeableConcept in `v2-<table>`. */
export function tableCode(
  ctx: MapContext,
  seg: Hl7Segment,
  field: number,
  table: string,
): CodeableConcept | undefined {
  const code = ctx.get(seg, field);
  const display = ctx.get(seg, field, 2);
  if (code === undefined) return undefined;
  return { coding: [{ system: CS.v2(table), code, ...(display === undefined ? {} : { display }) }] };
}

/** Vietnamese display order: family, middle, given. */
export function personName(parts: (string | undefined)[]): string | undefined {
  const t = parts.filter((p): p is string => p !== undefined && p !== '').join(' ');
  return t === '' ? undefined : t;
}

/** XCN → a logical Reference to a Practitioner (identifier + display), no resource created. */
export function practitionerRef(
  ctx: MapContext,
  seg: Hl7Segment,
  field: number,
  rep = 1,
): Reference | undefined {
  const g = (c: number) => ctx.get(seg, field, c, rep);
  const id = g(1);
  const display = personName([g(6), g(2), g(3), g(4)]);
  if (id === undefined && display === undefined) return undefined;
  return {
    type: 'Practitioner',
    ...(id === undefined
      ? {}
      : { identifier: { system: localSystem(g(9) ?? ctx.facility, 'practitioner'), value: id } }),
    ...(display === undefined ? {} : { display }),
  };
}

/** PL → a logical Reference to a Location (point of care, room, bed). */
export function locationRef(ctx: MapContext, seg: Hl7Segment, field: number): Reference | undefined {
  const parts = [ctx.get(seg, field, 1), ctx.get(seg, field, 2), ctx.get(seg, field, 3)];
  const value = parts
    .map((p) => p ?? '')
    .join('/')
    .replace(/\/+$/, '');
  const display = ctx.get(seg, field, 9) ?? personName(parts);
  if (value === '') return display === undefined ? undefined : { type: 'Location', display };
  return {
    type: 'Location',
    identifier: { system: localSystem(ctx.get(seg, field, 4) ?? ctx.facility, 'location'), value },
    ...(display === undefined ? {} : { display }),
  };
}

/**
 * EI (entity identifier) → Identifier; the system comes from EI-3 (URI/OID) or EI-2 / the facility.
 * `eipPart` reads the EI held in the subcomponents of component 1 (placer) or 2 (filler) of an EIP.
 */
export function entityIdentifier(
  ctx: MapContext,
  seg: Hl7Segment,
  field: number,
  kind: string,
  eipPart?: 1 | 2,
): { system: string; value: string } | undefined {
  const g =
    eipPart === undefined
      ? (c: number) => ctx.get(seg, field, c)
      : (c: number) => ctx.get(seg, field, eipPart, 1, c);
  const value = g(1);
  if (value === undefined) return undefined;
  const universal = g(3);
  const type = g(4)?.toUpperCase();
  let system: string;
  if (universal !== undefined && (type === 'URI' || /^(https?:|urn:)/.test(universal))) system = universal;
  else if (universal !== undefined && (type === 'ISO' || /^\d+(\.\d+)+$/.test(universal)))
    system = `urn:oid:${universal}`;
  else system = localSystem(g(2) ?? ctx.facility, kind);
  return { system, value };
}

/** v2 table 0203 identifier type → Identifier.type. */
export function identifierType(code: string, display?: string): CodeableConcept {
  return { coding: [{ system: CS.v2('0203'), code, ...(display === undefined ? {} : { display }) }] };
}

export function withType(id: { system: string; value: string }, type?: CodeableConcept): Identifier {
  return { ...(type === undefined ? {} : { type }), system: id.system, value: id.value };
}

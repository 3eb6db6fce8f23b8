import { parseHl7, type Hl7Message, type ParseOptions } from '../er7/message.js';
import { Hl7Error } from '../errors.js';
import { ADT_EVENTS, mapAdt } from './adt.js';
import { MapContext } from './context.js';
import { mapMdm } from './mdm.js';
import { mapOrders } from './orders.js';
import { mapOru } from './oru.js';
import { SIU_EVENTS, mapSiu } from './siu.js';
import type { MappingOptions, MappingResult, SegmentHandlerApi } from './types.js';
import { mapVxu } from './vxu.js';

/** Message types (MSH-9.1^MSH-9.2) that {@link hl7ToFhir} maps. */
export const SUPPORTED_MESSAGE_TYPES: readonly string[] = [
  ...ADT_EVENTS.map((e) => `ADT^${e}`),
  'ORU^R01',
  'ORM^O01',
  'OML^O21',
  ...SIU_EVENTS.map((e) => `SIU^${e}`),
  'MDM^T02',
  'VXU^V04',
];

const SUPPORTED = new Set(SUPPORTED_MESSAGE_TYPES);

function header(ctx: MapContext): void {
  const msh = ctx.message.segment('MSH');
  // MSH-1/2 are the delimiters; 3–6 sender and receiver; 7, 10 go to the Bundle; 9, 11, 12, 15,
  // 16 and 18 were acted on by the parser and the receiver (type, processing id, version, ACK
  // modes, character set).
  if (msh !== undefined) ctx.use(msh, 3, 4, 5, 6, 9, 11, 12, 15, 16, 18);
}

/**
 * Maps one HL7 v2 message to a FHIR R4 transaction Bundle following the HL7 V2-to-FHIR IG, with
 * conditional create/update keyed on identifiers and deterministic `urn:uuid` fullUrls, so the same
 * message always gives the same bundle and a replay never duplicates resources. Warnings (bad
 * identifier formats, unknown codes, timestamps that lost precision) and every segment or field
 * that was not mapped are returned beside the bundle.
 *
 * Throws {@link Hl7Error} `UNSUPPORTED_MESSAGE_TYPE`, `MISSING_SEGMENT` or `MISSING_FIELD` (and
 * the parser's codes for text input).
 */
export function hl7ToFhir(
  input: Hl7Message | string | Uint8Array,
  options: MappingOptions & { readonly parse?: ParseOptions } = {},
): MappingResult {
  const message =
    typeof input === 'string' || input instanceof Uint8Array ? parseHl7(input, options.parse) : input;
  const { code, event } = message.type;
  const type = `${code}^${event}`;
  if (!SUPPORTED.has(type)) {
    throw new Hl7Error(
      'UNSUPPORTED_MESSAGE_TYPE',
      `No FHIR mapping for message type ${type || '(empty MSH-9)'}; supported: ${SUPPORTED_MESSAGE_TYPES.join(', ')} / loại thông điệp chưa được hỗ trợ`,
      { details: { field: 'MSH-9', type, supported: SUPPORTED_MESSAGE_TYPES } },
    );
  }
  const ctx = new MapContext(message, options);
  header(ctx);
  switch (code) {
    case 'ADT':
      mapAdt(ctx, event);
      break;
    case 'ORU':
      mapOru(ctx);
      break;
    case 'ORM':
    case 'OML':
      mapOrders(ctx);
      break;
    case 'SIU':
      mapSiu(ctx, event);
      break;
    case 'MDM':
      mapMdm(ctx);
      break;
    default:
      mapVxu(ctx);
  }
  runHandlers(ctx);
  const bundle = ctx.bundle();
  return { bundle, warnings: ctx.warnings, unmapped: ctx.unmapped() };
}

function runHandlers(ctx: MapContext): void {
  const handlers = ctx.opts.segments;
  if (handlers === undefined) return;
  for (const seg of ctx.message.segments) {
    const handler = Object.prototype.hasOwnProperty.call(handlers, seg.name) ? handlers[seg.name] : undefined;
    if (handler === undefined) continue;
    const api: SegmentHandlerApi = {
      message: ctx.message,
      facility: ctx.facility,
      patient: ctx.patient,
      use: (...fields) => ctx.use(seg, ...fields),
      get: (field, component = 1, repetition = 1) => ctx.get(seg, field, component, repetition),
      warn: (code, path, message, value) => ctx.warnText(code, path, message, value),
      addResource: (resource, identifier) => ctx.add(resource, identifier, 'update'),
    };
    try {
      ctx.handle(seg);
      handler(seg, api);
    } catch (err) {
      ctx.warn(
        'HANDLER_FAILED',
        ctx.path(seg),
        `The ${seg.name} handler failed: ${err instanceof Error ? err.message : String(err)}`,
        `bộ xử lý đoạn ${seg.name} bị lỗi`,
      );
    }
  }
}

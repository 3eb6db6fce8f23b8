import { createHash } from 'node:crypto';
import { CameraError, msg } from '../errors.js';
import type { CameraEvent, CameraEventState, DetectedObject, VehicleType } from '../events.js';
import { parseVietnamesePlate } from '../plates.js';
import { merge } from '../merge.js';

/** Options for {@link mapFrigateEvent}. */
export interface FrigateMapOptions {
  /** Camera id to report; default the Frigate camera name. */
  readonly cameraId?: string;
  /** Detect resolution per Frigate camera name, to normalize pixel boxes to 0..1. Boxes are omitted without it. */
  readonly frameSizes?: Readonly<Record<string, { readonly width: number; readonly height: number }>>;
  /** Frigate base URL, to build snapshot links (`/api/events/{id}/snapshot.jpg`). */
  readonly baseUrl?: string;
  /** Unit Frigate is configured with for `current_estimated_speed`. Default `kph`. */
  readonly speedUnit?: 'kph' | 'mph';
  /** Largest accepted payload in bytes. Default 256 KiB. */
  readonly maxBytes?: number;
}

interface FrigateObject {
  id?: unknown;
  camera?: unknown;
  label?: unknown;
  sub_label?: unknown;
  score?: unknown;
  top_score?: unknown;
  box?: unknown;
  current_zones?: unknown;
  entered_zones?: unknown;
  start_time?: unknown;
  end_time?: unknown;
  frame_time?: unknown;
  has_snapshot?: unknown;
  recognized_license_plate?: unknown;
  recognized_license_plate_score?: unknown;
  current_estimated_speed?: unknown;
}

const VEHICLES: Readonly<Record<string, VehicleType>> = {
  car: 'car',
  motorcycle: 'motorcycle',
  bus: 'bus',
  truck: 'truck',
  bicycle: 'bicycle',
  van: 'van',
};

function invalid(en: string, vi: string, path: string): CameraError {
  return new CameraError('EVENT_INVALID', msg(`Frigate event: ${en}`, `sự kiện Frigate: ${vi}`), {
    details: { path },
  });
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function numOf(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Epoch seconds (float) to ISO 8601 UTC with millisecond precision. */
function isoFromEpoch(s: number): string {
  return new Date(Math.round(s * 1000)).toISOString();
}

/**
 * Maps one Frigate MQTT `frigate/events` message (`{type, before, after}`) to the normalized taxonomy:
 * a recognized licence plate → `plate_read`; a recognized face (`sub_label` of a person) → `face_match`;
 * an object inside a zone → `intrusion` (rule = zone); any other tracked object → `motion`.
 * `new`/`update` are `start`, `end` is `end`. Throws `EVENT_INVALID` for malformed payloads.
 */
export function mapFrigateEvent(payload: string, options: FrigateMapOptions = {}): CameraEvent {
  const maxBytes = options.maxBytes ?? 256 * 1024;
  if (Buffer.byteLength(payload, 'utf8') > maxBytes) {
    throw invalid(`larger than ${maxBytes} bytes`, `lớn hơn ${maxBytes} byte`, '$');
  }
  let msgObj: unknown;
  try {
    msgObj = JSON.parse(payload);
  } catch (cause) {
    throw new CameraError(
      'EVENT_INVALID',
      msg('Frigate event: not JSON', 'sự kiện Frigate: không phải JSON'),
      {
        cause,
        details: { path: '$' },
      },
    );
  }
  if (typeof msgObj !== 'object' || msgObj === null)
    throw invalid('not an object', 'không phải đối tượng', '$');
  const m = msgObj as { type?: unknown; after?: unknown; before?: unknown };
  const type = m.type;
  if (type !== 'new' && type !== 'update' && type !== 'end') {
    throw invalid('type must be new, update or end', 'type phải là new, update hoặc end', '$.type');
  }
  if (typeof m.after !== 'object' || m.after === null)
    throw invalid('missing after', 'thiếu after', '$.after');
  const a = m.after as FrigateObject;
  const id = str(a.id);
  const camera = str(a.camera);
  const label = str(a.label);
  if (id === undefined) throw invalid('missing after.id', 'thiếu after.id', '$.after.id');
  if (camera === undefined) throw invalid('missing after.camera', 'thiếu after.camera', '$.after.camera');
  if (label === undefined) throw invalid('missing after.label', 'thiếu after.label', '$.after.label');
  const epoch =
    type === 'end'
      ? (numOf(a.end_time) ?? numOf(a.frame_time))
      : (numOf(a.frame_time) ?? numOf(a.start_time));
  if (epoch === undefined)
    throw invalid('missing after.start_time', 'thiếu after.start_time', '$.after.start_time');
  const state: CameraEventState = type === 'end' ? 'end' : 'start';
  const score = numOf(a.top_score) ?? numOf(a.score);
  const size = options.frameSizes?.[camera];
  const box =
    Array.isArray(a.box) && a.box.length === 4 && a.box.every((x) => typeof x === 'number')
      ? a.box
      : undefined;
  const r4 = (n: number): number => Math.round(Math.min(1, Math.max(0, n)) * 10000) / 10000;
  const object: DetectedObject = {
    id,
    class: label,
    ...(score === undefined ? {} : { confidence: score }),
    ...(box && size
      ? {
          box: {
            left: r4((box[0] as number) / size.width),
            top: r4((box[1] as number) / size.height),
            right: r4((box[2] as number) / size.width),
            bottom: r4((box[3] as number) / size.height),
          },
        }
      : {}),
  };
  const zones = strings(a.current_zones);
  const entered = strings(a.entered_zones);
  const zone = zones[0] ?? entered[0];
  const base = {
    id: createHash('sha256')
      .update(['frigate', camera, id, type, String(epoch)].join('\u0000'))
      .digest('hex')
      .slice(0, 24),
    source: { cameraId: options.cameraId ?? camera, adapter: 'frigate' },
    time: isoFromEpoch(epoch),
    state,
    initial: false,
    objects: [object],
    ...(a.has_snapshot === true && options.baseUrl !== undefined
      ? {
          snapshot: {
            uri: `${options.baseUrl.replace(/\/$/, '')}/api/events/${encodeURIComponent(id)}/snapshot.jpg`,
          },
        }
      : {}),
    raw: { format: 'frigate-json', topic: 'frigate/events', payload },
  };
  const speedRaw = numOf(a.current_estimated_speed);
  const speedKmh =
    speedRaw === undefined || speedRaw <= 0
      ? undefined
      : Math.round((options.speedUnit === 'mph' ? speedRaw * 1.609344 : speedRaw) * 10) / 10;
  const plateText = str(a.recognized_license_plate);
  if (plateText !== undefined) {
    const plateScore = numOf(a.recognized_license_plate_score);
    return merge(base, {
      kind: 'plate_read',
      ...(zone === undefined ? {} : { rule: { name: zone, type: 'zone' } }),
      plate: parseVietnamesePlate(plateText),
      ...(plateScore === undefined ? {} : { confidence: plateScore }),
      vehicleType: VEHICLES[label] ?? 'other',
      direction: 'unknown',
      ...(speedKmh === undefined ? {} : { speedKmh }),
    });
  }
  const sub = a.sub_label;
  const faceName =
    typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
  const faceScore = Array.isArray(sub) ? numOf(sub[1]) : undefined;
  if (label === 'person' && faceName !== undefined && faceName !== '') {
    return merge(base, {
      kind: 'face_match',
      ...(zone === undefined ? {} : { rule: { name: zone, type: 'zone' } }),
      label: faceName,
      listType: 'unknown',
      ...(faceScore === undefined ? {} : { likelihood: faceScore }),
    });
  }
  if (zone !== undefined) {
    return merge(base, { kind: 'intrusion', rule: { name: zone, type: 'zone' } });
  }
  return merge(base, { kind: 'motion' });
}

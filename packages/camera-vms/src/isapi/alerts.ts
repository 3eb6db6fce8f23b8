import { createHash } from 'node:crypto';
import { CameraError, isCameraError, msg } from '../errors.js';
import type {
  CameraEvent,
  CameraEventSource,
  CameraEventState,
  TrafficViolationType,
  VehicleType,
} from '../events.js';
import { parseVietnamesePlate } from '../plates.js';
import { find, parseXml, textAt, xmlText, type XmlElement, type XmlLimits } from '../xml.js';
import { merge } from '../merge.js';

/** The fields of a Hikvision `EventNotificationAlert` used for mapping. */
export interface IsapiAlert {
  readonly eventType: string;
  /** `active` or `inactive`. */
  readonly eventState: string;
  readonly dateTime: string;
  readonly channel?: string;
  readonly description?: string;
  readonly activePostCount?: number;
  /** The parsed document, for vendor-specific fields. */
  readonly element: XmlElement;
  readonly raw: string;
}

/** Parses one `EventNotificationAlert` XML document (through the untrusted-XML guard). */
export function parseIsapiAlert(input: string | Uint8Array, limits?: XmlLimits): IsapiAlert {
  const raw = xmlText(input);
  const el = parseXml(raw, limits ?? { maxBytes: 1024 * 1024, maxDepth: 32 });
  if (el.name !== 'EventNotificationAlert') {
    throw new CameraError(
      'EVENT_INVALID',
      msg(
        `expected EventNotificationAlert, got <${el.name}>`,
        `cần EventNotificationAlert, nhận <${el.name}>`,
      ),
      { details: { path: el.path } },
    );
  }
  const eventType = textAt(el, 'eventType');
  const dateTime = textAt(el, 'dateTime');
  if (eventType === undefined || dateTime === undefined) {
    const path = `/EventNotificationAlert/${eventType === undefined ? 'eventType' : 'dateTime'}`;
    throw new CameraError('EVENT_INVALID', msg(`missing ${path}`, `thiếu ${path}`), { details: { path } });
  }
  const channel = textAt(el, 'channelID') ?? textAt(el, 'dynChannelID');
  const description = textAt(el, 'eventDescription');
  const count = Number(textAt(el, 'activePostCount'));
  return {
    eventType,
    eventState: (textAt(el, 'eventState') ?? 'active').toLowerCase(),
    dateTime,
    ...(channel === undefined ? {} : { channel }),
    ...(description === undefined ? {} : { description }),
    ...(Number.isFinite(count) ? { activePostCount: count } : {}),
    element: el,
    raw,
  };
}

const VIOLATIONS: readonly [RegExp, TrafficViolationType][] = [
  [/wrongdirection|retrograde|reverse|wrongway/i, 'wrong_way'],
  [/crosslane|lanechange|wronglane|illegallane|occupy|solidline|laneviolation/i, 'wrong_lane'],
  [/illegalparking|parking|illegalstop/i, 'illegal_parking'],
  [/redlight|runred/i, 'red_light'],
  [/speed/i, 'speeding'],
];

function vehicleType(v: string | undefined): VehicleType {
  const t = (v ?? '').toLowerCase();
  if (t === '') return 'unknown';
  if (/motor|twowheel|electric/.test(t)) return 'motorcycle';
  if (/bicycle|bike/.test(t)) return 'bicycle';
  if (/bus/.test(t)) return 'bus';
  if (/truck|lorry/.test(t)) return 'truck';
  if (/van/.test(t)) return 'van';
  if (/car|vehicle|suv|sedan/.test(t)) return 'car';
  return 'other';
}

function allText(el: XmlElement): string {
  return [el.text.trim(), ...el.children.map(allText)].filter((t) => t !== '').join(' ');
}

/** Hikvision confidence is 0..100. */
function confidence(v: string | undefined): number | undefined {
  const n = Number(v);
  if (v === undefined || !Number.isFinite(n)) return undefined;
  return Math.round((n > 1 ? n / 100 : n) * 10000) / 10000;
}

/**
 * Maps a Hikvision alert to the normalized taxonomy. Returns `undefined` for heartbeats (inactive
 * `videoloss`) and event types outside the taxonomy. See the README's ISAPI mapping table.
 */
export function mapIsapiAlert(alert: IsapiAlert, cameraId: string): CameraEvent | undefined {
  const type = alert.eventType.toLowerCase();
  const active = alert.eventState !== 'inactive';
  if (type === 'videoloss' && !active) return undefined;
  const source: CameraEventSource = {
    cameraId,
    adapter: 'hikvision-isapi',
    ...(alert.channel === undefined ? {} : { channel: alert.channel }),
  };
  const state: CameraEventState = active ? 'start' : 'end';
  const el = alert.element;
  const regionId = textAt(find(el, 'DetectionRegionEntry'), 'regionID');
  const base = {
    id: createHash('sha256')
      .update(
        [
          cameraId,
          alert.eventType,
          alert.eventState,
          alert.dateTime,
          alert.channel ?? '',
          String(alert.activePostCount ?? ''),
        ].join('\u0000'),
      )
      .update(find(el, 'ANPR') ? alert.raw : '')
      .digest('hex')
      .slice(0, 24),
    source,
    time: alert.dateTime,
    initial: false,
    ...(regionId === undefined
      ? { rule: { type: alert.eventType } }
      : { rule: { name: `region ${regionId}`, type: alert.eventType } }),
    objects: [],
    raw: { format: 'isapi-alert', topic: alert.eventType, payload: alert.raw },
  };
  switch (type) {
    case 'vmd':
    case 'motiondetection':
      return merge(base, { kind: 'motion', state });
    case 'videoloss':
      return merge(base, { kind: 'video_loss', state });
    case 'shelteralarm':
    case 'tamperdetection':
      return merge(base, { kind: 'tamper', state, cause: 'tamper' });
    case 'scenechangedetection':
      return merge(base, { kind: 'tamper', state, cause: 'scene_change' });
    case 'defocus':
      return merge(base, { kind: 'tamper', state, cause: 'blur' });
    case 'linedetection':
      return merge(base, { kind: 'line_crossing', state: active ? 'pulse' : 'end', direction: 'unknown' });
    case 'fielddetection':
    case 'regionentrance':
      return merge(base, { kind: 'intrusion', state });
    case 'regionexiting':
      return merge(base, { kind: 'intrusion', state: 'end' });
    case 'loitering':
      return merge(base, { kind: 'loitering', state });
    case 'unattendedbaggage':
      return merge(base, { kind: 'abandoned_object', state });
    case 'attendedbaggage':
      return merge(base, { kind: 'removed_object', state });
    case 'peoplegathering':
    case 'highdensity':
    case 'crowddetection': {
      const count = Number(textAt(find(el, 'PeopleGathering') ?? el, 'peopleNum'));
      return merge(base, { kind: 'crowd', state, ...(Number.isFinite(count) ? { count } : {}) });
    }
    case 'peoplecounting': {
      const count = Number(textAt(find(el, 'peopleCounting') ?? find(el, 'PeopleCounting'), 'enter'));
      if (!Number.isFinite(count)) return undefined;
      return merge(base, { kind: 'counting', state: 'pulse', count });
    }
    case 'anpr': {
      const anpr = find(el, 'ANPR');
      const plateText = textAt(anpr, 'licensePlate');
      if (plateText === undefined || /^unknown$|^无车牌$/i.test(plateText)) return undefined;
      const plate = parseVietnamesePlate(plateText);
      const conf = confidence(textAt(anpr, 'confidenceLevel'));
      const dir = (textAt(anpr, 'direction') ?? '').toLowerCase();
      const vehicle = vehicleType(
        textAt(anpr, 'vehicleType') ?? textAt(find(el, 'VehicleInfo'), 'vehileType'),
      );
      const speed = Number(textAt(find(el, 'VehicleInfo'), 'speed'));
      const info = find(anpr, 'illegalInfo');
      const illegal = info ? allText(info) : undefined;
      const violation = illegal === undefined ? undefined : VIOLATIONS.find(([re]) => re.test(illegal))?.[1];
      const snapshot = textAt(find(el, 'pictureInfo'), 'fileName');
      const withSnap =
        snapshot !== undefined && /^(https?|rtsp):/.test(snapshot) ? { snapshot: { uri: snapshot } } : {};
      if (violation) {
        return merge(base, {
          ...withSnap,
          kind: 'traffic_violation',
          state: 'pulse',
          violation,
          plate,
          ...(vehicle === 'unknown' ? {} : { vehicleType: vehicle }),
          ...(Number.isFinite(speed) && speed > 0 ? { speedKmh: speed } : {}),
        });
      }
      return merge(base, {
        ...withSnap,
        kind: 'plate_read',
        state: 'pulse',
        plate,
        ...(conf === undefined ? {} : { confidence: conf }),
        vehicleType: vehicle,
        direction: dir === 'forward' ? 'approaching' : dir === 'reverse' ? 'leaving' : 'unknown',
        ...(Number.isFinite(speed) && speed > 0 ? { speedKmh: speed } : {}),
        ...(textAt(anpr, 'country') === undefined ? {} : { country: textAt(anpr, 'country') as string }),
      });
    }
    case 'aid':
    case 'tfs':
    case 'tps': {
      const kindText =
        textAt(find(el, 'AID'), 'aidType') ??
        textAt(find(el, 'TFS'), 'illegalType') ??
        find(el, 'aidType')?.text.trim() ??
        find(el, 'illegalType')?.text.trim() ??
        alert.description ??
        '';
      const violation = VIOLATIONS.find(([re]) => re.test(kindText))?.[1];
      if (!violation) return undefined;
      const plateText = textAt(find(el, 'PlateInfo'), 'plate') ?? textAt(find(el, 'ANPR'), 'licensePlate');
      const speed = Number(textAt(find(el, 'VehicleInfo'), 'speed') ?? textAt(find(el, 'TFS'), 'speed'));
      const limit = Number(textAt(find(el, 'TFS'), 'speedLimit'));
      return merge(base, {
        kind: 'traffic_violation',
        state: type === 'aid' ? state : 'pulse',
        violation,
        ...(plateText === undefined ? {} : { plate: parseVietnamesePlate(plateText) }),
        ...(Number.isFinite(speed) && speed > 0 ? { speedKmh: speed } : {}),
        ...(Number.isFinite(limit) && limit > 0 ? { speedLimitKmh: limit } : {}),
      });
    }
    default:
      return undefined;
  }
}

/** Parses and maps one alert; typed errors become `EVENT_INVALID` unless they are XML security errors. */
export function isapiAlertToEvent(
  input: string | Uint8Array,
  cameraId: string,
  limits?: XmlLimits,
): CameraEvent | undefined {
  try {
    return mapIsapiAlert(parseIsapiAlert(input, limits), cameraId);
  } catch (err) {
    if (isCameraError(err)) throw err;
    throw new CameraError('EVENT_INVALID', msg('unreadable ISAPI alert', 'cảnh báo ISAPI không đọc được'), {
      cause: err,
    });
  }
}

import { createHash } from 'node:crypto';
import type {
  CameraEvent,
  CameraEventSource,
  CameraEventState,
  DetectedObject,
  LineDirection,
  TrafficViolationType,
  TravelDirection,
  VehicleType,
} from '../events.js';
import { parseVietnamesePlate } from '../plates.js';
import { child, childrenNamed, find, parseXml, xmlText, type XmlElement, type XmlLimits } from '../xml.js';
import { NS } from './soap.js';
import { merge } from '../merge.js';

/** One ONVIF notification, decoded but not yet normalized. */
export interface OnvifNotification {
  /** Topic with the ONVIF topic namespace written as `tns1:` whatever prefix the device used. */
  readonly topic: string;
  readonly utcTime: string;
  /** `Initialized`, `Changed`, `Deleted` for property events; absent for pulses. */
  readonly propertyOperation?: string;
  readonly source: Readonly<Record<string, string>>;
  readonly key: Readonly<Record<string, string>>;
  /** SimpleItems of `Data` by name. */
  readonly data: Readonly<Record<string, string>>;
  /** ElementItems of `Data` by name (their first child element). */
  readonly elements: Readonly<Record<string, XmlElement>>;
  /** The `NotificationMessage` XML exactly as received. */
  readonly raw: string;
}

function items(el: XmlElement | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const it of childrenNamed(el, 'SimpleItem')) {
    const name = it.attrs.Name;
    if (name !== undefined) out[name] = it.attrs.Value ?? '';
  }
  return out;
}

function canonicalTopic(topicEl: XmlElement): string {
  const text = topicEl.text.trim();
  const colon = text.indexOf(':');
  if (colon === -1 || text.slice(0, colon).includes('/')) return text;
  const prefix = text.slice(0, colon);
  const uri = topicEl.scope.get(prefix);
  // Devices that forget to declare the prefix almost always mean the ONVIF topic namespace.
  if (uri === NS.tns1 || (uri === undefined && prefix === 'tns1')) return `tns1:${text.slice(colon + 1)}`;
  return text;
}

/** Decodes one `wsnt:NotificationMessage` element. `text` is the document it was parsed from. */
export function decodeNotification(msgEl: XmlElement, text: string): OnvifNotification | undefined {
  const topicEl = child(msgEl, 'Topic');
  const message = child(child(msgEl, 'Message'), 'Message') ?? child(msgEl, 'Message');
  if (!topicEl || !message) return undefined;
  const data = child(message, 'Data');
  const elements: Record<string, XmlElement> = {};
  for (const it of childrenNamed(data, 'ElementItem')) {
    const name = it.attrs.Name;
    const first = it.children[0];
    if (name !== undefined && first) elements[name] = first;
  }
  return {
    topic: canonicalTopic(topicEl),
    utcTime: message.attrs.UtcTime ?? '',
    ...(message.attrs.PropertyOperation === undefined
      ? {}
      : { propertyOperation: message.attrs.PropertyOperation }),
    source: items(child(message, 'Source')),
    key: items(child(message, 'Key')),
    data: items(data),
    elements,
    raw: text.slice(msgEl.start, msgEl.end),
  };
}

/** Decodes every NotificationMessage of a PullMessagesResponse, a Notify, or a bare message document. */
export function decodeNotifications(input: string | Uint8Array, limits?: XmlLimits): OnvifNotification[] {
  const text = xmlText(input);
  const root = parseXml(text, limits);
  const out: OnvifNotification[] = [];
  const walk = (el: XmlElement): void => {
    if (el.name === 'NotificationMessage') {
      const n = decodeNotification(el, text);
      if (n) out.push(n);
      return;
    }
    for (const c of el.children) walk(c);
  };
  walk(root);
  return out;
}

function bool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const t = v.trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return undefined;
}

function num(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function fraction(v: string | undefined): number | undefined {
  const n = num(v);
  if (n === undefined) return undefined;
  return n > 1 ? Math.min(n / 100, 1) : n;
}

function clamp01(n: number): number {
  return Math.round(Math.min(1, Math.max(0, n)) * 10000) / 10000;
}

/** Collects objects with ONVIF BoundingBoxes (−1..1, y up) and converts them to 0..1, y down. */
function objects(n: OnvifNotification): DetectedObject[] {
  const out: DetectedObject[] = [];
  const visit = (el: XmlElement): void => {
    if (el.name === 'Object' || el.name === 'BoundingBox') {
      const box = el.name === 'BoundingBox' ? el : find(el, 'BoundingBox');
      const l = num(box?.attrs.left);
      const t = num(box?.attrs.top);
      const r = num(box?.attrs.right);
      const b = num(box?.attrs.bottom);
      const cls = find(el, 'Type')?.text.trim() ?? find(el, 'ClassCandidate')?.text.trim();
      const id = el.attrs.ObjectId;
      const o: DetectedObject = {
        ...(id === undefined ? {} : { id }),
        ...(cls === undefined || cls === '' ? {} : { class: cls }),
        ...(l === undefined || t === undefined || r === undefined || b === undefined
          ? {}
          : {
              box: {
                left: clamp01((Math.min(l, r) + 1) / 2),
                top: clamp01((1 - Math.max(t, b)) / 2),
                right: clamp01((Math.max(l, r) + 1) / 2),
                bottom: clamp01((1 - Math.min(t, b)) / 2),
              },
            }),
      };
      out.push(o);
      return;
    }
    for (const c of el.children) visit(c);
  };
  for (const el of Object.values(n.elements)) visit(el);
  const objectId = n.data.ObjectId ?? n.key.ObjectId;
  if (out.length === 0 && objectId !== undefined) out.push({ id: objectId });
  return out;
}

function vehicleType(v: string | undefined): VehicleType {
  const t = (v ?? '').toLowerCase();
  if (t === '') return 'unknown';
  if (/motor|bike|scooter|xe ?m/.test(t) && !/bicycle/.test(t)) return 'motorcycle';
  if (/bicycle/.test(t)) return 'bicycle';
  if (/bus/.test(t)) return 'bus';
  if (/truck|lorry/.test(t)) return 'truck';
  if (/van/.test(t)) return 'van';
  if (/car|sedan|suv|vehicle/.test(t)) return 'car';
  return 'other';
}

function travel(v: string | undefined): TravelDirection {
  const t = (v ?? '').toLowerCase().trim();
  if (/^(leav|away|backward|out|exit|depart)/.test(t)) return 'leaving';
  if (/^(approach|forward|toward|in|enter|come)/.test(t)) return 'approaching';
  return 'unknown';
}

function lineDirection(v: string | undefined): LineDirection {
  const t = (v ?? '').toLowerCase();
  // "Left"/"Right" (ONVIF rule parameter) name the side the object moves towards.
  if (t === 'left' || t === 'righttoleft') return 'left';
  if (t === 'right' || t === 'lefttoright') return 'right';
  if (t === 'any' || t === 'both') return 'any';
  if (t === 'in' || t === 'enter') return 'in';
  if (t === 'out' || t === 'exit') return 'out';
  return 'unknown';
}

function stateOf(active: boolean | undefined): CameraEventState {
  return active === undefined ? 'pulse' : active ? 'start' : 'end';
}

/** Deterministic event id: camera, topic, time, source and data. */
export function notificationId(cameraId: string, n: OnvifNotification): string {
  let text = `${cameraId}\u0000${n.topic}\u0000${n.utcTime}`;
  for (const items of [n.source, n.key, n.data]) {
    text += '\u0001';
    for (const k in items) text += `\u0000${k}=${items[k]}`;
  }
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

const TRAFFIC: readonly [RegExp, TrafficViolationType][] = [
  [/wrong ?way|wrongdirection|retrograde|reverse/i, 'wrong_way'],
  [/wrong ?lane|crosslane|lanechange|laneviolation|overline/i, 'wrong_lane'],
  [/illegal ?parking|parkingviolation|illegalstop/i, 'illegal_parking'],
  [/red ?light|runredlight/i, 'red_light'],
  [/speeding|overspeed/i, 'speeding'],
];

/**
 * Maps one ONVIF notification to the normalized taxonomy. Standard analytics topics map as in the README
 * table; vendor topics whose last segments name a traffic violation or a crowd are mapped too. Returns
 * `undefined` for topics outside the taxonomy.
 */
export function mapOnvifNotification(n: OnvifNotification, cameraId: string): CameraEvent | undefined {
  const path = n.topic.replace(/^[^:/]+:/, '');
  const channel = n.source.VideoSourceConfigurationToken ?? n.source.VideoSourceToken ?? n.source.Source;
  const source: CameraEventSource = {
    cameraId,
    adapter: 'onvif',
    ...(channel === undefined ? {} : { channel }),
    ...(n.source.VideoAnalyticsConfigurationToken === undefined
      ? {}
      : { analytics: n.source.VideoAnalyticsConfigurationToken }),
  };
  const segments = path.split('/');
  const ruleType = path.startsWith('RuleEngine/') ? segments[1] : undefined;
  const ruleName = n.source.Rule;
  const rule =
    ruleName === undefined && ruleType === undefined
      ? undefined
      : {
          ...(ruleName === undefined ? {} : { name: ruleName }),
          ...(ruleType === undefined ? {} : { type: ruleType }),
        };
  const snapshotUri = n.data.ImageUri ?? n.data.SnapshotUri ?? n.data.Image;
  const base = {
    id: notificationId(cameraId, n),
    source,
    time: n.utcTime,
    initial: n.propertyOperation === 'Initialized',
    ...(rule === undefined ? {} : { rule }),
    objects: objects(n),
    ...(snapshotUri !== undefined && /^(https?|rtsp):/.test(snapshotUri)
      ? { snapshot: { uri: snapshotUri } }
      : {}),
    raw: { format: 'onvif-notification', topic: n.topic, payload: n.raw },
  };
  const d = n.data;
  const p = path.toLowerCase();

  if (
    p === 'ruleengine/cellmotiondetector/motion' ||
    p === 'videosource/motionalarm' ||
    p.endsWith('/motion')
  ) {
    return merge(base, { kind: 'motion', state: stateOf(bool(d.IsMotion ?? d.State)) });
  }
  if (p.startsWith('videosource/signalloss') || p.endsWith('/videoloss')) {
    return merge(base, { kind: 'video_loss', state: stateOf(bool(d.State ?? d.IsLost)) });
  }
  if (
    p.startsWith('videosource/globalscenechange') ||
    p.startsWith('videosource/imagetoo') ||
    p.startsWith('ruleengine/tamperdetector')
  ) {
    const cause = p.includes('blurry')
      ? 'blur'
      : p.includes('dark')
        ? 'too_dark'
        : p.includes('bright')
          ? 'too_bright'
          : p.includes('scenechange')
            ? 'scene_change'
            : 'tamper';
    return merge(base, { kind: 'tamper', cause, state: stateOf(bool(d.State ?? d.IsTamper)) });
  }
  if (p.startsWith('ruleengine/fielddetector/objectsinside')) {
    return merge(base, { kind: 'intrusion', state: stateOf(bool(d.IsInside)) });
  }
  if (p.startsWith('ruleengine/linedetector/crossed')) {
    return merge(base, { kind: 'line_crossing', state: 'pulse', direction: lineDirection(d.Direction) });
  }
  if (p.startsWith('ruleengine/loiteringdetector')) {
    return merge(base, {
      kind: 'loitering',
      state: stateOf(bool(d.IsLoitering)),
      ...(d.Since === undefined ? {} : { since: d.Since }),
    });
  }
  if (p.startsWith('ruleengine/countaggregation/occupancy') || /crowd|density/.test(p)) {
    const count = num(d.Count ?? d.Occupancy ?? d.People);
    const density = num(d.Density);
    return merge(base, {
      kind: 'crowd',
      state: stateOf(bool(d.IsCrowd ?? d.State)),
      ...(count === undefined ? {} : { count }),
      ...(density === undefined ? {} : { density }),
    });
  }
  if (p.startsWith('ruleengine/countaggregation/counter') || p.endsWith('/counter')) {
    const count = num(d.Count);
    if (count === undefined) return undefined;
    return merge(base, { kind: 'counting', state: 'pulse', count });
  }
  if (p.startsWith('ruleengine/objectabandoned') || p.includes('abandoned')) {
    return merge(base, { kind: 'abandoned_object', state: stateOf(bool(d.IsAbandoned ?? d.State)) });
  }
  if (p.startsWith('ruleengine/objectremoved') || p.includes('removed')) {
    return merge(base, { kind: 'removed_object', state: stateOf(bool(d.IsRemoved ?? d.State)) });
  }
  if (p.startsWith('ruleengine/recognition/face')) {
    const likelihood = fraction(d.Likelihood);
    const listType = (d.ListType ?? '').toLowerCase();
    return merge(base, {
      kind: 'face_match',
      state: 'pulse',
      ...(d.List === undefined && d.WatchList === undefined ? {} : { list: d.List ?? d.WatchList ?? '' }),
      listType: /black|block|deny|wanted/.test(listType)
        ? 'black'
        : /white|allow/.test(listType)
          ? 'white'
          : 'unknown',
      ...(d.EnrollmentID === undefined ? {} : { enrollmentId: d.EnrollmentID }),
      ...(d.Label === undefined ? {} : { label: d.Label }),
      ...(likelihood === undefined ? {} : { likelihood }),
      ...(d.RefImageUri === undefined ? {} : { referenceImageUri: d.RefImageUri }),
    });
  }
  const plateInfo = n.elements.LicensePlateInfo;
  const plateText = plateInfo
    ? child(plateInfo, 'PlateNumber')?.text.trim()
    : (d.PlateNumber ?? d.LicensePlate);
  const vehicleInfo = n.elements.VehicleInfo;
  const vehicle = vehicleType(vehicleInfo ? child(vehicleInfo, 'Type')?.text.trim() : d.VehicleType);
  const speedKmh = num(d.Speed);
  for (const [re, violation] of TRAFFIC) {
    if (re.test(segments.slice(-2).join('/'))) {
      const limit = num(d.SpeedLimit);
      return merge(base, {
        kind: 'traffic_violation',
        state: stateOf(bool(d.State)),
        violation,
        ...(plateText === undefined || plateText === '' ? {} : { plate: parseVietnamesePlate(plateText) }),
        ...(vehicle === 'unknown' ? {} : { vehicleType: vehicle }),
        ...(speedKmh === undefined ? {} : { speedKmh }),
        ...(limit === undefined ? {} : { speedLimitKmh: limit }),
      });
    }
  }
  if (p.startsWith('ruleengine/recognition/licenseplate')) {
    if (plateText === undefined || plateText === '') return undefined;
    const plateEl = plateInfo ? child(plateInfo, 'PlateNumber') : undefined;
    const confidence = fraction(plateEl?.attrs.Likelihood ?? d.Likelihood ?? d.Confidence);
    const country = plateInfo ? child(plateInfo, 'CountryCode')?.text.trim() : d.CountryCode;
    return merge(base, {
      kind: 'plate_read',
      state: 'pulse',
      plate: parseVietnamesePlate(plateText),
      ...(confidence === undefined ? {} : { confidence }),
      vehicleType: vehicle,
      direction: travel(d.Direction),
      ...(speedKmh === undefined ? {} : { speedKmh }),
      ...(country === undefined || country === '' ? {} : { country }),
    });
  }
  return undefined;
}

import { createHash } from 'node:crypto';
import { CameraError, msg } from '../errors.js';
import type {
  CameraEvent,
  CameraEventKind,
  CameraEventState,
  DetectedObject,
  LineDirection,
  TrafficViolationType,
  VehicleType,
} from '../events.js';
import { merge } from '../merge.js';
import { parseVietnamesePlate } from '../plates.js';

/**
 * Built-in XProtect event types (the same GUIDs on every system). Analytics events have per-system GUIDs:
 * map them with `eventTypes` (see {@link MilestoneMapOptions}).
 */
export const MILESTONE_EVENT_TYPES = {
  motionStarted: '6eb95dd6-7ccc-4bce-99f8-af0d0b582d77',
  motionStopped: '6f55a7a7-d21c-4629-ac18-af1975e395a2',
  communicationStarted: 'dd3e6464-7dc0-405a-a92f-6150587563e8',
  communicationStopped: '0ee90664-2924-42a0-a816-4129d0ecabdc',
  communicationError: 'a334af1c-4b4b-4957-9e5f-ab8ca07feab6',
} as const;

/** One event of an Events and State WebSocket `{"events":[…]}` message, checked but not yet normalized. */
export interface MilestoneEvent {
  /** Gateway event id (GUID), the resume point of a session. */
  readonly id: string;
  /** Event type GUID. */
  readonly type: string;
  /** `cameras/<guid>`, `hardware/<guid>`, `userDefinedEvents/<guid>`… */
  readonly source: string;
  /** ISO 8601 instant as sent by the gateway. */
  readonly time: string;
  readonly data?: Readonly<Record<string, unknown>>;
  /** State group of stateful events (motion, communication…). */
  readonly stateGroupId?: string;
  /** The event object's JSON text exactly as it appears in the message. */
  readonly raw: string;
}

/** How one event type maps to the taxonomy, when the type GUID alone decides it. */
export interface MilestoneEventMapping {
  readonly kind: CameraEventKind;
  /** Default `pulse` (analytics events are instantaneous). */
  readonly state?: CameraEventState;
  /** For `traffic_violation`. */
  readonly violation?: TrafficViolationType;
  /** For `tamper`. Default `tamper`. */
  readonly cause?: string;
  /** For `line_crossing`. Default from the rule, else `unknown`. */
  readonly direction?: LineDirection;
  /** For `face_match`: whether the watch list is a blacklist or a whitelist. */
  readonly listType?: 'black' | 'white';
}

/** Options for {@link mapMilestoneEvent}. */
export interface MilestoneMapOptions {
  /** Camera id per source GUID; default the GUID. */
  readonly cameraIds?: Readonly<Record<string, string>>;
  /** Event type GUID → kind (or a full mapping). Checked before the built-in types and the inference. */
  readonly eventTypes?: Readonly<Record<string, CameraEventKind | MilestoneEventMapping>>;
}

const GUID_LIKE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const MAX_JSON_DEPTH = 32;

/** True when `v` nests deeper than `MAX_JSON_DEPTH` (checked before anything recurses over it). */
function tooDeep(v: unknown, d = 0): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (d >= MAX_JSON_DEPTH) return true;
  if (Array.isArray(v)) {
    for (const x of v) if (typeof x === 'object' && x !== null && tooDeep(x, d + 1)) return true;
    return false;
  }
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (typeof x === 'object' && x !== null && tooDeep(x, d + 1)) return true;
  }
  return false;
}

function invalid(en: string, vi: string, path: string, cause?: unknown): CameraError {
  return new CameraError('EVENT_INVALID', msg(`Milestone event: ${en}`, `sự kiện Milestone: ${vi}`), {
    details: { path },
    ...(cause === undefined ? {} : { cause }),
  });
}

function rec(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}
/** Property by name, ignoring case (the gateway serializes .NET objects; casing varies by version). */
function pick(o: Record<string, unknown> | undefined, name: string): unknown {
  if (o === undefined) return undefined;
  if (name in o) return o[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}
function list(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.map(rec).filter((x): x is Record<string, unknown> => x !== undefined) : [];
}

/** Checks one event object of a message; `path` locates it for the error. */
export function checkMilestoneEvent(value: unknown, path = '$', raw?: string): MilestoneEvent {
  const e = rec(value);
  if (e === undefined) throw invalid('not an object', 'không phải đối tượng', path);
  const id = str(e.id);
  const type = str(e.type);
  const source = str(e.source);
  const time = str(e.time);
  if (id === undefined || !GUID_LIKE.test(id))
    throw invalid('missing or bad id', 'thiếu hoặc sai id', `${path}.id`);
  if (type === undefined) throw invalid('missing type', 'thiếu type', `${path}.type`);
  if (source === undefined) throw invalid('missing source', 'thiếu source', `${path}.source`);
  if (time === undefined || Number.isNaN(Date.parse(time)))
    throw invalid('missing or bad time', 'thiếu hoặc sai time', `${path}.time`);
  if (e.data !== undefined && e.data !== null && rec(e.data) === undefined)
    throw invalid('data must be an object', 'data phải là đối tượng', `${path}.data`);
  const data = rec(e.data);
  const stateGroupId = str(e.stategroupid) ?? str(e.stateGroupId);
  return {
    id,
    type,
    source,
    time,
    ...(data === undefined ? {} : { data }),
    ...(stateGroupId === undefined ? {} : { stateGroupId }),
    raw: raw ?? JSON.stringify(value),
  };
}

/**
 * The source text of each element of the top-level `events` array of a JSON text already accepted by
 * `JSON.parse`, or `undefined` when the array is not found (the caller then re-serializes).
 */
function eventSlices(text: string): string[] | undefined {
  let depth = 0;
  let inString = false;
  let key: string | undefined;
  let keyStart = -1;
  let inEvents = false;
  let start = -1;
  let out: string[] = [];
  let result: string[] | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) {
        inString = false;
        if (depth === 1 && keyStart !== -1) key = text.slice(keyStart, i);
      }
      continue;
    }
    if (c === 0x22) {
      inString = true;
      keyStart = depth === 1 ? i + 1 : -1;
      if (inEvents && depth === 2 && start === -1) start = i;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      if (inEvents && depth === 2 && start === -1) start = i;
      depth++;
      if (depth === 2 && c === 0x5b && key === 'events') {
        // A repeated key: JSON.parse keeps the last one; do not guess.
        if (result !== undefined) return undefined;
        inEvents = true;
        out = [];
      }
      continue;
    }
    if (c === 0x7d || c === 0x5d) {
      depth--;
      if (inEvents && depth === 1) {
        if (start !== -1) out.push(text.slice(start, i).trim());
        result = out;
        inEvents = false;
        start = -1;
      }
      continue;
    }
    if (inEvents && depth === 2) {
      if (c === 0x2c) {
        out.push(text.slice(start, i).trim());
        start = -1;
      } else if (start === -1 && c > 0x20) start = i;
    }
    if (depth === 1 && c === 0x2c) key = undefined;
  }
  return result;
}

/** A decoded Events and State message: events (each checked on its own) or a command response. */
export type MilestoneMessage =
  | {
      readonly kind: 'events';
      readonly events: readonly MilestoneEvent[];
      /** Events of the message that failed the checks (the others are kept). */
      readonly invalid: readonly CameraError[];
    }
  | {
      readonly kind: 'response';
      readonly commandId: number;
      readonly body: Readonly<Record<string, unknown>>;
    };

/**
 * Decodes one WebSocket text message of the Events and State API. Throws `EVENT_INVALID` when the message
 * as a whole is unusable (not JSON, too large, too deep, neither events nor a command response); a bad
 * event inside a good message is reported in `invalid` and the other events are kept.
 */
export function parseMilestoneMessage(text: string, maxBytes = 1024 * 1024): MilestoneMessage {
  if (text.length > maxBytes || Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw invalid(`message larger than ${maxBytes} bytes`, `thông điệp lớn hơn ${maxBytes} byte`, '$');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw invalid('message is not JSON', 'thông điệp không phải JSON', '$', cause);
  }
  const o = rec(value);
  if (o === undefined) throw invalid('message is not an object', 'thông điệp không phải đối tượng', '$');
  if (tooDeep(o)) throw invalid('message nested too deep', 'thông điệp lồng quá sâu', '$');
  if (typeof o.commandId === 'number' && Number.isInteger(o.commandId)) {
    return { kind: 'response', commandId: o.commandId, body: o };
  }
  if (!Array.isArray(o.events)) {
    throw invalid(
      'message has neither events nor commandId',
      'thông điệp không có events hay commandId',
      '$',
    );
  }
  const events: MilestoneEvent[] = [];
  const bad: CameraError[] = [];
  const slices = eventSlices(text);
  const exact = slices !== undefined && slices.length === o.events.length;
  o.events.forEach((e, i) => {
    try {
      events.push(checkMilestoneEvent(e, `$.events[${i}]`, exact ? slices[i] : undefined));
    } catch (err) {
      bad.push(err as CameraError);
    }
  });
  return { kind: 'events', events, invalid: bad };
}

const BUILT_IN: Readonly<Record<string, MilestoneEventMapping>> = {
  [MILESTONE_EVENT_TYPES.motionStarted]: { kind: 'motion', state: 'start' },
  [MILESTONE_EVENT_TYPES.motionStopped]: { kind: 'motion', state: 'end' },
  [MILESTONE_EVENT_TYPES.communicationStopped]: { kind: 'video_loss', state: 'start' },
  [MILESTONE_EVENT_TYPES.communicationError]: { kind: 'video_loss', state: 'start' },
  [MILESTONE_EVENT_TYPES.communicationStarted]: { kind: 'video_loss', state: 'end' },
};

const TRAFFIC: readonly (readonly [RegExp, TrafficViolationType])[] = [
  [/wrong.?way|wrong.?direction|retrograde|ngược chiều/i, 'wrong_way'],
  [/red.?light|vượt đèn đỏ|đèn đỏ/i, 'red_light'],
  [/illegal.?(parking|stop)|no.?parking|đỗ sai|dừng đỗ|đỗ xe trái phép/i, 'illegal_parking'],
  [/wrong.?lane|cross.?lane|lane.?violation|lấn làn|sai làn/i, 'wrong_lane'],
  [/speeding|over.?speed|quá tốc độ/i, 'speeding'],
];

const KINDS: readonly (readonly [RegExp, CameraEventKind])[] = [
  [/\bline\b|tripwire|crossing|vượt tuyến/i, 'line_crossing'],
  [/loiter|lảng vảng/i, 'loitering'],
  [/crowd|density|tụ tập|đám đông/i, 'crowd'],
  [/count|đếm/i, 'counting'],
  [/abandon|left.?object|unattended|bỏ quên/i, 'abandoned_object'],
  [/remov|stolen|taken|missing.?object|mất đồ/i, 'removed_object'],
  [/tamper|che camera/i, 'tamper'],
  [/intrusion|fence|field|region|zone|area|perimeter|xâm nhập|hàng rào/i, 'intrusion'],
  [/motion|chuyển động/i, 'motion'],
];

function vehicle(v: string | undefined): VehicleType {
  const t = (v ?? '').toLowerCase();
  if (t === '') return 'unknown';
  if (/motor|scooter|xe máy/.test(t)) return 'motorcycle';
  if (/bicycle|bike|xe đạp/.test(t)) return 'bicycle';
  if (/bus|xe buýt/.test(t)) return 'bus';
  if (/truck|lorry|xe tải/.test(t)) return 'truck';
  if (/van/.test(t)) return 'van';
  if (/car|vehicle|ô tô/.test(t)) return 'car';
  return 'other';
}

function fraction(v: unknown): number | undefined {
  const n = num(v);
  if (n === undefined || n < 0) return undefined;
  return Math.min(1, n > 1 ? n / 100 : n);
}

/** Bounding box of a MIP analytics polygon (points already normalized to 0..1). */
function boxOf(o: Record<string, unknown>): DetectedObject['box'] {
  const points = list(pick(rec(pick(o, 'polygon')), 'pointList'));
  const xs: number[] = [];
  const ys: number[] = [];
  for (const p of points) {
    const x = num(pick(p, 'x'));
    const y = num(pick(p, 'y'));
    if (x === undefined || y === undefined || x < 0 || x > 1 || y < 0 || y > 1) return undefined;
    xs.push(x);
    ys.push(y);
  }
  if (xs.length < 2) return undefined;
  const r = (n: number): number => Math.round(n * 10000) / 10000;
  return {
    left: r(Math.min(...xs)),
    top: r(Math.min(...ys)),
    right: r(Math.max(...xs)),
    bottom: r(Math.max(...ys)),
  };
}

function sourceGuid(source: string): string {
  const slash = source.lastIndexOf('/');
  return slash === -1 ? source : source.slice(slash + 1);
}

/**
 * Maps one Events and State event to the normalized taxonomy (see the README's Milestone table). Returns
 * `undefined` for event types outside it (recording started, output activated…).
 */
export function mapMilestoneEvent(
  e: MilestoneEvent,
  options: MilestoneMapOptions = {},
): CameraEvent | undefined {
  const type = e.type.toLowerCase();
  const guid = sourceGuid(e.source);
  const cameraId = options.cameraIds?.[guid] ?? options.cameraIds?.[guid.toLowerCase()] ?? guid;
  const configured = options.eventTypes?.[e.type] ?? options.eventTypes?.[type];
  const explicit: MilestoneEventMapping | undefined =
    typeof configured === 'string' ? { kind: configured } : (configured ?? BUILT_IN[type]);
  const d = e.data;
  const objectsIn = list(pick(d, 'objectList'));
  const rules = list(pick(d, 'ruleList'));
  const rule0 = rules[0];
  const ruleName = str(pick(rule0, 'name'));
  const ruleType = str(pick(rule0, 'type'));
  const description = str(pick(d, 'description'));
  const vendor = str(pick(rec(pick(d, 'vendor')), 'name'));
  const objects: DetectedObject[] = objectsIn.map((o) => {
    const id =
      str(pick(o, 'id')) ?? (num(pick(o, 'id')) === undefined ? undefined : String(num(pick(o, 'id'))));
    const cls = str(pick(o, 'type')) ?? str(pick(o, 'name'));
    const confidence = fraction(pick(o, 'confidence'));
    const box = boxOf(o);
    return {
      ...(id === undefined ? {} : { id }),
      ...(cls === undefined ? {} : { class: cls }),
      ...(box === undefined ? {} : { box }),
      ...(confidence === undefined ? {} : { confidence }),
    };
  });
  const classOf = (o: Record<string, unknown>): string =>
    `${str(pick(o, 'type')) ?? ''} ${str(pick(o, 'name')) ?? ''}`;
  const plateObj = objectsIn.find(
    (o) => /plate|lpr|registration|biển số/i.test(classOf(o)) && str(pick(o, 'value')),
  );
  const faceObj = objectsIn.find((o) => /face|khuôn mặt/i.test(classOf(o)) && str(pick(o, 'value')));
  const vehicleObj = objectsIn.find((o) => /vehicle|car|truck|bus|motor|bike|xe/i.test(classOf(o)));
  const speedObj = objectsIn.find((o) => /speed|tốc độ/i.test(classOf(o)));
  const countObj = objectsIn.find(
    (o) => /count|people|person|số lượng/i.test(classOf(o)) && num(pick(o, 'value')) !== undefined,
  );
  const text = [ruleType, ruleName, description].filter((x) => x !== undefined).join(' ');

  let mapping = explicit;
  if (mapping === undefined && d !== undefined && (objectsIn.length > 0 || rules.length > 0 || description)) {
    const violation = TRAFFIC.find(([re]) => re.test(text))?.[1];
    if (violation) mapping = { kind: 'traffic_violation', violation };
    else if (plateObj) mapping = { kind: 'plate_read' };
    else if (faceObj) mapping = { kind: 'face_match' };
    else {
      const kind = KINDS.find(([re]) => re.test(text))?.[1];
      if (kind) mapping = { kind };
    }
  }
  if (mapping === undefined) return undefined;

  const state = mapping.state ?? 'pulse';
  const base = {
    id: createHash('sha256').update(`milestone\u0000${cameraId}\u0000${e.id}`).digest('hex').slice(0, 24),
    source: {
      cameraId,
      adapter: 'milestone',
      ...(vendor === undefined ? {} : { analytics: vendor }),
    },
    time: e.time,
    state,
    initial: false,
    ...(ruleName === undefined && ruleType === undefined
      ? {}
      : {
          rule: {
            ...(ruleName === undefined ? {} : { name: ruleName }),
            ...(ruleType === undefined ? {} : { type: ruleType }),
          },
        }),
    objects,
    raw: { format: 'milestone-ws', topic: e.type, payload: e.raw },
  };
  const plateText = str(pick(plateObj, 'value'));
  const vehicleType = vehicle(str(pick(vehicleObj, 'value')) ?? str(pick(vehicleObj, 'type')));
  const speed = num(pick(speedObj, 'value'));
  const speedKmh = speed === undefined || speed <= 0 ? {} : { speedKmh: speed };
  switch (mapping.kind) {
    case 'motion':
    case 'video_loss':
    case 'intrusion':
    case 'abandoned_object':
    case 'removed_object':
      return merge(base, { kind: mapping.kind });
    case 'tamper':
      return merge(base, { kind: 'tamper', cause: mapping.cause ?? 'tamper' });
    case 'line_crossing': {
      const dir: LineDirection =
        mapping.direction ??
        (/left\W*to\W*right/i.test(text)
          ? 'right'
          : /right\W*to\W*left/i.test(text)
            ? 'left'
            : /\bleft\b/i.test(text)
              ? 'left'
              : /\bright\b/i.test(text)
                ? 'right'
                : /\b(in|enter|entering)\b/i.test(text)
                  ? 'in'
                  : /\b(out|exit|exiting)\b/i.test(text)
                    ? 'out'
                    : 'unknown');
      return merge(base, { kind: 'line_crossing', direction: dir });
    }
    case 'loitering': {
      const since = str(pick(d, 'startTime'));
      return merge(base, { kind: 'loitering', ...(since === undefined ? {} : { since }) });
    }
    case 'crowd': {
      const count = num(pick(countObj, 'value')) ?? num(pick(d, 'count'));
      return merge(base, { kind: 'crowd', ...(count === undefined ? {} : { count }) });
    }
    case 'counting': {
      const count = num(pick(countObj, 'value')) ?? num(pick(d, 'count'));
      if (count === undefined) return undefined;
      return merge(base, { kind: 'counting', count });
    }
    case 'face_match': {
      const label = str(pick(faceObj, 'value'));
      const likelihood = fraction(pick(faceObj, 'confidence'));
      const listName = ruleName;
      const listType =
        mapping.listType ??
        (/black|đen|wanted|truy nã/i.test(text)
          ? 'black'
          : /white|trắng|allow|vip/i.test(text)
            ? 'white'
            : 'unknown');
      return merge(base, {
        kind: 'face_match',
        ...(listName === undefined ? {} : { list: listName }),
        listType,
        ...(label === undefined ? {} : { label }),
        ...(likelihood === undefined ? {} : { likelihood }),
      });
    }
    case 'plate_read': {
      if (plateText === undefined) return undefined;
      const confidence = fraction(pick(plateObj, 'confidence'));
      return merge(base, {
        kind: 'plate_read',
        plate: parseVietnamesePlate(plateText),
        ...(confidence === undefined ? {} : { confidence }),
        vehicleType,
        direction: 'unknown',
        ...speedKmh,
      });
    }
    case 'traffic_violation': {
      const violation = mapping.violation ?? TRAFFIC.find(([re]) => re.test(text))?.[1];
      if (violation === undefined) return undefined;
      return merge(base, {
        kind: 'traffic_violation',
        violation,
        ...(plateText === undefined ? {} : { plate: parseVietnamesePlate(plateText) }),
        ...(vehicleType === 'unknown' ? {} : { vehicleType }),
        ...speedKmh,
      });
    }
  }
}

import { createHash } from 'node:crypto';
import { CameraError, msg } from '../errors.js';
import type {
  CameraEvent,
  CameraEventState,
  DetectedObject,
  TrafficViolationType,
  VehicleType,
} from '../events.js';
import { parseVietnamesePlate } from '../plates.js';
import { merge } from '../merge.js';

/** One `Code=…;action=…;index=…;data={…}` event of a Dahua `eventManager.cgi?action=attach` stream. */
export interface DahuaEvent {
  readonly code: string;
  /** `Start`, `Stop` or `Pulse`. */
  readonly action: string;
  readonly index: number;
  /** The parsed `data` JSON object, when present. */
  readonly data?: Readonly<Record<string, unknown>>;
  /** The event text exactly as received. */
  readonly raw: string;
}

const MAX_JSON_DEPTH = 32;

function depthOf(v: unknown, d = 0): number {
  if (d > MAX_JSON_DEPTH) return d;
  if (Array.isArray(v)) return Math.max(d, ...v.map((x) => depthOf(x, d + 1)));
  if (typeof v === 'object' && v !== null)
    return Math.max(d, ...Object.values(v).map((x) => depthOf(x, d + 1)));
  return d;
}

/**
 * Parses the events of one part of a Dahua attach stream (one or more `Code=` lines; `Heartbeat` lines are
 * skipped). `data` may span lines and contain `;`. Throws `EVENT_INVALID` with the offending field.
 */
export function parseDahuaEvents(text: string): DahuaEvent[] {
  const out: DahuaEvent[] = [];
  const starts: number[] = [];
  const re = /(^|\r?\n)Code=/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) starts.push(m.index + (m[1] ?? '').length);
  if (starts.length === 0) {
    if (/^\s*(Heartbeat)?\s*$/i.test(text)) return [];
    throw new CameraError(
      'EVENT_INVALID',
      msg('Dahua event: no Code= field', 'sự kiện Dahua: thiếu trường Code='),
      {
        details: { path: 'Code' },
      },
    );
  }
  for (let i = 0; i < starts.length; i++) {
    const raw = text.slice(starts[i], starts[i + 1] ?? text.length).replace(/\s+$/, '');
    const dataAt = raw.indexOf(';data=');
    const head = dataAt === -1 ? raw : raw.slice(0, dataAt);
    const fields: Record<string, string> = {};
    for (const kv of head.split(';')) {
      const eq = kv.indexOf('=');
      if (eq > 0) fields[kv.slice(0, eq).trim()] = kv.slice(eq + 1).trim();
    }
    const code = fields.Code ?? '';
    if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(code)) {
      throw new CameraError(
        'EVENT_INVALID',
        msg('Dahua event: invalid Code', 'sự kiện Dahua: Code không hợp lệ'),
        {
          details: { path: 'Code' },
        },
      );
    }
    let data: Record<string, unknown> | undefined;
    if (dataAt !== -1) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.slice(dataAt + 6));
      } catch (cause) {
        throw new CameraError(
          'EVENT_INVALID',
          msg(`Dahua ${code}: data is not JSON`, `Dahua ${code}: data không phải JSON`),
          {
            cause,
            details: { path: 'data' },
          },
        );
      }
      if (
        typeof parsed !== 'object' ||
        parsed === null ||
        Array.isArray(parsed) ||
        depthOf(parsed) > MAX_JSON_DEPTH
      ) {
        throw new CameraError(
          'EVENT_INVALID',
          msg(`Dahua ${code}: data must be a shallow object`, `Dahua ${code}: data phải là đối tượng nông`),
          {
            details: { path: 'data' },
          },
        );
      }
      data = parsed as Record<string, unknown>;
    }
    const index = Number(fields.index ?? '0');
    out.push({
      code,
      action: fields.action ?? 'Pulse',
      index: Number.isFinite(index) ? index : 0,
      ...(data ? { data } : {}),
      raw,
    });
  }
  return out;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Dahua boxes are in a 8192 × 8192 virtual space. */
function box(v: unknown): DetectedObject['box'] {
  if (!Array.isArray(v) || v.length !== 4 || !v.every((x) => typeof x === 'number')) return undefined;
  const [l, t, r, b] = v.map((x) => Math.round(Math.min(1, Math.max(0, x / 8192)) * 10000) / 10000);
  return { left: l as number, top: t as number, right: r as number, bottom: b as number };
}

function vehicle(v: string | undefined): VehicleType {
  const t = (v ?? '').toLowerCase();
  if (t === '') return 'unknown';
  if (/motorcycle|motorbike|scooter|^moto$|electricbike|tricycle/.test(t)) return 'motorcycle';
  if (/non-?motor|bicycle/.test(t)) return 'bicycle';
  if (/bus/.test(t)) return 'bus';
  if (/truck|lorry|tanker/.test(t)) return 'truck';
  if (/van|mpv/.test(t)) return 'van';
  if (/car|vehicle|suv|sedan/.test(t)) return 'car';
  return 'other';
}

const TRAFFIC: Readonly<Record<string, TrafficViolationType>> = {
  TrafficRunRedLight: 'red_light',
  TrafficRetrograde: 'wrong_way',
  TrafficParking: 'illegal_parking',
  ParkingDetection: 'illegal_parking',
  TrafficOverLine: 'wrong_lane',
  TrafficCrossLane: 'wrong_lane',
  TrafficWrongRoute: 'wrong_lane',
  TrafficOverSpeed: 'speeding',
};

/** Options for {@link mapDahuaEvent}. */
export interface DahuaMapOptions {
  /** Time used when the event carries no `UTC` field (ISO 8601). */
  readonly receivedAt: string;
}

/**
 * Maps a Dahua event to the normalized taxonomy (see the README's Dahua table). Returns `undefined` for
 * codes outside the taxonomy. The channel is `index + 1` (Dahua counts from 0).
 */
export function mapDahuaEvent(
  e: DahuaEvent,
  cameraId: string,
  options: DahuaMapOptions,
): CameraEvent | undefined {
  const d = e.data ?? {};
  const utc = num(d.UTC);
  const ms = num(d.UTCMS) ?? 0;
  const time = utc === undefined ? options.receivedAt : new Date(utc * 1000 + ms).toISOString();
  const state: CameraEventState = e.action === 'Start' ? 'start' : e.action === 'Stop' ? 'end' : 'pulse';
  const object = obj(d.Object);
  const objects: DetectedObject[] = [];
  if (object) {
    const b = box(object.BoundingBox);
    const id = num(object.ObjectID);
    const cls = str(object.ObjectType);
    objects.push({
      ...(id === undefined ? {} : { id: String(id) }),
      ...(cls === undefined ? {} : { class: cls }),
      ...(b ? { box: b } : {}),
    });
  }
  const name = str(d.Name);
  const base = {
    id: createHash('sha256').update(`${cameraId}\u0000${e.raw}\u0000${time}`).digest('hex').slice(0, 24),
    source: { cameraId, adapter: 'dahua-cgi', channel: String(e.index + 1) },
    time,
    initial: false,
    rule: name === undefined ? { type: e.code } : { name, type: e.code },
    objects,
    raw: { format: 'dahua-attach', topic: e.code, payload: e.raw },
  };
  const car = obj(d.TrafficCar);
  const plateText =
    str(car?.PlateNumber) ?? (str(object?.ObjectType) === 'Plate' ? str(object?.Text) : undefined);
  const vehicleType = vehicle(str(car?.VehicleType) ?? str(obj(d.Vehicle)?.Category));
  const speed = num(car?.Speed) ?? num(d.Speed);
  switch (e.code) {
    case 'VideoMotion':
      return merge(base, { kind: 'motion', state });
    case 'VideoLoss':
      return merge(base, { kind: 'video_loss', state });
    case 'VideoBlind':
      return merge(base, { kind: 'tamper', state, cause: 'tamper' });
    case 'SceneChange':
      return merge(base, { kind: 'tamper', state, cause: 'scene_change' });
    case 'CrossLineDetection': {
      const dir = str(d.Direction);
      return merge(base, {
        kind: 'line_crossing',
        state: state === 'end' ? 'end' : 'pulse',
        direction: dir === 'LeftToRight' ? 'right' : dir === 'RightToLeft' ? 'left' : 'unknown',
      });
    }
    case 'CrossRegionDetection':
      return merge(base, { kind: 'intrusion', state });
    case 'WanderDetection':
      return merge(base, { kind: 'loitering', state });
    case 'LeftDetection':
      return merge(base, { kind: 'abandoned_object', state });
    case 'TakenAwayDetection':
      return merge(base, { kind: 'removed_object', state });
    case 'RioterDetection':
    case 'CrowdDetection': {
      const list = Array.isArray(d.CrowdList) ? d.CrowdList.length : undefined;
      const count = num(d.PeopleNum) ?? num(d.ManNum) ?? list;
      return merge(base, { kind: 'crowd', state, ...(count === undefined ? {} : { count }) });
    }
    case 'NumberStat': {
      const count = num(d.Number) ?? num(d.EnteredSubtotal);
      if (count === undefined) return undefined;
      return merge(base, { kind: 'counting', state: 'pulse', count });
    }
    case 'FaceRecognition': {
      const cand = obj(Array.isArray(d.Candidates) ? d.Candidates[0] : undefined);
      const person = obj(cand?.Person);
      const similarity = num(cand?.Similarity);
      const group = str(person?.GroupName) ?? str(cand?.GroupName);
      const label = str(person?.Name);
      const enrollmentId = str(person?.ID) ?? str(person?.UID);
      return merge(base, {
        kind: 'face_match',
        state: 'pulse',
        ...(group === undefined ? {} : { list: group }),
        listType: /black|đen|wanted|truy/i.test(group ?? '')
          ? 'black'
          : /white|trắng|allow/i.test(group ?? '')
            ? 'white'
            : 'unknown',
        ...(label === undefined ? {} : { label }),
        ...(enrollmentId === undefined ? {} : { enrollmentId }),
        ...(similarity === undefined
          ? {}
          : { likelihood: Math.min(1, similarity > 1 ? similarity / 100 : similarity) }),
      });
    }
    case 'TrafficJunction': {
      if (plateText === undefined) return undefined;
      const conf = num(car?.Confidence) ?? num(object?.Confidence);
      return merge(base, {
        kind: 'plate_read',
        state: 'pulse',
        plate: parseVietnamesePlate(plateText),
        ...(conf === undefined ? {} : { confidence: conf > 1 ? conf / 100 : conf }),
        vehicleType,
        direction: 'unknown',
        ...(speed === undefined || speed <= 0 ? {} : { speedKmh: speed }),
      });
    }
  }
  const violation = TRAFFIC[e.code];
  if (violation) {
    const limit = Array.isArray(car?.SpeedLimit) ? num(car.SpeedLimit[1]) : num(car?.SpeedLimit);
    return merge(base, {
      kind: 'traffic_violation',
      state: e.code === 'ParkingDetection' ? state : 'pulse',
      violation,
      ...(plateText === undefined ? {} : { plate: parseVietnamesePlate(plateText) }),
      ...(vehicleType === 'unknown' ? {} : { vehicleType }),
      ...(speed === undefined || speed <= 0 ? {} : { speedKmh: speed }),
      ...(limit === undefined ? {} : { speedLimitKmh: limit }),
    });
  }
  return undefined;
}

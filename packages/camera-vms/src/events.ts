import type { VietnamesePlate } from './plates.js';

/** The normalized analytics event kinds. */
export const CAMERA_EVENT_KINDS = [
  'motion',
  'tamper',
  'video_loss',
  'intrusion',
  'line_crossing',
  'loitering',
  'crowd',
  'counting',
  'abandoned_object',
  'removed_object',
  'face_match',
  'plate_read',
  'traffic_violation',
] as const;

export type CameraEventKind = (typeof CAMERA_EVENT_KINDS)[number];

/** Where an event came from. */
export interface CameraEventSource {
  /** Camera id (as given to the adapter). */
  readonly cameraId: string;
  /** Adapter that produced it: `onvif`, `hikvision-isapi`, `dahua-cgi`, `frigate`, `milestone`. */
  readonly adapter: string;
  /** Channel / video source token, when the device says. */
  readonly channel?: string;
  /** Analytics configuration token (ONVIF) or vendor engine id. */
  readonly analytics?: string;
}

/** The rule that fired (virtual fence, line, counter...). */
export interface CameraEventRule {
  readonly name?: string;
  /** Device rule type, e.g. `tt:LineDetector`, `linedetection`. */
  readonly type?: string;
}

/** A detected object. Box coordinates are normalized to 0..1 (left, top, right, bottom) with y down. */
export interface DetectedObject {
  readonly id?: string;
  /** `Human`, `Face`, `Vehicle`, `Car`, `Motorcycle`, `LicensePlate`... as reported. */
  readonly class?: string;
  readonly box?: {
    readonly left: number;
    readonly top: number;
    readonly right: number;
    readonly bottom: number;
  };
  readonly confidence?: number;
}

/** `start`/`end` for stateful detections, `pulse` for instantaneous ones. */
export type CameraEventState = 'start' | 'end' | 'pulse';

/** The original payload, kept verbatim for audit and re-processing. */
export interface RawPayload {
  /** `onvif-notification`, `isapi-alert`, `dahua-attach`, `frigate-json`, `milestone-ws`. */
  readonly format: string;
  /** Vendor topic or event type as received. */
  readonly topic: string;
  /** The payload text (XML or JSON) exactly as received. */
  readonly payload: string;
}

interface Base<K extends CameraEventKind> {
  readonly kind: K;
  /** Deterministic id: the same payload from the same camera always gets the same id. */
  readonly id: string;
  readonly source: CameraEventSource;
  /** ISO 8601 instant as given by the source (offset and precision kept). */
  readonly time: string;
  readonly state: CameraEventState;
  /**
   * True when the device reported the current state of a property (ONVIF `PropertyOperation`
   * `Initialized`) rather than a change.
   */
  readonly initial: boolean;
  readonly rule?: CameraEventRule;
  readonly objects: readonly DetectedObject[];
  /** Where to fetch the picture of this event, when the source gives one. */
  readonly snapshot?: { readonly uri: string };
  readonly raw: RawPayload;
}

export type LineDirection = 'left' | 'right' | 'any' | 'in' | 'out' | 'unknown';
export type TravelDirection = 'approaching' | 'leaving' | 'unknown';

export type MotionEvent = Base<'motion'>;
export interface TamperEvent extends Base<'tamper'> {
  /** `scene_change`, `blur`, `too_dark`, `too_bright`, `tamper`. */
  readonly cause: string;
}
export type VideoLossEvent = Base<'video_loss'>;
export type IntrusionEvent = Base<'intrusion'>;
export interface LineCrossingEvent extends Base<'line_crossing'> {
  readonly direction: LineDirection;
}
export interface LoiteringEvent extends Base<'loitering'> {
  /** When the object started loitering, as given by the device. */
  readonly since?: string;
}
export interface CrowdEvent extends Base<'crowd'> {
  readonly count?: number;
  /** People per square metre, or the device's density figure. */
  readonly density?: number;
}
export interface CountingEvent extends Base<'counting'> {
  readonly count: number;
}
export type AbandonedObjectEvent = Base<'abandoned_object'>;
export type RemovedObjectEvent = Base<'removed_object'>;
export interface FaceMatchEvent extends Base<'face_match'> {
  /** Watch-list name or id. */
  readonly list?: string;
  /** Whether the list is a blacklist (wanted) or a whitelist (allowed), when known. */
  readonly listType?: 'black' | 'white' | 'unknown';
  readonly enrollmentId?: string;
  readonly label?: string;
  /** 0..1. */
  readonly likelihood?: number;
  readonly referenceImageUri?: string;
}
export type VehicleType = 'car' | 'motorcycle' | 'bus' | 'truck' | 'bicycle' | 'van' | 'other' | 'unknown';
export interface PlateReadEvent extends Base<'plate_read'> {
  readonly plate: VietnamesePlate;
  /** 0..1. */
  readonly confidence?: number;
  readonly vehicleType: VehicleType;
  readonly direction: TravelDirection;
  readonly speedKmh?: number;
  readonly country?: string;
}
export type TrafficViolationType = 'wrong_lane' | 'wrong_way' | 'illegal_parking' | 'red_light' | 'speeding';
export interface TrafficViolationEvent extends Base<'traffic_violation'> {
  readonly violation: TrafficViolationType;
  readonly plate?: VietnamesePlate;
  readonly vehicleType?: VehicleType;
  readonly speedKmh?: number;
  readonly speedLimitKmh?: number;
}

/** One normalized video-analytics event. Discriminate on `kind`. */
export type CameraEvent =
  | MotionEvent
  | TamperEvent
  | VideoLossEvent
  | IntrusionEvent
  | LineCrossingEvent
  | LoiteringEvent
  | CrowdEvent
  | CountingEvent
  | AbandonedObjectEvent
  | RemovedObjectEvent
  | FaceMatchEvent
  | PlateReadEvent
  | TrafficViolationEvent;

/** Where a camera is installed. Coordinates are WGS 84. */
export interface CameraLocation {
  readonly latitude: number;
  readonly longitude: number;
  /** Free-text address, UTF-8 NFC (e.g. "Ngã tư Hoàng Văn Thụ – Xương Giang, TP Bắc Giang"). */
  readonly address?: string;
}

/** One camera, whatever its brand, as the operations centre sees it. */
export interface Camera {
  /** Stable id chosen by the operator (registry key). */
  readonly id: string;
  /** Manufacturer as reported by the device (e.g. `Hikvision`, `Dahua`, `AXIS`). */
  readonly vendor: string;
  readonly model: string;
  readonly firmwareVersion?: string;
  readonly serialNumber?: string;
  readonly hardwareId?: string;
  readonly location?: CameraLocation;
  /** One channel per video source (an NVR or multi-sensor camera has several). */
  readonly channels: readonly CameraChannel[];
  readonly capabilities: CameraCapabilities;
}

/** A video source (sensor or NVR input) and the media profiles that encode it. */
export interface CameraChannel {
  /** Video source token (ONVIF) or channel number (vendor APIs) as a string. */
  readonly id: string;
  readonly profiles: readonly MediaProfile[];
  /** Profile token of the highest-resolution profile. */
  readonly mainProfile?: string;
  /** Profile token of the lowest-resolution profile, when there are at least two. */
  readonly subProfile?: string;
}

export type VideoEncoding = 'H264' | 'H265' | 'JPEG' | 'MPEG4' | (string & {});

/** A media profile: one encoded stream of a video source. */
export interface MediaProfile {
  readonly token: string;
  readonly name: string;
  readonly videoSourceToken?: string;
  readonly encoding?: VideoEncoding;
  readonly width?: number;
  readonly height?: number;
  readonly frameRate?: number;
  /** Token of the PTZ configuration, present when the profile can drive PTZ. */
  readonly ptzConfigurationToken?: string;
}

/** Transport asked for when requesting a stream URI. */
export type StreamProtocol = 'rtsp' | 'rtsps' | 'rtsp-over-http' | 'http' | 'rtsp-multicast';

/** A URI to play a stream. The URI never contains credentials. */
export interface StreamUri {
  readonly uri: string;
  readonly protocol: StreamProtocol;
  readonly profileToken: string;
  /** `main` or `sub` when the profile was chosen by role. */
  readonly role?: 'main' | 'sub';
}

/** A snapshot: where to fetch it, or the bytes once fetched. */
export interface SnapshotUri {
  readonly uri: string;
  readonly profileToken: string;
}

export interface Snapshot {
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

/** PTZ vector in the ONVIF generic spaces: pan/tilt/zoom in −1..1 (positions: zoom 0..1). */
export interface PtzVector {
  readonly pan?: number;
  readonly tilt?: number;
  readonly zoom?: number;
}

export interface PtzPreset {
  readonly token: string;
  readonly name?: string;
  readonly position?: PtzVector;
}

/** A recording on a camera or NVR (ONVIF Profile G or a vendor API). */
export interface Recording {
  readonly token: string;
  /** Source id (ONVIF `Source/SourceId`, often the video source or camera URL). */
  readonly source?: string;
  /** Source name, as configured on the recorder. */
  readonly name?: string;
  /** ISO 8601 instants as given by the recorder. */
  readonly earliest?: string;
  readonly latest?: string;
  readonly content?: string;
  /** `Recording`, `Initiated`, `Stopped`, `Removed`… as reported. */
  readonly status?: string;
}

/** Recording search by time range; `topics` narrows an event search (ConcreteSet expressions). */
export interface RecordingQuery {
  /** ISO 8601 with offset. */
  readonly from: string;
  readonly to: string;
  /** Restrict to these recordings. Default all. */
  readonly recordings?: readonly string[];
  /** Topic expressions for event searches, e.g. `tns1:RuleEngine//.`. */
  readonly topics?: readonly string[];
  /** Stop after this many matches. Default 100. */
  readonly maxMatches?: number;
}

/** A URI to replay a recording over RTSP (`Require: onvif-replay`, `Range: clock=…`). */
export interface ReplayUri {
  readonly uri: string;
  readonly recordingToken: string;
}

/** What a device advertises. */
export interface CameraCapabilities {
  /** Service namespace → endpoint address (XAddr), as advertised. */
  readonly services: Readonly<Record<string, string>>;
  readonly media: boolean;
  readonly media2: boolean;
  readonly ptz: boolean;
  readonly events: boolean;
  readonly pullPoint: boolean;
  readonly analytics: boolean;
  readonly recording: boolean;
  readonly search: boolean;
  readonly replay: boolean;
}

/** Device identity as returned by ONVIF GetDeviceInformation. */
export interface DeviceInformation {
  readonly manufacturer: string;
  readonly model: string;
  readonly firmwareVersion: string;
  readonly serialNumber: string;
  readonly hardwareId: string;
}

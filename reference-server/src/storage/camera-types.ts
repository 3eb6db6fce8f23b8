import type { AuditInput } from './types.js';

/** How the server subscribes to a camera's events; `none`: a registry entry only (no connection). */
export const CAMERA_PROTOCOLS = ['onvif', 'isapi', 'none'] as const;
export type CameraProtocol = (typeof CAMERA_PROTOCOLS)[number];

/** A registered camera as the API shows it: never its password. */
export interface RegisteredCamera {
  /** Registry id, e.g. `BG-0001` (also `CameraEvent.source.cameraId`). */
  readonly id: string;
  readonly name: string;
  readonly protocol: CameraProtocol;
  /** ONVIF device service URL or ISAPI base URL (without credentials); absent for `none`. */
  readonly url?: string;
  readonly username?: string;
  /** True when a password is stored (encrypted at rest; write-only). */
  readonly hasPassword: boolean;
  /** Video channel used for events and snapshots. Default 1. */
  readonly channel: number;
  readonly location: { readonly lat: number; readonly lon: number; readonly address?: string };
  /** District (administrative-unit code, 3 digits) the camera stands in. */
  readonly area: string;
  /** Owning unit that handles its incidents: `police`, `transport`, `district`, … */
  readonly unit: string;
  /** Counts for the public-order camera-coverage KPI (L2.N2.PN2.01). */
  readonly publicOrder: boolean;
  /** Subscriptions run only for enabled cameras. */
  readonly enabled: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What storage keeps: the camera and its password sealed with the server's key (never decrypted here). */
export interface StoredCamera {
  readonly camera: RegisteredCamera;
  /** AES-256-GCM sealed password (`v1.<iv>.<tag>.<ciphertext>`, base64url), when one is set. */
  readonly sealedPassword?: string;
}

export const INCIDENT_STATES = [
  'open',
  'acknowledged',
  'dispatched',
  'in-progress',
  'resolved',
  'closed',
] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

/** Incident states in which repeats of its events still join it. */
export const ACTIVE_INCIDENT_STATES: readonly IncidentState[] = [
  'open',
  'acknowledged',
  'dispatched',
  'in-progress',
];

export interface IncidentHistoryEntry {
  readonly from?: IncidentState;
  readonly to: IncidentState;
  readonly at: string;
  readonly by: string;
  readonly note?: string;
}

/** An incident opened from a camera's analytics events (specs/openapi: `CameraIncident`). */
export interface CameraIncident {
  readonly id: string;
  readonly cameraId: string;
  readonly cameraName: string;
  readonly channel?: string;
  /** Owning unit of the camera: who handles it. */
  readonly unit: string;
  /** District of the camera. */
  readonly area: string;
  readonly location: { readonly lat: number; readonly lon: number; readonly address?: string };
  /** Normalized event kind (`CameraEvent.kind`). */
  readonly kind: string;
  /** FIWARE `Alert.category` / `subCategory`, CAP `category` (from @dttm/camera-vms). */
  readonly category: string;
  readonly subCategory: string;
  readonly capCategory: string;
  readonly severity: 'informational' | 'low' | 'medium' | 'high' | 'critical';
  readonly capSeverity: 'Extreme' | 'Severe' | 'Moderate' | 'Minor' | 'Unknown';
  readonly title: { readonly vi: string; readonly en: string };
  readonly state: IncidentState;
  /** Device times of the first and latest event. */
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** Events correlated into it. */
  readonly count: number;
  /** Ids of the last events (at most 20), oldest first. */
  readonly eventIds: readonly string[];
  readonly rule?: string;
  /** Plate as read (formatted) and normalized, for plate reads and violations. */
  readonly plate?: { readonly raw: string; readonly normalized: string };
  /** Why the plate is on the watch list, when it is. */
  readonly watchlistReason?: string;
  /** The server's snapshot URL of the camera (never the device's). */
  readonly snapshotUrl?: string;
  /** Correlation key: camera, channel, kind, subject. */
  readonly dedupKey: string;
  /** Server times. */
  readonly openedAt: string;
  readonly updatedAt: string;
  readonly history: readonly IncidentHistoryEntry[];
}

export interface IncidentFilter {
  readonly states?: readonly IncidentState[];
  readonly unit?: string;
  readonly area?: string;
  readonly cameraId?: string;
  /** Opened at or after / before (ISO 8601 UTC). */
  readonly from?: string;
  readonly to?: string;
  /** Scoped callers: incidents of this unit OR this area. */
  readonly visibleTo?: { readonly unit?: string; readonly area?: string };
  readonly limit: number;
  readonly offset?: number;
}

/** A plate on the watch list. */
export interface WatchedPlate {
  /** Normalized plate (`98A12345`), the key. */
  readonly plate: string;
  /** As entered, e.g. `98A-123.45`. */
  readonly raw: string;
  readonly reason: string;
  readonly addedBy: string;
  readonly addedAt: string;
}

/**
 * Who runs a camera's event subscription when several server instances share the database: the
 * instance holding a live lease (`expiresAt` later than now), renewed while it runs.
 */
export interface CameraLease {
  readonly cameraId: string;
  /** The holding instance (its event-bus `source`). */
  readonly owner: string;
  /** ISO 8601 UTC instant. */
  readonly expiresAt: string;
}

/** Cameras, their incidents, the plate watch list and the subscription leases. */
export interface CameraRepository {
  /** False when the id exists. */
  createCamera(c: StoredCamera, audit: AuditInput): Promise<boolean>;
  /** False when unknown. `sealedPassword` undefined keeps the stored one unless `clearPassword`. */
  updateCamera(c: StoredCamera, audit: AuditInput, options?: { clearPassword?: boolean }): Promise<boolean>;
  /** Also drops the camera's subscription lease. */
  deleteCamera(id: string, audit: AuditInput): Promise<boolean>;
  getCamera(id: string): Promise<StoredCamera | undefined>;
  /** By id. */
  listCameras(filter?: {
    readonly area?: string;
    readonly unit?: string;
    readonly visibleTo?: { readonly unit?: string; readonly area?: string };
  }): Promise<StoredCamera[]>;
  createIncident(i: CameraIncident, audit: AuditInput): Promise<void>;
  /** Replaces an incident whose stored state is still `expected`; false otherwise. */
  updateIncident(next: CameraIncident, expected: IncidentState, audit: AuditInput): Promise<boolean>;
  getIncident(id: string): Promise<CameraIncident | undefined>;
  /** The newest active incident with this correlation key. */
  findActiveIncident(dedupKey: string): Promise<CameraIncident | undefined>;
  /** Newest opened first. */
  listIncidents(filter: IncidentFilter): Promise<CameraIncident[]>;
  /** False when the plate is listed already. */
  addWatchedPlate(p: WatchedPlate, audit: AuditInput): Promise<boolean>;
  removeWatchedPlate(plate: string, audit: AuditInput): Promise<boolean>;
  listWatchedPlates(): Promise<WatchedPlate[]>;
  /**
   * Atomically acquires or renews, for `owner`, the leases of those of the registered cameras `cameraIds`
   * whose lease is free, expired at `now`, or already the owner's; each then expires at `now + ttlMs`.
   * Returns the ids the owner holds afterwards, sorted.
   */
  acquireCameraLeases(
    owner: string,
    cameraIds: readonly string[],
    now: Date,
    ttlMs: number,
  ): Promise<string[]>;
  /** Drops the owner's leases (of these cameras, or all); returns how many were dropped. */
  releaseCameraLeases(owner: string, cameraIds?: readonly string[]): Promise<number>;
  /** Leases (live or expired), by camera id; of one owner or one camera when given. */
  listCameraLeases(filter?: { readonly owner?: string; readonly cameraId?: string }): Promise<CameraLease[]>;
}

/** Row shapes and the filter SQL shared by both back ends. */
export interface BodyRow {
  body: string;
}

export function cameraColumns(c: StoredCamera) {
  return {
    id: c.camera.id,
    area: c.camera.area,
    unit: c.camera.unit,
    body: JSON.stringify(c.camera),
  };
}

export function incidentColumns(i: CameraIncident) {
  return {
    id: i.id,
    camera_id: i.cameraId,
    unit: i.unit,
    area: i.area,
    state: i.state,
    dedup_key: i.dedupKey,
    opened_at: i.openedAt,
    updated_at: i.updatedAt,
    body: JSON.stringify(i),
  };
}

/** WHERE clause of a camera filter; `arg` adds a value and returns its placeholder. */
export function cameraWhere(
  f: {
    readonly area?: string;
    readonly unit?: string;
    readonly visibleTo?: { readonly unit?: string; readonly area?: string };
  },
  arg: (v: string) => string,
): string | undefined {
  const where: string[] = [];
  if (f.area !== undefined) where.push(`area = ${arg(f.area)}`);
  if (f.unit !== undefined) where.push(`unit = ${arg(f.unit)}`);
  if (f.visibleTo !== undefined) {
    const or: string[] = [];
    if (f.visibleTo.unit !== undefined) or.push(`unit = ${arg(f.visibleTo.unit)}`);
    if (f.visibleTo.area !== undefined) or.push(`area = ${arg(f.visibleTo.area)}`);
    if (or.length === 0) return undefined;
    where.push(`(${or.join(' OR ')})`);
  }
  return where.length ? `WHERE ${where.join(' AND ')}` : '';
}

/** WHERE clause of an incident filter; undefined when it can match nothing. */
export function incidentWhere(f: IncidentFilter, arg: (v: string) => string): string | undefined {
  const base = cameraWhere(f, arg);
  if (base === undefined) return undefined;
  const where = base === '' ? [] : [base.slice('WHERE '.length)];
  if (f.states !== undefined) {
    if (f.states.length === 0) return undefined;
    where.push(`state IN (${f.states.map((s) => arg(s)).join(', ')})`);
  }
  if (f.cameraId !== undefined) where.push(`camera_id = ${arg(f.cameraId)}`);
  if (f.from !== undefined) where.push(`opened_at >= ${arg(f.from)}`);
  if (f.to !== undefined) where.push(`opened_at < ${arg(f.to)}`);
  return where.length ? `WHERE ${where.join(' AND ')}` : '';
}

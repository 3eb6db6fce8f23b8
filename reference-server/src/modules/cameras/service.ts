import { randomBytes } from 'node:crypto';
import {
  IncidentCorrelator,
  isCameraError,
  mapFrigateEvent,
  normalizePlate,
  parseVietnamesePlate,
  toCapAlert,
  toNgsiLdAlert,
  type CameraEvent,
  type Incident,
  type NgsiLdAlert,
  type Snapshot,
} from '@dttm/camera-vms';
import type { Principal } from '../../auth/roles.js';
import type { EventBus } from '../../events/types.js';
import type { Logger } from '../../logger.js';
import {
  type CameraIncident,
  type CameraProtocol,
  type CameraRepository,
  type IncidentFilter,
  type IncidentState,
  type JsonValue,
  type RegisteredCamera,
  type StoredCamera,
  type WatchedPlate,
} from '../../storage/types.js';
import { BAC_GIANG_DISTRICT_AREAS, type DistrictAreas } from './areas.js';
import { CameraLink, type CameraHealth } from './links.js';
import type { CameraSecrets } from './secrets.js';
import { RequestError } from '../../http/request-error.js';

export class CameraRequestError extends RequestError {
  override readonly name = 'CameraRequestError';
}

/** What a principal may see of cameras and incidents. */
export type CameraView =
  { readonly all: true } | { readonly all: false; readonly unit?: string; readonly area?: string };

/**
 * Sharing by level and authority: leadership and operators see every camera and incident, a
 * department (police, transport, …) those its unit owns, a district those in its area.
 */
export function cameraViewOf(p: Principal): CameraView {
  if (p.roles.includes('leadership') || p.roles.includes('operator')) return { all: true };
  return {
    all: false,
    ...(p.roles.includes('department') && p.department !== undefined ? { unit: p.department } : {}),
    ...(p.roles.includes('district') && p.area !== undefined ? { area: p.area } : {}),
  };
}

export function canSeeCamera(view: CameraView, c: { readonly unit: string; readonly area: string }): boolean {
  if (view.all) return true;
  return (
    (view.unit !== undefined && c.unit === view.unit) || (view.area !== undefined && c.area === view.area)
  );
}

const visibleTo = (view: CameraView) =>
  view.all
    ? {}
    : {
        visibleTo: {
          ...(view.unit !== undefined ? { unit: view.unit } : {}),
          ...(view.area !== undefined ? { area: view.area } : {}),
        },
      };

/** A camera as registered through the API (validated against the OpenAPI document). */
export interface CameraInput {
  readonly id?: string;
  readonly name: string;
  readonly protocol: CameraProtocol;
  readonly url?: string;
  readonly username?: string;
  /** Write-only; `null` on update removes the stored password. */
  readonly password?: string | null;
  readonly channel?: number;
  readonly location: { lat: number; lon: number; address?: string };
  readonly area: string;
  readonly unit: string;
  readonly publicOrder?: boolean;
  readonly enabled?: boolean;
}

export interface IncidentTransitionInput {
  readonly to: IncidentState;
  /** The state the caller saw; 409 when it moved on. */
  readonly expected?: IncidentState;
  readonly note?: string;
}

/** Transitions by the current state. */
const ALLOWED: Readonly<Record<IncidentState, readonly IncidentState[]>> = {
  open: ['acknowledged', 'dispatched', 'in-progress', 'resolved', 'closed'],
  acknowledged: ['dispatched', 'in-progress', 'resolved', 'closed'],
  dispatched: ['in-progress', 'resolved', 'closed'],
  'in-progress': ['resolved', 'closed'],
  resolved: ['in-progress', 'closed'],
  closed: [],
};

/** Coverage of the registry's public-order cameras (the L2.N2.PN2.01 figures). */
export interface CameraCoverage {
  readonly indicator: 'L2.N2.PN2.01';
  readonly areaSource: string;
  readonly province: {
    readonly adminUnitCode: string;
    readonly cameras: number;
    readonly areaKm2: number;
    /** Cameras per km², 6 significant digits. */
    readonly density: number;
    readonly districtsCovered: number;
    readonly districts: number;
    /** Share of districts with at least one public-order camera, %, 2 decimals. */
    readonly share: number;
  };
  readonly districts: readonly {
    readonly adminUnitCode: string;
    readonly cameras: number;
    readonly areaKm2: number;
    readonly density: number;
  }[];
}

export interface CameraServiceOptions {
  readonly repo: CameraRepository;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly secrets: CameraSecrets;
  readonly now?: () => Date;
  /** Repeats of an event (same camera, channel, kind, subject) within this window join the open incident. */
  readonly dedupWindowMs: number;
  /** Interval of the health probes. */
  readonly healthIntervalMs: number;
  readonly reconnectDelayMs?: number;
  readonly maxReconnectDelayMs?: number;
  readonly pullTimeoutMs?: number;
  /** District areas (km²) for the density. Default Bắc Giang's. */
  readonly areas?: DistrictAreas;
  /** The province and its districts (administrative-unit codes), from the KPI profile. */
  readonly province: { readonly adminUnitCode: string; readonly districts: readonly string[] };
  /** CAP `sender`. Default `ioc.bacgiang.gov.vn`. */
  readonly capSender?: string;
  /** Told after the registry changed (the coverage KPI feed). */
  readonly onRegistryChange?: () => Promise<unknown>;
  /** This instance's name in the subscription leases. Default the bus `source`. */
  readonly instanceId?: string;
  /** A subscription lease lasts this long without renewal. Default 30000. */
  readonly leaseTtlMs?: number;
  /** Interval of the reconcile round (renew, acquire, follow the registry). Default 10000; 0: no timer. */
  readonly leaseRenewMs?: number;
}

/** Cameras whose events the server subscribes to (and so need a lease). */
const subscribable = (c: RegisteredCamera) => c.protocol !== 'none' && c.enabled && c.url !== undefined;
/** What a running subscription was started from: a change restarts it. */
const versionOf = (c: StoredCamera) => `${JSON.stringify(c.camera)}|${c.sealedPassword ?? ''}`;
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function incidentEvent(i: CameraIncident, baseUrl: string | undefined): CameraEvent {
  const plate = i.plate === undefined ? undefined : parseVietnamesePlate(i.plate.raw);
  return {
    id: i.eventIds[i.eventIds.length - 1] ?? i.id,
    kind: i.kind,
    source: {
      cameraId: i.cameraId,
      adapter: 'ioc',
      ...(i.channel === undefined ? {} : { channel: i.channel }),
    },
    time: i.lastSeen,
    state: 'start',
    initial: false,
    ...(plate === undefined ? {} : { plate }),
    ...(i.snapshotUrl !== undefined && baseUrl !== undefined
      ? { snapshot: { uri: new URL(i.snapshotUrl, baseUrl).toString() } }
      : {}),
    raw: { format: 'json', payload: '{}' },
  } as unknown as CameraEvent;
}

/** The package's incident shape of a stored incident, for the CAP and NGSI-LD renderings. */
function asPackageIncident(i: CameraIncident, baseUrl: string | undefined): Incident {
  return {
    id: i.id,
    key: i.dedupKey,
    kind: i.kind as Incident['kind'],
    cameraId: i.cameraId,
    ...(i.channel === undefined ? {} : { channel: i.channel }),
    category: i.category as Incident['category'],
    subCategory: i.subCategory,
    capCategory: i.capCategory as Incident['capCategory'],
    severity: i.severity,
    capSeverity: i.capSeverity,
    title: i.title,
    firstSeen: i.firstSeen,
    lastSeen: i.lastSeen,
    count: i.count,
    eventIds: i.eventIds,
    latest: incidentEvent(i, baseUrl),
    status: i.state === 'resolved' || i.state === 'closed' ? 'closed' : 'open',
  };
}

const nfc = (s: string | undefined) => s?.normalize('NFC').trim();

/**
 * Cameras (registry, encrypted credentials, event subscriptions and health), the incidents their
 * analytics events open (correlated, de-duplicated, assigned to the camera's unit, with an audited
 * lifecycle, CAP and NGSI-LD renderings) and the plate watch list. `close()` ends every subscription.
 *
 * Several instances may share the database: each camera's subscription runs on exactly one of them,
 * the holder of the camera's lease. A reconcile round every `leaseRenewMs` renews the held leases,
 * acquires free or expired ones, starts and stops subscriptions accordingly and follows registry
 * changes made through other instances; `close()` releases the leases so that a peer takes over at once.
 */
export class CameraService {
  readonly #repo: CameraRepository;
  readonly #bus: EventBus;
  readonly #logger: Logger;
  readonly #secrets: CameraSecrets;
  readonly #now: () => Date;
  readonly #options: CameraServiceOptions;
  readonly #links = new Map<string, CameraLink>();
  readonly #wanted = new Map<string, WatchedPlate>();
  readonly #wantedSet = new Set<string>();
  readonly #correlator: IncidentCorrelator;
  readonly areas: DistrictAreas;
  /** This instance's name in the subscription leases. */
  readonly owner: string;
  readonly #leaseTtlMs: number;
  /** What each running subscription was started from. */
  readonly #versions = new Map<string, string>();
  #chain: Promise<unknown> = Promise.resolve();
  /** Reconcile rounds and registry changes, one at a time. */
  #sync: Promise<unknown> = Promise.resolve();
  /** Until when the leases of the last successful renewal hold (service clock, ms). */
  #heldUntil = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(options: CameraServiceOptions) {
    this.#options = options;
    this.#repo = options.repo;
    this.#bus = options.bus;
    this.#logger = options.logger;
    this.#secrets = options.secrets;
    this.#now = options.now ?? (() => new Date());
    this.areas = options.areas ?? BAC_GIANG_DISTRICT_AREAS;
    this.owner = options.instanceId ?? options.bus.source;
    this.#leaseTtlMs = options.leaseTtlMs ?? 30_000;
    const w = options.dedupWindowMs;
    this.#correlator = new IncidentCorrelator({
      windowMs: {
        motion: w,
        tamper: w,
        video_loss: w,
        intrusion: w,
        line_crossing: w,
        loitering: w,
        crowd: w,
        counting: w,
        abandoned_object: w,
        removed_object: w,
        face_match: w,
        plate_read: w,
        traffic_violation: w,
      },
      debounceMs: 0,
      wantedPlates: this.#wantedSet,
      ignore: ['counting'],
    });
  }

  /**
   * Loads the watch list, starts the subscriptions of the enabled cameras whose lease this instance
   * gets, and the reconcile timer.
   */
  async start(): Promise<void> {
    for (const p of await this.#repo.listWatchedPlates()) this.#watch(p);
    await this.reconcile();
    const every = this.#options.leaseRenewMs ?? 10_000;
    if (every > 0 && !this.#closed) {
      this.#timer = setInterval(() => void this.reconcile(), every);
      this.#timer.unref();
    }
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#sync.then(fn);
    this.#sync = run.catch(() => undefined);
    return run;
  }

  /**
   * One reconcile round: renews the held leases and acquires those of cameras without a live lease
   * (one atomic statement), starts the subscriptions of newly held cameras and stops those whose lease
   * went to another instance, or whose camera was deleted, disabled or changed (restarted if still held).
   */
  reconcile(): Promise<void> {
    return this.#serial(async () => {
      if (this.#closed) return;
      const now = this.#now();
      let wanted: StoredCamera[];
      let held: Set<string>;
      try {
        wanted = (await this.#repo.listCameras()).filter((c) => subscribable(c.camera));
        held = new Set(
          await this.#repo.acquireCameraLeases(
            this.owner,
            wanted.map((c) => c.camera.id),
            now,
            this.#leaseTtlMs,
          ),
        );
      } catch (err) {
        this.#logger.warn('camera leases not renewed', { error: errorText(err) });
        // Unrenewed leases lapse and a peer takes the cameras over: stop before it does.
        if (this.#now().getTime() >= this.#heldUntil && this.#links.size > 0) {
          this.#logger.warn('camera leases lapsed: subscriptions stopped', { cameras: this.#links.size });
          await Promise.all([...this.#links.keys()].map((id) => this.#stopLink(id)));
        }
        return;
      }
      this.#heldUntil = now.getTime() + this.#leaseTtlMs;
      const byId = new Map(wanted.map((c) => [c.camera.id, c]));
      const unwanted: string[] = [];
      for (const id of [...this.#links.keys()]) {
        const c = byId.get(id);
        if (c !== undefined && held.has(id) && this.#versions.get(id) === versionOf(c)) continue;
        if (c === undefined) unwanted.push(id);
        else if (!held.has(id))
          this.#logger.info('camera subscription taken over by another instance', { camera: id });
        await this.#stopLink(id);
      }
      if (unwanted.length > 0)
        await this.#repo
          .releaseCameraLeases(this.owner, unwanted)
          .catch((err: unknown) =>
            this.#logger.warn('camera leases not released', { error: errorText(err) }),
          );
      for (const id of held) {
        const c = byId.get(id);
        if (c === undefined || this.#links.has(id)) continue;
        this.#logger.info('camera subscription owned', { camera: id, owner: this.owner });
        this.#startLink(c);
      }
    });
  }

  /** After a registration or change through this instance: its subscription starts here at once when the lease is free. */
  #claim(c: StoredCamera): Promise<void> {
    return this.#serial(async () => {
      await this.#stopLink(c.camera.id);
      if (this.#closed) return;
      try {
        if (!subscribable(c.camera)) {
          await this.#repo.releaseCameraLeases(this.owner, [c.camera.id]);
          return;
        }
        const held = await this.#repo.acquireCameraLeases(
          this.owner,
          [c.camera.id],
          this.#now(),
          this.#leaseTtlMs,
        );
        if (held.includes(c.camera.id)) this.#startLink(c);
      } catch (err) {
        // The next reconcile round tries again.
        this.#logger.warn('camera lease not acquired', { camera: c.camera.id, error: errorText(err) });
      }
    });
  }

  #watch(p: WatchedPlate): void {
    this.#wanted.set(p.plate, p);
    this.#wantedSet.add(p.plate);
  }

  #startLink(stored: StoredCamera): void {
    if (this.#closed) return;
    const { camera, sealedPassword: sealed } = stored;
    const link = new CameraLink({
      camera,
      password: this.#open(camera.id, sealed),
      onEvent: async (c, e) => {
        await this.handleEvent(c, e);
      },
      logger: this.#logger,
      now: this.#now,
      healthIntervalMs: this.#options.healthIntervalMs,
      reconnectDelayMs: this.#options.reconnectDelayMs ?? 500,
      maxReconnectDelayMs: this.#options.maxReconnectDelayMs ?? 30_000,
      pullTimeoutMs: this.#options.pullTimeoutMs ?? 10_000,
      onHealth: (h) => {
        this.#logger.info('camera health', {
          camera: h.cameraId,
          status: h.status,
          error: h.lastError ?? '',
        });
        if (this.#closed || this.#links.get(camera.id) !== link) return;
        // A status change goes live (camera.health), shared as the camera is.
        const data: Record<string, JsonValue> = {
          cameraId: camera.id,
          unit: camera.unit,
          area: camera.area,
          status: h.status,
          since: h.since,
          ...(h.lastError !== undefined && h.status === 'offline' ? { lastError: h.lastError } : {}),
        };
        this.#bus.publish('camera.health', data, { subject: `camera:${camera.id}` }).catch((err: unknown) =>
          this.#logger.warn('camera health not published', {
            error: err instanceof Error ? err.message : String(err),
          }),
        );
      },
    });
    this.#links.set(camera.id, link);
    this.#versions.set(camera.id, versionOf(stored));
    link.start();
  }

  #open(id: string, sealed: string | undefined): string | undefined {
    if (sealed === undefined) return undefined;
    try {
      return this.#secrets.open(id, sealed);
    } catch {
      this.#logger.error('camera password does not open with the configured key', { camera: id });
      return undefined;
    }
  }

  async #stopLink(id: string): Promise<void> {
    const link = this.#links.get(id);
    this.#links.delete(id);
    this.#versions.delete(id);
    await link?.stop();
  }

  #registryChanged(): void {
    void this.#options.onRegistryChange?.().catch(() => undefined);
  }

  // ── registry ──

  async listCameras(view: CameraView, q: { area?: string; unit?: string } = {}): Promise<RegisteredCamera[]> {
    return (await this.#repo.listCameras({ ...q, ...visibleTo(view) })).map((c) => c.camera);
  }

  async getCamera(id: string, view: CameraView): Promise<RegisteredCamera> {
    const c = await this.#repo.getCamera(id);
    if (c === undefined || !canSeeCamera(view, c.camera))
      throw new CameraRequestError(404, 'CAMERA_NOT_FOUND', `no camera "${id}"`);
    return c.camera;
  }

  #check(input: CameraInput): void {
    if (input.protocol !== 'none' && input.url === undefined)
      throw new CameraRequestError(422, 'CAMERA_INVALID', `a ${input.protocol} camera needs its url`);
    if (input.url !== undefined) {
      let u: URL;
      try {
        u = new URL(input.url);
      } catch {
        throw new CameraRequestError(422, 'CAMERA_INVALID', `"${input.url}" is not a URL`);
      }
      if (u.username !== '' || u.password !== '')
        throw new CameraRequestError(
          422,
          'CAMERA_INVALID',
          'give the credentials as username and password, not inside the url',
        );
    }
    if (!this.#options.province.districts.includes(input.area))
      throw new CameraRequestError(422, 'UNKNOWN_DISTRICT', `no district "${input.area}" in the province`);
  }

  async createCamera(input: CameraInput, principal: Principal): Promise<RegisteredCamera> {
    this.#check(input);
    const id = input.id ?? `CAM-${randomBytes(4).toString('hex').toUpperCase()}`;
    if (!ID.test(id)) throw new CameraRequestError(422, 'CAMERA_INVALID', `"${id}" is not a valid camera id`);
    const at = this.#now().toISOString();
    const password = typeof input.password === 'string' ? input.password : undefined;
    const camera = this.#camera(id, input, password !== undefined, at, at);
    const sealed = password === undefined ? undefined : this.#secrets.seal(id, password);
    const ok = await this.#repo.createCamera(
      { camera, ...(sealed === undefined ? {} : { sealedPassword: sealed }) },
      {
        actor: principal.subject,
        action: 'camera.create',
        subject: `camera:${id}`,
        data: { ...this.#auditable(camera) },
      },
    );
    if (!ok) throw new CameraRequestError(409, 'CAMERA_EXISTS', `a camera "${id}" is registered already`);
    await this.#claim({ camera, ...(sealed === undefined ? {} : { sealedPassword: sealed }) });
    this.#registryChanged();
    return camera;
  }

  async updateCamera(id: string, input: CameraInput, principal: Principal): Promise<RegisteredCamera> {
    this.#check(input);
    const current = await this.#repo.getCamera(id);
    if (current === undefined) throw new CameraRequestError(404, 'CAMERA_NOT_FOUND', `no camera "${id}"`);
    const at = this.#now().toISOString();
    const newPassword = typeof input.password === 'string' ? input.password : undefined;
    const clear = input.password === null;
    const has = clear ? false : newPassword !== undefined || current.sealedPassword !== undefined;
    const camera = this.#camera(id, input, has, current.camera.createdAt, at);
    const sealed = newPassword === undefined ? undefined : this.#secrets.seal(id, newPassword);
    const ok = await this.#repo.updateCamera(
      { camera, ...(sealed === undefined ? {} : { sealedPassword: sealed }) },
      {
        actor: principal.subject,
        action: 'camera.update',
        subject: `camera:${id}`,
        data: { ...this.#auditable(camera), passwordChanged: newPassword !== undefined || clear },
      },
      { clearPassword: clear },
    );
    if (!ok) throw new CameraRequestError(404, 'CAMERA_NOT_FOUND', `no camera "${id}"`);
    const password = clear ? undefined : (sealed ?? current.sealedPassword);
    await this.#claim({ camera, ...(password === undefined ? {} : { sealedPassword: password }) });
    this.#registryChanged();
    return camera;
  }

  async deleteCamera(id: string, principal: Principal): Promise<void> {
    const ok = await this.#repo.deleteCamera(id, {
      actor: principal.subject,
      action: 'camera.delete',
      subject: `camera:${id}`,
    });
    if (!ok) throw new CameraRequestError(404, 'CAMERA_NOT_FOUND', `no camera "${id}"`);
    // The lease went with the camera; an owning peer stops in its next round.
    await this.#serial(() => this.#stopLink(id));
    this.#registryChanged();
  }

  #camera(id: string, input: CameraInput, hasPassword: boolean, createdAt: string, updatedAt: string) {
    const address = nfc(input.location.address);
    const camera: RegisteredCamera = {
      id,
      name: nfc(input.name) ?? id,
      protocol: input.protocol,
      ...(input.url !== undefined ? { url: input.url } : {}),
      ...(input.username !== undefined ? { username: input.username } : {}),
      hasPassword,
      channel: input.channel ?? 1,
      location: { lat: input.location.lat, lon: input.location.lon, ...(address ? { address } : {}) },
      area: input.area,
      unit: input.unit,
      publicOrder: input.publicOrder ?? true,
      enabled: input.enabled ?? true,
      createdAt,
      updatedAt,
    };
    return camera;
  }

  #auditable(c: RegisteredCamera): Record<string, JsonValue> {
    return {
      name: c.name,
      protocol: c.protocol,
      url: c.url ?? null,
      area: c.area,
      unit: c.unit,
      publicOrder: c.publicOrder,
      enabled: c.enabled,
    };
  }

  /**
   * The camera's connection as its subscription's owner knows it: from this instance when it holds
   * the lease, otherwise the owner's last `camera.health` event seen on the bus (counters 0).
   */
  async health(id: string, view: CameraView): Promise<CameraHealth> {
    const camera = await this.getCamera(id, view);
    const link = this.#links.get(id);
    if (link !== undefined) return { ...link.health, owner: this.owner };
    if (!subscribable(camera))
      return {
        cameraId: id,
        status: camera.protocol === 'none' || camera.url === undefined ? 'registry-only' : 'disabled',
        since: camera.updatedAt,
        reconnects: 0,
        events: 0,
      };
    const lease = (await this.#repo.listCameraLeases({ cameraId: id }))[0];
    const owner =
      lease !== undefined && Date.parse(lease.expiresAt) > this.#now().getTime() ? lease.owner : undefined;
    const seen =
      owner === undefined
        ? undefined
        : this.#bus
            .recent(undefined, ['camera.health'])
            .filter((e) => e.source === owner && e.subject === `camera:${id}`)
            .at(-1);
    const data = (seen?.data ?? {}) as {
      status?: CameraHealth['status'];
      since?: string;
      lastError?: string;
    };
    return {
      cameraId: id,
      status: data.status ?? 'connecting',
      since: data.since ?? camera.updatedAt,
      ...(data.lastError !== undefined ? { lastError: data.lastError } : {}),
      reconnects: 0,
      events: 0,
      ...(owner === undefined ? {} : { owner }),
    };
  }

  /** A JPEG of the camera; through a one-off connection when another instance runs its subscription. */
  async snapshot(id: string, view: CameraView): Promise<Snapshot> {
    const camera = await this.getCamera(id, view);
    if (!subscribable(camera))
      throw new CameraRequestError(409, 'CAMERA_NOT_CONNECTED', `camera "${id}" is not connected`);
    let link = this.#links.get(id);
    let oneOff: CameraLink | undefined;
    if (link === undefined) {
      const stored = await this.#repo.getCamera(id);
      if (stored === undefined) throw new CameraRequestError(404, 'CAMERA_NOT_FOUND', `no camera "${id}"`);
      oneOff = link = new CameraLink({
        camera: stored.camera,
        password: this.#open(stored.camera.id, stored.sealedPassword),
        onEvent: () => Promise.resolve(),
        logger: this.#logger,
        now: this.#now,
        healthIntervalMs: this.#options.healthIntervalMs,
        reconnectDelayMs: 500,
        maxReconnectDelayMs: 30_000,
        pullTimeoutMs: 10_000,
      });
    }
    try {
      return await link.snapshot();
    } catch (err) {
      throw new CameraRequestError(
        502,
        'CAMERA_UNREACHABLE',
        `camera "${id}" gave no snapshot: ${err instanceof Error ? err.message : String(err)}`,
      );
    } finally {
      await oneOff?.stop();
    }
  }

  /**
   * One Frigate event (the `frigate/events` MQTT message, forwarded over HTTP by a machine client) for a
   * registered camera: mapped by the package (`mapFrigateEvent`) and handled like a subscribed event.
   */
  async ingestFrigate(
    id: string,
    payload: string,
  ): Promise<{ eventId: string; kind: string; incidentId?: string }> {
    const c = await this.#repo.getCamera(id);
    if (c === undefined) throw new CameraRequestError(404, 'CAMERA_NOT_FOUND', `no camera "${id}"`);
    if (!c.camera.enabled) throw new CameraRequestError(409, 'CAMERA_DISABLED', `camera "${id}" is disabled`);
    let event: CameraEvent;
    try {
      // Frigate's own snapshot links point into the NVR: they are not passed on.
      event = mapFrigateEvent(payload, { cameraId: id });
    } catch (err) {
      if (isCameraError(err))
        throw new CameraRequestError(422, 'EVENT_INVALID', err.message, {
          ...(typeof err.details?.path === 'string' ? { path: err.details.path } : {}),
        });
      throw err;
    }
    const incident = await this.handleEvent(c.camera, event);
    return { eventId: event.id, kind: event.kind, ...(incident ? { incidentId: incident.id } : {}) };
  }

  // ── coverage (L2.N2.PN2.01) ──

  /** Public-order cameras (enabled) per district, their density per km² and the share of districts covered. */
  async coverage(): Promise<CameraCoverage> {
    const cameras = (await this.#repo.listCameras())
      .map((c) => c.camera)
      .filter((c) => c.publicOrder && c.enabled);
    const districts = this.#options.province.districts;
    const rows = districts.map((code) => {
      const n = cameras.filter((c) => c.area === code).length;
      const km2 = this.areas.km2[code] ?? 0;
      return { adminUnitCode: code, cameras: n, areaKm2: km2, density: km2 > 0 ? significant(n / km2) : 0 };
    });
    const total = rows.reduce((s, r) => s + r.cameras, 0);
    const km2 = round(
      rows.reduce((s, r) => s + r.areaKm2, 0),
      2,
    );
    const covered = rows.filter((r) => r.cameras > 0).length;
    return {
      indicator: 'L2.N2.PN2.01',
      areaSource: this.areas.source,
      province: {
        adminUnitCode: this.#options.province.adminUnitCode,
        cameras: total,
        areaKm2: km2,
        density: km2 > 0 ? significant(total / km2) : 0,
        districtsCovered: covered,
        districts: districts.length,
        share: districts.length > 0 ? round((covered / districts.length) * 100, 2) : 0,
      },
      districts: rows,
    };
  }

  // ── incidents ──

  /**
   * One normalized event from a camera: `end` events, initial states, counters and plate reads not on
   * the watch list open nothing; otherwise the event joins the active incident with the same
   * correlation key when it came within the de-duplication window, or opens a new incident.
   */
  handleEvent(camera: RegisteredCamera, event: CameraEvent): Promise<CameraIncident | undefined> {
    const run = this.#chain.then(() => this.#handle(camera, event));
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #handle(camera: RegisteredCamera, event: CameraEvent): Promise<CameraIncident | undefined> {
    if (this.#closed || event.state === 'end' || event.initial) return undefined;
    if (event.kind === 'plate_read' && !this.#wantedSet.has(event.plate.normalized)) return undefined;
    const update = this.#correlator.add(event);
    this.#correlator.expire(event.time);
    if (update === undefined) return undefined;
    const c = update.incident;
    const at = this.#now().toISOString();
    const active = await this.#repo.findActiveIncident(c.key);
    const eventMs = Date.parse(event.time);
    if (
      active !== undefined &&
      Math.abs(eventMs - Date.parse(active.lastSeen)) <= this.#options.dedupWindowMs
    ) {
      if (active.eventIds.includes(event.id)) return active;
      const escalated = c.severity === 'high' && active.severity !== 'high';
      const next: CameraIncident = {
        ...active,
        lastSeen: eventMs > Date.parse(active.lastSeen) ? event.time : active.lastSeen,
        count: active.count + 1,
        eventIds: [...active.eventIds, event.id].slice(-20),
        ...(escalated ? { severity: c.severity, capSeverity: c.capSeverity } : {}),
        updatedAt: at,
      };
      const ok = await this.#repo.updateIncident(next, active.state, {
        actor: 'system',
        action: 'incident.repeat',
        subject: `incident:${active.id}`,
        data: { event: event.id, count: next.count },
      });
      if (ok) {
        await this.#publish('incident.updated', next);
        return next;
      }
      // Moved on meanwhile (closed by an operator): a new incident follows.
    }
    const plate =
      event.kind === 'plate_read'
        ? event.plate
        : event.kind === 'traffic_violation'
          ? event.plate
          : undefined;
    const watch = plate === undefined ? undefined : this.#wanted.get(plate.normalized);
    const incident: CameraIncident = {
      id: `inc-${randomBytes(10).toString('hex')}`,
      cameraId: camera.id,
      cameraName: camera.name,
      ...(event.source.channel === undefined ? {} : { channel: event.source.channel }),
      unit: camera.unit,
      area: camera.area,
      location: camera.location,
      kind: c.kind,
      category: c.category,
      subCategory: c.subCategory,
      capCategory: c.capCategory,
      severity: c.severity,
      capSeverity: c.capSeverity,
      title: c.title,
      state: 'open',
      firstSeen: event.time,
      lastSeen: event.time,
      count: 1,
      eventIds: [event.id],
      ...(event.rule?.name !== undefined ? { rule: event.rule.name } : {}),
      ...(plate === undefined
        ? {}
        : { plate: { raw: plate.formatted ?? plate.raw, normalized: plate.normalized } }),
      ...(watch === undefined ? {} : { watchlistReason: watch.reason }),
      ...(camera.protocol === 'none'
        ? {}
        : { snapshotUrl: `/api/v1/cameras/${encodeURIComponent(camera.id)}/snapshot` }),
      dedupKey: c.key,
      openedAt: at,
      updatedAt: at,
      history: [{ to: 'open', at, by: 'system' }],
    };
    await this.#repo.createIncident(incident, {
      actor: 'system',
      action: 'incident.open',
      subject: `incident:${incident.id}`,
      data: {
        camera: camera.id,
        kind: incident.kind,
        severity: incident.severity,
        unit: incident.unit,
        event: event.id,
        ...(watch === undefined ? {} : { watchlist: watch.plate }),
      },
    });
    await this.#publish('incident.opened', incident);
    return incident;
  }

  async listIncidents(q: Omit<IncidentFilter, 'visibleTo'>, view: CameraView): Promise<CameraIncident[]> {
    return this.#repo.listIncidents({ ...q, ...visibleTo(view) });
  }

  async getIncident(id: string, view: CameraView): Promise<CameraIncident> {
    const i = await this.#repo.getIncident(id);
    if (i === undefined || !canSeeCamera(view, i))
      throw new CameraRequestError(404, 'INCIDENT_NOT_FOUND', `no incident "${id}"`);
    return i;
  }

  /** The incident as an OASIS CAP 1.2 alert (XML). */
  async cap(id: string, view: CameraView, baseUrl: string): Promise<string> {
    const i = await this.getIncident(id, view);
    return toCapAlert(asPackageIncident(i, baseUrl), {
      sender: this.#options.capSender ?? 'ioc.bacgiang.gov.vn',
      location: {
        latitude: i.location.lat,
        longitude: i.location.lon,
        ...(i.location.address !== undefined ? { address: i.location.address } : {}),
      },
    });
  }

  /** The incident as a FIWARE `Alert` entity (NGSI-LD). */
  async ngsiLd(id: string, view: CameraView, baseUrl: string): Promise<NgsiLdAlert> {
    const i = await this.getIncident(id, view);
    return toNgsiLdAlert(asPackageIncident(i, baseUrl), {
      location: { latitude: i.location.lat, longitude: i.location.lon },
    });
  }

  /** The camera's unit (its department) or an operator moves an incident on; audited and published. */
  async transition(
    id: string,
    input: IncidentTransitionInput,
    principal: Principal,
  ): Promise<CameraIncident> {
    const current = await this.getIncident(id, cameraViewOf(principal));
    const operator = principal.roles.includes('operator');
    if (!operator && (principal.department === undefined || principal.department !== current.unit))
      throw new CameraRequestError(403, 'NOT_ASSIGNED', `incident ${id} is not assigned to your unit`);
    if (input.expected !== undefined && input.expected !== current.state)
      throw new CameraRequestError(
        409,
        'INCIDENT_STATE_CONFLICT',
        `incident ${id} is ${current.state}, not ${input.expected}`,
        { state: current.state },
      );
    if (!ALLOWED[current.state].includes(input.to))
      throw new CameraRequestError(
        409,
        'INCIDENT_STATE_CONFLICT',
        `incident ${id} cannot go from ${current.state} to ${input.to}`,
        { state: current.state, allowed: [...ALLOWED[current.state]] },
      );
    const at = this.#now().toISOString();
    const note = nfc(input.note);
    const next: CameraIncident = {
      ...current,
      state: input.to,
      updatedAt: at,
      history: [
        ...current.history,
        { from: current.state, to: input.to, at, by: principal.subject, ...(note ? { note } : {}) },
      ],
    };
    const ok = await this.#repo.updateIncident(next, current.state, {
      actor: principal.subject,
      action: `incident.${input.to}`,
      subject: `incident:${id}`,
      data: { from: current.state, to: input.to, ...(note ? { note } : {}) },
    });
    if (!ok) {
      const now = await this.#repo.getIncident(id);
      throw new CameraRequestError(
        409,
        'INCIDENT_STATE_CONFLICT',
        `incident ${id} changed meanwhile: it is ${now?.state ?? 'gone'}`,
        { state: now?.state ?? null },
      );
    }
    await this.#publish('incident.updated', next);
    return next;
  }

  async #publish(type: 'incident.opened' | 'incident.updated', i: CameraIncident): Promise<void> {
    await this.#bus.publish(type, i as unknown as JsonValue, { subject: `incident:${i.id}` });
  }

  // ── watch list ──

  listWatchlist(): Promise<WatchedPlate[]> {
    return this.#repo.listWatchedPlates();
  }

  async addWatchedPlate(
    input: { plate: string; reason: string },
    principal: Principal,
  ): Promise<WatchedPlate> {
    const plate = normalizePlate(input.plate);
    if (!/^[0-9A-Z]{4,12}$/.test(plate))
      throw new CameraRequestError(422, 'PLATE_INVALID', `"${input.plate}" is not a licence plate`);
    const reason = nfc(input.reason) ?? '';
    if (reason === '')
      throw new CameraRequestError(422, 'REASON_REQUIRED', 'give the reason for watching the plate');
    const parsed = parseVietnamesePlate(input.plate);
    const entry: WatchedPlate = {
      plate,
      raw: parsed.formatted ?? input.plate.trim(),
      reason,
      addedBy: principal.subject,
      addedAt: this.#now().toISOString(),
    };
    const ok = await this.#repo.addWatchedPlate(entry, {
      actor: principal.subject,
      action: 'watchlist.add',
      subject: `plate:${plate}`,
      data: { reason },
    });
    if (!ok) throw new CameraRequestError(409, 'PLATE_LISTED', `plate ${plate} is on the watch list already`);
    this.#watch(entry);
    return entry;
  }

  async removeWatchedPlate(raw: string, principal: Principal): Promise<void> {
    const plate = normalizePlate(raw);
    const ok = await this.#repo.removeWatchedPlate(plate, {
      actor: principal.subject,
      action: 'watchlist.remove',
      subject: `plate:${plate}`,
    });
    if (!ok) throw new CameraRequestError(404, 'PLATE_NOT_LISTED', `plate ${plate} is not on the watch list`);
    this.#wanted.delete(plate);
    this.#wantedSet.delete(plate);
  }

  /** Ends every subscription and probe, waits for an event being handled and releases the leases. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    await this.#sync;
    await Promise.all([...this.#links.keys()].map((id) => this.#stopLink(id)));
    await this.#chain;
    await this.#repo
      .releaseCameraLeases(this.owner)
      .catch((err: unknown) => this.#logger.warn('camera leases not released', { error: errorText(err) }));
  }
}

/** Six significant digits: within the KPI validator's 10⁻³ relative tolerance of the exact ratio. */
function significant(x: number): number {
  return Number(x.toPrecision(6));
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

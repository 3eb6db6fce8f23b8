import { IsapiClient, OnvifClient, type CameraEvent, type Snapshot } from '@dttm/camera-vms';
import type { Logger } from '../../logger.js';
import type { RegisteredCamera } from '../../storage/types.js';

/** What the server knows of a camera's connection (specs/openapi: `CameraHealth`). */
export interface CameraHealth {
  readonly cameraId: string;
  /**
   * `online`: the last probe or event succeeded; `offline`: the last probe failed or the event
   * subscription is reconnecting; `connecting`: not yet probed; `disabled`; `registry-only` (no protocol).
   */
  readonly status: 'online' | 'offline' | 'connecting' | 'disabled' | 'registry-only';
  /** Since when the status holds. */
  readonly since: string;
  readonly lastEventAt?: string;
  readonly lastEventKind?: string;
  readonly lastError?: string;
  readonly lastErrorAt?: string;
  readonly lastProbeAt?: string;
  /** Reconnections of the event subscription since the server started it. */
  readonly reconnects: number;
  /** Events received since the subscription started. */
  readonly events: number;
  /** The server instance (event-bus `source`) running the subscription under a lease, when one does. */
  readonly owner?: string;
}

export interface CameraLinkOptions {
  readonly camera: RegisteredCamera;
  readonly password: string | undefined;
  readonly onEvent: (camera: RegisteredCamera, event: CameraEvent) => Promise<void>;
  readonly onHealth?: (health: CameraHealth) => void;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Probe interval (device information request). */
  readonly healthIntervalMs: number;
  /** First reconnect delay, doubled per failure up to the maximum, with jitter (the package's backoff). */
  readonly reconnectDelayMs: number;
  readonly maxReconnectDelayMs: number;
  /** Long-poll time of one ONVIF PullMessages. */
  readonly pullTimeoutMs: number;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * One camera's connection: the event subscription run by the server (ONVIF pull point through
 * `OnvifEventStream`, Hikvision ISAPI `alertStream`), which reconnects and resubscribes by itself after
 * a drop or a reboot, and a periodic probe (device information) that gives the health status.
 */
export class CameraLink {
  readonly camera: RegisteredCamera;
  readonly #options: CameraLinkOptions;
  readonly #abort = new AbortController();
  readonly #onvif: OnvifClient | undefined;
  readonly #isapi: IsapiClient | undefined;
  #health: CameraHealth;
  #timer: ReturnType<typeof setInterval> | undefined;
  #loop: Promise<void> = Promise.resolve();
  #profile: string | undefined;
  /** The subscription gave up (authentication refused, no pull point …) and waits to start again. */
  #ended = false;

  constructor(options: CameraLinkOptions) {
    this.#options = options;
    this.camera = options.camera;
    const c = options.camera;
    const at = options.now().toISOString();
    const status: CameraHealth['status'] =
      c.protocol === 'none' || c.url === undefined ? 'registry-only' : c.enabled ? 'connecting' : 'disabled';
    this.#health = { cameraId: c.id, status, since: at, reconnects: 0, events: 0 };
    if (status !== 'connecting' || c.url === undefined) return;
    const login = {
      username: c.username ?? '',
      password: options.password ?? '',
      cameraId: c.id,
      timeoutMs: 10_000,
    };
    if (c.protocol === 'onvif')
      this.#onvif = new OnvifClient({
        url: c.url,
        ...(c.username === undefined ? {} : { username: login.username, password: login.password }),
        cameraId: c.id,
      });
    else this.#isapi = new IsapiClient({ url: c.url, ...login });
  }

  get health(): CameraHealth {
    return this.#health;
  }

  #set(patch: Partial<CameraHealth>): void {
    const prev = this.#health;
    const status = patch.status ?? prev.status;
    this.#health = {
      ...prev,
      ...patch,
      since: status === prev.status ? prev.since : this.#options.now().toISOString(),
    };
    if (status !== prev.status) this.#options.onHealth?.(this.#health);
  }

  #failed(reason: string): void {
    this.#set({ status: 'offline', lastError: reason, lastErrorAt: this.#options.now().toISOString() });
  }

  /** Starts the subscription and the probe timer (no-op for registry-only or disabled cameras). */
  start(): void {
    if (this.#onvif === undefined && this.#isapi === undefined) return;
    void this.probe();
    this.#timer = setInterval(() => void this.probe(), this.#options.healthIntervalMs);
    this.#timer.unref();
    this.#loop = this.#run();
  }

  /** One probe: an authenticated device-information request. */
  async probe(): Promise<CameraHealth> {
    const signal = AbortSignal.any([this.#abort.signal, AbortSignal.timeout(5_000)]);
    try {
      if (this.#onvif) await this.#onvif.getDeviceInformation({ signal });
      else if (this.#isapi) await this.#isapi.getDeviceInformation({ signal });
      if (this.#abort.signal.aborted) return this.#health;
      // The device answers, but without a working subscription the camera is not online for the IOC.
      if (this.#ended) this.#set({ lastProbeAt: this.#options.now().toISOString() });
      else this.#set({ status: 'online', lastProbeAt: this.#options.now().toISOString() });
    } catch (err) {
      if (this.#abort.signal.aborted) return this.#health;
      this.#failed(`probe failed: ${message(err)}`);
      this.#set({ lastProbeAt: this.#options.now().toISOString() });
    }
    return this.#health;
  }

  async #run(): Promise<void> {
    const o = this.#options;
    const signal = this.#abort.signal;
    const onReconnect = (info: { reason: string; attempt: number; error?: unknown }) => {
      this.#failed(`reconnecting (attempt ${info.attempt}): ${info.reason}`);
      this.#set({ reconnects: this.#health.reconnects + 1 });
    };
    while (!signal.aborted) {
      this.#ended = false;
      try {
        const stream = this.#onvif
          ? this.#onvif.events({
              signal,
              pullTimeoutMs: o.pullTimeoutMs,
              reconnectDelayMs: o.reconnectDelayMs,
              maxReconnectDelayMs: o.maxReconnectDelayMs,
              onReconnect,
            })
          : this.#isapi!.alertStream({
              signal,
              reconnectDelayMs: o.reconnectDelayMs,
              maxReconnectDelayMs: o.maxReconnectDelayMs,
              onReconnect,
            });
        for await (const event of stream) {
          this.#set({
            status: 'online',
            lastEventAt: o.now().toISOString(),
            lastEventKind: event.kind,
            events: this.#health.events + 1,
          });
          try {
            await o.onEvent(this.camera, event);
          } catch (err) {
            o.logger.error('camera event not handled', { camera: this.camera.id, error: message(err) });
          }
        }
        if (!signal.aborted) {
          this.#ended = true;
          this.#failed('subscription ended');
        }
      } catch (err) {
        if (signal.aborted) break;
        this.#ended = true;
        // The stream gave up (authentication refused, no pull point, hostile input): try again later.
        this.#failed(`subscription ended: ${message(err)}`);
        o.logger.warn('camera subscription ended', { camera: this.camera.id, error: message(err) });
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, o.maxReconnectDelayMs);
        signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      });
    }
  }

  /** A JPEG of the camera's channel, fetched with its credentials (which never leave the server). */
  async snapshot(signal?: AbortSignal): Promise<Snapshot> {
    const s = AbortSignal.any([this.#abort.signal, AbortSignal.timeout(10_000), ...(signal ? [signal] : [])]);
    if (this.#isapi) return this.#isapi.getSnapshot(`${this.camera.channel}01`, { signal: s });
    if (this.#onvif) {
      if (this.#profile === undefined) {
        const described = await this.#onvif.describe({ signal: s });
        const channel = described.channels[this.camera.channel - 1] ?? described.channels[0];
        this.#profile = channel?.mainProfile;
        if (this.#profile === undefined) throw new Error('the camera describes no media profile');
      }
      return this.#onvif.getSnapshot(this.#profile, { signal: s });
    }
    throw new Error('the camera has no connection');
  }

  /** Ends the subscription and the probes. */
  async stop(): Promise<void> {
    this.#abort.abort();
    if (this.#timer !== undefined) clearInterval(this.#timer);
    await this.#loop.catch(() => undefined);
    await this.#onvif?.close().catch(() => undefined);
  }
}

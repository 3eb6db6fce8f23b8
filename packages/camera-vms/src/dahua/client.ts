import { CameraError, msg } from '../errors.js';
import { DigestHttp } from '../http-digest.js';
import type { CallOptions } from '../onvif/client.js';
import type { Snapshot, StreamUri } from '../types.js';
import { MultipartEventStream, type MultipartEventStreamOptions } from '../multipart-stream.js';
import { mapDahuaEvent, parseDahuaEvents } from './events.js';

export interface DahuaClientOptions {
  /** Device base URL, e.g. `http://10.0.0.66`. */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /** Default: the URL's host. */
  readonly cameraId?: string;
  readonly fetch?: typeof fetch;
  readonly randomBytes?: (size: number) => Uint8Array;
  /** Clock for events without a `UTC` field. Default `Date.now`. */
  readonly clock?: { now(): number };
  /** Per-request timeout. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** RTSP port for stream URIs. Default 554. */
  readonly rtspPort?: number;
}

/** Dahua PTZ directions and zoom (`ptz.cgi` codes). */
export type DahuaPtzCode =
  | 'Up'
  | 'Down'
  | 'Left'
  | 'Right'
  | 'LeftUp'
  | 'RightUp'
  | 'LeftDown'
  | 'RightDown'
  | 'ZoomTele'
  | 'ZoomWide';

const PTZ_CODES: ReadonlySet<string> = new Set([
  'Up',
  'Down',
  'Left',
  'Right',
  'LeftUp',
  'RightUp',
  'LeftDown',
  'RightDown',
  'ZoomTele',
  'ZoomWide',
]);

function checkChannel(channel: number): void {
  if (!Number.isInteger(channel) || channel < 1 || channel > 256) {
    throw new CameraError(
      'INVALID_ARGUMENT',
      msg('channel must be an integer 1..256', 'kênh phải là số nguyên 1..256'),
      {
        details: { field: 'channel', value: channel },
      },
    );
  }
}

export interface DahuaAttachOptions extends MultipartEventStreamOptions {
  /** Event codes to attach to. Default `['All']`. */
  readonly codes?: readonly string[];
  /** Heartbeat interval asked of the device, in seconds. Default 5. */
  readonly heartbeatSeconds?: number;
}

/** Dahua HTTP API (CGI) over digest: the `eventManager.cgi?action=attach` event stream. */
export class DahuaClient {
  readonly cameraId: string;
  private readonly http: DigestHttp;
  private readonly clock: { now(): number };

  private readonly timeoutMs: number;
  private readonly rtspPort: number;

  constructor(options: DahuaClientOptions) {
    this.http = new DigestHttp(options);
    this.cameraId = options.cameraId ?? this.http.base.host;
    this.clock = options.clock ?? { now: () => Date.now() };
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.rtspPort = options.rtspPort ?? 554;
  }

  private async fetchOk(path: string, options: CallOptions): Promise<{ res: Response; bytes: Uint8Array }> {
    const t = AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs);
    const res = await this.http.get(path, options.signal ? AbortSignal.any([options.signal, t]) : t);
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (res.status !== 200) {
      throw new CameraError(
        'HTTP_ERROR',
        msg(`${path.split('?')[0]}: HTTP ${res.status}`, `${path.split('?')[0]}: HTTP ${res.status}`),
        {
          details: { status: res.status },
          retryable: res.status >= 500,
        },
      );
    }
    return { res, bytes };
  }

  /** RTSP URI `/cam/realmonitor?channel=N&subtype=0|1`; no device call, no credentials. */
  getStreamUri(channel: number, role: 'main' | 'sub' = 'main'): StreamUri {
    checkChannel(channel);
    return {
      uri: `rtsp://${this.http.base.hostname}:${this.rtspPort}/cam/realmonitor?channel=${channel}&subtype=${role === 'main' ? 0 : 1}`,
      protocol: 'rtsp',
      profileToken: `${channel}:${role === 'main' ? 0 : 1}`,
      role,
    };
  }

  /** JPEG snapshot (`/cgi-bin/snapshot.cgi?channel=N`). */
  async getSnapshot(channel: number, options: CallOptions = {}): Promise<Snapshot> {
    checkChannel(channel);
    const { res, bytes } = await this.fetchOk(`/cgi-bin/snapshot.cgi?channel=${channel}`, options);
    return { contentType: res.headers.get('content-type') ?? 'image/jpeg', bytes };
  }

  /** Starts a PTZ movement (`ptz.cgi?action=start`), speed 1..8. The device answers `OK`. */
  async ptzStart(channel: number, code: DahuaPtzCode, speed = 4, options: CallOptions = {}): Promise<void> {
    await this.ptz('start', channel, code, speed, options);
  }

  /** Stops a PTZ movement (`ptz.cgi?action=stop`). */
  async ptzStop(channel: number, code: DahuaPtzCode, options: CallOptions = {}): Promise<void> {
    await this.ptz('stop', channel, code, 0, options);
  }

  private async ptz(
    action: 'start' | 'stop',
    channel: number,
    code: string,
    speed: number,
    options: CallOptions,
  ): Promise<void> {
    checkChannel(channel);
    if (!PTZ_CODES.has(code)) {
      throw new CameraError(
        'INVALID_ARGUMENT',
        msg(`unknown PTZ code ${code}`, `mã PTZ không hợp lệ ${code}`),
        { details: { field: 'code' } },
      );
    }
    if (action === 'start' && (!Number.isInteger(speed) || speed < 1 || speed > 8)) {
      throw new CameraError('INVALID_ARGUMENT', msg('speed must be 1..8', 'tốc độ phải trong khoảng 1..8'), {
        details: { field: 'speed' },
      });
    }
    const { bytes } = await this.fetchOk(
      `/cgi-bin/ptz.cgi?action=${action}&channel=${channel - 1}&code=${code}&arg1=0&arg2=${speed}&arg3=0`,
      options,
    );
    const text = Buffer.from(bytes).toString('utf8').trim();
    if (!/^OK$/i.test(text)) {
      throw new CameraError(
        'HTTP_ERROR',
        msg(`ptz.cgi answered "${text.slice(0, 80)}"`, `ptz.cgi trả lời "${text.slice(0, 80)}"`),
        {
          details: { body: text.slice(0, 200) },
        },
      );
    }
  }

  /**
   * `GET /cgi-bin/eventManager.cgi?action=attach&codes=[…]&heartbeat=N` as normalized events; heartbeats
   * keep the idle timer alive, codes outside the taxonomy go to `onUnmapped`.
   */
  attach(options: DahuaAttachOptions = {}): MultipartEventStream {
    const codes = (options.codes ?? ['All']).join(',');
    const heartbeat = options.heartbeatSeconds ?? 5;
    const path = `/cgi-bin/eventManager.cgi?action=attach&codes=[${encodeURIComponent(codes)}]&heartbeat=${heartbeat}`;
    return new MultipartEventStream(
      this.http,
      path,
      (part) => {
        const text = Buffer.from(part.body).toString('utf8');
        const receivedAt = new Date(this.clock.now()).toISOString();
        const events = [];
        const unmapped = [];
        for (const e of parseDahuaEvents(text)) {
          const event = mapDahuaEvent(e, this.cameraId, { receivedAt });
          if (event) events.push(event);
          else unmapped.push({ type: e.code, raw: e.raw });
        }
        return { events, unmapped };
      },
      { idleTimeoutMs: Math.max(15_000, heartbeat * 3000), ...options },
      'myboundary',
    );
  }
}

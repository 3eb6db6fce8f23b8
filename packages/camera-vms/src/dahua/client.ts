import { CameraError, msg } from '../errors.js';
import { DigestHttp } from '../http-digest.js';
import type { CallOptions } from '../onvif/client.js';
import type { Recording, Snapshot, StreamUri } from '../types.js';
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
  /** UTC offset of the device clock (Dahua times carry none). Default `+07:00` (Vietnam). */
  readonly utcOffset?: string;
}

/** A recorded file found by {@link DahuaClient.searchRecordings}. */
export interface DahuaRecording extends Recording {
  /** `rtsp://…/cam/playback?channel=N&starttime=…&endtime=…` (no credentials). */
  readonly replayUri: string;
  readonly channel: number;
  /** `dav` (video) or `jpg` (picture). */
  readonly type: string;
  /** Event codes recorded with the file (`VideoMotion`, `AlarmLocal`…). */
  readonly events: readonly string[];
  /** `Timing`, `Manual`, `Marker`, `Event`… */
  readonly flags: readonly string[];
  readonly sizeBytes?: number;
}

/** Search of {@link DahuaClient.searchRecordings}. */
export interface DahuaRecordingQuery {
  /** 1-based channel. */
  readonly channel: number;
  /** ISO 8601 with offset. */
  readonly from: string;
  readonly to: string;
  /** Default `['dav']`. */
  readonly types?: readonly ('dav' | 'jpg')[];
  /** Only files recorded with these event codes (e.g. `VideoMotion`). Default all. */
  readonly events?: readonly string[];
  /** Default 200. */
  readonly maxResults?: number;
}

/** `key=value` lines of a Dahua CGI answer (spaces around keys and values tolerated). */
function table(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    out.set(line.slice(0, eq).replace(/\s+/g, ''), line.slice(eq + 1).trim());
  }
  return out;
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
  private readonly offsetMinutes: number;
  private readonly utcOffset: string;

  constructor(options: DahuaClientOptions) {
    this.http = new DigestHttp(options);
    this.cameraId = options.cameraId ?? this.http.base.host;
    this.clock = options.clock ?? { now: () => Date.now() };
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.rtspPort = options.rtspPort ?? 554;
    this.utcOffset = options.utcOffset ?? '+07:00';
    const m = /^([+-])(\d{2}):(\d{2})$/.exec(this.utcOffset);
    if (!m || Number(m[2]) > 14 || Number(m[3]) > 59) {
      throw new CameraError(
        'INVALID_ARGUMENT',
        msg('utcOffset must look like +07:00', 'utcOffset phải có dạng +07:00'),
        {
          details: { field: 'utcOffset' },
        },
      );
    }
    this.offsetMinutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  }

  /** An instant as the device's wall-clock time, `YYYY-MM-DD HH:mm:ss`. */
  private wallTime(ms: number): string {
    return new Date(ms + this.offsetMinutes * 60_000).toISOString().slice(0, 19).replace('T', ' ');
  }

  /** A device wall-clock time (`2026-12-1 8:05:00` or padded) as ISO 8601 with the device offset. */
  private isoTime(wall: string): string | undefined {
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2}):(\d{2})$/.exec(wall.trim());
    if (!m) return undefined;
    const p = (v: string | undefined): string => (v ?? '').padStart(2, '0');
    return `${m[1]}-${p(m[2])}-${p(m[3])}T${p(m[4])}:${m[5]}:${m[6]}${this.utcOffset}`;
  }

  /**
   * Recording search (`mediaFileFind.cgi`: `factory.create`, `findFile`, `findNextFile` pages of up to
   * 100 until `found=0`, then `close` and `destroy`). Times are converted with `utcOffset`. A `findFile`
   * refused with HTTP 400 or `Error` means no file matched (as many firmwares answer) and gives `[]`.
   */
  async searchRecordings(query: DahuaRecordingQuery, options: CallOptions = {}): Promise<DahuaRecording[]> {
    checkChannel(query.channel);
    const from = Date.parse(query.from);
    const to = Date.parse(query.to);
    const types = query.types ?? ['dav'];
    const events = query.events ?? [];
    const max = query.maxResults ?? 200;
    if (
      !Number.isFinite(from) ||
      !Number.isFinite(to) ||
      from > to ||
      types.some((t) => t !== 'dav' && t !== 'jpg') ||
      events.some((e) => !/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(e)) ||
      !Number.isInteger(max) ||
      max < 1
    ) {
      throw new CameraError(
        'INVALID_ARGUMENT',
        msg(
          'from ≤ to (ISO 8601), types dav|jpg, event codes and maxResults ≥ 1 are required',
          'cần from ≤ to (ISO 8601), types dav|jpg, mã sự kiện và maxResults ≥ 1',
        ),
        { details: { field: 'query' } },
      );
    }
    const base = '/cgi-bin/mediaFileFind.cgi?action=';
    const created = table(await this.text(`${base}factory.create`, options));
    const object = created.get('result') ?? '';
    if (!/^\d{1,20}$/.test(object)) {
      throw new CameraError(
        'RESPONSE_INVALID',
        msg('factory.create: no object id', 'factory.create: thiếu mã đối tượng'),
        {
          details: { path: 'result' },
        },
      );
    }
    const out: DahuaRecording[] = [];
    try {
      let condition =
        `&condition.Channel=${query.channel}` +
        `&condition.StartTime=${encodeURIComponent(this.wallTime(from))}` +
        `&condition.EndTime=${encodeURIComponent(this.wallTime(to))}`;
      types.forEach((t, i) => (condition += `&condition.Types[${i}]=${t}`));
      events.forEach((e, i) => (condition += `&condition.Events[${i}]=${e}`));
      const found = await this.text(`${base}findFile&object=${object}${condition}`, options, true);
      if (found === undefined || !/^OK\b/i.test(found.trim())) return out;
      for (let page = 0; page < 1000 && out.length < max; page++) {
        const t = table(
          await this.text(
            `${base}findNextFile&object=${object}&count=${Math.min(100, max - out.length)}`,
            options,
          ),
        );
        const n = Number(t.get('found') ?? '0');
        if (!Number.isInteger(n) || n <= 0) break;
        for (let i = 0; i < n && out.length < max; i++) {
          const at = (k: string): string | undefined => t.get(`items[${i}].${k}`);
          const list = (k: string): string[] => {
            const v: string[] = [];
            for (let j = 0; at(`${k}[${j}]`) !== undefined; j++) v.push(at(`${k}[${j}]`) ?? '');
            return v;
          };
          const start = this.isoTime(at('StartTime') ?? '');
          const end = this.isoTime(at('EndTime') ?? '');
          const path = at('FilePath');
          if (start === undefined || end === undefined || path === undefined) continue;
          const channel = Number(at('Channel') ?? query.channel);
          const ch = Number.isInteger(channel) && channel >= 1 ? channel : query.channel;
          const type = at('Type') ?? 'dav';
          const size = Number(at('Length'));
          const stamp = (iso: string): string => iso.slice(0, 19).replace(/[-T:]/g, '_');
          out.push({
            token: path,
            source: String(ch),
            name: path,
            earliest: start,
            latest: end,
            content: type === 'jpg' ? 'image' : 'video',
            replayUri: `rtsp://${this.http.base.hostname}:${this.rtspPort}/cam/playback?channel=${ch}&starttime=${stamp(start)}&endtime=${stamp(end)}`,
            channel: ch,
            type,
            events: list('Events'),
            flags: list('Flags'),
            ...(Number.isFinite(size) && size >= 0 && at('Length') !== undefined ? { sizeBytes: size } : {}),
          });
        }
      }
      return out;
    } finally {
      for (const action of ['close', 'destroy']) {
        await this.text(`${base}${action}&object=${object}`, { ...options, timeoutMs: 2000 }, true).catch(
          () => undefined,
        );
      }
    }
  }

  /** GET returning the body text; with `lenient`, HTTP 400 gives `undefined` instead of an error. */
  private async text(path: string, options: CallOptions, lenient: true): Promise<string | undefined>;
  private async text(path: string, options: CallOptions): Promise<string>;
  private async text(path: string, options: CallOptions, lenient = false): Promise<string | undefined> {
    const t = AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs);
    const res = await this.http.get(path, options.signal ? AbortSignal.any([options.signal, t]) : t);
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = (res.body as ReadableStream<Uint8Array> | null)?.getReader();
    for (;;) {
      if (!reader) break;
      const next = await reader.read();
      if (next.done) break;
      total += next.value.byteLength;
      if (total > 4 * 1024 * 1024) {
        await reader.cancel();
        throw new CameraError('RESPONSE_INVALID', msg('answer larger than 4 MiB', 'trả lời lớn hơn 4 MiB'), {
          details: { path: path.split('?')[0] },
        });
      }
      chunks.push(next.value);
    }
    const bytes = Buffer.concat(chunks);
    if (lenient && res.status === 400) return undefined;
    if (res.status !== 200) {
      const where = path.split('&')[0] ?? path;
      throw new CameraError(
        'HTTP_ERROR',
        msg(`${where}: HTTP ${res.status}`, `${where}: HTTP ${res.status}`),
        {
          details: { status: res.status },
          retryable: res.status >= 500,
        },
      );
    }
    return bytes.toString('utf8');
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

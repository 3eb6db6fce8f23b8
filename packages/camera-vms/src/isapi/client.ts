import { CameraError, msg } from '../errors.js';
import { DigestHttp } from '../http-digest.js';
import { MultipartEventStream, type MultipartEventStreamOptions } from '../multipart-stream.js';
import type { CallOptions } from '../onvif/client.js';
import type { DeviceInformation, MediaProfile, PtzVector, Recording, Snapshot, StreamUri } from '../types.js';
import { randomUUID } from 'node:crypto';
import { childrenNamed, find, parseXml, requireText, textAt, xmlText, type XmlElement } from '../xml.js';
import { mapIsapiAlert, parseIsapiAlert } from './alerts.js';

export interface IsapiClientOptions {
  /** Device base URL, e.g. `http://10.0.0.65`. */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /** Default: the URL's host. */
  readonly cameraId?: string;
  /** Per-request timeout. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** RTSP port for stream URIs. Default 554. */
  readonly rtspPort?: number;
  readonly fetch?: typeof fetch;
  readonly randomBytes?: (size: number) => Uint8Array;
}

function checkChannel(channel: number): void {
  if (!Number.isInteger(channel) || channel < 1 || channel > 999) {
    throw new CameraError(
      'INVALID_ARGUMENT',
      msg('channel must be an integer 1..999', 'kênh phải là số nguyên 1..999'),
      {
        details: { field: 'channel', value: channel },
      },
    );
  }
}

function unit(name: string, v: number | undefined): number {
  const x = v ?? 0;
  if (!Number.isFinite(x) || x < -1 || x > 1) {
    throw new CameraError(
      'INVALID_ARGUMENT',
      msg(`${name} must be within -1..1`, `${name} phải trong khoảng -1..1`),
      {
        details: { field: name, value: x },
      },
    );
  }
  return Math.round(x * 100);
}

export type IsapiAlertStreamOptions = MultipartEventStreamOptions;
/** The alert stream: an `AsyncIterable<CameraEvent>` with `close()` and a `connections` counter. */
export type IsapiAlertStream = MultipartEventStream;

/**
 * Hikvision ISAPI over HTTP digest: device information and the `alertStream` event stream
 * (multipart `EventNotificationAlert`, including ANPR, AID and TFS traffic events).
 */
export class IsapiClient {
  readonly cameraId: string;
  private readonly http: DigestHttp;
  private readonly timeoutMs: number;

  private readonly rtspPort: number;

  constructor(options: IsapiClientOptions) {
    this.http = new DigestHttp(options);
    this.cameraId = options.cameraId ?? this.http.base.host;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.rtspPort = options.rtspPort ?? 554;
  }

  private signal(options: CallOptions): AbortSignal {
    const t = AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs);
    return options.signal ? AbortSignal.any([options.signal, t]) : t;
  }

  private async xml(
    method: 'GET' | 'PUT',
    path: string,
    options: CallOptions,
    body?: string,
  ): Promise<XmlElement> {
    const res = await this.http.request(
      method,
      path,
      this.signal(options),
      body === undefined ? undefined : { text: body, contentType: 'application/xml; charset="UTF-8"' },
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (res.status !== 200) {
      throw new CameraError('HTTP_ERROR', msg(`${path}: HTTP ${res.status}`, `${path}: HTTP ${res.status}`), {
        details: { status: res.status, path },
        retryable: res.status >= 500,
      });
    }
    return parseXml(xmlText(bytes), { maxBytes: 1024 * 1024 });
  }

  /** Streaming channels (`GET /ISAPI/Streaming/channels`) as media profiles: token `101` = channel 1 main. */
  async getChannels(options: CallOptions = {}): Promise<MediaProfile[]> {
    const list = await this.xml('GET', '/ISAPI/Streaming/channels', options);
    return childrenNamed(list, 'StreamingChannel').map((c) => {
      const id = requireText(c, 'id');
      const video = c.children.find((x) => x.name === 'Video');
      const codec = textAt(video, 'videoCodecType');
      const width = Number(textAt(video, 'videoResolutionWidth'));
      const height = Number(textAt(video, 'videoResolutionHeight'));
      const fps = Number(textAt(video, 'maxFrameRate'));
      return {
        token: id,
        name: textAt(c, 'channelName') ?? id,
        videoSourceToken: String(Math.floor(Number(id) / 100)),
        ...(codec === undefined ? {} : { encoding: codec.replace(/[.\s-]/g, '').toUpperCase() }),
        ...(Number.isFinite(width) ? { width } : {}),
        ...(Number.isFinite(height) ? { height } : {}),
        ...(Number.isFinite(fps) ? { frameRate: fps / 100 } : {}),
      };
    });
  }

  /** RTSP URI of a channel's main (`…01`) or sub (`…02`) stream; no device call, no credentials. */
  getStreamUri(channel: number, role: 'main' | 'sub' = 'main'): StreamUri {
    checkChannel(channel);
    const token = String(channel * 100 + (role === 'main' ? 1 : 2));
    return {
      uri: `rtsp://${this.http.base.hostname}:${this.rtspPort}/Streaming/Channels/${token}`,
      protocol: 'rtsp',
      profileToken: token,
      role,
    };
  }

  /** JPEG snapshot of a streaming channel (`GET /ISAPI/Streaming/channels/{id}/picture`). */
  async getSnapshot(streamId: string, options: CallOptions = {}): Promise<Snapshot> {
    if (!/^\d{1,6}$/.test(streamId)) {
      throw new CameraError(
        'INVALID_ARGUMENT',
        msg('streamId must be digits, e.g. 101', 'streamId phải là chữ số, ví dụ 101'),
      );
    }
    const res = await this.http.get(`/ISAPI/Streaming/channels/${streamId}/picture`, this.signal(options));
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (res.status !== 200) {
      throw new CameraError(
        'HTTP_ERROR',
        msg(`snapshot: HTTP ${res.status}`, `ảnh chụp: HTTP ${res.status}`),
        {
          details: { status: res.status },
          retryable: res.status >= 500,
        },
      );
    }
    return { contentType: res.headers.get('content-type') ?? 'image/jpeg', bytes };
  }

  /** Continuous PTZ move (pan/tilt/zoom −1..1, sent as −100..100); all zeros stops. */
  async continuousMove(channel: number, velocity: PtzVector, options: CallOptions = {}): Promise<void> {
    checkChannel(channel);
    const body = `<?xml version="1.0" encoding="UTF-8"?><PTZData><pan>${unit('pan', velocity.pan)}</pan><tilt>${unit('tilt', velocity.tilt)}</tilt><zoom>${unit('zoom', velocity.zoom)}</zoom></PTZData>`;
    await this.xml('PUT', `/ISAPI/PTZCtrl/channels/${channel}/continuous`, options, body);
  }

  /**
   * Recording search (`POST /ISAPI/ContentMgmt/search`, paged while the device answers `MORE`): the
   * segments of a track (e.g. `101`) between two instants, each with its `playbackURI`.
   */
  async searchRecordings(
    query: {
      readonly trackId: string;
      readonly from: string;
      readonly to: string;
      readonly maxResults?: number;
    },
    options: CallOptions = {},
  ): Promise<(Recording & { readonly replayUri: string })[]> {
    const from = Date.parse(query.from);
    const to = Date.parse(query.to);
    if (!/^\d{1,6}$/.test(query.trackId) || !Number.isFinite(from) || !Number.isFinite(to) || from > to) {
      throw new CameraError(
        'INVALID_ARGUMENT',
        msg(
          'trackId must be digits and from ≤ to (ISO 8601)',
          'trackId phải là chữ số và from ≤ to (ISO 8601)',
        ),
        {
          details: { field: 'query' },
        },
      );
    }
    const max = query.maxResults ?? 200;
    const searchId = randomUUID();
    const out: (Recording & { readonly replayUri: string })[] = [];
    for (let position = 0; out.length < max;) {
      const body =
        `<?xml version="1.0" encoding="UTF-8"?><CMSearchDescription><searchID>${searchId}</searchID>` +
        `<trackIDList><trackID>${query.trackId}</trackID></trackIDList><timeSpanList><timeSpan>` +
        `<startTime>${new Date(from).toISOString().replace(/\.\d{3}Z$/, 'Z')}</startTime><endTime>${new Date(to).toISOString().replace(/\.\d{3}Z$/, 'Z')}</endTime>` +
        `</timeSpan></timeSpanList><maxResults>${Math.min(50, max - out.length)}</maxResults><searchResultPostion>${position}</searchResultPostion>` +
        `<metadataList><metadataDescriptor>//recordType.meta.std-cgi.com</metadataDescriptor></metadataList></CMSearchDescription>`;
      const res = await this.http.request('POST', '/ISAPI/ContentMgmt/search', this.signal(options), {
        text: body,
        contentType: 'application/xml; charset="UTF-8"',
      });
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (res.status !== 200) {
        throw new CameraError(
          'HTTP_ERROR',
          msg(`search: HTTP ${res.status}`, `tìm kiếm: HTTP ${res.status}`),
          {
            details: { status: res.status },
            retryable: res.status >= 500,
          },
        );
      }
      const result = parseXml(xmlText(bytes), { maxBytes: 4 * 1024 * 1024 });
      const items = childrenNamed(find(result, 'matchList'), 'searchMatchItem');
      for (const item of items) {
        const start = textAt(item, 'timeSpan', 'startTime');
        const end = textAt(item, 'timeSpan', 'endTime');
        const uri = textAt(item, 'mediaSegmentDescriptor', 'playbackURI');
        if (start === undefined || uri === undefined) continue;
        out.push({
          token: `${query.trackId}@${start}`,
          source: textAt(item, 'trackID') ?? query.trackId,
          earliest: start,
          ...(end === undefined ? {} : { latest: end }),
          content: textAt(item, 'mediaSegmentDescriptor', 'contentType') ?? 'video',
          replayUri: uri.replace(/\/\/[^/@]*@/, '//'),
        });
      }
      const status = (textAt(result, 'responseStatusStrg') ?? '').toUpperCase();
      if (status !== 'MORE' || items.length === 0) break;
      position += items.length;
    }
    return out.slice(0, max);
  }

  /** Stops PTZ movement. */
  async stop(channel: number, options: CallOptions = {}): Promise<void> {
    await this.continuousMove(channel, { pan: 0, tilt: 0, zoom: 0 }, options);
  }

  /** `GET /ISAPI/System/deviceInfo`. */
  async getDeviceInformation(options: CallOptions = {}): Promise<DeviceInformation> {
    const t = AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, t]) : t;
    const res = await this.http.get('/ISAPI/System/deviceInfo', signal);
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (res.status !== 200) {
      throw new CameraError(
        'HTTP_ERROR',
        msg(`deviceInfo: HTTP ${res.status}`, `deviceInfo: HTTP ${res.status}`),
        {
          details: { status: res.status },
          retryable: res.status >= 500,
        },
      );
    }
    const el = parseXml(xmlText(bytes), { maxBytes: 256 * 1024 });
    return {
      manufacturer: textAt(el, 'manufacturer') ?? 'Hikvision',
      model: requireText(el, 'model'),
      firmwareVersion: textAt(el, 'firmwareVersion') ?? '',
      serialNumber: textAt(el, 'serialNumber') ?? '',
      hardwareId: textAt(el, 'macAddress') ?? '',
    };
  }

  /**
   * `GET /ISAPI/Event/notification/alertStream` as normalized events. Heartbeats and pictures are
   * skipped; alerts outside the taxonomy go to `onUnmapped`.
   */
  alertStream(options: IsapiAlertStreamOptions = {}): IsapiAlertStream {
    return new MultipartEventStream(
      this.http,
      '/ISAPI/Event/notification/alertStream',
      (part) => {
        const type = part.headers['content-type'] ?? '';
        if (!/xml/i.test(type) && part.body[0] !== 0x3c) return { events: [], unmapped: [] }; // pictures
        const alert = parseIsapiAlert(part.body, options.limits?.xml);
        const event = mapIsapiAlert(alert, this.cameraId);
        if (event) return { events: [event], unmapped: [] };
        const heartbeat = alert.eventType.toLowerCase() === 'videoloss' && alert.eventState === 'inactive';
        return { events: [], unmapped: heartbeat ? [] : [{ type: alert.eventType, raw: alert.raw }] };
      },
      options,
      'boundary',
    );
  }
}

import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { CameraError, isCameraError, msg } from '../errors.js';
import type { CameraEvent } from '../events.js';
import type {
  Camera,
  CameraCapabilities,
  CameraChannel,
  CameraLocation,
  DeviceInformation,
  MediaProfile,
  PtzPreset,
  PtzVector,
  Recording,
  RecordingQuery,
  ReplayUri,
  Snapshot,
  SnapshotUri,
  StreamProtocol,
  StreamUri,
} from '../types.js';
import {
  child,
  childrenNamed,
  descend,
  find,
  requireText,
  textAt,
  xmlText,
  escapeXml,
  type XmlElement,
  type XmlLimits,
} from '../xml.js';
import {
  digestAuthorization,
  parseChallenges,
  pickDigest,
  usernameToken,
  type DigestSession,
} from './auth.js';
import { OnvifEventStream, type OnvifEventOptions } from './event-stream.js';
import { decodeNotification, mapOnvifNotification, type OnvifNotification } from './notifications.js';
import { envelope, isAuthFault, NS, parseEnvelope, readFault, toDuration } from './soap.js';

/** A clock; `now()` in milliseconds since the epoch. */
export interface Clock {
  now(): number;
}

/** Optional logger; only `debug` and `warn` are used. */
export interface CameraLogger {
  debug?(message: string, context?: Record<string, unknown>): void;
  warn?(message: string, context?: Record<string, unknown>): void;
}

/** How the client authenticates. `auto` sends a WS-UsernameToken and answers HTTP digest challenges. */
export type OnvifAuthMode = 'auto' | 'digest' | 'ws-username-token' | 'none';

export interface OnvifClientOptions {
  /** Device service URL, e.g. `http://10.0.0.64/onvif/device_service`. */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** Id used in `Camera.id` and `CameraEvent.source.cameraId`. Default: the URL's host. */
  readonly cameraId?: string;
  readonly location?: CameraLocation;
  /** Default `auto`. */
  readonly auth?: OnvifAuthMode;
  /** Per-request timeout in ms. Default 10 000. */
  readonly timeoutMs?: number;
  /** Limits for every XML payload from the device. Default 4 MiB, depth 48. */
  readonly xmlLimits?: XmlLimits;
  /** Replace the host of advertised service addresses by the one in `url` (NAT, port forwarding). Default true. */
  readonly rewriteServiceAddresses?: boolean;
  /** Prefer Media2 when the device offers it. Default true. */
  readonly preferMedia2?: boolean;
  readonly fetch?: typeof fetch;
  readonly clock?: Clock;
  /** Cryptographic random bytes (nonces). Default `node:crypto.randomBytes`. */
  readonly randomBytes?: (size: number) => Uint8Array;
  readonly logger?: CameraLogger;
}

/** Options accepted by every operation. */
export interface CallOptions {
  readonly signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call. */
  readonly timeoutMs?: number;
}

/** A raw SOAP exchange, for advanced use: the response Body and its source text. */
export interface SoapResponse {
  readonly body: XmlElement;
  readonly text: string;
}

const UNAUTHENTICATED = new Set(['GetSystemDateAndTime']);

function combineSignals(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const t = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, t]) : t;
}

/** Reads a response body, refusing more than `max` bytes. */
async function readLimited(res: Response, max: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel();
    throw new CameraError(
      'XML_LIMIT_EXCEEDED',
      msg(`response of ${declared} bytes exceeds ${max}`, `phản hồi ${declared} byte vượt quá ${max}`),
      { details: { offset: max } },
    );
  }
  if (!res.body) return new Uint8Array();
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw new CameraError(
        'XML_LIMIT_EXCEEDED',
        msg(`response exceeds ${max} bytes`, `phản hồi vượt quá ${max} byte`),
        { details: { offset: max } },
      );
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function parseBool(v: string | undefined): boolean {
  return v !== undefined && /^(true|1)$/i.test(v.trim());
}

function checkUnit(name: string, v: number | undefined, min: number, max: number): void {
  if (v === undefined) return;
  if (!Number.isFinite(v) || v < min || v > max) {
    throw new CameraError(
      'INVALID_ARGUMENT',
      msg(
        `${name} must be within ${min}..${max}, got ${v}`,
        `${name} phải trong khoảng ${min}..${max}, nhận ${v}`,
      ),
      { details: { field: name, value: v } },
    );
  }
}

function vectorXml(tag: string, v: PtzVector, space = ''): string {
  const pt =
    v.pan !== undefined || v.tilt !== undefined
      ? `<tt:PanTilt x="${v.pan ?? 0}" y="${v.tilt ?? 0}"${space}/>`
      : '';
  const z = v.zoom !== undefined ? `<tt:Zoom x="${v.zoom}"${space}/>` : '';
  return `<tptz:${tag}>${pt}${z}</tptz:${tag}>`;
}

function readVector(el: XmlElement | undefined): PtzVector | undefined {
  if (!el) return undefined;
  const pt = child(el, 'PanTilt');
  const z = child(el, 'Zoom');
  const out: { pan?: number; tilt?: number; zoom?: number } = {};
  if (pt?.attrs.x !== undefined) out.pan = Number(pt.attrs.x);
  if (pt?.attrs.y !== undefined) out.tilt = Number(pt.attrs.y);
  if (z?.attrs.x !== undefined) out.zoom = Number(z.attrs.x);
  return out;
}

const MEDIA2_PROTOCOL: Record<StreamProtocol, string> = {
  rtsp: 'RtspUnicast',
  rtsps: 'RtspsUnicast',
  'rtsp-over-http': 'RtspOverHttp',
  http: 'RtspOverHttp',
  'rtsp-multicast': 'RtspMulticast',
};

/**
 * An ONVIF device: Device, Media/Media2, PTZ and Events services over SOAP 1.2, with HTTP digest
 * (MD5, SHA-256) and WS-UsernameToken, a per-device clock offset, and pull-point event streams.
 */
export class OnvifClient {
  readonly cameraId: string;
  private readonly url: URL;
  private readonly username: string | undefined;
  private readonly password: string;
  private readonly authMode: OnvifAuthMode;
  private readonly timeoutMs: number;
  private readonly xmlLimits: XmlLimits;
  private readonly maxBytes: number;
  private readonly rewrite: boolean;
  private readonly preferMedia2: boolean;
  private readonly fetchFn: typeof fetch;
  private readonly clock: Clock;
  private readonly random: (size: number) => Uint8Array;
  private readonly logger: CameraLogger | undefined;
  private readonly location: CameraLocation | undefined;
  private digest: DigestSession | undefined;
  private clockOffset: number | undefined;
  private capabilities: CameraCapabilities | undefined;
  private readonly streams = new Set<OnvifEventStream>();
  private closed = false;

  constructor(options: OnvifClientOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch (cause) {
      throw new CameraError('INVALID_ARGUMENT', msg('url is not a valid URL', 'url không hợp lệ'), { cause });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new CameraError('INVALID_ARGUMENT', msg('url must be http(s)', 'url phải là http(s)'));
    }
    this.url = url;
    this.username = options.username ?? (url.username === '' ? undefined : decodeURIComponent(url.username));
    this.password = options.password ?? decodeURIComponent(url.password);
    this.url.username = '';
    this.url.password = '';
    this.cameraId = options.cameraId ?? url.host;
    this.authMode = this.username === undefined ? 'none' : (options.auth ?? 'auto');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.xmlLimits = options.xmlLimits ?? {};
    this.maxBytes = options.xmlLimits?.maxBytes ?? 4 * 1024 * 1024;
    this.rewrite = options.rewriteServiceAddresses ?? true;
    this.preferMedia2 = options.preferMedia2 ?? true;
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.clock = options.clock ?? { now: () => Date.now() };
    this.random = options.randomBytes ?? ((n: number) => new Uint8Array(nodeRandomBytes(n)));
    this.logger = options.logger;
    this.location = options.location;
  }

  /** Device clock minus local clock, in ms, once measured. */
  get clockOffsetMs(): number | undefined {
    return this.clockOffset;
  }

  // ------------------------------------------------------------------ transport

  private assertOpen(): void {
    if (this.closed) throw new CameraError('CLOSED', msg('the client is closed', 'client đã đóng'));
  }

  private async http(
    method: 'GET' | 'POST',
    url: string,
    body: string | undefined,
    contentType: string | undefined,
    options: CallOptions,
  ): Promise<{ res: Response; bytes: Uint8Array }> {
    this.assertOpen();
    const target = new URL(url);
    const uri = target.pathname + target.search;
    let challengedOnce = false;
    for (;;) {
      const headers: Record<string, string> = {};
      if (contentType) headers['content-type'] = contentType;
      const useDigest = this.authMode === 'auto' || this.authMode === 'digest';
      if (useDigest && this.digest && this.username !== undefined) {
        const cnonce = Buffer.from(this.random(8)).toString('hex');
        headers.authorization = digestAuthorization(
          this.digest,
          method,
          uri,
          this.username,
          this.password,
          cnonce,
        );
      }
      const signal = combineSignals(options.signal, options.timeoutMs ?? this.timeoutMs);
      let res: Response;
      try {
        res = await this.fetchFn(target, {
          method,
          headers,
          ...(body === undefined ? {} : { body }),
          signal,
        });
      } catch (cause) {
        throw this.transportError(cause, options.signal, url);
      }
      let bytes: Uint8Array;
      try {
        bytes = await readLimited(res, this.maxBytes);
      } catch (cause) {
        if (isCameraError(cause)) throw cause;
        throw this.transportError(cause, options.signal, url);
      }
      if (res.status === 401 && useDigest && this.username !== undefined) {
        const header = res.headers.get('www-authenticate') ?? '';
        const challenge = pickDigest(parseChallenges(header));
        const stale = challenge?.params.stale?.toLowerCase() === 'true';
        if (challenge && (!challengedOnce || stale)) {
          challengedOnce = true;
          this.digest = { challenge, nc: 0 };
          continue;
        }
      }
      return { res, bytes };
    }
  }

  private transportError(cause: unknown, signal: AbortSignal | undefined, url: string): CameraError {
    const where = new URL(url).origin;
    if (signal?.aborted) {
      return new CameraError('ABORTED', msg('the operation was aborted', 'thao tác đã bị hủy'), { cause });
    }
    const name = (cause as { name?: unknown } | null)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new CameraError(
        'TIMEOUT',
        msg(`${where} did not answer in time`, `${where} không trả lời kịp`),
        {
          cause,
          retryable: true,
          details: { url: where },
        },
      );
    }
    return new CameraError('NETWORK', msg(`cannot reach ${where}`, `không kết nối được ${where}`), {
      cause,
      retryable: true,
      details: { url: where },
    });
  }

  /**
   * Sends one SOAP request and returns the response Body. Authenticates as configured, re-measures the
   * device clock and retries once when a WS-UsernameToken is rejected.
   */
  async call(
    url: string,
    action: string,
    bodyXml: string,
    options: CallOptions & { readonly wsaTo?: boolean; readonly referenceParameters?: string } = {},
  ): Promise<SoapResponse> {
    const operation = action.slice(action.lastIndexOf('/') + 1).replace(/Request$/, '');
    const needsAuth = !UNAUTHENTICATED.has(operation) && this.username !== undefined;
    const useToken = needsAuth && (this.authMode === 'auto' || this.authMode === 'ws-username-token');
    for (let attempt = 0; ; attempt++) {
      if (useToken && this.clockOffset === undefined) await this.syncClock(options);
      let header = '';
      if (options.wsaTo) {
        header += `<wsa:Action>${escapeXml(action)}</wsa:Action><wsa:To>${escapeXml(url)}</wsa:To>`;
        header += options.referenceParameters ?? '';
      }
      if (useToken) {
        const created = new Date(this.clock.now() + (this.clockOffset ?? 0));
        header += usernameToken(this.username ?? '', this.password, this.random(16), created);
      }
      const { res, bytes } = await this.http(
        'POST',
        url,
        envelope(bodyXml, header),
        `application/soap+xml; charset=utf-8; action="${action}"`,
        options,
      );
      const ct = res.headers.get('content-type') ?? '';
      const looksXml = bytes.length > 0 && (/xml/i.test(ct) || bytes[0] === 0x3c || bytes[0] === 0xef);
      if (!looksXml) {
        if (res.status === 401 || res.status === 403) throw this.authError(res.status, operation);
        throw new CameraError(
          'HTTP_ERROR',
          msg(`${operation}: HTTP ${res.status}`, `${operation}: HTTP ${res.status}`),
          { retryable: res.status >= 500, details: { status: res.status, operation } },
        );
      }
      const text = xmlText(bytes);
      const body = parseEnvelope(text, this.xmlLimits);
      const fault = readFault(body);
      if (fault) {
        if (isAuthFault(fault) || res.status === 401) {
          if (attempt === 0 && useToken) {
            this.logger?.debug?.('auth fault, re-measuring the device clock', { operation });
            await this.syncClock(options);
            continue;
          }
          throw this.authError(res.status, operation);
        }
        throw new CameraError(
          'SOAP_FAULT',
          msg(
            `${operation}: ${fault.subcode || fault.code} ${fault.reason}`.trim(),
            `${operation}: thiết bị trả lỗi ${fault.subcode || fault.code} ${fault.reason}`.trim(),
          ),
          {
            details: {
              operation,
              code: fault.code,
              subcode: fault.subcode,
              reason: fault.reason,
              status: res.status,
            },
          },
        );
      }
      if (res.status === 401 || res.status === 403) throw this.authError(res.status, operation);
      if (res.status >= 300) {
        throw new CameraError(
          'HTTP_ERROR',
          msg(`${operation}: HTTP ${res.status}`, `${operation}: HTTP ${res.status}`),
          {
            retryable: res.status >= 500,
            details: { status: res.status, operation },
          },
        );
      }
      return { body, text };
    }
  }

  private authError(status: number, operation: string): CameraError {
    return new CameraError(
      'AUTH_FAILED',
      msg(
        `${operation}: the device rejected the credentials; check the user name, password and role`,
        `${operation}: thiết bị từ chối thông tin đăng nhập; kiểm tra tên, mật khẩu và quyền`,
      ),
      { details: { status, operation } },
    );
  }

  // ------------------------------------------------------------------ device

  /** Reads the device clock (unauthenticated) and stores the offset used for WS-UsernameToken. */
  async syncClock(options: CallOptions = {}): Promise<{ readonly utc: string; readonly offsetMs: number }> {
    const t0 = this.clock.now();
    const { body } = await this.call(
      this.url.href,
      `${NS.tds}/GetSystemDateAndTime`,
      '<tds:GetSystemDateAndTime/>',
      options,
    );
    const t1 = this.clock.now();
    const utc = find(body, 'UTCDateTime');
    const date = child(utc, 'Date');
    const time = child(utc, 'Time');
    const part = (el: XmlElement | undefined, name: string): number => Number(textAt(el, name) ?? Number.NaN);
    const ms = Date.UTC(
      part(date, 'Year'),
      part(date, 'Month') - 1,
      part(date, 'Day'),
      part(time, 'Hour'),
      part(time, 'Minute'),
      part(time, 'Second'),
    );
    if (!Number.isFinite(ms)) {
      // Some devices only give LocalDateTime; without a UTC time, assume the clocks agree.
      this.clockOffset = 0;
      return { utc: new Date(t1).toISOString(), offsetMs: 0 };
    }
    this.clockOffset = ms - Math.round((t0 + t1) / 2);
    return { utc: new Date(ms).toISOString(), offsetMs: this.clockOffset };
  }

  async getDeviceInformation(options: CallOptions = {}): Promise<DeviceInformation> {
    const { body } = await this.call(
      this.url.href,
      `${NS.tds}/GetDeviceInformation`,
      '<tds:GetDeviceInformation/>',
      options,
    );
    const r = child(body, 'GetDeviceInformationResponse');
    if (!r) throw missing(body, 'GetDeviceInformationResponse');
    return {
      manufacturer: requireText(r, 'Manufacturer'),
      model: requireText(r, 'Model'),
      firmwareVersion: textAt(r, 'FirmwareVersion') ?? '',
      serialNumber: textAt(r, 'SerialNumber') ?? '',
      hardwareId: textAt(r, 'HardwareId') ?? '',
    };
  }

  private fixAddress(xaddr: string): string {
    if (!this.rewrite) return xaddr;
    try {
      const u = new URL(xaddr);
      u.protocol = this.url.protocol;
      u.host = this.url.host;
      return u.href;
    } catch {
      return xaddr;
    }
  }

  /** Service discovery: GetServices, or the legacy GetCapabilities on devices that fault on it. Cached. */
  async getCapabilities(options: CallOptions = {}): Promise<CameraCapabilities> {
    if (this.capabilities) return this.capabilities;
    const services: Record<string, string> = {};
    let pullPoint = false;
    try {
      const { body } = await this.call(
        this.url.href,
        `${NS.tds}/GetServices`,
        '<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability></tds:GetServices>',
        options,
      );
      const r = child(body, 'GetServicesResponse');
      for (const s of childrenNamed(r, 'Service')) {
        const ns = textAt(s, 'Namespace');
        const xaddr = textAt(s, 'XAddr');
        if (ns !== undefined && xaddr !== undefined) services[ns] = this.fixAddress(xaddr);
        if (ns === NS.tev) {
          const wrapper = find(s, 'Capabilities');
          const caps = find(wrapper, 'Capabilities') ?? wrapper;
          pullPoint = parseBool(caps?.attrs.WSPullPointSupport) || caps === undefined;
        }
      }
    } catch (err) {
      if (!isCameraError(err) || err.code !== 'SOAP_FAULT') throw err;
      const { body } = await this.call(
        this.url.href,
        `${NS.tds}/GetCapabilities`,
        '<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>',
        options,
      );
      const caps = find(body, 'Capabilities');
      const map: Record<string, string> = {
        Device: NS.tds,
        Media: NS.trt,
        PTZ: NS.tptz,
        Events: NS.tev,
        Analytics: NS.tan,
      };
      for (const c of caps?.children ?? []) {
        const ns = map[c.name];
        const xaddr = textAt(c, 'XAddr');
        if (ns !== undefined && xaddr !== undefined) services[ns] = this.fixAddress(xaddr);
        if (c.name === 'Events') pullPoint = true;
      }
      const ext = child(caps, 'Extension');
      for (const [name, ns] of [
        ['Recording', NS.trc],
        ['Search', NS.tse],
        ['Replay', NS.trp],
      ] as const) {
        const x = textAt(child(ext, name), 'XAddr');
        if (x !== undefined) services[ns] = this.fixAddress(x);
      }
    }
    const has = (ns: string): boolean => services[ns] !== undefined;
    this.capabilities = {
      services,
      media: has(NS.trt),
      media2: has(NS.tr2),
      ptz: has(NS.tptz),
      events: has(NS.tev),
      pullPoint: has(NS.tev) && pullPoint,
      analytics: has(NS.tan),
      recording: has(NS.trc),
      search: has(NS.tse),
      replay: has(NS.trp),
    };
    return this.capabilities;
  }

  private async service(ns: string, name: string, options: CallOptions): Promise<string> {
    const caps = await this.getCapabilities(options);
    const url = caps.services[ns];
    if (url === undefined) {
      throw new CameraError(
        'NOT_SUPPORTED',
        msg(`the device does not advertise the ${name} service`, `thiết bị không công bố dịch vụ ${name}`),
        { details: { service: ns } },
      );
    }
    return url;
  }

  private async media(options: CallOptions): Promise<{ url: string; v2: boolean }> {
    const caps = await this.getCapabilities(options);
    if (caps.media2 && (this.preferMedia2 || !caps.media))
      return { url: caps.services[NS.tr2] as string, v2: true };
    return { url: await this.service(NS.trt, 'Media', options), v2: false };
  }

  // ------------------------------------------------------------------ media

  /** Media profiles (Media2 when offered, else Media). */
  async getProfiles(options: CallOptions = {}): Promise<MediaProfile[]> {
    const { url, v2 } = await this.media(options);
    const ns = v2 ? NS.tr2 : NS.trt;
    const body = v2 ? '<tr2:GetProfiles><tr2:Type>All</tr2:Type></tr2:GetProfiles>' : '<trt:GetProfiles/>';
    const res = await this.call(url, `${ns}/GetProfiles`, body, options);
    const r = child(res.body, 'GetProfilesResponse');
    if (!r) throw missing(res.body, 'GetProfilesResponse');
    return childrenNamed(r, 'Profiles').map((p) => {
      const cfg = v2 ? child(p, 'Configurations') : p;
      const vs = child(cfg, 'VideoSource') ?? child(cfg, 'VideoSourceConfiguration');
      const ve = child(cfg, 'VideoEncoder') ?? child(cfg, 'VideoEncoderConfiguration');
      const ptz = child(cfg, 'PTZ') ?? child(cfg, 'PTZConfiguration');
      const res2 = child(ve, 'Resolution');
      const width = Number(textAt(res2, 'Width'));
      const height = Number(textAt(res2, 'Height'));
      const fps = Number(textAt(ve, 'RateControl', 'FrameRateLimit'));
      const token = p.attrs.token;
      if (token === undefined) throw missing(p, '@token');
      const sourceToken = textAt(vs, 'SourceToken');
      const encoding = ve?.attrs.Encoding ?? textAt(ve, 'Encoding');
      const profile: MediaProfile = {
        token,
        name: textAt(p, 'Name') ?? p.attrs.Name ?? token,
        ...(sourceToken === undefined ? {} : { videoSourceToken: sourceToken }),
        ...(encoding === undefined ? {} : { encoding: encoding.toUpperCase() }),
        ...(Number.isFinite(width) ? { width } : {}),
        ...(Number.isFinite(height) ? { height } : {}),
        ...(Number.isFinite(fps) ? { frameRate: fps } : {}),
        ...(ptz?.attrs.token === undefined ? {} : { ptzConfigurationToken: ptz.attrs.token }),
      };
      return profile;
    });
  }

  /** Stream URI of a profile (`rtsp` by default). The returned URI carries no credentials. */
  async getStreamUri(
    profileToken: string,
    options: CallOptions & { readonly protocol?: StreamProtocol } = {},
  ): Promise<StreamUri> {
    const protocol = options.protocol ?? 'rtsp';
    if (!(protocol in MEDIA2_PROTOCOL)) {
      throw new CameraError(
        'INVALID_ARGUMENT',
        msg(`unknown protocol ${protocol}`, `giao thức không hỗ trợ ${protocol}`),
      );
    }
    const { url, v2 } = await this.media(options);
    let uri: string;
    if (v2) {
      const { body } = await this.call(
        url,
        `${NS.tr2}/GetStreamUri`,
        `<tr2:GetStreamUri><tr2:Protocol>${MEDIA2_PROTOCOL[protocol]}</tr2:Protocol><tr2:ProfileToken>${escapeXml(profileToken)}</tr2:ProfileToken></tr2:GetStreamUri>`,
        options,
      );
      uri = requireText(body, 'GetStreamUriResponse', 'Uri');
    } else {
      if (protocol === 'rtsps') {
        throw new CameraError('NOT_SUPPORTED', msg('RTSPS needs Media2', 'RTSPS cần dịch vụ Media2'));
      }
      const stream = protocol === 'rtsp-multicast' ? 'RTP-Multicast' : 'RTP-Unicast';
      const transport = protocol === 'http' || protocol === 'rtsp-over-http' ? 'HTTP' : 'RTSP';
      const { body } = await this.call(
        url,
        `${NS.trt}/GetStreamUri`,
        `<trt:GetStreamUri><trt:StreamSetup><tt:Stream>${stream}</tt:Stream><tt:Transport><tt:Protocol>${transport}</tt:Protocol></tt:Transport></trt:StreamSetup><trt:ProfileToken>${escapeXml(profileToken)}</trt:ProfileToken></trt:GetStreamUri>`,
        options,
      );
      uri = requireText(body, 'GetStreamUriResponse', 'MediaUri', 'Uri');
    }
    return { uri: stripCredentials(uri), protocol, profileToken };
  }

  /** Snapshot URI of a profile. */
  async getSnapshotUri(profileToken: string, options: CallOptions = {}): Promise<SnapshotUri> {
    const { url, v2 } = await this.media(options);
    const ns = v2 ? 'tr2' : 'trt';
    const { body } = await this.call(
      url,
      `${NS[ns]}/GetSnapshotUri`,
      `<${ns}:GetSnapshotUri><${ns}:ProfileToken>${escapeXml(profileToken)}</${ns}:ProfileToken></${ns}:GetSnapshotUri>`,
      options,
    );
    const uri =
      textAt(body, 'GetSnapshotUriResponse', 'Uri') ??
      requireText(body, 'GetSnapshotUriResponse', 'MediaUri', 'Uri');
    return { uri: stripCredentials(uri), profileToken };
  }

  /** Fetches a JPEG snapshot of a profile, authenticating with digest when challenged. */
  async getSnapshot(profileToken: string, options: CallOptions = {}): Promise<Snapshot> {
    const { uri } = await this.getSnapshotUri(profileToken, options);
    const { res, bytes } = await this.http('GET', this.fixAddress(uri), undefined, undefined, options);
    if (res.status === 401 || res.status === 403) throw this.authError(res.status, 'GetSnapshot');
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
    return { contentType: res.headers.get('content-type') ?? 'application/octet-stream', bytes };
  }

  /** Device information, capabilities and profiles as one {@link Camera}, channels grouped by video source. */
  async describe(options: CallOptions = {}): Promise<Camera> {
    const info = await this.getDeviceInformation(options);
    const capabilities = await this.getCapabilities(options);
    const profiles = await this.getProfiles(options);
    const bySource = new Map<string, MediaProfile[]>();
    for (const p of profiles) {
      const key = p.videoSourceToken ?? '';
      bySource.set(key, [...(bySource.get(key) ?? []), p]);
    }
    const channels: CameraChannel[] = [...bySource].map(([id, list]) => {
      const sorted = [...list].sort(
        (a, b) => (b.width ?? 0) * (b.height ?? 0) - (a.width ?? 0) * (a.height ?? 0),
      );
      const main = sorted[0];
      const sub = sorted.length > 1 ? sorted[sorted.length - 1] : undefined;
      return {
        id,
        profiles: list,
        ...(main === undefined ? {} : { mainProfile: main.token }),
        ...(sub === undefined ? {} : { subProfile: sub.token }),
      };
    });
    return {
      id: this.cameraId,
      vendor: info.manufacturer,
      model: info.model,
      ...(info.firmwareVersion === '' ? {} : { firmwareVersion: info.firmwareVersion }),
      ...(info.serialNumber === '' ? {} : { serialNumber: info.serialNumber }),
      ...(info.hardwareId === '' ? {} : { hardwareId: info.hardwareId }),
      ...(this.location === undefined ? {} : { location: this.location }),
      channels,
      capabilities,
    };
  }

  // ------------------------------------------------------------------ PTZ

  private async ptz(op: string, inner: string, options: CallOptions): Promise<XmlElement> {
    const url = await this.service(NS.tptz, 'PTZ', options);
    const { body } = await this.call(url, `${NS.tptz}/${op}`, `<tptz:${op}>${inner}</tptz:${op}>`, options);
    return body;
  }

  /** Moves at a velocity (pan/tilt/zoom in −1..1) until `stop()` or the optional timeout. */
  async continuousMove(
    profileToken: string,
    velocity: PtzVector,
    options: CallOptions & { readonly durationMs?: number } = {},
  ): Promise<void> {
    checkUnit('pan', velocity.pan, -1, 1);
    checkUnit('tilt', velocity.tilt, -1, 1);
    checkUnit('zoom', velocity.zoom, -1, 1);
    const timeout =
      options.durationMs === undefined
        ? ''
        : `<tptz:Timeout>${toDuration(options.durationMs)}</tptz:Timeout>`;
    await this.ptz(
      'ContinuousMove',
      `${token(profileToken)}${vectorXml('Velocity', velocity)}${timeout}`,
      options,
    );
  }

  /** Moves to a position (pan/tilt −1..1, zoom 0..1), optionally at a speed. */
  async absoluteMove(
    profileToken: string,
    position: PtzVector,
    options: CallOptions & { readonly speed?: PtzVector } = {},
  ): Promise<void> {
    checkUnit('pan', position.pan, -1, 1);
    checkUnit('tilt', position.tilt, -1, 1);
    checkUnit('zoom', position.zoom, 0, 1);
    const speed = options.speed ? vectorXml('Speed', options.speed) : '';
    await this.ptz(
      'AbsoluteMove',
      `${token(profileToken)}${vectorXml('Position', position)}${speed}`,
      options,
    );
  }

  /** Moves by a translation (each axis −1..1 of the generic space). */
  async relativeMove(
    profileToken: string,
    translation: PtzVector,
    options: CallOptions & { readonly speed?: PtzVector } = {},
  ): Promise<void> {
    checkUnit('pan', translation.pan, -1, 1);
    checkUnit('tilt', translation.tilt, -1, 1);
    checkUnit('zoom', translation.zoom, -1, 1);
    const speed = options.speed ? vectorXml('Speed', options.speed) : '';
    await this.ptz(
      'RelativeMove',
      `${token(profileToken)}${vectorXml('Translation', translation)}${speed}`,
      options,
    );
  }

  /** Stops pan/tilt and zoom (both by default). */
  async stop(
    profileToken: string,
    options: CallOptions & { readonly panTilt?: boolean; readonly zoom?: boolean } = {},
  ): Promise<void> {
    await this.ptz(
      'Stop',
      `${token(profileToken)}<tptz:PanTilt>${options.panTilt ?? true}</tptz:PanTilt><tptz:Zoom>${options.zoom ?? true}</tptz:Zoom>`,
      options,
    );
  }

  async getPresets(profileToken: string, options: CallOptions = {}): Promise<PtzPreset[]> {
    const body = await this.ptz('GetPresets', token(profileToken), options);
    return childrenNamed(child(body, 'GetPresetsResponse'), 'Preset').map((p) => {
      const position = readVector(child(p, 'PTZPosition'));
      const name = textAt(p, 'Name');
      return {
        token: p.attrs.token ?? '',
        ...(name === undefined ? {} : { name }),
        ...(position === undefined ? {} : { position }),
      };
    });
  }

  async gotoPreset(
    profileToken: string,
    presetToken: string,
    options: CallOptions & { readonly speed?: PtzVector } = {},
  ): Promise<void> {
    const speed = options.speed ? vectorXml('Speed', options.speed) : '';
    await this.ptz(
      'GotoPreset',
      `${token(profileToken)}<tptz:PresetToken>${escapeXml(presetToken)}</tptz:PresetToken>${speed}`,
      options,
    );
  }

  /** Current PTZ position, from GetStatus. */
  async getPtzPosition(profileToken: string, options: CallOptions = {}): Promise<PtzVector> {
    const body = await this.ptz('GetStatus', token(profileToken), options);
    return readVector(descend(body, 'GetStatusResponse', 'PTZStatus', 'Position')) ?? {};
  }

  // ------------------------------------------------------------------ recordings (Profile G)

  private async runSearch(
    start: { action: string; body: string },
    results: (token: string) => { action: string; body: string },
    collect: (response: XmlElement, text: string) => void,
    options: CallOptions & { readonly waitMs?: number },
  ): Promise<void> {
    const url = await this.service(NS.tse, 'Search', options);
    const { body } = await this.call(url, start.action, start.body, options);
    const token = requireText(
      body,
      `${start.action.slice(start.action.lastIndexOf('/') + 1)}Response`,
      'SearchToken',
    );
    for (let round = 0; round < 1000; round++) {
      const r = results(token);
      const res = await this.call(url, r.action, r.body, options);
      const response = res.body.children[0];
      if (!response) throw missing(res.body, `${r.action.slice(r.action.lastIndexOf('/') + 1)}Response`);
      collect(response, res.text);
      const state = textAt(response, 'ResultList', 'SearchState');
      if (state === undefined || state === 'Completed') return;
    }
  }

  /** Lists recordings (ONVIF Search service: FindRecordings + GetRecordingSearchResults until Completed). */
  async findRecordings(
    query: Partial<Pick<RecordingQuery, 'recordings' | 'maxMatches'>> = {},
    options: CallOptions = {},
  ): Promise<Recording[]> {
    const scope = (query.recordings ?? [])
      .map((t) => `<tt:IncludedRecordings>${escapeXml(t)}</tt:IncludedRecordings>`)
      .join('');
    const max = query.maxMatches ?? 100;
    const out: Recording[] = [];
    await this.runSearch(
      {
        action: `${NS.tse}/FindRecordings`,
        body: `<tse:FindRecordings><tse:Scope>${scope}</tse:Scope><tse:MaxMatches>${max}</tse:MaxMatches><tse:KeepAliveTime>PT10S</tse:KeepAliveTime></tse:FindRecordings>`,
      },
      (token) => ({
        action: `${NS.tse}/GetRecordingSearchResults`,
        body: `<tse:GetRecordingSearchResults><tse:SearchToken>${escapeXml(token)}</tse:SearchToken><tse:MaxResults>${max}</tse:MaxResults><tse:WaitTime>PT5S</tse:WaitTime></tse:GetRecordingSearchResults>`,
      }),
      (response) => {
        for (const info of childrenNamed(child(response, 'ResultList'), 'RecordingInformation')) {
          const token = textAt(info, 'RecordingToken');
          if (token === undefined || out.length >= max) continue;
          const source = textAt(info, 'Source', 'SourceId');
          const name = textAt(info, 'Source', 'Name');
          const earliest = textAt(info, 'EarliestRecording');
          const latest = textAt(info, 'LatestRecording');
          const content = textAt(info, 'Content');
          const status = textAt(info, 'RecordingStatus');
          out.push({
            token,
            ...(source === undefined ? {} : { source }),
            ...(name === undefined ? {} : { name }),
            ...(earliest === undefined ? {} : { earliest }),
            ...(latest === undefined ? {} : { latest }),
            ...(content === undefined ? {} : { content }),
            ...(status === undefined ? {} : { status }),
          });
        }
      },
      options,
    );
    return out;
  }

  /**
   * Searches recorded events between two instants (FindEvents + GetEventSearchResults), optionally by
   * topic. Each match carries the recording token, the time, and the normalized event when its topic is
   * in the taxonomy.
   */
  async findEvents(
    query: RecordingQuery,
    options: CallOptions = {},
  ): Promise<{ recordingToken: string; time: string; topic: string; event?: CameraEvent }[]> {
    const from = Date.parse(query.from);
    const to = Date.parse(query.to);
    if (!Number.isFinite(from) || !Number.isFinite(to) || from > to) {
      throw new CameraError(
        'INVALID_ARGUMENT',
        msg('from/to must be ISO 8601 instants, from ≤ to', 'from/to phải là thời điểm ISO 8601, from ≤ to'),
        {
          details: { field: 'from' },
        },
      );
    }
    const scope = (query.recordings ?? [])
      .map((t) => `<tt:IncludedRecordings>${escapeXml(t)}</tt:IncludedRecordings>`)
      .join('');
    const topics = query.topics ?? [];
    const filter =
      topics.length === 0
        ? ''
        : `<tse:SearchFilter><wsnt:TopicExpression Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">${escapeXml(topics.join('|'))}</wsnt:TopicExpression></tse:SearchFilter>`;
    const max = query.maxMatches ?? 100;
    const out: { recordingToken: string; time: string; topic: string; event?: CameraEvent }[] = [];
    await this.runSearch(
      {
        action: `${NS.tse}/FindEvents`,
        body: `<tse:FindEvents><tse:StartPoint>${new Date(from).toISOString()}</tse:StartPoint><tse:EndPoint>${new Date(to).toISOString()}</tse:EndPoint><tse:Scope>${scope}</tse:Scope>${filter}<tse:IncludeStartState>false</tse:IncludeStartState><tse:MaxMatches>${max}</tse:MaxMatches><tse:KeepAliveTime>PT10S</tse:KeepAliveTime></tse:FindEvents>`,
      },
      (token) => ({
        action: `${NS.tse}/GetEventSearchResults`,
        body: `<tse:GetEventSearchResults><tse:SearchToken>${escapeXml(token)}</tse:SearchToken><tse:MaxResults>${max}</tse:MaxResults><tse:WaitTime>PT5S</tse:WaitTime></tse:GetEventSearchResults>`,
      }),
      (response, text) => {
        for (const r of childrenNamed(child(response, 'ResultList'), 'Result')) {
          const recordingToken = textAt(r, 'RecordingToken');
          const time = textAt(r, 'Time');
          const msgEl = child(r, 'Event');
          if (recordingToken === undefined || time === undefined || out.length >= max) continue;
          const n: OnvifNotification | undefined = msgEl ? decodeNotification(msgEl, text) : undefined;
          const event = n ? mapOnvifNotification(n, this.cameraId) : undefined;
          out.push({
            recordingToken,
            time,
            topic: n?.topic ?? '',
            ...(event === undefined ? {} : { event }),
          });
        }
      },
      options,
    );
    return out;
  }

  /** RTSP URI to replay a recording (Replay service). */
  async getReplayUri(recordingToken: string, options: CallOptions = {}): Promise<ReplayUri> {
    const url = await this.service(NS.trp, 'Replay', options);
    const { body } = await this.call(
      url,
      `${NS.trp}/GetReplayUri`,
      `<trp:GetReplayUri><trp:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport><tt:Protocol>RTSP</tt:Protocol></tt:Transport></trp:StreamSetup><trp:RecordingToken>${escapeXml(recordingToken)}</trp:RecordingToken></trp:GetReplayUri>`,
      options,
    );
    return { uri: stripCredentials(requireText(body, 'GetReplayUriResponse', 'Uri')), recordingToken };
  }

  // ------------------------------------------------------------------ events

  /**
   * Opens a pull-point subscription and returns the normalized events as an `AsyncIterable`. The stream
   * renews the subscription, reconnects after network loss, resubscribes after a reboot (suppressing
   * repeated property states) and ends on `close()`; it throws `ABORTED` when `signal` fires.
   */
  events(options: OnvifEventOptions = {}): OnvifEventStream {
    this.assertOpen();
    const stream = new OnvifEventStream(
      {
        cameraId: this.cameraId,
        eventsUrl: (o) => this.service(NS.tev, 'Events', o),
        call: (url, action, body, o) => this.call(url, action, body, o),
        clock: this.clock,
        ...(this.logger === undefined ? {} : { logger: this.logger }),
        fixAddress: (a) => this.fixAddress(a),
        onClose: (s) => this.streams.delete(s),
      },
      options,
    );
    this.streams.add(stream);
    return stream;
  }

  /** Closes every open event stream (unsubscribing) and refuses further calls. */
  async close(): Promise<void> {
    if (this.closed) return;
    const streams = [...this.streams];
    await Promise.allSettled(streams.map((s) => s.close()));
    this.closed = true;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function token(profileToken: string): string {
  if (profileToken === '' || profileToken.length > 64) {
    throw new CameraError(
      'INVALID_ARGUMENT',
      msg('profile token must be 1..64 characters', 'profile token phải dài 1..64 ký tự'),
      {
        details: { field: 'profileToken' },
      },
    );
  }
  return `<tptz:ProfileToken>${escapeXml(profileToken)}</tptz:ProfileToken>`;
}

function missing(el: XmlElement, name: string): CameraError {
  const path = `${el.path}/${name}`;
  return new CameraError('RESPONSE_INVALID', msg(`missing ${path}`, `thiếu ${path}`), { details: { path } });
}

function stripCredentials(uri: string): string {
  try {
    const u = new URL(uri);
    if (u.username === '' && u.password === '') return uri;
    u.username = '';
    u.password = '';
    return u.href;
  } catch {
    return uri;
  }
}

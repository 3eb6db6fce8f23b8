import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parseChallenges } from '../onvif/auth.js';
import { envelope, NS, parseDuration, PASSWORD_DIGEST_TYPE } from '../onvif/soap.js';
import type { PtzPreset, PtzVector } from '../types.js';
import { child, escapeXml, find, parseXml, textAt, type XmlElement } from '../xml.js';

/** An event the simulated camera raises. */
export interface SimulatedEvent {
  /** e.g. `tns1:RuleEngine/CellMotionDetector/Motion`. */
  readonly topic: string;
  readonly source?: Readonly<Record<string, string>>;
  readonly data?: Readonly<Record<string, string>>;
  /** ElementItems: name → inner XML using the `tt:` prefix. */
  readonly elements?: Readonly<Record<string, string>>;
  /** A property event (kept as state, replayed as `Initialized` to new subscribers). Default false. */
  readonly property?: boolean;
  /** Default: the simulator's (skewed) clock. */
  readonly utcTime?: string;
}

export interface OnvifSimulatorOptions {
  readonly username?: string;
  readonly password?: string;
  /** Accepted authentication. Default `any` (digest or WS-UsernameToken). */
  readonly auth?: 'digest' | 'ws-username-token' | 'any';
  /** Digest challenges offered. Default `both` (SHA-256 then MD5). */
  readonly digestAlgorithm?: 'MD5' | 'SHA-256' | 'both';
  /** Device clock minus real clock. Default 0. */
  readonly clockSkewMs?: number;
  /** WS-UsernameToken `Created` tolerance. Default 5 minutes. */
  readonly timeWindowMs?: number;
  /** Offer the Media2 service. Default true. */
  readonly media2?: boolean;
  /** Answer GetServices with a fault (legacy devices), forcing GetCapabilities. Default false. */
  readonly legacyCapabilities?: boolean;
  /** PullMessages extends the subscription (most devices). Default true. */
  readonly pullExtendsSubscription?: boolean;
  /** Support Renew. Default true. */
  readonly renew?: boolean;
  /** Offer the Search and Replay services (Profile G) with two recordings; published events are recorded. Default true. */
  readonly recordings?: boolean;
  /**
   * Axis-style subscription manager: every subscription has the address `/onvif/services` and is told
   * apart by a `SubscriptionId` reference parameter (declared in a namespace of an ancestor element) that
   * requests must echo as a SOAP header with `wsa:IsReferenceParameter="true"`. Default false.
   */
  readonly referenceParameters?: boolean;
  readonly manufacturer?: string;
  readonly model?: string;
  /** Listen address. Default 127.0.0.1, port 0 (any free port). */
  readonly host?: string;
  readonly port?: number;
}

/** One request the simulator received, for assertions. */
export interface SimulatedRequest {
  readonly path: string;
  readonly operation: string;
  readonly body: string;
  readonly auth: 'digest' | 'ws-username-token' | 'none';
}

/** A running ONVIF device simulator (HTTP, SOAP 1.2). */
export interface OnvifSimulator {
  /** Device service URL, e.g. `http://127.0.0.1:41234/onvif/device_service`. */
  readonly url: string;
  readonly requests: readonly SimulatedRequest[];
  /** Number of live pull-point subscriptions. */
  readonly subscriptionCount: number;
  readonly ptz: { readonly position: Required<PtzVector>; readonly velocity: Required<PtzVector> };
  publish(event: SimulatedEvent): void;
  /** Drops every connection and subscription; refuses connections for `downtimeMs` (default 200). */
  reboot(downtimeMs?: number): Promise<void>;
  /** Destroys the sockets of the next `count` requests without answering. */
  dropNextRequests(count: number): void;
  setClockSkew(ms: number): void;
  close(): Promise<void>;
}

interface Sub {
  readonly id: string;
  readonly filters: readonly string[];
  readonly queue: string[];
  ttlMs: number;
  expiresAt: number;
  waiter: (() => void) | undefined;
}

const TINY_JPEG = Buffer.from(
  'ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9',
  'hex',
);

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

const AXIS_EVENT_NS = 'http://www.axis.com/2009/event';

function fault(subcode: string, reason: string, code = 'soap:Sender'): string {
  return `<soap:Fault><soap:Code><soap:Value>${code}</soap:Value><soap:Subcode><soap:Value>${subcode}</soap:Value></soap:Subcode></soap:Code><soap:Reason><soap:Text xml:lang="en">${escapeXml(reason)}</soap:Text></soap:Reason></soap:Fault>`;
}

function topicMatches(filters: readonly string[], topic: string): boolean {
  if (filters.length === 0) return true;
  const t = topic.replace(/^[^:/]+:/, '');
  return filters.some((f) => {
    const e = f.trim().replace(/^[^:/]+:/, '');
    return e.endsWith('//.') ? t === e.slice(0, -3) || t.startsWith(`${e.slice(0, -3)}/`) : t === e;
  });
}

function simpleItems(items: Readonly<Record<string, string>> | undefined): string {
  return Object.entries(items ?? {})
    .map(([k, v]) => `<tt:SimpleItem Name="${escapeXml(k)}" Value="${escapeXml(v)}"/>`)
    .join('');
}

/** Builds the XML of one NotificationMessage, as the simulator sends it. */
export function notificationXml(e: SimulatedEvent, utcTime: string, operation?: string): string {
  const elements = Object.entries(e.elements ?? {})
    .map(([k, v]) => `<tt:ElementItem Name="${escapeXml(k)}">${v}</tt:ElementItem>`)
    .join('');
  const op = operation === undefined ? '' : ` PropertyOperation="${operation}"`;
  return (
    `<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">${escapeXml(e.topic)}</wsnt:Topic>` +
    `<wsnt:Message><tt:Message UtcTime="${utcTime}"${op}><tt:Source>${simpleItems(e.source)}</tt:Source>` +
    `<tt:Data>${simpleItems(e.data)}${elements}</tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>`
  );
}

/** Starts an ONVIF device simulator on loopback. */
export async function startOnvifSimulator(options: OnvifSimulatorOptions = {}): Promise<OnvifSimulator> {
  const username = options.username ?? 'admin';
  const password = options.password ?? 'admin';
  const authMode = options.auth ?? 'any';
  const algorithms =
    options.digestAlgorithm === 'MD5'
      ? ['MD5']
      : options.digestAlgorithm === 'SHA-256'
        ? ['SHA-256']
        : ['SHA-256', 'MD5'];
  const window = options.timeWindowMs ?? 5 * 60_000;
  const realm = 'onvif-simulator';
  let skew = options.clockSkewMs ?? 0;
  let down = false;
  let dropCount = 0;
  const sockets = new Set<Socket>();
  const requests: SimulatedRequest[] = [];
  const nonces = new Set<string>();
  const usedTokenNonces = new Set<string>();
  const subs = new Map<string, Sub>();
  const properties = new Map<string, SimulatedEvent>();
  const position = { pan: 0, tilt: 0, zoom: 0 };
  const velocity = { pan: 0, tilt: 0, zoom: 0 };
  const presets: PtzPreset[] = [
    { token: '1', name: 'Cổng chính', position: { pan: 0.5, tilt: -0.25, zoom: 0.1 } },
    { token: '2', name: 'Ngã tư', position: { pan: -0.75, tilt: 0, zoom: 0.5 } },
  ];
  const now = (): number => Date.now() + skew;
  let origin = '';
  const recorded: { time: number; event: SimulatedEvent; utcTime: string }[] = [];
  const searches = new Map<string, { results: string[]; served: boolean }>();
  const recordingsXml = (): string[] => [
    `<tt:RecordingInformation><tt:RecordingToken>RecordingToken_1</tt:RecordingToken><tt:Source><tt:SourceId>VideoSource_1</tt:SourceId><tt:Name>Cổng chính</tt:Name><tt:Location>Bắc Giang</tt:Location><tt:Description>Continuous</tt:Description><tt:Address>${origin}/onvif/device_service</tt:Address></tt:Source><tt:EarliestRecording>2026-11-27T00:00:00Z</tt:EarliestRecording><tt:LatestRecording>${iso(now())}</tt:LatestRecording><tt:Content>Continuous</tt:Content><tt:RecordingStatus>Recording</tt:RecordingStatus></tt:RecordingInformation>`,
    `<tt:RecordingInformation><tt:RecordingToken>RecordingToken_2</tt:RecordingToken><tt:Source><tt:SourceId>VideoSource_1</tt:SourceId><tt:Name>Sự kiện</tt:Name><tt:Location/><tt:Description/><tt:Address/></tt:Source><tt:EarliestRecording>2026-11-28T00:00:00Z</tt:EarliestRecording><tt:LatestRecording>2026-11-28T01:00:00Z</tt:LatestRecording><tt:Content>Event</tt:Content><tt:RecordingStatus>Stopped</tt:RecordingStatus></tt:RecordingInformation>`,
  ];

  const hash = (alg: string, s: string): string =>
    createHash(alg.startsWith('SHA-256') ? 'sha256' : 'md5')
      .update(s, 'utf8')
      .digest('hex');

  const checkDigest = (req: IncomingMessage): boolean => {
    const header = req.headers.authorization;
    if (!header?.startsWith('Digest ')) return false;
    const p = parseChallenges(header)[0]?.params ?? {};
    if (p.username !== username || p.realm !== realm || p.nonce === undefined || !nonces.has(p.nonce))
      return false;
    const alg = p.algorithm ?? 'MD5';
    if (!algorithms.includes(alg)) return false;
    const ha1 = hash(alg, `${username}:${realm}:${password}`);
    const ha2 = hash(alg, `${req.method ?? 'POST'}:${p.uri ?? ''}`);
    const expected =
      p.qop === 'auth'
        ? hash(alg, `${ha1}:${p.nonce}:${p.nc ?? ''}:${p.cnonce ?? ''}:auth:${ha2}`)
        : hash(alg, `${ha1}:${p.nonce}:${ha2}`);
    return p.response === expected && p.uri === req.url;
  };

  const checkToken = (envelopeEl: XmlElement): 'ok' | 'absent' | 'bad' => {
    const token = find(child(envelopeEl, 'Header'), 'UsernameToken');
    if (!token) return 'absent';
    const user = textAt(token, 'Username');
    const pw = child(token, 'Password');
    const nonce = textAt(token, 'Nonce');
    const created = textAt(token, 'Created');
    if (user !== username || !pw || nonce === undefined || created === undefined) return 'bad';
    if (pw.attrs.Type !== undefined && pw.attrs.Type !== PASSWORD_DIGEST_TYPE) return 'bad';
    const t = Date.parse(created);
    if (!Number.isFinite(t) || Math.abs(t - now()) > window) return 'bad';
    if (usedTokenNonces.has(nonce)) return 'bad';
    const expected = createHash('sha1')
      .update(Buffer.from(nonce, 'base64'))
      .update(Buffer.from(created + password, 'utf8'))
      .digest('base64');
    if (expected !== pw.text.trim()) return 'bad';
    usedTokenNonces.add(nonce);
    return 'ok';
  };

  const challenge = (): string[] => {
    const nonce = randomBytes(16).toString('hex');
    nonces.add(nonce);
    return algorithms.map(
      (a) => `Digest realm="${realm}", qop="auth", nonce="${nonce}", opaque="sim", algorithm=${a}`,
    );
  };

  const send = (res: ServerResponse, status: number, body: string): void => {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/soap+xml; charset=utf-8' });
    res.end(envelope(body));
  };

  const enqueue = (sub: Sub, xml: string): void => {
    sub.queue.push(xml);
    const w = sub.waiter;
    sub.waiter = undefined;
    w?.();
  };

  const initialize = (sub: Sub): void => {
    for (const e of properties.values()) {
      if (topicMatches(sub.filters, e.topic)) enqueue(sub, notificationXml(e, iso(now()), 'Initialized'));
    }
  };

  const services = (): string => {
    const svc = (ns: string, path: string, caps = ''): string =>
      `<tds:Service><tds:Namespace>${ns}</tds:Namespace><tds:XAddr>${origin}${path}</tds:XAddr>${caps}<tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>`;
    return (
      svc(NS.tds, '/onvif/device_service') +
      svc(NS.trt, '/onvif/media') +
      (options.media2 === false ? '' : svc(NS.tr2, '/onvif/media2')) +
      svc(NS.tptz, '/onvif/ptz') +
      (options.recordings === false ? '' : svc(NS.tse, '/onvif/search') + svc(NS.trp, '/onvif/replay')) +
      svc(
        NS.tev,
        '/onvif/events',
        '<tds:Capabilities><tev:Capabilities WSSubscriptionPolicySupport="true" WSPullPointSupport="true" WSPausableSubscriptionManagerInterfaceSupport="false"/></tds:Capabilities>',
      )
    );
  };

  const profilesV1 = (): string =>
    [
      ['Profile_1', 'mainStream', 'H264', 1920, 1080, true],
      ['Profile_2', 'subStream', 'H264', 640, 360, false],
    ]
      .map(
        ([t, n, e, w, h, ptz]) =>
          `<trt:Profiles token="${t}" fixed="true"><tt:Name>${n}</tt:Name><tt:VideoSourceConfiguration token="VSC_1"><tt:Name>VSC</tt:Name><tt:SourceToken>VideoSource_1</tt:SourceToken></tt:VideoSourceConfiguration><tt:VideoEncoderConfiguration token="VEC_${t}"><tt:Name>VE</tt:Name><tt:Encoding>${e}</tt:Encoding><tt:Resolution><tt:Width>${w}</tt:Width><tt:Height>${h}</tt:Height></tt:Resolution><tt:RateControl><tt:FrameRateLimit>25</tt:FrameRateLimit></tt:RateControl></tt:VideoEncoderConfiguration>${ptz ? '<tt:PTZConfiguration token="PTZ_1"><tt:Name>PTZ</tt:Name></tt:PTZConfiguration>' : ''}</trt:Profiles>`,
      )
      .join('');

  const profilesV2 = (): string =>
    [
      ['Profile_1', 'mainStream', 'H265', 2560, 1440, true],
      ['Profile_2', 'subStream', 'H264', 640, 360, false],
    ]
      .map(
        ([t, n, e, w, h, ptz]) =>
          `<tr2:Profiles token="${t}" fixed="true"><tr2:Name>${n}</tr2:Name><tr2:Configurations><tr2:VideoSource token="VSC_1"><tt:Name>VSC</tt:Name><tt:SourceToken>VideoSource_1</tt:SourceToken></tr2:VideoSource><tr2:VideoEncoder token="VEC_${t}" Profile="Main"><tt:Name>VE</tt:Name><tt:Encoding>${e}</tt:Encoding><tt:Resolution><tt:Width>${w}</tt:Width><tt:Height>${h}</tt:Height></tt:Resolution><tt:RateControl><tt:FrameRateLimit>25</tt:FrameRateLimit></tt:RateControl></tr2:VideoEncoder>${ptz ? '<tr2:PTZ token="PTZ_1"><tt:Name>PTZ</tt:Name></tr2:PTZ>' : ''}</tr2:Configurations></tr2:Profiles>`,
      )
      .join('');

  const streamPath = (token: string): string =>
    token === 'Profile_2' ? '/Streaming/Channels/102' : '/Streaming/Channels/101';

  const readVector = (el: XmlElement | undefined): PtzVector => {
    const pt = child(el, 'PanTilt');
    const z = child(el, 'Zoom');
    return {
      ...(pt?.attrs.x === undefined ? {} : { pan: Number(pt.attrs.x) }),
      ...(pt?.attrs.y === undefined ? {} : { tilt: Number(pt.attrs.y) }),
      ...(z?.attrs.x === undefined ? {} : { zoom: Number(z.attrs.x) }),
    };
  };
  const clamp = (v: number, lo = -1, hi = 1): number => Math.round(Math.min(hi, Math.max(lo, v)) * 1e4) / 1e4;

  const dispatch = async (
    path: string,
    op: string,
    body: XmlElement,
    res: ServerResponse,
    header: XmlElement | undefined,
  ): Promise<void> => {
    const req = child(body, op);
    const ok = (xml: string): void => send(res, 200, xml);
    switch (op) {
      case 'GetSystemDateAndTime': {
        const d = new Date(now());
        return ok(
          `<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings><tt:TimeZone><tt:TZ>ICT-7</tt:TZ></tt:TimeZone><tt:UTCDateTime><tt:Time><tt:Hour>${d.getUTCHours()}</tt:Hour><tt:Minute>${d.getUTCMinutes()}</tt:Minute><tt:Second>${d.getUTCSeconds()}</tt:Second></tt:Time><tt:Date><tt:Year>${d.getUTCFullYear()}</tt:Year><tt:Month>${d.getUTCMonth() + 1}</tt:Month><tt:Day>${d.getUTCDate()}</tt:Day></tt:Date></tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`,
        );
      }
      case 'GetDeviceInformation':
        return ok(
          `<tds:GetDeviceInformationResponse><tds:Manufacturer>${escapeXml(options.manufacturer ?? 'DTTM Simulator')}</tds:Manufacturer><tds:Model>${escapeXml(options.model ?? 'SIM-PTZ-4MP')}</tds:Model><tds:FirmwareVersion>V5.7.3 build 250101</tds:FirmwareVersion><tds:SerialNumber>SIM0001</tds:SerialNumber><tds:HardwareId>88</tds:HardwareId></tds:GetDeviceInformationResponse>`,
        );
      case 'GetServices':
        if (options.legacyCapabilities)
          return send(res, 400, fault('ter:ActionNotSupported', 'GetServices not supported'));
        return ok(`<tds:GetServicesResponse>${services()}</tds:GetServicesResponse>`);
      case 'GetCapabilities':
        return ok(
          `<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Device><tt:XAddr>${origin}/onvif/device_service</tt:XAddr></tt:Device><tt:Events><tt:XAddr>${origin}/onvif/events</tt:XAddr><tt:WSSubscriptionPolicySupport>true</tt:WSSubscriptionPolicySupport><tt:WSPullPointSupport>true</tt:WSPullPointSupport></tt:Events><tt:Media><tt:XAddr>${origin}/onvif/media</tt:XAddr></tt:Media><tt:PTZ><tt:XAddr>${origin}/onvif/ptz</tt:XAddr></tt:PTZ></tds:Capabilities></tds:GetCapabilitiesResponse>`,
        );
      case 'GetProfiles':
        if (path === '/onvif/media2')
          return ok(`<tr2:GetProfilesResponse>${profilesV2()}</tr2:GetProfilesResponse>`);
        return ok(`<trt:GetProfilesResponse>${profilesV1()}</trt:GetProfilesResponse>`);
      case 'GetStreamUri': {
        const token = textAt(req, 'ProfileToken') ?? '';
        if (path === '/onvif/media2') {
          const protocol = textAt(req, 'Protocol') ?? 'RtspUnicast';
          const base =
            protocol === 'RtspsUnicast'
              ? 'rtsps://127.0.0.1:322'
              : protocol === 'RtspOverHttp'
                ? origin
                : 'rtsp://127.0.0.1:554';
          return ok(
            `<tr2:GetStreamUriResponse><tr2:Uri>${base}${streamPath(token)}</tr2:Uri></tr2:GetStreamUriResponse>`,
          );
        }
        const transport = textAt(req, 'StreamSetup', 'Transport', 'Protocol');
        const base = transport === 'HTTP' ? origin : 'rtsp://127.0.0.1:554';
        return ok(
          `<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>${base}${streamPath(token)}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetStreamUriResponse>`,
        );
      }
      case 'GetSnapshotUri': {
        const token = textAt(req, 'ProfileToken') ?? '';
        const uri = `${origin}/onvif/snapshot/${encodeURIComponent(token)}.jpg`;
        if (path === '/onvif/media2')
          return ok(`<tr2:GetSnapshotUriResponse><tr2:Uri>${uri}</tr2:Uri></tr2:GetSnapshotUriResponse>`);
        return ok(
          `<trt:GetSnapshotUriResponse><trt:MediaUri><tt:Uri>${uri}</tt:Uri></trt:MediaUri></trt:GetSnapshotUriResponse>`,
        );
      }
      case 'ContinuousMove': {
        const v = readVector(child(req, 'Velocity'));
        velocity.pan = v.pan ?? 0;
        velocity.tilt = v.tilt ?? 0;
        velocity.zoom = v.zoom ?? 0;
        return ok('<tptz:ContinuousMoveResponse/>');
      }
      case 'AbsoluteMove': {
        const v = readVector(child(req, 'Position'));
        position.pan = clamp(v.pan ?? position.pan);
        position.tilt = clamp(v.tilt ?? position.tilt);
        position.zoom = clamp(v.zoom ?? position.zoom, 0, 1);
        return ok('<tptz:AbsoluteMoveResponse/>');
      }
      case 'RelativeMove': {
        const v = readVector(child(req, 'Translation'));
        position.pan = clamp(position.pan + (v.pan ?? 0));
        position.tilt = clamp(position.tilt + (v.tilt ?? 0));
        position.zoom = clamp(position.zoom + (v.zoom ?? 0), 0, 1);
        return ok('<tptz:RelativeMoveResponse/>');
      }
      case 'Stop':
        if (textAt(req, 'PanTilt') !== 'false') {
          velocity.pan = 0;
          velocity.tilt = 0;
        }
        if (textAt(req, 'Zoom') !== 'false') velocity.zoom = 0;
        return ok('<tptz:StopResponse/>');
      case 'GetPresets':
        return ok(
          `<tptz:GetPresetsResponse>${presets
            .map(
              (p) =>
                `<tptz:Preset token="${p.token}"><tt:Name>${escapeXml(p.name ?? '')}</tt:Name><tt:PTZPosition><tt:PanTilt x="${p.position?.pan ?? 0}" y="${p.position?.tilt ?? 0}"/><tt:Zoom x="${p.position?.zoom ?? 0}"/></tt:PTZPosition></tptz:Preset>`,
            )
            .join('')}</tptz:GetPresetsResponse>`,
        );
      case 'GotoPreset': {
        const p = presets.find((x) => x.token === textAt(req, 'PresetToken'));
        if (!p) return send(res, 400, fault('ter:InvalidArgVal', 'No such preset'));
        position.pan = p.position?.pan ?? 0;
        position.tilt = p.position?.tilt ?? 0;
        position.zoom = p.position?.zoom ?? 0;
        return ok('<tptz:GotoPresetResponse/>');
      }
      case 'GetStatus':
        return ok(
          `<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position><tt:PanTilt x="${position.pan}" y="${position.tilt}"/><tt:Zoom x="${position.zoom}"/></tt:Position><tt:UtcTime>${iso(now())}</tt:UtcTime></tptz:PTZStatus></tptz:GetStatusResponse>`,
        );
      case 'FindRecordings':
      case 'FindEvents': {
        if (options.recordings === false) break;
        const token = `search-${randomBytes(4).toString('hex')}`;
        let results: string[];
        if (op === 'FindRecordings') {
          const only = (req?.children ?? [])
            .flatMap((c) => (c.name === 'Scope' ? c.children : []))
            .map((c) => c.text.trim());
          results = recordingsXml().filter(
            (x) => only.length === 0 || only.some((t) => x.includes(`>${t}<`)),
          );
        } else {
          const from = Date.parse(textAt(req, 'StartPoint') ?? '');
          const to = Date.parse(textAt(req, 'EndPoint') ?? '');
          const filters = (textAt(req, 'SearchFilter', 'TopicExpression') ?? '')
            .split('|')
            .filter((x) => x.trim() !== '');
          results = recorded
            .filter((r) => r.time >= from && r.time <= to && topicMatches(filters, r.event.topic))
            .map((r) => {
              const inner = notificationXml(r.event, r.utcTime, r.event.property ? 'Changed' : undefined)
                .replace(/^<wsnt:NotificationMessage>/, '')
                .replace(/<\/wsnt:NotificationMessage>$/, '');
              return `<tt:Result><tt:RecordingToken>RecordingToken_1</tt:RecordingToken><tt:TrackToken>VIDEO001</tt:TrackToken><tt:Time>${r.utcTime}</tt:Time><tt:Event>${inner}</tt:Event><tt:StartStateEvent>false</tt:StartStateEvent></tt:Result>`;
            });
        }
        searches.set(token, { results, served: false });
        return ok(`<tse:${op}Response><tse:SearchToken>${token}</tse:SearchToken></tse:${op}Response>`);
      }
      case 'GetRecordingSearchResults':
      case 'GetEventSearchResults': {
        const search = searches.get(textAt(req, 'SearchToken') ?? '');
        if (!search) return send(res, 400, fault('ter:InvalidArgVal', 'Unknown search token'));
        // Like real recorders, answer in two rounds: the first result while "Searching", then the rest.
        const batch = search.served ? search.results.splice(0) : search.results.splice(0, 1);
        const state = search.served ? 'Completed' : 'Searching';
        search.served = true;
        return ok(
          `<tse:${op}Response><tse:ResultList><tt:SearchState>${state}</tt:SearchState>${batch.join('')}</tse:ResultList></tse:${op}Response>`,
        );
      }
      case 'GetReplayUri': {
        const token = textAt(req, 'RecordingToken') ?? '';
        if (!/^RecordingToken_[12]$/.test(token))
          return send(res, 400, fault('ter:InvalidArgVal', 'No such recording'));
        return ok(
          `<trp:GetReplayUriResponse><trp:Uri>rtsp://127.0.0.1:554/onvif-media/replay/${token}</trp:Uri></trp:GetReplayUriResponse>`,
        );
      }
      case 'CreatePullPointSubscription': {
        const id = randomBytes(6).toString('hex');
        const ttlMs = parseDuration(textAt(req, 'InitialTerminationTime') ?? 'PT60S') ?? 60_000;
        const filters = (textAt(req, 'Filter', 'TopicExpression') ?? '')
          .split('|')
          .filter((s) => s.trim() !== '');
        const sub: Sub = { id, filters, queue: [], ttlMs, expiresAt: now() + ttlMs, waiter: undefined };
        subs.set(id, sub);
        initialize(sub);
        if (options.referenceParameters) {
          return ok(
            `<tev:CreatePullPointSubscriptionResponse xmlns:dom0="${AXIS_EVENT_NS}"><tev:SubscriptionReference><wsa:Address>${origin}/onvif/services</wsa:Address><wsa:ReferenceParameters><dom0:SubscriptionId>${id}</dom0:SubscriptionId></wsa:ReferenceParameters></tev:SubscriptionReference><wsnt:CurrentTime>${iso(now())}</wsnt:CurrentTime><wsnt:TerminationTime>${iso(sub.expiresAt)}</wsnt:TerminationTime></tev:CreatePullPointSubscriptionResponse>`,
          );
        }
        return ok(
          `<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference><wsa:Address>${origin}/onvif/subscription/${id}</wsa:Address></tev:SubscriptionReference><wsnt:CurrentTime>${iso(now())}</wsnt:CurrentTime><wsnt:TerminationTime>${iso(sub.expiresAt)}</wsnt:TerminationTime></tev:CreatePullPointSubscriptionResponse>`,
        );
      }
    }
    let subId = /^\/onvif\/subscription\/([0-9a-f]+)$/.exec(path)?.[1];
    if (options.referenceParameters && path === '/onvif/services') {
      const param = header?.children.find(
        (h) =>
          h.name === 'SubscriptionId' && h.ns === AXIS_EVENT_NS && h.attrs.IsReferenceParameter === 'true',
      );
      subId = param?.text.trim() ?? '';
    }
    if (subId !== undefined) {
      const sub = subs.get(subId);
      if (sub && sub.expiresAt < now()) subs.delete(sub.id);
      if (!sub || !subs.has(sub.id)) {
        return send(res, 400, fault('wsrf-rw:ResourceUnknownFault', 'Unknown subscription'));
      }
      switch (op) {
        case 'PullMessages': {
          const timeout = Math.min(parseDuration(textAt(req, 'Timeout') ?? 'PT5S') ?? 5000, 60_000);
          const limit = Number(textAt(req, 'MessageLimit') ?? '100');
          if (sub.queue.length === 0) {
            await new Promise<void>((resolve) => {
              const t = setTimeout(() => {
                sub.waiter = undefined;
                resolve();
              }, timeout);
              sub.waiter = () => {
                clearTimeout(t);
                resolve();
              };
              res.on('close', () => {
                clearTimeout(t);
                resolve();
              });
            });
          }
          if (res.destroyed || !subs.has(sub.id)) return;
          if (options.pullExtendsSubscription !== false)
            sub.expiresAt = Math.max(sub.expiresAt, now() + sub.ttlMs);
          const batch = sub.queue.splice(0, limit);
          return ok(
            `<tev:PullMessagesResponse><tev:CurrentTime>${iso(now())}</tev:CurrentTime><tev:TerminationTime>${iso(sub.expiresAt)}</tev:TerminationTime>${batch.join('')}</tev:PullMessagesResponse>`,
          );
        }
        case 'Renew': {
          if (options.renew === false)
            return send(res, 400, fault('wsa:ActionNotSupported', 'Renew not supported'));
          const ttl = parseDuration(textAt(req, 'TerminationTime') ?? 'PT60S') ?? sub.ttlMs;
          sub.expiresAt = now() + ttl;
          return ok(
            `<wsnt:RenewResponse><wsnt:TerminationTime>${iso(sub.expiresAt)}</wsnt:TerminationTime><wsnt:CurrentTime>${iso(now())}</wsnt:CurrentTime></wsnt:RenewResponse>`,
          );
        }
        case 'SetSynchronizationPoint':
          initialize(sub);
          return ok('<tev:SetSynchronizationPointResponse/>');
        case 'Unsubscribe':
          subs.delete(sub.id);
          sub.waiter?.();
          return ok('<wsnt:UnsubscribeResponse/>');
      }
    }
    return send(res, 400, fault('ter:ActionNotSupported', `${op} is not supported by this simulator`));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (dropCount > 0) {
      dropCount--;
      req.socket.destroy();
      return;
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && path.startsWith('/onvif/snapshot/')) {
      const digestOk = checkDigest(req);
      requests.push({ path, operation: 'GetSnapshot', body: '', auth: digestOk ? 'digest' : 'none' });
      if (authMode !== 'ws-username-token' && !digestOk) {
        res.writeHead(401, { 'www-authenticate': challenge() }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end(TINY_JPEG);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > 1024 * 1024) {
        res.writeHead(413).end();
        return;
      }
      chunks.push(c);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    let env: XmlElement;
    try {
      env = parseXml(text);
    } catch {
      send(res, 400, fault('ter:WellFormed', 'Malformed request'));
      return;
    }
    const body = child(env, 'Body');
    const op = body?.children[0]?.name ?? '';
    const digestOk = authMode !== 'ws-username-token' && checkDigest(req);
    const token = authMode !== 'digest' ? checkToken(env) : 'absent';
    requests.push({
      path,
      operation: op,
      body: text,
      auth: digestOk ? 'digest' : token === 'ok' ? 'ws-username-token' : 'none',
    });
    if (op !== 'GetSystemDateAndTime' && !digestOk && token !== 'ok') {
      if (token === 'bad' || authMode === 'ws-username-token') {
        send(res, 400, fault('ter:NotAuthorized', 'Sender not Authorized', 'soap:Sender'));
        return;
      }
      res
        .writeHead(401, { 'www-authenticate': challenge(), 'content-type': 'text/plain' })
        .end('Unauthorized');
      return;
    }
    if (!body) {
      send(res, 400, fault('ter:WellFormed', 'No Body'));
      return;
    }
    await dispatch(path, op, body, res, child(env, 'Header'));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.on('connection', (s: Socket) => {
    if (down) {
      s.destroy();
      return;
    }
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  origin = `http://${host}:${addr.port}`;

  return {
    url: `${origin}/onvif/device_service`,
    requests,
    get subscriptionCount() {
      return subs.size;
    },
    ptz: { position, velocity },
    publish(event: SimulatedEvent): void {
      const time = event.utcTime ?? new Date(now()).toISOString();
      const key = `${event.topic}\u0000${JSON.stringify(event.source ?? {})}`;
      if (event.property) properties.set(key, event);
      const parsed = Date.parse(time);
      recorded.push({ time: Number.isFinite(parsed) ? parsed : now(), event, utcTime: time });
      for (const sub of subs.values()) {
        if (topicMatches(sub.filters, event.topic)) {
          enqueue(sub, notificationXml(event, time, event.property ? 'Changed' : undefined));
        }
      }
    },
    async reboot(downtimeMs = 200): Promise<void> {
      down = true;
      for (const sub of subs.values()) sub.waiter?.();
      subs.clear();
      nonces.clear();
      for (const s of sockets) s.destroy();
      await new Promise((r) => setTimeout(r, downtimeMs));
      down = false;
    },
    dropNextRequests(count: number): void {
      dropCount += count;
    },
    setClockSkew(ms: number): void {
      skew = ms;
    },
    async close(): Promise<void> {
      for (const sub of subs.values()) sub.waiter?.();
      subs.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

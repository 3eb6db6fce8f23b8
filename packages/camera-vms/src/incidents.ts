import { createHash } from 'node:crypto';
import { CameraError, msg } from './errors.js';
import type { CameraEvent, CameraEventKind } from './events.js';
import type { CameraLocation } from './types.js';
import { escapeXml } from './xml.js';

/** CAP 1.2 `severity`. */
export type CapSeverity = 'Extreme' | 'Severe' | 'Moderate' | 'Minor' | 'Unknown';
/** FIWARE `Alert.severity`. */
export type AlertSeverity = 'informational' | 'low' | 'medium' | 'high' | 'critical';

/** One incident: repeated events of the same kind on the same camera and subject, correlated. */
export interface Incident {
  /** Stable id: the same key and first event give the same id. */
  readonly id: string;
  /** Correlation key: camera, channel, kind and subject (violation, plate, enrolment, rule). */
  readonly key: string;
  readonly kind: CameraEventKind;
  readonly cameraId: string;
  readonly channel?: string;
  /** FIWARE `Alert.category`: `traffic` or `security`. */
  readonly category: 'traffic' | 'security';
  /** FIWARE `Alert.subCategory` (standard values where they exist, extensions otherwise; see README). */
  readonly subCategory: string;
  /** CAP `info.category`. */
  readonly capCategory: 'Transport' | 'Security' | 'Infra';
  readonly severity: AlertSeverity;
  readonly capSeverity: CapSeverity;
  /** Bilingual short title. */
  readonly title: { readonly vi: string; readonly en: string };
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly count: number;
  /** Ids of the correlated events, oldest first (the last 50). */
  readonly eventIds: readonly string[];
  readonly latest: CameraEvent;
  readonly status: 'open' | 'closed';
}

/** What {@link IncidentCorrelator.add} and `expire` report. */
export interface IncidentUpdate {
  /** `new`: first event; `update`: a repeat after the debounce interval; `closed`: ended or expired. */
  readonly type: 'new' | 'update' | 'closed';
  readonly incident: Incident;
}

export interface IncidentOptions {
  /** Correlation window per kind, ms: repeats within it join the open incident. Default 5 min (traffic 2 min). */
  readonly windowMs?: Partial<Record<CameraEventKind, number>>;
  /** Minimum interval between `update` reports of one incident, ms. Default 60 000. */
  readonly debounceMs?: number;
  /** Normalized plates on a watch list (e.g. `98A12345`): their reads become `high` incidents. */
  readonly wantedPlates?: ReadonlySet<string>;
  /** Kinds that never open an incident. Default `motion` and `counting`. */
  readonly ignore?: readonly CameraEventKind[];
}

const DEFAULT_WINDOW = 5 * 60_000;
const TRAFFIC_WINDOW = 2 * 60_000;

const TITLES: Record<string, { vi: string; en: string }> = {
  motion: { vi: 'Phát hiện chuyển động', en: 'Motion detected' },
  tamper: { vi: 'Camera bị che hoặc tác động', en: 'Camera tampering' },
  video_loss: { vi: 'Mất tín hiệu video', en: 'Video loss' },
  intrusion: { vi: 'Xâm nhập hàng rào ảo', en: 'Virtual fence intrusion' },
  line_crossing: { vi: 'Vượt đường kẻ ảo', en: 'Line crossing' },
  loitering: { vi: 'Lảng vảng', en: 'Loitering' },
  crowd: { vi: 'Tụ tập đông người', en: 'Crowd gathering' },
  counting: { vi: 'Đếm đối tượng', en: 'Counting' },
  abandoned_object: { vi: 'Vật thể bị bỏ lại', en: 'Abandoned object' },
  removed_object: { vi: 'Vật thể bị lấy đi', en: 'Removed object' },
  face_match: { vi: 'Nhận diện khuôn mặt trong danh sách', en: 'Face on a watch list' },
  plate_read: { vi: 'Nhận dạng biển số', en: 'Licence plate read' },
  wrong_lane: { vi: 'Đi sai làn đường', en: 'Wrong lane' },
  wrong_way: { vi: 'Đi ngược chiều', en: 'Wrong-way driving' },
  illegal_parking: { vi: 'Dừng, đỗ xe trái phép', en: 'Illegal parking' },
  red_light: { vi: 'Vượt đèn đỏ', en: 'Red-light running' },
  speeding: { vi: 'Chạy quá tốc độ', en: 'Speeding' },
  wanted_plate: { vi: 'Phương tiện bị truy tìm', en: 'Wanted vehicle' },
};

const SEVERITY_TO_CAP: Record<AlertSeverity, CapSeverity> = {
  informational: 'Minor',
  low: 'Minor',
  medium: 'Moderate',
  high: 'Severe',
  critical: 'Extreme',
};

function classify(
  e: CameraEvent,
  wanted: ReadonlySet<string>,
): Pick<Incident, 'category' | 'subCategory' | 'capCategory' | 'severity' | 'title'> & { subject: string } {
  const t = (k: string): { vi: string; en: string } => TITLES[k] ?? { vi: k, en: k };
  switch (e.kind) {
    case 'traffic_violation': {
      const sub = {
        wrong_way: 'carWrongDirection',
        wrong_lane: 'wrongLane',
        illegal_parking: 'illegalParking',
        red_light: 'redLightViolation',
        speeding: 'speeding',
      }[e.violation];
      const isWanted = e.plate !== undefined && wanted.has(e.plate.normalized);
      return {
        category: 'traffic',
        subCategory: sub,
        capCategory: 'Transport',
        severity: isWanted
          ? 'high'
          : e.violation === 'wrong_way' || e.violation === 'red_light'
            ? 'medium'
            : 'low',
        title: t(e.violation),
        subject: `${e.violation}:${e.plate?.normalized ?? ''}`,
      };
    }
    case 'plate_read': {
      const isWanted = wanted.has(e.plate.normalized);
      return {
        category: isWanted ? 'security' : 'traffic',
        subCategory: isWanted ? 'wantedVehicle' : 'plateRead',
        capCategory: isWanted ? 'Security' : 'Transport',
        severity: isWanted ? 'high' : 'informational',
        title: t(isWanted ? 'wanted_plate' : 'plate_read'),
        subject: e.plate.normalized,
      };
    }
    case 'face_match':
      return {
        category: 'security',
        subCategory: e.listType === 'black' ? 'wantedPerson' : 'faceMatch',
        capCategory: 'Security',
        severity: e.listType === 'black' ? 'high' : 'informational',
        title: t('face_match'),
        subject: e.enrollmentId ?? e.label ?? '',
      };
    case 'crowd':
      return {
        category: 'security',
        subCategory: 'crowdRisk',
        capCategory: 'Security',
        severity: 'medium',
        title: t('crowd'),
        subject: e.rule?.name ?? '',
      };
    case 'intrusion':
    case 'line_crossing':
      return {
        category: 'security',
        subCategory: 'intrusion',
        capCategory: 'Security',
        severity: 'medium',
        title: t(e.kind),
        subject: e.rule?.name ?? '',
      };
    case 'abandoned_object':
    case 'removed_object':
    case 'loitering':
      return {
        category: 'security',
        subCategory: 'suspiciousAction',
        capCategory: 'Security',
        severity: 'medium',
        title: t(e.kind),
        subject: e.rule?.name ?? '',
      };
    case 'tamper':
    case 'video_loss':
      return {
        category: 'security',
        subCategory: e.kind === 'tamper' ? 'cameraTampering' : 'videoLoss',
        capCategory: 'Infra',
        severity: 'low',
        title: t(e.kind),
        subject: '',
      };
    case 'motion':
    case 'counting':
      return {
        category: 'security',
        subCategory: 'suspiciousAction',
        capCategory: 'Security',
        severity: 'informational',
        title: t(e.kind),
        subject: e.rule?.name ?? '',
      };
  }
}

interface Open {
  incident: Incident;
  lastMs: number;
  reportedMs: number;
}

/**
 * Correlates events into incidents: events with the same key (camera, channel, kind, subject) within the
 * kind's window join one incident; repeats are reported at most once per `debounceMs`; an `end` event or
 * `expire()` closes it. Pure and synchronous: time comes from the events.
 */
export class IncidentCorrelator {
  private readonly open = new Map<string, Open>();
  private readonly wanted: ReadonlySet<string>;
  private readonly ignore: ReadonlySet<CameraEventKind>;

  constructor(private readonly options: IncidentOptions = {}) {
    this.wanted = options.wantedPlates ?? new Set();
    this.ignore = new Set(options.ignore ?? ['motion', 'counting']);
  }

  private window(kind: CameraEventKind): number {
    return (
      this.options.windowMs?.[kind] ??
      (kind === 'traffic_violation' || kind === 'plate_read' ? TRAFFIC_WINDOW : DEFAULT_WINDOW)
    );
  }

  /** Number of open incidents. */
  get size(): number {
    return this.open.size;
  }

  /** Adds one event; returns what changed, or `undefined` when nothing is to be reported. */
  add(event: CameraEvent): IncidentUpdate | undefined {
    if (this.ignore.has(event.kind) || event.initial) return undefined;
    const at = Date.parse(event.time);
    if (!Number.isFinite(at)) {
      throw new CameraError(
        'INVALID_ARGUMENT',
        msg(`event time "${event.time}" is not ISO 8601`, `thời gian "${event.time}" không đúng ISO 8601`),
        {
          details: { field: 'time' },
        },
      );
    }
    const c = classify(event, this.wanted);
    const key = [event.source.cameraId, event.source.channel ?? '', event.kind, c.subject].join('|');
    const current = this.open.get(key);
    if (current && at - current.lastMs <= this.window(event.kind)) {
      const prev = current.incident;
      const incident: Incident = {
        ...prev,
        lastSeen: event.time,
        count: prev.count + 1,
        eventIds: [...prev.eventIds, event.id].slice(-50),
        latest: event,
        status: event.state === 'end' ? 'closed' : 'open',
        severity: prev.severity === 'high' || c.severity === 'high' ? 'high' : prev.severity,
        capSeverity: prev.severity === 'high' || c.severity === 'high' ? 'Severe' : prev.capSeverity,
      };
      current.incident = incident;
      current.lastMs = at;
      if (event.state === 'end') {
        this.open.delete(key);
        return { type: 'closed', incident };
      }
      if (at - current.reportedMs < (this.options.debounceMs ?? 60_000)) return undefined;
      current.reportedMs = at;
      return { type: 'update', incident };
    }
    if (current) this.open.delete(key);
    if (event.state === 'end') return undefined;
    const incident: Incident = {
      id: `inc-${createHash('sha256').update(`${key}\u0000${event.id}`).digest('hex').slice(0, 20)}`,
      key,
      kind: event.kind,
      cameraId: event.source.cameraId,
      ...(event.source.channel === undefined ? {} : { channel: event.source.channel }),
      category: c.category,
      subCategory: c.subCategory,
      capCategory: c.capCategory,
      severity: c.severity,
      capSeverity: SEVERITY_TO_CAP[c.severity],
      title: c.title,
      firstSeen: event.time,
      lastSeen: event.time,
      count: 1,
      eventIds: [event.id],
      latest: event,
      status: 'open',
    };
    this.open.set(key, { incident, lastMs: at, reportedMs: at });
    return { type: 'new', incident };
  }

  /** Closes incidents whose window has passed at `now` (ISO 8601); returns them. */
  expire(now: string): IncidentUpdate[] {
    const at = Date.parse(now);
    const out: IncidentUpdate[] = [];
    for (const [key, o] of this.open) {
      if (at - o.lastMs > this.window(o.incident.kind)) {
        this.open.delete(key);
        out.push({ type: 'closed', incident: { ...o.incident, status: 'closed' } });
      }
    }
    return out;
  }
}

/** Formats an instant as CAP wants it: seconds precision with a numeric offset (Vietnam, +07:00). */
export function capTime(iso: string): string {
  const ms = Date.parse(iso);
  const d = new Date(ms + 7 * 3600_000);
  return `${d.toISOString().slice(0, 19)}+07:00`;
}

export interface CapOptions {
  /** CAP `sender`, e.g. `ioc.bacgiang.gov.vn`. */
  readonly sender: string;
  readonly status?: 'Actual' | 'Exercise' | 'System' | 'Test' | 'Draft';
  readonly scope?: 'Public' | 'Restricted' | 'Private';
  /** Required by CAP when scope is Restricted. Default `Trung tâm IOC`. */
  readonly restriction?: string;
  readonly location?: CameraLocation;
  /** `sent` time. Default the incident's last event time. */
  readonly sent?: string;
  /** Message type. Default from the update: new → Alert, update → Update, closed → Cancel. */
  readonly update?: IncidentUpdate['type'];
}

/** An incident as an OASIS CAP 1.2 `alert` (Vietnamese `info`, then English). */
export function toCapAlert(incident: Incident, options: CapOptions): string {
  const status = options.status ?? 'Actual';
  const scope = options.scope ?? 'Restricted';
  const type =
    options.update ?? (incident.status === 'closed' ? 'closed' : incident.count > 1 ? 'update' : 'new');
  const msgType = type === 'new' ? 'Alert' : type === 'update' ? 'Update' : 'Cancel';
  const identifier = `${incident.id}-${incident.count}${type === 'closed' ? '-c' : ''}`;
  const sent = capTime(options.sent ?? incident.lastSeen);
  const references =
    msgType === 'Alert'
      ? ''
      : `<references>${escapeXml(`${options.sender},${incident.id}-1,${capTime(incident.firstSeen)}`)}</references>`;
  const e = incident.latest;
  const params: [string, string][] = [
    ['cameraId', incident.cameraId],
    ['eventKind', incident.kind],
    ['eventCount', String(incident.count)],
    ['firstSeen', incident.firstSeen],
  ];
  if (incident.channel !== undefined) params.push(['channel', incident.channel]);
  if (e.kind === 'plate_read' || (e.kind === 'traffic_violation' && e.plate)) {
    const plate = e.kind === 'plate_read' ? e.plate : e.plate;
    if (plate) params.push(['plate', plate.formatted ?? plate.normalized]);
  }
  if (e.kind === 'face_match' && e.enrollmentId !== undefined) params.push(['enrollmentId', e.enrollmentId]);
  if ((e.kind === 'traffic_violation' || e.kind === 'plate_read') && e.speedKmh !== undefined)
    params.push(['speedKmh', String(e.speedKmh)]);
  const urgency = incident.severity === 'high' || incident.severity === 'critical' ? 'Immediate' : 'Expected';
  const area = options.location
    ? `<area><areaDesc>${escapeXml(options.location.address ?? incident.cameraId)}</areaDesc><circle>${options.location.latitude},${options.location.longitude} 0.05</circle></area>`
    : `<area><areaDesc>${escapeXml(incident.cameraId)}</areaDesc></area>`;
  const info = (lang: 'vi' | 'en'): string =>
    `<info><language>${lang === 'vi' ? 'vi-VN' : 'en-US'}</language><category>${incident.capCategory}</category>` +
    `<event>${escapeXml(incident.title[lang])}</event><urgency>${urgency}</urgency><severity>${incident.capSeverity}</severity>` +
    `<certainty>Observed</certainty><eventCode><valueName>dttm:subCategory</valueName><value>${escapeXml(incident.subCategory)}</value></eventCode>` +
    `<headline>${escapeXml(`${incident.title[lang]} – ${incident.cameraId}`)}</headline>` +
    params
      .map(
        ([k, v]) =>
          `<parameter><valueName>${escapeXml(k)}</valueName><value>${escapeXml(v)}</value></parameter>`,
      )
      .join('') +
    (e.snapshot
      ? `<resource><resourceDesc>${lang === 'vi' ? 'Ảnh chụp' : 'Snapshot'}</resourceDesc><mimeType>image/jpeg</mimeType><uri>${escapeXml(e.snapshot.uri)}</uri></resource>`
      : '') +
    `${area}</info>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">` +
    `<identifier>${escapeXml(identifier)}</identifier><sender>${escapeXml(options.sender)}</sender><sent>${sent}</sent>` +
    `<status>${status}</status><msgType>${msgType}</msgType><scope>${scope}</scope>` +
    (scope === 'Restricted'
      ? `<restriction>${escapeXml(options.restriction ?? 'Trung tâm IOC')}</restriction>`
      : '') +
    `${references}${info('vi')}${info('en')}</alert>`
  );
}

/** An NGSI-LD property. */
interface Property<T> {
  readonly type: 'Property';
  readonly value: T;
}

/** A FIWARE `Alert` entity (NGSI-LD, normalized form). */
export interface NgsiLdAlert {
  readonly id: string;
  readonly type: 'Alert';
  readonly category: Property<string>;
  readonly subCategory: Property<string>;
  readonly severity: Property<AlertSeverity>;
  readonly description: Property<string>;
  readonly dateIssued: Property<{ readonly '@type': 'DateTime'; readonly '@value': string }>;
  readonly validFrom: Property<{ readonly '@type': 'DateTime'; readonly '@value': string }>;
  readonly alertSource: Property<string>;
  readonly location?: {
    readonly type: 'GeoProperty';
    readonly value: { readonly type: 'Point'; readonly coordinates: readonly [number, number] };
  };
  readonly data: Property<Readonly<Record<string, string | number>>>;
  readonly '@context': readonly string[];
}

/** An incident as a FIWARE `Alert` (NGSI-LD). */
export function toNgsiLdAlert(
  incident: Incident,
  options: { readonly location?: CameraLocation } = {},
): NgsiLdAlert {
  const e = incident.latest;
  const data: Record<string, string | number> = {
    eventKind: incident.kind,
    eventCount: incident.count,
    lastSeen: incident.lastSeen,
  };
  if (e.kind === 'plate_read') data.plate = e.plate.formatted ?? e.plate.normalized;
  if (e.kind === 'traffic_violation' && e.plate) data.plate = e.plate.formatted ?? e.plate.normalized;
  if (e.kind === 'face_match' && e.enrollmentId !== undefined) data.enrollmentId = e.enrollmentId;
  if (e.snapshot) data.snapshot = e.snapshot.uri;
  const dt = (v: string): { '@type': 'DateTime'; '@value': string } => ({
    '@type': 'DateTime',
    '@value': new Date(Date.parse(v)).toISOString(),
  });
  return {
    id: `urn:ngsi-ld:Alert:${incident.id}`,
    type: 'Alert',
    category: { type: 'Property', value: incident.category },
    subCategory: { type: 'Property', value: incident.subCategory },
    severity: { type: 'Property', value: incident.severity },
    description: { type: 'Property', value: `${incident.title.vi} / ${incident.title.en}` },
    dateIssued: { type: 'Property', value: dt(incident.lastSeen) },
    validFrom: { type: 'Property', value: dt(incident.firstSeen) },
    alertSource: { type: 'Property', value: `urn:ngsi-ld:Device:${incident.cameraId}` },
    ...(options.location
      ? {
          location: {
            type: 'GeoProperty',
            value: { type: 'Point', coordinates: [options.location.longitude, options.location.latitude] },
          },
        }
      : {}),
    data: { type: 'Property', value: data },
    '@context': [
      'https://raw.githubusercontent.com/smart-data-models/dataModel.Alert/master/context.jsonld',
      'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld',
    ],
  };
}

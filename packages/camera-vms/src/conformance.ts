import { isCameraError } from './errors.js';
import { OnvifClient, type OnvifClientOptions } from './onvif/client.js';
import { decodeNotification, mapOnvifNotification } from './onvif/notifications.js';
import { NS, referenceParameterHeaders } from './onvif/soap.js';
import type { CameraCapabilities, MediaProfile } from './types.js';
import { child, childrenNamed, descend, textAt } from './xml.js';

/** Result of one check. */
export type ConformanceStatus = 'passed' | 'failed' | 'skipped';

export interface ConformanceCheck {
  /** Stable id, e.g. `media.stream-uri`. */
  readonly id: string;
  /** What the check expects, in English and Vietnamese. */
  readonly title: { readonly en: string; readonly vi: string };
  readonly status: ConformanceStatus;
  readonly durationMs: number;
  /** What was observed (or why the check was skipped). */
  readonly details?: string;
  /** The typed error behind a failure. */
  readonly error?: { readonly code: string; readonly message: string };
}

/** The outcome of {@link runCameraConformance}. */
export interface CameraConformanceReport {
  /** The device service URL without credentials. */
  readonly target: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly device?: {
    readonly manufacturer: string;
    readonly model: string;
    readonly firmwareVersion: string;
  };
  readonly checks: readonly ConformanceCheck[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** `failed` when any check failed. */
  readonly verdict: 'passed' | 'failed';
}

export interface CameraConformanceOptions {
  /** Makes the device emit an event (e.g. a simulator's `publish`, or a prompt to walk past the camera). Without it `events.delivery` is skipped. */
  readonly trigger?: () => void | Promise<void>;
  /** How long `events.delivery` waits for a notification after `trigger`. Default 10 000 ms. */
  readonly eventTimeoutMs?: number;
  /** Run only these check ids (and skip the rest). Default all. */
  readonly only?: readonly string[];
  readonly signal?: AbortSignal;
}

/** Check ids, in the order they run. */
export const CAMERA_CONFORMANCE_CHECKS = [
  'device.system-date-and-time',
  'device.information',
  'device.services',
  'auth.rejects-wrong-password',
  'media.profiles',
  'media.stream-uri',
  'media.snapshot-uri',
  'ptz.status',
  'ptz.presets',
  'events.create-pull-point',
  'events.pull-messages',
  'events.delivery',
  'events.unsubscribe',
  'recording.search',
  'recording.replay-uri',
] as const;

type CheckId = (typeof CAMERA_CONFORMANCE_CHECKS)[number];

const TITLES: Readonly<Record<CheckId, { en: string; vi: string }>> = {
  'device.system-date-and-time': {
    en: 'GetSystemDateAndTime answers without authentication',
    vi: 'GetSystemDateAndTime trả lời khi chưa xác thực',
  },
  'device.information': {
    en: 'GetDeviceInformation gives manufacturer and model',
    vi: 'GetDeviceInformation trả về nhà sản xuất và kiểu máy',
  },
  'device.services': {
    en: 'GetServices (or GetCapabilities) advertises Media or Media2 and Events',
    vi: 'GetServices (hoặc GetCapabilities) công bố Media hoặc Media2 và Events',
  },
  'auth.rejects-wrong-password': {
    en: 'a wrong password is refused',
    vi: 'mật khẩu sai bị từ chối',
  },
  'media.profiles': {
    en: 'GetProfiles lists at least one profile with a video encoder',
    vi: 'GetProfiles có ít nhất một profile có bộ mã hóa video',
  },
  'media.stream-uri': {
    en: 'GetStreamUri gives an RTSP URI for the main profile',
    vi: 'GetStreamUri trả URI RTSP cho profile chính',
  },
  'media.snapshot-uri': {
    en: 'GetSnapshotUri gives an HTTP(S) URI',
    vi: 'GetSnapshotUri trả URI HTTP(S)',
  },
  'ptz.status': {
    en: 'PTZ GetStatus gives a position in the generic spaces',
    vi: 'PTZ GetStatus trả vị trí trong không gian chuẩn',
  },
  'ptz.presets': { en: 'PTZ GetPresets answers', vi: 'PTZ GetPresets trả lời' },
  'events.create-pull-point': {
    en: 'CreatePullPointSubscription gives a subscription address and a termination time in the future',
    vi: 'CreatePullPointSubscription trả địa chỉ đăng ký và thời điểm hết hạn trong tương lai',
  },
  'events.pull-messages': {
    en: 'PullMessages answers with CurrentTime and TerminationTime',
    vi: 'PullMessages trả lời có CurrentTime và TerminationTime',
  },
  'events.delivery': {
    en: 'a triggered event arrives as a NotificationMessage with a topic and UtcTime',
    vi: 'sự kiện được kích hoạt đến dưới dạng NotificationMessage có topic và UtcTime',
  },
  'events.unsubscribe': {
    en: 'Unsubscribe ends the subscription (a later PullMessages is refused)',
    vi: 'Unsubscribe kết thúc đăng ký (PullMessages sau đó bị từ chối)',
  },
  'recording.search': {
    en: 'FindRecordings and GetRecordingSearchResults list the recordings (Profile G)',
    vi: 'FindRecordings và GetRecordingSearchResults liệt kê bản ghi (Profile G)',
  },
  'recording.replay-uri': {
    en: 'GetReplayUri gives an RTSP URI for a recording (Profile G)',
    vi: 'GetReplayUri trả URI RTSP cho một bản ghi (Profile G)',
  },
};

class Skip extends Error {
  override readonly name = 'Skip';
}
class Failed extends Error {
  override readonly name = 'Failed';
}

function expect(condition: boolean, what: string): void {
  if (!condition) throw new Failed(what);
}

const PULL = `${NS.tev}/PullPointSubscription/PullMessagesRequest`;
const UNSUBSCRIBE = 'http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/UnsubscribeRequest';

/**
 * Runs the camera conformance checks against a live ONVIF device (`CAMERA_CONFORMANCE_CHECKS`: device
 * time and identity, advertised services, refusal of a wrong password, media profiles and URIs, PTZ,
 * the pull-point event cycle, Profile G search and replay) and returns a pass/fail report. Checks whose
 * feature the device does not advertise, or whose prerequisite failed, are `skipped` with the reason.
 * The report never contains credentials. Nothing is changed on the device except one event
 * subscription, which is removed.
 */
export async function runCameraConformance(
  target: OnvifClientOptions,
  options: CameraConformanceOptions = {},
): Promise<CameraConformanceReport> {
  const now = (): number => target.clock?.now() ?? Date.now();
  const startedAt = new Date(now()).toISOString();
  const url = new URL(target.url);
  url.username = '';
  url.password = '';
  const client = new OnvifClient(target);
  const checks: ConformanceCheck[] = [];
  const signal = options.signal;
  const call = signal === undefined ? {} : { signal };
  let device: CameraConformanceReport['device'];
  let caps: CameraCapabilities | undefined;
  let profiles: MediaProfile[] | undefined;
  let sub: { address: string; refs: string } | undefined;
  let unsubscribed = false;
  let recordings: string[] | undefined;

  const run = async (id: CheckId, body: () => Promise<string>): Promise<void> => {
    const t0 = now();
    const done = (status: ConformanceStatus, details?: string, error?: unknown): void => {
      checks.push({
        id,
        title: TITLES[id],
        status,
        durationMs: now() - t0,
        ...(details === undefined ? {} : { details }),
        ...(isCameraError(error) ? { error: { code: error.code, message: error.message } } : {}),
      });
    };
    if (options.only && !options.only.includes(id)) return done('skipped', 'not selected');
    try {
      done('passed', await body());
    } catch (err) {
      if (err instanceof Skip) done('skipped', err.message);
      else if (err instanceof Failed) done('failed', err.message);
      else done('failed', isCameraError(err) ? err.code : String(err), err);
    }
  };
  const needCaps = (): CameraCapabilities => {
    if (!caps) throw new Skip('the services are unknown (device.services did not pass)');
    return caps;
  };

  try {
    await run('device.system-date-and-time', async () => {
      const { username: _user, password: _password, ...anonymousTarget } = target;
      const anonymous = new OnvifClient({ ...anonymousTarget, auth: 'none' });
      try {
        const t = await anonymous.syncClock(call);
        return `device clock ${t.utc}, offset ${t.offsetMs} ms`;
      } finally {
        await anonymous.close();
      }
    });
    await run('device.information', async () => {
      const info = await client.getDeviceInformation(call);
      expect(info.manufacturer.trim() !== '' && info.model.trim() !== '', 'empty Manufacturer or Model');
      device = { manufacturer: info.manufacturer, model: info.model, firmwareVersion: info.firmwareVersion };
      return `${info.manufacturer} ${info.model} ${info.firmwareVersion}`.trim();
    });
    await run('device.services', async () => {
      const c = await client.getCapabilities(call);
      caps = c;
      expect(c.media || c.media2, 'neither Media nor Media2 is advertised');
      expect(c.events, 'the Events service is not advertised');
      const names = Object.entries({
        media: c.media,
        media2: c.media2,
        ptz: c.ptz,
        events: c.events,
        search: c.search,
        replay: c.replay,
        recording: c.recording,
      })
        .filter(([, v]) => v)
        .map(([k]) => k);
      return names.join(', ');
    });
    await run('auth.rejects-wrong-password', async () => {
      if (target.username === undefined || target.auth === 'none') throw new Skip('no credentials given');
      const wrong = new OnvifClient({ ...target, password: `${target.password ?? ''}\u0000wrong` });
      try {
        await wrong.getDeviceInformation(call);
      } catch (err) {
        if (isCameraError(err) && err.code === 'AUTH_FAILED') return 'refused with AUTH_FAILED';
        throw err;
      } finally {
        await wrong.close();
      }
      throw new Failed('GetDeviceInformation succeeded with a wrong password');
    });
    await run('media.profiles', async () => {
      needCaps();
      const list = await client.getProfiles(call);
      profiles = list;
      expect(list.length > 0, 'no profile');
      expect(
        list.some((p) => p.encoding !== undefined),
        'no profile has a video encoder configuration',
      );
      return list
        .map((p) => `${p.token} ${p.encoding ?? '?'} ${p.width ?? '?'}x${p.height ?? '?'}`)
        .join('; ');
    });
    const main = (): MediaProfile => {
      const list = profiles;
      if (!list || list.length === 0) throw new Skip('no profile (media.profiles did not pass)');
      const withVideo = list.filter((p) => p.width !== undefined && p.height !== undefined);
      const pick = [...withVideo].sort(
        (a, b) => (b.width ?? 0) * (b.height ?? 0) - (a.width ?? 0) * (a.height ?? 0),
      )[0];
      return pick ?? (list[0] as MediaProfile);
    };
    await run('media.stream-uri', async () => {
      const p = main();
      const s = await client.getStreamUri(p.token, call);
      expect(/^rtsps?:\/\/[^/@\s]+/i.test(s.uri), `not an RTSP URI: ${s.uri}`);
      return s.uri;
    });
    await run('media.snapshot-uri', async () => {
      const p = main();
      try {
        const s = await client.getSnapshotUri(p.token, call);
        expect(/^https?:\/\//i.test(s.uri), `not an HTTP(S) URI: ${s.uri}`);
        return s.uri;
      } catch (err) {
        if (isCameraError(err) && err.code === 'NOT_SUPPORTED') throw new Skip('snapshots not supported');
        throw err;
      }
    });
    const ptzProfile = (): MediaProfile => {
      if (!needCaps().ptz) throw new Skip('PTZ not advertised');
      const p = profiles?.find((x) => x.ptzConfigurationToken !== undefined);
      if (!p) throw new Skip('no profile has a PTZ configuration');
      return p;
    };
    await run('ptz.status', async () => {
      const p = ptzProfile();
      const pos = await client.getPtzPosition(p.token, call);
      const values = [pos.pan, pos.tilt, pos.zoom].filter((v): v is number => v !== undefined);
      expect(values.length > 0, 'GetStatus gave no position');
      expect(
        values.every((v) => Number.isFinite(v) && v >= -1 && v <= 1),
        `position outside the generic spaces: ${JSON.stringify(pos)}`,
      );
      return JSON.stringify(pos);
    });
    await run('ptz.presets', async () => {
      const p = ptzProfile();
      const presets = await client.getPresets(p.token, call);
      return `${presets.length} preset(s)`;
    });
    await run('events.create-pull-point', async () => {
      const c = needCaps();
      const events = c.services[NS.tev];
      if (!c.events || events === undefined) throw new Skip('Events not advertised');
      const { body, text } = await client.call(
        events,
        `${NS.tev}/EventPortType/CreatePullPointSubscriptionRequest`,
        '<tev:CreatePullPointSubscription><tev:InitialTerminationTime>PT60S</tev:InitialTerminationTime></tev:CreatePullPointSubscription>',
        call,
      );
      const r = child(body, 'CreatePullPointSubscriptionResponse');
      const address = textAt(r, 'SubscriptionReference', 'Address');
      expect(
        address !== undefined && /^https?:\/\//.test(address.trim()),
        'no SubscriptionReference/Address',
      );
      const current = Date.parse(textAt(r, 'CurrentTime') ?? '');
      const term = Date.parse(textAt(r, 'TerminationTime') ?? '');
      expect(Number.isFinite(current) && Number.isFinite(term), 'CurrentTime or TerminationTime missing');
      expect(term > current, 'TerminationTime is not after CurrentTime');
      const refs = referenceParameterHeaders(
        descend(r, 'SubscriptionReference', 'ReferenceParameters'),
        text,
      );
      // Same host rewriting as the client (NAT, port forwarding).
      const fixed = new URL((address ?? '').trim());
      if (target.rewriteServiceAddresses !== false) fixed.host = url.host;
      sub = { address: fixed.toString(), refs };
      return `${sub.address}, ${(term - current) / 1000} s${refs === '' ? '' : ', with reference parameters'}`;
    });
    const pull = async (timeout: string): Promise<ReturnType<typeof child>> => {
      if (!sub) throw new Skip('no subscription (events.create-pull-point did not pass)');
      const { body } = await client.call(
        sub.address,
        PULL,
        `<tev:PullMessages><tev:Timeout>${timeout}</tev:Timeout><tev:MessageLimit>10</tev:MessageLimit></tev:PullMessages>`,
        { ...call, wsaTo: true, referenceParameters: sub.refs, timeoutMs: 20_000 },
      );
      return child(body, 'PullMessagesResponse');
    };
    let pulledText = '';
    await run('events.pull-messages', async () => {
      const r = await pull('PT1S');
      expect(r !== undefined, 'no PullMessagesResponse');
      expect(
        Number.isFinite(Date.parse(textAt(r, 'CurrentTime') ?? '')) &&
          Number.isFinite(Date.parse(textAt(r, 'TerminationTime') ?? '')),
        'CurrentTime or TerminationTime missing',
      );
      return `${childrenNamed(r, 'NotificationMessage').length} message(s) pending`;
    });
    await run('events.delivery', async () => {
      if (!options.trigger) throw new Skip('no trigger given');
      if (!sub) throw new Skip('no subscription (events.create-pull-point did not pass)');
      await options.trigger();
      const deadline = now() + (options.eventTimeoutMs ?? 10_000);
      while (now() < deadline) {
        const { body, text } = await client.call(
          sub.address,
          PULL,
          '<tev:PullMessages><tev:Timeout>PT1S</tev:Timeout><tev:MessageLimit>10</tev:MessageLimit></tev:PullMessages>',
          { ...call, wsaTo: true, referenceParameters: sub.refs, timeoutMs: 20_000 },
        );
        pulledText = text;
        const msgs = childrenNamed(child(body, 'PullMessagesResponse'), 'NotificationMessage');
        const decoded = msgs.map((m) => decodeNotification(m, pulledText)).filter((n) => n !== undefined);
        const live = decoded.filter((n) => n.propertyOperation !== 'Initialized');
        const n = live[0];
        if (n) {
          expect(n.topic !== '', 'a NotificationMessage without Topic');
          expect(Number.isFinite(Date.parse(n.utcTime)), `UtcTime missing or invalid: ${n.utcTime}`);
          const event = mapOnvifNotification(n, 'conformance');
          return `${n.topic}${event ? ` → ${event.kind} ${event.state}` : ' (outside the taxonomy)'}`;
        }
      }
      throw new Failed('no event arrived in time');
    });
    await run('events.unsubscribe', async () => {
      if (!sub) throw new Skip('no subscription (events.create-pull-point did not pass)');
      const s = sub;
      const { body } = await client.call(s.address, UNSUBSCRIBE, '<wsnt:Unsubscribe/>', {
        ...call,
        wsaTo: true,
        referenceParameters: s.refs,
      });
      unsubscribed = true;
      expect(child(body, 'UnsubscribeResponse') !== undefined, 'no UnsubscribeResponse');
      try {
        await pull('PT0S');
      } catch (err) {
        if (isCameraError(err) && (err.code === 'SOAP_FAULT' || err.code === 'HTTP_ERROR')) {
          return `later PullMessages refused (${err.code}${typeof err.details?.subcode === 'string' && err.details.subcode !== '' ? ` ${err.details.subcode}` : ''})`;
        }
        throw err;
      }
      throw new Failed('PullMessages still works after Unsubscribe');
    });
    await run('recording.search', async () => {
      if (!needCaps().search) throw new Skip('Search not advertised');
      const list = await client.findRecordings({ maxMatches: 20 }, call);
      recordings = list.map((r) => r.token);
      return `${list.length} recording(s)`;
    });
    await run('recording.replay-uri', async () => {
      if (!needCaps().replay) throw new Skip('Replay not advertised');
      const token = recordings?.[0];
      if (token === undefined) throw new Skip('no recording to replay');
      const r = await client.getReplayUri(token, call);
      expect(/^rtsps?:\/\//i.test(r.uri), `not an RTSP URI: ${r.uri}`);
      return r.uri;
    });
  } finally {
    if (sub && !unsubscribed) {
      await client
        .call(sub.address, UNSUBSCRIBE, '<wsnt:Unsubscribe/>', {
          wsaTo: true,
          referenceParameters: sub.refs,
          timeoutMs: 2000,
        })
        .catch(() => undefined);
    }
    await client.close();
  }
  const count = (s: ConformanceStatus): number => checks.filter((c) => c.status === s).length;
  return {
    target: url.toString(),
    startedAt,
    finishedAt: new Date(now()).toISOString(),
    ...(device === undefined ? {} : { device }),
    checks,
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    verdict: count('failed') > 0 ? 'failed' : 'passed',
  };
}

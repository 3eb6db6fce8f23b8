import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as WS } from 'ws';
import {
  MILESTONE_EVENT_TYPES,
  MilestoneClient,
  MilestoneIdp,
  isCameraError,
  type CameraError,
  type CameraEvent,
  type MilestoneClientOptions,
  type MilestoneEventOptions,
  type MilestoneEventStream,
} from '@dttm/camera-vms';
import { startMilestoneSimulator, type MilestoneSimulator } from '../src/testing/index.js';

const CAM = '0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const CAM2 = '5f6e7d8c-9b0a-4c1d-8e2f-3a4b5c6d7e8f';
const LPR = 'a1b2c3d4-0000-4000-8000-00000000abcd';
const login = { username: 'vms-operator', password: 'Mật-khẩu-VMS-2026' };

let sim: MilestoneSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function motion(source = CAM, i = 0) {
  return {
    type: MILESTONE_EVENT_TYPES.motionStarted,
    source: `cameras/${source}`,
    time: `2026-12-01T08:00:0${i}.000Z`,
    stategroupid: 'motion',
  };
}

/** Reads events from a stream into `out` in the background; resolves when `count` have arrived. */
function collect(stream: MilestoneEventStream, out: CameraEvent[], count: number): Promise<void> {
  return (async () => {
    for await (const e of stream) {
      out.push(e);
      if (out.length >= count) break;
    }
  })();
}

function client(s: MilestoneSimulator, extra: Partial<MilestoneClientOptions> = {}): MilestoneClient {
  return new MilestoneClient({ url: s.url, ...login, timeoutMs: 3000, ...extra });
}

const fast: MilestoneEventOptions = { reconnectDelayMs: 10, jitter: () => 0 };

describe('Milestone API Gateway: Events and State WebSocket', () => {
  it('gets a token, starts a session, subscribes and normalizes events', async () => {
    sim = await startMilestoneSimulator(login);
    const c = client(sim, { cameraIds: { [CAM]: 'BG-0007' }, eventTypes: { [LPR]: 'plate_read' } });
    expect(c.eventsUrl).toBe(`${sim.url.replace('http:', 'ws:')}/api/ws/events/v1`);
    const stream = c.events({ filters: [{ resourceTypes: ['cameras'], eventTypes: ['*'] }] });
    const out: CameraEvent[] = [];
    const done = collect(stream, out, 2);
    await until(() => sim?.commands.some((x) => x.command === 'addSubscription') === true);
    const [motionId, lprId] = [
      ...sim.publish(motion(CAM, 1)),
      ...sim.publish({
        type: LPR,
        source: `cameras/${CAM}`,
        time: '2026-12-01T08:00:02.000Z',
        data: {
          Description: 'LPR',
          ObjectList: [
            {
              Name: 'Plate',
              Type: 'LicensePlate',
              Value: '98A-123.45',
              Confidence: 0.93,
              Polygon: {
                PointList: [
                  { X: 0.25, Y: 0.5 },
                  { X: 0.5, Y: 0.5 },
                  { X: 0.5, Y: 0.6 },
                ],
              },
            },
            { Name: 'Vehicle', Type: 'Vehicle', Value: 'Car' },
          ],
        },
      }),
    ];
    await done;
    expect(sim.tokenRequests).toEqual(['password']);
    expect(sim.commands.map((x) => x.command)).toEqual(['startSession', 'addSubscription']);
    expect(sim.commands[0]).toEqual({ command: 'startSession', commandId: 1, sessionId: '', eventId: '' });
    expect(sim.commands[1]).toEqual({
      command: 'addSubscription',
      commandId: 2,
      filters: [{ modifier: 'include', resourceTypes: ['cameras'], sourceIds: ['*'], eventTypes: ['*'] }],
    });
    expect(out.map((e) => [e.kind, e.state, e.source.cameraId, e.time])).toEqual([
      ['motion', 'start', 'BG-0007', '2026-12-01T08:00:01.000Z'],
      ['plate_read', 'pulse', 'BG-0007', '2026-12-01T08:00:02.000Z'],
    ]);
    const plate = out[1];
    if (plate?.kind !== 'plate_read') throw new Error('expected a plate');
    expect(plate.plate.normalized).toBe('98A12345');
    expect(plate.plate.province).toBe('Bắc Giang');
    expect(plate.confidence).toBe(0.93);
    expect(plate.vehicleType).toBe('car');
    expect(plate.objects[0]).toEqual({
      class: 'LicensePlate',
      box: { left: 0.25, top: 0.5, right: 0.5, bottom: 0.6 },
      confidence: 0.93,
    });
    expect(JSON.parse(plate.raw.payload).id).toBe(lprId);
    expect(stream.lastEventId).toBe(lprId);
    expect(motionId).not.toBe(lprId);
    // Leaving the loop closes the socket.
    await until(() => sim?.connections === 0);
  });

  it('a disconnect mid-stream resumes the session: no duplicates, no gaps', async () => {
    sim = await startMilestoneSimulator({ ...login, replayOverlap: 2 });
    const sessions: { sessionId: string; resumed: boolean }[] = [];
    const stream = client(sim).events({ ...fast, onSession: (s) => sessions.push(s) });
    const out: CameraEvent[] = [];
    const done = collect(stream, out, 8);
    await until(() => sim?.commands.some((x) => x.command === 'addSubscription') === true);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(...sim.publish(motion(CAM, i)));
    await until(() => out.length === 4);
    sim.dropConnections();
    // Published while the client is away: held by the gateway for the session.
    for (let i = 4; i < 8; i++) ids.push(...sim.publish(motion(CAM, i)));
    await done;
    expect(out.map((e) => JSON.parse(e.raw.payload).id)).toEqual(ids);
    expect(new Set(out.map((e) => e.id)).size).toBe(8);
    const starts = sim.commands.filter((x) => x.command === 'startSession');
    expect(starts).toEqual([
      { command: 'startSession', commandId: 1, sessionId: '', eventId: '' },
      { command: 'startSession', commandId: 1, sessionId: sessions[0]?.sessionId, eventId: ids[3] },
    ]);
    // The gateway resent two events from before the resume point; both were dropped.
    expect(stream.duplicates).toBe(2);
    expect(stream.resumes).toBe(1);
    expect(stream.connections).toBe(2);
    expect(sessions.map((s) => s.resumed)).toEqual([false, true]);
    // A resumed session keeps its subscription: no second addSubscription.
    expect(sim.commands.filter((x) => x.command === 'addSubscription')).toHaveLength(1);
  });

  it('a consumer slower than the gateway drops the connection and resumes without losing events', async () => {
    sim = await startMilestoneSimulator(login);
    const stream = client(sim).events({ ...fast, maxQueuedMessages: 3 });
    const out: CameraEvent[] = [];
    const ids: string[] = [];
    const run = (async () => {
      for await (const e of stream) {
        out.push(e);
        if (out.length === 1) {
          // Busy elsewhere while the gateway sends twelve messages.
          for (let i = 0; i < 12; i++) ids.push(...sim.publish(motion(CAM, i % 10)));
          await new Promise((r) => setTimeout(r, 100));
        }
        if (out.length === 13) break;
      }
    })();
    await until(() => sim?.commands.some((x) => x.command === 'addSubscription') === true);
    ids.push(...sim.publish(motion(CAM2, 0)));
    await run;
    expect(out.map((e) => JSON.parse(e.raw.payload).id)).toEqual(ids);
    expect(stream.connections).toBe(2);
    expect(stream.resumes).toBe(1);
  });

  it('a gateway that stops answering pings is dropped and the session resumed', async () => {
    sim = await startMilestoneSimulator(login);
    const reasons: string[] = [];
    const stream = client(sim).events({
      ...fast,
      keepAliveMs: 40,
      onReconnect: (r) => reasons.push(r.reason),
    });
    const out: CameraEvent[] = [];
    const done = collect(stream, out, 2);
    await until(() => sim?.commands.some((x) => x.command === 'addSubscription') === true);
    sim.publish(motion(CAM, 1));
    await until(() => out.length === 1);
    sim.answerPings(false);
    await until(() => reasons.length > 0);
    sim.answerPings(true);
    sim.publish(motion(CAM2, 2));
    await done;
    expect(out.map((e) => e.source.cameraId)).toEqual([CAM, CAM2]);
    expect(reasons[0]).toBe('NETWORK');
    expect(stream.resumes).toBeGreaterThanOrEqual(1);
    expect(stream.connections).toBeGreaterThanOrEqual(2);
  });

  it('after a gateway recycle it starts a new session, subscribes again and renews the token', async () => {
    sim = await startMilestoneSimulator(login);
    const reasons: string[] = [];
    const sessions: boolean[] = [];
    const stream = client(sim).events({
      ...fast,
      onReconnect: (r) => reasons.push(r.reason),
      onSession: (s) => sessions.push(s.resumed),
    });
    const out: CameraEvent[] = [];
    const done = collect(stream, out, 2);
    await until(() => sim?.commands.filter((x) => x.command === 'addSubscription').length === 1);
    sim.publish(motion(CAM, 1));
    await until(() => out.length === 1);
    sim.recycle();
    await until(() => sim?.commands.filter((x) => x.command === 'addSubscription').length === 2);
    // A drop before the new session delivered anything resumes the new session (not the old event id).
    sim.dropConnections();
    sim.publish(motion(CAM2, 2));
    await done;
    expect(stream.resumes).toBe(1);
    expect(sim.commands.filter((x) => x.command === 'startSession').at(-1)?.eventId).toBe('');
    expect(sim.commands.filter((x) => x.command === 'addSubscription')).toHaveLength(2);
    expect(out.map((e) => e.source.cameraId)).toEqual([CAM, CAM2]);
    expect(sessions).toEqual([false, false, true]);
    // The old token was forgotten by the gateway: the upgrade was refused once, then a new token worked.
    expect(sim.rejectedUpgrades).toBe(1);
    expect(reasons).toContain('AUTH_FAILED');
    expect(reasons).toContain('SESSION_LOST');
    expect(sim.tokenRequests[0]).toBe('password');
    expect(sim.tokenRequests).toHaveLength(2);
  });

  it('bad messages get typed errors; the connection stays up and later events arrive', async () => {
    sim = await startMilestoneSimulator(login);
    const invalid: CameraError[] = [];
    const unmapped: string[] = [];
    const stream = client(sim).events({
      ...fast,
      onInvalid: (e) => invalid.push(e),
      onUnmapped: (type) => unmapped.push(type),
    });
    const out: CameraEvent[] = [];
    const done = collect(stream, out, 2);
    await until(() => sim?.commands.some((x) => x.command === 'addSubscription') === true);
    sim.sendRaw('not json {');
    sim.sendRaw(new Uint8Array([1, 2, 3]));
    sim.sendRaw('{"hello":"world"}');
    sim.sendRaw(
      JSON.stringify({
        events: [
          { id: 'e-1', type: MILESTONE_EVENT_TYPES.motionStarted, source: `cameras/${CAM}` },
          {
            id: 'e-2',
            type: MILESTONE_EVENT_TYPES.motionStopped,
            source: `cameras/${CAM}`,
            time: '2026-12-01T08:00:05Z',
          },
          {
            id: 'e-3',
            type: '4577f552-765a-438c-bc7d-e5ff1f754bc3',
            source: `cameras/${CAM}`,
            time: '2026-12-01T08:00:06Z',
          },
        ],
      }),
    );
    sim.publish(motion(CAM2, 7));
    await done;
    expect(invalid.map((e) => [e.code, e.details?.path])).toEqual([
      ['EVENT_INVALID', '$'],
      ['EVENT_INVALID', '$'],
      ['EVENT_INVALID', '$'],
      ['EVENT_INVALID', '$.events[0].time'],
    ]);
    expect(out.map((e) => [e.kind, e.state, e.source.cameraId])).toEqual([
      ['motion', 'end', CAM],
      ['motion', 'start', CAM2],
    ]);
    expect(unmapped).toEqual(['4577f552-765a-438c-bc7d-e5ff1f754bc3']);
    expect(stream.connections).toBe(1);
  });

  it.each([
    ['the default ws (maxPayload)', {}],
    ['an injected WebSocket class (checked by the client)', { WebSocket: WS }],
  ])(
    'an oversized message closes the connection and ends the stream with EVENT_INVALID: %s',
    async (_name, extra) => {
      sim = await startMilestoneSimulator(login);
      const stream = client(sim, extra).events({ ...fast, maxMessageBytes: 4096 });
      const out: CameraEvent[] = [];
      const run = collect(stream, out, 10).then(
        () => 'ended',
        (e: unknown) => e,
      );
      await until(() => sim?.commands.some((x) => x.command === 'addSubscription') === true);
      sim.publish(motion(CAM, 1));
      await until(() => out.length === 1);
      sim.sendRaw(JSON.stringify({ events: [], pad: 'x'.repeat(10_000) }));
      const err = await run;
      expect(isCameraError(err) && [err.code, err.details?.path]).toEqual(['EVENT_INVALID', '$']);
      expect(out).toHaveLength(1);
      await until(() => sim?.connections === 0);
    },
  );

  it('wrong credentials end the stream with AUTH_FAILED and leak no secret', async () => {
    sim = await startMilestoneSimulator(login);
    const stream = new MilestoneClient({
      url: sim.url,
      username: login.username,
      password: 'sai-mật-khẩu',
    }).events(fast);
    const err = await collect(stream, [], 1).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isCameraError(err) && err.code).toBe('AUTH_FAILED');
    expect(JSON.stringify([String(err), isCameraError(err) ? err.details : {}])).not.toContain(
      'sai-mật-khẩu',
    );
    expect(sim.connections).toBe(0);
  });

  it('authenticates with the authenticate command for WebSocket classes without headers', async () => {
    sim = await startMilestoneSimulator(login);
    const seen: unknown[] = [];
    class HeaderlessWebSocket extends WS {
      constructor(url: string, options?: { headers?: Record<string, string> }) {
        seen.push(options);
        super(url);
      }
    }
    const stream = client(sim, { WebSocket: HeaderlessWebSocket, authentication: 'command' }).events(fast);
    const out: CameraEvent[] = [];
    const done = collect(stream, out, 1);
    await until(() => sim?.commands.some((x) => x.command === 'addSubscription') === true);
    sim.publish(motion(CAM, 3));
    await done;
    expect(seen).toEqual([undefined]);
    expect(sim.commands.map((x) => x.command)).toEqual(['authenticate', 'startSession', 'addSubscription']);
    expect(sim.commands[0]).toEqual({ command: 'authenticate', commandId: 1, token: '***' });
    expect(out[0]?.kind).toBe('motion');
  });

  it('reads the current states after a new session when includeState is set', async () => {
    sim = await startMilestoneSimulator(login);
    sim.publish(motion(CAM, 1), { ...motion(CAM2, 2), type: MILESTONE_EVENT_TYPES.motionStopped });
    const out: CameraEvent[] = [];
    await collect(client(sim).events({ ...fast, includeState: true }), out, 2);
    expect(out.map((e) => [e.source.cameraId, e.state, e.initial])).toEqual([
      [CAM, 'start', true],
      [CAM2, 'end', true],
    ]);
    expect(sim.commands.map((x) => x.command)).toEqual(['startSession', 'addSubscription', 'getState']);
  });

  it('excludes sources with an exclude filter', async () => {
    sim = await startMilestoneSimulator(login);
    const out: CameraEvent[] = [];
    const stream = client(sim).events({
      ...fast,
      filters: [{ resourceTypes: ['cameras'] }, { modifier: 'exclude', sourceIds: [CAM] }],
    });
    const done = collect(stream, out, 1);
    await until(() => sim?.commands.some((x) => x.command === 'addSubscription') === true);
    sim.publish(motion(CAM, 1));
    sim.publish(motion(CAM2, 2));
    await done;
    expect(out.map((e) => e.source.cameraId)).toEqual([CAM2]);
  });

  it('refuses filters that would subscribe to nothing, before connecting', () => {
    const c = new MilestoneClient({ url: 'https://vms.example.vn', ...login });
    const codes = [
      [],
      [{ modifier: 'exclude' as const, sourceIds: [CAM] }],
      [{ resourceTypes: [] }],
      [{ eventTypes: [''] }],
    ].map((filters) => {
      try {
        c.events({ filters });
        return 'none';
      } catch (err) {
        return isCameraError(err) ? err.code : 'other';
      }
    });
    expect(codes).toEqual(['INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT']);
    expect(c.eventsUrl).toBe('wss://vms.example.vn/api/ws/events/v1');
    expect(() => new MilestoneClient({ url: 'ftp://vms', ...login })).toThrow(/ws/);
    expect(() => new MilestoneClient({ url: 'https://vms' })).toThrow(/token/);
  });

  it('the signal ends the stream with ABORTED and closes the socket', async () => {
    sim = await startMilestoneSimulator(login);
    const ac = new AbortController();
    const run = collect(client(sim).events({ ...fast, signal: ac.signal }), [], 1).then(
      () => undefined,
      (e: unknown) => e,
    );
    await until(() => sim?.connections === 1 && sim.commands.length === 2);
    ac.abort();
    const err = await run;
    expect(isCameraError(err) && err.code).toBe('ABORTED');
    await until(() => sim?.connections === 0);
  });

  it('an unreachable gateway is retried with backoff until closed', async () => {
    sim = await startMilestoneSimulator(login);
    const token = await new MilestoneIdp({ url: sim.url, ...login }).token();
    const url = sim.url;
    await sim.close();
    sim = undefined;
    const reasons: string[] = [];
    const stream = new MilestoneClient({ url, token: () => token }).events({
      ...fast,
      onReconnect: (r) => {
        reasons.push(r.reason);
        if (reasons.length === 3) stream.close();
      },
    });
    const out: CameraEvent[] = [];
    await collect(stream, out, 1);
    expect(out).toEqual([]);
    expect(reasons).toEqual(['NETWORK', 'NETWORK', 'NETWORK']);
  });
});

describe('MilestoneIdp', () => {
  it('caches the token, refreshes it before expiry, and logs in again when the refresh token is refused', async () => {
    sim = await startMilestoneSimulator({ ...login, tokenTtlSeconds: 600 });
    let now = 1_000_000;
    const idp = new MilestoneIdp({ url: sim.url, ...login, clock: { now: () => now } });
    const a = await idp.token();
    expect(await idp.token()).toBe(a);
    const [b, c] = await Promise.all([((now += 541_000), idp.token()), idp.token()]);
    expect(b).toBe(c);
    expect(b).not.toBe(a);
    expect(sim.tokenRequests).toEqual(['password', 'refresh_token']);
    sim.recycle();
    now += 600_000;
    const d = await idp.token();
    expect(d).not.toBe(b);
    expect(sim.tokenRequests).toEqual(['password', 'refresh_token', 'refresh_token', 'password']);
    expect(idp.requests).toBe(4);
  });

  it('maps IDP failures to typed errors without the password', async () => {
    sim = await startMilestoneSimulator(login);
    const bad = new MilestoneIdp({ url: sim.url, username: login.username, password: 'không-đúng' });
    const err = await bad.token().catch((e: unknown) => e);
    expect(isCameraError(err) && [err.code, err.details]).toEqual([
      'AUTH_FAILED',
      { status: 400, error: 'invalid_grant' },
    ]);
    expect(String(err)).not.toContain('không-đúng');
    const wrongPath = new MilestoneIdp({ url: sim.url, ...login, tokenPath: '/nope' });
    const err2 = await wrongPath.token().catch((e: unknown) => e);
    expect(isCameraError(err2) && [err2.code, err2.retryable]).toEqual(['HTTP_ERROR', false]);
    expect(() => new MilestoneIdp({ url: 'ftp://x', ...login })).toThrow(/http/);
  });
});

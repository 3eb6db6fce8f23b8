/**
 * Several server instances on one PostgreSQL database and NATS: each camera's event subscription runs
 * on exactly one of them (the holder of its lease), registry changes made through one instance are
 * followed by the owner, and a peer takes the cameras of a stopped or crashed instance over.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { startOnvifSimulator, type OnvifSimulator } from '@dttm/camera-vms/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractErrors } from './contract.js';
import { serverFixture } from './helpers.js';
import { pgAdmin } from './pg.js';

const NATS = 'nats://127.0.0.1:4222';
const TTL = 2000;
const RENEW = 300;
const LOGIN = { username: 'admin', password: 'Mật-khẩu-ONVIF-lease' };

const db = `ioc_leases_${randomUUID().slice(0, 8)}`;
const env = {
  EVENT_BUS_URL: NATS,
  DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}`,
  // One key for every instance: each must open the passwords sealed by another.
  CAMERA_SECRET_KEY: randomBytes(32).toString('hex'),
  CAMERA_LEASE_TTL_MS: String(TTL),
  CAMERA_LEASE_RENEW_MS: String(RENEW),
  CAMERA_HEALTH_INTERVAL_MS: '200',
  CAMERA_RECONNECT_MAX_MS: '400',
  // No de-duplication window: a second subscription's copy of an event would show as a second incident.
  INCIDENT_DEDUP_WINDOW_MS: '0',
  KPI_ALERT_INTERVAL_MS: '0',
  REPORTS_INTERVAL_MS: '0',
};

type Fixture = ReturnType<typeof serverFixture>;
const a = serverFixture(env);
const b = serverFixture(env);
const c = serverFixture(env);
const running = new Set<Fixture>();
let sim1: OnvifSimulator;
let sim2: OnvifSimulator;

beforeAll(async () => {
  await pgAdmin(`CREATE DATABASE ${db}`);
  sim1 = await startOnvifSimulator(LOGIN);
  sim2 = await startOnvifSimulator(LOGIN);
  for (const f of [a, b]) {
    await f.start();
    running.add(f);
  }
});
afterAll(async () => {
  for (const f of running) await f.stop();
  await sim1?.close();
  await sim2?.close();
  await pgAdmin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
});

async function api(f: Fixture, method: string, path: string, body?: unknown) {
  const res = await fetch(new URL(path, f.ctx.server.url), {
    method,
    headers: {
      authorization: `Bearer ${f.ctx.token(['operator'])}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const type = res.headers.get('content-type')?.split(';')[0] ?? '';
  const text = await res.text();
  return {
    status: res.status,
    type,
    json: (type.endsWith('json') ? JSON.parse(text) : {}) as Record<string, unknown> & {
      items?: Record<string, unknown>[];
    },
  };
}

async function health(f: Fixture, id: string) {
  const r = await api(f, 'GET', `/api/v1/cameras/${id}/health`);
  expect(r.status).toBe(200);
  expect(contractErrors('GET', '/api/v1/cameras/{cameraId}/health', r.status, r.type, r.json)).toEqual([]);
  return r.json as { status: string; owner?: string; events: number };
}

async function waitFor<T>(what: string, fn: () => Promise<T> | T, ms = 10_000): Promise<NonNullable<T>> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `fn` stays true for `ms` (several reconcile rounds). */
async function holds(fn: () => boolean, ms = 4 * RENEW): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    expect(fn()).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const camera = (id: string, url: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Camera ${id}`,
  protocol: 'onvif',
  url,
  ...LOGIN,
  location: { lat: 21.2731, lon: 106.1946 },
  area: '213',
  unit: 'police',
  ...extra,
});

const lineCrossing = (at: Date) => ({
  topic: 'tns1:RuleEngine/LineDetector/Crossed',
  source: { VideoSourceConfigurationToken: 'VSC_1', Rule: 'Vạch dừng' },
  data: { ObjectId: '7' },
  utcTime: at.toISOString(),
});

const incidents = async (f: Fixture, id: string) =>
  (await api(f, 'GET', `/api/v1/incidents?camera=${id}`)).json.items ?? [];

describe('camera subscriptions on instances sharing PostgreSQL and NATS', () => {
  it('runs the subscription of a camera registered through one instance there, and only there', async () => {
    const r = await api(a, 'POST', '/api/v1/cameras', camera('BG-L001', sim1.url));
    expect(r.status).toBe(201);
    // At once on the registering instance: the lease is acquired in the registration.
    expect((await health(a, 'BG-L001')).owner).toBe(a.ctx.server.bus.source);
    await waitFor('the pull point', () => sim1.subscriptionCount === 1);
    await waitFor('online', async () => (await health(a, 'BG-L001')).status === 'online');
    await holds(() => sim1.subscriptionCount === 1);
    // The other instance names the owner and shows the owner's status (its camera.health event).
    const seen = await waitFor('the owner’s status on B', async () => {
      const h = await health(b, 'BG-L001');
      return h.status === 'online' ? h : undefined;
    });
    expect(seen.owner).toBe(a.ctx.server.bus.source);
    expect(b.ctx.server.bus.source).not.toBe(a.ctx.server.bus.source);
  });

  it('opens exactly one incident from a camera event', async () => {
    sim1.publish(lineCrossing(new Date()));
    await waitFor('an incident', async () => (await incidents(b, 'BG-L001')).length === 1);
    await new Promise((r) => setTimeout(r, 1000));
    const list = await incidents(a, 'BG-L001');
    expect(list).toHaveLength(1);
    expect(list[0]?.count).toBe(1);
    expect((await health(a, 'BG-L001')).events).toBe(1);
  });

  it('does not subscribe a second time to a camera registered through the other instance', async () => {
    const r = await api(b, 'POST', '/api/v1/cameras', camera('BG-L002', sim2.url));
    expect(r.status).toBe(201);
    expect((await health(b, 'BG-L002')).owner).toBe(b.ctx.server.bus.source);
    await waitFor('the pull point', () => sim2.subscriptionCount === 1);
    await holds(() => sim2.subscriptionCount === 1 && sim1.subscriptionCount === 1);
    expect((await health(a, 'BG-L002')).owner).toBe(b.ctx.server.bus.source);
  });

  it('follows a change made through a non-owning instance within a reconcile round', async () => {
    // Disabled through A: B, the owner, stops the subscription and gives the lease up.
    const off = await api(
      a,
      'PUT',
      '/api/v1/cameras/BG-L002',
      camera('BG-L002', sim2.url, { enabled: false }),
    );
    expect(off.status).toBe(200);
    await waitFor('the subscription ended', () => sim2.subscriptionCount === 0, 3 * RENEW + 2000);
    const h = await health(b, 'BG-L002');
    expect(h.status).toBe('disabled');
    expect(h.owner).toBeUndefined();
    expect(await a.ctx.server.storage.cameras.listCameraLeases({ cameraId: 'BG-L002' })).toEqual([]);
    // Enabled again through A: one instance (A, at once, the lease being free) subscribes again.
    const on = await api(a, 'PUT', '/api/v1/cameras/BG-L002', camera('BG-L002', sim2.url));
    expect(on.status).toBe(200);
    expect((await health(a, 'BG-L002')).owner).toBe(a.ctx.server.bus.source);
    await waitFor('a new pull point', () => sim2.subscriptionCount === 1);
    await holds(() => sim2.subscriptionCount === 1);
  });

  it('hands the cameras of a crashed instance to a peer after the lease TTL', async () => {
    // B registers a third camera and owns it; A owns BG-L001 and BG-L002.
    expect(
      (await api(b, 'POST', '/api/v1/cameras', camera('BG-L003', sim2.url, { channel: 2 }))).status,
    ).toBe(201);
    await waitFor('two pull points on sim2', () => sim2.subscriptionCount === 2);
    // A crash: the instance ends without giving its leases back.
    a.ctx.server.storage.cameras.releaseCameraLeases = () => Promise.resolve(0);
    const gone = a.ctx.server.bus.source;
    await a.stop();
    running.delete(a);
    const stopped = Date.now();
    expect(sim1.subscriptionCount).toBe(0);
    await waitFor('B took BG-L001 over', () => sim1.subscriptionCount === 1, TTL + RENEW + 5000);
    const took = Date.now() - stopped;
    // Not before the lease (renewed at most one round before the stop) lapsed; within TTL + one round.
    expect(took).toBeGreaterThanOrEqual(TTL - RENEW - 100);
    expect(took).toBeLessThanOrEqual(TTL + RENEW + 3000);
    await waitFor('B owns BG-L002 too', () => sim2.subscriptionCount === 2);
    for (const id of ['BG-L001', 'BG-L002', 'BG-L003'])
      expect((await health(b, id)).owner).toBe(b.ctx.server.bus.source);
    expect((await b.ctx.server.storage.cameras.listCameraLeases()).filter((l) => l.owner === gone)).toEqual(
      [],
    );
    // A new event still opens an incident, once.
    await waitFor('online on B', async () => (await health(b, 'BG-L001')).status === 'online');
    sim1.publish(lineCrossing(new Date(Date.now() + 5000)));
    await waitFor('a second incident', async () => (await incidents(b, 'BG-L001')).length === 2);
    await new Promise((r) => setTimeout(r, 800));
    expect((await incidents(b, 'BG-L001')).map((i) => i.count)).toEqual([1, 1]);
  });

  it('hands the cameras over at once when their owner stops cleanly', async () => {
    await c.start();
    running.add(c);
    await holds(() => sim1.subscriptionCount === 1 && sim2.subscriptionCount === 2);
    expect((await health(c, 'BG-L001')).owner).toBe(b.ctx.server.bus.source);
    await b.stop();
    running.delete(b);
    const stopped = Date.now();
    await waitFor(
      'C took every camera over',
      () => sim1.subscriptionCount === 1 && sim2.subscriptionCount === 2,
      TTL + 5000,
    );
    // The released leases are free at once: the next reconcile round takes them, well before the TTL.
    expect(Date.now() - stopped).toBeLessThan(TTL);
    for (const id of ['BG-L001', 'BG-L002', 'BG-L003'])
      expect((await health(c, id)).owner).toBe(c.ctx.server.bus.source);
  });
});

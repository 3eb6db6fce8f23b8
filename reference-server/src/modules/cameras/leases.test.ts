/**
 * The camera service's reconcile round on one database with a controlled clock: lapsing leases stop
 * the subscriptions, a lease taken by a peer stops them, a change made through another instance
 * restarts them with the new settings, deletion stops them.
 */
import { randomBytes } from 'node:crypto';
import { startOnvifSimulator, type OnvifSimulator } from '@dttm/camera-vms/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_SCOPES, type Principal } from '../../auth/roles.js';
import { createLocalBus } from '../../events/local.js';
import { silentLogger } from '../../logger.js';
import { openSqliteStorage } from '../../storage/sqlite/index.js';
import type { Storage } from '../../storage/types.js';
import { CameraSecrets } from './secrets.js';
import { CameraService, type CameraInput } from './service.js';

const operator: Principal = {
  subject: 'op',
  roles: ['operator'],
  scopes: new Set(ROLE_SCOPES.operator),
  expiresAt: 2_000_000_000,
};
const LOGIN = { username: 'admin', password: 'lease-test' };
const TTL = 30_000;
let clock = new Date('2026-06-01T03:00:00Z').getTime();
const now = () => new Date(clock);

let storage: Storage;
let sim1: OnvifSimulator;
let sim2: OnvifSimulator;
const secrets = new CameraSecrets(randomBytes(32));
const service = (instanceId: string) =>
  new CameraService({
    repo: storage.cameras,
    bus: createLocalBus({ source: instanceId }),
    logger: silentLogger,
    secrets,
    now,
    dedupWindowMs: 0,
    healthIntervalMs: 60_000,
    reconnectDelayMs: 100,
    maxReconnectDelayMs: 200,
    pullTimeoutMs: 1000,
    province: { adminUnitCode: '24', districts: ['213'] },
    instanceId,
    leaseTtlMs: TTL,
    leaseRenewMs: 0,
  });
let a: CameraService;
let b: CameraService;

const input = (url: string, extra: Partial<CameraInput> = {}): CameraInput => ({
  id: 'BG-S001',
  name: 'Camera',
  protocol: 'onvif',
  url,
  ...LOGIN,
  location: { lat: 21.27, lon: 106.19 },
  area: '213',
  unit: 'police',
  ...extra,
});

/** Pull requests so far: a subscription is established (and unsubscribes when stopped) once it pulls. */
const pulls = (sim: OnvifSimulator) => sim.requests.filter((r) => r.operation === 'PullMessages').length;

async function waitFor(what: string, fn: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  storage = openSqliteStorage({ file: ':memory:' });
  sim1 = await startOnvifSimulator(LOGIN);
  sim2 = await startOnvifSimulator(LOGIN);
  a = service('A');
  b = service('B');
  await a.start();
  await b.start();
});
afterAll(async () => {
  await a.close();
  await b.close();
  await storage.close();
  await sim1.close();
  await sim2.close();
});

describe('camera subscription leases in the service', () => {
  it('subscribes on the registering instance at once; the peer’s rounds leave it there', async () => {
    await a.createCamera(input(sim1.url), operator);
    expect((await a.health('BG-S001', { all: true })).owner).toBe('A');
    await waitFor('the pull point', () => sim1.subscriptionCount === 1 && pulls(sim1) > 0);
    clock += TTL / 2;
    await b.reconcile();
    await a.reconcile();
    await b.reconcile();
    expect(sim1.subscriptionCount).toBe(1);
    const seen = await b.health('BG-S001', { all: true });
    expect(seen).toMatchObject({ owner: 'A', status: 'connecting', events: 0 });
  });

  it('stops the subscription when the leases cannot be renewed before they lapse', async () => {
    const acquire = storage.cameras.acquireCameraLeases;
    storage.cameras.acquireCameraLeases = () => Promise.reject(new Error('database unreachable'));
    try {
      clock += TTL / 2;
      await a.reconcile();
      // Renewed at the last round: the lease still holds for a moment.
      expect(sim1.subscriptionCount).toBe(1);
      clock += TTL / 2;
      await a.reconcile();
      await waitFor('the subscription stopped', () => sim1.subscriptionCount === 0);
      expect((await a.health('BG-S001', { all: true })).owner).toBeUndefined();
    } finally {
      storage.cameras.acquireCameraLeases = acquire;
    }
    // The expired lease is anyone's: the peer's round takes it.
    await b.reconcile();
    await a.reconcile();
    expect((await a.health('BG-S001', { all: true })).owner).toBe('B');
    const before = pulls(sim1);
    await waitFor('the peer’s pull point', () => sim1.subscriptionCount === 1 && pulls(sim1) > before);
  });

  it('follows a change made through the other instance, and a lease taken by a peer', async () => {
    // Re-pointed through A: B (the owner) keeps the lease and moves its subscription to the new device.
    await a.updateCamera('BG-S001', input(sim2.url), operator);
    expect((await a.health('BG-S001', { all: true })).owner).toBe('B');
    const before = pulls(sim2);
    await b.reconcile();
    await waitFor(
      'moved to the new device',
      () => sim1.subscriptionCount === 0 && sim2.subscriptionCount === 1 && pulls(sim2) > before,
    );
    // The lease taken by A (B's expired, say, after a long pause): B's next round stops.
    clock += TTL + 1;
    const pulled = pulls(sim2);
    await a.reconcile();
    await waitFor('A subscribed', () => sim2.subscriptionCount === 2 && pulls(sim2) >= pulled + 2);
    await b.reconcile();
    await waitFor('B stopped', () => sim2.subscriptionCount === 1);
    expect((await b.health('BG-S001', { all: true })).owner).toBe('A');
    expect((await a.health('BG-S001', { all: true })).owner).toBe('A');
  });

  it('stops the owner’s subscription when the camera is deleted through another instance', async () => {
    await b.deleteCamera('BG-S001', operator);
    expect(await storage.cameras.listCameraLeases()).toEqual([]);
    expect(sim2.subscriptionCount).toBe(1);
    await a.reconcile();
    await waitFor('A stopped', () => sim2.subscriptionCount === 0);
  });
});

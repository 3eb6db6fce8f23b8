/** The camera demo: simulators registered as cameras, their analytics opening incidents. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCamerasDemo, DEMO_WATCHED_PLATE, type CamerasDemo } from '../src/demo/cameras.js';
import { createLocalBus } from '../src/events/local.js';
import { silentLogger } from '../src/index.js';
import { CameraSecrets } from '../src/modules/cameras/secrets.js';
import { CameraService } from '../src/modules/cameras/service.js';
import { openSqliteStorage } from '../src/storage/sqlite/index.js';
import type { Storage } from '../src/storage/types.js';

let storage: Storage;
let service: CameraService;
let demo: CamerasDemo;

const DISTRICTS = ['213', '215', '216', '217', '218', '219', '220', '221', '222', '223'];

beforeAll(async () => {
  storage = openSqliteStorage({ file: ':memory:' });
  service = new CameraService({
    repo: storage.cameras,
    bus: createLocalBus({ source: 'urn:test' }),
    logger: silentLogger,
    secrets: new CameraSecrets(randomBytes(32)),
    dedupWindowMs: 300_000,
    healthIntervalMs: 200,
    maxReconnectDelayMs: 400,
    province: { adminUnitCode: '24', districts: DISTRICTS },
  });
  await service.start();
  demo = await startCamerasDemo({ service, logger: silentLogger, intervalMs: 150 });
});
afterAll(async () => {
  await demo.close();
  await service.close();
  await storage.close();
});

it('registers the simulators and registry cameras, and their events open incidents', async () => {
  const cameras = await service.listCameras({ all: true });
  expect(cameras.map((c) => [c.id, c.protocol, c.area])).toEqual([
    ['BG-CAM-001', 'onvif', '213'],
    ['BG-CAM-101', 'isapi', '213'],
    ['BG-CAM-201', 'none', '216'],
    ['BG-CAM-202', 'none', '219'],
    ['BG-CAM-203', 'none', '222'],
    ['BG-CAM-204', 'none', '221'],
  ]);
  expect((await service.coverage()).province).toMatchObject({ cameras: 6, districtsCovered: 5, share: 50 });
  expect((await service.listWatchlist()).map((w) => w.raw)).toEqual([DEMO_WATCHED_PLATE]);
  const until = Date.now() + 15_000;
  let kinds = new Set<string>();
  let high = false;
  while (Date.now() < until && !(kinds.has('motion') && kinds.has('line_crossing') && high)) {
    await new Promise((r) => setTimeout(r, 100));
    const incidents = await service.listIncidents({ limit: 100 }, { all: true });
    kinds = new Set(incidents.map((i) => i.kind));
    high = incidents.some(
      (i) => i.cameraId === 'BG-CAM-101' && i.severity === 'high' && i.plate?.normalized === '98A99999',
    );
  }
  expect([...kinds].sort()).toEqual(expect.arrayContaining(['line_crossing', 'motion', 'plate_read']));
  expect(high).toBe(true);
  // Repeats join the open incidents instead of opening new ones.
  const motion = (await service.listIncidents({ limit: 100 }, { all: true })).filter(
    (i) => i.kind === 'motion',
  );
  expect(motion).toHaveLength(1);
  expect((await service.health('BG-CAM-001', { all: true })).status).toBe('online');
});

it('re-points the demo cameras at new simulators on the next start, keeping one registration each', async () => {
  await demo.close();
  demo = await startCamerasDemo({ service, logger: silentLogger, intervalMs: 150 });
  expect((await service.listCameras({ all: true })).length).toBe(6);
  const until = Date.now() + 10_000;
  while (Date.now() < until && (await service.health('BG-CAM-101', { all: true })).status !== 'online')
    await new Promise((r) => setTimeout(r, 100));
  expect((await service.health('BG-CAM-101', { all: true })).status).toBe('online');
});

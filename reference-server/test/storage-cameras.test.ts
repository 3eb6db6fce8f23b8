/**
 * The camera repository (cameras, incidents, plate watch list) against both storage back ends: the
 * embedded SQLite file and the machine's PostgreSQL (a fresh database per run, dropped afterwards).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStorage } from '../src/storage/postgres/index.js';
import { openSqliteStorage } from '../src/storage/sqlite/index.js';
import type { CameraIncident, RegisteredCamera, Storage } from '../src/storage/types.js';
import { pgAdmin } from './pg.js';

const backends = [
  {
    name: 'sqlite',
    open(): Promise<{ storage: Storage; cleanup: () => Promise<void> }> {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-cameras-'));
      const storage = openSqliteStorage({ file: path.join(dir, 'ioc.sqlite') });
      return Promise.resolve({
        storage,
        cleanup: async () => {
          await storage.close();
          fs.rmSync(dir, { recursive: true, force: true });
        },
      });
    },
  },
  {
    name: 'postgres',
    async open(): Promise<{ storage: Storage; cleanup: () => Promise<void> }> {
      const db = `ioc_cam_${process.pid}_${randomBytes(4).toString('hex')}`;
      await pgAdmin(`CREATE DATABASE ${db}`);
      const storage = await openPostgresStorage({
        connectionString: `postgres://postgres@127.0.0.1:5432/${db}`,
      });
      return {
        storage,
        cleanup: async () => {
          await storage.close();
          await pgAdmin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
        },
      };
    },
  },
] as const;

const camera = (id: string, over: Partial<RegisteredCamera> = {}): RegisteredCamera => ({
  id,
  name: `Camera ${id}`,
  protocol: 'onvif',
  url: 'http://127.0.0.1:1/onvif/device_service',
  username: 'admin',
  hasPassword: true,
  channel: 1,
  location: { lat: 21.27, lon: 106.19 },
  area: '213',
  unit: 'police',
  publicOrder: true,
  enabled: true,
  createdAt: '2026-12-01T01:00:00.000Z',
  updatedAt: '2026-12-01T01:00:00.000Z',
  ...over,
});

const incident = (id: string, over: Partial<CameraIncident> = {}): CameraIncident => ({
  id,
  cameraId: 'BG-0001',
  cameraName: 'Camera BG-0001',
  unit: 'police',
  area: '213',
  location: { lat: 21.27, lon: 106.19 },
  kind: 'intrusion',
  category: 'security',
  subCategory: 'intrusion',
  capCategory: 'Security',
  severity: 'medium',
  capSeverity: 'Moderate',
  title: { vi: 'Xâm nhập hàng rào ảo', en: 'Virtual fence intrusion' },
  state: 'open',
  firstSeen: '2026-12-01T01:00:00Z',
  lastSeen: '2026-12-01T01:00:00Z',
  count: 1,
  eventIds: ['e1'],
  dedupKey: 'BG-0001|1|intrusion|fence',
  openedAt: '2026-12-01T01:00:00.000Z',
  updatedAt: '2026-12-01T01:00:00.000Z',
  history: [{ to: 'open', at: '2026-12-01T01:00:00.000Z', by: 'system' }],
  ...over,
});

const audit = (action: string) => ({ actor: 'tester', action, subject: 'camera:x' });

describe.each(backends)('camera repository on $name', (backend) => {
  let storage: Storage;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ storage, cleanup } = await backend.open());
  });
  afterAll(() => cleanup());

  it('applies migration 8', async () => {
    expect(await storage.schemaVersion()).toBeGreaterThanOrEqual(8);
  });

  it('creates, lists, filters, updates and deletes cameras, keeping the sealed password apart', async () => {
    const repo = storage.cameras;
    expect(
      await repo.createCamera({ camera: camera('BG-0002'), sealedPassword: 'v1.a.b.c' }, audit('c')),
    ).toBe(true);
    expect(await repo.createCamera({ camera: camera('BG-0002') }, audit('c'))).toBe(false);
    expect(
      await repo.createCamera({ camera: camera('BG-0001', { area: '215', unit: 'transport' }) }, audit('c')),
    ).toBe(true);
    expect((await repo.listCameras()).map((c) => c.camera.id)).toEqual(['BG-0001', 'BG-0002']);
    expect((await repo.listCameras({ area: '215' })).map((c) => c.camera.id)).toEqual(['BG-0001']);
    expect((await repo.listCameras({ unit: 'police' })).map((c) => c.camera.id)).toEqual(['BG-0002']);
    expect(
      (await repo.listCameras({ visibleTo: { unit: 'police', area: '215' } })).map((c) => c.camera.id),
    ).toEqual(['BG-0001', 'BG-0002']);
    expect(await repo.listCameras({ visibleTo: {} })).toEqual([]);
    const got = await repo.getCamera('BG-0002');
    expect(got?.sealedPassword).toBe('v1.a.b.c');
    expect(got?.camera.name).toBe('Camera BG-0002');
    // An update without a new password keeps the stored one; clearPassword removes it.
    expect(await repo.updateCamera({ camera: camera('BG-0002', { name: 'Ngã tư' }) }, audit('u'))).toBe(true);
    expect((await repo.getCamera('BG-0002'))?.sealedPassword).toBe('v1.a.b.c');
    expect((await repo.getCamera('BG-0002'))?.camera.name).toBe('Ngã tư');
    expect(
      await repo.updateCamera({ camera: camera('BG-0002', { hasPassword: false }) }, audit('u'), {
        clearPassword: true,
      }),
    ).toBe(true);
    expect((await repo.getCamera('BG-0002'))?.sealedPassword).toBeUndefined();
    expect(await repo.updateCamera({ camera: camera('BG-9999') }, audit('u'))).toBe(false);
    expect(await repo.deleteCamera('BG-0001', audit('d'))).toBe(true);
    expect(await repo.deleteCamera('BG-0001', audit('d'))).toBe(false);
    expect(await repo.getCamera('BG-0001')).toBeUndefined();
  });

  it('stores incidents with optimistic state updates, the active one by key, and filtered pages', async () => {
    const repo = storage.cameras;
    await repo.createIncident(incident('inc-a'), audit('i'));
    await repo.createIncident(
      incident('inc-b', {
        unit: 'transport',
        area: '215',
        cameraId: 'BG-0003',
        dedupKey: 'k2',
        openedAt: '2026-12-01T02:00:00.000Z',
      }),
      audit('i'),
    );
    await repo.createIncident(
      incident('inc-c', { state: 'resolved', openedAt: '2026-12-01T03:00:00.000Z' }),
      audit('i'),
    );
    expect((await repo.findActiveIncident('BG-0001|1|intrusion|fence'))?.id).toBe('inc-a');
    expect(await repo.findActiveIncident('nothing')).toBeUndefined();
    expect((await repo.listIncidents({ limit: 10 })).map((i) => i.id)).toEqual(['inc-c', 'inc-b', 'inc-a']);
    expect((await repo.listIncidents({ limit: 1, offset: 1 })).map((i) => i.id)).toEqual(['inc-b']);
    expect((await repo.listIncidents({ states: ['open'], limit: 10 })).map((i) => i.id)).toEqual([
      'inc-b',
      'inc-a',
    ]);
    expect(await repo.listIncidents({ states: [], limit: 10 })).toEqual([]);
    expect((await repo.listIncidents({ unit: 'transport', limit: 10 })).map((i) => i.id)).toEqual(['inc-b']);
    expect((await repo.listIncidents({ cameraId: 'BG-0003', limit: 10 })).map((i) => i.id)).toEqual([
      'inc-b',
    ]);
    expect(
      (
        await repo.listIncidents({
          from: '2026-12-01T01:30:00.000Z',
          to: '2026-12-01T03:00:00.000Z',
          limit: 10,
        })
      ).map((i) => i.id),
    ).toEqual(['inc-b']);
    expect((await repo.listIncidents({ visibleTo: { area: '215' }, limit: 10 })).map((i) => i.id)).toEqual([
      'inc-b',
    ]);
    const next = incident('inc-a', { state: 'acknowledged', updatedAt: '2026-12-01T04:00:00.000Z' });
    expect(await repo.updateIncident(next, 'resolved', audit('t'))).toBe(false);
    expect(await repo.updateIncident(next, 'open', audit('t'))).toBe(true);
    expect((await repo.getIncident('inc-a'))?.state).toBe('acknowledged');
    expect(await repo.updateIncident(next, 'open', audit('t'))).toBe(false);
    expect(await repo.getIncident('nope')).toBeUndefined();
  });

  it('keeps the plate watch list by normalized plate and audits every write', async () => {
    const repo = storage.cameras;
    const before = (await storage.audit.list({ limit: 1000 })).length;
    const p = { plate: '98A12345', raw: '98A-123.45', reason: 'Xe bị truy tìm', addedBy: 'op', addedAt: 'x' };
    expect(await repo.addWatchedPlate(p, audit('w'))).toBe(true);
    expect(await repo.addWatchedPlate({ ...p, raw: '98A12345' }, audit('w'))).toBe(false);
    expect(await repo.listWatchedPlates()).toEqual([p]);
    expect(await repo.removeWatchedPlate('98A12345', audit('w'))).toBe(true);
    expect(await repo.removeWatchedPlate('98A12345', audit('w'))).toBe(false);
    expect(await repo.listWatchedPlates()).toEqual([]);
    expect((await storage.audit.list({ limit: 1000 })).length).toBe(before + 2);
    expect((await storage.audit.verify()).ok).toBe(true);
  });
});

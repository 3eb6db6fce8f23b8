/**
 * The camera subscription leases (migration 9) against both storage back ends: the embedded SQLite
 * file and the machine's PostgreSQL (a fresh database per run, dropped afterwards). Two storage
 * instances on one database stand for two server instances.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStorage } from '../src/storage/postgres/index.js';
import { openSqliteStorage } from '../src/storage/sqlite/index.js';
import type { RegisteredCamera, Storage } from '../src/storage/types.js';
import { pgAdmin } from './pg.js';

interface Opened {
  readonly a: Storage;
  readonly b: Storage;
  cleanup(): Promise<void>;
}

const backends = [
  {
    name: 'sqlite',
    open(): Promise<Opened> {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-leases-'));
      const file = path.join(dir, 'ioc.sqlite');
      const a = openSqliteStorage({ file });
      const b = openSqliteStorage({ file });
      return Promise.resolve({
        a,
        b,
        cleanup: async () => {
          await a.close();
          await b.close();
          fs.rmSync(dir, { recursive: true, force: true });
        },
      });
    },
  },
  {
    name: 'postgres',
    async open(): Promise<Opened> {
      const db = `ioc_lease_${process.pid}_${randomBytes(4).toString('hex')}`;
      await pgAdmin(`CREATE DATABASE ${db}`);
      const url = `postgres://postgres@127.0.0.1:5432/${db}`;
      const a = await openPostgresStorage({ connectionString: url });
      const b = await openPostgresStorage({ connectionString: url });
      return {
        a,
        b,
        cleanup: async () => {
          await a.close();
          await b.close();
          await pgAdmin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
        },
      };
    },
  },
] as const;

const camera = (id: string): RegisteredCamera => ({
  id,
  name: `Camera ${id}`,
  protocol: 'onvif',
  url: 'http://127.0.0.1:1/onvif/device_service',
  hasPassword: false,
  channel: 1,
  location: { lat: 21.27, lon: 106.19 },
  area: '213',
  unit: 'police',
  publicOrder: true,
  enabled: true,
  createdAt: '2026-12-01T01:00:00.000Z',
  updatedAt: '2026-12-01T01:00:00.000Z',
});

const audit = (action: string) => ({ actor: 'tester', action, subject: 'camera:x' });
const T0 = new Date('2026-12-01T02:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const TTL = 30_000;

describe.each(backends)('camera subscription leases on $name', (backend) => {
  let a: Storage;
  let b: Storage;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ a, b, cleanup } = await backend.open());
    for (const id of ['C-1', 'C-2', 'C-3', 'C-9'])
      expect(await a.cameras.createCamera({ camera: camera(id) }, audit('camera.create'))).toBe(true);
  });
  afterAll(() => cleanup());

  it('acquires free leases of registered cameras only, and lists them', async () => {
    expect(await a.cameras.acquireCameraLeases('A', ['C-2', 'C-1', 'C-1', 'NOPE'], T0, TTL)).toEqual([
      'C-1',
      'C-2',
    ]);
    expect(await b.cameras.listCameraLeases()).toEqual([
      { cameraId: 'C-1', owner: 'A', expiresAt: at(TTL).toISOString() },
      { cameraId: 'C-2', owner: 'A', expiresAt: at(TTL).toISOString() },
    ]);
    expect(await a.cameras.acquireCameraLeases('A', [], T0, TTL)).toEqual([]);
  });

  it('refuses a live lease of another owner and renews the own one', async () => {
    expect(await b.cameras.acquireCameraLeases('B', ['C-1', 'C-2', 'C-3'], at(10_000), TTL)).toEqual(['C-3']);
    expect(await a.cameras.acquireCameraLeases('A', ['C-1', 'C-3'], at(20_000), TTL)).toEqual(['C-1']);
    expect(await a.cameras.listCameraLeases({ owner: 'A' })).toEqual([
      { cameraId: 'C-1', owner: 'A', expiresAt: at(20_000 + TTL).toISOString() },
      { cameraId: 'C-2', owner: 'A', expiresAt: at(TTL).toISOString() },
    ]);
    expect(await a.cameras.listCameraLeases({ cameraId: 'C-3' })).toEqual([
      { cameraId: 'C-3', owner: 'B', expiresAt: at(10_000 + TTL).toISOString() },
    ]);
  });

  it('lets another owner take over an expired lease', async () => {
    // C-2 expired at T0 + TTL (A did not renew it); C-1 was renewed up to T0 + 20 s + TTL.
    expect(await b.cameras.acquireCameraLeases('B', ['C-1', 'C-2'], at(TTL), TTL)).toEqual(['C-2']);
    expect(await a.cameras.acquireCameraLeases('A', ['C-2'], at(TTL + 1), TTL)).toEqual([]);
    expect((await a.cameras.listCameraLeases({ cameraId: 'C-2' }))[0]?.owner).toBe('B');
  });

  it('releases only the own leases, so that a peer takes over at once', async () => {
    expect(await b.cameras.releaseCameraLeases('A', ['C-2', 'C-3'])).toBe(0);
    expect(await a.cameras.releaseCameraLeases('A', ['C-1', 'C-2'])).toBe(1);
    expect(await b.cameras.acquireCameraLeases('B', ['C-1'], at(TTL + 2), TTL)).toEqual(['C-1']);
    expect(await b.cameras.releaseCameraLeases('B')).toBe(3);
    expect(await a.cameras.listCameraLeases()).toEqual([]);
  });

  it('drops the lease with the camera', async () => {
    expect(await a.cameras.acquireCameraLeases('A', ['C-9'], T0, TTL)).toEqual(['C-9']);
    expect(await a.cameras.deleteCamera('C-9', audit('camera.delete'))).toBe(true);
    expect(await b.cameras.listCameraLeases({ cameraId: 'C-9' })).toEqual([]);
    expect(await b.cameras.acquireCameraLeases('B', ['C-9'], T0, TTL)).toEqual([]);
  });

  it('gives each camera to exactly one of two instances acquiring at the same time', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `R-${String(i).padStart(2, '0')}`);
    for (const id of ids) await a.cameras.createCamera({ camera: camera(id) }, audit('camera.create'));
    for (let round = 0; round < 5; round++) {
      const now = at(1_000_000 * (round + 1));
      const [x, y] = await Promise.all([
        a.cameras.acquireCameraLeases('A', ids, now, TTL),
        b.cameras.acquireCameraLeases('B', [...ids].reverse(), now, TTL),
      ]);
      expect([...x, ...y].sort()).toEqual(ids);
      const leases = await a.cameras.listCameraLeases();
      expect(leases.filter((l) => l.cameraId.startsWith('R-')).map((l) => l.cameraId)).toEqual(ids);
      for (const l of leases) expect(l.owner).toBe(x.includes(l.cameraId) ? 'A' : 'B');
      // Let them expire: the next round starts from free (expired) leases.
    }
  });
});

import { randomBytes } from 'node:crypto';
import { BAC_GIANG_2025, type Profile } from '@dttm/ioc-kpi';
import { afterEach, describe, expect, it } from 'vitest';
import { ROLE_SCOPES, type Principal } from '../../auth/roles.js';
import { createLocalBus } from '../../events/local.js';
import { silentLogger, type Logger } from '../../logger.js';
import { openSqliteStorage } from '../../storage/sqlite/index.js';
import type { Storage } from '../../storage/types.js';
import { KpiService } from '../kpi/service.js';
import { recordCameraKpis } from './kpi-feed.js';
import { CameraSecrets } from './secrets.js';
import { CameraService } from './service.js';

const NOW = new Date('2026-06-01T03:00:00Z');
const operator: Principal = {
  subject: 'op',
  roles: ['operator'],
  scopes: new Set(ROLE_SCOPES.operator),
  expiresAt: 2_000_000_000,
};
const DISTRICTS = (BAC_GIANG_2025.subareas ?? []).map((s) => s.adminUnitCode);

let open: { storage: Storage; kpi: KpiService; cameras: CameraService }[] = [];
afterEach(async () => {
  for (const o of open) {
    await o.cameras.close();
    await o.kpi.close();
    await o.storage.close();
  }
  open = [];
});

function setup(profile: Profile) {
  const storage = openSqliteStorage({ file: ':memory:' });
  const bus = createLocalBus({ source: 'urn:test' });
  const kpi = new KpiService({
    repo: storage.kpi,
    bus,
    logger: silentLogger,
    profiles: [profile],
    alertIntervalMs: 0,
    now: () => NOW,
  });
  const cameras = new CameraService({
    repo: storage.cameras,
    bus,
    logger: silentLogger,
    secrets: new CameraSecrets(randomBytes(32)),
    dedupWindowMs: 1000,
    healthIntervalMs: 1000,
    province: { adminUnitCode: '24', districts: DISTRICTS },
  });
  open.push({ storage, kpi, cameras });
  const add = (id: string, area: string, extra: { publicOrder?: boolean } = {}) =>
    cameras.createCamera(
      { id, name: id, protocol: 'none', location: { lat: 21.3, lon: 106.2 }, area, unit: 'police', ...extra },
      operator,
    );
  return { kpi, cameras, add };
}

const byScope = async (kpi: KpiService) =>
  Object.fromEntries(
    (await kpi.listObservations({ indicators: ['L2.N2.PN2.01'], limit: 100 })).map((r) => [
      r.observation.scope.adminUnitCode,
      r.observation,
    ]),
  );

describe('camera-coverage KPI L2.N2.PN2.01', () => {
  it('records nothing for an empty registry', async () => {
    const { kpi, cameras } = setup(BAC_GIANG_2025);
    expect(await recordCameraKpis({ cameras, kpi, logger: silentLogger, now: () => NOW })).toBe(0);
    expect(await kpi.listObservations({ indicators: ['L2.N2.PN2.01'], limit: 10 })).toEqual([]);
  });

  it('in % (Bảng 4): the share of districts with a public-order camera, each district 0 or 100', async () => {
    const { kpi, cameras, add } = setup(BAC_GIANG_2025);
    await add('A', '213');
    await add('B', '213');
    await add('C', '219');
    await add('D', '222', { publicOrder: false });
    expect(await recordCameraKpis({ cameras, kpi, logger: silentLogger, now: () => NOW })).toBe(11);
    const o = await byScope(kpi);
    expect(o['24']).toMatchObject({ value: 20, numerator: 2, denominator: 10, period: { year: 2026 } });
    expect(o['24']?.scope.level).toBe('province');
    expect(o['213']).toMatchObject({ value: 100, numerator: 1, denominator: 1, source: 'ioc-cameras' });
    expect(o['222']).toMatchObject({ value: 0, numerator: 0, denominator: 1 });
    // Unchanged registry: nothing new.
    expect(await recordCameraKpis({ cameras, kpi, logger: silentLogger, now: () => NOW })).toBe(0);
  });

  it('as the Bảng 3 alias: cameras per km² per district and for the province', async () => {
    const profile = {
      ...BAC_GIANG_2025,
      aliases: { ...(BAC_GIANG_2025.aliases ?? {}), 'L2.N2.PN2.01': 'bang-3' },
    };
    const { kpi, cameras, add } = setup(profile);
    expect(kpi.defaultProfile.indicators.get('L2.N2.PN2.01')?.unit).toBe('count-per-area');
    for (const [id, area] of [
      ['A', '213'],
      ['B', '213'],
      ['C', '213'],
      ['D', '219'],
    ] as const)
      await add(id, area);
    const warned: string[] = [];
    const logger = {
      ...silentLogger,
      warn: (m: string, f?: Record<string, unknown>) => void warned.push(m + JSON.stringify(f)),
    } as Logger;
    const n = await recordCameraKpis({ cameras, kpi, logger, now: () => NOW });
    expect(warned).toEqual([]);
    expect(n).toBe(11);
    const o = await byScope(kpi);
    // 3 / 66.77 km² = 0.0449304…; 1 / 1012.23 km² = 0.000987918…; 4 / 3831.43 km² = 0.00104400…
    expect(o['213']).toMatchObject({ value: 0.0449304, numerator: 3, denominator: 66.77 });
    expect(o['219']).toMatchObject({ value: 0.000987918, numerator: 1, denominator: 1012.23 });
    expect(o['220']).toMatchObject({ value: 0, numerator: 0, denominator: 849.68 });
    expect(o['24']).toMatchObject({ value: 0.001044, numerator: 4, denominator: 3831.43 });
  });
});

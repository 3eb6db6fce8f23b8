import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LgspClient,
  MemoryStore,
  PortalClient,
  isLgspError,
  type LgspClientOptions,
  type PortalDossier,
} from '../../src/index.js';
import {
  startLgspSimulator,
  type LgspSimulator,
  type LgspSimulatorOptions,
} from '../../src/testing/index.js';

let sim: LgspSimulator;
const clients: LgspClient[] = [];

async function start(options: LgspSimulatorOptions = {}): Promise<void> {
  sim = await startLgspSimulator(options);
}

beforeEach(async () => {
  await start();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await sim.close();
});

function portal(
  options: {
    client?: Partial<LgspClientOptions>;
    password?: string;
    pageSize?: number;
    store?: MemoryStore;
  } = {},
) {
  const client = new LgspClient({
    baseUrl: sim.url,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    ...options.client,
  });
  clients.push(client);
  return new PortalClient({
    client,
    credentials: { username: 'sim-portal', password: options.password ?? 'sim-portal-secret' },
    basePath: '/dvcqg/1.0',
    syncRetry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
    ...(options.store === undefined ? {} : { dedupStore: options.store }),
  });
}

const dossier: PortalDossier = {
  code: 'G22.HG-261201-0001',
  version: 1,
  procedureCode: '1.000001',
  receivingAgency: '000.00.14.H22',
  status: '2',
  applicant: { name: 'Nguyễn Thị Hồng', idNumber: '002190000123', phone: '0912345678' },
  receivedAt: new Date('2026-12-01T02:15:30Z'),
  dueAt: new Date('2026-12-01T10:00:00Z'),
  summary: 'Đăng ký khai sinh cho con',
  channel: '1',
};

function servicesCalled(): string[] {
  return sim.requests.map((r) => r.path);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isLgspError(error)) return error.code;
    throw error;
  }
  return 'resolved';
}

describe('PortalClient session', () => {
  it('logs in once and re-uses the session for later calls', async () => {
    const p = portal();
    await p.listAgencies();
    await p.listFields();
    expect(p.loginCount).toBe(1);
    expect(sim.portalSessionsIssued()).toBe(1);
    expect(servicesCalled()).toEqual(['/dvcqg/1.0/login', '/dvcqg/1.0/service', '/dvcqg/1.0/service']);
  });

  it('logs in again once when the session expired, shared by concurrent calls', async () => {
    const p = portal();
    await p.login();
    sim.expirePortalSessions();
    const results = await Promise.all(Array.from({ length: 8 }, () => p.listAgencies()));
    expect(results.map((r) => r.length)).toEqual([4, 4, 4, 4, 4, 4, 4, 4]);
    expect(p.loginCount).toBe(2);
    expect(sim.portalSessionsIssued()).toBe(2);
  });

  it('renews a session reported expired in a 200 body too', async () => {
    await sim.close();
    await start({ portal: { sessionErrorStatus: 200 } });
    const p = portal();
    await p.login();
    sim.expirePortalSessions();
    expect((await p.getProcedure('1.000002')).name).toBe('Đăng ký kết hôn');
    expect(p.loginCount).toBe(2);
  });

  it('fails with AUTH_FAILED when the portal refuses the credentials, without sending a service call', async () => {
    const p = portal({ password: 'wrong' });
    expect(await codeOf(p.listFields())).toBe('AUTH_FAILED');
    expect(servicesCalled()).toEqual(['/dvcqg/1.0/login']);
  });

  it('never logs the password or the session token', async () => {
    const lines: string[] = [];
    const logger = {
      debug: (m: string, f: unknown) => lines.push(`${m} ${JSON.stringify(f)}`),
      info: (m: string, f: unknown) => lines.push(`${m} ${JSON.stringify(f)}`),
      warn: (m: string, f: unknown) => lines.push(`${m} ${JSON.stringify(f)}`),
    };
    const p = portal({ client: { logger } });
    sim.inject({ fault: { kind: 'status', status: 503 }, pathPrefix: '/dvcqg/1.0/service' });
    await p.listFields();
    const text = lines.join('\n');
    expect(lines.length).toBeGreaterThan(3);
    expect(text).not.toContain('sim-portal-secret');
    expect(text).not.toContain('sim-session-1');
  });

  it('rejects empty credentials at construction', () => {
    const client = new LgspClient({ baseUrl: 'http://127.0.0.1:1' });
    expect(() => new PortalClient({ client, credentials: { username: 'a', password: '' } })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', details: { field: 'credentials.password' } }),
    );
  });
});

describe('PortalClient catalogue calls', () => {
  it('lists procedures page by page', async () => {
    const p = portal({ pageSize: 3 });
    const first = await p.listProcedures();
    expect(first.page).toBe(1);
    expect(first.total).toBe(7);
    expect(first.items[0]).toEqual({
      code: '1.000001',
      name: 'Đăng ký khai sinh',
      fieldCode: 'HT',
      agencyCode: '000.00.14.H22',
      level: '4',
      raw: {
        MaTTHC: '1.000001',
        TenTTHC: 'Đăng ký khai sinh',
        MaLinhVuc: 'HT',
        MaCoQuan: '000.00.14.H22',
        MucDo: '4',
      },
    });
    const all: string[] = [];
    for await (const proc of p.procedures()) all.push(proc.code);
    expect(all).toEqual(['1.000001', '1.000002', '1.000003', '1.000004', '1.000005', '1.000006', '1.000007']);
    // 1 page above + 3 pages (3 + 3 + 1).
    expect(servicesCalled().filter((s) => s.endsWith('/service'))).toHaveLength(4);
  });

  it('filters procedures by agency', async () => {
    const page = await portal().listProcedures({ agencyCode: '000.00.11.H22' });
    expect(page.items.map((i) => i.name)).toEqual([
      'Cấp giấy phép xây dựng nhà ở riêng lẻ',
      'Điều chỉnh giấy phép xây dựng',
    ]);
  });

  it('reads one procedure with its details', async () => {
    const proc = await portal().getProcedure('1.000001');
    expect({ ...proc, raw: undefined }).toEqual({
      code: '1.000001',
      name: 'Đăng ký khai sinh',
      fieldCode: 'HT',
      agencyCode: '000.00.14.H22',
      level: '4',
      processingTime: 'Ngay trong ngày tiếp nhận',
      steps: 'Nộp hồ sơ; tiếp nhận; trả kết quả',
      fees: 'Miễn lệ phí',
      raw: undefined,
    });
  });

  it('reports an unknown procedure as PORTAL_REJECTED with the portal code', async () => {
    try {
      await portal().getProcedure('9.999999');
      expect.unreachable();
    } catch (error) {
      expect(isLgspError(error) && error.code).toBe('PORTAL_REJECTED');
      expect(isLgspError(error) && error.details).toMatchObject({
        operation: 'LayThuTuc',
        resultCode: '404',
      });
    }
  });

  it('lists agencies and fields', async () => {
    const p = portal();
    const agencies = await p.listAgencies();
    expect(agencies.map(({ code, name, parentCode }) => ({ code, name, parentCode }))).toEqual([
      { code: '000.00.00.H22', name: 'UBND tỉnh Hà Giang', parentCode: undefined },
      { code: '000.00.03.H22', name: 'Sở Kế hoạch và Đầu tư tỉnh Hà Giang', parentCode: '000.00.00.H22' },
      { code: '000.00.11.H22', name: 'Sở Xây dựng tỉnh Hà Giang', parentCode: '000.00.00.H22' },
      { code: '000.00.14.H22', name: 'Sở Tư pháp tỉnh Hà Giang', parentCode: '000.00.00.H22' },
    ]);
    const fields = await p.listFields();
    expect(fields.map(({ code, name, sectorCode }) => [code, name, sectorCode])).toEqual([
      ['HT', 'Hộ tịch', 'TP'],
      ['LLTP', 'Lý lịch tư pháp', 'TP'],
      ['DKKD', 'Thành lập và hoạt động của doanh nghiệp', 'KHDT'],
      ['XD', 'Hoạt động xây dựng', 'XD'],
    ]);
  });

  it('retries a catalogue read after a dropped connection', async () => {
    const p = portal();
    await p.login();
    sim.inject({ fault: { kind: 'drop' }, pathPrefix: '/dvcqg/1.0/service' });
    expect(await p.listFields()).toHaveLength(4);
    expect(servicesCalled().filter((s) => s.endsWith('/service'))).toHaveLength(2);
  });
});

describe('PortalClient dossier sync', () => {
  it('sends the dossier with portal field names, dates in Vietnam time and NFC text', async () => {
    const p = portal();
    const decomposed = 'Nguye\u0302\u0303n Thi\u0323 Ho\u0302\u0300ng';
    const result = await p.syncDossier({ ...dossier, applicant: { ...dossier.applicant, name: decomposed } });
    expect(result).toMatchObject({
      dossierCode: dossier.code,
      dedupKey: '000.00.14.H22:G22.HG-261201-0001:1',
      deduplicated: false,
      message: 'Thành công',
    });
    const stored = sim.portalDossiers('000.00.14.H22');
    expect(stored).toHaveLength(1);
    expect(stored[0]?.record).toEqual({
      MaHoSo: 'G22.HG-261201-0001',
      MaTTHC: '1.000001',
      MaCoQuan: '000.00.14.H22',
      TrangThaiHoSo: '2',
      ChuHoSo: 'Nguyễn Thị Hồng',
      SoGiayToChuHoSo: '002190000123',
      SoDienThoai: '0912345678',
      TrichYeuHoSo: 'Đăng ký khai sinh cho con',
      KenhThucHien: '1',
      NgayTiepNhan: '20261201091530',
      NgayHenTra: '20261201170000',
    });
    expect((stored[0]?.record.ChuHoSo as string) === 'Nguyễn Thị Hồng'.normalize('NFC')).toBe(true);
  });

  it('retries after a 5xx without creating two dossiers', async () => {
    const p = portal();
    await p.login();
    sim.inject({ fault: { kind: 'status', status: 502 }, pathPrefix: '/dvcqg/1.0/service', times: 2 });
    const result = await p.syncDossier(dossier);
    expect(result.deduplicated).toBe(false);
    expect(servicesCalled().filter((s) => s.endsWith('/service'))).toHaveLength(3);
    expect(sim.portalDossiers('000.00.14.H22')).toHaveLength(1);
  });

  it('retries a sync whose answer was lost after the portal stored it, as an update: still one dossier', async () => {
    const p = portal();
    await p.login();
    sim.inject({ fault: { kind: 'dropAfterProcessing' }, pathPrefix: '/dvcqg/1.0/service' });
    const result = await p.syncDossier(dossier);
    expect(result.deduplicated).toBe(false);
    expect(servicesCalled().filter((s) => s.endsWith('/service'))).toHaveLength(2);
    const stored = sim.portalDossiers('000.00.14.H22');
    expect(stored.map((d) => d.code)).toEqual([dossier.code]);
    expect(stored[0]?.record.ChuHoSo).toBe('Nguyễn Thị Hồng');
  });

  it('retries a sync after a timeout once the portal stored it: still one dossier', async () => {
    const p = portal();
    await p.login();
    sim.inject({ fault: { kind: 'hangAfterProcessing' }, pathPrefix: '/dvcqg/1.0/service' });
    await p.syncDossier(dossier, { timeoutMs: 300 });
    expect(sim.portalDossiers('000.00.14.H22')).toHaveLength(1);
  });

  it('gives up with HTTP_SERVER_ERROR after syncRetry.maxAttempts and remembers nothing', async () => {
    const store = new MemoryStore();
    const p = portal({ store });
    await p.login();
    sim.inject({ fault: { kind: 'status', status: 500 }, pathPrefix: '/dvcqg/1.0/service', times: 3 });
    expect(await codeOf(p.syncDossier(dossier))).toBe('HTTP_SERVER_ERROR');
    expect(servicesCalled().filter((s) => s.endsWith('/service'))).toHaveLength(3);
    expect(await store.entries('portal:dossier:')).toEqual([]);
    expect(sim.portalDossiers('000.00.14.H22')).toHaveLength(0);
    // The next sync of the same key is sent again.
    expect((await p.syncDossier(dossier)).deduplicated).toBe(false);
    expect(sim.portalDossiers('000.00.14.H22')).toHaveLength(1);
  });

  it('sends nothing for a code and version already acknowledged, even from concurrent calls', async () => {
    const store = new MemoryStore();
    const p = portal({ store });
    const [a, b] = await Promise.all([p.syncDossier(dossier), p.syncDossier(dossier)]);
    expect([a.deduplicated, b.deduplicated]).toEqual([false, false]);
    const again = await p.syncDossier(dossier);
    expect(again).toMatchObject({ deduplicated: true, message: 'Thành công' });
    // A new client over the same store (a restart) also knows it.
    const restarted = portal({ store });
    expect((await restarted.syncDossier(dossier)).deduplicated).toBe(true);
    expect(sim.portalDossiers('000.00.14.H22')).toHaveLength(1);
    expect(servicesCalled().filter((s) => s.endsWith('/service'))).toHaveLength(1);
    expect(await store.entries('portal:dossier:')).toHaveLength(1);
  });

  it('sends a new version as an update of the same dossier', async () => {
    const p = portal();
    await p.syncDossier(dossier);
    const finished = new Date('2026-12-01T09:00:00Z');
    const result = await p.syncDossier({ ...dossier, version: 2, status: '9', finishedAt: finished });
    expect(result.deduplicated).toBe(false);
    const stored = sim.portalDossiers('000.00.14.H22');
    expect(stored).toHaveLength(1);
    expect(stored[0]?.record).toMatchObject({ TrangThaiHoSo: '9', NgayKetThucXuLy: '20261201160000' });
  });

  it('does not retry a 4xx and remembers nothing', async () => {
    const store = new MemoryStore();
    const p = portal({ store });
    expect(await codeOf(p.syncDossier({ ...dossier, procedureCode: '9.999999' }))).toBe('HTTP_CLIENT_ERROR');
    expect(servicesCalled().filter((s) => s.endsWith('/service'))).toHaveLength(1);
    expect(await store.entries('portal:dossier:')).toEqual([]);
  });

  it('does not retry an injected 409', async () => {
    const p = portal();
    await p.login();
    sim.inject({ fault: { kind: 'status', status: 409 }, pathPrefix: '/dvcqg/1.0/service' });
    expect(await codeOf(p.syncDossier(dossier))).toBe('HTTP_CLIENT_ERROR');
    expect(sim.portalDossiers('000.00.14.H22')).toHaveLength(0);
  });

  it('rejects a dossier missing a required field before sending, naming it', async () => {
    const p = portal();
    await expect(p.syncDossier({ ...dossier, applicant: { name: ' ' } })).rejects.toMatchObject({
      code: 'DOSSIER_INVALID',
      details: { field: 'applicant.name' },
    });
    await expect(p.syncDossier({ ...dossier, version: 0 })).rejects.toMatchObject({
      code: 'DOSSIER_INVALID',
      details: { field: 'version' },
    });
    await expect(p.syncDossier({ ...dossier, dueAt: new Date(Number.NaN) })).rejects.toMatchObject({
      code: 'DATE_INVALID',
      details: { field: 'dueAt' },
    });
    expect(sim.requests).toHaveLength(0);
  });

  it('reports progress steps of a dossier', async () => {
    const p = portal();
    await p.syncDossier(dossier);
    await p.updateProgress({
      dossierCode: dossier.code,
      handler: 'Trần Văn Bình',
      position: 'Chuyên viên',
      department: 'Phòng Hành chính tư pháp',
      at: new Date('2026-12-01T03:00:00Z'),
      content: 'Thẩm định hồ sơ',
      status: '4',
    });
    expect(sim.portalDossiers('000.00.14.H22')[0]?.progress).toEqual([
      {
        MaHoSo: 'G22.HG-261201-0001',
        NguoiXuLy: 'Trần Văn Bình',
        ChucDanh: 'Chuyên viên',
        PhongBanXuLy: 'Phòng Hành chính tư pháp',
        ThoiDiemXuLy: '20261201100000',
        NoiDungXuLy: 'Thẩm định hồ sơ',
        TrangThai: '4',
      },
    ]);
    await expect(
      p.updateProgress({ dossierCode: 'KHONG-CO', handler: 'A', at: new Date(), content: 'x', status: '4' }),
    ).rejects.toMatchObject({ code: 'PORTAL_REJECTED', details: { resultCode: '404' } });
  });

  it('turns a malformed 200 answer into RESPONSE_INVALID naming the field', async () => {
    const p = portal();
    await p.login();
    sim.inject({
      fault: { kind: 'status', status: 200, body: '{"message":"ok"}' },
      pathPrefix: '/dvcqg/1.0/service',
    });
    await expect(p.syncDossier(dossier)).rejects.toMatchObject({
      code: 'RESPONSE_INVALID',
      details: { field: 'error_code' },
    });
    sim.inject({ fault: { kind: 'status', status: 200, body: '<html>' }, pathPrefix: '/dvcqg/1.0/service' });
    await expect(p.listFields()).rejects.toMatchObject({
      code: 'RESPONSE_INVALID',
      details: { field: '(body)' },
    });
    sim.inject({
      fault: { kind: 'status', status: 200, body: '{"error_code":0,"data":[{"MaLinhVuc":"HT"}]}' },
      pathPrefix: '/dvcqg/1.0/service',
    });
    await expect(p.listFields()).rejects.toMatchObject({
      code: 'RESPONSE_INVALID',
      details: { field: 'data[0].TenLinhVuc' },
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgencyCatalogue, LgspClient, oauth2ClientCredentials, type AgencyEntry } from '../src/index.js';
import { startLgspSimulator, type LgspSimulator } from '../src/testing/index.js';

let sim: LgspSimulator;
let client: LgspClient;
beforeAll(async () => {
  sim = await startLgspSimulator();
  client = new LgspClient({
    baseUrl: sim.url,
    auth: oauth2ClientCredentials({
      tokenUrl: sim.tokenUrl,
      consumerKey: 'sim-key',
      consumerSecret: 'sim-secret',
    }),
  });
});
afterAll(() => sim.close());

interface Page<T> {
  data: T[];
}

describe('paginate', () => {
  it('walks every page of a dmdc catalogue and stops at the short page', async () => {
    const before = sim.requests.length;
    const names: string[] = [];
    for await (const row of client.paginate<{ Ma: string; Ten: string }>({
      context: 'dmdc_DmMaDanToc_Data',
      version: '1.0',
      pageSize: 3,
      items: (body) => (body as Page<{ Ma: string; Ten: string }>).data,
    })) {
      names.push(row.Ten);
    }
    expect(names).toEqual(['Kinh', 'Tày', 'Thái', 'Hoa', 'Khơ-me', 'Mường', 'Nùng']);
    expect(sim.requests.slice(before).map((r) => r.path)).toEqual([
      '/dmdc_DmMaDanToc_Data/1.0?page=1&size=3',
      '/dmdc_DmMaDanToc_Data/1.0?page=2&size=3',
      '/dmdc_DmMaDanToc_Data/1.0?page=3&size=3',
    ]);
  });

  it('requests one more page when the last one is exactly full, and honours maxPages', async () => {
    const all: unknown[] = [];
    for await (const row of client.paginate({
      context: 'dmdc_DmMaDanToc_Data',
      version: '1.0',
      pageSize: 7,
      items: (body) => (body as Page<unknown>).data,
    })) {
      all.push(row);
    }
    expect(all).toHaveLength(7);
    const limited: unknown[] = [];
    for await (const row of client.paginate({
      context: 'dmdc_DmMaDanToc_Data',
      version: '1.0',
      pageSize: 2,
      maxPages: 2,
      items: (body) => (body as Page<unknown>).data,
    })) {
      limited.push(row);
    }
    expect(limited).toHaveLength(4);
  });

  it('fails with RESPONSE_INVALID when a page has no list', async () => {
    const pages = client.paginate({
      context: 'dmdc_DmMaDanToc_Data',
      version: '1.0',
      items: () => undefined,
    });
    await expect(pages.next()).rejects.toMatchObject({ code: 'RESPONSE_INVALID' });
  });
});

describe('AgencyCatalogue', () => {
  it('loads from a dmdc catalogue, indexes the hierarchy and sets bad rows aside', async () => {
    const catalogue = await AgencyCatalogue.load(
      client.paginate<AgencyEntry>({
        context: 'dmdc_QuanLyVBDH_Data',
        version: '1.0',
        pageSize: 4,
        items: (body) =>
          (body as Page<{ MaDinhDanh: string; TenDonVi: string }>).data.map((r) => ({
            code: r.MaDinhDanh,
            name: r.TenDonVi,
          })),
      }),
    );
    expect(catalogue.size).toBe(5);
    expect(catalogue.get(' 000.00.08.h22 ')).toMatchObject({
      level: 2,
      name: 'Sở Thông tin và Truyền thông tỉnh Hà Giang',
    });
    expect(catalogue.children('000.00.00.H22').map((r) => r.code)).toEqual(['000.00.08.H22']);
    expect(catalogue.path('000.01.08.H22').map((r) => r.name)).toEqual([
      'UBND tỉnh Hà Giang',
      'Sở Thông tin và Truyền thông tỉnh Hà Giang',
      'Trung tâm Công nghệ thông tin và Truyền thông',
    ]);
    expect(catalogue.get('000.00.00.G22')?.kind).toBe('central');
    expect(catalogue.rejected.map((r) => r.entry.code)).toEqual(['H37-KHONG-HOP-LE']);
    expect(catalogue.path('000.00.99.H99')).toEqual([]);
  });

  it('builds from entries in memory; a duplicate keeps the last name', () => {
    const catalogue = AgencyCatalogue.from([
      { code: '000.00.00.H41', name: 'UBND tỉnh Nghệ An (cũ)' },
      { code: '000.00.00.H41', name: 'UBND tỉnh Nghệ An' },
    ]);
    expect(catalogue.size).toBe(1);
    expect(catalogue.get('000.00.00.H41')?.name).toBe('UBND tỉnh Nghệ An');
  });
});

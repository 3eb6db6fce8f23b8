import { describe, expect, it } from 'vitest';
import { defaultPortalCodec, isLgspError, type PortalCodec, type PortalResponse } from '../../src/index.js';
import { readConformance } from '../fixtures.js';

type Operation =
  | 'login'
  | 'LayDanhSachTTHC'
  | 'LayThuTuc'
  | 'LayDanhMucCoQuan'
  | 'LayDanhMucLinhVuc'
  | 'DongBoHoSoMC'
  | 'CapNhatTienDoHoSoMC';

interface Vector {
  readonly name: string;
  readonly operation: Operation;
  readonly response: { readonly status: number; readonly body: string };
  readonly expected?: unknown;
  readonly error?: { readonly code: string; readonly field?: string; readonly resultCode?: string };
}

const { vectors } = JSON.parse(readConformance('portal/responses.json')) as { vectors: Vector[] };
const codec = defaultPortalCodec();

function withoutRaw(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutRaw);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'raw')
        .map(([k, v]) => [k, withoutRaw(v)]),
    );
  }
  return value;
}

function decode(c: PortalCodec, v: Vector): unknown {
  const response: PortalResponse = {
    status: v.response.status,
    headers: new Headers({ 'content-type': 'application/json' }),
    body: new TextEncoder().encode(v.response.body),
    requestId: 'r-1',
  };
  switch (v.operation) {
    case 'login':
      return c.decodeLogin(response);
    case 'LayDanhSachTTHC':
      return withoutRaw(c.decodeProcedures(response, 1));
    case 'LayThuTuc':
      return withoutRaw(c.decodeProcedure(response));
    case 'LayDanhMucCoQuan':
      return withoutRaw(c.decodeAgencies(response));
    case 'LayDanhMucLinhVuc':
      return withoutRaw(c.decodeFields(response));
    default:
      return withoutRaw(c.decodeWrite(v.operation, response));
  }
}

describe('default portal codec on the conformance vectors', () => {
  it('has vectors for every operation', () => {
    expect(new Set(vectors.map((v) => v.operation)).size).toBe(7);
  });

  for (const v of vectors) {
    it(`${v.operation}: ${v.name}`, () => {
      if (v.error === undefined) {
        expect(decode(codec, v)).toEqual(v.expected);
        return;
      }
      try {
        decode(codec, v);
        expect.unreachable('decoded');
      } catch (error) {
        if (!isLgspError(error)) throw error;
        expect(error.code).toBe(v.error.code);
        const details = error.details as { field?: string; resultCode?: string; session?: boolean };
        if (v.error.field !== undefined) expect(details.field).toBe(v.error.field);
        if (v.error.resultCode !== undefined) expect(details.resultCode).toBe(v.error.resultCode);
        if (v.error.code === 'AUTH_FAILED') expect(details.session).toBe(true);
      }
    });
  }
});

describe('default portal codec requests', () => {
  it('builds the exact DongBoHoSoMC and CapNhatTienDoHoSoMC bodies of the golden file', () => {
    const golden = JSON.parse(readConformance('portal/requests.json')) as {
      login: unknown;
      dossier: unknown;
      progress: unknown;
    };
    const login = codec.encodeLogin({ username: 'motcua', password: 'p@ss' });
    expect({ ...login, body: JSON.parse(login.body ?? '') as unknown }).toEqual(golden.login);
    const dossier = codec.encodeService(
      'DongBoHoSoMC',
      'sess-1',
      codec.dossierParams({
        code: 'HS-0001',
        version: 2,
        procedureCode: '1.000004',
        receivingAgency: '000.00.03.H22',
        status: '4',
        applicant: {
          name: 'Công ty TNHH Ánh Dương',
          email: 'lienhe@anhduong.example',
          address: 'Phường Minh Khai, TP Hà Giang',
        },
        receivedAt: new Date('2026-02-28T17:00:00Z'),
        dueAt: new Date('2026-03-04T10:00:00.750Z'),
        submittedAt: new Date('2026-02-28T16:59:59Z'),
        channel: '2',
      }),
    );
    expect({ ...dossier, body: JSON.parse(dossier.body ?? '') as unknown }).toEqual(golden.dossier);
    const progress = codec.encodeService(
      'CapNhatTienDoHoSoMC',
      'sess-1',
      codec.progressParams({
        dossierCode: 'HS-0001',
        handler: 'Lê Minh',
        at: new Date('2026-03-01T01:02:03Z'),
        content: 'Chuyển phòng chuyên môn',
        status: '4',
        startedAt: new Date('2026-02-28T17:00:00Z'),
        dueAt: new Date('2026-03-04T10:00:00Z'),
      }),
    );
    expect({ ...progress, body: JSON.parse(progress.body ?? '') as unknown }).toEqual(golden.progress);
  });

  it('uses the configured paths and session error codes', () => {
    const custom = defaultPortalCodec({
      loginPath: '/dangnhap',
      servicePath: '/goi',
      sessionErrorCodes: ['-2'],
    });
    expect(custom.encodeLogin({ username: 'a', password: 'b' }).path).toBe('/dangnhap');
    expect(custom.encodeService('LayDanhMucLinhVuc', 's', {}).path).toBe('/goi');
    const response = (body: string): PortalResponse => ({
      status: 200,
      headers: new Headers(),
      body: new TextEncoder().encode(body),
      requestId: 'r',
    });
    expect(() => custom.decodeFields(response('{"error_code":-2}'))).toThrow(
      expect.objectContaining({ code: 'AUTH_FAILED' }),
    );
    expect(() => custom.decodeFields(response('{"error_code":401}'))).toThrow(
      expect.objectContaining({ code: 'PORTAL_REJECTED' }),
    );
  });

  it('marks a first sync as a create, and a new version or a repeat as an update', () => {
    const d = {
      code: 'HS-1',
      version: 1,
      procedureCode: '1.000001',
      receivingAgency: '000.00.14.H22',
      status: '1',
      applicant: { name: 'A' },
      receivedAt: new Date('2026-01-01T00:00:00Z'),
    } as const;
    expect(codec.dossierParams(d).isUpdating).toBe(false);
    expect(codec.dossierParams(d, { repeat: true }).isUpdating).toBe(true);
    expect(codec.dossierParams({ ...d, version: 3 }).isUpdating).toBe(true);
  });

  it('rejects an unknown status before sending', () => {
    expect(() =>
      codec.progressParams({
        dossierCode: 'HS',
        handler: 'A',
        at: new Date(),
        content: 'x',
        status: '11' as '1',
      }),
    ).toThrow(expect.objectContaining({ code: 'DOSSIER_INVALID', details: { field: 'status' } }));
  });
});

import type { Buffer } from 'node:buffer';
import { fromPortalDate } from '../portal/date.js';

/** A portal account the simulator accepts at login. */
export interface PortalAccount {
  readonly username: string;
  readonly password: string;
}

/** Options of the simulated public-service portal adapter (served at `/dvcqg/1.0/login` and `/dvcqg/1.0/service`). */
export interface PortalSimulatorOptions {
  /** Default one account, `sim-portal` / `sim-portal-secret`. */
  readonly accounts?: readonly PortalAccount[];
  /** Lifetime of a session, in seconds. Default 1800. */
  readonly sessionLifetimeSeconds?: number;
  /**
   * HTTP status of the answer to an expired or unknown session (its body always carries
   * `error_code: 401`). Default 401; 200 models portals that report it in the body only.
   */
  readonly sessionErrorStatus?: number;
}

/** A dossier the simulated portal stored (one record per accepted create: the portal does not de-duplicate). */
export interface StoredDossier {
  readonly code: string;
  /** The record as received (portal field names, `yyyyMMddHHmmss` dates). */
  record: Readonly<Record<string, unknown>>;
  /** Every progress step received for it, in order. */
  readonly progress: Readonly<Record<string, unknown>>[];
}

export const DEFAULT_PORTAL_ACCOUNTS: readonly PortalAccount[] = [
  { username: 'sim-portal', password: 'sim-portal-secret' },
];

/** Sample agencies (codes of the form AAA.BB.CC.Lnn; the codes and names are illustrative). */
export const PORTAL_AGENCIES = [
  { MaCoQuan: '000.00.00.H22', TenCoQuan: 'UBND tỉnh Hà Giang' },
  {
    MaCoQuan: '000.00.03.H22',
    TenCoQuan: 'Sở Kế hoạch và Đầu tư tỉnh Hà Giang',
    MaCoQuanCha: '000.00.00.H22',
  },
  { MaCoQuan: '000.00.11.H22', TenCoQuan: 'Sở Xây dựng tỉnh Hà Giang', MaCoQuanCha: '000.00.00.H22' },
  { MaCoQuan: '000.00.14.H22', TenCoQuan: 'Sở Tư pháp tỉnh Hà Giang', MaCoQuanCha: '000.00.00.H22' },
] as const;

/** Sample fields (lĩnh vực); the codes are illustrative. */
export const PORTAL_FIELDS = [
  { MaLinhVuc: 'HT', TenLinhVuc: 'Hộ tịch', MaNganh: 'TP' },
  { MaLinhVuc: 'LLTP', TenLinhVuc: 'Lý lịch tư pháp', MaNganh: 'TP' },
  { MaLinhVuc: 'DKKD', TenLinhVuc: 'Thành lập và hoạt động của doanh nghiệp', MaNganh: 'KHDT' },
  { MaLinhVuc: 'XD', TenLinhVuc: 'Hoạt động xây dựng', MaNganh: 'XD' },
] as const;

/** Sample procedures (thủ tục hành chính); the codes are illustrative, not those of the national database. */
export const PORTAL_PROCEDURES = [
  {
    MaTTHC: '1.000001',
    TenTTHC: 'Đăng ký khai sinh',
    MaLinhVuc: 'HT',
    MaCoQuan: '000.00.14.H22',
    MucDo: '4',
    ThoiHanGiaiQuyet: 'Ngay trong ngày tiếp nhận',
    PhiLePhi: 'Miễn lệ phí',
    TrinhTuThucHien: 'Nộp hồ sơ; tiếp nhận; trả kết quả',
  },
  {
    MaTTHC: '1.000002',
    TenTTHC: 'Đăng ký kết hôn',
    MaLinhVuc: 'HT',
    MaCoQuan: '000.00.14.H22',
    MucDo: '3',
    ThoiHanGiaiQuyet: '05 ngày làm việc',
  },
  {
    MaTTHC: '1.000003',
    TenTTHC: 'Cấp Phiếu lý lịch tư pháp',
    MaLinhVuc: 'LLTP',
    MaCoQuan: '000.00.14.H22',
    MucDo: '4',
    ThoiHanGiaiQuyet: '10 ngày',
  },
  {
    MaTTHC: '1.000004',
    TenTTHC: 'Đăng ký thành lập doanh nghiệp tư nhân',
    MaLinhVuc: 'DKKD',
    MaCoQuan: '000.00.03.H22',
    MucDo: '4',
    ThoiHanGiaiQuyet: '03 ngày làm việc',
  },
  {
    MaTTHC: '1.000005',
    TenTTHC: 'Đăng ký thay đổi nội dung đăng ký doanh nghiệp',
    MaLinhVuc: 'DKKD',
    MaCoQuan: '000.00.03.H22',
    MucDo: '4',
  },
  {
    MaTTHC: '1.000006',
    TenTTHC: 'Cấp giấy phép xây dựng nhà ở riêng lẻ',
    MaLinhVuc: 'XD',
    MaCoQuan: '000.00.11.H22',
    MucDo: '3',
    ThoiHanGiaiQuyet: '15 ngày',
  },
  {
    MaTTHC: '1.000007',
    TenTTHC: 'Điều chỉnh giấy phép xây dựng',
    MaLinhVuc: 'XD',
    MaCoQuan: '000.00.11.H22',
    MucDo: '2',
  },
] as const;

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

const ok = (extra: Record<string, unknown>): Answer => ({
  status: 200,
  body: { error_code: 0, message: 'Thành công', ...extra },
});
const refuse = (status: number, code: number, message: string): Answer => ({
  status,
  body: { error_code: code, message },
});

const DOSSIER_DATES = ['NgayTiepNhan', 'NgayHenTra', 'NgayNopHoSo', 'NgayKetThucXuLy'];
const PROGRESS_DATES = ['ThoiDiemXuLy', 'NgayBatDau', 'NgayKetThucTheoQuyDinh'];

export interface PortalSimulator {
  handle(path: string, body: Buffer): Answer;
  dossiers(agencyCode: string): readonly StoredDossier[];
  expireSessions(): void;
  sessionsIssued(): number;
}

export function createPortalSimulator(options: PortalSimulatorOptions = {}): PortalSimulator {
  const accounts = options.accounts ?? DEFAULT_PORTAL_ACCOUNTS;
  const lifetimeMs = (options.sessionLifetimeSeconds ?? 1800) * 1000;
  const sessionStatus = options.sessionErrorStatus ?? 401;
  const sessions = new Map<string, number>();
  const stored = new Map<string, StoredDossier[]>();
  let issued = 0;

  const badDates = (record: Record<string, unknown>, fields: readonly string[]): string | undefined => {
    for (const f of fields) {
      const v = record[f];
      if (v === undefined) continue;
      try {
        fromPortalDate(typeof v === 'string' ? v : JSON.stringify(v), f);
      } catch {
        return f;
      }
    }
    return undefined;
  };

  const service = (body: Record<string, unknown>): Answer => {
    const session = body.session;
    const expires = typeof session === 'string' ? sessions.get(session) : undefined;
    if (expires === undefined || expires <= Date.now()) {
      return refuse(sessionStatus, 401, 'Phiên làm việc không hợp lệ hoặc đã hết hạn');
    }
    switch (body.service) {
      case 'LayDanhSachTTHC': {
        const page = Math.max(1, Number(body.page ?? 1));
        const size = Math.max(1, Number(body.pageSize ?? 50));
        const rows = PORTAL_PROCEDURES.filter(
          (p) => body.maCoQuan === undefined || p.MaCoQuan === body.maCoQuan,
        ).map(({ MaTTHC, TenTTHC, MaLinhVuc, MaCoQuan, MucDo }) => ({
          MaTTHC,
          TenTTHC,
          MaLinhVuc,
          MaCoQuan,
          MucDo,
        }));
        return ok({ total: rows.length, data: rows.slice((page - 1) * size, page * size) });
      }
      case 'LayThuTuc': {
        const found = PORTAL_PROCEDURES.find((p) => p.MaTTHC === body.maTTHC);
        return found === undefined ? refuse(200, 404, 'Không tìm thấy thủ tục') : ok({ data: found });
      }
      case 'LayDanhMucCoQuan':
        return ok({ data: PORTAL_AGENCIES });
      case 'LayDanhMucLinhVuc':
        return ok({ data: PORTAL_FIELDS });
      case 'DongBoHoSoMC': {
        const items = body.data;
        if (!Array.isArray(items) || items.length === 0) return refuse(400, 400, 'Thiếu dữ liệu hồ sơ');
        for (const item of items as Record<string, unknown>[]) {
          const agency = typeof item.MaCoQuan === 'string' ? item.MaCoQuan : '';
          if (!PORTAL_AGENCIES.some((a) => a.MaCoQuan === agency))
            return refuse(400, 400, `Mã cơ quan ${agency} không tồn tại`);
          if (!PORTAL_PROCEDURES.some((p) => p.MaTTHC === item.MaTTHC))
            return refuse(400, 400, `Mã TTHC ${String(item.MaTTHC)} không tồn tại`);
          const bad = badDates(item, DOSSIER_DATES);
          if (bad !== undefined) return refuse(400, 400, `${bad} sai định dạng yyyyMMddHHmmss`);
        }
        for (const item of items as Record<string, unknown>[]) {
          const list = stored.get(String(item.MaCoQuan)) ?? [];
          stored.set(String(item.MaCoQuan), list);
          const code = String(item.MaHoSo);
          const existing = list.find((d) => d.code === code);
          if (body.isUpdating === true && existing !== undefined) existing.record = item;
          // No de-duplication: a repeated create is a second record, as on the real platform.
          else list.push({ code, record: item, progress: [] });
        }
        return ok({});
      }
      case 'CapNhatTienDoHoSoMC': {
        const items = body.data;
        if (!Array.isArray(items) || items.length === 0) return refuse(400, 400, 'Thiếu dữ liệu tiến độ');
        for (const item of items as Record<string, unknown>[]) {
          const bad = badDates(item, PROGRESS_DATES);
          if (bad !== undefined) return refuse(400, 400, `${bad} sai định dạng yyyyMMddHHmmss`);
          const dossier = [...stored.values()].flat().find((d) => d.code === item.MaHoSo);
          if (dossier === undefined) return refuse(200, 404, `Không tìm thấy hồ sơ ${String(item.MaHoSo)}`);
          dossier.progress.push(item);
        }
        return ok({});
      }
      default:
        return refuse(400, 400, `Dịch vụ ${String(body.service)} không được hỗ trợ`);
    }
  };

  return {
    handle(path, raw) {
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return refuse(400, 400, 'Dữ liệu không phải JSON');
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        return refuse(400, 400, 'Dữ liệu không hợp lệ');
      const request = body as Record<string, unknown>;
      if (path === '/dvcqg/1.0/login') {
        const account = accounts.find(
          (a) => a.username === request.username && a.password === request.password,
        );
        if (account === undefined) return refuse(200, 1, 'Sai tên đăng nhập hoặc mật khẩu');
        issued++;
        const token = `sim-session-${issued}`;
        sessions.set(token, Date.now() + lifetimeMs);
        return ok({ session: token });
      }
      if (path === '/dvcqg/1.0/service') return service(request);
      return refuse(404, 404, 'Không tìm thấy');
    },
    dossiers: (agencyCode) => stored.get(agencyCode) ?? [],
    expireSessions: () => sessions.clear(),
    sessionsIssued: () => issued,
  };
}

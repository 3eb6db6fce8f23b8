/** An administrative procedure (thủ tục hành chính) as listed by `LayDanhSachTTHC`. */
export interface PortalProcedure {
  /** `MaTTHC`, e.g. `1.001612`. */
  readonly code: string;
  /** `TenTTHC`. */
  readonly name: string;
  /** `MaLinhVuc`: the field (lĩnh vực) the procedure belongs to, when listed. */
  readonly fieldCode?: string;
  /** `MaCoQuan`: the agency carrying it out, when listed. */
  readonly agencyCode?: string;
  /** `MucDo`: the online service level, when listed. */
  readonly level?: string;
  /** The entry as decoded. */
  readonly raw: unknown;
}

/** One procedure as returned by `LayThuTuc`. */
export interface PortalProcedureDetail extends PortalProcedure {
  /** `ThoiHanGiaiQuyet`: the processing time as the portal words it. */
  readonly processingTime?: string;
  /** `TrinhTuThucHien`: the steps. */
  readonly steps?: string;
  /** `PhiLePhi`: fees as the portal words them. */
  readonly fees?: string;
}

/** One page of `LayDanhSachTTHC`. */
export interface PortalProcedurePage {
  readonly items: readonly PortalProcedure[];
  /** Number of the page (from 1). */
  readonly page: number;
  /** Total number of procedures, when the portal says. */
  readonly total?: number;
}

/** An agency of `LayDanhMucCoQuan`. */
export interface PortalAgency {
  /** `MaCoQuan`. */
  readonly code: string;
  /** `TenCoQuan`. */
  readonly name: string;
  /** `MaCoQuanCha`, when listed. */
  readonly parentCode?: string;
  readonly raw: unknown;
}

/** A field (lĩnh vực) of `LayDanhMucLinhVuc`. */
export interface PortalField {
  /** `MaLinhVuc`. */
  readonly code: string;
  /** `TenLinhVuc`. */
  readonly name: string;
  /** `MaNganh`, when listed. */
  readonly sectorCode?: string;
  readonly raw: unknown;
}

/**
 * Dossier status codes (`TrangThaiHoSo`) as documented for one-stop-shop dossier sync:
 * 1 registered online, 2 received, 3 not received, 4 in progress, 5 more papers required,
 * 6 financial obligation required, 7 withdrawn by the applicant, 8 processing stopped,
 * 9 processed, 10 result returned.
 */
export type DossierStatus = '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '10';

export const DOSSIER_STATUS_MEANINGS: Readonly<Record<DossierStatus, string>> = {
  '1': 'Mới đăng ký',
  '2': 'Được tiếp nhận',
  '3': 'Không được tiếp nhận',
  '4': 'Đang xử lý',
  '5': 'Yêu cầu bổ sung giấy tờ',
  '6': 'Yêu cầu thực hiện nghĩa vụ tài chính',
  '7': 'Công dân yêu cầu rút hồ sơ',
  '8': 'Dừng xử lý',
  '9': 'Đã xử lý xong',
  '10': 'Đã trả kết quả',
};

/** The applicant (chủ hồ sơ). */
export interface DossierApplicant {
  /** `ChuHoSo`. */
  readonly name: string;
  /** `SoGiayToChuHoSo`: identity-card or citizen-id number. */
  readonly idNumber?: string;
  /** `SoDienThoai`. */
  readonly phone?: string;
  /** `Email`. */
  readonly email?: string;
  /** `DiaChi`. */
  readonly address?: string;
}

/** A one-stop-shop dossier (hồ sơ một cửa) synced with `DongBoHoSoMC`. */
export interface PortalDossier {
  /** `MaHoSo`: the dossier code, unique in the receiving agency. */
  readonly code: string;
  /**
   * The version of this dossier on the sending side (1 for the first sync, +1 on each change).
   * With `code` and the receiving agency it forms the client-side dedup key; not sent to the portal.
   */
  readonly version: number;
  /** `MaTTHC`. */
  readonly procedureCode: string;
  /** `MaCoQuan`: the receiving agency's code. */
  readonly receivingAgency: string;
  /** `TrangThaiHoSo`. */
  readonly status: DossierStatus;
  readonly applicant: DossierApplicant;
  /** `NgayTiepNhan`. */
  readonly receivedAt: Date;
  /** `NgayHenTra`: the promised return date. */
  readonly dueAt?: Date;
  /** `NgayNopHoSo`: when the applicant submitted it. */
  readonly submittedAt?: Date;
  /** `NgayKetThucXuLy`. */
  readonly finishedAt?: Date;
  /** `TrichYeuHoSo`. */
  readonly summary?: string;
  /** `KenhThucHien`: 1 direct, 2 online, 3 postal. */
  readonly channel?: '1' | '2' | '3';
}

/** A progress step of a dossier, sent with `CapNhatTienDoHoSoMC`. */
export interface DossierProgress {
  /** `MaHoSo`. */
  readonly dossierCode: string;
  /** `NguoiXuLy`. */
  readonly handler: string;
  /** `ChucDanh`. */
  readonly position?: string;
  /** `PhongBanXuLy`. */
  readonly department?: string;
  /** `ThoiDiemXuLy`. */
  readonly at: Date;
  /** `NoiDungXuLy`. */
  readonly content: string;
  /** `TrangThai`. */
  readonly status: DossierStatus;
  /** `NgayBatDau`. */
  readonly startedAt?: Date;
  /** `NgayKetThucTheoQuyDinh`. */
  readonly dueAt?: Date;
}

/** What `DongBoHoSoMC` and `CapNhatTienDoHoSoMC` answer. */
export interface PortalWriteResult {
  /** The portal's message, when it gives one. */
  readonly message?: string;
  readonly raw: unknown;
}

/** A dossier sync's outcome. */
export interface DossierSyncResult extends PortalWriteResult {
  readonly dossierCode: string;
  /** `{receivingAgency}:{code}:{version}`. */
  readonly dedupKey: string;
  /** True when this code and version had been synced already: nothing was sent. */
  readonly deduplicated: boolean;
}

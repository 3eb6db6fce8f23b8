import type { ReportCategory } from '../../storage/types.js';

export interface Bilingual {
  readonly vi: string;
  readonly en: string;
}

/** Where the reports of one category go, and how long the department has. */
export interface CategoryRoute {
  readonly label: Bilingual;
  /** The handling department: the `dept` claim of its staff. */
  readonly department: string;
  /** Calendar days from submission to the deadline. */
  readonly deadlineDays: number;
}

/** A district of the province with the point its reports are matched to. */
export interface DistrictRoute {
  readonly adminUnitCode: string;
  readonly name: Bilingual;
  /** Approximate centre (WGS 84): a report without a district code goes to the nearest centre. */
  readonly centre: { readonly lat: number; readonly lon: number };
}

/** Routing rules as data: category → department and deadline, location → district. */
export interface ReportRouting {
  readonly categories: Readonly<Record<ReportCategory, CategoryRoute>>;
  readonly districts: readonly DistrictRoute[];
  /** Reports must lie inside this box (the province, roughly). */
  readonly bounds: {
    readonly minLat: number;
    readonly maxLat: number;
    readonly minLon: number;
    readonly maxLon: number;
  };
}

/** The defaults of the reference deployment (Bắc Giang): departments by sector, the ten districts. */
export const DEFAULT_REPORT_ROUTING: ReportRouting = {
  categories: {
    environment: {
      label: { vi: 'Môi trường', en: 'Environment' },
      department: 'environment',
      deadlineDays: 7,
    },
    traffic: { label: { vi: 'Giao thông', en: 'Traffic' }, department: 'transport', deadlineDays: 3 },
    'urban-order': {
      label: { vi: 'Trật tự đô thị', en: 'Urban order' },
      department: 'construction',
      deadlineDays: 5,
    },
    'public-security': {
      label: { vi: 'An ninh, trật tự', en: 'Public security' },
      department: 'police',
      deadlineDays: 3,
    },
    health: { label: { vi: 'Y tế', en: 'Health' }, department: 'health', deadlineDays: 5 },
    education: { label: { vi: 'Giáo dục', en: 'Education' }, department: 'education', deadlineDays: 7 },
    'land-construction': {
      label: { vi: 'Đất đai, xây dựng', en: 'Land and construction' },
      department: 'construction',
      deadlineDays: 10,
    },
    other: { label: { vi: 'Khác', en: 'Other' }, department: 'administration', deadlineDays: 10 },
  },
  districts: [
    {
      adminUnitCode: '213',
      name: { vi: 'Thành phố Bắc Giang', en: 'Bắc Giang city' },
      centre: { lat: 21.273, lon: 106.195 },
    },
    {
      adminUnitCode: '215',
      name: { vi: 'Huyện Yên Thế', en: 'Yên Thế district' },
      centre: { lat: 21.52, lon: 106.12 },
    },
    {
      adminUnitCode: '216',
      name: { vi: 'Huyện Tân Yên', en: 'Tân Yên district' },
      centre: { lat: 21.38, lon: 106.1 },
    },
    {
      adminUnitCode: '217',
      name: { vi: 'Huyện Lạng Giang', en: 'Lạng Giang district' },
      centre: { lat: 21.37, lon: 106.25 },
    },
    {
      adminUnitCode: '218',
      name: { vi: 'Huyện Lục Nam', en: 'Lục Nam district' },
      centre: { lat: 21.3, lon: 106.39 },
    },
    {
      adminUnitCode: '219',
      name: { vi: 'Huyện Lục Ngạn', en: 'Lục Ngạn district' },
      centre: { lat: 21.37, lon: 106.6 },
    },
    {
      adminUnitCode: '220',
      name: { vi: 'Huyện Sơn Động', en: 'Sơn Động district' },
      centre: { lat: 21.34, lon: 106.85 },
    },
    {
      adminUnitCode: '221',
      name: { vi: 'Huyện Yên Dũng', en: 'Yên Dũng district' },
      centre: { lat: 21.2, lon: 106.24 },
    },
    {
      adminUnitCode: '222',
      name: { vi: 'Huyện Việt Yên', en: 'Việt Yên district' },
      centre: { lat: 21.27, lon: 106.09 },
    },
    {
      adminUnitCode: '223',
      name: { vi: 'Huyện Hiệp Hòa', en: 'Hiệp Hòa district' },
      centre: { lat: 21.35, lon: 105.97 },
    },
  ],
  bounds: { minLat: 21.0, maxLat: 21.6, minLon: 105.9, maxLon: 107.0 },
};

/** The district a location belongs to: the nearest centre (equirectangular distance). */
export function nearestDistrict(
  routing: ReportRouting,
  at: { readonly lat: number; readonly lon: number },
): DistrictRoute | undefined {
  let best: DistrictRoute | undefined;
  let bestD = Infinity;
  const k = Math.cos((at.lat * Math.PI) / 180);
  for (const d of routing.districts) {
    const dx = (d.centre.lon - at.lon) * k;
    const dy = d.centre.lat - at.lat;
    const dist = dx * dx + dy * dy;
    if (dist < bestD) {
      bestD = dist;
      best = d;
    }
  }
  return best;
}

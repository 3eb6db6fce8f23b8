import { CameraError, msg } from './errors.js';

/**
 * Registration prefixes (2 digits) and the province or city that issues them. Names are those of the
 * provinces that were allotted the prefixes (before the 2025 mergers); plates keep their prefix for life.
 */
export const VN_PLATE_PROVINCES: Readonly<Record<string, string>> = Object.freeze({
  '11': 'Cao Bằng',
  '12': 'Lạng Sơn',
  '13': 'Bắc Giang',
  '14': 'Quảng Ninh',
  '15': 'Hải Phòng',
  '16': 'Hải Phòng',
  '17': 'Thái Bình',
  '18': 'Nam Định',
  '19': 'Phú Thọ',
  '20': 'Thái Nguyên',
  '21': 'Yên Bái',
  '22': 'Tuyên Quang',
  '23': 'Hà Giang',
  '24': 'Lào Cai',
  '25': 'Lai Châu',
  '26': 'Sơn La',
  '27': 'Điện Biên',
  '28': 'Hòa Bình',
  '29': 'Hà Nội',
  '30': 'Hà Nội',
  '31': 'Hà Nội',
  '32': 'Hà Nội',
  '33': 'Hà Nội',
  '34': 'Hải Dương',
  '35': 'Ninh Bình',
  '36': 'Thanh Hóa',
  '37': 'Nghệ An',
  '38': 'Hà Tĩnh',
  '40': 'Hà Nội',
  '41': 'TP. Hồ Chí Minh',
  '43': 'Đà Nẵng',
  '47': 'Đắk Lắk',
  '48': 'Đắk Nông',
  '49': 'Lâm Đồng',
  '50': 'TP. Hồ Chí Minh',
  '51': 'TP. Hồ Chí Minh',
  '52': 'TP. Hồ Chí Minh',
  '53': 'TP. Hồ Chí Minh',
  '54': 'TP. Hồ Chí Minh',
  '55': 'TP. Hồ Chí Minh',
  '56': 'TP. Hồ Chí Minh',
  '57': 'TP. Hồ Chí Minh',
  '58': 'TP. Hồ Chí Minh',
  '59': 'TP. Hồ Chí Minh',
  '60': 'Đồng Nai',
  '61': 'Bình Dương',
  '62': 'Long An',
  '63': 'Tiền Giang',
  '64': 'Vĩnh Long',
  '65': 'Cần Thơ',
  '66': 'Đồng Tháp',
  '67': 'An Giang',
  '68': 'Kiên Giang',
  '69': 'Cà Mau',
  '70': 'Tây Ninh',
  '71': 'Bến Tre',
  '72': 'Bà Rịa – Vũng Tàu',
  '73': 'Quảng Bình',
  '74': 'Quảng Trị',
  '75': 'Thừa Thiên Huế',
  '76': 'Quảng Ngãi',
  '77': 'Bình Định',
  '78': 'Phú Yên',
  '79': 'Khánh Hòa',
  '80': 'Cơ quan trung ương (central agencies)',
  '81': 'Gia Lai',
  '82': 'Kon Tum',
  '83': 'Sóc Trăng',
  '84': 'Trà Vinh',
  '85': 'Ninh Thuận',
  '86': 'Bình Thuận',
  '88': 'Vĩnh Phúc',
  '89': 'Hưng Yên',
  '90': 'Hà Nam',
  '92': 'Quảng Nam',
  '93': 'Bình Phước',
  '94': 'Bạc Liêu',
  '95': 'Hậu Giang',
  '97': 'Bắc Kạn',
  '98': 'Bắc Giang',
  '99': 'Bắc Ninh',
});

/**
 * What kind of vehicle or owner the series says:
 * `car` (one letter), `trailer` (R), `motorbike` (letter + digit, or two ordinary letters for mopeds),
 * `joint_venture` (LD), `military_economic` (KT), `diplomatic` (NG), `foreign` (NN, QT, CV),
 * `military` (red plates: two letters, no province prefix).
 */
export type PlateCategory =
  | 'car'
  | 'trailer'
  | 'motorbike'
  | 'joint_venture'
  | 'military_economic'
  | 'diplomatic'
  | 'foreign'
  | 'military';

/** A licence plate as read, normalized and validated. */
export interface VietnamesePlate {
  /** Exactly as received. */
  readonly raw: string;
  /** Upper case, `Đ`→`D`, without spaces, dots, dashes or line breaks (e.g. `98A12345`). */
  readonly normalized: string;
  readonly valid: boolean;
  /** Display form when valid, e.g. `98A-123.45`, `98B1-234.56`, `98A-1234`. */
  readonly formatted?: string;
  readonly category?: PlateCategory;
  /** Two-digit registration prefix. */
  readonly provinceCode?: string;
  readonly province?: string;
  /** Series letters (and digit for motorbikes), e.g. `A`, `B1`, `LD`. */
  readonly series?: string;
  /** Serial number digits, e.g. `12345`. */
  readonly number?: string;
  /** True when the raw text had two lines (motorbikes and some cars). */
  readonly twoLine: boolean;
}

const SPECIAL_SERIES: Readonly<Record<string, PlateCategory>> = {
  LD: 'joint_venture',
  KT: 'military_economic',
  NG: 'diplomatic',
  NN: 'foreign',
  QT: 'foreign',
  CV: 'foreign',
};

/** Upper-cases, NFC-normalizes, maps `Đ` to `D` and strips separators. */
export function normalizePlate(raw: string): string {
  // eslint-disable-next-line no-control-regex
  return (/^[\x00-\x7f]*$/.test(raw) ? raw : raw.normalize('NFC'))
    .toUpperCase()
    .replace(/Đ/g, 'D')
    .replace(/[\s.\-_/|·]+/g, '');
}

function formatNumber(n: string): string {
  return n.length === 5 ? `${n.slice(0, 3)}.${n.slice(3)}` : n;
}

/**
 * Parses a Vietnamese licence plate. Accepted shapes (separators optional, two lines allowed):
 * - cars `98A-123.45`, older `98A-1234`, trailers `98R-012.34`;
 * - special series `29LD-123.45` (joint venture), `30KT-123.45`, diplomatic `80NG-123.45`, `NN`, `QT`, `CV`;
 * - motorbikes `98B1-234.56`, older `98B1-2345`, mopeds `29AA-123.45`, two-line `98-B1\n234.56`;
 * - military red plates `TM-12-34` (two letters, four digits, no province).
 * The province comes from the two-digit prefix (98 and 13 are Bắc Giang). Returns `valid: false` with
 * the normalized text for anything else; with `{ strict: true }` throws `PLATE_INVALID` instead.
 */
export function parseVietnamesePlate(raw: string, options: { strict?: boolean } = {}): VietnamesePlate {
  const normalized = normalizePlate(raw);
  const twoLine = /[\r\n]/.test(raw.trim());
  const invalid = (): VietnamesePlate => {
    if (options.strict) {
      throw new CameraError(
        'PLATE_INVALID',
        msg(`"${raw}" is not a Vietnamese licence plate`, `"${raw}" không phải biển số xe Việt Nam`),
        { details: { normalized } },
      );
    }
    return { raw, normalized, valid: false, twoLine };
  };
  const military = /^([A-Z]{2})(\d{4})$/.exec(normalized);
  if (military) {
    const [, series, number] = military as unknown as [string, string, string];
    return {
      raw,
      normalized,
      valid: true,
      formatted: `${series}-${number.slice(0, 2)}-${number.slice(2)}`,
      category: 'military',
      series,
      number,
      twoLine,
    };
  }
  // Where the raw text separates the series from the number, use it to resolve 8-character ambiguity
  // (98B12345 is car 98B-123.45, but "98B1-2345" is an older motorbike plate).
  const cleaned = raw.normalize('NFC').toUpperCase().replace(/Đ/g, 'D');
  const sep = /^\s*(\d{2})\s*[-\s.]?\s*([A-Z]{1,2}\d?)\s*[-\s.\r\n/|]\s*(\d{3}[.\s]?\d{2}|\d{4})\s*$/.exec(
    cleaned,
  );
  let province: string;
  let series: string;
  let number: string;
  if (sep) {
    province = sep[1] as string;
    series = sep[2] as string;
    number = (sep[3] as string).replace(/[.\s]/g, '');
  } else {
    const flat = /^(\d{2})([A-Z]{2}|[A-Z]\d|[A-Z])(\d{4,5})$/.exec(normalized);
    if (!flat) return invalid();
    province = flat[1] as string;
    series = flat[2] as string;
    number = flat[3] as string;
    // A letter+digit series followed by 4 digits only exists as an 8-character string, which reads
    // better as a car plate with 5 digits when the series digit could be part of the number.
    if (/^[A-Z]\d$/.test(series) && number.length === 4) {
      series = series.slice(0, 1);
      number = `${flat[2]?.slice(1) ?? ''}${number}`;
    }
  }
  const provinceName = VN_PLATE_PROVINCES[province];
  if (provinceName === undefined) return invalid();
  let category: PlateCategory;
  if (/^[A-Z]\d$/.test(series)) category = 'motorbike';
  else if (series.length === 2) category = SPECIAL_SERIES[series] ?? 'motorbike';
  else category = series === 'R' ? 'trailer' : 'car';
  if ((category === 'diplomatic' || category === 'foreign') && number.length !== 5) return invalid();
  return {
    raw,
    normalized,
    valid: true,
    formatted: `${province}${series}-${formatNumber(number)}`,
    category,
    provinceCode: province,
    province: provinceName,
    series,
    number,
    twoLine,
  };
}

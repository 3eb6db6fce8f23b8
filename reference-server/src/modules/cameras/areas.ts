/**
 * Land areas of Bắc Giang's districts (km²), the denominator of the camera density (L2.N2.PN2.01,
 * Bảng 3 alias: monitoring points per km²). Neither the seed plan nor the shared reference gives district
 * areas, so these are the natural areas published by the General Statistics Office (Niên giám thống kê
 * tỉnh Bắc Giang, Cục Thống kê Bắc Giang) for the ten districts as bounded before the 2025
 * reorganisation, rounded to 0.01 km². The province figure is their sum, so district and province
 * densities agree. A deployment for other boundaries passes its own table.
 */
export interface DistrictAreas {
  /** Where the figures come from (recorded with the density as provenance). */
  readonly source: string;
  /** Administrative-unit code → km². */
  readonly km2: Readonly<Record<string, number>>;
}

export const BAC_GIANG_DISTRICT_AREAS: DistrictAreas = {
  source:
    'Cục Thống kê tỉnh Bắc Giang, Niên giám thống kê (diện tích tự nhiên theo huyện, ranh giới trước 2025)',
  km2: {
    '213': 66.77, // Thành phố Bắc Giang
    '215': 301.17, // Yên Thế
    '216': 206.32, // Tân Yên
    '217': 239.81, // Lạng Giang
    '218': 597.46, // Lục Nam
    '219': 1012.23, // Lục Ngạn
    '220': 849.68, // Sơn Động
    '221': 185.93, // Yên Dũng
    '222': 171.01, // Việt Yên
    '223': 201.05, // Hiệp Hòa
  },
};

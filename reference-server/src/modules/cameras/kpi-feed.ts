import type { Logger } from '../../logger.js';
import { automaticShare, vietnamYear, type KpiService } from '../kpi/service.js';
import type { CameraService } from './service.js';

/** Tình hình lắp đặt camera giám sát an ninh trật tự công cộng (Bảng 4) / mật độ (Bảng 3 alias). */
export const CAMERA_COVERAGE_INDICATOR = 'L2.N2.PN2.01';

/**
 * The camera-coverage KPI from the registry's enabled public-order cameras, recorded per district and
 * for the province as automatic observations of the current year (source `ioc-cameras`).
 *
 * - When the profile selects the Bảng 3 alias (`count-per-area`, Điểm giám sát/km²): the density, the
 *   cameras (numerator) over the land area in km² (denominator, from the service's district areas, whose
 *   source is documented in `areas.ts`); the province's area is the sum of its districts'.
 * - Otherwise (Bảng 4, `percent`): the share of districts with at least one public-order camera; each
 *   district's own observation is 100 % (covered, 1 of 1) or 0 % (0 of 1), so the province's figure is
 *   their mean.
 *
 * Keys carry the figures: an unchanged registry stores nothing, a changed one supersedes (flagged
 * `revised`). An empty registry records nothing ("no data", not 0).
 */
export async function recordCameraKpis(deps: {
  readonly cameras: CameraService;
  readonly kpi: KpiService;
  readonly logger: Logger;
  readonly now?: () => Date;
}): Promise<number> {
  const indicator = deps.kpi.defaultProfile.indicators.get(CAMERA_COVERAGE_INDICATOR);
  if (indicator === undefined) return 0;
  const now = deps.now?.() ?? new Date();
  const year = vietnamYear(now);
  const cov = await deps.cameras.coverage();
  if (cov.province.cameras === 0) return 0;
  const province = cov.province.adminUnitCode;
  const items: Record<string, unknown>[] = [];
  const base = {
    indicator: CAMERA_COVERAGE_INDICATOR,
    period: { year },
    source: 'ioc-cameras',
    method: 'automatic',
    quality: ['provisional', 'revised'],
    recordedAt: now.toISOString(),
  };
  if (indicator.unit === 'count-per-area') {
    for (const d of cov.districts) {
      if (d.areaKm2 <= 0) continue;
      items.push({
        ...base,
        key: `${CAMERA_COVERAGE_INDICATOR}:${year}:${d.adminUnitCode}:${d.cameras}per${d.areaKm2}`,
        value: d.density,
        numerator: d.cameras,
        denominator: d.areaKm2,
        scope: { level: 'district', adminUnitCode: d.adminUnitCode },
      });
    }
    items.push({
      ...base,
      key: `${CAMERA_COVERAGE_INDICATOR}:${year}:${province}:${cov.province.cameras}per${cov.province.areaKm2}`,
      value: cov.province.density,
      numerator: cov.province.cameras,
      denominator: cov.province.areaKm2,
      scope: { level: 'province', adminUnitCode: province },
    });
  } else {
    for (const d of cov.districts) {
      const covered = d.cameras > 0 ? 1 : 0;
      items.push({
        ...base,
        key: `${CAMERA_COVERAGE_INDICATOR}:${year}:${d.adminUnitCode}:${covered}of1`,
        value: covered * 100,
        numerator: covered,
        denominator: 1,
        scope: { level: 'district', adminUnitCode: d.adminUnitCode },
      });
    }
    items.push(
      automaticShare({
        indicator: CAMERA_COVERAGE_INDICATOR,
        numerator: cov.province.districtsCovered,
        denominator: cov.province.districts,
        province,
        source: 'ioc-cameras',
        at: now,
      }),
    );
  }
  const r = await deps.kpi.ingest(items, 'ioc-cameras');
  if (r.rejected.length > 0)
    deps.logger.warn('camera KPI observations rejected', { rejected: JSON.stringify(r.rejected) });
  return r.accepted;
}

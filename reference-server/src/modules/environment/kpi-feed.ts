import type { Logger } from '../../logger.js';
import type { EnvironmentRepository, Station } from '../../storage/types.js';
import { automaticShare, feedScope, type KpiService } from '../kpi/service.js';

/** Environment indicators the IOC measures itself, by the kind of station that monitors them. */
export const ENVIRONMENT_INDICATORS: Readonly<Record<Station['kind'], string>> = {
  // Tình hình ứng dụng ICT theo dõi ô nhiễm không khí
  air: 'L2.N3.PN1.03',
  // Tình hình ứng dụng ICT theo dõi ô nhiễm nguồn nước
  water: 'L2.N3.PN1.02',
};

/**
 * The environment KPIs from the station registry and its data: for each station kind, the share of
 * the profile's districts with at least one station of that kind that reported during the year so far
 * (numerator: districts covered, denominator: all districts); kinds without any registered station are
 * left as "no data". Recorded as an automatic province-level
 * observation; when coverage changes a new observation flagged `revised` supersedes the previous one
 * (its key carries the figures, so an unchanged coverage stores nothing).
 */
export async function recordEnvironmentKpis(deps: {
  readonly repo: EnvironmentRepository;
  readonly kpi: KpiService;
  readonly logger: Logger;
  readonly now?: () => Date;
}): Promise<number> {
  const { now, districts, province, from } = feedScope(deps.kpi, deps.now?.());
  if (districts.length === 0 || province === undefined) return 0;
  const stations = await deps.repo.listStations();
  const items: Record<string, unknown>[] = [];
  for (const kind of Object.keys(ENVIRONMENT_INDICATORS) as Station['kind'][]) {
    // No station of this kind registered: the IOC knows nothing about that monitoring ("no data"), not 0 %.
    if (!stations.some((s) => s.kind === kind)) continue;
    const covered = new Set<string>();
    for (const s of stations) {
      if (s.kind !== kind || s.area === undefined || !districts.includes(s.area) || covered.has(s.area))
        continue;
      if ((await deps.repo.listReadings(s.id, from, now, 1)).length > 0) covered.add(s.area);
    }
    const numerator = covered.size;
    const denominator = districts.length;
    const indicator = ENVIRONMENT_INDICATORS[kind];
    items.push(
      automaticShare({ indicator, numerator, denominator, province, source: 'ioc-environment', at: now }),
    );
  }
  if (items.length === 0) return 0;
  const r = await deps.kpi.ingest(items, 'ioc-environment');
  if (r.rejected.length > 0)
    deps.logger.warn('environment KPI observations rejected', { rejected: JSON.stringify(r.rejected) });
  return r.accepted;
}

import { baselineNumber, type ResolvedProfile } from '@dttm/ioc-kpi';
import type { KpiService } from '../modules/kpi/service.js';
import { seededRandom } from './stations.js';

/**
 * Indicators the demo leaves without data, so the scorecard shows "no data" as the plan's Bảng 4 does
 * for much of the province (citizen surveys, innovation): a third of the catalogue.
 */
const UNREPORTED = new Set([
  'L1.N1.PN3.01',
  'L1.N2.PN1.01',
  'L1.N3.PN1.01',
  'L2.N1.PN1.01',
  'L2.N2.PN1.02',
  'L2.N3.PN1.01',
  'L2.N3.PN1.04',
  'L3.N1.PN2.03',
  'L3.N3.PN1.02',
  'L3.N4.PN1.01',
  'L3.N4.PN1.02',
  'L3.N4.PN1.03',
]);

/** How far along each indicator gets by the last demo year (1 = reaches the target). */
function ambition(code: string, random: () => number): number {
  // A few indicators stall, so the scorecard and the alerts have something to say.
  if (code === 'L2.N1.PN1.03' || code === 'L2.N3.PN1.05' || code === 'L3.N2.PN1.01')
    return 0.45 + random() * 0.2;
  return 0.85 + random() * 0.4;
}

/**
 * Plausible observations of the profile for `fromYear`…`toYear`: every reported percent indicator per
 * district with numerators and denominators (so the province value is their sum), rising from the
 * baseline towards the target with noise; yes/no indicators at province level. Deterministic, keyed,
 * so seeding twice stores nothing new.
 */
export function demoObservations(
  profile: ResolvedProfile,
  fromYear: number,
  toYear: number,
  seed = 2025,
): Record<string, unknown>[] {
  const random = seededRandom(seed);
  const districts = profile.profile.subareas ?? [];
  const province = profile.profile.area?.adminUnitCode ?? '24';
  const out: Record<string, unknown>[] = [];
  const years = toYear - fromYear;
  for (const ind of profile.indicators.values()) {
    const t = ind.target;
    if (t === undefined || UNREPORTED.has(ind.code) || ind.origin !== 'catalogue') continue;
    const goal = t.target;
    if (ind.valueType === 'boolean') {
      for (let y = fromYear; y <= toYear; y++)
        out.push({
          key: `demo:${ind.code}:${y}:${province}`,
          indicator: ind.code,
          value: true,
          period: { year: y },
          scope: { level: 'province', adminUnitCode: province },
          source: 'demo-so-tttt',
          method: 'manual',
          recordedAt: `${y + 1}-01-20T09:00:00+07:00`,
        });
      continue;
    }
    if (goal.op !== 'gte' && goal.op !== 'eq') continue;
    const target = goal.value;
    const start = baselineNumber(t.current) ?? target * (0.2 + random() * 0.3);
    const reach = ambition(ind.code, random);
    for (const d of districts) {
      const denominator = 20 + Math.floor(random() * 180);
      const bias = 0.8 + random() * 0.4;
      for (let y = fromYear; y <= toYear; y++) {
        const f = years === 0 ? 1 : (y - fromYear) / years;
        const level = Math.min(
          100,
          Math.max(0, (start + (target * reach - start) * f) * bias + (random() - 0.5) * 4),
        );
        const numerator = Math.round((level / 100) * denominator);
        out.push({
          key: `demo:${ind.code}:${y}:${d.adminUnitCode}`,
          indicator: ind.code,
          value: Math.round((numerator / denominator) * 10_000) / 100,
          numerator,
          denominator,
          period: { year: y },
          scope: { level: 'district', adminUnitCode: d.adminUnitCode },
          source: `demo-${ind.sector ?? 'ioc'}`,
          method: 'automatic',
          recordedAt: `${y + 1}-01-15T09:00:00+07:00`,
        });
      }
    }
  }
  return out;
}

/** Seeds the demo observations in batches and derives the alerts once. */
export async function seedKpiDemo(
  kpi: KpiService,
  fromYear: number,
  toYear: number,
): Promise<{ accepted: number; duplicates: number }> {
  const items = demoObservations(kpi.defaultProfile, fromYear, toYear);
  let accepted = 0;
  let duplicates = 0;
  for (let i = 0; i < items.length; i += 1000) {
    const r = await kpi.ingest(items.slice(i, i + 1000), 'demo', { publish: false });
    if (r.rejected.length > 0)
      throw new Error(`demo observations rejected: ${JSON.stringify(r.rejected[0])}`);
    accepted += r.accepted;
    duplicates += r.duplicates;
  }
  await kpi.refreshAlerts();
  return { accepted, duplicates };
}

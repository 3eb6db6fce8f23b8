import type { Logger } from '../../logger.js';
import type { HealthRepository, Hl7FactRow } from '../../storage/types.js';
import { automaticShare, feedScope, type KpiService } from '../kpi/service.js';

/** Health indicators the IOC measures from the HL7 v2 feeds of the facilities. */
export const HEALTH_INDICATORS = {
  // Tình hình sử dụng bệnh án điện tử
  electronicRecords: 'L2.N1.PN3.01',
  // Tình hình ứng dụng ICT trong đăng ký khám chữa bệnh
  onlineBooking: 'L2.N1.PN3.02',
} as const;

const SOURCE = 'ioc-health';

/** Numerator and denominator of both indicators over a set of messages. */
export interface HealthShares {
  /** Encounters (distinct facility + visit of ADT A01/A04) and those with clinical content sent (ORU R01, MDM T02). */
  readonly encounters: number;
  readonly electronic: number;
  /** New bookings (SIU S12) and those entered through an online channel. */
  readonly appointments: number;
  readonly online: number;
}

/** The figures of the two health indicators over these messages' facts. */
export function healthShares(rows: readonly Hl7FactRow[]): HealthShares {
  const encounters = new Set<string>();
  const clinical = new Set<string>();
  let appointments = 0;
  let online = 0;
  for (const r of rows) {
    const visit = r.facts.visit === undefined ? undefined : `${r.facility}\u0000${r.facts.visit}`;
    if (r.facts.encounter === true && visit !== undefined) encounters.add(visit);
    if (r.facts.clinical === true && visit !== undefined) clinical.add(visit);
    if (r.facts.booking !== undefined) {
      appointments++;
      if (r.facts.booking === 'online') online++;
    }
  }
  const electronic = [...encounters].filter((v) => clinical.has(v)).length;
  return { encounters: encounters.size, electronic, appointments, online };
}

/**
 * The health KPIs from the messages received this year (Vietnam time), for the province and for each
 * of the profile's districts with a registered facility:
 * - L2.N1.PN3.01: of the encounters begun (ADT A01/A04, one per facility and visit number PV1-19), the
 *   share whose clinical record was sent electronically (an ORU R01 or MDM T02 for the same visit);
 * - L2.N1.PN3.02: of the new bookings (SIU S12), the share entered through an online channel (SCH-24.1).
 * No observation while the denominator is 0. Recorded as automatic observations; a changed figure gives a
 * new observation flagged `revised` (the key carries the figures, so an unchanged one stores nothing).
 */
export async function recordHealthKpis(deps: {
  readonly repo: HealthRepository;
  readonly kpi: KpiService;
  readonly logger: Logger;
  readonly now?: () => Date;
}): Promise<number> {
  const scope = feedScope(deps.kpi, deps.now?.());
  const { now, year, districts, province } = scope;
  if (province === undefined) return 0;
  const from = scope.from.toISOString();
  const to = scope.to.toISOString();
  const rows = await deps.repo.listFacts(from, to);
  if (rows.length === 0) return 0;
  const areaOf = new Map((await deps.repo.listFacilities()).map((f) => [f.id, f.area]));
  const items: Record<string, unknown>[] = [];
  const push = (shares: HealthShares, district?: string) => {
    const pairs: [string, number, number][] = [
      [HEALTH_INDICATORS.electronicRecords, shares.electronic, shares.encounters],
      [HEALTH_INDICATORS.onlineBooking, shares.online, shares.appointments],
    ];
    for (const [indicator, numerator, denominator] of pairs) {
      if (denominator === 0) continue;
      const o = automaticShare({ indicator, numerator, denominator, province, source: SOURCE, at: now });
      items.push(
        district === undefined
          ? o
          : {
              ...o,
              key: `${indicator}:${year}:${district}:${numerator}of${denominator}`,
              scope: { level: 'district', adminUnitCode: district },
            },
      );
    }
  };
  push(healthShares(rows));
  for (const district of districts) {
    const inDistrict = rows.filter((r) => areaOf.get(r.facility) === district);
    if (inDistrict.length > 0) push(healthShares(inDistrict), district);
  }
  if (items.length === 0) return 0;
  const r = await deps.kpi.ingest(items, SOURCE);
  if (r.rejected.length > 0)
    deps.logger.warn('health KPI observations rejected', { rejected: JSON.stringify(r.rejected) });
  return r.accepted;
}

import type { Logger } from '../../logger.js';
import type { ReportRepository } from '../../storage/types.js';
import { automaticShare, feedScope, type KpiService } from '../kpi/service.js';

/** Citizens' feedback indicators the IOC measures from the field reports it handles. */
export const REPORT_INDICATORS = {
  // Việc công khai kết quả phản ánh của người dân về hoạt động của CQĐT
  publication: 'L1.N1.PN2.01',
  // Sự sẵn sàng của hạ tầng giúp người dân tham gia phản hồi thông tin cho CQĐT
  readiness: 'L1.N2.PN1.01',
} as const;

const MAX_REPORTS = 100_000;

/**
 * The citizens' feedback KPIs from the field reports, for the current year (Vietnam time):
 * - L1.N1.PN2.01: of the reports resolved this year, the share whose handling result is published
 *   (numerator published, denominator resolved); no observation while none was resolved.
 * - L1.N2.PN1.01: the share of the profile's districts from which at least one report was received
 *   this year (the channel exists and is in use there); no observation while no report was received.
 * Recorded as automatic province-level observations; when a figure changes a new observation flagged
 * `revised` supersedes the previous one (its key carries the figures, so an unchanged one stores nothing).
 */
export async function recordReportKpis(deps: {
  readonly repo: ReportRepository;
  readonly kpi: KpiService;
  readonly logger: Logger;
  readonly now?: () => Date;
}): Promise<number> {
  const scope = feedScope(deps.kpi, deps.now?.());
  const { now, districts, province } = scope;
  if (districts.length === 0 || province === undefined) return 0;
  const from = scope.from.toISOString();
  const to = scope.to.toISOString();
  const items: Record<string, unknown>[] = [];
  const observation = (indicator: string, numerator: number, denominator: number) =>
    automaticShare({ indicator, numerator, denominator, province, source: 'ioc-reports', at: now });

  const resolved = (await deps.repo.listReports({ states: ['resolved'], limit: MAX_REPORTS })).filter(
    (r) => r.result !== undefined && r.result.at >= from && r.result.at < to,
  );
  if (resolved.length > 0) {
    const published = resolved.filter((r) => r.result?.published === true).length;
    items.push(observation(REPORT_INDICATORS.publication, published, resolved.length));
  }
  const received = await deps.repo.listReports({ submittedFrom: from, submittedTo: to, limit: MAX_REPORTS });
  if (received.length > 0) {
    const covered = new Set(
      received.map((r) => r.district).filter((d): d is string => d !== undefined && districts.includes(d)),
    );
    items.push(observation(REPORT_INDICATORS.readiness, covered.size, districts.length));
  }
  if (items.length === 0) return 0;
  const r = await deps.kpi.ingest(items, 'ioc-reports');
  if (r.rejected.length > 0)
    deps.logger.warn('field-report KPI observations rejected', { rejected: JSON.stringify(r.rejected) });
  return r.accepted;
}

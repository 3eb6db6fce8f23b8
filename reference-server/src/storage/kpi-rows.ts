import type { KpiAlert, Observation } from '@dttm/ioc-kpi';
import type { KpiAlertFilter, KpiObservationFilter, StoredKpiObservation } from './types.js';

/** Row shapes and conversions of the KPI tables, shared by the SQL back ends. */
export interface KpiObservationRow {
  key: string;
  received_at: string;
  body: string;
}

export interface KpiAlertRow {
  body: string;
}

export const toStoredObservation = (r: KpiObservationRow): StoredKpiObservation => ({
  key: r.key,
  receivedAt: r.received_at,
  observation: JSON.parse(r.body) as Observation,
});

export const toAlert = (r: KpiAlertRow): KpiAlert => JSON.parse(r.body) as KpiAlert;

/** The columns an alert is filtered by, beside its JSON body. */
export function alertColumns(a: KpiAlert) {
  return {
    id: a.id,
    dedup_key: a.dedupKey,
    state: a.state,
    kind: a.kind,
    indicator: a.indicator,
    admin_unit: a.scope?.adminUnitCode ?? null,
    raised_at: a.raisedAt,
    updated_at: a.updatedAt ?? a.raisedAt,
    body: JSON.stringify(a),
  };
}

/**
 * The WHERE clause of an observation query, for either back end: `arg` adds a value and returns its
 * placeholder (`?` or `$n`). Undefined when the filter can match nothing (an empty indicator list).
 */
export function observationWhere(f: KpiObservationFilter, arg: (v: string) => string): string | undefined {
  const where: string[] = [];
  if (f.indicators !== undefined) {
    if (f.indicators.length === 0) return undefined;
    where.push(`indicator IN (${f.indicators.map((i) => arg(i)).join(', ')})`);
  }
  if (f.adminUnit !== undefined) where.push(`admin_unit = ${arg(f.adminUnit)}`);
  if (f.from !== undefined) where.push(`period_end > ${arg(f.from)}`);
  if (f.to !== undefined) where.push(`period_start < ${arg(f.to)}`);
  return where.length ? `WHERE ${where.join(' AND ')}` : '';
}

/** The WHERE clause of an alert query (see {@link observationWhere}). */
export function alertWhere(f: KpiAlertFilter, arg: (v: string) => string): string | undefined {
  const where: string[] = [];
  if (f.states !== undefined) {
    if (f.states.length === 0) return undefined;
    where.push(`state IN (${f.states.map((s) => arg(s)).join(', ')})`);
  }
  if (f.kind !== undefined) where.push(`kind = ${arg(f.kind)}`);
  if (f.indicator !== undefined) where.push(`indicator = ${arg(f.indicator)}`);
  return where.length ? `WHERE ${where.join(' AND ')}` : '';
}

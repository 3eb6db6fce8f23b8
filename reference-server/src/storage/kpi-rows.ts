import type { KpiAlert, Observation } from '@dttm/ioc-kpi';
import type { StoredKpiObservation } from './types.js';

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

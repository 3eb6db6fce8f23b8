import type { KpiAlert } from '@dttm/ioc-kpi';
import type { Principal } from '../../auth/roles.js';
import type { IocEvent } from '../../events/types.js';
import type { EnvironmentRepository, FieldReport } from '../../storage/types.js';
import { canReadStation } from '../environment/scope.js';
import { kpiViewOf } from '../kpi/routes.js';
import type { KpiService } from '../kpi/service.js';
import { canSeeReport, reportViewOf } from '../field-reports/service.js';
import { canReadHealth } from '../health/service.js';
import { canSeeCamera, cameraViewOf } from '../cameras/service.js';

/**
 * Which live events a caller may see, by the same rules as the data they are about: province
 * leadership and operators everything; KPI alerts and observations as the KPI module shares them (a
 * district its area, a department its sector); station events as the stations are shared. Event types
 * without a rule are not disclosed to scoped callers.
 */
export function eventVisibility(
  kpi: KpiService,
  stations: EnvironmentRepository,
): (principal: Principal, event: IocEvent) => Promise<boolean> {
  return async (principal, event) => {
    const view = kpiViewOf(principal);
    if (view.all) return true;
    const data = (event.data ?? {}) as Record<string, unknown>;
    if (event.type === 'kpi.alert.raised' || event.type === 'kpi.alert.updated')
      return kpi.canSeeAlert(view, data as unknown as KpiAlert);
    if (event.type === 'kpi.observation.recorded') {
      const scope = data.scope as { adminUnitCode?: string } | undefined;
      if (view.area !== undefined) return scope?.adminUnitCode === view.area;
      if (view.sector !== undefined) return kpi.sectorOf(String(data.indicator)) === view.sector;
      return false;
    }
    if (event.type === 'report.submitted' || event.type === 'report.updated')
      return canSeeReport(reportViewOf(principal), data as unknown as FieldReport);
    if (event.type.startsWith('incident.') || event.type === 'camera.health')
      return canSeeCamera(cameraViewOf(principal), data as { unit: string; area: string });
    // Official documents are the centre's correspondence: whoever may read them sees their events.
    if (event.type.startsWith('hl7.')) return canReadHealth(principal) && principal.scopes.has('health:read');
    if (event.type.startsWith('document.')) return principal.scopes.has('documents:read');
    if (event.type.startsWith('environment.') && typeof data.stationId === 'string') {
      const station = await stations.getStation(data.stationId);
      return station !== undefined && canReadStation(principal, station);
    }
    return false;
  };
}

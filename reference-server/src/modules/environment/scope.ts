import type { Principal } from '../../auth/roles.js';
import type { Station } from '../../storage/types.js';

/**
 * Sharing by level and authority for environmental data: province leadership and operators see every
 * station; the environment department (`dept` = `environment`) sees every station; a district or city
 * sees the stations in its own area; other departments see none.
 */
export function canReadStation(p: Principal, station: Station): boolean {
  for (const role of p.roles) {
    if (role === 'leadership' || role === 'operator') return true;
    if (role === 'department' && p.department === 'environment') return true;
    if (role === 'district' && station.area !== undefined && station.area === p.area) return true;
  }
  return false;
}

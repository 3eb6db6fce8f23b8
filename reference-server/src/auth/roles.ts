/**
 * Access control by level and authority: who may do what, and over which data.
 * Roles come from the token's `roles` claim; a token's scopes are limited to those its roles allow.
 */
export const ROLES = ['leadership', 'department', 'district', 'operator', 'machine'] as const;
export type Role = (typeof ROLES)[number];

export const SCOPES = [
  'kpi:read',
  'kpi:ingest',
  'alerts:read',
  'alerts:write',
  'readings:ingest',
  'audit:read',
  'events:read',
  'environment:read',
  'stations:write',
  'reports:read',
  'reports:write',
  'health:read',
  'facilities:write',
  'cameras:read',
  'cameras:write',
  'incidents:read',
  'incidents:write',
  'watchlist:write',
  'cameras:ingest',
  'documents:read',
  'documents:write',
] as const;
export type Scope = (typeof SCOPES)[number];

/** Scopes each role may hold. A token asking for more gets only these. */
export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  // Province leadership reads everything.
  leadership: [
    'kpi:read',
    'alerts:read',
    'audit:read',
    'events:read',
    'environment:read',
    'reports:read',
    // Health facilities, the HL7 v2 messages received and the health KPIs.
    'health:read',
    'documents:read',
    // Cameras and their incidents, province-wide.
    'cameras:read',
    'incidents:read',
  ],
  // A department (health, education, environment, …) reads its own indicators and data (live events
  // are filtered to them), and handles the citizens' field reports assigned to it.
  department: [
    'kpi:read',
    'alerts:read',
    'environment:read',
    'events:read',
    'reports:read',
    'reports:write',
    // Health data, for the health department only (`dept: health`; others get 403).
    'health:read',
    // Official documents received and sent by the operations centre (read only).
    'documents:read',
    // The cameras its unit owns (police, transport, …) and handling their incidents.
    'cameras:read',
    'incidents:read',
    'incidents:write',
  ],
  // A district or city reads its own area (including the field reports routed to it).
  // Also the cameras standing in it and their incidents.
  district: [
    'kpi:read',
    'alerts:read',
    'environment:read',
    'events:read',
    'reports:read',
    'cameras:read',
    'incidents:read',
  ],
  // Operators of the operations centre acknowledge and resolve alerts.
  operator: [
    'kpi:read',
    'alerts:read',
    'alerts:write',
    'audit:read',
    'events:read',
    'environment:read',
    'stations:write',
    'reports:read',
    'reports:write',
    // Health data and the registry of facilities allowed to send HL7 v2.
    'health:read',
    'facilities:write',
    // Sending documents through the LGSP and reporting their processing status.
    'documents:read',
    'documents:write',
    // The camera registry, every incident and the plate watch list.
    'cameras:read',
    'cameras:write',
    'incidents:read',
    'incidents:write',
    'watchlist:write',
  ],
  // Machine clients (hospitals, stations, cameras, the LGSP) only ingest.
  machine: ['kpi:ingest', 'readings:ingest', 'cameras:ingest'],
};

/** The authenticated caller. */
export interface Principal {
  /** `sub` claim: a user or client id. */
  readonly subject: string;
  readonly roles: readonly Role[];
  /** Effective scopes: requested by the token and allowed by its roles. */
  readonly scopes: ReadonlySet<Scope>;
  /** `dept` claim, required for the department role, e.g. `health`. */
  readonly department?: string;
  /** `area` claim, required for the district role: the administrative-unit code, e.g. `213`. */
  readonly area?: string;
  /** Expiry, seconds since the epoch. */
  readonly expiresAt: number;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}

/** Scopes a token gets: those it asks for (or, when it asks for none, all of its roles'), within its roles. */
export function effectiveScopes(
  roles: readonly Role[],
  requested: readonly string[] | undefined,
): Set<Scope> {
  const allowed = new Set<Scope>(roles.flatMap((r) => ROLE_SCOPES[r]));
  if (requested === undefined) return allowed;
  return new Set(requested.filter((s): s is Scope => isScope(s) && allowed.has(s)));
}

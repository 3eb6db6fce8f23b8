import type { AlertState, KpiAlert, Observation } from '@dttm/ioc-kpi';
import type { HealthRepository } from './health-types.js';
export type * from './health-types.js';
import type { CameraRepository } from './camera-types.js';
export * from './camera-types.js';
import type { DocumentRepository } from './documents-types.js';
export * from './documents-types.js';

/** What every storage back end offers the server. Domain repositories are added per module. */
export interface Storage {
  /** Which implementation this is. */
  readonly kind: 'sqlite' | 'postgres';
  /** The append-only, hash-chained audit log of every write. */
  readonly audit: AuditLog;
  /** Monitoring stations and their readings. */
  readonly environment: EnvironmentRepository;
  /** KPI observations and alerts. */
  readonly kpi: KpiRepository;
  /** Citizens' field reports and their photos. */
  readonly reports: ReportRepository;
  /** Health facilities, HL7 v2 messages received and their FHIR outbox. */
  readonly health: HealthRepository;
  /** Cameras, their incidents and the plate watch list. */
  readonly cameras: CameraRepository;
  /** Official documents exchanged through the LGSP, and the exchange's durable store. */
  readonly documents: DocumentRepository;
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  /** Highest applied schema migration. */
  schemaVersion(): Promise<number>;
  /** Releases connections and file handles. Safe to call twice. */
  close(): Promise<void>;
}

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** SQL run inside one transaction. */
  readonly sql: string;
}

/** JSON values only: what can be hashed and stored identically by every back end. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** What a caller records about one write. */
/**
 * The audit record of an ingest, appended in the transaction of its rows: `data` (an object) gets the
 * outcome's `accepted` and `duplicates` added. A declarative record (not a function of the outcome), so
 * a writer on another thread can complete it.
 */
export interface IngestAudit {
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly data?: { readonly [key: string]: JsonValue };
}

export interface AuditInput {
  /** Who did it: a user id, a machine client id, or `system`. */
  readonly actor: string;
  /** What was done, e.g. `kpi.observation.create`, `alert.acknowledge`. */
  readonly action: string;
  /** What it was done to, e.g. `observation:7f3c…`. */
  readonly subject: string;
  /** Details of the change (no secrets). */
  readonly data?: JsonValue;
}

/** One stored audit record. `hash` covers every other field and the previous record's hash. */
export interface AuditEntry {
  readonly seq: number;
  /** ISO 8601 instant with offset. */
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly data: JsonValue;
  readonly prevHash: string;
  readonly hash: string;
}

export type AuditVerification =
  | { readonly ok: true; readonly entries: number; readonly head: string }
  | {
      readonly ok: false;
      readonly entries: number;
      /** Sequence number of the first record that does not verify. */
      readonly brokenAt: number;
      readonly reason: 'hash-mismatch' | 'chain-broken' | 'sequence-gap';
    };

export interface AuditLog {
  /** Appends one record; concurrent appends (also from other instances) are serialised. */
  append(input: AuditInput): Promise<AuditEntry>;
  /** Records in sequence order, after `afterSeq` (exclusive), at most `limit` (default 100, max 1000). */
  list(options?: { readonly afterSeq?: number; readonly limit?: number }): Promise<AuditEntry[]>;
  /** Recomputes the whole chain. */
  verify(): Promise<AuditVerification>;
}

/** A monitoring station (specs/schemas/env-station.schema.json). */
export interface Station {
  readonly id: string;
  readonly name: string;
  readonly kind: 'air' | 'water';
  readonly location: { readonly lat: number; readonly lon: number };
  /** Administrative-unit code of its district or city. */
  readonly area?: string;
}

/** One reading as received (specs/schemas/env-reading.schema.json). */
export interface ReadingInput {
  /** End of the averaging period, ISO 8601 with the source's offset (kept as sent). */
  readonly at: string;
  readonly periodMinutes: number;
  readonly values: Readonly<Record<string, number>>;
}

export interface StoredReading extends ReadingInput {
  readonly stationId: string;
  readonly receivedAt: string;
}

export interface IngestOutcome {
  readonly accepted: number;
  readonly duplicates: number;
  /** The readings stored by this call (duplicates excluded). */
  readonly stored: readonly StoredReading[];
}

export interface EnvironmentRepository {
  /**
   * `exists` when a station with this id is already registered (nothing is changed). When `audit` is
   * given, the audit record is appended in the same transaction as the write.
   */
  createStation(station: Station, audit?: AuditInput): Promise<'created' | 'exists'>;
  getStation(id: string): Promise<Station | undefined>;
  listStations(): Promise<Station[]>;
  /**
   * Stores a batch in one transaction. A reading for the same station, instant and period as one
   * already stored is a duplicate and is skipped, so retried deliveries are harmless.
   */
  insertReadings(
    stationId: string,
    readings: readonly ReadingInput[],
    audit?: IngestAudit,
  ): Promise<IngestOutcome>;
  /** The most recent reading of a station, or undefined when it has none. */
  latestReading(stationId: string): Promise<StoredReading | undefined>;
  /** Readings with `from <= at < to` (instants compared in UTC), oldest first. */
  listReadings(stationId: string, from: Date, to: Date, limit: number): Promise<StoredReading[]>;
  /**
   * Retention: folds the station's sub-hourly readings stamped at or before `before` into hourly
   * means (period 60), in one transaction with the audit record, deleting the raw rows folded. At most
   * `maxRows` raw rows per call (whole hours only); `more` says whether some remain. Hours that
   * already have an hourly reading keep their raw rows (`kept`).
   */
  rollUpReadings(
    stationId: string,
    before: Date,
    maxRows: number,
    audit: (outcome: ReadingRollUp) => AuditInput,
  ): Promise<ReadingRollUp & { readonly more: boolean }>;
}

export interface ReadingRollUp {
  /** Hourly readings written. */
  readonly hours: number;
  /** Raw readings folded into them and deleted. */
  readonly removed: number;
  /** Raw readings kept: their hour already had an hourly reading. */
  readonly kept: number;
}

/** An observation to store, with its idempotency key and resolved period. */
export interface KpiObservationInsert {
  /** Unique: `<source>:<client key>`, or a hash of the observation. */
  readonly key: string;
  readonly observation: Observation;
  readonly periodLabel: string;
  /** Period bounds as UTC ISO instants. */
  readonly periodStart: string;
  readonly periodEnd: string;
  /** `JSON.stringify(observation)`, when the caller has it (it is also the data of the observation's event). */
  readonly body?: string;
}

export interface StoredKpiObservation {
  readonly key: string;
  readonly receivedAt: string;
  readonly observation: Observation;
}

export interface KpiIngestOutcome {
  readonly accepted: number;
  readonly duplicates: number;
  /** The observations stored by this call (duplicates excluded). */
  readonly stored: readonly StoredKpiObservation[];
}

export interface KpiObservationFilter {
  /** Only these indicators. */
  readonly indicators?: readonly string[];
  /** Only observations of this administrative unit. */
  readonly adminUnit?: string;
  /** Only periods ending after this UTC instant. */
  readonly from?: string;
  /** Only periods starting before this UTC instant. */
  readonly to?: string;
  readonly limit: number;
  /** By period start; `desc` for newest first. */
  readonly order?: 'asc' | 'desc';
}

export interface KpiAlertFilter {
  readonly states?: readonly AlertState[];
  readonly kind?: KpiAlert['kind'];
  readonly indicator?: string;
  readonly limit: number;
}

export interface KpiRepository {
  /**
   * Stores a batch in one transaction. An item whose key is already stored (or repeats earlier in the
   * batch) is a duplicate and is skipped, so retried deliveries are harmless.
   */
  insertObservations(items: readonly KpiObservationInsert[], audit?: IngestAudit): Promise<KpiIngestOutcome>;
  listObservations(filter: KpiObservationFilter): Promise<StoredKpiObservation[]>;
  /**
   * Writes alerts derived by the engine in one transaction. An alert with `expected` replaces the stored
   * one only while its state is still `expected` (an operator's acknowledgement in between wins); one
   * without is inserted, unless its dedup key already has an active alert (raised meanwhile by another
   * instance). Returns the ids actually written. The audit record, when given, is in the same transaction.
   */
  saveAlerts(
    alerts: readonly { readonly alert: KpiAlert; readonly expected?: AlertState }[],
    audit?: AuditInput,
  ): Promise<string[]>;
  getAlert(id: string): Promise<KpiAlert | undefined>;
  /** Newest first. */
  listAlerts(filter: KpiAlertFilter): Promise<KpiAlert[]>;
  /**
   * Replaces an alert when its stored state is still `expected` (so two operators cannot both
   * acknowledge it), with the audit record in the same transaction. False when the state moved on.
   */
  transitionAlert(next: KpiAlert, expected: AlertState, audit: AuditInput): Promise<boolean>;
}

export const REPORT_CATEGORIES = [
  'environment',
  'traffic',
  'urban-order',
  'public-security',
  'health',
  'education',
  'land-construction',
  'other',
] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

export const REPORT_STATES = [
  'received',
  'assigned',
  'in-progress',
  'resolved',
  'rejected',
  'escalated',
] as const;
export type ReportState = (typeof REPORT_STATES)[number];

/** One state change of a field report. */
export interface ReportHistoryEntry {
  readonly from?: ReportState;
  readonly to: ReportState;
  readonly at: string;
  readonly by: string;
  readonly note?: string;
  readonly department?: string;
}

/** A citizen's field report as staff see it (specs/schemas/field-report.schema.json); never its contact. */
export interface FieldReport {
  readonly id: string;
  /** Public tracking code, e.g. `PA-2026-7K3F9Q`. */
  readonly code: string;
  readonly text: string;
  readonly category: ReportCategory;
  readonly location: {
    readonly lat: number;
    readonly lon: number;
    readonly address?: string;
    readonly district?: string;
  };
  readonly hasContact: boolean;
  readonly photo?: {
    readonly mediaType: ReportPhoto['mediaType'];
    readonly bytes: number;
    readonly sha256: string;
  };
  readonly department: string;
  readonly district?: string;
  readonly state: ReportState;
  readonly submittedAt: string;
  readonly updatedAt: string;
  readonly deadline: string;
  readonly escalatedAt?: string;
  readonly result?: {
    readonly text: string;
    readonly published: boolean;
    readonly by: string;
    readonly at: string;
  };
  readonly rejection?: { readonly reason: string; readonly by: string; readonly at: string };
  readonly history: readonly ReportHistoryEntry[];
}

export interface ReportPhoto {
  readonly mediaType: 'image/jpeg' | 'image/png';
  readonly data: Buffer;
  /** SHA-256 of `data`, hex. */
  readonly sha256: string;
}

/** The citizen's contact details: stored with the report, returned by no endpoint. */
export interface ReportContact {
  readonly name?: string;
  readonly phone?: string;
  readonly email?: string;
}

export interface ReportFilter {
  readonly states?: readonly ReportState[];
  readonly department?: string;
  readonly district?: string;
  readonly category?: ReportCategory;
  /** Only reports not resolved or rejected whose deadline is before this UTC instant. */
  readonly overdueAt?: string;
  /** Only reports not resolved or rejected whose deadline is at or after this UTC instant. */
  readonly notOverdueAt?: string;
  /** Only reports submitted at or after this UTC instant. */
  readonly submittedFrom?: string;
  /** Only reports submitted before this UTC instant. */
  readonly submittedTo?: string;
  readonly limit: number;
}

export interface ReportRepository {
  /**
   * Stores a new report (with its photo, content-addressed, and contact) and the audit record in one
   * transaction. `code-taken` when its tracking code exists already (nothing is stored; draw another).
   */
  createReport(
    report: FieldReport,
    extras: { readonly photo?: ReportPhoto; readonly contact?: ReportContact },
    audit: AuditInput,
  ): Promise<'created' | 'code-taken'>;
  getReport(id: string): Promise<FieldReport | undefined>;
  getReportByCode(code: string): Promise<FieldReport | undefined>;
  /** Newest submission first. */
  listReports(filter: ReportFilter): Promise<FieldReport[]>;
  /**
   * Replaces a report when its stored state is still `expected`, with the audit record in the same
   * transaction. False when the state moved on (or the report is unknown).
   */
  transitionReport(next: FieldReport, expected: ReportState, audit: AuditInput): Promise<boolean>;
  /** The photo of a report, when it has one. */
  getReportPhoto(id: string): Promise<ReportPhoto | undefined>;
}

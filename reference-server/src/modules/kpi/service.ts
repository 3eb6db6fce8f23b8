import { createHash } from 'node:crypto';
import {
  BAC_GIANG_2025,
  HEALTH_SECTOR_EXAMPLE,
  BatchDuplicates,
  KpiSchemas,
  ObservationValidator,
  VN_SMART_CITY_2025,
  acknowledgeAlert,
  deriveAlerts,
  evaluateProfile,
  isKpiError,
  periodRange,
  previousPeriod,
  resolveAlert,
  resolveProfile,
  type AlertPolicy,
  type Catalogue,
  type KpiAlert,
  type Period,
  type Profile,
  type ResolvedProfile,
  type Scope,
  type Scorecard,
  type ValidationIssue,
} from '@dttm/ioc-kpi';
import type { EventBus } from '../../events/types.js';
import type { Logger } from '../../logger.js';
import type { JsonValue, KpiObservationInsert, KpiRepository } from '../../storage/types.js';
import { RequestError } from '../../http/request-error.js';

/** What a principal may see of KPI data: everything, one area, or one sector's indicators. */
export interface KpiView {
  readonly all: boolean;
  /** District or city: its administrative-unit code. */
  readonly area?: string;
  /** Department: the sector whose indicators it sees (e.g. `health`). */
  readonly sector?: string;
}

export interface KpiServiceOptions {
  readonly repo: KpiRepository;
  readonly bus: EventBus;
  readonly logger: Logger;
  /** Profiles to serve; default Bắc Giang 2025 and the illustrative health-sector profile. */
  readonly profiles?: readonly Profile[];
  /** Id of the default profile; default the first. */
  readonly defaultProfile?: string;
  readonly catalogue?: Catalogue;
  readonly now?: () => Date;
  readonly alertPolicy?: AlertPolicy;
  /** Delay before alerts are re-derived after an ingest (coalescing bursts). Default 1000 ms. */
  readonly alertDebounceMs?: number;
  /** Alerts are also re-derived on this interval (due dates pass without any ingest). Default 10 min; 0 disables. */
  readonly alertIntervalMs?: number;
}

export class KpiRequestError extends RequestError {
  override readonly name = 'KpiRequestError';
}

export interface IngestItemRejected {
  readonly index: number;
  readonly issues: readonly ValidationIssue[];
}

export interface KpiIngestResult {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: readonly IngestItemRejected[];
}

const VN_OFFSET_MS = 7 * 3_600_000;
const MAX_OBSERVATIONS = 500_000;

/**
 * A share the IOC measures itself (e.g. districts with a reporting station), as a province-level
 * automatic observation of the current year. Its key carries the figures, so recording an unchanged
 * share stores nothing, and a changed one (flagged `revised`, recorded later) supersedes the previous.
 */
export function automaticShare(input: {
  readonly indicator: string;
  readonly numerator: number;
  readonly denominator: number;
  readonly province: string;
  readonly source: string;
  readonly at: Date;
}): Record<string, unknown> {
  const year = vietnamYear(input.at);
  return {
    key: `${input.indicator}:${year}:${input.numerator}of${input.denominator}`,
    indicator: input.indicator,
    value: Math.round((input.numerator / input.denominator) * 10_000) / 100,
    numerator: input.numerator,
    denominator: input.denominator,
    period: { year },
    scope: { level: 'province', adminUnitCode: input.province },
    source: input.source,
    method: 'automatic',
    quality: ['provisional', 'revised'],
    recordedAt: input.at.toISOString(),
  };
}

/**
 * What a feed of the IOC's own data into the KPIs works with: the current year in Vietnam (its bounds
 * as UTC instants) and the default profile's province and districts.
 */
export function feedScope(
  kpi: KpiService,
  now: Date = new Date(),
): {
  readonly now: Date;
  readonly year: number;
  readonly province: string | undefined;
  readonly districts: readonly string[];
  readonly from: Date;
  readonly to: Date;
} {
  const year = vietnamYear(now);
  const profile = kpi.defaultProfile.profile;
  return {
    now,
    year,
    province: profile.area?.adminUnitCode,
    districts: (profile.subareas ?? []).map((s) => s.adminUnitCode),
    from: new Date(Date.UTC(year, 0, 1) - VN_OFFSET_MS),
    to: new Date(Date.UTC(year + 1, 0, 1) - VN_OFFSET_MS),
  };
}

/** The calendar year in Vietnam at an instant. */
export function vietnamYear(at: Date): number {
  return new Date(at.getTime() + VN_OFFSET_MS).getUTCFullYear();
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function issue(code: ValidationIssue['code'], path: string, vi: string, en: string): ValidationIssue {
  return { code, path, message: { vi, en } };
}

/**
 * Labels and UTC bounds of calendar periods, remembered: a batch's observations share a few periods,
 * and formatting two instants per observation is a good part of validating it. Intervals are resolved
 * each time. Bounded: the memory is cleared when it holds `limit` periods.
 */
class PeriodBounds {
  readonly #known = new Map<string, { label: string; start: string; end: string }>();
  constructor(readonly limit = 10_000) {}

  of(period: Period): { label: string; start: string; end: string } {
    const p = period as { year?: number; quarter?: number; month?: number; interval?: string };
    const key = p.interval === undefined ? `${p.year}|${p.quarter}|${p.month}` : undefined;
    const known = key === undefined ? undefined : this.#known.get(key);
    if (known !== undefined) return known;
    const range = periodRange(period);
    const bounds = {
      label: range.label,
      start: new Date(range.start).toISOString(),
      end: new Date(range.end).toISOString(),
    };
    if (key !== undefined) {
      if (this.#known.size >= this.limit) this.#known.clear();
      this.#known.set(key, bounds);
    }
    return bounds;
  }
}

/**
 * The KPI module: observation ingest (validated by @dttm/ioc-kpi against the profiles, idempotent by
 * client key, audited), scorecards and series evaluated on demand, alerts derived after ingests and on
 * a timer, and the operators' transitions. One instance per server; `close()` stops its timers.
 */
export class KpiService {
  readonly catalogue: Catalogue;
  readonly profiles: ReadonlyMap<string, ResolvedProfile>;
  readonly defaultProfile: ResolvedProfile;
  readonly #validators: { profile: ResolvedProfile; validator: ObservationValidator }[];
  readonly #periodBounds = new PeriodBounds();
  readonly #repo: KpiRepository;
  readonly #bus: EventBus;
  readonly #logger: Logger;
  readonly #now: () => Date;
  readonly #policy: AlertPolicy;
  readonly #debounceMs: number;
  #debounce: ReturnType<typeof setTimeout> | undefined;
  #interval: ReturnType<typeof setInterval> | undefined;
  #refreshing: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(options: KpiServiceOptions) {
    this.#repo = options.repo;
    this.#bus = options.bus;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
    this.#policy = options.alertPolicy ?? {};
    this.#debounceMs = options.alertDebounceMs ?? 1000;
    this.catalogue = options.catalogue ?? VN_SMART_CITY_2025;
    const schemas = new KpiSchemas();
    const list = options.profiles ?? [BAC_GIANG_2025, HEALTH_SECTOR_EXAMPLE];
    const resolved = new Map<string, ResolvedProfile>();
    for (const p of list)
      resolved.set(p.id, resolveProfile(p, { catalogue: this.catalogue, profiles: list, schemas }));
    this.profiles = resolved;
    const def = resolved.get(options.defaultProfile ?? list[0]?.id ?? '');
    if (def === undefined)
      throw new Error(`default profile "${options.defaultProfile ?? ''}" is not configured`);
    this.defaultProfile = def;
    // The default profile validates first; others add their own indicators.
    this.#validators = [def, ...[...resolved.values()].filter((p) => p !== def)].map((profile) => ({
      profile,
      validator: new ObservationValidator(profile),
    }));
    const interval = options.alertIntervalMs ?? 600_000;
    if (interval > 0) {
      this.#interval = setInterval(() => this.scheduleAlerts(0), interval);
      this.#interval.unref();
    }
  }

  /** The profile by id (default when absent); 404 when unknown. */
  profile(id?: string): ResolvedProfile {
    if (id === undefined) return this.defaultProfile;
    const p = this.profiles.get(id);
    if (p === undefined) throw new KpiRequestError(404, 'PROFILE_NOT_FOUND', `no profile "${id}"`);
    return p;
  }

  /** Sector of an indicator in any configured profile. */
  sectorOf(indicator: string): string | undefined {
    for (const p of this.profiles.values()) {
      const ind = p.indicators.get(indicator);
      if (ind !== undefined) return ind.sector;
    }
    return undefined;
  }

  /** Indicators a view may see in a profile (all of them, unless the view is a sector's). */
  visibleIndicators(profile: ResolvedProfile, view: KpiView): string[] | undefined {
    if (view.all || view.sector === undefined) return undefined;
    return [...profile.indicators.values()].filter((i) => i.sector === view.sector).map((i) => i.code);
  }

  canSeeAlert(view: KpiView, alert: KpiAlert): boolean {
    if (view.all) return true;
    if (view.area !== undefined) return alert.scope?.adminUnitCode === view.area;
    // Station threshold alerts belong to the environment sector.
    const sector =
      alert.kind === 'threshold' && alert.indicator === 'VN_AQI'
        ? 'environment'
        : this.sectorOf(alert.indicator);
    if (view.sector !== undefined) return sector === view.sector;
    return false;
  }

  /**
   * Validates and stores a batch. Each item is an observation plus an optional client `key`; bad items
   * are rejected with their issues, the others stored in one audited transaction.
   */
  async ingest(
    items: readonly unknown[],
    actor: string,
    options: { publish?: boolean } = {},
  ): Promise<KpiIngestResult> {
    const rejected: IngestItemRejected[] = [];
    const inserts: KpiObservationInsert[] = [];
    const duplicates = new BatchDuplicates();
    items.forEach((raw, index) => {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        rejected.push({ index, issues: [issue('SCHEMA', '', 'phải là một đối tượng', 'must be an object')] });
        return;
      }
      const { key, ...body } = raw as Record<string, unknown>;
      if (key !== undefined && (typeof key !== 'string' || key.length === 0 || key.length > 200)) {
        rejected.push({
          index,
          issues: [
            issue(
              'SCHEMA',
              '/key',
              'khóa phải là chuỗi 1–200 ký tự',
              'key must be a string of 1–200 characters',
            ),
          ],
        });
        return;
      }
      const indicator = body.indicator;
      const entry =
        this.#validators.find((v) => typeof indicator === 'string' && v.profile.indicators.has(indicator)) ??
        this.#validators[0];
      if (entry === undefined) return;
      const r = entry.validator.validate(body);
      if (!r.ok) {
        rejected.push({ index, issues: r.issues });
        return;
      }
      const o = r.observation;
      const duplicate = duplicates.check(o, index);
      if (duplicate !== undefined) {
        rejected.push({ index, issues: [duplicate] });
        return;
      }
      const bounds = this.#periodBounds.of(o.period);
      // Serialized once: the stored body and the data of the observation's event.
      const json = JSON.stringify(o);
      inserts.push({
        key:
          typeof key === 'string'
            ? `${o.source}:${key.normalize('NFC')}`
            : `sha256:${createHash('sha256').update(canonical(o)).digest('hex')}`,
        observation: o,
        periodLabel: bounds.label,
        periodStart: bounds.start,
        periodEnd: bounds.end,
        body: json,
      });
    });
    if (inserts.length === 0) return { accepted: 0, duplicates: 0, rejected };
    const outcome = await this.#repo.insertObservations(inserts, {
      actor,
      action: 'kpi.observations.ingest',
      subject: 'kpi:observations',
      data: { rejected: rejected.length },
    });
    if (options.publish !== false) {
      // Published in order, acknowledged together (one round trip on NATS, not one per observation).
      // By key, the first of a request's repeated keys: the one stored (the others are duplicates).
      const bodies = new Map<string, string>();
      for (const i of inserts) if (i.body !== undefined && !bodies.has(i.key)) bodies.set(i.key, i.body);
      await this.#bus.publishAll(
        'kpi.observation.recorded',
        outcome.stored.map((s) => {
          const json = bodies.get(s.key);
          return {
            data: s.observation as unknown as JsonValue,
            subject: `observation:${s.key}`,
            ...(json === undefined ? {} : { json }),
          };
        }),
      );
    }
    if (outcome.accepted > 0) this.scheduleAlerts();
    return { accepted: outcome.accepted, duplicates: outcome.duplicates, rejected };
  }

  /** Stored observations, newest period first. */
  async listObservations(filter: {
    indicators?: readonly string[];
    adminUnit?: string;
    from?: string;
    to?: string;
    limit: number;
  }) {
    return this.#repo.listObservations({ ...filter, order: 'desc' });
  }

  /** The latest calendar year that has ended (Vietnam time). */
  lastEndedYear(): number {
    return vietnamYear(this.#now()) - 1;
  }

  async #observations(
    profile: ResolvedProfile,
    from: number,
    to: number,
    indicators?: readonly string[],
    adminUnit?: string,
  ) {
    const rows = await this.#repo.listObservations({
      ...(indicators !== undefined ? { indicators } : {}),
      ...(adminUnit !== undefined ? { adminUnit } : {}),
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      limit: MAX_OBSERVATIONS,
    });
    if (rows.length === MAX_OBSERVATIONS)
      this.#logger.warn('scorecard evaluated over a truncated set of observations', {
        limit: MAX_OBSERVATIONS,
      });
    return rows.map((r) => r.observation).filter((o) => profile.indicators.has(o.indicator));
  }

  /** The scope a request asks for, checked against what the view may see. */
  scopeFor(profile: ResolvedProfile, view: KpiView, area: string | undefined): Scope {
    const own = profile.profile.area?.adminUnitCode;
    const wanted = area ?? view.area ?? own;
    if (view.area !== undefined && wanted !== view.area)
      throw new KpiRequestError(403, 'OUT_OF_SCOPE', `this token may only read area ${view.area}`);
    if (wanted === undefined || wanted === own) {
      const a = profile.profile.area;
      return a === undefined
        ? { level: 'province' }
        : {
            level: a.level,
            ...(a.adminUnitCode !== undefined ? { adminUnitCode: a.adminUnitCode } : {}),
            ...(a.department !== undefined ? { department: a.department } : {}),
          };
    }
    return { level: wanted.length === 2 ? 'province' : 'district', adminUnitCode: wanted };
  }

  /** A profile evaluated for one period and scope, as the view may see it. */
  async scorecard(input: {
    profile?: string;
    period: Period;
    area?: string;
    view: KpiView;
    trendPeriods?: number;
  }): Promise<Scorecard> {
    const profile = this.profile(input.profile);
    const scope = this.scopeFor(profile, input.view, input.area);
    const indicators = this.visibleIndicators(profile, input.view);
    const trendPeriods = input.trendPeriods ?? 3;
    let first = input.period;
    for (let i = 0; i < trendPeriods; i++) first = previousPeriod(first);
    const from = periodRange(first).start;
    const to = periodRange(input.period).end;
    const observations = await this.#observations(
      profile,
      from,
      to,
      indicators,
      scope.level === 'district' ? scope.adminUnitCode : undefined,
    );
    return evaluateProfile(profile, observations, {
      period: input.period,
      scope,
      trendPeriods,
      ...(indicators !== undefined ? { indicators } : {}),
    });
  }

  /** One indicator evaluated period by period. */
  async series(input: {
    profile?: string;
    indicator: string;
    granularity: 'year' | 'quarter' | 'month';
    fromYear?: number;
    toYear?: number;
    area?: string;
    view: KpiView;
  }) {
    const profile = this.profile(input.profile);
    const ind = profile.indicators.get(input.indicator);
    const visible = this.visibleIndicators(profile, input.view);
    if (ind === undefined || (visible !== undefined && !visible.includes(input.indicator)))
      throw new KpiRequestError(
        404,
        'INDICATOR_NOT_FOUND',
        `no indicator "${input.indicator}" in profile "${profile.profile.id}"`,
      );
    const scope = this.scopeFor(profile, input.view, input.area);
    const toYear = input.toYear ?? vietnamYear(this.#now());
    const fromYear = input.fromYear ?? toYear - 4;
    if (fromYear > toYear)
      throw new KpiRequestError(400, 'INVALID_REQUEST', 'fromYear must not be after toYear');
    if (
      (toYear - fromYear + 1) *
        (input.granularity === 'month' ? 12 : input.granularity === 'quarter' ? 4 : 1) >
      240
    )
      throw new KpiRequestError(400, 'INVALID_REQUEST', 'a series has at most 240 points');
    const periods: Period[] = [];
    for (let y = fromYear; y <= toYear; y++) {
      if (input.granularity === 'year') periods.push({ year: y });
      else if (input.granularity === 'quarter')
        for (let q = 1; q <= 4; q++) periods.push({ year: y, quarter: q });
      else for (let m = 1; m <= 12; m++) periods.push({ year: y, month: m });
    }
    const observations = await this.#observations(
      profile,
      periodRange({ year: fromYear }).start,
      periodRange({ year: toYear }).end,
      [input.indicator],
      scope.level === 'district' ? scope.adminUnitCode : undefined,
    );
    const points = periods.map((period) => {
      const e = evaluateProfile(profile, observations, {
        period,
        scope,
        trendPeriods: 0,
        indicators: [input.indicator],
      }).indicators[0];
      return {
        period: periodRange(period).label,
        status: e?.status ?? 'no-data',
        value: e?.value ?? null,
        achievement: e?.achievement ?? null,
        basis: e?.basis ?? 'none',
      };
    });
    return {
      indicator: input.indicator,
      profile: profile.profile.id,
      granularity: input.granularity,
      area: scope.adminUnitCode ?? scope.department ?? scope.level,
      target: ind.target?.target.text ?? null,
      points,
    };
  }

  /** Re-derives alerts soon (coalesced). */
  scheduleAlerts(delayMs = this.#debounceMs): void {
    if (this.#closed) return;
    if (this.#debounce !== undefined) clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => {
      this.#debounce = undefined;
      this.refreshAlerts().catch((err: unknown) =>
        this.#logger.error('deriving KPI alerts failed', {
          error: err instanceof Error ? err.message : String(err),
        }),
      );
    }, delayMs);
    this.#debounce.unref();
  }

  /**
   * Evaluates the default profile for the latest ended year over its area and derives alerts from it:
   * stores the changes (an operator's concurrent acknowledgement wins) and publishes
   * `kpi.alert.raised` / `kpi.alert.updated` for those written. Runs one at a time.
   */
  refreshAlerts(): Promise<number> {
    const run = this.#refreshing.then(() => this.#refresh());
    this.#refreshing = run.catch(() => undefined);
    return run;
  }

  async #refresh(): Promise<number> {
    if (this.#closed) return 0;
    const profile = this.defaultProfile;
    const card = await this.scorecard({ period: { year: this.lastEndedYear() }, view: { all: true } });
    const existing = await this.#repo.listAlerts({ limit: 10_000 });
    const mine = existing.filter((a) => a.profile === profile.profile.id);
    const before = new Map(mine.map((a) => [a.id, a.state]));
    const { changes } = deriveAlerts({
      scorecard: card,
      existing: mine,
      now: this.#now().toISOString(),
      profile,
      policy: this.#policy,
    });
    if (changes.length === 0) return 0;
    // The last change of each alert is its state now.
    const latest = new Map<string, (typeof changes)[number]>();
    for (const c of changes) latest.set(c.alert.id, c);
    const items = [...latest.values()].map((c) => {
      const expected = before.get(c.alert.id);
      return expected === undefined ? { alert: c.alert } : { alert: c.alert, expected };
    });
    const written = new Set(
      await this.#repo.saveAlerts(items, {
        actor: 'system',
        action: 'kpi.alerts.derive',
        subject: `kpi:alerts:${profile.profile.id}`,
        data: {
          period: card.period.label,
          raised: changes.filter((c) => c.type === 'raised').length,
          updated: changes.filter((c) => c.type !== 'raised').length,
        },
      }),
    );
    for (const c of latest.values()) {
      if (!written.has(c.alert.id)) continue;
      await this.#bus.publish(
        c.type === 'raised' || c.type === 'reopened' ? 'kpi.alert.raised' : 'kpi.alert.updated',
        c.alert as unknown as JsonValue,
        { subject: `alert:${c.alert.id}` },
      );
    }
    return written.size;
  }

  async listAlerts(
    filter: { states: KpiAlert['state'][]; kind?: KpiAlert['kind']; indicator?: string; limit: number },
    view: KpiView,
  ) {
    const rows = await this.#repo.listAlerts({ ...filter, limit: view.all ? filter.limit : 10_000 });
    return rows.filter((a) => this.canSeeAlert(view, a)).slice(0, filter.limit);
  }

  async getAlert(id: string, view: KpiView): Promise<KpiAlert> {
    const a = await this.#repo.getAlert(id);
    if (a === undefined || !this.canSeeAlert(view, a))
      throw new KpiRequestError(404, 'ALERT_NOT_FOUND', `no alert "${id}"`);
    return a;
  }

  /** An operator acknowledges or resolves an alert: recorded with who and when, audited, published. */
  async transition(
    id: string,
    to: 'acknowledged' | 'resolved',
    actor: string,
    note: string | undefined,
    view: KpiView,
  ): Promise<KpiAlert> {
    const current = await this.getAlert(id, view);
    const at = this.#now().toISOString();
    let next: KpiAlert;
    try {
      next =
        to === 'acknowledged'
          ? acknowledgeAlert(current, { by: actor, at, ...(note !== undefined ? { note } : {}) })
          : resolveAlert(current, { by: actor, at, ...(note !== undefined ? { note } : {}) });
    } catch (err) {
      if (isKpiError(err) && err.code === 'ALERT_INVALID_TRANSITION')
        throw new KpiRequestError(409, 'ALERT_STATE_CONFLICT', `alert ${id} is ${current.state}`, {
          state: current.state,
        });
      throw err;
    }
    const ok = await this.#repo.transitionAlert(next, current.state, {
      actor,
      action: to === 'acknowledged' ? 'kpi.alert.acknowledge' : 'kpi.alert.resolve',
      subject: `alert:${id}`,
      data: { from: current.state, to, ...(note !== undefined ? { note } : {}) },
    });
    if (!ok) {
      const now = await this.#repo.getAlert(id);
      throw new KpiRequestError(
        409,
        'ALERT_STATE_CONFLICT',
        `alert ${id} changed meanwhile: it is ${now?.state ?? 'gone'}`,
        {
          state: now?.state ?? null,
        },
      );
    }
    await this.#bus.publish('kpi.alert.updated', next as unknown as JsonValue, { subject: `alert:${id}` });
    return next;
  }

  /** Stops the timers and waits for a running derivation. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#debounce !== undefined) clearTimeout(this.#debounce);
    if (this.#interval !== undefined) clearInterval(this.#interval);
    await this.#refreshing;
  }
}

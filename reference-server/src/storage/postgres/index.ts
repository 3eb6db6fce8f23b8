import pg from 'pg';
import { ingestAuditInput, nextEntry, verifyChain } from '../audit-chain.js';
import {
  hourEndsOf,
  planRollUp,
  wholeHourBounds,
  wholeHours,
  toReading,
  toStation,
  utcKey,
  valuesJson,
  type RawReadingRow,
  type ReadingRow,
  type StationRow,
} from '../environment-rows.js';
import {
  alertColumns,
  alertWhere,
  observationWhere,
  toAlert,
  toStoredObservation,
  type KpiAlertRow,
  type KpiObservationRow,
} from '../kpi-rows.js';
import {
  reportColumns,
  reportWhere,
  toPhoto,
  toReport,
  type ReportPhotoRow,
  type ReportRow,
} from '../report-rows.js';
import type {
  AuditEntry,
  AuditInput,
  AuditLog,
  EnvironmentRepository,
  IngestAudit,
  IngestOutcome,
  JsonValue,
  KpiIngestOutcome,
  KpiObservationInsert,
  KpiRepository,
  Migration,
  ReportRepository,
  Storage,
  StoredKpiObservation,
  StoredReading,
} from '../types.js';
import { postgresMigrations } from './migrations.js';
import { pgGroupCommit, type Combiner } from './group-commit.js';
import { postgresHealthRepository } from './health.js';
import { postgresCameraRepository } from './cameras.js';
import { createPostgresDocuments } from './documents.js';

export interface PostgresStorageOptions {
  /** `postgres://user:password@host:port/database` */
  readonly connectionString: string;
  readonly migrations?: readonly Migration[];
  readonly now?: () => Date;
  /** Pool size. Default 10. */
  readonly maxConnections?: number;
  /** Milliseconds before a statement is cancelled. Default 10000. */
  readonly statementTimeoutMs?: number;
}

/** Advisory lock keys: one for migrations, one for the audit chain head. */
const MIGRATION_LOCK = 0x10c_0001;
const AUDIT_LOCK = 0x10c_0002;

interface AuditRow {
  seq: string;
  at: string;
  actor: string;
  action: string;
  subject: string;
  data: string;
  prev_hash: string;
  hash: string;
}

const toEntry = (r: AuditRow): AuditEntry => ({
  seq: Number(r.seq),
  at: r.at,
  actor: r.actor,
  action: r.action,
  subject: r.subject,
  data: JSON.parse(r.data) as JsonValue,
  prevHash: r.prev_hash,
  hash: r.hash,
});

async function inTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** Connects to PostgreSQL and applies pending migrations (serialised across instances). */
export async function openPostgresStorage(options: PostgresStorageOptions): Promise<Storage> {
  const now = options.now ?? (() => new Date());
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    connectionTimeoutMillis: 5_000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  try {
    await migrate(pool, options.migrations ?? postgresMigrations, now);
  } catch (err) {
    await pool.end();
    throw err;
  }
  let closed = false;
  const ensureOpen = () => {
    if (closed) throw new Error('storage is closed');
  };
  /**
   * The audit head per open group-commit transaction: the advisory lock, once taken, is held until
   * COMMIT, so the head read by the first write of the batch is still the head for the next ones.
   */
  const auditHeads = new WeakMap<pg.PoolClient, { seq: number; hash: string } | 'unread'>();
  const written = pgGroupCommit(pool, {
    onBegin: (c) => auditHeads.set(c, 'unread'),
    onEnd: (c) => auditHeads.delete(c),
  });

  /** Appends one audit record inside the caller's transaction; the advisory lock serialises the chain. */
  const appendAudit = async (c: pg.PoolClient, input: AuditInput): Promise<AuditEntry> => {
    const cached = auditHeads.get(c);
    let head: { seq: number; hash: string } | undefined;
    if (cached !== undefined && cached !== 'unread') head = cached;
    else {
      await c.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
      const res = await c.query<{ seq: string; hash: string }>(
        'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
      );
      const row = res.rows[0];
      head = row === undefined ? undefined : { seq: Number(row.seq), hash: row.hash };
    }
    const e = nextEntry(head, input, now());
    await c.query(
      'INSERT INTO audit_log (seq, at, actor, action, subject, data, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [e.seq, e.at, e.actor, e.action, e.subject, JSON.stringify(e.data), e.prevHash, e.hash],
    );
    if (cached !== undefined) auditHeads.set(c, { seq: e.seq, hash: e.hash });
    return e;
  };

  /** Appends several audit records in order with one statement (one lock, one head read per transaction). */
  const appendAuditMany = async (c: pg.PoolClient, inputs: readonly AuditInput[]): Promise<AuditEntry[]> => {
    if (inputs.length === 0) return [];
    const cached = auditHeads.get(c);
    let head: { seq: number; hash: string } | undefined;
    if (cached !== undefined && cached !== 'unread') head = cached;
    else {
      await c.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
      const res = await c.query<{ seq: string; hash: string }>(
        'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
      );
      const row = res.rows[0];
      head = row === undefined ? undefined : { seq: Number(row.seq), hash: row.hash };
    }
    const at = now();
    const entries: AuditEntry[] = [];
    for (const input of inputs) {
      const e = nextEntry(head, input, at);
      entries.push(e);
      head = { seq: e.seq, hash: e.hash };
    }
    const col = <T>(f: (e: AuditEntry) => T) => entries.map(f);
    await c.query(
      `INSERT INTO audit_log (seq, at, actor, action, subject, data, prev_hash, hash)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])`,
      [
        col((e) => e.seq),
        col((e) => e.at),
        col((e) => e.actor),
        col((e) => e.action),
        col((e) => e.subject),
        col((e) => JSON.stringify(e.data)),
        col((e) => e.prevHash),
        col((e) => e.hash),
      ],
    );
    if (cached !== undefined && head !== undefined) auditHeads.set(c, head);
    return entries;
  };

  const audit: AuditLog = {
    async append(input) {
      ensureOpen();
      return inTransaction(pool, (c) => appendAudit(c, input));
    },
    async list(opts = {}) {
      ensureOpen();
      const limit = Math.min(Math.max(1, opts.limit ?? 100), 1000);
      const r = await pool.query<AuditRow>('SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2', [
        opts.afterSeq ?? 0,
        limit,
      ]);
      return r.rows.map(toEntry);
    },
    async verify() {
      ensureOpen();
      // Page through the chain so a long log is verified in bounded memory.
      const pageSize = 1000;
      async function* all(): AsyncGenerator<AuditEntry> {
        let after = 0;
        for (;;) {
          const r = await pool.query<AuditRow>(
            'SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2',
            [after, pageSize],
          );
          for (const row of r.rows) yield toEntry(row);
          const last = r.rows.at(-1);
          if (r.rows.length < pageSize || last === undefined) return;
          after = Number(last.seq);
        }
      }
      return verifyChain(all());
    },
  };

  /** Each combined write's outcome (accepted / duplicates), with its audit records appended in order. */
  const answerEach = async <S>(
    c: pg.PoolClient,
    writes: readonly {
      items: number;
      stored: S[];
      audit: IngestAudit | undefined;
    }[],
  ): Promise<{ accepted: number; duplicates: number; stored: S[] }[]> => {
    const outcomes = writes.map((w) => ({
      accepted: w.stored.length,
      duplicates: w.items - w.stored.length,
      stored: w.stored,
    }));
    await appendAuditMany(
      c,
      writes.flatMap((w, i) => {
        const o = outcomes[i] as (typeof outcomes)[number];
        return w.audit === undefined ? [] : [ingestAuditInput(w.audit, o)];
      }),
    );
    return outcomes;
  };

  type ReadingsWrite = Parameters<EnvironmentRepository['insertReadings']>;
  /**
   * The readings of every request of a batch in one INSERT, their audit records in another. A reading
   * repeated in a later request of the batch is that request's duplicate, as if they had run in turn.
   */
  const readingsCombiner: Combiner<
    { stationId: string; readings: ReadingsWrite[1]; audit: ReadingsWrite[2] },
    IngestOutcome
  > = {
    async run(c, writes) {
      const receivedAt = now().toISOString();
      const rows = writes.flatMap((w, wi) =>
        w.readings.map((r) => ({ wi, station: w.stationId, r, key: utcKey(r.at), json: valuesJson(r) })),
      );
      const res = await c.query<{ station_id: string; at_utc: string; period_minutes: number }>(
        `INSERT INTO env_reading (station_id, at_utc, at, period_minutes, values_json, received_at)
         SELECT *, $6 FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[])
         ON CONFLICT DO NOTHING RETURNING station_id, at_utc, period_minutes`,
        [
          rows.map((x) => x.station),
          rows.map((x) => x.key),
          rows.map((x) => x.r.at),
          rows.map((x) => x.r.periodMinutes),
          rows.map((x) => x.json),
          receivedAt,
        ],
      );
      const inserted = new Set(res.rows.map((x) => `${x.station_id}|${x.at_utc}|${x.period_minutes}`));
      const stored: StoredReading[][] = writes.map(() => []);
      for (const x of rows) {
        // The first occurrence (in request order) owns a new row; later ones are duplicates.
        if (!inserted.delete(`${x.station}|${x.key}|${x.r.periodMinutes}`)) continue;
        stored[x.wi]?.push(
          toReading({
            station_id: x.station,
            at: x.r.at,
            period_minutes: x.r.periodMinutes,
            values_json: x.json,
            received_at: receivedAt,
          }),
        );
      }
      return answerEach(
        c,
        writes.map((w, wi) => ({ items: w.readings.length, stored: stored[wi] ?? [], audit: w.audit })),
      );
    },
  };

  type ObservationsWrite = Parameters<KpiRepository['insertObservations']>;
  /** The observations of every request of a batch in one INSERT, their audit records in another. */
  const observationsCombiner: Combiner<
    { items: ObservationsWrite[0]; audit: ObservationsWrite[1] },
    KpiIngestOutcome
  > = {
    async run(c, writes) {
      const receivedAt = now().toISOString();
      const rows = writes.flatMap((w, wi) => w.items.map((it) => ({ wi, it })));
      const col = <T>(f: (it: KpiObservationInsert) => T) => rows.map((x) => f(x.it));
      const res = await c.query<{ key: string }>(
        `INSERT INTO kpi_observation (key, indicator, period_label, period_start, period_end, scope_level, admin_unit,
           department, recorded_at, received_at, body)
         SELECT k, i, pl, ps, pe, sl, au, d, ra, $10, b
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $11::text[])
           AS t(k, i, pl, ps, pe, sl, au, d, ra, b)
         ON CONFLICT (key) DO NOTHING RETURNING key`,
        [
          col((it) => it.key),
          col((it) => it.observation.indicator),
          col((it) => it.periodLabel),
          col((it) => it.periodStart),
          col((it) => it.periodEnd),
          col((it) => it.observation.scope.level),
          col((it) => it.observation.scope.adminUnitCode ?? null),
          col((it) => it.observation.scope.department ?? null),
          col((it) => it.observation.recordedAt),
          receivedAt,
          col((it) => it.body ?? JSON.stringify(it.observation)),
        ],
      );
      const inserted = new Set(res.rows.map((r) => r.key));
      const stored: StoredKpiObservation[][] = writes.map(() => []);
      for (const { wi, it } of rows) {
        // The first occurrence (in request order) owns a new row; later ones are duplicates.
        if (!inserted.delete(it.key)) continue;
        stored[wi]?.push({ key: it.key, receivedAt, observation: it.observation });
      }
      return answerEach(
        c,
        writes.map((w, wi) => ({ items: w.items.length, stored: stored[wi] ?? [], audit: w.audit })),
      );
    },
  };

  const environment: EnvironmentRepository = {
    async createStation(st, auditInput) {
      ensureOpen();
      return inTransaction(pool, async (c) => {
        const r = await c.query(
          'INSERT INTO env_station (id, name, kind, lat, lon, area, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING',
          [
            st.id,
            st.name.normalize('NFC'),
            st.kind,
            st.location.lat,
            st.location.lon,
            st.area ?? null,
            now().toISOString(),
          ],
        );
        if (r.rowCount !== 1) return 'exists' as const;
        if (auditInput !== undefined) await appendAudit(c, auditInput);
        return 'created' as const;
      });
    },
    async getStation(id) {
      ensureOpen();
      const r = await pool.query<StationRow>('SELECT * FROM env_station WHERE id = $1', [id]);
      const row = r.rows[0];
      return row === undefined ? undefined : toStation(row);
    },
    async listStations() {
      ensureOpen();
      return (await pool.query<StationRow>('SELECT * FROM env_station ORDER BY id')).rows.map(toStation);
    },
    insertReadings(stationId, readings, audit) {
      ensureOpen();
      // Group commit: concurrent ingests share one transaction and its statements.
      return written.combined(readingsCombiner, { stationId, readings, audit });
    },
    async latestReading(stationId) {
      ensureOpen();
      const r = await pool.query<ReadingRow>(
        'SELECT * FROM env_reading WHERE station_id = $1 ORDER BY at_utc DESC, period_minutes DESC LIMIT 1',
        [stationId],
      );
      const row = r.rows[0];
      return row === undefined ? undefined : toReading(row);
    },
    async listReadings(stationId, from, to, limit) {
      ensureOpen();
      const r = await pool.query<ReadingRow>(
        'SELECT * FROM env_reading WHERE station_id = $1 AND at_utc >= $2 AND at_utc < $3 ORDER BY at_utc, period_minutes LIMIT $4',
        [stationId, from.toISOString(), to.toISOString(), limit],
      );
      return r.rows.map(toReading);
    },
    async rollUpReadings(stationId, before, maxRows, auditFor) {
      ensureOpen();
      return inTransaction(pool, async (c) => {
        // Writers wait while the hour is folded (readers do not), so no reading lands in an hour being
        // deleted. The transaction is short: at most `maxRows` rows.
        await c.query('LOCK TABLE env_reading IN EXCLUSIVE MODE');
        let rows = (
          await c.query<RawReadingRow>(
            'SELECT at_utc, period_minutes, values_json FROM env_reading WHERE station_id = $1 AND period_minutes < 60 AND at_utc <= $2 ORDER BY at_utc LIMIT $3',
            [stationId, wholeHours(before), maxRows + 1],
          )
        ).rows;
        const more = rows.length > maxRows;
        if (more) rows.pop();
        if (rows.length === 0) return { hours: 0, removed: 0, kept: 0, more: false };
        // The limit fell inside the first hour: fold that whole hour (never a part of one).
        const hour = more ? wholeHourBounds(rows) : undefined;
        if (hour !== undefined) {
          rows = (
            await c.query<RawReadingRow>(
              'SELECT at_utc, period_minutes, values_json FROM env_reading WHERE station_id = $1 AND period_minutes < 60 AND at_utc > $2 AND at_utc <= $3 ORDER BY at_utc',
              [stationId, hour.after, hour.upTo],
            )
          ).rows;
        }
        const hours = hourEndsOf(rows);
        const existing = new Set(
          (
            await c.query<{ at_utc: string }>(
              'SELECT at_utc FROM env_reading WHERE station_id = $1 AND period_minutes = 60 AND at_utc > $2 AND at_utc <= $3',
              [stationId, hours.after, hours.upTo],
            )
          ).rows.map((r) => r.at_utc),
        );
        const plan = planRollUp(rows, existing, !more || hour !== undefined);
        const receivedAt = now().toISOString();
        if (plan.hourly.length > 0) {
          await c.query(
            `INSERT INTO env_reading (station_id, at_utc, at, period_minutes, values_json, received_at)
             SELECT $1, u, a, 60, v, $5 FROM unnest($2::text[], $3::text[], $4::text[]) AS t(u, a, v)`,
            [
              stationId,
              plan.hourly.map((h) => h.atUtc),
              plan.hourly.map((h) => h.at),
              plan.hourly.map((h) => h.valuesJson),
              receivedAt,
            ],
          );
        }
        if (plan.remove.length > 0) {
          await c.query(
            `DELETE FROM env_reading e USING unnest($2::text[], $3::int[]) AS t(u, p)
             WHERE e.station_id = $1 AND e.at_utc = t.u AND e.period_minutes = t.p`,
            [stationId, plan.remove.map((r) => r.atUtc), plan.remove.map((r) => r.periodMinutes)],
          );
        }
        const outcome = { hours: plan.hourly.length, removed: plan.remove.length, kept: plan.kept };
        if (outcome.hours > 0) await appendAudit(c, auditFor(outcome));
        return { ...outcome, more: more && outcome.hours > 0 };
      });
    },
  };

  const kpi: KpiRepository = {
    insertObservations(items, audit) {
      ensureOpen();
      // Group commit: concurrent ingests share one transaction and its statements.
      return written.combined(observationsCombiner, { items, audit });
    },
    async listObservations(f) {
      ensureOpen();
      const args: unknown[] = [];
      const arg = (v: unknown) => {
        args.push(v);
        return `$${args.length}`;
      };
      const where = observationWhere(f, arg);
      if (where === undefined) return [];
      const order = f.order === 'desc' ? 'DESC' : 'ASC';
      const r = await pool.query<KpiObservationRow>(
        `SELECT key, received_at, body FROM kpi_observation ${where} ORDER BY period_start ${order}, key LIMIT ${arg(f.limit)}`,
        args,
      );
      return r.rows.map(toStoredObservation);
    },
    async saveAlerts(alerts, auditInput) {
      ensureOpen();
      return inTransaction(pool, async (c) => {
        const written: string[] = [];
        for (const { alert: a, expected } of alerts) {
          const x = alertColumns(a);
          if (expected !== undefined) {
            const u = await c.query(
              'UPDATE kpi_alert SET dedup_key = $1, state = $2, kind = $3, indicator = $4, admin_unit = $5, raised_at = $6, updated_at = $7, body = $8 WHERE id = $9 AND state = $10',
              [
                x.dedup_key,
                x.state,
                x.kind,
                x.indicator,
                x.admin_unit,
                x.raised_at,
                x.updated_at,
                x.body,
                x.id,
                expected,
              ],
            );
            if (u.rowCount === 1) written.push(a.id);
            continue;
          }
          const i = await c.query(
            'INSERT INTO kpi_alert (id, dedup_key, state, kind, indicator, admin_unit, raised_at, updated_at, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING',
            [
              x.id,
              x.dedup_key,
              x.state,
              x.kind,
              x.indicator,
              x.admin_unit,
              x.raised_at,
              x.updated_at,
              x.body,
            ],
          );
          if (i.rowCount === 1) written.push(a.id);
        }
        if (auditInput !== undefined && written.length > 0) await appendAudit(c, auditInput);
        return written;
      });
    },
    async getAlert(id) {
      ensureOpen();
      const r = await pool.query<KpiAlertRow>('SELECT body FROM kpi_alert WHERE id = $1', [id]);
      const row = r.rows[0];
      return row === undefined ? undefined : toAlert(row);
    },
    async listAlerts(f) {
      ensureOpen();
      const args: unknown[] = [];
      const arg = (v: unknown) => {
        args.push(v);
        return `$${args.length}`;
      };
      const where = alertWhere(f, arg);
      if (where === undefined) return [];
      const r = await pool.query<KpiAlertRow>(
        `SELECT body FROM kpi_alert ${where} ORDER BY updated_at DESC, id LIMIT ${arg(f.limit)}`,
        args,
      );
      return r.rows.map(toAlert);
    },
    async transitionAlert(next, expected, auditInput) {
      ensureOpen();
      return inTransaction(pool, async (c) => {
        const x = alertColumns(next);
        const r = await c.query(
          'UPDATE kpi_alert SET state = $1, updated_at = $2, body = $3 WHERE id = $4 AND state = $5',
          [x.state, x.updated_at, x.body, x.id, expected],
        );
        if (r.rowCount !== 1) return false;
        await appendAudit(c, auditInput);
        return true;
      });
    },
  };

  const reports: ReportRepository = {
    async createReport(report, extras, auditInput) {
      ensureOpen();
      return inTransaction(pool, async (c) => {
        const x = reportColumns(report);
        if (extras.photo !== undefined)
          await c.query(
            'INSERT INTO report_photo (sha256, media_type, bytes, data) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING',
            [extras.photo.sha256, extras.photo.mediaType, extras.photo.data.length, extras.photo.data],
          );
        const r = await c.query(
          `INSERT INTO field_report (id, code, state, category, department, district, submitted_at, deadline,
             updated_at, contact, photo_sha256, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
           ON CONFLICT (code) DO NOTHING`,
          [
            x.id,
            x.code,
            x.state,
            x.category,
            x.department,
            x.district,
            x.submitted_at,
            x.deadline,
            x.updated_at,
            extras.contact === undefined ? null : JSON.stringify(extras.contact),
            extras.photo?.sha256 ?? null,
            x.body,
          ],
        );
        if (r.rowCount !== 1) return 'code-taken' as const;
        await appendAudit(c, auditInput);
        return 'created' as const;
      });
    },
    async getReport(id) {
      ensureOpen();
      const r = await pool.query<ReportRow>('SELECT body FROM field_report WHERE id = $1', [id]);
      const row = r.rows[0];
      return row === undefined ? undefined : toReport(row);
    },
    async getReportByCode(code) {
      ensureOpen();
      const r = await pool.query<ReportRow>('SELECT body FROM field_report WHERE code = $1', [code]);
      const row = r.rows[0];
      return row === undefined ? undefined : toReport(row);
    },
    async listReports(f) {
      ensureOpen();
      const args: unknown[] = [];
      const arg = (v: unknown) => {
        args.push(v);
        return `$${args.length}`;
      };
      const where = reportWhere(f, arg);
      if (where === undefined) return [];
      const r = await pool.query<ReportRow>(
        `SELECT body FROM field_report ${where} ORDER BY submitted_at DESC, id LIMIT ${arg(f.limit)}`,
        args,
      );
      return r.rows.map(toReport);
    },
    async transitionReport(next, expected, auditInput) {
      ensureOpen();
      return inTransaction(pool, async (c) => {
        const x = reportColumns(next);
        const r = await c.query(
          'UPDATE field_report SET state = $1, department = $2, district = $3, deadline = $4, updated_at = $5, body = $6 WHERE id = $7 AND state = $8',
          [x.state, x.department, x.district, x.deadline, x.updated_at, x.body, x.id, expected],
        );
        if (r.rowCount !== 1) return false;
        await appendAudit(c, auditInput);
        return true;
      });
    },
    async getReportPhoto(id) {
      ensureOpen();
      const r = await pool.query<ReportPhotoRow>(
        'SELECT p.sha256, p.media_type, p.data FROM field_report r JOIN report_photo p ON p.sha256 = r.photo_sha256 WHERE r.id = $1',
        [id],
      );
      const row = r.rows[0];
      return row === undefined ? undefined : toPhoto(row);
    },
  };

  return {
    kind: 'postgres',
    audit,
    environment,
    kpi,
    reports,
    health: postgresHealthRepository({
      pool,
      ensureOpen,
      inTransaction: (fn) => inTransaction(pool, fn),
      appendAudit,
    }),
    cameras: postgresCameraRepository({
      pool,
      ensureOpen,
      inTransaction: (fn) => inTransaction(pool, fn),
      appendAudit,
    }),
    documents: createPostgresDocuments({
      pool,
      ensureOpen,
      tx: (fn) => inTransaction(pool, fn),
      appendAudit,
    }),
    async ping() {
      ensureOpen();
      await pool.query('SELECT 1');
    },
    async schemaVersion() {
      ensureOpen();
      const r = await pool.query<{ v: number }>(
        'SELECT COALESCE(MAX(version), 0)::int AS v FROM schema_migrations',
      );
      return r.rows[0]?.v ?? 0;
    },
    async close() {
      if (closed) return;
      closed = true;
      // Writes already accepted are committed (or rejected) before the connections go.
      await written.drained();
      await pool.end();
    },
  };
}

async function migrate(pool: pg.Pool, migrations: readonly Migration[], now: () => Date): Promise<void> {
  await inTransaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await c.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
    const applied = new Set(
      (await c.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
        (r) => r.version,
      ),
    );
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(m.version)) continue;
      await c.query(m.sql);
      await c.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        now().toISOString(),
      ]);
    }
  });
}

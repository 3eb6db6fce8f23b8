import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { verifyChain } from '../audit-chain.js';
import { startCheckpointer } from './checkpointer.js';
import { appendAuditRow, runIngestWrite, statementCache, type IngestWrite } from './ingest.js';
import { startIngestWriter } from './writer.js';
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
  JsonValue,
  KpiRepository,
  Migration,
  ReportRepository,
  Storage,
  StoredKpiObservation,
  StoredReading,
} from '../types.js';
import { sqliteMigrations } from './migrations.js';
import { groupCommit } from './group-commit.js';
import { sqliteHealthRepository } from './health.js';
import { sqliteCameraRepository } from './cameras.js';
import { createSqliteDocuments } from './documents.js';

export interface SqliteStorageOptions {
  /** Database file; `:memory:` for tests. Its folder is created when missing. */
  readonly file: string;
  readonly migrations?: readonly Migration[];
  /** Clock for migration and audit records. */
  readonly now?: () => Date;
  /**
   * Checkpoints of a file database run on a thread of their own every this many ms (see
   * checkpointer.ts); 0 keeps SQLite's automatic checkpoints in the committing thread. Default 250.
   */
  readonly checkpointIntervalMs?: number;
  /**
   * Ingest writes (observation and reading batches) of a file database run on a thread of their own
   * (see writer.ts). Default true.
   */
  readonly ingestThread?: boolean;
  /** Told when checkpoints or ingest writes had to move back to the main thread. */
  readonly onWarning?: (message: string, err: Error) => void;
}

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  data: string;
  prev_hash: string;
  hash: string;
}

const toEntry = (r: AuditRow): AuditEntry => ({
  seq: r.seq,
  at: r.at,
  actor: r.actor,
  action: r.action,
  subject: r.subject,
  data: JSON.parse(r.data) as JsonValue,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** Opens (and migrates) the embedded SQLite database in WAL mode. */
export function openSqliteStorage(options: SqliteStorageOptions): Storage {
  if (options.file !== ':memory:') fs.mkdirSync(path.dirname(options.file), { recursive: true });
  const now = options.now ?? (() => new Date());
  const db = new Database(options.file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, options.migrations ?? sqliteMigrations, now);
  } catch (err) {
    db.close();
    throw err;
  }
  const checkpointIntervalMs = options.checkpointIntervalMs ?? 250;
  const checkpointer =
    options.file === ':memory:' || checkpointIntervalMs <= 0
      ? undefined
      : startCheckpointer(db, options.file, {
          intervalMs: checkpointIntervalMs,
          onError: (err) => {
            // The connections that write checkpoint again, as SQLite does by default.
            writer?.autocheckpoint(1000);
            options.onWarning?.('WAL checkpoints moved back to the writers: their thread failed', err);
          },
        });
  // Statements are prepared once, on first use.
  const prep = statementCache(db);
  let closed = false;
  const live = <T>(fn: () => T): Promise<T> => {
    if (closed) return Promise.reject(new Error('storage is closed'));
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  };

  const commit = groupCommit(db);
  /** A write of the ingest paths, committed together with the concurrent ones (see group-commit.ts). */
  const written = <T>(work: () => T): Promise<T> =>
    closed ? Promise.reject(new Error('storage is closed')) : commit(work);

  /** Appends one audit record; call inside an IMMEDIATE transaction. */
  const appendAudit = (input: AuditInput): AuditEntry => appendAuditRow(prep, input, now());

  /** An ingest write on this thread, in the group commit. */
  const inThread = (w: IngestWrite): Promise<Uint8Array> => written(() => runIngestWrite(prep, w));
  const writer =
    options.file === ':memory:' || options.ingestThread === false
      ? undefined
      : startIngestWriter(options.file, {
          autocheckpoint: checkpointer?.running() === true ? 0 : 1000,
          inThread,
          onError: (err) => options.onWarning?.('ingest writes moved back to the main thread', err),
        });
  /** An ingest write: on the writer's thread while it runs, else on this one. */
  const ingest = (w: IngestWrite): Promise<Uint8Array> => {
    if (closed) return Promise.reject(new Error('storage is closed'));
    return writer?.submit(w) ?? inThread(w);
  };

  const audit: AuditLog = {
    append(input) {
      // IMMEDIATE takes the write lock before reading the head, so two processes cannot fork the chain.
      return live(() => db.transaction(() => appendAudit(input)).immediate());
    },
    list(opts = {}) {
      const limit = Math.min(Math.max(1, opts.limit ?? 100), 1000);
      return live(() =>
        (
          prep('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?').all(
            opts.afterSeq ?? 0,
            limit,
          ) as AuditRow[]
        ).map(toEntry),
      );
    },
    async verify() {
      if (closed) throw new Error('storage is closed');
      // A statement of its own: a cached one cannot be iterated twice at once.
      const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>;
      return verifyChain(
        (function* () {
          for (const r of rows) yield toEntry(r);
        })(),
      );
    },
  };

  const environment: EnvironmentRepository = {
    createStation(st, auditInput) {
      return live(() =>
        db
          .transaction(() => {
            const r = db
              .prepare(
                'INSERT OR IGNORE INTO env_station (id, name, kind, lat, lon, area, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
              )
              .run(
                st.id,
                st.name.normalize('NFC'),
                st.kind,
                st.location.lat,
                st.location.lon,
                st.area ?? null,
                now().toISOString(),
              );
            if (r.changes !== 1) return 'exists' as const;
            if (auditInput !== undefined) appendAudit(auditInput);
            return 'created' as const;
          })
          .immediate(),
      );
    },
    getStation(id) {
      return live(() => {
        const row = prep('SELECT * FROM env_station WHERE id = ?').get(id) as StationRow | undefined;
        return row === undefined ? undefined : toStation(row);
      });
    },
    listStations() {
      return live(() => (prep('SELECT * FROM env_station ORDER BY id').all() as StationRow[]).map(toStation));
    },
    async insertReadings(stationId, readings, audit) {
      const receivedAt = now().toISOString();
      const rows = readings.map((r) => [
        stationId,
        utcKey(r.at),
        r.at,
        r.periodMinutes,
        valuesJson(r),
        receivedAt,
      ]);
      const flags = await ingest({ kind: 'readings', rows, audit, at: receivedAt });
      const stored: StoredReading[] = [];
      rows.forEach((row, i) => {
        if (flags[i] === 1) {
          stored.push(
            toReading({
              station_id: stationId,
              at: row[2] as string,
              period_minutes: row[3] as number,
              values_json: row[4] as string,
              received_at: receivedAt,
            }),
          );
        }
      });
      return { accepted: stored.length, duplicates: readings.length - stored.length, stored };
    },
    latestReading(stationId) {
      return live(() => {
        const row = prep(
          'SELECT * FROM env_reading WHERE station_id = ? ORDER BY at_utc DESC, period_minutes DESC LIMIT 1',
        ).get(stationId) as ReadingRow | undefined;
        return row === undefined ? undefined : toReading(row);
      });
    },
    listReadings(stationId, from, to, limit) {
      return live(() =>
        (
          prep(
            'SELECT * FROM env_reading WHERE station_id = ? AND at_utc >= ? AND at_utc < ? ORDER BY at_utc, period_minutes LIMIT ?',
          ).all(stationId, from.toISOString(), to.toISOString(), limit) as ReadingRow[]
        ).map(toReading),
      );
    },
    rollUpReadings(stationId, before, maxRows, auditFor) {
      return live(() =>
        db
          .transaction(() => {
            let rows = prep(
              'SELECT at_utc, period_minutes, values_json FROM env_reading WHERE station_id = ? AND period_minutes < 60 AND at_utc <= ? ORDER BY at_utc LIMIT ?',
            ).all(stationId, wholeHours(before), maxRows + 1) as RawReadingRow[];
            const more = rows.length > maxRows;
            if (more) rows.pop();
            if (rows.length === 0) return { hours: 0, removed: 0, kept: 0, more: false };
            // The limit fell inside the first hour: fold that whole hour (never a part of one).
            const hour = more ? wholeHourBounds(rows) : undefined;
            if (hour !== undefined) {
              rows = prep(
                'SELECT at_utc, period_minutes, values_json FROM env_reading WHERE station_id = ? AND period_minutes < 60 AND at_utc > ? AND at_utc <= ? ORDER BY at_utc',
              ).all(stationId, hour.after, hour.upTo) as RawReadingRow[];
            }
            const hours = hourEndsOf(rows);
            const existing = new Set(
              (
                prep(
                  'SELECT at_utc FROM env_reading WHERE station_id = ? AND period_minutes = 60 AND at_utc > ? AND at_utc <= ?',
                ).all(stationId, hours.after, hours.upTo) as { at_utc: string }[]
              ).map((r) => r.at_utc),
            );
            const plan = planRollUp(rows, existing, !more || hour !== undefined);
            const receivedAt = now().toISOString();
            const insert = prep(
              'INSERT INTO env_reading (station_id, at_utc, at, period_minutes, values_json, received_at) VALUES (?, ?, ?, 60, ?, ?)',
            );
            for (const h of plan.hourly) insert.run(stationId, h.atUtc, h.at, h.valuesJson, receivedAt);
            const del = prep(
              'DELETE FROM env_reading WHERE station_id = ? AND at_utc = ? AND period_minutes = ?',
            );
            for (const r of plan.remove) del.run(stationId, r.atUtc, r.periodMinutes);
            const outcome = { hours: plan.hourly.length, removed: plan.remove.length, kept: plan.kept };
            if (outcome.hours > 0) appendAudit(auditFor(outcome));
            // With kept rows only, the next call would read them again: stop there.
            return { ...outcome, more: more && outcome.hours > 0 };
          })
          .immediate(),
      );
    },
  };

  const kpi: KpiRepository = {
    async insertObservations(items, audit) {
      const receivedAt = now().toISOString();
      const rows = items.map((it) => {
        const o = it.observation;
        return [
          it.key,
          o.indicator,
          it.periodLabel,
          it.periodStart,
          it.periodEnd,
          o.scope.level,
          o.scope.adminUnitCode ?? null,
          o.scope.department ?? null,
          o.recordedAt,
          receivedAt,
          it.body ?? JSON.stringify(o),
        ];
      });
      const flags = await ingest({ kind: 'observations', rows, audit, at: receivedAt });
      const stored: StoredKpiObservation[] = [];
      items.forEach((it, i) => {
        if (flags[i] === 1) stored.push({ key: it.key, receivedAt, observation: it.observation });
      });
      return { accepted: stored.length, duplicates: items.length - stored.length, stored };
    },
    listObservations(f) {
      return live(() => {
        const args: string[] = [];
        const where = observationWhere(f, (v) => {
          args.push(v);
          return '?';
        });
        if (where === undefined) return [];
        const order = f.order === 'desc' ? 'DESC' : 'ASC';
        const sql = `SELECT key, received_at, body FROM kpi_observation ${where} ORDER BY period_start ${order}, key LIMIT ?`;
        return (prep(sql).all(...args, f.limit) as KpiObservationRow[]).map(toStoredObservation);
      });
    },
    saveAlerts(alerts, auditInput) {
      return live(() =>
        db
          .transaction(() => {
            const written: string[] = [];
            const update = prep(
              'UPDATE kpi_alert SET dedup_key = ?, state = ?, kind = ?, indicator = ?, admin_unit = ?, raised_at = ?, updated_at = ?, body = ? WHERE id = ? AND state = ?',
            );
            const insert = prep(
              'INSERT INTO kpi_alert (id, dedup_key, state, kind, indicator, admin_unit, raised_at, updated_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
            );
            for (const { alert: a, expected } of alerts) {
              const c = alertColumns(a);
              if (expected !== undefined) {
                const u = update.run(
                  c.dedup_key,
                  c.state,
                  c.kind,
                  c.indicator,
                  c.admin_unit,
                  c.raised_at,
                  c.updated_at,
                  c.body,
                  c.id,
                  expected,
                );
                if (u.changes === 1) written.push(a.id);
                continue;
              }
              const i = insert.run(
                c.id,
                c.dedup_key,
                c.state,
                c.kind,
                c.indicator,
                c.admin_unit,
                c.raised_at,
                c.updated_at,
                c.body,
              );
              if (i.changes === 1) written.push(a.id);
            }
            if (auditInput !== undefined && written.length > 0) appendAudit(auditInput);
            return written;
          })
          .immediate(),
      );
    },
    getAlert(id) {
      return live(() => {
        const row = prep('SELECT body FROM kpi_alert WHERE id = ?').get(id) as KpiAlertRow | undefined;
        return row === undefined ? undefined : toAlert(row);
      });
    },
    listAlerts(f) {
      return live(() => {
        const args: string[] = [];
        const where = alertWhere(f, (v) => {
          args.push(v);
          return '?';
        });
        if (where === undefined) return [];
        const sql = `SELECT body FROM kpi_alert ${where} ORDER BY updated_at DESC, id LIMIT ?`;
        return (prep(sql).all(...args, f.limit) as KpiAlertRow[]).map(toAlert);
      });
    },
    transitionAlert(next, expected, auditInput) {
      return live(() =>
        db
          .transaction(() => {
            const c = alertColumns(next);
            const r = prep(
              'UPDATE kpi_alert SET state = ?, updated_at = ?, body = ? WHERE id = ? AND state = ?',
            ).run(c.state, c.updated_at, c.body, c.id, expected);
            if (r.changes !== 1) return false;
            appendAudit(auditInput);
            return true;
          })
          .immediate(),
      );
    },
  };

  const reports: ReportRepository = {
    createReport(report, extras, auditInput) {
      return live(() =>
        db
          .transaction(() => {
            const c = reportColumns(report);
            if (prep('SELECT 1 FROM field_report WHERE code = ?').get(c.code) !== undefined)
              return 'code-taken' as const;
            if (extras.photo !== undefined)
              prep(
                'INSERT OR IGNORE INTO report_photo (sha256, media_type, bytes, data) VALUES (?, ?, ?, ?)',
              ).run(extras.photo.sha256, extras.photo.mediaType, extras.photo.data.length, extras.photo.data);
            prep(
              `INSERT INTO field_report (id, code, state, category, department, district, submitted_at, deadline,
                updated_at, contact, photo_sha256, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            ).run(
              c.id,
              c.code,
              c.state,
              c.category,
              c.department,
              c.district,
              c.submitted_at,
              c.deadline,
              c.updated_at,
              extras.contact === undefined ? null : JSON.stringify(extras.contact),
              extras.photo?.sha256 ?? null,
              c.body,
            );
            appendAudit(auditInput);
            return 'created' as const;
          })
          .immediate(),
      );
    },
    getReport(id) {
      return live(() => {
        const row = prep('SELECT body FROM field_report WHERE id = ?').get(id) as ReportRow | undefined;
        return row === undefined ? undefined : toReport(row);
      });
    },
    getReportByCode(code) {
      return live(() => {
        const row = prep('SELECT body FROM field_report WHERE code = ?').get(code) as ReportRow | undefined;
        return row === undefined ? undefined : toReport(row);
      });
    },
    listReports(f) {
      return live(() => {
        const args: string[] = [];
        const where = reportWhere(f, (v) => {
          args.push(v);
          return '?';
        });
        if (where === undefined) return [];
        const sql = `SELECT body FROM field_report ${where} ORDER BY submitted_at DESC, id LIMIT ?`;
        return (prep(sql).all(...args, f.limit) as ReportRow[]).map(toReport);
      });
    },
    transitionReport(next, expected, auditInput) {
      return live(() =>
        db
          .transaction(() => {
            const c = reportColumns(next);
            const r = prep(
              'UPDATE field_report SET state = ?, department = ?, district = ?, deadline = ?, updated_at = ?, body = ? WHERE id = ? AND state = ?',
            ).run(c.state, c.department, c.district, c.deadline, c.updated_at, c.body, c.id, expected);
            if (r.changes !== 1) return false;
            appendAudit(auditInput);
            return true;
          })
          .immediate(),
      );
    },
    getReportPhoto(id) {
      return live(() => {
        const row = prep(
          'SELECT p.sha256, p.media_type, p.data FROM field_report r JOIN report_photo p ON p.sha256 = r.photo_sha256 WHERE r.id = ?',
        ).get(id) as ReportPhotoRow | undefined;
        return row === undefined ? undefined : toPhoto(row);
      });
    },
  };

  return {
    kind: 'sqlite',
    audit,
    environment,
    kpi,
    reports,
    cameras: sqliteCameraRepository({ db, prep, live, appendAudit }),
    health: sqliteHealthRepository({ db, prep, live, appendAudit }),
    documents: createSqliteDocuments({ db, prep, live, appendAudit }),
    ping() {
      return live(() => {
        prep('SELECT 1').get();
      });
    },
    schemaVersion() {
      return live(
        () => (prep('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as { v: number }).v,
      );
    },
    async close() {
      if (!closed) {
        closed = true;
        commit.flush();
        await writer?.stop();
        await checkpointer?.stop();
        db.close();
      }
    },
  };
}

function migrate(db: Database.Database, migrations: readonly Migration[], now: () => Date): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT;`);
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of sorted) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, now().toISOString());
    })();
  }
}

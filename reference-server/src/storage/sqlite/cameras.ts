import type Database from 'better-sqlite3';
import {
  cameraColumns,
  cameraWhere,
  incidentColumns,
  incidentWhere,
  type BodyRow,
  type CameraIncident,
  type CameraRepository,
  type StoredCamera,
  type WatchedPlate,
} from '../camera-types.js';
import type { AuditEntry, AuditInput } from '../types.js';

interface CameraRow {
  body: string;
  secret: string | null;
}

const toCamera = (r: CameraRow): StoredCamera => ({
  camera: JSON.parse(r.body) as StoredCamera['camera'],
  ...(r.secret === null ? {} : { sealedPassword: r.secret }),
});
const toIncident = (r: BodyRow): CameraIncident => JSON.parse(r.body) as CameraIncident;

/** The camera repository on the embedded SQLite database (tables of migrations 8 and 9). */
export function sqliteCameraRepository(deps: {
  readonly db: Database.Database;
  readonly prep: (sql: string) => Database.Statement;
  readonly live: <T>(fn: () => T) => Promise<T>;
  readonly appendAudit: (input: AuditInput) => AuditEntry;
}): CameraRepository {
  const { db, prep, live, appendAudit } = deps;
  const tx = <T>(fn: () => T): Promise<T> => live(() => db.transaction(fn).immediate());
  const args = (): [unknown[], (v: string) => string] => {
    const list: unknown[] = [];
    return [
      list,
      (v) => {
        list.push(v);
        return '?';
      },
    ];
  };
  return {
    createCamera(c, audit) {
      return tx(() => {
        const x = cameraColumns(c);
        const r = prep(
          'INSERT OR IGNORE INTO camera (id, area, unit, secret, body) VALUES (?, ?, ?, ?, ?)',
        ).run(x.id, x.area, x.unit, c.sealedPassword ?? null, x.body);
        if (r.changes !== 1) return false;
        appendAudit(audit);
        return true;
      });
    },
    updateCamera(c, audit, options = {}) {
      return tx(() => {
        const x = cameraColumns(c);
        const r =
          c.sealedPassword !== undefined || options.clearPassword === true
            ? prep('UPDATE camera SET area = ?, unit = ?, secret = ?, body = ? WHERE id = ?').run(
                x.area,
                x.unit,
                c.sealedPassword ?? null,
                x.body,
                x.id,
              )
            : prep('UPDATE camera SET area = ?, unit = ?, body = ? WHERE id = ?').run(
                x.area,
                x.unit,
                x.body,
                x.id,
              );
        if (r.changes !== 1) return false;
        appendAudit(audit);
        return true;
      });
    },
    deleteCamera(id, audit) {
      return tx(() => {
        if (prep('DELETE FROM camera WHERE id = ?').run(id).changes !== 1) return false;
        prep('DELETE FROM camera_lease WHERE camera_id = ?').run(id);
        appendAudit(audit);
        return true;
      });
    },
    getCamera(id) {
      return live(() => {
        const row = prep('SELECT body, secret FROM camera WHERE id = ?').get(id) as CameraRow | undefined;
        return row === undefined ? undefined : toCamera(row);
      });
    },
    listCameras(filter = {}) {
      return live(() => {
        const [list, arg] = args();
        const where = cameraWhere(filter, arg);
        if (where === undefined) return [];
        return (prep(`SELECT body, secret FROM camera ${where} ORDER BY id`).all(...list) as CameraRow[]).map(
          toCamera,
        );
      });
    },
    createIncident(i, audit) {
      return tx(() => {
        const x = incidentColumns(i);
        prep(
          `INSERT INTO camera_incident (id, camera_id, unit, area, state, dedup_key, opened_at, updated_at, body)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(x.id, x.camera_id, x.unit, x.area, x.state, x.dedup_key, x.opened_at, x.updated_at, x.body);
        appendAudit(audit);
      });
    },
    updateIncident(next, expected, audit) {
      return tx(() => {
        const x = incidentColumns(next);
        const r = prep(
          'UPDATE camera_incident SET state = ?, updated_at = ?, body = ? WHERE id = ? AND state = ?',
        ).run(x.state, x.updated_at, x.body, x.id, expected);
        if (r.changes !== 1) return false;
        appendAudit(audit);
        return true;
      });
    },
    getIncident(id) {
      return live(() => {
        const row = prep('SELECT body FROM camera_incident WHERE id = ?').get(id) as BodyRow | undefined;
        return row === undefined ? undefined : toIncident(row);
      });
    },
    findActiveIncident(dedupKey) {
      return live(() => {
        const row = prep(
          `SELECT body FROM camera_incident WHERE dedup_key = ? AND state IN ('open', 'acknowledged', 'dispatched', 'in-progress')
           ORDER BY opened_at DESC, id LIMIT 1`,
        ).get(dedupKey) as BodyRow | undefined;
        return row === undefined ? undefined : toIncident(row);
      });
    },
    listIncidents(f) {
      return live(() => {
        const [list, arg] = args();
        const where = incidentWhere(f, arg);
        if (where === undefined) return [];
        const sql = `SELECT body FROM camera_incident ${where} ORDER BY opened_at DESC, id LIMIT ? OFFSET ?`;
        return (prep(sql).all(...list, f.limit, f.offset ?? 0) as BodyRow[]).map(toIncident);
      });
    },
    addWatchedPlate(p, audit) {
      return tx(() => {
        const r = prep('INSERT OR IGNORE INTO plate_watch (plate, body) VALUES (?, ?)').run(
          p.plate,
          JSON.stringify(p),
        );
        if (r.changes !== 1) return false;
        appendAudit(audit);
        return true;
      });
    },
    removeWatchedPlate(plate, audit) {
      return tx(() => {
        if (prep('DELETE FROM plate_watch WHERE plate = ?').run(plate).changes !== 1) return false;
        appendAudit(audit);
        return true;
      });
    },
    listWatchedPlates() {
      return live(() =>
        (prep('SELECT body FROM plate_watch ORDER BY plate').all() as BodyRow[]).map(
          (r) => JSON.parse(r.body) as WatchedPlate,
        ),
      );
    },
    acquireCameraLeases(owner, cameraIds, now, ttlMs) {
      // One IMMEDIATE transaction: no other writer between the check and the write.
      return tx(() => {
        const at = now.toISOString();
        const until = new Date(now.getTime() + ttlMs).toISOString();
        const upsert = prep(
          `INSERT INTO camera_lease (camera_id, owner, expires_at) SELECT id, ?, ? FROM camera WHERE id = ?
           ON CONFLICT (camera_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
           WHERE camera_lease.expires_at <= ? OR camera_lease.owner = excluded.owner`,
        );
        const held: string[] = [];
        for (const id of new Set(cameraIds))
          if (upsert.run(owner, until, id, at).changes === 1) held.push(id);
        return held.sort();
      });
    },
    releaseCameraLeases(owner, cameraIds) {
      return tx(() => {
        if (cameraIds === undefined)
          return prep('DELETE FROM camera_lease WHERE owner = ?').run(owner).changes;
        const del = prep('DELETE FROM camera_lease WHERE owner = ? AND camera_id = ?');
        let n = 0;
        for (const id of new Set(cameraIds)) n += del.run(owner, id).changes;
        return n;
      });
    },
    listCameraLeases(filter = {}) {
      return live(() => {
        const [list, arg] = args();
        const where: string[] = [];
        if (filter.owner !== undefined) where.push(`owner = ${arg(filter.owner)}`);
        if (filter.cameraId !== undefined) where.push(`camera_id = ${arg(filter.cameraId)}`);
        const rows = prep(
          `SELECT camera_id, owner, expires_at FROM camera_lease ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY camera_id`,
        ).all(...list) as { camera_id: string; owner: string; expires_at: string }[];
        return rows.map((r) => ({ cameraId: r.camera_id, owner: r.owner, expiresAt: r.expires_at }));
      });
    },
  };
}

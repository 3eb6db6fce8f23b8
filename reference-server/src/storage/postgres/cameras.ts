import type pg from 'pg';
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

/** The camera repository on PostgreSQL (tables of migrations 8 and 9). */
export function postgresCameraRepository(deps: {
  readonly pool: pg.Pool;
  readonly ensureOpen: () => void;
  readonly inTransaction: <T>(fn: (c: pg.PoolClient) => Promise<T>) => Promise<T>;
  readonly appendAudit: (c: pg.PoolClient, input: AuditInput) => Promise<AuditEntry>;
}): CameraRepository {
  const { pool, ensureOpen, inTransaction, appendAudit } = deps;
  const tx = <T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> => {
    ensureOpen();
    return inTransaction(fn);
  };
  const args = (): [unknown[], (v: string) => string] => {
    const list: unknown[] = [];
    return [
      list,
      (v) => {
        list.push(v);
        return `$${list.length}`;
      },
    ];
  };
  return {
    createCamera(c, audit) {
      return tx(async (cl) => {
        const x = cameraColumns(c);
        const r = await cl.query(
          'INSERT INTO camera (id, area, unit, secret, body) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING',
          [x.id, x.area, x.unit, c.sealedPassword ?? null, x.body],
        );
        if (r.rowCount !== 1) return false;
        await appendAudit(cl, audit);
        return true;
      });
    },
    updateCamera(c, audit, options = {}) {
      return tx(async (cl) => {
        const x = cameraColumns(c);
        const r =
          c.sealedPassword !== undefined || options.clearPassword === true
            ? await cl.query('UPDATE camera SET area = $1, unit = $2, secret = $3, body = $4 WHERE id = $5', [
                x.area,
                x.unit,
                c.sealedPassword ?? null,
                x.body,
                x.id,
              ])
            : await cl.query('UPDATE camera SET area = $1, unit = $2, body = $3 WHERE id = $4', [
                x.area,
                x.unit,
                x.body,
                x.id,
              ]);
        if (r.rowCount !== 1) return false;
        await appendAudit(cl, audit);
        return true;
      });
    },
    deleteCamera(id, audit) {
      return tx(async (cl) => {
        const r = await cl.query('DELETE FROM camera WHERE id = $1', [id]);
        if (r.rowCount !== 1) return false;
        await cl.query('DELETE FROM camera_lease WHERE camera_id = $1', [id]);
        await appendAudit(cl, audit);
        return true;
      });
    },
    async getCamera(id) {
      ensureOpen();
      const r = await pool.query<CameraRow>('SELECT body, secret FROM camera WHERE id = $1', [id]);
      const row = r.rows[0];
      return row === undefined ? undefined : toCamera(row);
    },
    async listCameras(filter = {}) {
      ensureOpen();
      const [list, arg] = args();
      const where = cameraWhere(filter, arg);
      if (where === undefined) return [];
      const r = await pool.query<CameraRow>(
        `SELECT body, secret FROM camera ${where} ORDER BY id COLLATE "C"`,
        list,
      );
      return r.rows.map(toCamera);
    },
    createIncident(i, audit) {
      return tx(async (cl) => {
        const x = incidentColumns(i);
        await cl.query(
          `INSERT INTO camera_incident (id, camera_id, unit, area, state, dedup_key, opened_at, updated_at, body)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [x.id, x.camera_id, x.unit, x.area, x.state, x.dedup_key, x.opened_at, x.updated_at, x.body],
        );
        await appendAudit(cl, audit);
      });
    },
    updateIncident(next, expected, audit) {
      return tx(async (cl) => {
        const x = incidentColumns(next);
        const r = await cl.query(
          'UPDATE camera_incident SET state = $1, updated_at = $2, body = $3 WHERE id = $4 AND state = $5',
          [x.state, x.updated_at, x.body, x.id, expected],
        );
        if (r.rowCount !== 1) return false;
        await appendAudit(cl, audit);
        return true;
      });
    },
    async getIncident(id) {
      ensureOpen();
      const r = await pool.query<BodyRow>('SELECT body FROM camera_incident WHERE id = $1', [id]);
      const row = r.rows[0];
      return row === undefined ? undefined : toIncident(row);
    },
    async findActiveIncident(dedupKey) {
      ensureOpen();
      const r = await pool.query<BodyRow>(
        `SELECT body FROM camera_incident WHERE dedup_key = $1 AND state IN ('open', 'acknowledged', 'dispatched', 'in-progress')
         ORDER BY opened_at DESC, id LIMIT 1`,
        [dedupKey],
      );
      const row = r.rows[0];
      return row === undefined ? undefined : toIncident(row);
    },
    async listIncidents(f) {
      ensureOpen();
      const [list, arg] = args();
      const where = incidentWhere(f, arg);
      if (where === undefined) return [];
      const limit = arg(String(f.limit));
      const offset = arg(String(f.offset ?? 0));
      const r = await pool.query<BodyRow>(
        `SELECT body FROM camera_incident ${where} ORDER BY opened_at DESC, id LIMIT ${limit}::int OFFSET ${offset}::int`,
        list,
      );
      return r.rows.map(toIncident);
    },
    addWatchedPlate(p, audit) {
      return tx(async (cl) => {
        const r = await cl.query(
          'INSERT INTO plate_watch (plate, body) VALUES ($1, $2) ON CONFLICT (plate) DO NOTHING',
          [p.plate, JSON.stringify(p)],
        );
        if (r.rowCount !== 1) return false;
        await appendAudit(cl, audit);
        return true;
      });
    },
    removeWatchedPlate(plate, audit) {
      return tx(async (cl) => {
        const r = await cl.query('DELETE FROM plate_watch WHERE plate = $1', [plate]);
        if (r.rowCount !== 1) return false;
        await appendAudit(cl, audit);
        return true;
      });
    },
    async listWatchedPlates() {
      ensureOpen();
      const r = await pool.query<BodyRow>('SELECT body FROM plate_watch ORDER BY plate');
      return r.rows.map((x) => JSON.parse(x.body) as WatchedPlate);
    },
    async acquireCameraLeases(owner, cameraIds, now, ttlMs) {
      ensureOpen();
      if (cameraIds.length === 0) return [];
      // One statement: a row another instance inserts or renews meanwhile is re-checked by ON CONFLICT.
      const r = await pool.query<{ camera_id: string }>(
        `INSERT INTO camera_lease (camera_id, owner, expires_at)
         SELECT id, $2, $3::timestamptz FROM camera WHERE id = ANY($1::text[])
         ON CONFLICT (camera_id) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
         WHERE camera_lease.expires_at <= $4::timestamptz OR camera_lease.owner = EXCLUDED.owner
         RETURNING camera_id`,
        [[...new Set(cameraIds)], owner, new Date(now.getTime() + ttlMs).toISOString(), now.toISOString()],
      );
      return r.rows.map((x) => x.camera_id).sort();
    },
    async releaseCameraLeases(owner, cameraIds) {
      ensureOpen();
      const r =
        cameraIds === undefined
          ? await pool.query('DELETE FROM camera_lease WHERE owner = $1', [owner])
          : await pool.query('DELETE FROM camera_lease WHERE owner = $1 AND camera_id = ANY($2::text[])', [
              owner,
              [...cameraIds],
            ]);
      return r.rowCount ?? 0;
    },
    async listCameraLeases(filter = {}) {
      ensureOpen();
      const [list, arg] = args();
      const where: string[] = [];
      if (filter.owner !== undefined) where.push(`owner = ${arg(filter.owner)}`);
      if (filter.cameraId !== undefined) where.push(`camera_id = ${arg(filter.cameraId)}`);
      const r = await pool.query<{ camera_id: string; owner: string; expires_at: Date }>(
        `SELECT camera_id, owner, expires_at FROM camera_lease ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY camera_id COLLATE "C"`,
        list,
      );
      return r.rows.map((x) => ({
        cameraId: x.camera_id,
        owner: x.owner,
        expiresAt: x.expires_at.toISOString(),
      }));
    },
  };
}

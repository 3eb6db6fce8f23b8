import { Router, type Request, type RequestHandler } from 'express';
import { authenticate, principalOf, requireScope, type Verify } from '../../http/auth.js';
import { handle } from '../../http/request-error.js';
import { validated } from '../../http/validate.js';
import type { IncidentState } from '../../storage/types.js';
import {
  CameraRequestError,
  cameraViewOf,
  type CameraInput,
  type CameraService,
  type IncidentTransitionInput,
} from './service.js';

const baseUrl = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/** `/api/v1/cameras`: the registry (credentials write-only), health, snapshots and coverage. */
export function cameraRoutes(service: CameraService, verify: Verify, validate: RequestHandler): Router {
  const router = Router();
  router.use(authenticate(verify));
  const read = [requireScope('cameras:read'), validate];
  const write = [requireScope('cameras:write'), validate];

  router.get(
    '/',
    ...read,
    handle(async (_req, res) => {
      const q = validated(res).query as { area?: string; unit?: string };
      res.json({ items: await service.listCameras(cameraViewOf(principalOf(res)), q) });
    }),
  );

  router.post(
    '/',
    ...write,
    handle(async (_req, res) => {
      const camera = await service.createCamera(validated(res).body as CameraInput, principalOf(res));
      res
        .status(201)
        .location(`/api/v1/cameras/${encodeURIComponent(camera.id)}`)
        .json(camera);
    }),
  );

  router.get(
    '/coverage',
    ...read,
    handle(async (_req, res) => {
      const view = cameraViewOf(principalOf(res));
      const cov = await service.coverage();
      // A district sees its own row beside the province's figures.
      res.json(
        view.all || view.area === undefined || view.unit !== undefined
          ? cov
          : { ...cov, districts: cov.districts.filter((d) => d.adminUnitCode === view.area) },
      );
    }),
  );

  router.get(
    '/:cameraId',
    ...read,
    handle(async (_req, res) => {
      const { cameraId } = validated(res).path as { cameraId: string };
      res.json(await service.getCamera(cameraId, cameraViewOf(principalOf(res))));
    }),
  );

  router.put(
    '/:cameraId',
    ...write,
    handle(async (_req, res) => {
      const v = validated(res);
      const { cameraId } = v.path as { cameraId: string };
      const input = v.body as CameraInput;
      if (input.id !== undefined && input.id !== cameraId)
        throw new CameraRequestError(422, 'CAMERA_INVALID', 'the body names another camera id than the path');
      res.json(await service.updateCamera(cameraId, input, principalOf(res)));
    }),
  );

  router.delete(
    '/:cameraId',
    ...write,
    handle(async (_req, res) => {
      const { cameraId } = validated(res).path as { cameraId: string };
      await service.deleteCamera(cameraId, principalOf(res));
      res.status(204).end();
    }),
  );

  router.get(
    '/:cameraId/health',
    ...read,
    handle(async (_req, res) => {
      const { cameraId } = validated(res).path as { cameraId: string };
      res.json(await service.health(cameraId, cameraViewOf(principalOf(res))));
    }),
  );

  router.post(
    '/:cameraId/events/frigate',
    requireScope('cameras:ingest'),
    validate,
    handle(async (_req, res) => {
      const v = validated(res);
      const { cameraId } = v.path as { cameraId: string };
      res.status(202).json(await service.ingestFrigate(cameraId, JSON.stringify(v.body)));
    }),
  );

  router.get(
    '/:cameraId/snapshot',
    ...read,
    handle(async (_req, res) => {
      const { cameraId } = validated(res).path as { cameraId: string };
      const s = await service.snapshot(cameraId, cameraViewOf(principalOf(res)));
      res
        .type(/^image\/(jpeg|png)$/.test(s.contentType) ? s.contentType : 'image/jpeg')
        .set('Cache-Control', 'private, no-store')
        .set('X-Content-Type-Options', 'nosniff')
        .send(Buffer.from(s.bytes));
    }),
  );
  return router;
}

/** `/api/v1/incidents`: lists, details, CAP and NGSI-LD renderings, lifecycle transitions. */
export function incidentRoutes(service: CameraService, verify: Verify, validate: RequestHandler): Router {
  const router = Router();
  router.use(authenticate(verify));
  const read = [requireScope('incidents:read'), validate];

  router.get(
    '/',
    ...read,
    handle(async (_req, res) => {
      const q = validated(res).query as {
        state?: string;
        unit?: string;
        area?: string;
        camera?: string;
        from?: string;
        to?: string;
        limit: number;
        offset: number;
      };
      const iso = (name: string, v: string | undefined) => {
        if (v === undefined) return undefined;
        const ms = Date.parse(v);
        if (!Number.isFinite(ms))
          throw new CameraRequestError(
            400,
            'INVALID_REQUEST',
            `query ${name}: must be an ISO 8601 date-time`,
          );
        return new Date(ms).toISOString();
      };
      const from = iso('from', q.from);
      const to = iso('to', q.to);
      const items = await service.listIncidents(
        {
          ...(q.state !== undefined ? { states: [...new Set(q.state.split(','))] as IncidentState[] } : {}),
          ...(q.unit !== undefined ? { unit: q.unit } : {}),
          ...(q.area !== undefined ? { area: q.area } : {}),
          ...(q.camera !== undefined ? { cameraId: q.camera } : {}),
          ...(from !== undefined ? { from } : {}),
          ...(to !== undefined ? { to } : {}),
          limit: q.limit + 1,
          offset: q.offset,
        },
        cameraViewOf(principalOf(res)),
      );
      const more = items.length > q.limit;
      res.json({ items: items.slice(0, q.limit), ...(more ? { nextOffset: q.offset + q.limit } : {}) });
    }),
  );

  router.get(
    '/:incidentId.cap',
    ...read,
    handle(async (req, res) => {
      const { incidentId } = validated(res).path as { incidentId: string };
      const xml = await service.cap(incidentId, cameraViewOf(principalOf(res)), baseUrl(req));
      res.type('application/cap+xml; charset=utf-8').send(xml);
    }),
  );

  router.get(
    '/:incidentId.ngsi-ld',
    ...read,
    handle(async (req, res) => {
      const { incidentId } = validated(res).path as { incidentId: string };
      const alert = await service.ngsiLd(incidentId, cameraViewOf(principalOf(res)), baseUrl(req));
      res.type('application/ld+json').send(JSON.stringify(alert));
    }),
  );

  router.get(
    '/:incidentId',
    ...read,
    handle(async (_req, res) => {
      const { incidentId } = validated(res).path as { incidentId: string };
      res.json(await service.getIncident(incidentId, cameraViewOf(principalOf(res))));
    }),
  );

  router.post(
    '/:incidentId/transitions',
    requireScope('incidents:write'),
    validate,
    handle(async (_req, res) => {
      const v = validated(res);
      const { incidentId } = v.path as { incidentId: string };
      res.json(await service.transition(incidentId, v.body as IncidentTransitionInput, principalOf(res)));
    }),
  );
  return router;
}

/** `/api/v1/watchlist`: plates whose reads open high-severity incidents (operators). */
export function watchlistRoutes(service: CameraService, verify: Verify, validate: RequestHandler): Router {
  const router = Router();
  router.use(authenticate(verify));
  const write = [requireScope('watchlist:write'), validate];

  router.get(
    '/',
    ...write,
    handle(async (_req, res) => {
      res.json({ items: await service.listWatchlist() });
    }),
  );

  router.post(
    '/',
    ...write,
    handle(async (_req, res) => {
      const entry = await service.addWatchedPlate(
        validated(res).body as { plate: string; reason: string },
        principalOf(res),
      );
      res.status(201).location(`/api/v1/watchlist/${entry.plate}`).json(entry);
    }),
  );

  router.delete(
    '/:plate',
    ...write,
    handle(async (_req, res) => {
      const { plate } = validated(res).path as { plate: string };
      await service.removeWatchedPlate(plate, principalOf(res));
      res.status(204).end();
    }),
  );
  return router;
}

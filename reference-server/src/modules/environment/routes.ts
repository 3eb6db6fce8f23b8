import { Router, type RequestHandler } from 'express';
import type { components } from '../../generated/reference-server.js';
import { authenticate, principalOf, requireScope, type Verify } from '../../http/auth.js';
import { HttpProblem } from '../../http/problem.js';
import { validated } from '../../http/validate.js';
import type { ReadingInput, Station } from '../../storage/types.js';
import { stationAqi } from './aqi.js';
import { canReadStation } from './scope.js';
import { ingestReadings, registerStation, StationNotFoundError, type EnvironmentDeps } from './service.js';

type Schemas = components['schemas'];
const HOUR = 3_600_000;

function notFound(stationId: string): HttpProblem {
  return new HttpProblem(404, 'STATION_NOT_FOUND', 'Not Found', `no station "${stationId}" is registered`);
}

/** `/api/v1/environment`: monitoring stations and their readings. */
export function environmentRoutes(deps: EnvironmentDeps, verify: Verify, validate: RequestHandler): Router {
  const router = Router();
  // Authentication, then the route's scope, then validation: a caller without the scope learns nothing
  // about the request's shape.
  router.use(authenticate(verify));
  const read = [requireScope('environment:read'), validate];

  router.get('/stations', ...read, async (_req, res) => {
    const p = principalOf(res);
    res.json({ items: (await deps.repo.listStations()).filter((s) => canReadStation(p, s)) });
  });

  /** The station, if it exists and the caller may see it (otherwise 404: its existence is not disclosed). */
  const readable = async (res: Parameters<typeof principalOf>[0], stationId: string) => {
    const station = await deps.repo.getStation(stationId);
    if (station === undefined || !canReadStation(principalOf(res), station)) throw notFound(stationId);
    return station;
  };

  router.post('/stations', requireScope('stations:write'), validate, async (_req, res) => {
    const station = validated(res).body as Station;
    const result = await registerStation(deps, station, principalOf(res).subject);
    if (result === 'exists') {
      throw new HttpProblem(
        409,
        'STATION_EXISTS',
        'Conflict',
        `a station "${station.id}" is already registered`,
      );
    }
    res.status(201).json(await deps.repo.getStation(station.id));
  });

  router.get('/stations/:stationId', ...read, async (_req, res) => {
    const { stationId } = validated(res).path as { stationId: string };
    res.json(await readable(res, stationId));
  });

  router.get('/stations/:stationId/readings', ...read, async (_req, res) => {
    const v = validated(res);
    const { stationId } = v.path as { stationId: string };
    const q = v.query as { from?: string; to?: string; limit: number };
    await readable(res, stationId);
    const to = q.to === undefined ? new Date() : new Date(q.to);
    const from = q.from === undefined ? new Date(to.getTime() - 24 * HOUR) : new Date(q.from);
    if (from.getTime() >= to.getTime()) {
      throw new HttpProblem(400, 'INVALID_REQUEST', 'Bad Request', 'query from: must be before to', {
        errors: [{ in: 'query', name: 'from', message: 'must be before to' }],
      });
    }
    res.json({ stationId, items: await deps.repo.listReadings(stationId, from, to, q.limit) });
  });

  router.get('/stations/:stationId/aqi', ...read, async (_req, res) => {
    const v = validated(res);
    const { stationId } = v.path as { stationId: string };
    const { at } = v.query as { at?: string };
    await readable(res, stationId);
    res.json(await stationAqi(deps.repo, stationId, at === undefined ? undefined : new Date(at)));
  });

  router.post(
    '/stations/:stationId/readings',
    requireScope('readings:ingest'),
    validate,
    async (_req, res) => {
      const v = validated(res);
      const { stationId } = v.path as { stationId: string };
      const body = v.body as {
        readings: (Omit<ReadingInput, 'periodMinutes'> & { periodMinutes?: number })[];
      };
      const readings: ReadingInput[] = body.readings.map((r) => ({
        ...r,
        periodMinutes: r.periodMinutes ?? 60,
      }));
      try {
        const outcome = await ingestReadings(deps, stationId, readings, principalOf(res).subject);
        const result: Schemas['IngestResult'] = {
          accepted: outcome.accepted,
          duplicates: outcome.duplicates,
        };
        res.status(202).json(result);
      } catch (err) {
        if (err instanceof StationNotFoundError) throw notFound(stationId);
        throw err;
      }
    },
  );
  return router;
}

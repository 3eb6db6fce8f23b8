import { Router, type RequestHandler, type Response } from 'express';
import { scorecardToCsv, scorecardToFiware, type KpiAlert, type Period } from '@dttm/ioc-kpi';
import type { Principal } from '../../auth/roles.js';
import type { components } from '../../generated/reference-server.js';
import { authenticate, principalOf, requireScope, type Verify } from '../../http/auth.js';
import { HttpProblem } from '../../http/problem.js';
import { validated } from '../../http/validate.js';
import { KpiRequestError, type KpiService, type KpiView } from './service.js';
import { handle as handleRequest } from '../../http/request-error.js';

type Schemas = components['schemas'];

/**
 * Sharing by level and authority for KPI data: province leadership and operators see everything; a
 * district or city its own area; a department the indicators of its sector (`dept` claim = the
 * indicator's `sector`). With several roles, the widest wins.
 */
export function kpiViewOf(p: Principal): KpiView {
  if (p.roles.includes('leadership') || p.roles.includes('operator')) return { all: true };
  if (p.roles.includes('district') && p.area !== undefined) return { all: false, area: p.area };
  if (p.roles.includes('department') && p.department !== undefined)
    return { all: false, sector: p.department };
  return { all: false };
}

/** Runs a handler, turning the service's request errors into problem+json. */
const handle = (fn: (res: Response) => Promise<void>): RequestHandler =>
  handleRequest((_req, res) => fn(res));

interface PeriodQuery {
  profile?: string;
  year?: number;
  quarter?: number;
  month?: number;
  area?: string;
}

function periodOf(q: PeriodQuery, service: KpiService): Period {
  if (q.quarter !== undefined && q.month !== undefined)
    throw new HttpProblem(400, 'INVALID_REQUEST', 'Bad Request', 'give a quarter or a month, not both', {
      errors: [{ in: 'query', name: 'month', message: 'not with quarter' }],
    });
  if ((q.quarter !== undefined || q.month !== undefined) && q.year === undefined)
    throw new HttpProblem(400, 'INVALID_REQUEST', 'Bad Request', 'a quarter or a month needs a year', {
      errors: [{ in: 'query', name: 'year', message: 'required with quarter or month' }],
    });
  const year = q.year ?? service.lastEndedYear();
  if (q.quarter !== undefined) return { year, quarter: q.quarter };
  if (q.month !== undefined) return { year, month: q.month };
  return { year };
}

/** `/api/v1/kpi`: catalogue, profiles, observations, scorecards, series and exports. */
export function kpiRoutes(service: KpiService, verify: Verify, validate: RequestHandler): Router {
  const router = Router();
  router.use(authenticate(verify));
  const read = [requireScope('kpi:read'), validate];

  router.get('/catalogue', ...read, (_req, res) => {
    res.json(service.catalogue);
  });

  router.get('/profiles', ...read, (_req, res) => {
    const items: Schemas['KpiProfileSummary'][] = [...service.profiles.values()].map((r) => ({
      id: r.profile.id,
      version: r.profile.version,
      name: r.profile.name,
      catalogue: r.profile.catalogue,
      ...(r.profile.extends !== undefined ? { extends: r.profile.extends } : {}),
      illustrative: r.profile.illustrative === true,
      indicators: [...r.indicators.values()].filter((i) => i.target !== undefined).length,
      default: r === service.defaultProfile,
    }));
    res.json({ items });
  });

  router.get(
    '/profiles/:profileId',
    ...read,
    handle(async (res) => {
      const { profileId } = validated(res).path as { profileId: string };
      res.json(service.profile(profileId).profile);
      await Promise.resolve();
    }),
  );

  router.get(
    '/observations',
    ...read,
    handle(async (res) => {
      const q = validated(res).query as {
        indicator?: string;
        area?: string;
        from?: string;
        to?: string;
        limit: number;
      };
      const view = kpiViewOf(principalOf(res));
      if (view.area !== undefined && q.area !== undefined && q.area !== view.area)
        throw new KpiRequestError(403, 'OUT_OF_SCOPE', `this token may only read area ${view.area}`);
      const visible = service.visibleIndicators(service.defaultProfile, view);
      const all =
        view.sector !== undefined
          ? [...service.profiles.values()].flatMap((p) => service.visibleIndicators(p, view) ?? [])
          : visible;
      const indicators =
        q.indicator !== undefined
          ? all === undefined || all.includes(q.indicator)
            ? [q.indicator]
            : []
          : all;
      const area = view.area ?? q.area;
      const items = await service.listObservations({
        ...(indicators !== undefined ? { indicators } : {}),
        ...(area !== undefined ? { adminUnit: area } : {}),
        ...(q.from !== undefined ? { from: new Date(q.from).toISOString() } : {}),
        ...(q.to !== undefined ? { to: new Date(q.to).toISOString() } : {}),
        limit: q.limit,
      });
      res.json({ items });
    }),
  );

  router.post(
    '/observations',
    requireScope('kpi:ingest'),
    validate,
    handle(async (res) => {
      const body = validated(res).body as { observations: unknown[] };
      const result = await service.ingest(body.observations, principalOf(res).subject);
      if (result.accepted === 0 && result.duplicates === 0) {
        throw new HttpProblem(
          422,
          'OBSERVATIONS_REJECTED',
          'Unprocessable Content',
          `none of the ${body.observations.length} observations could be accepted: see rejected`,
          { rejected: result.rejected },
        );
      }
      const out: Schemas['KpiIngestResult'] = {
        accepted: result.accepted,
        duplicates: result.duplicates,
        rejected: result.rejected.map((r) => ({ index: r.index, issues: r.issues.map((i) => ({ ...i })) })),
      };
      res.status(202).json(out);
    }),
  );

  const scorecard = async (res: Response) => {
    const q = validated(res).query as PeriodQuery;
    return service.scorecard({
      ...(q.profile !== undefined ? { profile: q.profile } : {}),
      period: periodOf(q, service),
      ...(q.area !== undefined ? { area: q.area } : {}),
      view: kpiViewOf(principalOf(res)),
    });
  };

  router.get(
    '/scorecard',
    ...read,
    handle(async (res) => {
      res.json(await scorecard(res));
    }),
  );

  router.get(
    '/scorecard.csv',
    ...read,
    handle(async (res) => {
      const { lang } = validated(res).query as { lang: 'vi' | 'en' };
      const card = await scorecard(res);
      const name = `${card.profile.id}-${card.period.label}-${card.scope.adminUnitCode ?? card.scope.level}.csv`;
      res
        .type('text/csv; charset=utf-8')
        .set('Content-Disposition', `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
        .send(scorecardToCsv(card, { lang }));
    }),
  );

  router.get(
    '/scorecard.ngsi-ld',
    ...read,
    handle(async (res) => {
      const card = await scorecard(res);
      res.type('application/ld+json').send(
        JSON.stringify(
          scorecardToFiware(card, {
            organization: 'UBND tỉnh Bắc Giang',
            provider: '@dttm/reference-server',
            modifiedAt: new Date().toISOString(),
          }),
        ),
      );
    }),
  );

  router.get(
    '/indicators/:indicator/series',
    ...read,
    handle(async (res) => {
      const v = validated(res);
      const { indicator } = v.path as { indicator: string };
      const q = v.query as {
        profile?: string;
        area?: string;
        granularity: 'year' | 'quarter' | 'month';
        fromYear?: number;
        toYear?: number;
      };
      res.json(
        await service.series({
          indicator,
          granularity: q.granularity,
          ...(q.profile !== undefined ? { profile: q.profile } : {}),
          ...(q.area !== undefined ? { area: q.area } : {}),
          ...(q.fromYear !== undefined ? { fromYear: q.fromYear } : {}),
          ...(q.toYear !== undefined ? { toYear: q.toYear } : {}),
          view: kpiViewOf(principalOf(res)),
        }),
      );
    }),
  );
  return router;
}

/** `/api/v1/alerts`: list, read, acknowledge and resolve KPI alerts. */
export function alertRoutes(service: KpiService, verify: Verify, validate: RequestHandler): Router {
  const router = Router();
  router.use(authenticate(verify));

  router.get(
    '/',
    requireScope('alerts:read'),
    validate,
    handle(async (res) => {
      const q = validated(res).query as {
        state: string;
        kind?: KpiAlert['kind'];
        indicator?: string;
        limit: number;
      };
      const states = [...new Set(q.state.split(','))] as KpiAlert['state'][];
      const items = await service.listAlerts(
        {
          states,
          ...(q.kind !== undefined ? { kind: q.kind } : {}),
          ...(q.indicator !== undefined ? { indicator: q.indicator } : {}),
          limit: q.limit,
        },
        kpiViewOf(principalOf(res)),
      );
      res.json({ items });
    }),
  );

  router.get(
    '/:alertId',
    requireScope('alerts:read'),
    validate,
    handle(async (res) => {
      const { alertId } = validated(res).path as { alertId: string };
      res.json(await service.getAlert(alertId, kpiViewOf(principalOf(res))));
    }),
  );

  for (const [action, to] of [
    ['acknowledge', 'acknowledged'],
    ['resolve', 'resolved'],
  ] as const) {
    router.post(
      `/:alertId/${action}`,
      requireScope('alerts:write'),
      validate,
      handle(async (res) => {
        const v = validated(res);
        const { alertId } = v.path as { alertId: string };
        const note = (v.body as { note?: string } | undefined)?.note;
        const p = principalOf(res);
        res.json(await service.transition(alertId, to, p.subject, note, kpiViewOf(p)));
      }),
    );
  }
  return router;
}

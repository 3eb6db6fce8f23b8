import express, { Router, type RequestHandler } from 'express';
import type { components } from '../../generated/reference-server.js';
import { authenticate, principalOf, requireScope, type Verify } from '../../http/auth.js';
import { HttpProblem } from '../../http/problem.js';
import { validated } from '../../http/validate.js';
import type { ReportCategory, ReportState } from '../../storage/types.js';
import { TokenBuckets, type RateLimitOptions } from './rate-limit.js';
import {
  reportViewOf,
  type ReportService,
  type ReportSubmissionInput,
  type ReportTransitionInput,
} from './service.js';
import { handle } from '../../http/request-error.js';

type Schemas = components['schemas'];

/** Limits submissions per client address; 429 problem+json with `Retry-After` beyond it. */
function rateLimit(buckets: TokenBuckets): RequestHandler {
  return (req, res, next) => {
    // `req.ip` is the socket's peer unless TRUST_PROXY names the proxies in front.
    const wait = buckets.take(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    if (wait === 0) {
      next();
      return;
    }
    res.set('Retry-After', String(wait));
    next(
      new HttpProblem(
        429,
        'RATE_LIMITED',
        'Too Many Requests',
        `too many reports from this address: retry in ${wait} s`,
        {
          retryAfterSeconds: wait,
        },
      ),
    );
  };
}

export interface PublicReportRoutesOptions {
  /** Submissions per client address. */
  readonly rateLimit: RateLimitOptions;
}

/**
 * `/api/v1/public`: what citizens use without a token — the categories, submission (rate limited, its
 * own 3 MB JSON limit for the base64 photo) and the status by tracking code.
 */
export function publicReportRoutes(
  service: ReportService,
  validate: RequestHandler,
  options: PublicReportRoutesOptions,
): Router {
  const router = Router();
  const buckets = new TokenBuckets(options.rateLimit);

  router.get('/report-categories', validate, (_req, res) => {
    const body: { items: Schemas['ReportCategoryInfo'][] } = { items: service.categories() };
    res.json(body);
  });

  router.post(
    '/reports',
    rateLimit(buckets),
    express.json({ limit: '3mb' }),
    validate,
    handle(async (req, res) => {
      const input = validated(res).body as ReportSubmissionInput;
      const r = await service.submit(input, req.ip ?? req.socket.remoteAddress ?? 'unknown');
      const statusUrl = `/api/v1/public/reports/${r.code}`;
      const body: Schemas['ReportReceipt'] = {
        code: r.code,
        state: 'received',
        category: r.category,
        department: r.department,
        ...(r.district !== undefined ? { district: r.district } : {}),
        submittedAt: r.submittedAt,
        deadline: r.deadline,
        statusUrl,
      };
      res.status(201).location(statusUrl).json(body);
    }),
  );

  router.get(
    '/reports/:code',
    validate,
    handle(async (_req, res) => {
      const { code } = validated(res).path as { code: string };
      const body: Schemas['PublicReportStatus'] = await service.status(code);
      res.json(body);
    }),
  );
  return router;
}

/** `/api/v1/reports`: staff lists, details, photos and transitions, scoped by authority. */
export function reportRoutes(service: ReportService, verify: Verify, validate: RequestHandler): Router {
  const router = Router();
  router.use(authenticate(verify));
  const read = [requireScope('reports:read'), validate];

  router.get(
    '/',
    ...read,
    handle(async (_req, res) => {
      const q = validated(res).query as {
        state?: string;
        overdue?: boolean;
        category?: ReportCategory;
        limit: number;
      };
      const items = await service.list(
        {
          ...(q.state !== undefined ? { states: [...new Set(q.state.split(','))] as ReportState[] } : {}),
          ...(q.overdue !== undefined ? { overdue: q.overdue } : {}),
          ...(q.category !== undefined ? { category: q.category } : {}),
          limit: q.limit,
        },
        reportViewOf(principalOf(res)),
      );
      res.json({ items });
    }),
  );

  router.get(
    '/:reportId',
    ...read,
    handle(async (_req, res) => {
      const { reportId } = validated(res).path as { reportId: string };
      res.json(await service.get(reportId, reportViewOf(principalOf(res))));
    }),
  );

  router.get(
    '/:reportId/photo',
    ...read,
    handle(async (_req, res) => {
      const { reportId } = validated(res).path as { reportId: string };
      const p = await service.photo(reportId, reportViewOf(principalOf(res)));
      res
        .type(p.mediaType)
        .set('ETag', `"${p.sha256}"`)
        .set('Cache-Control', 'private, max-age=3600')
        .set('X-Content-Type-Options', 'nosniff')
        .send(p.data);
    }),
  );

  router.post(
    '/:reportId/transitions',
    requireScope('reports:write'),
    validate,
    handle(async (_req, res) => {
      const v = validated(res);
      const { reportId } = v.path as { reportId: string };
      res.json(await service.transition(reportId, v.body as ReportTransitionInput, principalOf(res)));
    }),
  );
  return router;
}

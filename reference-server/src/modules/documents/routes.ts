import express, { Router, type RequestHandler } from 'express';
import { authenticate, principalOf, requireScope, type Verify } from '../../http/auth.js';
import { HttpProblem } from '../../http/problem.js';
import { validated } from '../../http/validate.js';
import type { DocumentDirection, DocumentState } from '../../storage/types.js';
import { type DocumentService, type SendDocumentInput, type StatusInput } from './service.js';
import { handle } from '../../http/request-error.js';

export interface DocumentRoutesOptions {
  /** JSON body limit of `POST /` (base64 attachments). */
  readonly bodyLimitBytes: number;
}

/**
 * `/api/v1/documents`: official documents exchanged through the LGSP. Without a configured axis (no
 * `LGSP_URL` and no demo) every endpoint answers 503 `LGSP_NOT_CONFIGURED` after authentication.
 */
export function documentRoutes(
  service: DocumentService | undefined,
  verify: Verify,
  validate: RequestHandler,
  options: DocumentRoutesOptions,
): Router {
  const router = Router();
  router.use(authenticate(verify));
  const configured: RequestHandler = (_req, _res, next) => {
    if (service !== undefined) {
      next();
      return;
    }
    next(
      new HttpProblem(
        503,
        'LGSP_NOT_CONFIGURED',
        'Service Unavailable',
        'document exchange is off: set LGSP_URL (with LGSP_SYSTEM_ID, LGSP_SECRET_KEY, LGSP_AGENCY_CODE, DOCUMENT_SIGNING_KEY and DOCUMENT_SIGNING_CERT) or run the demo',
      ),
    );
  };
  const svc = () => service as DocumentService;
  const read = [requireScope('documents:read'), configured, validate];
  const json = express.json({ limit: options.bodyLimitBytes });

  router.get(
    '/',
    ...read,
    handle(async (_req, res) => {
      const q = validated(res).query as {
        direction?: DocumentDirection;
        status?: string;
        flagged?: boolean;
        from?: string;
        to?: string;
        limit: number;
        offset: number;
      };
      const from = q.from === undefined ? undefined : new Date(q.from);
      const to = q.to === undefined ? undefined : new Date(q.to);
      if (from !== undefined && to !== undefined && from >= to)
        throw new HttpProblem(400, 'RANGE_INVALID', 'Bad Request', '`from` must be before `to`');
      const items = await svc().list({
        ...(q.direction !== undefined ? { direction: q.direction } : {}),
        ...(q.status !== undefined ? { states: [...new Set(q.status.split(','))] as DocumentState[] } : {}),
        ...(q.flagged !== undefined ? { flagged: q.flagged } : {}),
        ...(from !== undefined ? { from: from.toISOString() } : {}),
        ...(to !== undefined ? { to: to.toISOString() } : {}),
        limit: q.limit,
        offset: q.offset,
      });
      res.json({ items, limit: q.limit, offset: q.offset });
    }),
  );

  router.post(
    '/',
    requireScope('documents:write'),
    configured,
    json,
    validate,
    handle(async (_req, res) => {
      const doc = await svc().send(validated(res).body as SendDocumentInput, principalOf(res).subject);
      res.status(202).location(`/api/v1/documents/${doc.id}`).json(doc);
    }),
  );

  router.get(
    '/:documentId',
    ...read,
    handle(async (_req, res) => {
      const { documentId } = validated(res).path as { documentId: string };
      res.json(await svc().get(documentId));
    }),
  );

  router.get(
    '/:documentId/report',
    ...read,
    handle(async (_req, res) => {
      const { documentId } = validated(res).path as { documentId: string };
      res.json(await svc().reports(documentId));
    }),
  );

  router.get(
    '/:documentId/edxml',
    ...read,
    handle(async (_req, res) => {
      const { documentId } = validated(res).path as { documentId: string };
      const xml = await svc().edxml(documentId);
      res
        .type('application/xml; charset=utf-8')
        .set('X-Content-Type-Options', 'nosniff')
        .set('Content-Disposition', `attachment; filename="${documentId}.edxml"`)
        .send(xml);
    }),
  );

  router.post(
    '/:documentId/status',
    requireScope('documents:write'),
    configured,
    express.json({ limit: '64kb' }),
    validate,
    handle(async (_req, res) => {
      const v = validated(res);
      const { documentId } = v.path as { documentId: string };
      res
        .status(202)
        .json(await svc().recordStatus(documentId, v.body as StatusInput, principalOf(res).subject));
    }),
  );
  return router;
}

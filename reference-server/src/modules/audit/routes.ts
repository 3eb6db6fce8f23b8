import { Router } from 'express';
import type { components } from '../../generated/reference-server.js';
import { authenticate, requireScope, type Verify } from '../../http/auth.js';
import { validated } from '../../http/validate.js';
import type { RequestHandler } from 'express';
import type { AuditLog } from '../../storage/types.js';

type Schemas = components['schemas'];

/** `/api/v1/audit`: read the audit log and verify its chain. */
export function auditRoutes(audit: AuditLog, verify: Verify, validate: RequestHandler): Router {
  const router = Router();
  router.use(authenticate(verify), requireScope('audit:read'), validate);

  router.get('/', async (_req, res) => {
    const { afterSeq, limit } = validated(res).query as { afterSeq: number; limit: number };
    // Fetch one extra record to know whether another page follows.
    const rows = await audit.list({ afterSeq, limit: Math.min(limit + 1, 1000) });
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    const body: Schemas['AuditPage'] = {
      items,
      ...(rows.length > limit && last !== undefined ? { nextAfterSeq: last.seq } : {}),
    };
    res.json(body);
  });

  router.get('/verify', async (_req, res) => {
    const body: Schemas['AuditVerification'] = await audit.verify();
    res.json(body);
  });
  return router;
}

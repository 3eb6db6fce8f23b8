import { Router } from 'express';
import type { components } from '../../generated/reference-server.js';
import { authenticate, requireScope, type Verify } from '../../http/auth.js';
import { HttpProblem } from '../../http/problem.js';
import type { AuditLog } from '../../storage/types.js';

type Schemas = components['schemas'];

function intParam(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) {
    throw new HttpProblem(400, 'INVALID_PARAMETER', 'Bad Request', `${name} must be an integer`, {
      parameter: name,
    });
  }
  const n = Number(value);
  if (n < min || n > max) {
    throw new HttpProblem(
      400,
      'INVALID_PARAMETER',
      'Bad Request',
      `${name} must be between ${min} and ${max}`,
      {
        parameter: name,
      },
    );
  }
  return n;
}

/** `/api/v1/audit`: read the audit log and verify its chain. */
export function auditRoutes(audit: AuditLog, verify: Verify): Router {
  const router = Router();
  router.use(authenticate(verify), requireScope('audit:read'));

  router.get('/', async (req, res) => {
    const afterSeq = intParam(req.query.afterSeq, 'afterSeq', 0, Number.MAX_SAFE_INTEGER, 0);
    const limit = intParam(req.query.limit, 'limit', 1, 1000, 100);
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

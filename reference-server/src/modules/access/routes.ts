import { Router, type RequestHandler } from 'express';
import type { components } from '../../generated/reference-server.js';
import { authenticate, principalOf, type Verify } from '../../http/auth.js';

type Schemas = components['schemas'];

/** `/api/v1/me`: the authenticated caller, its roles and effective scopes. */
export function accessRoutes(verify: Verify, validate: RequestHandler): Router {
  const router = Router();
  router.use(authenticate(verify), validate);
  router.get('/', (_req, res) => {
    const p = principalOf(res);
    const body: Schemas['Caller'] = {
      subject: p.subject,
      roles: [...p.roles],
      scopes: [...p.scopes].sort(),
      ...(p.department === undefined ? {} : { department: p.department }),
      ...(p.area === undefined ? {} : { area: p.area }),
      expiresAt: new Date(p.expiresAt * 1000).toISOString(),
    };
    res.json(body);
  });
  return router;
}

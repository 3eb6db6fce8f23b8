import { Router, type RequestHandler } from 'express';
import { authenticate, principalOf, requireScope, type Verify } from '../../http/auth.js';
import { HttpProblem } from '../../http/problem.js';
import { validated } from '../../http/validate.js';
import type { Hl7DeliveryState } from '../../storage/types.js';
import { canReadHealth, type FacilityInput, type HealthService } from './service.js';
import { handle } from '../../http/request-error.js';

/** Beyond the scope: a department sees health data only when it is the health department. */
const healthOnly: RequestHandler = (_req, _res, next) => {
  if (canReadHealth(principalOf(_res))) {
    next();
    return;
  }
  next(
    new HttpProblem(
      403,
      'OUT_OF_SCOPE',
      'Forbidden',
      'health data is shared with the health department, province leadership and operators',
    ),
  );
};

/** `/api/v1/health`: the facility registry, the HL7 v2 messages received, and a summary with the KPIs. */
export function healthRoutes(service: HealthService, verify: Verify, validate: RequestHandler): Router {
  const router = Router();
  router.use(authenticate(verify));
  const read = [requireScope('health:read'), healthOnly, validate];
  const write = [requireScope('facilities:write'), validate];

  router.get('/facilities', ...read, (_req, res) => {
    res.json({ items: service.listFacilities() });
  });

  router.post(
    '/facilities',
    ...write,
    handle(async (_req, res) => {
      const input = validated(res).body as FacilityInput;
      if (service.listFacilities().some((f) => f.id === input.id))
        throw new HttpProblem(
          409,
          'FACILITY_EXISTS',
          'Conflict',
          `a facility "${input.id}" is already registered`,
        );
      const { facility } = await service.putFacility(input, principalOf(res).subject);
      res.status(201).location(`/api/v1/health/facilities/${facility.id}`).json(facility);
    }),
  );

  router.get(
    '/facilities/:facilityId',
    ...read,
    handle(async (_req, res) => {
      const { facilityId } = validated(res).path as { facilityId: string };
      res.json(await service.getFacility(facilityId));
    }),
  );

  router.put(
    '/facilities/:facilityId',
    ...write,
    handle(async (_req, res) => {
      const v = validated(res);
      const { facilityId } = v.path as { facilityId: string };
      const body = v.body as Omit<FacilityInput, 'id'> & { id?: string };
      if (body.id !== undefined && body.id !== facilityId)
        throw new HttpProblem(400, 'INVALID_REQUEST', 'Bad Request', 'body id: must match the path', {
          errors: [{ in: 'body', name: 'id', message: 'must match the path' }],
        });
      const { facility, created } = await service.putFacility(
        { ...body, id: facilityId },
        principalOf(res).subject,
      );
      res.status(created ? 201 : 200).json(facility);
    }),
  );

  router.get(
    '/messages',
    ...read,
    handle(async (_req, res) => {
      const q = validated(res).query as {
        facility?: string;
        type?: string;
        delivery?: Hl7DeliveryState;
        from?: string;
        to?: string;
        limit: number;
        offset: number;
      };
      if (q.from !== undefined && q.to !== undefined && Date.parse(q.from) >= Date.parse(q.to))
        throw new HttpProblem(400, 'INVALID_REQUEST', 'Bad Request', 'query from: must be before to', {
          errors: [{ in: 'query', name: 'from', message: 'must be before to' }],
        });
      const items = await service.listMessages({
        ...(q.facility === undefined ? {} : { facility: q.facility }),
        ...(q.type === undefined ? {} : { type: q.type }),
        ...(q.delivery === undefined ? {} : { delivery: q.delivery }),
        ...(q.from === undefined ? {} : { from: new Date(q.from).toISOString() }),
        ...(q.to === undefined ? {} : { to: new Date(q.to).toISOString() }),
        limit: q.limit + 1,
        offset: q.offset,
      });
      const more = items.length > q.limit;
      res.json({
        items: items.slice(0, q.limit),
        ...(more ? { nextOffset: q.offset + q.limit } : {}),
      });
    }),
  );

  router.get(
    '/messages/:messageId',
    ...read,
    handle(async (_req, res) => {
      const { messageId } = validated(res).path as { messageId: string };
      res.json(await service.getMessage(messageId, principalOf(res)));
    }),
  );

  router.get(
    '/summary',
    ...read,
    handle(async (_req, res) => {
      res.json(await service.summary());
    }),
  );
  return router;
}

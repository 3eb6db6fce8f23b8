import { Router, type RequestHandler, type Response } from 'express';
import type { EventBus, IocEvent } from '../../events/types.js';
import { EVENT_TYPE } from '../../events/types.js';
import type { Principal } from '../../auth/roles.js';
import { authenticate, principalOf, requireScope, type Verify } from '../../http/auth.js';
import { HttpProblem } from '../../http/problem.js';

export interface EventStreamOptions {
  /** Milliseconds between keep-alive comments. Default 15000. */
  readonly heartbeatMs?: number;
  /** Gauge of open streams. */
  readonly clients?: { inc(): void; dec(): void };
  /** Whether a caller may see an event (sharing by level and authority); every event when absent. */
  readonly canSee?: (principal: Principal, event: IocEvent) => boolean | Promise<boolean>;
}

/** Open Server-Sent Events responses, so shutdown can end them instead of waiting for them. */
export interface EventStreams {
  readonly router: Router;
  /** Ends every open stream. */
  closeAll(): void;
}

function frame(e: IocEvent): string {
  return `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
}

/**
 * `GET /api/v1/events`: the bus as Server-Sent Events. Browsers' EventSource cannot set headers, so the
 * bearer token may also come as `?access_token=` (RFC 6750 §2.3). `Last-Event-ID` replays what this
 * instance still remembers. Each event is checked against `canSee` for the caller before it is sent.
 */
export function eventRoutes(
  bus: EventBus,
  verify: Verify,
  validate: RequestHandler,
  options: EventStreamOptions = {},
): EventStreams {
  const open = new Map<Response, AbortController>();
  const router = Router();
  router.use((req, _res, next) => {
    const token = req.query.access_token;
    if (typeof token === 'string' && req.headers.authorization === undefined) {
      req.headers.authorization = `Bearer ${token}`;
    }
    next();
  });
  router.use(authenticate(verify), requireScope('events:read'), validate);
  router.get('/', (req, res) => {
    const raw = req.query.types;
    let types: string[] | undefined;
    if (raw !== undefined) {
      if (typeof raw !== 'string')
        throw new HttpProblem(
          400,
          'INVALID_PARAMETER',
          'Bad Request',
          'types must be a comma-separated list',
        );
      types = raw
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const bad = types.find((t) => !EVENT_TYPE.test(t));
      if (bad !== undefined) {
        const message = `"${bad}" is not an event type`;
        throw new HttpProblem(400, 'INVALID_REQUEST', 'Bad Request', `query types: ${message}`, {
          errors: [{ in: 'query', name: 'types', message }],
        });
      }
    }
    const controller = new AbortController();
    res.status(200);
    res.set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      // The socket is closed when the stream ends, so shutdown never waits on an idle keep-alive.
      Connection: 'close',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write('retry: 3000\n\n');
    open.set(res, controller);
    options.clients?.inc();
    // Subscribe before replaying so nothing published in between is lost; skip replayed ids.
    const live = bus.subscribe({ ...(types === undefined ? {} : { types }), signal: controller.signal });
    const principal = principalOf(res);
    const visible = async (e: IocEvent) =>
      options.canSee === undefined || (await options.canSee(principal, e));
    const lastId = req.get('last-event-id');
    const replayed = new Set<string>();
    const replay = lastId === undefined ? [] : bus.recent(lastId, types);
    const heartbeat = setInterval(() => res.write(`: keep-alive\n\n`), options.heartbeatMs ?? 15_000);
    const stop = () => {
      clearInterval(heartbeat);
      controller.abort();
      if (open.delete(res)) options.clients?.dec();
    };
    req.on('close', stop);
    void (async () => {
      try {
        for (const e of replay) {
          replayed.add(e.id);
          if (await visible(e)) res.write(frame(e));
        }
        for await (const e of live) {
          if (replayed.has(e.id)) continue;
          if (await visible(e)) res.write(frame(e));
        }
      } catch {
        // Overflow: the client reconnects with Last-Event-ID.
      } finally {
        stop();
        res.end();
      }
    })();
  });
  return {
    router,
    closeAll() {
      for (const controller of open.values()) controller.abort();
    },
  };
}

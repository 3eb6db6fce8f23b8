import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The server's Prometheus metrics, in a registry of its own (no global state). */
export interface Metrics {
  readonly registry: Registry;
  /** Counts and times every request, labelled by route template (never by raw URL). */
  readonly middleware: RequestHandler;
  readonly sseClients: Gauge;
  readonly eventsPublished: Counter<'type'>;
  readonly mqttMessages: Counter<'outcome'>;
}

export function createMetrics(options: { readonly defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'ioc-reference-server' });
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'ioc_http_requests_total',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'ioc_http_request_duration_seconds',
    help: 'HTTP request latency by method and route template',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const sseClients = new Gauge({
    name: 'ioc_sse_clients',
    help: 'Open Server-Sent Events streams',
    registers: [registry],
  });
  const eventsPublished = new Counter({
    name: 'ioc_events_published_total',
    help: 'Events published on the bus by this instance, by type',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const mqttMessages = new Counter({
    name: 'ioc_mqtt_messages_total',
    help: 'MQTT readings by outcome: stored, duplicate or rejected',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  // The counter and histogram children of each method, route and status (bounded, as the labels are),
  // so a request does not hash its labels twice.
  const children = new Map<
    string,
    { readonly requests: { inc: () => void }; readonly duration: { observe: (v: number) => void } }
  >();
  const middleware: RequestHandler = (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      // The matched route template keeps label cardinality bounded; anything unmatched is one bucket.
      const routePath = (req.route as { path?: unknown } | undefined)?.path;
      const route =
        typeof routePath === 'string'
          ? `${req.baseUrl}${routePath === '/' && req.baseUrl ? '' : routePath}`
          : res.statusCode === 404
            ? 'unmatched'
            : 'static';
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const key = `${req.method} ${route} ${res.statusCode}`;
      let child = children.get(key);
      if (child === undefined) {
        child = {
          requests: requests.labels({ method: req.method, route, status: String(res.statusCode) }),
          duration: duration.labels({ method: req.method, route }),
        };
        children.set(key, child);
      }
      child.requests.inc();
      child.duration.observe(seconds);
    });
    next();
  };
  return { registry, middleware, sseClients, eventsPublished, mqttMessages };
}

import type { Request, RequestHandler } from 'express';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

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
  const http = new RequestMetrics(registry, [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]);
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
  const middleware: RequestHandler = (req, res, next) => {
    const start = performance.now();
    res.on('finish', () => http.record(req, res.statusCode, (performance.now() - start) / 1000));
    next();
  };
  return { registry, middleware, sseClients, eventsPublished, mqttMessages };
}

interface MetricValue {
  readonly labels: Record<string, string | number>;
  readonly value: number;
  readonly metricName?: string;
}

/**
 * Registers a metric whose values are computed when scraped, in the shape prom-client's registry
 * renders (text and JSON); `reset` is what `registry.resetMetrics()` calls.
 */
function register(
  registry: Registry,
  name: string,
  help: string,
  type: 'counter' | 'histogram',
  source: { readonly values: () => MetricValue[]; readonly reset: () => void },
): void {
  registry.registerMetric({
    name,
    help,
    type,
    reset: source.reset,
    get: () => ({ name, help, type, aggregator: 'sum', values: source.values() }),
  } as unknown as Counter);
}

interface Series {
  readonly labels: Record<string, string>;
  count: number;
  sum: number;
  /** Per bucket (not cumulative); the last one is +Inf. */
  readonly buckets?: Float64Array;
}

/**
 * `ioc_http_requests_total` and `ioc_http_request_duration_seconds`, kept as plain numbers per route
 * template and rendered by the registry when scraped. A request costs a map lookup and a few
 * additions: prom-client's own counters validate and hash their labels on every call.
 */
class RequestMetrics {
  /** By route object (then base URL): the template, so it is built once per route, not per request. */
  readonly #templates = new WeakMap<object, { baseUrl: string; template: string }>();
  readonly #requests = new Map<string, Series>();
  readonly #durations = new Map<string, Series>();

  constructor(
    registry: Registry,
    readonly bounds: readonly number[],
  ) {
    const requests = this.#requests;
    const durations = this.#durations;
    register(
      registry,
      'ioc_http_requests_total',
      'HTTP requests by method, route template and status',
      'counter',
      {
        values: () => [...requests.values()].map((r) => ({ labels: r.labels, value: r.count })),
        reset: () => requests.clear(),
      },
    );
    const name = 'ioc_http_request_duration_seconds';
    register(registry, name, 'HTTP request latency by method and route template', 'histogram', {
      values: () =>
        [...durations.values()].flatMap((d) => {
          let cumulative = 0;
          const buckets = d.buckets as Float64Array;
          return [
            ...[...bounds, Number.POSITIVE_INFINITY].map((le, i) => {
              cumulative += buckets[i] ?? 0;
              return {
                metricName: `${name}_bucket`,
                labels: { ...d.labels, le: le === Number.POSITIVE_INFINITY ? '+Inf' : le },
                value: cumulative,
              };
            }),
            { metricName: `${name}_sum`, labels: d.labels, value: d.sum },
            { metricName: `${name}_count`, labels: d.labels, value: d.count },
          ];
        }),
      reset: () => durations.clear(),
    });
  }

  /** The matched route template keeps label cardinality bounded; anything unmatched is one bucket. */
  #route(req: Request, status: number): string {
    const route = req.route as { path?: unknown } | undefined;
    if (route === undefined || typeof route.path !== 'string') return status === 404 ? 'unmatched' : 'static';
    const known = this.#templates.get(route);
    if (known !== undefined && known.baseUrl === req.baseUrl) return known.template;
    const template = `${req.baseUrl}${route.path === '/' && req.baseUrl ? '' : route.path}`;
    this.#templates.set(route, { baseUrl: req.baseUrl, template });
    return template;
  }

  record(req: Request, status: number, seconds: number): void {
    const route = this.#route(req, status);
    const method = req.method;
    const key = `${method} ${route}`;
    let d = this.#durations.get(key);
    if (d === undefined) {
      d = { labels: { method, route }, count: 0, sum: 0, buckets: new Float64Array(this.bounds.length + 1) };
      this.#durations.set(key, d);
    }
    d.count++;
    d.sum += seconds;
    let i = 0;
    while (i < this.bounds.length && seconds > (this.bounds[i] as number)) i++;
    (d.buckets as Float64Array)[i] = ((d.buckets as Float64Array)[i] ?? 0) + 1;
    const rkey = `${key} ${status}`;
    let r = this.#requests.get(rkey);
    if (r === undefined) {
      r = { labels: { method, route, status: String(status) }, count: 0, sum: 0 };
      this.#requests.set(rkey, r);
    }
    r.count++;
  }
}

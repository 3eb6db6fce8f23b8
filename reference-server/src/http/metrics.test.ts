import express from 'express';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';

describe('request metrics', () => {
  it('count and time by route template, as text and JSON, and reset', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const app = express();
    app.use(metrics.middleware);
    app.get('/things/:id', (_req, res) => {
      res.json({});
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const path of ['/things/1', '/things/2', '/things/3', '/nothing'])
        await (await fetch(base + path)).text();
    } finally {
      server.close();
    }
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'ioc_http_requests_total{method="GET",route="/things/:id",status="200",service="ioc-reference-server"} 3',
    );
    expect(text).toContain(
      'ioc_http_requests_total{method="GET",route="unmatched",status="404",service="ioc-reference-server"} 1',
    );
    expect(text).toContain(
      'ioc_http_request_duration_seconds_count{method="GET",route="/things/:id",service="ioc-reference-server"} 3',
    );
    const json = await metrics.registry.getMetricsAsJSON();
    const requests = json.find((m) => m.name === 'ioc_http_requests_total');
    expect(requests?.type).toBe('counter');
    expect(requests?.values.find((v) => v.labels.route === '/things/:id')?.value).toBe(3);
    metrics.registry.resetMetrics();
    expect(await metrics.registry.metrics()).not.toContain('route="/things/:id"');
  });
});

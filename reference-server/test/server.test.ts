import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, silentLogger, startServer, type RunningServer } from '../src/index.js';
import openapiDocument from '../src/generated/openapi.json';
import { contractErrors } from './contract.js';

let dataDir: string;
let server: RunningServer;

async function get(pathname: string) {
  const res = await fetch(new URL(pathname, server.url));
  const type = (res.headers.get('content-type') ?? '').split(';')[0] ?? '';
  const text = await res.text();
  return {
    status: res.status,
    type,
    text,
    json: type.endsWith('json') ? (JSON.parse(text) as unknown) : undefined,
  };
}

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-server-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    DEMO: 'false',
  });
  server = await startServer(config, silentLogger);
});

afterEach(async () => {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('operations endpoints', () => {
  it('GET /health answers 200 with the documented body', async () => {
    const r = await get('/health');
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/json');
    expect(contractErrors('GET', '/health', 200, 'application/json', r.json)).toEqual([]);
    expect(r.json).toMatchObject({ status: 'ok', service: '@dttm/reference-server', version: '0.1.0' });
  });

  it('GET /ready answers 200 when SQLite answers', async () => {
    const r = await get('/ready');
    expect(r.status).toBe(200);
    expect(contractErrors('GET', '/ready', 200, 'application/json', r.json)).toEqual([]);
    expect(r.json).toMatchObject({ status: 'ready', checks: { storage: { status: 'up', kind: 'sqlite' } } });
    expect(fs.existsSync(path.join(dataDir, 'ioc.sqlite'))).toBe(true);
  });

  it('GET /ready answers 503 problem+json when storage is gone, while /health stays 200', async () => {
    await server.storage.close();
    const r = await get('/ready');
    expect(r.status).toBe(503);
    expect(r.type).toBe('application/problem+json');
    expect(contractErrors('GET', '/ready', 503, 'application/problem+json', r.json)).toEqual([]);
    expect(r.json).toMatchObject({
      code: 'NOT_READY',
      checks: { storage: { status: 'down', error: 'storage is closed' } },
    });
    expect((await get('/health')).status).toBe(200);
  });

  it('GET /openapi.json serves the bundled specification', async () => {
    const r = await get('/openapi.json');
    expect(r.status).toBe(200);
    expect(r.json).toEqual(openapiDocument);
    expect(contractErrors('GET', '/openapi.json', 200, 'application/json', r.json)).toEqual([]);
  });

  it('GET /metrics exposes request counts by route template and the event metrics', async () => {
    await get('/health');
    await get('/health');
    await get('/no/such/thing');
    await server.bus.publish('kpi.alert.raised', { n: 1 });
    const r = await get('/metrics');
    expect(r.status).toBe(200);
    expect(r.type).toBe('text/plain');
    expect(r.text).toContain(
      'ioc_http_requests_total{method="GET",route="/health",status="200",service="ioc-reference-server"} 2',
    );
    expect(r.text).toContain(
      'ioc_http_requests_total{method="GET",route="unmatched",status="404",service="ioc-reference-server"} 1',
    );
    expect(r.text).toContain('# TYPE ioc_http_request_duration_seconds histogram');
    expect(r.text).toContain(
      'ioc_http_request_duration_seconds_count{method="GET",route="/health",service="ioc-reference-server"} 2',
    );
    expect(r.text).toContain(
      'ioc_http_request_duration_seconds_bucket{method="GET",route="/health",le="+Inf",service="ioc-reference-server"} 2',
    );
    // Buckets are cumulative: each is at least the one before, and the last is the count.
    const buckets = [
      ...r.text.matchAll(
        /^ioc_http_request_duration_seconds_bucket\{method="GET",route="\/health",le="([^"]+)".*\} (\d+)$/gm,
      ),
    ].map((m) => Number(m[2]));
    expect(buckets).toHaveLength(12);
    expect(buckets.every((n, i) => i === 0 || n >= (buckets[i - 1] as number))).toBe(true);
    expect(r.text).toContain(
      'ioc_events_published_total{type="kpi.alert.raised",service="ioc-reference-server"} 1',
    );
    await server.bus.publishAll('kpi.observation.recorded', [
      { data: { n: 1 } },
      { data: { n: 2 }, subject: 'observation:x' },
    ]);
    const again = await get('/metrics');
    expect(again.text).toContain(
      'ioc_events_published_total{type="kpi.observation.recorded",service="ioc-reference-server"} 2',
    );
    expect(r.text).toContain('ioc_sse_clients{service="ioc-reference-server"} 0');
    expect(r.text).toContain('process_cpu_user_seconds_total');
  });

  it('unknown routes answer 404 problem+json', async () => {
    const r = await get('/api/v1/nothing-here');
    expect(r.status).toBe(404);
    expect(r.type).toBe('application/problem+json');
    expect(r.json).toEqual({
      type: 'https://dttm.vn/problems/not-found',
      title: 'Not Found',
      status: 404,
      code: 'NOT_FOUND',
      detail: 'No resource at GET /api/v1/nothing-here',
      instance: '/api/v1/nothing-here',
    });
  });

  it('GET /docs serves the readable API page and its script', async () => {
    const r = await get('/docs');
    expect(r.status).toBe(200);
    expect(r.type).toBe('text/html');
    expect(r.text).toContain('<script src="docs.js" type="module"></script>');
    const js = await get('/docs.js');
    expect(js.status).toBe(200);
    expect(js.text).toContain("fetch('openapi.json')");
  });

  it('serves the dashboard at /', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.type).toBe('text/html');
    expect(r.text).toContain('Trung tâm Điều hành thông minh tỉnh Bắc Giang');
  });
});

describe('lifecycle', () => {
  it('refuses a port that is taken, without leaking the database handle', async () => {
    const config = loadConfig({
      PORT: String(server.port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DEMO: 'false',
    });
    await expect(startServer(config, silentLogger)).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('close() is idempotent and stops accepting connections', async () => {
    const url = server.url;
    await server.close();
    await server.close();
    await expect(fetch(new URL('/health', url))).rejects.toThrow();
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { problemHandler } from './problem.js';
import { openApiValidator, validated } from './validate.js';

const doc = {
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: {
    '/stations/{id}': {
      parameters: [
        { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^BG-\\d{2}$' } },
      ],
      get: {
        operationId: 'getStation',
        parameters: [{ $ref: '#/components/parameters/Hours' }],
        responses: { '200': { description: 'ok' } },
      },
    },
    '/stations/nearest': {
      get: { operationId: 'nearest', responses: { '200': { description: 'ok' } } },
    },
    '/readings': {
      post: {
        operationId: 'postReading',
        parameters: [{ name: 'X-Station-Key', in: 'header', required: true, schema: { type: 'string' } }],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Reading' } } },
        },
        responses: { '201': { description: 'created' } },
      },
    },
  },
  components: {
    parameters: {
      Hours: { name: 'hours', in: 'query', schema: { type: 'integer', minimum: 1, default: 24 } },
    },
    schemas: {
      Reading: {
        type: 'object',
        required: ['pm25', 'at'],
        properties: { pm25: { type: 'number', minimum: 0 }, at: { type: 'string', format: 'date-time' } },
        additionalProperties: false,
      },
    },
  },
};

let server: http.Server;
let base = '';
beforeAll(async () => {
  const app = express();
  app.use(express.json());
  app.use(openApiValidator(doc));
  app.get('/stations/nearest', (_req, res) => void res.json({ op: validated(res).operationId }));
  app.get('/stations/:id', (_req, res) => void res.json(validated(res)));
  app.post('/readings', (_req, res) => void res.status(201).json(validated(res).body));
  app.use(problemHandler(silentLogger));
  server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const json = async (res: Response) => ({
  status: res.status,
  body: (await res.json()) as Record<string, unknown>,
});

describe('openApiValidator', () => {
  it('coerces query parameters, applies defaults and checks path parameters', async () => {
    expect(await json(await fetch(`${base}/stations/BG-01?hours=6`))).toEqual({
      status: 200,
      body: { operationId: 'getStation', query: { hours: 6 }, path: { id: 'BG-01' } },
    });
    expect((await json(await fetch(`${base}/stations/BG-01`))).body.query).toEqual({ hours: 24 });
    const bad = await json(await fetch(`${base}/stations/HN-1?hours=0`));
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      { in: 'query', name: 'hours', message: 'must be >= 1' },
      { in: 'path', name: 'id', message: 'must match pattern "^BG-\\d{2}$"' },
    ]);
  });

  it('prefers a literal path over a templated one', async () => {
    expect((await json(await fetch(`${base}/stations/nearest`))).body).toEqual({ op: 'nearest' });
  });

  it('validates JSON bodies and required headers', async () => {
    const post = (body: string, headers: Record<string, string> = { 'x-station-key': 'k' }) =>
      fetch(`${base}/readings`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', ...headers },
      });
    expect(await json(await post('{"pm25": 35.5, "at": "2026-11-28T08:00:00+07:00"}'))).toEqual({
      status: 201,
      body: { pm25: 35.5, at: '2026-11-28T08:00:00+07:00' },
    });
    const wrong = await json(await post('{"pm25": "high", "extra": 1}'));
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([
      { in: 'body', name: 'at', message: "must have required property 'at'" },
      { in: 'body', name: '(body)', message: 'must NOT have additional properties' },
      { in: 'body', name: 'pm25', message: 'must be number' },
    ]);
    const noHeader = await json(await post('{"pm25": 1, "at": "2026-11-28T08:00:00Z"}', {}));
    expect(noHeader.body.errors).toEqual([
      { in: 'header', name: 'x-station-key', message: "must have required property 'x-station-key'" },
    ]);
    const broken = await json(await post('{"pm25": '));
    expect(broken).toMatchObject({ status: 400, body: { code: 'INVALID_JSON' } });
    const empty = await json(
      await fetch(`${base}/readings`, { method: 'POST', headers: { 'x-station-key': 'k' } }),
    );
    expect(empty.body.errors).toEqual([{ in: 'body', name: '(body)', message: 'a JSON body is required' }]);
  });
});

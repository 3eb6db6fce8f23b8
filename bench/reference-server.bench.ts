/**
 * The reference server against bare baselines on the same machine, both in this process on loopback,
 * driven by the same keep-alive client with 32 requests in flight per operation:
 *
 * - `health-endpoint`: `GET /health` through Express and the middleware stack vs a bare `node:http`
 *   handler answering the same JSON (the framework layer's cost per request).
 * - `readings-ingest-<store>`: `POST /api/v1/environment/stations/{id}/readings` (JWT verification,
 *   OpenAPI validation, one transaction with the audit record, events) vs a bare Express handler that
 *   parses the same JSON body and answers 202 — on SQLite and on PostgreSQL.
 * - `observations-ingest-<store>`: `POST /api/v1/kpi/observations` with 10 keyed observations per
 *   request (JWT, per-item validation by @dttm/ioc-kpi against the profile, one transaction with the
 *   audit record, one event per observation) vs the same bare Express handler shape.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { ensureDemoIssuer, mintToken } from '../reference-server/src/auth/demo.js';
import { loadConfig, silentLogger, startServer, type RunningServer } from '../reference-server/src/index.js';
import { defineBench } from './harness.js';
import { observationBodies, readingBodies } from './ingest-bodies.js';
import { pgAdmin } from '../reference-server/test/pg.js';

const IN_FLIGHT = 32;
const BATCH = 10;
const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
const pgDb = `ioc_bench_${randomBytes(4).toString('hex')}`;

let sqliteServer: RunningServer | undefined;
let pgServer: RunningServer | undefined;
let bare: http.Server | undefined;
let bareExpress: http.Server | undefined;
const dirs: string[] = [];
const tokens = new Map<RunningServer, string>();

function request(
  port: number,
  method: string,
  pathname: string,
  body?: string,
  token?: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: pathname,
        method,
        agent,
        headers: {
          ...(body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
      },
      (res) => {
        if ((res.statusCode ?? 500) >= 300)
          reject(new Error(`${method} ${pathname}: status ${res.statusCode}`));
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const burst = (fn: () => Promise<void>) => Promise.all(Array.from({ length: IN_FLIGHT }, fn));

const batchBody = readingBodies(BATCH, new Date(Date.UTC(2026, 0, 1)));
const observationsBody = observationBodies(BATCH, 'bench');

async function startIoc(extra: Record<string, string>): Promise<RunningServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-bench-'));
  dirs.push(dataDir);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    DEMO: 'false',
    // One client at full speed: the per-caller budget would answer 429.
    API_RATE_PER_MINUTE: '0',
    ...extra,
  });
  const server = await startServer(config, silentLogger);
  // Alerts are derived after ingests; keep that work out of the request path being measured.
  await server.kpi.close();
  await server.storage.environment.createStation({
    id: 'BG-KK-01',
    name: 'Bench',
    kind: 'air',
    location: { lat: 21.27, lon: 106.19 },
  });
  tokens.set(
    server,
    mintToken(ensureDemoIssuer(dataDir), {
      issuer: config.auth.issuer,
      audience: config.auth.audience,
      subject: 'bench-station',
      roles: ['machine'],
    }),
  );
  return server;
}

const listen = (server: http.Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

let barePort = 0;
let bareExpressPort = 0;
/** Servers are started in setup(), so look them up when the operation runs. */
const ingest = (which: () => RunningServer | undefined) => () => {
  const s = which();
  if (s === undefined) throw new Error('setup() did not start the server');
  const token = tokens.get(s);
  return burst(() =>
    request(s.port, 'POST', '/api/v1/environment/stations/BG-KK-01/readings', batchBody(), token),
  );
};

const observe = (which: () => RunningServer | undefined) => () => {
  const s = which();
  if (s === undefined) throw new Error('setup() did not start the server');
  const token = tokens.get(s);
  return burst(() => request(s.port, 'POST', '/api/v1/kpi/observations', observationsBody(), token));
};

export default defineBench({
  name: 'reference-server',
  async setup() {
    sqliteServer = await startIoc({});
    await pgAdmin(`CREATE DATABASE ${pgDb}`);
    pgServer = await startIoc({ DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${pgDb}` });
    const started = performance.now();
    bare = http.createServer((_req, res) => {
      const body = JSON.stringify({
        status: 'ok',
        service: '@dttm/reference-server',
        version: '0.1.0',
        uptimeSeconds: (performance.now() - started) / 1000,
      });
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
    barePort = await listen(bare);
    const app = express();
    app.use(express.json({ limit: '1mb' }));
    app.post('/api/v1/environment/stations/:id/readings', (req, res) => {
      res
        .status(202)
        .json({ accepted: (req.body as { readings: unknown[] }).readings.length, duplicates: 0 });
    });
    app.post('/api/v1/kpi/observations', (req, res) => {
      res.status(202).json({
        accepted: (req.body as { observations: unknown[] }).observations.length,
        duplicates: 0,
        rejected: [],
      });
    });
    bareExpress = http.createServer(app);
    bareExpressPort = await listen(bareExpress);
  },
  async teardown() {
    agent.destroy();
    await sqliteServer?.close();
    await pgServer?.close();
    await new Promise<void>((resolve) => (bare ? bare.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (bareExpress ? bareExpress.close(() => resolve()) : resolve()));
    await pgAdmin(`DROP DATABASE IF EXISTS ${pgDb} WITH (FORCE)`).catch(() => undefined);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  },
  comparisons: [
    {
      name: 'health-endpoint',
      peer: 'node:http',
      unit: 'req',
      itemsPerOp: IN_FLIGHT,
      ours: () => burst(() => request(sqliteServer?.port ?? 0, 'GET', '/health')),
      theirs: () => burst(() => request(barePort, 'GET', '/health')),
    },
    {
      name: 'readings-ingest-sqlite',
      peer: 'express-bare',
      unit: 'req',
      itemsPerOp: IN_FLIGHT,
      ours: ingest(() => sqliteServer),
      theirs: () =>
        burst(() =>
          request(bareExpressPort, 'POST', '/api/v1/environment/stations/BG-KK-01/readings', batchBody()),
        ),
    },
    {
      name: 'readings-ingest-postgres',
      peer: 'express-bare',
      unit: 'req',
      itemsPerOp: IN_FLIGHT,
      ours: ingest(() => pgServer),
      theirs: () =>
        burst(() =>
          request(bareExpressPort, 'POST', '/api/v1/environment/stations/BG-KK-01/readings', batchBody()),
        ),
    },
    {
      name: 'observations-ingest-sqlite',
      peer: 'express-bare',
      unit: 'req',
      itemsPerOp: IN_FLIGHT,
      ours: observe(() => sqliteServer),
      theirs: () =>
        burst(() => request(bareExpressPort, 'POST', '/api/v1/kpi/observations', observationsBody())),
    },
    {
      name: 'observations-ingest-postgres',
      peer: 'express-bare',
      unit: 'req',
      itemsPerOp: IN_FLIGHT,
      ours: observe(() => pgServer),
      theirs: () =>
        burst(() => request(bareExpressPort, 'POST', '/api/v1/kpi/observations', observationsBody())),
    },
  ],
});

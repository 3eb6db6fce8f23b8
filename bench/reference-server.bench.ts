/**
 * The reference server's `GET /health` through Express, its storage and middleware, against a bare
 * `node:http` handler answering the same JSON: the cost of the framework layer per request.
 * Both run in this process on loopback and are driven by the same keep-alive client, 32 requests
 * in flight per operation.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, silentLogger, startServer, type RunningServer } from '../reference-server/src/index.js';
import { defineBench } from './harness.js';

const IN_FLIGHT = 32;
let ours: RunningServer | undefined;
let bare: http.Server | undefined;
let barePort = 0;
let dataDir = '';
const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });

function getOnce(port: number, pathname: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathname, agent }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
  });
}

function burst(port: number): Promise<void[]> {
  return Promise.all(Array.from({ length: IN_FLIGHT }, () => getOnce(port, '/health')));
}

export default defineBench({
  name: 'reference-server',
  async setup() {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-bench-'));
    ours = await startServer(
      loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO: 'false' }),
      silentLogger,
    );
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
    await new Promise<void>((resolve) => bare?.listen(0, '127.0.0.1', resolve));
    barePort = (bare.address() as AddressInfo).port;
  },
  async teardown() {
    agent.destroy();
    await ours?.close();
    await new Promise<void>((resolve) => (bare ? bare.close(() => resolve()) : resolve()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  },
  comparisons: [
    {
      name: 'health-endpoint',
      peer: 'node:http',
      unit: 'req',
      itemsPerOp: IN_FLIGHT,
      ours: () => burst(ours?.port ?? 0),
      theirs: () => burst(barePort),
    },
  ],
});

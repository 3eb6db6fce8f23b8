import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoIssuer, mintToken, type MintOptions } from '../src/auth/demo.js';
import { loadConfig, silentLogger, startServer, type RunningServer } from '../src/index.js';
import { contractErrors } from './contract.js';

let dataDir: string;
let server: RunningServer;
let token: (o: Partial<MintOptions> & Pick<MintOptions, 'roles'>) => string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-audit-api-'));
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO: 'false' });
  server = await startServer(config, silentLogger);
  const issuer = ensureDemoIssuer(dataDir);
  token = (o) =>
    mintToken(issuer, {
      issuer: config.auth.issuer,
      audience: config.auth.audience,
      subject: 'tester',
      ...o,
    });
  for (let i = 1; i <= 5; i++) {
    await server.storage.audit.append({
      actor: 'operator-1',
      action: 'alert.acknowledge',
      subject: `alert:${i}`,
    });
  }
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function get(p: string, bearer?: string) {
  const res = await fetch(
    new URL(p, server.url),
    bearer ? { headers: { authorization: `Bearer ${bearer}` } } : {},
  );
  return {
    status: res.status,
    type: res.headers.get('content-type')?.split(';')[0],
    www: res.headers.get('www-authenticate'),
    json: (await res.json()) as Record<string, unknown>,
  };
}

describe('GET /api/v1/audit', () => {
  it('answers 401 with a Bearer challenge without a token', async () => {
    const r = await get('/api/v1/audit');
    expect(r.status).toBe(401);
    expect(r.type).toBe('application/problem+json');
    expect(r.www).toBe('Bearer realm="ioc"');
    expect(r.json).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'missing-token' });
    expect(contractErrors('GET', '/api/v1/audit', 401, 'application/problem+json', r.json)).toEqual([]);
  });

  it('answers 401 invalid_token for an expired or foreign token', async () => {
    const expired = token({ roles: ['leadership'], now: () => Date.now() - 7_200_000 });
    const r = await get('/api/v1/audit', expired);
    expect(r.status).toBe(401);
    expect(r.www).toBe('Bearer realm="ioc", error="invalid_token"');
    expect(r.json.reason).toBe('expired');
    const foreign = await get('/api/v1/audit', token({ roles: ['leadership'], audience: 'lgsp' }));
    expect(foreign.json.reason).toBe('wrong-audience');
  });

  it.each([
    ['a machine client', { roles: ['machine'] }],
    ['a department', { roles: ['department'], department: 'health' }],
    ['a district', { roles: ['district'], area: '213' }],
  ] as const)('answers 403 to %s', async (_who, claims) => {
    const r = await get('/api/v1/audit', token({ ...claims, roles: [...claims.roles] }));
    expect(r.status).toBe(403);
    expect(r.json).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'audit:read' });
    expect(contractErrors('GET', '/api/v1/audit', 403, 'application/problem+json', r.json)).toEqual([]);
  });

  it('pages the log for province leadership and operators', async () => {
    const first = await get('/api/v1/audit?limit=2', token({ roles: ['leadership'] }));
    expect(first.status).toBe(200);
    expect(contractErrors('GET', '/api/v1/audit', 200, 'application/json', first.json)).toEqual([]);
    expect((first.json.items as { seq: number }[]).map((e) => e.seq)).toEqual([1, 2]);
    expect(first.json.nextAfterSeq).toBe(2);
    const last = await get('/api/v1/audit?afterSeq=4&limit=2', token({ roles: ['operator'] }));
    expect((last.json.items as { seq: number }[]).map((e) => e.seq)).toEqual([5]);
    expect(last.json).not.toHaveProperty('nextAfterSeq');
  });

  it.each([
    ['limit=0', 'limit', 'must be >= 1'],
    ['limit=1001', 'limit', 'must be <= 1000'],
    ['limit=ten', 'limit', 'must be integer'],
    ['afterSeq=-1', 'afterSeq', 'must be >= 0'],
  ])('answers 400 for %s, naming the parameter', async (q, name, message) => {
    const r = await get(`/api/v1/audit?${q}`, token({ roles: ['leadership'] }));
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('INVALID_REQUEST');
    expect(r.json.errors).toEqual([{ in: 'query', name, message }]);
    expect(r.json.detail).toBe(`query ${name}: ${message}`);
    expect(contractErrors('GET', '/api/v1/audit', 400, 'application/problem+json', r.json)).toEqual([]);
  });
});

describe('GET /api/v1/audit/verify', () => {
  it('reports the intact chain', async () => {
    const r = await get('/api/v1/audit/verify', token({ roles: ['leadership'] }));
    expect(r.status).toBe(200);
    expect(contractErrors('GET', '/api/v1/audit/verify', 200, 'application/json', r.json)).toEqual([]);
    expect(r.json).toMatchObject({ ok: true, entries: 5 });
  });
});

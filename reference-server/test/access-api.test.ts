import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoIssuer, mintToken } from '../src/auth/demo.js';
import { ROLE_SCOPES } from '../src/auth/roles.js';
import { loadConfig } from '../src/index.js';
import { contractErrors } from './contract.js';
import { serverFixture } from './helpers.js';

const f = serverFixture({ KPI_ALERT_INTERVAL_MS: '0' });
beforeAll(() => f.start());
afterAll(() => f.stop());

async function me(token?: string) {
  const res = await fetch(new URL('/api/v1/me', f.ctx.server.url), {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  const body = (await res.json()) as Record<string, unknown>;
  const type = res.headers.get('content-type')?.split(';')[0] ?? '';
  expect(contractErrors('GET', '/api/v1/me', res.status, type, body)).toEqual([]);
  return { status: res.status, body };
}

describe('GET /api/v1/me', () => {
  it('tells each role its effective scopes and claims', async () => {
    const dept = await me(f.ctx.token(['department'], { department: 'health' }));
    expect(dept.status).toBe(200);
    expect(dept.body).toMatchObject({ subject: 't', roles: ['department'], department: 'health' });
    expect(dept.body.scopes).toEqual([...ROLE_SCOPES.department].sort());
    expect(dept.body.scopes).toContain('health:read');
    const district = await me(f.ctx.token(['district'], { area: '222' }));
    expect(district.body).toMatchObject({ roles: ['district'], area: '222' });
    expect(district.body.scopes).not.toContain('documents:read');
    const machine = await me(f.ctx.token(['machine']));
    expect(machine.body.scopes).toEqual([...ROLE_SCOPES.machine].sort());
    expect(Date.parse(String(machine.body.expiresAt))).toBeGreaterThan(Date.now());
  });

  it('narrows the scopes to those the token asks for, within its roles', async () => {
    const config = loadConfig({ DATA_DIR: f.ctx.dataDir });
    const token = mintToken(ensureDemoIssuer(f.ctx.dataDir), {
      issuer: config.auth.issuer,
      audience: config.auth.audience,
      subject: 'viewer',
      roles: ['operator'],
      scope: 'kpi:read alerts:write audit:write',
    });
    expect((await me(token)).body).toMatchObject({ subject: 'viewer', scopes: ['alerts:write', 'kpi:read'] });
  });

  it('answers 401 problem+json without a valid token', async () => {
    expect((await me()).status).toBe(401);
    expect((await me('e30.e30.')).status).toBe(401);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoIssuer, mintToken } from '../src/auth/demo.js';
import { loadConfig } from '../src/index.js';
import { contractErrors } from './contract.js';
import { serverFixture } from './helpers.js';

/** Each authenticated caller (token subject) has its own request budget; beyond it, 429 problem+json. */
const f = serverFixture({ API_RATE_BURST: '3', API_RATE_PER_MINUTE: '60', KPI_ALERT_INTERVAL_MS: '0' });
beforeAll(() => f.start());
afterAll(() => f.stop());

function tokenFor(subject: string): string {
  const config = loadConfig({ DATA_DIR: f.ctx.dataDir });
  return mintToken(ensureDemoIssuer(f.ctx.dataDir), {
    issuer: config.auth.issuer,
    audience: config.auth.audience,
    subject,
    roles: ['leadership'],
  });
}

const get = (token: string) =>
  fetch(new URL('/api/v1/kpi/profiles', f.ctx.server.url), { headers: { authorization: `Bearer ${token}` } });

describe('API rate limit per caller', () => {
  it('answers 429 with Retry-After beyond the burst, per subject, and lets the caller back after refill', async () => {
    const a = tokenFor('client-a');
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(a)).status);
    expect(statuses).toEqual([200, 200, 200]);
    const limited = await get(a);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(limited.headers.get('retry-after')).toBe('1');
    const problem = (await limited.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({ status: 429, code: 'RATE_LIMITED', retryAfterSeconds: 1 });
    expect(contractErrors('GET', '/api/v1/kpi/profiles', 429, 'application/problem+json', problem)).toEqual(
      [],
    );

    // Another caller is not affected.
    expect((await get(tokenFor('client-b'))).status).toBe(200);
    // A bad token is still a 401, not counted against anyone.
    expect((await get('e30.e30.')).status).toBe(401);
    // One token a second: after a second, one more request goes through.
    await new Promise((r) => setTimeout(r, 1100));
    expect((await get(a)).status).toBe(200);
    expect((await get(a)).status).toBe(429);
  });

  it('keeps the public endpoints and the health checks outside the per-caller limit', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await fetch(new URL('/health', f.ctx.server.url))).status).toBe(200);
      expect((await fetch(new URL('/api/v1/public/report-categories', f.ctx.server.url))).status).toBe(200);
    }
  });
});

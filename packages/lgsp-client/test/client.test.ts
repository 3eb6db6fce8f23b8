import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  LgspClient,
  isLgspError,
  lgspAccessToken,
  oauth2ClientCredentials,
  staticBearer,
  systemIdSecretKey,
  type Clock,
  type LgspClientOptions,
  type Middleware,
} from '../src/index.js';
import { startLgspSimulator, type LgspSimulator } from '../src/testing/index.js';

class FakeClock implements Clock {
  t = Date.now();
  readonly sleeps: number[] = [];
  now(): number {
    return this.t;
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
    return Promise.resolve();
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isLgspError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

let sim: LgspSimulator;
const clients: LgspClient[] = [];
beforeAll(async () => {
  sim = await startLgspSimulator({ tokenLatencyMs: 30 });
});
afterAll(() => sim.close());
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

function client(overrides: Partial<LgspClientOptions> = {}, clock = new FakeClock()) {
  const c = new LgspClient({
    baseUrl: sim.url,
    auth: oauth2ClientCredentials({
      tokenUrl: sim.tokenUrl,
      consumerKey: 'sim-key',
      consumerSecret: 'sim-secret',
    }),
    clock,
    random: () => 0.5,
    ...overrides,
  });
  clients.push(c);
  return { c, clock };
}

function requestsSince(n: number) {
  return sim.requests.slice(n);
}

describe('JSON calls with OAuth2 client credentials', () => {
  it('calls /{context}/{version} with a bearer token and a request id', async () => {
    const { c } = client();
    const before = sim.requests.length;
    const res = await c.call<{
      method: string;
      path: string;
      query: Record<string, string>;
      requestId: string;
    }>({
      context: 'echo',
      version: '1.0',
      path: '/ho-so',
      query: { maHoSo: 'G22.99-261128-0001', trang: 1, bo: undefined },
    });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      method: 'GET',
      path: '/ho-so',
      query: { maHoSo: 'G22.99-261128-0001', trang: '1' },
      body: null,
      requestId: res.requestId,
    });
    expect(res.requestId).toMatch(UUID);
    const [seen] = requestsSince(before);
    expect(seen?.headers.authorization).toMatch(/^Bearer sim-token-\d+$/);
    expect(seen?.requestId).toBe(res.requestId);
  });

  it('posts JSON and pages through a dmdc catalogue', async () => {
    const { c } = client();
    const posted = await c.call<{ method: string; body: unknown }>({
      context: 'echo',
      version: '1.0',
      json: { tenDonVi: 'Sở Y tế Bắc Giang' },
    });
    expect(posted.data).toMatchObject({ method: 'POST', body: { tenDonVi: 'Sở Y tế Bắc Giang' } });
    const page = await c.call({
      context: 'dmdc_DmMaDanToc_Data',
      version: '1.0',
      query: { page: 3, size: 3 },
    });
    expect(page.data).toEqual({ total: 7, page: 3, size: 3, data: [{ Ma: '07', Ten: 'Nùng' }] });
  });

  it('shares one token request among many concurrent calls', async () => {
    const { c } = client();
    const before = sim.tokenRequests();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        c.call<{ query: { i: string } }>({ context: 'echo', version: '1.0', query: { i } }),
      ),
    );
    expect(results.map((r) => r.data.query.i)).toEqual(Array.from({ length: 40 }, (_, i) => String(i)));
    expect(sim.tokenRequests() - before).toBe(1);
    expect(new Set(results.map((r) => r.requestId)).size).toBe(40);
  });

  it('refreshes before expiry (skew), without a 401', async () => {
    const { c, clock } = client({
      auth: oauth2ClientCredentials({
        tokenUrl: sim.tokenUrl,
        consumerKey: 'sim-key',
        consumerSecret: 'sim-secret',
        refreshSkewMs: 60_000,
      }),
    });
    const before = sim.tokenRequests();
    const reqBefore = sim.requests.length;
    await c.call({ context: 'echo', version: '1.0' });
    clock.t += 3600_000 - 59_000; // inside the skew window of a one-hour token
    await c.call({ context: 'echo', version: '1.0' });
    await c.call({ context: 'echo', version: '1.0' });
    expect(sim.tokenRequests() - before).toBe(2);
    expect(sim.requests.length - reqBefore).toBe(3);
  });

  it('forces one refresh on 401 after revocation, shared by concurrent calls', async () => {
    const { c } = client();
    await c.call({ context: 'echo', version: '1.0' });
    const issuedBefore = sim.tokensIssued();
    sim.revokeTokens();
    const before = sim.requests.length;
    const results = await Promise.all(
      Array.from({ length: 10 }, () => c.call({ context: 'echo', version: '1.0' })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(sim.tokensIssued() - issuedBefore).toBe(1);
    const seen = requestsSince(before);
    expect(seen.filter((r) => r.headers.authorization === seen[0]?.headers.authorization)).toHaveLength(10);
    expect(seen).toHaveLength(20);
  });

  it('fails with AUTH_FAILED when the token endpoint refuses, without leaking the secret', async () => {
    const { c } = client({
      auth: oauth2ClientCredentials({
        tokenUrl: sim.tokenUrl,
        consumerKey: 'sim-key',
        consumerSecret: 'wrong-secret',
      }),
    });
    const error = await rejection(c.call({ context: 'echo', version: '1.0' }));
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.details).toMatchObject({ status: 401 });
    expect(JSON.stringify(error.toJSON())).not.toContain('wrong-secret');
  });

  it('gives up with AUTH_FAILED when a non-refreshable credential gets 401', async () => {
    const { c } = client({ auth: staticBearer('not-a-token') });
    const before = sim.requests.length;
    const error = await rejection(c.call({ context: 'echo', version: '1.0' }));
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.retryable).toBe(false);
    expect(sim.requests.length - before).toBe(1);
  });
});

describe('other auth strategies', () => {
  it('sends lgspaccesstoken as base64 JSON', async () => {
    const { c } = client({
      auth: lgspAccessToken({
        accessKey: 'sim-access',
        secretKey: 'sim-access-secret',
        appName: 'QLVB',
        partnerCode: '000.00.00.H22',
        partnerCodeCus: '000.00.08.H22',
      }),
    });
    const before = sim.requests.length;
    await c.call({ context: 'echo', version: '1.0' });
    const header = requestsSince(before)[0]?.headers.lgspaccesstoken as string;
    expect(JSON.parse(Buffer.from(header, 'base64').toString('utf8'))).toEqual({
      AccessKey: 'sim-access',
      SecretKey: 'sim-access-secret',
      AppName: 'QLVB',
      PartnerCode: '000.00.00.H22',
      PartnerCodeCus: '000.00.08.H22',
    });
  });

  it('sends X-SystemId and X-SecretKey', async () => {
    const { c } = client({
      auth: systemIdSecretKey({ systemId: 'sim-system', secretKey: 'sim-system-secret' }),
    });
    expect((await c.call({ context: 'echo', version: '1.0' })).status).toBe(200);
    const bad = client({ auth: systemIdSecretKey({ systemId: 'sim-system', secretKey: 'x' }) }).c;
    expect((await rejection(bad.call({ context: 'echo', version: '1.0' }))).code).toBe('AUTH_FAILED');
  });
});

describe('retries', () => {
  it('retries 5xx on idempotent calls with exponential backoff and jitter', async () => {
    const { c, clock } = client();
    await c.call({ context: 'echo', version: '1.0' });
    sim.inject({ fault: { kind: 'status', status: 503 }, times: 2, pathPrefix: '/echo' });
    const before = sim.requests.length;
    const res = await c.call({ context: 'echo', version: '1.0' });
    expect(res.status).toBe(200);
    // random() = 0.5: half of 200 ms, then half of 400 ms.
    expect(clock.sleeps).toEqual([100, 200]);
    const seen = requestsSince(before);
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((r) => r.requestId))).toEqual(new Set([res.requestId]));
  });

  it('honours Retry-After', async () => {
    const { c, clock } = client();
    sim.inject({ fault: { kind: 'status', status: 503, retryAfter: '3' }, pathPrefix: '/echo' });
    await c.call({ context: 'echo', version: '1.0' });
    expect(clock.sleeps).toEqual([3000]);
  });

  it('gives up after maxAttempts with a retryable HTTP_SERVER_ERROR', async () => {
    const { c, clock } = client({ retry: { maxAttempts: 2, baseDelayMs: 1000 } });
    sim.inject({ fault: { kind: 'status', status: 502 }, times: 2, pathPrefix: '/echo' });
    const error = await rejection(c.call({ context: 'echo', version: '1.0' }));
    expect(error.code).toBe('HTTP_SERVER_ERROR');
    expect(error.retryable).toBe(true);
    expect(error.details).toMatchObject({ status: 502 });
    expect(clock.sleeps).toEqual([500]);
  });

  it('never retries 4xx', async () => {
    const { c, clock } = client();
    sim.inject({ fault: { kind: 'status', status: 400, body: '{"error":"bad"}' }, pathPrefix: '/echo' });
    const before = sim.requests.length;
    const error = await rejection(c.call({ context: 'echo', version: '1.0' }));
    expect(error.code).toBe('HTTP_CLIENT_ERROR');
    expect(error.details).toMatchObject({ status: 400, body: '{"error":"bad"}' });
    expect(sim.requests.length - before).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('does not retry a POST unless it is marked idempotent', async () => {
    const { c } = client();
    sim.inject({ fault: { kind: 'status', status: 503 }, pathPrefix: '/echo' });
    const error = await rejection(c.call({ context: 'echo', version: '1.0', json: { a: 1 } }));
    expect(error.code).toBe('HTTP_SERVER_ERROR');
    sim.inject({ fault: { kind: 'status', status: 503 }, pathPrefix: '/echo' });
    const ok = await c.call({ context: 'echo', version: '1.0', json: { a: 1 }, idempotent: true });
    expect(ok.status).toBe(200);
  });

  it('retries a dropped connection, and reports NETWORK_ERROR when retries are off', async () => {
    const { c } = client();
    sim.inject({ fault: { kind: 'drop' }, pathPrefix: '/echo' });
    expect((await c.call({ context: 'echo', version: '1.0' })).status).toBe(200);
    const { c: noRetry } = client({ retry: false });
    sim.inject({ fault: { kind: 'drop' }, pathPrefix: '/echo' });
    const error = await rejection(noRetry.call({ context: 'echo', version: '1.0' }));
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.retryable).toBe(true);
  });

  it('times out slow answers and honours the caller signal', async () => {
    const { c } = client({ retry: false, timeoutMs: 100 });
    await c.call({ context: 'echo', version: '1.0' });
    sim.inject({ fault: { kind: 'latency', ms: 400 }, pathPrefix: '/echo' });
    const started = Date.now();
    const error = await rejection(c.call({ context: 'echo', version: '1.0' }));
    expect(error.code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(350);
    sim.inject({ fault: { kind: 'latency', ms: 400 }, pathPrefix: '/echo' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const aborted = await rejection(
      c.call({ context: 'echo', version: '1.0', signal: controller.signal, timeoutMs: 5000 }),
    );
    expect(aborted.code).toBe('ABORTED');
  });
});

describe('circuit breaker', () => {
  it('opens after repeated failures, half-opens after the cool-down, and closes on success', async () => {
    const { c, clock } = client({
      retry: false,
      circuitBreaker: { failureThreshold: 3, resetTimeoutMs: 10_000 },
    });
    await c.call({ context: 'echo', version: '1.0' });
    sim.inject({ fault: { kind: 'status', status: 500 }, times: 4, pathPrefix: '/echo' });
    for (let i = 0; i < 3; i++) {
      expect((await rejection(c.call({ context: 'echo', version: '1.0' }))).code).toBe('HTTP_SERVER_ERROR');
    }
    expect(c.circuitState('echo', '1.0')).toBe('open');
    const before = sim.requests.length;
    const open = await rejection(c.call({ context: 'echo', version: '1.0' }));
    expect(open.code).toBe('CIRCUIT_OPEN');
    expect(open.details).toMatchObject({ retryInMs: 10_000 });
    expect(sim.requests.length).toBe(before);
    // Other endpoints are not affected.
    expect((await c.call({ context: 'dmdc_DmMaDanToc_Data', version: '1.0' })).status).toBe(200);
    clock.t += 10_000;
    expect(c.circuitState('echo', '1.0')).toBe('half-open');
    // The trial fails (fourth injected 500): open again.
    await rejection(c.call({ context: 'echo', version: '1.0' }));
    expect(c.circuitState('echo', '1.0')).toBe('open');
    clock.t += 10_000;
    expect((await c.call({ context: 'echo', version: '1.0' })).status).toBe(200);
    expect(c.circuitState('echo', '1.0')).toBe('closed');
  });
});

describe('middleware and logging', () => {
  it('runs named middleware in order, lets them change requests, and can remove them', async () => {
    const events: string[] = [];
    const tag: Middleware = {
      name: 'tag',
      onRequest(ctx) {
        events.push(`tag:req:${ctx.attempt}`);
        ctx.request.headers.set('x-road-client', 'VN/GOV/000.00.08.H22/QLVB');
      },
      onResponse(_ctx, res) {
        events.push(`tag:res:${res.status}`);
      },
      onError(_ctx, error) {
        events.push(`tag:err:${error.code}`);
      },
    };
    const metrics: Middleware = { name: 'metrics', onRequest: () => void events.push('metrics:req') };
    const { c } = client({ middleware: [tag, metrics] });
    sim.inject({ fault: { kind: 'status', status: 503 }, pathPrefix: '/echo' });
    const before = sim.requests.length;
    await c.call({ context: 'echo', version: '1.0' });
    expect(events).toEqual([
      'tag:req:1',
      'metrics:req',
      'tag:res:503',
      'tag:err:HTTP_SERVER_ERROR',
      'tag:req:2',
      'metrics:req',
      'tag:res:200',
    ]);
    expect(requestsSince(before).map((r) => r.headers['x-road-client'])).toEqual([
      'VN/GOV/000.00.08.H22/QLVB',
      'VN/GOV/000.00.08.H22/QLVB',
    ]);
    expect(c.removeMiddleware('tag')).toBe(true);
    expect(c.removeMiddleware('tag')).toBe(false);
    events.length = 0;
    await c.call({ context: 'echo', version: '1.0' });
    expect(events).toEqual(['metrics:req']);
  });

  it('logs requests without secrets', async () => {
    const lines: { message: string; fields: unknown }[] = [];
    const log = (message: string, fields: unknown) => void lines.push({ message, fields });
    const { c } = client({ logger: { debug: log, info: log, warn: log } });
    sim.inject({ fault: { kind: 'status', status: 503 }, pathPrefix: '/echo' });
    await c.call({ context: 'echo', version: '1.0', query: { apiKey: 'k-123' } });
    const text = JSON.stringify(lines);
    expect(lines.map((l) => l.message)).toEqual([
      'lgsp.request',
      'lgsp.response',
      'lgsp.retry',
      'lgsp.request',
      'lgsp.response',
    ]);
    expect(text).not.toMatch(/sim-token|k-123|sim-secret/);
    expect(lines[0]?.fields).toMatchObject({ headers: { authorization: '[REDACTED]' } });
  });
});

describe('SOAP', () => {
  it.each(['1.1', '1.2'] as const)('calls a SOAP %s service', async (soapVersion) => {
    const { c } = client();
    const res = await c.soap({
      context: 'soap',
      version: '1.0',
      soapVersion,
      action: 'urn:lgsp:sim/Echo',
      body: '<m:Echo xmlns:m="urn:lgsp:sim"><m:Text>Xin chào &amp; hẹn gặp lại</m:Text></m:Echo>',
    });
    expect(res.envelope.version).toBe(soapVersion);
    expect(res.result).toEqual({
      name: 'EchoResponse',
      namespace: 'urn:lgsp:sim',
      attributes: {},
      text: '',
      children: [
        {
          name: 'Text',
          namespace: 'urn:lgsp:sim',
          attributes: {},
          text: 'Xin chào & hẹn gặp lại',
          children: [],
        },
      ],
    });
    const seen = sim.requests[sim.requests.length - 1];
    if (soapVersion === '1.1') {
      expect(seen?.headers['content-type']).toBe('text/xml; charset=utf-8');
      expect(seen?.headers.soapaction).toBe('"urn:lgsp:sim/Echo"');
    } else {
      expect(seen?.headers['content-type']).toBe(
        'application/soap+xml; charset=utf-8; action="urn:lgsp:sim/Echo"',
      );
    }
  });

  it.each([
    ['1.1', 's:Server'],
    ['1.2', 's:Receiver'],
  ] as const)('turns a SOAP %s fault into SOAP_FAULT without retrying', async (soapVersion, faultCode) => {
    const { c, clock } = client();
    const before = sim.requests.length;
    const error = await rejection(
      c.soap({
        context: 'soap',
        version: '1.0',
        soapVersion,
        body: '<m:Fail xmlns:m="urn:lgsp:sim"/>',
        idempotent: true,
      }),
    );
    expect(error.code).toBe('SOAP_FAULT');
    expect(error.details).toMatchObject({
      status: 500,
      faultCode,
      faultReason: 'Không xử lý được yêu cầu',
      soapVersion,
    });
    expect(sim.requests.length - before).toBe(1);
    expect(clock.sleeps).toEqual([]);
    expect(c.circuitState('soap', '1.0')).toBe('closed');
  });
});

describe('response limits', () => {
  it('refuses a response body larger than maxResponseBytes', async () => {
    const { c } = client({ maxResponseBytes: 100 });
    const error = await rejection(
      c.call({ context: 'dmdc_DmMaDanToc_Data', version: '1.0', query: { size: 7 } }),
    );
    expect(error.code).toBe('RESPONSE_INVALID');
    expect(error.details).toMatchObject({ status: 200, limit: 100 });
  });

  it('reports a body that is not JSON', async () => {
    const { c } = client();
    sim.inject({
      fault: { kind: 'status', status: 200, body: '<html>maintenance</html>' },
      pathPrefix: '/echo',
    });
    const error = await rejection(c.call({ context: 'echo', version: '1.0' }));
    expect(error.code).toBe('RESPONSE_INVALID');
    expect(error.details).toMatchObject({ status: 200, body: '<html>maintenance</html>' });
  });
});

describe('configuration', () => {
  it('rejects bad options with CONFIG_INVALID', () => {
    expect(() => new LgspClient({ baseUrl: 'not a url' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    expect(() => new LgspClient({ baseUrl: sim.url, fetch, tls: { ca: 'x' } })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    const { c } = client();
    return expect(c.call({ context: '../admin', version: '1.0' })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
  });
});

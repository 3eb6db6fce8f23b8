import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FhirClient,
  backoffDelay,
  hl7ToFhir,
  retryAfterMs,
  isHl7Error,
  type FhirClientOptions,
  type Hl7Error,
  type TransactionBundle,
} from '../src/index.js';
import { FhirTestServer } from '../src/testing/index.js';

const dir = path.resolve(import.meta.dirname, '../../../specs/conformance/hl7v2/fhir');
const bundleOf = (name: string): TransactionBundle =>
  hl7ToFhir(fs.readFileSync(path.join(dir, `${name}.hl7`))).bundle;

async function caught(p: Promise<unknown>): Promise<Hl7Error> {
  try {
    await p;
  } catch (e) {
    if (isHl7Error(e)) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

/** A loopback HTTP server answering every request with one fixed JSON body. */
async function fixedServer(
  status: number,
  body: unknown,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/fhir+json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

const transports = [
  ['fhir-kit-client', {}],
  ['injected fetch', { fetch: (input: string | URL | Request, init?: RequestInit) => fetch(input, init) }],
] as const;

describe.each(transports)('FhirClient over %s', (_name, transport) => {
  let server: FhirTestServer;
  let sleeps: number[];
  const client = (options: Partial<FhirClientOptions> = {}) =>
    new FhirClient({
      baseUrl: server.baseUrl,
      ...transport,
      backoff: { baseDelayMs: 100, maxDelayMs: 1000 },
      random: () => 0.5,
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      ...options,
    });

  beforeEach(async () => {
    server = await FhirTestServer.listen();
    sleeps = [];
  });
  afterEach(async () => {
    await server.close();
  });

  it('checks the capability statement', async () => {
    const cs = await client().capabilities();
    expect(cs.fhirVersion).toBe('4.0.1');
  });

  it('submits a transaction and gets its response Bundle', async () => {
    const res = await client().transaction(bundleOf('adt-a01-vnpt-admit'));
    expect(res.type).toBe('transaction-response');
    expect(res.entry?.map((e) => e.response?.status)).toEqual(['201 Created', '201 Created', '201 Created']);
    const patients = server.resources('Patient');
    expect(patients).toHaveLength(1);
    const ident = (patients[0]?.identifier as { system: string; value: string }[])[0];
    const found = await client().searchByIdentifier('Patient', ident?.system ?? '', ident?.value ?? '');
    expect(found.total).toBe(1);
    const read = await client().read('Patient', patients[0]?.id ?? '');
    expect((read.meta as { versionId: string }).versionId).toBe('1');
  });

  it('retries 5xx with exponential backoff and jitter, then succeeds', async () => {
    server.inject({ kind: 'status', status: 503, times: 2 });
    const retries: number[] = [];
    const res = await client({ onRetry: (r) => retries.push(r.attempt) }).transaction(
      bundleOf('adt-a04-viettel-outpatient'),
    );
    expect(res.type).toBe('transaction-response');
    expect(sleeps).toEqual([50, 100]);
    expect(retries).toEqual([1, 2]);
    expect(server.requests.map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('waits as long as Retry-After asks, within maxDelayMs', async () => {
    server.inject({ kind: 'status', status: 429, retryAfter: '1' });
    server.inject({ kind: 'status', status: 503, retryAfter: '120' });
    await client().capabilities();
    expect(sleeps).toEqual([1000, 1000]);
    expect(server.requests.map((r) => r.status)).toEqual([429, 503, 200]);
  });

  it('retries a dropped connection', async () => {
    server.inject({ kind: 'drop' });
    await client().capabilities();
    expect(server.requests.map((r) => r.status)).toEqual([0, 200]);
    expect(sleeps).toEqual([50]);
  });

  it('gives up after maxAttempts with a retryable FHIR_SERVER_ERROR carrying the issues', async () => {
    server.inject({ kind: 'status', status: 500, times: 10 });
    const e = await caught(client({ maxAttempts: 3 }).capabilities());
    expect(e.code).toBe('FHIR_SERVER_ERROR');
    expect(e.retryable).toBe(true);
    expect(e.details?.status).toBe(500);
    expect(e.details?.issues).toEqual([
      { severity: 'error', code: 'transient', diagnostics: 'Injected fault: HTTP 500' },
    ]);
    expect(sleeps).toEqual([50, 100]);
  });

  it('does not retry a 400 and reports the OperationOutcome', async () => {
    const bad = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [{ resource: { resourceType: 'Patient' } }],
    };
    const e = await caught(client().transaction(bad as unknown as TransactionBundle));
    expect(e.code).toBe('FHIR_REJECTED');
    expect(e.retryable).toBe(false);
    expect(e.details?.status).toBe(400);
    expect(e.details?.issues).toEqual([
      { severity: 'error', code: 'invalid', diagnostics: 'Bundle.entry[0].request is required' },
    ]);
    expect(e.message).toContain('Bundle.entry[0].request is required');
    expect(sleeps).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('maps 412 to FHIR_PRECONDITION without retrying', async () => {
    const p = { resourceType: 'Patient', identifier: [{ system: 's', value: 'v' }] };
    await fetch(`${server.baseUrl}/Patient`, { method: 'POST', body: JSON.stringify(p) });
    await fetch(`${server.baseUrl}/Patient`, { method: 'POST', body: JSON.stringify(p) });
    const tx = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:1', resource: p, request: { method: 'PUT', url: 'Patient?identifier=s|v' } },
      ],
    } as unknown as TransactionBundle;
    const e = await caught(client().transaction(tx));
    expect(e.code).toBe('FHIR_PRECONDITION');
    expect((e.details?.issues as { code: string }[])[0]?.code).toBe('multiple-matches');
    expect(sleeps).toEqual([]);
  });

  it('retries network errors and ends with FHIR_NETWORK when the server stays down', async () => {
    await server.down();
    const e = await caught(client({ maxAttempts: 4 }).capabilities());
    expect(e.code).toBe('FHIR_NETWORK');
    expect(e.retryable).toBe(true);
    expect(sleeps).toEqual([50, 100, 200]);
  });

  it('times out a slow answer with FHIR_TIMEOUT', async () => {
    server.inject({ kind: 'latency', ms: 400 });
    const e = await caught(client({ timeoutMs: 50, maxAttempts: 1 }).capabilities());
    expect(e.code).toBe('FHIR_TIMEOUT');
    expect(e.retryable).toBe(true);
  });

  it('stops on the caller AbortSignal, also between attempts', async () => {
    const before = new AbortController();
    before.abort();
    expect((await caught(client().capabilities({ signal: before.signal }))).code).toBe('ABORTED');
    expect(server.requests).toHaveLength(0);

    server.inject({ kind: 'status', status: 503, times: 5 });
    const during = new AbortController();
    const c = client({
      sleep: (_ms, signal) => {
        during.abort();
        return Promise.reject(signal.reason as Error);
      },
    });
    const e = await caught(c.capabilities({ signal: during.signal }));
    expect(e.code).toBe('ABORTED');
    expect(server.requests).toHaveLength(1);
  });

  it('sends the bearer token, refreshed per attempt, and does not retry 401', async () => {
    const secured = await FhirTestServer.listen({ bearerToken: 'tok-2' });
    try {
      let n = 0;
      secured.inject({ kind: 'status', status: 503 });
      const ok = client({ baseUrl: secured.baseUrl, bearerToken: () => `tok-${++n}` });
      // attempt 1 gets the injected 503 (token tok-1), attempt 2 carries tok-2
      await ok.capabilities();
      expect(secured.requests.map((r) => r.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
      const e = await caught(client({ baseUrl: secured.baseUrl, bearerToken: 'wrong' }).capabilities());
      expect(e.code).toBe('FHIR_UNAUTHORIZED');
      expect(secured.requests).toHaveLength(3);
    } finally {
      await secured.close();
    }
  });

  it.each([
    [
      'a FHIR R5 server',
      { resourceType: 'CapabilityStatement', fhirVersion: '5.0.0', rest: [] },
      'fhirVersion',
    ],
    [
      'a server without transactions',
      {
        resourceType: 'CapabilityStatement',
        fhirVersion: '4.0.1',
        rest: [{ mode: 'server', interaction: [] }],
      },
      'missing',
    ],
    ['not a CapabilityStatement', { resourceType: 'Patient' }, 'resourceType'],
  ])('rejects %s with FHIR_CAPABILITY', async (_what, body, key) => {
    const other = await fixedServer(200, body);
    try {
      const e = await caught(client({ baseUrl: other.url }).capabilities());
      expect(e.code).toBe('FHIR_CAPABILITY');
      expect(Object.keys(e.details ?? {})).toEqual([key]);
    } finally {
      await other.close();
    }
  });

  it('reports a non-JSON answer as FHIR_BAD_RESPONSE', async () => {
    const other = await fixedServer(200, '<html>proxy</html>');
    try {
      const e = await caught(client({ baseUrl: other.url, maxAttempts: 2 }).capabilities());
      expect(e.code).toBe('FHIR_BAD_RESPONSE');
      expect(sleeps).toEqual([50]);
    } finally {
      await other.close();
    }
  });
});

describe('FhirClient with an injected fetch', () => {
  it('uses it for every request', async () => {
    const server = await FhirTestServer.listen();
    try {
      const urls: string[] = [];
      const c = new FhirClient({
        baseUrl: `${server.baseUrl}/`,
        fetch: (input, init) => {
          urls.push(input instanceof Request ? input.url : input.toString());
          return fetch(input, init);
        },
      });
      await c.capabilities();
      await c.read('Patient', '1').catch(() => undefined);
      expect(urls).toEqual([`${server.baseUrl}/metadata`, `${server.baseUrl}/Patient/1`]);
    } finally {
      await server.close();
    }
  });
});

describe('retryAfterMs', () => {
  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.parse('2026-03-01T08:00:00Z');
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs('Sun, 01 Mar 2026 08:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('doubles up to the cap, scaled by the jitter', () => {
    const b = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, b, () => 0.999))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
    expect(backoffDelay(3, b, () => 0)).toBe(0);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FhirTestServer } from '../src/testing/index.js';

const dir = path.resolve(import.meta.dirname, '../../../specs/conformance/hl7v2/fhir');
const vector = (name: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as Record<string, unknown>;

const vectors = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.hl7'))
  .map((f) => f.slice(0, -4))
  .sort();

let server: FhirTestServer;
const clock = () => new Date('2026-03-01T08:00:00.000Z');

beforeEach(async () => {
  server = await FhirTestServer.listen({ clock });
});
afterEach(async () => {
  await server.close();
});

/** The parts of FHIR answers the assertions read. */
interface Answer {
  readonly resourceType?: string;
  readonly type?: string;
  readonly total?: number;
  readonly fhirVersion?: string;
  readonly rest?: readonly { readonly interaction: unknown }[];
  readonly entry?: readonly {
    readonly fullUrl?: string;
    readonly resource?: { readonly name?: unknown };
    readonly response: { readonly status: string; readonly location: string };
  }[];
  readonly issue?: readonly { readonly code: string }[];
  readonly name?: unknown;
}

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; json: Answer }> {
  const res = await fetch(`${server.baseUrl}${url}`, {
    method,
    headers: { 'content-type': 'application/fhir+json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Answer };
}

const MRN = 'urn:dttm:sid:BVBG:mrn';
const patient = (value: string, family: string) => ({
  resourceType: 'Patient',
  identifier: [{ system: MRN, value }],
  name: [{ family }],
});

describe('FhirTestServer', () => {
  it('serves a FHIR R4 CapabilityStatement with transactions', async () => {
    const { status, json } = await call('GET', '/metadata');
    expect(status).toBe(200);
    expect(json.resourceType).toBe('CapabilityStatement');
    expect(json.fhirVersion).toBe('4.0.1');
    expect(json.rest?.[0]?.interaction).toEqual([{ code: 'transaction' }, { code: 'batch' }]);
  });

  it.each(vectors)('replaying %s twice creates no duplicates and no new versions', async (name) => {
    const bundle = vector(name);
    const entries = bundle.entry as { resource: { resourceType: string } }[];
    const first = await call('POST', '/', bundle);
    expect(first.status).toBe(200);
    expect(first.json.type).toBe('transaction-response');
    expect(first.json.entry?.map((e) => e.response.status)).toEqual(entries.map(() => '201 Created'));
    const countsAfterFirst = entries.map((e) => server.resources(e.resource.resourceType).length);
    const second = await call('POST', '/', bundle);
    expect(second.status).toBe(200);
    expect(second.json.entry?.map((e) => e.response.status)).toEqual(entries.map(() => '200 OK'));
    expect(second.json.entry?.map((e) => e.response.location)).toEqual(
      first.json.entry?.map((e) => e.response.location),
    );
    expect(entries.map((e) => server.resources(e.resource.resourceType).length)).toEqual(countsAfterFirst);
    // Each entry became exactly one resource, all at version 1.
    const total = new Set(entries.map((e) => e.resource.resourceType));
    expect([...total].reduce((n, t) => n + server.resources(t).length, 0)).toBe(entries.length);
    for (const t of total) for (const r of server.resources(t)) expect(r.meta.versionId).toBe('1');
  });

  it('resolves urn:uuid references to the ids it assigned', async () => {
    const bundle = vector('oru-r01-lis-roche-cbc');
    const res = await call('POST', '/', bundle);
    const patientLocation = res.json.entry?.[0]?.response.location.split('/_history')[0];
    expect(patientLocation).toMatch(/^Patient\/\d+$/);
    const obs = server.resources('Observation');
    expect(obs.length).toBeGreaterThan(1);
    for (const o of obs) expect((o.subject as { reference: string }).reference).toBe(patientLocation);
    const report = server.resources('DiagnosticReport')[0] as unknown as { result: { reference: string }[] };
    expect(report.result.map((r) => r.reference)).toEqual(obs.map((o) => `Observation/${o.id}`));
  });

  it('conditional update bumps versionId and lastUpdated only when the content changes', async () => {
    const tx = (family: string) => ({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:0b8c7d4e-0000-5000-8000-000000000001',
          resource: patient('BN1', family),
          request: { method: 'PUT', url: `Patient?identifier=${MRN}|BN1` },
        },
      ],
    });
    await call('POST', '/', tx('Nguyễn'));
    const res = await call('POST', '/', tx('Trần'));
    expect(res.json.entry?.[0]?.response).toEqual({
      status: '200 OK',
      location: 'Patient/1/_history/2',
      etag: 'W/"2"',
      lastModified: '2026-03-01T08:00:00.000Z',
    });
    const read = await call('GET', '/Patient/1');
    expect(read.json).toEqual({
      resourceType: 'Patient',
      id: '1',
      identifier: [{ system: MRN, value: 'BN1' }],
      name: [{ family: 'Trần' }],
      meta: { versionId: '2', lastUpdated: '2026-03-01T08:00:00.000Z' },
    });
  });

  it('conditional create (ifNoneExist) keeps the existing resource untouched', async () => {
    await call('PUT', `/Patient?identifier=${MRN}|BN2`, patient('BN2', 'Lê'));
    const res = await call('POST', '/', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: patient('BN2', 'Other'),
          request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${MRN}|BN2` },
        },
      ],
    });
    expect(res.json.entry?.[0]?.response.status).toBe('200 OK');
    expect(server.find('Patient', `${MRN}|BN2`).map((p) => p.name)).toEqual([[{ family: 'Lê' }]]);
  });

  it('searches by identifier into a searchset Bundle', async () => {
    await call('PUT', `/Patient?identifier=${MRN}|BN3`, patient('BN3', 'Phạm'));
    await call('PUT', `/Patient?identifier=${MRN}|BN4`, patient('BN4', 'Hoàng'));
    const hit = await call('GET', `/Patient?identifier=${encodeURIComponent(`${MRN}|BN4`)}`);
    expect(hit.json.type).toBe('searchset');
    expect(hit.json.total).toBe(1);
    expect(hit.json.entry?.[0]?.resource?.name).toEqual([{ family: 'Hoàng' }]);
    expect(hit.json.entry?.[0]?.fullUrl).toBe(`${server.baseUrl}/Patient/2`);
    const miss = await call('GET', `/Patient?identifier=other|BN4`);
    expect(miss.json.total).toBe(0);
    const anySystem = await call('GET', `/Patient?identifier=BN3`);
    expect(anySystem.json.total).toBe(1);
  });

  it('answers 412 when a conditional update matches several resources, and writes nothing', async () => {
    await call('POST', '/Patient', patient('DUP', 'A'));
    await call('POST', '/Patient', patient('DUP', 'B'));
    const res = await call('POST', '/', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: patient('NEW', 'C'), request: { method: 'PUT', url: `Patient?identifier=${MRN}|NEW` } },
        { resource: patient('DUP', 'D'), request: { method: 'PUT', url: `Patient?identifier=${MRN}|DUP` } },
      ],
    });
    expect(res.status).toBe(412);
    expect(res.json.resourceType).toBe('OperationOutcome');
    expect(res.json.issue?.[0]?.code).toBe('multiple-matches');
    expect(server.find('Patient', `${MRN}|NEW`)).toEqual([]);
  });

  it.each([
    ['not JSON', '{"resourceType":', 'structure'],
    ['not a Bundle', { resourceType: 'Patient' }, 'invalid'],
    ['a collection', { resourceType: 'Bundle', type: 'collection', entry: [] }, 'invalid'],
    [
      'an entry without request',
      { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: patient('X', 'Y') }] },
      'invalid',
    ],
    [
      'a dangling urn:uuid',
      {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            resource: { resourceType: 'Observation', subject: { reference: 'urn:uuid:missing' } },
            request: { method: 'POST', url: 'Observation' },
          },
        ],
      },
      'invalid',
    ],
    [
      'one condition twice',
      {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [1, 2].map(() => ({
          resource: { resourceType: 'Observation', identifier: [{ system: 's', value: 'o1' }] },
          request: { method: 'PUT', url: 'Observation?identifier=s|o1' },
        })),
      },
      'duplicate',
    ],
  ])('answers 400 with an OperationOutcome for %s', async (_what, body, code) => {
    const res = await call('POST', '/', body);
    expect(res.status).toBe(400);
    expect(res.json.issue?.[0]?.code).toBe(code);
    expect(server.resources('Observation')).toEqual([]);
  });

  it('answers a batch entry by entry, and searches by _id', async () => {
    const res = await call('POST', '/', {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { resource: patient('B1', 'Đỗ'), request: { method: 'PUT', url: `Patient?identifier=${MRN}|B1` } },
        {
          resource: { resourceType: 'Patient' },
          request: { method: 'PUT', url: 'Observation?identifier=x|y' },
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.json.type).toBe('batch-response');
    expect(res.json.entry?.map((e) => e.response.status)).toEqual(['201 Created', '400']);
    const byId = await call('GET', '/Patient?_id=1');
    expect(byId.json.entry?.[0]?.resource?.name).toEqual([{ family: 'Đỗ' }]);
  });

  it('answers 404 for an unknown id', async () => {
    const res = await call('GET', '/Patient/999');
    expect(res.status).toBe(404);
    expect(res.json.issue?.[0]?.code).toBe('not-found');
  });

  it('injects status faults, drops connections, and goes down and up keeping its data', async () => {
    await call('PUT', `/Patient?identifier=${MRN}|K1`, patient('K1', 'Kim'));
    server.inject({ kind: 'status', status: 503, times: 2 });
    expect((await call('GET', '/metadata')).status).toBe(503);
    expect((await call('GET', '/metadata')).status).toBe(503);
    expect((await call('GET', '/metadata')).status).toBe(200);
    server.inject({ kind: 'drop' });
    await expect(call('GET', '/metadata')).rejects.toThrow(TypeError);
    await server.down();
    await expect(call('GET', '/metadata')).rejects.toThrow(TypeError);
    await server.up();
    expect((await call('GET', '/Patient/1')).json.name).toEqual([{ family: 'Kim' }]);
    expect(server.requests.map((r) => r.status)).toEqual([201, 503, 503, 200, 0, 200]);
  });

  it('requires the configured bearer token', async () => {
    const secured = await FhirTestServer.listen({ bearerToken: 's3cret' });
    try {
      const anon = await fetch(`${secured.baseUrl}/metadata`);
      expect(anon.status).toBe(401);
      const ok = await fetch(`${secured.baseUrl}/metadata`, { headers: { authorization: 'Bearer s3cret' } });
      expect(ok.status).toBe(200);
    } finally {
      await secured.close();
    }
  });
});

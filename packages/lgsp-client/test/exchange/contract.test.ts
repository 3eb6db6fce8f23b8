import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { buildEdxml, defaultDocumentAxisCodec } from '../../src/index.js';
import { startLgspSimulator, type LgspSimulator } from '../../src/testing/index.js';
import { STTTT, VPCP, sampleDocument } from './fixtures.js';

const spec = YAML.parse(
  readFileSync(fileURLToPath(new URL('../../../../specs/openapi/lgsp.yaml', import.meta.url)), 'utf8'),
) as { paths: Record<string, Record<string, { operationId: string }>> };
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(spec, 'lgsp.yaml');
function valid(schema: string, value: unknown): string[] {
  const validate = ajv.compile({ $ref: `lgsp.yaml#/components/schemas/${schema}` });
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

let sim: LgspSimulator;
beforeAll(async () => {
  sim = await startLgspSimulator();
});
afterAll(() => sim.close());

const codec = defaultDocumentAxisCodec();

async function call(
  account: typeof STTTT,
  request: ReturnType<typeof codec.encodeGetEdoc>,
): Promise<{ status: number; body: unknown }> {
  const url = new URL(request.path, sim.url);
  for (const [k, v] of Object.entries(request.query ?? {})) url.searchParams.set(k, v);
  const response = await fetch(url, {
    method: request.method,
    headers: { ...request.headers, 'x-systemid': account.systemId, 'x-secretkey': account.secretKey },
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  return { status: response.status, body: await response.json() };
}

describe('specs/openapi/lgsp.yaml describes the document axis the codec and the simulator speak', () => {
  it('lists every operation at the path the codec uses', () => {
    const ops = Object.entries(spec.paths)
      .filter(([p]) => p.startsWith('/v1/'))
      .map(([p, methods]) => `${Object.keys(methods)[0]?.toUpperCase() ?? ''} ${p}`);
    const encoded = [
      codec.encodeSendEdoc({ from: STTTT.organId, messageType: 'edoc', edxml: new Uint8Array() }),
      codec.encodeListReceived({ messageType: 'edoc', fromDate: '2026/11/01', toDate: '2026/11/30' }),
      codec.encodeGetEdoc('1'),
      codec.encodeUpdateStatus({ docId: '1', status: 'done' }),
      codec.encodeGetAgencies(),
    ].map((r) => `${r.method} ${r.path}`);
    expect(ops).toEqual(encoded);
  });

  it('requests built by the codec match the request schemas', async () => {
    const update = codec.encodeUpdateStatus({ docId: 'sim-1', status: 'fail', description: 'EDXML_INVALID' });
    expect(valid('UpdateStatusRequest', JSON.parse(update.body as string))).toEqual([]);
    const send = codec.encodeSendEdoc({
      from: STTTT.organId,
      messageType: 'edoc',
      edxml: new Uint8Array([60]),
    });
    const form = await new Response(send.body as Uint8Array, {
      headers: { 'content-type': send.headers?.['content-type'] ?? '' },
    }).formData();
    expect(valid('SendEdocHeader', JSON.parse(form.get('header') as string))).toEqual([]);
  });

  it('responses of the simulator match the response schemas', async () => {
    const edxml = new TextEncoder().encode(buildEdxml(sampleDocument(1)));
    const sent = await call(STTTT, codec.encodeSendEdoc({ from: STTTT.organId, messageType: 'edoc', edxml }));
    expect([sent.status, valid('SendEdocResult', sent.body)]).toEqual([200, []]);
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '/');
    const list = await call(
      VPCP,
      codec.encodeListReceived({ messageType: 'edoc', fromDate: today, toDate: today }),
    );
    expect([list.status, valid('ReceivedEdocList', list.body)]).toEqual([200, []]);
    const got = await call(VPCP, codec.encodeGetEdoc('sim-1'));
    expect([got.status, valid('GetEdocResult', got.body)]).toEqual([200, []]);
    const updated = await call(VPCP, codec.encodeUpdateStatus({ docId: 'sim-1', status: 'done' }));
    expect([updated.status, valid('AxisResult', updated.body)]).toEqual([200, []]);
    const agencies = await call(VPCP, codec.encodeGetAgencies());
    expect([agencies.status, valid('AgencyList', agencies.body)]).toEqual([200, []]);
    const missing = await call(VPCP, codec.encodeGetEdoc('nope'));
    expect([missing.status, valid('AxisResult', missing.body)]).toEqual([404, []]);
    // And a wrong shape does not pass.
    expect(valid('ReceivedEdocList', { status: 'OK', data: [{ from: 'x' }] })).not.toEqual([]);
  });
});

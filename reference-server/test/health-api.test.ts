/**
 * The health module end to end over real sockets: hospitals send HL7 v2 over MLLP to the server's
 * listener, the server stores, acknowledges, and delivers FHIR R4 Bundles to a FHIR test server, and
 * serves the registry, the messages and the health KPIs over HTTP.
 */
import fs from 'node:fs';
import net from 'node:net';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodeFrame,
  isHl7Error,
  MllpClient,
  MllpDecoder,
  parseHl7,
  type Hl7Message,
} from '@dttm/hl7-fhir-bridge';
import { FhirTestServer } from '@dttm/hl7-fhir-bridge/testing';
import { createAjv } from '../src/http/ajv.js';
import { loadConfig, silentLogger, startServer } from '../src/index.js';
import { adtMessage, oruMessage, siuMessage, type DemoPatient } from '../src/demo/health.js';
import { contractErrors } from './contract.js';
import {
  nextEvent,
  serverFixture,
  sseFrames,
  callApi,
  type Answer,
  type FixtureClaims,
  type FixtureRoles,
} from './helpers.js';

const clock = new Date('2026-03-02T09:00:00+07:00');
const env: Record<string, string> = {
  KPI_ALERT_INTERVAL_MS: '0',
  REPORTS_INTERVAL_MS: '0',
  HL7_MLLP_PORT: '0',
  HL7_OUTBOX_BASE_DELAY_MS: '20',
  HL7_OUTBOX_MAX_DELAY_MS: '100',
  HL7_KPI_DELAY_MS: '0',
};
const f = serverFixture(env, { now: () => clock });
let fhir: FhirTestServer;

beforeAll(async () => {
  fhir = await FhirTestServer.listen();
  env.FHIR_BASE_URL = fhir.baseUrl;
  await f.start();
});
afterAll(async () => {
  await f.stop();
  await fhir.close();
});

type Roles = FixtureRoles;
type Claims = FixtureClaims;
const api = (method: string, path: string, options: Parameters<typeof callApi>[3] = {}) =>
  callApi(f, method, path, options);

const OPERATOR: { roles: Roles } = { roles: ['operator'] };
const HEALTH: { roles: Roles; claims: Claims } = { roles: ['department'], claims: { department: 'health' } };

function conforms(method: string, template: string, a: Answer) {
  expect(contractErrors(method, template, a.status, a.type, a.json)).toEqual([]);
}

/** The AsyncAPI message `hl7.message.accepted`, with its schemas' `$ref`s. */
function acceptedMessage() {
  const specs = new URL('../../specs/', import.meta.url);
  const doc = YAML.parse(fs.readFileSync(new URL('asyncapi/ioc-events.yaml', specs), 'utf8')) as {
    components: { messages: Record<string, { payload: unknown }> };
  };
  const ajv = createAjv({ strict: false });
  for (const file of ['ioc-event.schema.json', 'hl7-message-accepted.schema.json'])
    ajv.addSchema(JSON.parse(fs.readFileSync(new URL(`schemas/${file}`, specs), 'utf8')) as object);
  const payload = JSON.stringify(doc.components.messages.Hl7MessageAccepted?.payload).replace(
    /"\.\.\/schemas\/([a-z0-9-]+\.schema\.json)"/g,
    '"https://dttm.vn/schemas/$1"',
  );
  return ajv.compile(JSON.parse(payload) as object);
}

let seq = 0;
const header = (facility: string) => ({ facility, controlId: `T${++seq}`, at: clock });
const patient = (n: number): DemoPatient => ({
  mrn: `BN${n}`,
  cccd: `0240870${String(n).padStart(5, '0')}`,
  family: 'Nguyễn',
  given: `Văn Thử${n}`,
  birthDate: '19870412',
  sex: 'M',
});

/** Sends one message on a fresh connection and returns the ACK, positive or not. */
async function send(er7: string, port = f.ctx.server.health.port ?? 0): Promise<Hl7Message> {
  const client = await MllpClient.connect({ host: '127.0.0.1', port });
  try {
    return await client.send(er7);
  } catch (err) {
    if (isHl7Error(err) && err.code === 'MLLP_NACK') return parseHl7(String(err.details?.ack));
    throw err;
  } finally {
    await client.close();
  }
}

/** Raw bytes in one MLLP frame; resolves with the ACK text. */
function sendRawFrame(bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port: f.ctx.server.health.port ?? 0, host: '127.0.0.1' });
    const decoder = new MllpDecoder(1 << 20);
    socket.on('data', (c: Buffer) => {
      const frame = decoder.push(c).frames[0];
      if (frame !== undefined) {
        socket.destroy();
        resolve(frame.toString('utf8'));
      }
    });
    socket.on('error', reject);
    socket.write(encodeFrame(bytes));
  });
}

async function register(id: string, body: Record<string, unknown>) {
  const r = await api('POST', '/api/v1/health/facilities', { ...OPERATOR, body: { id, ...body } });
  expect(r.status, r.text).toBe(201);
  conforms('POST', '/api/v1/health/facilities', r);
  return r;
}

describe('hospitals’ HL7 v2 into the IOC', () => {
  beforeAll(async () => {
    await register('BV_A', { name: 'Bệnh viện Đa khoa tỉnh', area: '213' });
    await register('BV_B', { name: 'Trung tâm Y tế Lục Ngạn', area: '219', addresses: ['127.0.0.1'] });
    await register('BV_C', { name: 'Phòng khám xa', area: '215', addresses: ['10.9.9.9'] });
  });

  it('computes both health KPIs from a known message set, for the province and each district', async () => {
    const acks: string[] = [];
    const ack = async (er7: string) => acks.push((await send(er7)).get('MSA-1') ?? '');
    // BV_A (district 213): three encounters, V1 registered twice (counted once), results for V1 and V2.
    await ack(adtMessage(header('BV_A'), 'A04', patient(1), 'V1'));
    await ack(adtMessage(header('BV_A'), 'A01', patient(2), 'V2'));
    await ack(adtMessage(header('BV_A'), 'A04', patient(3), 'V3'));
    await ack(adtMessage(header('BV_A'), 'A04', patient(1), 'V1'));
    await ack(oruMessage(header('BV_A'), patient(1), 'V1', 5.2));
    await ack(oruMessage(header('BV_A'), patient(2), 'V2', 7.4));
    await ack(adtMessage(header('BV_A'), 'A03', patient(2), 'V2'));
    // A result without a visit number is not linked to any encounter.
    await ack(oruMessage(header('BV_A'), patient(3), undefined, 6.1));
    // BV_B (district 219): two encounters, results for W1.
    await ack(adtMessage(header('BV_B'), 'A04', patient(4), 'W1'));
    await ack(adtMessage(header('BV_B'), 'A04', patient(5), 'W2'));
    await ack(oruMessage(header('BV_B'), patient(4), 'W1', 4.8));
    // Bookings: BV_A 3 online (WEB, VNEID, APP) of 4; BV_B 1 online (WEB) of 2.
    const start = new Date('2026-03-05T08:00:00+07:00');
    for (const channel of ['WEB', 'QUAY', 'VNEID', 'APP'])
      await ack(siuMessage(header('BV_A'), patient(6), `LH${seq}`, start, channel));
    for (const channel of ['QUAY', 'WEB'])
      await ack(siuMessage(header('BV_B'), patient(7), `LH${seq}`, start, channel));
    expect(acks).toEqual(Array(17).fill('AA'));

    expect(await f.ctx.server.health.recordKpis()).toBe(6);
    const obs = await f.ctx.server.kpi.listObservations({
      indicators: ['L2.N1.PN3.01', 'L2.N1.PN3.02'],
      limit: 100,
    });
    const figures = obs
      .map(
        ({ observation: o }) =>
          `${o.indicator} ${o.scope.adminUnitCode} ${o.numerator}/${o.denominator} ${o.value}`,
      )
      .sort();
    // Hand-computed: encounters 5 (V1 V2 V3 W1 W2), with results 3 (V1 V2 W1); bookings 6, online 4.
    expect(figures).toEqual([
      'L2.N1.PN3.01 213 2/3 66.67',
      'L2.N1.PN3.01 219 1/2 50',
      'L2.N1.PN3.01 24 3/5 60',
      'L2.N1.PN3.02 213 3/4 75',
      'L2.N1.PN3.02 219 1/2 50',
      'L2.N1.PN3.02 24 4/6 66.67',
    ]);
    expect(
      obs.every(
        ({ observation: o }) =>
          o.method === 'automatic' &&
          o.source === 'ioc-health' &&
          JSON.stringify(o.period) === '{"year":2026}',
      ),
    ).toBe(true);
    // Unchanged figures record nothing new.
    expect(await f.ctx.server.health.recordKpis()).toBe(0);
    const summary = await api('GET', '/api/v1/health/summary', HEALTH);
    expect(summary.status).toBe(200);
    conforms('GET', '/api/v1/health/summary', summary);
    expect(summary.json.kpis).toEqual([
      { indicator: 'L2.N1.PN3.01', year: 2026, numerator: 3, denominator: 5, value: 60 },
      { indicator: 'L2.N1.PN3.02', year: 2026, numerator: 4, denominator: 6, value: 66.67 },
    ]);
    const facilities = summary.json.facilities as {
      id: string;
      total: number;
      byType: Record<string, number>;
    }[];
    expect(facilities.map((x) => [x.id, x.total])).toEqual([
      ['BV_A', 12],
      ['BV_B', 5],
      ['BV_C', 0],
    ]);
    expect(facilities[0]?.byType).toEqual({
      'ADT^A01': 1,
      'ADT^A03': 1,
      'ADT^A04': 3,
      'ORU^R01': 3,
      'SIU^S12': 4,
    });
  });

  it('stores, acknowledges AA, delivers the Bundle to the FHIR server and announces it without patient data', async () => {
    const ac = new AbortController();
    const res = await fetch(new URL('/api/v1/events?types=hl7.message.accepted', f.ctx.server.url), {
      headers: { authorization: `Bearer ${f.ctx.token(['department'], { department: 'health' })}` },
      signal: ac.signal,
    });
    expect(res.status).toBe(200);
    const frames = sseFrames(res);
    const h = header('BV_A');
    const er7 = adtMessage(h, 'A01', patient(20), 'D20');
    const ack = await send(er7);
    expect([ack.get('MSA-1'), ack.get('MSA-2')]).toEqual(['AA', h.controlId]);
    const event = await nextEvent(frames);
    ac.abort();
    const validate = acceptedMessage();
    expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
    expect(event).toMatchObject({
      type: 'hl7.message.accepted',
      data: { facility: 'BV_A', messageType: 'ADT^A01', controlId: h.controlId },
    });
    expect(JSON.stringify(event)).not.toMatch(/Thử20|024087000020|BN20/);

    await f.ctx.server.health.drain();
    const list = await api('GET', `/api/v1/health/messages?facility=BV_A&type=ADT%5EA01&limit=1`, HEALTH);
    expect(list.status).toBe(200);
    conforms('GET', '/api/v1/health/messages', list);
    const item = list.json.items?.[0] as Record<string, unknown>;
    expect(item).toMatchObject({
      facility: 'BV_A',
      messageType: 'ADT^A01',
      structure: 'ADT_A01',
      controlId: h.controlId,
      ackCode: 'AA',
      delivery: 'delivered',
      attempts: 1,
      receivedAt: clock.toISOString(),
    });
    expect(list.text).not.toMatch(/Thử20|024087000020|BN20/);
    const found = fhir.find('Patient', 'http://fhir.ehealth.gov.vn/core/sid/national_id|024087000020');
    expect(found).toHaveLength(1);
    expect(item.fhirResources).toContain(`Patient/${found[0]?.id}`);
    expect(fhir.find('Encounter', 'urn:dttm:sid:BV_A:visit|D20')).toHaveLength(1);

    // The detail: resources for the health department, the ER7 only for operators.
    const path = `/api/v1/health/messages/${String(item.id)}`;
    const dept = await api('GET', path, HEALTH);
    expect(dept.status).toBe(200);
    conforms('GET', '/api/v1/health/messages/{messageId}', dept);
    expect((dept.json.resources as { resourceType: string }[]).map((r) => r.resourceType)).toEqual([
      'Patient',
      'Encounter',
    ]);
    expect(dept.json.er7).toBeUndefined();
    const op = await api('GET', path, OPERATOR);
    conforms('GET', '/api/v1/health/messages/{messageId}', op);
    expect(op.json.er7).toBe(er7);
  });

  it('keeps acknowledging while the FHIR server is down and delivers after it recovers', async () => {
    await fhir.down();
    const h = header('BV_B');
    const ack = await send(adtMessage(h, 'A04', patient(30), 'D30'));
    expect(ack.get('MSA-1')).toBe('AA');
    // Retried with backoff while the server refuses connections.
    await expect
      .poll(async () => (await f.ctx.server.storage.health.listMessages({ limit: 1, facility: 'BV_B' }))[0], {
        timeout: 5000,
      })
      .toMatchObject({ controlId: h.controlId, delivery: 'queued', lastError: 'FHIR_NETWORK' });
    const queued = await api('GET', '/api/v1/health/messages?delivery=queued', OPERATOR);
    expect(queued.json.items?.map((m) => m.controlId)).toEqual([h.controlId]);
    await fhir.up();
    await f.ctx.server.health.drain();
    const [m] = await f.ctx.server.storage.health.listMessages({ limit: 1, facility: 'BV_B' });
    expect(m?.delivery).toBe('delivered');
    expect(m?.attempts).toBeGreaterThan(1);
    expect(fhir.find('Encounter', 'urn:dttm:sid:BV_B:visit|D30')).toHaveLength(1);
  });

  it('keeps undelivered Bundles across a restart of the server and delivers them afterwards', async () => {
    await fhir.down();
    const h = header('BV_A');
    expect((await send(adtMessage(h, 'A04', patient(40), 'D40'))).get('MSA-1')).toBe('AA');
    await f.ctx.server.close();
    const config = loadConfig({
      PORT: '0',
      DATA_DIR: f.ctx.dataDir,
      LOG_LEVEL: 'silent',
      DEMO: 'false',
      ...env,
    });
    f.ctx.server = await startServer(config, silentLogger, { now: () => clock });
    await fhir.up();
    await f.ctx.server.health.drain();
    await expect
      .poll(
        async () =>
          (await f.ctx.server.storage.health.listMessages({ limit: 1, facility: 'BV_A' }))[0]?.delivery,
        {
          timeout: 5000,
        },
      )
      .toBe('delivered');
    expect(fhir.find('Encounter', 'urn:dttm:sid:BV_A:visit|D40')).toHaveLength(1);
    // Delivered Bundles are not kept: only their delivered marks and nothing pending.
    const records = (await f.ctx.server.storage.health.loadOutboxRecords()) as { op: string }[];
    expect(records.filter((r) => r.op === 'enqueue')).toEqual([]);
    // The registry came back with it.
    expect(f.ctx.server.health.listFacilities().map((x) => x.id)).toEqual(['BV_A', 'BV_B', 'BV_C']);
  });

  it('rejects an unknown facility, and a registered one from an address it did not list, with AR naming MSH-4', async () => {
    const before = (await f.ctx.server.storage.health.listMessages({ limit: 500 })).length;
    for (const facility of ['BV_UNKNOWN', 'BV_C']) {
      const h = header(facility);
      const ack = await send(adtMessage(h, 'A04', patient(50), 'D50'));
      expect([ack.get('MSA-1'), ack.get('MSA-2')]).toEqual(['AR', h.controlId]);
      expect(ack.toString()).toMatch(/\rERR\|\|MSH\^1\^4\|103\^/);
    }
    expect((await f.ctx.server.storage.health.listMessages({ limit: 500 })).length).toBe(before);
    // BV_B lists 127.0.0.1, where the test connects from.
    expect((await send(adtMessage(header('BV_B'), 'A04', patient(51), 'D51'))).get('MSA-1')).toBe('AA');
  });

  it('answers malformed ER7 with AR, loses nothing accepted before and keeps serving', async () => {
    const before = (await f.ctx.server.storage.health.listMessages({ limit: 500 })).map((m) => m.id);
    const refused = (await api('GET', '/api/v1/health/summary', OPERATOR)).json.refused as number;
    const nopid = `MSH|^~\\&|HIS|BV_A|HUB|SYT|20260302090000||ADT^A01^ADT_A01|BAD1|P|2.5.1\rPV1|1|I\r`;
    const noType = `MSH|^~\\&|HIS|BV_A|HUB|SYT|20260302090000|||BAD2|P|2.5.1\rPID|1||X\r`;
    expect((await send(nopid)).get('MSA-1')).toBe('AR');
    expect((await send(noType)).get('MSA-1')).toBe('AR');
    expect(await sendRawFrame(Buffer.from('this is not HL7 at all'))).toMatch(/MSA\|AR\|/);
    expect(await sendRawFrame(Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02, 0x9c]))).toMatch(/MSA\|AR\|/);
    const after = (await f.ctx.server.storage.health.listMessages({ limit: 500 })).map((m) => m.id);
    expect(after).toEqual(before);
    expect((await send(adtMessage(header('BV_A'), 'A04', patient(60), 'D60'))).get('MSA-1')).toBe('AA');
    const summary = await api('GET', '/api/v1/health/summary', OPERATOR);
    expect(summary.json.refused).toBe(refused + 4);
    expect((await api('GET', '/health')).status).toBe(200);
  });

  it('shares health data with leadership, operators and the health department only', async () => {
    const paths = ['/api/v1/health/facilities', '/api/v1/health/messages', '/api/v1/health/summary'];
    for (const path of paths) {
      for (const who of [{ roles: ['leadership'] as Roles }, OPERATOR, HEALTH]) {
        const r = await api('GET', path, who);
        expect(r.status, `${path} ${JSON.stringify(who)}`).toBe(200);
        conforms('GET', path.replace('/api/v1/health', '/api/v1/health'), r);
      }
      for (const who of [
        { roles: ['department'] as Roles, claims: { department: 'education' } },
        { roles: ['machine'] as Roles },
        { roles: ['district'] as Roles, claims: { area: '213' } },
      ]) {
        const r = await api('GET', path, who);
        expect(r.status, `${path} ${JSON.stringify(who)}`).toBe(403);
        expect(r.type).toBe('application/problem+json');
        conforms('GET', path, r);
      }
      const anon = await api('GET', path);
      expect(anon.status).toBe(401);
      conforms('GET', path, anon);
    }
    // Only operators register facilities.
    for (const who of [HEALTH, { roles: ['leadership'] as Roles }, { roles: ['machine'] as Roles }]) {
      const r = await api('POST', '/api/v1/health/facilities', { ...who, body: { id: 'BV_X', name: 'X' } });
      expect(r.status).toBe(403);
      conforms('POST', '/api/v1/health/facilities', r);
    }
    // An education department does not get the live events either; the health department does.
    const stream = async (claims: Claims) => {
      const ac = new AbortController();
      const res = await fetch(new URL('/api/v1/events?types=hl7.message.accepted', f.ctx.server.url), {
        headers: { authorization: `Bearer ${f.ctx.token(['department'], claims)}` },
        signal: ac.signal,
      });
      expect(res.status).toBe(200);
      return { frames: sseFrames(res), ac };
    };
    const education = await stream({ department: 'education' });
    const health = await stream({ department: 'health' });
    const h = header('BV_A');
    await send(adtMessage(h, 'A04', patient(70), 'D70'));
    expect((await nextEvent(health.frames)).data).toMatchObject({ controlId: h.controlId });
    const first = await Promise.race([
      nextEvent(education.frames).then((e) => e.type),
      new Promise((r) => setTimeout(() => r('none'), 500)),
    ]);
    education.ac.abort();
    health.ac.abort();
    expect(first).toBe('none');
  });

  it('registers and replaces facilities (audited) and answers bad input with problem+json', async () => {
    const put = await api('PUT', '/api/v1/health/facilities/BV_D', {
      ...OPERATOR,
      body: { name: 'Bệnh viện Sản Nhi', area: '213' },
    });
    expect(put.status).toBe(201);
    conforms('PUT', '/api/v1/health/facilities/{facilityId}', put);
    const again = await api('PUT', '/api/v1/health/facilities/BV_D', {
      ...OPERATOR,
      body: { name: 'Bệnh viện Sản Nhi tỉnh', addresses: ['192.0.2.10'] },
    });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({
      id: 'BV_D',
      name: 'Bệnh viện Sản Nhi tỉnh',
      addresses: ['192.0.2.10'],
    });
    expect(again.json.createdAt).toBe(put.json.createdAt);
    const got = await api('GET', '/api/v1/health/facilities/BV_D', HEALTH);
    conforms('GET', '/api/v1/health/facilities/{facilityId}', got);
    expect(got.json.name).toBe('Bệnh viện Sản Nhi tỉnh');
    const audit = await api('GET', '/api/v1/audit?limit=1000', OPERATOR);
    const actions = (audit.json.items ?? []).map((e) => `${String(e.action)} ${String(e.subject)}`);
    expect(actions).toContain('health.facility.register facility:BV_D');
    expect(actions).toContain('health.facility.update facility:BV_D');
    expect(actions.filter((a) => a.startsWith('hl7.message.accept')).length).toBeGreaterThan(17);
    expect(audit.text).not.toMatch(/Thử|024087000/);

    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/api/v1/health/facilities', { id: 'bad id!', name: 'x' }, 400, 'INVALID_REQUEST'],
      ['POST', '/api/v1/health/facilities', { id: 'BV_E' }, 400, 'INVALID_REQUEST'],
      ['POST', '/api/v1/health/facilities', { id: 'BV_E', name: 'x', area: '2130' }, 400, 'INVALID_REQUEST'],
      [
        'POST',
        '/api/v1/health/facilities',
        { id: 'BV_E', name: 'x', addresses: ['not an ip'] },
        400,
        'INVALID_REQUEST',
      ],
      ['POST', '/api/v1/health/facilities', { id: 'BV_E', name: 'x', extra: 1 }, 400, 'INVALID_REQUEST'],
      ['POST', '/api/v1/health/facilities', '{"id": "BV_E",', 400, 'INVALID_REQUEST'],
      ['POST', '/api/v1/health/facilities', { id: 'BV_A', name: 'again' }, 409, 'FACILITY_EXISTS'],
      ['PUT', '/api/v1/health/facilities/BV_D', { id: 'BV_Z', name: 'x' }, 400, 'INVALID_REQUEST'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const r = await api(method, path, { ...OPERATOR, body });
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}: ${r.text}`).toBe(status);
      expect(r.type).toBe('application/problem+json');
      if (code !== 'INVALID_REQUEST' || typeof body !== 'string') expect(r.json.code).toBe(code);
    }
    const gets: [string, string, number][] = [
      ['/api/v1/health/messages?limit=0', '/api/v1/health/messages', 400],
      ['/api/v1/health/messages?limit=abc', '/api/v1/health/messages', 400],
      ['/api/v1/health/messages?type=adt', '/api/v1/health/messages', 400],
      ['/api/v1/health/messages?delivery=lost', '/api/v1/health/messages', 400],
      ['/api/v1/health/messages?from=yesterday', '/api/v1/health/messages', 400],
      [
        '/api/v1/health/messages?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z',
        '/api/v1/health/messages',
        400,
      ],
      ['/api/v1/health/messages/xyz', '/api/v1/health/messages/{messageId}', 400],
      ['/api/v1/health/messages/0123456789abcdef', '/api/v1/health/messages/{messageId}', 404],
      ['/api/v1/health/facilities/NOPE', '/api/v1/health/facilities/{facilityId}', 404],
    ];
    for (const [path, template, status] of gets) {
      const r = await api('GET', path, OPERATOR);
      expect(r.status, `${path}: ${r.text}`).toBe(status);
      conforms('GET', template, r);
    }
    expect(f.ctx.server.health.listFacilities().some((x) => x.id === 'BV_E')).toBe(false);
  });

  it('pages the message list with filters, newest first', async () => {
    const all = await api('GET', '/api/v1/health/messages?limit=500', OPERATOR);
    const total = all.json.items?.length ?? 0;
    expect(total).toBeGreaterThan(20);
    const page1 = await api('GET', '/api/v1/health/messages?limit=10', OPERATOR);
    const page2 = await api('GET', '/api/v1/health/messages?limit=10&offset=10', OPERATOR);
    conforms('GET', '/api/v1/health/messages', page2);
    expect(page1.json.nextOffset).toBe(10);
    expect([...(page1.json.items ?? []), ...(page2.json.items ?? [])].map((m) => m.id)).toEqual(
      all.json.items?.slice(0, 20).map((m) => m.id),
    );
    const siu = await api('GET', '/api/v1/health/messages?type=SIU&facility=BV_B&limit=500', HEALTH);
    expect(siu.json.items?.map((m) => m.messageType)).toEqual(['SIU^S12', 'SIU^S12']);
    expect(siu.json.nextOffset).toBeUndefined();
    const later = await api(
      'GET',
      `/api/v1/health/messages?from=${encodeURIComponent('2026-03-03T00:00:00+07:00')}`,
      HEALTH,
    );
    expect(later.json.items).toEqual([]);
  });
});

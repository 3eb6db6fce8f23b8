/**
 * The health service's durability rules over real MLLP and HTTP: a message whose storage fails is
 * answered AE and not queued, enhanced-mode messages get CA, a Bundle the FHIR server refuses becomes
 * `failed`, and a message stored without its outbox item (a crash in between) is delivered at start.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHl7Error, MllpClient, parseHl7, type Hl7Message } from '@dttm/hl7-fhir-bridge';
import { FhirTestServer } from '@dttm/hl7-fhir-bridge/testing';
import { createLocalBus } from '../src/events/local.js';
import { silentLogger } from '../src/index.js';
import { HealthService } from '../src/modules/health/service.js';
import { adtMessage } from '../src/demo/health.js';
import { openSqliteStorage } from '../src/storage/sqlite/index.js';
import type { HealthRepository, Storage } from '../src/storage/types.js';

let dir: string;
let storage: Storage;
let fhir: FhirTestServer;
const bus = createLocalBus({ source: 'urn:test' });
const services: HealthService[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-health-svc-'));
  storage = openSqliteStorage({ file: path.join(dir, 'ioc.sqlite') });
  fhir = await FhirTestServer.listen();
  await storage.health.putFacility(
    { id: 'BV_S', name: 'Bệnh viện S', addresses: [], createdAt: 'x', updatedAt: 'x' },
    { actor: 'test', action: 'health.facility.register', subject: 'facility:BV_S', data: {} },
  );
});
afterAll(async () => {
  for (const s of services) await s.close();
  await fhir.close();
  await storage.close();
  await bus.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function start(repo: HealthRepository = storage.health): Promise<HealthService> {
  const s = await HealthService.start({
    repo,
    bus,
    logger: silentLogger,
    mllp: { port: 0, host: '127.0.0.1' },
    fhir: { baseUrl: fhir.baseUrl },
    outbox: { baseDelayMs: 5, maxDelayMs: 20 },
    kpiDelayMs: 0,
  });
  services.push(s);
  return s;
}

async function send(port: number, er7: string): Promise<Hl7Message> {
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

const patient = (i: number) => ({
  mrn: `BN${i}`,
  cccd: `0245550${String(i).padStart(5, '0')}`,
  family: 'Phạm',
  given: 'Quốc Dũng',
  birthDate: '19800505',
  sex: 'M' as const,
});
const msg = (controlId: string, visit: string, extra = '') =>
  adtMessage(
    { facility: 'BV_S', controlId, at: new Date('2026-03-02T09:00:00+07:00') },
    'A04',
    patient(1),
    visit,
  ).replace('|P|2.5.1|', `|P|2.5.1${extra}|`);

describe('health service durability', () => {
  it('answers AE when the message cannot be stored, queues nothing, and AA once storage is back', async () => {
    let failing = true;
    const repo: HealthRepository = {
      ...storage.health,
      appendMessage: (m, a) =>
        failing ? Promise.reject(new Error('disk full')) : storage.health.appendMessage(m, a),
    };
    const s = await start(repo);
    const ack = await send(s.port ?? 0, msg('S1', 'VS1'));
    expect(ack.get('MSA-1')).toBe('AE');
    await s.drain();
    expect(fhir.find('Encounter', 'urn:dttm:sid:BV_S:visit|VS1')).toEqual([]);
    expect((await storage.health.loadOutboxRecords()).length).toBe(0);
    failing = false;
    expect((await send(s.port ?? 0, msg('S1', 'VS1'))).get('MSA-1')).toBe('AA');
    await s.drain();
    expect(fhir.find('Encounter', 'urn:dttm:sid:BV_S:visit|VS1')).toHaveLength(1);
    await s.close();
  });

  it('acknowledges enhanced mode with CA, and a Bundle the FHIR server refuses three times becomes failed', async () => {
    const s = await start();
    // MSH-15 AL (accept acknowledgment always), MSH-16 NE.
    const ack = await send(s.port ?? 0, msg('S2', 'VS2', '|||AL|NE'));
    expect(ack.get('MSA-1')).toBe('CA');
    await s.drain();
    fhir.inject({ kind: 'status', status: 422, times: 3 });
    expect((await send(s.port ?? 0, msg('S3', 'VS3'))).get('MSA-1')).toBe('AA');
    await s.drain();
    const [s3, s2] = await storage.health.listMessages({ limit: 2 });
    expect(s2).toMatchObject({ controlId: 'S2', ackCode: 'CA', delivery: 'delivered' });
    expect(s3).toMatchObject({
      controlId: 'S3',
      delivery: 'failed',
      attempts: 3,
      lastError: 'FHIR_REJECTED 422',
    });
    await s.close();
  });

  it('accepts a facility another instance registered once the registry is refreshed', async () => {
    const s = await start();
    const other = (id: string) =>
      adtMessage({ facility: 'BV_NEW', controlId: id, at: new Date() }, 'A04', patient(2), `VN${id}`);
    expect((await send(s.port ?? 0, other('N1'))).get('MSA-1')).toBe('AR');
    await storage.health.putFacility(
      { id: 'BV_NEW', name: 'Bệnh viện mới', addresses: [], createdAt: 'x', updatedAt: 'x' },
      { actor: 'test', action: 'health.facility.register', subject: 'facility:BV_NEW', data: {} },
    );
    await s.refreshRegistry();
    expect((await send(s.port ?? 0, other('N2'))).get('MSA-1')).toBe('AA');
    await s.drain();
    await s.close();
  });

  it('over TLS, accepts only facilities presenting a client certificate of the configured CA', async () => {
    const pki = path.join(dir, 'pki');
    fs.mkdirSync(pki);
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: pki, stdio: 'pipe' });
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    ssl(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=So Y te test CA',
    );
    for (const [name, ext] of [
      ['server', 'subjectAltName=IP:127.0.0.1'],
      ['client', 'extendedKeyUsage=clientAuth'],
    ] as const) {
      ssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
      fs.writeFileSync(path.join(pki, `${name}.ext`), `${ext}\n`);
      ssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.pem`,
        '-days',
        '2',
        '-extfile',
        `${name}.ext`,
      );
    }
    const read = (f: string) => fs.readFileSync(path.join(pki, f));
    const s = await HealthService.start({
      repo: storage.health,
      bus,
      logger: silentLogger,
      mllp: {
        port: 0,
        host: '127.0.0.1',
        tls: {
          cert: read('server.pem'),
          key: read('server.key'),
          ca: read('ca.pem'),
          requestCert: true,
          rejectUnauthorized: true,
        },
      },
      fhir: { baseUrl: fhir.baseUrl },
      kpiDelayMs: 0,
    });
    services.push(s);
    const port = s.port ?? 0;
    const withCert = await MllpClient.connect({
      host: '127.0.0.1',
      port,
      tls: { ca: read('ca.pem'), cert: read('client.pem'), key: read('client.key') },
    });
    expect((await withCert.send(msg('T1', 'VT1'))).get('MSA-1')).toBe('AA');
    await withCert.close();
    const refused = await MllpClient.connect({
      host: '127.0.0.1',
      port,
      tls: { ca: read('ca.pem') },
      timeoutMs: 2000,
    })
      .then((c) =>
        c.send(msg('T2', 'VT2'), { timeoutMs: 2000 }).finally(() => c.close().catch(() => undefined)),
      )
      .then(
        () => 'accepted',
        () => 'refused',
      );
    expect(refused).toBe('refused');
    expect((await storage.health.listMessages({ limit: 100 })).map((m) => m.controlId)).not.toContain('T2');
    await s.drain();
    await s.close();
  });

  it('registers the facilities of the facilities file once, and names the bad item of a bad file', async () => {
    const file = path.join(dir, 'facilities.json');
    fs.writeFileSync(
      file,
      JSON.stringify([{ id: 'BV_FILE', name: 'Bệnh viện từ tệp', area: '222', addresses: ['10.1.2.3'] }]),
    );
    const audits = async () =>
      (await storage.audit.list({ limit: 1000 })).filter((e) => e.subject === 'facility:BV_FILE').length;
    const opts = {
      repo: storage.health,
      bus,
      logger: silentLogger,
      facilitiesFile: file,
      registryRefreshMs: 0,
    };
    const a = await HealthService.start(opts);
    expect(await a.getFacility('BV_FILE')).toMatchObject({
      name: 'Bệnh viện từ tệp',
      area: '222',
      addresses: ['10.1.2.3'],
    });
    expect(a.listening).toBe(false);
    await a.close();
    await (await HealthService.start(opts)).close();
    expect(await audits()).toBe(1);
    fs.writeFileSync(
      file,
      JSON.stringify([
        { id: 'BV_OK', name: 'x' },
        { id: 'bad id', name: 'y' },
      ]),
    );
    await expect(HealthService.start(opts)).rejects.toThrow(/HL7_FACILITIES_FILE .*: item 1: id:/);
    fs.writeFileSync(file, '{"id":');
    await expect(HealthService.start(opts)).rejects.toThrow(/HL7_FACILITIES_FILE/);
  });

  it('delivers at start a message stored without its outbox item', async () => {
    const er7 = msg('S4', 'VS4');
    await storage.health.appendMessage(
      {
        id: '00000000000000a4',
        key: 'HIS^BV_S^S4',
        facility: 'BV_S',
        application: 'HIS',
        messageType: 'ADT^A04',
        structure: 'ADT_A01',
        controlId: 'S4',
        receivedAt: new Date().toISOString(),
        remoteAddress: '127.0.0.1:1',
        ackCode: 'AA',
        delivery: 'queued',
        attempts: 0,
        fhirResources: [],
        facts: { encounter: true, visit: 'VS4' },
        er7,
      },
      { actor: 'test', action: 'hl7.message.accept', subject: 'hl7:s4', data: {} },
    );
    const s = await start();
    await s.drain();
    expect(fhir.find('Encounter', 'urn:dttm:sid:BV_S:visit|VS4')).toHaveLength(1);
    const m = (await storage.health.listMessages({ limit: 10 })).find((x) => x.controlId === 'S4');
    expect(m?.delivery).toBe('delivered');
    // Messages delivered or failed before are not sent again.
    expect(fhir.find('Encounter', 'urn:dttm:sid:BV_S:visit|VS1')).toHaveLength(1);
    expect(fhir.find('Encounter', 'urn:dttm:sid:BV_S:visit|VS3')).toEqual([]);
  });
});

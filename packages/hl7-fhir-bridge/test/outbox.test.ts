import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FhirClient,
  FileMessageStore,
  FileOutboxStore,
  Hl7FhirBridge,
  InMemoryOutboxStore,
  MllpClient,
  Outbox,
  hl7ToFhir,
  isHl7Error,
  patientPartition,
  type OutboxEvent,
  type OutboxRecord,
  type TransactionBundle,
} from '../src/index.js';
import { FhirTestServer, type StoredResource } from '../src/testing/index.js';

const MRN = 'http://fhir.ehealth.gov.vn/core/sid/patient-internal-id/BVBG';

/** An ADT message for patient `mrn`, visit `visit`, control id `id`. */
function adt(event: string, id: string, mrn: string, visit: string, name = 'Nguyễn^Văn An'): string {
  return (
    `MSH|^~\\&|HIS|BVBG|HUB|SYT|20240305143012+0700||ADT^${event}|${id}|P|2.5.1\r` +
    `PID|1||${mrn}^^^BVBG^MR||${name}||19870412|M\r` +
    `PV1|1|I|NOI^101^A||||||||||||||||${visit}\r`
  );
}

/** The MSH-10 of every transaction the server accepted, in arrival order. */
function delivered(server: FhirTestServer): string[] {
  return server.requests
    .filter((r) => r.method === 'POST' && r.url === '/' && r.status === 200)
    .map((r) => (r.body as TransactionBundle).identifier?.value ?? '');
}

const encounterStatus = (server: FhirTestServer, visit: string) =>
  server.find('Encounter', `urn:dttm:sid:BVBG:visit|${visit}`).map((e) => e.status);

let tmp: string;
let server: FhirTestServer;
beforeEach(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hl7-outbox-'));
  server = await FhirTestServer.listen();
});
afterEach(async () => {
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const fast = { backoff: { baseDelayMs: 5, maxDelayMs: 20 } };

describe('FileOutboxStore', () => {
  const record = (id: string): OutboxRecord => ({ op: 'delivered', id, at: '2026-03-01T00:00:00.000Z' });

  it('survives a reopen and drops a torn last line before appending', async () => {
    const file = path.join(tmp, 'o.ndjson');
    const s1 = await FileOutboxStore.open(file);
    await s1.append(record('a'));
    await s1.append(record('b'));
    await s1.close();
    fs.appendFileSync(file, '{"op":"delivered","id":"tor');
    const s2 = await FileOutboxStore.open(file);
    expect((await s2.load()).map((r) => (r as { id: string }).id)).toEqual(['a', 'b']);
    await s2.append(record('c'));
    await s2.close();
    const s3 = await FileOutboxStore.open(file);
    expect((await s3.load()).map((r) => (r as { id: string }).id)).toEqual(['a', 'b', 'c']);
    await s3.close();
    expect(fs.readFileSync(file, 'utf8').split('\n')).toHaveLength(4);
  });

  it('refuses a file corrupted before its last line', async () => {
    const file = path.join(tmp, 'bad.ndjson');
    fs.writeFileSync(file, `${JSON.stringify(record('a'))}\nnot json\n${JSON.stringify(record('b'))}\n`);
    const e: unknown = await FileOutboxStore.open(file).catch((err: unknown) => err);
    expect(isHl7Error(e) && e.code).toBe('STORE_FAILED');
    expect(isHl7Error(e) && e.details?.offset).toBe(JSON.stringify(record('a')).length + 1);
  });
});

describe('FileMessageStore', () => {
  it('cuts a torn last line off so the next message gets a line of its own', async () => {
    const file = path.join(tmp, 'inbox.ndjson');
    const msg = (key: string) => ({
      key,
      controlId: key,
      type: 'ADT_A01',
      receivedAt: '2026-03-01T00:00:00.000Z',
      remoteAddress: '127.0.0.1:1',
      er7: adt('A01', key, 'BN1', 'V1'),
    });
    const signal = new AbortController().signal;
    const s1 = await FileMessageStore.open(file);
    await s1.append(msg('K1'), signal);
    await s1.close();
    fs.appendFileSync(file, '{"key":"K2","contr');
    const s2 = await FileMessageStore.open(file);
    expect(await s2.append(msg('K3'), signal)).toBe('stored');
    expect(await s2.append(msg('K1'), signal)).toBe('duplicate');
    await s2.close();
    expect((await FileMessageStore.read(file)).map((m) => m.key)).toEqual(['K1', 'K3']);
    const s3 = await FileMessageStore.open(file);
    expect(await s3.append(msg('K3'), signal)).toBe('duplicate');
    await s3.close();
  });
});

describe('Outbox', () => {
  const bundle = (event: string, id: string, mrn: string, visit: string) =>
    hl7ToFhir(adt(event, id, mrn, visit)).bundle;

  it('partitions by the Patient entry key', () => {
    expect(patientPartition(bundle('A01', 'M1', 'BN1', 'V1'))).toBe(`Patient?identifier=${MRN}|BN1`);
  });

  it('delivers in order, dead-letters a bundle rejected maxAttempts times, and keeps going', async () => {
    const events: OutboxEvent['type'][] = [];
    const client = new FhirClient({ baseUrl: server.baseUrl });
    const outbox = await Outbox.open({
      store: new InMemoryOutboxStore(),
      client,
      maxAttempts: 2,
      ...fast,
      onEvent: (e) => events.push(e.type),
    });
    const broken = {
      resourceType: 'Bundle',
      type: 'transaction',
      identifier: { value: 'BROKEN' },
      entry: [{ resource: { resourceType: 'Patient' } }],
    } as unknown as TransactionBundle;
    expect(await outbox.enqueue({ id: 'm1', bundle: bundle('A01', 'M1', 'BN1', 'V1') })).toBe('queued');
    expect(
      await outbox.enqueue({ id: 'm2', bundle: broken, partition: `Patient?identifier=${MRN}|BN1` }),
    ).toBe('queued');
    expect(await outbox.enqueue({ id: 'm3', bundle: bundle('A03', 'M3', 'BN1', 'V1') })).toBe('queued');
    expect(await outbox.enqueue({ id: 'm1', bundle: bundle('A01', 'M1', 'BN1', 'V1') })).toBe('duplicate');
    await outbox.drain(AbortSignal.timeout(5000));
    expect(delivered(server)).toEqual(['M1', 'M3']);
    expect(encounterStatus(server, 'V1')).toEqual(['finished']);
    const [dead] = outbox.deadLetters();
    expect(dead?.id).toBe('m2');
    expect(dead?.attempts).toBe(2);
    expect(dead?.error).toEqual({
      code: 'FHIR_REJECTED',
      message:
        'POST /: HTTP 400 — Bundle.entry[0].request is required; the server rejected the request / máy chủ từ chối yêu cầu',
      status: 400,
      issues: [{ severity: 'error', code: 'invalid', diagnostics: 'Bundle.entry[0].request is required' }],
    });
    expect(dead?.bundle).toBe(broken);
    expect(outbox.stats()).toEqual({
      pending: 0,
      delivered: 2,
      dead: 1,
      failedAttempts: 2,
      activePartitions: 0,
    });
    expect(events).toEqual(['enqueued', 'enqueued', 'enqueued', 'delivered', 'retry', 'dead', 'delivered']);
    await outbox.close();
    await expect(outbox.enqueue({ id: 'm4', bundle: broken })).rejects.toMatchObject({
      code: 'OUTBOX_CLOSED',
    });
  });

  it('retries 5xx and network failures past maxAttempts: nothing is dropped', async () => {
    server.inject({ kind: 'status', status: 503, times: 4 });
    server.inject({ kind: 'drop', times: 2 });
    await using outbox = await Outbox.open({
      store: new InMemoryOutboxStore(),
      client: new FhirClient({ baseUrl: server.baseUrl }),
      maxAttempts: 1,
      ...fast,
    });
    await outbox.enqueue({ id: 'm1', bundle: bundle('A04', 'M1', 'BN9', 'V9') });
    await outbox.drain(AbortSignal.timeout(5000));
    expect(outbox.stats()).toMatchObject({ delivered: 1, dead: 0, failedAttempts: 6 });
    expect(server.requests.map((r) => r.status)).toEqual([503, 503, 503, 503, 0, 0, 200]);
  });

  it('resumes pending bundles from a file store after a restart', async () => {
    const file = path.join(tmp, 'outbox.ndjson');
    await server.down();
    const client = new FhirClient({ baseUrl: server.baseUrl, timeoutMs: 2000 });
    const first = await Outbox.open({ store: await FileOutboxStore.open(file), client, ...fast });
    await first.enqueue({ id: 'a', bundle: bundle('A01', 'A', 'BN1', 'V1') });
    await first.enqueue({ id: 'b', bundle: bundle('A03', 'B', 'BN1', 'V1') });
    expect(first.stats().pending).toBe(2);
    await first.close();
    await server.up();
    const second = await Outbox.open({ store: await FileOutboxStore.open(file), client, ...fast });
    expect(second.stats().pending).toBe(2);
    expect(fs.readdirSync(tmp).filter((f) => f.startsWith('outbox'))).toEqual(['outbox.ndjson']);
    await second.drain(AbortSignal.timeout(5000));
    expect(delivered(server)).toEqual(['A', 'B']);
    await second.close();
    const sizeBefore = fs.statSync(file).size;
    const third = await Outbox.open({ store: await FileOutboxStore.open(file), client, ...fast });
    expect(third.stats()).toMatchObject({ pending: 0, delivered: 2 });
    // Opening compacted the file: the delivered Bundles are gone, their ids stay for de-duplication.
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as OutboxRecord).op)).toEqual(['delivered', 'delivered']);
    expect(fs.statSync(file).size).toBeLessThan(sizeBefore / 4);
    expect(await third.enqueue({ id: 'a', bundle: bundle('A01', 'A', 'BN1', 'V1') })).toBe('duplicate');
    await third.close();
  });
});

describe('Hl7FhirBridge', () => {
  it('ACKs while the FHIR server is down, then delivers everything in order per patient', async () => {
    await server.down();
    await using bridge = await Hl7FhirBridge.start({
      fhir: { baseUrl: server.baseUrl, timeoutMs: 2000 },
      outbox: fast,
    });
    const client = await MllpClient.connect({ host: '127.0.0.1', port: bridge.port });
    const messages = [
      adt('A01', 'A1', 'BN1', 'VA', 'Nguyễn^Văn An'),
      adt('A04', 'B1', 'BN2', 'VB', 'Trần^Thị Bình'),
      adt('A08', 'A2', 'BN1', 'VA', 'Nguyễn^Văn Ân'),
      adt('A08', 'B2', 'BN2', 'VB', 'Trần^Thị Bính'),
      adt('A03', 'A3', 'BN1', 'VA', 'Nguyễn^Văn Ân'),
      adt('A01', 'B3', 'BN2', 'VB', 'Trần^Thị Bính'),
    ];
    const acks = await Promise.all(messages.map((m) => client.send(m)));
    expect(acks.map((a) => `${a.get('MSA-1') ?? ''} ${a.get('MSA-2') ?? ''}`)).toEqual([
      'AA A1',
      'AA B1',
      'AA A2',
      'AA B2',
      'AA A3',
      'AA B3',
    ]);
    expect(bridge.outbox.stats().pending).toBe(6);
    // A resent message is acknowledged again but queued once.
    expect((await client.send(messages[0] ?? '')).get('MSA-1')).toBe('AA');
    await client.close();
    expect(bridge.outbox.stats().pending).toBe(6);
    await new Promise((r) => setTimeout(r, 50));
    expect(delivered(server)).toEqual([]);
    await server.up();
    await bridge.outbox.drain(AbortSignal.timeout(10_000));
    const order = delivered(server);
    expect(order.filter((id) => id.startsWith('A'))).toEqual(['A1', 'A2', 'A3']);
    expect(order.filter((id) => id.startsWith('B'))).toEqual(['B1', 'B2', 'B3']);
    expect(
      server
        .resources('Patient')
        .map((p) => (p.name as { text: string }[])[0]?.text)
        .sort(),
    ).toEqual(['Nguyễn Văn Ân', 'Trần Thị Bính']);
    expect(encounterStatus(server, 'VA')).toEqual(['finished']);
    expect(encounterStatus(server, 'VB')).toEqual(['in-progress']);
    expect(bridge.outbox.stats()).toMatchObject({ pending: 0, delivered: 6, dead: 0 });
  });

  it('answers AR naming the segment for a message it cannot map, and stores nothing', async () => {
    await using bridge = await Hl7FhirBridge.start({
      fhir: { baseUrl: server.baseUrl },
      checkCapabilities: true,
    });
    const client = await MllpClient.connect({ host: '127.0.0.1', port: bridge.port });
    const noPid = 'MSH|^~\\&|HIS|BVBG|HUB|SYT|20240305143012||ADT^A01|X1|P|2.5.1\rEVN|A01|20240305143012\r';
    const ack = await client.send(noPid).catch((e: unknown) => e);
    expect(isHl7Error(ack) && ack.code).toBe('MLLP_NACK');
    const unsupported = 'MSH|^~\\&|HIS|BVBG|HUB|SYT|20240305143012||QRY^A19|X2|P|2.5.1\r';
    const ack2 = await client.send(unsupported).catch((e: unknown) => e);
    await client.close();
    const raw = (e: unknown) => (isHl7Error(e) ? String(e.details?.ack) : '');
    expect(raw(ack).split('\r').slice(1, 3)).toEqual([
      'MSA|AR|X1|ADT_A01 needs a PID segment to be mapped to FHIR / thiếu đoạn PID',
      'ERR||PID^1|100^Segment sequence error^HL70357|E||||ADT_A01 needs a PID segment to be mapped to FHIR / thiếu đoạn PID',
    ]);
    expect(raw(ack2).split('\r')[2]).toMatch(/^ERR\|\|MSH\^1\^9\|200\^Unsupported message type\^HL70357\|E/);
    expect(bridge.outbox.stats()).toMatchObject({ pending: 0, delivered: 0, dead: 0 });
    expect(server.requests.map((r) => r.url)).toEqual(['/metadata']);
  });
});

describe('restart recovery', () => {
  const fixture = path.resolve(import.meta.dirname, 'fixtures/bridge-process.ts');

  function startBridge(dir: string): { child: ChildProcess; port: Promise<number>; deliveries: string[] } {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, server.baseUrl, dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const deliveries: string[] = [];
    const port = new Promise<number>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`bridge exited with ${String(code)}`)));
      readline.createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
        const [word, value = ''] = line.split(' ');
        if (word === 'PORT') resolve(Number(value));
        if (word === 'DELIVERED') deliveries.push(value);
      });
    });
    return { child, port, deliveries };
  }

  const until = async (check: () => boolean, ms: number) => {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('delivers every acknowledged message after a SIGKILL mid-delivery, without duplicates', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => i);
    const messages = ids.flatMap((i) => [
      adt('A01', `P${i}-1`, `BN${i}`, `V${i}`),
      adt('A03', `P${i}-2`, `BN${i}`, `V${i}`),
    ]);
    server.inject({ kind: 'latency', ms: 60, times: 1000 });

    const first = startBridge(tmp);
    const mllp = await MllpClient.connect({ host: '127.0.0.1', port: await first.port });
    const acks = await Promise.all(messages.map((m) => mllp.send(m)));
    expect(acks.every((a) => a.get('MSA-1') === 'AA')).toBe(true);
    await mllp.close();
    await until(() => first.deliveries.length >= 3, 20_000);
    const exited = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    await exited;
    const beforeKill = first.deliveries.length;
    expect(beforeKill).toBeLessThan(messages.length);

    const second = startBridge(tmp);
    await second.port;
    await until(() => new Set(delivered(server)).size === messages.length, 30_000);
    second.child.kill('SIGKILL');
    await new Promise((r) => second.child.once('exit', r));

    const got = delivered(server);
    // Every message arrived, each patient's admission before its discharge.
    expect(new Set(got)).toEqual(new Set(messages.map((_, n) => `P${Math.floor(n / 2)}-${(n % 2) + 1}`)));
    for (const i of ids) {
      const mine = got.filter((id) => id.startsWith(`P${i}-`));
      expect(mine.lastIndexOf(`P${i}-1`)).toBeLessThan(mine.lastIndexOf(`P${i}-2`));
      expect(encounterStatus(server, `V${i}`)).toEqual(['finished']);
    }
    // Conditional writes make a re-sent bundle harmless: one Patient and one Encounter each.
    expect(server.resources('Patient')).toHaveLength(10);
    expect(server.resources('Encounter')).toHaveLength(10);
    const byMrn = (i: number): StoredResource[] => server.find('Patient', `${MRN}|BN${i}`);
    expect(ids.map((i) => byMrn(i).length)).toEqual(ids.map(() => 1));
  }, 60_000);
});

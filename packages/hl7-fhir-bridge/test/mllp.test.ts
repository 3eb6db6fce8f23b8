import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FileMessageStore,
  InMemoryMessageStore,
  MllpClient,
  MllpDecoder,
  MllpServer,
  encodeFrame,
  isHl7Error,
  parseHl7,
  type Hl7Error,
  type MessageStore,
  type MllpServerOptions,
} from '../src/index.js';

const adt = (id: string, extra = '') =>
  `MSH|^~\\&|HIS|BVBG|HUB|SYT|20240305143012||ADT^A01^ADT_A01|${id}|P|2.5.1${extra}\rPID|1||BN1^^^BVBG^MR||Nguyễn^Văn An\r`;
const clock = () => new Date('2024-03-05T07:30:00Z');
let n = 0;
const newControlId = () => `ACK${++n}`;

const servers: MllpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  n = 0;
});

async function start(
  store: MessageStore = new InMemoryMessageStore(),
  extra: Partial<MllpServerOptions> = {},
) {
  const errors: Hl7Error[] = [];
  const server = await MllpServer.listen({
    store,
    clock,
    newControlId,
    onError: (e) => errors.push(e),
    ...extra,
  });
  servers.push(server);
  return { server, errors };
}

/** Sends raw bytes on a fresh socket and collects `count` ACK frames. */
function raw(port: number, bytes: Buffer | Buffer[], count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const decoder = new MllpDecoder(1 << 20);
    const acks: string[] = [];
    socket.on('data', (c: Buffer) => {
      for (const f of decoder.push(c).frames) acks.push(f.toString('utf8'));
      if (acks.length >= count) {
        socket.destroy();
        resolve(acks);
      }
    });
    socket.on('error', reject);
    socket.on('connect', () => {
      for (const b of Array.isArray(bytes) ? bytes : [bytes]) socket.write(b);
    });
  });
}

describe('MllpDecoder', () => {
  it('handles partial, pipelined and oversized frames and bytes between frames', () => {
    const d = new MllpDecoder(10);
    const wire = Buffer.concat([
      encodeFrame(Buffer.from('ABC')),
      Buffer.from('\r\n'),
      encodeFrame(Buffer.from('DEF')),
    ]);
    const frames: string[] = [];
    for (const b of wire) frames.push(...d.push(Buffer.from([b])).frames.map((f) => f.toString()));
    expect(frames).toEqual(['ABC', 'DEF']);
    const r = d.push(
      Buffer.concat([Buffer.from('xx'), encodeFrame(Buffer.alloc(11, 65)), encodeFrame(Buffer.from('OK'))]),
    );
    expect(r.frames.map((f) => f.toString())).toEqual(['OK']);
    expect(r.errors.map((e) => e.code)).toEqual(['MLLP_FRAMING', 'MLLP_TOO_LARGE']);
    d.push(Buffer.from('\x0bMSH|'));
    expect(d.end()?.code).toBe('MLLP_TRUNCATED');
  });
});

describe('MllpServer and MllpClient', () => {
  it('stores, then acknowledges with AA, swapping sender and receiver', async () => {
    const store = new InMemoryMessageStore();
    const { server } = await start(store);
    const client = await MllpClient.connect({ host: '127.0.0.1', port: server.port });
    const ack = await client.send(parseHl7(adt('M1')));
    expect(ack.toString()).toBe(
      'MSH|^~\\&|HUB|SYT|HIS|BVBG|20240305143000+0700||ACK^A01^ACK|ACK1|P|2.5.1\rMSA|AA|M1\r',
    );
    expect(store.messages.map((m) => [m.key, m.type, m.er7])).toEqual([
      ['HIS^BVBG^M1', 'ADT_A01', adt('M1')],
    ]);
    await client.close();
  });

  it('answers pipelined messages in order and a replay is acknowledged without a duplicate', async () => {
    const store = new InMemoryMessageStore();
    const { server } = await start(store);
    const client = await MllpClient.connect({ host: '127.0.0.1', port: server.port });
    const acks = await Promise.all(['A', 'B', 'C', 'A'].map((id) => client.send(adt(id))));
    expect(acks.map((a) => a.get('MSA-2'))).toEqual(['A', 'B', 'C', 'A']);
    expect(store.messages.map((m) => m.controlId)).toEqual(['A', 'B', 'C']);
    await client.close();
  });

  it('uses enhanced acknowledgment when MSH-15 is valued', async () => {
    const { server } = await start();
    const acks = await raw(server.port, encodeFrame(Buffer.from(adt('E1', '|||AL|NE'))), 1);
    expect(acks[0]?.split('\r')[1]).toBe('MSA|CA|E1');
  });

  it('rejects bad input with AR and an ERR naming the field, and keeps serving', async () => {
    const { server, errors } = await start();
    const acks = await raw(
      server.port,
      [
        encodeFrame(Buffer.from('PID|1||X\r')),
        encodeFrame(Buffer.from('MSH|^^\\&|A\r')),
        encodeFrame(Buffer.from('MSH|^~\\&|HIS|BV|||2024||ADT^A01|M9|P|2.5\rpid|1\r')),
        encodeFrame(Buffer.from('MSH|^~\\&|HIS|BV|||2024||ADT^A01|M8|P|2.3\rPID|\u0000\r')),
        encodeFrame(Buffer.alloc(64, 0xff)),
      ],
      5,
    );
    const lines = acks.map((a) => a.split('\r').slice(1, 3).join(' '));
    expect(lines).toEqual([
      'MSA|AR||The message does not start with an MSH segment / Thông điệp không bắt đầu bằng đoạn MSH ERR||MSH^1|100^Segment sequence error^HL70357|E||||The message does not start with an MSH segment / Thông điệp không bắt đầu bằng đoạn MSH',
      expect.stringMatching(/^MSA\|AR\|\|.* ERR\|\|MSH\^1\^2\|102\^Data type error\^HL70357\|E/) as string,
      expect.stringMatching(/^MSA\|AR\|M9\|.* ERR\|\|pid\^2\|100\^Segment sequence error/) as string,
      expect.stringMatching(/^MSA\|AR\|M8\|.* ERR\|PID\^1\^1\^102$/) as string,
      expect.stringMatching(/^MSA\|AR\|\|/) as string,
    ]);
    expect(errors.map((e) => e.code)).toEqual([
      'NO_MSH',
      'BAD_DELIMITERS',
      'BAD_SEGMENT',
      'BINARY_CONTENT',
      'BINARY_CONTENT',
    ]);
    const client = await MllpClient.connect({ host: '127.0.0.1', port: server.port });
    expect((await client.send(adt('OK'))).get('MSA-1')).toBe('AA');
    await client.close();
  });

  it('rejects a 10 MB message and a truncated frame without affecting other connections', async () => {
    const { server, errors } = await start();
    const big = Buffer.concat([Buffer.from(adt('BIG')), Buffer.alloc(10 * 1024 * 1024, 0x41)]);
    const acks = await raw(server.port, [encodeFrame(big), encodeFrame(Buffer.from(adt('AFTER')))], 2);
    expect(acks.map((a) => a.split('\r')[1]?.slice(0, 10))).toEqual(['MSA|AR||Fr', 'MSA|AA|AFT']);
    await new Promise<void>((resolve) => {
      const s = net.connect({ port: server.port, host: '127.0.0.1' }, () =>
        s.end(Buffer.from('\x0bMSH|^~\\&|A')),
      );
      s.on('close', () => resolve());
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(errors.map((e) => e.code)).toEqual(['MLLP_TOO_LARGE', 'MLLP_TRUNCATED']);
  });

  it('answers AE (CE in enhanced mode) when the store fails, and the client sees a retryable NACK', async () => {
    const failing: MessageStore = { append: () => Promise.reject(new Error('disk full')) };
    const { server } = await start(failing);
    const client = await MllpClient.connect({ host: '127.0.0.1', port: server.port });
    const err: unknown = await client.send(adt('F1')).catch((e: unknown) => e);
    expect(isHl7Error(err) && [err.code, err.details?.ackCode, err.retryable]).toEqual([
      'MLLP_NACK',
      'AE',
      false,
    ]);
    const err2: unknown = await client.send(adt('F2', '|||AL|AL')).catch((e: unknown) => e);
    expect(isHl7Error(err2) && [err2.code, err2.details?.ackCode, err2.retryable]).toEqual([
      'MLLP_NACK',
      'CE',
      true,
    ]);
    await client.close();
  });

  it('rejects message types it was not configured to accept', async () => {
    const { server } = await start(new InMemoryMessageStore(), { acceptMessageTypes: ['ORU'] });
    const acks = await raw(server.port, encodeFrame(Buffer.from(adt('T1'))), 1);
    expect(acks[0]?.split('\r')[2]).toMatch(/^ERR\|\|MSH\^1\^9\|200\^Unsupported message type\^HL70357\|E/);
  });

  it('gives validate the peer address, so a sender can be refused by where it connects from', async () => {
    const seen: string[] = [];
    const store = new InMemoryMessageStore();
    const { Hl7Error } = await import('../src/errors.js');
    const { server } = await start(store, {
      validate: (message, remoteAddress) => {
        seen.push(remoteAddress);
        return message.controlId === 'V2' ? new Hl7Error('UNKNOWN_SENDER', 'sender not allowed') : undefined;
      },
    });
    const acks = await raw(
      server.port,
      [encodeFrame(Buffer.from(adt('V1'))), encodeFrame(Buffer.from(adt('V2')))],
      2,
    );
    expect(acks.map((a) => parseHl7(a).get('MSA-1'))).toEqual(['AA', 'AR']);
    expect(acks[1]?.split('\r')[2]).toMatch(/^ERR\|\|MSH\^1\^4\|103\^/);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatch(/^(::ffff:)?127\.0\.0\.1:\d+$/);
    expect(store.messages.map((m) => m.controlId)).toEqual(['V1']);
  });

  it('writes to the file store with fsync before acknowledging, and keeps keys across reopen', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hl7-')), 'inbox.ndjson');
    const store = await FileMessageStore.open(file);
    const { server } = await start(store);
    const client = await MllpClient.connect({ host: '127.0.0.1', port: server.port });
    await client.send(adt('F1'));
    expect((await FileMessageStore.read(file)).map((m) => m.er7)).toEqual([adt('F1')]);
    await client.close();
    await store.close();
    const again = await FileMessageStore.open(file);
    expect(await again.append((await FileMessageStore.read(file))[0]!, new AbortController().signal)).toBe(
      'duplicate',
    );
    await again.close();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it('client times out and reports a refused connection with typed errors', async () => {
    const silent = net.createServer((s) => s.resume());
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as net.AddressInfo).port;
    const client = await MllpClient.connect({ host: '127.0.0.1', port });
    const err: unknown = await client.send(adt('X'), { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(isHl7Error(err) && err.code).toBe('MLLP_TIMEOUT');
    await new Promise<void>((r) => silent.close(() => r()));
    const refused: unknown = await MllpClient.connect({ host: '127.0.0.1', port }).catch((e: unknown) => e);
    expect(isHl7Error(refused) && refused.code).toBe('MLLP_NETWORK');
  });

  it('serves over TLS and closes idle connections', async () => {
    const fixtures = path.resolve(import.meta.dirname, 'fixtures');
    const cert = fs.readFileSync(path.join(fixtures, 'tls-cert.pem'));
    const store = new InMemoryMessageStore();
    const { server } = await start(store, {
      tls: { cert, key: fs.readFileSync(path.join(fixtures, 'tls-key.pem')) },
      idleTimeoutMs: 100,
    });
    const client = await MllpClient.connect({ host: '127.0.0.1', port: server.port, tls: { ca: cert } });
    expect((await client.send(adt('T1'))).get('MSA-1')).toBe('AA');
    const err: unknown = await new Promise((r) => setTimeout(r, 300)).then(() =>
      client.send(adt('T2')).catch((e: unknown) => e),
    );
    expect(isHl7Error(err) && err.code).toBe('MLLP_CLOSED');
    expect(store.messages.map((m) => m.controlId)).toEqual(['T1']);
    const untrusted: unknown = await MllpClient.connect({
      host: '127.0.0.1',
      port: server.port,
      tls: {},
    }).catch((e: unknown) => e);
    expect(isHl7Error(untrusted) && untrusted.code).toBe('MLLP_NETWORK');
  });
});

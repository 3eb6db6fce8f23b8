import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  IsapiClient,
  MultipartParser,
  isapiAlertToEvent,
  isCameraError,
  multipartBoundary,
  type CameraEvent,
} from '@dttm/camera-vms';
import { startIsapiSimulator, type IsapiSimulator } from '../src/testing/index.js';

const root = path.resolve(import.meta.dirname, '../../..');
const dir = path.join(root, 'specs/conformance/camera-vms/isapi');
const schema = JSON.parse(fs.readFileSync(path.join(root, 'specs/schemas/camera-event.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
const cases = fs.readdirSync(dir).filter((f) => f.endsWith('.xml'));
const fixture = (name: string): string => fs.readFileSync(path.join(dir, name), 'utf8');

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isCameraError(err)) return err.code;
    throw err;
  }
  return 'none';
}

describe('ISAPI EventNotificationAlert golden vectors (specs/conformance/camera-vms/isapi)', () => {
  it('has vectors', () => {
    expect(cases.length).toBe(8);
  });

  it.each(cases)('%s → expected normalized event', (file) => {
    const xml = fixture(file);
    const expected = JSON.parse(
      fs.readFileSync(path.join(dir, file.replace(/\.xml$/, '.expected.json')), 'utf8'),
    );
    const event = isapiAlertToEvent(xml, 'bg-cam-02') ?? null;
    expect(event).toEqual(expected);
    if (event) {
      expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
      expect(event.raw.payload).toBe(xml);
    }
  });

  it('rejects alerts without an event type, and other documents', () => {
    expect(
      codeOf(() =>
        isapiAlertToEvent('<EventNotificationAlert><dateTime>x</dateTime></EventNotificationAlert>', 'c'),
      ),
    ).toBe('EVENT_INVALID');
    expect(codeOf(() => isapiAlertToEvent('<ResponseStatus/>', 'c'))).toBe('EVENT_INVALID');
    expect(codeOf(() => isapiAlertToEvent('<!DOCTYPE a><a/>', 'c'))).toBe('XML_FORBIDDEN');
  });
});

const BOUNDARY = 'boundary';
function part(type: string, body: string | Buffer, withLength = true): Buffer {
  const b = Buffer.from(body);
  const length = withLength ? `Content-Length: ${b.length}\r\n` : '';
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Type: ${type}\r\n${length}\r\n`),
    b,
    Buffer.from('\r\n'),
  ]);
}

describe('MultipartParser', () => {
  const jpeg = Buffer.from([0xff, 0xd8, 0x2d, 0x2d, 0x62, 0x6f, 0x75, 0x6e, 0x64, 0x0d, 0x0a, 0xff, 0xd9]);
  const stream = Buffer.concat([
    part('application/xml; charset="UTF-8"', fixture('vmd-active.xml')),
    part('image/jpeg', jpeg),
    part('application/xml', fixture('anpr-car.xml'), false),
    part('application/xml', fixture('linedetection.xml')),
  ]);

  function parseAll(chunks: Buffer[]): string[] {
    const p = new MultipartParser(BOUNDARY);
    return chunks
      .flatMap((c) => p.push(c))
      .map((x) => `${x.headers['content-type'] ?? ''}|${Buffer.from(x.body).toString('hex')}`);
  }

  it('reads the boundary from the content type', () => {
    expect(multipartBoundary('multipart/mixed; boundary=boundary')).toBe('boundary');
    expect(multipartBoundary('multipart/x-mixed-replace; boundary="myboundary"')).toBe('myboundary');
    expect(multipartBoundary('application/xml')).toBeUndefined();
  });

  it('splits parts identically at every TCP chunk boundary', () => {
    const whole = parseAll([stream]);
    expect(whole.map((p) => p.split('|')[0])).toEqual([
      'application/xml; charset="UTF-8"',
      'image/jpeg',
      'application/xml',
      'application/xml',
    ]);
    expect(whole[1]).toBe(`image/jpeg|${jpeg.toString('hex')}`);
    expect(whole[2]).toBe(`application/xml|${Buffer.from(fixture('anpr-car.xml')).toString('hex')}`);
    for (let cut = 1; cut < stream.length; cut++) {
      const split = parseAll([stream.subarray(0, cut), stream.subarray(cut)]);
      expect(split).toEqual(whole);
    }
    const bytes = parseAll([...stream].map((b) => Buffer.from([b])));
    expect(bytes).toEqual(whole);
  });

  it('fails on an endless stream without a boundary, keeping memory bounded', () => {
    const p = new MultipartParser(BOUNDARY);
    expect(codeOf(() => p.push(Buffer.from('<EventNotificationAlert>'.repeat(10))))).toBe('EVENT_INVALID');
  });

  it('fails on oversized parts and header blocks', () => {
    const big = new MultipartParser(BOUNDARY, { maxPartBytes: 1024 });
    expect(codeOf(() => big.push(part('image/jpeg', Buffer.alloc(2048))))).toBe('EVENT_INVALID');
    const noLength = new MultipartParser(BOUNDARY, { maxPartBytes: 1024 });
    noLength.push(Buffer.from(`--${BOUNDARY}\r\nContent-Type: image/jpeg\r\n\r\n`));
    expect(codeOf(() => noLength.push(Buffer.alloc(2048, 0x41)))).toBe('EVENT_INVALID');
    const headers = new MultipartParser(BOUNDARY, { maxHeaderBytes: 64 });
    expect(codeOf(() => headers.push(Buffer.from(`--${BOUNDARY}\r\nX-Pad: ${'a'.repeat(100)}`)))).toBe(
      'EVENT_INVALID',
    );
  });
});

describe('IsapiClient against the ISAPI simulator', () => {
  let sim: IsapiSimulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('reads device information with digest auth', async () => {
    sim = await startIsapiSimulator({ password: 'Mật khẩu' });
    const client = new IsapiClient({ url: sim.url, username: 'admin', password: 'Mật khẩu' });
    expect(await client.getDeviceInformation()).toEqual({
      manufacturer: 'Hikvision',
      model: 'iDS-TCM403-BI',
      firmwareVersion: 'V5.5.3',
      serialNumber: 'DS-TCM4032026112800001',
      hardwareId: 'bc:ad:28:00:00:01',
    });
    const wrong = new IsapiClient({ url: sim.url, username: 'admin', password: 'x' });
    expect(await wrong.getDeviceInformation().catch((e: unknown) => isCameraError(e) && e.code)).toBe(
      'AUTH_FAILED',
    );
  });

  it('streams alerts written in 7-byte chunks, skips heartbeats and pictures, reconnects after a drop', async () => {
    sim = await startIsapiSimulator({ chunkBytes: 7 });
    const client = new IsapiClient({
      url: sim.url,
      username: 'admin',
      password: 'admin',
      cameraId: 'bg-cam-02',
    });
    const stream = client.alertStream({ reconnectDelayMs: 20, jitter: () => 0 });
    const got: CameraEvent[] = [];
    const script = (async () => {
      while (sim.streams === 0) await new Promise((r) => setTimeout(r, 10));
      sim.publish(fixture('videoloss-heartbeat.xml'));
      sim.publish(fixture('anpr-car.xml'), [Buffer.from([0xff, 0xd8, 0xff, 0xd9])]);
      await new Promise((r) => setTimeout(r, 100));
      sim.dropConnections();
      while (stream.connections < 2 || sim.streams === 0) await new Promise((r) => setTimeout(r, 10));
      sim.publish(fixture('aid-illegal-parking.xml'));
    })();
    for await (const e of stream) {
      got.push(e);
      if (got.length === 2) break;
    }
    await script;
    expect(got.map((e) => e.kind)).toEqual(['plate_read', 'traffic_violation']);
    expect(stream.connections).toBe(2);
  });

  it('closes the connection and fails with a typed error on a hostile stream', async () => {
    sim = await startIsapiSimulator();
    const client = new IsapiClient({ url: sim.url, username: 'admin', password: 'admin' });
    const run = (async () => {
      for await (const _ of client.alertStream({ limits: { maxPartBytes: 4096 } })) void _;
    })();
    while (sim.streams === 0) await new Promise((r) => setTimeout(r, 10));
    sim.writeRaw(`--${BOUNDARY}\r\nContent-Type: application/xml\r\n\r\n${'<a>'.repeat(2000)}`);
    expect(await run.catch((e: unknown) => isCameraError(e) && e.code)).toBe('EVENT_INVALID');
    await new Promise((r) => setTimeout(r, 50));
    expect(sim.streams).toBe(0);
  });

  it('ends cleanly on close() and with ABORTED on the signal', async () => {
    sim = await startIsapiSimulator();
    const client = new IsapiClient({ url: sim.url, username: 'admin', password: 'admin' });
    const stream = client.alertStream();
    const done = (async () => {
      const out: CameraEvent[] = [];
      for await (const e of stream) out.push(e);
      return out;
    })();
    while (sim.streams === 0) await new Promise((r) => setTimeout(r, 10));
    stream.close();
    expect(await done).toEqual([]);
    const ctl = new AbortController();
    const aborted = (async () => {
      for await (const _ of client.alertStream({ signal: ctl.signal })) void _;
    })();
    while (sim.streams === 0) await new Promise((r) => setTimeout(r, 10));
    ctl.abort();
    expect(await aborted.catch((e: unknown) => isCameraError(e) && e.code)).toBe('ABORTED');
  });
});

describe('IsapiClient media and PTZ', () => {
  it('lists channels, builds stream URIs, fetches snapshots and sends PTZ', async () => {
    const sim = await startIsapiSimulator();
    try {
      const client = new IsapiClient({ url: sim.url, username: 'admin', password: 'admin' });
      expect(await client.getChannels()).toEqual([
        {
          token: '101',
          name: 'Ngã tư Hoàng Văn Thụ',
          videoSourceToken: '1',
          encoding: 'H265',
          width: 2688,
          height: 1520,
          frameRate: 25,
        },
        {
          token: '102',
          name: 'Ngã tư Hoàng Văn Thụ',
          videoSourceToken: '1',
          encoding: 'H264',
          width: 640,
          height: 480,
          frameRate: 15,
        },
      ]);
      expect(client.getStreamUri(1, 'sub')).toEqual({
        uri: 'rtsp://127.0.0.1:554/Streaming/Channels/102',
        protocol: 'rtsp',
        profileToken: '102',
        role: 'sub',
      });
      const snap = await client.getSnapshot('101');
      expect([snap.contentType, snap.bytes.length]).toEqual(['image/jpeg', 4]);
      await client.continuousMove(1, { pan: 0.5, tilt: -0.25 });
      await client.stop(1);
      expect(sim.ptzCommands).toEqual([
        {
          channel: 1,
          body: '<?xml version="1.0" encoding="UTF-8"?><PTZData><pan>50</pan><tilt>-25</tilt><zoom>0</zoom></PTZData>',
        },
        {
          channel: 1,
          body: '<?xml version="1.0" encoding="UTF-8"?><PTZData><pan>0</pan><tilt>0</tilt><zoom>0</zoom></PTZData>',
        },
      ]);
      expect(() => client.getStreamUri(0)).toThrow(/1..999/);
      const err = await client.continuousMove(1, { pan: 2 }).catch((e: unknown) => e);
      expect(isCameraError(err) && err.code).toBe('INVALID_ARGUMENT');
      expect(sim.ptzCommands).toHaveLength(2);
    } finally {
      await sim.close();
    }
  });
});

describe('IsapiClient recording search', () => {
  it('pages through CMSearchResult while the device answers MORE', async () => {
    const sim = await startIsapiSimulator();
    try {
      const client = new IsapiClient({ url: sim.url, username: 'admin', password: 'admin' });
      const all = await client.searchRecordings({
        trackId: '101',
        from: '2026-11-28T07:00:00+07:00',
        to: '2026-11-29T00:00:00+07:00',
      });
      expect(all.map((r) => [r.earliest, r.latest])).toEqual([
        ['2026-11-28T00:00:00Z', '2026-11-28T06:00:00Z'],
        ['2026-11-28T06:00:00Z', '2026-11-28T12:00:00Z'],
        ['2026-11-28T12:00:00Z', '2026-11-28T18:00:00Z'],
      ]);
      expect(all[0]?.replayUri).toBe(
        'rtsp://127.0.0.1/Streaming/tracks/101/?starttime=20261128T000000Z&endtime=20261128T060000Z&name=00000000001&size=1048576',
      );
      const two = await client.searchRecordings({
        trackId: '101',
        from: '2026-11-28T00:00:00Z',
        to: '2026-11-28T23:00:00Z',
        maxResults: 2,
      });
      expect(two.map((r) => r.token)).toEqual(['101@2026-11-28T00:00:00Z', '101@2026-11-28T06:00:00Z']);
      expect(
        await client.searchRecordings({
          trackId: '201',
          from: '2026-11-28T00:00:00Z',
          to: '2026-11-28T01:00:00Z',
        }),
      ).toEqual([]);
      const bad = await client
        .searchRecordings({ trackId: '101', from: '2026-11-29T00:00:00Z', to: '2026-11-28T00:00:00Z' })
        .catch((e: unknown) => e);
      expect(isCameraError(bad) && bad.code).toBe('INVALID_ARGUMENT');
    } finally {
      await sim.close();
    }
  });
});

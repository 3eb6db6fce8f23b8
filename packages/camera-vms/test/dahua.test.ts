import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DahuaClient,
  isCameraError,
  mapDahuaEvent,
  parseDahuaEvents,
  type CameraEvent,
} from '@dttm/camera-vms';
import { startDahuaSimulator, type DahuaSimulator } from '../src/testing/index.js';

const root = path.resolve(import.meta.dirname, '../../..');
const dir = path.join(root, 'specs/conformance/camera-vms/dahua');
const schema = JSON.parse(fs.readFileSync(path.join(root, 'specs/schemas/camera-event.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
const cases = fs.readdirSync(dir).filter((f) => f.endsWith('.txt'));
const receivedAt = '2026-11-28T09:00:00+07:00';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isCameraError(err)) return `${err.code} ${String(err.details?.path)}`;
    throw err;
  }
  return 'none';
}

describe('Dahua attach golden vectors (specs/conformance/camera-vms/dahua)', () => {
  it('has vectors', () => {
    expect(cases.length).toBe(6);
  });

  it.each(cases)('%s → expected normalized events', (file) => {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const expected = JSON.parse(
      fs.readFileSync(path.join(dir, file.replace(/\.txt$/, '.expected.json')), 'utf8'),
    );
    const actual = parseDahuaEvents(text).map(
      (e) => mapDahuaEvent(e, 'bg-cam-03', { receivedAt }) ?? { unmapped: e.code },
    );
    expect(actual).toEqual(expected);
    for (const e of actual) {
      if ('unmapped' in e) continue;
      expect(validate(e), JSON.stringify(validate.errors)).toBe(true);
      expect(text).toContain(e.raw.payload);
    }
  });

  it('skips heartbeats and rejects malformed lines with the field', () => {
    expect(parseDahuaEvents('Heartbeat')).toEqual([]);
    expect(parseDahuaEvents('\r\n')).toEqual([]);
    expect(codeOf(() => parseDahuaEvents('hello'))).toBe('EVENT_INVALID Code');
    expect(codeOf(() => parseDahuaEvents('Code=<script>;action=Start'))).toBe('EVENT_INVALID Code');
    expect(codeOf(() => parseDahuaEvents('Code=VideoMotion;action=Start;index=0;data={"a":'))).toBe(
      'EVENT_INVALID data',
    );
    expect(codeOf(() => parseDahuaEvents('Code=VideoMotion;action=Start;index=0;data=[1]'))).toBe(
      'EVENT_INVALID data',
    );
    const deep = `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`;
    expect(codeOf(() => parseDahuaEvents(`Code=VideoMotion;action=Start;index=0;data=${deep}`))).toBe(
      'EVENT_INVALID data',
    );
  });
});

describe('DahuaClient against the Dahua simulator', () => {
  let sim: DahuaSimulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('attaches with digest, parses parts written in 5-byte chunks, reports unmapped codes', async () => {
    sim = await startDahuaSimulator({ chunkBytes: 5 });
    const client = new DahuaClient({
      url: sim.url,
      username: 'admin',
      password: 'admin',
      cameraId: 'bg-cam-03',
    });
    const unmapped: string[] = [];
    const stream = client.attach({
      codes: ['VideoMotion', 'TrafficJunction', 'AlarmLocal'],
      onUnmapped: (t) => unmapped.push(t),
    });
    const got: CameraEvent[] = [];
    const script = (async () => {
      while (sim.streams === 0) await new Promise((r) => setTimeout(r, 10));
      sim.heartbeat();
      sim.publish('Code=AlarmLocal;action=Start;index=0');
      sim.publish(fs.readFileSync(path.join(dir, 'traffic-junction.txt'), 'utf8'));
      sim.publish('Code=VideoMotion;action=Stop;index=0');
    })();
    for await (const e of stream) {
      got.push(e);
      if (got.length === 2) break;
    }
    await script;
    expect(got.map((e) => [e.kind, e.state])).toEqual([
      ['plate_read', 'pulse'],
      ['motion', 'end'],
    ]);
    expect(unmapped).toEqual(['AlarmLocal']);
    expect(sim.attachQueries).toEqual([
      '?action=attach&codes=[VideoMotion%2CTrafficJunction%2CAlarmLocal]&heartbeat=5',
    ]);
  });

  it('fails with AUTH_FAILED on wrong credentials and EVENT_INVALID on a hostile stream', async () => {
    sim = await startDahuaSimulator();
    const bad = new DahuaClient({ url: sim.url, username: 'admin', password: 'wrong' });
    const authErr = await (async () => {
      for await (const _ of bad.attach()) void _;
    })().catch((e: unknown) => isCameraError(e) && e.code);
    expect(authErr).toBe('AUTH_FAILED');
    const client = new DahuaClient({ url: sim.url, username: 'admin', password: 'admin' });
    const run = (async () => {
      for await (const _ of client.attach()) void _;
    })();
    while (sim.streams === 0) await new Promise((r) => setTimeout(r, 10));
    sim.writeRaw('Code=VideoMotion;action=Start;index=0\r\n'.repeat(10));
    expect(await run.catch((e: unknown) => isCameraError(e) && e.code)).toBe('EVENT_INVALID');
  });
});

describe('DahuaClient media and PTZ', () => {
  it('builds stream URIs, fetches snapshots and drives PTZ', async () => {
    const sim = await startDahuaSimulator();
    try {
      const client = new DahuaClient({ url: sim.url, username: 'admin', password: 'admin' });
      expect(client.getStreamUri(2, 'sub').uri).toBe(
        'rtsp://127.0.0.1:554/cam/realmonitor?channel=2&subtype=1',
      );
      const snap = await client.getSnapshot(1);
      expect([snap.contentType, snap.bytes[0], snap.bytes[1]]).toEqual(['image/jpeg', 0xff, 0xd8]);
      await client.ptzStart(1, 'ZoomTele', 5);
      await client.ptzStop(1, 'ZoomTele');
      expect(sim.ptzQueries).toEqual([
        '?action=start&channel=0&code=ZoomTele&arg1=0&arg2=5&arg3=0',
        '?action=stop&channel=0&code=ZoomTele&arg1=0&arg2=0&arg3=0',
      ]);
      const bad = await client.ptzStart(1, 'Up', 9).catch((e: unknown) => e);
      expect(isCameraError(bad) && bad.code).toBe('INVALID_ARGUMENT');
      expect(sim.ptzQueries).toHaveLength(2);
    } finally {
      await sim.close();
    }
  });
});

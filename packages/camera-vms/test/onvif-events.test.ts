import { afterEach, describe, expect, it } from 'vitest';
import { isCameraError, OnvifClient, type CameraEvent, type OnvifEventStream } from '@dttm/camera-vms';
import {
  startOnvifSimulator,
  type OnvifSimulator,
  type OnvifSimulatorOptions,
} from '../src/testing/index.js';

let sim: OnvifSimulator | undefined;
let client: OnvifClient | undefined;

afterEach(async () => {
  await client?.close();
  await sim?.close();
  client = undefined;
  sim = undefined;
});

async function setup(
  options: OnvifSimulatorOptions = {},
): Promise<{ sim: OnvifSimulator; client: OnvifClient }> {
  sim = await startOnvifSimulator(options);
  client = new OnvifClient({ url: sim.url, username: 'admin', password: 'admin', cameraId: 'bg-cam-01' });
  return { sim, client };
}

const MOTION = 'tns1:RuleEngine/CellMotionDetector/Motion';
const SOURCE = {
  VideoSourceConfigurationToken: 'VSC_1',
  VideoAnalyticsConfigurationToken: 'VAC_1',
  Rule: 'Motion1',
};

function motion(on: boolean): {
  topic: string;
  source: typeof SOURCE;
  data: { IsMotion: string };
  property: true;
} {
  return { topic: MOTION, source: SOURCE, data: { IsMotion: String(on) }, property: true };
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Collects `count` events, running `script` once the first subscription exists. */
async function collect(
  stream: OnvifEventStream,
  count: number,
  script: () => Promise<void> | void,
): Promise<CameraEvent[]> {
  const out: CameraEvent[] = [];
  const started = (async () => {
    while (stream.subscriptions === 0) await new Promise((r) => setTimeout(r, 10));
    await script();
  })();
  for await (const e of stream) {
    out.push(e);
    if (out.length >= count) break;
  }
  await started;
  return out;
}

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('ONVIF pull-point events', () => {
  it('delivers normalized events, honours the topic filter, and unsubscribes on break', async () => {
    const { sim, client } = await setup();
    const stream = client.events({ topics: ['tns1:RuleEngine//.'], pullTimeoutMs: 500 });
    const events = await collect(stream, 3, () => {
      sim.publish(motion(true));
      sim.publish({ topic: 'tns1:Device/Trigger/DigitalInput', data: { LogicalState: 'true' } });
      sim.publish({
        topic: 'tns1:RuleEngine/LineDetector/Crossed',
        source: { VideoSourceConfigurationToken: 'VSC_1', Rule: 'Cổng vào' },
        data: { ObjectId: '17', Direction: 'Left' },
      });
      sim.publish({
        topic: 'tns1:RuleEngine/Recognition/LicensePlate',
        source: { VideoSourceConfigurationToken: 'VSC_1', Rule: 'LPR' },
        data: { Speed: '42', Direction: 'Approaching' },
        elements: {
          LicensePlateInfo:
            '<tt:LicensePlateInfo><tt:PlateNumber Likelihood="0.93">98A-123.45</tt:PlateNumber><tt:CountryCode>VN</tt:CountryCode></tt:LicensePlateInfo>',
          VehicleInfo: '<tt:VehicleInfo><tt:Type Likelihood="0.8">Car</tt:Type></tt:VehicleInfo>',
        },
      });
    });
    expect(events.map((e) => e.kind)).toEqual(['motion', 'line_crossing', 'plate_read']);
    const [m, line, plate] = events;
    expect(m).toMatchObject({
      kind: 'motion',
      state: 'start',
      initial: false,
      source: { cameraId: 'bg-cam-01', adapter: 'onvif', channel: 'VSC_1', analytics: 'VAC_1' },
      rule: { name: 'Motion1', type: 'CellMotionDetector' },
    });
    expect(line).toMatchObject({
      kind: 'line_crossing',
      direction: 'left',
      objects: [{ id: '17' }],
      rule: { name: 'Cổng vào' },
    });
    expect(plate).toMatchObject({
      kind: 'plate_read',
      confidence: 0.93,
      vehicleType: 'car',
      direction: 'approaching',
      speedKmh: 42,
      country: 'VN',
      plate: { normalized: '98A12345', formatted: '98A-123.45', province: 'Bắc Giang', valid: true },
    });
    expect(plate?.raw.payload).toContain('<tt:PlateNumber Likelihood="0.93">98A-123.45</tt:PlateNumber>');
    const create = sim.requests.find((r) => r.operation === 'CreatePullPointSubscription');
    expect(create?.body).toContain('>tns1:RuleEngine//.</wsnt:TopicExpression>');
    await wait(50);
    expect(sim.requests.some((r) => r.operation === 'Unsubscribe')).toBe(true);
    expect(sim.subscriptionCount).toBe(0);
  });

  it('resumes after a reboot mid-stream without duplicates', async () => {
    const { sim, client } = await setup();
    const reasons: string[] = [];
    const stream = client.events({
      pullTimeoutMs: 300,
      reconnectDelayMs: 20,
      jitter: () => 0,
      onReconnect: (i) => reasons.push(i.reason),
    });
    const events = await collect(stream, 4, async () => {
      sim.publish(motion(true));
      sim.publish({
        topic: 'tns1:RuleEngine/CountAggregation/Counter',
        source: SOURCE,
        data: { Count: '12' },
      });
      await wait(100);
      await sim.reboot(150);
      // After the reboot the camera reports its properties again as Initialized (same state: suppressed).
      while (stream.subscriptions < 2) await wait(10);
      sim.publish({
        topic: 'tns1:RuleEngine/CountAggregation/Counter',
        source: SOURCE,
        data: { Count: '13' },
      });
      sim.publish(motion(false));
    });
    expect(events.map((e) => [e.kind, e.state, 'count' in e ? e.count : null])).toEqual([
      ['motion', 'start', null],
      ['counting', 'pulse', 12],
      ['counting', 'pulse', 13],
      ['motion', 'end', null],
    ]);
    expect(new Set(events.map((e) => e.id)).size).toBe(4);
    expect(stream.subscriptions).toBe(2);
    expect(reasons.length).toBeGreaterThan(0);
  });

  it('keeps the subscription through dropped connections', async () => {
    const { sim, client } = await setup();
    const stream = client.events({ pullTimeoutMs: 200, reconnectDelayMs: 10, jitter: () => 0 });
    const events = await collect(stream, 2, async () => {
      sim.publish(motion(true));
      await wait(50);
      sim.dropNextRequests(1);
      await wait(300);
      sim.publish(motion(false));
    });
    expect(events.map((e) => e.state)).toEqual(['start', 'end']);
    expect(stream.subscriptions).toBe(1);
  });

  it('renews before the subscription expires when pulls do not extend it', async () => {
    const { sim, client } = await setup({ pullExtendsSubscription: false });
    const stream = client.events({ pullTimeoutMs: 200, subscriptionTtlMs: 1000 });
    const events = await collect(stream, 1, async () => {
      await wait(2500);
      sim.publish(motion(true));
    });
    expect(events[0]?.state).toBe('start');
    expect(sim.requests.filter((r) => r.operation === 'Renew').length).toBeGreaterThanOrEqual(2);
    expect(stream.subscriptions).toBe(1);
  });

  it('resubscribes when the device cannot renew and the subscription expires', async () => {
    const { sim, client } = await setup({ pullExtendsSubscription: false, renew: false });
    const stream = client.events({ pullTimeoutMs: 200, subscriptionTtlMs: 600, reconnectDelayMs: 10 });
    const events = await collect(stream, 1, async () => {
      await wait(1000);
      sim.publish(motion(true));
    });
    expect(events[0]?.kind).toBe('motion');
    expect(stream.subscriptions).toBeGreaterThanOrEqual(2);
  });

  it('replays property states on SetSynchronizationPoint as initial events', async () => {
    const { sim, client } = await setup();
    sim.publish(motion(true));
    sim.publish({
      topic: 'tns1:RuleEngine/FieldDetector/ObjectsInside',
      source: { VideoSourceConfigurationToken: 'VSC_1', Rule: 'Hàng rào ảo' },
      data: { IsInside: 'true' },
      property: true,
    });
    const stream = client.events({ pullTimeoutMs: 200, synchronize: true });
    const events = await collect(stream, 2, () => undefined);
    // Both states arrive once: the subscription's own Initialized messages, and the SetSynchronizationPoint
    // replay is recognised as the same state.
    expect(events.map((e) => [e.kind, e.state, e.initial])).toEqual([
      ['motion', 'start', true],
      ['intrusion', 'start', true],
    ]);
    expect(sim.requests.some((r) => r.operation === 'SetSynchronizationPoint')).toBe(true);
  });

  it('echoes subscription reference parameters as WS-Addressing headers (Axis-style subscriptions)', async () => {
    const { sim, client } = await setup({ referenceParameters: true });
    const stream = client.events({ pullTimeoutMs: 200, synchronize: true });
    let address: string | undefined;
    const events = await collect(stream, 2, () => {
      address = stream.subscriptionAddress;
      sim.publish(motion(true));
      sim.publish(motion(false));
    });
    expect(events.map((e) => [e.kind, e.state])).toEqual([
      ['motion', 'start'],
      ['motion', 'end'],
    ]);
    expect(address).toBe(`${new URL(sim.url).origin}/onvif/services`);
    // Leaving the loop unsubscribes; the device found the subscription by its reference parameter.
    await until(() => sim.subscriptionCount === 0);
    const addressed = sim.requests.filter((r) => r.path === '/onvif/services');
    expect([...new Set(addressed.map((r) => r.operation))].sort()).toEqual([
      'PullMessages',
      'SetSynchronizationPoint',
      'Unsubscribe',
    ]);
    for (const r of addressed) {
      expect(r.body).toMatch(
        /<dom0:SubscriptionId xmlns:dom0="http:\/\/www\.axis\.com\/2009\/event" xmlns:wsaRP="http:\/\/www\.w3\.org\/2005\/08\/addressing" wsaRP:IsReferenceParameter="true">[0-9a-f]{12}<\/dom0:SubscriptionId>/,
      );
    }
    // Without the header the device does not know the subscription.
    const err = await client
      .call(
        `${new URL(sim.url).origin}/onvif/services`,
        'http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/PullMessagesRequest',
        '<tev:PullMessages><tev:Timeout>PT1S</tev:Timeout><tev:MessageLimit>1</tev:MessageLimit></tev:PullMessages>',
        { wsaTo: true },
      )
      .catch((e: unknown) => e);
    expect(isCameraError(err) && [err.code, err.details?.subcode]).toEqual([
      'SOAP_FAULT',
      'ResourceUnknownFault',
    ]);
  });

  it('ends cleanly on close() and with ABORTED on the signal', async () => {
    const { client } = await setup();
    const stream = client.events({ pullTimeoutMs: 5000 });
    const done = (async () => {
      const got: CameraEvent[] = [];
      for await (const e of stream) got.push(e);
      return got;
    })();
    while (stream.subscriptions === 0) await wait(10);
    await stream.close();
    expect(await done).toEqual([]);
    expect(sim?.subscriptionCount).toBe(0);

    const ctl = new AbortController();
    const aborted = client.events({ pullTimeoutMs: 5000, signal: ctl.signal });
    const run = (async () => {
      for await (const _ of aborted) void _;
    })();
    while (aborted.subscriptions === 0) await wait(10);
    ctl.abort();
    try {
      await run;
      expect.unreachable();
    } catch (err) {
      expect(isCameraError(err) && err.code).toBe('ABORTED');
    }
    await wait(50);
    expect(sim?.subscriptionCount).toBe(0);
  });

  it('stops with AUTH_FAILED instead of retrying forever', async () => {
    sim = await startOnvifSimulator({ auth: 'digest' });
    client = new OnvifClient({ url: sim.url, username: 'admin', password: 'nope' });
    try {
      for await (const _ of client.events()) void _;
      expect.unreachable();
    } catch (err) {
      expect(isCameraError(err) && err.code).toBe('AUTH_FAILED');
    }
  });
});

describe('devices without pull points', () => {
  it.each([
    ['CreatePullPointSubscription faults with ActionNotSupported', true],
    ['GetServices and GetCapabilities both fault', false],
  ])('ends the stream with NOT_SUPPORTED when %s', async (_name, servicesOk) => {
    const { createServer } = await import('node:http');
    const fault =
      '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>ter:ActionNotSupported</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en">Action Not Implemented</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>';
    let creates = 0;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (servicesOk && body.includes('GetServices')) {
          const port = (server.address() as { port: number }).port;
          res.writeHead(200, { 'content-type': 'application/soap+xml' });
          res.end(
            `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><GetServicesResponse xmlns="http://www.onvif.org/ver10/device/wsdl"><Service><Namespace>http://www.onvif.org/ver10/events/wsdl</Namespace><XAddr>http://127.0.0.1:${port}/onvif/events</XAddr></Service></GetServicesResponse></s:Body></s:Envelope>`,
          );
          return;
        }
        if (body.includes('CreatePullPointSubscription')) creates++;
        res.writeHead(400, { 'content-type': 'application/soap+xml' }).end(fault);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const c = new OnvifClient({ url: `http://127.0.0.1:${port}/onvif/device_service` });
      const err = await (async () => {
        for await (const _ of c.events()) void _;
      })().catch((e: unknown) => e);
      expect(isCameraError(err) && err.code).toBe('NOT_SUPPORTED');
      expect(creates).toBe(servicesOk ? 1 : 0);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isCameraError, OnvifClient, parseXml } from '@dttm/camera-vms';
import {
  startOnvifSimulator,
  type OnvifSimulator,
  type OnvifSimulatorOptions,
} from '../src/testing/index.js';

const PASSWORD = 'Mật khẩu 1';
let sim: OnvifSimulator | undefined;
let client: OnvifClient | undefined;
const servers: Server[] = [];

afterEach(async () => {
  await client?.close();
  await sim?.close();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  client = undefined;
  sim = undefined;
});

async function setup(
  simOptions: OnvifSimulatorOptions = {},
  clientOptions: Partial<ConstructorParameters<typeof OnvifClient>[0]> = {},
): Promise<{ sim: OnvifSimulator; client: OnvifClient }> {
  sim = await startOnvifSimulator({ password: PASSWORD, ...simOptions });
  client = new OnvifClient({
    url: sim.url,
    username: 'admin',
    password: PASSWORD,
    cameraId: 'cam-1',
    ...clientOptions,
  });
  return { sim, client };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (isCameraError(err)) return err.code;
    throw err;
  }
  throw new Error('did not reject');
}

async function rawServer(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const s = createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/onvif/device_service`;
}

describe('OnvifClient against the simulator', () => {
  it('describes the camera through Media2, channels grouped with main and sub profiles', async () => {
    const { client } = await setup();
    const cam = await client.describe();
    expect(cam).toMatchObject({
      id: 'cam-1',
      vendor: 'DTTM Simulator',
      model: 'SIM-PTZ-4MP',
      serialNumber: 'SIM0001',
    });
    expect(cam.capabilities).toMatchObject({
      media: true,
      media2: true,
      ptz: true,
      events: true,
      pullPoint: true,
    });
    expect(cam.channels).toHaveLength(1);
    expect(cam.channels[0]).toMatchObject({
      id: 'VideoSource_1',
      mainProfile: 'Profile_1',
      subProfile: 'Profile_2',
    });
    expect(cam.channels[0]?.profiles[0]).toEqual({
      token: 'Profile_1',
      name: 'mainStream',
      videoSourceToken: 'VideoSource_1',
      encoding: 'H265',
      width: 2560,
      height: 1440,
      frameRate: 25,
      ptzConfigurationToken: 'PTZ_1',
    });
  });

  it('falls back to Media and GetCapabilities on legacy devices', async () => {
    const { sim, client } = await setup({ media2: false, legacyCapabilities: true });
    const profiles = await client.getProfiles();
    expect(profiles.map((p) => [p.token, p.encoding, p.width])).toEqual([
      ['Profile_1', 'H264', 1920],
      ['Profile_2', 'H264', 640],
    ]);
    expect(sim.requests.map((r) => r.operation)).toContain('GetCapabilities');
    expect(await client.getStreamUri('Profile_2', { protocol: 'http' })).toEqual({
      uri: `${new URL(sim.url).origin}/Streaming/Channels/102`,
      protocol: 'http',
      profileToken: 'Profile_2',
    });
    expect(await codeOf(client.getStreamUri('Profile_1', { protocol: 'rtsps' }))).toBe('NOT_SUPPORTED');
  });

  it('returns stream URIs for each protocol and fetches a snapshot with digest', async () => {
    const { client } = await setup();
    expect((await client.getStreamUri('Profile_1')).uri).toBe('rtsp://127.0.0.1:554/Streaming/Channels/101');
    expect((await client.getStreamUri('Profile_2', { protocol: 'rtsps' })).uri).toBe(
      'rtsps://127.0.0.1:322/Streaming/Channels/102',
    );
    const snap = await client.getSnapshot('Profile_1');
    expect(snap.contentType).toBe('image/jpeg');
    expect([snap.bytes[0], snap.bytes[1]]).toEqual([0xff, 0xd8]);
  });

  it.each(['MD5', 'SHA-256'] as const)('authenticates with HTTP digest %s only', async (alg) => {
    const { sim, client } = await setup({ auth: 'digest', digestAlgorithm: alg }, { auth: 'digest' });
    expect((await client.getDeviceInformation()).manufacturer).toBe('DTTM Simulator');
    const last = sim.requests[sim.requests.length - 1];
    expect(last).toMatchObject({ operation: 'GetDeviceInformation', auth: 'digest' });
    // The session is reused: the next call needs no new challenge.
    const before = sim.requests.length;
    await client.getDeviceInformation();
    expect(sim.requests.length - before).toBe(1);
  });

  it('answers a digest challenge in auto mode (digest-only device)', async () => {
    const { sim, client } = await setup({ auth: 'digest' });
    await client.getDeviceInformation();
    // auto mode measures the clock first (for the token), then answers the 401 challenge.
    expect(sim.requests.map((r) => `${r.operation}:${r.auth}`)).toEqual([
      'GetSystemDateAndTime:none',
      'GetDeviceInformation:none',
      'GetDeviceInformation:digest',
    ]);
  });

  it('rejects a wrong password with AUTH_FAILED (digest and token)', async () => {
    await setup({ auth: 'digest' }, { password: 'wrong' });
    expect(await codeOf((client as OnvifClient).getDeviceInformation())).toBe('AUTH_FAILED');
    await client?.close();
    await sim?.close();
    await setup({ auth: 'ws-username-token' }, { password: 'wrong' });
    expect(await codeOf((client as OnvifClient).getDeviceInformation())).toBe('AUTH_FAILED');
  });

  it('measures a clock offset for WS-UsernameToken on a skewed device', async () => {
    const skew = 2 * 3600_000;
    const { sim, client } = await setup(
      { auth: 'ws-username-token', clockSkewMs: skew },
      { auth: 'ws-username-token' },
    );
    await client.getDeviceInformation();
    expect(Math.abs((client.clockOffsetMs ?? 0) - skew)).toBeLessThan(1500);
    expect(sim.requests.map((r) => `${r.operation}:${r.auth}`)).toEqual([
      'GetSystemDateAndTime:none',
      'GetDeviceInformation:ws-username-token',
    ]);
  });

  it('re-measures the clock once when the device clock jumps (NTP change)', async () => {
    const { sim, client } = await setup({ auth: 'ws-username-token' }, { auth: 'ws-username-token' });
    await client.getDeviceInformation();
    sim.setClockSkew(-3 * 3600_000);
    await client.getDeviceInformation();
    expect(sim.requests.map((r) => `${r.operation}:${r.auth}`)).toEqual([
      'GetSystemDateAndTime:none',
      'GetDeviceInformation:ws-username-token',
      'GetDeviceInformation:none',
      'GetSystemDateAndTime:none',
      'GetDeviceInformation:ws-username-token',
    ]);
  });

  it('sends the expected PTZ SOAP and the device moves', async () => {
    const { sim, client } = await setup();
    await client.continuousMove('Profile_1', { pan: 0.5, tilt: -0.25, zoom: 0 }, { durationMs: 1500 });
    const req = parseXml(sim.requests[sim.requests.length - 1]?.body ?? '');
    const move = req.children.find((c) => c.name === 'Body')?.children[0];
    expect(move?.name).toBe('ContinuousMove');
    expect(move?.ns).toBe('http://www.onvif.org/ver20/ptz/wsdl');
    const [token, velocity, timeout] = move?.children ?? [];
    expect(token?.text).toBe('Profile_1');
    expect(velocity?.children.map((c) => [c.name, c.ns, c.attrs])).toEqual([
      ['PanTilt', 'http://www.onvif.org/ver10/schema', { x: '0.5', y: '-0.25' }],
      ['Zoom', 'http://www.onvif.org/ver10/schema', { x: '0' }],
    ]);
    expect(timeout?.text).toBe('PT1.5S');
    expect(sim.ptz.velocity).toEqual({ pan: 0.5, tilt: -0.25, zoom: 0 });
    await client.stop('Profile_1');
    expect(sim.ptz.velocity).toEqual({ pan: 0, tilt: 0, zoom: 0 });
    await client.absoluteMove('Profile_1', { pan: 0.1, tilt: 0.2, zoom: 0.3 });
    await client.relativeMove('Profile_1', { pan: 0.25, zoom: -0.1 });
    expect(await client.getPtzPosition('Profile_1')).toEqual({ pan: 0.35, tilt: 0.2, zoom: 0.2 });
    const presets = await client.getPresets('Profile_1');
    expect(presets).toEqual([
      { token: '1', name: 'Cổng chính', position: { pan: 0.5, tilt: -0.25, zoom: 0.1 } },
      { token: '2', name: 'Ngã tư', position: { pan: -0.75, tilt: 0, zoom: 0.5 } },
    ]);
    await client.gotoPreset('Profile_1', '2');
    expect(sim.ptz.position).toEqual({ pan: -0.75, tilt: 0, zoom: 0.5 });
    expect(await codeOf(client.gotoPreset('Profile_1', '9'))).toBe('SOAP_FAULT');
  });

  it('validates PTZ arguments before sending anything', async () => {
    const { sim, client } = await setup();
    await client.getCapabilities();
    const before = sim.requests.length;
    expect(await codeOf(client.continuousMove('Profile_1', { pan: 2 }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(client.absoluteMove('Profile_1', { zoom: -0.5 }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(client.stop(''))).toBe('INVALID_ARGUMENT');
    expect(sim.requests.length).toBe(before);
  });

  it('reports network drops as retryable NETWORK errors and aborts as ABORTED', async () => {
    const { sim, client } = await setup();
    await client.getDeviceInformation();
    sim.dropNextRequests(1);
    try {
      await client.getDeviceInformation();
      expect.unreachable();
    } catch (err) {
      expect(isCameraError(err) && [err.code, err.retryable]).toEqual(['NETWORK', true]);
    }
    expect(await codeOf(client.getDeviceInformation({ signal: AbortSignal.abort() }))).toBe('ABORTED');
    await client.close();
    expect(await codeOf(client.getDeviceInformation())).toBe('CLOSED');
  });

  it('times out on a device that never answers', async () => {
    const url = await rawServer(() => undefined);
    client = new OnvifClient({ url, timeoutMs: 200 });
    expect(await codeOf(client.syncClock())).toBe('TIMEOUT');
  });

  it('rejects hostile and oversized responses with typed errors', async () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE e [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><e>&b;</e>';
    const url = await rawServer((req, res) => {
      if (req.url?.includes('big')) {
        res.writeHead(200, { 'content-type': 'application/soap+xml' });
        res.end(`<a>${'x'.repeat(2048)}</a>`);
      } else {
        res.writeHead(200, { 'content-type': 'application/soap+xml' }).end(bomb);
      }
    });
    client = new OnvifClient({ url });
    expect(await codeOf(client.syncClock())).toBe('XML_FORBIDDEN');
    const big = new OnvifClient({ url: url.replace('device_service', 'big'), xmlLimits: { maxBytes: 1024 } });
    expect(await codeOf(big.syncClock())).toBe('XML_LIMIT_EXCEEDED');
  });

  it('names the missing element of an incomplete response', async () => {
    const url = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/soap+xml' });
      res.end(
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><GetDeviceInformationResponse xmlns="http://www.onvif.org/ver10/device/wsdl"><Model>X</Model></GetDeviceInformationResponse></s:Body></s:Envelope>',
      );
    });
    client = new OnvifClient({ url });
    try {
      await client.getDeviceInformation();
      expect.unreachable();
    } catch (err) {
      expect(isCameraError(err) && [err.code, err.details?.path]).toEqual([
        'RESPONSE_INVALID',
        '/Envelope/Body/GetDeviceInformationResponse/Manufacturer',
      ]);
    }
  });

  it('rejects invalid construction arguments', () => {
    expect(() => new OnvifClient({ url: 'not a url' })).toThrow(/url/);
    expect(() => new OnvifClient({ url: 'ftp://x/' })).toThrow(/http/);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { isCameraError, OnvifClient } from '@dttm/camera-vms';
import { startOnvifSimulator, type OnvifSimulator } from '../src/testing/index.js';

let sim: OnvifSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('ONVIF Profile G: recording search and replay', () => {
  it('lists recordings across search rounds', async () => {
    sim = await startOnvifSimulator();
    const client = new OnvifClient({ url: sim.url, username: 'admin', password: 'admin' });
    const caps = await client.getCapabilities();
    expect([caps.search, caps.replay]).toEqual([true, true]);
    const recordings = await client.findRecordings();
    expect(recordings.map((r) => [r.token, r.name, r.content, r.status, r.earliest])).toEqual([
      ['RecordingToken_1', 'Cổng chính', 'Continuous', 'Recording', '2026-11-27T00:00:00Z'],
      ['RecordingToken_2', 'Sự kiện', 'Event', 'Stopped', '2026-11-28T00:00:00Z'],
    ]);
    const ops = sim.requests.map((r) => r.operation).filter((o) => o.includes('Recording'));
    expect(ops).toEqual(['FindRecordings', 'GetRecordingSearchResults', 'GetRecordingSearchResults']);
    expect((await client.findRecordings({ recordings: ['RecordingToken_2'] })).map((r) => r.token)).toEqual([
      'RecordingToken_2',
    ]);
  });

  it('finds recorded events by time and topic, normalized', async () => {
    sim = await startOnvifSimulator();
    const client = new OnvifClient({
      url: sim.url,
      username: 'admin',
      password: 'admin',
      cameraId: 'bg-cam-01',
    });
    const src = { VideoSourceConfigurationToken: 'VSC_1', Rule: 'Vạch dừng' };
    sim.publish({
      topic: 'tns1:RuleEngine/LineDetector/Crossed',
      source: src,
      data: { ObjectId: '1' },
      utcTime: '2026-11-28T02:00:00Z',
    });
    sim.publish({
      topic: 'tns1:RuleEngine/LineDetector/Crossed',
      source: src,
      data: { ObjectId: '2' },
      utcTime: '2026-11-28T02:10:00Z',
    });
    sim.publish({
      topic: 'tns1:Device/Trigger/DigitalInput',
      data: { LogicalState: 'true' },
      utcTime: '2026-11-28T02:05:00Z',
    });
    sim.publish({
      topic: 'tns1:RuleEngine/LineDetector/Crossed',
      source: src,
      data: { ObjectId: '3' },
      utcTime: '2026-11-28T03:00:00Z',
    });
    const all = await client.findEvents({
      from: '2026-11-28T08:55:00+07:00',
      to: '2026-11-28T09:30:00+07:00',
    });
    expect(all.map((m) => [m.time, m.topic, m.event?.kind ?? null])).toEqual([
      ['2026-11-28T02:00:00Z', 'tns1:RuleEngine/LineDetector/Crossed', 'line_crossing'],
      ['2026-11-28T02:10:00Z', 'tns1:RuleEngine/LineDetector/Crossed', 'line_crossing'],
      ['2026-11-28T02:05:00Z', 'tns1:Device/Trigger/DigitalInput', null],
    ]);
    expect(all[1]?.event?.objects).toEqual([{ id: '2' }]);
    expect(all[1]?.event?.rule).toEqual({ name: 'Vạch dừng', type: 'LineDetector' });
    const lines = await client.findEvents({
      from: '2026-11-28T00:00:00Z',
      to: '2026-11-28T23:59:59Z',
      topics: ['tns1:RuleEngine//.'],
    });
    expect(lines.map((m) => m.event?.objects[0]?.id)).toEqual(['1', '2', '3']);
    try {
      await client.findEvents({ from: '2026-11-29T00:00:00Z', to: '2026-11-28T00:00:00Z' });
      expect.unreachable();
    } catch (err) {
      expect(isCameraError(err) && err.code).toBe('INVALID_ARGUMENT');
    }
  });

  it('returns replay URIs and fails for unknown recordings', async () => {
    sim = await startOnvifSimulator();
    const client = new OnvifClient({ url: sim.url, username: 'admin', password: 'admin' });
    expect(await client.getReplayUri('RecordingToken_1')).toEqual({
      uri: 'rtsp://127.0.0.1:554/onvif-media/replay/RecordingToken_1',
      recordingToken: 'RecordingToken_1',
    });
    const body = sim.requests[sim.requests.length - 1]?.body ?? '';
    expect(body).toContain('<tt:Stream>RTP-Unicast</tt:Stream>');
    expect(body).toContain('<trp:RecordingToken>RecordingToken_1</trp:RecordingToken>');
    const err = await client.getReplayUri('nope').catch((e: unknown) => e);
    expect(isCameraError(err) && [err.code, err.details?.subcode]).toEqual(['SOAP_FAULT', 'InvalidArgVal']);
  });

  it('reports NOT_SUPPORTED on devices without Profile G', async () => {
    sim = await startOnvifSimulator({ recordings: false });
    const client = new OnvifClient({ url: sim.url, username: 'admin', password: 'admin' });
    const err = await client.findRecordings().catch((e: unknown) => e);
    expect(isCameraError(err) && err.code).toBe('NOT_SUPPORTED');
  });
});

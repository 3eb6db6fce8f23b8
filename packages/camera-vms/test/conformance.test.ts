import { afterEach, describe, expect, it } from 'vitest';
import {
  CAMERA_CONFORMANCE_CHECKS,
  runCameraConformance,
  type CameraConformanceReport,
} from '@dttm/camera-vms';
import { startOnvifSimulator, type OnvifSimulator } from '../src/testing/index.js';

let sim: OnvifSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const login = { username: 'admin', password: 'Mật-khẩu-Camera-98' };
const motion = {
  topic: 'tns1:RuleEngine/CellMotionDetector/Motion',
  source: { VideoSourceConfigurationToken: 'VSC_1', Rule: 'Motion1' },
  data: { IsMotion: 'true' },
  property: true,
};

function statuses(report: CameraConformanceReport): Record<string, string> {
  return Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
}

const FAULT =
  '<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:ter="http://www.onvif.org/ver10/error">' +
  '<s:Body><s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>ter:ActionNotSupported</s:Value></s:Subcode></s:Code>' +
  '<s:Reason><s:Text xml:lang="en">Not implemented</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>';

describe('runCameraConformance', () => {
  it('passes every check on a conforming device, and leaves no subscription behind', async () => {
    sim = await startOnvifSimulator(login);
    const s = sim;
    const report = await runCameraConformance(
      { url: s.url, ...login },
      { trigger: () => s.publish(motion), eventTimeoutMs: 5000 },
    );
    expect(report.checks.map((c) => c.id)).toEqual([...CAMERA_CONFORMANCE_CHECKS]);
    expect(report.checks.filter((c) => c.status !== 'passed')).toEqual([]);
    expect([report.verdict, report.passed, report.failed, report.skipped]).toEqual(['passed', 15, 0, 0]);
    expect(report.device).toEqual({
      manufacturer: 'DTTM Simulator',
      model: 'SIM-PTZ-4MP',
      firmwareVersion: 'V5.7.3 build 250101',
    });
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c.details]));
    expect(byId['events.delivery']).toBe('tns1:RuleEngine/CellMotionDetector/Motion → motion start');
    expect(byId['media.stream-uri']).toBe('rtsp://127.0.0.1:554/Streaming/Channels/101');
    expect(byId['events.unsubscribe']).toBe('later PullMessages refused (SOAP_FAULT ResourceUnknownFault)');
    expect(report.checks[0]?.title).toEqual({
      en: 'GetSystemDateAndTime answers without authentication',
      vi: 'GetSystemDateAndTime trả lời khi chưa xác thực',
    });
    expect(s.subscriptionCount).toBe(0);
    // The wrong-password probe was refused, and the device saw an unauthenticated GetSystemDateAndTime.
    expect(s.requests.some((r) => r.operation === 'GetSystemDateAndTime' && r.auth === 'none')).toBe(true);
    expect(JSON.stringify(report)).not.toContain(login.password);
  });

  it('drives Axis-style subscriptions through their reference parameters', async () => {
    sim = await startOnvifSimulator({ ...login, referenceParameters: true });
    const s = sim;
    const report = await runCameraConformance({ url: s.url, ...login }, { trigger: () => s.publish(motion) });
    expect(report.checks.filter((c) => c.id.startsWith('events.')).map((c) => [c.id, c.status])).toEqual([
      ['events.create-pull-point', 'passed'],
      ['events.pull-messages', 'passed'],
      ['events.delivery', 'passed'],
      ['events.unsubscribe', 'passed'],
    ]);
    expect(report.checks.find((c) => c.id === 'events.create-pull-point')?.details).toMatch(
      /\/onvif\/services, 60 s, with reference parameters$/,
    );
  });

  it('reports a failing operation, skips what depends on it, and fails the verdict', async () => {
    sim = await startOnvifSimulator({ ...login, legacyCapabilities: true });
    const s = sim;
    const faulty: typeof fetch = async (input, init) => {
      if (typeof init?.body === 'string' && init.body.includes('GetProfiles')) {
        return new Response(FAULT, { status: 500, headers: { 'content-type': 'application/soap+xml' } });
      }
      return fetch(input, init);
    };
    const report = await runCameraConformance({ url: s.url, ...login, fetch: faulty });
    expect(statuses(report)).toEqual({
      'device.system-date-and-time': 'passed',
      'device.information': 'passed',
      'device.services': 'passed',
      'auth.rejects-wrong-password': 'passed',
      'media.profiles': 'failed',
      'media.stream-uri': 'skipped',
      'media.snapshot-uri': 'skipped',
      'ptz.status': 'skipped',
      'ptz.presets': 'skipped',
      'events.create-pull-point': 'passed',
      'events.pull-messages': 'passed',
      'events.delivery': 'skipped',
      'events.unsubscribe': 'passed',
      'recording.search': 'skipped',
      'recording.replay-uri': 'skipped',
    });
    const failed = report.checks.find((c) => c.id === 'media.profiles');
    expect(failed?.error?.code).toBe('SOAP_FAULT');
    expect(report.checks.find((c) => c.id === 'events.delivery')?.details).toBe('no trigger given');
    expect(report.checks.find((c) => c.id === 'recording.search')?.details).toBe('Search not advertised');
    expect([report.verdict, report.failed]).toEqual(['failed', 1]);
  });

  it('an unreachable device gives a failed report, not an exception; `only` narrows the run', async () => {
    sim = await startOnvifSimulator(login);
    const url = sim.url;
    await sim.close();
    sim = undefined;
    const report = await runCameraConformance(
      { url, ...login, timeoutMs: 1000, clock: { now: () => Date.parse('2026-12-01T01:00:00Z') } },
      { only: ['device.system-date-and-time', 'device.information', 'media.profiles'] },
    );
    expect(report.checks.map((c) => [c.id, c.status, c.error?.code ?? c.details])).toEqual([
      ['device.system-date-and-time', 'failed', 'NETWORK'],
      ['device.information', 'failed', 'NETWORK'],
      ['device.services', 'skipped', 'not selected'],
      ['auth.rejects-wrong-password', 'skipped', 'not selected'],
      ['media.profiles', 'skipped', 'the services are unknown (device.services did not pass)'],
      ...CAMERA_CONFORMANCE_CHECKS.slice(5).map((id) => [id, 'skipped', 'not selected']),
    ]);
    expect(report.verdict).toBe('failed');
    expect(report.target).toBe(url);
    // Times come from the injected clock.
    expect([report.startedAt, report.finishedAt, report.checks[0]?.durationMs]).toEqual([
      '2026-12-01T01:00:00.000Z',
      '2026-12-01T01:00:00.000Z',
      0,
    ]);
  });
});

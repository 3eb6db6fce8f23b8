import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MultipartParser,
  decodeNotifications,
  isapiAlertToEvent,
  isCameraError,
  mapFrigateEvent,
  mapMilestoneEvent,
  parseDahuaEvents,
  parseMilestoneMessage,
  parseProbeMatches,
} from '@dttm/camera-vms';

const vectors = path.resolve(import.meta.dirname, '../../../specs/conformance/camera-vms');

/** Deterministic generator so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

/** Mutates a valid sample: flips, deletes, duplicates and truncates bytes. */
function mutate(sample: string, r: () => number): string {
  let s = sample;
  const n = 1 + Math.floor(r() * 6);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * s.length);
    const op = Math.floor(r() * 4);
    if (op === 0) s = s.slice(0, at) + String.fromCharCode(Math.floor(r() * 128)) + s.slice(at + 1);
    else if (op === 1) s = s.slice(0, at) + s.slice(at + Math.floor(r() * 20));
    else if (op === 2) s = s.slice(0, at) + s.slice(at, at + 30) + s.slice(at);
    else s = s.slice(0, at);
  }
  return s;
}

/** Every outcome is a value or a typed CameraError, never another exception or a hang. */
function survives(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!isCameraError(err)) throw err;
  }
}

const read = (p: string): string => fs.readFileSync(path.join(vectors, p), 'utf8');

describe('parsers survive mutated input (deterministic fuzzing)', () => {
  it('ONVIF notifications', () => {
    const sample = read('onvif/recognition-traffic.xml');
    const r = rng(1);
    for (let i = 0; i < 400; i++) survives(() => decodeNotifications(mutate(sample, r)));
  });

  it('ISAPI alerts', () => {
    const sample = read('isapi/anpr-car.xml');
    const r = rng(2);
    for (let i = 0; i < 400; i++) survives(() => isapiAlertToEvent(mutate(sample, r), 'c'));
  });

  it('Dahua attach parts', () => {
    const sample = read('dahua/red-light-and-speed.txt');
    const r = rng(3);
    for (let i = 0; i < 400; i++) survives(() => parseDahuaEvents(mutate(sample, r)));
  });

  it('Frigate events', () => {
    const sample = read('frigate/lpr-new.json');
    const r = rng(4);
    for (let i = 0; i < 400; i++) survives(() => mapFrigateEvent(mutate(sample, r)));
  });

  it('Milestone Events and State messages', () => {
    const samples = [read('milestone/lpr-and-wrong-way.json'), read('milestone/analytics-rules.json')];
    const r = rng(7);
    let mapped = 0;
    for (let i = 0; i < 400; i++) {
      survives(() => {
        const m = parseMilestoneMessage(mutate(samples[i % 2] ?? '', r));
        if (m.kind !== 'events') return;
        for (const e of m.events) if (mapMilestoneEvent(e) !== undefined) mapped++;
      });
    }
    // Some mutations leave valid events; those still map.
    expect(mapped).toBeGreaterThan(0);
  });

  it('WS-Discovery answers', () => {
    const sample =
      '<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:w="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><e:Body><d:ProbeMatches><d:ProbeMatch><w:EndpointReference><w:Address>urn:uuid:x</w:Address></w:EndpointReference><d:XAddrs>http://a/</d:XAddrs></d:ProbeMatch></d:ProbeMatches></e:Body></e:Envelope>';
    const r = rng(5);
    for (let i = 0; i < 400; i++) survives(() => parseProbeMatches(mutate(sample, r), '10.0.0.1'));
  });

  it('multipart streams, with memory bounded by the part limit', () => {
    const part = `--boundary\r\nContent-Type: application/xml\r\nContent-Length: 10\r\n\r\n<a>xxx</a>\r\n`;
    const r = rng(6);
    for (let i = 0; i < 400; i++) {
      const p = new MultipartParser('boundary', { maxPartBytes: 4096, maxHeaderBytes: 512 });
      const data = Buffer.from(mutate(part.repeat(5), r));
      let parts = 0;
      survives(() => {
        for (let at = 0; at < data.length; at += 7) parts += p.push(data.subarray(at, at + 7)).length;
      });
      expect(parts).toBeLessThanOrEqual(10);
    }
  });
});

import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { decodeNotifications, isCameraError, mapOnvifNotification } from '@dttm/camera-vms';

const root = path.resolve(import.meta.dirname, '../../..');
const dir = path.join(root, 'specs/conformance/camera-vms/onvif');
const schema = JSON.parse(fs.readFileSync(path.join(root, 'specs/schemas/camera-event.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
const cases = fs.readdirSync(dir).filter((f) => f.endsWith('.xml'));

describe('ONVIF notification golden vectors (specs/conformance/camera-vms/onvif)', () => {
  it('has vectors', () => {
    expect(cases.length).toBeGreaterThanOrEqual(5);
  });

  it.each(cases)('%s → expected normalized events', (file) => {
    const xml = fs.readFileSync(path.join(dir, file), 'utf8');
    const expected = JSON.parse(
      fs.readFileSync(path.join(dir, file.replace(/\.xml$/, '.expected.json')), 'utf8'),
    );
    const actual = decodeNotifications(xml).map(
      (n) => mapOnvifNotification(n, 'bg-cam-01') ?? { unmapped: n.topic },
    );
    expect(actual).toEqual(expected);
    for (const event of actual) {
      if ('unmapped' in event) continue;
      expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
      // The raw payload is the exact NotificationMessage text of the source document.
      expect(xml).toContain(event.raw.payload);
    }
  });

  it('covers every event kind of the taxonomy at least once across vectors and simulator tests', () => {
    const kinds = new Set<string>();
    for (const f of cases) {
      for (const e of JSON.parse(
        fs.readFileSync(path.join(dir, f.replace(/\.xml$/, '.expected.json')), 'utf8'),
      )) {
        if (e.kind) kinds.add(e.kind);
      }
    }
    expect([...kinds].sort()).toEqual(
      [
        'abandoned_object',
        'counting',
        'crowd',
        'face_match',
        'intrusion',
        'line_crossing',
        'loitering',
        'motion',
        'plate_read',
        'removed_object',
        'tamper',
        'traffic_violation',
        'video_loss',
      ].sort(),
    );
  });

  it('the schema rejects an event that breaks the taxonomy', () => {
    const bad = {
      kind: 'line_crossing',
      id: 'x',
      source: { cameraId: 'c', adapter: 'onvif' },
      time: '2026-11-28T08:00:00+07:00',
      state: 'pulse',
      initial: false,
      objects: [],
      raw: { format: 'onvif-notification', topic: 't', payload: '' },
    };
    expect(validate(bad)).toBe(false);
    expect(validate({ ...bad, direction: 'left' })).toBe(true);
    expect(validate({ ...bad, direction: 'left', extra: 1 })).toBe(false);
  });

  it('hostile notification documents fail with typed errors', () => {
    const codes = [
      '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
      `${'<a>'.repeat(100)}${'</a>'.repeat(100)}`,
      '<wsnt:NotificationMessage>',
    ].map((xml) => {
      try {
        decodeNotifications(xml);
        return 'none';
      } catch (err) {
        return isCameraError(err) ? err.code : 'other';
      }
    });
    expect(codes).toEqual(['XML_FORBIDDEN', 'XML_LIMIT_EXCEEDED', 'XML_MALFORMED']);
  });
});

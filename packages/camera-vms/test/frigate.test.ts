import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { isCameraError, mapFrigateEvent } from '@dttm/camera-vms';

const root = path.resolve(import.meta.dirname, '../../..');
const dir = path.join(root, 'specs/conformance/camera-vms/frigate');
const schema = JSON.parse(fs.readFileSync(path.join(root, 'specs/schemas/camera-event.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
const cases = fs.readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json'));
const options = {
  frameSizes: { nga_tu_hoang_van_thu: { width: 1920, height: 1080 }, kho_bac: { width: 1280, height: 720 } },
  baseUrl: 'http://frigate.local:5000',
};

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isCameraError(err)) return `${err.code} ${String(err.details?.path)}`;
    throw err;
  }
  return 'none';
}

describe('Frigate MQTT events (specs/conformance/camera-vms/frigate)', () => {
  it('has vectors', () => {
    expect(cases.length).toBe(4);
  });

  it.each(cases)('%s → expected normalized event', (file) => {
    const text = fs.readFileSync(path.join(dir, file), 'utf8').trim();
    const expected = JSON.parse(
      fs.readFileSync(path.join(dir, file.replace(/\.json$/, '.expected.json')), 'utf8'),
    );
    const event = mapFrigateEvent(text, options);
    expect(event).toEqual(expected);
    expect(event.raw.payload).toBe(text);
    expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
  });

  it('converts mph and omits boxes without a frame size', () => {
    const text = fs.readFileSync(path.join(dir, 'lpr-new.json'), 'utf8');
    const e = mapFrigateEvent(text, { speedUnit: 'mph', cameraId: 'BG-0001' });
    expect(e.kind === 'plate_read' && e.speedKmh).toBe(66.4);
    expect(e.objects[0]?.box).toBeUndefined();
    expect(e.source.cameraId).toBe('BG-0001');
    expect(e.snapshot).toBeUndefined();
  });

  it('rejects malformed payloads with EVENT_INVALID and the path', () => {
    expect(codeOf(() => mapFrigateEvent('{'))).toBe('EVENT_INVALID $');
    expect(codeOf(() => mapFrigateEvent('[1]'))).toBe('EVENT_INVALID $.type');
    expect(codeOf(() => mapFrigateEvent('{"type":"gone","after":{}}'))).toBe('EVENT_INVALID $.type');
    expect(codeOf(() => mapFrigateEvent('{"type":"new"}'))).toBe('EVENT_INVALID $.after');
    expect(codeOf(() => mapFrigateEvent('{"type":"new","after":{"id":"x","camera":"c"}}'))).toBe(
      'EVENT_INVALID $.after.label',
    );
    expect(
      codeOf(() => mapFrigateEvent('{"type":"new","after":{"id":"x","camera":"c","label":"car"}}')),
    ).toBe('EVENT_INVALID $.after.start_time');
    expect(codeOf(() => mapFrigateEvent(`{"pad":"${'x'.repeat(300_000)}"}`))).toBe('EVENT_INVALID $');
  });
});

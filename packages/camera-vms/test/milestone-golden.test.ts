import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import {
  checkMilestoneEvent,
  isCameraError,
  mapMilestoneEvent,
  parseMilestoneMessage,
} from '@dttm/camera-vms';

const root = path.resolve(import.meta.dirname, '../../..');
const dir = path.join(root, 'specs/conformance/camera-vms/milestone');
const schema = JSON.parse(fs.readFileSync(path.join(root, 'specs/schemas/camera-event.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
const cases = fs.readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json'));
const options = { cameraIds: { '0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d': 'BG-0007' } };

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'none';
  } catch (err) {
    return isCameraError(err) ? `${err.code} ${String(err.details?.path)}` : 'other';
  }
}

describe('Milestone Events and State golden vectors (specs/conformance/camera-vms/milestone)', () => {
  it('has vectors', () => {
    expect(cases).toEqual([
      'analytics-rules.json',
      'lpr-and-wrong-way.json',
      'motion-and-communication.json',
    ]);
  });

  it.each(cases)('%s → expected normalized events', (file) => {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const expected = JSON.parse(
      fs.readFileSync(path.join(dir, file.replace(/\.json$/, '.expected.json')), 'utf8'),
    );
    const message = parseMilestoneMessage(text);
    if (message.kind !== 'events') throw new Error('expected events');
    expect(message.invalid).toEqual([]);
    const actual = message.events.map((e) => mapMilestoneEvent(e, options) ?? { unmapped: e.type });
    expect(actual).toEqual(expected);
    const source = (JSON.parse(text) as { events: unknown[] }).events;
    actual.forEach((event, i) => {
      if ('unmapped' in event) return;
      expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
      // The raw payload is the event object of the message.
      expect(JSON.parse(event.raw.payload)).toEqual(source[i]);
      expect(text).toContain(event.raw.payload);
    });
  });

  it('a configured event type wins over inference, and ids are stable per camera and event', () => {
    const e = checkMilestoneEvent({
      id: 'evt-1',
      type: 'AAAA0000-0000-4000-8000-000000000001',
      source: 'cameras/cam-9',
      time: '2026-12-01T10:00:00+07:00',
      data: { description: 'motion in the lobby', ruleList: [{ name: 'Sảnh', type: 'Custom' }] },
    });
    const inferred = mapMilestoneEvent(e);
    const configured = mapMilestoneEvent(e, {
      eventTypes: {
        'aaaa0000-0000-4000-8000-000000000001': { kind: 'traffic_violation', violation: 'red_light' },
      },
    });
    expect([inferred?.kind, configured?.kind]).toEqual(['motion', 'traffic_violation']);
    expect(configured?.kind === 'traffic_violation' && configured.violation).toBe('red_light');
    expect(mapMilestoneEvent(e)?.id).toBe(inferred?.id);
    expect(mapMilestoneEvent(e, { cameraIds: { 'cam-9': 'BG-0009' } })?.id).not.toBe(inferred?.id);
    const counting = mapMilestoneEvent(e, { eventTypes: { [e.type]: 'counting' } });
    expect(counting).toBeUndefined();
  });

  it('rejects unusable messages and events with typed errors naming the place', () => {
    expect(codeOf(() => parseMilestoneMessage('{'))).toBe('EVENT_INVALID $');
    expect(codeOf(() => parseMilestoneMessage('[1,2]'))).toBe('EVENT_INVALID $');
    expect(codeOf(() => parseMilestoneMessage('{"events":{}}'))).toBe('EVENT_INVALID $');
    expect(codeOf(() => parseMilestoneMessage(`{"events":[],"x":${'['.repeat(40)}${']'.repeat(40)}}`))).toBe(
      'EVENT_INVALID $',
    );
    expect(codeOf(() => parseMilestoneMessage(`{"events":[],"x":"${'a'.repeat(2000)}"}`, 1000))).toBe(
      'EVENT_INVALID $',
    );
    const base = { id: 'e1', type: 't', source: 'cameras/c', time: '2026-12-01T00:00:00Z' };
    expect(codeOf(() => checkMilestoneEvent({ ...base, id: 'bad id with spaces' }))).toBe(
      'EVENT_INVALID $.id',
    );
    expect(codeOf(() => checkMilestoneEvent({ ...base, type: 7 }))).toBe('EVENT_INVALID $.type');
    expect(codeOf(() => checkMilestoneEvent({ ...base, source: '' }))).toBe('EVENT_INVALID $.source');
    expect(codeOf(() => checkMilestoneEvent({ ...base, time: 'yesterday' }))).toBe('EVENT_INVALID $.time');
    expect(codeOf(() => checkMilestoneEvent({ ...base, data: [1] }))).toBe('EVENT_INVALID $.data');
    const mixed = parseMilestoneMessage(
      JSON.stringify({ events: [base, { ...base, time: 1 }, { ...base, id: 'e2' }] }),
    );
    expect(
      mixed.kind === 'events' && [mixed.events.map((e) => e.id), mixed.invalid.map((e) => e.details?.path)],
    ).toEqual([['e1', 'e2'], ['$.events[1].time']]);
    // The raw payload is each event's text as sent, whatever the spacing or escapes around it.
    const spaced = `{ "note": "events", "x": [1, {"events": []}],\n "events" : [ ${JSON.stringify(base)} ,\n\t{"id":"e\\u0032","type":"t]","source":"cameras/c","time":"2026-12-01T00:00:00Z","data":{"s":"a\\"},{"}} ] }`;
    const exact = parseMilestoneMessage(spaced);
    expect(exact.kind === 'events' && exact.events.map((e) => [e.id, e.raw])).toEqual([
      ['e1', JSON.stringify(base)],
      [
        'e2',
        '{"id":"e\\u0032","type":"t]","source":"cameras/c","time":"2026-12-01T00:00:00Z","data":{"s":"a\\"},{"}}',
      ],
    ]);
    // A repeated "events" key (JSON.parse keeps the last): the events are re-serialized instead.
    const twice = parseMilestoneMessage(`{"events":[{"id":"zz"}],"events":[${JSON.stringify(base)}]}`);
    expect(twice.kind === 'events' && twice.events.map((e) => e.raw)).toEqual([JSON.stringify(base)]);
    const response = parseMilestoneMessage('{"commandId":3,"status":200,"subscriptionId":"s"}');
    expect(response).toEqual({
      kind: 'response',
      commandId: 3,
      body: { commandId: 3, status: 200, subscriptionId: 's' },
    });
  });
});

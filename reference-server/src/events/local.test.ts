import { describe, expect, it } from 'vitest';
import envelopeSchema from '../../../specs/schemas/ioc-event.schema.json';
import { createAjv } from '../http/ajv.js';
import { createLocalBus, eventJson } from './local.js';
import type { IocEvent } from './types.js';

const validEnvelope = createAjv({ strict: true }).compile(envelopeSchema);

let n = 0;
const bus = () =>
  createLocalBus({
    source: 'urn:dttm:ioc:test',
    now: () => new Date('2026-11-28T01:02:03.000Z'),
    newId: () => `id-${++n}`,
    historySize: 3,
  });

async function take(it: AsyncIterable<IocEvent>, count: number): Promise<IocEvent[]> {
  const out: IocEvent[] = [];
  for await (const e of it) {
    out.push(e);
    if (out.length === count) break;
  }
  return out;
}

describe('in-process event bus', () => {
  it('eventJson writes JSON.stringify(event) around data already serialized', () => {
    const base = {
      specversion: '1.0' as const,
      id: 'id-"1"',
      source: 'urn:dttm:ioc:test',
      type: 'kpi.observation.recorded',
      time: '2026-11-28T01:02:03.000Z',
      datacontenttype: 'application/json' as const,
    };
    const data = {
      indicator: 'L2.N1.PN1.02',
      note: 'Bắc Giang "quote" \\ \n',
      nested: { a: [1, null, true] },
    };
    for (const event of [
      { ...base, data },
      { ...base, subject: 'observation:bench:k-"1"', data },
    ]) {
      expect(eventJson(event, JSON.stringify(event.data))).toBe(JSON.stringify(event));
      expect(eventJson(event)).toBe(JSON.stringify(event));
    }
  });

  it('publishAll: one event per item, in order, one time, each an ordinary event', async () => {
    n = 0;
    let clock = 0;
    const b = createLocalBus({
      source: 'urn:dttm:ioc:test',
      now: () => new Date(Date.UTC(2026, 10, 28, 1, 2, clock++)),
      newId: () => `id-${++n}`,
    });
    const all = b.subscribe();
    const events = await b.publishAll('kpi.observation.recorded', [
      { data: { i: 1 }, subject: 'observation:a', json: '{"i":1}' },
      { data: { i: 2 } },
      { data: { i: 3 }, subject: 'observation:c' },
    ]);
    expect(events.map((e) => e.id)).toEqual(['id-1', 'id-2', 'id-3']);
    expect(new Set(events.map((e) => e.time))).toEqual(new Set(['2026-11-28T01:02:00.000Z']));
    expect(events[1]).not.toHaveProperty('subject');
    expect(events[2]?.subject).toBe('observation:c');
    expect(await take(all, 3)).toEqual(events);
    expect(b.recent('id-1').map((e) => e.id)).toEqual(['id-2', 'id-3']);
    await expect(b.publishAll('Not A Type', [{ data: 1 }])).rejects.toMatchObject({
      code: 'INVALID_EVENT_TYPE',
    });
    expect(await b.publishAll('kpi.observation.recorded', [])).toEqual([]);
    await b.close();
    await expect(b.publishAll('kpi.observation.recorded', [{ data: 1 }])).rejects.toMatchObject({
      code: 'BUS_CLOSED',
    });
  });

  it('builds CloudEvents and delivers them to every matching subscriber', async () => {
    n = 0;
    const b = bus();
    const all = b.subscribe();
    const alerts = b.subscribe({ types: ['kpi.alert.raised'] });
    const e1 = await b.publish(
      'kpi.observation.recorded',
      { code: 'L1.N1.01' },
      { subject: 'observation:1' },
    );
    await b.publish('kpi.alert.raised', { severity: 'high' });
    expect(e1).toEqual({
      specversion: '1.0',
      id: 'id-1',
      source: 'urn:dttm:ioc:test',
      type: 'kpi.observation.recorded',
      time: '2026-11-28T01:02:03.000Z',
      datacontenttype: 'application/json',
      subject: 'observation:1',
      data: { code: 'L1.N1.01' },
    });
    expect((await take(all, 2)).map((e) => e.id)).toEqual(['id-1', 'id-2']);
    expect((await take(alerts, 1)).map((e) => e.type)).toEqual(['kpi.alert.raised']);
  });

  it('rejects malformed event types', async () => {
    await expect(bus().publish('Bad Type', null)).rejects.toMatchObject({ code: 'INVALID_EVENT_TYPE' });
  });

  it('ends a subscription on abort and on close', async () => {
    const b = bus();
    const ac = new AbortController();
    const sub = b.subscribe({ signal: ac.signal });
    const done = take(sub, 10);
    ac.abort();
    expect(await done).toEqual([]);
    const other = take(b.subscribe(), 10);
    await b.close();
    expect(await other).toEqual([]);
    await expect(b.publish('a.b', 1)).rejects.toMatchObject({ code: 'BUS_CLOSED' });
  });

  it('cuts off a subscriber that falls too far behind, without affecting others', async () => {
    const b = bus();
    const slow = b.subscribe({ bufferSize: 2 });
    const fast = b.subscribe();
    for (let i = 0; i < 3; i++) await b.publish('reading.received', i);
    const it = slow[Symbol.asyncIterator]();
    await expect(it.next()).resolves.toMatchObject({ done: false });
    await expect(it.next()).resolves.toMatchObject({ done: false });
    await expect(it.next()).rejects.toMatchObject({ code: 'SUBSCRIBER_OVERFLOW' });
    expect((await take(fast, 3)).map((e) => e.data)).toEqual([0, 1, 2]);
  });

  it('remembers the last events for resume', async () => {
    n = 0;
    const b = bus();
    for (let i = 0; i < 5; i++) await b.publish(i % 2 ? 'a.odd' : 'a.even', i);
    expect(b.recent().map((e) => e.id)).toEqual(['id-3', 'id-4', 'id-5']);
    expect(b.recent('id-3').map((e) => e.id)).toEqual(['id-4', 'id-5']);
    expect(b.recent('id-3', ['a.even']).map((e) => e.id)).toEqual(['id-5']);
    expect(b.recent('forgotten').map((e) => e.id)).toEqual(['id-3', 'id-4', 'id-5']);
  });
});

describe('the event envelope', () => {
  it('matches specs/schemas/ioc-event.schema.json', async () => {
    const b = createLocalBus({ source: 'urn:dttm:ioc:0f9e2b5c-1d2a-4f7e-9a53-2b1c0d9e8f7a' });
    const e = await b.publish('kpi.alert.raised', { severity: 'high' }, { subject: 'alert:1' });
    expect(validEnvelope(e), JSON.stringify(validEnvelope.errors)).toBe(true);
    expect(validEnvelope({ ...e, specversion: '0.3' })).toBe(false);
  });
});

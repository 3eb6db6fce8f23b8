/** Scale-out: several instances share events through the machine's NATS JetStream. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createNatsBus } from '../src/events/nats.js';
import type { EventBus, IocEvent } from '../src/events/types.js';
import { nextEvent, serverFixture, sseFrames } from './helpers.js';

const NATS = 'nats://127.0.0.1:4222';

async function collect(it: AsyncIterable<IocEvent>, ms: number): Promise<IocEvent[]> {
  const out: IocEvent[] = [];
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), ms);
  try {
    for await (const e of it) out.push(e);
  } finally {
    clearTimeout(timer);
  }
  return out;
}

describe('NATS JetStream bus', () => {
  const run = randomUUID().slice(0, 8);
  let a: EventBus;
  let b: EventBus;
  beforeAll(async () => {
    const common = { url: NATS, stream: `IOC_TEST_${run}`, subjectPrefix: `ioctest${run}`, maxAgeMs: 60_000 };
    a = await createNatsBus({ ...common, source: 'urn:dttm:ioc:a' });
    b = await createNatsBus({ ...common, source: 'urn:dttm:ioc:b' });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    const nc = await connect({ servers: '127.0.0.1:4222' });
    await (await jetstreamManager(nc)).streams.delete(`IOC_TEST_${run}`);
    await nc.close();
  });

  it('delivers an event to the other instance, and once to its own subscribers', async () => {
    const ac = new AbortController();
    const onA = a.subscribe({ signal: ac.signal });
    const onB = b.subscribe({ signal: ac.signal });
    const seenA = collect(onA, 60_000);
    const seenB = collect(onB, 60_000);
    const e = await a.publish('kpi.alert.raised', { indicator: 'L2.N3.01' });
    const deadline = Date.now() + 5000;
    while (b.recent().every((x) => x.id !== e.id) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    ac.abort();
    expect((await seenA).map((x) => x.id)).toEqual([e.id]);
    expect((await seenB).map((x) => x.id)).toEqual([e.id]);
    expect(a.transport).toBe('nats');
  });
});

describe('two server instances on NATS', () => {
  const one = serverFixture({ EVENT_BUS_URL: NATS });
  const two = serverFixture({ EVENT_BUS_URL: NATS });
  beforeAll(async () => {
    await one.start();
    await two.start();
  });
  afterAll(async () => {
    await one.stop();
    await two.stop();
  });

  it('an event published through one appears on the other’s SSE stream', async () => {
    const ac = new AbortController();
    const res = await fetch(new URL('/api/v1/events?types=kpi.alert.raised', two.ctx.server.url), {
      headers: { authorization: `Bearer ${two.ctx.token(['operator'])}` },
      signal: ac.signal,
    });
    const frames = sseFrames(res);
    const published = await one.ctx.server.bus.publish('kpi.alert.raised', {
      indicator: 'L1.N2.03',
      at: randomUUID(),
    });
    for (;;) {
      const e = await nextEvent(frames);
      if (e.id === published.id) {
        expect(e).toEqual(published);
        break;
      }
    }
    ac.abort();
  });
});

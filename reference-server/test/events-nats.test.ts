/** Scale-out: several instances share events through the machine's NATS JetStream. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
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

  it('publishAll: the other instance receives every event of the batch, in order', async () => {
    const ac = new AbortController();
    const onA = a.subscribe({ signal: ac.signal });
    const onB = b.subscribe({ signal: ac.signal });
    const seenA = collect(onA, 60_000);
    const seenB = collect(onB, 60_000);
    const events = await a.publishAll(
      'kpi.observation.recorded',
      Array.from({ length: 20 }, (_, i) => ({ data: { i }, subject: `observation:${i}` })),
    );
    const last = events[events.length - 1]?.id;
    const deadline = Date.now() + 5000;
    while (b.recent().every((x) => x.id !== last) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    ac.abort();
    const ids = events.map((e) => e.id);
    expect((await seenA).map((x) => x.id)).toEqual(ids);
    expect((await seenB).map((x) => x.id)).toEqual(ids);
    expect((await seenB).map((x) => x.subject)).toEqual(events.map((e) => e.subject));
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

describe('two server instances on PostgreSQL and NATS', () => {
  const db = `ioc_scale_${randomUUID().slice(0, 8).replace(/-/g, '')}`;
  const DATABASE_URL = `postgres://postgres@127.0.0.1:5432/${db}`;
  const now = () => new Date('2026-02-15T00:00:00+07:00');
  const env = { EVENT_BUS_URL: NATS, DATABASE_URL, KPI_ALERT_INTERVAL_MS: '0' };
  const one = serverFixture(env, { now });
  const two = serverFixture(env, { now });
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  beforeAll(async () => {
    await admin(`CREATE DATABASE ${db}`);
    await one.start();
    await two.start();
  });
  afterAll(async () => {
    await one.stop();
    await two.stop();
    await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  });

  it('an alert raised through one appears on the other’s SSE stream, and the other can acknowledge it', async () => {
    const ac = new AbortController();
    const res = await fetch(
      new URL('/api/v1/events?types=kpi.alert.raised,kpi.alert.updated', two.ctx.server.url),
      {
        headers: { authorization: `Bearer ${two.ctx.token(['operator'])}` },
        signal: ac.signal,
      },
    );
    const frames = sseFrames(res);
    // Instance one takes a low 2025 value of L2.N1.PN2.01 (target ≥ 30) and derives alerts.
    const ingest = await fetch(new URL('/api/v1/kpi/observations', one.ctx.server.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${one.ctx.token(['machine'])}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        observations: [
          {
            key: 'scale-1',
            indicator: 'L2.N1.PN2.01',
            value: 12,
            period: { year: 2025 },
            scope: { level: 'province', adminUnitCode: '24' },
            source: 'so-gtvt',
            method: 'manual',
            recordedAt: '2026-01-10T00:00:00+07:00',
          },
        ],
      }),
    });
    expect(ingest.status).toBe(202);
    await one.ctx.server.kpi.refreshAlerts();
    let raised: IocEvent | undefined;
    while (raised === undefined) {
      const e = await nextEvent(frames);
      const data = e.data as { indicator?: string; kind?: string };
      if (
        e.type === 'kpi.alert.raised' &&
        data.indicator === 'L2.N1.PN2.01' &&
        data.kind === 'target-not-met'
      )
        raised = e;
    }
    const id = (raised.data as { id: string }).id;
    // Instance two has not derived anything itself: the alert is in the shared database.
    const ack = await fetch(new URL(`/api/v1/alerts/${id}/acknowledge`, two.ctx.server.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${two.ctx.token(['operator'])}` },
    });
    expect(ack.status).toBe(200);
    const seen = await fetch(new URL(`/api/v1/alerts/${id}`, one.ctx.server.url), {
      headers: { authorization: `Bearer ${one.ctx.token(['leadership'])}` },
    });
    expect(((await seen.json()) as { state: string }).state).toBe('acknowledged');
    // Re-deriving on instance one keeps the acknowledgement and raises nothing twice.
    await one.ctx.server.kpi.refreshAlerts();
    const all = await one.ctx.server.storage.kpi.listAlerts({
      states: ['open', 'acknowledged'],
      limit: 1000,
    });
    expect(
      all.filter((a) => a.dedupKey === (raised.data as { dedupKey: string }).dedupKey).map((a) => a.state),
    ).toEqual(['acknowledged']);
    ac.abort();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent, serverFixture, sseFrames } from './helpers.js';

describe('GET /api/v1/events (Server-Sent Events)', () => {
  const f = serverFixture();
  beforeAll(() => f.start());
  afterAll(() => f.stop());

  it('streams published events to an operator, with heartbeats', async () => {
    const ac = new AbortController();
    const res = await fetch(new URL('/api/v1/events', f.ctx.server.url), {
      headers: { authorization: `Bearer ${f.ctx.token(['operator'])}` },
      signal: ac.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const frames = sseFrames(res);
    const published = await f.ctx.server.bus.publish('kpi.alert.raised', {
      indicator: 'L2.N3.01',
      severity: 'high',
    });
    const received = await nextEvent(frames);
    expect(received).toEqual(published);
    let sawHeartbeat = false;
    for await (const fr of frames) {
      if (fr.comment === 'keep-alive') {
        sawHeartbeat = true;
        break;
      }
    }
    expect(sawHeartbeat).toBe(true);
    ac.abort();
  });

  it('filters by type and accepts the token as access_token for EventSource', async () => {
    const ac = new AbortController();
    const url = new URL('/api/v1/events', f.ctx.server.url);
    url.searchParams.set('types', 'kpi.alert.raised');
    url.searchParams.set('access_token', f.ctx.token(['leadership']));
    const res = await fetch(url, { signal: ac.signal });
    expect(res.status).toBe(200);
    const frames = sseFrames(res);
    await f.ctx.server.bus.publish('kpi.observation.recorded', { n: 1 });
    const alert = await f.ctx.server.bus.publish('kpi.alert.raised', { n: 2 });
    expect((await nextEvent(frames)).id).toBe(alert.id);
    ac.abort();
  });

  it('replays what was missed after Last-Event-ID', async () => {
    const a = await f.ctx.server.bus.publish('kpi.alert.raised', { n: 'a' });
    const b = await f.ctx.server.bus.publish('kpi.alert.raised', { n: 'b' });
    const c = await f.ctx.server.bus.publish('kpi.alert.raised', { n: 'c' });
    const ac = new AbortController();
    const res = await fetch(new URL('/api/v1/events?types=kpi.alert.raised', f.ctx.server.url), {
      headers: { authorization: `Bearer ${f.ctx.token(['operator'])}`, 'last-event-id': a.id },
      signal: ac.signal,
    });
    const frames = sseFrames(res);
    expect((await nextEvent(frames)).id).toBe(b.id);
    expect((await nextEvent(frames)).id).toBe(c.id);
    ac.abort();
  });

  it('streams to districts and departments only the events about what they may see', async () => {
    const ac = new AbortController();
    const open = (roles: Parameters<typeof f.ctx.token>[0], claims: Parameters<typeof f.ctx.token>[1]) =>
      fetch(new URL('/api/v1/events', f.ctx.server.url), {
        headers: { authorization: `Bearer ${f.ctx.token(roles, claims)}` },
        signal: ac.signal,
      }).then(sseFrames);
    const district = await open(['district'], { area: '213' });
    const health = await open(['department'], { department: 'health' });
    const bus = f.ctx.server.bus;
    const alert = (indicator: string, area: string) => ({
      id: '0000000000000001',
      dedupKey: `k|${indicator}|${area}`,
      kind: 'target-not-met',
      indicator,
      scope: { level: 'district', adminUnitCode: area },
      severity: 'warning',
      state: 'open',
      raisedAt: '2026-01-01T00:00:00+07:00',
      message: { vi: 'x', en: 'x' },
    });
    await bus.publish('kpi.alert.raised', alert('L2.N3.PN1.03', '222'));
    const mine = await bus.publish('kpi.alert.raised', alert('L2.N3.PN1.03', '213'));
    const healthAlert = await bus.publish('kpi.alert.raised', alert('L2.N1.PN3.01', '222'));
    await bus.publish('audit.something.happened', { x: 1 });
    const obs = await bus.publish('kpi.observation.recorded', {
      indicator: 'L2.N1.PN3.02',
      scope: { level: 'district', adminUnitCode: '213' },
    });
    // The first event each sees proves the earlier ones were withheld.
    expect((await nextEvent(district)).id).toBe(mine.id);
    expect((await nextEvent(district)).id).toBe(obs.id);
    expect((await nextEvent(health)).id).toBe(healthAlert.id);
    expect((await nextEvent(health)).id).toBe(obs.id);
    ac.abort();
  });

  it('answers 401 without a token, 403 to roles that may not read all events, 400 on a bad type', async () => {
    const base = new URL('/api/v1/events', f.ctx.server.url);
    expect((await fetch(base)).status).toBe(401);
    const machine = await fetch(base, { headers: { authorization: `Bearer ${f.ctx.token(['machine'])}` } });
    expect(machine.status).toBe(403);
    const bad = await fetch(new URL('/api/v1/events?types=Not%20A%20Type', f.ctx.server.url), {
      headers: { authorization: `Bearer ${f.ctx.token(['operator'])}` },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('INVALID_REQUEST');
  });

  it('shutdown ends open streams instead of waiting for them', async () => {
    const g = serverFixture();
    await g.start();
    const res = await fetch(new URL('/api/v1/events', g.ctx.server.url), {
      headers: { authorization: `Bearer ${g.ctx.token(['operator'])}` },
    });
    const frames = sseFrames(res);
    const started = Date.now();
    await g.stop();
    expect(Date.now() - started).toBeLessThan(3000);
    for await (const _ of frames) {
      // drain until the server ends the stream
    }
  });
});

import fs from 'node:fs';
import { KpiSchemas } from '@dttm/ioc-kpi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractErrors } from './contract.js';
import { serverFixture } from './helpers.js';

const NOW = new Date('2026-02-15T00:00:00+07:00');
const f = serverFixture({ KPI_ALERT_INTERVAL_MS: '0' }, { now: () => NOW });
// Alert events from the start: alerts are derived shortly after each ingest as well as on request.
const events: string[] = [];
const listening = new AbortController();
beforeAll(async () => {
  await f.start();
  void (async () => {
    for await (const e of f.ctx.server.bus.subscribe({
      types: ['kpi.alert.raised', 'kpi.alert.updated'],
      signal: listening.signal,
    }))
      events.push(e.type);
  })().catch(() => undefined);
});
afterAll(async () => {
  listening.abort();
  await f.stop();
});

const observations = JSON.parse(
  fs.readFileSync(
    new URL('../../specs/conformance/ioc-kpi/bac-giang-2025.observations.json', import.meta.url),
    'utf8',
  ),
) as Record<string, unknown>[];
const schemas = new KpiSchemas();

type Roles = Parameters<typeof f.ctx.token>[0];
type Claims = Parameters<typeof f.ctx.token>[1];

async function call(method: string, path: string, roles: Roles, body?: unknown, claims: Claims = {}) {
  const res = await fetch(new URL(path, f.ctx.server.url), {
    method,
    headers: {
      authorization: `Bearer ${f.ctx.token(roles, claims)}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const type = res.headers.get('content-type')?.split(';')[0] ?? '';
  // Buffer keeps a byte-order mark, which Response.text() would strip.
  const text = Buffer.from(await res.arrayBuffer()).toString('utf8');
  return {
    status: res.status,
    type,
    text,
    headers: res.headers,
    json: (type.endsWith('json') ? JSON.parse(text) : {}) as Record<string, unknown> & {
      items?: Record<string, unknown>[];
    },
  };
}

const keyed = observations.map((o, i) => ({ ...o, key: `conformance-${i}` }));

describe('KPI API', () => {
  it('serves the catalogue and the profiles', async () => {
    const cat = await call('GET', '/api/v1/kpi/catalogue', ['leadership']);
    expect(cat.status).toBe(200);
    expect(cat.json.id).toBe('vn-smart-city-2025');
    expect(contractErrors('GET', '/api/v1/kpi/catalogue', 200, 'application/json', cat.json)).toEqual([]);
    const list = await call('GET', '/api/v1/kpi/profiles', ['district'], undefined, { area: '215' });
    expect(list.json.items).toEqual([
      {
        id: 'bac-giang-2025',
        version: '1.0.0',
        name: expect.objectContaining({ vi: 'Bộ chỉ tiêu đô thị thông minh tỉnh Bắc Giang đến năm 2025' }),
        catalogue: 'vn-smart-city-2025',
        illustrative: false,
        indicators: 36,
        default: true,
      },
      expect.objectContaining({
        id: 'example-health-sector',
        extends: 'bac-giang-2025',
        illustrative: true,
        indicators: 40,
        default: false,
      }),
    ]);
    expect(contractErrors('GET', '/api/v1/kpi/profiles', 200, 'application/json', list.json)).toEqual([]);
    const one = await call('GET', '/api/v1/kpi/profiles/bac-giang-2025', ['leadership']);
    expect((one.json.targets as unknown[]).length).toBe(36);
    expect(
      contractErrors('GET', '/api/v1/kpi/profiles/{profileId}', 200, 'application/json', one.json),
    ).toEqual([]);
    expect((await call('GET', '/api/v1/kpi/profiles/nope', ['leadership'])).status).toBe(404);
    expect((await call('GET', '/api/v1/kpi/catalogue', ['machine'])).status).toBe(403);
  });

  it('ingests observations idempotently by client key, audited, and only from machine clients', async () => {
    expect(
      (await call('POST', '/api/v1/kpi/observations', ['leadership'], { observations: keyed })).status,
    ).toBe(403);
    const first = await call('POST', '/api/v1/kpi/observations', ['machine'], { observations: keyed });
    expect(first.status).toBe(202);
    expect(first.json).toEqual({ accepted: 15, duplicates: 0, rejected: [] });
    expect(contractErrors('POST', '/api/v1/kpi/observations', 202, 'application/json', first.json)).toEqual(
      [],
    );
    const again = await call('POST', '/api/v1/kpi/observations', ['machine'], { observations: keyed });
    expect(again.json).toEqual({ accepted: 0, duplicates: 15, rejected: [] });
    // Without a key, an identical observation is the duplicate.
    const unkeyed = await call('POST', '/api/v1/kpi/observations', ['machine'], {
      observations: [observations[0], observations[0]],
    });
    expect(unkeyed.json).toMatchObject({
      accepted: 1,
      rejected: [{ index: 1, issues: [{ code: 'DUPLICATE' }] }],
    });
    const replay = await call('POST', '/api/v1/kpi/observations', ['machine'], {
      observations: [observations[0]],
    });
    expect(replay.json).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    const audit = await f.ctx.server.storage.audit.list({ limit: 1000 });
    expect(
      audit
        .filter((e) => e.action === 'kpi.observations.ingest' && e.actor !== 'ioc-environment')
        .map((e) => e.data),
    ).toEqual([
      { accepted: 15, duplicates: 0, rejected: 0 },
      { accepted: 0, duplicates: 15, rejected: 0 },
      { accepted: 1, duplicates: 0, rejected: 1 },
      { accepted: 0, duplicates: 1, rejected: 0 },
    ]);
  });

  it('rejects bad items naming the field in Vietnamese and English, keeping the good ones', async () => {
    const base = { ...observations[0], key: 'bad-batch-ok', period: { year: 2023 } };
    const r = await call('POST', '/api/v1/kpi/observations', ['machine'], {
      observations: [
        base,
        { ...base, key: 'b1', indicator: 'L9.N9.PN9.99' },
        { ...base, key: 'b2', value: 140 },
        { ...base, key: 'b3', value: 'nhiều' },
        { ...base, key: 'b4', period: { year: 2025, quarter: 7 } },
        { ...base, key: 'b5', indicator: 'L2.N1.PN3.01', value: 50, numerator: 9, denominator: 4 },
        { ...base, key: 42 },
        'not an object',
      ],
    });
    expect(r.status).toBe(202);
    expect(r.json.accepted).toBe(1);
    const rejected = r.json.rejected as {
      index: number;
      issues: { code: string; path: string; message: { vi: string; en: string } }[];
    }[];
    expect(rejected.map((x) => [x.index, x.issues[0]?.code, x.issues[0]?.path])).toEqual([
      [1, 'UNKNOWN_INDICATOR', '/indicator'],
      [2, 'OUT_OF_RANGE', '/value'],
      [3, 'SCHEMA', '/value'],
      [4, 'SCHEMA', '/period'],
      [5, 'INCONSISTENT', '/numerator'],
      [6, 'SCHEMA', '/key'],
      [7, 'SCHEMA', ''],
    ]);
    expect(rejected[1]?.issues[0]?.message).toEqual({
      vi: 'tỷ lệ phần trăm phải trong khoảng 0–100, nhận 140',
      en: 'a percentage must be within 0–100, got 140',
    });
    const none = await call('POST', '/api/v1/kpi/observations', ['machine'], {
      observations: [{ ...base, key: 'c1', value: -3 }],
    });
    expect(none.status).toBe(422);
    expect(none.type).toBe('application/problem+json');
    expect(none.json).toMatchObject({
      code: 'OBSERVATIONS_REJECTED',
      rejected: [{ index: 0, issues: [{ code: 'OUT_OF_RANGE' }] }],
    });
    expect((await call('POST', '/api/v1/kpi/observations', ['machine'], '{"observations": [')).status).toBe(
      400,
    );
    expect((await call('POST', '/api/v1/kpi/observations', ['machine'], { observations: [] })).status).toBe(
      400,
    );
    const huge = await call('POST', '/api/v1/kpi/observations', ['machine'], {
      observations: [{ ...base, source: 'x'.repeat(2_000_000) }],
    });
    expect(huge.status).toBe(413);
  });

  it('evaluates the scorecard of the conformance set (province values added up from districts)', async () => {
    const r = await call('GET', '/api/v1/kpi/scorecard?year=2025', ['leadership']);
    expect(r.status).toBe(200);
    expect(contractErrors('GET', '/api/v1/kpi/scorecard', 200, 'application/json', r.json)).toEqual([]);
    expect(schemas.check('scorecard', r.json)).toEqual([]);
    expect(r.json.summary).toMatchObject({ met: 5, notMet: 4, noData: 27, total: 36, score: 88.47, band: 3 });
    const emr = (r.json.indicators as Record<string, unknown>[]).find((e) => e.indicator === 'L2.N1.PN3.01');
    expect(emr).toMatchObject({
      status: 'not-met',
      value: 8,
      numerator: 4,
      denominator: 50,
      basis: 'aggregate',
    });
    // Without a year: the latest year that has ended (2025 on 2026-02-15).
    const latest = await call('GET', '/api/v1/kpi/scorecard', ['operator']);
    expect(latest.json.period).toMatchObject({ label: '2025' });
    const bad = await call('GET', '/api/v1/kpi/scorecard?year=2025&quarter=1&month=2', ['leadership']);
    expect([bad.status, bad.json.code]).toEqual([400, 'INVALID_REQUEST']);
    expect((await call('GET', '/api/v1/kpi/scorecard?quarter=2', ['leadership'])).status).toBe(400);
    expect((await call('GET', '/api/v1/kpi/scorecard?year=twenty', ['leadership'])).status).toBe(400);
    expect((await call('GET', '/api/v1/kpi/scorecard?profile=nope', ['leadership'])).status).toBe(404);
  });

  it('shares by level and authority: a district its own area, a department its sector', async () => {
    const d = await call('GET', '/api/v1/kpi/scorecard?year=2025', ['district'], undefined, { area: '215' });
    expect(d.status).toBe(200);
    expect(d.json.scope).toEqual({ level: 'district', adminUnitCode: '215' });
    expect(d.json.summary).toMatchObject({ met: 0, notMet: 1, noData: 35 });
    const other = await call('GET', '/api/v1/kpi/scorecard?year=2025&area=213', ['district'], undefined, {
      area: '215',
    });
    expect([other.status, other.json.code]).toEqual([403, 'OUT_OF_SCOPE']);
    const health = await call('GET', '/api/v1/kpi/scorecard?year=2025', ['department'], undefined, {
      department: 'health',
    });
    expect((health.json.indicators as { indicator: string }[]).map((e) => e.indicator)).toEqual([
      'L2.N1.PN3.01',
      'L2.N1.PN3.02',
    ]);
    const obsList = await call('GET', '/api/v1/kpi/observations', ['department'], undefined, {
      department: 'health',
    });
    expect(
      new Set(obsList.json.items?.map((x) => (x.observation as { indicator: string }).indicator)),
    ).toEqual(new Set(['L2.N1.PN3.01', 'L2.N1.PN3.02']));
    expect(contractErrors('GET', '/api/v1/kpi/observations', 200, 'application/json', obsList.json)).toEqual(
      [],
    );
    const mine = await call('GET', '/api/v1/kpi/observations', ['district'], undefined, { area: '213' });
    expect(
      mine.json.items?.every(
        (x) => (x.observation as { scope: { adminUnitCode: string } }).scope.adminUnitCode === '213',
      ),
    ).toBe(true);
    expect(mine.json.items?.length).toBe(2);
  });

  it('exports the scorecard as CSV and as FIWARE NGSI-LD', async () => {
    const csv = await call('GET', '/api/v1/kpi/scorecard.csv?year=2025', ['leadership']);
    expect(csv.status).toBe(200);
    expect(csv.type).toBe('text/csv');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="bac-giang-2025-2025-24.csv"');
    expect(csv.text.startsWith('\uFEFFMã chỉ số;Tên chỉ số;')).toBe(true);
    expect(csv.text.split('\r\n').filter((l) => l !== '')).toHaveLength(37);
    const en = await call('GET', '/api/v1/kpi/scorecard.csv?year=2025&lang=en', ['leadership']);
    expect(en.text.startsWith('\uFEFFIndicator code,Indicator,')).toBe(true);
    const ld = await call('GET', '/api/v1/kpi/scorecard.ngsi-ld?year=2025', ['leadership']);
    expect(ld.type).toBe('application/ld+json');
    const entities = JSON.parse(ld.text) as { id: string; kpiValue: { value: unknown } }[];
    expect(entities).toHaveLength(9);
    expect(entities.find((e) => e.id.includes('L2.N1.PN3.01'))?.kpiValue.value).toBe(8);
    expect(
      contractErrors('GET', '/api/v1/kpi/scorecard.ngsi-ld', 200, 'application/ld+json', entities),
    ).toEqual([]);
  });

  it('rolls an indicator up into a yearly series', async () => {
    const r = await call('GET', '/api/v1/kpi/indicators/L2.N1.PN1.02/series?fromYear=2023&toYear=2025', [
      'leadership',
    ]);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      indicator: 'L2.N1.PN1.02',
      profile: 'bac-giang-2025',
      granularity: 'year',
      area: '24',
      target: '≥ 50',
      points: [
        { period: '2023', status: 'no-data', value: null, achievement: null, basis: 'none' },
        { period: '2024', status: 'not-met', value: 42, achievement: 84, basis: 'observation' },
        { period: '2025', status: 'met', value: 55, achievement: 100, basis: 'observation' },
      ],
    });
    expect(
      contractErrors('GET', '/api/v1/kpi/indicators/{indicator}/series', 200, 'application/json', r.json),
    ).toEqual([]);
    const q = await call(
      'GET',
      '/api/v1/kpi/indicators/L1.N1.PN2.01/series?granularity=quarter&fromYear=2025&toYear=2025',
      ['leadership'],
    );
    expect((q.json.points as { period: string; value: unknown }[]).map((p) => [p.period, p.value])).toEqual([
      ['2025-Q1', 90],
      ['2025-Q2', null],
      ['2025-Q3', null],
      ['2025-Q4', 100],
    ]);
    expect(
      (
        await call('GET', '/api/v1/kpi/indicators/L2.N1.PN1.02/series', ['department'], undefined, {
          department: 'health',
        })
      ).status,
    ).toBe(404);
  });
});

describe('alerts API', () => {
  it('derives alerts from the scorecard, scoped like it, and lets operators acknowledge and resolve them', async () => {
    // Whether or not the derivation after the ingests ran already, the alerts are there once, after this.
    await f.ctx.server.kpi.refreshAlerts();
    expect(await f.ctx.server.kpi.refreshAlerts()).toBe(0);
    const list = await call('GET', '/api/v1/alerts?limit=1000', ['leadership']);
    expect(list.status).toBe(200);
    expect(contractErrors('GET', '/api/v1/alerts', 200, 'application/json', list.json)).toEqual([]);
    const items = list.json.items as { id: string; kind: string; indicator: string; severity: string }[];
    expect(items).toHaveLength(32);
    const critical = items.find((a) => a.kind === 'target-not-met' && a.indicator === 'L2.N1.PN1.03');
    expect(critical?.severity).toBe('critical');
    const health = await call('GET', '/api/v1/alerts?limit=1000', ['department'], undefined, {
      department: 'health',
    });
    expect(new Set(health.json.items?.map((a) => a.indicator))).toEqual(
      new Set(['L2.N1.PN3.01', 'L2.N1.PN3.02']),
    );
    const district = await call('GET', '/api/v1/alerts', ['district'], undefined, { area: '213' });
    expect(district.json.items).toEqual([]);
    expect(
      (await call('GET', `/api/v1/alerts/${critical?.id ?? ''}`, ['district'], undefined, { area: '213' }))
        .status,
    ).toBe(404);

    const id = critical?.id ?? '';
    expect((await call('POST', `/api/v1/alerts/${id}/acknowledge`, ['leadership'])).status).toBe(403);
    const ack = await call('POST', `/api/v1/alerts/${id}/acknowledge`, ['operator'], { note: 'Đang xử lý' });
    expect(ack.status).toBe(200);
    expect(ack.json).toMatchObject({
      state: 'acknowledged',
      acknowledgedBy: 't',
      acknowledgedAt: NOW.toISOString(),
    });
    expect(
      contractErrors('POST', '/api/v1/alerts/{alertId}/acknowledge', 200, 'application/json', ack.json),
    ).toEqual([]);
    const twice = await call('POST', `/api/v1/alerts/${id}/acknowledge`, ['operator']);
    expect([twice.status, twice.json.code, twice.json.state]).toEqual([
      409,
      'ALERT_STATE_CONFLICT',
      'acknowledged',
    ]);
    // Re-deriving keeps the acknowledgement.
    await f.ctx.server.kpi.refreshAlerts();
    expect((await call('GET', `/api/v1/alerts/${id}`, ['leadership'])).json.state).toBe('acknowledged');
    const done = await call('POST', `/api/v1/alerts/${id}/resolve`, ['operator'], {
      note: 'Sở TT&TT đã cập nhật kế hoạch',
    });
    expect(done.json).toMatchObject({
      state: 'resolved',
      resolvedBy: 't',
      resolution: 'Sở TT&TT đã cập nhật kế hoạch',
    });
    expect((await call('POST', `/api/v1/alerts/${id}/resolve`, ['operator'])).status).toBe(409);
    expect((await call('POST', '/api/v1/alerts/0123456789abcdef/resolve', ['operator'])).status).toBe(404);
    expect((await call('POST', '/api/v1/alerts/not-an-id/resolve', ['operator'])).status).toBe(400);
    const resolved = await call('GET', '/api/v1/alerts?state=resolved', ['leadership']);
    expect(resolved.json.items?.map((a) => a.id)).toEqual([id]);
    const audit = await f.ctx.server.storage.audit.list({ limit: 1000 });
    expect(audit.filter((e) => e.subject === `alert:${id}`).map((e) => [e.action, e.actor])).toEqual([
      ['kpi.alert.acknowledge', 't'],
      ['kpi.alert.resolve', 't'],
    ]);
    await new Promise((r) => setTimeout(r, 50));
    expect(events.filter((t) => t === 'kpi.alert.raised')).toHaveLength(32);
    expect(events.filter((t) => t === 'kpi.alert.updated')).toHaveLength(2);
  });
});

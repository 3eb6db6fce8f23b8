import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoIssuer, mintToken } from '../src/auth/demo.js';
import { loadConfig } from '../src/index.js';
import { SCREENSHOTS, launchBrowser, type Browser } from './browser.js';
import { serverFixture } from './helpers.js';

/**
 * The dashboard (web/) in headless Chromium against a real demo server: what it shows must be what the
 * API says, alerts arrive live over Server-Sent Events and operators can act on them.
 */
const NOW = new Date('2026-02-15T09:00:00+07:00');
const YEAR = 2025;
const f = serverFixture(
  { DEMO: 'true', DEMO_INTERVAL_MS: '3600000', KPI_ALERT_INTERVAL_MS: '0' },
  { now: () => NOW },
);
const WAIT = 60_000;

let browser: Browser;
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];

async function api<T>(p: string, token = f.ctx.token(['operator'])): Promise<T> {
  const res = await fetch(new URL(p, f.ctx.server.url), { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, p).toBe(200);
  return (await res.json()) as T;
}

interface Rollup {
  level: string;
  code: string;
  met: number;
  notMet: number;
  noData: number;
  score: number | null;
}
interface Entry {
  indicator: string;
  status: string;
  value: number | boolean | null;
  unit: string;
  unitLabel?: string;
  target: { text: string };
}
interface Card {
  period: { label: string };
  summary: Rollup & { band: number | null };
  rollups: Rollup[];
  indicators: Entry[];
}
interface Alert {
  id: string;
  indicator: string;
  kind: string;
  state: string;
  acknowledgedBy?: string;
  message: { vi: string; en: string };
}

const vi = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });
/** The value as the page shows it in Vietnamese. */
function shown(e: Entry): string {
  if (e.value === null) return '—';
  if (typeof e.value === 'boolean') return e.value ? 'Có' : 'Chưa';
  return e.unit === 'percent'
    ? `${vi.format(e.value)} %`
    : `${vi.format(e.value)} ${e.unitLabel ?? ''}`.trim();
}

async function openPage(token: string, errors: string[]): Promise<Page> {
  const p = await context.newPage();
  p.setDefaultTimeout(WAIT);
  p.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  p.on('pageerror', (err) => errors.push(String(err)));
  await p.goto(`${f.ctx.server.url}#token=${token}`);
  await p.waitForSelector('body[data-ready="true"]');
  return p;
}

/** Ids of the alerts a page lists, top first. */
function shownAlertsOf(p: Page): Promise<(string | null)[]> {
  return p.$$eval('#alerts li.alert', (els) => els.map((li) => li.getAttribute('data-alert')));
}
const shownAlerts = () => shownAlertsOf(page);

async function shot(p: Page, name: string) {
  await p.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true });
  expect(fs.statSync(path.join(SCREENSHOTS, name)).size).toBeGreaterThan(10_000);
}

beforeAll(async () => {
  await f.start();
  // Alerts of the seeded data, derived now rather than by the debounced timer.
  await f.ctx.server.kpi.refreshAlerts();
  browser = await launchBrowser({ acceptDownloads: true });
  context = browser.context;
  page = await openPage(f.ctx.token(['operator']), consoleErrors);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await f.stop();
}, 60_000);

describe('dashboard in headless Chromium', { timeout: 120_000 }, () => {
  it('loads in Vietnamese with the status strip, the live stream and no console errors', async () => {
    await page.waitForSelector('body[data-live="online"]');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    expect(await page.textContent('h1')).toBe('Trung tâm Điều hành thông minh tỉnh Bắc Giang');
    await page.waitForSelector('#health.up');
    expect(await page.textContent('#health')).toBe('hoạt động');
    expect(await page.textContent('#ready')).toBe('hoạt động');
    expect(await page.textContent('#version')).toBe('0.1.0');
    expect(await page.textContent('#role')).toBe('điều hành viên');
    expect(await page.textContent('#live')).toBe('trực tiếp');
    await shot(page, 'dashboard-vi.png');
    expect(consoleErrors).toEqual([]);
  });

  it("shows the scorecard's numbers as GET /api/v1/kpi/scorecard gives them", async () => {
    const card = await api<Card>('/api/v1/kpi/scorecard');
    expect(card.period.label).toBe(String(YEAR));
    expect(await page.inputValue('#year')).toBe(String(YEAR));
    const tiles = await page.$$eval(
      ['#sum-met', '#sum-notMet', '#sum-noData', '#sum-score', '#sum-band'].join(','),
      (els) => els.map((e) => e.textContent),
    );
    expect(tiles).toEqual([
      String(card.summary.met),
      String(card.summary.notMet),
      String(card.summary.noData),
      vi.format(card.summary.score ?? NaN),
      `Mức ${card.summary.band}/4`,
    ]);
    // The demo's split (see kpi-demo.test.ts): 12 met, 12 not met, 12 without data.
    expect(tiles.slice(0, 3)).toEqual(['12', '12', '12']);

    const rollups = await page.$$eval('details[data-code]', (els) =>
      els.map((d) => {
        const c = (k: string) => d.querySelector(`:scope > summary [data-count="${k}"]`)?.textContent;
        return [d.getAttribute('data-code'), c('met'), c('notMet'), c('noData'), c('score')];
      }),
    );
    const expected = card.rollups
      .filter((r) => r.level === 'layer' || r.level === 'group')
      .map((r) => [
        r.code,
        String(r.met),
        String(r.notMet),
        String(r.noData),
        r.score === null ? '—' : vi.format(r.score),
      ]);
    expect(rollups.map((r) => r[0]).filter((c) => c?.length === 2)).toEqual(['L1', 'L2', 'L3']);
    expect(new Set(rollups.map((r) => JSON.stringify(r)))).toEqual(
      new Set(expected.map((r) => JSON.stringify(r))),
    );

    const rows = await page.$$eval('tr[data-indicator]', (els) =>
      els.map((tr) => [
        tr.getAttribute('data-indicator'),
        tr.getAttribute('data-status'),
        tr.querySelector('.value')?.textContent,
        tr.querySelector('.target')?.textContent,
        tr.querySelector('.status')?.textContent,
      ]),
    );
    const label: Record<string, string> = { met: 'Đạt', 'not-met': 'Chưa đạt', 'no-data': 'Chưa có số liệu' };
    expect(rows).toEqual(
      card.indicators.map((e) => [e.indicator, e.status, shown(e), e.target.text, label[e.status]]),
    );
    expect(rows).toHaveLength(36);
    expect(rows.find((r) => r[0] === 'L2.N1.PN1.02')).toEqual([
      'L2.N1.PN1.02',
      'met',
      '59,35 %',
      '≥ 50',
      'Đạt',
    ]);

    // Another year: the page asks for it and shows the API's numbers for it.
    const older = await api<Card>('/api/v1/kpi/scorecard?year=2023');
    await page.selectOption('#year', '2023');
    await page.locator('#kpi-scope', { hasText: '· 2023 ·' }).waitFor();
    expect(
      await page.$$eval(['#sum-met', '#sum-notMet', '#sum-noData'].join(','), (els) =>
        els.map((e) => e.textContent),
      ),
    ).toEqual([older.summary.met, older.summary.notMet, older.summary.noData].map(String));
    await page.selectOption('#year', String(YEAR));
    await page.locator('#kpi-scope', { hasText: `· ${YEAR} ·` }).waitFor();
  });

  it('downloads the scorecard as the CSV report', async () => {
    const res = await fetch(new URL(`/api/v1/kpi/scorecard.csv?year=${YEAR}&lang=vi`, f.ctx.server.url), {
      headers: { authorization: `Bearer ${f.ctx.token(['operator'])}` },
    });
    const expected = Buffer.from(await res.arrayBuffer());
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
    expect(download.suggestedFilename()).toBe(`bac-giang-2025-${YEAR}-24.csv`);
    const file = await download.path();
    const got = fs.readFileSync(file);
    expect(got.toString('utf8').startsWith('\uFEFFMã chỉ số;Tên chỉ số;')).toBe(true);
    expect(got.equals(expected)).toBe(true);
  });

  it('drills into an indicator and draws its history from the series endpoint with the target line', async () => {
    const series = await api<{ target: string; points: { period: string; value: number | null }[] }>(
      `/api/v1/kpi/indicators/L2.N1.PN1.02/series?granularity=year&fromYear=${YEAR - 4}&toYear=${YEAR}`,
    );
    expect(series.points.map((p) => p.period)).toEqual(['2021', '2022', '2023', '2024', '2025']);
    await page.click('details[data-code="L2"] > summary');
    await page.click('details[data-code="L2.N1"] > summary');
    await page.click('tr[data-indicator="L2.N1.PN1.02"] button.open-chart');
    await page.waitForSelector('svg.chart[data-indicator="L2.N1.PN1.02"]');
    expect(await page.textContent('#history-code')).toBe('L2.N1.PN1.02');
    const bars = await page.$$eval('svg.chart rect.point', (els) =>
      els.map((r) => [r.getAttribute('data-period'), Number(r.getAttribute('data-value'))]),
    );
    expect(bars).toEqual(series.points.map((p) => [p.period, p.value]));
    // Taller bars for larger values, and the target line at 50.
    const heights = await page.$$eval('svg.chart rect.point', (els) =>
      els.map((r) => Number(r.getAttribute('height'))),
    );
    expect([...heights].sort((a, b) => a - b)).toEqual(heights);
    expect(await page.getAttribute('svg.chart line.target-line', 'data-target')).toBe('50');
    expect(await page.textContent('svg.chart .target-label')).toBe('Mục tiêu ≥ 50');
    await shot(page, 'indicator-history.png');

    // An indicator without data in any year: no bars, each year marked as missing.
    await page.click('details[data-code="L2"] > summary');
    await page.click('details[data-code="L1"] > summary');
    await page.click('details[data-code="L1.N1"] > summary');
    await page.click('tr[data-indicator="L1.N1.PN3.01"] button.open-chart');
    await page.waitForSelector('svg.chart[data-indicator="L1.N1.PN3.01"]');
    expect(await page.$$eval('svg.chart rect.point', (els) => els.length)).toBe(0);
    expect(
      await page.$$eval('svg.chart .no-point', (els) => els.map((e) => e.getAttribute('data-period'))),
    ).toEqual(['2021', '2022', '2023', '2024', '2025']);
    await page.click('#history-close');
    expect(await page.isHidden('#history')).toBe(true);
  });

  it('shows the stations on the schematic in their AQI colours', async () => {
    const { items } = await api<{ items: { id: string }[] }>('/api/v1/environment/stations');
    expect(items.map((s) => s.id)).toEqual(['BG-KK-01', 'BG-KK-02']);
    for (const { id } of items) {
      const aqi = await api<{ hourly: { aqi: number; band: { hex: string } } }>(
        `/api/v1/environment/stations/${id}/aqi`,
      );
      const dot = `g.station[data-station="${id}"] circle`;
      await page.waitForSelector(`${dot}[data-aqi="${aqi.hourly.aqi}"]`);
      expect(await page.getAttribute(dot, 'fill')).toBe(aqi.hourly.band.hex);
      expect(await page.textContent(`tr[data-station="${id}"] .aqi`)).toBe(String(aqi.hourly.aqi));
    }
    // BG-KK-01 (TP Bắc Giang, 106.19°E) lies east of BG-KK-02 (Việt Yên, 106.10°E).
    const x = async (id: string) =>
      Number(
        /translate\(([\d.]+)/.exec(
          (await page.getAttribute(`g.station[data-station="${id}"]`, 'transform')) ?? '',
        )?.[1],
      );
    expect(await x('BG-KK-01')).toBeGreaterThan(await x('BG-KK-02'));
  });

  it('shows a station registered later, its AQI colour and its threshold alert live', async () => {
    const post = async (p: string, roles: Parameters<typeof f.ctx.token>[0], body: unknown) =>
      (
        await fetch(new URL(p, f.ctx.server.url), {
          method: 'POST',
          headers: { authorization: `Bearer ${f.ctx.token(roles)}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).status;
    const station = {
      id: 'BG-KK-09',
      name: 'Trạm thử Việt Yên',
      kind: 'air',
      location: { lat: 21.3, lon: 106.05 },
      area: '222',
    };
    expect(await post('/api/v1/environment/stations', ['operator'], station)).toBe(201);
    // PM2.5 at 100 µg/m³ for 12 hours: VN_AQI 164 (Xấu), past the warning threshold of 151.
    const readings = Array.from({ length: 12 }, (_, i) => ({
      at: new Date(Date.parse('2026-01-10T00:00:00+07:00') + i * 3_600_000).toISOString(),
      periodMinutes: 60,
      values: { pm25: 100 },
    }));
    expect(await post(`/api/v1/environment/stations/${station.id}/readings`, ['machine'], { readings })).toBe(
      202,
    );
    const aqi = await api<{ hourly: { aqi: number; band: { hex: string; nameVi: string } } }>(
      `/api/v1/environment/stations/${station.id}/aqi`,
    );
    expect([aqi.hourly.aqi, aqi.hourly.band.nameVi]).toEqual([164, 'Xấu']);
    const dot = `g.station[data-station="${station.id}"] circle`;
    await page.waitForSelector(`${dot}[data-aqi="164"]`);
    expect(await page.getAttribute(dot, 'fill')).toBe(aqi.hourly.band.hex);
    expect(await page.textContent(`tr[data-station="${station.id}"] .name`)).toBe(station.name);
    expect(await page.textContent(`tr[data-station="${station.id}"] .pm25`)).toBe('100');

    const alert = `li.alert[data-kind="threshold"]`;
    await page.waitForSelector(`${alert} .source`);
    expect(await page.textContent(`${alert} .source`)).toBe('station:BG-KK-09');
    expect(await page.textContent(`${alert} .kind`)).toBe('Vượt ngưỡng');
    const [raised] = (await api<{ items: Alert[] }>('/api/v1/alerts?kind=threshold')).items as [Alert];
    expect(await page.getAttribute(alert, 'data-alert')).toBe(raised.id);
    expect(await page.textContent(`${alert} .message`)).toBe(raised.message.vi);
    await shot(page, 'station-threshold.png');
    expect(consoleErrors).toEqual([]);
  });

  it('lists the open alerts and shows a newly raised one live, without reloading', async () => {
    const before = await api<{ items: Alert[] }>('/api/v1/alerts?limit=1000');
    await expect.poll(shownAlerts, { timeout: WAIT }).toHaveLength(before.items.length);
    expect(await page.textContent('#alert-count')).toBe(String(before.items.length));
    expect(await shownAlerts()).toEqual(before.items.map((a) => a.id));
    const first = before.items[0] as Alert;
    expect(await page.textContent(`li[data-alert="${first.id}"] .message`)).toBe(first.message.vi);

    const cardBefore = await api<Card>('/api/v1/kpi/scorecard');
    // A province figure far below the target of an indicator that had no data.
    const ingest = await f.ctx.server.kpi.ingest(
      [
        {
          indicator: 'L1.N1.PN3.01',
          value: 40,
          period: { year: YEAR },
          scope: { level: 'province', adminUnitCode: '24' },
          source: 'dashboard-test',
          method: 'manual',
          recordedAt: '2026-01-20T09:00:00+07:00',
        },
      ],
      'test',
    );
    expect(ingest).toMatchObject({ accepted: 1, rejected: [] });
    expect(await f.ctx.server.kpi.refreshAlerts()).toBeGreaterThan(0);
    const raised = (
      await api<{ items: Alert[] }>('/api/v1/alerts?indicator=L1.N1.PN3.01&kind=target-not-met')
    ).items;
    expect(raised).toHaveLength(1);
    const alert = raised[0] as Alert;
    expect(alert.state).toBe('open');
    await page.waitForSelector(`li.alert[data-alert="${alert.id}"][data-state="open"]`);
    expect(await page.textContent(`li[data-alert="${alert.id}"] .message`)).toBe(alert.message.vi);
    expect(await page.textContent(`li[data-alert="${alert.id}"] .kind`)).toBe('Chưa đạt mục tiêu');
    // The new observation reaches the scorecard too, without a reload.
    await page.waitForSelector('tr[data-indicator="L1.N1.PN3.01"][data-status="not-met"]');
    expect(await page.textContent('tr[data-indicator="L1.N1.PN3.01"] .value')).toBe('40 %');
    const card = await api<Card>('/api/v1/kpi/scorecard');
    expect(await page.textContent('#sum-notMet')).toBe(String(card.summary.notMet));
    expect([card.summary.notMet, card.summary.noData]).toEqual([
      cardBefore.summary.notMet + 1,
      cardBefore.summary.noData - 1,
    ]);
    // The list matches the API's again, in its order (last changed first).
    const after = await api<{ items: Alert[] }>('/api/v1/alerts?limit=1000');
    await expect.poll(shownAlerts, { timeout: WAIT }).toEqual(after.items.map((a) => a.id));
    expect(consoleErrors).toEqual([]);
  });

  it('lets an operator acknowledge and then resolve the alert', async () => {
    const [alert] = (
      await api<{ items: Alert[] }>('/api/v1/alerts?indicator=L1.N1.PN3.01&kind=target-not-met')
    ).items as [Alert];
    await page.click(`li[data-alert="${alert.id}"] button.ack`);
    await page.waitForSelector(`li[data-alert="${alert.id}"][data-state="acknowledged"]`);
    expect(await page.textContent('#alert-msg')).toBe('Đã tiếp nhận cảnh báo của chỉ số L1.N1.PN3.01.');
    const acked = await api<Alert>(`/api/v1/alerts/${alert.id}`);
    expect([acked.state, acked.acknowledgedBy]).toEqual(['acknowledged', 't']);
    // Acknowledged: only "resolve" is left.
    expect(
      await page.$$eval(`li[data-alert="${alert.id}"] button`, (els) => els.map((b) => b.textContent)),
    ).toEqual(['Xử lý xong']);
    await shot(page, 'alerts-acknowledged.png');
    await page.click(`li[data-alert="${alert.id}"] button.resolve`);
    await page.waitForSelector(`li[data-alert="${alert.id}"]`, { state: 'detached' });
    expect((await api<Alert>(`/api/v1/alerts/${alert.id}`)).state).toBe('resolved');
    expect(await page.textContent('#alert-msg')).toBe('Đã xử lý cảnh báo của chỉ số L1.N1.PN3.01.');
    expect(consoleErrors).toEqual([]);
  });

  it('switches to English and back', async () => {
    const { items } = await api<{ items: Alert[] }>('/api/v1/alerts?limit=1000');
    const first = items[0] as Alert;
    await page.click('#lang');
    await page.waitForSelector('html[lang="en"]');
    expect(await page.textContent('h1')).toBe('Bắc Giang Intelligent Operations Centre');
    expect(await page.textContent('#lang')).toBe('VI');
    expect(await page.textContent('#kpi-h')).toBe('Smart-city scorecard');
    expect(await page.textContent('#summary .tile.met span')).toBe('Met');
    expect(await page.textContent('#health')).toBe('up');
    // The outcome of the last action follows the language too.
    expect(await page.textContent('#alert-msg')).toBe('Resolved the alert on indicator L1.N1.PN3.01.');
    expect(await page.textContent(`li[data-alert="${first.id}"] .message`)).toBe(first.message.en);
    const card = await api<{ indicators: { indicator: string; name: { en: string } }[] }>(
      '/api/v1/kpi/scorecard',
    );
    const name = card.indicators.find((e) => e.indicator === 'L2.N1.PN1.02')?.name.en;
    expect(name).toMatch(/\w/);
    expect(await page.textContent('tr[data-indicator="L2.N1.PN1.02"] .name')).toBe(name);
    expect(await page.textContent('tr[data-indicator="L2.N1.PN1.02"] .value')).toBe('59.35 %');
    await shot(page, 'dashboard-en.png');
    await page.click('#lang');
    await page.waitForSelector('html[lang="vi"]');
    expect(await page.textContent('#kpi-h')).toBe('Bảng chỉ số đô thị thông minh');
    expect(consoleErrors).toEqual([]);
  });

  it('gives a district its own area, with its alerts live over the filtered event stream', async () => {
    const errors: string[] = [];
    const token = f.ctx.token(['district'], { area: '222' });
    const p = await openPage(token, errors);
    await p.waitForSelector('body[data-live="online"]');
    expect(await p.textContent('#live')).toBe('trực tiếp');
    expect(await p.textContent('#role')).toBe('huyện, thành phố');
    const card = await api<Card>('/api/v1/kpi/scorecard', token);
    expect(await p.textContent('#kpi-scope')).toContain('Phạm vi: huyện/thành phố mã 222');
    expect(
      await p.$$eval(['#sum-met', '#sum-notMet', '#sum-noData'].join(','), (els) =>
        els.map((e) => e.textContent),
      ),
    ).toEqual([card.summary.met, card.summary.notMet, card.summary.noData].map(String));
    const { items } = await api<{ items: (Alert & { severity: string })[] }>(
      '/api/v1/alerts?limit=1000',
      token,
    );
    expect(await shownAlertsOf(p)).toEqual(items.map((a) => a.id));
    // Việt Yên (222) sees the threshold alert of its station, a warning so far.
    const threshold = items.find((a) => a.kind === 'threshold');
    expect(threshold?.severity).toBe('warning');
    const li = `li.alert[data-alert="${threshold?.id ?? ''}"]`;
    expect(await p.textContent(`${li} .severity`)).toBe('Cảnh báo');
    // PM2.5 at 200 µg/m³ for 12 more hours: VN_AQI 250 (Rất xấu), critical; the district sees it live.
    const readings = Array.from({ length: 12 }, (_, i) => ({
      at: new Date(Date.parse('2026-01-10T12:00:00+07:00') + i * 3_600_000).toISOString(),
      periodMinutes: 60,
      values: { pm25: 200 },
    }));
    const res = await fetch(new URL('/api/v1/environment/stations/BG-KK-09/readings', f.ctx.server.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${f.ctx.token(['machine'])}`, 'content-type': 'application/json' },
      body: JSON.stringify({ readings }),
    });
    expect(res.status).toBe(202);
    await p.waitForSelector(`${li}.sev-critical`);
    expect(await p.textContent(`${li} .severity`)).toBe('Nghiêm trọng');
    expect((await api<Alert & { severity: string }>(`/api/v1/alerts/${threshold?.id ?? ''}`)).severity).toBe(
      'critical',
    );
    await p.close();
    expect(errors).toEqual([]);
  });

  it('asks for a sign-in link when there is no token', async () => {
    const errors: string[] = [];
    const p = await context.newPage();
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    // A fresh tab: the token of the other tabs is kept per tab (sessionStorage).
    await p.goto(f.ctx.server.url);
    await p.waitForSelector('#signin:not([hidden])');
    expect(await p.textContent('#signin')).toBe('Hãy mở địa chỉ do npm start in ra để đăng nhập.');
    await p.waitForSelector('#health.up');
    expect(await p.$$eval('tr[data-indicator], #alerts li', (els) => els.length)).toBe(0);
    await p.close();
    expect(errors).toEqual([]);
  });

  it('hides the alert actions from leadership and explains a refusal to an operator token without alerts:write', async () => {
    const leaderErrors: string[] = [];
    const leader = await openPage(f.ctx.token(['leadership']), leaderErrors);
    await leader.waitForSelector('body[data-live="online"]');
    await leader.waitForSelector('#alerts li.alert');
    expect(await leader.$$eval('#alerts button', (els) => els.length)).toBe(0);
    expect(await leader.textContent('#role')).toBe('lãnh đạo tỉnh');
    await leader.close();
    expect(leaderErrors).toEqual([]);

    const config = loadConfig({ DATA_DIR: f.ctx.dataDir });
    const readOnly = mintToken(ensureDemoIssuer(f.ctx.dataDir), {
      issuer: config.auth.issuer,
      audience: config.auth.audience,
      subject: 'viewer',
      roles: ['operator'],
      scope: 'kpi:read alerts:read events:read environment:read',
    });
    const errors: string[] = [];
    const p = await openPage(readOnly, errors);
    await p.waitForSelector('#alerts li.alert[data-state="open"] button.ack');
    const id = await p.getAttribute('#alerts li.alert[data-state="open"]', 'data-alert');
    await p.click(`li[data-alert="${id}"] button.ack`);
    await p.waitForSelector('#alert-msg.error');
    expect(await p.textContent('#alert-msg')).toBe(
      'Bạn không có quyền xử lý cảnh báo: cần vai trò điều hành viên (operator).',
    );
    expect((await api<Alert>(`/api/v1/alerts/${id}`)).state).toBe('open');
    expect(await p.getAttribute(`li[data-alert="${id}"]`, 'data-state')).toBe('open');
    await shot(p, 'alerts-forbidden.png');
    await p.close();
    // The browser reports the refused request itself; nothing else went wrong.
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('403');
  });

  it("shows the citizens' field reports as GET /api/v1/reports gives them, a new one live, and handles one", async () => {
    interface Report {
      id: string;
      code: string;
      state: string;
      deadline: string;
      result?: { text: string };
    }
    await page.waitForSelector('#reports-panel[data-ready="true"]');
    const { items } = await api<{ items: Report[] }>('/api/v1/reports?limit=50');
    expect(items.length).toBeGreaterThanOrEqual(10);
    const rows = () =>
      page.$$eval('#reports-panel li[data-report]', (els) =>
        els.map((li) => [li.getAttribute('data-report'), li.getAttribute('data-state')]),
      );
    expect(await rows()).toEqual(items.map((r) => [r.id, r.state]));
    const closed = ['resolved', 'rejected'];
    const count = (k: string) => page.textContent(`#reports-panel [data-count="${k}"] strong`);
    expect(await count('reportsOpen')).toBe(String(items.filter((r) => !closed.includes(r.state)).length));
    expect(await count('reportsResolved')).toBe(String(items.filter((r) => r.state === 'resolved').length));
    expect(await count('reportsEscalated')).toBe(String(items.filter((r) => r.state === 'escalated').length));
    const now = Date.now();
    expect(await count('reportsOverdue')).toBe(
      String(items.filter((r) => !closed.includes(r.state) && Date.parse(r.deadline) < now).length),
    );

    // A citizen submits a report: it appears at the top without reloading.
    const res = await fetch(new URL('/api/v1/public/reports', f.ctx.server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        text: 'Đèn tín hiệu giao thông ngã tư Hoàng Văn Thụ không hoạt động.',
        category: 'traffic',
        location: { lat: 21.2745, lon: 106.1932 },
      }),
    });
    expect(res.status).toBe(201);
    const { code } = (await res.json()) as { code: string };
    const li = `#reports-panel li[data-code="${code}"]`;
    await page.waitForSelector(`${li}[data-state="received"]`);
    expect(await page.getAttribute('#reports-panel li[data-report]', 'data-code')).toBe(code);

    // The operator accepts it, starts work and resolves it with the handling result.
    await page.click(`${li} button[data-action="assigned"]`);
    await page.waitForSelector(`${li}[data-state="assigned"]`);
    await page.click(`${li} button[data-action="in-progress"]`);
    await page.waitForSelector(`${li}[data-state="in-progress"]`);
    await page.click(`${li} button[data-action="resolved"]`);
    await page.fill(`${li} textarea`, 'Đã sửa chữa tủ điều khiển đèn tín hiệu.');
    await page.click(`${li} form button[type="submit"]`);
    await page.waitForSelector(`${li}[data-state="resolved"]`);
    const id = await page.getAttribute(li, 'data-report');
    const after = await api<Report>(`/api/v1/reports/${id ?? ''}`);
    expect(after.state).toBe('resolved');
    expect(after.result?.text).toBe('Đã sửa chữa tủ điều khiển đèn tín hiệu.');
    expect(await page.textContent('#reports-panel .notice')).toBe(`Phản ánh ${code} đã được cập nhật.`);
    await shot(page, 'reports-panel.png');
    expect(consoleErrors).toEqual([]);
  });

  it('shows a district its own reports without the handling actions', async () => {
    const errors: string[] = [];
    const token = f.ctx.token(['district'], { area: '222' });
    const p = await openPage(token, errors);
    await p.waitForSelector('#reports-panel[data-ready="true"]');
    const { items } = await api<{ items: { id: string }[] }>('/api/v1/reports?limit=50', token);
    // Việt Yên's own reports only (the demo routes some there), a subset of the province's.
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThan(
      (await api<{ items: unknown[] }>('/api/v1/reports?limit=50')).items.length,
    );
    expect(
      await p.$$eval('#reports-panel li[data-report]', (els) =>
        els.map((li) => li.getAttribute('data-report')),
      ),
    ).toEqual(items.map((r) => r.id));
    expect(await p.$$eval('#reports-panel button[data-action]', (els) => els.length)).toBe(0);
    await p.close();
    expect(errors).toEqual([]);
  });
});

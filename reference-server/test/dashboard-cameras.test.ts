import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOnvifSimulator, type OnvifSimulator } from '@dttm/camera-vms/testing';
import { SCREENSHOTS, launchBrowser, type Browser } from './browser.js';
import { serverFixture } from './helpers.js';

/**
 * The camera-incidents panel of the dashboard in headless Chromium, against a server subscribed to the
 * ONVIF simulator: it lists the incidents as the API gives them with their snapshot links, shows a new
 * incident live and lets an operator acknowledge one.
 */
const WAIT = 60_000;
/** Other panels refused to this role (403) or not configured here (documents without an LGSP: 503). */
const OTHER_PANELS = /status of (403|503)/;
const LOGIN = { username: 'admin', password: 'Mật-khẩu-2026' };

let sim: OnvifSimulator;
let browser: Browser;
let context: BrowserContext;
const f = serverFixture({
  KPI_ALERT_INTERVAL_MS: '0',
  REPORTS_INTERVAL_MS: '0',
  CAMERA_HEALTH_INTERVAL_MS: '200',
});

interface Incident {
  id: string;
  state: string;
  kind: string;
  count: number;
  snapshotUrl?: string;
}
async function call(method: string, p: string, body?: unknown): Promise<Response> {
  return fetch(new URL(p, f.ctx.server.url), {
    method,
    headers: {
      authorization: `Bearer ${f.ctx.token(['operator'])}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
async function incidents(): Promise<Incident[]> {
  const res = await call('GET', '/api/v1/incidents?limit=30');
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Incident[] }).items;
}
async function until<T>(fn: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + 15_000;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const line = (rule: string) => ({
  topic: 'tns1:RuleEngine/LineDetector/Crossed',
  source: { VideoSourceConfigurationToken: 'VSC_1', Rule: rule },
  data: { ObjectId: '3' },
});

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

beforeAll(async () => {
  sim = await startOnvifSimulator(LOGIN);
  await f.start();
  const reg = await call('POST', '/api/v1/cameras', {
    id: 'BG-0001',
    name: 'Quảng trường 3/2',
    protocol: 'onvif',
    url: sim.url,
    ...LOGIN,
    location: { lat: 21.2737, lon: 106.1947 },
    area: '213',
    unit: 'police',
  });
  expect(reg.status).toBe(201);
  await until(() => Promise.resolve(sim.subscriptionCount >= 1 ? true : undefined));
  sim.publish(line('Vạch dừng'));
  sim.publish(line('Hàng rào khu vực cấm'));
  await until(async () => ((await incidents()).length === 2 ? true : undefined));
  browser = await launchBrowser();
  context = browser.context;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await f.stop();
  await sim?.close();
}, 60_000);

describe('camera incidents panel in headless Chromium', { timeout: 120_000 }, () => {
  it('lists incidents as the API gives them, with snapshot links, shows a new one live and acknowledges one', async () => {
    const errors: string[] = [];
    const page = await openPage(f.ctx.token(['operator']), errors);
    await page.waitForSelector('#cameras-panel[data-ready="true"]');
    const rows = () =>
      page.$$eval('#cameras-panel li[data-incident]', (els) =>
        els.map((li) => [li.getAttribute('data-incident'), li.getAttribute('data-state')]),
      );
    expect(await rows()).toEqual((await incidents()).map((i) => [i.id, i.state]));
    const first = (await incidents())[0] as Incident;
    const li = (id: string) => `#cameras-panel li[data-incident="${id}"]`;
    expect(await page.getAttribute(`${li(first.id)} a[data-snapshot]`, 'href')).toBe(first.snapshotUrl);
    expect(first.snapshotUrl).toBe('/api/v1/cameras/BG-0001/snapshot');
    const count = (k: string) => page.textContent(`#cameras-panel [data-count="${k}"] strong`);
    expect(await count('incidentsOpen')).toBe('2');
    expect(await count('incidentsCameras')).toBe('1');
    expect(await page.textContent(`${li(first.id)} .code`)).toBe('Vượt đường kẻ ảo');

    // A new analytics event opens an incident: it appears at the top without reloading.
    sim.publish({
      topic: 'tns1:RuleEngine/CellMotionDetector/Motion',
      source: { VideoSourceConfigurationToken: 'VSC_1', Rule: 'Vùng quảng trường' },
      data: { IsMotion: 'true' },
      property: true,
    });
    const fresh = await until(async () => (await incidents()).find((i) => i.kind === 'motion'));
    await page.waitForSelector(`${li(fresh.id)}[data-state="open"]`);
    expect(await page.getAttribute('#cameras-panel li[data-incident]', 'data-incident')).toBe(fresh.id);
    expect(await count('incidentsOpen')).toBe('3');
    expect(await page.textContent(`${li(fresh.id)} .code`)).toBe('Phát hiện chuyển động');

    // The operator acknowledges it: the state changes in the page and on the server.
    await page.click(`${li(fresh.id)} button[data-action="acknowledged"]`);
    await page.waitForSelector(`${li(fresh.id)}[data-state="acknowledged"]`);
    expect((await incidents()).find((i) => i.id === fresh.id)?.state).toBe('acknowledged');
    expect(await page.textContent(`${li(fresh.id)} .badge`)).toBe('Đã tiếp nhận');
    // A camera reboot shows live as a camera offline, then online again.
    expect(await count('camerasOffline')).toBe('0');
    const reboot = sim.reboot(2000);
    await page.waitForSelector('#cameras-panel [data-count="camerasOffline"] strong:text-is("1")');
    await reboot;
    await page.waitForSelector('#cameras-panel [data-count="camerasOffline"] strong:text-is("0")');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'cameras-panel.png'), fullPage: true });
    expect(fs.statSync(path.join(SCREENSHOTS, 'cameras-panel.png')).size).toBeGreaterThan(10_000);
    expect(errors.filter((e) => !OTHER_PANELS.test(e))).toEqual([]);
    await page.close();
  });

  it('shows a district the incidents of its area without actions, and hides them from another', async () => {
    const errors: string[] = [];
    const own = await openPage(f.ctx.token(['district'], { area: '213' }), errors);
    await own.waitForSelector('#cameras-panel[data-ready="true"]');
    expect(await own.$$eval('#cameras-panel li[data-incident]', (els) => els.length)).toBe(3);
    expect(await own.$$eval('#cameras-panel button[data-action]', (els) => els.length)).toBe(0);
    await own.close();
    const other = await openPage(f.ctx.token(['district'], { area: '219' }), errors);
    await other.waitForSelector('#cameras-panel[data-ready="true"]');
    expect(await other.$$eval('#cameras-panel li[data-incident]', (els) => els.length)).toBe(0);
    expect(await other.textContent('#cameras-panel .incidents-body')).toContain('Chưa có sự cố nào.');
    await other.close();
    expect(errors.filter((e) => !OTHER_PANELS.test(e))).toEqual([]);
  });
});

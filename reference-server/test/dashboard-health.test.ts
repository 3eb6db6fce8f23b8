import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MllpClient } from '@dttm/hl7-fhir-bridge';
import { FhirTestServer } from '@dttm/hl7-fhir-bridge/testing';
import { adtMessage, oruMessage, siuMessage, type DemoPatient } from '../src/demo/health.js';
import { SCREENSHOTS, launchBrowser, type Browser } from './browser.js';
import { serverFixture } from './helpers.js';

/**
 * The health panel of the dashboard in headless Chromium, against a server receiving HL7 v2 over MLLP:
 * it shows the health KPIs, the messages per facility and the latest messages as the API gives them,
 * and a newly received message appears live.
 */
const WAIT = 60_000;

const env: Record<string, string> = {
  KPI_ALERT_INTERVAL_MS: '0',
  REPORTS_INTERVAL_MS: '0',
  HL7_MLLP_PORT: '0',
};
const f = serverFixture(env);
let fhir: FhirTestServer;
let browser: Browser;
let context: BrowserContext;
let client: MllpClient;

const healthToken = () => f.ctx.token(['department'], { department: 'health' });

async function api<T>(p: string, token = healthToken()): Promise<T> {
  const res = await fetch(new URL(p, f.ctx.server.url), { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, p).toBe(200);
  return (await res.json()) as T;
}

interface Summary {
  facilities: { id: string; name: string; total: number }[];
  kpis: { indicator: string; value?: number }[];
}
interface Message {
  id: string;
  facility: string;
  messageType: string;
}

let n = 0;
const header = (facility: string) => ({ facility, controlId: `D${++n}`, at: new Date() });
const patient = (i: number): DemoPatient => ({
  mrn: `BN${i}`,
  cccd: `0240990${String(i).padStart(5, '0')}`,
  family: 'Trần',
  given: 'Thị Bình',
  birthDate: '19750823',
  sex: 'F',
});

async function openPage(token: string, errors: string[]): Promise<Page> {
  const p = await context.newPage();
  p.setDefaultTimeout(WAIT);
  // Script errors, and failed answers of this panel's API (other panels' services may be absent here).
  p.on('pageerror', (err) => errors.push(String(err)));
  p.on('response', (r) => {
    if (r.url().includes('/api/v1/health/') && r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
  });
  await p.goto(`${f.ctx.server.url}#token=${token}`);
  await p.waitForSelector('body[data-ready="true"]');
  return p;
}

beforeAll(async () => {
  fhir = await FhirTestServer.listen();
  env.FHIR_BASE_URL = fhir.baseUrl;
  await f.start();
  for (const body of [
    { id: 'BV_DKTINH_BG', name: 'Bệnh viện Đa khoa tỉnh Bắc Giang', area: '213' },
    { id: 'TTYT_LUCNGAN', name: 'Trung tâm Y tế huyện Lục Ngạn', area: '219' },
  ]) {
    const res = await fetch(new URL('/api/v1/health/facilities', f.ctx.server.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${f.ctx.token(['operator'])}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(201);
  }
  client = await MllpClient.connect({ host: '127.0.0.1', port: f.ctx.server.health.port ?? 0 });
  const start = new Date(Date.now() + 86_400_000);
  const sent = [
    adtMessage(header('BV_DKTINH_BG'), 'A04', patient(1), 'V1'),
    adtMessage(header('BV_DKTINH_BG'), 'A04', patient(2), 'V2'),
    oruMessage(header('BV_DKTINH_BG'), patient(1), 'V1', 5.5),
    siuMessage(header('BV_DKTINH_BG'), patient(3), 'LH1', start, 'WEB'),
    siuMessage(header('TTYT_LUCNGAN'), patient(4), 'LH2', start, 'QUAY'),
    adtMessage(header('TTYT_LUCNGAN'), 'A01', patient(5), 'W1'),
  ];
  for (const er7 of sent) expect((await client.send(er7)).get('MSA-1')).toBe('AA');
  await f.ctx.server.health.drain();
  browser = await launchBrowser();
  context = browser.context;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await client?.close();
  await f.stop();
  await fhir?.close();
});

describe('dashboard health panel', () => {
  it('shows the KPIs, the messages per facility and the latest messages as the API says, and a new one live', async () => {
    const errors: string[] = [];
    const page = await openPage(healthToken(), errors);
    await page.waitForSelector('#health-panel:not([hidden]) .health-body');
    const summary = await api<Summary>('/api/v1/health/summary');
    // Encounters V1, V2, W1 of which V1 has results: 33.33 %; bookings 1 online of 2: 50 %.
    expect(summary.kpis.map((k) => k.value)).toEqual([33.33, 50]);
    const tiles = await page.$$eval('#health-panel [data-kpi] strong', (els) =>
      els.map((e) => e.textContent),
    );
    expect(tiles).toEqual(['33,3 %', '50 %']);
    const rows = await page.$$eval('#health-panel tr[data-facility]', (els) =>
      els.map((e) => [e.getAttribute('data-facility'), e.querySelector('.total')?.textContent]),
    );
    expect(rows).toEqual(summary.facilities.map((x) => [x.id, String(x.total)]));
    expect(rows).toEqual([
      ['BV_DKTINH_BG', '4'],
      ['TTYT_LUCNGAN', '2'],
    ]);
    const { items } = await api<{ items: Message[] }>('/api/v1/health/messages?limit=12');
    const shown = await page.$$eval('#health-panel li[data-message]', (els) =>
      els.map((e) => e.getAttribute('data-message')),
    );
    expect(shown).toEqual(items.map((m) => m.id));
    // The list never shows patient data.
    const panelText = await page.textContent('#health-panel');
    expect(panelText).not.toMatch(/Trần|Thị Bình|024099/);

    expect(
      (await client.send(adtMessage(header('TTYT_LUCNGAN'), 'A04', patient(6), 'W2'))).get('MSA-1'),
    ).toBe('AA');
    const [latest] = (await api<{ items: Message[] }>('/api/v1/health/messages?limit=1')).items;
    await page.waitForSelector(`#health-panel li[data-message="${latest?.id}"]`);
    await page.waitForSelector('#health-panel tr[data-facility="TTYT_LUCNGAN"][data-total="3"]');
    expect(
      await page.$eval('#health-panel li[data-message]', (e) => e.querySelector('.type')?.textContent),
    ).toBe('ADT^A04');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-health.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('does not show the panel to a department other than health', async () => {
    const errors: string[] = [];
    const page = await openPage(f.ctx.token(['department'], { department: 'education' }), errors);
    await page.waitForTimeout(500);
    expect(await page.$eval('#health-panel', (e) => e.hasAttribute('hidden'))).toBe(true);
    await page.close();
  });
});

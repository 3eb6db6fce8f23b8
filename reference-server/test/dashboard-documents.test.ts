import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DocumentAxis,
  LgspClient,
  buildEdxml,
  edxmlDocumentId,
  systemIdSecretKey,
  type EdxmlDocument,
} from '@dttm/lgsp-client';
import { startLgspSimulator, type AxisAccount, type LgspSimulator } from '@dttm/lgsp-client/testing';
import { signEdxml } from '@dttm/digital-signature';
import { TestPki, createTestHierarchy, type TestCertificate } from '@dttm/digital-signature/testing';
import { SCREENSHOTS, launchBrowser, type Browser } from './browser.js';
import { serverFixture } from './helpers.js';

/**
 * The documents panel of the dashboard in headless Chromium, against a server exchanging documents
 * with the LGSP simulator: it lists what the API says, marks a flagged signature, shows a newly
 * received document live and lets an operator report its processing status.
 */
const WAIT = 60_000;
const IOC: AxisAccount = {
  systemId: 'ioc',
  secretKey: 'ioc-secret',
  organId: '000.01.08.H10',
  name: 'Trung tâm IOC',
};
const STTTT: AxisAccount = {
  systemId: 'stttt',
  secretKey: 'stttt-secret',
  organId: '000.00.08.H10',
  name: 'Sở Thông tin và Truyền thông',
};

let sim: LgspSimulator;
let dir: string;
let trusted: TestCertificate;
let untrusted: TestCertificate;
let f: ReturnType<typeof serverFixture>;
let browser: Browser;
let context: BrowserContext;

const day = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '/');
function pkg(n: string, subject: string): EdxmlDocument {
  return {
    kind: 'edoc',
    messageHeader: {
      from: { organId: STTTT.organId, organName: STTTT.name },
      to: [{ organId: IOC.organId }],
      documentId: edxmlDocumentId(STTTT.organId, day(), n, 'STTTT'),
      code: { codeNumber: n, codeNotation: 'STTTT' },
      promulgationInfo: { promulgationDate: day() },
      documentType: { type: '1', typeName: 'Công văn' },
      subject,
    },
    traceHeaderList: { traceHeaders: [] },
    attachments: [],
  };
}
async function receive(n: string, subject: string, cert: TestCertificate) {
  const axis = new DocumentAxis({
    client: new LgspClient({
      baseUrl: sim.url,
      auth: systemIdSecretKey({ systemId: STTTT.systemId, secretKey: STTTT.secretKey }),
    }),
  });
  const xml = signEdxml(buildEdxml(pkg(n, subject)), {
    key: cert.keyPem,
    certificateChain: [cert.pem, (cert.issuer as TestCertificate).pem],
  });
  await axis.sendEdoc({ edxml: xml, from: STTTT.organId, messageType: 'edoc' });
  await f.ctx.server.documents?.poll();
}

interface Doc {
  id: string;
  state: string;
  flagged: boolean;
  direction: string;
  subject: string;
}
async function list(): Promise<Doc[]> {
  const res = await fetch(new URL('/api/v1/documents?limit=50', f.ctx.server.url), {
    headers: { authorization: `Bearer ${f.ctx.token(['operator'])}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Doc[] }).items;
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

beforeAll(async () => {
  sim = await startLgspSimulator({ documentAxis: { accounts: [IOC, STTTT] } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-docs-dash-'));
  const pki = new TestPki();
  const h = createTestHierarchy(pki);
  const ioc = h.issueSigner('Trung tâm IOC');
  trusted = h.issueSigner('Nguyễn Văn Bình');
  untrusted = createTestHierarchy(new TestPki(), { province: 'Ngoài' }).signerRsa;
  const later = new Date(Date.now() + 5 * 365 * 86_400_000);
  fs.mkdirSync(path.join(dir, 'anchors'));
  fs.writeFileSync(path.join(dir, 'anchors', 'root.pem'), h.root.pem);
  fs.writeFileSync(path.join(dir, 'anchors', 'root.crl'), pki.crl(h.root, { nextUpdate: later }));
  fs.writeFileSync(path.join(dir, 'anchors', 'ca.crl'), pki.crl(h.intermediate, { nextUpdate: later }));
  fs.writeFileSync(path.join(dir, 'ioc.key'), ioc.keyPem);
  fs.writeFileSync(path.join(dir, 'ioc.crt'), ioc.pem + h.intermediate.pem);
  f = serverFixture({
    KPI_ALERT_INTERVAL_MS: '0',
    REPORTS_INTERVAL_MS: '0',
    LGSP_URL: sim.url,
    LGSP_SYSTEM_ID: IOC.systemId,
    LGSP_SECRET_KEY: IOC.secretKey,
    LGSP_AGENCY_CODE: IOC.organId,
    LGSP_POLL_INTERVAL_MS: '0',
    LGSP_RETRY_BASE_DELAY_MS: '50',
    DOCUMENT_SIGNING_KEY: path.join(dir, 'ioc.key'),
    DOCUMENT_SIGNING_CERT: path.join(dir, 'ioc.crt'),
    DOCUMENT_TRUST_ANCHORS: path.join(dir, 'anchors'),
  });
  await f.start();
  await receive('11', 'V/v lịch họp giao ban tuần', trusted);
  await receive('12', 'V/v văn bản có chữ ký không tin cậy', untrusted);
  const sent = await fetch(new URL('/api/v1/documents', f.ctx.server.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${f.ctx.token(['operator'])}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      to: [{ organId: STTTT.organId, organName: STTTT.name }],
      codeNumber: '5',
      codeNotation: 'TTĐH',
      subject: 'V/v báo cáo vận hành',
    }),
  });
  expect(sent.status).toBe(202);
  browser = await launchBrowser();
  context = browser.context;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await f?.stop();
  await sim?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('documents panel in headless Chromium', { timeout: 120_000 }, () => {
  it('lists the documents as the API gives them, marks the flagged one, shows a new one live and reports a status', async () => {
    const errors: string[] = [];
    const page = await openPage(f.ctx.token(['operator']), errors);
    await page.waitForSelector('#documents-panel[data-ready="true"]');
    const items = await list();
    expect(items).toHaveLength(3);
    const rows = () =>
      page.$$eval('#documents-panel li[data-document]', (els) =>
        els.map((li) => [li.getAttribute('data-document'), li.getAttribute('data-state')]),
      );
    // The outgoing document moves from queued to sent in the background: compare once it is sent.
    const out = items.find((d) => d.direction === 'out') as Doc;
    await page.waitForSelector(`#documents-panel li[data-document="${out.id}"][data-state="sent"]`);
    expect(await rows()).toEqual((await list()).map((d) => [d.id, d.state]));
    const flagged = items.find((d) => d.flagged) as Doc;
    const li = (id: string) => `#documents-panel li[data-document="${id}"]`;
    expect(await page.getAttribute(li(flagged.id), 'class')).toContain('flagged');
    expect(await page.getAttribute(`${li(flagged.id)} [data-verdict]`, 'data-verdict')).toBe('flagged');
    expect(await page.textContent(`${li(flagged.id)} [data-verdict]`)).toBe('⚠ Cảnh báo chữ ký');
    const valid = items.find((d) => d.direction === 'in' && !d.flagged) as Doc;
    expect(await page.getAttribute(`${li(valid.id)} [data-verdict]`, 'data-verdict')).toBe('valid');
    const count = (k: string) => page.textContent(`#documents-panel [data-count="${k}"] strong`);
    expect(await count('documentsIn')).toBe('2');
    expect(await count('documentsOut')).toBe('1');
    expect(await count('documentsFlagged')).toBe('1');

    // A new document arrives: it appears at the top without reloading.
    await receive('13', 'V/v ứng phó mưa lớn', trusted);
    const fresh = (await list()).find((d) => d.subject === 'V/v ứng phó mưa lớn') as Doc;
    await page.waitForSelector(`${li(fresh.id)}[data-state="received"]`);
    expect(await page.getAttribute('#documents-panel li[data-document]', 'data-document')).toBe(fresh.id);
    expect(await count('documentsIn')).toBe('3');

    // The operator registers it (status 03): the state changes and the package goes to the sender.
    await page.click(`${li(fresh.id)} button[data-status="03"]`);
    await page.waitForSelector(`${li(fresh.id)}[data-state="processing"]`);
    expect((await list()).find((d) => d.id === fresh.id)?.state).toBe('processing');
    expect(await page.textContent('#documents-panel .notice')).toBe('Đã gửi trạng thái 03.');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'documents-panel.png'), fullPage: true });
    expect(fs.statSync(path.join(SCREENSHOTS, 'documents-panel.png')).size).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('hides the panel from a district and the status actions from leadership', async () => {
    const errors: string[] = [];
    // A token without named scopes: the panel asks, is refused (403) and stays hidden.
    const refused: string[] = [];
    const district = await openPage(f.ctx.token(['district'], { area: '213' }), refused);
    await district.waitForSelector('#reports-panel[data-ready="true"]');
    expect(await district.isHidden('#documents-panel')).toBe(true);
    expect(await district.$$eval('#documents-panel li', (els) => els.length)).toBe(0);
    expect(refused.filter((e) => !e.includes('status of 403'))).toEqual([]);
    await district.close();
    const leadership = await openPage(f.ctx.token(['leadership']), errors);
    await leadership.waitForSelector('#documents-panel[data-ready="true"]');
    expect(await leadership.$$eval('#documents-panel li[data-document]', (els) => els.length)).toBe(4);
    expect(await leadership.$$eval('#documents-panel button[data-status]', (els) => els.length)).toBe(0);
    await leadership.close();
    expect(errors).toEqual([]);
  });
});

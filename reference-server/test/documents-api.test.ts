/**
 * Official documents through the LGSP, end to end over real sockets: the server talks to the
 * lgsp-client protocol simulator (document axis with a mailbox per agency), other agencies send and
 * answer through the same simulator, signatures are made and checked with the test PKI.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DocumentAxis,
  LgspClient,
  buildEdxml,
  createStatusPackage,
  edxmlDocumentId,
  parseEdxml,
  systemIdSecretKey,
  type EdxmlDocument,
} from '@dttm/lgsp-client';
import { startLgspSimulator, type AxisAccount, type LgspSimulator } from '@dttm/lgsp-client/testing';
import { TrustStore, signEdxml, verifyEdxml } from '@dttm/digital-signature';
import { TestPki, createTestHierarchy, type TestCertificate } from '@dttm/digital-signature/testing';
import { signedDemoPdf } from '../src/demo/documents.js';
import { effectiveScopes } from '../src/auth/roles.js';
import { createAjv } from '../src/http/ajv.js';
import { eventVisibility } from '../src/modules/events/visibility.js';
import { contractErrors } from './contract.js';
import { nextEvent, serverFixture, sseFrames, callApi, type Answer, type FixtureRoles } from './helpers.js';

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
const VPCP: AxisAccount = {
  systemId: 'vpcp',
  secretKey: 'vpcp-secret',
  organId: '000.00.00.G22',
  name: 'Văn phòng Chính phủ',
};

const YEAR = 365 * 86_400_000;
let sim: LgspSimulator;
let dir: string;
let pki: TestPki;
let trusted: TestCertificate;
let anchor: TrustStore;
let crls: Uint8Array[];
let untrusted: TestCertificate;
let f: ReturnType<typeof serverFixture>;

const axisFor = (a: AxisAccount) =>
  new DocumentAxis({
    client: new LgspClient({
      baseUrl: sim.url,
      auth: systemIdSecretKey({ systemId: a.systemId, secretKey: a.secretKey }),
      retry: false,
    }),
  });

beforeAll(async () => {
  sim = await startLgspSimulator({ documentAxis: { accounts: [IOC, STTTT, VPCP] } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-docs-pki-'));
  pki = new TestPki();
  const h = createTestHierarchy(pki);
  const ioc = h.issueSigner('Trung tâm IOC');
  trusted = h.issueSigner('Nguyễn Văn Bình');
  const later = new Date(Date.now() + 5 * YEAR);
  crls = [pki.crl(h.root, { nextUpdate: later }), pki.crl(h.intermediate, { nextUpdate: later })];
  fs.mkdirSync(path.join(dir, 'anchors'));
  fs.writeFileSync(path.join(dir, 'anchors', 'root.pem'), h.root.pem);
  fs.writeFileSync(path.join(dir, 'anchors', 'root.crl'), crls[0] as Uint8Array);
  fs.writeFileSync(path.join(dir, 'anchors', 'ca.crl'), crls[1] as Uint8Array);
  fs.writeFileSync(path.join(dir, 'ioc.key'), ioc.keyPem);
  fs.writeFileSync(path.join(dir, 'ioc.crt'), ioc.pem + h.intermediate.pem);
  anchor = new TrustStore({ anchors: [h.root.der], includeVietnameseRoots: false });
  const other = createTestHierarchy(new TestPki(), { province: 'Ngoài' });
  untrusted = other.signerRsa;
  f = serverFixture({
    KPI_ALERT_INTERVAL_MS: '0',
    REPORTS_INTERVAL_MS: '0',
    LGSP_URL: sim.url,
    LGSP_SYSTEM_ID: IOC.systemId,
    LGSP_SECRET_KEY: IOC.secretKey,
    LGSP_AGENCY_CODE: IOC.organId,
    LGSP_AGENCY_NAME: IOC.name,
    LGSP_POLL_INTERVAL_MS: '0',
    LGSP_RETRY_BASE_DELAY_MS: '50',
    DOCUMENT_SIGNING_KEY: path.join(dir, 'ioc.key'),
    DOCUMENT_SIGNING_CERT: path.join(dir, 'ioc.crt'),
    DOCUMENT_TRUST_ANCHORS: path.join(dir, 'anchors'),
    DOCUMENT_MAX_ATTACHMENT_BYTES: '20000',
  });
  await f.start();
});
afterAll(async () => {
  await f.stop();
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Roles = FixtureRoles;
const api = (method: string, path: string, options: Parameters<typeof callApi>[3] = {}) =>
  callApi(f, method, path, options);

function conforms(method: string, template: string, a: Answer) {
  expect(contractErrors(method, template, a.status, a.type, a.json), a.text).toEqual([]);
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const day = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '/');
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

function incoming(n: string, subject: string, pdfs: Array<[string, Buffer]> = []): EdxmlDocument {
  return {
    kind: 'edoc',
    messageHeader: {
      from: { organId: STTTT.organId, organName: STTTT.name },
      to: [{ organId: IOC.organId, organName: IOC.name }],
      documentId: edxmlDocumentId(STTTT.organId, day(), n, 'STTTT-CĐS'),
      code: { codeNumber: n, codeNotation: 'STTTT-CĐS' },
      promulgationInfo: { place: 'Bắc Giang', promulgationDate: day() },
      documentType: { type: '1', typeName: 'Công văn' },
      subject,
      signerInfo: { fullName: 'Nguyễn Văn Bình' },
    },
    traceHeaderList: { traceHeaders: [] },
    attachments: pdfs.map(([name, content], i) => ({
      contentId: `a${i + 1}`,
      contentType: 'application/pdf',
      attachmentName: name,
      content,
    })),
  };
}

const signerOf = (cert: TestCertificate) => ({
  key: cert.keyPem,
  certificateChain: [cert.pem, (cert.issuer as TestCertificate).pem],
});
const signWith = (pkg: EdxmlDocument, cert: TestCertificate) =>
  signEdxml(buildEdxml(pkg), {
    key: cert.keyPem,
    certificateChain: [cert.pem, (cert.issuer as TestCertificate).pem],
  });

/** Messages of a mailbox of one type, parsed. */
async function mailbox(account: AxisAccount, type: 'edoc' | 'status') {
  return Promise.all(
    sim
      .mailbox(account.organId)
      .filter((m) => m.messageType === type)
      .map(async (m) => ({ message: m, pkg: await parseEdxml(m.xml) })),
  );
}

const send = {
  to: [{ organId: STTTT.organId, organName: STTTT.name }],
  codeNumber: '101',
  codeNotation: 'TTĐH-GS',
  subject: 'V/v báo cáo vận hành Trung tâm điều hành'.normalize('NFD'),
  content: 'Trung tâm gửi báo cáo tháng.',
  attachments: [{ name: 'bao-cao.pdf', contentType: 'application/pdf', data: PDF.toString('base64') }],
};

function asyncApiMessage(name: 'DocumentReceived' | 'DocumentStatus') {
  const specs = new URL('../../specs/', import.meta.url);
  const doc = YAML.parse(fs.readFileSync(new URL('asyncapi/ioc-events.yaml', specs), 'utf8')) as {
    components: { messages: Record<string, { payload: unknown }> };
  };
  const ajv = createAjv({ strict: false });
  for (const file of ['ioc-event.schema.json', 'official-document.schema.json'])
    ajv.addSchema(JSON.parse(fs.readFileSync(new URL(`schemas/${file}`, specs), 'utf8')) as object);
  const payload = JSON.stringify(doc.components.messages[name]?.payload).replace(
    /"\.\.\/schemas\/([a-z-]+\.schema\.json)"/g,
    '"https://dttm.vn/schemas/$1"',
  );
  return ajv.compile(JSON.parse(payload) as object);
}

describe('official documents through the LGSP', () => {
  let outgoingId = '';
  let receivedId = '';

  it('sends a document: built, signed, queued (202), then delivered to the recipient’s mailbox', async () => {
    const r = await api('POST', '/api/v1/documents', { roles: ['operator'], body: send });
    expect(r.status, r.text).toBe(202);
    conforms('POST', '/api/v1/documents', r);
    expect(r.json).toMatchObject({
      direction: 'out',
      state: 'queued',
      documentId: `${IOC.organId},${day()},101/TTĐH-GS`,
      subject: 'V/v báo cáo vận hành Trung tâm điều hành',
      from: { organId: IOC.organId, organName: IOC.name },
      attachments: [{ name: 'bao-cao.pdf', contentType: 'application/pdf', bytes: PDF.length }],
    });
    outgoingId = String(r.json.id);
    const sent = await waitFor('sent', async () => {
      const d = await api('GET', `/api/v1/documents/${outgoingId}`, { roles: ['operator'] });
      return d.json.state === 'sent' ? d : undefined;
    });
    conforms('GET', '/api/v1/documents/{documentId}', sent);
    const delivered = await mailbox(STTTT, 'edoc');
    expect(delivered).toHaveLength(1);
    const [first] = delivered;
    expect(sent.json.axisDocId).toBe(first?.message.docId);
    expect(first?.pkg.kind === 'edoc' && first.pkg.messageHeader.subject).toBe(send.subject.normalize('NFC'));
    // The recipient finds our signature valid against the shared root.
    const report = await verifyEdxml(first?.message.xml as Uint8Array, { trustStore: anchor, crls });
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures[0]?.signer?.commonName).toBe('Trung tâm IOC');
    // The stored package is the signed one.
    const raw = await api('GET', `/api/v1/documents/${outgoingId}/edxml`, { roles: ['department'] });
    expect(raw.status).toBe(200);
    expect(raw.type).toBe('application/xml');
    expect(raw.text).toBe(Buffer.from(first?.message.xml as Uint8Array).toString('utf8'));
    const again = await api('POST', '/api/v1/documents', { roles: ['operator'], body: send });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('DOCUMENT_EXISTS');
  });

  it('holds a document while the LGSP is down (retrying), then delivers it once after recovery', async () => {
    sim.inject({ fault: { kind: 'status', status: 503 }, times: 3, pathPrefix: '/v1/sendEdoc' });
    const r = await api('POST', '/api/v1/documents', {
      roles: ['operator'],
      body: { ...send, codeNumber: '102', attachments: [] },
    });
    expect(r.status).toBe(202);
    const id = String(r.json.id);
    const done = await waitFor('sent after retries', async () => {
      const d = await api('GET', `/api/v1/documents/${id}`, { roles: ['operator'] });
      return d.json.state === 'sent' ? d : undefined;
    });
    const states = (done.json.history as { state: string }[]).map((h) => h.state);
    expect(states[0]).toBe('queued');
    expect(states.filter((s) => s === 'retrying')).toHaveLength(3);
    expect(states.at(-1)).toBe('sent');
    const copies = (await mailbox(STTTT, 'edoc')).filter(
      (m) => m.pkg.kind === 'edoc' && m.pkg.messageHeader.code.codeNumber === '102',
    );
    expect(copies).toHaveLength(1);
    const statusEvents = f.ctx.server.bus
      .recent(undefined, ['document.status'])
      .filter((e) => e.subject === `document:${id}`)
      .map((e) => (e.data as { state: string }).state);
    expect(statusEvents).toEqual(['queued', 'retrying', 'retrying', 'retrying', 'sent']);
  });

  it('receives by polling: stores, verifies, publishes document.received and answers status 01', async () => {
    const sse = await fetch(new URL('/api/v1/events?types=document.received', f.ctx.server.url), {
      headers: { authorization: `Bearer ${f.ctx.token(['department'], { department: 'health' })}` },
    });
    const frames = sseFrames(sse);
    await axisFor(STTTT).sendEdoc({
      edxml: signWith(
        incoming('215', 'V/v kết nối nền tảng', [
          ['ke-hoach.pdf', PDF],
          ['quyet-dinh.pdf', signedDemoPdf(signerOf(trusted), 'Quyet dinh 215')],
        ]),
        trusted,
      ),
      from: STTTT.organId,
      messageType: 'edoc',
    });
    await f.ctx.server.documents?.poll();
    const event = await nextEvent(frames);
    await frames.return(undefined);
    expect(event.type).toBe('document.received');
    expect(event.data).toMatchObject({
      indication: 'valid',
      flagged: false,
      subject: 'V/v kết nối nền tảng',
    });
    const list = await api('GET', '/api/v1/documents?direction=in', { roles: ['leadership'] });
    expect(list.status).toBe(200);
    conforms('GET', '/api/v1/documents', list);
    const items = list.json.items as Record<string, unknown>[];
    expect(items).toHaveLength(1);
    const d = items[0] as Record<string, unknown>;
    receivedId = String(d.id);
    expect(d).toMatchObject({
      direction: 'in',
      state: 'received',
      flagged: false,
      from: { organId: STTTT.organId, organName: STTTT.name },
      codeNumber: '215',
      signerName: 'Nguyễn Văn Bình',
      attachments: [
        { name: 'ke-hoach.pdf', contentType: 'application/pdf', bytes: PDF.length },
        { name: 'quyet-dinh.pdf', contentType: 'application/pdf' },
      ],
    });
    expect(d.signatures).toEqual([
      expect.objectContaining({ target: 'edxml', indication: 'TOTAL_PASSED', signer: 'Nguyễn Văn Bình' }),
      expect.objectContaining({
        target: 'attachment',
        attachment: 'ke-hoach.pdf',
        indication: 'NO_SIGNATURE',
      }),
      expect.objectContaining({
        target: 'attachment',
        attachment: 'quyet-dinh.pdf',
        indication: 'TOTAL_PASSED',
        signer: 'Nguyễn Văn Bình',
      }),
    ]);
    // Status 01 goes back to the sender, and the axis message is acknowledged.
    const statuses = await waitFor('status 01', async () => {
      const s = await mailbox(STTTT, 'status');
      return s.length > 0 ? s : undefined;
    });
    expect(statuses.map((s) => s.pkg.kind === 'status' && s.pkg.status.statusCode)).toEqual(['01']);
    expect(sim.mailbox(IOC.organId).find((m) => m.messageType === 'edoc')?.status).toBe('done');
    // The stored validation reports follow the validation-report schema.
    const rep = await api('GET', `/api/v1/documents/${receivedId}/report`, { roles: ['operator'] });
    conforms('GET', '/api/v1/documents/{documentId}/report', rep);
    const ajv = createAjv({ strict: false });
    const schema = JSON.parse(
      fs.readFileSync(new URL('../../specs/schemas/validation-report.schema.json', import.meta.url), 'utf8'),
    ) as object;
    const validate = ajv.compile(schema);
    const reports = rep.json as { edxml: unknown; attachments: { name: string; report: unknown }[] };
    expect(validate(reports.edxml), JSON.stringify(validate.errors)).toBe(true);
    expect((reports.edxml as { indication: string }).indication).toBe('TOTAL_PASSED');
    expect(reports.attachments.map((a) => a.name)).toEqual(['ke-hoach.pdf', 'quyet-dinh.pdf']);
    for (const a of reports.attachments) expect(validate(a.report), a.name).toBe(true);
    expect((reports.attachments[1]?.report as { format: string; indication: string }).indication).toBe(
      'TOTAL_PASSED',
    );
    // Polling again stores nothing new and sends no second 01.
    await f.ctx.server.documents?.poll();
    expect(
      ((await api('GET', '/api/v1/documents?direction=in', { roles: ['operator'] })).json.items as []).length,
    ).toBe(1);
    expect(await mailbox(STTTT, 'status')).toHaveLength(1);
  });

  it('stores and flags a document whose signature is untrusted or broken, never dropping it', async () => {
    await axisFor(STTTT).sendEdoc({
      edxml: signWith(incoming('216', 'Chữ ký không tin cậy'), untrusted),
      from: STTTT.organId,
      messageType: 'edoc',
    });
    const tampered = signWith(incoming('217', 'Nội dung gốc'), trusted).replace(
      'Nội dung gốc',
      'Nội dung sửa',
    );
    await axisFor(STTTT).sendEdoc({ edxml: tampered, from: STTTT.organId, messageType: 'edoc' });
    // A valid package whose PDF attachment is signed by a key no anchor vouches for.
    const pdf = signedDemoPdf(signerOf(untrusted), 'Phu luc 218');
    await axisFor(STTTT).sendEdoc({
      edxml: signWith(incoming('218', 'Phụ lục ký sai', [['phu-luc.pdf', pdf]]), trusted),
      from: STTTT.organId,
      messageType: 'edoc',
    });
    await f.ctx.server.documents?.poll();
    const flagged = await api('GET', '/api/v1/documents?flagged=true', { roles: ['operator'] });
    conforms('GET', '/api/v1/documents', flagged);
    const items = flagged.json.items as {
      codeNumber: string;
      flagged: boolean;
      signatures: { indication: string; subIndication?: string }[];
    }[];
    expect(items.map((i) => i.codeNumber).sort()).toEqual(['216', '217', '218']);
    const byCode = Object.fromEntries(items.map((i) => [i.codeNumber, i]));
    expect(byCode['216']?.signatures[0]).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'NO_CERTIFICATE_CHAIN_FOUND',
    });
    expect(byCode['217']?.signatures[0]?.indication).toBe('TOTAL_FAILED');
    expect(byCode['218']?.signatures.map((x) => x.indication)).toEqual(['TOTAL_PASSED', 'INDETERMINATE']);
    const events = f.ctx.server.bus
      .recent(undefined, ['document.received'])
      .map((e) => e.data as { codeNumber: string; indication: string });
    expect(
      events
        .filter((e) => e.indication === 'flagged')
        .map((e) => e.codeNumber)
        .sort(),
    ).toEqual(['216', '217', '218']);
    // Flagged documents are received (and answered 01) like any other.
    expect(
      (await api('GET', '/api/v1/documents?flagged=false&direction=in', { roles: ['operator'] })).json.items,
    ).toHaveLength(1);
    await waitFor('01 for the flagged ones', async () => (await mailbox(STTTT, 'status')).length === 4);
  });

  it('records processing statuses 03…06 and sends each status package back', async () => {
    for (const [code, state] of [
      ['03', 'processing'],
      ['04', 'processing'],
      ['05', 'processing'],
      ['06', 'done'],
    ] as const) {
      const r = await api('POST', `/api/v1/documents/${receivedId}/status`, {
        roles: ['operator'],
        body: { statusCode: code, description: `Bước ${code}` },
      });
      expect(r.status, r.text).toBe(202);
      conforms('POST', '/api/v1/documents/{documentId}/status', r);
      expect(r.json.state).toBe(state);
    }
    const codes = await waitFor('status packages 03–06', async () => {
      const all = (await mailbox(STTTT, 'status'))
        .map((s) => (s.pkg.kind === 'status' ? s.pkg.status : undefined))
        .filter(
          (s) => s?.responseFor.documentId === edxmlDocumentId(STTTT.organId, day(), '215', 'STTTT-CĐS'),
        );
      return all.length === 5 ? all : undefined;
    });
    expect(codes.map((s) => s?.statusCode)).toEqual(['01', '03', '04', '05', '06']);
    expect(codes[1]).toMatchObject({ from: { organId: IOC.organId }, description: 'Bước 03' });
    const closed = await api('POST', `/api/v1/documents/${receivedId}/status`, {
      roles: ['operator'],
      body: { statusCode: '05' },
    });
    expect(closed.status).toBe(409);
    expect(closed.json.code).toBe('DOCUMENT_CLOSED');
    conforms('POST', '/api/v1/documents/{documentId}/status', closed);
    const outgoing = await api('POST', `/api/v1/documents/${outgoingId}/status`, {
      roles: ['operator'],
      body: { statusCode: '03' },
    });
    expect(outgoing.status).toBe(409);
    expect(outgoing.json.code).toBe('NOT_A_RECEIVED_DOCUMENT');
    const detail = await api('GET', `/api/v1/documents/${receivedId}`, { roles: ['department'] });
    expect((detail.json.history as { statusCode?: string }[]).map((h) => h.statusCode ?? '-')).toEqual([
      '-',
      '01',
      '03',
      '04',
      '05',
      '06',
    ]);
  });

  it('marks an outgoing document delivered when its recipient answers with a status package', async () => {
    const [first] = await mailbox(STTTT, 'edoc');
    if (first?.pkg.kind !== 'edoc') throw new Error('no document in the mailbox');
    await axisFor(STTTT).sendEdoc({
      edxml: createStatusPackage(first.pkg, {
        from: { organId: STTTT.organId },
        statusCode: '03',
        description: 'Đã vào sổ',
      }),
    });
    await f.ctx.server.documents?.poll();
    const d = await waitFor('delivered', async () => {
      const a = await api('GET', `/api/v1/documents/${outgoingId}`, { roles: ['operator'] });
      return a.json.state === 'delivered' ? a : undefined;
    });
    conforms('GET', '/api/v1/documents/{documentId}', d);
    expect(d.json.statuses).toEqual({
      [STTTT.organId]: { statusCode: '03', at: expect.any(String) as string },
    });
    expect((d.json.history as { state: string; description?: string }[]).at(-1)).toMatchObject({
      state: 'delivered',
      statusCode: '03',
      agency: STTTT.organId,
      description: 'Đã vào sổ',
    });
  });

  it('grants reading to leadership, departments and operators, writing to operators only', async () => {
    for (const roles of [['leadership'], ['department'], ['operator']] as Roles[])
      expect((await api('GET', '/api/v1/documents', { roles })).status).toBe(200);
    for (const roles of [['district'], ['machine']] as Roles[]) {
      const r = await api('GET', '/api/v1/documents', { roles });
      expect(r.status).toBe(403);
      conforms('GET', '/api/v1/documents', r);
      expect((await api('GET', `/api/v1/documents/${receivedId}`, { roles })).status).toBe(403);
    }
    for (const roles of [['leadership'], ['department'], ['machine']] as Roles[]) {
      expect(
        (await api('POST', '/api/v1/documents', { roles, body: { ...send, codeNumber: '900' } })).status,
      ).toBe(403);
      expect(
        (await api('POST', `/api/v1/documents/${receivedId}/status`, { roles, body: { statusCode: '03' } }))
          .status,
      ).toBe(403);
    }
    const anonymous = await api('GET', '/api/v1/documents');
    expect(anonymous.status).toBe(401);
    conforms('GET', '/api/v1/documents', anonymous);
  });

  it('shares document events on the live stream with the holders of documents:read only', async () => {
    const canSee = eventVisibility(f.ctx.server.kpi, f.ctx.server.storage.environment);
    const [event] = f.ctx.server.bus.recent(undefined, ['document.received']);
    if (event === undefined) throw new Error('no document.received event');
    const principal = (roles: Roles, extra: Record<string, string> = {}) => ({
      subject: 't',
      roles,
      scopes: effectiveScopes(roles, undefined),
      expiresAt: Date.now() / 1000 + 60,
      ...extra,
    });
    expect(await canSee(principal(['department'], { department: 'health' }), event)).toBe(true);
    expect(await canSee(principal(['district'], { area: '213' }), event)).toBe(false);
    expect(await canSee(principal(['machine']), event)).toBe(false);
    // A department token that asks for fewer scopes does not get them.
    const narrow = {
      ...principal(['department'], { department: 'health' }),
      scopes: effectiveScopes(['department'], ['events:read']),
    };
    expect(await canSee(narrow, event)).toBe(false);
  });

  it('refuses bad input with typed problem+json and stores nothing', async () => {
    const before = (await f.ctx.server.storage.documents.listDocuments({ limit: 1000 })).length;
    const cases: Array<[unknown, number, string | undefined]> = [
      [{ ...send, subject: undefined }, 400, undefined],
      [{ ...send, codeNumber: 'abc' }, 400, undefined],
      [{ ...send, to: [] }, 400, undefined],
      [{ ...send, to: [{ organId: 'not a code' }] }, 400, undefined],
      [{ ...send, extra: 1 }, 400, undefined],
      [
        { ...send, attachments: [{ name: 'x.exe', contentType: 'application/x-msdownload', data: 'AAAA' }] },
        400,
        undefined,
      ],
      [
        {
          ...send,
          codeNumber: '301',
          attachments: [{ name: 'a.pdf', contentType: 'application/pdf', data: '***' }],
        },
        422,
        'ATTACHMENT_INVALID',
      ],
      [
        {
          ...send,
          codeNumber: '302',
          attachments: [{ name: 'a.pdf', contentType: 'application/pdf', data: 'aGVsbG8=' }],
        },
        422,
        'ATTACHMENT_INVALID',
      ],
      [
        {
          ...send,
          codeNumber: '303',
          attachments: [
            { name: 'a.png', contentType: 'image/png', data: Buffer.alloc(30_000, 1).toString('base64') },
          ],
        },
        413,
        'ATTACHMENT_TOO_LARGE',
      ],
      ['{"to": [', 400, 'INVALID_JSON'],
    ];
    for (const [body, status, code] of cases) {
      const r = await api('POST', '/api/v1/documents', { roles: ['operator'], body });
      expect(r.status, JSON.stringify(body).slice(0, 200)).toBe(status);
      expect(r.type).toBe('application/problem+json');
      if (code !== undefined) expect(r.json.code).toBe(code);
      conforms('POST', '/api/v1/documents', r);
    }
    expect((await f.ctx.server.storage.documents.listDocuments({ limit: 1000 })).length).toBe(before);
    for (const [p, status] of [
      ['/api/v1/documents?direction=sideways', 400],
      ['/api/v1/documents?status=lost', 400],
      ['/api/v1/documents?limit=0', 400],
      ['/api/v1/documents?from=yesterday', 400],
      ['/api/v1/documents?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z', 400],
      ['/api/v1/documents/XYZ', 400],
      ['/api/v1/documents/00000000000000aa', 404],
      ['/api/v1/documents/00000000000000aa/report', 404],
      ['/api/v1/documents/00000000000000aa/edxml', 404],
    ] as const) {
      const r = await api('GET', p, { roles: ['operator'] });
      expect(r.status, p).toBe(status);
      expect(r.type).toBe('application/problem+json');
    }
    for (const [body, status] of [
      [{ statusCode: '01' }, 400],
      [{ statusCode: '07' }, 400],
      [{}, 400],
      [{ statusCode: '03', extra: true }, 400],
    ] as const) {
      const r = await api('POST', `/api/v1/documents/${receivedId}/status`, { roles: ['operator'], body });
      expect(r.status).toBe(status);
      conforms('POST', '/api/v1/documents/{documentId}/status', r);
    }
    const none = await api('POST', '/api/v1/documents/00000000000000aa/status', {
      roles: ['operator'],
      body: { statusCode: '03' },
    });
    expect(none.status).toBe(404);
  });

  it('lists with paging and time filters', async () => {
    const all = (await api('GET', '/api/v1/documents', { roles: ['operator'] })).json.items as {
      id: string;
      createdAt: string;
    }[];
    expect(all.length).toBe(6);
    const page = await api('GET', '/api/v1/documents?limit=2&offset=1', { roles: ['operator'] });
    expect((page.json.items as { id: string }[]).map((d) => d.id)).toEqual(all.slice(1, 3).map((d) => d.id));
    expect(page.json).toMatchObject({ limit: 2, offset: 1 });
    const since = all[1]?.createdAt as string;
    const recent = await api('GET', `/api/v1/documents?from=${encodeURIComponent(since)}`, {
      roles: ['operator'],
    });
    expect((recent.json.items as { id: string }[]).map((d) => d.id)).toEqual(
      all.slice(0, 2).map((d) => d.id),
    );
    const out = await api('GET', '/api/v1/documents?direction=out&status=sent,delivered', {
      roles: ['operator'],
    });
    expect((out.json.items as { state: string }[]).map((d) => d.state).sort()).toEqual(['delivered', 'sent']);
  });

  it('marks a document the axis refuses as failed (dead-lettered at once, not retried)', async () => {
    const before = sim.requests.filter((r) => r.path.startsWith('/v1/sendEdoc')).length;
    const r = await api('POST', '/api/v1/documents', {
      roles: ['operator'],
      body: { ...send, codeNumber: '104', attachments: [], to: [{ organId: '000.00.99.H10' }] },
    });
    expect(r.status).toBe(202);
    const id = String(r.json.id);
    const failed = await waitFor('failed', async () => {
      const d = await api('GET', `/api/v1/documents/${id}`, { roles: ['operator'] });
      return d.json.state === 'failed' ? d : undefined;
    });
    conforms('GET', '/api/v1/documents/{documentId}', failed);
    const last = (failed.json.history as { state: string; description?: string }[]).at(-1);
    expect(last?.state).toBe('failed');
    expect(last?.description).toMatch(/^AXIS_REJECTED|^HTTP_CLIENT_ERROR/);
    expect(sim.requests.filter((q) => q.path.startsWith('/v1/sendEdoc')).length).toBe(before + 1);
    const events = f.ctx.server.bus
      .recent(undefined, ['document.status'])
      .filter((e) => e.subject === `document:${id}`)
      .map((e) => (e.data as { state: string }).state);
    expect(events).toEqual(['queued', 'failed']);
  });

  it('survives a failing poll (the LGSP answers 503) and polls again later', async () => {
    sim.inject({ fault: { kind: 'status', status: 503 }, times: 3, pathPrefix: '/v1/syncReceivedEdocList' });
    await expect(f.ctx.server.documents?.poll()).rejects.toMatchObject({ code: 'HTTP_SERVER_ERROR' });
    await expect(f.ctx.server.documents?.poll()).resolves.toBeUndefined();
    const r = await api('GET', '/api/v1/documents?direction=in', { roles: ['operator'] });
    expect(r.status).toBe(200);
  });

  it('publishes events that conform to the AsyncAPI messages', () => {
    for (const [type, name] of [
      ['document.received', 'DocumentReceived'],
      ['document.status', 'DocumentStatus'],
    ] as const) {
      const validate = asyncApiMessage(name);
      const events = f.ctx.server.bus.recent(undefined, [type]);
      expect(events.length).toBeGreaterThanOrEqual(3);
      for (const e of events) expect(validate(e), JSON.stringify(validate.errors)).toBe(true);
      expect(
        asyncApiMessage(name === 'DocumentStatus' ? 'DocumentReceived' : 'DocumentStatus')(events[0]),
      ).toBe(false);
    }
    const kinds = new Set(
      f.ctx.server.bus.recent(undefined, ['document.status']).map((e) => (e.data as { kind: string }).kind),
    );
    expect([...kinds].sort()).toEqual(['outgoing', 'status-queued', 'status-received', 'status-sent']);
  });
  it('prunes sent outbox entries and settled inbox records, keeping the documents', async () => {
    const repo = f.ctx.server.storage.documents;
    const count = async (ns: string) => (await repo.exchangeEntries(ns, '')).length;
    const before = { outbox: await count('outbox'), inbox: await count('inbox') };
    const documents = (await repo.listDocuments({ limit: 1000 })).length;
    // Nothing is older than a day ago.
    expect(await f.ctx.server.documents?.prune(new Date(Date.now() - 86_400_000))).toEqual({
      outbox: 0,
      inbox: 0,
    });
    const pruned = await f.ctx.server.documents?.prune(new Date(Date.now() + 60_000));
    // Sent: documents 101 and 102 (104 was refused: kept) and eight status packages (01 for four
    // documents, 03–06); settled: four documents and one status package received.
    expect(pruned).toEqual({ outbox: 10, inbox: 5 });
    expect(await count('outbox')).toBeLessThan(before.outbox);
    expect(await count('inbox')).toBeLessThan(before.inbox);
    expect((await repo.listDocuments({ limit: 1000 })).length).toBe(documents);
    // The same package delivered again after pruning is still recognised: no second document.
    const [first] = sim.mailbox(IOC.organId).filter((m) => m.messageType === 'edoc');
    await axisFor(STTTT).sendEdoc({
      edxml: first?.xml as Uint8Array,
      from: STTTT.organId,
      messageType: 'edoc',
    });
    await f.ctx.server.documents?.poll();
    expect((await repo.listDocuments({ limit: 1000 })).length).toBe(documents);
  });
});

describe('documents without an LGSP', () => {
  const g = serverFixture({ KPI_ALERT_INTERVAL_MS: '0', REPORTS_INTERVAL_MS: '0' });
  beforeAll(() => g.start());
  afterAll(() => g.stop());

  it('answers 503 LGSP_NOT_CONFIGURED after authentication and authorization', async () => {
    const get = async (roles: Roles) =>
      fetch(new URL('/api/v1/documents', g.ctx.server.url), {
        headers: { authorization: `Bearer ${g.ctx.token(roles)}` },
      });
    const r = await get(['operator']);
    expect(r.status).toBe(503);
    const body = (await r.json()) as Record<string, unknown>;
    expect(body.code).toBe('LGSP_NOT_CONFIGURED');
    expect(contractErrors('GET', '/api/v1/documents', 503, 'application/problem+json', body)).toEqual([]);
    expect((await get(['machine'])).status).toBe(403);
    expect(g.ctx.server.documents).toBeUndefined();
  });
});

describe('documents across a restart', () => {
  it('keeps a document queued while the LGSP is unreachable and sends it after the restart', async () => {
    const { loadConfig, silentLogger, startServer } = await import('../src/index.js');
    const { ensureDemoIssuer, mintToken } = await import('../src/auth/demo.js');
    const net = await import('node:net');
    const closedPort = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-docs-restart-'));
    const env = (url: string) => ({
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      DEMO: 'false',
      KPI_ALERT_INTERVAL_MS: '0',
      REPORTS_INTERVAL_MS: '0',
      LGSP_URL: url,
      LGSP_SYSTEM_ID: IOC.systemId,
      LGSP_SECRET_KEY: IOC.secretKey,
      LGSP_AGENCY_CODE: IOC.organId,
      LGSP_POLL_INTERVAL_MS: '0',
      LGSP_RETRY_BASE_DELAY_MS: '50',
      DOCUMENT_SIGNING_KEY: path.join(dir, 'ioc.key'),
      DOCUMENT_SIGNING_CERT: path.join(dir, 'ioc.crt'),
      DOCUMENT_TRUST_ANCHORS: path.join(dir, 'anchors'),
    });
    const configA = loadConfig(env(`http://127.0.0.1:${closedPort}`));
    const a = await startServer(configA, silentLogger);
    const token = mintToken(ensureDemoIssuer(dataDir), {
      issuer: configA.auth.issuer,
      audience: configA.auth.audience,
      subject: 't',
      roles: ['operator'],
    });
    const get = async (url: string, id: string) =>
      (await (
        await fetch(new URL(`/api/v1/documents/${id}`, url), {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as { state: string; history: { state: string }[] };
    try {
      const res = await fetch(new URL('/api/v1/documents', a.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...send, codeNumber: '777', attachments: [] }),
      });
      expect(res.status).toBe(202);
      const id = ((await res.json()) as { id: string }).id;
      await waitFor('retrying', async () => (await get(a.url, id)).state === 'retrying');
      await a.close();
      // The next start, now reaching the LGSP, sends what the outbox kept in the database (this time
      // also presenting the gateway's OAuth2 bearer token).
      const tokensBefore = sim.tokenRequests();
      const b = await startServer(
        loadConfig({
          ...env(sim.url),
          LGSP_TOKEN_URL: sim.tokenUrl,
          LGSP_CLIENT_ID: 'sim-key',
          LGSP_CLIENT_SECRET: 'sim-secret',
        }),
        silentLogger,
      );
      try {
        const after = await waitFor('sent after the restart', async () => {
          const d = await get(b.url, id);
          return d.state === 'sent' ? d : undefined;
        });
        expect(after.history.map((h) => h.state).at(-1)).toBe('sent');
        const copies = (await mailbox(STTTT, 'edoc')).filter(
          (m) => m.pkg.kind === 'edoc' && m.pkg.messageHeader.code.codeNumber === '777',
        );
        expect(copies).toHaveLength(1);
        expect(sim.tokenRequests()).toBeGreaterThan(tokensBefore);
        const sendRequest = sim.requests.filter((r) => r.path.startsWith('/v1/sendEdoc')).at(-1);
        expect(sendRequest?.headers.authorization).toMatch(/^Bearer /);
        expect(sendRequest?.headers['x-systemid']).toBe(IOC.systemId);
      } finally {
        await b.close();
      }
    } finally {
      await a.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/**
 * The official-document repository and the LGSP exchange store, run against both storage back ends:
 * the embedded SQLite file and the machine's PostgreSQL (a fresh database per run, dropped afterwards).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentOutbox, MemoryStore } from '@dttm/lgsp-client';
import { exchangeStore } from '../src/modules/documents/exchange-store.js';
import { openPostgresStorage } from '../src/storage/postgres/index.js';
import { openSqliteStorage } from '../src/storage/sqlite/index.js';
import type { OfficialDocument, Storage } from '../src/storage/types.js';
import { pgAdmin } from './pg.js';

interface Backend {
  readonly name: string;
  setup(): Promise<void>;
  open(): Promise<Storage>;
  teardown(): Promise<void>;
}

function sqliteBackend(): Backend {
  let dir = '';
  return {
    name: 'sqlite',
    setup() {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-documents-'));
      return Promise.resolve();
    },
    open: () => Promise.resolve(openSqliteStorage({ file: path.join(dir, 'ioc.sqlite') })),
    teardown() {
      fs.rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

function postgresBackend(): Backend {
  const dbName = `ioc_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  return {
    name: 'postgres',
    setup: () => pgAdmin(`CREATE DATABASE ${dbName}`),
    open: () => openPostgresStorage({ connectionString: `postgres://postgres@127.0.0.1:5432/${dbName}` }),
    teardown: () => pgAdmin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`),
  };
}

function doc(
  over: Partial<OfficialDocument> & Pick<OfficialDocument, 'id' | 'documentId'>,
): OfficialDocument {
  return {
    direction: 'in',
    from: { organId: '000.00.08.H10', organName: 'Sở Thông tin và Truyền thông' },
    to: [{ organId: '000.01.08.H10' }],
    codeNumber: '1',
    codeNotation: 'STTTT-CĐS',
    subject: 'V/v thử nghiệm',
    promulgationDate: '2026/12/01',
    attachments: [],
    state: 'received',
    flagged: false,
    signatures: [],
    statuses: {},
    createdAt: '2026-12-01T01:00:00.000Z',
    updatedAt: '2026-12-01T01:00:00.000Z',
    history: [{ at: '2026-12-01T01:00:00.000Z', state: 'received', by: 'system' }],
    ...over,
  };
}

const audit = (subject: string) => ({ actor: 'test', action: 'document.test', subject });

describe.each([sqliteBackend(), postgresBackend()])('documents storage on $name', (backend) => {
  let storage: Storage;
  beforeAll(async () => {
    await backend.setup();
    storage = await backend.open();
  });
  afterAll(async () => {
    await storage.close();
    await backend.teardown();
  });

  it('migrates to version 6 or later', async () => {
    expect(await storage.schemaVersion()).toBeGreaterThanOrEqual(6);
  });

  it('stores a document with its package and reports, audited, and refuses a second copy', async () => {
    const before = (await storage.audit.list({ limit: 1000 })).length;
    const d = doc({
      id: 'aaaaaaaaaaaaaaa1',
      documentId: '000.00.08.H10,2026/12/01,1/STTTT-CĐS',
      flagged: true,
    });
    const reports = {
      edxml: { indication: 'TOTAL_FAILED' },
      attachments: [{ name: 'a.pdf', report: { x: 1 } }],
    };
    expect(
      await storage.documents.createDocument(d, { edxml: '<edXML>ệ</edXML>', reports }, audit('document:1')),
    ).toBe('created');
    // Same direction and DocumentId under a new id: the same document, not stored again.
    expect(
      await storage.documents.createDocument(
        { ...d, id: 'aaaaaaaaaaaaaaa2' },
        { edxml: '<x/>', reports },
        audit('x'),
      ),
    ).toBe('exists');
    expect(await storage.documents.getDocument('aaaaaaaaaaaaaaa1')).toEqual(d);
    expect(await storage.documents.getDocument('aaaaaaaaaaaaaaa2')).toBeUndefined();
    expect(await storage.documents.findDocument('in', d.documentId)).toEqual(d);
    expect(await storage.documents.findDocument('out', d.documentId)).toBeUndefined();
    expect(await storage.documents.getDocumentEdxml(d.id)).toBe('<edXML>ệ</edXML>');
    expect(await storage.documents.getDocumentReports(d.id)).toEqual(reports);
    const entries = await storage.audit.list({ limit: 1000 });
    expect(entries.length).toBe(before + 1);
    expect(entries.at(-1)?.subject).toBe('document:1');
    expect((await storage.audit.verify()).ok).toBe(true);
  });

  it('updates a document and lists with filters, newest first, paged', async () => {
    const d2 = doc({
      id: 'bbbbbbbbbbbbbbb1',
      documentId: '000.01.08.H10,2026/12/01,2/TTĐH',
      direction: 'out',
      state: 'queued',
      createdAt: '2026-12-01T02:00:00.000Z',
    });
    const d3 = doc({
      id: 'bbbbbbbbbbbbbbb2',
      documentId: '000.00.00.H10,2026/12/01,3/UBND',
      createdAt: '2026-12-01T03:00:00.000Z',
    });
    for (const d of [d2, d3])
      expect(
        await storage.documents.createDocument(
          d,
          { edxml: '<x/>', reports: { attachments: [] } },
          audit('d'),
        ),
      ).toBe('created');
    const sent = { ...d2, state: 'sent' as const, axisDocId: 'sim-9', updatedAt: '2026-12-01T02:01:00.000Z' };
    expect(await storage.documents.updateDocument(sent, audit('sent'))).toBe(true);
    expect(await storage.documents.updateDocument({ ...sent, id: 'ccccccccccccccc0' })).toBe(false);
    expect(await storage.documents.getDocument(d2.id)).toEqual(sent);
    const ids = async (f: Parameters<Storage['documents']['listDocuments']>[0]) =>
      (await storage.documents.listDocuments(f)).map((d) => d.id);
    expect(await ids({ limit: 10 })).toEqual(['bbbbbbbbbbbbbbb2', 'bbbbbbbbbbbbbbb1', 'aaaaaaaaaaaaaaa1']);
    expect(await ids({ limit: 10, direction: 'out' })).toEqual(['bbbbbbbbbbbbbbb1']);
    expect(await ids({ limit: 10, states: ['sent', 'received'] })).toEqual([
      'bbbbbbbbbbbbbbb2',
      'bbbbbbbbbbbbbbb1',
      'aaaaaaaaaaaaaaa1',
    ]);
    expect(await ids({ limit: 10, states: ['queued'] })).toEqual([]);
    expect(await ids({ limit: 10, flagged: true })).toEqual(['aaaaaaaaaaaaaaa1']);
    expect(await ids({ limit: 10, flagged: false, direction: 'in' })).toEqual(['bbbbbbbbbbbbbbb2']);
    expect(
      await ids({ limit: 10, from: '2026-12-01T02:00:00.000Z', to: '2026-12-01T03:00:00.000Z' }),
    ).toEqual(['bbbbbbbbbbbbbbb1']);
    expect(await ids({ limit: 1, offset: 1 })).toEqual(['bbbbbbbbbbbbbbb1']);
  });

  it('keeps the exchange store by namespace, with literal prefixes', async () => {
    const r = storage.documents;
    await r.exchangeSet('outbox', 'entry:a_1', { n: 1 });
    await r.exchangeSet('outbox', 'entry:a%2', { n: 2 });
    await r.exchangeSet('outbox', 'entryXa', { n: 3 });
    await r.exchangeSet('inbox', 'entry:a_1', { other: true });
    await r.exchangeSet('outbox', 'entry:a_1', { n: 10 });
    expect(await r.exchangeGet('outbox', 'entry:a_1')).toEqual({ n: 10 });
    expect(await r.exchangeGet('inbox', 'entry:a_1')).toEqual({ other: true });
    expect(await r.exchangeGet('outbox', 'missing')).toBeUndefined();
    expect(await r.exchangeEntries('outbox', 'entry:a_')).toEqual([['entry:a_1', { n: 10 }]]);
    expect((await r.exchangeEntries('outbox', 'entry:')).map(([k]) => k)).toEqual(['entry:a%2', 'entry:a_1']);
    await r.exchangeDelete('outbox', 'entry:a%2');
    expect(await r.exchangeGet('outbox', 'entry:a%2')).toBeUndefined();
  });

  it('keeps what the LGSP outbox accepted across a restart', async () => {
    // An axis that never answers: the entry stays pending in the store.
    const axis = { sendEdoc: () => new Promise(() => undefined) } as never;
    const outbox = await DocumentOutbox.open({
      axis,
      store: exchangeStore(storage.documents, 'restart'),
      autoStart: false,
    });
    const xml = await import('@dttm/lgsp-client').then((m) =>
      m.buildEdxml({
        kind: 'edoc',
        messageHeader: {
          from: { organId: '000.01.08.H10' },
          to: [{ organId: '000.00.08.H10' }],
          documentId: '000.01.08.H10,2026/12/01,7/TTĐH',
          code: { codeNumber: '7', codeNotation: 'TTĐH' },
          promulgationInfo: { promulgationDate: '2026/12/01' },
          documentType: { type: '1' },
          subject: 'Khởi động lại',
        },
        traceHeaderList: { traceHeaders: [] },
        attachments: [],
      }),
    );
    const entry = await outbox.enqueue(xml);
    await outbox.close();
    const again = await DocumentOutbox.open({
      axis,
      store: exchangeStore(storage.documents, 'restart'),
      autoStart: false,
    });
    expect(again.get(entry.id)?.state).toBe('pending');
    expect(again.list('pending').map((e) => e.documentId)).toEqual(['000.01.08.H10,2026/12/01,7/TTĐH']);
    await again.close();
    // A memory store (the control) forgets it.
    const memory = await DocumentOutbox.open({ axis, store: new MemoryStore(), autoStart: false });
    expect(memory.get(entry.id)).toBeUndefined();
    await memory.close();
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AgencyCatalogue,
  DocumentInbox,
  DocumentOutbox,
  FileStore,
  LgspError,
  MemoryStore,
  buildEdxml,
  createStatusPackage,
  isLgspError,
  type EdxmlDocument,
  type ExchangeStore,
  type InboxEvent,
  type OutboxEvent,
  type ParsedEdxml,
  type StoreValue,
} from '../../src/index.js';
import { startLgspSimulator, type LgspSimulator } from '../../src/testing/index.js';
import { FakeClock, STTTT, VPCP, axisFor, sampleDocument } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'lgsp-exchange-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let sim: LgspSimulator;
const closers: (() => Promise<void> | void)[] = [];
beforeEach(async () => {
  sim = await startLgspSimulator();
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await sim.close();
});

function agency(account: typeof STTTT, clock?: FakeClock) {
  const { axis, client } = axisFor(sim, account, clock === undefined ? {} : { clock, random: () => 0.5 });
  closers.push(() => client.close());
  return axis;
}

async function outboxOf(account: typeof STTTT, options: { clock?: FakeClock; maxAttempts?: number } = {}) {
  const events: OutboxEvent[] = [];
  const outbox = await DocumentOutbox.open({
    axis: agency(account, options.clock),
    store: new MemoryStore(),
    autoStart: false,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    random: () => 0.5,
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    onEvent: (e) => events.push(e),
  });
  closers.push(() => outbox.close());
  return { outbox, events };
}

async function inboxOf(
  account: typeof STTTT,
  store: ExchangeStore = new MemoryStore(),
  extra: { messageTypes?: ('edoc' | 'status')[] } = {},
) {
  const events: InboxEvent[] = [];
  const inbox = await DocumentInbox.open({
    axis: agency(account),
    store,
    random: () => 0.5,
    backoff: { baseDelayMs: 1000 },
    ...extra,
    onEvent: (e) => events.push(e),
  });
  closers.push(() => inbox.close());
  return { inbox, events };
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function subjects(received: ParsedEdxml[]): string[] {
  return received.map((d) => (d.kind === 'edoc' ? d.messageHeader.subject : `status ${d.status.statusCode}`));
}

describe('document axis operations over HTTP', () => {
  it('sends, lists, fetches, updates the status and lists agencies', async () => {
    const a = agency(STTTT);
    const b = agency(VPCP);
    const sent = await a.sendEdoc({ edxml: sampleDocument(1) });
    expect(sent.docId).toBe('sim-1');
    const listed = await b.getReceivedEdocList({
      messageType: 'edoc',
      fromDate: new Date(),
      toDate: new Date(),
    });
    expect(listed.map(({ docId, from, messageType }) => ({ docId, from, messageType }))).toEqual([
      { docId: 'sim-1', from: STTTT.organId, messageType: 'edoc' },
    ]);
    const xml = await b.getEdoc('sim-1');
    expect(new TextDecoder().decode(xml)).toBe(buildEdxml(sampleDocument(1)));
    await b.updateStatus('sim-1', 'processing');
    await b.updateStatus('sim-1', 'done');
    expect(sim.mailbox(VPCP.organId)[0]?.statusHistory).toEqual([
      { status: 'processing' },
      { status: 'done' },
    ]);
    expect(
      await b.getReceivedEdocList({ messageType: 'edoc', fromDate: new Date(), toDate: new Date() }),
    ).toEqual([]);
    const agencies = await a.getAgenciesList();
    expect(agencies).toEqual([
      { code: '000.00.08.H22', name: 'Sở Thông tin và Truyền thông tỉnh Hà Giang' },
      { code: '000.00.00.G22', name: 'Văn phòng Chính phủ' },
    ]);
    expect(AgencyCatalogue.from(agencies).get('000.00.00.G22')?.name).toBe('Văn phòng Chính phủ');
    const path = sim.requests.map((r) => `${r.method} ${r.path.split('?')[0] ?? ''}`);
    expect(path).toEqual([
      'POST /v1/sendEdoc',
      'GET /v1/syncReceivedEdocList',
      'GET /v1/getEdoc',
      'POST /v1/updateStatus',
      'POST /v1/updateStatus',
      'GET /v1/syncReceivedEdocList',
      'GET /v1/getAgenciesList',
    ]);
  });

  it('turns an error description into AXIS_REJECTED and a 4xx into HTTP_CLIENT_ERROR', async () => {
    const a = agency(STTTT);
    const err = await a
      .sendEdoc({ edxml: sampleDocument(1, STTTT.organId, ['000.00.00.H99']) })
      .catch((e: unknown) => e);
    expect(isLgspError(err) && err.code).toBe('AXIS_REJECTED');
    expect(isLgspError(err) && err.details).toMatchObject({
      operation: 'sendEdoc',
      description: 'Không tìm thấy đơn vị nhận 000.00.00.H99',
    });
    const bad = await a.getEdoc('sim-404').catch((e: unknown) => e);
    expect(isLgspError(bad) && [bad.code, (bad.details as { status: number }).status]).toEqual([
      'HTTP_CLIENT_ERROR',
      404,
    ]);
    const dates = await a
      .getReceivedEdocList({ messageType: 'edoc', fromDate: '2026-11-01', toDate: '2026/11/30' })
      .catch((e: unknown) => e);
    expect(isLgspError(dates) && [dates.code, (dates.details as { field: string }).field]).toEqual([
      'CONFIG_INVALID',
      'fromDate',
    ]);
  });
});

describe('send → receive → status between two agencies', () => {
  it('delivers each document once, acknowledges it done, and brings the status back to the sender', async () => {
    const { outbox, events } = await outboxOf(STTTT);
    const first = await outbox.enqueue(sampleDocument(1));
    await outbox.enqueue(buildEdxml(sampleDocument(2)));
    expect(first).toMatchObject({
      id: 'edoc:000.00.08.H22,2026/11/27,1/STTTT-CNTT',
      state: 'pending',
      to: [VPCP.organId],
    });
    expect(await outbox.flush()).toEqual({ pending: 0, sent: 2, dead: 0 });
    expect(outbox.get(first.id)).toMatchObject({ state: 'sent', docId: 'sim-1', attempts: 1 });
    expect(events.map((e) => e.type)).toEqual(['enqueued', 'enqueued', 'sending', 'sent', 'sending', 'sent']);

    // The recipient handles them and answers with status packages through its own outbox.
    const { inbox } = await inboxOf(VPCP, new MemoryStore(), { messageTypes: ['edoc'] });
    const { outbox: replies } = await outboxOf(VPCP);
    const received: ParsedEdxml[] = [];
    const summary = await inbox.poll(async (doc) => {
      received.push(doc);
      if (doc.kind === 'edoc') {
        await replies.enqueue(
          createStatusPackage(doc, {
            from: { organId: VPCP.organId, organName: 'Văn phòng Chính phủ' },
            statusCode: '03',
            at: Date.parse('2026-11-28T01:00:00Z'),
          }),
        );
      }
    });
    expect(subjects(received)).toEqual(['Văn bản số 1', 'Văn bản số 2']);
    expect(summary).toMatchObject({ listed: 2, acknowledged: 2, duplicates: 0, failed: 0, errors: 0 });
    expect(sim.mailbox(VPCP.organId).map((m) => m.status)).toEqual(['done', 'done']);
    await replies.flush();

    // The sender's inbox receives the status packages and the outbox tracks them.
    const { inbox: senderInbox } = await inboxOf(STTTT, new MemoryStore(), { messageTypes: ['status'] });
    await senderInbox.poll(async (doc) => {
      if (doc.kind === 'status') await outbox.trackStatus(doc);
    });
    expect(outbox.get(first.id)?.statuses).toEqual({
      [VPCP.organId]: { statusCode: '03', timestamp: '2026/11/28 08:00:00' },
    });
    expect(sim.mailbox(STTTT.organId).map((m) => [m.messageType, m.status])).toEqual([
      ['status', 'done'],
      ['status', 'done'],
    ]);
  });

  it('drops duplicate deliveries: the same message listed twice, the same document delivered twice', async () => {
    const { outbox } = await outboxOf(STTTT);
    sim.inject({ fault: { kind: 'duplicate' }, pathPrefix: '/v1/sendEdoc' });
    await outbox.enqueue(sampleDocument(1));
    await outbox.enqueue(sampleDocument(2));
    await outbox.flush();
    expect(sim.mailbox(VPCP.organId).map((m) => m.docId)).toEqual(['sim-1', 'sim-2', 'sim-3']);
    sim.inject({ fault: { kind: 'duplicate' }, pathPrefix: '/v1/syncReceivedEdocList' });
    const { inbox, events } = await inboxOf(VPCP, new MemoryStore(), { messageTypes: ['edoc'] });
    const received: ParsedEdxml[] = [];
    const summary = await inbox.poll((doc) => received.push(doc));
    expect(subjects(received)).toEqual(['Văn bản số 1', 'Văn bản số 2']);
    expect(summary).toMatchObject({ listed: 6, acknowledged: 2, duplicates: 1, skipped: 3 });
    expect(events.filter((e) => e.type === 'duplicate')).toEqual([
      {
        type: 'duplicate',
        docId: 'sim-2',
        key: 'edoc:000.00.08.H22,2026/11/27,1/STTTT-CNTT',
        firstDocId: 'sim-1',
      },
    ]);
    // The copy is acknowledged too, so the axis stops offering it.
    expect(sim.mailbox(VPCP.organId).map((m) => m.status)).toEqual(['done', 'done', 'done']);
    expect((await inbox.poll(() => received.push())).listed).toBe(0);
  });
});

describe('inbox', () => {
  it('remembers handled documents across a restart (new inbox, same file store)', async () => {
    const path = join(dir, 'inbox-restart.jsonl');
    const a = agency(STTTT);
    await a.sendEdoc({ edxml: sampleDocument(1) });
    const first = await inboxOf(VPCP, await FileStore.open(path), { messageTypes: ['edoc'] });
    const received: ParsedEdxml[] = [];
    expect((await first.inbox.poll((d) => received.push(d))).acknowledged).toBe(1);
    await first.inbox.close();

    // The sender sends the same document again (its outbox retried after a crash).
    await a.sendEdoc({ edxml: sampleDocument(1) });
    await a.sendEdoc({ edxml: sampleDocument(2) });
    const second = await inboxOf(VPCP, await FileStore.open(path), { messageTypes: ['edoc'] });
    const summary = await second.inbox.poll((d) => received.push(d));
    expect(subjects(received)).toEqual(['Văn bản số 1', 'Văn bản số 2']);
    expect(summary).toMatchObject({ listed: 2, acknowledged: 1, duplicates: 1 });
  });

  it('acknowledges after a restart without handling again when the acknowledgment was lost', async () => {
    const path = join(dir, 'inbox-lost-ack.jsonl');
    await agency(STTTT).sendEdoc({ edxml: sampleDocument(7) });
    sim.inject({ fault: { kind: 'status', status: 503 }, pathPrefix: '/v1/updateStatus', times: 3 });
    const first = await inboxOf(VPCP, await FileStore.open(path), { messageTypes: ['edoc'] });
    let handled = 0;
    await first.inbox.poll(() => handled++);
    expect(handled).toBe(1);
    expect(first.events.map((e) => e.type)).toEqual(['delivered', 'error']);
    expect(sim.mailbox(VPCP.organId)[0]?.status).toBe('new');
    await first.inbox.close();

    const second = await inboxOf(VPCP, await FileStore.open(path), { messageTypes: ['edoc'] });
    const summary = await second.inbox.poll(() => handled++);
    expect(handled).toBe(1);
    expect(summary).toMatchObject({ listed: 1, acknowledged: 1 });
    expect(sim.mailbox(VPCP.organId)[0]?.status).toBe('done');
    expect(sim.requests.filter((r) => r.path.startsWith('/v1/getEdoc'))).toHaveLength(1);
  });

  it('reports processing during a long handling, then done', async () => {
    await agency(STTTT).sendEdoc({ edxml: sampleDocument(8) });
    const { inbox } = await inboxOf(VPCP, new MemoryStore(), { messageTypes: ['edoc'] });
    await inbox.poll(async (_doc, message) => {
      await message.processing();
      expect(sim.mailbox(VPCP.organId)[0]?.status).toBe('processing');
    });
    expect(sim.mailbox(VPCP.organId)[0]?.statusHistory).toEqual([
      { status: 'processing' },
      { status: 'done' },
    ]);
  });

  it('redelivers after a handler failure with backoff, then reports fail after maxAttempts', async () => {
    await agency(STTTT).sendEdoc({ edxml: sampleDocument(3) });
    const clock = new FakeClock();
    const events: InboxEvent[] = [];
    const inbox = await DocumentInbox.open({
      axis: agency(VPCP),
      store: new MemoryStore(),
      messageTypes: ['edoc'],
      maxAttempts: 2,
      backoff: { baseDelayMs: 1000 },
      clock,
      random: () => 0.5,
      onEvent: (e) => events.push(e),
    });
    closers.push(() => inbox.close());
    const boom = () => {
      throw new Error('database down');
    };
    expect(await inbox.poll(boom)).toMatchObject({ retried: 1, failed: 0 });
    expect(events.at(-1)).toMatchObject({ type: 'retry', docId: 'sim-1', attempt: 1, delayMs: 500 });
    // Not due yet: skipped.
    expect(await inbox.poll(boom)).toMatchObject({ skipped: 1, retried: 0 });
    clock.t += 500;
    expect(await inbox.poll(boom)).toMatchObject({ failed: 1 });
    expect(sim.mailbox(VPCP.organId)[0]?.statusHistory).toEqual([
      { status: 'fail', description: 'HANDLER_ERROR: database down' },
    ]);
  });

  it('rejects an unparsable package with fail and never hands it to the handler', async () => {
    const bad = buildEdxml(sampleDocument(4)).replace('<edXML:Subject>', '<edXML:Subject><b>');
    await agency(STTTT).sendEdoc({ edxml: sampleDocument(4) });
    // Swap the stored bytes for broken XML (a producer's bug on the way).
    const message = sim.mailbox(VPCP.organId)[0] as { xml: Uint8Array };
    Object.assign(message, { xml: new TextEncoder().encode(bad) });
    const { inbox, events } = await inboxOf(VPCP, new MemoryStore(), { messageTypes: ['edoc'] });
    let handled = 0;
    expect(await inbox.poll(() => handled++)).toMatchObject({ failed: 1, acknowledged: 0 });
    expect(handled).toBe(0);
    expect(events.map((e) => e.type)).toEqual(['rejected']);
    expect(sim.mailbox(VPCP.organId)[0]?.statusHistory[0]?.status).toBe('fail');
    expect(sim.mailbox(VPCP.organId)[0]?.statusHistory[0]?.description).toMatch(/^XML_MALFORMED: /);
  });

  it('runs the signature hook on the exact bytes and rejects what it refuses', async () => {
    await agency(STTTT).sendEdoc({ edxml: sampleDocument(5) });
    await agency(STTTT).sendEdoc({ edxml: sampleDocument(6) });
    const seen: string[] = [];
    const inbox = await DocumentInbox.open({
      axis: agency(VPCP),
      store: new MemoryStore(),
      messageTypes: ['edoc'],
      verifySignature: (xml, { docId }) => {
        seen.push(
          `${docId}:${new TextDecoder().decode(xml) === buildEdxml(sampleDocument(docId === 'sim-1' ? 5 : 6))}`,
        );
        return Promise.resolve(
          docId === 'sim-1'
            ? { valid: true, report: { indication: 'TOTAL_PASSED' } }
            : { valid: false, message: 'no Signature' },
        );
      },
    });
    closers.push(() => inbox.close());
    const delivered: unknown[] = [];
    await inbox.poll((_doc, message) => delivered.push(message.signature));
    expect(seen).toEqual(['sim-1:true', 'sim-2:true']);
    expect(delivered).toEqual([{ valid: true, report: { indication: 'TOTAL_PASSED' } }]);
    expect(sim.mailbox(VPCP.organId)[1]?.statusHistory[0]?.description).toMatch(
      /^SIGNATURE_INVALID: the signature of sim-2 is not valid: no Signature/,
    );
  });

  it('is an AsyncIterable: acknowledges when the next one is asked for, ends on abort', async () => {
    for (const n of [1, 2, 3]) await agency(STTTT).sendEdoc({ edxml: sampleDocument(n) });
    const { inbox } = await inboxOf(VPCP, new MemoryStore(), { messageTypes: ['edoc'] });
    const controller = new AbortController();
    const got: string[] = [];
    for await (const message of inbox.messages({ signal: controller.signal })) {
      got.push(
        `${message.docId}:${sim
          .mailbox(VPCP.organId)
          .map((m) => m.status)
          .join(',')}`,
      );
      if (got.length === 2) break; // leaves sim-2 unacknowledged
    }
    expect(got).toEqual(['sim-1:new,new,new', 'sim-2:done,new,new']);
    for await (const message of inbox.messages({ signal: controller.signal })) {
      got.push(message.docId);
      if (message.docId === 'sim-3') {
        await message.ack();
        controller.abort();
      }
    }
    expect(got.slice(2)).toEqual(['sim-2', 'sim-3']);
    expect(sim.mailbox(VPCP.organId).map((m) => m.status)).toEqual(['done', 'done', 'done']);
  });
});

describe('outbox', () => {
  it('does not retry a 4xx: dead-lettered after one attempt', async () => {
    const { outbox, events } = await outboxOf(STTTT);
    sim.inject({
      fault: { kind: 'status', status: 400, body: '{"status":"Dữ liệu không hợp lệ"}' },
      pathPrefix: '/v1/sendEdoc',
    });
    const entry = await outbox.enqueue(sampleDocument(1));
    expect(await outbox.flush()).toEqual({ pending: 0, sent: 0, dead: 1 });
    expect(outbox.get(entry.id)).toMatchObject({
      state: 'dead',
      attempts: 1,
      lastError: { code: 'HTTP_CLIENT_ERROR', status: 400 },
    });
    expect(sim.requests.filter((r) => r.path === '/v1/sendEdoc')).toHaveLength(1);
    expect(events.map((e) => e.type)).toEqual(['enqueued', 'sending', 'dead']);
    // A dead letter can be put back once the cause is fixed.
    await outbox.retry(entry.id);
    await outbox.flush();
    expect(outbox.get(entry.id)).toMatchObject({ state: 'sent', attempts: 1, docId: 'sim-1' });
  });

  it('dead-letters a refusal of the axis at once (AXIS_REJECTED)', async () => {
    const { outbox } = await outboxOf(STTTT);
    const entry = await outbox.enqueue(sampleDocument(1, STTTT.organId, ['000.00.00.H99']));
    await outbox.flush();
    expect(outbox.get(entry.id)).toMatchObject({
      state: 'dead',
      attempts: 1,
      lastError: { code: 'AXIS_REJECTED' },
    });
  });

  it('retries 5xx and dropped connections with exponential backoff and jitter, dead-letters after maxAttempts', async () => {
    const clock = new FakeClock();
    const { outbox, events } = await outboxOf(STTTT, { clock, maxAttempts: 4 });
    sim.inject({ fault: { kind: 'status', status: 503 }, pathPrefix: '/v1/sendEdoc', times: 2 });
    sim.inject({ fault: { kind: 'drop' }, pathPrefix: '/v1/sendEdoc', times: 10 });
    const entry = await outbox.enqueue(sampleDocument(1));
    const start = clock.now();
    for (let i = 0; i < 4; i++) {
      await outbox.flush();
      const next = outbox.get(entry.id);
      if (next?.state === 'pending') clock.t = next.nextAttemptAt;
    }
    const retries = events.filter((e) => e.type === 'retry');
    // random() = 0.5: half of 2000, 4000, 8000 ms.
    expect(retries.map((e) => (e.type === 'retry' ? e.delayMs : 0))).toEqual([1000, 2000, 4000]);
    expect(retries.map((e) => (e.type === 'retry' ? e.entry.lastError?.code : ''))).toEqual([
      'HTTP_SERVER_ERROR',
      'HTTP_SERVER_ERROR',
      'NETWORK_ERROR',
    ]);
    expect(outbox.get(entry.id)).toMatchObject({
      state: 'dead',
      attempts: 4,
      lastError: { code: 'NETWORK_ERROR' },
    });
    expect(clock.now() - start).toBe(7000);
    expect(sim.requests.filter((r) => r.path === '/v1/sendEdoc')).toHaveLength(4);
  });

  it('keeps one entry per document id and sends it once', async () => {
    const { outbox, events } = await outboxOf(STTTT);
    const a = await outbox.enqueue(sampleDocument(1));
    const b = await outbox.enqueue(buildEdxml(sampleDocument(1)));
    expect(b).toBe(a);
    expect(events.map((e) => e.type)).toEqual(['enqueued', 'duplicate']);
    await outbox.flush();
    expect(sim.mailbox(VPCP.organId)).toHaveLength(1);
  });

  it('validates at enqueue: a bad package is refused and nothing is stored', async () => {
    const { outbox } = await outboxOf(STTTT);
    const doc: EdxmlDocument = {
      ...sampleDocument(1),
      messageHeader: { ...sampleDocument(1).messageHeader, subject: '' },
    };
    const err = await outbox.enqueue(doc).catch((e: unknown) => e);
    expect(isLgspError(err) && err.code).toBe('EDXML_INVALID');
    expect(outbox.stats()).toEqual({ pending: 0, sent: 0, dead: 0 });
  });

  it('survives a restart: entries enqueued before close are sent by the next process', async () => {
    const path = join(dir, 'outbox-restart.jsonl');
    const first = await DocumentOutbox.open({
      axis: agency(STTTT),
      store: await FileStore.open(path),
      autoStart: false,
    });
    await first.enqueue(sampleDocument(1));
    await first.enqueue(sampleDocument(2));
    await first.close();
    const err = await first.enqueue(sampleDocument(3)).catch((e: unknown) => e);
    expect(isLgspError(err) && err.code).toBe('CLOSED');

    await using second = await DocumentOutbox.open({
      axis: agency(STTTT),
      store: await FileStore.open(path),
    });
    expect(second.stats()).toEqual({ pending: 2, sent: 0, dead: 0 });
    expect(await second.drain(AbortSignal.timeout(5000))).toEqual({ pending: 0, sent: 2, dead: 0 });
    expect(sim.mailbox(VPCP.organId).map((m) => m.docId)).toEqual(['sim-1', 'sim-2']);
  });

  it('sends in the background as soon as a package is enqueued', async () => {
    await using outbox = await DocumentOutbox.open({ axis: agency(STTTT), store: new MemoryStore() });
    const sent = new Promise<OutboxEvent>((resolve) => outbox.on((e) => e.type === 'sent' && resolve(e)));
    await outbox.enqueue(sampleDocument(9));
    expect(await sent).toMatchObject({ type: 'sent', entry: { state: 'sent', docId: 'sim-1' } });
  });

  it('close() ends a drain and aborts the send in flight, which stays pending', async () => {
    const outbox = await DocumentOutbox.open({ axis: agency(STTTT), store: new MemoryStore() });
    sim.inject({ fault: { kind: 'hangAfterProcessing' }, pathPrefix: '/v1/sendEdoc' });
    const entry = await outbox.enqueue(sampleDocument(1));
    const drained = outbox.drain();
    await new Promise((r) => setTimeout(r, 100));
    expect(outbox.get(entry.id)).toMatchObject({ state: 'pending', attempts: 1 });
    await outbox.close();
    expect(await drained).toEqual({ pending: 1, sent: 0, dead: 0 });
    expect(outbox.get(entry.id)).toMatchObject({ state: 'pending', attempts: 1 });
    expect(outbox.get(entry.id)?.lastError).toBeUndefined();
  });

  it('prunes sent entries older than a horizon; the same package can then be sent again', async () => {
    const clock = new FakeClock();
    const { outbox, events } = await outboxOf(STTTT, { clock });
    await outbox.enqueue(sampleDocument(1));
    await outbox.enqueue(sampleDocument(2, STTTT.organId, ['000.00.00.H99']));
    await outbox.flush();
    clock.t += 1000;
    await outbox.enqueue(sampleDocument(3));
    await outbox.flush();
    expect(await outbox.prune(clock.now())).toBe(1);
    expect(outbox.stats()).toEqual({ pending: 0, sent: 1, dead: 1 });
    await outbox.enqueue(sampleDocument(1));
    expect(events.at(-1)?.type).toBe('enqueued');
  });
});

describe('inbox store bounds', () => {
  it('prunes settled messages and their packages older than a horizon', async () => {
    await agency(STTTT).sendEdoc({ edxml: sampleDocument(1) });
    await agency(STTTT).sendEdoc({ edxml: sampleDocument(2) });
    const store = new MemoryStore();
    const { inbox } = await inboxOf(VPCP, store, { messageTypes: ['edoc'] });
    await inbox.poll((doc) => {
      if (doc.kind === 'edoc' && doc.messageHeader.code.codeNumber === '2') throw new Error('later');
    });
    expect((await store.entries('inbox:')).map(([k]) => k)).toEqual([
      'inbox:key:edoc:000.00.08.H22,2026/11/27,1/STTTT-CNTT',
      'inbox:doc:sim-1',
      'inbox:doc:sim-2',
    ]);
    expect(await inbox.prune(Date.now() - 60_000)).toBe(0);
    expect(await inbox.prune(Date.now() + 1)).toBe(2);
    expect(await store.entries('inbox:')).toEqual([]);
  });
});

describe('outbox retry classification', () => {
  it('retries 401, 403, 408 and 429 (not about the document), then sends', async () => {
    const clock = new FakeClock();
    const { outbox, events } = await outboxOf(STTTT, { clock });
    for (const status of [401, 403, 408, 429]) {
      sim.inject({ fault: { kind: 'status', status }, pathPrefix: '/v1/sendEdoc' });
    }
    const entry = await outbox.enqueue(sampleDocument(1));
    for (let i = 0; i < 5; i++) {
      await outbox.flush();
      clock.t = outbox.get(entry.id)?.nextAttemptAt ?? clock.t;
    }
    expect(
      events.flatMap((e) =>
        e.type === 'retry' ? [`${e.entry.lastError?.code ?? ''} ${e.entry.lastError?.status ?? ''}`] : [],
      ),
    ).toEqual(['AUTH_FAILED 401', 'HTTP_CLIENT_ERROR 403', 'HTTP_CLIENT_ERROR 408', 'HTTP_CLIENT_ERROR 429']);
    expect(outbox.get(entry.id)).toMatchObject({ state: 'sent', attempts: 5 });
  });

  it('waits for an open circuit breaker without spending an attempt', async () => {
    const clock = new FakeClock();
    const { axis, client } = axisFor(sim, STTTT, {
      clock,
      random: () => 0.5,
      circuitBreaker: { failureThreshold: 1, resetTimeoutMs: 10_000 },
    });
    closers.push(() => client.close());
    const events: OutboxEvent[] = [];
    const outbox = await DocumentOutbox.open({
      axis,
      store: new MemoryStore(),
      autoStart: false,
      clock,
      random: () => 0.5,
      onEvent: (e) => events.push(e),
    });
    closers.push(() => outbox.close());
    sim.inject({ fault: { kind: 'status', status: 503 }, pathPrefix: '/v1/sendEdoc' });
    const entry = await outbox.enqueue(sampleDocument(1));
    for (let i = 0; i < 3; i++) {
      await outbox.flush();
      clock.t = outbox.get(entry.id)?.nextAttemptAt ?? clock.t;
    }
    expect(
      events.flatMap((e) =>
        e.type === 'retry' ? [`${e.entry.lastError?.code ?? ''} ${e.delayMs} ${e.entry.attempts}`] : [],
      ),
    ).toEqual(['HTTP_SERVER_ERROR 1000 1', 'CIRCUIT_OPEN 9000 1']);
    expect(outbox.get(entry.id)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(sim.requests.filter((r) => r.path === '/v1/sendEdoc')).toHaveLength(2);
  });

  it('keeps one entry when the same package is enqueued concurrently', async () => {
    const { outbox, events } = await outboxOf(STTTT);
    const [a, b] = await Promise.all([outbox.enqueue(sampleDocument(1)), outbox.enqueue(sampleDocument(1))]);
    expect(b).toBe(a);
    expect(events.map((e) => e.type)).toEqual(['enqueued', 'duplicate']);
  });
});

describe('faults on the way', () => {
  it('a send that times out is retried; the late copy the axis still delivered is dropped by the receiver', async () => {
    const clock = new FakeClock();
    const { axis, client } = axisFor(sim, STTTT, { timeoutMs: 500 });
    closers.push(() => client.close());
    const outbox = await DocumentOutbox.open({
      axis,
      store: new MemoryStore(),
      autoStart: false,
      clock,
      random: () => 0.5,
    });
    closers.push(() => outbox.close());
    sim.inject({ fault: { kind: 'latency', ms: 1000 }, pathPrefix: '/v1/sendEdoc' });
    const entry = await outbox.enqueue(sampleDocument(1));
    await outbox.flush();
    expect(outbox.get(entry.id)).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastError: { code: 'TIMEOUT' },
    });
    clock.t = outbox.get(entry.id)?.nextAttemptAt ?? 0;
    await outbox.flush();
    expect(outbox.get(entry.id)).toMatchObject({ state: 'sent', attempts: 2 });
    // The slow first request completes on the axis after the client gave up on it.
    await until(() => sim.mailbox(VPCP.organId).length === 2, 5000);
    const { inbox } = await inboxOf(VPCP, new MemoryStore(), { messageTypes: ['edoc'] });
    const received: ParsedEdxml[] = [];
    expect(await inbox.poll((d) => received.push(d))).toMatchObject({ acknowledged: 1, duplicates: 1 });
    expect(subjects(received)).toEqual(['Văn bản số 1']);
  });

  it('messages(): a failing list that a retry may cure is reported and polled again', async () => {
    await agency(STTTT).sendEdoc({ edxml: sampleDocument(1) });
    const clock = new FakeClock();
    const events: InboxEvent[] = [];
    const inbox = await DocumentInbox.open({
      axis: agency(VPCP),
      store: new MemoryStore(),
      messageTypes: ['edoc'],
      pollIntervalMs: 5000,
      clock,
      onEvent: (e) => events.push(e),
    });
    closers.push(() => inbox.close());
    // Three 503 answers exhaust the client's retries of one list call.
    sim.inject({ fault: { kind: 'status', status: 503 }, pathPrefix: '/v1/syncReceivedEdocList', times: 3 });
    const before = clock.now();
    for await (const message of inbox.messages()) {
      expect(message.docId).toBe('sim-1');
      await message.ack();
      break;
    }
    expect(events.map((e) => (e.type === 'error' && isLgspError(e.error) ? e.error.code : e.type))).toEqual([
      'HTTP_SERVER_ERROR',
      'delivered',
      'acknowledged',
    ]);
    expect(clock.now() - before).toBe(5000);
  });

  it('messages(): a list refused with a 4xx ends the iteration with the error', async () => {
    const { inbox } = await inboxOf(VPCP, new MemoryStore(), { messageTypes: ['edoc'] });
    sim.inject({ fault: { kind: 'status', status: 400 }, pathPrefix: '/v1/syncReceivedEdocList' });
    const err = await (async () => {
      for await (const _ of inbox.messages()) return undefined;
      return undefined;
    })().catch((e: unknown) => e);
    expect(isLgspError(err) && [err.code, (err.details as { status: number }).status]).toEqual([
      'HTTP_CLIENT_ERROR',
      400,
    ]);
  });

  it('run() handles what arrives and returns promptly when aborted during its pause', async () => {
    await agency(STTTT).sendEdoc({ edxml: sampleDocument(1) });
    const { inbox } = await inboxOf(VPCP, new MemoryStore(), { messageTypes: ['edoc'] });
    const controller = new AbortController();
    const handled: string[] = [];
    inbox.on((e) => {
      if (e.type === 'acknowledged') setTimeout(() => controller.abort(), 20);
    });
    const started = Date.now();
    await inbox.run((doc, message) => handled.push(`${message.docId} ${doc.kind}`), {
      signal: controller.signal,
    });
    expect(handled).toEqual(['sim-1 edoc']);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(sim.mailbox(VPCP.organId)[0]?.status).toBe('done');
    await inbox.close();
    const err = await inbox.poll(() => undefined).catch((e: unknown) => e);
    expect(isLgspError(err) && err.code).toBe('CLOSED');
  });
});

describe('outbox and a failing store', () => {
  it('a store failure after a successful send is not a failed send: the entry stays pending', async () => {
    class FlakyStore extends MemoryStore {
      failSent = 1;
      override set(key: string, value: StoreValue): Promise<void> {
        const state = (value as { entry?: { state?: string } } | null)?.entry?.state;
        if (state === 'sent' && this.failSent-- > 0) {
          return Promise.reject(new LgspError('STORE_FAILED', 'disk full'));
        }
        return super.set(key, value);
      }
    }
    const events: OutboxEvent[] = [];
    const outbox = await DocumentOutbox.open({
      axis: agency(STTTT),
      store: new FlakyStore(),
      autoStart: false,
      onEvent: (e) => events.push(e),
    });
    closers.push(() => outbox.close());
    const entry = await outbox.enqueue(sampleDocument(1));
    const err = await outbox.flush().catch((e: unknown) => e);
    expect(isLgspError(err) && err.code).toBe('STORE_FAILED');
    expect(outbox.get(entry.id)).toMatchObject({ state: 'pending', attempts: 1 });
    expect(events.map((e) => e.type)).toEqual(['enqueued', 'sending']);
    await outbox.flush();
    expect(outbox.get(entry.id)).toMatchObject({ state: 'sent', attempts: 2, docId: 'sim-2' });
    expect(sim.mailbox(VPCP.organId)).toHaveLength(2);
  });
});

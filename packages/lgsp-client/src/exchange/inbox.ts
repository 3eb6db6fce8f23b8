import type { EdxmlPackage, ParsedEdxml } from '../edxml/model.js';
import { parseEdxml, type EdxmlParseOptions } from '../edxml/parse.js';
import { LgspError, isLgspError } from '../errors.js';
import { systemClock, type Clock } from '../http/clock.js';
import { axisDate, type DocumentAxis } from './axis.js';
import type { EdocMessageType, ReceivedEdocEntry } from './codec.js';
import {
  Listeners,
  backoffDelay,
  closedError,
  packageKey,
  pause,
  summarize,
  type BackoffOptions,
  type ErrorSummary,
} from './common.js';
import type { ExchangeStore, StoreValue } from './store.js';

/** What a signature-verification hook concludes about a received package. */
export interface SignatureCheck {
  readonly valid: boolean;
  /** Why it is not valid (or a summary). */
  readonly message?: string;
  /** The verifier's full report, passed through to the consumer. */
  readonly report?: unknown;
}

/** Verifies the XML-DSig `Signature` of a received package, given its exact bytes. */
export type VerifySignature = (
  xml: Uint8Array,
  context: { readonly docId: string; readonly document: ParsedEdxml; readonly signal: AbortSignal },
) => Promise<SignatureCheck>;

/** A received package handed to the consumer. */
export interface InboxMessage {
  /** Identifier the axis gave the message. */
  readonly docId: string;
  readonly messageType: EdocMessageType;
  /** De-duplication key (see `packageKey`). */
  readonly key: string;
  readonly document: ParsedEdxml;
  /** The edXML bytes as received. */
  readonly xml: Uint8Array;
  /** Deliveries of this message so far, including this one. */
  readonly attempt: number;
  /** The hook's verdict, when `verifySignature` is set. */
  readonly signature?: SignatureCheck;
  /** Records the message as handled, then reports `done` to the axis. */
  ack(): Promise<void>;
  /** Reports `processing` to the axis (handling takes a while); the message stays unacknowledged. */
  processing(): Promise<void>;
  /**
   * Records a failed handling: delivered again after a backoff, until `maxAttempts`; then (or at once
   * with `final`) reports `fail` to the axis.
   */
  fail(error: unknown, options?: { readonly final?: boolean }): Promise<void>;
}

/** What the inbox reports while it works. */
export type InboxEvent =
  | { readonly type: 'delivered'; readonly docId: string; readonly key: string; readonly attempt: number }
  | { readonly type: 'acknowledged'; readonly docId: string; readonly key: string }
  | { readonly type: 'duplicate'; readonly docId: string; readonly key: string; readonly firstDocId: string }
  | {
      readonly type: 'retry';
      readonly docId: string;
      readonly attempt: number;
      readonly delayMs: number;
      readonly error: unknown;
    }
  | { readonly type: 'failed'; readonly docId: string; readonly error: unknown }
  /** The package could not be parsed or its signature is not valid: reported `fail` at once. */
  | { readonly type: 'rejected'; readonly docId: string; readonly error: unknown }
  /** A call to the axis or the store failed; the message or the poll is tried again later. */
  | { readonly type: 'error'; readonly docId?: string; readonly error: unknown };

/** Options of {@link DocumentInbox.open}. */
export interface DocumentInboxOptions {
  readonly axis: DocumentAxis;
  /** Remembers what was handled, across restarts (`FileStore`, `MemoryStore`, your own). */
  readonly store: ExchangeStore;
  /** Message types polled. Default `['edoc', 'status']`. */
  readonly messageTypes?: readonly EdocMessageType[];
  /** Pause between polls. Default 30 000 ms. */
  readonly pollIntervalMs?: number;
  /** Days back from today (Vietnam time) asked for with `fromDate`. Default 7. */
  readonly lookbackDays?: number;
  /** Deliveries of one message before it is reported `fail`. Default 5. */
  readonly maxAttempts?: number;
  /** Backoff between deliveries of a failed message. Default `{ baseDelayMs: 1000, maxDelayMs: 300000 }`. */
  readonly backoff?: BackoffOptions;
  /** Options of `parseEdxml` for received packages (limits, validation). */
  readonly parse?: Omit<EdxmlParseOptions, 'signal' | 'attachmentSink'>;
  /** Checks each package's signature before it is delivered. */
  readonly verifySignature?: VerifySignature;
  /** What to do with a package whose signature is not valid. Default `reject` (reported `fail`). */
  readonly onInvalidSignature?: 'reject' | 'deliver';
  /** De-duplication key of a package. Default {@link packageKey}. */
  readonly dedupKey?: (document: EdxmlPackage) => string;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly onEvent?: (event: InboxEvent) => void;
}

/** Counts of one {@link DocumentInbox.poll}. */
export interface PollSummary {
  /** Messages listed by the axis. */
  readonly listed: number;
  /** Handled and acknowledged `done`. */
  readonly acknowledged: number;
  /** Copies of a handled package, acknowledged without being delivered. */
  readonly duplicates: number;
  /** Already acknowledged, or waiting for a later retry. */
  readonly skipped: number;
  /** Failed handlings that will be delivered again. */
  readonly retried: number;
  /** Reported `fail` (handler gave up, unparsable, bad signature). */
  readonly failed: number;
  /** Axis or store errors (tried again next poll). */
  readonly errors: number;
}

/** Per axis message: where it is. */
interface DocRecord {
  state: 'retry' | 'handled' | 'failed';
  /** Whether the axis has been told (`done` for handled, `fail` for failed). */
  acked: boolean;
  attempts: number;
  key?: string;
  nextAttemptAt?: number;
  reason?: ErrorSummary;
  /** When this record was written (ms since the epoch). */
  at?: number;
}

const DOC = 'inbox:doc:';
const KEY = 'inbox:key:';

interface Counters {
  listed: number;
  acknowledged: number;
  duplicates: number;
  skipped: number;
  retried: number;
  failed: number;
  errors: number;
}

/**
 * Receives documents and status packages from a document axis: polls `getReceivedEdocList`, fetches
 * each message with `getEdoc`, parses it, drops copies of packages already handled (by their
 * DocumentId, remembered in the store across restarts), and hands the rest to the consumer, one at a
 * time. A message is acknowledged (`updateStatus done`) only after the consumer has handled it; a
 * failed handling is delivered again with backoff and reported `fail` after `maxAttempts`.
 */
export class DocumentInbox {
  private readonly listeners = new Listeners<InboxEvent>();
  private readonly axis: DocumentAxis;
  private readonly store: ExchangeStore;
  private readonly messageTypes: readonly EdocMessageType[];
  private readonly pollIntervalMs: number;
  private readonly lookbackDays: number;
  private readonly maxAttempts: number;
  private readonly backoff: Required<BackoffOptions>;
  private readonly parseOptions: Omit<EdxmlParseOptions, 'signal' | 'attachmentSink'>;
  private readonly verify: VerifySignature | undefined;
  private readonly onInvalidSignature: 'reject' | 'deliver';
  private readonly dedupKey: (document: EdxmlPackage) => string;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly stop = new AbortController();
  private closed = false;

  private constructor(options: DocumentInboxOptions) {
    this.axis = options.axis;
    this.store = options.store;
    this.messageTypes = options.messageTypes ?? ['edoc', 'status'];
    this.pollIntervalMs = options.pollIntervalMs ?? 30_000;
    this.lookbackDays = options.lookbackDays ?? 7;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.backoff = {
      baseDelayMs: options.backoff?.baseDelayMs ?? 1000,
      maxDelayMs: options.backoff?.maxDelayMs ?? 300_000,
    };
    this.parseOptions = options.parse ?? {};
    this.verify = options.verifySignature;
    this.onInvalidSignature = options.onInvalidSignature ?? 'reject';
    this.dedupKey = options.dedupKey ?? packageKey;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    if (options.onEvent !== undefined) this.listeners.add(options.onEvent);
  }

  /** Opens an inbox over its store. */
  static open(options: DocumentInboxOptions): Promise<DocumentInbox> {
    return Promise.resolve(new DocumentInbox(options));
  }

  /** Adds a listener of {@link InboxEvent}s; returns a function that removes it. */
  on(listener: (event: InboxEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  /**
   * Received packages, polling forever (every `pollIntervalMs`) until `signal` aborts or the inbox is
   * closed. A message is acknowledged `done` when the consumer asks for the next one (or calls
   * `ack()`); leaving the loop (`break`, an exception) while a message is not acknowledged leaves it
   * for a later delivery. Axis errors that a retry may cure are reported as `error` events and
   * polled again; others (4xx, an unreadable list) end the iteration with the error.
   */
  async *messages(
    options: { readonly signal?: AbortSignal } = {},
  ): AsyncGenerator<InboxMessage, void, undefined> {
    const signal = this.signalFor(options.signal);
    while (!signal.aborted) {
      const counters = zero();
      let entries: ReceivedEdocEntry[];
      try {
        entries = await this.list(signal);
      } catch (error) {
        if (signal.aborted) return;
        if (!(isLgspError(error) && error.retryable)) throw error;
        this.listeners.emit({ type: 'error', error });
        await pause((ms, s) => this.clock.sleep(ms, s), this.pollIntervalMs, signal);
        continue;
      }
      for (const entry of entries) {
        if (signal.aborted) return;
        const message = await this.prepare(entry, signal, counters);
        if (message === undefined) continue;
        yield message.message;
        if (!message.settled()) {
          try {
            await message.message.ack();
          } catch (error) {
            // Handled is on record; the acknowledgment is sent again on the next poll.
            if (signal.aborted) return;
            this.listeners.emit({ type: 'error', docId: message.message.docId, error });
          }
        }
      }
      await pause((ms, s) => this.clock.sleep(ms, s), this.pollIntervalMs, signal);
    }
  }

  [Symbol.asyncIterator](): AsyncGenerator<InboxMessage, void, undefined> {
    return this.messages();
  }

  /**
   * One poll: lists, fetches and hands every new message to `handler`; acknowledges `done` when it
   * resolves and records a failure when it throws. Axis errors while listing are thrown.
   */
  async poll(
    handler: (document: ParsedEdxml, message: InboxMessage) => unknown,
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<PollSummary> {
    const signal = this.signalFor(options.signal);
    const counters = zero();
    const entries = await this.list(signal);
    counters.listed = entries.length;
    for (const entry of entries) {
      if (signal.aborted) break;
      const prepared = await this.prepare(entry, signal, counters);
      if (prepared === undefined) continue;
      await this.handle(prepared.message, handler);
    }
    return { ...counters };
  }

  /** Polls every `pollIntervalMs` and hands each new message to `handler`, until `signal` aborts or `close()`. */
  async run(
    handler: (document: ParsedEdxml, message: InboxMessage) => unknown,
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<void> {
    for await (const message of this.messages(options)) await this.handle(message, handler);
  }

  /** Stops polling and closes the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stop.abort();
    await this.store.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private async handle(
    message: InboxMessage,
    handler: (document: ParsedEdxml, message: InboxMessage) => unknown,
  ): Promise<void> {
    let failure: { error: unknown } | undefined;
    try {
      await handler(message.document, message);
    } catch (error) {
      failure = { error };
    }
    try {
      if (failure === undefined) await message.ack();
      else await message.fail(failure.error);
    } catch (error) {
      // The store or the acknowledgment failed; the state on record is retried next poll.
      this.listeners.emit({ type: 'error', docId: message.docId, error });
    }
  }

  private signalFor(signal: AbortSignal | undefined): AbortSignal {
    if (this.closed) throw closedError('inbox');
    return signal === undefined ? this.stop.signal : AbortSignal.any([signal, this.stop.signal]);
  }

  private async list(signal: AbortSignal): Promise<ReceivedEdocEntry[]> {
    const now = this.clock.now();
    const fromDate = axisDate(now - this.lookbackDays * 86_400_000);
    const toDate = axisDate(now);
    const out: ReceivedEdocEntry[] = [];
    for (const messageType of this.messageTypes) {
      const entries = await this.axis.getReceivedEdocList({ messageType, fromDate, toDate, signal });
      for (const e of entries) out.push(e.messageType === undefined ? { ...e, messageType } : e);
    }
    return out;
  }

  private async record(docId: string): Promise<DocRecord | undefined> {
    return (await this.store.get(DOC + docId)) as unknown as DocRecord | undefined;
  }

  private async saveRecord(docId: string, record: DocRecord): Promise<void> {
    await this.store.set(DOC + docId, { ...record, at: this.clock.now() } as unknown as StoreValue);
  }

  /**
   * Forgets messages settled (acknowledged `done` or `fail`) or last failed before `before` (ms since
   * the epoch), and the packages they carried, to bound the store. Choose a horizon longer than the axis may deliver a
   * copy (and than `lookbackDays`). Returns how many messages were forgotten.
   */
  async prune(before: number): Promise<number> {
    if (this.closed) throw closedError('inbox');
    let removed = 0;
    for (const [k, v] of await this.store.entries(DOC)) {
      const record = v as unknown as DocRecord;
      // Settled messages, and failed handlings the axis stopped offering.
      if ((!record.acked && record.state !== 'retry') || (record.at ?? 0) >= before) continue;
      await this.store.delete(k);
      if (record.key !== undefined) {
        const first = (await this.store.get(KEY + record.key)) as { docId: string; at?: number } | undefined;
        if (first !== undefined && (first.at ?? 0) < before) await this.store.delete(KEY + record.key);
      }
      removed++;
    }
    return removed;
  }

  /** Fetches, parses and de-duplicates one listed message; `undefined` when it is not to be delivered. */
  private async prepare(
    entry: ReceivedEdocEntry,
    signal: AbortSignal,
    counters: Counters,
  ): Promise<{ message: InboxMessage; settled: () => boolean } | undefined> {
    const docId = entry.docId;
    try {
      const record = await this.record(docId);
      if (record !== undefined) {
        if (record.acked) {
          counters.skipped++;
          return undefined;
        }
        if (record.state !== 'retry') {
          // Handled or given up, but the axis was not told yet.
          await this.report(docId, record, signal, counters);
          return undefined;
        }
        if ((record.nextAttemptAt ?? 0) > this.clock.now()) {
          counters.skipped++;
          return undefined;
        }
      }
      const xml = await this.axis.getEdoc(docId, { signal });
      let document: ParsedEdxml;
      try {
        document = await parseEdxml(xml, { ...this.parseOptions, signal });
      } catch (error) {
        if (signal.aborted) throw error;
        await this.reject(docId, record, error, signal, counters);
        return undefined;
      }
      const key = this.dedupKey(document);
      const first = (await this.store.get(KEY + key)) as { docId: string } | undefined;
      if (first !== undefined) {
        // This package was handled already: under this docId (the ack was not sent) or another one.
        const copy = first.docId !== docId;
        const handled: DocRecord = { state: 'handled', acked: false, attempts: record?.attempts ?? 0, key };
        await this.saveRecord(docId, handled);
        await this.report(docId, handled, signal, counters, !copy);
        if (copy) {
          counters.duplicates++;
          this.listeners.emit({ type: 'duplicate', docId, key, firstDocId: first.docId });
        }
        return undefined;
      }
      let signature: SignatureCheck | undefined;
      if (this.verify !== undefined) {
        signature = await this.verify(xml, { docId, document, signal });
        if (!signature.valid && this.onInvalidSignature === 'reject') {
          const error = new LgspError(
            'SIGNATURE_INVALID',
            `the signature of ${docId} is not valid${signature.message === undefined ? '' : `: ${signature.message}`} / chữ ký số không hợp lệ`,
            { details: { docId, report: signature.report } },
          );
          await this.reject(docId, record, error, signal, counters);
          return undefined;
        }
      }
      const attempt = (record?.attempts ?? 0) + 1;
      let settled = false;
      const messageType: EdocMessageType = entry.messageType ?? document.kind;
      const message: InboxMessage = {
        docId,
        messageType,
        key,
        document,
        xml,
        attempt,
        ...(signature === undefined ? {} : { signature }),
        processing: async () => {
          if (settled) return;
          await this.axis.updateStatus(docId, 'processing', { signal });
        },
        ack: async () => {
          if (settled) return;
          settled = true;
          // Handled is on record before the axis is told: a crash in between re-sends the ack only.
          await this.store.set(KEY + key, { docId, at: this.clock.now() });
          const handled: DocRecord = { state: 'handled', acked: false, attempts: attempt, key };
          await this.saveRecord(docId, handled);
          await this.report(docId, handled, signal, counters);
        },
        fail: async (error, options) => {
          if (settled) return;
          settled = true;
          if (options?.final !== true && attempt < this.maxAttempts) {
            const delayMs = backoffDelay(attempt, this.backoff, this.random);
            await this.saveRecord(docId, {
              state: 'retry',
              acked: false,
              attempts: attempt,
              key,
              nextAttemptAt: this.clock.now() + delayMs,
              reason: summarize(error),
            });
            counters.retried++;
            this.listeners.emit({ type: 'retry', docId, attempt, delayMs, error });
            return;
          }
          const failed: DocRecord = {
            state: 'failed',
            acked: false,
            attempts: attempt,
            key,
            reason: summarize(error),
          };
          await this.saveRecord(docId, failed);
          this.listeners.emit({ type: 'failed', docId, error });
          await this.report(docId, failed, signal, counters);
        },
      };
      this.listeners.emit({ type: 'delivered', docId, key, attempt });
      return { message, settled: () => settled };
    } catch (error) {
      if (signal.aborted) return undefined;
      counters.errors++;
      this.listeners.emit({ type: 'error', docId, error });
      return undefined;
    }
  }

  /** Parse or signature failure: final, reported `fail` with the reason. */
  private async reject(
    docId: string,
    record: DocRecord | undefined,
    error: unknown,
    signal: AbortSignal,
    counters: Counters,
  ): Promise<void> {
    const failed: DocRecord = {
      state: 'failed',
      acked: false,
      attempts: (record?.attempts ?? 0) + 1,
      reason: summarize(error),
    };
    await this.saveRecord(docId, failed);
    this.listeners.emit({ type: 'rejected', docId, error });
    await this.report(docId, failed, signal, counters);
  }

  /** Tells the axis `done` or `fail` and records that it was told. */
  private async report(
    docId: string,
    record: DocRecord,
    signal: AbortSignal,
    counters: Counters,
    count = true,
  ): Promise<void> {
    const done = record.state === 'handled';
    await this.axis.updateStatus(docId, done ? 'done' : 'fail', {
      signal,
      ...(done || record.reason === undefined
        ? {}
        : { description: `${record.reason.code}: ${record.reason.message}`.slice(0, 500) }),
    });
    await this.saveRecord(docId, { ...record, acked: true });
    if (done) {
      if (count) counters.acknowledged++;
      if (record.key !== undefined && count)
        this.listeners.emit({ type: 'acknowledged', docId, key: record.key });
    } else counters.failed++;
  }
}

function zero(): Counters {
  return { listed: 0, acknowledged: 0, duplicates: 0, skipped: 0, retried: 0, failed: 0, errors: 0 };
}

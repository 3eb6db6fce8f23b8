import { buildEdxml } from '../edxml/build.js';
import type { EdxmlPackage, EdxmlStatusCode, EdxmlStatusPackage } from '../edxml/model.js';
import { parseEdxml } from '../edxml/parse.js';
import { isLgspError } from '../errors.js';
import { systemClock, type Clock } from '../http/clock.js';
import type { DocumentAxis } from './axis.js';
import type { EdocMessageType, SendEdocResult } from './codec.js';
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

/** Where an outbox entry is: waiting (or being retried), delivered to the axis, or given up. */
export type OutboxState = 'pending' | 'sent' | 'dead';

/** The latest status a recipient reported for a sent document. */
export interface RecipientStatus {
  readonly statusCode: EdxmlStatusCode;
  readonly description?: string;
  /** `yyyy/MM/dd HH:mm:ss`, as the status package states it. */
  readonly timestamp: string;
}

/** One document in the outbox. */
export interface OutboxEntry {
  /** De-duplication key: `edoc:<DocumentId>` or `status:…` (see `packageKey`), or the id given. */
  readonly id: string;
  readonly messageType: EdocMessageType;
  /** Sender's agency code. */
  readonly from: string;
  /** Recipients' agency codes (for a status package, the agency it answers). */
  readonly to: readonly string[];
  /** The edXML DocumentId (of the document, or of the one a status answers). */
  readonly documentId: string | undefined;
  readonly state: OutboxState;
  /** Sending attempts started so far. */
  readonly attempts: number;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  /** When the next attempt is due (pending entries). */
  readonly nextAttemptAt: number;
  readonly sentAt?: number;
  /** Identifier the axis gave the message once sent. */
  readonly docId?: string;
  /** The error of the last failed attempt. */
  readonly lastError?: ErrorSummary;
  /** Latest status per recipient agency, from {@link DocumentOutbox.trackStatus}. */
  readonly statuses: Readonly<Record<string, RecipientStatus>>;
}

/** What the outbox reports while it works. */
export type OutboxEvent =
  | { readonly type: 'enqueued'; readonly entry: OutboxEntry }
  | { readonly type: 'duplicate'; readonly entry: OutboxEntry }
  | { readonly type: 'sending'; readonly entry: OutboxEntry }
  | { readonly type: 'sent'; readonly entry: OutboxEntry }
  | { readonly type: 'retry'; readonly entry: OutboxEntry; readonly delayMs: number; readonly error: unknown }
  | { readonly type: 'dead'; readonly entry: OutboxEntry; readonly error: unknown }
  | { readonly type: 'status'; readonly entry: OutboxEntry; readonly agency: string }
  /** The store failed in the background loop; the loop tries again after `backoff.baseDelayMs`. */
  | { readonly type: 'error'; readonly error: unknown };

/** Counts by state. */
export interface OutboxStats {
  readonly pending: number;
  readonly sent: number;
  readonly dead: number;
}

/** Options of {@link DocumentOutbox.open}. */
export interface DocumentOutboxOptions {
  readonly axis: DocumentAxis;
  /** Where entries and payloads are kept (`MemoryStore`, `FileStore`, your own). */
  readonly store: ExchangeStore;
  /**
   * Attempts before an entry is dead-lettered after network errors, 5xx, 401/403/408/429. Default 10
   * (with the default backoff, about 8.5 minutes of retries on average, at most 17).
   */
  readonly maxAttempts?: number;
  /** Backoff between attempts. Default `{ baseDelayMs: 2000, maxDelayMs: 600000 }`. */
  readonly backoff?: BackoffOptions;
  /** Timeout of one `sendEdoc` attempt. Default: the client's. */
  readonly timeoutMs?: number;
  /** Start sending right away. Default true; otherwise call `start()` or `flush()`. */
  readonly autoStart?: boolean;
  readonly clock?: Clock;
  /** Random numbers in [0, 1) for the jitter. Default `Math.random`. */
  readonly random?: () => number;
  readonly onEvent?: (event: OutboxEvent) => void;
}

/** Options of {@link DocumentOutbox.enqueue}. */
export interface EnqueueOptions {
  /** De-duplication key. Default {@link packageKey} of the package. */
  readonly id?: string;
  readonly signal?: AbortSignal;
}

interface Stored {
  entry: OutboxEntry;
}

/**
 * Whether a failed send should not be repeated: a 4xx or a refusal concerns the document itself.
 * Credentials and subscriptions (401, 403), timeouts (408) and rate limits (429) are fixed without
 * changing the document, so those are retried like network errors and 5xx.
 */
function isFinal(error: unknown): boolean {
  if (!isLgspError(error)) return true;
  if (error.retryable || error.code === 'AUTH_FAILED') return false;
  const status = (error.details as { status?: unknown } | undefined)?.status;
  return !(error.code === 'HTTP_CLIENT_ERROR' && (status === 403 || status === 408 || status === 429));
}

const ENTRY = 'outbox:entry:';
const PAYLOAD = 'outbox:payload:';

/**
 * A durable queue of edXML packages to send through a document axis. `enqueue` validates the package
 * and resolves once it is in the store (nothing accepted is lost, even if the process dies right
 * after); a background loop sends entries with `sendEdoc`, retrying network errors, timeouts and 5xx
 * with exponential backoff and jitter, and dead-letters an entry after `maxAttempts` or at once on a
 * final answer (4xx, the axis refusing it). Delivery is at-least-once: after a crash during a send the
 * entry is sent again, and the receiver drops the copy by its DocumentId (as {@link DocumentInbox}
 * does). The same package enqueued twice is kept once.
 */
export class DocumentOutbox {
  private readonly entries = new Map<string, OutboxEntry>();
  private readonly listeners = new Listeners<OutboxEvent>();
  private readonly axis: DocumentAxis;
  private readonly store: ExchangeStore;
  private readonly maxAttempts: number;
  private readonly backoff: Required<BackoffOptions>;
  private readonly timeoutMs: number | undefined;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly stop = new AbortController();
  private wake = new AbortController();
  private loop: Promise<void> | undefined;
  private lock: Promise<void> = Promise.resolve();
  private readonly adding = new Map<string, Promise<OutboxEntry>>();
  private closed = false;

  private constructor(options: DocumentOutboxOptions) {
    this.axis = options.axis;
    this.store = options.store;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 10);
    this.backoff = {
      baseDelayMs: options.backoff?.baseDelayMs ?? 2000,
      maxDelayMs: options.backoff?.maxDelayMs ?? 600_000,
    };
    this.timeoutMs = options.timeoutMs;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    if (options.onEvent !== undefined) this.listeners.add(options.onEvent);
  }

  /** Opens the outbox over its store, recovering every entry left by a previous process. */
  static async open(options: DocumentOutboxOptions): Promise<DocumentOutbox> {
    const outbox = new DocumentOutbox(options);
    for (const [, value] of await outbox.store.entries(ENTRY)) {
      const { entry } = value as unknown as Stored;
      outbox.entries.set(entry.id, entry);
    }
    if (options.autoStart ?? true) outbox.start();
    return outbox;
  }

  /** Adds a listener of {@link OutboxEvent}s; returns a function that removes it. */
  on(listener: (event: OutboxEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  /**
   * Validates and stores a package; resolves with its entry once it is durable. A package whose id is
   * already in the outbox is not added again: the existing entry is returned (event `duplicate`).
   */
  async enqueue(
    input: EdxmlPackage | string | Uint8Array,
    options: EnqueueOptions = {},
  ): Promise<OutboxEntry> {
    if (this.closed) throw closedError('outbox');
    let bytes: Uint8Array;
    let pkg: EdxmlPackage;
    if (typeof input === 'string' || input instanceof Uint8Array) {
      bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
      pkg = await parseEdxml(bytes, options.signal === undefined ? {} : { signal: options.signal });
    } else {
      pkg = input;
      bytes = new TextEncoder().encode(buildEdxml(pkg));
    }
    const id = options.id ?? packageKey(pkg);
    const existing = this.entries.get(id);
    if (existing !== undefined) {
      this.listeners.emit({ type: 'duplicate', entry: existing });
      return existing;
    }
    const inProgress = this.adding.get(id);
    if (inProgress !== undefined) {
      const entry = await inProgress;
      this.listeners.emit({ type: 'duplicate', entry });
      return entry;
    }
    const adding = this.add(id, pkg, bytes);
    this.adding.set(id, adding);
    try {
      return await adding;
    } finally {
      this.adding.delete(id);
    }
  }

  private async add(id: string, pkg: EdxmlPackage, bytes: Uint8Array): Promise<OutboxEntry> {
    if (this.closed) throw closedError('outbox');
    const now = this.clock.now();
    const entry: OutboxEntry =
      pkg.kind === 'edoc'
        ? {
            id,
            messageType: 'edoc',
            from: pkg.messageHeader.from.organId,
            to: pkg.messageHeader.to.map((t) => t.organId),
            documentId: pkg.messageHeader.documentId,
            state: 'pending',
            attempts: 0,
            createdAt: now,
            nextAttemptAt: now,
            statuses: {},
          }
        : {
            id,
            messageType: 'status',
            from: pkg.status.from.organId,
            to: [pkg.status.responseFor.organId],
            documentId: pkg.status.responseFor.documentId,
            state: 'pending',
            attempts: 0,
            createdAt: now,
            nextAttemptAt: now,
            statuses: {},
          };
    // The payload first: an entry is never stored without its bytes.
    await this.store.set(PAYLOAD + id, Buffer.from(bytes).toString('base64'));
    await this.save(entry);
    this.listeners.emit({ type: 'enqueued', entry });
    this.wake.abort();
    return entry;
  }

  /** The entry with this id. */
  get(id: string): OutboxEntry | undefined {
    return this.entries.get(id);
  }

  /** The entry of a document, by its edXML DocumentId. */
  byDocumentId(documentId: string): OutboxEntry | undefined {
    const wanted = documentId.replace(/\s+/g, '');
    for (const e of this.entries.values()) {
      if (e.messageType === 'edoc' && e.documentId?.replace(/\s+/g, '') === wanted) return e;
    }
    return undefined;
  }

  /** Entries, optionally of one state, oldest first. */
  list(state?: OutboxState): OutboxEntry[] {
    return [...this.entries.values()]
      .filter((e) => state === undefined || e.state === state)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  stats(): OutboxStats {
    let pending = 0;
    let sent = 0;
    let dead = 0;
    for (const e of this.entries.values()) {
      if (e.state === 'pending') pending++;
      else if (e.state === 'sent') sent++;
      else dead++;
    }
    return { pending, sent, dead };
  }

  /** Puts a dead-lettered entry back in the queue with a fresh attempt count. */
  async retry(id: string): Promise<OutboxEntry | undefined> {
    if (this.closed) throw closedError('outbox');
    const e = this.entries.get(id);
    if (e?.state !== 'dead') return e;
    const { lastError: _lastError, ...rest } = e;
    const entry: OutboxEntry = { ...rest, state: 'pending', attempts: 0, nextAttemptAt: this.clock.now() };
    await this.save(entry);
    this.wake.abort();
    return entry;
  }

  /**
   * Records a status package received for a document this outbox sent (`ResponseFor/DocumentId`), so
   * that `get(id).statuses` shows each recipient's latest status. Returns the updated entry, or
   * `undefined` when the package answers a document this outbox does not know.
   */
  async trackStatus(pkg: EdxmlStatusPackage): Promise<OutboxEntry | undefined> {
    const s = pkg.status;
    const documentId = s.responseFor.documentId;
    if (documentId === undefined) return undefined;
    const e = this.byDocumentId(documentId);
    if (e === undefined) return undefined;
    const agency = s.from.organId;
    const previous = e.statuses[agency];
    // Timestamps `yyyy/MM/dd HH:mm:ss` sort as text.
    if (previous !== undefined && previous.timestamp > s.timestamp) return e;
    const entry: OutboxEntry = {
      ...e,
      statuses: {
        ...e.statuses,
        [agency]: {
          statusCode: s.statusCode,
          timestamp: s.timestamp,
          ...(s.description === undefined ? {} : { description: s.description }),
        },
      },
    };
    await this.save(entry);
    this.listeners.emit({ type: 'status', entry, agency });
    return entry;
  }

  /**
   * Forgets sent entries older than `before` (ms since the epoch) to bound the store; the same package
   * enqueued after that is sent again. Returns how many were removed.
   */
  async prune(before: number): Promise<number> {
    if (this.closed) throw closedError('outbox');
    let removed = 0;
    for (const e of [...this.entries.values()]) {
      if (e.state !== 'sent' || (e.sentAt ?? 0) >= before) continue;
      await this.store.delete(ENTRY + e.id);
      this.entries.delete(e.id);
      removed++;
    }
    return removed;
  }

  /** Starts the background sending loop (once). */
  start(): void {
    if (this.closed || this.loop !== undefined) return;
    this.loop = this.run();
  }

  /**
   * Sends every entry that is due now, one after the other, and resolves when none is due (entries
   * waiting for a later retry stay pending). For scripts and tests; the background loop does the same.
   */
  async flush(signal?: AbortSignal): Promise<OutboxStats> {
    while (!this.closed && signal?.aborted !== true && (await this.sendNext())) {
      // One due entry sent (or failed) per turn.
    }
    return this.stats();
  }

  /** Resolves when no entry is pending (every one is sent or dead), or when `signal` aborts. */
  async drain(signal?: AbortSignal): Promise<OutboxStats> {
    this.start();
    while (this.stats().pending > 0 && !this.closed && signal?.aborted !== true) {
      await new Promise<void>((resolve) => {
        const off = this.on((e) => {
          if (e.type === 'sent' || e.type === 'dead') done();
        });
        const done = () => {
          off();
          signal?.removeEventListener('abort', done);
          this.stop.signal.removeEventListener('abort', done);
          resolve();
        };
        signal?.addEventListener('abort', done, { once: true });
        this.stop.signal.addEventListener('abort', done, { once: true });
      });
    }
    return this.stats();
  }

  /**
   * Stops the loop, aborts a send in flight (its entry stays pending and is sent again by the next
   * process) and closes the store.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stop.abort();
    this.wake.abort();
    await this.loop;
    await this.lock;
    await this.store.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private due(): OutboxEntry | undefined {
    let next: OutboxEntry | undefined;
    for (const e of this.entries.values()) {
      if (e.state === 'pending' && (next === undefined || e.nextAttemptAt < next.nextAttemptAt)) next = e;
    }
    return next;
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      if (this.wake.signal.aborted) this.wake = new AbortController();
      const next = this.due();
      if (next === undefined) {
        const wake = this.wake.signal;
        await new Promise<void>((resolve) => wake.addEventListener('abort', () => resolve(), { once: true }));
        continue;
      }
      const wait = next.nextAttemptAt - this.clock.now();
      if (wait > 0) {
        await pause((ms, s) => this.clock.sleep(ms, s), wait, this.wake.signal);
        continue;
      }
      try {
        await this.sendNext();
      } catch (error) {
        // The store failed: report it and try again later rather than spin.
        this.listeners.emit({ type: 'error', error });
        await pause((ms, s) => this.clock.sleep(ms, s), this.backoff.baseDelayMs, this.stop.signal);
      }
    }
  }

  /** Attempts the most overdue entry, one at a time across the loop and `flush`; false when none is due. */
  private sendNext(): Promise<boolean> {
    const run = this.lock.then(async () => {
      if (this.closed) return false;
      const next = this.due();
      if (next === undefined || next.nextAttemptAt > this.clock.now()) return false;
      await this.attempt(next);
      return true;
    });
    this.lock = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async attempt(current: OutboxEntry): Promise<void> {
    const payload = await this.store.get(PAYLOAD + current.id);
    if (typeof payload !== 'string') {
      const entry: OutboxEntry = {
        ...current,
        state: 'dead',
        lastError: { code: 'STORE_FAILED', message: 'the stored payload is missing / thiếu dữ liệu gói tin' },
      };
      await this.save(entry);
      this.listeners.emit({ type: 'dead', entry, error: entry.lastError });
      return;
    }
    // The attempt is durable before the send: a crash during it still counts.
    const sending: OutboxEntry = { ...current, attempts: current.attempts + 1 };
    await this.save(sending);
    this.listeners.emit({ type: 'sending', entry: sending });
    let result: SendEdocResult;
    try {
      result = await this.axis.sendEdoc({
        edxml: new Uint8Array(Buffer.from(payload, 'base64')),
        from: sending.from,
        messageType: sending.messageType,
        signal: this.stop.signal,
        ...(this.timeoutMs === undefined ? {} : { timeoutMs: this.timeoutMs }),
      });
    } catch (error) {
      await this.failed(current, sending, error);
      return;
    }
    // Outside the try: a store failure here is not a failed send (the entry stays pending, and a
    // later attempt sends a copy the receiver drops).
    const { lastError: _lastError, ...rest } = sending;
    const entry: OutboxEntry = { ...rest, state: 'sent', sentAt: this.clock.now(), docId: result.docId };
    await this.save(entry);
    await this.store.delete(PAYLOAD + entry.id);
    this.listeners.emit({ type: 'sent', entry });
  }

  private async failed(current: OutboxEntry, sending: OutboxEntry, error: unknown): Promise<void> {
    if (this.stop.signal.aborted) return; // closing: stays pending for the next process
    if (isLgspError(error) && error.code === 'CIRCUIT_OPEN') {
      // Nothing was sent: wait for the breaker without spending an attempt.
      const retryInMs = (error.details as { retryInMs?: unknown } | undefined)?.retryInMs;
      const delayMs = typeof retryInMs === 'number' ? retryInMs : this.backoff.baseDelayMs;
      const entry: OutboxEntry = {
        ...current,
        nextAttemptAt: this.clock.now() + delayMs,
        lastError: summarize(error),
      };
      await this.save(entry);
      this.listeners.emit({ type: 'retry', entry, delayMs, error });
      return;
    }
    if (isFinal(error) || sending.attempts >= this.maxAttempts) {
      const entry: OutboxEntry = { ...sending, state: 'dead', lastError: summarize(error) };
      await this.save(entry);
      this.listeners.emit({ type: 'dead', entry, error });
      return;
    }
    const delayMs = backoffDelay(sending.attempts, this.backoff, this.random);
    const entry: OutboxEntry = {
      ...sending,
      nextAttemptAt: this.clock.now() + delayMs,
      lastError: summarize(error),
    };
    await this.save(entry);
    this.listeners.emit({ type: 'retry', entry, delayMs, error });
  }

  private async save(entry: OutboxEntry): Promise<void> {
    await this.store.set(ENTRY + entry.id, { entry } as unknown as StoreValue);
    this.entries.set(entry.id, entry);
  }
}

import { Hl7Error, isHl7Error } from '../errors.js';
import type { TransactionBundle } from '../fhir/types.js';
import {
  defaultSleep,
  retryDelay,
  outcomeIssues,
  type BackoffOptions,
  type FhirBundle,
  type FhirClient,
} from './fhir-client.js';
import type { FailureSummary, OutboxItem, OutboxRecord, OutboxStore } from './outbox-store.js';

/** An item given up, with the failure that decided it. */
export interface DeadLetter {
  readonly id: string;
  readonly partition: string;
  readonly attempts: number;
  readonly at: string;
  readonly error: FailureSummary;
  /** The Bundle, when the item had been queued. */
  readonly bundle?: TransactionBundle;
  /** The source message, when it could not be mapped. */
  readonly source?: string;
}

/** What the outbox reports while it works. */
export type OutboxEvent =
  | { readonly type: 'enqueued'; readonly item: OutboxItem }
  | {
      readonly type: 'delivered';
      readonly item: OutboxItem;
      readonly attempts: number;
      readonly response: FhirBundle;
    }
  | {
      readonly type: 'retry';
      readonly item: OutboxItem;
      readonly attempts: number;
      readonly delayMs: number;
      readonly error: Hl7Error;
    }
  | { readonly type: 'dead'; readonly letter: DeadLetter }
  /** The store failed to record a delivery; the item may be sent again after a restart (harmless). */
  | { readonly type: 'error'; readonly error: unknown };

export interface OutboxStats {
  /** Queued, not yet delivered (in flight included). */
  readonly pending: number;
  readonly delivered: number;
  readonly dead: number;
  /** Failed attempts so far (each retry counts one). */
  readonly failedAttempts: number;
  /** Partitions whose head item is being sent or waiting for a retry. */
  readonly activePartitions: number;
}

export interface OutboxOptions {
  readonly store: OutboxStore;
  /** Delivers with `client.transaction(bundle, { maxAttempts: 1 })`; the outbox does the retrying. */
  readonly client: Pick<FhirClient, 'transaction'>;
  /** Attempts before an item rejected with a permanent (4xx) error is dead-lettered. Default 3. */
  readonly maxAttempts?: number;
  /** Between attempts of one item. Default base 500 ms, cap 30 000 ms; retryable failures retry forever. */
  readonly backoff?: BackoffOptions;
  /** Partitions delivered in parallel. Default 4. */
  readonly concurrency?: number;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  readonly clock?: () => Date;
  readonly onEvent?: (event: OutboxEvent) => void;
}

function summarize(err: unknown): FailureSummary {
  if (isHl7Error(err)) {
    const d = err.details ?? {};
    return {
      code: err.code,
      message: err.message,
      ...(typeof d.status === 'number' ? { status: d.status } : {}),
      issues: Array.isArray(d.issues)
        ? outcomeIssues({ resourceType: 'OperationOutcome', issue: d.issues })
        : [],
    };
  }
  return { code: 'UNKNOWN', message: String(err), issues: [] };
}

function closedError(): Hl7Error {
  return new Hl7Error('OUTBOX_CLOSED', 'The outbox is closed / hộp thư đi đã đóng');
}

/**
 * The partition of a mapped Bundle: its first Patient entry's conditional key
 * (`Patient?identifier=system|value`), so messages about one patient are delivered in order;
 * bundles without a Patient share the partition `''`.
 */
export function patientPartition(bundle: TransactionBundle): string {
  const entry = bundle.entry.find((e) => e.resource.resourceType === 'Patient');
  if (entry === undefined) return '';
  const r = entry.request;
  return r.method === 'POST' && r.ifNoneExist !== undefined ? `Patient?${r.ifNoneExist}` : r.url;
}

/**
 * Durable delivery of transaction Bundles to a FHIR server. `enqueue` resolves once the item is in
 * the store; delivery then runs in the background, one item at a time per partition (patient) and
 * in enqueue order, retrying network and 5xx failures with backoff until they succeed, and
 * dead-lettering items the server rejects (4xx) `maxAttempts` times, with the OperationOutcome kept.
 * A restart with the same store resumes where it stopped.
 */
export class Outbox {
  private readonly queues = new Map<string, OutboxItem[]>();
  private readonly known = new Set<string>();
  private readonly active = new Set<string>();
  private readonly dead: DeadLetter[] = [];
  private readonly controller = new AbortController();
  private readonly workers = new Set<Promise<void>>();
  private readonly waiters = new Set<() => void>();
  private pendingCount = 0;
  private deliveredCount = 0;
  private failed = 0;
  private closed = false;

  private constructor(private readonly options: OutboxOptions) {}

  /** Loads the store's records and starts delivering what is pending. */
  static async open(options: OutboxOptions): Promise<Outbox> {
    const o = new Outbox(options);
    const records = await options.store.load();
    const items = new Map<string, OutboxItem>();
    for (const r of records) {
      if (r.op === 'enqueue') {
        o.known.add(r.item.id);
        items.set(r.item.id, r.item);
      } else if (r.op === 'delivered') {
        // After compaction a delivered id has no enqueue record left; it still counts once.
        if (items.delete(r.id) || !o.known.has(r.id)) o.deliveredCount++;
        o.known.add(r.id);
      } else {
        o.known.add(r.id);
        const item = items.get(r.id);
        items.delete(r.id);
        o.dead.push(o.letter(r, item));
      }
    }
    for (const item of items.values()) o.push(item);
    o.pump();
    return o;
  }

  /**
   * Adds a Bundle; resolves `'queued'` once it is durable, or `'duplicate'` when the id was seen
   * before (pending, delivered or dead), in which case nothing changes.
   */
  async enqueue(
    input: { readonly id: string; readonly bundle: TransactionBundle; readonly partition?: string },
    signal?: AbortSignal,
  ): Promise<'queued' | 'duplicate'> {
    if (this.closed) throw closedError();
    if (this.known.has(input.id)) return 'duplicate';
    const item: OutboxItem = {
      id: input.id,
      partition: input.partition ?? patientPartition(input.bundle),
      bundle: input.bundle,
      enqueuedAt: this.now(),
    };
    this.known.add(item.id);
    try {
      await this.options.store.append({ op: 'enqueue', item }, signal);
    } catch (cause) {
      this.known.delete(item.id);
      throw new Hl7Error(
        'STORE_FAILED',
        'The outbox could not store the bundle / không lưu được vào hộp thư đi',
        {
          cause,
          retryable: true,
        },
      );
    }
    this.push(item);
    this.options.onEvent?.({ type: 'enqueued', item });
    this.pump();
    return 'queued';
  }

  /** Records, without sending, an input that cannot become a Bundle (a message that failed to map). */
  async reject(
    input: {
      readonly id: string;
      readonly partition?: string;
      readonly error: unknown;
      readonly source?: string;
    },
    signal?: AbortSignal,
  ): Promise<'dead' | 'duplicate'> {
    if (this.closed) throw closedError();
    if (this.known.has(input.id)) return 'duplicate';
    this.known.add(input.id);
    const record: OutboxRecord = {
      op: 'dead',
      id: input.id,
      at: this.now(),
      attempts: 0,
      error: summarize(input.error),
      partition: input.partition ?? '',
      ...(input.source === undefined ? {} : { source: input.source }),
    };
    try {
      await this.options.store.append(record, signal);
    } catch (cause) {
      this.known.delete(input.id);
      throw new Hl7Error('STORE_FAILED', 'The outbox could not store the rejection / không lưu được', {
        cause,
        retryable: true,
      });
    }
    const letter = this.letter(record, undefined);
    this.dead.push(letter);
    this.options.onEvent?.({ type: 'dead', letter });
    return 'dead';
  }

  stats(): OutboxStats {
    return {
      pending: this.pendingCount,
      delivered: this.deliveredCount,
      dead: this.dead.length,
      failedAttempts: this.failed,
      activePartitions: this.active.size,
    };
  }

  /** Items given up, oldest first. */
  deadLetters(): readonly DeadLetter[] {
    return [...this.dead];
  }

  /** Resolves once nothing is pending. */
  async drain(signal?: AbortSignal): Promise<void> {
    while (this.pendingCount > 0) {
      if (this.closed) throw closedError();
      signal?.throwIfAborted();
      await new Promise<void>((resolve, reject) => {
        const done = () => {
          signal?.removeEventListener('abort', onAbort);
          this.waiters.delete(done);
          resolve();
        };
        const onAbort = () => {
          this.waiters.delete(done);
          reject(signal?.reason as Error);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiters.add(done);
      });
    }
  }

  /** Stops delivering (an attempt in flight is aborted; its item stays pending) and closes the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.controller.abort(closedError());
    await Promise.allSettled([...this.workers]);
    for (const w of [...this.waiters]) w();
    await this.options.store.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private now(): string {
    return (this.options.clock?.() ?? new Date()).toISOString();
  }

  private letter(r: Extract<OutboxRecord, { op: 'dead' }>, item: OutboxItem | undefined): DeadLetter {
    return {
      id: r.id,
      partition: item?.partition ?? r.partition ?? '',
      attempts: r.attempts,
      at: r.at,
      error: r.error,
      ...(item === undefined ? {} : { bundle: item.bundle }),
      ...(r.source === undefined ? {} : { source: r.source }),
    };
  }

  private push(item: OutboxItem): void {
    let q = this.queues.get(item.partition);
    if (q === undefined) this.queues.set(item.partition, (q = []));
    q.push(item);
    this.pendingCount++;
  }

  private pump(): void {
    if (this.closed) return;
    const limit = Math.max(1, this.options.concurrency ?? 4);
    for (const [partition, q] of this.queues) {
      if (this.active.size >= limit) return;
      if (q.length === 0 || this.active.has(partition)) continue;
      this.active.add(partition);
      const worker = this.work(q).finally(() => {
        this.active.delete(partition);
        this.workers.delete(worker);
        if (q.length === 0) this.queues.delete(partition);
        this.pump();
      });
      this.workers.add(worker);
    }
  }

  private settle(q: OutboxItem[]): void {
    q.shift();
    this.pendingCount--;
    if (this.pendingCount === 0) for (const w of [...this.waiters]) w();
  }

  private async work(q: OutboxItem[]): Promise<void> {
    const signal = this.controller.signal;
    const maxPermanent = Math.max(1, this.options.maxAttempts ?? 3);
    const sleep = this.options.sleep ?? defaultSleep;
    const backoff = { baseDelayMs: 500, maxDelayMs: 30_000, ...this.options.backoff };
    while (!signal.aborted) {
      const item = q[0];
      if (item === undefined) return;
      let attempts = 0;
      let permanent = 0;
      for (;;) {
        attempts++;
        try {
          const response = await this.options.client.transaction(item.bundle, { signal, maxAttempts: 1 });
          await this.record({ op: 'delivered', id: item.id, at: this.now() });
          this.deliveredCount++;
          this.options.onEvent?.({ type: 'delivered', item, attempts, response });
          this.settle(q);
          break;
        } catch (err) {
          if (signal.aborted) return;
          this.failed++;
          const e = isHl7Error(err)
            ? err
            : new Hl7Error('FHIR_NETWORK', String(err), { cause: err, retryable: true });
          if (!e.retryable) permanent++;
          if (!e.retryable && permanent >= maxPermanent) {
            const record: OutboxRecord = {
              op: 'dead',
              id: item.id,
              at: this.now(),
              attempts,
              error: summarize(e),
            };
            await this.record(record);
            const letter = this.letter(record, item);
            this.dead.push(letter);
            this.options.onEvent?.({ type: 'dead', letter });
            this.settle(q);
            break;
          }
          const delayMs = retryDelay(attempts, e, backoff, this.options.random);
          this.options.onEvent?.({ type: 'retry', item, attempts, delayMs, error: e });
          try {
            await sleep(delayMs, signal);
          } catch {
            return;
          }
        }
      }
    }
  }

  private async record(record: OutboxRecord): Promise<void> {
    try {
      await this.options.store.append(record);
    } catch (error) {
      this.options.onEvent?.({ type: 'error', error });
    }
  }
}

import fs from 'node:fs/promises';
import path from 'node:path';
import { readJsonLines } from '../jsonl.js';
import type { TransactionBundle } from '../fhir/types.js';
import type { OutcomeIssue } from './fhir-client.js';

/** A Bundle waiting for the FHIR server. */
export interface OutboxItem {
  /** De-duplication key (the pipeline uses the message's MSH-3^MSH-4^MSH-10). */
  readonly id: string;
  /** Items of one partition (one patient) are delivered one at a time, in enqueue order. */
  readonly partition: string;
  readonly bundle: TransactionBundle;
  readonly enqueuedAt: string;
}

/** Why an item was given up. */
export interface FailureSummary {
  readonly code: string;
  readonly message: string;
  /** HTTP status, when the server answered. */
  readonly status?: number;
  /** The OperationOutcome issues the server sent. */
  readonly issues: readonly OutcomeIssue[];
}

/** What the outbox writes to its store, one record per change. */
export type OutboxRecord =
  | { readonly op: 'enqueue'; readonly item: OutboxItem }
  | { readonly op: 'delivered'; readonly id: string; readonly at: string }
  | {
      readonly op: 'dead';
      readonly id: string;
      readonly at: string;
      readonly attempts: number;
      readonly error: FailureSummary;
      /** Set when the item never reached the queue (a message that could not be mapped). */
      readonly partition?: string;
      readonly source?: string;
    };

/** Where the outbox keeps its records; `append` resolves once the record is durable. */
export interface OutboxStore {
  /** Every record written so far, in order. */
  load(signal?: AbortSignal): Promise<OutboxRecord[]>;
  append(record: OutboxRecord, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** Records in memory: for tests and demos, lost when the process ends. */
export class InMemoryOutboxStore implements OutboxStore {
  readonly records: OutboxRecord[] = [];

  load(): Promise<OutboxRecord[]> {
    return Promise.resolve([...this.records]);
  }

  append(record: OutboxRecord): Promise<void> {
    this.records.push(record);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * The records a restart needs, in their order: every `enqueue` still pending or dead (with its `dead`
 * record), and for a delivered Bundle only its `delivered` record.
 */
export function compactRecords(records: readonly OutboxRecord[]): OutboxRecord[] {
  const delivered = new Set<string>();
  for (const r of records) if (r.op === 'delivered') delivered.add(r.id);
  return records.filter((r) => (r.op === 'enqueue' ? !delivered.has(r.item.id) : true));
}

/**
 * Appends each record as one JSON line and `fsync`s before resolving; `open` reads the file back
 * (a torn last line from a crash is dropped), so the outbox survives a restart.
 */
export class FileOutboxStore implements OutboxStore {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly handle: fs.FileHandle,
    private readonly initial: OutboxRecord[],
  ) {}

  /**
   * Opens (or creates) the file. With `compact` (default true) the file is first rewritten, atomically
   * (temporary file, `fsync`, rename), keeping what a restart needs: pending and dead Bundles whole,
   * and one short `delivered` line per delivered id (for de-duplication), so the file does not grow
   * with every Bundle ever sent.
   */
  static async open(file: string, options: { readonly compact?: boolean } = {}): Promise<FileOutboxStore> {
    const { values, validBytes, size } = await readJsonLines<OutboxRecord>(file);
    let records = values;
    if (options.compact !== false && values.length > 0) {
      records = compactRecords(values);
      if (records.length < values.length || validBytes < size) {
        const tmp = `${file}.compact`;
        const out = await fs.open(tmp, 'w');
        try {
          await out.writeFile(records.map((r) => `${JSON.stringify(r)}\n`).join(''), 'utf8');
          await out.sync();
        } finally {
          await out.close();
        }
        await fs.rename(tmp, file);
        const dir = await fs.open(path.dirname(file), 'r');
        try {
          await dir.sync();
        } finally {
          await dir.close();
        }
      }
    }
    const handle = await fs.open(file, 'a');
    const { size: now } = await handle.stat();
    const valid = records === values ? validBytes : now;
    if (valid < now) {
      await handle.truncate(valid);
      await handle.sync();
    }
    return new FileOutboxStore(file, handle, records);
  }

  get path(): string {
    return this.file;
  }

  load(): Promise<OutboxRecord[]> {
    return Promise.resolve([...this.initial]);
  }

  append(record: OutboxRecord, signal?: AbortSignal): Promise<void> {
    const run = async () => {
      signal?.throwIfAborted();
      await this.handle.appendFile(`${JSON.stringify(record)}\n`, 'utf8');
      await this.handle.sync();
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.handle.close();
  }
}

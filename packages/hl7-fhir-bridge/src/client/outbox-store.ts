import fs from 'node:fs/promises';
import { Hl7Error } from '../errors.js';
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
 * Reads a JSON-lines file written by appends that may have been cut by a crash: a torn last line
 * (no final newline, or not JSON) was never acknowledged, so it is ignored and cut off before the
 * next append. A bad line anywhere else is corruption and an error.
 */
export async function readJsonLines<T>(
  file: string,
): Promise<{ values: T[]; validBytes: number; size: number }> {
  const buf = await fs.readFile(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return Buffer.alloc(0);
    throw err;
  });
  const values: T[] = [];
  let start = 0;
  let validBytes = 0;
  while (start < buf.length) {
    const nl = buf.indexOf(0x0a, start);
    const end = nl < 0 ? buf.length : nl;
    const line = buf.subarray(start, end).toString('utf8');
    if (line.trim() !== '') {
      let value: T;
      try {
        value = JSON.parse(line) as T;
      } catch (cause) {
        if (nl < 0 || buf.indexOf(0x0a, nl + 1) < 0) break; // torn tail
        throw new Hl7Error('STORE_FAILED', `${file}: line at byte ${start} is not JSON / tệp bị hỏng`, {
          cause,
          details: { file, offset: start },
        });
      }
      if (nl < 0) break; // a complete JSON value without its newline: the append did not finish
      values.push(value);
    }
    if (nl < 0) break;
    start = nl + 1;
    validBytes = start;
  }
  return { values, validBytes, size: buf.length };
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

  static async open(file: string): Promise<FileOutboxStore> {
    const { values, validBytes, size } = await readJsonLines<OutboxRecord>(file);
    const handle = await fs.open(file, 'a');
    if (validBytes < size) {
      await handle.truncate(validBytes);
      await handle.sync();
    }
    return new FileOutboxStore(file, handle, values);
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

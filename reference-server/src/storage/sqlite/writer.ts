import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { IngestWrite } from './ingest.js';

/** Messages to the writer's thread: the writes of one turn of the event loop go in one message. */
export type WriterRequest =
  | { readonly kind: 'writes'; readonly writes: readonly (readonly [id: number, write: IngestWrite])[] }
  | { readonly kind: 'autocheckpoint'; readonly pages: number }
  | { readonly kind: 'stop' };

/** The outcome of one write: per row stored (1) or duplicate (0), or the error that rolled it back. */
export type WriterAnswer =
  | { readonly id: number; readonly stored: Uint8Array; readonly failed?: undefined }
  | {
      readonly id: number;
      readonly stored?: undefined;
      readonly failed: { readonly name: string; readonly message: string; readonly code: string | undefined };
    };

/** Messages from it: the answers of one COMMIT go in one message. */
export type WriterReply =
  { readonly kind: 'ready' } | { readonly kind: 'answers'; readonly answers: readonly WriterAnswer[] };

/** A write the writer's thread refused (constraint, bad audit record…): its transaction was rolled back. */
export class IngestWriteError extends Error {
  readonly code: string | undefined;
  constructor(name: string, message: string, code: string | undefined) {
    super(message);
    this.name = name;
    this.code = code;
  }
}

export interface IngestWriter {
  /**
   * Runs the write on the thread; resolves with 1 (stored) or 0 (duplicate) per row once committed.
   * `undefined` when the thread is not running (any more): the caller then writes on its own thread.
   */
  readonly submit: (write: IngestWrite) => Promise<Uint8Array> | undefined;
  /** False once stopped or failed. */
  readonly running: () => boolean;
  /** Sets the thread connection's automatic checkpoints (0 while the checkpointer runs). */
  readonly autocheckpoint: (pages: number) => void;
  /** Commits what was submitted, answers it, and ends the thread. */
  readonly stop: () => Promise<void>;
}

/**
 * The thread's code: at the top of `dist/` in the build (next to the chunks). From the sources (tests,
 * tsx) it is a TypeScript file, loaded after registering tsx's loader in the thread.
 */
function threadEntry(): { code: string | URL; eval: boolean } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { code: new URL('./sqlite-writer.js', here), eval: false };
  // tsx's ESM API (`import { register } from 'tsx/esm/api'`), located through its package.json.
  const manifest = createRequire(here).resolve('tsx/package.json');
  const exported = (
    JSON.parse(fs.readFileSync(manifest, 'utf8')) as {
      exports: Record<string, { import: { default: string } }>;
    }
  ).exports['./esm/api']?.import.default;
  if (exported === undefined) throw new Error('tsx has no ./esm/api export');
  const tsx = pathToFileURL(path.join(path.dirname(manifest), exported)).href;
  const entry = new URL('./writer-thread.ts', here).href;
  return {
    code: `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`,
    eval: true,
  };
}

/**
 * The ingest writer of the embedded database: observation and reading batches are committed on a
 * worker thread with a connection of its own, so SQLite's B-tree work, the WAL append and the audit
 * hash leave the event loop, which meanwhile parses, validates and answers other requests. SQLite
 * serialises the writers: writes on the main connection (alerts, stations…) wait for the thread's
 * transaction (a few ms) through the busy timeout.
 *
 * Failure: if the thread cannot start, the writes sent to it were never run and are handed back
 * (`submit` answers `undefined` from then on and the caller writes in-thread). If it dies after
 * starting, the writes it had not answered are rejected (their outcome is unknown; ingest is
 * idempotent by key, so a client's retry is safe).
 */
export function startIngestWriter(
  file: string,
  options: {
    readonly autocheckpoint: number;
    /** Writes per transaction on the thread, at most (their answers go back per transaction). Default 32. */
    readonly maxBatch?: number;
    /** Runs a write on the caller's thread: for the writes handed back when the thread did not start. */
    readonly inThread: (write: IngestWrite) => Promise<Uint8Array>;
    readonly onError?: (err: Error) => void;
  },
): IngestWriter {
  const entry = threadEntry();
  const worker = new Worker(entry.code, {
    eval: entry.eval,
    workerData: {
      file,
      autocheckpoint: options.autocheckpoint,
      maxBatch: options.maxBatch ?? 32,
    },
  });
  worker.unref();
  let running = true;
  let ready = false;
  let nextId = 1;
  // Writes submitted in this turn of the event loop, sent together on the next.
  let outbox: [number, IngestWrite][] = [];
  const send = () => {
    const writes = outbox;
    outbox = [];
    if (running) worker.postMessage({ kind: 'writes', writes } satisfies WriterRequest);
  };
  const pending = new Map<
    number,
    {
      readonly write: IngestWrite;
      readonly resolve: (s: Uint8Array) => void;
      readonly reject: (e: Error) => void;
    }
  >();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));

  const fail = (err: Error) => {
    const wasRunning = running;
    running = false;
    for (const [id, p] of pending) {
      pending.delete(id);
      if (ready) p.reject(new Error(`the ingest writer stopped before answering: ${err.message}`));
      else options.inThread(p.write).then(p.resolve, p.reject);
    }
    if (wasRunning) options.onError?.(err);
  };
  worker.on('message', (m: WriterReply) => {
    if (m.kind === 'ready') {
      ready = true;
      return;
    }
    for (const a of m.answers) {
      const p = pending.get(a.id);
      if (p === undefined) continue;
      pending.delete(a.id);
      if (a.failed === undefined) p.resolve(a.stored);
      else p.reject(new IngestWriteError(a.failed.name, a.failed.message, a.failed.code));
    }
    if (pending.size === 0) worker.unref();
  });
  worker.on('error', (err) => fail(err));
  worker.on('exit', (code) => {
    fail(new Error(code === 0 ? 'the ingest writer ended' : `the ingest writer exited with code ${code}`));
  });

  return {
    submit: (write) => {
      if (!running) return undefined;
      const id = nextId++;
      return new Promise<Uint8Array>((resolve, reject) => {
        pending.set(id, { write, resolve, reject });
        // Keeps the process alive until answered (a CLI awaiting its import, say).
        if (pending.size === 1) worker.ref();
        if (outbox.length === 0) setImmediate(send);
        outbox.push([id, write]);
      });
    },
    running: () => running,
    autocheckpoint: (pages) => {
      if (running) worker.postMessage({ kind: 'autocheckpoint', pages } satisfies WriterRequest);
    },
    stop: async () => {
      // Referenced until it has ended: a shutdown awaiting it must not see the event loop run dry.
      worker.ref();
      if (outbox.length > 0) send();
      if (running) worker.postMessage({ kind: 'stop' } satisfies WriterRequest);
      running = false;
      await exited;
    },
  };
}

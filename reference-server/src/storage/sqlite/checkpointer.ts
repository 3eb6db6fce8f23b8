import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/**
 * The checkpointer's thread. It runs as evaluated CommonJS, so it needs no file of its own in the
 * sources, the build or the tests: better-sqlite3 is loaded from the path the main thread resolved.
 * Every `intervalMs` it copies the WAL into the database (`PASSIVE`: never waits for, nor blocks, the
 * writer or the readers) and reports the outcome; `stop` ends it after a last pass.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
let passes = 0;
const pass = (asked) => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    passes++;
    parentPort.postMessage({ kind: 'checkpoint', asked, pass: passes, busy: r.busy, log: r.log, checkpointed: r.checkpointed });
  } catch (err) {
    parentPort.postMessage({ kind: 'failed', message: String(err && err.message || err) });
  }
};
const timer = setInterval(pass, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'pass') pass(true);
  else if (m === 'stop') {
    clearInterval(timer);
    pass();
    db.close();
    parentPort.close();
  }
});
parentPort.postMessage({ kind: 'ready' });
`;

export interface CheckpointOutcome {
  /** Which pass this was (1, 2, …). */
  readonly pass: number;
  /** Frames in the WAL. */
  readonly log: number;
  /** Frames of it now in the database file. */
  readonly checkpointed: number;
  /** 1 when a lock kept the pass from finishing (it is tried again on the next one). */
  readonly busy: number;
}

export interface Checkpointer {
  /** Resolves once the thread has opened the database (or it has failed and the fallback is on). */
  readonly ready: Promise<void>;
  /** The last pass's outcome, if any. */
  readonly last: () => CheckpointOutcome | undefined;
  /** Runs a pass now, on the thread; resolves with its outcome (undefined once stopped or failed). */
  readonly checkpoint: () => Promise<CheckpointOutcome | undefined>;
  /** True while checkpoints run on the thread; false after a failure (they run on the writer again). */
  readonly running: () => boolean;
  /** Runs a last pass and ends the thread. */
  readonly stop: () => Promise<void>;
}

/**
 * Moves WAL checkpoints off the thread that writes. By default SQLite checkpoints inside the COMMIT
 * that crosses 1000 WAL pages, so one ingest request in a hundred waits for the copy and its fsyncs
 * while every other request on the event loop waits with it. Here the writer's connection has automatic
 * checkpoints turned off and a worker thread with a connection of its own checkpoints every
 * `intervalMs` (default 250 ms). If that thread fails, automatic checkpoints are turned back on for the
 * writer, so the WAL never grows without bound.
 */
export function startCheckpointer(
  db: Database.Database,
  file: string,
  options: { readonly intervalMs?: number; readonly onError?: (err: Error) => void } = {},
): Checkpointer {
  const require = createRequire(import.meta.url);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      module: require.resolve('better-sqlite3'),
      file,
      intervalMs: options.intervalMs ?? 250,
    },
  });
  worker.unref();
  let running = true;
  let last: CheckpointOutcome | undefined;
  const asked: ((o: CheckpointOutcome | undefined) => void)[] = [];
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  db.pragma('wal_autocheckpoint = 0');

  const fallBack = (err: Error) => {
    for (const answer of asked.splice(0)) answer(undefined);
    if (!running) return;
    running = false;
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
    markReady();
    options.onError?.(err);
  };
  worker.on('message', (m: { kind: string; message?: string; asked?: boolean } & CheckpointOutcome) => {
    if (m.kind === 'ready') markReady();
    else if (m.kind === 'checkpoint') {
      last = { pass: m.pass, log: m.log, checkpointed: m.checkpointed, busy: m.busy };
      if (m.asked === true) asked.shift()?.(last);
    } else if (m.kind === 'failed') {
      fallBack(new Error(`WAL checkpoint failed: ${m.message ?? ''}`));
      void worker.terminate();
    }
  });
  worker.on('error', (err) => fallBack(err));
  worker.on('exit', (code) => {
    if (code !== 0) fallBack(new Error(`the checkpoint thread exited with code ${code}`));
  });

  return {
    ready,
    last: () => last,
    running: () => running,
    checkpoint: () => {
      if (!running) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        asked.push(resolve);
        worker.postMessage('pass');
      });
    },
    stop: async () => {
      // Referenced until it has ended: a shutdown awaiting it must not see the event loop run dry.
      worker.ref();
      if (running) {
        running = false;
        worker.postMessage('stop');
      }
      await exited;
      for (const answer of asked.splice(0)) answer(undefined);
    },
  };
}

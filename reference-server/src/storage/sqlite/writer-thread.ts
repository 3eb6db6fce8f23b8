/**
 * The ingest writer's thread (see writer.ts): a connection of its own to the database file. The writes
 * that are waiting when it gets to them share IMMEDIATE transactions of at most `maxBatch` writes
 * (commitTogether, as the main thread's group commit), and the answers of each go back as soon as it
 * has committed, so the main thread answers the first requests while later ones are being written.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { commitTogether } from './group-commit.js';
import { runIngestWrite, statementCache, type IngestWrite } from './ingest.js';
import type { WriterAnswer, WriterReply, WriterRequest } from './writer.js';

const port = parentPort;
if (port === null) throw new Error('writer-thread.ts runs as a worker thread');
const { file, autocheckpoint, maxBatch } = workerData as {
  file: string;
  autocheckpoint: number;
  maxBatch: number;
};

const db = new Database(file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
db.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
const prep = statementCache(db);

const queue: (readonly [number, IngestWrite])[] = [];
let scheduled = false;

/** Commits one batch and answers it; yields to the port between batches (new writes join the queue). */
const flush = () => {
  scheduled = false;
  const batch = queue.splice(0, maxBatch);
  if (batch.length === 0) return;
  const settled = commitTogether(
    db,
    batch.map(
      ([, w]) =>
        () =>
          runIngestWrite(prep, w),
    ),
  );
  const answers = batch.map(([id], i): WriterAnswer => {
    const r = settled[i];
    if (r?.ok === true) return { id, stored: r.value };
    const e = r?.error instanceof Error ? r.error : new Error(String(r?.error));
    return { id, failed: { name: e.name, message: e.message, code: (e as { code?: string }).code } };
  });
  port.postMessage({ kind: 'answers', answers } satisfies WriterReply);
  if (queue.length > 0) schedule();
};
const schedule = () => {
  if (scheduled) return;
  scheduled = true;
  setImmediate(flush);
};

port.on('message', (m: WriterRequest) => {
  if (m.kind === 'writes') {
    queue.push(...m.writes);
    schedule();
  } else if (m.kind === 'autocheckpoint') db.pragma(`wal_autocheckpoint = ${m.pages}`);
  else if (m.kind === 'stop') {
    while (queue.length > 0) flush();
    db.close();
    port.close();
  }
});
port.postMessage({ kind: 'ready' } satisfies WriterReply);

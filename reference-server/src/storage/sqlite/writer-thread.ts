/**
 * The ingest writer's thread (see writer.ts): a connection of its own to the database file, and the
 * same group commit as the main thread (group-commit.ts), so the writes that arrive together share
 * one IMMEDIATE transaction. Each write is answered after COMMIT.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { groupCommit } from './group-commit.js';
import { runIngestWrite, statementCache, type IngestWrite } from './ingest.js';
import type { WriterReply, WriterRequest } from './writer.js';

const port = parentPort;
if (port === null) throw new Error('writer-thread.ts runs as a worker thread');
const { file, autocheckpoint, commitWindowMs } = workerData as {
  file: string;
  autocheckpoint: number;
  commitWindowMs: number;
};

const db = new Database(file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
db.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
const prep = statementCache(db);
const commit = groupCommit(db, { windowMs: commitWindowMs });
const reply = (r: WriterReply) => port.postMessage(r);

const write = (id: number, w: IngestWrite) => {
  commit(() => runIngestWrite(prep, w)).then(
    (stored) => reply({ kind: 'stored', id, stored }),
    (err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      reply({ kind: 'failed', id, name: e.name, message: e.message, code: (e as { code?: string }).code });
    },
  );
};

port.on('message', (m: WriterRequest) => {
  if (m.kind === 'write') write(m.id, m.write);
  else if (m.kind === 'autocheckpoint') db.pragma(`wal_autocheckpoint = ${m.pages}`);
  else if (m.kind === 'stop') {
    commit.flush();
    // The answers of the last batch are posted from promise callbacks: let them run first.
    setImmediate(() => {
      db.close();
      port.close();
    });
  }
});
reply({ kind: 'ready' });

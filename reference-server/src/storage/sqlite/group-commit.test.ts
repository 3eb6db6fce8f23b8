import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupCommit } from './group-commit.js';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL CHECK (v >= 0)) STRICT');
});
afterEach(() => db.close());

const insert = (k: string, v: number) => () =>
  db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run(k, v).changes;
const rows = () => db.prepare('SELECT k, v FROM t ORDER BY k').all();

describe('group commit (SQLite)', () => {
  it('commits the writes of one turn of the event loop in one transaction, acknowledged after COMMIT', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'group-commit-'));
    const a = new Database(path.join(dir, 'db.sqlite'));
    a.pragma('journal_mode = WAL');
    a.exec('CREATE TABLE t (k TEXT PRIMARY KEY) STRICT');
    // A second connection sees only committed rows.
    const reader = new Database(path.join(dir, 'db.sqlite'), { readonly: true });
    const committed = () => (reader.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;
    try {
      const commit = groupCommit(a);
      const seen: number[] = [];
      const write = (k: string) => () => {
        seen.push(committed());
        return a.prepare('INSERT INTO t (k) VALUES (?)').run(k).changes;
      };
      const acknowledged = Promise.all(['a', 'b', 'c', 'd'].map((k) => commit(write(k))));
      expect(committed()).toBe(0);
      expect(await acknowledged).toEqual([1, 1, 1, 1]);
      // Each write ran before any of the others was committed: one shared transaction.
      expect(seen).toEqual([0, 0, 0, 0]);
      expect(committed()).toBe(4);
      await commit(write('e'));
      expect(seen.at(-1)).toBe(4);
      expect(committed()).toBe(5);
      expect(commit.pending()).toBe(0);
    } finally {
      reader.close();
      a.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rolls back a failing write alone; the others of the batch are stored', async () => {
    const commit = groupCommit(db);
    const outcomes = await Promise.allSettled([
      commit(insert('a', 1)),
      commit(() => {
        insert('b', 2)();
        throw new Error('rejected after a partial write');
      }),
      commit(insert('c', -1)), // violates the CHECK constraint
      commit(insert('d', 4)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toContain('partial write');
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toContain('CHECK constraint');
    // Nothing of the failed writes remains, not even the row written before the throw.
    expect(rows()).toEqual([
      { k: 'a', v: 1 },
      { k: 'd', v: 4 },
    ]);
  });

  it('rejects every write of a batch whose shared commit fails, and stores none of them', async () => {
    // Another connection holds the write lock: BEGIN IMMEDIATE cannot start.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'group-commit-'));
    const file = path.join(dir, 'db.sqlite');
    const a = new Database(file, { timeout: 0 });
    const b = new Database(file, { timeout: 0 });
    try {
      a.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL) STRICT');
      const locked = groupCommit(a);
      b.exec('BEGIN IMMEDIATE');
      const outcomes = await Promise.allSettled([
        locked(() => a.prepare("INSERT INTO t VALUES ('x', 1)").run()),
        locked(() => a.prepare("INSERT INTO t VALUES ('y', 2)").run()),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
      expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/locked|busy/i);
      b.exec('ROLLBACK');
      expect(a.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
      // The next batch goes through once the lock is free.
      await locked(() => a.prepare("INSERT INTO t VALUES ('z', 3)").run());
      expect(a.prepare('SELECT k FROM t').all()).toEqual([{ k: 'z' }]);
    } finally {
      a.close();
      b.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('flushes pending writes on demand (before the database closes)', async () => {
    const commit = groupCommit(db);
    const p = commit(insert('a', 1));
    expect(commit.pending()).toBe(1);
    commit.flush();
    expect(commit.pending()).toBe(0);
    expect(rows()).toEqual([{ k: 'a', v: 1 }]);
    await expect(p).resolves.toBe(1);
  });

  it('splits a long queue into batches of at most maxBatch writes', async () => {
    const commit = groupCommit(db, { maxBatch: 3 });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => commit(insert(`k${i}`, i))));
    expect(results).toEqual(Array(8).fill(1));
    expect(rows()).toHaveLength(8);
  });
});

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pgGroupCommit } from './group-commit.js';
import { pgAdmin } from '../../../test/pg.js';

// On the machine's PostgreSQL, in a database of this run.
const dbName = `ioc_group_commit_${randomBytes(4).toString('hex')}`;
let pool: pg.Pool;
let reader: pg.Client;

beforeAll(async () => {
  await pgAdmin(`CREATE DATABASE ${dbName}`);
  const url = `postgres://postgres@127.0.0.1:5432/${dbName}`;
  pool = new pg.Pool({ connectionString: url, max: 4 });
  reader = new pg.Client({ connectionString: url });
  await reader.connect();
  await reader.query('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL CHECK (v >= 0))');
});
afterAll(async () => {
  await reader?.end();
  await pool?.end();
  await pgAdmin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
});
beforeEach(async () => {
  await reader.query('TRUNCATE t');
});

const committed = async () => Number((await reader.query('SELECT count(*) AS n FROM t')).rows[0].n);
const rows = async () => (await reader.query('SELECT k, v FROM t ORDER BY k')).rows as unknown[];

describe('group commit (PostgreSQL)', () => {
  it('shares one transaction among the writes queued together, acknowledged after COMMIT', async () => {
    const commit = pgGroupCommit(pool);
    const seen: number[] = [];
    const write = (k: string) => async (c: pg.PoolClient) => {
      // Another connection sees only what is committed.
      seen.push(await committed());
      return (await c.query('INSERT INTO t (k, v) VALUES ($1, 1)', [k])).rowCount;
    };
    const acknowledged = Promise.all(['a', 'b', 'c', 'd'].map((k) => commit(write(k))));
    expect(commit.pending()).toBe(4);
    expect(await acknowledged).toEqual([1, 1, 1, 1]);
    expect(seen).toEqual([0, 0, 0, 0]);
    expect(await committed()).toBe(4);
    expect(commit.pending()).toBe(0);
  });

  it('queues the writes arriving during a commit into the next shared transaction', async () => {
    const commit = pgGroupCommit(pool);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const first = commit(async (c) => {
      await gate;
      return (await c.query("INSERT INTO t VALUES ('first', 1)")).rowCount;
    });
    await new Promise((r) => setTimeout(r, 20));
    // These arrive while the first transaction is still open.
    const later = Promise.all(
      ['x', 'y'].map((k) => commit((c) => c.query('INSERT INTO t VALUES ($1, 2)', [k]))),
    );
    expect(commit.pending()).toBe(3);
    release();
    await first;
    await later;
    expect(await rows()).toEqual([
      { k: 'first', v: 1 },
      { k: 'x', v: 2 },
      { k: 'y', v: 2 },
    ]);
    await commit.drained();
    expect(commit.pending()).toBe(0);
  });

  it('rejects a failing write alone, with nothing of it stored; the others of the batch are stored', async () => {
    const commit = pgGroupCommit(pool);
    const outcomes = await Promise.allSettled([
      commit((c) => c.query("INSERT INTO t VALUES ('a', 1)")),
      commit(async (c) => {
        await c.query("INSERT INTO t VALUES ('b', 2)");
        throw new Error('rejected after a partial write');
      }),
      commit((c) => c.query("INSERT INTO t VALUES ('c', -1)")), // violates the CHECK constraint
      commit((c) => c.query("INSERT INTO t VALUES ('d', 4)")),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toContain('partial write');
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toContain('check constraint');
    expect(await rows()).toEqual([
      { k: 'a', v: 1 },
      { k: 'd', v: 4 },
    ]);
  });

  it('rolls back a single failing write and keeps serving the next ones', async () => {
    const commit = pgGroupCommit(pool);
    await expect(commit((c) => c.query("INSERT INTO t VALUES ('z', -5)"))).rejects.toThrow(
      /check constraint/,
    );
    await commit((c) => c.query("INSERT INTO t VALUES ('z', 5)"));
    expect(await rows()).toEqual([{ k: 'z', v: 5 }]);
  });

  it('retries the writes of a batch whose transaction broke one by one: only the failing one rejects', async () => {
    const events: string[] = [];
    const commit = pgGroupCommit(pool, {
      onBegin: () => events.push('begin'),
      onEnd: () => events.push('end'),
    });
    const outcomes = await Promise.allSettled([
      commit((c) => c.query("INSERT INTO t VALUES ('p', 1)")),
      // Ends the session's connection: the shared transaction cannot commit.
      commit((c) => c.query('SELECT pg_terminate_backend(pg_backend_pid())')),
      commit((c) => c.query("INSERT INTO t VALUES ('q', 1)")),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await rows()).toEqual([
      { k: 'p', v: 1 },
      { k: 'q', v: 1 },
    ]);
    // One shared attempt, then one transaction per write; every transaction begun was ended.
    expect(events).toEqual(['begin', 'end', 'begin', 'end', 'begin', 'end', 'begin', 'end']);
    // The pool replaced the broken connection; the next write goes through.
    await commit((c) => c.query("INSERT INTO t VALUES ('r', 1)"));
    expect(await rows()).toHaveLength(3);
  });
});

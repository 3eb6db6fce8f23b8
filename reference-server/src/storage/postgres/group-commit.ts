import type pg from 'pg';

const ignore = () => undefined;

interface Pending {
  readonly work: (c: pg.PoolClient) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

export interface PgGroupCommit {
  /**
   * Runs `work` in a transaction shared with the writes queued while the previous shared transaction
   * was committing, each in a savepoint of its own: a write that fails is rolled back alone and
   * rejects, the others commit. Resolves after the shared COMMIT, so what is acknowledged is stored.
   */
  <T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T>;
  /** Writes queued or in the transaction being committed. */
  readonly pending: () => number;
  /** Resolves when nothing is queued or committing (before the pool is closed). */
  readonly drained: () => Promise<void>;
}

/**
 * Group commit on PostgreSQL: ingest writes go through one transaction at a time, and all that arrive
 * while one commits form the next. Every write appends to the hash-chained audit log under one
 * advisory lock, so writes serialise anyway; sharing the transaction shares its round trips, its lock
 * hand-over and its WAL flush (the `fsync` of COMMIT) instead of paying for them per request.
 */
export function pgGroupCommit(pool: pg.Pool, options: { readonly maxBatch?: number } = {}): PgGroupCommit {
  const maxBatch = options.maxBatch ?? 128;
  let queue: Pending[] = [];
  let inFlight = 0;
  let running: Promise<void> | undefined;

  const runBatch = async (batch: readonly Pending[]) => {
    const outcomes: { ok: boolean; value: unknown }[] = [];
    let client: pg.PoolClient | undefined;
    let failed = false;
    try {
      client = await pool.connect();
      // A connection lost mid-batch fails the batch's queries; it must not crash the process.
      client.on('error', ignore);
      await client.query('BEGIN');
      for (const p of batch) {
        if (batch.length === 1) {
          // Alone in its transaction: no savepoint needed, a failure rolls the whole back.
          outcomes.push({ ok: true, value: await p.work(client) });
          continue;
        }
        await client.query('SAVEPOINT group_write');
        try {
          const value = await p.work(client);
          await client.query('RELEASE SAVEPOINT group_write');
          outcomes.push({ ok: true, value });
        } catch (err) {
          await client.query('ROLLBACK TO SAVEPOINT group_write');
          await client.query('RELEASE SAVEPOINT group_write');
          outcomes.push({ ok: false, value: err });
        }
      }
      await client.query('COMMIT');
    } catch (err) {
      // The shared transaction failed (connection lost, COMMIT refused …): nothing of it is stored.
      failed = true;
      await client?.query('ROLLBACK').catch(() => undefined);
      for (const p of batch) p.reject(err);
      return;
    } finally {
      client?.off('error', ignore);
      // After a failed transaction the connection may be broken: the pool opens a fresh one.
      client?.release(failed);
    }
    batch.forEach((p, i) => {
      const o = outcomes[i] as { ok: boolean; value: unknown };
      if (o.ok) p.resolve(o.value);
      else p.reject(o.value);
    });
  };

  const drain = async () => {
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      await runBatch(batch);
      inFlight -= batch.length;
    }
    running = undefined;
  };

  const submit = <T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      inFlight++;
      // Start on the next turn, so the writes of this turn of the event loop join the first batch.
      running ??= new Promise<void>((r) => setImmediate(r)).then(drain);
    });
  return Object.assign(submit, {
    pending: () => inFlight,
    drained: () => running ?? Promise.resolve(),
  });
}

import type pg from 'pg';

const ignore = () => undefined;

/**
 * Writes of one kind that can share statements: `run` performs all of them at once (one INSERT for
 * every request's rows, one for their audit records …) and answers each, in order.
 */
export interface Combiner<P, T> {
  run(c: pg.PoolClient, payloads: readonly P[]): Promise<T[]>;
}

interface Pending {
  readonly work: (c: pg.PoolClient) => Promise<unknown>;
  /** Set when the write can be combined with its neighbours of the same combiner. */
  readonly combine?: { readonly combiner: Combiner<unknown, unknown>; readonly payload: unknown };
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

export interface PgGroupCommit {
  /**
   * Runs `work` in a transaction shared with the writes queued while the previous shared transaction
   * was committing. A write that fails rejects alone: the batch is then retried write by write, so the
   * others still commit. Resolves after COMMIT, so what is acknowledged is stored. `work` may run
   * twice (after a rolled-back attempt) and must have no effect outside the transaction.
   */
  <T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T>;
  /**
   * Like the call itself, for a write that `combiner` can perform together with the other writes of the
   * same combiner queued next to it: their statements are shared, not only their transaction.
   */
  combined<P, T>(combiner: Combiner<P, T>, payload: P): Promise<T>;
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
export interface PgGroupCommitOptions {
  /** Writes per shared transaction at most. Default 128. */
  readonly maxBatch?: number;
  /** Called after BEGIN of each shared transaction (the storage caches the audit head per transaction). */
  readonly onBegin?: (c: pg.PoolClient) => void;
  /** Called when the transaction has ended, committed or not. */
  readonly onEnd?: (c: pg.PoolClient) => void;
}

export function pgGroupCommit(pool: pg.Pool, options: PgGroupCommitOptions = {}): PgGroupCommit {
  const maxBatch = options.maxBatch ?? 128;
  let queue: Pending[] = [];
  let inFlight = 0;
  let running: Promise<void> | undefined;

  /** One transaction for the batch; resolves with each write's outcome, or rejects when it failed. */
  const transaction = async (batch: readonly Pending[]): Promise<unknown[]> => {
    const values: unknown[] = [];
    let client: pg.PoolClient | undefined;
    let failed = false;
    try {
      client = await pool.connect();
      // A connection lost mid-batch fails the batch's queries; it must not crash the process.
      client.on('error', ignore);
      await client.query('BEGIN');
      options.onBegin?.(client);
      for (let i = 0; i < batch.length;) {
        const p = batch[i] as Pending;
        const combiner = p.combine?.combiner;
        if (combiner === undefined) {
          values.push(await p.work(client));
          i++;
          continue;
        }
        // The run of neighbours with the same combiner shares its statements.
        let j = i;
        while (j < batch.length && batch[j]?.combine?.combiner === combiner) j++;
        const out = await combiner.run(
          client,
          batch.slice(i, j).map((x) => x.combine?.payload),
        );
        if (out.length !== j - i) throw new Error('a combiner answered a different number of writes');
        values.push(...out);
        i = j;
      }
      await client.query('COMMIT');
      return values;
    } catch (err) {
      failed = true;
      await client?.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      if (client !== undefined) options.onEnd?.(client);
      client?.off('error', ignore);
      // After a failed transaction the connection may be broken: the pool opens a fresh one.
      client?.release(failed);
    }
  };

  const runBatch = async (batch: readonly Pending[]) => {
    try {
      const values = await transaction(batch);
      batch.forEach((p, i) => p.resolve(values[i]));
    } catch (err) {
      if (batch.length === 1) {
        (batch[0] as Pending).reject(err);
        return;
      }
      // Optimistic: writes rarely fail once validated, so a batch runs without savepoints. When one
      // fails, nothing of the batch is stored; each write is then retried in a transaction of its own,
      // so only the failing ones reject.
      for (const p of batch) await runBatch([p]);
    }
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

  const enqueue = (entry: Pending) => {
    queue.push(entry);
    inFlight++;
    // Start on the next turn, so the writes of this turn of the event loop join the first batch.
    running ??= new Promise<void>((r) => setImmediate(r)).then(drain);
  };
  const submit = <T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      enqueue({ work, resolve: resolve as (value: unknown) => void, reject });
    });
  const combined = <P, T>(combiner: Combiner<P, T>, payload: P): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      enqueue({
        // Alone (a retry after a failed batch), it runs as a combination of one.
        work: async (c) => (await combiner.run(c, [payload]))[0],
        combine: { combiner: combiner, payload },
        resolve: resolve as (value: unknown) => void,
        reject,
      });
    });
  return Object.assign(submit, {
    combined,
    pending: () => inFlight,
    drained: () => running ?? Promise.resolve(),
  });
}

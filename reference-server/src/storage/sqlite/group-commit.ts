import type Database from 'better-sqlite3';

interface Pending {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

export interface GroupCommit {
  /**
   * Runs `work` in a write transaction shared with the other writes submitted in the same turn of the
   * event loop, each in a savepoint of its own: a write that throws is rolled back alone and rejects,
   * the others commit. Resolves after the shared COMMIT, so what is acknowledged is stored.
   */
  <T>(work: () => T): Promise<T>;
  /** Writes submitted and not yet committed. */
  readonly pending: () => number;
  /** Commits what is pending now (before the database is closed). */
  readonly flush: () => void;
}

/**
 * Group commit for the embedded database: concurrent ingest requests share one IMMEDIATE transaction
 * (one WAL append and at most one checkpoint) instead of paying for a commit each. Under no load a
 * batch holds a single write and costs one `setImmediate` of latency.
 */
export function groupCommit(
  db: Database.Database,
  options: { readonly maxBatch?: number } = {},
): GroupCommit {
  const maxBatch = options.maxBatch ?? 256;
  let queue: Pending[] = [];
  let scheduled = false;

  const commitBatch = (batch: readonly Pending[]) => {
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      db.transaction(() => {
        for (const p of batch) {
          try {
            // A transaction function called inside another runs as a SAVEPOINT.
            outcomes.push({ ok: true, value: db.transaction(p.work)() });
          } catch (err) {
            outcomes.push({ ok: false, value: err });
          }
        }
      }).immediate();
    } catch (err) {
      // The shared commit failed: nothing of the batch is stored.
      for (const p of batch) p.reject(err);
      return;
    }
    batch.forEach((p, i) => {
      const o = outcomes[i] as { ok: boolean; value: unknown };
      if (o.ok) p.resolve(o.value);
      else p.reject(o.value);
    });
  };

  const flush = () => {
    scheduled = false;
    while (queue.length > 0) {
      const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
      queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
      commitBatch(batch);
    }
  };

  const submit = <T>(work: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
  return Object.assign(submit, { pending: () => queue.length, flush });
}

import type Database from 'better-sqlite3';

interface Pending {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

export interface GroupCommit {
  /**
   * Runs `work` in a write transaction shared with the other writes submitted in the same turn of the
   * event loop. A write that throws rejects alone: the batch is then retried write by write, so the
   * others still commit. Resolves after COMMIT, so what is acknowledged is stored. `work` may run twice
   * (after a rolled-back attempt) and must have no effect outside the database.
   */
  <T>(work: () => T): Promise<T>;
  /** Writes submitted and not yet committed. */
  readonly pending: () => number;
  /** Commits what is pending now (before the database is closed); a scheduled commit then finds none. */
  readonly flush: () => void;
}

/**
 * Group commit for the embedded database: concurrent ingest requests share one IMMEDIATE transaction
 * (one WAL append and at most one checkpoint) instead of paying for a commit each. Under no load a
 * batch holds a single write and costs one `setImmediate` of latency.
 */
export function groupCommit(
  db: Database.Database,
  options: {
    readonly maxBatch?: number;
    /**
     * Under load, commit at most once per this many ms: a write that comes within `windowMs` of the
     * last COMMIT waits for the rest of the window, so the writes of a busy period share fewer, larger
     * transactions (each page a batch touches is written to the WAL once, however many rows changed
     * it). A write after a quiet spell commits on the next turn as before. Default 0 (off).
     */
    readonly windowMs?: number;
  } = {},
): GroupCommit {
  const maxBatch = options.maxBatch ?? 256;
  const windowMs = options.windowMs ?? 0;
  let queue: Pending[] = [];
  let scheduled = false;
  let lastCommit = -Infinity;

  const commitBatch = (batch: readonly Pending[]): void => {
    let values: unknown[];
    try {
      values = db.transaction(() => batch.map((p) => p.work())).immediate();
    } catch (err) {
      if (batch.length === 1) {
        (batch[0] as Pending).reject(err);
        return;
      }
      // Optimistic: validated writes rarely fail, so a batch runs without savepoints. When one does,
      // nothing of the batch is stored; each write is then retried in a transaction of its own, so
      // only the failing ones reject.
      for (const p of batch) commitBatch([p]);
      return;
    }
    batch.forEach((p, i) => p.resolve(values[i]));
  };

  const flush = () => {
    scheduled = false;
    while (queue.length > 0) {
      const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
      queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
      commitBatch(batch);
    }
    lastCommit = performance.now();
  };

  const schedule = () => {
    scheduled = true;
    const wait = windowMs - (performance.now() - lastCommit);
    if (wait > 0) setTimeout(flush, wait);
    else setImmediate(flush);
  };

  const submit = <T>(work: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!scheduled) schedule();
    });
  return Object.assign(submit, { pending: () => queue.length, flush });
}

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

/** The outcome of one write of a shared transaction. */
export type Settled<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/**
 * Runs the writes in one IMMEDIATE transaction. Optimistic: validated writes rarely fail, so the batch
 * runs without savepoints; when one throws, nothing of the batch is stored and each write is retried
 * in a transaction of its own, so only the failing ones fail. A write may therefore run twice and must
 * have no effect outside the database.
 */
export function commitTogether<T>(db: Database.Database, works: readonly (() => T)[]): Settled<T>[] {
  try {
    const values = db.transaction(() => works.map((w) => w())).immediate();
    return values.map((value) => ({ ok: true, value }));
  } catch (error) {
    if (works.length === 1) return [{ ok: false, error }];
    return works.flatMap((w) => commitTogether(db, [w]));
  }
}

/**
 * Group commit for the embedded database: concurrent ingest requests share one IMMEDIATE transaction
 * (one WAL append) instead of paying for a commit each. Under no load a batch holds a single write and
 * costs one `setImmediate` of latency.
 */
export function groupCommit(
  db: Database.Database,
  options: { readonly maxBatch?: number } = {},
): GroupCommit {
  const maxBatch = options.maxBatch ?? 256;
  let queue: Pending[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    while (queue.length > 0) {
      const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
      queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
      commitTogether(
        db,
        batch.map((p) => p.work),
      ).forEach((r, i) => {
        const p = batch[i] as Pending;
        if (r.ok) p.resolve(r.value);
        else p.reject(r.error);
      });
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

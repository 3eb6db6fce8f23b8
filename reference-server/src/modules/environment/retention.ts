import type { Logger } from '../../logger.js';
import type { EnvironmentRepository, ReadingRollUp } from '../../storage/types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface ReadingRetentionOptions {
  readonly repo: EnvironmentRepository;
  readonly logger: Logger;
  /** Sub-hourly readings older than this many days are folded into hourly means. 0 keeps them all. */
  readonly rawRetentionDays: number;
  /** Milliseconds between rounds; 0 runs no timer (`runOnce()` still works). */
  readonly intervalMs: number;
  /** Raw rows per transaction (whole hours only). Default 5000. */
  readonly rowsPerTransaction?: number;
  readonly now?: () => Date;
}

export interface RetentionRound extends ReadingRollUp {
  /** Stations looked at. */
  readonly stations: number;
  /** Readings stamped at or before this instant were eligible. */
  readonly before: string;
}

/**
 * Retention of the stations' time series: raw readings (1-, 5-, 15-minute …) are kept for
 * `rawRetentionDays`, then folded into hourly means — the resolution VN_AQI is computed at — which
 * are kept. Each fold is one short transaction with its audit record; a round goes station by station.
 */
export class ReadingRetention {
  readonly #o: ReadingRetentionOptions;
  readonly #now: () => Date;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<RetentionRound | undefined> = Promise.resolve(undefined);
  #closed = false;

  constructor(options: ReadingRetentionOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => new Date());
    if (options.intervalMs > 0 && options.rawRetentionDays > 0) {
      this.#timer = setInterval(() => void this.#round(), options.intervalMs);
      this.#timer.unref();
    }
  }

  /** The instant up to which raw readings are folded now (a whole hour). */
  cutoff(): Date {
    const t = this.#now().getTime() - this.#o.rawRetentionDays * DAY;
    return new Date(Math.floor(t / HOUR) * HOUR);
  }

  /** One round over every station; rounds never overlap. */
  runOnce(): Promise<RetentionRound | undefined> {
    const run = this.#running.then(() => this.#run());
    this.#running = run.catch(() => undefined);
    return run;
  }

  #round(): Promise<void> {
    return this.runOnce().then(
      () => undefined,
      (err: unknown) =>
        this.#o.logger.warn('reading retention round failed', {
          error: err instanceof Error ? err.message : String(err),
        }),
    );
  }

  async #run(): Promise<RetentionRound | undefined> {
    if (this.#closed || this.#o.rawRetentionDays <= 0) return undefined;
    const before = this.cutoff();
    const stations = await this.#o.repo.listStations();
    const total = { hours: 0, removed: 0, kept: 0 };
    for (const station of stations) {
      for (;;) {
        if (this.#closed) break;
        const r = await this.#o.repo.rollUpReadings(
          station.id,
          before,
          this.#o.rowsPerTransaction ?? 5000,
          (outcome) => ({
            actor: 'system',
            action: 'environment.readings.rollup',
            subject: `station:${station.id}`,
            data: { ...outcome, before: before.toISOString(), retentionDays: this.#o.rawRetentionDays },
          }),
        );
        total.hours += r.hours;
        total.removed += r.removed;
        total.kept += r.kept;
        if (!r.more) break;
      }
    }
    if (total.hours > 0)
      this.#o.logger.info('raw readings rolled up into hourly means', {
        ...total,
        before: before.toISOString(),
      });
    return { ...total, stations: stations.length, before: before.toISOString() };
  }

  /** Stops the timer and waits for a round in progress (it stops between transactions). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    await this.#running;
  }
}

import { open, mkdir, readFile, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LgspError } from '../errors.js';

/** A JSON value a store can keep. */
export type StoreValue = null | boolean | number | string | StoreValue[] | { [key: string]: StoreValue };

/**
 * Durable key-value storage behind {@link DocumentOutbox} and {@link DocumentInbox}. A `set` or
 * `delete` must be durable when its promise resolves; values are JSON. Implement it over any
 * database to plug one in.
 */
export interface ExchangeStore {
  get(key: string): Promise<StoreValue | undefined>;
  set(key: string, value: StoreValue): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every entry whose key starts with `prefix`. */
  entries(prefix: string): Promise<Array<[string, StoreValue]>>;
  close(): Promise<void>;
}

function storeError(message: string, cause: unknown, details: Record<string, unknown>): LgspError {
  return new LgspError('STORE_FAILED', `${message} / lỗi kho lưu trữ`, { cause, details });
}

function copy(value: StoreValue): StoreValue {
  return JSON.parse(JSON.stringify(value)) as StoreValue;
}

/** A store in memory: for tests and for processes that may lose their queue on exit. */
export class MemoryStore implements ExchangeStore {
  private readonly map = new Map<string, string>();

  get(key: string): Promise<StoreValue | undefined> {
    const v = this.map.get(key);
    return Promise.resolve(v === undefined ? undefined : (JSON.parse(v) as StoreValue));
  }

  set(key: string, value: StoreValue): Promise<void> {
    this.map.set(key, JSON.stringify(value));
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.map.delete(key);
    return Promise.resolve();
  }

  entries(prefix: string): Promise<Array<[string, StoreValue]>> {
    const out: Array<[string, StoreValue]> = [];
    for (const [k, v] of this.map) if (k.startsWith(prefix)) out.push([k, JSON.parse(v) as StoreValue]);
    return Promise.resolve(out);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Options of {@link FileStore.open}. */
export interface FileStoreOptions {
  /** Rewrite the file once it holds this many lines and more than twice as many as live keys. Default 1000. */
  readonly compactAfterLines?: number;
  /** `fdatasync` after each batch of writes. Default true; turn off only for throwaway data. */
  readonly fsync?: boolean;
}

interface Pending {
  readonly line: string;
  readonly apply: () => void;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * A store in one file of JSON lines, appended to and `fdatasync`ed before a write resolves (writes
 * arriving together share one sync). On open, a torn last line (a crash during a write that was
 * therefore never acknowledged) is ignored and cut off; a bad line anywhere else fails with
 * `STORE_FAILED` rather than dropping data. The file is compacted (rewritten to a temporary file,
 * synced and renamed over the original) when most of its lines are superseded. One store per file:
 * `<path>.lock` holds the owner's pid, and a lock left by a process that died is taken over.
 */
export class FileStore implements ExchangeStore {
  private readonly map = new Map<string, StoreValue>();
  private readonly queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private handle: FileHandle | undefined;
  private size = 0;
  private lines = 0;
  private closed = false;
  private locked = false;
  /** Lines dropped from the end of the file when it was opened (0 or 1). */
  tornLines = 0;

  private constructor(
    readonly path: string,
    private readonly compactAfter: number,
    private readonly fsync: boolean,
  ) {}

  /** Opens (or creates) the store file, replaying its lines. */
  static async open(path: string, options: FileStoreOptions = {}): Promise<FileStore> {
    const store = new FileStore(path, options.compactAfterLines ?? 1000, options.fsync ?? true);
    await store.load();
    return store;
  }

  /**
   * Takes `<path>.lock` (holding the pid): a second store on the same file, in this process or a live
   * other one, is refused; a lock left by a dead process is taken over.
   */
  private async lock(): Promise<void> {
    const lockPath = `${this.path}.lock`;
    for (let tries = 0; tries < 2; tries++) {
      try {
        await writeFile(lockPath, String(process.pid), { flag: 'wx' });
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new LgspError(
          'STORE_FAILED',
          `${this.path} is in use by process ${holder} (one store per file) / tệp đang được tiến trình ${holder} sử dụng`,
          { details: { path: this.path, reason: 'locked', pid: holder } },
        );
      }
      await rm(lockPath, { force: true });
    }
    throw new LgspError('STORE_FAILED', `cannot lock ${this.path} / không khóa được tệp`, {
      details: { path: this.path, reason: 'locked' },
    });
  }

  private async load(): Promise<void> {
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await this.lock();
      this.locked = true;
      await rm(`${this.path}.compact`, { force: true });
      let text = '';
      let created = false;
      try {
        text = await readFile(this.path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        created = true;
      }
      const parts = text.split('\n');
      // The part after the last newline was never completed.
      const tail = parts.pop() ?? '';
      if (tail !== '') this.tornLines = 1;
      let good = 0;
      for (let i = 0; i < parts.length; i++) {
        const line = parts[i] as string;
        const lineBytes = Buffer.byteLength(line) + 1;
        if (line === '') {
          good += lineBytes;
          continue;
        }
        let record: { k?: unknown; v?: StoreValue; d?: unknown };
        try {
          record = JSON.parse(line) as typeof record;
          if (typeof record.k !== 'string') throw new Error('no key');
        } catch (error) {
          if (i === parts.length - 1 && tail === '') {
            this.tornLines = 1;
            break;
          }
          throw storeError(`${this.path}: line ${i + 1} is not a store record`, error, {
            path: this.path,
            line: i + 1,
          });
        }
        if (record.d === true) this.map.delete(record.k);
        else this.map.set(record.k, record.v ?? null);
        this.lines++;
        good += lineBytes;
      }
      this.handle = await open(this.path, 'a');
      if (this.tornLines > 0) {
        await this.handle.truncate(good);
        await this.handle.datasync();
      }
      this.size = good;
      if (created) await syncDir(dirname(this.path));
    } catch (error) {
      await this.handle?.close().catch(() => undefined);
      if (this.locked) await rm(`${this.path}.lock`, { force: true }).catch(() => undefined);
      if (error instanceof LgspError) throw error;
      throw storeError(`cannot open ${this.path}`, error, { path: this.path });
    }
  }

  get(key: string): Promise<StoreValue | undefined> {
    const v = this.map.get(key);
    return Promise.resolve(v === undefined ? undefined : copy(v));
  }

  set(key: string, value: StoreValue): Promise<void> {
    const stored = copy(value);
    return this.write(JSON.stringify({ k: key, v: stored }), () => this.map.set(key, stored));
  }

  delete(key: string): Promise<void> {
    return this.write(JSON.stringify({ k: key, d: true }), () => this.map.delete(key));
  }

  entries(prefix: string): Promise<Array<[string, StoreValue]>> {
    const out: Array<[string, StoreValue]> = [];
    for (const [k, v] of this.map) if (k.startsWith(prefix)) out.push([k, copy(v)]);
    return Promise.resolve(out);
  }

  /** Waits for pending writes, then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.flushing !== undefined) await this.flushing;
    await this.handle?.close();
    this.handle = undefined;
    await rm(`${this.path}.lock`, { force: true });
  }

  private write(line: string, apply: () => void): Promise<void> {
    if (this.closed) {
      return Promise.reject(
        new LgspError('CLOSED', `${this.path} is closed / kho đã đóng`, { details: { path: this.path } }),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line: `${line}\n`, apply, resolve, reject });
      this.kick();
    });
  }

  /** Starts the writer unless it runs; it restarts itself for lines queued while it was finishing. */
  private kick(): void {
    if (this.flushing !== undefined) return;
    this.flushing = (async () => {
      try {
        await this.flush();
      } finally {
        this.flushing = undefined;
        if (this.queue.length > 0) this.kick();
      }
    })();
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      const handle = this.handle;
      const data = Buffer.from(batch.map((p) => p.line).join(''));
      try {
        if (handle === undefined) throw new Error('the file is not open');
        await handle.write(data);
        if (this.fsync) await handle.datasync();
      } catch (error) {
        // Cut a partial write off so that the next append starts on a line boundary.
        await handle?.truncate(this.size).catch(() => undefined);
        const failure = storeError(`cannot write ${this.path}`, error, { path: this.path });
        for (const p of batch) p.reject(failure);
        continue;
      }
      this.size += data.byteLength;
      this.lines += batch.length;
      for (const p of batch) {
        p.apply();
        p.resolve();
      }
      if (this.lines > this.compactAfter && this.lines > 2 * this.map.size) await this.compact();
    }
  }

  /** Rewrites the live entries to a temporary file and renames it over the store. */
  private async compact(): Promise<void> {
    const tmp = `${this.path}.compact`;
    try {
      const out = await open(tmp, 'w');
      try {
        const lines = [...this.map].map(([k, v]) => `${JSON.stringify({ k, v })}\n`).join('');
        await out.write(lines);
        await out.datasync();
      } finally {
        await out.close();
      }
      await this.handle?.close();
      this.handle = undefined;
      await rename(tmp, this.path);
      await syncDir(dirname(this.path));
      this.handle = await open(this.path, 'a');
      this.size = (await this.handle.stat()).size;
      this.lines = this.map.size;
    } catch {
      // The log is still valid; compaction is tried again after the next write.
      await rm(tmp, { force: true }).catch(() => undefined);
      this.handle ??= await open(this.path, 'a').catch(() => undefined);
    }
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms cannot open or sync a directory; the rename itself is still atomic.
  }
}

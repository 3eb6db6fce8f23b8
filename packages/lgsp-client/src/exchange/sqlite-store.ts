import { LgspError } from '../errors.js';
import { closedError } from './common.js';
import type { ExchangeStore, StoreValue } from './store.js';

/** The statement methods {@link SqliteStore} uses (as in `better-sqlite3`). */
export interface SqliteStatement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/**
 * The database methods {@link SqliteStore} uses: a synchronous SQLite handle such as a `better-sqlite3`
 * `Database` (or Node.js's `node:sqlite` `DatabaseSync` where available).
 */
export interface SqliteDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): SqliteStatement;
  close(): unknown;
}

/** Options of {@link SqliteStore.open}. */
export interface SqliteStoreOptions {
  /** Table holding the entries (created if missing). Default `lgsp_exchange`. */
  readonly table?: string;
  /** Close the database with the store. Default true. */
  readonly closeDatabase?: boolean;
}

function failed(message: string, cause: unknown): LgspError {
  return new LgspError('STORE_FAILED', `${message} / lỗi kho lưu trữ SQLite`, { cause });
}

/**
 * A store in a SQLite table, for deployments that already run SQLite. This package does not depend on
 * a SQLite driver: open the database yourself (e.g. `new Database('exchange.sqlite')` from
 * `better-sqlite3`) and pass it. Each write is its own transaction; `PRAGMA synchronous = FULL` is set so
 * a committed write survives a power loss. Values are stored as JSON text.
 */
export class SqliteStore implements ExchangeStore {
  private closed = false;
  private readonly getStmt: SqliteStatement;
  private readonly setStmt: SqliteStatement;
  private readonly deleteStmt: SqliteStatement;
  private readonly entriesStmt: SqliteStatement;

  private constructor(
    private readonly db: SqliteDatabase,
    private readonly closeDatabase: boolean,
    table: string,
  ) {
    db.exec('PRAGMA synchronous = FULL');
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (k TEXT PRIMARY KEY NOT NULL, v TEXT NOT NULL)`);
    this.getStmt = db.prepare(`SELECT v FROM ${table} WHERE k = ?`);
    this.setStmt = db.prepare(
      `INSERT INTO ${table} (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v`,
    );
    this.deleteStmt = db.prepare(`DELETE FROM ${table} WHERE k = ?`);
    this.entriesStmt = db.prepare(
      `SELECT k, v FROM ${table} WHERE substr(k, 1, length(?)) = ? ORDER BY rowid`,
    );
  }

  /** Prepares the table of `database` and returns a store over it. */
  static open(database: SqliteDatabase, options: SqliteStoreOptions = {}): SqliteStore {
    const table = options.table ?? 'lgsp_exchange';
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(table)) {
      throw new LgspError('CONFIG_INVALID', `invalid table name "${table}"`, { details: { table } });
    }
    try {
      return new SqliteStore(database, options.closeDatabase ?? true, table);
    } catch (error) {
      throw failed(`cannot prepare the table ${table}`, error);
    }
  }

  get(key: string): Promise<StoreValue | undefined> {
    return this.run(() => {
      const row = this.getStmt.get(key) as { v: string } | undefined;
      return row === undefined ? undefined : (JSON.parse(row.v) as StoreValue);
    });
  }

  set(key: string, value: StoreValue): Promise<void> {
    return this.run(() => {
      this.setStmt.run(key, JSON.stringify(value));
    });
  }

  delete(key: string): Promise<void> {
    return this.run(() => {
      this.deleteStmt.run(key);
    });
  }

  entries(prefix: string): Promise<Array<[string, StoreValue]>> {
    return this.run(() =>
      (this.entriesStmt.all(prefix, prefix) as { k: string; v: string }[]).map((r): [string, StoreValue] => [
        r.k,
        JSON.parse(r.v) as StoreValue,
      ]),
    );
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    try {
      if (this.closeDatabase) this.db.close();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(failed('cannot close the database', error));
    }
  }

  private run<T>(fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(closedError('store'));
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(failed('a SQLite statement failed', error));
    }
  }
}

/** What every storage back end offers the server. Domain repositories are added per module. */
export interface Storage {
  /** Which implementation this is. */
  readonly kind: 'sqlite' | 'postgres';
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  /** Highest applied schema migration. */
  schemaVersion(): Promise<number>;
  /** Releases connections and file handles. Safe to call twice. */
  close(): Promise<void>;
}

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** SQL run inside one transaction. */
  readonly sql: string;
}

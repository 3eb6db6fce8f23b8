/** What every storage back end offers the server. Domain repositories are added per module. */
export interface Storage {
  /** Which implementation this is. */
  readonly kind: 'sqlite' | 'postgres';
  /** The append-only, hash-chained audit log of every write. */
  readonly audit: AuditLog;
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

/** JSON values only: what can be hashed and stored identically by every back end. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** What a caller records about one write. */
export interface AuditInput {
  /** Who did it: a user id, a machine client id, or `system`. */
  readonly actor: string;
  /** What was done, e.g. `kpi.observation.create`, `alert.acknowledge`. */
  readonly action: string;
  /** What it was done to, e.g. `observation:7f3c…`. */
  readonly subject: string;
  /** Details of the change (no secrets). */
  readonly data?: JsonValue;
}

/** One stored audit record. `hash` covers every other field and the previous record's hash. */
export interface AuditEntry {
  readonly seq: number;
  /** ISO 8601 instant with offset. */
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly data: JsonValue;
  readonly prevHash: string;
  readonly hash: string;
}

export type AuditVerification =
  | { readonly ok: true; readonly entries: number; readonly head: string }
  | {
      readonly ok: false;
      readonly entries: number;
      /** Sequence number of the first record that does not verify. */
      readonly brokenAt: number;
      readonly reason: 'hash-mismatch' | 'chain-broken' | 'sequence-gap';
    };

export interface AuditLog {
  /** Appends one record; concurrent appends (also from other instances) are serialised. */
  append(input: AuditInput): Promise<AuditEntry>;
  /** Records in sequence order, after `afterSeq` (exclusive), at most `limit` (default 100, max 1000). */
  list(options?: { readonly afterSeq?: number; readonly limit?: number }): Promise<AuditEntry[]>;
  /** Recomputes the whole chain. */
  verify(): Promise<AuditVerification>;
}

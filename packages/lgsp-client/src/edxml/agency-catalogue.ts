import { isLgspError } from '../errors.js';
import { parseAgencyCode, type AgencyCode } from './agency.js';

/** One agency as listed by a catalogue source (getAgenciesList, a dmdc catalogue, a file). */
export interface AgencyEntry {
  readonly code: string;
  readonly name: string;
}

/** An agency of the catalogue: its parsed code and its name. */
export interface AgencyRecord extends AgencyCode {
  readonly name: string;
}

/** An entry the catalogue refused, with the reason. */
export interface RejectedAgencyEntry {
  readonly entry: AgencyEntry;
  readonly reason: string;
}

/**
 * The agencies known to this deployment, indexed by code, with their hierarchy. Build it from the
 * platform's own list (no agency code is hard-coded in this package). Entries whose code does not
 * parse are kept aside in `rejected` rather than failing the whole load; duplicates keep the last name.
 */
export class AgencyCatalogue {
  private readonly byCode = new Map<string, AgencyRecord>();
  private readonly byParent = new Map<string, AgencyRecord[]>();
  readonly rejected: RejectedAgencyEntry[] = [];

  private constructor() {}

  /** Builds a catalogue from entries already in memory. */
  static from(entries: Iterable<AgencyEntry>): AgencyCatalogue {
    const catalogue = new AgencyCatalogue();
    for (const entry of entries) catalogue.add(entry);
    catalogue.index();
    return catalogue;
  }

  /** Builds a catalogue from a (paged) source, e.g. `client.paginate({ context: 'dmdc_…', … })`. */
  static async load(entries: AsyncIterable<AgencyEntry> | Iterable<AgencyEntry>): Promise<AgencyCatalogue> {
    const catalogue = new AgencyCatalogue();
    for await (const entry of entries) catalogue.add(entry);
    catalogue.index();
    return catalogue;
  }

  get size(): number {
    return this.byCode.size;
  }

  /** The agency with this code (whitespace and case are normalized), if listed. */
  get(code: string): AgencyRecord | undefined {
    return this.byCode.get(code.trim().toUpperCase());
  }

  /** Agencies listed directly below this one. */
  children(code: string): readonly AgencyRecord[] {
    return this.byParent.get(code.trim().toUpperCase()) ?? [];
  }

  /** The listed ancestors of an agency and the agency itself, from level 1 down. */
  path(code: string): readonly AgencyRecord[] {
    const self = this.get(code);
    if (self === undefined) return [];
    return self.chain.map((c) => this.byCode.get(c)).filter((r): r is AgencyRecord => r !== undefined);
  }

  private add(entry: AgencyEntry): void {
    try {
      const parsed = parseAgencyCode(entry.code);
      this.byCode.set(parsed.code, { ...parsed, name: entry.name.trim().normalize('NFC') });
    } catch (error) {
      if (!isLgspError(error)) throw error;
      this.rejected.push({ entry, reason: error.message });
    }
  }

  private index(): void {
    for (const record of this.byCode.values()) {
      if (record.parent === undefined) continue;
      const list = this.byParent.get(record.parent) ?? [];
      list.push(record);
      this.byParent.set(record.parent, list);
    }
    for (const list of this.byParent.values()) list.sort((a, b) => a.code.localeCompare(b.code));
  }
}

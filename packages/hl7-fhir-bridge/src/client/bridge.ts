import { hl7ToFhir } from '../fhir/map.js';
import type { MappingOptions } from '../fhir/types.js';
import type { ParseOptions } from '../er7/message.js';
import { MllpServer, type MllpServerOptions } from '../mllp/server.js';
import { InMemoryMessageStore, type MessageStore, type StoredMessage } from '../mllp/store.js';
import { FhirClient, type FhirClientOptions } from './fhir-client.js';
import { Outbox, type OutboxOptions } from './outbox.js';
import { InMemoryOutboxStore, type OutboxStore } from './outbox-store.js';

export interface BridgeOptions {
  /** The FHIR server: a client, or the options to make one. */
  readonly fhir: FhirClient | FhirClientOptions;
  /** Where received messages are kept before the ACK (default in memory; `FileMessageStore` to survive restarts). */
  readonly inbox?: MessageStore;
  /** Where mapped Bundles wait for the FHIR server (default in memory; `FileOutboxStore` to survive restarts). */
  readonly outboxStore?: OutboxStore;
  /** MLLP listener settings (port 0 by default). */
  readonly mllp?: Omit<MllpServerOptions, 'store'>;
  readonly mapping?: MappingOptions & { readonly parse?: ParseOptions };
  /** Outbox tuning (attempts, backoff, concurrency, events). */
  readonly outbox?: Omit<OutboxOptions, 'store' | 'client'>;
  /** Read `/metadata` at start and fail unless the server is FHIR R4 with transactions. Default false. */
  readonly checkCapabilities?: boolean;
}

/**
 * MLLP in, FHIR out: each message is put in the inbox, mapped with `hl7ToFhir` and its Bundle put
 * in the outbox, and only then acknowledged; the outbox delivers to the FHIR server in order per
 * patient, across outages and restarts. A message that cannot be mapped is still acknowledged
 * (it is durably kept) and becomes a dead letter with the mapping error.
 */
export class Hl7FhirBridge {
  private constructor(
    readonly server: MllpServer,
    readonly outbox: Outbox,
    readonly client: FhirClient,
  ) {}

  static async start(options: BridgeOptions): Promise<Hl7FhirBridge> {
    const client = options.fhir instanceof FhirClient ? options.fhir : new FhirClient(options.fhir);
    if (options.checkCapabilities === true) await client.capabilities();
    const outbox = await Outbox.open({
      ...options.outbox,
      store: options.outboxStore ?? new InMemoryOutboxStore(),
      client,
    });
    const inbox = options.inbox ?? new InMemoryMessageStore();
    const store: MessageStore = {
      async append(message: StoredMessage, signal: AbortSignal) {
        const result = await inbox.append(message, signal);
        // Also for a duplicate: a crash may have come between the inbox and the outbox.
        let mapped;
        try {
          mapped = hl7ToFhir(message.er7, options.mapping);
        } catch (error) {
          await outbox.reject({ id: message.key, error, source: message.er7 }, signal);
          return result;
        }
        await outbox.enqueue({ id: message.key, bundle: mapped.bundle }, signal);
        return result;
      },
    };
    let server: MllpServer;
    try {
      server = await MllpServer.listen({ ...options.mllp, store });
    } catch (err) {
      await outbox.close();
      throw err;
    }
    return new Hl7FhirBridge(server, outbox, client);
  }

  /** The MLLP port. */
  get port(): number {
    return this.server.port;
  }

  /** Stops receiving (in-flight messages are acknowledged), then stops the outbox; pending Bundles stay in its store. */
  async close(): Promise<void> {
    await this.server.close();
    await this.outbox.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

import { isHl7Error, type Hl7Error } from '../errors.js';
import { hl7ToFhir } from '../fhir/map.js';
import type { MappingOptions, TransactionBundle } from '../fhir/types.js';
import type { Hl7Message, ParseOptions } from '../er7/message.js';
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
 * patient, across outages and restarts. A message `hl7ToFhir` rejects (unsupported type, missing
 * PID…) is answered AR/CR with an ERR segment naming the segment and field, and is not stored; a
 * message that fails to map in any other way is acknowledged, kept, and becomes a dead letter with
 * the error.
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
    // Mapped by `validate` (so a message that cannot be mapped gets AR), used by the store right after.
    const mapped = new Map<string, TransactionBundle>();
    const keyOf = (m: Hl7Message) => `${m.get('MSH-3') ?? ''}^${m.get('MSH-4') ?? ''}^${m.controlId}`;
    const validate = (message: Hl7Message, remoteAddress: string): Hl7Error | undefined => {
      const invalid = options.mllp?.validate?.(message, remoteAddress);
      if (invalid !== undefined) return invalid;
      try {
        mapped.set(keyOf(message), hl7ToFhir(message, options.mapping).bundle);
        return undefined;
      } catch (err) {
        // Other failures are kept as dead letters by the store below.
        return isHl7Error(err) ? err : undefined;
      }
    };
    const store: MessageStore = {
      async append(message: StoredMessage, signal: AbortSignal) {
        const bundle = mapped.get(message.key);
        mapped.delete(message.key);
        const result = await inbox.append(message, signal);
        // Also for a duplicate: a crash may have come between the inbox and the outbox.
        if (bundle !== undefined) {
          await outbox.enqueue({ id: message.key, bundle }, signal);
          return result;
        }
        try {
          await outbox.enqueue(
            { id: message.key, bundle: hl7ToFhir(message.er7, options.mapping).bundle },
            signal,
          );
        } catch (error) {
          if (isHl7Error(error) && (error.code === 'STORE_FAILED' || error.code === 'OUTBOX_CLOSED'))
            throw error;
          await outbox.reject({ id: message.key, error, source: message.er7 }, signal);
        }
        return result;
      },
    };
    let server: MllpServer;
    try {
      server = await MllpServer.listen({ ...options.mllp, store, validate });
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

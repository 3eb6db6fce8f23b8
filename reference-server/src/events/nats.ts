import { jetstream, jetstreamManager, DeliverPolicy, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createLocalBus, eventJson, type LocalBusOptions } from './local.js';
import { EventBusError, type EventBus, type IocEvent } from './types.js';

export interface NatsBusOptions extends LocalBusOptions {
  /** `nats://host:port` */
  readonly url: string;
  /** JetStream stream name. Default `IOC_EVENTS`. */
  readonly stream?: string;
  /** Subject prefix; events go to `<prefix>.<type>`. Default `ioc`. */
  readonly subjectPrefix?: string;
  /** How long the stream keeps events. Default 24 h. */
  readonly maxAgeMs?: number;
  readonly onError?: (err: unknown) => void;
}

/**
 * Events shared by several server instances through a NATS JetStream stream. Each instance delivers
 * its own events locally at once and every other instance's events as they arrive; JetStream
 * de-duplicates re-published events by id.
 */
export async function createNatsBus(options: NatsBusOptions): Promise<EventBus> {
  const local = createLocalBus(options);
  const streamName = options.stream ?? 'IOC_EVENTS';
  const prefix = options.subjectPrefix ?? 'ioc';
  const nc: NatsConnection = await connect({
    servers: options.url.replace(/^nats:\/\//, ''),
    name: options.source,
  });
  let js: JetStreamClient;
  try {
    const jsm = await jetstreamManager(nc);
    const maxAgeMs = options.maxAgeMs ?? 86_400_000;
    const config = {
      name: streamName,
      subjects: [`${prefix}.>`],
      max_age: maxAgeMs * 1_000_000,
      // Re-publishing the same event id within this window is stored once.
      duplicate_window: Math.min(120_000, maxAgeMs) * 1_000_000,
    };
    try {
      await jsm.streams.info(streamName);
    } catch {
      await jsm.streams.add(config);
    }
    js = jetstream(nc);
  } catch (err) {
    await nc.close();
    throw err;
  }
  // The stream holds only this bus's subjects, so the ordered consumer needs no filter
  // (subject filters on ordered consumers need nats-server 2.10; 2.9 is still common).
  const consumer = await js.consumers.get(streamName, { deliver_policy: DeliverPolicy.New });
  const messages = await consumer.consume();
  const pump = (async () => {
    for await (const m of messages) {
      let event: IocEvent;
      try {
        event = m.json<IocEvent>();
      } catch (err) {
        options.onError?.(err);
        continue;
      }
      if (event.source !== options.source) local.deliver(event);
    }
  })().catch((err: unknown) => options.onError?.(err));

  let closed = false;
  return {
    transport: 'nats',
    source: options.source,
    async publish(type, data, opts = {}) {
      if (closed) throw new EventBusError('BUS_CLOSED', 'the event bus is closed');
      const event = local.create(type, data, opts.subject);
      await js.publish(`${prefix}.${type}`, JSON.stringify(event), { msgID: event.id });
      local.deliver(event);
      return event;
    },
    async publishAll(type, items) {
      if (closed) throw new EventBusError('BUS_CLOSED', 'the event bus is closed');
      const events = local.createAll(type, items);
      const json = events.map((e, i) => eventJson(e, items[i]?.json));
      // Sent together, acknowledged together; delivered locally in order once all are stored.
      await Promise.all(
        events.map((event, i) => js.publish(`${prefix}.${type}`, json[i] as string, { msgID: event.id })),
      );
      events.forEach((event, i) => local.deliver(event, json[i]));
      return events;
    },
    subscribe: (o) => local.subscribe(o),
    recent: (afterId, types) => local.recent(afterId, types),
    async close() {
      if (closed) return;
      closed = true;
      await local.close();
      await messages.close();
      await nc.drain();
      await pump;
    },
  };
}

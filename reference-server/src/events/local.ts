import { randomUUID } from 'node:crypto';
import type { JsonValue } from '../storage/types.js';
import {
  EVENT_TYPE,
  EventBusError,
  type EventBus,
  type IocEvent,
  type PublishItem,
  type SubscribeOptions,
} from './types.js';

export interface LocalBusOptions {
  readonly source: string;
  readonly now?: () => Date;
  readonly newId?: () => string;
  /** Events kept for `recent()` (SSE resume). Default 500. */
  readonly historySize?: number;
}

interface Subscriber {
  readonly types: ReadonlySet<string> | undefined;
  readonly limit: number;
  queue: IocEvent[];
  wake: (() => void) | undefined;
  ended: boolean;
  error: EventBusError | undefined;
}

/**
 * The in-process bus: fan-out to local subscribers with bounded buffers. A subscriber that falls
 * more than `bufferSize` events behind is cut off with SUBSCRIBER_OVERFLOW instead of growing memory
 * without bound (an SSE client then reconnects with Last-Event-ID).
 */
export interface LocalBus extends EventBus {
  /** Builds an event without delivering it. */
  create(type: string, data: JsonValue, subject?: string): IocEvent;
  /** Builds one event per item, in order, with one type check and one `time`. */
  createAll(type: string, items: readonly PublishItem[]): IocEvent[];
  /**
   * Delivers an already-built event (from this instance or from a transport) to local subscribers.
   * `json` is the event as JSON when the caller has it (see `eventJson`).
   */
  deliver(event: IocEvent, json?: string): void;
}

/**
 * The event as JSON, byte for byte `JSON.stringify(event)`, from its data already serialized as
 * `dataJson` (`JSON.stringify(event.data)`): the envelope's few fields are written around it.
 */
export function eventJson(event: IocEvent, dataJson?: string): string {
  if (dataJson === undefined) return JSON.stringify(event);
  const subject = event.subject === undefined ? '' : `,"subject":${JSON.stringify(event.subject)}`;
  return `{"specversion":"1.0","id":${JSON.stringify(event.id)},"source":${JSON.stringify(event.source)},"type":${JSON.stringify(event.type)},"time":${JSON.stringify(event.time)},"datacontenttype":"application/json"${subject},"data":${dataJson}}`;
}

export function createLocalBus(options: LocalBusOptions): LocalBus {
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? randomUUID;
  const historySize = options.historySize ?? 500;
  const subscribers = new Set<Subscriber>();
  // The last `historySize` events, as JSON in a ring: a string per event is one object for the garbage
  // collector to move, where the event itself is a dozen (its data, their strings) kept alive across
  // collections. Replays (an SSE reconnect) parse what they return.
  const history = new Array<
    { readonly id: string; readonly type: string; readonly json: string } | undefined
  >(Math.max(0, historySize));
  let written = 0;
  let closed = false;

  const end = (s: Subscriber, error?: EventBusError) => {
    s.ended = true;
    s.error = error;
    subscribers.delete(s);
    s.wake?.();
  };

  const bus: LocalBus = {
    transport: 'in-process',
    source: options.source,
    create(type, data, subject) {
      return bus.createAll(type, [subject === undefined ? { data } : { data, subject }])[0] as IocEvent;
    },
    createAll(type, items) {
      if (!EVENT_TYPE.test(type))
        throw new EventBusError('INVALID_EVENT_TYPE', `invalid event type "${type}"`);
      const time = now().toISOString();
      // Key order as `eventJson` writes it: `subject`, when there is one, comes before `data`.
      return items.map((item): IocEvent => ({
        specversion: '1.0',
        id: newId(),
        source: options.source,
        type,
        time,
        datacontenttype: 'application/json',
        ...(item.subject === undefined ? {} : { subject: item.subject }),
        data: item.data,
      }));
    },
    deliver(event, json) {
      if (historySize > 0) {
        history[written % historySize] = {
          id: event.id,
          type: event.type,
          json: json ?? JSON.stringify(event),
        };
        written++;
      }
      for (const s of subscribers) {
        if (s.types !== undefined && !s.types.has(event.type)) continue;
        if (s.queue.length >= s.limit) {
          end(
            s,
            new EventBusError('SUBSCRIBER_OVERFLOW', `subscriber fell more than ${s.limit} events behind`),
          );
          continue;
        }
        s.queue.push(event);
        s.wake?.();
      }
    },
    publish(type, data, opts = {}) {
      if (closed) return Promise.reject(new EventBusError('BUS_CLOSED', 'the event bus is closed'));
      try {
        const event = bus.create(type, data, opts.subject);
        bus.deliver(event);
        return Promise.resolve(event);
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    },
    publishAll(type, items) {
      if (closed) return Promise.reject(new EventBusError('BUS_CLOSED', 'the event bus is closed'));
      try {
        const events = bus.createAll(type, items);
        events.forEach((e, i) => bus.deliver(e, eventJson(e, items[i]?.json)));
        return Promise.resolve(events);
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    },
    subscribe(opts: SubscribeOptions = {}) {
      const s: Subscriber = {
        types: opts.types === undefined ? undefined : new Set(opts.types),
        limit: opts.bufferSize ?? 1000,
        queue: [],
        wake: undefined,
        ended: closed,
        error: undefined,
      };
      if (!closed) subscribers.add(s);
      const signal = opts.signal;
      const onAbort = () => end(s);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) end(s);
      return {
        [Symbol.asyncIterator](): AsyncIterator<IocEvent> {
          return {
            async next() {
              for (;;) {
                const e = s.queue.shift();
                if (e !== undefined) return { value: e, done: false };
                if (s.ended) {
                  signal?.removeEventListener('abort', onAbort);
                  if (s.error) throw s.error;
                  return { value: undefined, done: true };
                }
                await new Promise<void>((resolve) => (s.wake = resolve));
                s.wake = undefined;
              }
            },
            return() {
              end(s);
              signal?.removeEventListener('abort', onAbort);
              return Promise.resolve({ value: undefined, done: true });
            },
          };
        },
      };
    },
    recent(afterId, types) {
      const count = Math.min(written, historySize);
      const kept = Array.from(
        { length: count },
        (_, i) => history[(written - count + i) % historySize] as { id: string; type: string; json: string },
      );
      const start = afterId === undefined ? 0 : kept.findIndex((e) => e.id === afterId) + 1;
      return kept
        .slice(start)
        .filter((e) => types === undefined || types.includes(e.type))
        .map((e) => JSON.parse(e.json) as IocEvent);
    },
    close() {
      closed = true;
      for (const s of [...subscribers]) end(s);
      return Promise.resolve();
    },
  };
  return bus;
}

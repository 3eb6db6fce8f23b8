import type { JsonValue } from '../storage/types.js';

/** A CloudEvents 1.0 event in structured JSON mode, as published on the bus and streamed to browsers. */
export interface IocEvent {
  readonly specversion: '1.0';
  /** UUID; unique per event, used for de-duplication and `Last-Event-ID`. */
  readonly id: string;
  /** The publishing server instance, e.g. `urn:dttm:ioc:7f3c…`. */
  readonly source: string;
  /** Event type as named in `specs/asyncapi/ioc-events.yaml`, e.g. `kpi.alert.raised`. */
  readonly type: string;
  /** ISO 8601 instant. */
  readonly time: string;
  readonly datacontenttype: 'application/json';
  /** What the event is about, e.g. `alert:42`. */
  readonly subject?: string;
  readonly data: JsonValue;
}

/** One event of a `publishAll` batch. */
export interface PublishItem {
  readonly data: JsonValue;
  readonly subject?: string;
  /** `JSON.stringify(data)`, when the publisher has it already (the stored form of an observation). */
  readonly json?: string;
}

export interface SubscribeOptions {
  /** Only these event types; all when absent. */
  readonly types?: readonly string[];
  /** Ends the subscription. */
  readonly signal?: AbortSignal;
  /** Events buffered for a slow consumer before it is cut off. Default 1000. */
  readonly bufferSize?: number;
}

export interface EventBus {
  /** Which transport carries events between instances. */
  readonly transport: 'in-process' | 'nats';
  /** This instance's `source`. */
  readonly source: string;
  /** Publishes one event to every subscriber of every instance. */
  publish(type: string, data: JsonValue, options?: { readonly subject?: string }): Promise<IocEvent>;
  /**
   * Publishes one event of `type` per item, in order, stamped with the same `time`: what one write
   * stored (the observations of a batch, a station's readings). Each is an ordinary event to its
   * subscribers; the batch costs one call, one clock reading and, on NATS, one acknowledged round.
   */
  publishAll(type: string, items: readonly PublishItem[]): Promise<IocEvent[]>;
  /** Events from now on, as an async iterable that ends on abort, on `close()`, or throws on overflow. */
  subscribe(options?: SubscribeOptions): AsyncIterable<IocEvent>;
  /** Recent events seen by this instance after the one with `afterId` (all retained ones when unknown). */
  recent(afterId?: string, types?: readonly string[]): IocEvent[];
  close(): Promise<void>;
}

export class EventBusError extends Error {
  override readonly name = 'EventBusError';
  constructor(
    readonly code: 'INVALID_EVENT_TYPE' | 'SUBSCRIBER_OVERFLOW' | 'BUS_CLOSED',
    message: string,
  ) {
    super(message);
  }
}

export const EVENT_TYPE = /^[a-z][a-z0-9]*(\.[a-z][a-z0-9_-]*)+$/;

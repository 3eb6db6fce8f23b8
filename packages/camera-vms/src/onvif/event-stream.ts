import { CameraError, isCameraError, msg } from '../errors.js';
import type { CameraEvent } from '../events.js';
import { child, childrenNamed, descend, escapeXml, requireText, textAt, type XmlElement } from '../xml.js';
import type { CallOptions, CameraLogger, Clock, SoapResponse } from './client.js';
import {
  decodeNotification,
  mapOnvifNotification,
  notificationId,
  type OnvifNotification,
} from './notifications.js';
import { NS, referenceParameterHeaders, toDuration } from './soap.js';

export interface OnvifEventOptions {
  /** Topic expressions (ConcreteSet dialect), e.g. `tns1:RuleEngine//.`; joined with `|`. Default: all. */
  readonly topics?: readonly string[];
  /** Long-poll time of one PullMessages. Default 10 000 ms. */
  readonly pullTimeoutMs?: number;
  /** MessageLimit of one PullMessages. Default 64. */
  readonly messageLimit?: number;
  /** InitialTerminationTime / Renew duration. Default 60 000 ms. */
  readonly subscriptionTtlMs?: number;
  /** Call SetSynchronizationPoint after each (re)subscription to get the current property states. Default false. */
  readonly synchronize?: boolean;
  /** First reconnect delay (doubles up to `maxReconnectDelayMs`, with jitter). Default 250 ms. */
  readonly reconnectDelayMs?: number;
  /** Default 30 000 ms. */
  readonly maxReconnectDelayMs?: number;
  /** Ends the stream with `ABORTED`. */
  readonly signal?: AbortSignal;
  /** Receives notifications whose topic is outside the taxonomy. */
  readonly onUnmapped?: (notification: OnvifNotification) => void;
  /** Told about every reconnection or resubscription, with the reason. */
  readonly onReconnect?: (info: {
    readonly reason: string;
    readonly attempt: number;
    readonly error?: unknown;
  }) => void;
  /** Source of jitter in 0..1. Default `Math.random`. */
  readonly jitter?: () => number;
}

/** What the stream needs from its client. */
export interface EventStreamDeps {
  readonly cameraId: string;
  eventsUrl(options: CallOptions): Promise<string>;
  call(
    url: string,
    action: string,
    body: string,
    options: CallOptions & { readonly wsaTo?: boolean; readonly referenceParameters?: string },
  ): Promise<SoapResponse>;
  readonly clock: Clock;
  readonly logger?: CameraLogger;
  fixAddress(address: string): string;
  onClose(stream: OnvifEventStream): void;
}

interface Subscription {
  readonly address: string;
  /** SOAP header blocks echoing the subscription's `ReferenceParameters` (`''` when none). */
  readonly referenceParameters: string;
  /** Local-clock time after which the device has dropped the subscription. */
  expiresAt: number;
}

const PULL = `${NS.tev}/PullPointSubscription/PullMessagesRequest`;
const SYNC = `${NS.tev}/PullPointSubscription/SetSynchronizationPointRequest`;
const RENEW = 'http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/RenewRequest';
const UNSUBSCRIBE = 'http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/UnsubscribeRequest';
const CONCRETE_SET = 'http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet';
const SEEN_LIMIT = 4096;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function termination(el: XmlElement | undefined, now: number): number | undefined {
  const current = Date.parse(textAt(el, 'CurrentTime') ?? '');
  const term = Date.parse(textAt(el, 'TerminationTime') ?? '');
  if (!Number.isFinite(current) || !Number.isFinite(term)) return undefined;
  return now + (term - current);
}

/**
 * A pull-point event stream. Iterate it once with `for await`; `close()` unsubscribes and ends the
 * iteration normally; the `signal` option ends it with `ABORTED`.
 */
export class OnvifEventStream implements AsyncIterable<CameraEvent> {
  private readonly closer = new AbortController();
  private readonly signal: AbortSignal;
  private sub: Subscription | undefined;
  private iterated = false;
  private closed = false;
  private renewUnsupported = false;
  private readonly seen = new Map<string, true>();
  private readonly properties = new Map<string, string>();
  /** Number of (re)subscriptions made, for monitoring. */
  subscriptions = 0;

  constructor(
    private readonly deps: EventStreamDeps,
    private readonly options: OnvifEventOptions,
  ) {
    this.signal = options.signal ? AbortSignal.any([this.closer.signal, options.signal]) : this.closer.signal;
  }

  /** The current subscription manager address, when subscribed. */
  get subscriptionAddress(): string | undefined {
    return this.sub?.address;
  }

  private get ttl(): number {
    return this.options.subscriptionTtlMs ?? 60_000;
  }

  private async subscribe(): Promise<void> {
    const url = await this.deps.eventsUrl({ signal: this.signal }).catch((err: unknown) => {
      // A device that faults on both GetServices and GetCapabilities will not start to work on retry.
      if (isCameraError(err) && err.code === 'SOAP_FAULT') {
        throw new CameraError(
          'NOT_SUPPORTED',
          msg('the device does not describe its services', 'thiết bị không mô tả các dịch vụ'),
          {
            cause: err,
          },
        );
      }
      throw err;
    });
    const topics = this.options.topics ?? [];
    const filter =
      topics.length === 0
        ? ''
        : `<tev:Filter><wsnt:TopicExpression Dialect="${CONCRETE_SET}">${escapeXml(topics.join('|'))}</wsnt:TopicExpression></tev:Filter>`;
    const { body, text } = await this.deps
      .call(
        url,
        `${NS.tev}/EventPortType/CreatePullPointSubscriptionRequest`,
        `<tev:CreatePullPointSubscription>${filter}<tev:InitialTerminationTime>${toDuration(this.ttl)}</tev:InitialTerminationTime></tev:CreatePullPointSubscription>`,
        { signal: this.signal },
      )
      .catch((err: unknown) => {
        // Some devices advertise events but implement no pull point: retrying cannot help.
        if (
          isCameraError(err) &&
          err.code === 'SOAP_FAULT' &&
          /ActionNotSupported|NotImplemented/i.test(err.message)
        ) {
          throw new CameraError(
            'NOT_SUPPORTED',
            msg(
              'the device does not implement pull-point subscriptions',
              'thiết bị không hỗ trợ đăng ký pull-point',
            ),
            { cause: err },
          );
        }
        throw err;
      });
    const r = child(body, 'CreatePullPointSubscriptionResponse');
    const address = requireText(
      body,
      'CreatePullPointSubscriptionResponse',
      'SubscriptionReference',
      'Address',
    );
    const now = this.deps.clock.now();
    this.sub = {
      address: this.deps.fixAddress(address),
      referenceParameters: referenceParameterHeaders(
        descend(r, 'SubscriptionReference', 'ReferenceParameters'),
        text,
      ),
      expiresAt: termination(r, now) ?? now + this.ttl,
    };
    this.subscriptions++;
    if (this.options.synchronize) await this.synchronize();
  }

  /** Asks the device to resend the current state of every property (`Initialized` messages). */
  async synchronize(options: CallOptions = {}): Promise<void> {
    const sub = this.sub;
    if (!sub) throw new CameraError('CLOSED', msg('not subscribed', 'chưa đăng ký nhận sự kiện'));
    await this.deps.call(sub.address, SYNC, '<tev:SetSynchronizationPoint/>', {
      ...options,
      wsaTo: true,
      referenceParameters: sub.referenceParameters,
    });
  }

  private async renew(sub: Subscription): Promise<void> {
    try {
      const { body } = await this.deps.call(
        sub.address,
        RENEW,
        `<wsnt:Renew><wsnt:TerminationTime>${toDuration(this.ttl)}</wsnt:TerminationTime></wsnt:Renew>`,
        { signal: this.signal, wsaTo: true, referenceParameters: sub.referenceParameters },
      );
      const now = this.deps.clock.now();
      sub.expiresAt = termination(child(body, 'RenewResponse'), now) ?? now + this.ttl;
    } catch (err) {
      if (
        isCameraError(err) &&
        err.code === 'SOAP_FAULT' &&
        /ActionNotSupported|NotImplemented/i.test(err.message)
      ) {
        // Devices without BaseNotification keep the pull point alive through PullMessages.
        this.renewUnsupported = true;
        return;
      }
      throw err;
    }
  }

  private async pull(sub: Subscription): Promise<OnvifNotification[]> {
    const pullMs = this.options.pullTimeoutMs ?? 10_000;
    const limit = this.options.messageLimit ?? 64;
    const { body, text } = await this.deps.call(
      sub.address,
      PULL,
      `<tev:PullMessages><tev:Timeout>${toDuration(pullMs)}</tev:Timeout><tev:MessageLimit>${limit}</tev:MessageLimit></tev:PullMessages>`,
      {
        signal: this.signal,
        timeoutMs: pullMs + 10_000,
        wsaTo: true,
        referenceParameters: sub.referenceParameters,
      },
    );
    const r = child(body, 'PullMessagesResponse');
    if (!r) {
      throw new CameraError(
        'RESPONSE_INVALID',
        msg('missing PullMessagesResponse', 'thiếu PullMessagesResponse'),
        {
          details: { path: `${body.path}/PullMessagesResponse` },
        },
      );
    }
    const now = this.deps.clock.now();
    const exp = termination(r, now);
    if (exp !== undefined) sub.expiresAt = exp;
    const out: OnvifNotification[] = [];
    for (const m of childrenNamed(r, 'NotificationMessage')) {
      const n = decodeNotification(m, text);
      if (n) out.push(n);
    }
    return out;
  }

  /** Drops repeated deliveries and unchanged property states after a resubscription. */
  private accept(n: OnvifNotification, id: string): boolean {
    if (this.seen.has(id)) return false;
    this.seen.set(id, true);
    if (this.seen.size > SEEN_LIMIT) {
      const first = this.seen.keys().next().value;
      if (first !== undefined) this.seen.delete(first);
    }
    if (n.propertyOperation === undefined) return true;
    const key = `${n.topic}\u0000${JSON.stringify(n.source)}\u0000${JSON.stringify(n.key)}`;
    const value = JSON.stringify(n.data);
    if (n.propertyOperation === 'Deleted') {
      this.properties.delete(key);
      return true;
    }
    const previous = this.properties.get(key);
    this.properties.set(key, value);
    return !(n.propertyOperation === 'Initialized' && previous === value);
  }

  private backoff(attempt: number): number {
    const base = this.options.reconnectDelayMs ?? 250;
    const max = this.options.maxReconnectDelayMs ?? 30_000;
    const j = (this.options.jitter ?? Math.random)();
    return Math.min(max, base * 2 ** Math.min(attempt, 16)) * (0.5 + j / 2);
  }

  private fatal(err: unknown): boolean {
    if (!isCameraError(err)) return true;
    return [
      'AUTH_FAILED',
      'NOT_SUPPORTED',
      'XML_FORBIDDEN',
      'XML_LIMIT_EXCEEDED',
      'INVALID_ARGUMENT',
      'CLOSED',
    ].includes(err.code);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<CameraEvent> {
    if (this.iterated) {
      throw new CameraError(
        'INVALID_ARGUMENT',
        msg('an event stream can be iterated once', 'luồng sự kiện chỉ duyệt được một lần'),
      );
    }
    this.iterated = true;
    let failures = 0;
    try {
      while (!this.closed) {
        try {
          if (this.signal.aborted) break;
          const now = this.deps.clock.now();
          if (this.sub && now >= this.sub.expiresAt) {
            this.options.onReconnect?.({ reason: 'subscription expired', attempt: failures });
            this.sub = undefined;
          }
          if (!this.sub) await this.subscribe();
          const sub = this.sub as unknown as Subscription;
          const pullMs = this.options.pullTimeoutMs ?? 10_000;
          if (
            !this.renewUnsupported &&
            sub.expiresAt - this.deps.clock.now() < Math.min(pullMs + 5_000, this.ttl / 2)
          ) {
            await this.renew(sub);
          }
          const messages = await this.pull(sub);
          failures = 0;
          for (const n of messages) {
            const event = mapOnvifNotification(n, this.deps.cameraId);
            if (!this.accept(n, event?.id ?? notificationId(this.deps.cameraId, n))) continue;
            if (event) yield event;
            else this.options.onUnmapped?.(n);
            if (this.closed) return;
          }
        } catch (err) {
          if (this.closed) return;
          if (this.signal.aborted || (isCameraError(err) && err.code === 'ABORTED')) {
            throw new CameraError('ABORTED', msg('the event stream was aborted', 'luồng sự kiện đã bị hủy'), {
              cause: err,
            });
          }
          if (this.fatal(err)) throw err;
          const reason = isCameraError(err) ? err.code : 'error';
          if (
            isCameraError(err) &&
            (err.code === 'SOAP_FAULT' || err.code === 'RESPONSE_INVALID' || failures >= 2)
          ) {
            // The device no longer knows the subscription (reboot, expiry) or keeps failing: start over.
            this.sub = undefined;
          }
          this.options.onReconnect?.({ reason, attempt: failures, error: err });
          this.deps.logger?.warn?.('event stream reconnecting', { reason, attempt: failures });
          await sleep(this.backoff(failures), this.signal);
          failures++;
        }
      }
      if (!this.closed && this.options.signal?.aborted) {
        throw new CameraError('ABORTED', msg('the event stream was aborted', 'luồng sự kiện đã bị hủy'));
      }
    } finally {
      await this.close();
    }
  }

  /** Ends the iteration and unsubscribes (best effort, 2 s). Safe to call more than once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closer.abort();
    this.deps.onClose(this);
    const sub = this.sub;
    this.sub = undefined;
    if (!sub) return;
    try {
      await this.deps.call(sub.address, UNSUBSCRIBE, '<wsnt:Unsubscribe/>', {
        timeoutMs: 2_000,
        wsaTo: true,
        referenceParameters: sub.referenceParameters,
      });
    } catch (err) {
      this.deps.logger?.debug?.('unsubscribe failed', { error: String(err) });
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

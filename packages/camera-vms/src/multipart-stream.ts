import { CameraError, isCameraError, msg } from './errors.js';
import type { CameraEvent } from './events.js';
import type { DigestHttp } from './http-digest.js';
import {
  MultipartParser,
  multipartBoundary,
  type MultipartLimits,
  type MultipartPart,
} from './isapi/multipart.js';
import type { XmlLimits } from './xml.js';

/** Options of a long-lived multipart event stream (ISAPI alertStream, Dahua eventManager attach). */
export interface MultipartEventStreamOptions {
  readonly signal?: AbortSignal;
  /** Reconnect when nothing (not even a heartbeat) arrives for this long. Default 60 000 ms. */
  readonly idleTimeoutMs?: number;
  /** Default 500 ms, doubled per failure up to `maxReconnectDelayMs` (default 30 000), with jitter. */
  readonly reconnectDelayMs?: number;
  readonly maxReconnectDelayMs?: number;
  readonly limits?: MultipartLimits & { readonly xml?: XmlLimits };
  /** Receives vendor events outside the taxonomy: their type and raw payload. */
  readonly onUnmapped?: (eventType: string, raw: string) => void;
  readonly onReconnect?: (info: {
    readonly reason: string;
    readonly attempt: number;
    readonly error?: unknown;
  }) => void;
  /** Source of jitter in 0..1. Default `Math.random`. */
  readonly jitter?: () => number;
}

/** Turns one part into events and unmapped vendor events. Throws typed errors for hostile parts. */
export type PartDecoder = (part: MultipartPart) => {
  readonly events: readonly CameraEvent[];
  readonly unmapped: readonly { readonly type: string; readonly raw: string }[];
};

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

/**
 * A long-lived multipart HTTP event stream as an `AsyncIterable<CameraEvent>`. Reconnects after network
 * loss or silence; hostile streams (no boundary, oversized parts, unsafe XML or JSON) end it with a typed
 * error after the connection is closed. `close()` ends the iteration normally; the `signal` ends it with
 * `ABORTED`.
 */
export class MultipartEventStream implements AsyncIterable<CameraEvent> {
  private readonly closer = new AbortController();
  private readonly signal: AbortSignal;
  private closed = false;
  /** Connections opened, for monitoring. */
  connections = 0;

  constructor(
    private readonly http: DigestHttp,
    private readonly path: string,
    private readonly decode: PartDecoder,
    private readonly options: MultipartEventStreamOptions,
    private readonly defaultBoundary: string,
  ) {
    this.signal = options.signal ? AbortSignal.any([this.closer.signal, options.signal]) : this.closer.signal;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<CameraEvent> {
    let failures = 0;
    const idle = this.options.idleTimeoutMs ?? 60_000;
    try {
      while (!this.closed && !this.signal.aborted) {
        const conn = new AbortController();
        const signal = AbortSignal.any([this.signal, conn.signal]);
        let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
        try {
          const res = await this.http.get(this.path, signal);
          if (res.status !== 200 || !res.body) {
            await res.body?.cancel();
            throw new CameraError(
              'HTTP_ERROR',
              msg(`event stream: HTTP ${res.status}`, `luồng sự kiện: HTTP ${res.status}`),
              {
                retryable: res.status >= 500,
                details: { status: res.status },
              },
            );
          }
          this.connections++;
          const boundary = multipartBoundary(res.headers.get('content-type')) ?? this.defaultBoundary;
          const parser = new MultipartParser(boundary, this.options.limits);
          reader = (res.body as ReadableStream<Uint8Array>).getReader();
          for (;;) {
            let timer: ReturnType<typeof setTimeout> | undefined;
            const next = await Promise.race([
              reader.read(),
              new Promise<'idle'>((resolve) => {
                timer = setTimeout(() => resolve('idle'), idle);
              }),
            ]).finally(() => clearTimeout(timer));
            if (next === 'idle') {
              throw new CameraError(
                'TIMEOUT',
                msg('the event stream went silent', 'luồng sự kiện im lặng quá lâu'),
                {
                  retryable: true,
                },
              );
            }
            if (next.done) {
              throw new CameraError('NETWORK', msg('the event stream ended', 'luồng sự kiện đã đóng'), {
                retryable: true,
              });
            }
            failures = 0;
            for (const part of parser.push(next.value)) {
              const { events, unmapped } = this.decode(part);
              for (const u of unmapped) this.options.onUnmapped?.(u.type, u.raw);
              for (const e of events) {
                yield e;
                if (this.closed) return;
              }
            }
          }
        } catch (err) {
          conn.abort();
          await reader?.cancel().catch(() => undefined);
          if (this.closed) return;
          if (this.options.signal?.aborted) {
            throw new CameraError('ABORTED', msg('the event stream was aborted', 'luồng sự kiện đã bị hủy'), {
              cause: err,
            });
          }
          // Anything that is not a typed error comes from the socket (reset, "terminated").
          const e = isCameraError(err)
            ? err
            : new CameraError('NETWORK', msg('event stream connection lost', 'mất kết nối luồng sự kiện'), {
                cause: err,
                retryable: true,
              });
          if (!e.retryable) throw e;
          this.options.onReconnect?.({ reason: e.code, attempt: failures, error: e });
          const base = this.options.reconnectDelayMs ?? 500;
          const max = this.options.maxReconnectDelayMs ?? 30_000;
          const jitter = (this.options.jitter ?? Math.random)();
          await sleep(Math.min(max, base * 2 ** Math.min(failures, 16)) * (0.5 + jitter / 2), this.signal);
          failures++;
        } finally {
          conn.abort();
        }
      }
      if (!this.closed && this.options.signal?.aborted) {
        throw new CameraError('ABORTED', msg('the event stream was aborted', 'luồng sự kiện đã bị hủy'));
      }
    } finally {
      this.close();
    }
  }

  /** Ends the iteration and closes the connection. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.closer.abort();
  }
}

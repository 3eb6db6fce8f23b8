import net from 'node:net';
import tls from 'node:tls';
import { Hl7Error } from '../errors.js';
import { DEFAULT_MAX_BYTES, parseHl7, type Hl7Message } from '../er7/message.js';
import { MllpDecoder, encodeFrame } from './frame.js';

export interface MllpClientOptions {
  readonly host: string;
  readonly port: number;
  /** TLS options (`ca`, `servername`...); plain TCP when absent. */
  readonly tls?: tls.ConnectionOptions;
  /** Connect timeout and default ACK timeout. Default 10 000 ms. */
  readonly timeoutMs?: number;
  readonly maxMessageBytes?: number;
  readonly signal?: AbortSignal;
}

export interface SendOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

interface Waiter {
  resolve(ack: Hl7Message): void;
  reject(err: Hl7Error): void;
}

const NACK = new Set(['AE', 'AR', 'CE', 'CR']);

/**
 * An MLLP sender. `send` may be called many times without waiting (pipelining); ACKs are matched
 * in order. A negative ACK rejects with `MLLP_NACK` (retryable for AR and CE); a timeout closes the
 * connection, since later ACKs could no longer be matched.
 */
export class MllpClient {
  private readonly waiters: Waiter[] = [];
  private closedError: Hl7Error | undefined;

  private constructor(
    private readonly socket: net.Socket,
    private readonly timeoutMs: number,
  ) {
    socket.setNoDelay(true);
    const decoder = new MllpDecoder(DEFAULT_MAX_BYTES);
    socket.on('data', (chunk: Buffer) => {
      const { frames, errors } = decoder.push(chunk);
      if (errors[0] !== undefined) this.fail(errors[0]);
      for (const f of frames) this.onAck(f);
    });
    socket.on('error', (cause) =>
      this.fail(new Hl7Error('MLLP_NETWORK', `Connection failed / lỗi kết nối`, { cause, retryable: true })),
    );
    socket.on('close', () =>
      this.fail(new Hl7Error('MLLP_CLOSED', 'Connection closed / kết nối đã đóng', { retryable: true })),
    );
  }

  static connect(options: MllpClientOptions): Promise<MllpClient> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      options.signal?.throwIfAborted();
      const socket =
        options.tls === undefined
          ? net.connect({ host: options.host, port: options.port })
          : tls.connect({ host: options.host, port: options.port, ...options.tls });
      const ready = options.tls === undefined ? 'connect' : 'secureConnect';
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new Hl7Error('MLLP_TIMEOUT', `No connection within ${timeoutMs} ms / hết thời gian kết nối`, {
            retryable: true,
          }),
        );
      }, timeoutMs);
      const onAbort = () => {
        socket.destroy();
        clearTimeout(timer);
        reject(new Hl7Error('ABORTED', 'Aborted / đã hủy'));
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      socket.once('error', (cause) => {
        clearTimeout(timer);
        reject(
          new Hl7Error(
            'MLLP_NETWORK',
            `Cannot connect to ${options.host}:${options.port} / không kết nối được`,
            { cause, retryable: true },
          ),
        );
      });
      socket.once(ready, () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        resolve(new MllpClient(socket, timeoutMs));
      });
    });
  }

  private fail(err: Hl7Error): void {
    this.closedError ??= err;
    for (const w of this.waiters.splice(0)) w.reject(err);
    this.socket.destroy();
  }

  private onAck(frame: Buffer): void {
    const w = this.waiters.shift();
    if (w === undefined) return;
    let ack: Hl7Message;
    try {
      ack = parseHl7(frame);
    } catch (err) {
      w.reject(err as Hl7Error);
      return;
    }
    const code = ack.get('MSA-1') ?? '';
    if (NACK.has(code)) {
      w.reject(
        new Hl7Error(
          'MLLP_NACK',
          `The receiver answered ${code}: ${ack.get('MSA-3') ?? ack.get('ERR-8') ?? ''} / bên nhận từ chối`,
          {
            retryable: code === 'AR' || code === 'CE',
            details: {
              ackCode: code,
              controlId: ack.get('MSA-2') ?? '',
              text: ack.get('ERR-8') ?? ack.get('MSA-3') ?? '',
              ack: ack.toString(),
            },
          },
        ),
      );
    } else w.resolve(ack);
  }

  /** Sends one message and resolves with its ACK (AA/CA). */
  send(message: Hl7Message | string | Uint8Array, options: SendOptions = {}): Promise<Hl7Message> {
    if (this.closedError !== undefined) return Promise.reject(this.closedError);
    const bytes =
      typeof message === 'string'
        ? Buffer.from(message, 'utf8')
        : message instanceof Uint8Array
          ? message
          : message.toBytes();
    return new Promise<Hl7Message>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.timeoutMs;
      const cleanup = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      const timer = setTimeout(() => {
        this.fail(
          new Hl7Error('MLLP_TIMEOUT', `No ACK within ${timeoutMs} ms / không nhận được ACK`, {
            retryable: true,
          }),
        );
      }, timeoutMs);
      const onAbort = () => this.fail(new Hl7Error('ABORTED', 'Aborted / đã hủy'));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push({
        resolve: (ack) => {
          cleanup();
          resolve(ack);
        },
        reject: (err) => {
          cleanup();
          reject(err);
        },
      });
      this.socket.write(encodeFrame(bytes));
    });
  }

  /** Closes the connection once pending ACKs have arrived. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) {
        resolve();
        return;
      }
      this.socket.once('close', () => resolve());
      this.socket.end();
    });
  }
}

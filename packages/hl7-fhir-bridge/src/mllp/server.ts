import net from 'node:net';
import tls from 'node:tls';
import { buildAck, type AckCode, type AckError } from '../ack.js';
import { Hl7Error, isHl7Error } from '../errors.js';
import { parseHl7, type Hl7Message, type ParseOptions } from '../er7/message.js';
import { DEFAULT_MAX_BYTES } from '../er7/message.js';
import { MllpDecoder, encodeFrame } from './frame.js';
import type { MessageStore } from './store.js';

export interface MllpServerOptions {
  /** Where messages go before they are acknowledged. */
  readonly store: MessageStore;
  readonly host?: string;
  /** TCP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** TLS key/cert (and client-certificate settings); plain TCP when absent. */
  readonly tls?: tls.TlsOptions;
  /** Largest frame accepted. Default 8 MiB. */
  readonly maxMessageBytes?: number;
  /** A connection idle this long is closed. Default 60 000 ms. */
  readonly idleTimeoutMs?: number;
  /** Longest wait for the store before answering AE/CE. Default 10 000 ms. */
  readonly storeTimeoutMs?: number;
  /** Frames queued per connection before the socket stops being read (backpressure). Default 16. */
  readonly maxPendingFrames?: number;
  /** Message codes (`ADT`) or structures (`ADT_A01`) accepted; others get AR/CR with ERR 200. Default all. */
  readonly acceptMessageTypes?: readonly string[];
  /**
   * Checks a parsed message before it is stored: an `Hl7Error` returned (or thrown) is answered AR/CR
   * with an ERR segment naming its segment and field, and the message is not stored. It is given the
   * peer's `address:port` too, for an allow-list of sending facilities by source address.
   */
  readonly validate?: (message: Hl7Message, remoteAddress: string) => Hl7Error | undefined;
  readonly parse?: ParseOptions;
  /** Offset written in the ACK's MSH-7. Default `+07:00`. */
  readonly offset?: string;
  readonly clock?: () => Date;
  /** MSH-10 of each ACK. Default a counter prefixed with the start time. */
  readonly newControlId?: () => string;
  /** Told about every rejected frame and failed connection; the server keeps serving. */
  readonly onError?: (error: Hl7Error, remoteAddress: string) => void;
}

function errFor(e: Hl7Error): AckError {
  const d = e.details ?? {};
  const seg = typeof d.segment === 'string' ? d.segment : 'MSH';
  const seq = typeof d.segmentIndex === 'number' ? d.segmentIndex : 1;
  const field = typeof d.field === 'number' ? d.field : undefined;
  const text = e.message;
  switch (e.code) {
    case 'BAD_DELIMITERS':
      return { segment: 'MSH', sequence: 1, field: 2, hl7Code: '102', text };
    case 'CHARSET_UNSUPPORTED':
      return { segment: 'MSH', sequence: 1, field: 18, hl7Code: '103', text };
    case 'BAD_SEGMENT':
    case 'NO_MSH':
      return { segment: seg, sequence: seq, hl7Code: '100', text };
    case 'BINARY_CONTENT':
      return { segment: seg, sequence: seq, ...(field === undefined ? {} : { field }), hl7Code: '102', text };
    case 'UNSUPPORTED_MESSAGE_TYPE':
      return { segment: 'MSH', sequence: 1, field: 9, hl7Code: '200', text };
    case 'UNKNOWN_SENDER':
      return { segment: 'MSH', sequence: 1, field: 4, hl7Code: '103', text };
    case 'MISSING_FIELD':
      return { segment: seg, sequence: seq, ...(field === undefined ? {} : { field }), hl7Code: '101', text };
    case 'MISSING_SEGMENT':
      return { segment: seg, sequence: 1, hl7Code: '100', text };
    default:
      return { hl7Code: '207', text };
  }
}

/**
 * An MLLP receiver: frames are decoded, parsed, put in the store, and only then acknowledged
 * (original AA/AE/AR, or enhanced CA/CE/CR when MSH-15 is valued, honouring AL/NE/ER/SU).
 * Bad input gets AR/CR with an ERR segment; store failures get AE/CE. Every connection is
 * independent: one bad client never stops the others.
 */
export class MllpServer {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private counter = 0;
  private readonly prefix: string;

  private constructor(private readonly options: MllpServerOptions) {
    const onConnection = (socket: net.Socket) => this.serve(socket);
    this.server =
      options.tls === undefined
        ? net.createServer(onConnection)
        : tls.createServer(options.tls, onConnection);
    this.prefix = (options.clock?.() ?? new Date()).getTime().toString(36).toUpperCase();
  }

  /** Starts listening; resolves once the port is bound. */
  static async listen(options: MllpServerOptions): Promise<MllpServer> {
    const s = new MllpServer(options);
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', (cause) =>
        reject(
          new Hl7Error('MLLP_NETWORK', `Cannot listen: ${String(cause)} / không thể lắng nghe`, { cause }),
        ),
      );
      s.server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    return s;
  }

  /** The bound port. */
  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Stops accepting, then closes open connections after in-flight messages are acknowledged. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.end();
    const timer = setTimeout(() => {
      for (const s of this.sockets) s.destroy();
    }, 2000);
    await closed;
    clearTimeout(timer);
  }

  private nextControlId(): string {
    return this.options.newControlId?.() ?? `${this.prefix}${++this.counter}`;
  }

  private serve(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const remote = `${socket.remoteAddress ?? ''}:${socket.remotePort ?? ''}`;
    const decoder = new MllpDecoder(this.options.maxMessageBytes ?? DEFAULT_MAX_BYTES);
    const maxPending = this.options.maxPendingFrames ?? 16;
    let pending = 0;
    let chain: Promise<void> = Promise.resolve();
    const controller = new AbortController();
    socket.setTimeout(this.options.idleTimeoutMs ?? 60_000, () => socket.destroy());
    socket.on('error', (cause) => {
      this.options.onError?.(
        new Hl7Error('MLLP_NETWORK', `Connection error / lỗi kết nối`, { cause }),
        remote,
      );
    });
    socket.on('close', () => {
      this.sockets.delete(socket);
      controller.abort();
    });
    const enqueue = (task: () => Promise<Buffer | undefined>) => {
      pending++;
      if (pending >= maxPending) socket.pause();
      chain = chain.then(async () => {
        const reply = await task();
        if (reply !== undefined && !socket.destroyed) {
          if (!socket.write(reply)) await new Promise((r) => socket.once('drain', r));
        }
        pending--;
        if (pending < maxPending && socket.isPaused()) socket.resume();
      });
    };
    socket.on('data', (chunk: Buffer) => {
      const { frames, errors } = decoder.push(chunk);
      for (const e of errors) {
        this.options.onError?.(e, remote);
        if (e.code === 'MLLP_TOO_LARGE') enqueue(() => Promise.resolve(this.reject(undefined, e)));
      }
      for (const f of frames) enqueue(() => this.handle(f, remote, controller.signal));
    });
    socket.on('end', () => {
      const e = decoder.end();
      if (e !== undefined) this.options.onError?.(e, remote);
      void chain.then(() => socket.end());
    });
  }

  private ack(original: Hl7Message | undefined, code: AckCode, error?: AckError): Buffer {
    const ack = buildAck(original, code, error, {
      controlId: this.nextControlId(),
      now: this.options.clock?.() ?? new Date(),
      ...(this.options.offset === undefined ? {} : { offset: this.options.offset }),
    });
    return encodeFrame(ack.toBytes());
  }

  private reject(original: Hl7Message | undefined, e: Hl7Error): Buffer | undefined {
    const enhanced = original !== undefined && (original.get('MSH-15') ?? '') !== '';
    const mode = original?.get('MSH-15') ?? '';
    if (enhanced && (mode === 'NE' || mode === 'SU')) return undefined;
    return this.ack(original, enhanced ? 'CR' : 'AR', errFor(e));
  }

  private async handle(frame: Buffer, remote: string, signal: AbortSignal): Promise<Buffer | undefined> {
    let message: Hl7Message;
    try {
      message = parseHl7(frame, this.options.parse);
    } catch (err) {
      const e = isHl7Error(err) ? err : new Hl7Error('BAD_SEGMENT', String(err), { cause: err });
      this.options.onError?.(e, remote);
      return this.reject(salvageHeader(frame, this.options.parse), e);
    }
    const type = message.type;
    const missing = type.code === '' ? 9 : message.controlId === '' ? 10 : undefined;
    if (missing !== undefined) {
      const e = new Hl7Error('MISSING_FIELD', `MSH-${missing} is empty / MSH-${missing} bị trống`, {
        details: { segment: 'MSH', field: missing },
      });
      this.options.onError?.(e, remote);
      return this.reject(message, e);
    }
    const accepted = this.options.acceptMessageTypes;
    if (accepted !== undefined && !accepted.includes(type.code) && !accepted.includes(type.structure)) {
      const e = new Hl7Error(
        'UNSUPPORTED_MESSAGE_TYPE',
        `Unsupported message type ${type.structure} / loại thông điệp không hỗ trợ`,
        { details: { segment: 'MSH', field: 9, type: type.structure } },
      );
      this.options.onError?.(e, remote);
      return this.reject(message, e);
    }
    let invalid: Hl7Error | undefined;
    try {
      invalid = this.options.validate?.(message, remote);
    } catch (err) {
      if (!isHl7Error(err)) throw err;
      invalid = err;
    }
    if (invalid !== undefined) {
      this.options.onError?.(invalid, remote);
      return this.reject(message, invalid);
    }
    const mode = message.get('MSH-15') ?? '';
    const enhanced = mode !== '';
    try {
      const timeout = AbortSignal.timeout(this.options.storeTimeoutMs ?? 10_000);
      await this.options.store.append(
        {
          key: `${message.get('MSH-3') ?? ''}^${message.get('MSH-4') ?? ''}^${message.controlId}`,
          controlId: message.controlId,
          type: type.structure,
          receivedAt: (this.options.clock?.() ?? new Date()).toISOString(),
          remoteAddress: remote,
          er7: message.toString(),
        },
        AbortSignal.any([signal, timeout]),
      );
    } catch (cause) {
      const e = new Hl7Error(
        'STORE_FAILED',
        'The message could not be stored; resend later / không lưu được thông điệp',
        {
          cause,
          retryable: true,
        },
      );
      this.options.onError?.(e, remote);
      if (enhanced && (mode === 'NE' || mode === 'SU')) return undefined;
      return this.ack(message, enhanced ? 'CE' : 'AE', { hl7Code: '207', text: e.message });
    }
    if (enhanced && (mode === 'NE' || mode === 'ER')) return undefined;
    return this.ack(message, enhanced ? 'CA' : 'AA');
  }
}

/** Parses only the MSH of a rejected frame so the ACK can still name its control id. */
function salvageHeader(frame: Buffer, options?: ParseOptions): Hl7Message | undefined {
  const end = frame.findIndex((b) => b === 0x0d || b === 0x0a);
  try {
    return parseHl7(end < 0 ? frame : frame.subarray(0, end), { ...options, maxSegments: 1 });
  } catch {
    return undefined;
  }
}

import { CameraError, isCameraError, msg } from '../errors.js';
import type { CameraEvent, CameraEventKind } from '../events.js';
import {
  checkMilestoneEvent,
  mapMilestoneEvent,
  parseMilestoneMessage,
  type MilestoneEvent,
  type MilestoneEventMapping,
  type MilestoneMapOptions,
} from './events.js';
import { MilestoneIdp } from './idp.js';

/**
 * The part of a WebSocket this client uses: the WHATWG `WebSocket` of browsers and Node.js ≥ 22 and the
 * `ws` package both fit.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: unknown) => void): void;
}

/**
 * A WebSocket class. `options.headers` is passed only with `authentication: 'header'` (the `ws` package and
 * Node.js's built-in WebSocket accept it; browsers do not: use `authentication: 'command'` there).
 */
export type WebSocketConstructorLike = new (
  url: string,
  options?: { headers?: Record<string, string> },
) => WebSocketLike;

/** One Events and State subscription filter. Missing lists mean `["*"]`. */
export interface MilestoneSubscriptionFilter {
  /** Default `include`. */
  readonly modifier?: 'include' | 'exclude';
  /** `cameras`, `hardware`, `microphones`, `inputEvents`, `userDefinedEvents`… */
  readonly resourceTypes?: readonly string[];
  /** Source GUIDs. */
  readonly sourceIds?: readonly string[];
  /** Event type GUIDs. */
  readonly eventTypes?: readonly string[];
}

export interface MilestoneClientOptions {
  /** API Gateway base URL, e.g. `https://vms.example.vn` (`ws:`/`wss:` are accepted too). */
  readonly url: string;
  /** A basic user: tokens come from the IDP (`/API/IDP/connect/token`) and are renewed before expiry. */
  readonly username?: string;
  readonly password?: string;
  /** OAuth2 client id. Default `GrantValidatorClient`. */
  readonly clientId?: string;
  /** Instead of a user: returns a bearer token (e.g. from your own IDP client, for Windows users). */
  readonly token?: (signal: AbortSignal) => string | Promise<string>;
  /** WebSocket class. Default: the `ws` package (Node.js 20 has no global WebSocket). */
  readonly WebSocket?: WebSocketConstructorLike;
  /**
   * `header` (default): `Authorization: Bearer …` on the upgrade request. `command`: an `authenticate`
   * command after connecting, for WebSocket classes that cannot set headers (browsers).
   */
  readonly authentication?: 'header' | 'command';
  /** Path of the Events and State WebSocket. Default `/api/ws/events/v1`. */
  readonly eventsPath?: string;
  /** Connect, command and token-request timeout. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** Camera id per source GUID (default the GUID). */
  readonly cameraIds?: Readonly<Record<string, string>>;
  /** Analytics event type GUID → kind or mapping (see the README's Milestone table). */
  readonly eventTypes?: Readonly<Record<string, CameraEventKind | MilestoneEventMapping>>;
  readonly fetch?: typeof fetch;
  readonly clock?: { now(): number };
}

export interface MilestoneEventOptions {
  /** Default: every event of every camera. */
  readonly filters?: readonly MilestoneSubscriptionFilter[];
  /** After a new session (not a resume), read the current states with `getState` (`initial: true`). */
  readonly includeState?: boolean;
  readonly signal?: AbortSignal;
  /** Default 250 ms, doubled per failure up to `maxReconnectDelayMs` (default 30 000), with jitter. */
  readonly reconnectDelayMs?: number;
  readonly maxReconnectDelayMs?: number;
  /** Largest accepted message. Default 1 MiB; a larger one closes the connection and ends the stream. */
  readonly maxMessageBytes?: number;
  /** Messages held for a slow consumer before the connection is dropped and resumed. Default 10 000. */
  readonly maxQueuedMessages?: number;
  /**
   * With the `ws` package (or any socket with `ping`/`on('pong')`): ping this often and reconnect when a
   * ping goes unanswered until the next one (a gateway gone silent behind NAT). Default 30 000; 0 disables.
   */
  readonly keepAliveMs?: number;
  /** Event ids remembered to drop repeated deliveries. Default 4096. */
  readonly dedupeWindow?: number;
  /** Events outside the taxonomy: type GUID and JSON. */
  readonly onUnmapped?: (eventType: string, raw: string) => void;
  /** Messages or events that failed the checks (`EVENT_INVALID`); they are skipped, the connection stays up. */
  readonly onInvalid?: (error: CameraError) => void;
  readonly onReconnect?: (info: {
    readonly reason: string;
    readonly attempt: number;
    readonly error?: unknown;
  }) => void;
  /** Told each session start: `resumed: false` after a disconnect means events of the gap may be lost. */
  readonly onSession?: (info: { readonly sessionId: string; readonly resumed: boolean }) => void;
  /** Source of jitter in 0..1. Default `Math.random`. */
  readonly jitter?: () => number;
}

type Frame =
  | { readonly type: 'events'; readonly events: readonly MilestoneEvent[] }
  | { readonly type: 'fatal'; readonly error: CameraError };

const OPEN = 1;

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

function field(event: unknown, name: string): unknown {
  return typeof event === 'object' && event !== null ? (event as Record<string, unknown>)[name] : undefined;
}

interface ConnectionLimits {
  readonly maxBytes: number;
  readonly maxQueued: number;
  /** Ping interval; a ping without pong by the next one drops the connection. 0 disables. */
  readonly keepAliveMs: number;
}

/** What `ws` adds to the WHATWG interface, used for keep-alive pings when present. */
interface Pingable {
  ping(): void;
  on(event: 'pong', listener: () => void): void;
  terminate?(): void;
}

function pingable(ws: WebSocketLike): Pingable | undefined {
  const w = ws as Partial<Pingable>;
  return typeof w.ping === 'function' && typeof w.on === 'function' ? (ws as unknown as Pingable) : undefined;
}

/** One WebSocket connection: frames queued for the reader, command responses matched by `commandId`. */
class Connection {
  private readonly frames: Frame[] = [];
  private wake: (() => void) | undefined;
  private readonly pending = new Map<
    number,
    { resolve(body: Readonly<Record<string, unknown>>): void; reject(e: Error): void }
  >();
  private nextCommandId = 1;
  closed: { readonly code: number; readonly reason: string } | undefined;
  /** A message over the size limit was refused by the WebSocket layer. */
  tooBig = false;
  /** The gateway stopped answering pings. */
  silent = false;
  private keepAlive: ReturnType<typeof setInterval> | undefined;

  private constructor(
    private readonly ws: WebSocketLike,
    private readonly limits: ConnectionLimits,
    private readonly onInvalid: (e: CameraError) => void,
  ) {
    ws.addEventListener('message', (event) => this.onMessage(field(event, 'data')));
    ws.addEventListener('error', (event) => {
      // `ws` reports a message over `maxPayload` as an error, then drops the socket (close code 1006).
      const e = field(event, 'error');
      if (field(e, 'code') === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.tooBig = true;
    });
    ws.addEventListener('close', (event) => {
      const code = field(event, 'code');
      const reason = field(event, 'reason');
      this.closed = {
        code: typeof code === 'number' ? code : 1006,
        reason: typeof reason === 'string' ? reason : '',
      };
      const err = new CameraError('NETWORK', msg('the event WebSocket closed', 'WebSocket sự kiện đã đóng'), {
        retryable: true,
        details: { code: this.closed.code },
      });
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      clearInterval(this.keepAlive);
      this.wake?.();
    });
  }

  /** Pings every `ms` (with `ws`); a ping unanswered by the next tick drops the socket. */
  startKeepAlive(ms: number): void {
    const p = pingable(this.ws);
    if (!p || ms <= 0 || this.closed) return;
    let answered = true;
    p.on('pong', () => {
      answered = true;
    });
    this.keepAlive = setInterval(() => {
      if (!answered) {
        this.silent = true;
        clearInterval(this.keepAlive);
        if (p.terminate) p.terminate();
        else this.close(4000, 'keep-alive timeout');
        return;
      }
      answered = false;
      try {
        p.ping();
      } catch {
        // closing
      }
    }, ms);
  }

  static open(
    Ctor: WebSocketConstructorLike,
    url: string,
    headers: Record<string, string> | undefined,
    extra: Record<string, unknown>,
    limits: ConnectionLimits,
    timeoutMs: number,
    signal: AbortSignal,
    onInvalid: (e: CameraError) => void,
  ): Promise<Connection> {
    return new Promise((resolve, reject) => {
      let ws: WebSocketLike;
      try {
        ws = headers === undefined ? new Ctor(url) : new Ctor(url, { headers, ...extra });
      } catch (cause) {
        reject(
          new CameraError(
            'INVALID_ARGUMENT',
            msg('cannot create the WebSocket', 'không tạo được WebSocket'),
            { cause },
          ),
        );
        return;
      }
      let errorText = '';
      let settled = false;
      const conn = new Connection(ws, limits, onInvalid);
      const finish = (err?: CameraError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (err) {
          try {
            ws.close();
          } catch {
            // already closed
          }
          reject(err);
        } else {
          conn.startKeepAlive(limits.keepAliveMs);
          resolve(conn);
        }
      };
      const onAbort = (): void =>
        finish(new CameraError('ABORTED', msg('the operation was aborted', 'thao tác đã bị hủy')));
      const timer = setTimeout(
        () =>
          finish(
            new CameraError(
              'TIMEOUT',
              msg(
                'the API Gateway did not accept the WebSocket in time',
                'API Gateway không nhận WebSocket kịp thời',
              ),
              {
                retryable: true,
              },
            ),
          ),
        timeoutMs,
      );
      signal.addEventListener('abort', onAbort, { once: true });
      ws.addEventListener('open', () => finish());
      ws.addEventListener('error', (event) => {
        const m = field(event, 'message') ?? field(field(event, 'error'), 'message');
        if (typeof m === 'string') errorText = m;
      });
      ws.addEventListener('close', () => {
        const status = /Unexpected server response: (\d{3})/.exec(errorText)?.[1];
        if (status === '401' || status === '403') {
          finish(
            new CameraError(
              'AUTH_FAILED',
              msg('the API Gateway rejected the token', 'API Gateway từ chối token'),
              {
                details: { status: Number(status) },
              },
            ),
          );
        } else {
          finish(
            new CameraError(
              'NETWORK',
              msg('cannot open the event WebSocket', 'không mở được WebSocket sự kiện'),
              {
                retryable: true,
                details: status === undefined ? {} : { status: Number(status) },
              },
            ),
          );
        }
      });
    });
  }

  private push(frame: Frame): void {
    this.frames.push(frame);
    this.wake?.();
  }

  private onMessage(data: unknown): void {
    if (typeof data !== 'string') {
      this.onInvalid(
        new CameraError(
          'EVENT_INVALID',
          msg('Milestone event: binary message', 'sự kiện Milestone: thông điệp nhị phân'),
          {
            details: { path: '$' },
          },
        ),
      );
      return;
    }
    if (data.length > this.limits.maxBytes || Buffer.byteLength(data, 'utf8') > this.limits.maxBytes) {
      const error = new CameraError(
        'EVENT_INVALID',
        msg(
          `Milestone message larger than ${this.limits.maxBytes} bytes`,
          `thông điệp Milestone lớn hơn ${this.limits.maxBytes} byte`,
        ),
        { details: { path: '$', maxBytes: this.limits.maxBytes } },
      );
      this.frames.length = 0;
      this.push({ type: 'fatal', error });
      this.close(1009, 'message too big');
      return;
    }
    let m;
    try {
      m = parseMilestoneMessage(data, this.limits.maxBytes);
    } catch (err) {
      if (isCameraError(err)) this.onInvalid(err);
      return;
    }
    if (m.kind === 'response') {
      const p = this.pending.get(m.commandId);
      if (p) {
        this.pending.delete(m.commandId);
        p.resolve(m.body);
      }
      return;
    }
    for (const e of m.invalid) this.onInvalid(e);
    if (this.frames.length >= this.limits.maxQueued) {
      // The consumer is too slow: drop the connection; the session resume replays from the last event read.
      this.frames.length = 0;
      this.close(1008, 'client overloaded');
      return;
    }
    if (m.events.length > 0) this.push({ type: 'events', events: m.events });
  }

  /** Sends a command and waits for the response with the same `commandId`. */
  command(
    body: Record<string, unknown>,
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<Readonly<Record<string, unknown>>> {
    const commandId = this.nextCommandId++;
    return new Promise((resolve, reject) => {
      if (this.closed || this.ws.readyState !== OPEN) {
        reject(
          new CameraError('NETWORK', msg('the event WebSocket is closed', 'WebSocket sự kiện đã đóng'), {
            retryable: true,
          }),
        );
        return;
      }
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.pending.delete(commandId);
      };
      const onAbort = (): void => {
        done();
        reject(new CameraError('ABORTED', msg('the operation was aborted', 'thao tác đã bị hủy')));
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new CameraError(
            'TIMEOUT',
            msg(`no answer to ${String(body.command)}`, `không có trả lời cho ${String(body.command)}`),
            {
              retryable: true,
            },
          ),
        );
      }, timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.set(commandId, {
        resolve: (b) => {
          done();
          resolve(b);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
      this.ws.send(JSON.stringify({ command: body.command, commandId, ...body }));
    });
  }

  /** The next frame, or `undefined` once the connection is closed (or `signal` fired) and nothing is left. */
  async next(signal: AbortSignal): Promise<Frame | undefined> {
    for (;;) {
      const f = this.frames.shift();
      if (f) return f;
      if (this.closed || signal.aborted) return undefined;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.wake = undefined;
          signal.removeEventListener('abort', done);
          resolve();
        };
        this.wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }

  close(code = 1000, reason = ''): void {
    try {
      this.ws.close(code, reason);
    } catch {
      // already closing
    }
  }
}

function statusError(command: string, body: Readonly<Record<string, unknown>>): CameraError {
  const status = typeof body.status === 'number' ? body.status : 0;
  const error =
    typeof body.error === 'object' && body.error !== null ? (body.error as Record<string, unknown>) : {};
  const errorText = typeof error.errorText === 'string' ? error.errorText.slice(0, 200) : undefined;
  const details = { status, command, ...(errorText === undefined ? {} : { errorText }) };
  if (status === 401 || status === 403) {
    return new CameraError('AUTH_FAILED', msg(`${command}: not authorized`, `${command}: không được phép`), {
      details,
    });
  }
  return new CameraError(
    'HTTP_ERROR',
    msg(`${command} failed with status ${status}`, `${command} thất bại, trạng thái ${status}`),
    {
      retryable: status >= 500 || status === 0,
      details,
    },
  );
}

/**
 * The Events and State WebSocket as an `AsyncIterable<CameraEvent>`. A session is started, the filters
 * are subscribed, and events are normalized as they arrive. After a disconnect (network loss, the
 * gateway's periodic recycle) it reconnects with backoff and resumes the session with the last event id it
 * delivered, so the gateway replays what was missed (within its retention, 30 s on XProtect); repeated
 * deliveries are dropped by event id. When the gateway cannot resume, a new session is subscribed and
 * `onSession` says `resumed: false`. `close()` or `break` ends it; the `signal` ends it with `ABORTED`.
 */
export class MilestoneEventStream implements AsyncIterable<CameraEvent> {
  private readonly closer = new AbortController();
  private readonly signal: AbortSignal;
  private closed = false;
  private readonly seen = new Set<string>();
  private conn: Connection | undefined;
  /** The gateway session id, once a session has started. */
  sessionId: string | undefined;
  /** Id of the last event delivered (mapped or not): the resume point. */
  lastEventId: string | undefined;
  /** WebSocket connections opened. */
  connections = 0;
  /** Sessions resumed by the gateway (status 200). */
  resumes = 0;
  /** Repeated deliveries dropped. */
  duplicates = 0;

  constructor(
    private readonly client: MilestoneClient,
    private readonly options: MilestoneEventOptions,
  ) {
    this.signal = options.signal ? AbortSignal.any([this.closer.signal, options.signal]) : this.closer.signal;
  }

  private remember(id: string): boolean {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    const max = this.options.dedupeWindow ?? 4096;
    if (this.seen.size > max) {
      const first = this.seen.values().next();
      if (!first.done) this.seen.delete(first.value);
    }
    return true;
  }

  private filters(): Record<string, unknown>[] {
    const filters = this.options.filters ?? [{}];
    return filters.map((f) => ({
      modifier: f.modifier ?? 'include',
      resourceTypes: [...(f.resourceTypes ?? ['*'])],
      sourceIds: [...(f.sourceIds ?? ['*'])],
      eventTypes: [...(f.eventTypes ?? ['*'])],
    }));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<CameraEvent> {
    let failures = 0;
    let authRetried = false;
    const timeoutMs = this.client.timeoutMs;
    const map = this.client.mapOptions;
    const onInvalid = (e: CameraError): void => this.options.onInvalid?.(e);
    try {
      while (!this.closed && !this.signal.aborted) {
        let conn: Connection | undefined;
        try {
          conn = await this.client.connect(
            this.signal,
            {
              maxBytes: this.options.maxMessageBytes ?? 1024 * 1024,
              maxQueued: this.options.maxQueuedMessages ?? 10_000,
              keepAliveMs: this.options.keepAliveMs ?? 30_000,
            },
            onInvalid,
          );
          this.conn = conn;
          this.connections++;
          authRetried = false;
          const start = await conn.command(
            { command: 'startSession', sessionId: this.sessionId ?? '', eventId: this.lastEventId ?? '' },
            timeoutMs,
            this.signal,
          );
          const hadSession = this.sessionId !== undefined;
          let states: MilestoneEvent[] = [];
          if (start.status === 200 && hadSession) {
            this.resumes++;
            this.options.onSession?.({ sessionId: this.sessionId ?? '', resumed: true });
          } else if (start.status === 201 || start.status === 200) {
            const sessionId = start.sessionId;
            if (typeof sessionId !== 'string' || sessionId === '') {
              throw new CameraError(
                'RESPONSE_INVALID',
                msg('startSession: no sessionId', 'startSession: thiếu sessionId'),
                {
                  details: { path: 'sessionId' },
                },
              );
            }
            this.sessionId = sessionId;
            // Nothing of the new session has been delivered yet: resume it from its start.
            this.lastEventId = undefined;
            const sub = await conn.command(
              { command: 'addSubscription', filters: this.filters() },
              timeoutMs,
              this.signal,
            );
            if (sub.status !== 200 && sub.status !== 201) throw statusError('addSubscription', sub);
            if (this.options.includeState) {
              const st = await conn.command({ command: 'getState' }, timeoutMs, this.signal);
              if (st.status !== 200) throw statusError('getState', st);
              const list = Array.isArray(st.states) ? st.states : [];
              states = [];
              list.forEach((s, i) => {
                try {
                  states.push(checkMilestoneEvent(s, `$.states[${i}]`));
                } catch (err) {
                  if (isCameraError(err)) onInvalid(err);
                }
              });
            }
            this.options.onSession?.({ sessionId, resumed: false });
            if (hadSession) this.options.onReconnect?.({ reason: 'SESSION_LOST', attempt: failures });
          } else {
            throw statusError('startSession', start);
          }
          failures = 0;
          for (const s of states) {
            const event = mapMilestoneEvent(s, map);
            if (event) {
              yield { ...event, initial: true };
              if (this.closed) return;
            }
          }
          for (;;) {
            const frame = await conn.next(this.signal);
            if (frame === undefined) break;
            if (frame.type === 'fatal') throw frame.error;
            for (const e of frame.events) {
              if (!this.remember(e.id)) {
                this.duplicates++;
                continue;
              }
              this.lastEventId = e.id;
              const event = mapMilestoneEvent(e, map);
              if (event === undefined) {
                this.options.onUnmapped?.(e.type, e.raw);
                continue;
              }
              yield event;
              if (this.closed) return;
            }
          }
          if (this.closed) return;
          if (this.signal.aborted) break;
          if (conn.tooBig || conn.closed?.code === 1009) {
            // The WebSocket layer refused a message over `maxMessageBytes` (1009 = message too big).
            throw new CameraError(
              'EVENT_INVALID',
              msg(
                'Milestone message larger than maxMessageBytes',
                'thông điệp Milestone vượt maxMessageBytes',
              ),
              { details: { path: '$', code: 1009 } },
            );
          }
          throw new CameraError('NETWORK', msg('the event WebSocket closed', 'WebSocket sự kiện đã đóng'), {
            retryable: true,
            details: { code: conn.closed?.code ?? 1006 },
          });
        } catch (err) {
          conn?.close();
          if (this.closed) return;
          if (this.options.signal?.aborted) {
            throw new CameraError('ABORTED', msg('the event stream was aborted', 'luồng sự kiện đã bị hủy'), {
              cause: err,
            });
          }
          const e = isCameraError(err)
            ? err
            : new CameraError('NETWORK', msg('event WebSocket failed', 'lỗi WebSocket sự kiện'), {
                cause: err,
                retryable: true,
              });
          if (e.code === 'AUTH_FAILED' && !authRetried && this.client.canRenewToken) {
            // The token may have been revoked or the gateway restarted: ask the IDP once more.
            authRetried = true;
            this.client.invalidateToken();
            this.options.onReconnect?.({ reason: e.code, attempt: failures, error: e });
            continue;
          }
          if (!e.retryable) throw e;
          this.options.onReconnect?.({ reason: e.code, attempt: failures, error: e });
          const base = this.options.reconnectDelayMs ?? 250;
          const max = this.options.maxReconnectDelayMs ?? 30_000;
          const jitter = (this.options.jitter ?? Math.random)();
          await sleep(Math.min(max, base * 2 ** Math.min(failures, 16)) * (0.5 + jitter / 2), this.signal);
          failures++;
        } finally {
          conn?.close();
          this.conn = undefined;
        }
      }
      if (!this.closed && this.options.signal?.aborted) {
        throw new CameraError('ABORTED', msg('the event stream was aborted', 'luồng sự kiện đã bị hủy'));
      }
    } finally {
      this.close();
    }
  }

  /** Ends the iteration and closes the WebSocket. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.conn?.close();
    this.closer.abort();
  }

  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }
}

/** Milestone XProtect API Gateway: OAuth2 tokens from the IDP and the Events and State WebSocket. */
export class MilestoneClient {
  readonly timeoutMs: number;
  readonly mapOptions: MilestoneMapOptions;
  private readonly wsUrl: string;
  private readonly idp: MilestoneIdp | undefined;
  private ctor: WebSocketConstructorLike | undefined;

  constructor(private readonly options: MilestoneClientOptions) {
    let base: URL;
    try {
      base = new URL(options.url);
    } catch (cause) {
      throw new CameraError('INVALID_ARGUMENT', msg('url is not a valid URL', 'url không hợp lệ'), { cause });
    }
    const proto = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' }[base.protocol];
    if (proto === undefined) {
      throw new CameraError(
        'INVALID_ARGUMENT',
        msg('url must be http(s) or ws(s)', 'url phải là http(s) hoặc ws(s)'),
      );
    }
    if (options.token === undefined && (options.username === undefined || options.password === undefined)) {
      throw new CameraError(
        'INVALID_ARGUMENT',
        msg('give username and password, or token', 'cần username và password, hoặc token'),
      );
    }
    const ws = new URL(options.eventsPath ?? '/api/ws/events/v1', base);
    ws.protocol = proto;
    this.wsUrl = ws.toString();
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.mapOptions = {
      ...(options.cameraIds === undefined ? {} : { cameraIds: options.cameraIds }),
      ...(options.eventTypes === undefined ? {} : { eventTypes: options.eventTypes }),
    };
    this.ctor = options.WebSocket;
    if (options.token === undefined && options.username !== undefined && options.password !== undefined) {
      const http = new URL(base);
      http.protocol = proto === 'wss:' ? 'https:' : 'http:';
      this.idp = new MilestoneIdp({
        url: http.toString(),
        username: options.username,
        password: options.password,
        timeoutMs: this.timeoutMs,
        ...(options.clientId === undefined ? {} : { clientId: options.clientId }),
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
        ...(options.clock === undefined ? {} : { clock: options.clock }),
      });
    }
  }

  /** The Events and State WebSocket URL. */
  get eventsUrl(): string {
    return this.wsUrl;
  }

  /** @internal */
  get canRenewToken(): boolean {
    return this.idp !== undefined;
  }

  /** @internal */
  invalidateToken(): void {
    this.idp?.invalidate();
  }

  /** A bearer token (from the IDP, cached and renewed before expiry, or from the `token` option). */
  async token(signal?: AbortSignal): Promise<string> {
    if (this.options.token) return this.options.token(signal ?? new AbortController().signal);
    if (!this.idp)
      throw new CameraError('INVALID_ARGUMENT', msg('no credentials', 'thiếu thông tin đăng nhập'));
    return this.idp.token(signal);
  }

  /** @internal Opens one authenticated WebSocket. */
  async connect(
    signal: AbortSignal,
    limits: ConnectionLimits,
    onInvalid: (e: CameraError) => void,
  ): Promise<Connection> {
    const token = await this.token(signal);
    let Ctor = this.ctor;
    const extra: Record<string, unknown> = {};
    if (Ctor === undefined) {
      const mod = await import('ws');
      Ctor = mod.WebSocket ?? mod.default;
      this.ctor = Ctor;
    }
    if (this.options.WebSocket === undefined) extra.maxPayload = limits.maxBytes + 1;
    const byCommand = this.options.authentication === 'command';
    const conn = await Connection.open(
      Ctor,
      this.wsUrl,
      byCommand ? undefined : { authorization: `Bearer ${token}` },
      extra,
      limits,
      this.timeoutMs,
      signal,
      onInvalid,
    );
    if (byCommand) {
      const res = await conn
        .command({ command: 'authenticate', token }, this.timeoutMs, signal)
        .catch((err: unknown) => {
          conn.close();
          throw err;
        });
      if (res.status !== 200) {
        conn.close();
        throw statusError('authenticate', res);
      }
    }
    return conn;
  }

  /** Normalized events of the Events and State WebSocket (see {@link MilestoneEventStream}). */
  events(options: MilestoneEventOptions = {}): MilestoneEventStream {
    const filters = options.filters;
    const okList = (v: readonly string[] | undefined): boolean =>
      v === undefined ||
      (v.length > 0 && v.every((x) => typeof x === 'string' && x !== '' && x.length <= 256));
    if (
      filters !== undefined &&
      (filters.length === 0 ||
        filters.length > 64 ||
        !filters.some((f) => (f.modifier ?? 'include') === 'include') ||
        !filters.every(
          (f) =>
            (f.modifier === undefined || f.modifier === 'include' || f.modifier === 'exclude') &&
            okList(f.resourceTypes) &&
            okList(f.sourceIds) &&
            okList(f.eventTypes),
        ))
    ) {
      throw new CameraError(
        'INVALID_ARGUMENT',
        msg(
          'filters: 1..64 filters, at least one include, non-empty lists of non-empty strings',
          'filters: 1..64 bộ lọc, ít nhất một include, danh sách không rỗng',
        ),
        { details: { field: 'filters' } },
      );
    }
    return new MilestoneEventStream(this, options);
  }
}

import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

export interface MilestoneSimulatorOptions {
  /** Basic user accepted by the IDP. Default `admin` / `admin`. */
  readonly username?: string;
  readonly password?: string;
  readonly clientId?: string;
  /** `expires_in` of issued tokens. Default 3600 s. */
  readonly tokenTtlSeconds?: number;
  /** Issue refresh tokens with the password grant. Default true. */
  readonly refreshTokens?: boolean;
  /** How long a disconnected session can be resumed. Default 30 000 ms (as XProtect). */
  readonly retentionMs?: number;
  /**
   * On a resume, also resend this many events from before the client's resume point (an at-least-once
   * gateway), so clients' de-duplication is exercised. Default 0.
   */
  readonly replayOverlap?: number;
  readonly host?: string;
}

/** An event to publish. `id` and `time` are generated when missing. */
export interface SimulatedMilestoneEvent {
  readonly type: string;
  /** e.g. `cameras/0b1e…`. */
  readonly source: string;
  readonly id?: string;
  readonly time?: string;
  readonly data?: Readonly<Record<string, unknown>>;
  readonly stategroupid?: string;
}

/**
 * A Milestone XProtect API Gateway simulator on loopback: the IDP token endpoint
 * (`POST /API/IDP/connect/token`, password and refresh-token grants) and the Events and State WebSocket
 * (`/api/ws/events/v1`: bearer header or `authenticate`, `startSession` with resume, `addSubscription`,
 * `removeSubscription`, `getState`), with scripted events, forced disconnects and gateway recycles.
 */
export interface MilestoneSimulator {
  /** Gateway base URL, e.g. `http://127.0.0.1:41237`. */
  readonly url: string;
  /** Open WebSocket connections. */
  readonly connections: number;
  /** Commands received, in order (tokens replaced by `***`). */
  readonly commands: readonly Readonly<Record<string, unknown>>[];
  /** `grant_type` of each token request. */
  readonly tokenRequests: readonly string[];
  /** Upgrade requests refused with 401. */
  readonly rejectedUpgrades: number;
  /** Publishes events in one message to every session they match (held for disconnected sessions); returns their ids. */
  publish(...events: SimulatedMilestoneEvent[]): string[];
  /** Sends a raw text (string) or binary (Uint8Array) message on every open connection. */
  sendRaw(data: string | Uint8Array): void;
  /** Cuts every connection; sessions stay resumable for `retentionMs`. */
  dropConnections(): void;
  /** Cuts every connection and forgets every session and token (the gateway's periodic recycle). */
  recycle(): void;
  /** Rejects every token issued so far (as if they expired or were revoked). */
  expireTokens(): void;
  /** Stops (false) or resumes (true) answering WebSocket pings: a gateway gone silent. Default answering. */
  answerPings(answer: boolean): void;
  close(): Promise<void>;
}

interface Filter {
  readonly modifier: string;
  readonly resourceTypes: readonly string[];
  readonly sourceIds: readonly string[];
  readonly eventTypes: readonly string[];
}

interface StoredEvent {
  readonly id: string;
  readonly body: Record<string, unknown>;
}

interface Session {
  readonly id: string;
  readonly subscriptions: Map<string, readonly Filter[]>;
  readonly log: StoredEvent[];
  socket: WebSocket | undefined;
  disconnectedAt: number | undefined;
}

const MAX_LOG = 1000;

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
}

function filterMatches(f: Filter, e: Record<string, unknown>): boolean {
  const source = String(e.source);
  const slash = source.indexOf('/');
  const resourceType = slash === -1 ? '' : source.slice(0, slash);
  const sourceId = source.slice(slash + 1).toLowerCase();
  const type = String(e.type).toLowerCase();
  const any = (list: readonly string[], v: string): boolean =>
    list.some((x) => x === '*' || x.toLowerCase() === v.toLowerCase());
  return any(f.resourceTypes, resourceType) && any(f.sourceIds, sourceId) && any(f.eventTypes, type);
}

function sessionMatches(s: Session, e: Record<string, unknown>): boolean {
  for (const filters of s.subscriptions.values()) {
    const included = filters.some((f) => f.modifier === 'include' && filterMatches(f, e));
    const excluded = filters.some((f) => f.modifier === 'exclude' && filterMatches(f, e));
    if (included && !excluded) return true;
  }
  return false;
}

export async function startMilestoneSimulator(
  options: MilestoneSimulatorOptions = {},
): Promise<MilestoneSimulator> {
  const username = options.username ?? 'admin';
  const password = options.password ?? 'admin';
  const clientId = options.clientId ?? 'GrantValidatorClient';
  const ttl = options.tokenTtlSeconds ?? 3600;
  const retention = options.retentionMs ?? 30_000;
  const tokens = new Map<string, number>();
  const refreshTokens = new Set<string>();
  const sessions = new Map<string, Session>();
  const states = new Map<string, Record<string, unknown>>();
  const sockets = new Set<Socket>();
  const open = new Set<WebSocket>();
  const commands: Record<string, unknown>[] = [];
  const tokenRequests: string[] = [];
  let rejectedUpgrades = 0;

  const issue = (): Record<string, unknown> => {
    const access = randomBytes(24).toString('base64url');
    tokens.set(access, Date.now() + ttl * 1000);
    const body: Record<string, unknown> = {
      access_token: access,
      expires_in: ttl,
      token_type: 'Bearer',
      scope: 'managementserver',
    };
    if (options.refreshTokens ?? true) {
      const refresh = randomBytes(24).toString('base64url');
      refreshTokens.add(refresh);
      body.refresh_token = refresh;
    }
    return body;
  };
  const valid = (token: string | undefined): boolean =>
    token !== undefined && (tokens.get(token) ?? 0) > Date.now();

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    if (req.method === 'POST' && url.pathname.toLowerCase() === '/api/idp/connect/token') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const grant = form.get('grant_type') ?? '';
        tokenRequests.push(grant);
        const reply = (status: number, body: Record<string, unknown>): void => {
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        };
        if (form.get('client_id') !== clientId) return reply(400, { error: 'invalid_client' });
        if (grant === 'password') {
          if (form.get('username') !== username || form.get('password') !== password) {
            return reply(400, { error: 'invalid_grant', error_description: 'invalid_username_or_password' });
          }
          return reply(200, issue());
        }
        if (grant === 'refresh_token') {
          const r = form.get('refresh_token') ?? '';
          if (!refreshTokens.delete(r)) return reply(400, { error: 'invalid_grant' });
          return reply(200, issue());
        }
        return reply(400, { error: 'unsupported_grant_type' });
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const wss = new WebSocketServer({ noServer: true, autoPong: false });
  let answerPings = true;
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    if (url.pathname.replace(/\/$/, '') !== '/api/ws/events/v1') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const header = req.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (header !== undefined && !valid(bearer)) {
      rejectedUpgrades++;
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, header !== undefined));
  });

  const send = (ws: WebSocket, body: unknown): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(body));
  };

  function serve(ws: WebSocket, authenticated: boolean): void {
    open.add(ws);
    ws.on('ping', (data: Buffer) => {
      if (answerPings) ws.pong(data);
    });
    let session: Session | undefined;
    ws.on('close', () => {
      open.delete(ws);
      if (session && session.socket === ws) {
        session.socket = undefined;
        session.disconnectedAt = Date.now();
      }
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      let cmd: Record<string, unknown> | undefined;
      try {
        const parsed: unknown = isBinary
          ? undefined
          : JSON.parse(Buffer.from(data as Buffer).toString('utf8'));
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
          cmd = parsed as Record<string, unknown>;
        }
      } catch {
        cmd = undefined;
      }
      // Malformed commands close the connection, as the gateway does.
      if (!cmd || typeof cmd.command !== 'string' || typeof cmd.commandId !== 'number') {
        ws.close(1008, 'malformed command');
        return;
      }
      commands.push(typeof cmd.token === 'string' ? { ...cmd, token: '***' } : cmd);
      const commandId = cmd.commandId;
      const reply = (status: number, body: Record<string, unknown> = {}): void =>
        send(ws, { commandId, status, ...body });
      const fail = (status: number, errorText: string): void => reply(status, { error: { errorText } });
      if (cmd.command === 'authenticate') {
        if (!valid(typeof cmd.token === 'string' ? cmd.token : undefined)) return fail(401, 'Invalid token');
        authenticated = true;
        return reply(200);
      }
      if (!authenticated) return fail(401, 'Not authenticated');
      switch (cmd.command) {
        case 'startSession': {
          const wanted = typeof cmd.sessionId === 'string' ? cmd.sessionId : '';
          const eventId = typeof cmd.eventId === 'string' ? cmd.eventId : '';
          const old = sessions.get(wanted);
          const resumable =
            old !== undefined &&
            (old.socket !== undefined || Date.now() - (old.disconnectedAt ?? 0) <= retention) &&
            (eventId === '' || old.log.some((e) => e.id === eventId));
          if (old && resumable) {
            old.socket?.close(1000, 'session resumed elsewhere');
            old.socket = ws;
            old.disconnectedAt = undefined;
            session = old;
            reply(200, { sessionId: old.id });
            const at = eventId === '' ? -1 : old.log.findIndex((e) => e.id === eventId);
            const from = Math.max(0, at + 1 - (options.replayOverlap ?? 0));
            const missed = old.log.slice(from).map((e) => e.body);
            if (missed.length > 0) send(ws, { events: missed });
            return;
          }
          if (old) sessions.delete(old.id);
          session = {
            id: randomUUID(),
            subscriptions: new Map(),
            log: [],
            socket: ws,
            disconnectedAt: undefined,
          };
          sessions.set(session.id, session);
          return reply(201, { sessionId: session.id });
        }
        case 'addSubscription': {
          if (!session) return fail(400, 'No session');
          const raw = Array.isArray(cmd.filters) ? cmd.filters : undefined;
          const filters: Filter[] = [];
          for (const f of raw ?? []) {
            const o = (typeof f === 'object' && f !== null ? f : {}) as Record<string, unknown>;
            const resourceTypes = strings(o.resourceTypes);
            const sourceIds = strings(o.sourceIds);
            const eventTypes = strings(o.eventTypes);
            if (
              (o.modifier !== 'include' && o.modifier !== 'exclude') ||
              !resourceTypes ||
              !sourceIds ||
              !eventTypes
            ) {
              return fail(400, 'Invalid filter');
            }
            filters.push({ modifier: o.modifier, resourceTypes, sourceIds, eventTypes });
          }
          if (!raw || filters.length === 0) return fail(400, 'Invalid filters');
          const subscriptionId = randomUUID();
          session.subscriptions.set(subscriptionId, filters);
          return reply(200, { subscriptionId });
        }
        case 'removeSubscription': {
          if (
            !session ||
            typeof cmd.subscriptionId !== 'string' ||
            !session.subscriptions.delete(cmd.subscriptionId)
          ) {
            return fail(404, 'Unknown subscription');
          }
          return reply(200);
        }
        case 'getState': {
          if (!session) return fail(400, 'No session');
          const s = session;
          return reply(200, { states: [...states.values()].filter((e) => sessionMatches(s, e)) });
        }
        default:
          return fail(400, `Unknown command ${cmd.command}`);
      }
    });
  }

  await new Promise<void>((resolve) => server.listen(0, options.host ?? '127.0.0.1', resolve));
  const addr = server.address() as AddressInfo;

  const drop = (): void => {
    for (const ws of open) ws.terminate();
  };

  return {
    url: `http://${addr.address}:${addr.port}`,
    get connections() {
      return open.size;
    },
    commands,
    tokenRequests,
    get rejectedUpgrades() {
      return rejectedUpgrades;
    },
    publish(...events: SimulatedMilestoneEvent[]): string[] {
      const bodies = events.map((e) => ({
        specversion: '1.0',
        type: e.type,
        source: e.source,
        time: e.time ?? new Date().toISOString(),
        datacontenttype: 'application/json',
        id: e.id ?? randomUUID(),
        ...(e.data === undefined ? {} : { data: e.data }),
        ...(e.stategroupid === undefined ? {} : { stategroupid: e.stategroupid }),
      }));
      for (const b of bodies)
        if (b.stategroupid !== undefined) states.set(`${b.source}|${b.stategroupid}`, b);
      for (const s of sessions.values()) {
        const mine = bodies.filter((b) => sessionMatches(s, b));
        if (mine.length === 0) continue;
        for (const b of mine) s.log.push({ id: b.id, body: b });
        if (s.log.length > MAX_LOG) s.log.splice(0, s.log.length - MAX_LOG);
        if (s.socket) send(s.socket, { events: mine });
      }
      return bodies.map((b) => b.id);
    },
    sendRaw(data: string | Uint8Array): void {
      for (const ws of open)
        ws.send(typeof data === 'string' ? data : Buffer.from(data), { binary: typeof data !== 'string' });
    },
    dropConnections: drop,
    recycle(): void {
      drop();
      sessions.clear();
      tokens.clear();
      refreshTokens.clear();
    },
    expireTokens(): void {
      tokens.clear();
    },
    answerPings(answer: boolean): void {
      answerPings = answer;
    },
    async close(): Promise<void> {
      drop();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import { Buffer } from 'node:buffer';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parseSoapEnvelope, SOAP11_NAMESPACE, SOAP12_NAMESPACE } from '../http/soap.js';
import {
  createDocumentAxisSimulator,
  type AxisAccount,
  type AxisSimulatorOptions,
  type MailboxMessage,
} from './axis.js';
import { createPortalSimulator, type PortalSimulatorOptions, type StoredDossier } from './portal.js';

/** A fault the simulator injects into the next matching request(s). */
export type SimulatorFault =
  | { readonly kind: 'latency'; readonly ms: number }
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string; readonly body?: string }
  /** Closes the socket without an answer. */
  | { readonly kind: 'drop' }
  /** Handles the request, then closes the socket without the answer (the work is done, the client cannot know). */
  | { readonly kind: 'dropAfterProcessing' }
  /** Handles the request, then never answers (until the simulator closes): a peer that dies mid-call. */
  | { readonly kind: 'hangAfterProcessing' }
  /**
   * Document axis: `sendEdoc` delivers the message twice (two docIds); `syncReceivedEdocList` lists
   * every message twice.
   */
  | { readonly kind: 'duplicate' };

/** A fault with how many requests it applies to and which paths. */
export interface SimulatorFaultRule {
  readonly fault: SimulatorFault;
  /** Requests affected. Default 1. */
  readonly times?: number;
  /** Only requests whose path starts with this. Default: every request except the token endpoint. */
  readonly pathPrefix?: string;
  /** Matching requests let through unharmed before the fault applies. Default 0. */
  readonly after?: number;
}

/** Options of {@link startLgspSimulator}. */
export interface LgspSimulatorOptions {
  /** Credentials accepted by the token endpoint. Default `sim-key` / `sim-secret`. */
  readonly consumerKey?: string;
  readonly consumerSecret?: string;
  /** Lifetime of issued tokens, in seconds. Default 3600. */
  readonly tokenLifetimeSeconds?: number;
  /** `X-SystemId`/`X-SecretKey` pair accepted by the services. Default `sim-system` / `sim-system-secret`. */
  readonly systemId?: string;
  readonly systemSecret?: string;
  /** Accepted `lgspaccesstoken` AccessKey/SecretKey. Default `sim-access` / `sim-access-secret`. */
  readonly accessKey?: string;
  readonly accessSecret?: string;
  /** Delay of every token response in ms (to widen races in tests). Default 0. */
  readonly tokenLatencyMs?: number;
  /**
   * Shared catalogues served at `/{name}/1.0?page=&size=` as `{ total, page, size, data }`.
   * Default: `dmdc_DmMaDanToc_Data` (ethnic groups) and `dmdc_QuanLyVBDH_Data` (sample agencies).
   */
  readonly catalogues?: Readonly<Record<string, readonly unknown[]>>;
  /** The document axis at `/v1/...`: its accounts (one mailbox per agency) and agency list. */
  readonly documentAxis?: AxisSimulatorOptions;
  /** The public-service portal adapter at `/dvcqg/1.0/login` and `/dvcqg/1.0/service` (its own session auth). */
  readonly portal?: PortalSimulatorOptions;
}

/** A request the simulator received. */
export interface SimulatorRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly requestId: string | undefined;
}

/** A running simulator on loopback. */
export interface LgspSimulator {
  /** Base URL of the gateway, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** The WSO2-style token endpoint. */
  readonly tokenUrl: string;
  /** Every service request received (token requests excluded). */
  readonly requests: SimulatorRequest[];
  /** Number of distinct tokens issued. */
  tokensIssued(): number;
  /** Number of requests to the token endpoint. */
  tokenRequests(): number;
  /** Queues a fault. */
  inject(rule: SimulatorFaultRule): void;
  /** Server-side revocation of every token (as an admin password change does). */
  revokeTokens(): void;
  /** The document-axis mailbox of an agency: every message delivered to it, with its status. */
  mailbox(organId: string): readonly MailboxMessage[];
  /** The document-axis accounts (`X-SystemId`/`X-SecretKey` and the agency each one is). */
  readonly axisAccounts: readonly AxisAccount[];
  /** The portal's dossiers of a receiving agency (one record per accepted create). */
  portalDossiers(agencyCode: string): readonly StoredDossier[];
  /** Ends every portal session (as a session timeout does). */
  expirePortalSessions(): void;
  /** Number of portal sessions opened. */
  portalSessionsIssued(): number;
  close(): Promise<void>;
}

interface Token {
  readonly value: string;
  readonly expiresAt: number;
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), { 'content-type': 'application/json; charset=utf-8' });
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The shared catalogue served at `/dmdc_DmMaDanToc_Data/1.0` (ethnic groups, an excerpt). */
const ETHNIC_GROUPS = [
  { Ma: '01', Ten: 'Kinh' },
  { Ma: '02', Ten: 'Tày' },
  { Ma: '03', Ten: 'Thái' },
  { Ma: '04', Ten: 'Hoa' },
  { Ma: '05', Ten: 'Khơ-me' },
  { Ma: '06', Ten: 'Mường' },
  { Ma: '07', Ten: 'Nùng' },
];

/** Sample agencies (codes of the form AAA.BB.CC.Lnn; the names are illustrative). */
const AGENCIES = [
  { MaDinhDanh: '000.00.00.G22', TenDonVi: 'Văn phòng Chính phủ' },
  { MaDinhDanh: '000.00.00.H22', TenDonVi: 'UBND tỉnh Hà Giang' },
  { MaDinhDanh: '000.00.08.H22', TenDonVi: 'Sở Thông tin và Truyền thông tỉnh Hà Giang' },
  { MaDinhDanh: '000.01.08.H22', TenDonVi: 'Trung tâm Công nghệ thông tin và Truyền thông' },
  { MaDinhDanh: '000.00.00.H37', TenDonVi: 'UBND tỉnh Lạng Sơn' },
  { MaDinhDanh: 'H37-KHONG-HOP-LE', TenDonVi: 'Bản ghi lỗi trong danh mục' },
];

/**
 * Starts a protocol simulator of an LGSP gateway on 127.0.0.1 (a random port): a WSO2-style token
 * endpoint (`POST /token`, same token until it expires), a JSON echo API (`/echo/1.0/...`), paged
 * shared catalogues (`/dmdc_DmMaDanToc_Data/1.0?page=&size=`, `/dmdc_QuanLyVBDH_Data/1.0`), and a SOAP 1.1/1.2 service (`/soap/1.0`,
 * operations `Echo` and `Fail`). Services accept a Bearer token, `X-SystemId`/`X-SecretKey` or
 * `lgspaccesstoken`. Faults (latency, status codes with `Retry-After`, dropped connections) and token
 * revocation are injected by the test. The public-service portal adapter is served at `/dvcqg/1.0/login`
 * and `/dvcqg/1.0/service` with sessions that expire, sample catalogues and dossier storage per agency.
 */
export async function startLgspSimulator(options: LgspSimulatorOptions = {}): Promise<LgspSimulator> {
  const key = options.consumerKey ?? 'sim-key';
  const secret = options.consumerSecret ?? 'sim-secret';
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const systemId = options.systemId ?? 'sim-system';
  const systemSecret = options.systemSecret ?? 'sim-system-secret';
  const accessKey = options.accessKey ?? 'sim-access';
  const accessSecret = options.accessSecret ?? 'sim-access-secret';
  let current: Token | undefined;
  const valid = new Map<string, Token>();
  let issued = 0;
  let tokenHits = 0;
  const faults: { rule: SimulatorFaultRule; left: number; skip: number }[] = [];
  const requests: SimulatorRequest[] = [];
  const sockets = new Set<Socket>();
  const axis = createDocumentAxisSimulator(options.documentAxis);
  const portal = createPortalSimulator(options.portal);
  const catalogues = options.catalogues ?? {
    dmdc_DmMaDanToc_Data: ETHNIC_GROUPS,
    dmdc_QuanLyVBDH_Data: AGENCIES,
  };

  const authorized = (req: IncomingMessage): boolean => {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      const token = valid.get(auth.slice(7));
      return token !== undefined && token.expiresAt > Date.now();
    }
    if (req.headers['x-systemid'] !== undefined) {
      if (axis.account(req) !== undefined) return true;
      return req.headers['x-systemid'] === systemId && req.headers['x-secretkey'] === systemSecret;
    }
    const lgsp = req.headers.lgspaccesstoken;
    if (typeof lgsp === 'string') {
      try {
        const v = JSON.parse(Buffer.from(lgsp, 'base64').toString('utf8')) as Record<string, unknown>;
        return v.AccessKey === accessKey && v.SecretKey === accessSecret;
      } catch {
        return false;
      }
    }
    return false;
  };

  const token = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    tokenHits++;
    const body = (await readBody(req)).toString('utf8');
    if (options.tokenLatencyMs) await new Promise((r) => setTimeout(r, options.tokenLatencyMs));
    const expected = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      json(res, 401, { error: 'invalid_client', error_description: 'Client Authentication failed.' });
      return;
    }
    if (new URLSearchParams(body).get('grant_type') !== 'client_credentials') {
      json(res, 400, { error: 'unsupported_grant_type' });
      return;
    }
    // WSO2 returns the same token until it expires.
    if (current === undefined || current.expiresAt <= Date.now() || !valid.has(current.value)) {
      issued++;
      current = { value: `sim-token-${issued}`, expiresAt: Date.now() + lifetime * 1000 };
      valid.set(current.value, current);
    }
    json(res, 200, {
      access_token: current.value,
      scope: 'default',
      token_type: 'Bearer',
      expires_in: Math.max(0, Math.floor((current.expiresAt - Date.now()) / 1000)),
    });
  };

  const soap = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const v12 = (req.headers['content-type'] ?? '').startsWith('application/soap+xml');
    const ns = v12 ? SOAP12_NAMESPACE : SOAP11_NAMESPACE;
    const type = v12 ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8';
    const envelope = (inner: string) =>
      `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="${ns}"><s:Body>${inner}</s:Body></s:Envelope>`;
    let operation: string | undefined;
    let text = '';
    try {
      const parsed = parseSoapEnvelope(body);
      operation = parsed.body[0]?.name;
      text = parsed.body[0]?.children.find((c) => c.name === 'Text')?.text ?? '';
    } catch {
      operation = undefined;
    }
    if (operation === 'Echo') {
      send(
        res,
        200,
        envelope(
          `<m:EchoResponse xmlns:m="urn:lgsp:sim"><m:Text>${escapeXml(text)}</m:Text></m:EchoResponse>`,
        ),
        {
          'content-type': type,
        },
      );
      return;
    }
    const fault = v12
      ? `<s:Fault><s:Code><s:Value>s:Receiver</s:Value></s:Code><s:Reason><s:Text xml:lang="vi">Không xử lý được yêu cầu</s:Text></s:Reason><s:Detail><m:Error xmlns:m="urn:lgsp:sim">E42</m:Error></s:Detail></s:Fault>`
      : `<s:Fault><faultcode>s:Server</faultcode><faultstring>Không xử lý được yêu cầu</faultstring><detail><m:Error xmlns:m="urn:lgsp:sim">E42</m:Error></detail></s:Fault>`;
    send(res, 500, envelope(fault), { 'content-type': type });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (req.method === 'POST' && url.pathname === '/token') {
      await token(req, res);
      return;
    }
    const requestId = req.headers['x-request-id'];
    requests.push({
      method: req.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      headers: { ...req.headers },
      requestId: typeof requestId === 'string' ? requestId : undefined,
    });
    let i = -1;
    for (const [n, f] of faults.entries()) {
      if (f.left === 0 || !url.pathname.startsWith(f.rule.pathPrefix ?? '/')) continue;
      if (f.skip > 0) f.skip--;
      else if (i === -1) i = n;
    }
    let special: 'dropAfterProcessing' | 'hangAfterProcessing' | 'duplicate' | undefined;
    if (i !== -1) {
      const f = faults[i] as { rule: SimulatorFaultRule; left: number; skip: number };
      f.left--;
      if (f.left === 0) faults.splice(i, 1);
      const fault = f.rule.fault;
      if (
        fault.kind === 'dropAfterProcessing' ||
        fault.kind === 'hangAfterProcessing' ||
        fault.kind === 'duplicate'
      ) {
        special = fault.kind;
      } else if (fault.kind === 'drop') {
        req.socket.destroy();
        return;
      } else if (fault.kind === 'latency') {
        // The request arrives whole; the answer is slow (and the work is done even if the client left).
        const early = await readBody(req);
        await new Promise((r) => setTimeout(r, fault.ms));
        await serve(req, res, url, early, undefined);
        return;
      } else {
        await readBody(req);
        send(res, fault.status, fault.body ?? JSON.stringify({ error: `injected ${fault.status}` }), {
          'content-type': 'application/json',
          ...(fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter }),
        });
        return;
      }
    }
    await serve(req, res, url, await readBody(req), special);
  };

  const serve = async (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    body: Buffer,
    special: 'dropAfterProcessing' | 'hangAfterProcessing' | 'duplicate' | undefined,
  ): Promise<void> => {
    const requestId = req.headers['x-request-id'];
    if (url.pathname.startsWith('/dvcqg/1.0/') && req.method === 'POST') {
      const answer = portal.handle(url.pathname, body);
      if (special === 'dropAfterProcessing') {
        req.socket.destroy();
        return;
      }
      if (special === 'hangAfterProcessing') return;
      json(res, answer.status, answer.body);
      return;
    }
    if (!authorized(req)) {
      json(res, 401, { code: 900901, message: 'Invalid Credentials', description: 'Access failure for API' });
      return;
    }
    if (url.pathname.startsWith('/v1/')) {
      const answer = await axis.handle(req, url, body, special === 'duplicate');
      if (special === 'dropAfterProcessing') {
        req.socket.destroy();
        return;
      }
      if (special === 'hangAfterProcessing') return;
      json(res, answer.status, answer.body);
      return;
    }
    if (url.pathname.startsWith('/echo/1.0')) {
      json(res, 200, {
        method: req.method,
        path: url.pathname.slice('/echo/1.0'.length),
        query: Object.fromEntries(url.searchParams),
        body: body.length === 0 ? null : (JSON.parse(body.toString('utf8')) as unknown),
        requestId,
      });
      return;
    }
    const catalogue = /^\/([A-Za-z0-9_]+)\/1\.0$/.exec(url.pathname)?.[1];
    const rows = catalogue === undefined ? undefined : catalogues[catalogue];
    if (rows !== undefined) {
      const page = Math.max(1, Number(url.searchParams.get('page') ?? '1'));
      const size = Math.max(1, Number(url.searchParams.get('size') ?? '3'));
      json(res, 200, {
        total: rows.length,
        page,
        size,
        data: rows.slice((page - 1) * size, page * size),
      });
      return;
    }
    if (url.pathname === '/soap/1.0' && req.method === 'POST') {
      soap(req, res, body);
      return;
    }
    json(res, 404, { code: 404, message: 'No matching resource found for given API Request' });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: String(error) });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    tokenUrl: `${url}/token`,
    requests,
    tokensIssued: () => issued,
    tokenRequests: () => tokenHits,
    inject(rule) {
      faults.push({ rule, left: rule.times ?? 1, skip: rule.after ?? 0 });
    },
    revokeTokens() {
      valid.clear();
      current = undefined;
    },
    mailbox: (organId) => axis.mailbox(organId),
    axisAccounts: axis.accounts,
    portalDossiers: (agencyCode) => portal.dossiers(agencyCode),
    expirePortalSessions: () => portal.expireSessions(),
    portalSessionsIssued: () => portal.sessionsIssued(),
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

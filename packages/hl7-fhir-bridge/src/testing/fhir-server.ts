import http from 'node:http';
import type net from 'node:net';

/** A resource as the test server keeps it: its JSON with `id` and `meta.versionId`/`meta.lastUpdated`. */
export interface StoredResource {
  readonly resourceType: string;
  readonly id: string;
  readonly meta: { readonly versionId: string; readonly lastUpdated: string };
  readonly [element: string]: unknown;
}

/** One request the server answered (or dropped), for assertions. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  /** HTTP status sent; 0 when the connection was dropped by a fault. */
  readonly status: number;
  /** The parsed JSON body, when there was one. */
  readonly body: unknown;
  readonly authorization: string | undefined;
}

/** A fault applied to the next `times` requests (default 1). */
export type FhirFault =
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly times?: number;
      /** Sent as the `Retry-After` header. */
      readonly retryAfter?: string;
    }
  | { readonly kind: 'drop'; readonly times?: number }
  | { readonly kind: 'latency'; readonly ms: number; readonly times?: number };

export interface FhirTestServerOptions {
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** `meta.lastUpdated` of writes. Default `() => new Date()`. */
  readonly clock?: () => Date;
  /** When set, every request must carry `Authorization: Bearer <token>` or gets 401. */
  readonly bearerToken?: string;
  /** Largest request body accepted. Default 16 MiB. */
  readonly maxBodyBytes?: number;
}

interface Outcome {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

class FhirHttpError extends Error {
  constructor(
    readonly status: number,
    readonly issueCode: string,
    message: string,
  ) {
    super(message);
  }
}

function operationOutcome(code: string, diagnostics: string, severity = 'error'): unknown {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, diagnostics }] };
}

const TYPE_RE = /^[A-Z][A-Za-z]{1,63}$/;
const ID_RE = /^[A-Za-z0-9\-.]{1,64}$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses `system|value`, `|value` (no system) or `value` (any system). */
function parseToken(token: string): { system: string | undefined; value: string } {
  const bar = token.indexOf('|');
  if (bar < 0) return { system: undefined, value: token };
  return { system: token.slice(0, bar), value: token.slice(bar + 1) };
}

function hasIdentifier(resource: Record<string, unknown>, token: string): boolean {
  const { system, value } = parseToken(token);
  const ids = resource.identifier;
  if (!Array.isArray(ids)) return false;
  return ids.some((raw) => {
    if (!isRecord(raw) || raw.value !== value) return false;
    if (system === undefined) return true;
    if (system === '') return raw.system === undefined;
    return raw.system === system;
  });
}

/** Search parameters the server understands: `identifier` (token) and `_id`. */
function parseQuery(query: string): [string, string][] {
  const params = [...new URLSearchParams(query)];
  if (params.length === 0) throw new FhirHttpError(400, 'invalid', 'A search needs at least one parameter');
  for (const [name] of params) {
    if (name !== 'identifier' && name !== '_id') {
      throw new FhirHttpError(400, 'not-supported', `Search parameter ${name} is not supported`);
    }
  }
  return params;
}

function sameContent(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const strip = (r: Record<string, unknown>) => JSON.stringify({ ...r, meta: undefined });
  return strip(a) === strip(b);
}

/** Replaces every `reference` equal to a bundle `fullUrl` by the resolved `Type/id`. */
function resolveReferences(value: unknown, map: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveReferences(v, map));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'reference' && typeof v === 'string') {
      const target = map.get(v);
      if (target === undefined && v.startsWith('urn:uuid:')) {
        throw new FhirHttpError(400, 'invalid', `Reference ${v} names no entry of the bundle`);
      }
      out[k] = target ?? v;
    } else out[k] = resolveReferences(v, map);
  }
  return out;
}

interface PlannedWrite {
  readonly type: string;
  readonly id: string;
  readonly resource: Record<string, unknown> | undefined;
  readonly created: boolean;
  /** An existing resource matched by a conditional create: nothing written. */
  readonly existing: StoredResource | undefined;
}

/**
 * A FHIR R4 server in memory for tests and demos, over HTTP JSON on loopback: `GET /metadata`,
 * `POST /` transaction and batch Bundles (conditional create with `ifNoneExist`, conditional update
 * with `PUT Type?identifier=system|value`, `urn:uuid` references resolved inside the bundle, all or
 * nothing), `GET /Type/id`, `GET /Type?identifier=system|value`, `PUT /Type/id`, `POST /Type`.
 * Faults (status codes, latency, dropped connections, down) are injected with {@link inject} and
 * {@link down}.
 */
export class FhirTestServer {
  /** Every request answered, in order. */
  readonly requests: RecordedRequest[] = [];
  private readonly data = new Map<string, Map<string, StoredResource>>();
  private readonly faults: { fault: FhirFault; left: number }[] = [];
  private readonly sockets = new Set<net.Socket>();
  private nextId = 1;
  private server: http.Server;
  private boundPort = 0;
  private isDown = false;

  private constructor(private readonly options: FhirTestServerOptions) {
    this.server = this.createServer();
  }

  /** Starts the server; resolves once it listens. */
  static async listen(options: FhirTestServerOptions = {}): Promise<FhirTestServer> {
    const s = new FhirTestServer(options);
    await s.bind(options.port ?? 0);
    return s;
  }

  get port(): number {
    return this.boundPort;
  }

  /** `http://127.0.0.1:<port>` — the FHIR base URL. */
  get baseUrl(): string {
    return `http://${this.options.host ?? '127.0.0.1'}:${this.boundPort}`;
  }

  /** Queues a fault for the next requests (applied in the order queued). */
  inject(fault: FhirFault): void {
    this.faults.push({ fault, left: fault.times ?? 1 });
  }

  /** Stops listening and drops open connections: clients get "connection refused" until {@link up}. */
  async down(): Promise<void> {
    if (this.isDown) return;
    this.isDown = true;
    await this.stop();
  }

  /** Listens again on the same port, keeping the data. */
  async up(): Promise<void> {
    if (!this.isDown) return;
    this.server = this.createServer();
    await this.bind(this.boundPort);
    this.isDown = false;
  }

  /** Every current resource of a type, in creation order. */
  resources(type: string): StoredResource[] {
    return [...(this.data.get(type)?.values() ?? [])];
  }

  /** Resources of `type` carrying the identifier `system|value`. */
  find(type: string, token: string): StoredResource[] {
    return this.resources(type).filter((r) => hasIdentifier(r, token));
  }

  async close(): Promise<void> {
    if (!this.isDown) await this.stop();
    this.isDown = true;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private createServer(): http.Server {
    const server = http.createServer((req, res) => {
      void this.handle(req, res);
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return server;
  }

  private bind(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, this.options.host ?? '127.0.0.1', () => {
        this.server.off('error', reject);
        this.boundPort = (this.server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }

  private stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    return closed;
  }

  private takeFault(): FhirFault | undefined {
    const head = this.faults[0];
    if (head === undefined) return undefined;
    head.left--;
    if (head.left <= 0) this.faults.shift();
    return head.fault;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const authorization = req.headers.authorization;
    let raw: Buffer;
    try {
      raw = await this.readBody(req);
    } catch {
      req.socket.destroy();
      return;
    }
    let body: unknown;
    let badJson = false;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        badJson = true;
      }
    }
    const fault = this.takeFault();
    if (fault?.kind === 'latency') await new Promise((r) => setTimeout(r, fault.ms));
    if (fault?.kind === 'drop') {
      this.requests.push({ method, url, status: 0, body, authorization });
      req.socket.destroy();
      return;
    }
    let outcome: Outcome;
    if (fault?.kind === 'status') {
      outcome = {
        status: fault.status,
        body: operationOutcome('transient', `Injected fault: HTTP ${fault.status}`),
        ...(fault.retryAfter === undefined ? {} : { headers: { 'retry-after': fault.retryAfter } }),
      };
    } else if (
      this.options.bearerToken !== undefined &&
      authorization !== `Bearer ${this.options.bearerToken}`
    ) {
      outcome = { status: 401, body: operationOutcome('login', 'A valid bearer token is required') };
    } else if (badJson) {
      outcome = { status: 400, body: operationOutcome('structure', 'The body is not valid JSON') };
    } else {
      try {
        outcome = this.route(method, url, body);
      } catch (err) {
        outcome =
          err instanceof FhirHttpError
            ? { status: err.status, body: operationOutcome(err.issueCode, err.message) }
            : { status: 500, body: operationOutcome('exception', String(err)) };
      }
    }
    this.requests.push({ method, url, status: outcome.status, body, authorization });
    const text = JSON.stringify(outcome.body);
    res.writeHead(outcome.status, {
      'content-type': 'application/fhir+json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      ...outcome.headers,
    });
    res.end(text);
  }

  private readBody(req: http.IncomingMessage): Promise<Buffer> {
    const max = this.options.maxBodyBytes ?? 16 * 1024 * 1024;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > max) reject(new Error('body too large'));
        else chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }

  private route(method: string, url: string, body: unknown): Outcome {
    const q = url.indexOf('?');
    const path = (q < 0 ? url : url.slice(0, q)).replace(/\/+$/, '');
    const query = q < 0 ? '' : url.slice(q + 1);
    const parts = path.split('/').filter((p) => p !== '');
    if (parts.length === 0) {
      if (method !== 'POST') throw new FhirHttpError(405, 'not-supported', `${method} / is not supported`);
      return { status: 200, body: this.bundle(body) };
    }
    if (parts.length === 1 && parts[0] === 'metadata' && method === 'GET') {
      return { status: 200, body: this.capabilityStatement() };
    }
    const [type, id] = parts as [string, string | undefined];
    if (!TYPE_RE.test(type) || parts.length > 2 || (id !== undefined && !ID_RE.test(id))) {
      throw new FhirHttpError(404, 'not-found', `Unknown path ${path}`);
    }
    if (method === 'GET' && id !== undefined) {
      const found = this.data.get(type)?.get(id);
      if (found === undefined) throw new FhirHttpError(404, 'not-found', `${type}/${id} does not exist`);
      return { status: 200, body: found, headers: { etag: `W/"${found.meta.versionId}"` } };
    }
    if (method === 'GET') return { status: 200, body: this.searchset(type, parseQuery(query)) };
    if (method === 'PUT' || method === 'POST') {
      const plan = this.plan([{ method, type, id, query, resource: body, fullUrl: undefined }]);
      const [written] = this.commit(plan);
      const w = written as { status: number; resource: StoredResource };
      return {
        status: w.status,
        body: w.resource,
        headers: {
          location: `${w.resource.resourceType}/${w.resource.id}/_history/${w.resource.meta.versionId}`,
        },
      };
    }
    throw new FhirHttpError(405, 'not-supported', `${method} is not supported`);
  }

  private capabilityStatement(): unknown {
    const types = ['Patient', 'Encounter', 'Coverage', 'Observation', 'DiagnosticReport', 'Specimen'].concat([
      'ServiceRequest',
      'Appointment',
      'DocumentReference',
      'Immunization',
    ]);
    return {
      resourceType: 'CapabilityStatement',
      status: 'active',
      date: '2026-01-01',
      kind: 'instance',
      software: { name: '@dttm/hl7-fhir-bridge FhirTestServer' },
      fhirVersion: '4.0.1',
      format: ['application/fhir+json'],
      rest: [
        {
          mode: 'server',
          interaction: [{ code: 'transaction' }, { code: 'batch' }],
          resource: types.map((type) => ({
            type,
            interaction: ['read', 'create', 'update', 'search-type'].map((code) => ({ code })),
            versioning: 'versioned',
            conditionalCreate: true,
            conditionalUpdate: true,
            searchParam: [{ name: 'identifier', type: 'token' }],
          })),
        },
      ],
    };
  }

  private search(type: string, params: [string, string][]): StoredResource[] {
    return this.resources(type).filter((r) =>
      params.every(([name, value]) => (name === '_id' ? r.id === value : hasIdentifier(r, value))),
    );
  }

  private searchset(type: string, params: [string, string][]): unknown {
    const found = this.search(type, params);
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total: found.length,
      entry: found.map((r) => ({
        fullUrl: `${this.baseUrl}/${type}/${r.id}`,
        resource: r,
        search: { mode: 'match' },
      })),
    };
  }

  private bundle(body: unknown): unknown {
    if (!isRecord(body) || body.resourceType !== 'Bundle') {
      throw new FhirHttpError(400, 'invalid', 'POST / takes a Bundle');
    }
    if (body.type !== 'transaction' && body.type !== 'batch') {
      throw new FhirHttpError(
        400,
        'invalid',
        `Bundle.type must be transaction or batch, not ${String(body.type)}`,
      );
    }
    const rawEntries = body.entry ?? [];
    if (!Array.isArray(rawEntries)) throw new FhirHttpError(400, 'invalid', 'Bundle.entry must be an array');
    const entries = rawEntries.map((e, i) => {
      if (!isRecord(e) || !isRecord(e.request)) {
        throw new FhirHttpError(400, 'invalid', `Bundle.entry[${i}].request is required`);
      }
      const { method, url, ifNoneExist } = e.request;
      if ((method !== 'POST' && method !== 'PUT') || typeof url !== 'string') {
        throw new FhirHttpError(
          400,
          'invalid',
          `Bundle.entry[${i}].request needs method POST or PUT and a url`,
        );
      }
      const q = url.indexOf('?');
      const [type, id, extra] = (q < 0 ? url : url.slice(0, q)).split('/');
      if (
        type === undefined ||
        !TYPE_RE.test(type) ||
        extra !== undefined ||
        (id !== undefined && !ID_RE.test(id))
      ) {
        throw new FhirHttpError(
          400,
          'invalid',
          `Bundle.entry[${i}].request.url ${url} is not Type, Type/id or Type?query`,
        );
      }
      return {
        method,
        type,
        id,
        query:
          method === 'POST'
            ? typeof ifNoneExist === 'string'
              ? ifNoneExist
              : ''
            : q < 0
              ? ''
              : url.slice(q + 1),
        resource: e.resource,
        fullUrl: typeof e.fullUrl === 'string' ? e.fullUrl : undefined,
      };
    });
    const transaction = body.type === 'transaction';
    if (transaction) {
      const results = this.commit(this.plan(entries));
      return {
        resourceType: 'Bundle',
        type: 'transaction-response',
        entry: results.map((r) => ({ response: r.response })),
      };
    }
    return {
      resourceType: 'Bundle',
      type: 'batch-response',
      entry: entries.map((e) => {
        try {
          const [r] = this.commit(this.plan([e]));
          return { response: (r as { response: unknown }).response };
        } catch (err) {
          const status = err instanceof FhirHttpError ? err.status : 500;
          const code = err instanceof FhirHttpError ? err.issueCode : 'exception';
          return {
            response: { status: String(status), outcome: operationOutcome(code, (err as Error).message) },
          };
        }
      }),
    };
  }

  /** Decides every write before any is made, so a failing entry leaves the store unchanged. */
  private plan(
    entries: readonly {
      method: string;
      type: string;
      id: string | undefined;
      query: string;
      resource: unknown;
      fullUrl: string | undefined;
    }[],
  ): PlannedWrite[] {
    const refs = new Map<string, string>();
    const claimed = new Set<string>();
    const conditions = new Set<string>();
    const planned = entries.map((e, i) => {
      const resource = e.resource;
      if (!isRecord(resource) || resource.resourceType !== e.type) {
        throw new FhirHttpError(400, 'invalid', `Entry ${i}: the resource must be a ${e.type}`);
      }
      if (e.query !== '' && e.id === undefined) {
        const condition = `${e.type}?${e.query}`;
        if (conditions.has(condition)) {
          throw new FhirHttpError(400, 'duplicate', `Entry ${i}: ${condition} appears twice in one bundle`);
        }
        conditions.add(condition);
      }
      let target: { id: string; existing: StoredResource | undefined };
      if (e.method === 'POST') {
        if (e.id !== undefined) throw new FhirHttpError(400, 'invalid', `Entry ${i}: POST takes no id`);
        const matches = e.query === '' ? [] : this.search(e.type, parseQuery(e.query));
        if (matches.length > 1) {
          throw new FhirHttpError(
            412,
            'multiple-matches',
            `Entry ${i}: ifNoneExist ${e.query} matches ${matches.length} resources`,
          );
        }
        const m = matches[0];
        target =
          m === undefined ? { id: String(this.nextId++), existing: undefined } : { id: m.id, existing: m };
      } else if (e.id !== undefined) {
        target = { id: e.id, existing: this.data.get(e.type)?.get(e.id) };
      } else {
        const matches = this.search(e.type, parseQuery(e.query));
        if (matches.length > 1) {
          throw new FhirHttpError(
            412,
            'multiple-matches',
            `Entry ${i}: ${e.type}?${e.query} matches ${matches.length} resources`,
          );
        }
        const m = matches[0];
        target = { id: m?.id ?? String(this.nextId++), existing: m };
      }
      const key = `${e.type}/${target.id}`;
      if (claimed.has(key))
        throw new FhirHttpError(400, 'duplicate', `Entry ${i}: ${key} is written twice in one bundle`);
      claimed.add(key);
      if (e.fullUrl !== undefined) refs.set(e.fullUrl, key);
      return { e, target };
    });
    return planned.map(({ e, target }) => {
      const conditionalCreateHit = e.method === 'POST' && target.existing !== undefined;
      return {
        type: e.type,
        id: target.id,
        resource: conditionalCreateHit
          ? undefined
          : (resolveReferences(e.resource, refs) as Record<string, unknown>),
        created: target.existing === undefined,
        existing: target.existing,
      };
    });
  }

  private commit(
    plan: readonly PlannedWrite[],
  ): { status: number; resource: StoredResource; response: unknown }[] {
    const now = (this.options.clock?.() ?? new Date()).toISOString();
    return plan.map((w) => {
      let stored: StoredResource;
      let status: number;
      if (w.resource === undefined) {
        stored = w.existing as StoredResource;
        status = 200;
      } else if (w.existing !== undefined && sameContent({ ...w.resource, id: w.id }, w.existing)) {
        stored = w.existing;
        status = 200;
      } else {
        const version = w.existing === undefined ? 1 : Number(w.existing.meta.versionId) + 1;
        stored = {
          ...w.resource,
          resourceType: w.type,
          id: w.id,
          meta: {
            ...(isRecord(w.resource.meta) ? w.resource.meta : {}),
            versionId: String(version),
            lastUpdated: now,
          },
        };
        let byType = this.data.get(w.type);
        if (byType === undefined) this.data.set(w.type, (byType = new Map<string, StoredResource>()));
        byType.set(w.id, stored);
        status = w.created ? 201 : 200;
      }
      return {
        status,
        resource: stored,
        response: {
          status: status === 201 ? '201 Created' : '200 OK',
          location: `${w.type}/${w.id}/_history/${stored.meta.versionId}`,
          etag: `W/"${stored.meta.versionId}"`,
          lastModified: stored.meta.lastUpdated,
        },
      };
    });
  }
}

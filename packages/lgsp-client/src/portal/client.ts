import { LgspError, isLgspError } from '../errors.js';
import { MemoryStore, type ExchangeStore } from '../exchange/store.js';
import type { LgspClient } from '../http/client.js';
import { systemClock, type Clock } from '../http/clock.js';
import {
  defaultPortalCodec,
  type PortalCodec,
  type PortalRequest,
  type PortalResponse,
  type PortalService,
} from './codec.js';
import type {
  DossierProgress,
  DossierSyncResult,
  PortalAgency,
  PortalDossier,
  PortalField,
  PortalProcedure,
  PortalProcedureDetail,
  PortalProcedurePage,
  PortalWriteResult,
} from './model.js';

/** Options of {@link PortalClient}. */
export interface PortalClientOptions {
  /** The client that carries the calls (gateway auth, TLS, retries, circuit breaker, middleware). */
  readonly client: LgspClient;
  /** The portal account. Never logged; the session token is kept in memory only. */
  readonly credentials: { readonly username: string; readonly password: string };
  /** How the calls travel over HTTP. Default {@link defaultPortalCodec}. */
  readonly codec?: PortalCodec;
  /** Path prefix of the adapter on the gateway, e.g. `/dvcqg/1.0`. Default none. */
  readonly basePath?: string;
  /**
   * Where dossier syncs the portal acknowledged are remembered (keys `portal:dossier:…`), so that
   * syncing the same dossier code and version again sends nothing. Default a {@link MemoryStore};
   * give a `FileStore` or `SqliteStore` to keep it across restarts.
   */
  readonly dedupStore?: ExchangeStore;
  /** Page size of {@link PortalClient.procedures}. Default 50. */
  readonly pageSize?: number;
  /**
   * Attempts of one dossier sync after network errors, timeouts and 5xx (4xx and portal refusals are
   * final): `maxAttempts` (default 3, including the first), backoff `baseDelayMs` (default 200) doubling
   * up to `maxDelayMs` (default 10 000), full jitter.
   */
  readonly syncRetry?: {
    readonly maxAttempts?: number;
    readonly baseDelayMs?: number;
    readonly maxDelayMs?: number;
  };
  /** Time source and sleep of the sync backoff. Default the system clock. */
  readonly clock?: Clock;
  /** Random numbers in [0, 1) for the backoff jitter. Default `Math.random`. */
  readonly random?: () => number;
}

/** Options common to every portal call. */
export interface PortalCallOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/** Options of {@link PortalClient.listProcedures}. */
export interface ListProceduresOptions extends PortalCallOptions {
  /** From 1. Default 1. */
  readonly page?: number;
  /** Default the client's `pageSize`. */
  readonly pageSize?: number;
  /** Only the procedures of this agency (`MaCoQuan`). */
  readonly agencyCode?: string;
}

const MAX_PAGES = 10_000;

/**
 * The national public-service portal adapter (Cổng dịch vụ công quốc gia, DVCQG): session login,
 * the procedure, agency and field catalogues, one-stop-shop dossier sync and progress updates,
 * carried by an {@link LgspClient} and encoded by a pluggable {@link PortalCodec}.
 *
 * The session is opened on the first call and re-used; when the portal reports it expired, one new
 * login is made (shared by every call waiting on it) and the call is repeated once.
 */
export class PortalClient {
  readonly codec: PortalCodec;
  private readonly client: LgspClient;
  private readonly credentials: { readonly username: string; readonly password: string };
  private readonly basePath: string;
  private readonly store: ExchangeStore;
  private readonly pageSize: number;
  private token: string | undefined;
  private pendingLogin: Promise<string> | undefined;
  private logins = 0;
  private readonly syncing = new Map<string, Promise<DossierSyncResult>>();
  private readonly syncRetry: {
    readonly maxAttempts: number;
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
  };
  private readonly clock: Clock;
  private readonly random: () => number;

  constructor(options: PortalClientOptions) {
    this.client = options.client;
    this.codec = options.codec ?? defaultPortalCodec();
    const { username, password } = options.credentials;
    if (typeof username !== 'string' || username === '' || typeof password !== 'string' || password === '') {
      throw new LgspError(
        'CONFIG_INVALID',
        'the portal needs a username and a password / cần tên đăng nhập và mật khẩu',
        {
          details: { field: username === '' ? 'credentials.username' : 'credentials.password' },
        },
      );
    }
    this.credentials = { username, password };
    const base = (options.basePath ?? '').replace(/\/+$/, '');
    if (base !== '' && !base.startsWith('/')) {
      throw new LgspError('CONFIG_INVALID', `basePath must start with "/", got "${base}"`, {
        details: { field: 'basePath' },
      });
    }
    this.basePath = base;
    this.store = options.dedupStore ?? new MemoryStore();
    this.syncRetry = {
      maxAttempts: options.syncRetry?.maxAttempts ?? 3,
      baseDelayMs: options.syncRetry?.baseDelayMs ?? 200,
      maxDelayMs: options.syncRetry?.maxDelayMs ?? 10_000,
    };
    if (!Number.isInteger(this.syncRetry.maxAttempts) || this.syncRetry.maxAttempts < 1) {
      throw new LgspError('CONFIG_INVALID', 'syncRetry.maxAttempts must be a positive integer', {
        details: { field: 'syncRetry.maxAttempts' },
      });
    }
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.pageSize = options.pageSize ?? 50;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1) {
      throw new LgspError('CONFIG_INVALID', 'pageSize must be a positive integer', {
        details: { field: 'pageSize' },
      });
    }
  }

  /** Number of logins made so far (the first one and every re-login). */
  get loginCount(): number {
    return this.logins;
  }

  /** Opens a session now (otherwise the first call does). */
  async login(options: PortalCallOptions = {}): Promise<void> {
    await this.session(options);
  }

  /** Forgets the session; the next call logs in again. */
  logout(): void {
    this.token = undefined;
  }

  /** One page of `LayDanhSachTTHC`. */
  async listProcedures(options: ListProceduresOptions = {}): Promise<PortalProcedurePage> {
    const page = options.page ?? 1;
    const pageSize = options.pageSize ?? this.pageSize;
    const params = {
      page,
      pageSize,
      ...(options.agencyCode === undefined ? {} : { maCoQuan: options.agencyCode }),
    };
    const response = await this.service('LayDanhSachTTHC', params, true, options);
    return this.codec.decodeProcedures(response, page);
  }

  /** Every procedure of `LayDanhSachTTHC`, page after page, until a short page or the announced total. */
  async *procedures(options: Omit<ListProceduresOptions, 'page'> = {}): AsyncGenerator<PortalProcedure> {
    const pageSize = options.pageSize ?? this.pageSize;
    let seen = 0;
    for (let page = 1; page <= MAX_PAGES; page++) {
      const result = await this.listProcedures({ ...options, page, pageSize });
      for (const item of result.items) yield item;
      seen += result.items.length;
      if (result.items.length < pageSize || (result.total !== undefined && seen >= result.total)) return;
    }
  }

  /** One procedure (`LayThuTuc`) by its code (`MaTTHC`). */
  async getProcedure(code: string, options: PortalCallOptions = {}): Promise<PortalProcedureDetail> {
    const response = await this.service('LayThuTuc', { maTTHC: code }, true, options);
    return this.codec.decodeProcedure(response);
  }

  /** The agencies (`LayDanhMucCoQuan`). */
  async listAgencies(options: PortalCallOptions = {}): Promise<PortalAgency[]> {
    return this.codec.decodeAgencies(await this.service('LayDanhMucCoQuan', {}, true, options));
  }

  /** The fields of procedures (`LayDanhMucLinhVuc`). */
  async listFields(options: PortalCallOptions = {}): Promise<PortalField[]> {
    return this.codec.decodeFields(await this.service('LayDanhMucLinhVuc', {}, true, options));
  }

  /**
   * Syncs one dossier (`DongBoHoSoMC`). The portal does not de-duplicate, so the client does: the
   * key `{receivingAgency}:{code}:{version}` of every sync the portal acknowledged is kept in the
   * dedup store, and syncing that key again resolves with `deduplicated: true` without a request
   * (concurrent syncs of one key share one request). Network errors, timeouts and 5xx are retried
   * with backoff (`syncRetry`), and each repeat is built with `repeat: true` (the default codec sends
   * `isUpdating: true`), so an attempt the portal stored before failing is replaced, not doubled. A 4xx
   * or a portal refusal is final.
   */
  async syncDossier(dossier: PortalDossier, options: PortalCallOptions = {}): Promise<DossierSyncResult> {
    // Validates the dossier before anything is sent.
    this.codec.dossierParams(dossier);
    const dedupKey = `${dossier.receivingAgency}:${dossier.code}:${dossier.version}`;
    const running = this.syncing.get(dedupKey);
    if (running !== undefined) return running;
    const task = this.runSync(dossier, dedupKey, options).finally(() => this.syncing.delete(dedupKey));
    this.syncing.set(dedupKey, task);
    return task;
  }

  /** Reports a processing step of a dossier (`CapNhatTienDoHoSoMC`). Not retried (each call adds a step). */
  async updateProgress(
    progress: DossierProgress,
    options: PortalCallOptions = {},
  ): Promise<PortalWriteResult> {
    const params = this.codec.progressParams(progress);
    return this.codec.decodeWrite(
      'CapNhatTienDoHoSoMC',
      await this.service('CapNhatTienDoHoSoMC', params, false, options),
    );
  }

  private async runSync(
    dossier: PortalDossier,
    dedupKey: string,
    options: PortalCallOptions,
  ): Promise<DossierSyncResult> {
    const storeKey = `portal:dossier:${dedupKey}`;
    const known = await this.store.get(storeKey);
    if (known !== undefined && known !== null && typeof known === 'object' && !Array.isArray(known)) {
      const message = known.message;
      return {
        dossierCode: dossier.code,
        dedupKey,
        deduplicated: true,
        ...(typeof message === 'string' ? { message } : {}),
        raw: known.raw ?? null,
      };
    }
    let result: PortalWriteResult;
    for (let attempt = 1; ; attempt++) {
      const params = this.codec.dossierParams(dossier, { repeat: attempt > 1 });
      try {
        result = this.codec.decodeWrite(
          'DongBoHoSoMC',
          await this.service('DongBoHoSoMC', params, false, options),
        );
        break;
      } catch (error) {
        if (!isLgspError(error) || !RETRIED.has(error.code) || attempt >= this.syncRetry.maxAttempts)
          throw error;
        const cap = Math.min(this.syncRetry.maxDelayMs, this.syncRetry.baseDelayMs * 2 ** (attempt - 1));
        try {
          await this.clock.sleep(Math.floor(this.random() * cap), options.signal);
        } catch (reason) {
          throw new LgspError('ABORTED', 'the call was aborted / cuộc gọi đã bị hủy', { cause: reason });
        }
      }
    }
    await this.store.set(storeKey, {
      raw: JSON.parse(JSON.stringify(result.raw ?? null)) as null,
      ...(result.message === undefined ? {} : { message: result.message }),
    });
    return { ...result, dossierCode: dossier.code, dedupKey, deduplicated: false };
  }

  private async session(options: PortalCallOptions): Promise<string> {
    if (this.token !== undefined) return this.token;
    this.pendingLogin ??= this.doLogin(
      options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs },
    ).finally(() => {
      this.pendingLogin = undefined;
    });
    return this.pendingLogin;
  }

  private async doLogin(options: PortalCallOptions): Promise<string> {
    this.logins++;
    try {
      const session = this.codec.decodeLogin(
        await this.send(this.codec.encodeLogin(this.credentials), false, options),
      );
      this.token = session.token;
      return session.token;
    } catch (error) {
      if (isLgspError(error) && (error.code === 'PORTAL_REJECTED' || error.code === 'HTTP_CLIENT_ERROR')) {
        throw new LgspError(
          'AUTH_FAILED',
          'the portal refused the login / cổng dịch vụ công từ chối đăng nhập',
          {
            cause: error,
            details: { operation: 'login', ...(error.details as Record<string, unknown> | undefined) },
          },
        );
      }
      throw error;
    }
  }

  private async service(
    service: PortalService,
    params: Readonly<Record<string, unknown>>,
    idempotent: boolean,
    options: PortalCallOptions,
  ): Promise<PortalResponse> {
    for (let renewed = false; ; renewed = true) {
      const token = await this.session(options);
      try {
        const response = await this.send(
          this.codec.encodeService(service, token, params),
          idempotent,
          options,
        );
        // Session errors reported in a 2xx body are found by decoding the result code here.
        if (!renewed) this.probeSession(service, response);
        return response;
      } catch (error) {
        if (renewed || !isSessionError(error)) throw error;
        if (this.token === token) this.token = undefined;
      }
    }
  }

  /** Throws the codec's session error, if a 2xx answer carries one, so that it is renewed once. */
  private probeSession(service: PortalService, response: PortalResponse): void {
    try {
      this.codec.decodeWrite(service, response);
    } catch (error) {
      if (isSessionError(error)) throw error;
    }
  }

  private async send(
    request: PortalRequest,
    idempotent: boolean,
    options: PortalCallOptions,
  ): Promise<PortalResponse> {
    return this.client.request({
      method: request.method,
      path: `${this.basePath}${request.path}`,
      ...(request.headers === undefined ? {} : { headers: request.headers }),
      ...(request.body === undefined ? {} : { body: request.body }),
      idempotent,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
  }
}

/** Failures after which the portal may or may not have stored the dossier. */
const RETRIED = new Set<string>(['NETWORK_ERROR', 'TIMEOUT', 'HTTP_SERVER_ERROR']);

function isSessionError(error: unknown): boolean {
  if (!isLgspError(error) || error.code !== 'AUTH_FAILED') return false;
  const details = error.details as { session?: unknown; status?: unknown } | undefined;
  return details?.session === true || details?.status === 401;
}

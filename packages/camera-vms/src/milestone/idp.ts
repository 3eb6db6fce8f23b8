import { CameraError, msg } from '../errors.js';

/** Options of {@link MilestoneIdp}. */
export interface MilestoneIdpOptions {
  /** API Gateway (or management server) base URL, e.g. `https://vms.example.vn`. */
  readonly url: string;
  /** A basic user of the VMS. */
  readonly username: string;
  readonly password: string;
  /** OAuth2 client. Default `GrantValidatorClient` (the one XProtect registers for basic users). */
  readonly clientId?: string;
  /** Token endpoint path. Default `/API/IDP/connect/token` (through the API Gateway). */
  readonly tokenPath?: string;
  /** A token is renewed when it has less than this left. Default 60 000 ms. */
  readonly refreshMarginMs?: number;
  /** Per request. Default 10 000 ms. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly clock?: { now(): number };
}

interface Held {
  readonly accessToken: string;
  readonly expiresAt: number;
  readonly refreshToken?: string;
}

/**
 * OAuth2 bearer tokens from the XProtect identity provider (`POST /API/IDP/connect/token`, password grant
 * for basic users). Tokens are cached until `refreshMarginMs` before they expire, then renewed with the
 * refresh token when the IDP gave one (falling back to the password grant), or with the password grant.
 * Concurrent callers share one request. The password and tokens never appear in errors.
 */
export class MilestoneIdp {
  private held: Held | undefined;
  private pending: Promise<Held> | undefined;
  private readonly endpoint: URL;
  private readonly fetchFn: typeof fetch;
  private readonly clock: { now(): number };
  /** Token requests made, for monitoring and tests. */
  requests = 0;

  constructor(private readonly options: MilestoneIdpOptions) {
    let base: URL;
    try {
      base = new URL(options.url);
    } catch (cause) {
      throw new CameraError('INVALID_ARGUMENT', msg('url is not a valid URL', 'url không hợp lệ'), { cause });
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new CameraError(
        'INVALID_ARGUMENT',
        msg('the IDP url must be http(s)', 'url IDP phải là http(s)'),
      );
    }
    this.endpoint = new URL(options.tokenPath ?? '/API/IDP/connect/token', base);
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.clock = options.clock ?? { now: () => Date.now() };
  }

  /** A bearer token valid for at least `refreshMarginMs`. */
  async token(signal?: AbortSignal): Promise<string> {
    const margin = this.options.refreshMarginMs ?? 60_000;
    const held = this.held;
    if (held && held.expiresAt - margin > this.clock.now()) return held.accessToken;
    this.pending ??= this.renew(held, signal).finally(() => {
      this.pending = undefined;
    });
    return (await this.pending).accessToken;
  }

  /** Forgets the cached token (after the gateway rejected it); the next `token()` asks the IDP. */
  invalidate(): void {
    this.held = undefined;
  }

  private async renew(held: Held | undefined, signal: AbortSignal | undefined): Promise<Held> {
    const clientId = this.options.clientId ?? 'GrantValidatorClient';
    if (held?.refreshToken !== undefined) {
      try {
        return (this.held = await this.request(
          { grant_type: 'refresh_token', refresh_token: held.refreshToken, client_id: clientId },
          signal,
        ));
      } catch (err) {
        // An expired or revoked refresh token: log in again. Anything else (network, abort) is final.
        if (!(err instanceof CameraError) || err.code !== 'AUTH_FAILED') throw err;
      }
    }
    return (this.held = await this.request(
      {
        grant_type: 'password',
        username: this.options.username,
        password: this.options.password,
        client_id: clientId,
      },
      signal,
    ));
  }

  private async request(form: Record<string, string>, signal: AbortSignal | undefined): Promise<Held> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 10_000);
    const s = signal ? AbortSignal.any([signal, timeout]) : timeout;
    this.requests++;
    const started = this.clock.now();
    let res: Response;
    try {
      res = await this.fetchFn(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(form).toString(),
        signal: s,
      });
    } catch (cause) {
      if (signal?.aborted) {
        throw new CameraError('ABORTED', msg('the operation was aborted', 'thao tác đã bị hủy'), { cause });
      }
      const timedOut = timeout.aborted;
      throw new CameraError(
        timedOut ? 'TIMEOUT' : 'NETWORK',
        msg(
          `cannot reach the identity provider ${this.endpoint.origin}`,
          `không kết nối được IDP ${this.endpoint.origin}`,
        ),
        { cause, retryable: true, details: { url: this.endpoint.origin } },
      );
    }
    const text = await res.text().catch(() => '');
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
    } catch {
      body = {};
    }
    if (res.status === 400 || res.status === 401 || res.status === 403) {
      const error = typeof body.error === 'string' ? body.error.slice(0, 64) : undefined;
      throw new CameraError(
        'AUTH_FAILED',
        msg('the identity provider rejected the credentials', 'IDP từ chối thông tin đăng nhập'),
        { details: { status: res.status, ...(error === undefined ? {} : { error }) } },
      );
    }
    if (res.status !== 200) {
      throw new CameraError(
        'HTTP_ERROR',
        msg(`identity provider: HTTP ${res.status}`, `IDP: HTTP ${res.status}`),
        { retryable: res.status >= 500, details: { status: res.status } },
      );
    }
    const accessToken = body.access_token;
    const expiresIn = body.expires_in;
    if (
      typeof accessToken !== 'string' ||
      accessToken === '' ||
      typeof expiresIn !== 'number' ||
      !(expiresIn > 0)
    ) {
      throw new CameraError(
        'RESPONSE_INVALID',
        msg('the identity provider sent no access_token/expires_in', 'IDP không trả access_token/expires_in'),
        { details: { path: typeof accessToken !== 'string' ? 'access_token' : 'expires_in' } },
      );
    }
    const refreshToken =
      typeof body.refresh_token === 'string' && body.refresh_token !== '' ? body.refresh_token : undefined;
    return {
      accessToken,
      expiresAt: started + expiresIn * 1000,
      ...(refreshToken === undefined ? {} : { refreshToken }),
    };
  }
}

import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { CameraError, msg } from './errors.js';
import { digestAuthorization, parseChallenges, pickDigest, type DigestSession } from './onvif/auth.js';

export interface DigestHttpOptions {
  /** Device base URL, e.g. `http://10.0.0.65`. */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly fetch?: typeof fetch;
  readonly randomBytes?: (size: number) => Uint8Array;
}

/** HTTP requests with digest authentication (RFC 7616), keeping the session between requests. */
export class DigestHttp {
  readonly base: URL;
  private readonly fetchFn: typeof fetch;
  private readonly random: (size: number) => Uint8Array;
  private digest: DigestSession | undefined;

  constructor(private readonly options: DigestHttpOptions) {
    try {
      this.base = new URL(options.url);
    } catch (cause) {
      throw new CameraError('INVALID_ARGUMENT', msg('url is not a valid URL', 'url không hợp lệ'), { cause });
    }
    if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:') {
      throw new CameraError('INVALID_ARGUMENT', msg('url must be http(s)', 'url phải là http(s)'));
    }
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.random = options.randomBytes ?? ((n: number) => new Uint8Array(nodeRandomBytes(n)));
  }

  /** GET with digest authentication; the body is left unread for the caller. */
  get(path: string, signal: AbortSignal): Promise<Response> {
    return this.request('GET', path, signal);
  }

  /** A request with digest authentication; the response body is left unread for the caller. */
  async request(
    method: 'GET' | 'PUT' | 'POST',
    path: string,
    signal: AbortSignal,
    body?: { readonly text: string; readonly contentType: string },
  ): Promise<Response> {
    const url = new URL(path, this.base);
    let challenged = false;
    for (;;) {
      const headers: Record<string, string> = {};
      if (this.digest) {
        const cnonce = Buffer.from(this.random(8)).toString('hex');
        headers.authorization = digestAuthorization(
          this.digest,
          method,
          url.pathname + url.search,
          this.options.username,
          this.options.password,
          cnonce,
        );
      }
      let res: Response;
      try {
        if (body) headers['content-type'] = body.contentType;
        res = await this.fetchFn(url, { method, headers, signal, ...(body ? { body: body.text } : {}) });
      } catch (cause) {
        if (signal.aborted && (signal.reason as { name?: string } | undefined)?.name !== 'TimeoutError') {
          throw new CameraError('ABORTED', msg('the operation was aborted', 'thao tác đã bị hủy'), { cause });
        }
        const timeout = (cause as { name?: string }).name === 'TimeoutError';
        throw new CameraError(
          timeout ? 'TIMEOUT' : 'NETWORK',
          msg(`cannot reach ${url.origin}`, `không kết nối được ${url.origin}`),
          { cause, retryable: true, details: { url: url.origin } },
        );
      }
      if (res.status === 401) {
        const challenge = pickDigest(parseChallenges(res.headers.get('www-authenticate') ?? ''));
        await res.body?.cancel();
        if (challenge && (!challenged || challenge.params.stale?.toLowerCase() === 'true')) {
          challenged = true;
          this.digest = { challenge, nc: 0 };
          continue;
        }
        throw new CameraError(
          'AUTH_FAILED',
          msg('the device rejected the credentials', 'thiết bị từ chối thông tin đăng nhập'),
          { details: { status: 401, path: url.pathname } },
        );
      }
      return res;
    }
  }
}

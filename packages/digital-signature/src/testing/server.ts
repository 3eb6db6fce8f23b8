import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FetchLike } from '../net.js';
import { createP7b, type OcspResponseOptions, type TestPki } from './pki.js';

export interface TestPkiServerOptions {
  /** OCSP response options applied to every answer (nonce mode, responder, times). */
  readonly ocsp?: OcspResponseOptions;
  /** Largest accepted request body (default 64 KiB). */
  readonly maxRequestBytes?: number;
}

/**
 * Serves a `TestPki` over HTTP on 127.0.0.1 (random port), for every CA published with
 * `pki.publish(name, ca)`:
 *
 * - `GET /<name>.cer`: the CA certificate (DER), `GET /<name>.p7b`: the same in a `.p7b` bundle
 *   (AIA caIssuers);
 * - `GET /<name>.crl`: a fresh CRL from the PKI's revocation records;
 * - `POST /ocsp/<name>` (`application/ocsp-request`): an OCSP response (good / revoked / unknown,
 *   nonce echoed, signed by the delegated responder set with `setOcspResponder`).
 *
 * `fetch` sends the PKI's base URL (`http://pki.test` by default) to this server.
 */
export class TestPkiServer {
  /** Requests served, as `METHOD /path`, in order. */
  readonly hits: string[] = [];
  /** When set, every request is answered with this HTTP status and no body. */
  failWith: number | undefined;
  /** Options of the OCSP answers; may be changed between requests. */
  ocsp: OcspResponseOptions;
  private server: Server | undefined;
  private origin = '';
  private readonly maxRequestBytes: number;

  constructor(
    readonly pki: TestPki,
    options: TestPkiServerOptions = {},
  ) {
    this.ocsp = options.ocsp ?? {};
    this.maxRequestBytes = options.maxRequestBytes ?? 64 * 1024;
  }

  /** `http://127.0.0.1:<port>` once started. */
  get url(): string {
    return this.origin;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A `FetchLike` (for `verifyCms` and the others) that routes the PKI's URLs to this server. */
  readonly fetch: FetchLike = (url, init) =>
    fetch(url.startsWith(this.pki.baseUrl) ? this.origin + url.slice(this.pki.baseUrl.length) : url, {
      method: init.method,
      signal: init.signal,
      ...(init.headers === undefined ? {} : { headers: init.headers }),
      ...(init.body === undefined ? {} : { body: init.body }),
    });

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > this.maxRequestBytes) {
        res.writeHead(413).end();
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      this.hits.push(`${method} ${path}`);
      if (this.failWith !== undefined) {
        res.writeHead(this.failWith).end();
        return;
      }
      const answer = this.route(method, path, new Uint8Array(Buffer.concat(chunks)));
      if (answer === undefined) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': answer.type }).end(Buffer.from(answer.body));
    });
  }

  private route(
    method: string,
    path: string,
    body: Uint8Array,
  ): { type: string; body: Uint8Array } | undefined {
    const ocsp = /^\/ocsp\/([^/]+)$/.exec(path);
    if (ocsp !== null) {
      const ca = this.pki.published(decodeURIComponent(ocsp[1] ?? ''));
      if (ca === undefined || method !== 'POST') return undefined;
      return { type: 'application/ocsp-response', body: this.pki.ocspResponse(ca, body, this.ocsp) };
    }
    const file = /^\/([^/]+)\.(cer|p7b|crl)$/.exec(path);
    if (file === null || method !== 'GET') return undefined;
    const ca = this.pki.published(decodeURIComponent(file[1] ?? ''));
    if (ca === undefined) return undefined;
    switch (file[2]) {
      case 'cer':
        return { type: 'application/pkix-cert', body: ca.der };
      case 'p7b':
        return { type: 'application/pkcs7-mime', body: createP7b([ca.der]) };
      default:
        return { type: 'application/pkix-crl', body: this.pki.crl(ca) };
    }
  }
}

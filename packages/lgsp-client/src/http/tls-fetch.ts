import { Buffer } from 'node:buffer';
import { request as httpRequest, Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';

/**
 * TLS settings for the gateway. Certificates are always verified: there is deliberately no option
 * to turn verification off. Use `ca` for gateways whose certificates chain to a Vietnamese CA.
 */
export interface TlsOptions {
  /** Extra trusted CA certificates (PEM), added to Node's default roots. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** Client certificate chain (PEM) for mutual TLS. */
  readonly cert?: string | Buffer;
  /** Client private key (PEM) for mutual TLS. */
  readonly key?: string | Buffer;
  /** Passphrase of `key`. */
  readonly passphrase?: string;
  /** Expected server name when it differs from the URL host. */
  readonly servername?: string;
}

/** Options of {@link createNodeFetch}. */
export interface NodeFetchOptions {
  readonly tls?: TlsOptions;
  /** Maximum sockets per origin. Default 64. */
  readonly maxSockets?: number;
}

/**
 * A `fetch`-compatible function over `node:http`/`node:https` with keep-alive agents and the given
 * TLS settings (custom CA bundle, client certificate). Used by the client when `tls` is set.
 */
/** A `fetch` function that owns keep-alive agents; `close()` destroys their sockets. */
export type NodeFetch = typeof fetch & { close(): void };

export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  const tls = options.tls ?? {};
  const extraCa: (string | Buffer)[] | undefined =
    tls.ca === undefined
      ? undefined
      : typeof tls.ca === 'string' || Buffer.isBuffer(tls.ca)
        ? [tls.ca]
        : [...tls.ca];
  const httpsAgent = new HttpsAgent({
    keepAlive: true,
    maxSockets: options.maxSockets ?? 64,
    // A custom CA adds to Node's bundled roots instead of replacing them.
    ...(extraCa === undefined ? {} : { ca: [...rootCertificates, ...extraCa] }),
    ...(tls.cert === undefined ? {} : { cert: tls.cert }),
    ...(tls.key === undefined ? {} : { key: tls.key }),
    ...(tls.passphrase === undefined ? {} : { passphrase: tls.passphrase }),
    ...(tls.servername === undefined ? {} : { servername: tls.servername }),
    rejectUnauthorized: true,
  });
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 });

  const nodeFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key] = value;
    });
    if (body !== undefined) headers['content-length'] = String(body.length);
    const isHttps = url.protocol === 'https:';
    return new Promise<Response>((resolve, reject) => {
      const req = (isHttps ? httpsRequest : httpRequest)(
        url,
        { method: request.method, headers, agent: isHttps ? httpsAgent : httpAgent, signal: request.signal },
        (res: IncomingMessage) => {
          const responseHeaders = new Headers();
          for (const [key, value] of Object.entries(res.headers)) {
            if (Array.isArray(value)) for (const v of value) responseHeaders.append(key, v);
            else if (value !== undefined) responseHeaders.set(key, value);
          }
          const status = res.statusCode ?? 502;
          const noBody = status === 204 || status === 304 || request.method === 'HEAD';
          if (noBody) res.resume();
          resolve(
            new Response(noBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), {
              status,
              statusText: res.statusMessage ?? '',
              headers: responseHeaders,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  };
  return Object.assign(nodeFetch, {
    close(): void {
      httpsAgent.destroy();
      httpAgent.destroy();
    },
  });
}

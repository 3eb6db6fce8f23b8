import { createHash, randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parseChallenges } from '../onvif/auth.js';

export interface DahuaSimulatorOptions {
  readonly username?: string;
  readonly password?: string;
  /** Split every write into chunks of this many bytes. Default: whole parts. */
  readonly chunkBytes?: number;
  readonly host?: string;
}

/** A Dahua CGI simulator: digest auth and the multipart `eventManager.cgi?action=attach` stream. */
export interface DahuaSimulator {
  /** Base URL, e.g. `http://127.0.0.1:41236`. */
  readonly url: string;
  /** Open attach connections. */
  readonly streams: number;
  /** The query strings of attach requests received. */
  readonly attachQueries: readonly string[];
  /** The query strings of `ptz.cgi` requests received. */
  readonly ptzQueries: readonly string[];
  /** Sends one part holding these event lines (`Code=…;action=…;index=…[;data={…}]`). */
  publish(...lines: string[]): void;
  heartbeat(): void;
  writeRaw(bytes: Uint8Array | string): void;
  dropConnections(): void;
  close(): Promise<void>;
}

export async function startDahuaSimulator(options: DahuaSimulatorOptions = {}): Promise<DahuaSimulator> {
  const username = options.username ?? 'admin';
  const password = options.password ?? 'admin';
  const realm = 'Login to 4L0123PAZ00001';
  const nonces = new Set<string>();
  const streams = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  const attachQueries: string[] = [];
  const ptzQueries: string[] = [];
  const write = (res: ServerResponse, data: Buffer): void => {
    const size = options.chunkBytes ?? data.length;
    for (let i = 0; i < data.length; i += size) res.write(data.subarray(i, i + size));
  };
  const part = (text: string): Buffer => {
    const body = Buffer.from(text);
    return Buffer.concat([
      Buffer.from(`--myboundary\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n`),
      body,
      Buffer.from('\r\n'),
    ]);
  };
  const broadcast = (data: Buffer): void => {
    for (const res of streams) write(res, data);
  };

  const server = createServer((req, res) => {
    const header = req.headers.authorization ?? '';
    const p = parseChallenges(header)[0]?.params ?? {};
    const h = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');
    const ok =
      header.startsWith('Digest ') &&
      p.username === username &&
      p.nonce !== undefined &&
      nonces.has(p.nonce) &&
      p.uri === req.url &&
      p.response ===
        h(
          `${h(`${username}:${realm}:${password}`)}:${p.nonce}:${p.nc ?? ''}:${p.cnonce ?? ''}:auth:${h(`GET:${p.uri}`)}`,
        );
    if (!ok) {
      const nonce = randomBytes(12).toString('hex');
      nonces.add(nonce);
      res.writeHead(401, {
        'www-authenticate': `Digest realm="${realm}", qop="auth", nonce="${nonce}", opaque="dahua"`,
      });
      res.end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://sim');
    if (url.pathname === '/cgi-bin/eventManager.cgi' && url.searchParams.get('action') === 'attach') {
      attachQueries.push(url.search);
      res.writeHead(200, { 'content-type': 'multipart/x-mixed-replace; boundary=myboundary' });
      res.flushHeaders();
      streams.add(res);
      res.on('close', () => streams.delete(res));
      return;
    }
    if (url.pathname === '/cgi-bin/snapshot.cgi') {
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end(Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
      return;
    }
    if (url.pathname === '/cgi-bin/ptz.cgi') {
      ptzQueries.push(url.search);
      const ok =
        ['start', 'stop'].includes(url.searchParams.get('action') ?? '') && url.searchParams.has('code');
      res
        .writeHead(ok ? 200 : 400, { 'content-type': 'text/plain' })
        .end(ok ? 'OK\r\n' : 'Error\r\nBad Request!\r\n');
      return;
    }
    res.writeHead(400, { 'content-type': 'text/plain' }).end('Error\r\nBad Request!\r\n');
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, options.host ?? '127.0.0.1', resolve));
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${addr.address}:${addr.port}`,
    get streams() {
      return streams.size;
    },
    attachQueries,
    ptzQueries,
    publish: (...lines: string[]) => broadcast(part(lines.join('\r\n'))),
    heartbeat: () => broadcast(part('Heartbeat')),
    writeRaw: (bytes) => broadcast(Buffer.from(bytes)),
    dropConnections(): void {
      for (const s of sockets) s.destroy();
    },
    async close(): Promise<void> {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

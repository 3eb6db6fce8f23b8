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
  /** Files `mediaFileFind.cgi` can find (device wall-clock times, `YYYY-MM-DD HH:mm:ss`). */
  readonly recordings?: readonly SimulatedDahuaRecording[];
  /** Most items one `findNextFile` answers, whatever `count` asks. Default 100. */
  readonly findPageSize?: number;
}

/** A recorded file of the simulated recorder. */
export interface SimulatedDahuaRecording {
  /** 1-based. */
  readonly channel: number;
  readonly start: string;
  readonly end: string;
  /** Default `dav`. */
  readonly type?: 'dav' | 'jpg';
  readonly events?: readonly string[];
  readonly flags?: readonly string[];
  readonly length?: number;
  /** Default derived from channel and times. */
  readonly filePath?: string;
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
  /** The query strings of `mediaFileFind.cgi` requests received. */
  readonly findQueries: readonly string[];
  /** `mediaFileFind` objects created and not yet destroyed. */
  readonly findObjects: number;
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
  const findQueries: string[] = [];
  const finders = new Map<string, { results: SimulatedDahuaRecording[] | undefined }>();
  let nextObject = 8137;
  const wall = (v: string): number => {
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})$/.exec(v.trim());
    return m
      ? Date.UTC(+(m[1] ?? 0), +(m[2] ?? 1) - 1, +(m[3] ?? 1), +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0))
      : Number.NaN;
  };
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
    if (url.pathname === '/cgi-bin/mediaFileFind.cgi') {
      findQueries.push(url.search);
      const q = url.searchParams;
      const action = q.get('action');
      const text = (status: number, body: string): void => {
        res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
      };
      if (action === 'factory.create') {
        const object = String(nextObject++);
        finders.set(object, { results: undefined });
        return text(200, `result=${object}\r\n`);
      }
      const finder = finders.get(q.get('object') ?? '');
      if (!finder) return text(400, 'Error\r\nBad Request!\r\n');
      if (action === 'findFile') {
        const channel = Number(q.get('condition.Channel'));
        const from = wall(q.get('condition.StartTime') ?? '');
        const to = wall(q.get('condition.EndTime') ?? '');
        const types = [...q.entries()].filter(([k]) => k.startsWith('condition.Types[')).map(([, v]) => v);
        const events = [...q.entries()].filter(([k]) => k.startsWith('condition.Events[')).map(([, v]) => v);
        if (!Number.isInteger(channel) || !Number.isFinite(from) || !Number.isFinite(to)) {
          return text(400, 'Error\r\nBad Request!\r\n');
        }
        finder.results = (options.recordings ?? []).filter(
          (r) =>
            r.channel === channel &&
            wall(r.start) <= to &&
            wall(r.end) >= from &&
            (types.length === 0 || types.includes(r.type ?? 'dav')) &&
            (events.length === 0 || (r.events ?? []).some((e) => events.includes(e))),
        );
        // Like many firmwares: nothing found is a refused request.
        if (finder.results.length === 0) return text(400, 'Error\r\nBad Request!\r\n');
        return text(200, 'OK\r\n');
      }
      if (action === 'findNextFile') {
        const count = Math.min(Number(q.get('count') ?? '100'), options.findPageSize ?? 100, 100);
        const batch = (finder.results ?? []).splice(0, Math.max(0, count));
        const lines = [`found=${batch.length}`];
        batch.forEach((r, i) => {
          const path =
            r.filePath ??
            `/mnt/dvr/sda0/${r.start.slice(0, 10)}/${r.channel - 1}/dav/${r.start.slice(11).replace(/:/g, '.')}-${r.end.slice(11).replace(/:/g, '.')}[R][0@0][0].${r.type ?? 'dav'}`;
          lines.push(
            `items[${i}].Channel=${r.channel}`,
            `items[${i}].StartTime=${r.start}`,
            `items[${i}].EndTime=${r.end}`,
            `items[${i}].Type=${r.type ?? 'dav'}`,
            ...(r.events ?? []).map((e, j) => `items[${i}].Events[${j}]=${e}`),
            ...(r.flags ?? ['Timing']).map((f, j) => `items[${i}].Flags[${j}]=${f}`),
            `items[${i}].FilePath=${path}`,
            ...(r.length === undefined ? [] : [`items[${i}].Length=${r.length}`]),
          );
        });
        return text(200, `${lines.join('\r\n')}\r\n`);
      }
      if (action === 'close') return text(200, 'OK\r\n');
      if (action === 'destroy') {
        finders.delete(q.get('object') ?? '');
        return text(200, 'OK\r\n');
      }
      return text(400, 'Error\r\nBad Request!\r\n');
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
    findQueries,
    get findObjects() {
      return finders.size;
    },
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

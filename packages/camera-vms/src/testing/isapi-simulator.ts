import { createHash, randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parseChallenges } from '../onvif/auth.js';
import { parseXml, textAt } from '../xml.js';

export interface IsapiSimulatorOptions {
  readonly username?: string;
  readonly password?: string;
  /** Split every write into chunks of this many bytes (tests chunk-boundary handling). Default: whole parts. */
  readonly chunkBytes?: number;
  /** Multipart boundary. Default `boundary` (as Hikvision firmware sends). */
  readonly boundary?: string;
  readonly host?: string;
}

/** A Hikvision ISAPI simulator: digest auth, deviceInfo and a multipart alertStream. */
export interface IsapiSimulator {
  /** Base URL, e.g. `http://127.0.0.1:41235`. */
  readonly url: string;
  /** Open alertStream connections. */
  readonly streams: number;
  /** Sends an `EventNotificationAlert` (and optional JPEG parts) to every open alertStream. */
  publish(alertXml: string, pictures?: readonly Uint8Array[]): void;
  /** Bodies of PTZ commands received (`PUT /ISAPI/PTZCtrl/channels/{n}/continuous`), with the channel. */
  readonly ptzCommands: readonly { readonly channel: number; readonly body: string }[];
  /** Writes raw bytes to every open alertStream (hostile-input tests). */
  writeRaw(bytes: Uint8Array | string): void;
  /** Destroys every open connection. */
  dropConnections(): void;
  close(): Promise<void>;
}

export async function startIsapiSimulator(options: IsapiSimulatorOptions = {}): Promise<IsapiSimulator> {
  const username = options.username ?? 'admin';
  const password = options.password ?? 'admin';
  const boundary = options.boundary ?? 'boundary';
  const realm = 'DS-2CD2T47G2';
  const nonces = new Set<string>();
  const streams = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  const ptzCommands: { channel: number; body: string }[] = [];

  const write = (res: ServerResponse, data: Buffer): void => {
    const size = options.chunkBytes ?? data.length;
    for (let i = 0; i < data.length; i += size) res.write(data.subarray(i, i + size));
  };
  const part = (type: string, body: Buffer): Buffer =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\n\r\n`),
      body,
      Buffer.from('\r\n'),
    ]);

  const server = createServer((req, res) => {
    const header = req.headers.authorization ?? '';
    const p = parseChallenges(header)[0]?.params ?? {};
    const h = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');
    const ok =
      header.startsWith('Digest ') &&
      p.username === username &&
      p.nonce !== undefined &&
      nonces.has(p.nonce) &&
      p.response ===
        h(
          `${h(`${username}:${realm}:${password}`)}:${p.nonce}:${p.nc ?? ''}:${p.cnonce ?? ''}:auth:${h(`${req.method ?? 'GET'}:${p.uri ?? ''}`)}`,
        );
    if (!ok) {
      const nonce = randomBytes(12).toString('hex');
      nonces.add(nonce);
      res.writeHead(401, {
        'www-authenticate': `Digest qop="auth", realm="${realm}", nonce="${nonce}", stale="FALSE"`,
      });
      res.end();
      return;
    }
    if (req.url === '/ISAPI/System/deviceInfo') {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?><DeviceInfo version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema"><deviceName>Nga tu Hoang Van Thu</deviceName><model>iDS-TCM403-BI</model><serialNumber>DS-TCM4032026112800001</serialNumber><macAddress>bc:ad:28:00:00:01</macAddress><firmwareVersion>V5.5.3</firmwareVersion></DeviceInfo>',
      );
      return;
    }
    if (req.method === 'GET' && req.url === '/ISAPI/Streaming/channels') {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?><StreamingChannelList version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">' +
          '<StreamingChannel><id>101</id><channelName>Ngã tư Hoàng Văn Thụ</channelName><enabled>true</enabled><Video><videoCodecType>H.265</videoCodecType><videoResolutionWidth>2688</videoResolutionWidth><videoResolutionHeight>1520</videoResolutionHeight><maxFrameRate>2500</maxFrameRate></Video></StreamingChannel>' +
          '<StreamingChannel><id>102</id><channelName>Ngã tư Hoàng Văn Thụ</channelName><enabled>true</enabled><Video><videoCodecType>H.264</videoCodecType><videoResolutionWidth>640</videoResolutionWidth><videoResolutionHeight>480</videoResolutionHeight><maxFrameRate>1500</maxFrameRate></Video></StreamingChannel>' +
          '</StreamingChannelList>',
      );
      return;
    }
    if (req.method === 'GET' && /^\/ISAPI\/Streaming\/channels\/\d+\/picture$/.test(req.url ?? '')) {
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end(Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
      return;
    }
    const ptz = /^\/ISAPI\/PTZCtrl\/channels\/(\d+)\/continuous$/.exec(req.url ?? '');
    if (req.method === 'PUT' && ptz) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        ptzCommands.push({ channel: Number(ptz[1]), body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end(
          '<?xml version="1.0" encoding="UTF-8"?><ResponseStatus version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema"><requestURL>/ISAPI/PTZCtrl/channels/1/continuous</requestURL><statusCode>1</statusCode><statusString>OK</statusString><subStatusCode>ok</subStatusCode></ResponseStatus>',
        );
      });
      return;
    }
    if (req.method === 'POST' && req.url === '/ISAPI/ContentMgmt/search') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const q = parseXml(Buffer.concat(chunks).toString('utf8'));
        const track = textAt(q, 'trackIDList', 'trackID') ?? '';
        const from = Date.parse(textAt(q, 'timeSpanList', 'timeSpan', 'startTime') ?? '');
        const to = Date.parse(textAt(q, 'timeSpanList', 'timeSpan', 'endTime') ?? '');
        const max = Number(textAt(q, 'maxResults') ?? '40');
        const position = Number(textAt(q, 'searchResultPostion') ?? '0');
        const segments = ['00', '06', '12']
          .map(
            (h) =>
              [
                `2026-11-28T${h}:00:00Z`,
                `2026-11-28T${String(Number(h) + 6).padStart(2, '0')}:00:00Z`,
              ] as const,
          )
          .filter(([a, b]) => track === '101' && Date.parse(b) > from && Date.parse(a) < to);
        const page = segments.slice(position, position + max);
        const more = position + page.length < segments.length;
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?><CMSearchResult version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema"><searchID>${textAt(q, 'searchID') ?? ''}</searchID><responseStatus>true</responseStatus><responseStatusStrg>${segments.length === 0 ? 'NO MATCHES' : more ? 'MORE' : 'OK'}</responseStatusStrg><numOfMatches>${page.length}</numOfMatches><matchList>` +
            page
              .map(
                ([a, b]) =>
                  `<searchMatchItem><sourceID>{0000-0001}</sourceID><trackID>101</trackID><timeSpan><startTime>${a}</startTime><endTime>${b}</endTime></timeSpan><mediaSegmentDescriptor><contentType>video</contentType><codecType>H.265</codecType><playbackURI>rtsp://127.0.0.1/Streaming/tracks/101/?starttime=${a.replace(/[-:]/g, '')}&amp;endtime=${b.replace(/[-:]/g, '')}&amp;name=00000000001&amp;size=1048576</playbackURI></mediaSegmentDescriptor></searchMatchItem>`,
              )
              .join('') +
            '</matchList></CMSearchResult>',
        );
      });
      return;
    }
    if (req.url === '/ISAPI/Event/notification/alertStream') {
      res.writeHead(200, {
        'content-type': `multipart/mixed; boundary=${boundary}`,
        connection: 'keep-alive',
      });
      res.flushHeaders();
      streams.add(res);
      res.on('close', () => streams.delete(res));
      return;
    }
    res.writeHead(404).end();
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
    ptzCommands,
    publish(alertXml: string, pictures: readonly Uint8Array[] = []): void {
      const data = Buffer.concat([
        part('application/xml; charset="UTF-8"', Buffer.from(alertXml)),
        ...pictures.map((p) => part('image/jpeg', Buffer.from(p))),
      ]);
      for (const res of streams) write(res, data);
    },
    writeRaw(bytes: Uint8Array | string): void {
      for (const res of streams) write(res, Buffer.from(bytes));
    },
    dropConnections(): void {
      for (const s of sockets) s.destroy();
    },
    async close(): Promise<void> {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

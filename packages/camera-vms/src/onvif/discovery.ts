import { randomUUID } from 'node:crypto';
import { createSocket, type RemoteInfo } from 'node:dgram';
import { CameraError, isCameraError, msg } from '../errors.js';
import { child, childrenNamed, find, parseXml, textAt, type XmlLimits } from '../xml.js';

export const WS_DISCOVERY_ADDRESS = '239.255.255.250';
export const WS_DISCOVERY_PORT = 3702;
const NS_DISCOVERY = 'http://schemas.xmlsoap.org/ws/2005/04/discovery';
const NS_ADDRESSING = 'http://schemas.xmlsoap.org/ws/2004/08/addressing';

/** A device that answered a WS-Discovery Probe. */
export interface DiscoveredDevice {
  /** Endpoint reference, usually `urn:uuid:…`; stable across IP changes. */
  readonly endpoint: string;
  /** Device service URLs (XAddrs). */
  readonly addresses: readonly string[];
  readonly types: readonly string[];
  readonly scopes: readonly string[];
  /** From the `onvif://www.onvif.org/name/…` scope, URL-decoded. */
  readonly name?: string;
  /** From the `onvif://www.onvif.org/hardware/…` scope. */
  readonly hardware?: string;
  /** From the `onvif://www.onvif.org/location/…` scope. */
  readonly location?: string;
  /** Address the answer came from. */
  readonly from: string;
}

export interface DiscoveryOptions {
  /** How long to collect answers. Default 3 000 ms. */
  readonly timeoutMs?: number;
  /** Where to send the Probe. Default the WS-Discovery multicast group 239.255.255.250. */
  readonly address?: string;
  /** Default 3702. */
  readonly port?: number;
  /** Local interface address to send from (multicast interface). */
  readonly interfaceAddress?: string;
  /** Probe types. Default `dn:NetworkVideoTransmitter`. */
  readonly types?: string;
  /** Limits for each answer. Default 64 KiB, depth 32. */
  readonly xmlLimits?: XmlLimits;
  readonly signal?: AbortSignal;
  /** Message id generator. Default `crypto.randomUUID`. */
  readonly uuid?: () => string;
  /** Called for answers that cannot be parsed (they are skipped). */
  readonly onInvalid?: (error: CameraError, from: string) => void;
}

/** Builds the WS-Discovery Probe message. */
export function probeMessage(messageId: string, types = 'dn:NetworkVideoTransmitter'): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="${NS_ADDRESSING}" xmlns:d="${NS_DISCOVERY}" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">` +
    `<s:Header><a:Action s:mustUnderstand="1">${NS_DISCOVERY}/Probe</a:Action><a:MessageID>urn:uuid:${messageId}</a:MessageID>` +
    `<a:ReplyTo><a:Address>${NS_ADDRESSING}/role/anonymous</a:Address></a:ReplyTo>` +
    '<a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header>' +
    `<s:Body><d:Probe><d:Types>${types}</d:Types></d:Probe></s:Body></s:Envelope>`
  );
}

function words(s: string | undefined): string[] {
  return (s ?? '').split(/\s+/).filter((w) => w !== '');
}

function scope(scopes: readonly string[], kind: string): string | undefined {
  const prefix = `onvif://www.onvif.org/${kind}/`;
  const s = scopes.find((x) => x.startsWith(prefix));
  if (s === undefined) return undefined;
  try {
    return decodeURIComponent(s.slice(prefix.length));
  } catch {
    return s.slice(prefix.length);
  }
}

/**
 * Parses a ProbeMatches message. Returns the devices and the `RelatesTo` message id. Throws
 * `XML_*` or `RESPONSE_INVALID` for hostile or malformed answers.
 */
export function parseProbeMatches(
  text: string | Uint8Array,
  from: string,
  limits: XmlLimits = { maxBytes: 64 * 1024, maxDepth: 32 },
): { relatesTo: string | undefined; devices: DiscoveredDevice[] } {
  const env = parseXml(text, limits);
  const body = child(env, 'Body');
  const matches = child(body, 'ProbeMatches');
  if (!matches) {
    throw new CameraError(
      'RESPONSE_INVALID',
      msg('not a ProbeMatches message', 'không phải thông điệp ProbeMatches'),
      {
        details: { path: '/Envelope/Body/ProbeMatches' },
      },
    );
  }
  const relatesTo = textAt(child(env, 'Header'), 'RelatesTo');
  const devices = childrenNamed(matches, 'ProbeMatch').flatMap((m): DiscoveredDevice[] => {
    const endpoint = textAt(find(m, 'EndpointReference'), 'Address');
    const addresses = words(textAt(m, 'XAddrs'));
    if (endpoint === undefined || addresses.length === 0) return [];
    const scopes = words(textAt(m, 'Scopes'));
    const name = scope(scopes, 'name');
    const hardware = scope(scopes, 'hardware');
    const location = scope(scopes, 'location');
    return [
      {
        endpoint,
        addresses,
        types: words(textAt(m, 'Types')),
        scopes,
        ...(name === undefined ? {} : { name }),
        ...(hardware === undefined ? {} : { hardware }),
        ...(location === undefined ? {} : { location }),
        from,
      },
    ];
  });
  return { relatesTo, devices };
}

/**
 * Sends a WS-Discovery Probe over UDP (multicast by default) and collects the ProbeMatches answers
 * until `timeoutMs`. Devices are de-duplicated by endpoint reference; answers to other probes and
 * unparseable answers are ignored (reported to `onInvalid`).
 */
export async function discoverOnvifDevices(options: DiscoveryOptions = {}): Promise<DiscoveredDevice[]> {
  const address = options.address ?? WS_DISCOVERY_ADDRESS;
  const port = options.port ?? WS_DISCOVERY_PORT;
  const timeoutMs = options.timeoutMs ?? 3000;
  if (options.signal?.aborted)
    throw new CameraError('ABORTED', msg('discovery was aborted', 'đã hủy dò tìm'));
  const messageId = (options.uuid ?? randomUUID)();
  const socket = createSocket({ type: address.includes(':') ? 'udp6' : 'udp4', reuseAddr: true });
  const found = new Map<string, DiscoveredDevice>();
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    if (options.interfaceAddress !== undefined) socket.setMulticastInterface(options.interfaceAddress);
    socket.setMulticastTTL(4);
    socket.on('message', (buf: Buffer, rinfo: RemoteInfo) => {
      try {
        const { relatesTo, devices } = parseProbeMatches(buf, rinfo.address, options.xmlLimits);
        if (relatesTo !== undefined && relatesTo !== `urn:uuid:${messageId}`) return;
        for (const d of devices) if (!found.has(d.endpoint)) found.set(d.endpoint, d);
      } catch (err) {
        if (isCameraError(err)) options.onInvalid?.(err, rinfo.address);
      }
    });
    const probe = Buffer.from(probeMessage(messageId, options.types));
    await new Promise<void>((resolve, reject) =>
      socket.send(probe, port, address, (err) =>
        err
          ? reject(
              new CameraError(
                'NETWORK',
                msg(`cannot send the probe to ${address}`, `không gửi được probe tới ${address}`),
                {
                  cause: err,
                  retryable: true,
                },
              ),
            )
          : resolve(),
      ),
    );
    const aborted = await new Promise<boolean>((resolve) => {
      const t = setTimeout(() => {
        options.signal?.removeEventListener('abort', onAbort);
        resolve(false);
      }, timeoutMs);
      function onAbort(): void {
        clearTimeout(t);
        resolve(true);
      }
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
    if (aborted) throw new CameraError('ABORTED', msg('discovery was aborted', 'đã hủy dò tìm'));
    return [...found.values()];
  } finally {
    socket.close();
  }
}

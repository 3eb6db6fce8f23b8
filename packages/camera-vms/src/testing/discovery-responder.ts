import { createSocket, type RemoteInfo } from 'node:dgram';
import { escapeXml, find, parseXml, textAt } from '../xml.js';

export interface DiscoveryResponderOptions {
  /** Device service URLs to announce. */
  readonly addresses: readonly string[];
  /** Default `urn:uuid:` + a fixed simulator id. */
  readonly endpoint?: string;
  readonly scopes?: readonly string[];
  /** Answer with this raw text instead (hostile-input tests). */
  readonly rawAnswer?: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Also join the WS-Discovery multicast group on `host`'s interface. Default false. */
  readonly multicast?: boolean;
}

/** A UDP WS-Discovery responder that answers Probes for NetworkVideoTransmitter like a camera. */
export interface DiscoveryResponder {
  readonly port: number;
  readonly host: string;
  /** Number of probes received. */
  readonly probes: number;
  close(): Promise<void>;
}

export async function startDiscoveryResponder(
  options: DiscoveryResponderOptions,
): Promise<DiscoveryResponder> {
  const socket = createSocket({ type: 'udp4', reuseAddr: true });
  const endpoint = options.endpoint ?? 'urn:uuid:5f5a69c2-e0ae-504f-829b-00ba00000001';
  const scopes = options.scopes ?? [
    'onvif://www.onvif.org/type/video_encoder',
    'onvif://www.onvif.org/Profile/Streaming',
    'onvif://www.onvif.org/Profile/T',
    'onvif://www.onvif.org/name/DTTM%20Simulator',
    'onvif://www.onvif.org/hardware/SIM-PTZ-4MP',
    'onvif://www.onvif.org/location/B%E1%BA%AFc%20Giang',
  ];
  let probes = 0;
  socket.on('message', (buf: Buffer, rinfo: RemoteInfo) => {
    let messageId: string | undefined;
    try {
      const env = parseXml(buf, { maxBytes: 64 * 1024 });
      if (!find(env, 'Probe')) return;
      const types = textAt(find(env, 'Probe'), 'Types') ?? '';
      if (types !== '' && !/NetworkVideoTransmitter/.test(types)) return;
      messageId = textAt(find(env, 'Header'), 'MessageID');
    } catch {
      return;
    }
    probes++;
    const answer =
      options.rawAnswer ??
      '<?xml version="1.0" encoding="UTF-8"?>' +
        '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">' +
        `<SOAP-ENV:Header><wsa:MessageID>urn:uuid:6c4d1a2e-0000-4000-8000-000000000001</wsa:MessageID><wsa:RelatesTo>${escapeXml(messageId ?? '')}</wsa:RelatesTo>` +
        '<wsa:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To><wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action></SOAP-ENV:Header>' +
        `<SOAP-ENV:Body><d:ProbeMatches><d:ProbeMatch><wsa:EndpointReference><wsa:Address>${escapeXml(endpoint)}</wsa:Address></wsa:EndpointReference>` +
        `<d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>${escapeXml(scopes.join(' '))}</d:Scopes>` +
        `<d:XAddrs>${escapeXml(options.addresses.join(' '))}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></SOAP-ENV:Body></SOAP-ENV:Envelope>`;
    socket.send(answer, rinfo.port, rinfo.address);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => socket.bind(0, options.multicast ? '0.0.0.0' : host, () => resolve()));
  if (options.multicast) socket.addMembership('239.255.255.250', host);
  return {
    port: socket.address().port,
    host,
    get probes() {
      return probes;
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

import { CameraError, msg } from '../errors.js';
import { child, descend, escapeXml, parseXml, textAt, type XmlElement, type XmlLimits } from '../xml.js';

/** Namespaces used on the wire. */
export const NS = {
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  trt: 'http://www.onvif.org/ver10/media/wsdl',
  tr2: 'http://www.onvif.org/ver20/media/wsdl',
  tptz: 'http://www.onvif.org/ver20/ptz/wsdl',
  tev: 'http://www.onvif.org/ver10/events/wsdl',
  tan: 'http://www.onvif.org/ver20/analytics/wsdl',
  trc: 'http://www.onvif.org/ver10/recording/wsdl',
  tse: 'http://www.onvif.org/ver10/search/wsdl',
  trp: 'http://www.onvif.org/ver10/replay/wsdl',
  tt: 'http://www.onvif.org/ver10/schema',
  tns1: 'http://www.onvif.org/ver10/topics',
  wsnt: 'http://docs.oasis-open.org/wsn/b-2',
  wsa: 'http://www.w3.org/2005/08/addressing',
  ter: 'http://www.onvif.org/ver10/error',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
} as const;

export const PASSWORD_DIGEST_TYPE =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest';
export const BASE64_ENCODING =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-soap-message-security-1.0#Base64Binary';

const DECLS = Object.entries(NS)
  .map(([p, u]) => `xmlns:${p}="${u}"`)
  .join(' ');

/** Builds a SOAP 1.2 envelope with all the namespaces above declared on the root. */
export function envelope(body: string, header = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope ${DECLS}><soap:Header>${header}</soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`;
}

/** A parsed SOAP fault. */
export interface SoapFault {
  readonly code: string;
  /** Innermost subcode, local name only (e.g. `NotAuthorized`, `ResourceUnknownFault`). */
  readonly subcode: string;
  readonly reason: string;
}

function local(qname: string): string {
  const i = qname.indexOf(':');
  return i === -1 ? qname : qname.slice(i + 1);
}

/** Reads a SOAP 1.2 (or 1.1) fault from a parsed body, if there is one. */
export function readFault(body: XmlElement): SoapFault | undefined {
  const fault = child(body, 'Fault');
  if (!fault) return undefined;
  const code = textAt(fault, 'Code', 'Value') ?? textAt(fault, 'faultcode') ?? '';
  let sub = descend(fault, 'Code', 'Subcode');
  let subcode = '';
  while (sub) {
    subcode = textAt(sub, 'Value') ?? subcode;
    sub = child(sub, 'Subcode');
  }
  const reason = textAt(fault, 'Reason', 'Text') ?? textAt(fault, 'faultstring') ?? '';
  return { code: local(code), subcode: local(subcode), reason };
}

/** Parses a SOAP envelope and returns its Body. */
export function parseEnvelope(text: string | Uint8Array, limits?: XmlLimits): XmlElement {
  const root = parseXml(text, limits);
  if (root.name !== 'Envelope') {
    throw new CameraError(
      'RESPONSE_INVALID',
      msg(`expected a SOAP Envelope, got <${root.name}>`, `cần SOAP Envelope, nhận <${root.name}>`),
      { details: { path: root.path } },
    );
  }
  const body = child(root, 'Body');
  if (!body) {
    throw new CameraError('RESPONSE_INVALID', msg('missing /Envelope/Body', 'thiếu /Envelope/Body'), {
      details: { path: '/Envelope/Body' },
    });
  }
  return body;
}

/** True for faults that mean "your credentials or timestamp were rejected". */
export function isAuthFault(f: SoapFault): boolean {
  return /NotAuthorized|FailedAuthentication|InvalidSecurity|SenderNotAuthorized/i.test(f.subcode + f.reason);
}

/** ISO 8601 duration for a number of milliseconds, e.g. 1500 → `PT1.5S`. */
export function toDuration(ms: number): string {
  return `PT${Number((ms / 1000).toFixed(3))}S`;
}

/** Parses the subset of ISO 8601 durations devices send (`PT60S`, `PT1M`, `P1DT2H`, `PT0.5S`) to ms. */
export function parseDuration(s: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(s.trim());
  if (!m || s.trim() === 'P' || s.trim() === 'PT') return undefined;
  const [, d, h, mi, sec] = m;
  return (
    ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(mi ?? 0)) * 60_000 +
    Math.round(Number(sec ?? 0) * 1000)
  );
}

/** Index just after the `>` of the start tag that `raw` begins with. */
function startTagEnd(raw: string): number {
  let quote = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quote !== '') {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i + 1;
  }
  return raw.length;
}

/**
 * The SOAP header blocks that echo an endpoint reference's `ReferenceParameters` (WS-Addressing 1.0 SOAP
 * binding): each parameter element copied as the device wrote it, with `wsa:IsReferenceParameter="true"`
 * and the namespace declarations it relied on from its ancestors. `text` is the document `params` was
 * parsed from. Some devices (Axis) tell subscriptions apart only by these parameters.
 */
export function referenceParameterHeaders(params: XmlElement | undefined, text: string): string {
  if (!params) return '';
  let out = '';
  for (const el of params.children) {
    const raw = text.slice(el.start, el.end);
    const end = startTagEnd(raw);
    const startTag = raw.slice(0, end);
    const own = new Set([...startTag.matchAll(/\sxmlns(?::([^\s=/>]+))?\s*=/g)].map((m) => m[1] ?? ''));
    let decls = '';
    for (const [prefix, uri] of el.scope) {
      if (own.has(prefix) || prefix === 'xml' || (prefix === '' && uri === '')) continue;
      if (prefix !== '' && (NS as Readonly<Record<string, string>>)[prefix] === uri) continue;
      decls += prefix === '' ? ` xmlns="${escapeXml(uri)}"` : ` xmlns:${prefix}="${escapeXml(uri)}"`;
    }
    const mark = own.has('wsaRP') ? '' : ` xmlns:wsaRP="${NS.wsa}" wsaRP:IsReferenceParameter="true"`;
    const at = startTag.endsWith('/>') ? end - 2 : end - 1;
    out += raw.slice(0, at) + decls + mark + raw.slice(at);
  }
  return out;
}

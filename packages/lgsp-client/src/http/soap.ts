import type { EdxmlRawElement } from '../edxml/model.js';
import { LgspError } from '../errors.js';
import { XmlReader } from '../xml/reader.js';
import { TreeBuilder, child, toRawElement, type XmlElement } from '../xml/tree.js';

/** SOAP versions the client speaks. */
export type SoapVersion = '1.1' | '1.2';

export const SOAP11_NAMESPACE = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_NAMESPACE = 'http://www.w3.org/2003/05/soap-envelope';

/** An element of a SOAP response, in the same plain shape as raw edXML parts. */
export type SoapElement = EdxmlRawElement;

/** A parsed SOAP fault. */
export interface SoapFault {
  /** `faultcode` (1.1) or `Code/Value` (1.2), e.g. `soap:Server`. */
  readonly code: string;
  /** `faultstring` (1.1) or `Reason/Text` (1.2). */
  readonly reason: string;
  /** `detail` / `Detail`, when present. */
  readonly detail?: SoapElement;
}

/** A parsed SOAP envelope. */
export interface SoapEnvelope {
  readonly version: SoapVersion;
  readonly header?: SoapElement;
  /** Children of `Body`. */
  readonly body: readonly SoapElement[];
  readonly fault?: SoapFault;
}

/** Wraps a body (and optional header) fragment in a SOAP envelope of the given version. */
export function buildSoapEnvelope(version: SoapVersion, body: string, header?: string): string {
  const ns = version === '1.1' ? SOAP11_NAMESPACE : SOAP12_NAMESPACE;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soap:Envelope xmlns:soap="${ns}">` +
    (header === undefined ? '' : `<soap:Header>${header}</soap:Header>`) +
    `<soap:Body>${body}</soap:Body></soap:Envelope>`
  );
}

/** Content type and action headers for a SOAP request. */
export function soapHeaders(version: SoapVersion, action: string | undefined): Record<string, string> {
  if (version === '1.1') {
    return { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${action ?? ''}"` };
  }
  return {
    'content-type': `application/soap+xml; charset=utf-8${action === undefined ? '' : `; action="${action}"`}`,
  };
}

/** Parses a SOAP response body (guarded against hostile XML, like every XML input). */
export function parseSoapEnvelope(bytes: Uint8Array, maxBytes = 16 * 1024 * 1024): SoapEnvelope {
  const tree = new TreeBuilder({ maxTextLength: maxBytes });
  const reader = new XmlReader(tree, { maxBytes, maxDepth: 64, maxTagBytes: 64 * 1024 });
  reader.write(bytes);
  reader.end();
  const root = tree.root as XmlElement;
  const version: SoapVersion | undefined =
    root.name.uri === SOAP11_NAMESPACE ? '1.1' : root.name.uri === SOAP12_NAMESPACE ? '1.2' : undefined;
  if (root.name.local !== 'Envelope' || version === undefined) {
    throw new LgspError(
      'RESPONSE_INVALID',
      `expected a SOAP Envelope, got <${root.name.local}> / cần SOAP Envelope, nhận được <${root.name.local}>`,
      { details: { element: root.name.local, namespace: root.name.uri } },
    );
  }
  const header = child(root, 'Header');
  const body = child(root, 'Body');
  if (body === undefined)
    throw new LgspError('RESPONSE_INVALID', 'the SOAP Envelope has no Body / SOAP Envelope thiếu Body');
  const faultEl = child(body, 'Fault');
  let fault: SoapFault | undefined;
  if (faultEl !== undefined) {
    const detailEl = child(faultEl, version === '1.1' ? 'detail' : 'Detail');
    fault = {
      code:
        version === '1.1'
          ? (child(faultEl, 'faultcode')?.text.trim() ?? '')
          : (child(child(faultEl, 'Code'), 'Value')?.text.trim() ?? ''),
      reason:
        version === '1.1'
          ? (child(faultEl, 'faultstring')?.text.trim() ?? '')
          : (child(child(faultEl, 'Reason'), 'Text')?.text.trim() ?? ''),
      ...(detailEl === undefined ? {} : { detail: toRawElement(detailEl) }),
    };
  }
  return {
    version,
    ...(header === undefined ? {} : { header: toRawElement(header) }),
    body: body.children.map(toRawElement),
    ...(fault === undefined ? {} : { fault }),
  };
}

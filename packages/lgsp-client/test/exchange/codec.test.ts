import { describe, expect, it } from 'vitest';
import {
  defaultDocumentAxisCodec,
  isLgspError,
  type AxisResponse,
  type DocumentAxisCodec,
} from '../../src/index.js';
import { readConformance } from '../fixtures.js';

interface Vector {
  readonly name: string;
  readonly operation: 'sendEdoc' | 'syncReceivedEdocList' | 'getEdoc' | 'updateStatus' | 'getAgenciesList';
  readonly response: { readonly status: number; readonly contentType: string; readonly body: string };
  readonly expected?: unknown;
  readonly error?: { readonly code: string; readonly field?: string; readonly description?: string };
}

const { vectors } = JSON.parse(readConformance('document-axis/responses.json')) as { vectors: Vector[] };
const codec = defaultDocumentAxisCodec();

function decode(c: DocumentAxisCodec, v: Vector): unknown {
  const response: AxisResponse = {
    status: v.response.status,
    headers: new Headers(v.response.contentType === '' ? {} : { 'content-type': v.response.contentType }),
    body: new TextEncoder().encode(v.response.body),
    requestId: 'r-1',
  };
  switch (v.operation) {
    case 'sendEdoc': {
      const { docId } = c.decodeSendEdoc(response);
      return { docId };
    }
    case 'syncReceivedEdocList':
      return c.decodeListReceived(response).map(({ raw: _raw, ...rest }) => rest);
    case 'getEdoc':
      return { text: new TextDecoder().decode(c.decodeGetEdoc(response)) };
    case 'updateStatus':
      c.decodeUpdateStatus(response);
      return {};
    case 'getAgenciesList':
      return c.decodeGetAgencies(response);
  }
}

describe('default document-axis codec: conformance vectors (specs/conformance/lgsp-client/document-axis)', () => {
  it('has vectors for every operation', () => {
    expect(new Set(vectors.map((v) => v.operation)).size).toBe(5);
  });

  it.each(vectors.map((v) => [`${v.operation}: ${v.name}`, v] as const))('%s', (_name, v) => {
    if (v.error === undefined) {
      expect(decode(codec, v)).toEqual(v.expected);
      return;
    }
    let caught: unknown;
    try {
      decode(codec, v);
    } catch (error) {
      caught = error;
    }
    expect(isLgspError(caught)).toBe(true);
    if (!isLgspError(caught)) return;
    const details = caught.details as { field?: string; description?: string; operation?: string };
    expect({ code: caught.code, field: details.field, description: details.description }).toEqual({
      code: v.error.code,
      field: v.error.field,
      description: v.error.description,
    });
    expect(details.operation).toBe(v.operation);
  });

  it('builds the documented multipart sendEdoc request', () => {
    const golden = JSON.parse(readConformance('document-axis/send-edoc-request.json')) as {
      input: { from: string; messageType: 'edoc'; edxml: string; boundary: string };
      expected: { method: string; path: string; contentType: string; body: string };
    };
    const request = defaultDocumentAxisCodec({ boundary: () => golden.input.boundary }).encodeSendEdoc({
      from: golden.input.from,
      messageType: golden.input.messageType,
      edxml: new TextEncoder().encode(golden.input.edxml),
    });
    expect({
      method: request.method,
      path: request.path,
      contentType: request.headers?.['content-type'],
      body: new TextDecoder().decode(request.body as Uint8Array),
      idempotent: request.idempotent,
    }).toEqual({ ...golden.expected, idempotent: false });
  });

  it('picks another boundary when the document contains the proposed one', () => {
    const request = defaultDocumentAxisCodec({ boundary: () => 'b0' }).encodeSendEdoc({
      from: '000.00.08.H22',
      messageType: 'edoc',
      edxml: new TextEncoder().encode('<edXML>--b0</edXML>'),
    });
    expect(request.headers?.['content-type']).toMatch(/^multipart\/form-data; boundary=b0-[0-9a-f-]{36}$/);
  });

  it('uses the configured multipart field names', async () => {
    const request = defaultDocumentAxisCodec({ headerField: 'info', fileField: 'edxml' }).encodeSendEdoc({
      from: '000.00.08.H22',
      messageType: 'status',
      edxml: new TextEncoder().encode('<edXML/>'),
    });
    const form = await new Response(request.body as Uint8Array, {
      headers: { 'content-type': request.headers?.['content-type'] ?? '' },
    }).formData();
    expect(JSON.parse(form.get('info') as string)).toEqual({
      from: '000.00.08.H22',
      servicetype: 'eDoc',
      messagetype: 'status',
    });
    const file = form.get('edxml') as File;
    expect([file.name, await file.text()]).toEqual(['status.edxml', '<edXML/>']);
  });

  it('encodes the query and JSON bodies of the other operations', () => {
    expect(
      codec.encodeListReceived({ messageType: 'status', fromDate: '2026/11/01', toDate: '2026/11/30' }),
    ).toEqual({
      method: 'GET',
      path: '/v1/syncReceivedEdocList',
      query: { messageType: 'status', fromDate: '2026/11/01', toDate: '2026/11/30' },
      headers: { accept: 'application/json' },
      idempotent: true,
    });
    expect(codec.encodeGetEdoc('42')).toEqual({
      method: 'GET',
      path: '/v1/getEdoc',
      query: { docId: '42' },
      idempotent: true,
    });
    expect(codec.encodeUpdateStatus({ docId: '42', status: 'fail', description: 'EDXML_INVALID' }).body).toBe(
      '{"docId":"42","status":"fail","description":"EDXML_INVALID"}',
    );
  });
});

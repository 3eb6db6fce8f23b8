import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EDXML_NAMESPACE,
  buildEdxml,
  isLgspError,
  parseEdxml,
  streamEdxml,
  type EdxmlStatusCode,
  type EdxmlStatusPackage,
  type ParsedEdxml,
} from '../src/index.js';
import { conformanceDir, loadModel, readConformance } from './fixtures.js';

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isLgspError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

function withoutSource(parsed: ParsedEdxml): Omit<ParsedEdxml, 'source'> {
  const { source: _source, ...rest } = parsed;
  return rest;
}

const golden = loadModel('edxml/edoc-new.json');

describe('edXML golden round-trip', () => {
  it('builds the golden bytes in the QCVN 102:2016 namespace', () => {
    const xml = buildEdxml(golden);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(`${conformanceDir}edxml/edoc-new.edxml`, xml);
    expect(xml).toBe(readConformance('edxml/edoc-new.edxml'));
    expect(xml).toContain(`<edXML xmlns="${EDXML_NAMESPACE}" xmlns:edXML="${EDXML_NAMESPACE}">`);
    expect(xml).not.toContain('go.vn');
  });

  it('parses the golden bytes back into the same model, with a derived manifest', async () => {
    const parsed = await parseEdxml(readConformance('edxml/edoc-new.edxml'));
    expect(parsed.source).toEqual({ namespace: EDXML_NAMESPACE, leadingBytes: 0, warnings: [] });
    expect(withoutSource(parsed)).toEqual({
      ...golden,
      manifest: [
        {
          contentId: 'cid:a1b2c3d4-0001',
          contentType: 'application/pdf',
          description: 'Văn bản chính',
          attachmentName: '125-STTTT-CNTT.pdf',
        },
        { contentId: 'cid:a1b2c3d4-0002', contentType: 'text/plain', attachmentName: 'phu-luc.txt' },
      ],
    });
    // A parsed package builds to the same bytes again.
    expect(buildEdxml(parsed)).toBe(readConformance('edxml/edoc-new.edxml'));
  });

  it('streams the same bytes as buildEdxml, from chunked attachment streams', async () => {
    const doc = {
      ...golden,
      attachments: golden.attachments.map((a) => ({
        ...a,
        content: (function* () {
          for (let i = 0; i < a.content.length; i += 7) yield a.content.subarray(i, i + 7);
        })(),
      })),
    };
    const parts: Uint8Array[] = [];
    for await (const part of streamEdxml(doc)) parts.push(part);
    expect(Buffer.concat(parts).toString('utf8')).toBe(readConformance('edxml/edoc-new.edxml'));
  });

  it('parses a messy real-world variant (legacy namespace, leading bytes, mixed prefixes, CDATA, whitespace)', async () => {
    const expected = loadModel('edxml/messy-legacy.expected.json');
    const parsed = await parseEdxml(readConformance('edxml/messy-legacy.edxml'));
    expect(parsed).toEqual(expected);
  });

  it('parses input split into chunks of any size the same way', async () => {
    const bytes = Buffer.from(readConformance('edxml/messy-legacy.edxml'));
    const expected = await parseEdxml(bytes);
    for (const size of [1, 3, 17, 256]) {
      const chunks = (function* () {
        for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
      })();
      expect(await parseEdxml(chunks)).toEqual(expected);
    }
  });

  it('rebuilds a legacy package in the current namespace only', async () => {
    const parsed = await parseEdxml(readConformance('edxml/messy-legacy.edxml'));
    const rebuilt = buildEdxml(parsed);
    expect(rebuilt).not.toContain('go.vn');
    const again = await parseEdxml(rebuilt);
    expect(again.source.namespace).toBe(EDXML_NAMESPACE);
    expect(withoutSource(again)).toEqual(withoutSource(parsed));
  });
});

describe('status packages', () => {
  const codes = Array.from({ length: 16 }, (_, i) => String(i + 1).padStart(2, '0') as EdxmlStatusCode);
  const status = (statusCode: EdxmlStatusCode): EdxmlStatusPackage => ({
    kind: 'status',
    status: {
      responseFor: {
        organId: '000.00.08.H22',
        code: '125/STTTT-CNTT',
        promulgationDate: '2026/11/27',
        documentId: '000.00.08.H22,2026/11/27,125/STTTT-CNTT',
      },
      from: { organId: '000.00.00.G22', organName: 'Văn phòng Chính phủ' },
      staffInfo: { department: 'Văn thư', staff: 'Lê Văn Dũng' },
      statusCode,
      description: 'Đã tiếp nhận',
      timestamp: '2026/11/28 08:00:00',
    },
  });

  it.each(codes)('round-trips status code %s', async (code) => {
    const xml = buildEdxml(status(code));
    expect(xml).toContain(`<edXML:StatusCode>${code}</edXML:StatusCode>`);
    expect(withoutSource(await parseEdxml(xml))).toEqual(status(code));
  });

  it('builds the golden status package', () => {
    const xml = buildEdxml(status('03'));
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(`${conformanceDir}edxml/status-03.edxml`, xml);
    expect(xml).toBe(readConformance('edxml/status-03.edxml'));
  });

  it('accepts a one-digit status code, padded, with a warning', async () => {
    const xml = buildEdxml(status('06')).replace('<edXML:StatusCode>06<', '<edXML:StatusCode>6<');
    const parsed = await parseEdxml(xml);
    expect(parsed.kind === 'status' && parsed.status.statusCode).toBe('06');
    expect(parsed.source.warnings).toEqual(['one-digit StatusCode padded to two digits']);
  });

  it.each(['00', '17', 'xx', ''])('rejects status code "%s" with the path', async (code) => {
    const xml = buildEdxml(status('03')).replace('<edXML:StatusCode>03<', `<edXML:StatusCode>${code}<`);
    const error = await rejection(parseEdxml(xml));
    expect(error.code).toBe('EDXML_INVALID');
    expect(error.message).toBe(
      'Status/StatusCode: must be a status code 01–16 / phải là mã trạng thái 01–16',
    );
  });
});

describe('attachmentSink', () => {
  it('sends decoded bytes to the sink in order and reports sizes', async () => {
    const received = new Map<number, Buffer[]>();
    const closed: number[] = [];
    const parsed = await parseEdxml(readConformance('edxml/edoc-new.edxml'), {
      attachmentSink: ({ index }) => ({
        async write(chunk) {
          await Promise.resolve();
          received.set(index, [...(received.get(index) ?? []), Buffer.from(chunk)]);
        },
        close: () => void closed.push(index),
      }),
    });
    expect(closed).toEqual([0, 1]);
    expect(golden.attachments.map((a, i) => Buffer.concat(received.get(i) ?? []).equals(a.content))).toEqual([
      true,
      true,
    ]);
    expect(parsed.kind === 'edoc' && parsed.attachments.map((a) => [a.size, a.content.length])).toEqual([
      [golden.attachments[0]?.content.length, 0],
      [golden.attachments[1]?.content.length, 0],
    ]);
  });

  it('aborts an open sink when the input breaks inside an attachment', async () => {
    const xml = readConformance('edxml/edoc-new.edxml');
    const cut = xml.indexOf('JVBERi0') + 20;
    const events: string[] = [];
    const error = await rejection(
      parseEdxml(xml.slice(0, cut), {
        attachmentSink: () => ({
          write: () => void events.push('write'),
          close: () => void events.push('close'),
          abort: (e) => void events.push(`abort:${isLgspError(e) ? e.code : 'other'}`),
        }),
      }),
    );
    expect(error.code).toBe('XML_UNSAFE');
    expect(events.at(-1)).toBe('abort:XML_UNSAFE');
    expect(events).not.toContain('close');
  });
});

import { describe, expect, it } from 'vitest';
import {
  buildEdxml,
  createStatusPackage,
  edxmlDocumentId,
  edxmlTimestamp,
  edxmlTimestampToIso,
  isAgencyCode,
  isLgspError,
  parseAgencyCode,
  parseEdxml,
  validateEdxml,
  type EdxmlDocument,
} from '../src/index.js';
import { loadModel, readConformance } from './fixtures.js';

const golden = loadModel('edxml/edoc-new.json');

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isLgspError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

function withHeader(patch: Partial<EdxmlDocument['messageHeader']>): EdxmlDocument {
  return { ...golden, messageHeader: { ...golden.messageHeader, ...patch } };
}

describe('validateEdxml', () => {
  it('accepts the golden document', () => {
    expect(validateEdxml(golden)).toEqual([]);
  });

  it('names the path of every broken rule', () => {
    const doc: EdxmlDocument = {
      ...withHeader({
        from: { organId: '' },
        to: [{ organId: '000.00.00.G22' }, { organId: 'vxp.saas.03' }],
        documentId: '000.00.08.H22,2026/13/01,125',
        code: { codeNumber: '125', codeNotation: ' ' },
        promulgationInfo: { place: 'x'.repeat(151), promulgationDate: '27/11/2026' },
        subject: 'ả'.repeat(501),
        dueDate: '2026/02/30',
      }),
      traceHeaderList: { traceHeaders: [{ organId: '000.00.08.H22', timestamp: '2026-11-27T09:30:15' }] },
      attachments: [{ contentId: 'x', attachmentName: `${'a'.repeat(197)}.pdf`, content: new Uint8Array(1) }],
      manifest: [{ contentId: 'cid:missing' }],
    };
    expect(validateEdxml(doc).map((i) => `${i.path} ${i.rule}`)).toEqual([
      'MessageHeader/From/OrganId required',
      'MessageHeader/To[2]/OrganId format',
      'MessageHeader/DocumentId format',
      'MessageHeader/Code/CodeNotation required',
      'MessageHeader/PromulgationInfo/Place length',
      'MessageHeader/PromulgationInfo/PromulgationDate format',
      'MessageHeader/Subject length',
      'MessageHeader/DueDate format',
      'TraceHeaderList/TraceHeader[1]/Timestamp format',
      'AttachmentEncoded/Attachment[1]/AttachmentName length',
      'edXMLManifest/Reference[1]/ContentId reference',
    ]);
  });

  it('counts length limits in characters, not bytes', () => {
    expect(validateEdxml(withHeader({ subject: 'ệ'.repeat(500) }))).toEqual([]);
  });

  it('refuses to build an invalid package, naming the first path', () => {
    try {
      buildEdxml(withHeader({ subject: '' }));
      expect.unreachable();
    } catch (error) {
      expect(isLgspError(error) && error.code).toBe('EDXML_INVALID');
      expect((error as Error).message).toBe('MessageHeader/Subject: is required / bắt buộc');
      expect((error as { details: unknown }).details).toEqual({
        issues: [{ path: 'MessageHeader/Subject', rule: 'required', message: 'is required / bắt buộc' }],
      });
    }
  });

  it.each(['4', '-1', 'new', ''])('rejects BussinessDocType "%s" on parse', async (value) => {
    const xml = readConformance('edxml/edoc-new.edxml').replace(
      '<edXML:BussinessDocType>0</edXML:BussinessDocType>',
      `<edXML:BussinessDocType>${value}</edXML:BussinessDocType>`,
    );
    const error = await rejection(parseEdxml(xml));
    expect(error.code).toBe('EDXML_INVALID');
    expect(error.message).toBe(
      'TraceHeaderList/Bussiness/BussinessDocType: must be 0, 1, 2 or 3 / phải là 0, 1, 2 hoặc 3',
    );
  });

  it.each([0, 1, 2, 3] as const)('round-trips BussinessDocType %i', async (type) => {
    const doc: EdxmlDocument = {
      ...golden,
      traceHeaderList: { ...golden.traceHeaderList, bussiness: { bussinessDocType: type } },
    };
    const parsed = await parseEdxml(buildEdxml(doc));
    expect(parsed.kind === 'edoc' && parsed.traceHeaderList.bussiness).toEqual({ bussinessDocType: type });
  });

  it('can skip validation on parse, keeping the data', async () => {
    const xml = readConformance('edxml/edoc-new.edxml').replace(
      '<edXML:Subject>V/v triển khai',
      '<edXML:Subject>' + 'x'.repeat(600) + ' V/v triển khai',
    );
    await expect(parseEdxml(xml)).rejects.toMatchObject({ code: 'EDXML_INVALID' });
    const parsed = await parseEdxml(xml, { validate: false });
    expect(parsed.kind === 'edoc' && parsed.messageHeader.subject.length).toBeGreaterThan(600);
  });
});

describe('parseAgencyCode', () => {
  it.each([
    ['000.00.00.G22', 1, 'central', ['G22'], ['000.00.00.G22']],
    ['000.00.00.H22', 1, 'province', ['H22'], ['000.00.00.H22']],
    ['000.00.08.H22', 2, 'province', ['H22', '08'], ['000.00.00.H22', '000.00.08.H22']],
    [
      '000.01.08.H22',
      3,
      'province',
      ['H22', '08', '01'],
      ['000.00.00.H22', '000.00.08.H22', '000.01.08.H22'],
    ],
    [
      ' 012.01.08.h41 ',
      4,
      'province',
      ['H41', '08', '01', '012'],
      ['000.00.00.H41', '000.00.08.H41', '000.01.08.H41', '012.01.08.H41'],
    ],
  ] as const)('decomposes %s', (input, level, kind, levels, chain) => {
    const code = parseAgencyCode(input);
    expect(code).toEqual({
      code: input.trim().toUpperCase(),
      level,
      kind,
      levels,
      chain,
      ...(level > 1 ? { parent: chain[chain.length - 2] } : {}),
    });
  });

  it.each([
    ['', 'empty'],
    ['G22', 'expected segments separated by "."'],
    ['000.00.00.22G', 'the last segment "22G" must be a letter and two digits'],
    ['001.00.08.H22', 'level 4 is set under an empty level 3'],
    ['000.0.08.H22', 'segment "0" must be 2–3 digits or letters'],
    ['000.00.00.00.00.00.00.00.00.00.00.G22', 'longer than 35 characters'],
  ])('rejects "%s"', (input, why) => {
    try {
      parseAgencyCode(input);
      expect.unreachable();
    } catch (error) {
      expect(isLgspError(error) && error.code).toBe('AGENCY_CODE_INVALID');
      expect((error as Error).message).toContain(`: ${why} / `);
    }
    expect(isAgencyCode(input)).toBe(false);
  });
});

describe('edXML timestamps', () => {
  it('formats instants in Vietnam time and converts back to ISO with the offset', () => {
    expect(edxmlTimestamp(Date.UTC(2026, 10, 27, 20, 30, 15))).toBe('2026/11/28 03:30:15');
    expect(edxmlTimestampToIso('2026/11/28 03:30:15')).toBe('2026-11-28T03:30:15+07:00');
    expect(edxmlTimestampToIso('28/11/2026')).toBeUndefined();
  });
});

describe('hostile and broken input', () => {
  const started = () => performance.now();

  it.each([
    [
      'a DOCTYPE with entity expansion',
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><edXML>&lol2;</edXML>',
      'XML_DTD_FORBIDDEN',
      21,
    ],
    ['an external entity', '<edXML><x>&xxe;</x></edXML>', 'XML_ENTITY_FORBIDDEN', 10],
    [
      'XInclude',
      '<edXML xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd"/></edXML>',
      'XML_EXTERNAL_REFERENCE',
      0,
    ],
  ])('rejects %s fast with XML_UNSAFE', async (_label, xml, reason, offset) => {
    const t0 = started();
    const error = await rejection(parseEdxml(xml));
    expect(error.code).toBe('XML_UNSAFE');
    expect(error.details).toEqual({ offset, reason });
    expect(performance.now() - t0).toBeLessThan(100);
  });

  it('rejects deep nesting without building it', async () => {
    const t0 = started();
    const error = await rejection(parseEdxml('<edXML>' + '<a>'.repeat(1_000_000)));
    expect(error.code).toBe('XML_UNSAFE');
    expect(error.details).toEqual({ offset: 7 + 63 * 3, reason: 'XML_TOO_DEEP' });
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('rejects input larger than maxBytes while it streams in', async () => {
    let produced = 0;
    const endless = (function* () {
      yield Buffer.from('<edXML><AttachmentEncoded><Attachment><ContentTransferEncoded>');
      for (;;) {
        produced += 65536;
        yield Buffer.alloc(65536, 0x41);
      }
    })();
    const error = await rejection(parseEdxml(endless, { maxBytes: 1024 * 1024 }));
    expect(error.code).toBe('XML_UNSAFE');
    expect(error.details).toMatchObject({ reason: 'XML_TOO_LARGE' });
    expect(produced).toBeLessThanOrEqual(1024 * 1024 + 65536);
  });

  it('rejects an attachment larger than maxAttachmentBytes, naming it', async () => {
    const doc: EdxmlDocument = {
      ...golden,
      attachments: [{ ...golden.attachments[0]!, content: new Uint8Array(3000) }],
    };
    const error = await rejection(parseEdxml(buildEdxml(doc), { maxAttachmentBytes: 2048 }));
    expect(error.code).toBe('EDXML_LIMIT_EXCEEDED');
    expect(error.details).toMatchObject({
      path: 'edXML/AttachmentEncoded/Attachment/ContentTransferEncoded',
      limit: 2048,
    });
  });

  it.each([
    ['truncated input', readConformance('edxml/edoc-new.edxml').slice(0, 500), 'XML_UNSAFE'],
    ['mismatched tags', '<edXML><a></b></edXML>', 'XML_MALFORMED'],
    [
      'invalid UTF-8',
      Buffer.concat([Buffer.from('<edXML><a>'), Buffer.from([0xc3, 0x28]), Buffer.from('</a></edXML>')]),
      'XML_MALFORMED',
    ],
    ['a UTF-16 declaration', '<?xml version="1.0" encoding="UTF-16"?><edXML/>', 'XML_MALFORMED'],
    ['no markup', 'hello', 'XML_MALFORMED'],
    ['random bytes', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), 'XML_UNSAFE'],
    [
      'a SOAP envelope',
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>',
      'EDXML_NOT_EDXML',
    ],
    [
      'an edXML root without header',
      '<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope/></edXML>',
      'EDXML_NOT_EDXML',
    ],
    [
      'another namespace',
      '<edXML xmlns="urn:x"><edXMLEnvelope><edXMLHeader/></edXMLEnvelope></edXML>',
      'EDXML_NOT_EDXML',
    ],
    ['bad base64', readConformance('edxml/edoc-new.edxml').replace('JVBERi0', 'JV*ERi0'), 'EDXML_INVALID'],
  ])('rejects %s with a typed error', async (_label, input, code) => {
    const error = await rejection(parseEdxml(input));
    expect(error.code).toBe(code);
    expect(typeof (error.details as { offset?: unknown } | undefined)?.offset).toBe('number');
  });

  it('honours an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(
      parseEdxml(readConformance('edxml/edoc-new.edxml'), { signal: controller.signal }),
    );
    expect(error.code).toBe('ABORTED');
  });
});

describe('large text and CDATA', () => {
  it('streams a 20 MB CDATA section in small chunks in linear time', async () => {
    const head = Buffer.from(
      readConformance('edxml/edoc-new.edxml').replace(
        '<edXML:Subject>',
        '<edXML:Subject><![CDATA[Tiêu đề]]>',
      ),
    );
    const big = Buffer.from(`<edXML><x><![CDATA[${'ả]]'.repeat(4 * 1024 * 1024)}]]></x></edXML>`);
    const chunks = function* () {
      for (let i = 0; i < big.length; i += 4096) yield big.subarray(i, i + 4096);
    };
    const started = performance.now();
    const error = await rejection(parseEdxml(chunks(), { maxTextLength: 100 * 1024 * 1024 }));
    // Well-formed but not edXML: the whole section was read without quadratic copying.
    expect(error.code).toBe('EDXML_NOT_EDXML');
    expect(performance.now() - started).toBeLessThan(5000);
    const parsed = await parseEdxml(head);
    expect(parsed.kind === 'edoc' && parsed.messageHeader.subject.startsWith('Tiêu đềV/v')).toBe(true);
  });
});

describe('Unicode normalization', () => {
  it('normalizes Vietnamese text to NFC on parse and on build', async () => {
    const decomposed = 'Ha\u0300 Giang' + ' Vie\u0323\u0302t Nam';
    expect(decomposed).not.toBe(decomposed.normalize('NFC'));
    const xml = readConformance('edxml/edoc-new.edxml').replace(
      '<edXML:Place>Hà Giang</edXML:Place>',
      `<edXML:Place>${decomposed}</edXML:Place>`,
    );
    const parsed = await parseEdxml(xml);
    expect(parsed.kind === 'edoc' && parsed.messageHeader.promulgationInfo.place).toBe('Hà Giang Việt Nam');
    const built = buildEdxml(withHeader({ subject: decomposed }));
    expect(built).toContain('<edXML:Subject>Hà Giang Việt Nam</edXML:Subject>');
  });
});

describe('createStatusPackage', () => {
  it('answers a received document with ResponseFor taken from it, in Vietnam time', async () => {
    const received = await parseEdxml(readConformance('edxml/edoc-new.edxml'));
    if (received.kind !== 'edoc') throw new Error('expected a document');
    const status = createStatusPackage(received, {
      from: { organId: '000.00.00.G22', organName: 'Văn phòng Chính phủ' },
      statusCode: '01',
      description: 'Đã nhận',
      at: Date.UTC(2026, 10, 28, 1, 2, 3),
    });
    expect(status).toEqual({
      kind: 'status',
      status: {
        responseFor: {
          organId: '000.00.08.H22',
          code: '125/STTTT-CNTT',
          promulgationDate: '2026/11/27',
          documentId: '000.00.08.H22,2026/11/27,125/STTTT-CNTT',
        },
        from: { organId: '000.00.00.G22', organName: 'Văn phòng Chính phủ' },
        statusCode: '01',
        description: 'Đã nhận',
        timestamp: '2026/11/28 08:02:03',
      },
    });
    expect(validateEdxml(status)).toEqual([]);
  });

  it('derives the DocumentId when the document has none', () => {
    const { documentId: _omit, ...header } = golden.messageHeader;
    const status = createStatusPackage(
      { ...golden, messageHeader: header },
      { from: { organId: '000.00.00.G22' }, statusCode: '06', at: 0 },
    );
    expect(status.status.responseFor.documentId).toBe('000.00.08.H22,2026/11/27,125/STTTT-CNTT');
    expect(edxmlDocumentId(' 000.00.00.H37', '2017/08/10', '452', 'UBND-KT ')).toBe(
      '000.00.00.H37,2017/08/10,452/UBND-KT',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { createXmlGuard, isXmlSecurityError, scanXml, type XmlSecurityCode } from './xml-guard.js';

function failure(input: string | Uint8Array, limits?: Parameters<typeof scanXml>[1]) {
  try {
    scanXml(input, limits);
  } catch (error) {
    if (isXmlSecurityError(error)) return { code: error.code, offset: error.offset };
    throw error;
  }
  throw new Error('expected the guard to reject the input');
}

describe('scanXml', () => {
  it('accepts ordinary documents and reports their shape', () => {
    const xml =
      '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- c > -- -->\n<a x="1 &amp; 2" y=\'/\'><b/><c>t &lt; &#x1F600; &#65;<![CDATA[<&]]></c></a>\n';
    expect(scanXml(xml)).toEqual({ bytes: new TextEncoder().encode(xml).length, elements: 3, maxDepth: 2 });
  });

  it.each<[string, string, XmlSecurityCode, number]>([
    ['DOCTYPE', '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', 'XML_DTD_FORBIDDEN', 21],
    ['ENTITY outside a DTD', '<a><!ENTITY x SYSTEM "file:///etc/passwd"></a>', 'XML_DTD_FORBIDDEN', 3],
    ['undeclared entity', '<a>ok &xxe; </a>', 'XML_ENTITY_FORBIDDEN', 6],
    ['undeclared entity in an attribute', '<a v="&ext;"/>', 'XML_ENTITY_FORBIDDEN', 6],
    [
      'XInclude',
      '<a xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="/etc/passwd"/></a>',
      'XML_EXTERNAL_REFERENCE',
      0,
    ],
    [
      'XInclude hidden behind character references',
      '<a xmlns:xi="http://www.w3.org/2001/XInclud&#x65;"/>',
      'XML_EXTERNAL_REFERENCE',
      0,
    ],
    ['bare ampersand', '<a>fish & chips</a>', 'XML_MALFORMED', 8],
    ['truncated tag', '<a><b', 'XML_MALFORMED', 3],
    ['unclosed element', '<a><b></b>', 'XML_MALFORMED', 10],
    ['stray end tag', '<a></a></b>', 'XML_MALFORMED', 7],
    ['unknown <! markup', '<a><!x></a>', 'XML_MALFORMED', 3],
  ])('rejects %s', (_label, xml, code, offset) => {
    expect(failure(xml)).toEqual({ code, offset });
  });

  it('reports byte offsets, not character offsets', () => {
    // "Hà Nội" is 6 characters and 9 bytes in UTF-8.
    expect(failure('<a>Hà Nội &bad;</a>')).toEqual({ code: 'XML_ENTITY_FORBIDDEN', offset: 13 });
  });

  it('enforces the depth limit fast on deep nesting', () => {
    const deep = '<a>'.repeat(100_000) + '</a>'.repeat(100_000);
    const started = performance.now();
    expect(failure(deep, { maxDepth: 64 })).toEqual({ code: 'XML_TOO_DEEP', offset: 64 * 3 });
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('enforces the size and tag limits', () => {
    expect(failure(`<a>${'x'.repeat(2000)}</a>`, { maxBytes: 1024 })).toEqual({
      code: 'XML_TOO_LARGE',
      offset: 1024,
    });
    expect(failure(`<a b="${'x'.repeat(300)}"/>`, { maxTagBytes: 256 })).toEqual({
      code: 'XML_TOO_LARGE',
      offset: 0,
    });
    expect(failure(`<a><!--${'x'.repeat(300)}--></a>`, { maxTagBytes: 256 })).toEqual({
      code: 'XML_TOO_LARGE',
      offset: 3,
    });
  });

  it('carries a bilingual message, the offset in details, and a stable name', () => {
    try {
      scanXml('<!DOCTYPE x><x/>');
      expect.unreachable();
    } catch (error) {
      expect(isXmlSecurityError(error)).toBe(true);
      const e = error as Error & { details: unknown; retryable: boolean };
      expect(e.name).toBe('XmlSecurityError');
      expect(e.message).toBe(
        'DTD declarations (<!DOCTYPE, <!ENTITY, ...) are not allowed (byte 0) / không cho phép khai báo DTD (<!DOCTYPE, <!ENTITY, ...) (byte 0)',
      );
      expect(e.details).toEqual({ offset: 0 });
      expect(e.retryable).toBe(false);
    }
  });
});

describe('createXmlGuard', () => {
  it('gives the same answer whatever the chunking', () => {
    const xml = new TextEncoder().encode(
      '<?xml version="1.0"?><r a="&#x41;&amp;"><![CDATA[ ]] ]]]><!-- -- --><s>Đà Nẵng &amp; Huế</s></r>',
    );
    for (const size of [1, 2, 3, 7, 64]) {
      const guard = createXmlGuard();
      for (let i = 0; i < xml.length; i += size) guard.write(xml.subarray(i, i + size));
      expect(guard.end()).toEqual({ bytes: xml.length, elements: 2, maxDepth: 2 });
    }
  });

  it('finds a DOCTYPE split across chunks at its true offset', () => {
    const guard = createXmlGuard();
    guard.write('<?xml version="1.0"?>\n<');
    guard.write('!');
    expect(() => guard.write('DOCTYPE a>')).toThrow(
      expect.objectContaining({ code: 'XML_DTD_FORBIDDEN', offset: 22 }),
    );
  });

  it('rejects a document that grows past maxBytes while streaming', () => {
    const guard = createXmlGuard({ maxBytes: 100 });
    guard.write('<a>');
    expect(() => guard.write('x'.repeat(200))).toThrow(expect.objectContaining({ code: 'XML_TOO_LARGE' }));
  });

  it('refuses to be used after end()', () => {
    const guard = createXmlGuard();
    guard.write('<a/>');
    guard.end();
    expect(() => guard.write('<b/>')).toThrow(TypeError);
    expect(() => guard.end()).toThrow(TypeError);
  });
});

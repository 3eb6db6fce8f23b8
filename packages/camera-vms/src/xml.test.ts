import { describe, expect, it } from 'vitest';
import { isCameraError } from './errors.js';
import { child, find, parseXml, textAt } from './xml.js';

function codeOf(fn: () => unknown): { code: string; offset: unknown } {
  try {
    fn();
  } catch (err) {
    if (isCameraError(err)) return { code: err.code, offset: err.details?.offset };
    throw err;
  }
  throw new Error('did not throw');
}

describe('parseXml', () => {
  it('resolves any prefix and default namespaces to URIs', () => {
    const a = parseXml(
      '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope"><SOAP-ENV:Body><m xmlns="urn:x" a:k="v" xmlns:a="urn:a">1 &lt; 2 &amp; &#x1EA1;<![CDATA[<raw>]]></m></SOAP-ENV:Body></SOAP-ENV:Envelope>',
    );
    expect(a.name).toBe('Envelope');
    expect(a.ns).toBe('http://www.w3.org/2003/05/soap-envelope');
    const m = find(a, 'm');
    expect(m?.ns).toBe('urn:x');
    expect(m?.prefix).toBe('');
    expect(m?.attrs).toEqual({ k: 'v' });
    expect(m?.text).toBe('1 < 2 & ạ<raw>');
    expect(m?.path).toBe('/Envelope/Body/m');
  });

  it('keeps element offsets so the raw text can be sliced', () => {
    const src = '<?xml version="1.0"?>\n<a><b x="1">t</b><c/></a>';
    const root = parseXml(src);
    const b = child(root, 'b');
    expect(src.slice(b?.start, b?.end)).toBe('<b x="1">t</b>');
    const c = child(root, 'c');
    expect(src.slice(c?.start, c?.end)).toBe('<c/>');
    expect(textAt(root, 'b')).toBe('t');
  });

  it('decodes UTF-8 bytes and skips a BOM', () => {
    const root = parseXml(new TextEncoder().encode('\uFEFF<a>Bắc Giang</a>'));
    expect(root.text).toBe('Bắc Giang');
  });

  it('rejects DTDs and entity tricks before parsing', () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><lolz>&lol2;</lolz>';
    expect(codeOf(() => parseXml(bomb))).toEqual({ code: 'XML_FORBIDDEN', offset: 21 });
    expect(codeOf(() => parseXml('<a>&ext;</a>')).code).toBe('XML_FORBIDDEN');
  });

  it('enforces size and depth limits', () => {
    expect(codeOf(() => parseXml(`<a>${'x'.repeat(200)}</a>`, { maxBytes: 100 })).code).toBe(
      'XML_LIMIT_EXCEEDED',
    );
    expect(codeOf(() => parseXml(`${'<a>'.repeat(60)}${'</a>'.repeat(60)}`)).code).toBe('XML_LIMIT_EXCEEDED');
  });

  it('fails on malformed input with the byte offset', () => {
    expect(codeOf(() => parseXml('<a><b></a></b>'))).toEqual({ code: 'XML_MALFORMED', offset: 6 });
    expect(codeOf(() => parseXml('<ạ><b x=1/></ạ>'))).toEqual({ code: 'XML_MALFORMED', offset: 10 });
    expect(codeOf(() => parseXml('<x:a/>')).code).toBe('XML_MALFORMED');
    expect(codeOf(() => parseXml('<a/><b/>')).code).toBe('XML_MALFORMED');
    expect(codeOf(() => parseXml('')).code).toBe('XML_MALFORMED');
    expect(codeOf(() => parseXml('<a>')).code).toBe('XML_MALFORMED');
  });

  it('never hangs on random bytes', () => {
    let seed = 7;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const alphabet = '<>/="\'a:b &;![]?-x\n';
    for (let i = 0; i < 500; i++) {
      let s = '';
      for (let j = 0; j < 40; j++) s += alphabet[rnd() % alphabet.length];
      try {
        parseXml(s);
      } catch (err) {
        expect(isCameraError(err)).toBe(true);
      }
    }
  });
});

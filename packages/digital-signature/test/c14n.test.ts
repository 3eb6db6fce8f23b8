import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { C14nCanonicalization, ExclusiveCanonicalization } from 'xml-crypto';
import { DOMParser as PeerParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { canonicalize, C14N, c14nOptions, type C14nAlgorithm } from '../src/xml/c14n.js';
import { parseXml, selectPath, type Element } from '../src/xml/dom.js';

const DIR = fileURLToPath(new URL('./fixtures/c14n/', import.meta.url));
const file = (n: string): string => readFileSync(DIR + n, 'utf8');

const c14n = (xml: string, alg: C14nAlgorithm, path?: string, prefixes: string[] = []): string => {
  const doc = parseXml(xml);
  const node = path === undefined ? doc : (selectPath(doc, path)[0] as Element);
  return canonicalize(node, c14nOptions(alg, prefixes));
};

describe('Canonical XML 1.0: the W3C recommendation examples (DTD parts removed)', () => {
  it('3.1 PIs, comments and content outside the document element', () => {
    const xml = file('3.1-pi-comments.xml');
    expect(c14n(xml, C14N.inclusive)).toBe(file('3.1-pi-comments.c14n'));
    expect(c14n(xml, C14N.inclusiveWithComments)).toBe(file('3.1-pi-comments.c14n-comments'));
  });

  it('3.3 start and end tags: namespace and attribute order, superfluous declarations', () => {
    expect(c14n(file('3.3-tags.xml'), C14N.inclusive)).toBe(file('3.3-tags.c14n'));
  });

  it('3.4 character modifications and character references', () => {
    expect(c14n(file('3.4-characters.xml'), C14N.inclusive)).toBe(file('3.4-characters.c14n'));
  });

  it('3.2 whitespace in document content is kept, the XML declaration dropped', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\r\n<doc>\r\n  <clean> </clean>\n\t<dirty>   A   B   </dirty>\n</doc>';
    expect(c14n(xml, C14N.inclusive)).toBe('<doc>\n  <clean> </clean>\n\t<dirty>   A   B   </dirty>\n</doc>');
  });
});

describe('Exclusive XML Canonicalization 1.0', () => {
  const xml =
    '<n0:local xmlns:n0="foo:bar" xmlns:n3="ftp://example.org"><n1:elem2 xmlns:n1="http://example.net" xml:lang="en"><n3:stuff xmlns:n3="ftp://example.org"/></n1:elem2></n0:local>';

  it('renders only the visibly utilized namespaces of a subset (the specification example)', () => {
    expect(c14n(xml, C14N.exclusive, '/local/elem2')).toBe(
      '<n1:elem2 xmlns:n1="http://example.net" xml:lang="en"><n3:stuff xmlns:n3="ftp://example.org"></n3:stuff></n1:elem2>',
    );
  });

  it('inclusive c14n of the same subset carries every in-scope namespace', () => {
    expect(c14n(xml, C14N.inclusive, '/local/elem2')).toBe(
      '<n1:elem2 xmlns:n0="foo:bar" xmlns:n1="http://example.net" xmlns:n3="ftp://example.org" xml:lang="en"><n3:stuff></n3:stuff></n1:elem2>',
    );
  });

  it('InclusiveNamespaces PrefixList adds the listed in-scope prefixes, #default the default one', () => {
    expect(c14n(xml, C14N.exclusive, '/local/elem2', ['n0'])).toBe(
      '<n1:elem2 xmlns:n0="foo:bar" xmlns:n1="http://example.net" xml:lang="en"><n3:stuff xmlns:n3="ftp://example.org"></n3:stuff></n1:elem2>',
    );
    const withDefault = '<r xmlns="urn:d" xmlns:p="urn:p"><p:a><b/></p:a></r>';
    expect(c14n(withDefault, C14N.exclusive, '/r/a')).toBe(
      '<p:a xmlns:p="urn:p"><b xmlns="urn:d"></b></p:a>',
    );
    expect(c14n(withDefault, C14N.exclusive, '/r/a', ['#default'])).toBe(
      '<p:a xmlns="urn:d" xmlns:p="urn:p"><b></b></p:a>',
    );
  });

  it('inclusive c14n inherits xml:* attributes into a subset, exclusive does not', () => {
    const x = '<a xml:lang="vi" xml:space="preserve"><b xml:lang="en"><c/></b></a>';
    expect(c14n(x, C14N.inclusive, '/a/b')).toBe('<b xml:lang="en" xml:space="preserve"><c></c></b>');
    expect(c14n(x, C14N.exclusive, '/a/b')).toBe('<b xml:lang="en"><c></c></b>');
  });

  it('xmlns="" is rendered only to undo a rendered default namespace', () => {
    const x = '<a xmlns="urn:a"><b xmlns=""><c xmlns=""/></b></a>';
    expect(c14n(x, C14N.exclusive)).toBe('<a xmlns="urn:a"><b xmlns=""><c></c></b></a>');
    expect(c14n(x, C14N.exclusive, '/a/b')).toBe('<b><c></c></b>');
    expect(c14n(x, C14N.inclusive, '/a/b')).toBe('<b><c></c></b>');
  });

  it('comments are kept only by the #WithComments variants; excluded subtrees vanish', () => {
    const x = '<a><!--x--><b>1</b><s><t/></s></a>';
    const doc = parseXml(x);
    const s = selectPath(doc, '/a/s')[0];
    expect(canonicalize(doc, { exclusive: true, withComments: false, exclude: (e) => e === s })).toBe(
      '<a><b>1</b></a>',
    );
    expect(c14n(x, C14N.exclusiveWithComments)).toBe('<a><!--x--><b>1</b><s><t></t></s></a>');
  });
});

describe('agrees with xml-crypto on varied documents', () => {
  const docs = [
    '<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016" xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope><edXMLHeader><Subject>Công văn số 12 &amp; "phụ lục" &lt;1&gt;</Subject></edXMLHeader></edXMLEnvelope></edXML>',
    '<a xmlns:z="urn:z" xmlns:y="urn:y" y:k="2" z:k="1" k="0"><b z:q="\t\n\r"/><!-- c --></a>',
    '<p:root xmlns:p="urn:p" xmlns="urn:d"><child attr="a&amp;b&quot;c"><x xmlns=""/></child><p:other xmlns:p="urn:p2"/></p:root>',
    '<r>\n  text with ]]&gt; and &#xD; and tabs\t</r>',
    '<a xmlns:p="urn:p"><p:b xmlns:p="urn:p"><c p:x="1" xmlns:q="urn:q"><q:d xmlns:p="urn:other" p:y="2"/></c></p:b></a>',
    '<a xmlns="urn:a" xmlns:x="urn:x"><b xmlns="urn:b" x:k="v"><c xmlns="urn:a"/><d xmlns=""/></b></a>',
    '<a xml:lang="vi"><b xml:space="preserve">  giữ   khoảng trắng  </b><c>Tiếng Việt: ắ ằ ẳ ẵ ặ</c></a>',
  ];
  const algos = [
    [C14N.exclusive, () => new ExclusiveCanonicalization()],
    [C14N.inclusive, () => new C14nCanonicalization()],
  ] as const;
  for (const [i, xml] of docs.entries()) {
    for (const [alg, peer] of algos) {
      it(`document ${i} with ${alg}`, () => {
        const peerDoc = new PeerParser().parseFromString(xml, 'application/xml');
        const expected = peer().process(peerDoc.documentElement, {});
        expect(c14n(xml, alg)).toBe(expected);
      });
    }
  }
});

import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { describe, expect, it } from 'vitest';
import {
  definePolicy,
  DEFAULT_POLICY,
  isSignatureError,
  signEdxml,
  signXml,
  TrustStore,
  verifyEdxml,
  verifyXml,
  type ValidationReport,
  type XmlVerifyOptions,
} from '../src/index.js';
import { parseXml } from '../src/xml/dom.js';
import { canonicalSignedInfo, findSignatureElements, parseSignatureElement } from '../src/xml/dsig.js';
import { crl, PKI, read, VALIDATE_AT } from './helpers.js';
import { validateReport } from './schema.js';

const UNSIGNED = readFileSync(PKI + '../edxml/cong-van.xml', 'utf8');
const text = (n: string): string => readFileSync(PKI + n, 'utf8');
const RSA = { key: text('signer-rsa.key'), certificateChain: [read('signer-rsa.crt'), read('ca.crt')] };
const EC = { key: text('signer-ec.key'), certificateChain: [read('signer-ec.crt'), read('ca.crt')] };
const trustStore = new TrustStore({ anchors: [read('root.crt')], includeVietnameseRoots: false });
const offline: XmlVerifyOptions = {
  trustStore,
  validationTime: VALIDATE_AT,
  crls: [crl('ca.crl'), crl('root.crl')],
};
const HEADER = '/edXML/edXMLEnvelope/edXMLHeader';
const BODY = '/edXML/edXMLEnvelope/edXMLBody';
const SIGNATURE = `${HEADER}/Signature`;

async function verdictOf(xml: string, options: XmlVerifyOptions = {}): Promise<ValidationReport> {
  const report = await verifyEdxml(xml, { ...offline, ...options });
  expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
  return report;
}
const verdict = verdictOf;
const outcome = (r: ValidationReport) => ({ indication: r.indication, subIndication: r.subIndication });
const signed = signEdxml(UNSIGNED, RSA);

/** Signs with xml-crypto 6 (an independent implementation) as a peer producer would. */
function xmlCryptoSign(
  xml: string,
  opts: { c14n?: string; uri?: 'empty' | 'header'; prefixes?: string[]; alg?: string } = {},
): string {
  const c14n = opts.c14n ?? 'http://www.w3.org/2001/10/xml-exc-c14n#';
  const sig = new SignedXml({
    privateKey: text('signer-rsa.key'),
    publicCert: text('signer-rsa.crt'),
    canonicalizationAlgorithm: c14n,
    signatureAlgorithm: opts.alg ?? 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    ...(opts.prefixes === undefined ? {} : { inclusiveNamespacesPrefixList: opts.prefixes }),
  });
  sig.addReference({
    xpath: opts.uri === 'header' ? "//*[local-name(.)='edXMLHeader']" : '/*',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', c14n],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    isEmptyUri: opts.uri !== 'header',
    ...(opts.prefixes === undefined ? {} : { inclusiveNamespacesPrefixList: opts.prefixes }),
  });
  sig.computeSignature(xml, {
    location: { reference: "//*[local-name(.)='edXMLHeader']", action: 'append' },
  });
  return sig.getSignedXml();
}

describe('signEdxml + verifyEdxml', () => {
  it('a package signed with rsa-sha256 passes, and the report says what is covered', async () => {
    const r = await verdict(signed);
    expect(outcome(r)).toEqual({ indication: 'TOTAL_PASSED', subIndication: undefined });
    expect(r.format).toBe('XML');
    expect(r.document).toEqual({
      detached: false,
      fileLength: Buffer.byteLength(signed),
      signatureFields: 1,
      rootElement: 'edXML',
    });
    const s = r.signatures[0];
    expect(s?.signer?.commonName).toBe('Nguyễn Văn Ánh');
    expect(s?.signatureAlgorithm).toBe('RSA-SHA256');
    expect(s?.chain.map((c) => c.serialNumber)).toEqual(['2000', '1001', '1000']);
    expect(s?.revocation.map((x) => x.status)).toEqual(['good', 'good']);
    expect(s?.xml).toEqual({
      signaturePath: SIGNATURE,
      signatureMethod: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      canonicalization: 'http://www.w3.org/2001/10/xml-exc-c14n#',
      references: [
        {
          uri: '',
          digestAlgorithm: 'sha256',
          transforms: [
            'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
            'http://www.w3.org/2001/10/xml-exc-c14n#',
          ],
          covers: '/edXML',
          excludes: [SIGNATURE],
          digestValid: true,
        },
      ],
      coveredElements: ['/edXML'],
      trustedElements: [
        { path: HEADER, status: 'covered', matches: 1 },
        { path: BODY, status: 'covered', matches: 1 },
      ],
    });
    expect(s?.checks.map((c) => `${c.block}:${c.id}:${c.status}`)).toEqual([
      'FC:XML_STRUCTURE:PASSED',
      'CV:REFERENCE_DIGEST:PASSED',
      'SAV:SIGNED_SCOPE:PASSED',
      'SAV:SIGNED_SCOPE:PASSED',
      'ISC:SIGNING_CERTIFICATE:PASSED',
      'CV:SIGNATURE_VALUE:PASSED',
      'SAV:CLAIMED_SIGNING_TIME:INFORMATION',
      'XCV:CHAIN:PASSED',
      'RFC:REVOCATION:PASSED',
      'RFC:REVOCATION:PASSED',
      'SAV:CRYPTOGRAPHIC_CONSTRAINTS:PASSED',
    ]);
  });

  it('puts the signature in edXMLHeader and leaves the rest of the package as it was', () => {
    const doc = new DOMParser().parseFromString(signed, 'application/xml');
    const header = doc.getElementsByTagName('edXMLHeader')[0];
    expect(header?.lastChild?.nodeName).toBe('Signature');
    expect(signed.replace(/<Signature [\s\S]*<\/Signature>/, '')).toBe(
      UNSIGNED.trimEnd().replace(/\r\n/g, '\n'),
    );
  });

  it('packages in the legacy namespace or with edXMLEnvelope as the root get the same defaults', async () => {
    const legacy = signEdxml(
      UNSIGNED.replaceAll('http://www.mic.gov.vn/TBT/QCVN_102_2016', 'http://www.go.vn/eDoc'),
      RSA,
    );
    expect(outcome(await verdict(legacy)).indication).toBe('TOTAL_PASSED');
    const envelopeRoot = UNSIGNED.replace(
      /<edXML [^>]*>\s*<edXMLEnvelope>/,
      '<edXMLEnvelope xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">',
    ).replace(/<\/edXMLEnvelope>[\s\S]*<\/edXML>/, '</edXMLEnvelope>');
    const r = await verdict(signEdxml(envelopeRoot, RSA));
    expect(outcome(r).indication).toBe('TOTAL_PASSED');
    expect(r.signatures[0]?.xml?.trustedElements.map((t) => t.path)).toEqual([
      '/edXMLEnvelope/edXMLHeader',
      '/edXMLEnvelope/edXMLBody',
    ]);
  });

  it('ECDSA P-256 (ecdsa-sha256, r‖s signature value) and rsa-sha512 pass', async () => {
    const ec = await verdict(signEdxml(UNSIGNED, EC));
    expect(outcome(ec).indication).toBe('TOTAL_PASSED');
    expect(ec.signatures[0]?.signatureAlgorithm).toBe('ECDSA-SHA256');
    const sha512 = await verdict(signEdxml(UNSIGNED, { ...RSA, algorithm: 'rsa-sha512', digest: 'sha512' }));
    expect(outcome(sha512).indication).toBe('TOTAL_PASSED');
    expect(sha512.signatures[0]?.signatureAlgorithm).toBe('RSA-SHA512');
  });

  it('RSASSA-PSS (RFC 6931 sha256-rsa-MGF1): verifies, and openssl agrees on the signature value', async () => {
    const pss = signEdxml(UNSIGNED, { ...RSA, algorithm: 'rsa-pss-sha256' });
    const r = await verdict(pss);
    expect([r.indication, r.signatures[0]?.signatureAlgorithm]).toEqual([
      'TOTAL_PASSED',
      'RSASSA-PSS-SHA256',
    ]);
    const doc = parseXml(pss);
    const sigEl = findSignatureElements(doc)[0];
    if (sigEl === undefined) throw new Error('no signature');
    const parsed = parseSignatureElement(sigEl);
    const dir = mkdtempSync(join(tmpdir(), 'dttm-pss-'));
    const file = (name: string, data: Uint8Array | string): string => {
      writeFileSync(join(dir, name), data);
      return join(dir, name);
    };
    const pub = createPublicKey(text('signer-rsa.key')).export({ type: 'spki', format: 'pem' });
    const out = execFileSync(
      'openssl',
      ['dgst', '-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32']
        .concat(['-verify', file('pub.pem', pub), '-signature', file('sig', parsed.signatureValue)])
        .concat([file('si', canonicalSignedInfo(parsed))]),
      { encoding: 'utf8' },
    );
    expect(out.trim()).toBe('Verified OK');
  });

  it('SHA-1 is refused by the default policy and accepted by a legacy policy', async () => {
    const sha1 = signEdxml(UNSIGNED, { ...RSA, algorithm: 'rsa-sha1', digest: 'sha1' });
    expect(outcome(await verdict(sha1))).toEqual({
      indication: 'INDETERMINATE',
      subIndication: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
    });
    const legacy = definePolicy({
      name: 'legacy-sha1',
      digests: { ...DEFAULT_POLICY.digests, sha1: { notAfter: '2030-01-01T00:00:00Z' } },
    });
    expect(outcome(await verdict(sha1, { policy: legacy })).indication).toBe('TOTAL_PASSED');
    // A SHA-1 reference digest under an rsa-sha256 signature is judged too.
    const mixed = await verdict(signEdxml(UNSIGNED, { ...RSA, digest: 'sha1' }));
    expect(outcome(mixed).subIndication).toBe('CRYPTO_CONSTRAINTS_FAILURE_NO_POE');
    expect(mixed.signatures[0]?.checks.at(-1)?.message.en).toContain('reference 0 (): sha1 is accepted only');
  });

  it('tampered content: HASH_FAILURE; tampered signature value: SIG_CRYPTO_FAILURE', async () => {
    const tampered = signed.replace('Văn phòng Chính phủ', 'Bộ Tài chính');
    expect(outcome(await verdict(tampered))).toEqual({
      indication: 'TOTAL_FAILED',
      subIndication: 'HASH_FAILURE',
    });
    const value = /<SignatureValue>([^<]+)</.exec(signed)?.[1] ?? '';
    const flipped = signed.replace(value, (value.startsWith('A') ? 'B' : 'A') + value.slice(1));
    expect(outcome(await verdict(flipped))).toEqual({
      indication: 'TOTAL_FAILED',
      subIndication: 'SIG_CRYPTO_FAILURE',
    });
  });

  it('comments added after signing are outside the node-set of URI="" (XML-DSig), so it still passes', async () => {
    const commented = signed.replace('<Subject>', '<!-- ghi chú --><Subject>');
    expect(outcome(await verdict(commented)).indication).toBe('TOTAL_PASSED');
  });

  it('never trusts KeyInfo alone: an unknown root gives NO_CERTIFICATE_CHAIN_FOUND', async () => {
    const r = await verdict(signed, { trustStore: new TrustStore() });
    expect(outcome(r)).toEqual({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
    expect(r.signatures[0]?.message.vi).toBe(
      'Chưa đủ căn cứ để kết luận chữ ký hợp lệ. Không xây dựng được chuỗi chứng thư đến một gốc tin cậy.',
    );
  });

  it('a signer whose certificate is not in KeyInfo is found among the supplied certificates', async () => {
    const bare = signed.replace(/<KeyInfo>[\s\S]*<\/KeyInfo>/, '');
    expect(outcome(await verdict(bare))).toEqual({
      indication: 'INDETERMINATE',
      subIndication: 'NO_SIGNING_CERTIFICATE_FOUND',
    });
    const r = await verdict(bare, { certificates: [read('signer-rsa.crt'), read('ca.crt')] });
    expect(outcome(r).indication).toBe('TOTAL_PASSED');
  });

  it('without revocation data the status is unknown: INDETERMINATE/TRY_LATER', async () => {
    expect(outcome(await verdict(signed, { crls: [] }))).toEqual({
      indication: 'INDETERMINATE',
      subIndication: 'TRY_LATER',
    });
  });

  it('the signing key must match the certificate; a document is signed once per element', () => {
    const err = (f: () => unknown): unknown => {
      try {
        f();
      } catch (e) {
        return e;
      }
      return undefined;
    };
    const mismatch = err(() => signEdxml(UNSIGNED, { ...RSA, key: text('ocsp.key') }));
    expect(isSignatureError(mismatch) && mismatch.code).toBe('SIG_KEY_INVALID');
    const twice = err(() => signEdxml(signed, RSA));
    expect(isSignatureError(twice) && twice.code).toBe('SIG_XML_INVALID');
    const wrongAlg = err(() => signEdxml(UNSIGNED, { ...EC, algorithm: 'rsa-sha256' }));
    expect(isSignatureError(wrongAlg) && wrongAlg.code).toBe('SIG_KEY_INVALID');
    const hostile = err(() => signXml('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', RSA));
    expect(isSignatureError(hostile) && hostile.code).toBe('SIG_XML_FORBIDDEN');
  });
});

describe('signed by xml-crypto 6 (independent implementation)', () => {
  // xml-crypto puts only the signer's certificate in KeyInfo: the intermediate comes from the caller.
  const verdict = (xml: string, options: XmlVerifyOptions = {}) =>
    verdictOf(xml, { certificates: [read('ca.crt')], ...options });

  it('URI="" with exclusive c14n passes; without the intermediate no chain is found', async () => {
    const xml = xmlCryptoSign(UNSIGNED);
    expect(outcome(await verdict(xml)).indication).toBe('TOTAL_PASSED');
    expect(outcome(await verdictOf(xml))).toEqual({
      indication: 'INDETERMINATE',
      subIndication: 'NO_CERTIFICATE_CHAIN_FOUND',
    });
  });

  it('inclusive c14n 1.0, exclusive #WithComments and an InclusiveNamespaces PrefixList pass', async () => {
    for (const c14n of [
      'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
      'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
    ]) {
      const r = await verdict(xmlCryptoSign(UNSIGNED, { c14n }));
      expect([c14n, outcome(r).indication]).toEqual([c14n, 'TOTAL_PASSED']);
    }
    const withList = xmlCryptoSign(UNSIGNED, { prefixes: ['edXML'] });
    expect(withList).toContain('PrefixList="edXML"');
    expect(outcome(await verdict(withList)).indication).toBe('TOTAL_PASSED');
  });

  it('rsa-sha1 made by xml-crypto verifies under a legacy policy', async () => {
    const sha1 = xmlCryptoSign(UNSIGNED, { alg: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1' });
    const legacy = definePolicy({
      name: 'legacy-sha1',
      digests: { ...DEFAULT_POLICY.digests, sha1: { notAfter: '2030-01-01T00:00:00Z' } },
    });
    expect(outcome(await verdict(sha1, { policy: legacy })).indication).toBe('TOTAL_PASSED');
  });

  it('two references (#header and a generated Id on the body): both covered, reported per reference', async () => {
    const sig = new SignedXml({
      privateKey: text('signer-rsa.key'),
      publicCert: text('signer-rsa.crt'),
      canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
      signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    });
    for (const name of ['edXMLHeader', 'edXMLBody']) {
      sig.addReference({
        xpath: `//*[local-name(.)='${name}']`,
        transforms: [
          'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
          'http://www.w3.org/2001/10/xml-exc-c14n#',
        ],
        digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha512',
      });
    }
    sig.computeSignature(UNSIGNED, {
      location: { reference: "//*[local-name(.)='edXMLHeader']", action: 'append' },
    });
    const r = await verdict(sig.getSignedXml());
    expect(outcome(r).indication).toBe('TOTAL_PASSED');
    const xml = r.signatures[0]?.xml;
    expect(xml?.references.map((x) => [x.uri, x.digestAlgorithm, x.covers, x.excludes])).toEqual([
      ['#header', 'sha512', HEADER, [SIGNATURE]],
      ['#_0', 'sha512', BODY, []],
    ]);
    expect(xml?.coveredElements).toEqual([HEADER, BODY]);
  });

  it('a reference to #header covers only the header: the body is reported as not covered', async () => {
    const headerOnly = xmlCryptoSign(UNSIGNED, { uri: 'header' });
    const r = await verdict(headerOnly);
    expect(outcome(r)).toEqual({ indication: 'INDETERMINATE', subIndication: 'SIG_CONSTRAINTS_FAILURE' });
    expect(r.signatures[0]?.xml?.coveredElements).toEqual([HEADER]);
    expect(r.signatures[0]?.xml?.trustedElements).toEqual([
      { path: HEADER, status: 'covered', matches: 1 },
      { path: BODY, status: 'not-covered', matches: 1 },
    ]);
    expect(r.signatures[0]?.checks.find((c) => c.id === 'ATTACHMENTS_SCOPE')?.status).toBe('WARNING');
    const trustingHeader = await verdict(headerOnly, { trustedElements: [HEADER] });
    expect(outcome(trustingHeader).indication).toBe('TOTAL_PASSED');
  });
});

describe('anti-wrapping', () => {
  const byId = signEdxml(UNSIGNED, { ...RSA, referenceId: 'header' });

  it('our signer can sign by Id; that signature covers the header only', async () => {
    const r = await verdict(byId, { trustedElements: [HEADER] });
    expect(outcome(r).indication).toBe('TOTAL_PASSED');
    expect(r.signatures[0]?.xml?.references[0]?.uri).toBe('#header');
  });

  it('content injected outside the signed subtree is not trusted', async () => {
    const injected = byId.replace('cong-van-125.pdf</AttachmentName>', 'lenh-chi-tien.pdf</AttachmentName>');
    expect(outcome(await verdict(injected))).toEqual({
      indication: 'INDETERMINATE',
      subIndication: 'SIG_CONSTRAINTS_FAILURE',
    });
  });

  it('the signed header moved into ds:Object with a forged header in its place fails', async () => {
    const doc = new DOMParser().parseFromString(byId, 'application/xml');
    const header = doc.getElementsByTagName('edXMLHeader')[0];
    const sig = doc.getElementsByTagName('Signature')[0];
    if (header === undefined || sig === undefined) throw new Error('fixture');
    const copy = header.cloneNode(true);
    const innerSig = (copy as typeof header).getElementsByTagName('Signature')[0];
    if (innerSig !== undefined) copy.removeChild(innerSig);
    header.removeAttribute('Id');
    const subject = header.getElementsByTagName('Subject')[0];
    if (subject?.firstChild) subject.firstChild.nodeValue = 'V/v hủy bỏ văn bản';
    const object = doc.createElementNS('http://www.w3.org/2000/09/xmldsig#', 'Object');
    object.appendChild(copy);
    sig.appendChild(object);
    const wrapped = new XMLSerializer().serializeToString(doc);
    const r = await verdict(wrapped);
    expect(outcome(r)).toEqual({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' });
    expect(r.signatures[0]?.xml?.coveredElements).toEqual([`${SIGNATURE}/Object/edXMLHeader`]);
    expect(r.signatures[0]?.message.en).toBe(
      `The signature is not valid. The signed element is at ${SIGNATURE}/Object/edXMLHeader, not at ${HEADER} (a sign of signature wrapping).`,
    );
  });

  it('a second element with the signed Id fails (ID collision)', async () => {
    const dup = byId.replace('<edXMLManifest>', '<edXMLManifest><Reference Id="header"/>');
    const r = await verdict(dup, { trustedElements: [HEADER] });
    expect(outcome(r)).toEqual({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' });
    expect(r.signatures[0]?.checks.find((c) => c.id === 'REFERENCE_ID_UNIQUE')?.message.en).toContain(
      `2 elements have the Id "header": ${HEADER}, ${BODY}/edXMLManifest/Reference[1]`,
    );
  });

  it('a duplicated trusted element is ambiguous even when its subtree is signed', async () => {
    const twoBodies = signXml(UNSIGNED.replace('</edXMLEnvelope>', '<edXMLBody/></edXMLEnvelope>'), {
      ...RSA,
      parent: HEADER,
    });
    const r = await verdict(twoBodies);
    expect(outcome(r)).toEqual({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' });
    expect(r.signatures[0]?.xml?.trustedElements[1]).toEqual({ path: BODY, status: 'ambiguous', matches: 2 });
  });

  it('a whole-document signature moved out of edXMLHeader still verifies, with a warning', async () => {
    const block = /<Signature [\s\S]*<\/Signature>/.exec(signed)?.[0] ?? '';
    const moved = signed.replace(block, '').replace('</edXMLManifest>', `</edXMLManifest>${block}`);
    const r = await verdict(moved);
    expect(outcome(r).indication).toBe('TOTAL_PASSED');
    expect(r.signatures[0]?.checks.find((c) => c.id === 'SIGNATURE_LOCATION')).toEqual({
      block: 'FC',
      id: 'SIGNATURE_LOCATION',
      status: 'WARNING',
      message: {
        vi: `Chữ ký nằm ở ${BODY}/Signature, không phải trong ${HEADER} như QCVN 102:2016 quy định.`,
        en: `The signature is at ${BODY}/Signature, not in ${HEADER} where QCVN 102:2016 places it.`,
      },
    });
  });

  it('a trusted element absent from the document: SIGNED_DATA_NOT_FOUND', async () => {
    const r = await verdict(signed, { trustedElements: ['/edXML/edXMLEnvelope/Status'] });
    expect(outcome(r)).toEqual({ indication: 'INDETERMINATE', subIndication: 'SIGNED_DATA_NOT_FOUND' });
  });
});

describe('hostile and malformed XML', () => {
  const cases: [string, string, string][] = [
    ['a DTD', signed.replace('<edXML ', '<!DOCTYPE edXML [<!ENTITY a "b">]><edXML '), 'XML_DTD_FORBIDDEN'],
    ['an undeclared entity', signed.replace('Bắc Giang<', '&xxe;<'), 'XML_ENTITY_FORBIDDEN'],
    [
      'XInclude',
      signed.replace('<edXMLBody>', '<edXMLBody xmlns:xi="http://www.w3.org/2001/XInclude">'),
      'XML_EXTERNAL_REFERENCE',
    ],
    ['deep nesting', `<a>${'<b>'.repeat(200)}${'</b>'.repeat(200)}</a>`, 'XML_TOO_DEEP'],
    ['not well-formed', '<edXML><a></b></edXML>', 'SIG_XML_INVALID'],
    ['no root element', '<?xml version="1.0"?>', 'SIG_XML_INVALID'],
  ];
  it.each(cases)('%s → TOTAL_FAILED/FORMAT_FAILURE naming the cause', async (_, xml, code) => {
    const r = await verdict(xml);
    expect(outcome(r)).toEqual({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' });
    expect(r.message.en).toContain(code);
    expect(r.signatures).toEqual([]);
  });

  it('refuses non-UTF-8 input and oversized input', async () => {
    const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>\xe9</a>', 'latin1');
    expect((await verifyXml(latin1)).message.en).toContain('SIG_XML_INVALID');
    expect((await verifyXml(signed, { maxBytes: 1000 })).message.en).toContain('SIG_INPUT_TOO_LARGE');
  });

  it('a document without a signature: NO_SIGNER', async () => {
    const r = await verdict(UNSIGNED);
    expect(outcome(r)).toEqual({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' });
    expect(r.message.en).toBe('The file contains no signature.');
  });

  it('unsupported transforms and external references are refused', async () => {
    const xpath = signed.replace(
      '<Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>',
      '<Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"/>',
    );
    const r = await verdict(xpath);
    expect(outcome(r)).toEqual({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' });
    const external = await verdict(
      signed.replace('<Reference URI="">', '<Reference URI="http://example.test/x">'),
    );
    expect(external.signatures[0]?.xml?.references[0]?.problem).toBe(
      'only same-document references are supported, not "http://example.test/x"',
    );
  });
});

describe('verifyXml (generic XML)', () => {
  it('references by ID and id attributes, with rsa-sha384 and a SHA-384 digest', async () => {
    const doc = '<HoSo xmlns="urn:dvc"><A ID="a1">một</A><B id="b1">hai</B></HoSo>';
    for (const [ref, path] of [
      ['a1', '/HoSo/A'],
      ['b1', '/HoSo/B'],
    ] as const) {
      const xml = signXml(doc, { ...RSA, referenceId: ref, algorithm: 'rsa-sha384', digest: 'sha384' });
      const r = await verifyXml(xml, { ...offline, trustedElements: [path] });
      expect([r.indication, r.signatures[0]?.signatureAlgorithm]).toEqual(['TOTAL_PASSED', 'RSA-SHA384']);
      expect(r.signatures[0]?.xml?.references[0]).toMatchObject({
        uri: `#${ref}`,
        covers: path,
        excludes: [],
      });
      const other = await verifyXml(xml, offline);
      expect(other.signatures[0]?.xml?.trustedElements).toEqual([
        { path: '/HoSo', status: 'not-covered', matches: 1 },
      ]);
    }
  });

  it('signs and verifies any document; by default the document element must be covered', async () => {
    const doc = '<HoSo xmlns="urn:dvc"><MaHoSo>000.00.12.H06-261128-0001</MaHoSo></HoSo>';
    const r = await verifyXml(signXml(doc, RSA), offline);
    expect(outcome(r).indication).toBe('TOTAL_PASSED');
    expect(r.signatures[0]?.xml?.trustedElements).toEqual([{ path: '/HoSo', status: 'covered', matches: 1 }]);
  });
});

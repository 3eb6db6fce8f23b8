import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isSignatureError, signXml, TrustStore, verifyEdxml, verifyXml } from '../src/index.js';
import { canonicalize, C14N, c14nOptions } from '../src/xml/c14n.js';
import { parseXml } from '../src/xml/dom.js';
import { crl, PKI, read, VALIDATE_AT } from './helpers.js';

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  '<',
  '>',
  '&',
  '&amp;',
  '&#x0;',
  '&#xD;',
  '"',
  ']]>',
  '<!--',
  '-->',
  '<![CDATA[',
  '<?pi x?>',
  '<!DOCTYPE x>',
  '<!ENTITY a "b">',
  'xmlns:p="urn:p"',
  'xmlns=""',
  ' Id="header"',
  '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/>',
  '</edXMLHeader>',
  '<Reference URI="#header"/>',
  '\uFFFF',
  '\u0000',
];

function mutate(input: string, r: () => number): string {
  const at = Math.floor(r() * input.length);
  switch (Math.floor(r() * 6)) {
    case 0:
      return input.slice(0, at);
    case 1:
      return input.slice(0, at) + (TOKENS[Math.floor(r() * TOKENS.length)] ?? '') + input.slice(at);
    case 2: {
      const len = Math.floor(r() * 64);
      return input.slice(0, at) + input.slice(at + len);
    }
    case 3: {
      const len = Math.floor(r() * 200);
      return input.slice(0, at) + input.slice(at, at + len) + input.slice(at);
    }
    case 4: {
      const chars = [...input];
      for (let i = 0; i < 4; i++)
        chars[Math.floor(r() * chars.length)] = String.fromCharCode(Math.floor(r() * 128));
      return chars.join('');
    }
    default:
      return input.replace(/(<\w+)/, `$1 ${TOKENS[Math.floor(r() * TOKENS.length)] ?? ''}`);
  }
}

const signed = readFileSync(PKI + '../edxml/signed-xmlsec1-header-only.xml', 'utf8');

describe('XML-DSig under mutated input', () => {
  it('parseXml and canonicalize throw only SignatureError, in bounded time', () => {
    const r = rng(2026);
    const started = Date.now();
    const codes = new Set<string>();
    let parsed = 0;
    for (let i = 0; i < 1500; i++) {
      const input = mutate(i % 3 === 0 ? mutate(signed, r) : signed, r);
      try {
        const doc = parseXml(input);
        parsed++;
        expect(canonicalize(doc, c14nOptions(C14N.exclusive)).length).toBeGreaterThan(0);
        expect(canonicalize(doc, c14nOptions(C14N.inclusiveWithComments)).length).toBeGreaterThan(0);
      } catch (err) {
        expect(isSignatureError(err), err instanceof Error ? err.stack : String(err)).toBe(true);
        if (isSignatureError(err)) codes.add(err.code);
      }
    }
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(parsed).toBeGreaterThan(100);
    expect([...codes].sort()).toEqual(['SIG_XML_FORBIDDEN', 'SIG_XML_INVALID']);
  });

  it('verifyEdxml answers every mutated package with a report, never an exception', async () => {
    const trustStore = new TrustStore({ anchors: [read('root.crt')], includeVietnameseRoots: false });
    const r = rng(7);
    const seen = new Set<string>();
    const started = Date.now();
    for (let i = 0; i < 400; i++) {
      const report = await verifyEdxml(mutate(signed, r), {
        trustStore,
        validationTime: VALIDATE_AT,
        crls: [crl('ca.crl'), crl('root.crl')],
        trustedElements: ['/edXML/edXMLEnvelope/edXMLHeader'],
      });
      seen.add(`${report.indication}/${report.subIndication ?? ''}`);
    }
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(seen.has('TOTAL_FAILED/FORMAT_FAILURE')).toBe(true);
    expect(seen.has('TOTAL_FAILED/HASH_FAILURE')).toBe(true);
    expect(seen.has('TOTAL_PASSED/')).toBe(true);
    expect([...seen].every((s) => /^(TOTAL_PASSED|TOTAL_FAILED|INDETERMINATE)\//.test(s))).toBe(true);
  });

  it('signXml on mutated documents signs or throws a SignatureError, and what it signs verifies', async () => {
    const unsigned = readFileSync(PKI + '../edxml/cong-van.xml', 'utf8');
    const key = readFileSync(PKI + 'signer-rsa.key', 'utf8');
    const certificateChain = [read('signer-rsa.crt'), read('ca.crt')];
    const r = rng(99);
    let signedCount = 0;
    for (let i = 0; i < 150; i++) {
      const input = mutate(unsigned, r);
      let out: string | undefined;
      try {
        out = signXml(input, { key, certificateChain });
      } catch (err) {
        expect(isSignatureError(err), err instanceof Error ? err.stack : String(err)).toBe(true);
      }
      if (out === undefined) continue;
      signedCount++;
      const report = await verifyXml(out, {
        trustStore: new TrustStore({ anchors: [read('root.crt')], includeVietnameseRoots: false }),
        validationTime: VALIDATE_AT,
        crls: [crl('ca.crl'), crl('root.crl')],
      });
      expect(report.indication).toBe('TOTAL_PASSED');
    }
    expect(signedCount).toBeGreaterThan(20);
  });

  it('hostile sizes are refused before parsing', async () => {
    const wide = `<a ${Array.from({ length: 20_000 }, (_, i) => `a${i}="x"`).join(' ')}/>`;
    expect((await verifyEdxml(wide)).message.en).toContain('XML_TOO_LARGE');
    const deep = `${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`;
    expect((await verifyEdxml(deep)).message.en).toContain('XML_TOO_DEEP');
  });
});

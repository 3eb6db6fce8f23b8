import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { definePolicy, DEFAULT_POLICY, TrustStore, verifyEdxml } from '../src/index.js';
import { crl, read, VALIDATE_AT } from './helpers.js';
import { validateReport } from './schema.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const EDXML = fileURLToPath(new URL('./fixtures/edxml/', import.meta.url));
const { vectors } = JSON.parse(
  readFileSync(root + 'specs/conformance/digital-signature/xml-vectors.json', 'utf8'),
) as {
  vectors: {
    file: string;
    case: string;
    indication: string;
    subIndication?: string;
    policy?: string;
    trustedElements?: string[];
    covered?: string[];
    trusted?: Record<string, string>;
  }[];
};

const trustStore = new TrustStore({ anchors: [read('root.crt')], includeVietnameseRoots: false });
const policies = {
  'sha1-accepted': definePolicy({
    name: 'legacy-sha1',
    digests: { ...DEFAULT_POLICY.digests, sha1: { notAfter: '2030-01-01T00:00:00Z' } },
  }),
};

describe('edXML XML-DSig conformance vectors (signed by xmlsec1)', () => {
  it('has every case the issue asks for', () => {
    expect(vectors.length).toBe(14);
  });

  it.each(vectors.map((v) => [v.case, v] as const))('%s', async (_, v) => {
    const report = await verifyEdxml(new Uint8Array(readFileSync(EDXML + v.file)), {
      trustStore,
      validationTime: VALIDATE_AT,
      crls: [crl('ca.crl'), crl('root.crl')],
      ...(v.policy === undefined ? {} : { policy: policies[v.policy as keyof typeof policies] }),
      ...(v.trustedElements === undefined ? {} : { trustedElements: v.trustedElements }),
    });
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect({ indication: report.indication, subIndication: report.subIndication }).toEqual({
      indication: v.indication,
      subIndication: v.subIndication,
    });
    const xml = report.signatures[0]?.xml;
    if (v.covered !== undefined) expect(xml?.coveredElements).toEqual(v.covered);
    for (const [path, status] of Object.entries(v.trusted ?? {})) {
      expect(xml?.trustedElements.find((t) => t.path === path)?.status).toBe(status);
    }
  });
});

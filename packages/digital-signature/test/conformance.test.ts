import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { definePolicy, DEFAULT_POLICY, TrustStore, verifyCms } from '../src/index.js';
import { crl, read, VALIDATE_AT } from './helpers.js';
import { validateReport } from './schema.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const { vectors } = JSON.parse(
  readFileSync(root + 'specs/conformance/digital-signature/cms-vectors.json', 'utf8'),
) as {
  vectors: {
    file: string;
    case: string;
    indication: string;
    subIndication?: string;
    content?: 'tampered' | 'none';
    certificates?: string[];
    policy?: string;
    revocation?: 'none' | 'stale';
  }[];
};

const trustStore = new TrustStore({ anchors: [read('root.crt')], includeVietnameseRoots: false });
const content = read('content.txt');
const policies = {
  'sha1-accepted': definePolicy({
    name: 'legacy-sha1',
    digests: { ...DEFAULT_POLICY.digests, sha1: { notAfter: '2030-01-01T00:00:00Z' } },
  }),
  'revocation=WARN': definePolicy({ name: 'revocation-warn', revocation: 'WARN' }),
};

describe('CMS conformance vectors', () => {
  it('has the vectors the issue asks for', () => {
    expect(vectors.length).toBe(26);
  });

  it.each(vectors.map((v) => [v.case, v] as const))('%s', async (_, v) => {
    const crls =
      v.revocation === 'none'
        ? []
        : v.revocation === 'stale'
          ? [crl('ca-stale.crl')]
          : [crl('ca.crl'), crl('root.crl')];
    const detached =
      v.content === 'none'
        ? undefined
        : v.content === 'tampered'
          ? new Uint8Array(Buffer.concat([Buffer.from(content), Buffer.from(' (sửa)')]))
          : content;
    const report = await verifyCms(read(v.file), {
      trustStore,
      validationTime: VALIDATE_AT,
      crls,
      ...(detached === undefined ? {} : { detachedContent: detached }),
      ...(v.certificates === undefined ? {} : { certificates: v.certificates.map((f) => read(f)) }),
      ...(v.policy === undefined ? {} : { policy: policies[v.policy as keyof typeof policies] }),
    });
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect({ indication: report.indication, subIndication: report.subIndication }).toEqual({
      indication: v.indication,
      subIndication: v.subIndication,
    });
    for (const s of report.signatures) {
      expect(s.message.vi.length).toBeGreaterThan(0);
      expect(s.message.en.length).toBeGreaterThan(0);
    }
  });
});

describe('report details', () => {
  it('lists the signer, the chain, revocation and every check of a valid signature', async () => {
    const report = await verifyCms(read('cms/valid-rsa-detached.p7s'), {
      trustStore,
      validationTime: VALIDATE_AT,
      detachedContent: content,
      crls: [crl('ca.crl'), crl('root.crl')],
    });
    const s = report.signatures[0];
    expect(report.document).toEqual({
      detached: true,
      contentType: '1.2.840.113549.1.7.1',
      contentLength: content.length,
    });
    expect(s?.signer).toMatchObject({
      commonName: 'Nguyễn Văn Ánh',
      organization: 'Sở Thông tin và Truyền thông Bắc Giang',
      issuer: 'C=VN, O=Ban Cơ yếu Chính phủ (thử nghiệm), CN=CA phục vụ các cơ quan Nhà nước thử nghiệm',
      keyAlgorithm: 'RSA',
      keySize: 2048,
    });
    expect([s?.signatureAlgorithm, s?.digestAlgorithm]).toEqual(['RSA-SHA256', 'sha256']);
    expect(s?.chain.map((c) => c.commonName)).toEqual([
      'Nguyễn Văn Ánh',
      'CA phục vụ các cơ quan Nhà nước thử nghiệm',
      'Tổ chức chứng thực gốc thử nghiệm',
    ]);
    expect(s?.revocation.map((r) => [r.status, r.source, r.origin])).toEqual([
      ['good', 'crl', 'supplied'],
      ['good', 'crl', 'supplied'],
    ]);
    expect(s?.checks.map((c) => `${c.block}:${c.id}:${c.status}`)).toEqual([
      'ISC:SIGNING_CERTIFICATE:PASSED',
      'ISC:SIGNING_CERTIFICATE_REFERENCE:PASSED',
      'CV:MESSAGE_DIGEST:PASSED',
      'CV:SIGNATURE_VALUE:PASSED',
      'XCV:CHAIN:PASSED',
      'RFC:REVOCATION:PASSED',
      'RFC:REVOCATION:PASSED',
      'SAV:CRYPTOGRAPHIC_CONSTRAINTS:PASSED',
    ]);
    expect(s?.message).toEqual({ vi: 'Chữ ký hợp lệ.', en: 'The signature is valid.' });
    expect(s?.signingTime.claimed).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
  });

  it('reports an unreadable file as TOTAL_FAILED/FORMAT_FAILURE with the byte offset', async () => {
    const report = await verifyCms(Uint8Array.of(0x30, 0x05, 0x06, 0x01), {
      trustStore,
      validationTime: VALIDATE_AT,
    });
    expect(validateReport(report)).toBe(true);
    expect([report.indication, report.subIndication, report.signatures.length]).toEqual([
      'TOTAL_FAILED',
      'FORMAT_FAILURE',
      0,
    ]);
    expect(report.message.en).toBe(
      'The signature structure is invalid: DER length 5 at byte 0 runs past the end of its container (4)',
    );
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCms, isSignatureError, parseSignedData, TrustStore, verifyCms } from '../src/index.js';
import { crl, PKI, read, VALIDATE_AT } from './helpers.js';
import { validateReport } from './schema.js';

const text = (n: string): string => readFileSync(PKI + n, 'utf8');
const content = read('content.txt');
const chain = [read('signer-rsa.crt'), read('ca.crt')];
const trustStore = new TrustStore({ anchors: [read('root.crt')], includeVietnameseRoots: false });
const offline = { trustStore, validationTime: VALIDATE_AT, crls: [crl('ca.crl'), crl('root.crl')] };
const signingTime = new Date('2026-11-30T08:00:00+07:00');

describe('createCms', () => {
  it('detached RSA PKCS#1 v1.5 / SHA-256 with signed attributes verifies', async () => {
    const p7s = createCms(content, { key: text('signer-rsa.key'), certificateChain: chain, signingTime });
    const report = await verifyCms(p7s, { ...offline, detachedContent: content });
    expect(validateReport(report)).toBe(true);
    expect([report.indication, report.document.detached]).toEqual(['TOTAL_PASSED', true]);
    const s = report.signatures[0];
    expect(s?.signingTime.claimed).toBe('2026-11-30T01:00:00.000Z');
    expect(s?.checks.find((c) => c.id === 'SIGNING_CERTIFICATE_REFERENCE')?.status).toBe('PASSED');
    expect(parseSignedData(p7s).certificates.map((c) => c.serialNumber)).toEqual(['2000', '1001']);
  });

  it('attached content, RSASSA-PSS, ECDSA and SHA-512 verify', async () => {
    const cases = [
      { key: text('signer-rsa.key'), certificateChain: chain, detached: false, rsaPadding: 'pss' as const },
      { key: text('signer-ec.key'), certificateChain: [read('signer-ec.crt'), read('ca.crt')] },
      { key: text('signer-rsa.key'), certificateChain: chain, digest: 'sha512' as const },
    ];
    const names: string[] = [];
    for (const opts of cases) {
      const p7 = createCms(content, { ...opts, signingTime });
      const report = await verifyCms(p7, {
        ...offline,
        ...(opts.detached === false ? {} : { detachedContent: content }),
      });
      expect(report.indication).toBe('TOTAL_PASSED');
      names.push(report.signatures[0]?.signatureAlgorithm ?? '');
    }
    expect(names).toEqual(['RSASSA-PSS-SHA256', 'ECDSA-SHA256', 'RSA-SHA512']);
  });

  it('openssl cms -verify accepts what createCms makes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dttm-cms-'));
    const p7s = createCms(content, { key: text('signer-rsa.key'), certificateChain: chain, signingTime });
    writeFileSync(join(dir, 'x.p7s'), p7s);
    const out = execFileSync(
      'openssl',
      [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        join(dir, 'x.p7s'),
        '-content',
        PKI + 'content.txt',
        '-CAfile',
        PKI + 'root.crt',
        '-purpose',
        'any',
        '-out',
        join(dir, 'out.txt'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(out.length).toBe(0);
    expect(readFileSync(join(dir, 'out.txt'))).toEqual(Buffer.from(content));
  });

  it('refuses a key that does not match the certificate', () => {
    let err: unknown;
    try {
      createCms(content, { key: text('ocsp.key'), certificateChain: chain });
    } catch (e) {
      err = e;
    }
    expect(isSignatureError(err) && err.code).toBe('SIG_KEY_INVALID');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustStore, ValidationCache, isSignatureError, verifyCms } from '../src/index.js';
import { PkiServer, read, VALIDATE_AT } from './helpers.js';

const server = new PkiServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

const trustStore = new TrustStore({ anchors: [read('root.crt')], includeVietnameseRoots: false });
const content = read('content.txt');
const base = { trustStore, validationTime: VALIDATE_AT, detachedContent: content, clock: () => VALIDATE_AT };

describe('online validation through an injected fetch (loopback PKI)', () => {
  it('completes a missing intermediate through AIA (.p7b) and checks revocation over OCSP', async () => {
    server.hits.length = 0;
    const report = await verifyCms(read('cms/no-intermediate.p7s'), { ...base, fetch: server.fetch });
    expect(report.indication).toBe('TOTAL_PASSED');
    const sig = report.signatures[0];
    expect(sig?.chain.map((c) => c.commonName)).toEqual([
      'Nguyễn Văn Ánh',
      'CA phục vụ các cơ quan Nhà nước thử nghiệm',
      'Tổ chức chứng thực gốc thử nghiệm',
    ]);
    expect(sig?.revocation.map((r) => [r.status, r.source, r.origin])).toEqual([
      ['good', 'ocsp', 'http://pki.test/ocsp'],
      ['good', 'crl', 'http://pki.test/root.crl'],
    ]);
    expect(server.hits).toEqual(['GET /ca.p7b', 'POST /ocsp', 'GET /root.crl']);
  });

  it('reports a signer revoked before signing from OCSP', async () => {
    const report = await verifyCms(read('cms/revoked-before.p7s'), { ...base, fetch: server.fetch });
    expect([report.indication, report.subIndication]).toEqual(['TOTAL_FAILED', 'REVOKED']);
    expect(report.signatures[0]?.revocation[0]).toMatchObject({
      status: 'revoked',
      source: 'ocsp',
      revocationTime: '2026-01-01T00:00:00.000Z',
      reason: 'keyCompromise',
    });
  });

  it('caches AIA, OCSP and CRL downloads across verifications', async () => {
    const cache = new ValidationCache();
    server.hits.length = 0;
    await verifyCms(read('cms/no-intermediate.p7s'), { ...base, fetch: server.fetch, cache });
    const first = server.hits.length;
    const again = await verifyCms(read('cms/no-intermediate.p7s'), { ...base, fetch: server.fetch, cache });
    expect(again.indication).toBe('TOTAL_PASSED');
    expect(first).toBe(3);
    expect(server.hits.length).toBe(3);
    expect(cache.size).toBe(3);
  });

  it('turns server errors into "revocation unknown", never into good', async () => {
    server.failWith = 503;
    try {
      const report = await verifyCms(read('cms/valid-rsa-detached.p7s'), { ...base, fetch: server.fetch });
      expect([report.indication, report.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
      const rev = report.signatures[0]?.revocation[0];
      expect(rev?.status).toBe('unknown');
      expect(rev?.problems).toEqual([
        'OCSP http://pki.test/ocsp: HTTP 503 from http://pki.test/ocsp',
        'CRL http://pki.test/ca.crl: HTTP 503 from http://pki.test/ca.crl',
      ]);
    } finally {
      server.failWith = undefined;
    }
  });

  it('rejects an OCSP response signed by a responder without id-kp-OCSPSigning (offline input)', async () => {
    const report = await verifyCms(read('cms/valid-rsa-detached.p7s'), {
      ...base,
      ocspResponses: [read('ocsp/signer-rsa-unauthorised.der')],
    });
    expect([report.indication, report.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
    expect(report.signatures[0]?.revocation[0]?.problems).toContain(
      'supplied OCSP: OCSP responder is not authorised (extKeyUsage lacks id-kp-OCSPSigning)',
    );
  });

  it('accepts supplied OCSP responses offline', async () => {
    const report = await verifyCms(read('cms/valid-ecdsa.p7s'), {
      ...base,
      ocspResponses: [read('ocsp/signer-ec.der')],
      crls: [],
    });
    const rev = report.signatures[0]?.revocation;
    expect(rev?.[0]).toMatchObject({ status: 'good', source: 'ocsp', origin: 'supplied' });
    // The intermediate has no supplied CRL and we are offline: unknown, so the verdict is not PASSED.
    expect(rev?.[1]?.status).toBe('unknown');
    expect([report.indication, report.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
  });

  it('times out slow responders and honours an AbortSignal', async () => {
    server.delayMs = 500;
    try {
      const slow = await verifyCms(read('cms/valid-rsa-detached.p7s'), {
        ...base,
        fetch: server.fetch,
        timeoutMs: 50,
      });
      expect(slow.signatures[0]?.revocation[0]?.problems[0]).toBe(
        'OCSP http://pki.test/ocsp: fetching http://pki.test/ocsp failed',
      );
      const controller = new AbortController();
      const pending = verifyCms(read('cms/valid-rsa-detached.p7s'), {
        ...base,
        fetch: server.fetch,
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(), 20);
      const err: unknown = await pending.catch((e: unknown) => e);
      expect(isSignatureError(err) && err.code).toBe('SIG_ABORTED');
    } finally {
      server.delayMs = 0;
    }
  });

  it('sends an OCSP nonce and requires the responder to echo it', async () => {
    server.ocspTime = new Date(VALIDATE_AT.getTime() - 3_600_000);
    const random = (n: number) => new Uint8Array(n).fill(0xab);
    try {
      server.ocspMode = 'signing';
      const echoed = await verifyCms(read('cms/valid-rsa-detached.p7s'), {
        ...base,
        fetch: server.fetch,
        random,
      });
      expect(echoed.signatures[0]?.revocation[0]).toMatchObject({
        status: 'good',
        source: 'ocsp',
        producedAt: server.ocspTime.toISOString(),
      });
      expect(echoed.indication).toBe('TOTAL_PASSED');
      server.ocspMode = 'wrong-nonce';
      const replayed = await verifyCms(read('cms/valid-rsa-detached.p7s'), {
        ...base,
        fetch: server.fetch,
        random,
      });
      expect(replayed.signatures[0]?.revocation[0]?.problems[0]).toBe(
        'OCSP http://pki.test/ocsp: OCSP nonce does not match the request',
      );
      // The CRL still answers, so the verdict stands; the rejected response is listed.
      expect(replayed.signatures[0]?.revocation[0]).toMatchObject({ status: 'good', source: 'crl' });
    } finally {
      server.ocspMode = 'files';
    }
  });
});

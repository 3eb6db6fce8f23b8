import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TestPki,
  TestPkiServer,
  createTestHierarchy,
  toPem,
  type TestCertificate,
} from '@dttm/digital-signature/testing';
import {
  TrustStore,
  ValidationCache,
  buildOcspRequest,
  buildPath,
  createCms,
  loadCertificates,
  parseCrl,
  parseOcspResponse,
  verifyCms,
  type VerifyOptions,
} from '../src/index.js';

const T0 = new Date('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
const at = (days: number): Date => new Date(T0.getTime() + days * DAY);

const pki = new TestPki({ clock: () => T0 });
const h = createTestHierarchy(pki);
const server = new TestPkiServer(pki);
beforeAll(() => server.start());
afterAll(() => server.stop());

const content = new Uint8Array(Buffer.from('Công văn số 123/STTTT-CNTT về chữ ký số\n', 'utf8'));
const trustStore = new TrustStore({ anchors: [h.root.der], includeVietnameseRoots: false });
const offline: VerifyOptions = { trustStore, detachedContent: content, validationTime: T0, clock: () => T0 };
const online: VerifyOptions = { ...offline, fetch: server.fetch };

function sign(signer: TestCertificate, signingTime: Date, withIntermediate = true): Uint8Array {
  return createCms(content, {
    key: signer.privateKey,
    certificateChain: withIntermediate ? [signer.der, h.intermediate.der] : [signer.der],
    signingTime,
  });
}

describe('test PKI certificates', () => {
  it('writes Vietnamese UTF-8 names and the requested extensions', () => {
    const c = h.signerRsa.certificate;
    expect(c.subject.text).toBe(
      'C=VN, ST=Bắc Giang, O=Sở Thông tin và Truyền thông Bắc Giang, UID=CCCD:024190000001, CN=Nguyễn Văn Ánh',
    );
    expect(c.issuer.text).toBe(
      'C=VN, ST=Bắc Giang, O=Sở Khoa học và Công nghệ Bắc Giang, CN=CA phục vụ các cơ quan Nhà nước thử nghiệm',
    );
    expect(c.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(c.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.4', '1.3.6.1.5.5.7.3.2']);
    expect(c.basicConstraints).toBeUndefined();
    expect(c.ocspUrls).toEqual(['http://pki.test/ocsp/ca']);
    expect(c.caIssuers).toEqual(['http://pki.test/ca.p7b']);
    expect(c.crlUrls).toEqual(['http://pki.test/ca.crl']);
    expect(c.policies).toEqual(['2.16.704.1.2.1.99']);
    expect(c.authorityKeyIdentifier?.keyIdentifier).toBe(h.intermediate.certificate.subjectKeyIdentifier);
    expect(c.subjectKeyIdentifier).toMatch(/^[0-9a-f]{40}$/);
    expect(c.publicKeyInfo.algorithm).toBe('RSA');
    expect(c.publicKeyInfo.bits).toBe(2048);
    expect(c.notAfter.toISOString()).toBe(at(730).toISOString());

    const ca = h.intermediate.certificate;
    expect(ca.basicConstraints).toEqual({ ca: true, pathLength: 0 });
    expect(ca.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
    expect(ca.extensions.filter((e) => e.critical).map((e) => e.oid)).toEqual(['2.5.29.19', '2.5.29.15']);
    expect(h.root.certificate.basicConstraints).toEqual({ ca: true, pathLength: 1 });
    expect(h.root.certificate.subject.der).toEqual(h.root.certificate.issuer.der);

    const ec = h.signerEc.certificate;
    expect([ec.publicKeyInfo.algorithm, ec.publicKeyInfo.curve, ec.signatureAlgorithm.oid]).toEqual([
      'EC',
      'prime256v1',
      '1.2.840.113549.1.1.11',
    ]);
    expect(h.ocspResponder.certificate.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.9']);
    expect(h.tsa.certificate.extensions.find((e) => e.oid === '2.5.29.37')?.critical).toBe(true);
  });

  it('signs with ECDSA when the issuer key is EC, and PEM round-trips', () => {
    const p = new TestPki({ clock: () => T0 });
    const ecRoot = p.issue(undefined, { subject: { C: 'VN', CN: 'Gốc ECDSA' }, key: 'ec-p384', ca: true });
    const leaf = p.issue(ecRoot, { subject: { CN: 'Lê Đức Thắng' }, key: 'ec-p256', serialNumber: '00ff01' });
    expect(leaf.certificate.signatureAlgorithm.oid).toBe('1.2.840.10045.4.3.2');
    expect(leaf.serialNumber).toBe('ff01');
    expect(loadCertificates(leaf.pem)[0]?.fingerprintSha256).toBe(leaf.certificate.fingerprintSha256);
    expect(ecRoot.certificate.publicKeyInfo.curve).toBe('secp384r1');
  });

  it('builds and validates the path with the package path validation', async () => {
    const path = await buildPath(h.signerEc.certificate, {
      trustStore,
      intermediates: [h.intermediate.certificate],
      time: T0,
      purpose: 'signing',
      fetchAia: false,
      net: {
        fetch: undefined,
        signal: undefined,
        cache: new ValidationCache(),
        timeoutMs: 1000,
        maxResponseBytes: 1 << 20,
        now: () => T0,
      },
    });
    expect(path.status).toBe('found');
    expect(path.problems).toEqual([]);
    expect(path.chain.map((c) => c.subject.attributes.find((a) => a.type === 'CN')?.value)).toEqual([
      'Trần Thị Bích Ngọc',
      'CA phục vụ các cơ quan Nhà nước thử nghiệm',
      'Tổ chức chứng thực gốc thử nghiệm',
    ]);
  });
});

describe('end to end through verifyCms, AIA, CRL and OCSP on loopback', () => {
  it('passes a valid signature, checking the signer over OCSP and the intermediate over the CRL', async () => {
    server.hits.length = 0;
    const report = await verifyCms(sign(h.signerRsa, at(-1 / 24)), online);
    expect([report.indication, report.subIndication]).toEqual(['TOTAL_PASSED', undefined]);
    const sig = report.signatures[0];
    expect(sig?.signer?.commonName).toBe('Nguyễn Văn Ánh');
    expect(sig?.revocation.map((r) => [r.status, r.source, r.origin])).toEqual([
      ['good', 'ocsp', 'http://pki.test/ocsp/ca'],
      ['good', 'crl', 'http://pki.test/root.crl'],
    ]);
    expect(server.hits).toEqual(['POST /ocsp/ca', 'GET /root.crl']);
  });

  it('passes an ECDSA signer', async () => {
    const report = await verifyCms(sign(h.signerEc, at(-1 / 24)), online);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures[0]?.signer?.commonName).toBe('Trần Thị Bích Ngọc');
  });

  it('fetches a missing intermediate through AIA, as .p7b and as .cer', async () => {
    server.hits.length = 0;
    const viaP7b = await verifyCms(sign(h.signerRsa, at(-1 / 24), false), online);
    expect(viaP7b.indication).toBe('TOTAL_PASSED');
    expect(server.hits[0]).toBe('GET /ca.p7b');
    const cerSigner = h.issueSigner('Hoàng Minh Đức', {
      aia: { ocsp: [pki.urls('ca').ocsp], caIssuers: [pki.urls('ca').cer] },
    });
    server.hits.length = 0;
    const viaCer = await verifyCms(sign(cerSigner, at(-1 / 24), false), online);
    expect(viaCer.indication).toBe('TOTAL_PASSED');
    expect(viaCer.signatures[0]?.chain.length).toBe(3);
    expect(server.hits[0]).toBe('GET /ca.cer');
    const withoutFetch = await verifyCms(sign(cerSigner, at(-1 / 24), false), offline);
    expect([withoutFetch.indication, withoutFetch.subIndication]).toEqual([
      'INDETERMINATE',
      'NO_CERTIFICATE_CHAIN_FOUND',
    ]);
  });

  it('fails a signer revoked before the signing time (OCSP online, CRL offline)', async () => {
    const signer = h.issueSigner('Phạm Thu Hồi');
    pki.revoke(signer, at(-10), 'keyCompromise');
    const cms = sign(signer, at(-1));
    const viaOcsp = await verifyCms(cms, online);
    expect([viaOcsp.indication, viaOcsp.subIndication]).toEqual(['TOTAL_FAILED', 'REVOKED']);
    expect(viaOcsp.signatures[0]?.revocation[0]).toMatchObject({
      status: 'revoked',
      source: 'ocsp',
      revocationTime: at(-10).toISOString(),
      reason: 'keyCompromise',
    });
    const viaCrl = await verifyCms(cms, {
      ...offline,
      crls: [pki.crl(h.intermediate), pki.crl(h.root)],
    });
    expect([viaCrl.indication, viaCrl.subIndication]).toEqual(['TOTAL_FAILED', 'REVOKED']);
    expect(viaCrl.signatures[0]?.revocation[0]).toMatchObject({ source: 'crl', origin: 'supplied' });
  });

  it('is INDETERMINATE/REVOKED_NO_POE for a signer revoked after the claimed signing time', async () => {
    const signer = h.issueSigner('Đặng Văn Sau');
    pki.revoke(signer, at(-1), 'superseded');
    const report = await verifyCms(sign(signer, at(-2)), online);
    expect([report.indication, report.subIndication]).toEqual(['INDETERMINATE', 'REVOKED_NO_POE']);
    expect(report.signatures[0]?.revocation[0]).toMatchObject({ status: 'revoked', reason: 'superseded' });
  });

  it('fails a signature made after the signer certificate expired', async () => {
    const signer = h.issueSigner('Vũ Thị Hết Hạn', { notBefore: at(-400), notAfter: at(-30) });
    const report = await verifyCms(sign(signer, at(-10)), online);
    expect([report.indication, report.subIndication]).toEqual(['TOTAL_FAILED', 'EXPIRED']);
  });

  it('is INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND for an unknown issuer', async () => {
    const other = new TestPki({ clock: () => T0 });
    const foreign = createTestHierarchy(other, { province: 'Lạng Sơn' });
    const report = await verifyCms(
      createCms(content, {
        key: foreign.signerRsa.privateKey,
        certificateChain: [foreign.signerRsa.der, foreign.intermediate.der],
        signingTime: at(-1),
      }),
      offline,
    );
    expect([report.indication, report.subIndication]).toEqual([
      'INDETERMINATE',
      'NO_CERTIFICATE_CHAIN_FOUND',
    ]);
  });

  it('turns an OCSP "unknown" answer into INDETERMINATE/TRY_LATER', async () => {
    const signer = h.issueSigner('Ngô Chưa Biết', {
      aia: { ocsp: [pki.urls('ca').ocsp], caIssuers: [pki.urls('ca').p7b] },
      crlDistributionPoints: [],
    });
    pki.markUnknown(signer);
    const report = await verifyCms(sign(signer, at(-1)), online);
    expect([report.indication, report.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
    expect(report.signatures[0]?.revocation[0]).toMatchObject({
      status: 'unknown',
      problems: ['OCSP http://pki.test/ocsp/ca: OCSP responder does not know the certificate'],
    });
  });

  it('echoes the OCSP nonce, and a wrong nonce is refused', async () => {
    server.ocsp = { nonce: 'wrong' };
    try {
      const report = await verifyCms(sign(h.signerRsa, at(-1)), { ...online, cache: new ValidationCache() });
      expect(report.signatures[0]?.revocation[0]?.problems[0]).toBe(
        'OCSP http://pki.test/ocsp/ca: OCSP nonce does not match the request',
      );
    } finally {
      server.ocsp = {};
    }
    const nonce = new Uint8Array(16).fill(0xab);
    const resp = parseOcspResponse(
      pki.ocspResponse(
        h.intermediate,
        buildOcspRequest(h.signerRsa.certificate, h.intermediate.certificate, nonce),
      ),
    );
    expect(resp.responseStatus).toBe('successful');
    expect(resp.nonce).toBe('ab'.repeat(16));
    expect(resp.responderName?.text).toBe(h.ocspResponder.certificate.subject.text);
    expect(resp.certificates.map((c) => c.fingerprintSha256)).toEqual([
      h.ocspResponder.certificate.fingerprintSha256,
    ]);
    expect(resp.responses.map((r) => [r.serialNumber, r.status])).toEqual([
      [h.signerRsa.serialNumber, 'good'],
    ]);
    expect(parseOcspResponse(pki.ocspResponse(h.intermediate, Uint8Array.of(1, 2, 3))).responseStatus).toBe(
      'malformedRequest',
    );
  });

  it('timestamps a signature with the test TSA: B-T, and a revocation after genTime does not fail it', async () => {
    const genTime = at(-3);
    const stamped = pki.addTimestamp(sign(h.signerRsa, at(-3)), h.tsa, { genTime });
    const report = await verifyCms(stamped, online);
    expect(report.indication).toBe('TOTAL_PASSED');
    const sig = report.signatures[0];
    expect(sig?.timestamps.map((t) => [t.valid, t.genTime, t.tsa?.commonName])).toEqual([
      [true, genTime.toISOString(), 'Dịch vụ cấp dấu thời gian thử nghiệm'],
    ]);
    expect(sig?.signingTime).toMatchObject({ proven: genTime.toISOString(), provenBy: 'timestamp' });
    expect(sig?.ltv).toMatchObject({ level: 'B-T', signatureTimestamp: true });

    const later = h.issueSigner('Lý Thị Đã Ký');
    pki.revoke(later, at(-1), 'cessationOfOperation');
    const unstamped = sign(later, at(-2));
    const withoutTs = await verifyCms(unstamped, online);
    expect([withoutTs.indication, withoutTs.subIndication]).toEqual(['INDETERMINATE', 'REVOKED_NO_POE']);
    const withTs = await verifyCms(pki.addTimestamp(unstamped, h.tsa, { genTime: at(-2) }), online);
    expect(withTs.indication).toBe('TOTAL_PASSED');
    expect(
      withTs.signatures[0]?.checks
        .filter((c) => c.status === 'WARNING')
        .map((c) => [c.block, c.id, c.message.en.includes(at(-1).toISOString())]),
    ).toEqual([['RFC', 'REVOCATION', true]]);
  });

  it('makes signed CRLs with reasons, dates and numbers; a CRL signed by another key is refused', async () => {
    const p = new TestPki({ clock: () => T0 });
    const root = p.issue(undefined, { subject: { CN: 'Gốc CRL' }, ca: true, key: 'ec-p256' });
    const a = p.issue(root, { subject: { CN: 'A' }, serialNumber: '0a' });
    const b = p.issue(root, { subject: { CN: 'B' }, serialNumber: '0b' });
    p.revoke(a, at(-3), 'keyCompromise', at(-5));
    p.revoke(b, at(-2));
    const crl = parseCrl(p.crl(root, { thisUpdate: at(-1), nextUpdate: at(6) }));
    expect(crl.thisUpdate.toISOString()).toBe(at(-1).toISOString());
    expect(crl.nextUpdate?.toISOString()).toBe(at(6).toISOString());
    expect(
      [...crl.revoked.values()].map((e) => [e.serialNumber, e.revocationDate.toISOString(), e.reason]),
    ).toEqual([
      ['0a', at(-3).toISOString(), 'keyCompromise'],
      ['0b', at(-2).toISOString(), undefined],
    ]);
    const forged = p.crl(h.intermediate, { signingKey: h.signerRsa.privateKey });
    const report = await verifyCms(sign(h.signerRsa, at(-1)), {
      ...offline,
      crls: [forged],
    });
    expect(report.signatures[0]?.revocation[0]?.problems).toContain(
      'supplied CRL: CRL signature does not verify with the issuer key',
    );
  });
});

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

describe.runIf(hasOpenssl)('cross-check with openssl', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dttm-test-pki-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, bytes: Uint8Array | string): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  const openssl = (...args: string[]): string =>
    execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  it('openssl x509 reads a generated certificate with the same names and extensions', () => {
    const text = openssl(
      'x509',
      '-inform',
      'DER',
      '-in',
      file('signer.cer', h.signerRsa.der),
      '-noout',
      '-text',
      '-nameopt',
      'utf8,sep_comma_plus_space',
    );
    expect(text).toContain(
      'Subject: C=VN, ST=Bắc Giang, O=Sở Thông tin và Truyền thông Bắc Giang, UID=CCCD:024190000001, CN=Nguyễn Văn Ánh',
    );
    expect(text).toContain('Public-Key: (2048 bit)');
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Non Repudiation/);
    expect(text).toMatch(/X509v3 Extended Key Usage:\s+E-mail Protection, TLS Web Client Authentication/);
    expect(text).toMatch(
      /Authority Information Access:\s+OCSP - URI:http:\/\/pki.test\/ocsp\/ca\s+CA Issuers - URI:http:\/\/pki.test\/ca.p7b/,
    );
    expect(text).toMatch(/X509v3 CRL Distribution Points:\s+Full Name:\s+URI:http:\/\/pki.test\/ca.crl/);
    expect(text).toMatch(/X509v3 Certificate Policies:\s+Policy: 2.16.704.1.2.1.99/);
    const ca = openssl('x509', '-in', file('ca.pem', h.intermediate.pem), '-noout', '-text');
    expect(ca).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(ca).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/);
  });

  it('openssl verify accepts the chain and, with the CRLs, rejects a revoked certificate', () => {
    const root = file('root.pem', h.root.pem);
    const ca = file('ca-chain.pem', h.intermediate.pem);
    const revoked = h.issueSigner('Bùi Thu Hồi');
    pki.revoke(revoked, at(-5), 'affiliationChanged');
    const crls = file(
      'crls.pem',
      [pki.crl(h.intermediate), pki.crl(h.root)].map((c) => toPem('X509 CRL', c)).join(''),
    );
    const check = (cert: TestCertificate) =>
      spawnSync(
        'openssl',
        [
          'verify',
          '-attime',
          String(T0.getTime() / 1000),
          '-CAfile',
          root,
          '-untrusted',
          ca,
          '-crl_check_all',
          '-CRLfile',
          crls,
          file('leaf.pem', cert.pem),
        ],
        { encoding: 'utf8' },
      );
    const good = check(h.signerEc);
    expect([good.status, good.stdout.trim().endsWith(': OK')]).toEqual([0, true]);
    const bad = check(revoked);
    expect(bad.status).not.toBe(0);
    expect(bad.stdout + bad.stderr).toContain('certificate revoked');
  });

  it('openssl crl and openssl ocsp read the generated CRL and OCSP response', () => {
    const p = new TestPki({ clock: () => T0 });
    const root = p.issue(undefined, { subject: { C: 'VN', CN: 'Gốc CRL' }, ca: true });
    const a = p.issue(root, { subject: { CN: 'A' }, serialNumber: '1a2b' });
    p.revoke(a, new Date('2026-05-20T08:30:00Z'), 'cessationOfOperation');
    const crl = openssl(
      'crl',
      '-inform',
      'DER',
      '-in',
      file('a.crl', p.crl(root, { nextUpdate: new Date('2026-06-08T00:00:00Z') })),
      '-noout',
      '-text',
      '-nameopt',
      'utf8,sep_comma_plus_space',
    );
    expect(crl).toContain('Issuer: C=VN, CN=Gốc CRL');
    expect(crl).toContain('Last Update: Jun  1 00:00:00 2026 GMT');
    expect(crl).toContain('Next Update: Jun  8 00:00:00 2026 GMT');
    expect(crl).toMatch(/X509v3 CRL Number:\s+1\n/);
    expect(crl).toMatch(
      /Serial Number: 1A2B\s+Revocation Date: May 20 08:30:00 2026 GMT\s+CRL entry extensions:\s+X509v3 CRL Reason Code:\s+Cessation Of Operation/,
    );
    const verified = spawnSync(
      'openssl',
      [
        'crl',
        '-inform',
        'DER',
        '-in',
        join(dir, 'a.crl'),
        '-CAfile',
        file('crl-root.pem', root.pem),
        '-noout',
      ],
      { encoding: 'utf8' },
    );
    expect(verified.stderr).toContain('verify OK');

    const request = buildOcspRequest(
      h.signerRsa.certificate,
      h.intermediate.certificate,
      new Uint8Array(8).fill(1),
    );
    const response = file('resp.der', pki.ocspResponse(h.intermediate, request));
    const ocsp = spawnSync(
      'openssl',
      [
        'ocsp',
        '-respin',
        response,
        '-resp_text',
        '-no_nonce',
        '-CAfile',
        file('ocsp-root.pem', h.root.pem),
        '-issuer',
        file('issuer.pem', h.intermediate.pem),
        '-cert',
        file('sig.pem', h.signerRsa.pem),
        '-attime',
        String(T0.getTime() / 1000),
      ],
      { encoding: 'utf8' },
    );
    expect(ocsp.stdout).toContain('OCSP Response Status: successful (0x0)');
    expect(ocsp.stdout).toContain('Responder Id: C = VN, ST = B\\E1\\BA\\AFc Giang');
    expect(ocsp.stdout).toContain('Produced At: Jun  1 00:00:00 2026 GMT');
    expect(ocsp.stdout).toMatch(/OCSP Nonce:\s+0408(01){8}/);
    expect(ocsp.stdout).toContain(': good');
    expect(ocsp.stderr).toContain('Response verify OK');
  });
});

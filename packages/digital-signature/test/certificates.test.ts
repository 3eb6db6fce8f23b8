import { describe, expect, it } from 'vitest';
import {
  bundledVietnameseCertificates,
  buildPath,
  isSignatureError,
  loadCertificates,
  parseCertificate,
  parseCrl,
  parseOcspResponse,
  parseSignedData,
  TrustStore,
  ValidationCache,
  type Certificate,
} from '../src/index.js';
import { crl, pemToDer, read, VALIDATE_AT } from './helpers.js';

const one = (name: string): Certificate => {
  const c = loadCertificates(read(name))[0];
  if (c === undefined) throw new Error(name);
  return c;
};

describe('X.509 certificates', () => {
  it('decodes a UTF8String Vietnamese name and every extension of an RSA signer', () => {
    const c = one('signer-rsa.crt');
    expect(c.subject.text).toBe(
      'C=VN, ST=Bắc Giang, O=Sở Thông tin và Truyền thông Bắc Giang, CN=Nguyễn Văn Ánh',
    );
    expect(c.subject.attributes.map((a) => a.encoding)).toEqual([
      'PrintableString',
      'UTF8String',
      'UTF8String',
      'UTF8String',
    ]);
    expect(c.version).toBe(3);
    expect(c.publicKeyInfo).toEqual({ algorithm: 'RSA', bits: 2048 });
    expect(c.basicConstraints).toEqual({ ca: false });
    expect(c.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(c.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.4', '1.3.6.1.5.5.7.3.2']);
    expect(c.caIssuers).toEqual(['http://pki.test/ca.p7b']);
    expect(c.ocspUrls).toEqual(['http://pki.test/ocsp']);
    expect(c.crlUrls).toEqual(['http://pki.test/ca.crl']);
    expect(c.policies).toEqual(['1.3.6.1.4.1.99999.1.2']);
    expect(c.unknownCriticalExtensions).toEqual([]);
    const ca = one('ca.crt');
    expect(c.authorityKeyIdentifier?.keyIdentifier).toBe(ca.subjectKeyIdentifier);
    expect(ca.basicConstraints).toEqual({ ca: true, pathLength: 0 });
    expect(c.notAfter.toISOString()).toBe('2035-01-01T00:00:00.000Z');
  });

  it('decodes BMPString names and ECDSA P-256 keys', () => {
    const c = one('signer-ec.crt');
    expect(c.subject.attributes.map((a) => [a.type, a.encoding, a.value])).toEqual([
      ['C', 'PrintableString', 'VN'],
      ['ST', 'BMPString', 'Bắc Giang'],
      ['O', 'BMPString', 'Sở Thông tin và Truyền thông Bắc Giang'],
      ['CN', 'BMPString', 'Trần Thị Ngọc Hà'],
    ]);
    expect(c.publicKeyInfo).toEqual({ algorithm: 'EC', bits: 256, curve: 'prime256v1' });
    expect(c.signatureAlgorithm.oid).toBe('1.2.840.113549.1.1.11');
  });

  it('loads DER, PEM bundles and PKCS#7 (.p7b) bundles in DER and PEM', () => {
    expect(loadCertificates(read('root.der')).map((c) => c.subject.attributes.at(-1)?.value)).toEqual([
      'Tổ chức chứng thực gốc thử nghiệm',
    ]);
    expect(loadCertificates(read('ca.p7b')).map((c) => c.serialNumber)).toEqual([one('ca.crt').serialNumber]);
    expect(loadCertificates(read('bundle.p7b.pem'))).toHaveLength(2);
    const pemBundle = Buffer.from(read('ca.crt')).toString() + Buffer.from(read('root.crt')).toString();
    expect(loadCertificates(pemBundle).map((c) => c.fingerprintSha256)).toEqual([
      one('ca.crt').fingerprintSha256,
      one('root.crt').fingerprintSha256,
    ]);
  });

  it('flags an unknown critical extension', () => {
    expect(one('critical.crt').unknownCriticalExtensions).toEqual(['1.3.6.1.4.1.99999.7']);
  });

  it('fails with typed errors that say where', () => {
    const der = pemToDer(read('signer-rsa.crt'));
    const cut = (): unknown => {
      try {
        return parseCertificate(der.subarray(0, 200));
      } catch (e) {
        return e;
      }
    };
    const err = cut();
    expect(isSignatureError(err) && [err.code, err.details?.['offset']]).toEqual([
      'SIG_CERTIFICATE_INVALID',
      0,
    ]);
    const pem = (): unknown => {
      try {
        return loadCertificates('-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----');
      } catch (e) {
        return e;
      }
    };
    const e2 = pem();
    expect(isSignatureError(e2) && e2.code).toBe('SIG_PEM_INVALID');
    expect(() => loadCertificates('no pem here')).toThrow(/no PEM block/);
  });
});

describe('trust store', () => {
  it('ships the Vietnamese anchors with pinned SHA-256 fingerprints', () => {
    const bundled = bundledVietnameseCertificates().map((b) => [b.id, b.role, b.fingerprintSha256]);
    expect(bundled).toEqual([
      [
        'vgca-ca-phuc-vu-co-quan-nha-nuoc-g2',
        'intermediate',
        'D8:CA:B7:A4:AE:F9:2E:6B:B2:50:9D:7C:61:CE:E7:B4:4F:37:31:B2:D2:10:74:96:35:30:27:7B:36:6F:AE:4B',
      ],
      [
        'vgca-rootca-chuyen-dung-chinh-phu-g2',
        'root',
        'F0:4B:A4:B4:59:A7:C9:A1:B9:71:AD:9B:1C:B8:33:E6:95:A8:0C:79:AE:A6:3B:17:4B:66:A7:0E:DF:E2:FD:B8',
      ],
      [
        'vietnam-national-root-ca-g2',
        'root',
        'BA:C8:BF:60:9A:B4:20:A8:EE:17:80:D7:4F:4D:E5:C7:F7:18:49:59:D2:A7:37:5B:0A:75:E4:C2:9F:09:08:E7',
      ],
      [
        'vietnam-national-root-ca-g3',
        'root',
        '7B:32:69:E7:D7:9A:EB:BF:AE:50:95:F4:5B:BB:70:74:77:1E:69:0C:B7:DF:02:B4:41:06:2B:12:F7:69:0E:CE',
      ],
      [
        'vnpt-ca-sha2',
        'intermediate',
        '7D:6B:A5:24:53:17:F9:ED:5D:8B:C7:65:A4:63:4D:26:AC:63:40:D3:6B:9F:58:4D:F3:B5:2D:9C:4A:81:A3:06',
      ],
    ]);
    // The fingerprint recorded next to each PEM is the fingerprint of the PEM itself.
    for (const b of bundledVietnameseCertificates()) {
      expect(loadCertificates(b.pem)[0]?.fingerprintSha256).toBe(b.fingerprintSha256);
    }
    const store = new TrustStore();
    expect(store.anchors.map((a) => a.certificate.subject.attributes.at(-1)?.value)).toEqual([
      'RootCA chuyên dùng Chính phủ G2',
      'Vietnam National Root CA',
      'Vietnam National Root CA G3',
    ]);
    expect(store.intermediates.map((c) => c.subject.text)).toEqual([
      'C=VN, O=Ban Cơ yếu Chính phủ, CN=CA phục vụ các cơ quan Nhà nước G2',
      'CN=VNPT-CA SHA2, O=VIETNAM POSTS AND TELECOMMUNICATIONS GROUP, C=VN',
    ]);
  });

  it('chains the bundled intermediates to the bundled roots with node:crypto', async () => {
    const store = new TrustStore();
    for (const inter of store.intermediates) {
      const path = await buildPath(inter, {
        trustStore: store,
        time: new Date('2026-06-01T00:00:00Z'),
        purpose: 'signing',
        fetchAia: false,
        net: {
          fetch: undefined,
          timeoutMs: 1000,
          maxResponseBytes: 1,
          signal: undefined,
          cache: new ValidationCache(),
          now: () => new Date(),
        },
      });
      expect(path.status).toBe('found');
      expect(path.chain).toHaveLength(2);
    }
  });

  it('accepts user anchors and rejects an end-entity certificate as anchor', () => {
    const store = new TrustStore({ includeVietnameseRoots: false, anchors: [read('root.crt')] });
    expect(store.anchors.map((a) => [a.source, a.id])).toEqual([
      ['user', 'Tổ chức chứng thực gốc thử nghiệm'],
    ]);
    let err: unknown;
    try {
      new TrustStore({ anchors: [read('signer-rsa.crt')] });
    } catch (e) {
      err = e;
    }
    expect(isSignatureError(err) && err.code).toBe('SIG_TRUST_ANCHOR_INVALID');
  });
});

describe('CRL and OCSP parsing', () => {
  it('parses the CRL with its revoked entries', () => {
    const c = parseCrl(crl('ca.crl'));
    expect(c.issuer.text).toBe(
      'C=VN, O=Ban Cơ yếu Chính phủ (thử nghiệm), CN=CA phục vụ các cơ quan Nhà nước thử nghiệm',
    );
    const before = one('revoked-before.crt').serialNumber;
    expect(c.revoked.get(before)).toEqual({
      serialNumber: before,
      revocationDate: new Date('2026-01-01T00:00:00Z'),
      reason: 'keyCompromise',
    });
    expect(c.revoked.size).toBe(2);
    expect(c.thisUpdate.getTime()).toBeLessThan(VALIDATE_AT.getTime());
  });

  it('parses an OCSP response', () => {
    const r = parseOcspResponse(read('ocsp/revoked-after.der'));
    expect(r.responseStatus).toBe('successful');
    expect(r.responses).toHaveLength(1);
    expect(r.responses[0]).toMatchObject({
      status: 'revoked',
      serialNumber: one('revoked-after.crt').serialNumber,
      reason: 'keyCompromise',
    });
    expect(r.certificates.map((c) => c.subject.attributes.at(-1)?.value)).toEqual(['OCSP thử nghiệm']);
  });

  it('parses SignedData with several signers and signed attributes', () => {
    const sd = parseSignedData(read('cms/two-signers.p7s'));
    expect(sd.contentType).toBe('1.2.840.113549.1.7.1');
    expect(sd.content).toBeUndefined();
    expect(sd.signers.map((s) => s.signatureAlgorithm.oid)).toEqual([
      '1.2.840.10045.4.3.2',
      '1.2.840.113549.1.1.1',
    ]);
    expect(sd.signers[0]?.signedAttributes?.map((a) => a.oid)).toEqual([
      '1.2.840.113549.1.9.3',
      '1.2.840.113549.1.9.5',
      '1.2.840.113549.1.9.4',
      '1.2.840.113549.1.9.16.2.47',
    ]);
    const attached = parseSignedData(read('cms/valid-rsa-attached.p7m'));
    expect(Buffer.from(attached.content ?? []).toString('utf8')).toBe(
      Buffer.from(read('content.txt')).toString('utf8'),
    );
  });
});

describe('path building limits', () => {
  it('gives up after maxSteps partial paths instead of exploring forever', async () => {
    const leaf = one('signer-rsa.crt');
    const net = {
      fetch: undefined,
      timeoutMs: 1000,
      maxResponseBytes: 1,
      signal: undefined,
      cache: new ValidationCache(),
      now: () => new Date(),
    };
    const trustStore = new TrustStore({ anchors: [read('root.crt')], includeVietnameseRoots: false });
    const base = {
      trustStore,
      intermediates: [one('ca.crt')],
      time: VALIDATE_AT,
      purpose: 'signing' as const,
      fetchAia: false,
      net,
    };
    expect((await buildPath(leaf, base)).status).toBe('found');
    expect((await buildPath(leaf, { ...base, maxSteps: 1 })).status).toBe('not-found');
  });
});

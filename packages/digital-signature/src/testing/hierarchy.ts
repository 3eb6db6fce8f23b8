import type { IssueOptions, TestCertificate, TestKeyType, TestName, TestPki } from './pki.js';

export interface TestHierarchyOptions {
  /** Key type of the root and the intermediate (default `rsa-2048`). */
  readonly caKey?: TestKeyType;
  /** Province in the subject names (default `Bắc Giang`). */
  readonly province?: string;
  /** Certificate policy OID written into the intermediate and the signers (default 2.16.704.1.2.1 test arc). */
  readonly policy?: string;
}

/** root → intermediate → end entities, each link with AIA, CRL distribution points and OCSP. */
export interface TestHierarchy {
  readonly root: TestCertificate;
  readonly intermediate: TestCertificate;
  /** Delegated OCSP responder of the intermediate (id-kp-OCSPSigning, id-pkix-ocsp-nocheck). */
  readonly ocspResponder: TestCertificate;
  /** A timestamping authority (critical extKeyUsage id-kp-timeStamping). */
  readonly tsa: TestCertificate;
  /** RSA 2048 signer. */
  readonly signerRsa: TestCertificate;
  /** ECDSA P-256 signer. */
  readonly signerEc: TestCertificate;
  /** Issues another signer under the intermediate (same AIA/CRL DP/policy; `options` override). */
  issueSigner(commonName: string, options?: Partial<IssueOptions>): TestCertificate;
}

/**
 * Builds the standard test hierarchy in `pki` and publishes the CAs as `root` and `ca` (see
 * `TestPkiServer`): a self-signed root (pathLen 1), an intermediate (pathLen 0) whose AIA points
 * to `root.cer` and CRL DP to `root.crl`, and end entities whose AIA names `ocsp/ca` and `ca.p7b`
 * and whose CRL DP is `ca.crl`. Subject names are Vietnamese (UTF8String).
 */
export function createTestHierarchy(pki: TestPki, options: TestHierarchyOptions = {}): TestHierarchy {
  const province = options.province ?? 'Bắc Giang';
  const policy = options.policy ?? '2.16.704.1.2.1.99';
  const caKey = options.caKey ?? 'rsa-2048';
  const org = (o: string, cn: string, extra: Partial<TestName> = {}): TestName => ({
    C: 'VN',
    ST: province,
    O: o,
    ...extra,
    CN: cn,
  });
  const rootUrls = pki.urls('root');
  const caUrls = pki.urls('ca');
  const now = pki.clock().getTime();
  const year = 365 * 86_400_000;
  const root = pki.issue(undefined, {
    subject: org('Trung tâm Chứng thực điện tử thử nghiệm', 'Tổ chức chứng thực gốc thử nghiệm'),
    key: caKey,
    ca: { pathLen: 1 },
    notBefore: new Date(now - 2 * year),
    notAfter: new Date(now + 18 * year),
  });
  pki.publish('root', root);
  const intermediate = pki.issue(root, {
    subject: org(`Sở Khoa học và Công nghệ ${province}`, 'CA phục vụ các cơ quan Nhà nước thử nghiệm'),
    key: caKey,
    ca: { pathLen: 0 },
    notBefore: new Date(now - 2 * year),
    notAfter: new Date(now + 8 * year),
    aia: { caIssuers: [rootUrls.cer] },
    crlDistributionPoints: [rootUrls.crl],
    policies: [policy],
  });
  pki.publish('ca', intermediate);
  const ocspResponder = pki.issue(intermediate, {
    subject: org(`Sở Khoa học và Công nghệ ${province}`, 'Máy chủ OCSP thử nghiệm'),
    keyUsage: ['digitalSignature'],
    extKeyUsage: ['ocspSigning'],
    ocspNoCheck: true,
    notBefore: new Date(now - year),
    notAfter: new Date(now + 4 * year),
  });
  pki.setOcspResponder(intermediate, ocspResponder);
  const endEntity = (subject: TestName, o: Partial<IssueOptions> = {}): TestCertificate =>
    pki.issue(intermediate, {
      subject,
      notBefore: new Date(now - year),
      notAfter: new Date(now + 2 * year),
      aia: { ocsp: [caUrls.ocsp], caIssuers: [caUrls.p7b] },
      crlDistributionPoints: [caUrls.crl],
      policies: [policy],
      ...o,
    });
  const agency = `Sở Thông tin và Truyền thông ${province}`;
  const issueSigner = (commonName: string, o: Partial<IssueOptions> = {}): TestCertificate =>
    endEntity(org(agency, commonName), { extKeyUsage: ['emailProtection', 'clientAuth'], ...o });
  return {
    root,
    intermediate,
    ocspResponder,
    tsa: endEntity(org(agency, 'Dịch vụ cấp dấu thời gian thử nghiệm'), {
      keyUsage: ['digitalSignature'],
      extKeyUsage: ['timeStamping'],
      extKeyUsageCritical: true,
    }),
    signerRsa: issueSigner('Nguyễn Văn Ánh', {
      subject: org(agency, 'Nguyễn Văn Ánh', { UID: 'CCCD:024190000001' }),
    }),
    signerEc: issueSigner('Trần Thị Bích Ngọc', { key: 'ec-p256' }),
    issueSigner,
  };
}

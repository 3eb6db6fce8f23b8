import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  definePolicy,
  parseDer,
  parseSignedData,
  TrustStore,
  verifyCms,
} from '../src/index.js';
import { crl, PKI, read } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'dttm-tsa-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tlv = (tag: number, content: Uint8Array): Buffer => {
  const len = content.length;
  const head =
    len < 0x80
      ? [len]
      : len < 0x100
        ? [0x81, len]
        : len < 0x10000
          ? [0x82, len >> 8, len & 0xff]
          : [0x83, len >> 16, (len >> 8) & 0xff, len & 0xff];
  return Buffer.concat([Buffer.from([tag, ...head]), content]);
};
const TST_ATTR_OID = Buffer.from('060b2a864886f70d010910020e', 'hex'); // id-aa-timeStampToken

/** Asks the openssl TSA (test key under fixtures/pki) for a token over `data`. */
function timestampToken(data: Uint8Array): Uint8Array {
  writeFileSync(join(dir, 'data.bin'), data);
  copyFileSync(PKI + 'tsaserial', join(dir, 'tsaserial'));
  const run = (args: string[]) =>
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  run(['ts', '-query', '-data', 'data.bin', '-sha256', '-cert', '-no_nonce', '-out', 'q.tsq']);
  run([
    'ts',
    '-reply',
    '-queryfile',
    'q.tsq',
    '-signer',
    PKI + 'tsa.crt',
    '-inkey',
    PKI + 'tsa.key',
    '-chain',
    PKI + 'ca.crt',
    '-config',
    PKI + 'tsa.cnf',
    '-token_out',
    '-out',
    'token.der',
  ]);
  return new Uint8Array(readFileSync(join(dir, 'token.der')));
}

/** Returns the CMS with `token` added as the first signer's unsigned timeStampToken attribute. */
function withTimestamp(cms: Uint8Array, token: Uint8Array): Uint8Array {
  const ci = parseDer(cms);
  const sd = ci.children[1]?.children[0];
  const infos = sd?.children.at(-1);
  const signer = infos?.children[0];
  if (sd === undefined || infos === undefined || signer === undefined) throw new Error('unexpected CMS');
  const attr = tlv(0x30, Buffer.concat([TST_ATTR_OID, tlv(0x31, token)]));
  const newSigner = tlv(0x30, Buffer.concat([signer.content, tlv(0xa1, attr)]));
  const newInfos = tlv(0x31, Buffer.concat([newSigner, ...infos.children.slice(1).map((c) => c.raw)]));
  const newSd = tlv(0x30, Buffer.concat([...sd.children.slice(0, -1).map((c) => c.raw), newInfos]));
  return new Uint8Array(
    tlv(0x30, Buffer.concat([ci.children[0]?.raw ?? new Uint8Array(), tlv(0xa0, newSd)])),
  );
}

const trustStore = new TrustStore({ anchors: [read('root.crt')], includeVietnameseRoots: false });
const content = read('content.txt');

describe('RFC 3161 timestamps as proof of existence', () => {
  const before = Date.now();
  const sha1 = read('cms/sha1.p7s');
  const signature = parseSignedData(sha1).signers[0]?.signature ?? new Uint8Array();
  const stamped = withTimestamp(sha1, timestampToken(signature));
  const after = Date.now();
  // SHA-1 accepted only for signatures proven before tomorrow; validation happens the day after.
  const policy = definePolicy({
    name: 'sha1-until-tomorrow',
    revocation: 'WARN',
    digests: { ...DEFAULT_POLICY.digests, sha1: { notAfter: new Date(after + 86_400_000).toISOString() } },
  });
  const validationTime = new Date(after + 2 * 86_400_000);

  it('without a timestamp, SHA-1 past the cut-off has no proof of existence', async () => {
    const report = await verifyCms(sha1, { trustStore, detachedContent: content, policy, validationTime });
    expect([report.indication, report.subIndication]).toEqual([
      'INDETERMINATE',
      'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
    ]);
  });

  it('a valid timestamp proves the signature existed before the cut-off', async () => {
    const report = await verifyCms(stamped, { trustStore, detachedContent: content, policy, validationTime });
    expect(report.indication).toBe('TOTAL_PASSED');
    const sig = report.signatures[0];
    const proven = Date.parse(sig?.signingTime.proven ?? '');
    expect(proven).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
    expect(proven).toBeLessThanOrEqual(after + 1000);
    expect(sig?.signingTime.provenBy).toBe('timestamp');
    expect(sig?.timestamps).toHaveLength(1);
    expect(sig?.timestamps[0]?.valid).toBe(true);
    expect(sig?.timestamps[0]?.tsa?.commonName).toBe('Dịch vụ cấp dấu thời gian thử nghiệm');
    expect(sig?.checks.find((c) => c.block === 'POE')?.status).toBe('PASSED');
  });

  it('a timestamp over other data proves nothing', async () => {
    const wrong = withTimestamp(sha1, timestampToken(new Uint8Array([1, 2, 3])));
    const report = await verifyCms(wrong, { trustStore, detachedContent: content, policy, validationTime });
    expect([report.indication, report.subIndication]).toEqual([
      'INDETERMINATE',
      'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
    ]);
    const ts = report.signatures[0]?.timestamps[0];
    expect(ts?.valid).toBe(false);
    expect(ts?.problems).toEqual(['messageImprint does not match the signature value']);
    expect(report.signatures[0]?.signingTime.proven).toBeUndefined();
  });

  it('reports the LTV level the embedded data reaches: B-B, B-T, B-LT', async () => {
    const opts = { trustStore, detachedContent: content, policy, validationTime };
    const level = async (cms: Uint8Array) => (await verifyCms(cms, opts)).signatures[0]?.ltv;
    expect(await level(sha1)).toEqual({
      level: 'B-B',
      signatureTimestamp: false,
      revocationData: [],
      archiveTimestamp: false,
    });
    expect(await level(withCrls(sha1, [crl('ca.crl')]))).toMatchObject({
      level: 'B-B',
      revocationData: ['cms-crls'],
    });
    expect(await level(stamped)).toMatchObject({
      level: 'B-T',
      signatureTimestamp: true,
      revocationData: [],
    });
    const lt = withCrls(stamped, [crl('ca.crl'), crl('root.crl')]);
    const report = await verifyCms(lt, opts);
    expect(report.signatures[0]?.ltv).toEqual({
      level: 'B-LT',
      signatureTimestamp: true,
      revocationData: ['cms-crls'],
      archiveTimestamp: false,
    });
    // The embedded CRLs are used for revocation without being supplied.
    expect(report.signatures[0]?.revocation[0]?.source).toBe('crl');
  });
});

/** Returns the CMS with `crls` in the SignedData `crls` field ([1], before signerInfos). */
function withCrls(cms: Uint8Array, crls: readonly Uint8Array[]): Uint8Array {
  const ci = parseDer(cms);
  const sd = ci.children[1]?.children[0];
  if (sd === undefined) throw new Error('unexpected CMS');
  const parts = sd.children.map((c) => c.raw);
  const newSd = tlv(
    0x30,
    Buffer.concat([...parts.slice(0, -1), tlv(0xa1, Buffer.concat(crls)), ...parts.slice(-1)]),
  );
  return new Uint8Array(
    tlv(0x30, Buffer.concat([ci.children[0]?.raw ?? new Uint8Array(), tlv(0xa0, newSd)])),
  );
}

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli, type ValidationReport } from '../src/index.js';
import { manifest, PKI } from './helpers.js';
import { validateReport } from './schema.js';

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(args, {
    readFile: async (p) => new Uint8Array(await readFile(p.startsWith('/') ? p : PKI + p)),
    write: (t) => {
      out += t;
    },
  });
  return { code, out };
}

const offline = [
  '--only-anchors',
  '--anchor',
  'root.crt',
  '--crl',
  'ca.crl',
  '--crl',
  'root.crl',
  '--at',
  manifest.validateAt,
];

describe('dttm-verify', () => {
  it('prints a bilingual verdict and exits 0 for a valid signature', async () => {
    const { code, out } = await cli(['cms/valid-ecdsa.p7s', '--content', 'content.txt', ...offline]);
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'cms/valid-ecdsa.p7s: TOTAL_PASSED',
      '[S0] TOTAL_PASSED',
      '  Chữ ký hợp lệ.',
      '  The signature is valid.',
      '  Người ký / Signer: Trần Thị Ngọc Hà (Sở Thông tin và Truyền thông Bắc Giang)',
    ]);
  });

  it('exits 1 for TOTAL_FAILED and 2 for INDETERMINATE, and prints the JSON report', async () => {
    expect((await cli(['cms/revoked-before.p7s', '--content', 'content.txt', ...offline])).code).toBe(1);
    const r = await cli(['cms/revoked-after.p7s', '--content', 'content.txt', '--json', ...offline]);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.out) as ValidationReport;
    expect(validateReport(report)).toBe(true);
    expect(report.subIndication).toBe('REVOKED_NO_POE');
  });

  it('detects edXML and generic XML, and takes the trusted elements from --trust', async () => {
    const edxml = '../edxml/signed-xmlsec1-header-only.xml';
    const r = await cli([edxml, ...offline]);
    expect(r.code).toBe(2);
    expect(r.out.split('\n').slice(0, 4)).toEqual([
      `${edxml}: INDETERMINATE / SIG_CONSTRAINTS_FAILURE`,
      '[S0] INDETERMINATE / SIG_CONSTRAINTS_FAILURE',
      '  Chưa đủ căn cứ để kết luận chữ ký hợp lệ. Chữ ký không bao phủ phần tử /edXML/edXMLEnvelope/edXMLBody: nội dung này không được chữ ký bảo đảm.',
      '  The signature could not be confirmed as valid. The signature does not cover /edXML/edXMLEnvelope/edXMLBody: its content is not protected by the signature.',
    ]);
    const trusting = await cli([edxml, '--trust', '/edXML/edXMLEnvelope/edXMLHeader', ...offline]);
    expect(trusting.code).toBe(0);
    const hostile = await cli(['../edxml/hostile-billion-laughs.xml', '--json', ...offline]);
    expect(hostile.code).toBe(1);
    const report = JSON.parse(hostile.out) as ValidationReport;
    expect(validateReport(report)).toBe(true);
    expect([report.format, report.subIndication]).toEqual(['XML', 'FORMAT_FAILURE']);
  });

  it('exits 64 with the usage on bad arguments', async () => {
    const r = await cli(['--at', 'yesterday', 'x.p7s']);
    expect(r.code).toBe(64);
    expect(r.out.split('\n')[0]).toBe('dttm-verify: --at: not an ISO 8601 time: yesterday');
    expect((await cli([])).code).toBe(64);
    expect((await cli(['--bogus'])).out.split('\n')[0]).toBe('dttm-verify: unknown option --bogus');
  });

  it('runs as an executable', async () => {
    const bin = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
    const args = [
      '--import',
      'tsx',
      bin,
      PKI + 'cms/unknown-issuer.p7s',
      '--content',
      PKI + 'content.txt',
      '--at',
      manifest.validateAt,
    ];
    const err = (await promisify(execFile)(process.execPath, args).catch((e: unknown) => e)) as {
      code?: number;
      stdout?: string;
    };
    expect(err.code).toBe(2);
    expect(err.stdout?.split('\n')[0]).toBe(
      `${PKI}cms/unknown-issuer.p7s: INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND`,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { findPdfSignatures, isSignatureError, TrustStore, verifyPdf } from '../src/index.js';
import { validateReport } from './schema.js';
import { crl, read, VALIDATE_AT } from './helpers.js';
import { modifiedPdf, signedPdf, twiceSignedPdf } from './pdf-fixtures.js';

const trustStore = new TrustStore({ anchors: [read('root.crt')], includeVietnameseRoots: false });
const options = { trustStore, validationTime: VALIDATE_AT, crls: [crl('ca.crl'), crl('root.crl')] };

describe('PDF signatures', () => {
  it('finds the signature dictionary and verifies the CMS over the ByteRange', async () => {
    const pdf = signedPdf();
    const [field] = findPdfSignatures(pdf);
    expect(field?.subFilter).toBe('adbe.pkcs7.detached');
    expect(field?.byteRange[0]).toBe(0);
    expect((field?.byteRange[2] ?? 0) + (field?.byteRange[3] ?? 0)).toBe(pdf.length);
    const report = await verifyPdf(pdf, options);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report.format).toBe('PDF');
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures[0]?.signer?.commonName).toBe('Nguyễn Văn Ánh');
    expect(report.signatures[0]?.pdf).toMatchObject({
      modifiedAfterSigning: false,
      laterChangesSigned: false,
      signedLength: pdf.length,
    });
    expect(report.signatures[0]?.checks[0]).toMatchObject({
      block: 'FC',
      id: 'BYTE_RANGE',
      status: 'PASSED',
    });
  });

  it('reports "modified after signing" for an unsigned incremental update that changes the page', async () => {
    const pdf = modifiedPdf();
    const report = await verifyPdf(pdf, options);
    expect(validateReport(report)).toBe(true);
    expect([report.indication, report.subIndication]).toEqual(['TOTAL_FAILED', 'FORMAT_FAILURE']);
    const s = report.signatures[0];
    expect(s?.pdf).toMatchObject({ modifiedAfterSigning: true, revision: 1 });
    expect(s?.checks.find((c) => c.id === 'CHANGES_AFTER_SIGNING')?.message.vi).toBe(
      'Tài liệu đã bị sửa đổi sau khi ký: sửa nội dung (phiên bản 2: đối tượng 4 0).',
    );
  });

  it('accepts a first signature whose later revision is covered by a second signature', async () => {
    const report = await verifyPdf(twiceSignedPdf(), options);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(
      report.signatures.map((s) => [
        s.id,
        s.signer?.commonName,
        s.pdf?.modifiedAfterSigning,
        s.pdf?.laterChangesSigned,
      ]),
    ).toEqual([
      ['S0', 'Nguyễn Văn Ánh', true, true],
      ['S1', 'Trần Thị Ngọc Hà', false, false],
    ]);
  });

  it('fails when a signed byte is changed', async () => {
    const pdf = signedPdf();
    const at = pdf.indexOf('Cong van 123') + 9;
    pdf[at] = 0x37;
    const report = await verifyPdf(pdf, options);
    expect([report.indication, report.subIndication]).toEqual(['TOTAL_FAILED', 'HASH_FAILURE']);
  });

  it('fails when the ByteRange excludes more than /Contents', async () => {
    const pdf = signedPdf();
    const text = pdf.toString('latin1');
    const m = /\/ByteRange \[0 (\d{10}) (\d{10}) (\d{10})\]/.exec(text);
    if (m?.[1] === undefined) throw new Error('fixture');
    // Exclude 5 more bytes before /Contents: the gap no longer is exactly the hex string.
    const shifted = String(Number(m[1]) - 5).padStart(10, '0');
    pdf.write(shifted, (m.index ?? 0) + '/ByteRange [0 '.length, 'latin1');
    const report = await verifyPdf(pdf, options);
    expect([report.indication, report.subIndication]).toEqual(['TOTAL_FAILED', 'FORMAT_FAILURE']);
    expect(report.signatures[0]?.checks[0]?.message.en).toMatch(
      /^Invalid ByteRange: the excluded bytes \d+\.\.\d+ are not exactly one hex string$/,
    );
  });

  it('rejects non-PDF input and reports a PDF without signatures', async () => {
    let err: unknown;
    try {
      findPdfSignatures(new Uint8Array([1, 2, 3]));
    } catch (e) {
      err = e;
    }
    expect(isSignatureError(err) && err.code).toBe('SIG_PDF_INVALID');
    const unsigned = await verifyPdf(
      new Uint8Array(Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n')),
      options,
    );
    expect([unsigned.indication, unsigned.subIndication, unsigned.message.en]).toEqual([
      'TOTAL_FAILED',
      'FORMAT_FAILURE',
      'The file contains no signature.',
    ]);
  });

  it('never throws on mutated PDFs', async () => {
    const seed = signedPdf();
    let state = 99;
    const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 150; i++) {
      const pdf = Buffer.from(seed);
      for (let k = 0; k < 4; k++) pdf[Math.floor(next() * pdf.length)] = Math.floor(next() * 256);
      const report = await verifyPdf(
        i % 10 === 0 ? pdf.subarray(0, Math.floor(next() * pdf.length)) : pdf,
        options,
      );
      expect(['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE']).toContain(report.indication);
    }
  });
});

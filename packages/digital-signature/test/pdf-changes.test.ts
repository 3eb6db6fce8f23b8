import { describe, expect, it } from 'vitest';
import { TrustStore, verifyPdf, type ValidationReport } from '../src/index.js';
import { analysePdfRevisions } from '../src/pdf-changes.js';
import { createTestHierarchy, TestPki } from '../src/testing/index.js';
import {
  ANNOTATION,
  BASE,
  CONTENT_CHANGE,
  PdfBuilder,
  dssObjects,
  firstSignatureObjects,
  objectStream,
  secondSignatureObjects,
} from './pdf-revisions.js';
import { validateReport } from './schema.js';

const T0 = new Date('2026-06-01T00:00:00Z');
const pki = new TestPki({ clock: () => T0 });
const h = createTestHierarchy(pki);
const options = {
  trustStore: new TrustStore({ anchors: [h.root.der], includeVietnameseRoots: false }),
  crls: [pki.crl(h.intermediate), pki.crl(h.root)],
  validationTime: T0,
};
const first = {
  num: 5,
  signer: h.signerRsa,
  chain: [h.intermediate],
  signingTime: new Date('2026-05-30T08:00:00Z'),
};
const second = {
  num: 9,
  signer: h.signerEc,
  chain: [h.intermediate],
  signingTime: new Date('2026-05-31T08:00:00Z'),
};

/** Revision 1 the document, revision 2 the first signature (certified with `level` when given). */
const signed = (level?: 1 | 2 | 3): PdfBuilder =>
  new PdfBuilder(BASE).append(firstSignatureObjects(level !== undefined), {
    ...first,
    ...(level === undefined ? {} : { docMdp: level }),
  });

const verdict = (r: ValidationReport) =>
  r.signatures.map((s) => [s.id, s.indication, s.subIndication ?? '-']);
const changeCheck = (r: ValidationReport, i = 0) =>
  r.signatures[i]?.checks.find((c) => c.id === 'CHANGES_AFTER_SIGNING');

async function verify(pdf: Uint8Array): Promise<ValidationReport> {
  const report = await verifyPdf(pdf, options);
  expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
  return report;
}

describe('PDF incremental updates after signing', () => {
  it('reports the revision each signature signs, and a certification signature with its DocMDP level', async () => {
    const report = await verify(signed(2).pdf);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.document.revisions).toBe(2);
    expect(report.signatures[0]?.pdf).toMatchObject({
      revision: 2,
      docMdpPermissions: 2,
      modifiedAfterSigning: false,
    });
    expect(report.signatures[0]?.checks.find((c) => c.id === 'DOC_MDP')).toEqual({
      block: 'FC',
      id: 'DOC_MDP',
      status: 'INFORMATION',
      message: {
        vi: 'Chữ ký chứng nhận (DocMDP mức 2: chỉ cho phép điền biểu mẫu và ký).',
        en: 'Certification signature (DocMDP level 2: form filling and signing permitted).',
      },
    });
  });

  it('fails a signature whose page content was changed by a later update (TOTAL_FAILED/FORMAT_FAILURE)', async () => {
    const report = await verify(signed().append(CONTENT_CHANGE).pdf);
    expect(verdict(report)).toEqual([['S0', 'TOTAL_FAILED', 'FORMAT_FAILURE']]);
    expect(report.signatures[0]?.pdf?.changes).toEqual([
      { revision: 3, object: '4 0', kind: 'other', allowed: false, detail: 'object changed' },
    ]);
    expect(changeCheck(report)).toMatchObject({ status: 'FAILED' });
    expect(report.signatures[0]?.message).toEqual({
      vi: 'Chữ ký không hợp lệ. Tài liệu đã bị sửa đổi sau khi ký: sửa nội dung (phiên bản 3: đối tượng 4 0).',
      en: 'The signature is not valid. The document was modified after signing: content changed (revision 3: objects 4 0).',
    });
  });

  it('accepts an annotation after an approval signature, with a warning', async () => {
    const report = await verify(signed().append(ANNOTATION).pdf);
    expect(verdict(report)).toEqual([['S0', 'TOTAL_PASSED', '-']]);
    expect(report.signatures[0]?.pdf?.changes?.map((c) => [c.object, c.kind, c.allowed])).toEqual([
      ['3 0', 'annotation', true],
      ['10 0', 'annotation', true],
    ]);
    expect(changeCheck(report)).toEqual({
      block: 'FC',
      id: 'CHANGES_AFTER_SIGNING',
      status: 'WARNING',
      message: {
        vi: 'Sau khi ký, tài liệu có thay đổi được phép: thêm hoặc sửa chú thích (phiên bản 3: đối tượng 3 0, 10 0).',
        en: 'The document was changed after signing in permitted ways: annotations added or changed (revision 3: objects 3 0, 10 0).',
      },
    });
  });

  it('honours DocMDP: annotations are refused at level 2 and accepted at level 3', async () => {
    const level2 = await verify(signed(2).append(ANNOTATION).pdf);
    expect(verdict(level2)).toEqual([['S0', 'TOTAL_FAILED', 'FORMAT_FAILURE']]);
    expect(changeCheck(level2)?.message.en).toBe(
      'The document was modified after signing: annotations added or changed (revision 3: objects 3 0, 10 0), not permitted by the certification signature (DocMDP level 2).',
    );
    expect(changeCheck(level2)?.message.vi).toBe(
      'Tài liệu đã bị sửa đổi sau khi ký: thêm hoặc sửa chú thích (phiên bản 3: đối tượng 3 0, 10 0), chữ ký chứng nhận không cho phép (DocMDP mức 2).',
    );
    const level3 = await verify(signed(3).append(ANNOTATION).pdf);
    expect(verdict(level3)).toEqual([['S0', 'TOTAL_PASSED', '-']]);
    expect(changeCheck(level3)?.status).toBe('WARNING');
  });

  it('accepts a second signature at DocMDP level 2, refuses it at level 1', async () => {
    const twice = (level: 1 | 2) => signed(level).append(secondSignatureObjects(true), second).pdf;
    const level2 = await verify(twice(2));
    expect(verdict(level2)).toEqual([
      ['S0', 'TOTAL_PASSED', '-'],
      ['S1', 'TOTAL_PASSED', '-'],
    ]);
    expect(level2.signatures.map((s) => [s.signer?.commonName, s.pdf?.revision])).toEqual([
      ['Nguyễn Văn Ánh', 2],
      ['Trần Thị Bích Ngọc', 3],
    ]);
    expect(level2.signatures[0]?.pdf?.changes?.map((c) => [c.object, c.kind])).toEqual([
      ['1 0', 'signature'],
      ['3 0', 'signature'],
      ['8 0', 'signature'],
      ['9 0', 'signature'],
    ]);
    expect(changeCheck(level2)?.message.en).toBe(
      'The document was changed after signing in permitted ways: signature added (revision 3).',
    );
    expect(level2.signatures[0]?.checks.find((c) => c.id === 'LATER_REVISION_SIGNED')?.status).toBe(
      'INFORMATION',
    );
    const level1 = await verify(twice(1));
    expect(verdict(level1)).toEqual([
      ['S0', 'TOTAL_FAILED', 'FORMAT_FAILURE'],
      ['S1', 'TOTAL_PASSED', '-'],
    ]);
    expect(level1.indication).toBe('TOTAL_FAILED');
  });

  it('accepts validation data (DSS) added after a level 1 certification', async () => {
    const report = await verify(signed(1).append(dssObjects(true, h.intermediate.der)).pdf);
    expect(verdict(report)).toEqual([['S0', 'TOTAL_PASSED', '-']]);
    expect(report.signatures[0]?.ltv).toEqual({
      level: 'B-B',
      signatureTimestamp: false,
      documentTimestamp: false,
      revocationData: ['pdf-dss'],
      archiveTimestamp: false,
    });
    expect(report.signatures[0]?.pdf?.changes?.map((c) => [c.object, c.kind, c.allowed])).toEqual([
      ['1 0', 'validation-data', true],
      ['11 0', 'validation-data', true],
      ['12 0', 'validation-data', true],
    ]);
  });

  it('reads updates written as compressed object streams', async () => {
    const annotation = await verify(signed(3).append([], undefined, objectStream(13, ANNOTATION)).pdf);
    expect(verdict(annotation)).toEqual([['S0', 'TOTAL_PASSED', '-']]);
    expect(annotation.signatures[0]?.pdf?.changes?.map((c) => [c.object, c.kind])).toEqual([
      ['3 0', 'annotation'],
      ['10 0', 'annotation'],
    ]);
    const page = await verify(
      signed(3).append(
        [],
        undefined,
        objectStream(13, [[3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 14 0 R >>']]),
      ).pdf,
    );
    expect(verdict(page)).toEqual([['S0', 'TOTAL_FAILED', 'FORMAT_FAILURE']]);
    expect(page.signatures[0]?.pdf?.changes?.[0]?.detail).toBe('page changed (Annots, Contents, Resources)');
  });

  it('is INDETERMINATE when an update cannot be read', async () => {
    const report = await verify(
      signed(2).append([], undefined, objectStream(13, ANNOTATION, 'LZWDecode')).pdf,
    );
    expect(verdict(report)).toEqual([['S0', 'INDETERMINATE', 'SIG_CONSTRAINTS_FAILURE']]);
    expect(report.signatures[0]?.pdf?.changes).toEqual([
      {
        revision: 3,
        kind: 'unparsed',
        allowed: false,
        detail: 'object stream 13 0: unsupported filter /LZWDecode',
      },
    ]);
  });

  it('ignores objects rewritten unchanged and a policy can lower the constraint', async () => {
    const same = await verify(signed().append([BASE[1] as readonly [number, string]]).pdf);
    expect(verdict(same)).toEqual([['S0', 'TOTAL_PASSED', '-']]);
    expect(changeCheck(same)?.message.en).toMatch(
      /^\d+ bytes were appended after signing but no object changed\.$/,
    );
    const xmp = (text: string): readonly [number, string] => [
      15,
      `<< /Type /Metadata /Subtype /XML /Length ${text.length} >>\nstream\n${text}\nendstream`,
    ];
    const metadata = await verify(
      new PdfBuilder([...BASE, xmp('<x:xmpmeta/>')])
        .append(firstSignatureObjects(false), first)
        .append([xmp('<x:xmpmeta a="1"/>')]).pdf,
    );
    expect(verdict(metadata)).toEqual([['S0', 'TOTAL_PASSED', '-']]);
    expect(metadata.signatures[0]?.pdf?.changes?.map((c) => [c.object, c.kind, c.detail])).toEqual([
      ['15 0', 'metadata', 'XMP metadata changed'],
    ]);
    const { definePolicy } = await import('../src/index.js');
    const lenient = await verifyPdf(signed().append(CONTENT_CHANGE).pdf, {
      ...options,
      policy: definePolicy({ name: 'lenient', pdfChangesAfterSigning: 'WARN' }),
    });
    expect(verdict(lenient)).toEqual([['S0', 'TOTAL_PASSED', '-']]);
    expect(changeCheck(lenient)?.status).toBe('WARNING');
  });

  it('answers mutated and hostile updates with a report, never an exception', async () => {
    const seed = signed(2).append([], undefined, objectStream(13, ANNOTATION)).pdf;
    let state = 7;
    const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const signedEnd = seed.indexOf('%%EOF', seed.indexOf('/ByteRange')) + 6;
    for (let i = 0; i < 60; i++) {
      const pdf = Buffer.from(seed);
      for (let k = 0; k < 3; k++)
        pdf[signedEnd + Math.floor(next() * (pdf.length - signedEnd))] = Math.floor(next() * 256);
      const report = await verifyPdf(pdf, options);
      expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
      expect(['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE']).toContain(report.indication);
    }
    const deep = `99 0 obj\n${'['.repeat(5000)}\nendobj\n`;
    const hostile = await verify(signed(2).append([], undefined, deep).pdf);
    expect(hostile.signatures[0]?.pdf?.changes?.[0]).toMatchObject({ kind: 'unparsed', revision: 3 });
    expect(verdict(hostile)).toEqual([['S0', 'INDETERMINATE', 'SIG_CONSTRAINTS_FAILURE']]);
  });

  it('does not ignore objects written after the signed bytes inside the signed revision', () => {
    const pdf = new PdfBuilder(BASE).pdf;
    const cut = pdf.indexOf('3 0 obj');
    const analysis = analysePdfRevisions(pdf);
    expect(analysis.revisions.length).toBe(1);
    expect(analysis.revisionOf(cut)).toBe(1);
    expect(analysis.changesAfter(1, cut).map((c) => [c.revision, c.object, c.kind, c.detail])).toEqual([
      [1, '3 0', 'unparsed', 'object after the signed bytes, in the signed revision'],
      [1, '4 0', 'unparsed', 'object after the signed bytes, in the signed revision'],
    ]);
    expect(analysis.changesAfter(1, pdf.length)).toEqual([]);
  });

  it('reads hostile layouts in linear time', () => {
    const many = Buffer.from(
      `%PDF-1.7\n${'%%EOF\n'.repeat(20_000)}${'1 0 obj << /Length 99999 >> stream\n'.repeat(20_000)}%%EOF\n`,
      'latin1',
    );
    const t0 = performance.now();
    const analysis = analysePdfRevisions(many);
    expect(analysis.revisions.length).toBe(20_001);
    expect(analysis.revisions.at(-1)?.problems.length).toBe(20_000);
    const objects = Array.from(
      { length: 20_000 },
      (_, n) => `${n + 1} 0 obj\n<< /Type /Annot >>\nendobj\n`,
    ).join('');
    const wide = Buffer.from(`%PDF-1.7\n${objects}%%EOF\n${'%%EOF\n'.repeat(20_000)}`, 'latin1');
    expect(analysePdfRevisions(wide).changesAfter(1)).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it('uses the CRLs of the DSS for revocation checking', async () => {
    const { crls: _supplied, ...withoutCrls } = options;
    const plain = signed(2).pdf;
    const without = await verifyPdf(plain, withoutCrls);
    expect(verdict(without)).toEqual([['S0', 'INDETERMINATE', 'TRY_LATER']]);
    const ltv = signed(2).append(
      dssObjects(true, h.intermediate.der, [pki.crl(h.intermediate), pki.crl(h.root)]),
    ).pdf;
    const report = await verifyPdf(ltv, withoutCrls);
    expect(verdict(report)).toEqual([['S0', 'TOTAL_PASSED', '-']]);
    expect(report.signatures[0]?.revocation.map((r) => [r.status, r.source])).toEqual([
      ['good', 'crl'],
      ['good', 'crl'],
    ]);
    expect(report.signatures[0]?.ltv).toMatchObject({ level: 'B-B', revocationData: ['pdf-dss'] });
  });
});

import { deflateSync } from 'node:zlib';
import { createCms } from '../src/index.js';
import type { TestCertificate } from '../src/testing/index.js';

/** Builds PDFs revision by revision (classic xref sections), signing revisions with the test PKI. */

const CONTENTS_HEX = 16384;

export interface SignatureSpec {
  /** Object number of the signature dictionary. */
  readonly num: number;
  readonly signer: TestCertificate;
  readonly chain: readonly TestCertificate[];
  readonly signingTime: Date;
  /** Certification signature with this DocMDP level. */
  readonly docMdp?: 1 | 2 | 3;
}

export type ObjectSpec = readonly [num: number, body: string];

export class PdfBuilder {
  private bytes: Buffer;
  private size: number;

  constructor(objects: readonly ObjectSpec[]) {
    this.bytes = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');
    this.size = 0;
    this.append(objects);
  }

  get pdf(): Buffer {
    return Buffer.from(this.bytes);
  }

  /** Appends a revision with `objects` (bodies without `N 0 obj`/`endobj`) and, optionally, a signature. */
  append(objects: readonly ObjectSpec[], sig?: SignatureSpec, raw = ''): this {
    const prev = this.bytes.length;
    const nums = [...objects.map(([n]) => n), ...(sig === undefined ? [] : [sig.num])];
    this.size = Math.max(this.size, ...nums.map((n) => n + 1));
    let body = objects.map(([n, b]) => `${n} 0 obj\n${b}\nendobj\n`).join('') + raw;
    const placeholder = '[0 0000000000 0000000000 0000000000]';
    if (sig !== undefined) {
      const mdp =
        sig.docMdp === undefined
          ? ''
          : ` /Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P ${sig.docMdp} /V /1.2 >> >>]`;
      body += `${sig.num} 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached${mdp} /ByteRange ${placeholder} /Contents <${'0'.repeat(CONTENTS_HEX)}> >>\nendobj\n`;
    }
    const startxref = prev + Buffer.byteLength(body, 'latin1');
    const tail = `xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size ${this.size} /Root 1 0 R${prev > 20 ? ` /Prev ${prev}` : ''} >>\nstartxref\n${startxref}\n%%EOF\n`;
    const file = Buffer.concat([this.bytes, Buffer.from(body + tail, 'latin1')]);
    if (sig !== undefined) {
      const text = file.toString('latin1');
      const brAt = text.lastIndexOf(placeholder);
      const contentsStart = text.indexOf('/Contents <', brAt) + '/Contents '.length;
      const contentsEnd = contentsStart + CONTENTS_HEX + 2;
      const br = `[0 ${String(contentsStart).padStart(10, '0')} ${String(contentsEnd).padStart(10, '0')} ${String(file.length - contentsEnd).padStart(10, '0')}]`;
      file.write(br, brAt, 'latin1');
      const signed = Buffer.concat([file.subarray(0, contentsStart), file.subarray(contentsEnd)]);
      const cms = createCms(signed, {
        key: sig.signer.privateKey,
        certificateChain: [sig.signer.der, ...sig.chain.map((c) => c.der)],
        signingTime: sig.signingTime,
      });
      const hex = Buffer.from(cms).toString('hex').toUpperCase();
      if (hex.length > CONTENTS_HEX) throw new Error('signature too large for the placeholder');
      file.write(hex, contentsStart + 1, 'latin1');
    }
    this.bytes = file;
    return this;
  }
}

/** An object stream (FlateDecode) holding `objects`, as object `num`. */
export function objectStream(num: number, objects: readonly ObjectSpec[], filter = 'FlateDecode'): string {
  let offsets = '';
  let data = '';
  for (const [n, b] of objects) {
    offsets += `${n} ${data.length} `;
    data += `${b}\n`;
  }
  const plain = Buffer.from(offsets + data, 'latin1');
  const encoded = filter === 'FlateDecode' ? deflateSync(plain) : plain;
  return `${num} 0 obj\n<< /Type /ObjStm /N ${objects.length} /First ${offsets.length} /Filter /${filter} /Length ${encoded.length} >>\nstream\n${encoded.toString('latin1')}\nendstream\nendobj\n`;
}

const PAGE = (annots: string) =>
  `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >>${annots} >>`;

/** Revision 1: one page, no form. */
export const BASE: readonly ObjectSpec[] = [
  [1, '<< /Type /Catalog /Pages 2 0 R >>'],
  [2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>'],
  [3, PAGE('')],
  [4, '<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 712 Td (Cong van 123) Tj ET\nendstream'],
];

/** Objects of the first signature's revision: catalog with the form (and /Perms), page with the widget, field 6. */
export function firstSignatureObjects(certify: boolean): ObjectSpec[] {
  return [
    [
      1,
      `<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R] /SigFlags 3 >>${certify ? ' /Perms << /DocMDP 5 0 R >>' : ''} >>`,
    ],
    [3, PAGE(' /Annots [6 0 R]')],
    [
      6,
      '<< /Type /Annot /Subtype /Widget /FT /Sig /T (Chu ky 1) /V 5 0 R /Rect [0 0 0 0] /F 132 /P 3 0 R >>',
    ],
    [7, '<< /Type /XObject /Subtype /Form /BBox [0 0 0 0] /Length 0 >>\nstream\n\nendstream'],
  ];
}

/** A second signature field (widget 8, dictionary 9) added to the form and the page. */
export function secondSignatureObjects(certify: boolean): ObjectSpec[] {
  return [
    [
      1,
      `<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R 8 0 R] /SigFlags 3 >>${certify ? ' /Perms << /DocMDP 5 0 R >>' : ''} >>`,
    ],
    [3, PAGE(' /Annots [6 0 R 8 0 R]')],
    [
      8,
      '<< /Type /Annot /Subtype /Widget /FT /Sig /T (Chu ky 2) /V 9 0 R /Rect [0 0 0 0] /F 132 /P 3 0 R >>',
    ],
  ];
}

/** A sticky-note annotation (object 10) added to the page. */
export const ANNOTATION: readonly ObjectSpec[] = [
  [3, PAGE(' /Annots [6 0 R 10 0 R]')],
  [10, '<< /Type /Annot /Subtype /Text /Rect [100 100 120 120] /Contents (Ghi chu) /P 3 0 R >>'],
];

/** The page text replaced. */
export const CONTENT_CHANGE: readonly ObjectSpec[] = [
  [4, '<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 712 Td (Cong van 999) Tj ET\nendstream'],
];

/** A DSS dictionary (object 11: a certificate stream 12, CRL streams from 13, Flate-compressed) referenced from the catalog. */
export function dssObjects(
  certify: boolean,
  certificate: Uint8Array,
  crls: readonly Uint8Array[] = [],
): ObjectSpec[] {
  const crlRefs = crls.map((_, i) => `${13 + i} 0 R`).join(' ');
  return [
    [
      1,
      `<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R] /SigFlags 3 >>${certify ? ' /Perms << /DocMDP 5 0 R >>' : ''} /DSS 11 0 R >>`,
    ],
    [11, `<< /Type /DSS /Certs [12 0 R]${crls.length > 0 ? ` /CRLs [${crlRefs}]` : ''} >>`],
    [
      12,
      `<< /Length ${certificate.length} >>\nstream\n${Buffer.from(certificate).toString('latin1')}\nendstream`,
    ],
    ...crls.map((c, i): ObjectSpec => {
      const z = deflateSync(c);
      return [
        13 + i,
        `<< /Filter /FlateDecode /Length ${z.length} >>\nstream\n${z.toString('latin1')}\nendstream`,
      ];
    }),
  ];
}

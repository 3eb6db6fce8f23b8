import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PKI } from './helpers.js';

const CONTENTS_HEX = 8192;

/** Signs `data` as a detached CMS (openssl cms, SHA-256, CAdES signingCertificateV2) with a test key. */
function cmsDetached(data: Buffer, signer: 'signer-rsa' | 'signer-ec'): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'dttm-pdf-'));
  try {
    writeFileSync(join(dir, 'in.bin'), data);
    execFileSync('openssl', [
      'cms',
      '-sign',
      '-binary',
      '-cades',
      '-nosmimecap',
      '-in',
      join(dir, 'in.bin'),
      '-signer',
      `${PKI}${signer}.crt`,
      '-inkey',
      `${PKI}${signer}.key`,
      '-certfile',
      `${PKI}ca.crt`,
      '-md',
      'sha256',
      '-outform',
      'DER',
      '-out',
      join(dir, 'out.der'),
    ]);
    return readFileSync(join(dir, 'out.der'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Appends a revision holding a signature dictionary, computes its ByteRange and signs it. */
function appendSignedRevision(
  prefix: Buffer,
  objNum: number,
  signer: 'signer-rsa' | 'signer-ec',
  name: string,
): Buffer {
  const placeholder = '[0 0000000000 0000000000 0000000000]';
  const head = Buffer.from(
    `${objNum} 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /Name (${name}) /ByteRange ${placeholder} /Contents <`,
    'latin1',
  );
  const tail = Buffer.from(
    `>\n>>\nendobj\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size ${objNum + 1} /Root 1 0 R >>\nstartxref\n${prefix.length}\n%%EOF\n`,
    'latin1',
  );
  const contentsStart = prefix.length + head.length - 1; // position of '<'
  const contentsEnd = contentsStart + CONTENTS_HEX + 2; // just past '>'
  const total = contentsEnd + tail.length - 1;
  const br = `[0 ${String(contentsStart).padStart(10, '0')} ${String(contentsEnd).padStart(10, '0')} ${String(total - contentsEnd).padStart(10, '0')}]`;
  const headFilled = Buffer.from(head.toString('latin1').replace(placeholder, br), 'latin1');
  const zeros = Buffer.alloc(CONTENTS_HEX, '0');
  const file = Buffer.concat([prefix, headFilled, zeros, tail]);
  const signed = Buffer.concat([file.subarray(0, contentsStart), file.subarray(contentsEnd)]);
  const hex = cmsDetached(signed, signer).toString('hex').toUpperCase();
  if (hex.length > CONTENTS_HEX) throw new Error('signature too large for the placeholder');
  Buffer.from(hex, 'latin1').copy(file, contentsStart + 1);
  return file;
}

const BODY =
  '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n' +
  '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n' +
  '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n' +
  '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n' +
  '4 0 obj\n<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 712 Td (Cong van 123) Tj ET\nendstream\nendobj\n';

/** A one-page PDF signed once (RSA). */
export function signedPdf(): Buffer {
  return appendSignedRevision(Buffer.from(BODY, 'latin1'), 5, 'signer-rsa', 'Nguyen Van Anh');
}

/** The signed PDF with an unsigned incremental update appended (the page text is replaced). */
export function modifiedPdf(): Buffer {
  const base = signedPdf();
  const update = `4 0 obj\n<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 712 Td (Cong van 999) Tj ET\nendstream\nendobj\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 6 /Root 1 0 R /Prev ${base.length - 20} >>\nstartxref\n${base.length}\n%%EOF\n`;
  return Buffer.concat([base, Buffer.from(update, 'latin1')]);
}

/** Signed by RSA, then a second revision signed by ECDSA (both signatures valid). */
export function twiceSignedPdf(): Buffer {
  return appendSignedRevision(signedPdf(), 6, 'signer-ec', 'Tran Thi Ngoc Ha');
}

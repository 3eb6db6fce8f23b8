import fs from 'node:fs';
import path from 'node:path';
import {
  DocumentAxis,
  LgspClient,
  buildEdxml,
  createStatusPackage,
  edxmlDocumentId,
  parseEdxml,
  systemIdSecretKey,
  type EdxmlDocument,
} from '@dttm/lgsp-client';
import { startLgspSimulator, type AxisAccount, type LgspSimulator } from '@dttm/lgsp-client/testing';
import { createCms, signEdxml } from '@dttm/digital-signature';
import { TestPki, createTestHierarchy } from '@dttm/digital-signature/testing';
import type { Logger } from '../logger.js';
import type { DocumentService } from '../modules/documents/service.js';
import {
  loadSigner,
  loadTrust,
  type DocumentSigner,
  type DocumentTrust,
} from '../modules/documents/trust.js';

/** The operations centre on the simulated axis. */
export const DEMO_IOC_ACCOUNT: AxisAccount = {
  systemId: 'sim-ioc',
  secretKey: 'sim-ioc-secret',
  organId: '000.01.08.H10',
  name: 'Trung tâm Giám sát, điều hành đô thị thông minh tỉnh Bắc Giang',
};

/** Agencies that send the centre documents in the demo (codes and names are illustrative). */
export const DEMO_AGENCIES: readonly AxisAccount[] = [
  {
    systemId: 'sim-stttt-bg',
    secretKey: 'sim-stttt-bg-secret',
    organId: '000.00.08.H10',
    name: 'Sở Thông tin và Truyền thông tỉnh Bắc Giang',
  },
  {
    systemId: 'sim-ubnd-bg',
    secretKey: 'sim-ubnd-bg-secret',
    organId: '000.00.00.H10',
    name: 'Ủy ban nhân dân tỉnh Bắc Giang',
  },
  {
    systemId: 'sim-vpcp',
    secretKey: 'sim-vpcp-secret',
    organId: '000.00.00.G22',
    name: 'Văn phòng Chính phủ',
  },
];

const YEAR = 365 * 86_400_000;

/** Files of the demo PKI under `DATA_DIR/documents-demo/`. */
interface DemoPkiFiles {
  readonly dir: string;
  readonly anchors: string;
  readonly iocKey: string;
  readonly iocCert: string;
  readonly senderKey: string;
  readonly senderCert: string;
}

/**
 * The demo's test PKI, made on first start (like the demo token issuer): a root and CA whose root
 * is the trust anchor (with CRLs valid for ten years), the centre's signing key, and the key of a
 * trusted sending agency.
 */
export function ensureDemoPki(dataDir: string, now = new Date()): DemoPkiFiles {
  const dir = path.join(dataDir, 'documents-demo');
  const files: DemoPkiFiles = {
    dir,
    anchors: path.join(dir, 'anchors'),
    iocKey: path.join(dir, 'ioc.key'),
    iocCert: path.join(dir, 'ioc.crt'),
    senderKey: path.join(dir, 'sender.key'),
    senderCert: path.join(dir, 'sender.crt'),
  };
  if (fs.existsSync(files.senderCert)) return files;
  fs.mkdirSync(files.anchors, { recursive: true });
  const pki = new TestPki({ clock: () => now });
  const h = createTestHierarchy(pki);
  const ioc = h.issueSigner('Trung tâm Giám sát, điều hành đô thị thông minh');
  const sender = h.issueSigner('Nguyễn Văn Bình');
  const later = new Date(now.getTime() + 10 * YEAR);
  fs.writeFileSync(path.join(files.anchors, 'root.pem'), h.root.pem);
  fs.writeFileSync(path.join(files.anchors, 'root.crl'), pki.crl(h.root, { nextUpdate: later }));
  fs.writeFileSync(path.join(files.anchors, 'ca.crl'), pki.crl(h.intermediate, { nextUpdate: later }));
  fs.writeFileSync(files.iocKey, ioc.keyPem, { mode: 0o600 });
  fs.writeFileSync(files.iocCert, ioc.pem + h.intermediate.pem);
  fs.writeFileSync(files.senderKey, sender.keyPem, { mode: 0o600 });
  fs.writeFileSync(files.senderCert, sender.pem + h.intermediate.pem);
  return files;
}

/** A simulated LGSP with the centre and the demo agencies, and what the document module needs. */
export interface DocumentsDemoAxis {
  readonly simulator: LgspSimulator;
  readonly axis: DocumentAxis;
  readonly agency: { readonly organId: string; readonly organName: string };
  readonly signer: DocumentSigner;
  readonly trust: DocumentTrust;
  /** The trusted sending agencies' signer. */
  readonly senderSigner: DocumentSigner;
  axisFor(account: AxisAccount): DocumentAxis;
  close(): Promise<void>;
}

/** Starts the in-process LGSP simulator the demo exchanges documents with (`LGSP_URL` unset). */
export async function startDocumentsAxisDemo(dataDir: string): Promise<DocumentsDemoAxis> {
  const files = ensureDemoPki(dataDir);
  const simulator = await startLgspSimulator({
    documentAxis: { accounts: [DEMO_IOC_ACCOUNT, ...DEMO_AGENCIES] },
  });
  const axisFor = (a: AxisAccount) =>
    new DocumentAxis({
      client: new LgspClient({
        baseUrl: simulator.url,
        auth: systemIdSecretKey({ systemId: a.systemId, secretKey: a.secretKey }),
      }),
    });
  return {
    simulator,
    axis: axisFor(DEMO_IOC_ACCOUNT),
    agency: { organId: DEMO_IOC_ACCOUNT.organId, organName: DEMO_IOC_ACCOUNT.name },
    signer: loadSigner(files.iocKey, files.iocCert),
    trust: loadTrust(files.anchors),
    senderSigner: loadSigner(files.senderKey, files.senderCert),
    axisFor,
    close: () => simulator.close(),
  };
}

const CONTENTS_HEX = 16_384;

/**
 * A one-page PDF signed with `signer` (a detached CMS over the `/ByteRange`, `adbe.pkcs7.detached`), as
 * an agency's signed decision would be attached. `text` is the page text (ASCII).
 */
export function signedDemoPdf(signer: DocumentSigner, text: string): Buffer {
  const stream = `BT /F1 12 Tf 72 712 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
  const prefix = Buffer.from(
    '%PDF-1.7\n' +
      '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n' +
      '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n' +
      '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n' +
      `4 0 obj\n<< /Length ${stream.length} >>\nstream\n${stream}\nendstream\nendobj\n`,
    'latin1',
  );
  const placeholder = '[0 0000000000 0000000000 0000000000]';
  const head = Buffer.from(
    `5 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange ${placeholder} /Contents <`,
    'latin1',
  );
  const tail = Buffer.from(
    `>\n>>\nendobj\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n${prefix.length}\n%%EOF\n`,
    'latin1',
  );
  const contentsStart = prefix.length + head.length - 1; // the '<'
  const contentsEnd = contentsStart + CONTENTS_HEX + 2; // just past the '>'
  const total = contentsEnd + tail.length - 1;
  const pad = (n: number) => String(n).padStart(10, '0');
  const range = `[0 ${pad(contentsStart)} ${pad(contentsEnd)} ${pad(total - contentsEnd)}]`;
  const file = Buffer.concat([
    prefix,
    Buffer.from(head.toString('latin1').replace(placeholder, range), 'latin1'),
    Buffer.alloc(CONTENTS_HEX, '0'),
    tail,
  ]);
  const covered = Buffer.concat([file.subarray(0, contentsStart), file.subarray(contentsEnd)]);
  const cms = createCms(covered, { key: signer.key, certificateChain: [...signer.certificateChain] });
  const hex = Buffer.from(cms).toString('hex').toUpperCase();
  if (hex.length > CONTENTS_HEX) throw new Error('the signature does not fit its placeholder');
  Buffer.from(hex, 'latin1').copy(file, contentsStart + 1);
  return file;
}

function demoPackage(
  from: AxisAccount,
  to: { organId: string; organName: string },
  n: string,
  notation: string,
  subject: string,
  date: string,
  pdf: Buffer | undefined,
): EdxmlDocument {
  return {
    kind: 'edoc',
    messageHeader: {
      from: { organId: from.organId, organName: from.name },
      to: [to],
      documentId: edxmlDocumentId(from.organId, date, n, notation),
      code: { codeNumber: n, codeNotation: notation },
      promulgationInfo: { place: 'Bắc Giang', promulgationDate: date },
      documentType: { type: '1', typeName: 'Công văn' },
      subject,
      signerInfo: { fullName: 'Nguyễn Văn Bình', position: 'Phó Giám đốc' },
    },
    traceHeaderList: { traceHeaders: [] },
    attachments: pdf
      ? [{ contentId: 'att1', contentType: 'application/pdf', attachmentName: 'ke-hoach.pdf', content: pdf }]
      : [],
  };
}

/**
 * The demo's exchange: three agencies send the centre documents (two signed by a trusted key, one by a
 * key no anchor vouches for, which the dashboard shows flagged); the centre polls them, answers status
 * 01 and registers one (03); it sends one document, which its recipient answers with status 03.
 */
export async function seedDocumentsDemo(
  service: DocumentService,
  demo: DocumentsDemoAxis,
  logger: Logger,
): Promise<number> {
  const [stttt, ubnd, vpcp] = DEMO_AGENCIES as [AxisAccount, AxisAccount, AxisAccount];
  const untrusted = (() => {
    const pki = new TestPki();
    const h = createTestHierarchy(pki, { province: 'Không xác định' });
    return { key: h.signerRsa.keyPem, certificateChain: [h.signerRsa.pem, h.intermediate.pem] };
  })();
  const day = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '/');
  const sends: Array<[AxisAccount, EdxmlDocument, DocumentSigner]> = [
    [
      stttt,
      demoPackage(
        stttt,
        demo.agency,
        '215',
        'STTTT-CĐS',
        'V/v triển khai nền tảng điều hành thông minh',
        day,
        signedDemoPdf(demo.senderSigner, 'Ke hoach trien khai nen tang dieu hanh thong minh'),
      ),
      demo.senderSigner,
    ],
    [
      vpcp,
      demoPackage(
        vpcp,
        demo.agency,
        '88',
        'VPCP-KSTT',
        'V/v báo cáo chỉ số chuyển đổi số cấp tỉnh',
        day,
        undefined,
      ),
      demo.senderSigner,
    ],
    [
      ubnd,
      demoPackage(
        ubnd,
        demo.agency,
        '1402',
        'UBND-KTN',
        'V/v phòng chống ngập úng mùa mưa bão',
        day,
        undefined,
      ),
      untrusted,
    ],
  ];
  for (const [account, pkg, signer] of sends) {
    const signed = signEdxml(buildEdxml(pkg), {
      key: signer.key,
      certificateChain: [...signer.certificateChain],
    });
    await demo.axisFor(account).sendEdoc({ edxml: signed, from: account.organId, messageType: 'edoc' });
  }
  await service.poll();
  const received = await service.list({ direction: 'in', limit: 10 });
  const first = received.find((d) => d.from.organId === stttt.organId && d.state === 'received');
  if (first !== undefined)
    await service.recordStatus(first.id, { statusCode: '03', description: 'Đã vào sổ' }, 'demo');
  // One document out; its recipient registers it and answers 03.
  const existing = await service.list({ direction: 'out', limit: 1 });
  if (existing.length === 0) {
    const sent = await service.send(
      {
        to: [{ organId: stttt.organId, organName: stttt.name }],
        codeNumber: '12',
        codeNotation: 'TTĐH-GS',
        subject: 'V/v báo cáo tình hình vận hành Trung tâm điều hành thông minh tháng này',
        content: 'Trung tâm gửi báo cáo vận hành để Sở tổng hợp.',
      },
      'demo',
    );
    const recipient = demo.axisFor(stttt);
    for (
      let i = 0;
      i < 50 && demo.simulator.mailbox(stttt.organId).every((m) => m.messageType !== 'edoc');
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    const message = demo.simulator.mailbox(stttt.organId).find((m) => m.messageType === 'edoc');
    if (message !== undefined) {
      const pkg = await parseEdxml(message.xml);
      if (pkg.kind === 'edoc')
        await recipient.sendEdoc({
          edxml: createStatusPackage(pkg, {
            from: { organId: stttt.organId, organName: stttt.name },
            statusCode: '03',
          }),
        });
      await service.poll();
    }
    logger.info('demo: document sent', { documentId: sent.documentId });
  }
  return received.length;
}

import { parseSignedData } from './cms.js';
import { SignatureError, isSignatureError } from './errors.js';
import { message, type LocalizedMessage } from './messages.js';
import {
  analysePdfRevisions,
  changeAllowed,
  docMdpLevel,
  readDss,
  type DocMdpLevel,
  type PdfChange,
  type PdfChangeKind,
  type PdfRevisionAnalysis,
} from './pdf-changes.js';
import { ltvReport } from './ltv.js';
import { nameOf, type PdfValue } from './pdf-objects.js';
import { DEFAULT_POLICY } from './policy.js';
import type {
  Indication,
  PdfSignatureReport,
  ReportCheck,
  SignatureReport,
  SubIndication,
  ValidationReport,
} from './report.js';
import { verifySignedData, worstOf, type VerifyOptions } from './verify.js';

/** A signature dictionary found in a PDF file. */
export interface PdfSignatureField {
  /** Byte offset of `/ByteRange` in the file. */
  readonly offset: number;
  readonly byteRange: readonly [number, number, number, number];
  readonly subFilter?: string;
  /** The DER CMS from `/Contents` (zero padding removed), when the ByteRange is well-formed. */
  readonly contents?: Uint8Array;
  /** Why the ByteRange/Contents pair is unusable, when it is. */
  readonly problem?: string;
}

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s*\]/g;

function derTotalLength(b: Uint8Array): number | undefined {
  if (b[0] !== 0x30 || b.length < 2) return undefined;
  const l = b[1] as number;
  if (l < 0x80) return 2 + l;
  const n = l & 0x7f;
  if (n === 0 || n > 4 || b.length < 2 + n) return undefined;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + (b[2 + i] as number);
  return 2 + n + len;
}

/**
 * Finds the signature dictionaries of a PDF by their `/ByteRange` and checks that each range excludes
 * exactly its own `/Contents` hex string. Does not interpret the rest of the PDF syntax.
 */
export function findPdfSignatures(
  pdf: Uint8Array,
  options: { readonly maxBytes?: number } = {},
): PdfSignatureField[] {
  const max = options.maxBytes ?? 256 * 1024 * 1024;
  if (pdf.length > max) {
    throw new SignatureError(
      'SIG_INPUT_TOO_LARGE',
      `PDF of ${pdf.length} bytes exceeds the limit of ${max}`,
      {
        details: { size: pdf.length, limit: max },
      },
    );
  }
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  if (!text.slice(0, 1024).includes('%PDF-')) {
    throw new SignatureError('SIG_PDF_INVALID', 'not a PDF file: no %PDF- header in the first 1024 bytes', {
      details: { offset: 0 },
    });
  }
  const fields: PdfSignatureField[] = [];
  for (const m of text.matchAll(BYTE_RANGE)) {
    const offset = m.index;
    const br = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as const;
    const [a, b, c, d] = br;
    const objStart = Math.max(0, text.lastIndexOf(' obj', offset));
    const objEndRaw = text.indexOf('endobj', offset);
    const objEnd = objEndRaw < 0 ? text.length : objEndRaw;
    const sf = /\/SubFilter\s*\/([A-Za-z0-9.#_-]+)/.exec(text.slice(objStart, objEnd));
    const base = { offset, byteRange: br, ...(sf?.[1] === undefined ? {} : { subFilter: sf[1] }) };
    const problem =
      a !== 0
        ? 'the first range does not start at byte 0'
        : b <= 0 || c < b + 2
          ? 'the ranges overlap or leave no room for /Contents'
          : c + d > pdf.length
            ? `the second range ends at ${c + d}, past the end of the file (${pdf.length})`
            : undefined;
    if (problem !== undefined) {
      fields.push({ ...base, problem });
      continue;
    }
    const gap = text.slice(b, c);
    if (!/^<[0-9A-Fa-f\s]*>$/.test(gap)) {
      fields.push({ ...base, problem: `the excluded bytes ${b}..${c} are not exactly one hex string` });
      continue;
    }
    if (!/\/Contents\s*$/.test(text.slice(Math.max(0, b - 64), b))) {
      fields.push({ ...base, problem: `the excluded bytes ${b}..${c} are not the value of /Contents` });
      continue;
    }
    const hex = gap.slice(1, -1).replace(/\s+/g, '');
    const bytes = new Uint8Array(Buffer.from(hex.length % 2 === 0 ? hex : `${hex}0`, 'hex'));
    const len = derTotalLength(bytes);
    if (len === undefined || len > bytes.length || bytes.subarray(len).some((x) => x !== 0)) {
      fields.push({ ...base, problem: '/Contents does not hold one DER object followed by zero padding' });
      continue;
    }
    fields.push({ ...base, contents: bytes.subarray(0, len) });
  }
  return fields;
}

/** Length of the file without trailing whitespace (a newline after the last %%EOF is not a change). */
function effectiveLength(pdf: Uint8Array): number {
  let n = pdf.length;
  while (n > 0 && [0x0a, 0x0d, 0x20, 0x09, 0x00].includes(pdf[n - 1] as number)) n--;
  return n;
}

function formatFailure(id: string, detail: string, pdf?: PdfSignatureReport): SignatureReport {
  const msg = message('PDF_BYTE_RANGE_INVALID', { detail });
  return {
    id,
    indication: 'TOTAL_FAILED',
    subIndication: 'FORMAT_FAILURE',
    message: {
      vi: `${message('VERDICT_FAILED').vi} ${msg.vi}`,
      en: `${message('VERDICT_FAILED').en} ${msg.en}`,
    },
    signingTime: {},
    chain: [],
    revocation: [],
    timestamps: [],
    checks: [{ block: 'FC', id: 'BYTE_RANGE', status: 'FAILED', message: msg }],
    ...(pdf === undefined ? {} : { pdf }),
  };
}

interface Downgrade {
  readonly indication: Indication;
  readonly subIndication: SubIndication;
  readonly message: LocalizedMessage;
}

const RANK: Readonly<Record<Indication, number>> = { TOTAL_PASSED: 0, INDETERMINATE: 1, TOTAL_FAILED: 2 };

function withPdfChecks(
  s: SignatureReport,
  pdf: PdfSignatureReport,
  extra: readonly ReportCheck[],
  downgrade: Downgrade | undefined,
): SignatureReport {
  const checks = [
    { block: 'FC', id: 'BYTE_RANGE', status: 'PASSED', message: message('PDF_BYTE_RANGE_OK') } as const,
    ...extra,
    ...s.checks,
  ];
  if (downgrade === undefined || RANK[s.indication] >= RANK[downgrade.indication])
    return { ...s, checks, pdf };
  const v = message(downgrade.indication === 'TOTAL_FAILED' ? 'VERDICT_FAILED' : 'VERDICT_INDETERMINATE');
  return {
    ...s,
    indication: downgrade.indication,
    subIndication: downgrade.subIndication,
    message: { vi: `${v.vi} ${downgrade.message.vi}`, en: `${v.en} ${downgrade.message.en}` },
    checks,
    pdf,
  };
}

const KIND_TEXT: Readonly<Record<PdfChangeKind, LocalizedMessage>> = {
  signature: { vi: 'thêm chữ ký', en: 'signature added' },
  timestamp: { vi: 'thêm dấu thời gian tài liệu', en: 'document timestamp added' },
  'validation-data': { vi: 'thêm dữ liệu kiểm tra (DSS)', en: 'validation data (DSS) added' },
  'form-fill': { vi: 'điền biểu mẫu', en: 'form filled in' },
  annotation: { vi: 'thêm hoặc sửa chú thích', en: 'annotations added or changed' },
  appearance: { vi: 'đối tượng hiển thị', en: 'appearance objects' },
  metadata: { vi: 'sửa thông tin tài liệu', en: 'document information changed' },
  other: { vi: 'sửa nội dung', en: 'content changed' },
  unparsed: { vi: 'phần không đọc được', en: 'unreadable update' },
};

const MDP_MEANING: Readonly<Record<DocMdpLevel, LocalizedMessage>> = {
  1: { vi: 'không cho phép thay đổi', en: 'no changes permitted' },
  2: { vi: 'chỉ cho phép điền biểu mẫu và ký', en: 'form filling and signing permitted' },
  3: { vi: 'cho phép điền biểu mẫu, ký và chú thích', en: 'form filling, signing and annotations permitted' },
};

/** "signature added (revision 2); content changed (revision 3: objects 4 0, 7 0)" in one language. */
function describeChanges(changes: readonly PdfChange[], lang: 'vi' | 'en'): string {
  const groups = new Map<string, { kind: PdfChangeKind; revision: number; objects: string[] }>();
  for (const c of changes) {
    const key = `${c.kind}:${c.revision}`;
    const g = groups.get(key) ?? { kind: c.kind, revision: c.revision, objects: [] };
    if (c.object !== undefined) g.objects.push(c.object);
    groups.set(key, g);
  }
  const rev = lang === 'vi' ? 'phiên bản' : 'revision';
  const obj = lang === 'vi' ? 'đối tượng' : 'objects';
  return [...groups.values()]
    .map((g) => {
      const shown = g.kind === 'other' || g.kind === 'annotation' ? g.objects.slice(0, 3) : [];
      const more = g.objects.length > shown.length && shown.length > 0 ? ', …' : '';
      const objects = shown.length === 0 ? '' : `: ${obj} ${shown.join(', ')}${more}`;
      return `${KIND_TEXT[g.kind][lang]} (${rev} ${g.revision}${objects})`;
    })
    .join('; ');
}

const isDss = (v: PdfValue): boolean => v.t === 'dict' && nameOf(v.v.get('Type')) === 'DSS';

function analyse(input: Uint8Array): PdfRevisionAnalysis | undefined {
  try {
    return analysePdfRevisions(input);
  } catch (err) {
    if (err instanceof RangeError) return undefined;
    throw err;
  }
}

/**
 * Verifies every signature of a PDF: the ByteRange must exclude exactly its `/Contents`, the CMS is
 * verified over the two ranges (as {@link verifyCms} does), and bytes appended after a signed revision
 * are reported as "modified after signing" unless a later signature covers them.
 */
export async function verifyPdf(
  input: Uint8Array,
  options: Omit<VerifyOptions, 'detachedContent'> = {},
): Promise<ValidationReport> {
  const clock = options.clock ?? (() => new Date());
  const time = options.validationTime ?? clock();
  const policy = options.policy ?? DEFAULT_POLICY;
  const base = {
    reportVersion: 1 as const,
    format: 'PDF' as const,
    validationTime: time.toISOString(),
    policy: policy.name,
  };
  let fields: PdfSignatureField[];
  try {
    fields = findPdfSignatures(input, options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes });
  } catch (err) {
    if (!isSignatureError(err)) throw err;
    return {
      ...base,
      indication: 'TOTAL_FAILED',
      subIndication: 'FORMAT_FAILURE',
      message: message('FORMAT_FAILURE', { detail: err.message }),
      document: { detached: true, fileLength: input.length, signatureFields: 0 },
      signatures: [],
    };
  }
  const fileEnd = effectiveLength(input);
  const signedEnds = fields
    .filter((f) => f.problem === undefined)
    .map((f) => f.byteRange[2] + f.byteRange[3]);
  const lastSignedEnd = Math.max(0, ...signedEnds);
  const analysis = analyse(input);
  // Validation data embedded in the DSS serves every signature, after what the caller supplied.
  const dss = analysis === undefined ? undefined : readDss(analysis);
  const verifyOptions =
    dss === undefined
      ? options
      : {
          ...options,
          certificates: [...(options.certificates ?? []), ...dss.certificates],
          crls: [...(options.crls ?? []), ...dss.crls],
          ocspResponses: [...(options.ocspResponses ?? []), ...dss.ocspResponses],
        };
  // The certification signature (DocMDP) constrains every change after its revision.
  let certification: { revision: number; level: DocMdpLevel } | undefined;
  const fieldInfo = fields.map((f) => {
    const signedLength = f.byteRange[2] + f.byteRange[3];
    const revision = f.problem === undefined ? analysis?.revisionOf(signedLength) : undefined;
    const level = analysis === undefined ? undefined : docMdpLevel(analysis.objectAt(f.offset));
    if (level !== undefined && revision !== undefined && (certification?.revision ?? Infinity) > revision)
      certification = { revision, level };
    return { revision, level };
  });
  const signatures: SignatureReport[] = [];
  for (const [i, f] of fields.entries()) {
    const id = `S${i}`;
    const [a, b, c, d] = f.byteRange;
    const signedLength = c + d;
    const modified = f.problem === undefined && signedLength < fileEnd;
    const laterSigned = modified && lastSignedEnd >= fileEnd;
    const { revision, level: ownLevel } = fieldInfo[i] ?? {};
    const level =
      certification !== undefined && revision !== undefined && certification.revision <= revision
        ? certification.level
        : undefined;
    const changes: readonly PdfChange[] = !modified
      ? []
      : analysis === undefined || revision === undefined
        ? [{ revision: 0, kind: 'unparsed', detail: 'the revisions could not be read' }]
        : analysis.changesAfter(revision, signedLength);
    const pdf: PdfSignatureReport = {
      byteRange: f.byteRange,
      ...(f.subFilter === undefined ? {} : { subFilter: f.subFilter }),
      signedLength,
      ...(revision === undefined ? {} : { revision }),
      ...(ownLevel === undefined ? {} : { docMdpPermissions: ownLevel }),
      modifiedAfterSigning: modified,
      laterChangesSigned: laterSigned,
      ...(modified
        ? {
            changes: changes.map((x) => ({
              revision: x.revision,
              ...(x.object === undefined ? {} : { object: x.object }),
              kind: x.kind,
              allowed: changeAllowed(x.kind, level),
              detail: x.detail,
            })),
          }
        : {}),
    };
    if (f.problem !== undefined || f.contents === undefined) {
      signatures.push(formatFailure(id, f.problem ?? 'no /Contents', pdf));
      continue;
    }
    let reports: SignatureReport[];
    try {
      const sd = parseSignedData(f.contents);
      const content = Buffer.concat([input.subarray(a, a + b), input.subarray(c, c + d)]);
      reports = await verifySignedData(sd, content, verifyOptions, (j) => (j === 0 ? id : `${id}.${j}`));
    } catch (err) {
      if (!isSignatureError(err) || err.code === 'SIG_ABORTED') throw err;
      signatures.push(formatFailure(id, err.message, pdf));
      continue;
    }
    const extra: ReportCheck[] = [];
    if (ownLevel !== undefined) {
      const text = (lang: 'vi' | 'en') =>
        message('PDF_DOCMDP_CERTIFIED', { level: ownLevel, meaning: MDP_MEANING[ownLevel][lang] })[lang];
      extra.push({
        block: 'FC',
        id: 'DOC_MDP',
        status: 'INFORMATION',
        message: { vi: text('vi'), en: text('en') },
      });
    }
    let downgrade: Downgrade | undefined;
    if (modified) {
      const refused = changes.filter((x) => x.kind !== 'unparsed' && !changeAllowed(x.kind, level));
      const unreadable = changes.filter((x) => x.kind === 'unparsed');
      const policyLevel = policy.pdfChangesAfterSigning;
      const status = policyLevel === 'FAIL' ? 'FAILED' : policyLevel === 'WARN' ? 'WARNING' : 'INFORMATION';
      if (refused.length > 0 || unreadable.length > 0) {
        let msg: LocalizedMessage;
        if (refused.length > 0) {
          const mdp =
            level === undefined
              ? { vi: '', en: '' }
              : {
                  vi: `, chữ ký chứng nhận không cho phép (DocMDP mức ${level})`,
                  en: `, not permitted by the certification signature (DocMDP level ${level})`,
                };
          msg = {
            vi: message('PDF_CHANGES_NOT_ALLOWED', { changes: describeChanges(refused, 'vi'), mdp: mdp.vi })
              .vi,
            en: message('PDF_CHANGES_NOT_ALLOWED', { changes: describeChanges(refused, 'en'), mdp: mdp.en })
              .en,
          };
        } else msg = message('PDF_MODIFIED_AFTER_SIGNING', { bytes: fileEnd - signedLength });
        if (policyLevel === 'FAIL') {
          downgrade =
            refused.length > 0
              ? { indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE', message: msg }
              : { indication: 'INDETERMINATE', subIndication: 'SIG_CONSTRAINTS_FAILURE', message: msg };
        }
        if (policyLevel !== 'IGNORE')
          extra.push({ block: 'FC', id: 'CHANGES_AFTER_SIGNING', status, message: msg });
      } else if (policyLevel !== 'IGNORE') {
        const permitted = changes.filter((x) => x.kind !== 'appearance');
        extra.push(
          permitted.length === 0
            ? {
                block: 'FC',
                id: 'CHANGES_AFTER_SIGNING',
                status: 'INFORMATION',
                message: message('PDF_CHANGES_NOTHING', { bytes: fileEnd - signedLength }),
              }
            : {
                block: 'FC',
                id: 'CHANGES_AFTER_SIGNING',
                status: 'WARNING',
                message: {
                  vi: message('PDF_CHANGES_ALLOWED', { changes: describeChanges(permitted, 'vi') }).vi,
                  en: message('PDF_CHANGES_ALLOWED', { changes: describeChanges(permitted, 'en') }).en,
                },
              },
        );
      }
      if (laterSigned)
        extra.push({
          block: 'FC',
          id: 'LATER_REVISION_SIGNED',
          status: 'INFORMATION',
          message: message('PDF_LATER_REVISION_SIGNED'),
        });
    }
    const dssRevision = analysis?.revisions.find(
      (r) => r.index >= (revision ?? Infinity) && r.objects.some((o) => isDss(o.value)),
    )?.index;
    const docTimestamps = fieldInfo
      .filter((x, j) => fields[j]?.subFilter === 'ETSI.RFC3161' && (x.revision ?? 0) > (revision ?? Infinity))
      .map((x) => x.revision ?? 0);
    for (const r of reports) {
      const ltv = ltvReport(r, {
        revocationData: [
          ...(r.ltv?.revocationData ?? []),
          ...(dssRevision === undefined ? [] : ['pdf-dss' as const]),
        ],
        archiveTimestamp:
          r.ltv?.archiveTimestamp === true ||
          (dssRevision !== undefined && docTimestamps.some((t) => t > dssRevision)),
        documentTimestamp: docTimestamps.length > 0,
      });
      signatures.push(withPdfChecks({ ...r, ltv }, pdf, extra, downgrade));
    }
  }
  return {
    ...base,
    ...worstOf(signatures),
    document: {
      detached: true,
      fileLength: input.length,
      signatureFields: fields.length,
      ...(analysis === undefined ? {} : { revisions: analysis.revisions.length }),
    },
    signatures,
  };
}

import { SignatureError, isSignatureError } from './errors.js';
import { parsePem } from './load.js';
import type { FetchLike } from './net.js';
import { verifyPdf } from './pdf.js';
import type { ValidationReport } from './report.js';
import { TrustStore } from './trust-store.js';
import { verifyCms, type VerifyOptions } from './verify.js';
import { verifyEdxml, verifyXml } from './xml/verify-xml.js';

/** I/O of the `dttm-verify` command, injected so it can be tested and embedded. */
export interface CliIo {
  readonly readFile: (path: string) => Promise<Uint8Array>;
  readonly write: (text: string) => void;
  readonly fetch?: FetchLike;
  readonly clock?: () => Date;
}

export const CLI_USAGE = `Usage: dttm-verify <file.p7s|file.p7m|file.pdf|file.xml|file.edxml> [options]
  --content <file>   signed file, for a detached CMS signature
  --anchor <file>    add a trust anchor (PEM, DER or .p7b); repeatable
  --only-anchors     do not use the bundled Vietnamese roots
  --cert <file>      extra certificates (PEM, DER or .p7b); repeatable
  --crl <file>       CRL (DER or PEM) for offline revocation; repeatable
  --ocsp <file>      OCSP response (DER) for offline revocation; repeatable
  --online           fetch AIA certificates, CRLs and OCSP responses
  --at <ISO 8601>    validate at this time instead of now
  --trust <path>     XML: an element that must be signed, e.g. /edXML/edXMLEnvelope/edXMLHeader;
                     repeatable (default for edXML: the header and the body)
  --json             print the JSON report
Exit status: 0 TOTAL_PASSED, 1 TOTAL_FAILED, 2 INDETERMINATE, 64 usage error.`;

function usage(message: string): SignatureError {
  return new SignatureError('SIG_CLI_USAGE', message);
}

/** Human-readable bilingual rendering of a report. */
export function formatReport(report: ValidationReport, file: string): string {
  const lines = [
    `${file}: ${report.indication}${report.subIndication === undefined ? '' : ` / ${report.subIndication}`}`,
  ];
  if (report.signatures.length === 0) lines.push(`  ${report.message.vi}`, `  ${report.message.en}`);
  for (const s of report.signatures) {
    lines.push(`[${s.id}] ${s.indication}${s.subIndication === undefined ? '' : ` / ${s.subIndication}`}`);
    lines.push(`  ${s.message.vi}`, `  ${s.message.en}`);
    if (s.signer !== undefined) {
      lines.push(
        `  Người ký / Signer: ${s.signer.commonName ?? s.signer.subject}${s.signer.organization === undefined ? '' : ` (${s.signer.organization})`}`,
      );
      lines.push(`  Số hiệu / Serial: ${s.signer.serialNumber}; Nơi cấp / Issuer: ${s.signer.issuer}`);
    }
    if (s.signingTime.claimed !== undefined)
      lines.push(`  Thời điểm ký (tự khai) / Claimed signing time: ${s.signingTime.claimed}`);
    if (s.signingTime.proven !== undefined)
      lines.push(`  Thời điểm được chứng minh / Proven time: ${s.signingTime.proven}`);
  }
  return `${lines.join('\n')}\n`;
}

const EXIT: Readonly<Record<ValidationReport['indication'], number>> = {
  TOTAL_PASSED: 0,
  TOTAL_FAILED: 1,
  INDETERMINATE: 2,
};

/** Runs `dttm-verify` with `args` (without the program name); returns the exit status. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  try {
    let file: string | undefined;
    let content: string | undefined;
    let json = false;
    let online = false;
    let onlyAnchors = false;
    let at: Date | undefined;
    const anchors: string[] = [];
    const certs: string[] = [];
    const crls: string[] = [];
    const ocsps: string[] = [];
    const trusted: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as string;
      const value = (): string => {
        const v = args[++i];
        if (v === undefined) throw usage(`${a} needs a value`);
        return v;
      };
      if (a === '--content') content = value();
      else if (a === '--anchor') anchors.push(value());
      else if (a === '--cert') certs.push(value());
      else if (a === '--crl') crls.push(value());
      else if (a === '--ocsp') ocsps.push(value());
      else if (a === '--trust') trusted.push(value());
      else if (a === '--at') {
        const v = value();
        at = new Date(v);
        if (Number.isNaN(at.getTime())) throw usage(`--at: not an ISO 8601 time: ${v}`);
      } else if (a === '--json') json = true;
      else if (a === '--online') online = true;
      else if (a === '--only-anchors') onlyAnchors = true;
      else if (a === '--help' || a === '-h') {
        io.write(`${CLI_USAGE}\n`);
        return 0;
      } else if (a.startsWith('-')) throw usage(`unknown option ${a}`);
      else if (file === undefined) file = a;
      else throw usage(`unexpected argument ${a}`);
    }
    if (file === undefined) throw usage('no file given');
    const read = (p: string) => io.readFile(p);
    const input = await read(file);
    const trustStore = new TrustStore({
      includeVietnameseRoots: !onlyAnchors,
      anchors: await Promise.all(anchors.map(read)),
    });
    if (online && io.fetch === undefined) throw usage('--online needs a fetch implementation');
    const options: VerifyOptions = {
      trustStore,
      certificates: await Promise.all(certs.map(read)),
      crls: await Promise.all(crls.map(read)),
      ocspResponses: await Promise.all(ocsps.map(read)),
      ...(online && io.fetch !== undefined ? { fetch: io.fetch } : {}),
      ...(at === undefined ? {} : { validationTime: at }),
      ...(io.clock === undefined ? {} : { clock: io.clock }),
    };
    const head = Buffer.from(input.subarray(0, 1024)).toString('latin1');
    let report: ValidationReport;
    const xmlHead = /^(\xEF\xBB\xBF)?\s*</.test(head) && !head.includes('-----BEGIN');
    if (head.includes('%PDF-')) report = await verifyPdf(input, options);
    else if (xmlHead || head.includes('<?xml')) {
      const xmlOptions = { ...options, ...(trusted.length === 0 ? {} : { trustedElements: trusted }) };
      report = /<(\w+:)?edXML(Envelope)?[\s>]/.test(Buffer.from(input.subarray(0, 4096)).toString('utf8'))
        ? await verifyEdxml(input, xmlOptions)
        : await verifyXml(input, xmlOptions);
    } else {
      const pem = head.includes('-----BEGIN')
        ? parsePem(Buffer.from(input).toString('latin1'))[0]?.der
        : undefined;
      report = await verifyCms(pem ?? input, {
        ...options,
        ...(content === undefined ? {} : { detachedContent: await read(content) }),
      });
    }
    io.write(json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report, file));
    return EXIT[report.indication];
  } catch (err) {
    if (isSignatureError(err) && err.code === 'SIG_CLI_USAGE') {
      io.write(`dttm-verify: ${err.message}\n${CLI_USAGE}\n`);
      return 64;
    }
    const msg = err instanceof Error ? err.message : String(err);
    io.write(`dttm-verify: ${msg}\n`);
    return 64;
  }
}

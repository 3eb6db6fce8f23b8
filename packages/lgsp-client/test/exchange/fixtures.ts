import {
  DocumentAxis,
  LgspClient,
  edxmlDocumentId,
  systemIdSecretKey,
  type Clock,
  type EdxmlDocument,
  type LgspClientOptions,
} from '../../src/index.js';
import { DEFAULT_AXIS_ACCOUNTS, type LgspSimulator } from '../../src/testing/index.js';

export const [STTTT, VPCP] = DEFAULT_AXIS_ACCOUNTS as [
  (typeof DEFAULT_AXIS_ACCOUNTS)[number],
  (typeof DEFAULT_AXIS_ACCOUNTS)[number],
];

/** A small valid document number `n` from `from` to `to`. */
export function sampleDocument(n: number, from = STTTT.organId, to = [VPCP.organId]): EdxmlDocument {
  return {
    kind: 'edoc',
    messageHeader: {
      from: { organId: from, organName: 'Sở Thông tin và Truyền thông' },
      to: to.map((organId) => ({ organId })),
      documentId: edxmlDocumentId(from, '2026/11/27', String(n), 'STTTT-CNTT'),
      code: { codeNumber: String(n), codeNotation: 'STTTT-CNTT' },
      promulgationInfo: { place: 'Hà Giang', promulgationDate: '2026/11/27' },
      documentType: { type: '1', typeName: 'Công văn' },
      subject: `Văn bản số ${n}`,
    },
    traceHeaderList: {
      traceHeaders: [{ organId: from, timestamp: '2026/11/27 09:30:15' }],
      bussiness: { bussinessDocType: 0 },
    },
    attachments: [
      {
        contentId: `att-${n}`,
        contentType: 'text/plain',
        attachmentName: `van-ban-${n}.txt`,
        content: new TextEncoder().encode(`Nội dung văn bản ${n}`),
      },
    ],
  };
}

/** A clock whose sleeps advance time at once. */
export class FakeClock implements Clock {
  t = Date.now();
  readonly sleeps: number[] = [];
  now(): number {
    return this.t;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    this.sleeps.push(ms);
    this.t += ms;
    return Promise.resolve();
  }
}

/** A document-axis client for one simulator account. */
export function axisFor(
  sim: LgspSimulator,
  account: { systemId: string; secretKey: string },
  overrides: Partial<LgspClientOptions> = {},
): { axis: DocumentAxis; client: LgspClient } {
  const client = new LgspClient({
    baseUrl: sim.url,
    auth: systemIdSecretKey({ systemId: account.systemId, secretKey: account.secretKey }),
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    circuitBreaker: false,
    timeoutMs: 5000,
    ...overrides,
  });
  return { axis: new DocumentAxis({ client }), client };
}

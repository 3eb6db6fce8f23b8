import { Buffer } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { parseEdxml } from '../edxml/parse.js';
import type { EdxmlPackage } from '../edxml/model.js';
import type { components } from '../generated/lgsp.js';

type Schemas = components['schemas'];

/** A document-axis account: the credentials an agency's system presents, and the agency it is. */
export interface AxisAccount {
  readonly systemId: string;
  readonly secretKey: string;
  /** The agency's code (mã định danh); its mailbox. */
  readonly organId: string;
  readonly name: string;
}

/** Options of the simulated document axis. */
export interface AxisSimulatorOptions {
  /** Default {@link DEFAULT_AXIS_ACCOUNTS}. */
  readonly accounts?: readonly AxisAccount[];
}

/** Two sample agencies (codes of the form AAA.BB.CC.Lnn; the names are illustrative). */
export const DEFAULT_AXIS_ACCOUNTS: readonly AxisAccount[] = [
  {
    systemId: 'sim-stttt',
    secretKey: 'sim-stttt-secret',
    organId: '000.00.08.H22',
    name: 'Sở Thông tin và Truyền thông tỉnh Hà Giang',
  },
  {
    systemId: 'sim-vpcp',
    secretKey: 'sim-vpcp-secret',
    organId: '000.00.00.G22',
    name: 'Văn phòng Chính phủ',
  },
];

/** A message delivered to an agency's mailbox. */
export interface MailboxMessage {
  readonly docId: string;
  readonly from: string;
  readonly messageType: 'edoc' | 'status';
  readonly xml: Uint8Array;
  /** Milliseconds since the epoch. */
  readonly receivedAt: number;
  /** `new` until the recipient reports `done`, `fail` or `processing`. */
  status: 'new' | 'done' | 'fail' | 'processing';
  /** Every `updateStatus` received, in order. */
  readonly statusHistory: { status: string; description?: string }[];
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

const DAY = /^\d{4}\/\d{2}\/\d{2}$/;

function vnDay(ms: number): string {
  const d = new Date(ms + 7 * 3600 * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}`;
}

function recipients(pkg: EdxmlPackage): string[] {
  return pkg.kind === 'edoc' ? pkg.messageHeader.to.map((t) => t.organId) : [pkg.status.responseFor.organId];
}

/** The `/v1/...` document-axis endpoints of the simulator, with a mailbox per agency. */
export function createDocumentAxisSimulator(options: AxisSimulatorOptions = {}) {
  const accounts = options.accounts ?? DEFAULT_AXIS_ACCOUNTS;
  const mailboxes = new Map<string, MailboxMessage[]>();
  for (const a of accounts) mailboxes.set(a.organId, []);
  let counter = 0;

  const account = (req: IncomingMessage): AxisAccount | undefined =>
    accounts.find(
      (a) => a.systemId === req.headers['x-systemid'] && a.secretKey === req.headers['x-secretkey'],
    );

  const sendEdoc = async (
    req: IncomingMessage,
    caller: AxisAccount,
    body: Buffer,
    twice: boolean,
  ): Promise<Answer> => {
    const type = req.headers['content-type'] ?? '';
    if (!type.startsWith('multipart/form-data')) {
      return { status: 415, body: { status: 'Yêu cầu phải là multipart/form-data' } };
    }
    let form: FormData;
    try {
      form = await new Response(body, { headers: { 'content-type': type } }).formData();
    } catch {
      return { status: 400, body: { status: 'Không đọc được dữ liệu multipart' } };
    }
    const headerText = form.get('header');
    const file = form.get('file');
    if (typeof headerText !== 'string' || file === null || typeof file === 'string') {
      return { status: 400, body: { status: 'Thiếu trường header hoặc file' } };
    }
    let header: { from?: unknown; servicetype?: unknown; messagetype?: unknown };
    try {
      header = JSON.parse(headerText) as typeof header;
    } catch {
      return { status: 400, body: { status: 'header không phải JSON' } };
    }
    if (header.servicetype !== 'eDoc' || (header.messagetype !== 'edoc' && header.messagetype !== 'status')) {
      return { status: 400, body: { status: 'servicetype hoặc messagetype không hợp lệ' } };
    }
    if (header.from !== caller.organId) {
      return {
        status: 403,
        body: { status: `from (${String(header.from)}) không phải đơn vị của tài khoản` },
      };
    }
    const xml = new Uint8Array(await file.arrayBuffer());
    let pkg: EdxmlPackage;
    try {
      pkg = await parseEdxml(xml);
    } catch (error) {
      return { status: 400, body: { status: `edXML không hợp lệ: ${(error as Error).message}` } };
    }
    if (pkg.kind !== header.messagetype) {
      return { status: 400, body: { status: 'messagetype không khớp với gói tin' } };
    }
    const to = recipients(pkg);
    const unknown = to.find((o) => !mailboxes.has(o));
    if (unknown !== undefined)
      return { status: 200, body: { status: `Không tìm thấy đơn vị nhận ${unknown}` } };
    const deliver = () => {
      const docId = `sim-${++counter}`;
      for (const organId of to) {
        (mailboxes.get(organId) as MailboxMessage[]).push({
          docId,
          from: caller.organId,
          messageType: pkg.kind,
          xml,
          receivedAt: Date.now(),
          status: 'new',
          statusHistory: [],
        });
      }
      return docId;
    };
    const docId = deliver();
    if (twice) deliver();
    const result: Schemas['SendEdocResult'] = { status: 'OK', docId };
    return { status: 200, body: result };
  };

  const list = (caller: AxisAccount, url: URL, twice: boolean): Answer => {
    const messageType = url.searchParams.get('messageType');
    const fromDate = url.searchParams.get('fromDate') ?? '';
    const toDate = url.searchParams.get('toDate') ?? '';
    if ((messageType !== 'edoc' && messageType !== 'status') || !DAY.test(fromDate) || !DAY.test(toDate)) {
      return { status: 400, body: { status: 'messageType, fromDate hoặc toDate không hợp lệ' } };
    }
    const data = (mailboxes.get(caller.organId) ?? [])
      .filter((m) => m.messageType === messageType && (m.status === 'new' || m.status === 'processing'))
      .filter((m) => vnDay(m.receivedAt) >= fromDate && vnDay(m.receivedAt) <= toDate)
      .map((m): Schemas['ReceivedEdoc'] => ({
        docId: m.docId,
        from: m.from,
        messageType: m.messageType,
        created: vnDay(m.receivedAt),
      }));
    const result: Schemas['ReceivedEdocList'] = {
      status: 'OK',
      data: twice ? data.flatMap((d) => [d, d]) : data,
    };
    return { status: 200, body: result };
  };

  const find = (caller: AxisAccount, docId: string | null | undefined) =>
    (mailboxes.get(caller.organId) ?? []).find((m) => m.docId === docId);

  return {
    accounts,
    account,
    mailbox(organId: string): readonly MailboxMessage[] {
      return mailboxes.get(organId) ?? [];
    },
    async handle(req: IncomingMessage, url: URL, body: Buffer, twice: boolean): Promise<Answer> {
      const caller = account(req);
      if (caller === undefined) return { status: 401, body: { status: 'Tài khoản trục không hợp lệ' } };
      const route = `${req.method ?? 'GET'} ${url.pathname}`;
      if (route === 'POST /v1/sendEdoc') return sendEdoc(req, caller, body, twice);
      if (route === 'GET /v1/syncReceivedEdocList') return list(caller, url, twice);
      if (route === 'GET /v1/getEdoc') {
        const m = find(caller, url.searchParams.get('docId'));
        if (m === undefined) return { status: 404, body: { status: 'Không tìm thấy văn bản' } };
        const result: Schemas['GetEdocResult'] = {
          status: 'OK',
          data: Buffer.from(m.xml).toString('base64'),
        };
        return { status: 200, body: result };
      }
      if (route === 'POST /v1/updateStatus') {
        let input: { docId?: unknown; status?: unknown; description?: unknown };
        try {
          input = JSON.parse(body.toString('utf8')) as typeof input;
        } catch {
          return { status: 400, body: { status: 'Dữ liệu không phải JSON' } };
        }
        if (input.status !== 'done' && input.status !== 'fail' && input.status !== 'processing') {
          return { status: 400, body: { status: 'status phải là done, fail hoặc processing' } };
        }
        const m = find(caller, typeof input.docId === 'string' ? input.docId : undefined);
        if (m === undefined) return { status: 404, body: { status: 'Không tìm thấy văn bản' } };
        m.status = input.status;
        m.statusHistory.push({
          status: input.status,
          ...(typeof input.description === 'string' ? { description: input.description } : {}),
        });
        const result: Schemas['AxisResult'] = { status: 'OK' };
        return { status: 200, body: result };
      }
      if (route === 'GET /v1/getAgenciesList') {
        const result: Schemas['AgencyList'] = {
          status: 'OK',
          data: accounts.map((a) => ({ code: a.organId, name: a.name })),
        };
        return { status: 200, body: result };
      }
      return { status: 404, body: { status: 'Không có thao tác này' } };
    },
  };
}

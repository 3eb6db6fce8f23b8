/**
 * @dttm/lgsp-client against named peers, in one process:
 * - edXML parse: `parseEdxml` (guarded, namespace-aware, validated, typed model, base64 decoded)
 *   vs `xml2js.parseStringPromise` of the same bytes (a plain object tree, nothing checked or decoded).
 * - edXML build: `buildEdxml` (validated) vs `xml2js.Builder#buildObject` of the equivalent object tree.
 * - calls: the full client (OAuth2 token cache, two middleware, retries and circuit breaker enabled)
 *   vs raw `fetch` with the same bearer token, against the same loopback protocol simulator,
 *   16 requests in flight per operation.
 * - durable store: `FileStore#set` (JSON lines, one `fdatasync` shared by the writes that arrive
 *   together), 16 concurrent writes per operation, vs the usual durable log: `FileHandle#appendFile`
 *   then `fdatasync` for each record, one after the other.
 * - outbox: `DocumentOutbox` (file store) enqueue + send of one document vs a direct
 *   `DocumentAxis#sendEdoc` of it, against the simulator's document axis: the cost of durability.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Builder, parseStringPromise } from 'xml2js';
import {
  DocumentAxis,
  DocumentOutbox,
  FileStore,
  LgspClient,
  buildEdxml,
  edxmlDocumentId,
  systemIdSecretKey,
  oauth2ClientCredentials,
  parseEdxml,
  type EdxmlDocument,
} from '../packages/lgsp-client/src/index.js';
import { startLgspSimulator, type LgspSimulator } from '../packages/lgsp-client/src/testing/index.js';
import { defineBench } from './harness.js';

const IN_FLIGHT = 16;
const golden = JSON.parse(
  readFileSync(new URL('../specs/conformance/lgsp-client/edxml/edoc-new.json', import.meta.url), 'utf8'),
) as EdxmlDocument<{ contentId: string; attachmentName: string; contentBase64: string }>;
// A typical package: the golden header and a 64 KiB attachment.
const attachment = new Uint8Array(64 * 1024).map((_, i) => (i * 31) % 251);
const doc: EdxmlDocument = {
  ...golden,
  attachments: [
    { contentId: 'main', contentType: 'application/pdf', attachmentName: 'van-ban.pdf', content: attachment },
  ],
};
const xml = buildEdxml(doc);
const bytes = new TextEncoder().encode(xml);
let xml2jsTree: unknown;
const builder = new Builder();

let dir = '';
let store: FileStore | undefined;
let peerLog: FileHandle | undefined;
let writes = 0;
let axis: DocumentAxis | undefined;
let axisClient: LgspClient | undefined;
let outbox: DocumentOutbox | undefined;
let sent = 0;
const record = { state: 'pending', attempts: 1, nextAttemptAt: 1764560000000, to: ['000.00.00.G22'] };
/** A small document numbered `n` (a new DocumentId each time, so the outbox keeps every one). */
function numbered(n: number): EdxmlDocument {
  return {
    ...doc,
    messageHeader: {
      ...doc.messageHeader,
      to: [{ organId: '000.00.00.G22' }],
      documentId: edxmlDocumentId('000.00.08.H22', '2026/11/27', String(n), 'BENCH'),
      code: { codeNumber: String(n), codeNotation: 'BENCH' },
    },
    attachments: [],
  };
}

let sim: LgspSimulator | undefined;
let client: LgspClient | undefined;
let token = '';
let echoUrl = '';

export default defineBench({
  name: 'lgsp-client',
  async setup() {
    xml2jsTree = await parseStringPromise(xml);
    sim = await startLgspSimulator();
    client = new LgspClient({
      baseUrl: sim.url,
      auth: oauth2ClientCredentials({
        tokenUrl: sim.tokenUrl,
        consumerKey: 'sim-key',
        consumerSecret: 'sim-secret',
      }),
      middleware: [
        {
          name: 'tag',
          onRequest: (ctx) => void ctx.request.headers.set('x-road-client', 'VN/GOV/000.00.08.H22/QLVB'),
        },
        { name: 'count', onResponse: () => undefined },
      ],
    });
    const first = await client.call({ context: 'echo', version: '1.0' });
    const seen = sim.requests.find((r) => r.requestId === first.requestId);
    token = String(seen?.headers.authorization ?? '');
    echoUrl = `${sim.url}/echo/1.0`;
    dir = mkdtempSync(join(tmpdir(), 'lgsp-bench-'));
    store = await FileStore.open(join(dir, 'store.jsonl'));
    peerLog = await open(join(dir, 'peer.jsonl'), 'a');
    axisClient = new LgspClient({
      baseUrl: sim.url,
      auth: systemIdSecretKey({ systemId: 'sim-stttt', secretKey: 'sim-stttt-secret' }),
    });
    axis = new DocumentAxis({ client: axisClient });
    outbox = await DocumentOutbox.open({
      axis,
      store: await FileStore.open(join(dir, 'outbox.jsonl')),
      autoStart: false,
    });
  },
  async teardown() {
    client?.close();
    await outbox?.close();
    axisClient?.close();
    await store?.close();
    await peerLog?.close();
    await sim?.close();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  },
  comparisons: [
    {
      name: 'edxml-parse',
      peer: 'xml2js',
      unit: 'doc',
      ours: () => parseEdxml(bytes),
      theirs: () => parseStringPromise(xml),
    },
    {
      name: 'edxml-build',
      peer: 'xml2js-builder',
      unit: 'doc',
      ours: () => buildEdxml(doc),
      theirs: () => builder.buildObject(xml2jsTree),
    },
    {
      name: 'client-calls',
      peer: 'raw-fetch',
      unit: 'req',
      itemsPerOp: IN_FLIGHT,
      ours: () =>
        Promise.all(
          Array.from({ length: IN_FLIGHT }, () =>
            (client as LgspClient).call({ context: 'echo', version: '1.0' }),
          ),
        ),
      theirs: () =>
        Promise.all(
          Array.from({ length: IN_FLIGHT }, async () => {
            const res = await fetch(echoUrl, {
              headers: {
                authorization: token,
                accept: 'application/json',
                'x-request-id': crypto.randomUUID(),
              },
            });
            if (!res.ok) throw new Error(`status ${res.status}`);
            return res.json();
          }),
        ),
    },
    {
      name: 'file-store-writes',
      peer: 'append-fdatasync-per-record',
      unit: 'write',
      itemsPerOp: IN_FLIGHT,
      ours: () =>
        Promise.all(
          Array.from({ length: IN_FLIGHT }, (_, i) =>
            (store as FileStore).set(`outbox:entry:${i}`, { ...record, attempts: ++writes }),
          ),
        ),
      theirs: async () => {
        const log = peerLog as FileHandle;
        for (let i = 0; i < IN_FLIGHT; i++) {
          await log.appendFile(
            `${JSON.stringify({ k: `outbox:entry:${i}`, v: { ...record, attempts: ++writes } })}\n`,
          );
          await log.datasync();
        }
      },
    },
    {
      name: 'outbox-send',
      peer: 'direct-sendEdoc',
      unit: 'doc',
      ours: async () => {
        await (outbox as DocumentOutbox).enqueue(numbered(++sent));
        await (outbox as DocumentOutbox).flush();
      },
      theirs: () => (axis as DocumentAxis).sendEdoc({ edxml: numbered(++sent) }),
    },
  ],
});

/**
 * @dttm/lgsp-client against named peers, in one process:
 * - edXML parse: `parseEdxml` (guarded, namespace-aware, validated, typed model, base64 decoded)
 *   vs `xml2js.parseStringPromise` of the same bytes (a plain object tree, nothing checked or decoded).
 * - edXML build: `buildEdxml` (validated) vs `xml2js.Builder#buildObject` of the equivalent object tree.
 * - calls: the full client (OAuth2 token cache, two middleware, retries and circuit breaker enabled)
 *   vs raw `fetch` with the same bearer token, against the same loopback protocol simulator,
 *   16 requests in flight per operation.
 */
import { readFileSync } from 'node:fs';
import { Builder, parseStringPromise } from 'xml2js';
import {
  LgspClient,
  buildEdxml,
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
  },
  async teardown() {
    client?.close();
    await sim?.close();
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
  ],
});

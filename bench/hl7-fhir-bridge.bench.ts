/**
 * @dttm/hl7-fhir-bridge against named peers, in one process, on the same corpus of 200 ER7 messages
 * (ADT and ORU, Vietnamese text, repeating PID-3, Z-segments). One operation parses every message and
 * reads MSH-9.1, the first PID-3 identifier and PID-5.1 from each, so each library does the work an
 * integration needs, whether it splits eagerly or on access.
 * - `@medplum/core` `Hl7Message.parse` (v4, the last line that runs on Node 20)
 * - `hl7-standard` (`new HL7(text).transform()`)
 * - `simple-hl7` (`new Parser().parse(text)`)
 * - MLLP round trip: `MllpClient.send` → `MllpServer` (parse, store, ACK) → ACK parsed, one message at a
 *   time on loopback, vs a bare `node:net` echo server returning the same frame bytes (the physical floor).
 * - End-to-end v2 → FHIR: `hl7ToFhir` (parse, map, transaction bundle) over the 28 conformance messages
 *   of specs/conformance/hl7v2/fhir, vs parsing the same messages alone (`parseHl7`, the floor: no
 *   JavaScript peer maps v2 to FHIR), so the ratio is the share of parse-only throughput that survives.
 * - MLLP → FHIR end to end: 20 ADT messages (20 patients) pipelined over MLLP into `Hl7FhirBridge`
 *   (inbox, `hl7ToFhir`, outbox, ACK) and delivered to `FhirTestServer` as transactions (`outbox.drain()`),
 *   vs the two bare hops the bridge cannot avoid: the same messages ACKed by an MLLP server with a no-op
 *   store, then their pre-mapped Bundles POSTed to the same FHIR server with `fetch`, all in parallel.
 * Peers are dev dependencies of packages/hl7-fhir-bridge, loaded from there.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readdirSync } from 'node:fs';
import {
  Hl7FhirBridge,
  MllpClient,
  MllpServer,
  encodeFrame,
  hl7ToFhir,
  parseHl7,
  type MessageStore,
} from '../packages/hl7-fhir-bridge/src/index.js';
import { FhirTestServer } from '../packages/hl7-fhir-bridge/src/testing/index.js';
import { defineBench } from './harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const requirePeer = createRequire(path.join(here, '../packages/hl7-fhir-bridge/package.json'));

interface MedplumSegment {
  getComponent(field: number, component: number): string;
}
interface MedplumModule {
  Hl7Message: { parse(text: string): { getSegment(name: string): MedplumSegment | undefined } };
}
type Hl7StandardCtor = new (text: string) => { transform(): void; get(path: string): unknown };
interface SimpleHl7Module {
  Parser: new () => {
    parse(text: string): {
      header: { getComponent(field: number, component: number): string };
      getSegment(name: string): { getComponent(field: number, component: number): string };
    };
  };
}

const { Hl7Message } = requirePeer('@medplum/core') as MedplumModule;
const HL7Standard = requirePeer('hl7-standard') as Hl7StandardCtor;
const simpleHl7 = requirePeer('simple-hl7') as SimpleHl7Module;

const conformance = path.join(here, '../specs/conformance/hl7v2/er7');
const seeds = [
  readFileSync(path.join(conformance, 'adt-a01-vnpt.hl7'), 'utf8'),
  readFileSync(path.join(conformance, 'oru-r01-lf.hl7'), 'utf8').replace(/\n/g, '\r'),
];
const corpus: string[] = [];
for (let i = 0; i < 200; i++) {
  corpus.push(
    (seeds[i % seeds.length] as string)
      .replace(/MSG0001|L77/, `MSG${i}`)
      .replace('BN000123', `BN${100000 + i}`),
  );
}

const fhirDir = path.join(here, '../specs/conformance/hl7v2/fhir');
const fhirCorpus = readdirSync(fhirDir)
  .filter((f) => f.endsWith('.hl7'))
  .sort()
  .map((f) => readFileSync(path.join(fhirDir, f), 'utf8'));

let sink = 0;
const consume = (...values: unknown[]) => {
  for (const v of values) sink += typeof v === 'string' ? v.length : v === undefined ? 0 : 1;
};

const ours = () => {
  for (const text of corpus) {
    const m = parseHl7(text);
    consume(m.get('MSH-9.1'), m.get('PID-3.1'), m.get('PID-5.1'));
  }
};

const frame = encodeFrame(Buffer.from(corpus[0] as string, 'utf8'));
const nullStore: MessageStore = { append: () => Promise.resolve('stored') };
let server: MllpServer | undefined;
let client: MllpClient | undefined;
let echo: net.Server | undefined;
let echoSocket: net.Socket | undefined;
let echoWaiter: (() => void) | undefined;
let echoReceived = 0;

let fhir: FhirTestServer | undefined;
let bridge: Hl7FhirBridge | undefined;
let bridgeClient: MllpClient | undefined;
let e2eRun = 0;
const e2eBatch = 20;
const admit = (run: number, i: number) =>
  `MSH|^~\\&|HIS|BVBG|HUB|SYT|20240305143012+0700||ADT^A01|R${run}-${i}|P|2.5.1\r` +
  `PID|1||BN${i}^^^BVBG^MR~0240870012${String(i).padStart(2, '0')}^^^BCA^NI||Nguyễn^Văn An||19870412|M|||` +
  `Số 12 Lê Lợi^Phường Trần Phú^TP Bắc Giang^Bắc Giang^^VN\r` +
  `PV1|1|I|NOI^101^A||||||||||||||||VV${i}\r`;
const preMapped = Array.from({ length: e2eBatch }, (_, i) => JSON.stringify(hl7ToFhir(admit(0, i)).bundle));

async function setup(): Promise<void> {
  fhir = await FhirTestServer.listen();
  bridge = await Hl7FhirBridge.start({ fhir: { baseUrl: fhir.baseUrl } });
  bridgeClient = await MllpClient.connect({ host: '127.0.0.1', port: bridge.port });
  server = await MllpServer.listen({ store: nullStore });
  client = await MllpClient.connect({ host: '127.0.0.1', port: server.port });
  echo = net.createServer((s) => s.on('data', (c) => s.write(c)));
  await new Promise<void>((r) => echo?.listen(0, '127.0.0.1', () => r()));
  const port = (echo.address() as net.AddressInfo).port;
  echoSocket = await new Promise<net.Socket>((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' }, () => resolve(s));
  });
  echoSocket.setNoDelay(true);
  echoSocket.on('data', (c: Buffer) => {
    echoReceived += c.length;
    if (echoReceived >= frame.length) {
      echoReceived -= frame.length;
      echoWaiter?.();
    }
  });
}

async function teardown(): Promise<void> {
  if (sink < 0) console.log(sink);
  await client?.close();
  await server?.close();
  await bridgeClient?.close();
  await bridge?.close();
  await fhir?.close();
  echoSocket?.destroy();
  await new Promise<void>((r) => (echo === undefined ? r() : echo.close(() => r())));
}

export default defineBench({
  name: 'hl7-fhir-bridge',
  setup,
  teardown,
  comparisons: [
    {
      name: 'hl7-parse-read',
      peer: '@medplum/core',
      itemsPerOp: corpus.length,
      unit: 'msg',
      ours,
      theirs: () => {
        for (const text of corpus) {
          const m = Hl7Message.parse(text);
          consume(
            m.getSegment('MSH')?.getComponent(9, 1),
            m.getSegment('PID')?.getComponent(3, 1),
            m.getSegment('PID')?.getComponent(5, 1),
          );
        }
      },
    },
    {
      name: 'hl7-parse-read',
      peer: 'hl7-standard',
      itemsPerOp: corpus.length,
      unit: 'msg',
      ours,
      theirs: () => {
        for (const text of corpus) {
          const m = new HL7Standard(text);
          m.transform();
          consume(m.get('MSH.9.1'), m.get('PID.3.1'), m.get('PID.5.1'));
        }
      },
    },
    {
      name: 'hl7-parse-read',
      peer: 'simple-hl7',
      itemsPerOp: corpus.length,
      unit: 'msg',
      ours,
      theirs: () => {
        const parser = new simpleHl7.Parser();
        for (const text of corpus) {
          const m = parser.parse(text);
          const pid = m.getSegment('PID');
          consume(m.header.getComponent(7, 1), pid.getComponent(3, 1), pid.getComponent(5, 1));
        }
      },
    },
    {
      name: 'hl7-to-fhir',
      peer: 'parseHl7-only',
      itemsPerOp: fhirCorpus.length,
      unit: 'msg',
      ours: () => {
        for (const text of fhirCorpus) consume(hl7ToFhir(text).bundle.entry.length);
      },
      theirs: () => {
        for (const text of fhirCorpus) {
          const m = parseHl7(text);
          consume(m.get('MSH-9.1'), m.get('PID-3.1'), m.get('PID-5.1'));
        }
      },
    },
    {
      name: 'mllp-to-fhir',
      peer: 'mllp-null-store+fetch-post',
      itemsPerOp: e2eBatch,
      unit: 'msg',
      ours: async () => {
        const run = ++e2eRun;
        const c = bridgeClient as MllpClient;
        const acks = await Promise.all(Array.from({ length: e2eBatch }, (_, i) => c.send(admit(run, i))));
        consume(acks[0]?.get('MSA-1'));
        await (bridge as Hl7FhirBridge).outbox.drain();
      },
      theirs: async () => {
        const run = ++e2eRun;
        const c = client as MllpClient;
        const acks = await Promise.all(Array.from({ length: e2eBatch }, (_, i) => c.send(admit(run, i))));
        consume(acks[0]?.get('MSA-1'));
        const url = (fhir as FhirTestServer).baseUrl;
        const answers = await Promise.all(
          preMapped.map((body) =>
            fetch(url, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body }).then(
              (r) => r.text(),
            ),
          ),
        );
        consume(answers[0]);
      },
    },
    {
      name: 'mllp-round-trip',
      peer: 'node:net-echo',
      unit: 'msg',
      ours: async () => {
        const ack = await (client as MllpClient).send(corpus[0] as string);
        consume(ack.get('MSA-1'));
      },
      theirs: () =>
        new Promise<void>((resolve) => {
          echoWaiter = resolve;
          echoSocket?.write(frame);
        }),
    },
  ],
});

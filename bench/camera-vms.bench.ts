/**
 * @dttm/camera-vms against named peers, in one process, without a network device:
 * - PullMessages → normalized events, ours: `decodeNotifications` over the response bytes (untrusted-XML
 *   guard with size and depth limits, namespace-aware parse, topic prefixes resolved to namespaces) +
 *   `mapOnvifNotification` for each notification (taxonomy, plates, boxes, ids, raw payload kept). The
 *   payload is a PullMessagesResponse with the 24 notifications of the golden vectors in
 *   specs/conformance/camera-vms/onvif.
 *   - vs `onvif-npm` (the npm `onvif` package, agsh/onvif, its own code on the same bytes): what
 *     `Cam#_request` does when the HTTP response ends (bytes → UTF-8 string), then `utils.parseSOAPString`
 *     (strips every `xmlns` declaration with a regular expression, xml2js parse with prefixes dropped from
 *     tag names, Envelope/Body/Fault checks), then what `Cam#pullMessages` and `Cam#_eventPull` do
 *     (`utils.linerase(body).pullMessagesResponse`, `notificationMessage` made an array: the objects it
 *     emits as `event`). Its event objects are loosely typed trees with prefixes dropped, so topics stay
 *     unresolved and nothing is mapped to a taxonomy; no size or depth limit is applied. The package's
 *     HTTP request, digest auth and event loop are not run (no device).
 *   - vs `xml2js`: `xml2js.parseStringPromise` of the same bytes (an untyped object tree: nothing
 *     checked, resolved or mapped).
 * - ISAPI alertStream → normalized events: `MultipartParser` over the multipart bytes (split in 1460-byte
 *   TCP segments) + `isapiAlertToEvent` for each `EventNotificationAlert` vs `xml2js.parseStringPromise` of
 *   the same alert documents, already split (the peer gets the easier job). The npm `onvif` package has
 *   no ISAPI support (it speaks ONVIF only), so xml2js is the peer here.
 * - Milestone Events and State message → normalized events: `parseMilestoneMessage` (size and depth
 *   limits, every event checked) + `mapMilestoneEvent` (kind inference, plates, boxes, ids, raw kept) vs
 *   `JSON.parse` of the same text (the physical floor: no check, no mapping). The message carries the 11
 *   events of the golden vectors in specs/conformance/camera-vms/milestone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseStringPromise } from 'xml2js';
import {
  MultipartParser,
  decodeNotifications,
  isapiAlertToEvent,
  mapMilestoneEvent,
  mapOnvifNotification,
  parseMilestoneMessage,
} from '../packages/camera-vms/src/index.js';
import { defineBench } from './harness.js';

interface OnvifUtils {
  parseSOAPString(
    xml: string,
    callback: (err: Error | null, body: unknown, xml: string, statusCode?: number) => void,
    statusCode?: number,
  ): void;
  linerase(xml: unknown): unknown;
}
const requirePeer = createRequire(new URL('../packages/camera-vms/package.json', import.meta.url));
const onvifUtils = requirePeer('onvif/lib/utils.js') as OnvifUtils;

/**
 * The npm `onvif` package's path from a PullMessages HTTP response body to the notification messages it
 * emits as `event` (lib/cam.js `_requestPart2`, lib/events.js `pullMessages` and `_eventPull`).
 * `parseSOAPString` calls back synchronously (xml2js without `async`); a missing callback is an error.
 */
function onvifNpmPullMessages(body: Uint8Array): unknown[] {
  const xml = Buffer.from(body).toString('utf8');
  let messages: unknown[] | undefined;
  onvifUtils.parseSOAPString(xml, (err, res) => {
    if (err) throw err;
    const data = (onvifUtils.linerase(res) as { pullMessagesResponse?: { notificationMessage?: unknown } })
      .pullMessagesResponse;
    const n = data?.notificationMessage;
    messages = n === undefined ? [] : Array.isArray(n) ? n : [n];
  });
  if (messages === undefined) throw new Error('onvif parseSOAPString did not call back synchronously');
  return messages;
}

const dir = new URL('../specs/conformance/camera-vms/onvif/', import.meta.url);
const messages: string[] = [];
for (const f of readdirSync(dir).filter((x) => x.endsWith('.xml'))) {
  const text = readFileSync(new URL(f, dir), 'utf8');
  for (const n of decodeNotifications(text)) messages.push(n.raw);
}
// Each raw NotificationMessage relies on namespace declarations of its original envelope: declare the
// union on the response envelope, as cameras do.
const payload =
  '<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" ' +
  'xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:tt="http://www.onvif.org/ver10/schema" ' +
  'xmlns:tev="http://www.onvif.org/ver10/events/wsdl" xmlns:tns1="http://www.onvif.org/ver10/topics" ' +
  'xmlns:a="http://docs.oasis-open.org/wsn/b-2" xmlns:o="http://www.onvif.org/ver10/schema" ' +
  'xmlns:ns1="http://docs.oasis-open.org/wsn/b-2" xmlns:ns2="http://www.onvif.org/ver10/topics" ' +
  'xmlns:ns3="http://www.onvif.org/ver10/schema" xmlns:vnd="http://example.vn/traffic/topics">' +
  '<env:Body><tev:PullMessagesResponse><tev:CurrentTime>2026-11-28T04:00:10Z</tev:CurrentTime>' +
  `<tev:TerminationTime>2026-11-28T04:01:10Z</tev:TerminationTime>${messages.join('')}` +
  '</tev:PullMessagesResponse></env:Body></env:Envelope>';
const bytes = new TextEncoder().encode(payload);

const isapiDir = new URL('../specs/conformance/camera-vms/isapi/', import.meta.url);
const alerts = readdirSync(isapiDir)
  .filter((x) => x.endsWith('.xml'))
  .map((f) => readFileSync(new URL(f, isapiDir), 'utf8'));
const multipart = Buffer.concat(
  alerts.map((xml) => {
    const body = Buffer.from(xml);
    return Buffer.concat([
      Buffer.from(
        `--boundary\r\nContent-Type: application/xml; charset="UTF-8"\r\nContent-Length: ${body.length}\r\n\r\n`,
      ),
      body,
      Buffer.from('\r\n'),
    ]);
  }),
);
const segments: Buffer[] = [];
for (let i = 0; i < multipart.length; i += 1460) segments.push(multipart.subarray(i, i + 1460));

const milestoneDir = new URL('../specs/conformance/camera-vms/milestone/', import.meta.url);
const milestoneEvents = readdirSync(milestoneDir)
  .filter((x) => x.endsWith('.json') && !x.endsWith('.expected.json'))
  .flatMap(
    (f) => (JSON.parse(readFileSync(new URL(f, milestoneDir), 'utf8')) as { events: unknown[] }).events,
  );
const milestoneMessage = JSON.stringify({ events: milestoneEvents });

export default defineBench({
  name: 'camera-vms',
  setup: () => {
    const events = decodeNotifications(bytes).map((n) => mapOnvifNotification(n, 'bench'));
    if (events.length !== messages.length) throw new Error('payload does not decode to every message');
    const peer = onvifNpmPullMessages(bytes);
    if (peer.length !== messages.length)
      throw new Error(`onvif npm sees ${peer.length} of ${messages.length} notification messages`);
  },
  comparisons: [
    {
      name: 'onvif-pullmessages-to-events',
      peer: 'onvif-npm',
      itemsPerOp: messages.length,
      unit: 'event',
      ours: () => {
        const out = [];
        for (const n of decodeNotifications(bytes)) out.push(mapOnvifNotification(n, 'bench'));
        return out;
      },
      theirs: () => onvifNpmPullMessages(bytes),
    },
    {
      name: 'onvif-pullmessages-to-events',
      peer: 'xml2js',
      itemsPerOp: messages.length,
      unit: 'event',
      ours: () => {
        const out = [];
        for (const n of decodeNotifications(bytes)) out.push(mapOnvifNotification(n, 'bench'));
        return out;
      },
      theirs: () => parseStringPromise(Buffer.from(bytes).toString('utf8')),
    },
    {
      name: 'isapi-alertstream-to-events',
      peer: 'xml2js',
      itemsPerOp: alerts.length,
      unit: 'alert',
      ours: () => {
        const parser = new MultipartParser('boundary');
        const out = [];
        for (const s of segments)
          for (const p of parser.push(s)) out.push(isapiAlertToEvent(p.body, 'bench'));
        return out;
      },
      theirs: () => Promise.all(alerts.map((xml) => parseStringPromise(xml))),
    },
    {
      name: 'milestone-message-to-events',
      peer: 'JSON.parse',
      itemsPerOp: milestoneEvents.length,
      unit: 'event',
      ours: () => {
        const m = parseMilestoneMessage(milestoneMessage);
        if (m.kind !== 'events') throw new Error('not an events message');
        return m.events.map((e) => mapMilestoneEvent(e));
      },
      theirs: () => JSON.parse(milestoneMessage) as unknown,
    },
  ],
});

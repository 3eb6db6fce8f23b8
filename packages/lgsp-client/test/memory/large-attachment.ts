/**
 * Child-process measurement: builds an edXML package with one large attachment to a file (streamed),
 * parses it back from a file stream, checks the bytes, and prints peak RSS as JSON.
 * Usage: node large-attachment.mjs <megabytes> <dir> [memory|sink]
 * `memory` keeps the decoded attachment in memory; `sink` streams it to a file through `attachmentSink`.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, rmSync, statSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseEdxml, streamEdxml, type EdxmlAttachmentInput, type EdxmlDocument } from '../../src/index.js';

const megabytes = Number(process.argv[2] ?? '50');
const dir = process.argv[3] ?? '.';
const mode = process.argv[4] ?? 'memory';
const size = megabytes * 1024 * 1024;
const chunkSize = 64 * 1024;

function* content(hash: ReturnType<typeof createHash>): Generator<Uint8Array> {
  let seed = 12345;
  for (let done = 0; done < size; done += chunkSize) {
    const chunk = Buffer.allocUnsafe(Math.min(chunkSize, size - done));
    for (let i = 0; i < chunk.length; i += 4) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      chunk.writeUInt32LE(seed, i);
    }
    hash.update(chunk);
    yield chunk;
  }
}

const baseline = process.memoryUsage().rss;
const sent = createHash('sha256');
const doc: EdxmlDocument<EdxmlAttachmentInput> = {
  kind: 'edoc',
  messageHeader: {
    from: { organId: '000.00.08.H22' },
    to: [{ organId: '000.00.00.G22' }],
    documentId: '000.00.08.H22,2026/11/27,1/STTTT',
    code: { codeNumber: '1', codeNotation: 'STTTT' },
    promulgationInfo: { promulgationDate: '2026/11/27' },
    documentType: { type: '1' },
    subject: 'Tệp đính kèm lớn',
  },
  traceHeaderList: { traceHeaders: [] },
  attachments: [{ contentId: 'big', attachmentName: 'big.bin', content: content(sent) }],
};
const file = join(dir, `large-${process.pid}.edxml`);
try {
  await pipeline(Readable.from(streamEdxml(doc)), createWriteStream(file));
  const fileBytes = statSync(file).size;
  const streamed = createHash('sha256');
  let streamedBytes = 0;
  const out = `${file}.bin`;
  const parsed = await parseEdxml(createReadStream(file, { highWaterMark: 64 * 1024 }), {
    maxBytes: 2 * fileBytes,
    ...(mode === 'sink'
      ? {
          attachmentSink: () => {
            const stream: WriteStream = createWriteStream(out);
            return {
              async write(chunk: Uint8Array) {
                streamed.update(chunk);
                streamedBytes += chunk.length;
                if (!stream.write(chunk)) await once(stream, 'drain');
              },
              async close() {
                stream.end();
                await once(stream, 'finish');
              },
            };
          },
        }
      : {}),
  });
  rmSync(out, { force: true });
  const attachment = parsed.kind === 'edoc' ? parsed.attachments[0] : undefined;
  const received =
    mode === 'sink'
      ? streamed.digest('hex')
      : createHash('sha256')
          .update(attachment?.content ?? new Uint8Array(0))
          .digest('hex');
  const receivedBytes =
    mode === 'sink' ? (attachment?.size === streamedBytes ? streamedBytes : -1) : attachment?.content.length;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  console.log(
    JSON.stringify({
      size,
      fileBytes,
      baselineRss: baseline,
      peakRss,
      ratio: peakRss / size,
      mode,
      sameBytes: received === sent.digest('hex') && receivedBytes === size,
    }),
  );
} finally {
  rmSync(file, { force: true });
}

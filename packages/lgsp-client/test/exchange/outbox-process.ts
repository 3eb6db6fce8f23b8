/**
 * A sender process for the crash-recovery test: enqueues documents 1..N into a file-backed outbox
 * (a no-op for those already there) and sends until none is pending, printing every event.
 *   node --import tsx outbox-process.ts <gateway url> <store file> <N>
 */
import { DocumentAxis, DocumentOutbox, FileStore, LgspClient, systemIdSecretKey } from '../../src/index.js';
import { STTTT, sampleDocument } from './fixtures.js';

const [url, storePath, count] = process.argv.slice(2);
if (url === undefined || storePath === undefined || count === undefined) {
  throw new Error('usage: outbox-process.ts <url> <store> <count>');
}
const client = new LgspClient({
  baseUrl: url,
  auth: systemIdSecretKey({ systemId: STTTT.systemId, secretKey: STTTT.secretKey }),
  circuitBreaker: false,
  timeoutMs: 60_000,
});
const outbox = await DocumentOutbox.open({
  axis: new DocumentAxis({ client }),
  store: await FileStore.open(storePath),
  autoStart: false,
  backoff: { baseDelayMs: 10, maxDelayMs: 50 },
  onEvent: (e) => {
    if ('entry' in e) process.stdout.write(`${e.type} ${e.entry.id} ${e.entry.attempts}\n`);
  },
});
for (let n = 1; n <= Number(count); n++) await outbox.enqueue(sampleDocument(n));
const stats = await outbox.drain();
process.stdout.write(`${JSON.stringify(stats)}\n`);
await outbox.close();
client.close();

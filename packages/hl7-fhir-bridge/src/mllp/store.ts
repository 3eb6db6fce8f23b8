import fs from 'node:fs/promises';
import { readJsonLines } from '../jsonl.js';

/** A message as durably accepted by the MLLP server, before the ACK is sent. */
export interface StoredMessage {
  /** MSH-3^MSH-4^MSH-10: sender and control id, the replay key. */
  readonly key: string;
  readonly controlId: string;
  /** `ADT_A01` style structure. */
  readonly type: string;
  readonly receivedAt: string;
  readonly remoteAddress: string;
  /** The ER7 text as received (decoded). */
  readonly er7: string;
}

/**
 * Where the server puts a message before acknowledging it. `append` must resolve only once the
 * message is durable; it returns `'duplicate'` when the key was seen before (the server still ACKs).
 */
export interface MessageStore {
  append(message: StoredMessage, signal: AbortSignal): Promise<'stored' | 'duplicate'>;
}

/** A store in memory, for tests and demos (not durable across restarts). */
export class InMemoryMessageStore implements MessageStore {
  readonly messages: StoredMessage[] = [];
  private readonly keys = new Set<string>();

  append(message: StoredMessage): Promise<'stored' | 'duplicate'> {
    if (this.keys.has(message.key)) return Promise.resolve('duplicate');
    this.keys.add(message.key);
    this.messages.push(message);
    return Promise.resolve('stored');
  }
}

/**
 * Appends each message as one JSON line to a file and `fsync`s before resolving, so an ACK is
 * only sent for a message that is on disk. Keys already in the file are loaded by `open`.
 */
export class FileMessageStore implements MessageStore {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly handle: fs.FileHandle,
    private readonly keys: Set<string>,
  ) {}

  static async open(file: string): Promise<FileMessageStore> {
    // A torn last line from a crash mid-write was never acknowledged: it is cut off, so the next
    // append starts on a line of its own. A bad line before the last one is `STORE_FAILED`.
    const { values, validBytes, size } = await readJsonLines<StoredMessage>(file);
    const handle = await fs.open(file, 'a');
    if (validBytes < size) {
      await handle.truncate(validBytes);
      await handle.sync();
    }
    return new FileMessageStore(handle, new Set(values.map((m) => m.key)));
  }

  append(message: StoredMessage, signal: AbortSignal): Promise<'stored' | 'duplicate'> {
    const run = async (): Promise<'stored' | 'duplicate'> => {
      signal.throwIfAborted();
      if (this.keys.has(message.key)) return 'duplicate';
      await this.handle.appendFile(`${JSON.stringify(message)}\n`, 'utf8');
      await this.handle.sync();
      this.keys.add(message.key);
      return 'stored';
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Every stored message, in order. */
  static async read(file: string): Promise<StoredMessage[]> {
    return (await readJsonLines<StoredMessage>(file)).values;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

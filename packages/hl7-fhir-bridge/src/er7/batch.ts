import { Hl7Error } from '../errors.js';
import {
  DEFAULT_MAX_SEGMENTS,
  Hl7Message,
  Hl7Segment,
  checkControlBytes,
  decodeInput,
  hexDecoderFor,
  readDelimiters,
  splitLines,
  splitSegment,
  type ParseOptions,
} from './message.js';

/** One batch: BHS, its messages, BTS (header and trailer are optional in practice). */
export interface Hl7BatchGroup {
  readonly header: Hl7Segment | undefined;
  readonly messages: Hl7Message[];
  readonly trailer: Hl7Segment | undefined;
}

/** A batch file (FHS … FTS) or a single batch (BHS … BTS), or plain concatenated messages. */
export class Hl7Batch {
  /** @internal */
  constructor(
    readonly fileHeader: Hl7Segment | undefined,
    readonly batches: Hl7BatchGroup[],
    readonly fileTrailer: Hl7Segment | undefined,
    private readonly render: () => string,
  ) {}

  /** Every message of every batch, in order. */
  get messages(): Hl7Message[] {
    return this.batches.flatMap((b) => b.messages);
  }

  /** The batch in ER7, exactly as received. */
  toString(): string {
    return this.render();
  }
}

function badBatch(en: string, vi: string, details: Record<string, unknown>): never {
  throw new Hl7Error('BAD_BATCH', `${en} / ${vi}`, { details });
}

function checkCount(seg: Hl7Segment | undefined, actual: number, what: string): void {
  const declared = seg?.get(1);
  if (seg === undefined || declared === undefined || declared === '') return;
  if (Number(declared) !== actual) {
    badBatch(
      `${seg.name}-1 declares ${declared} ${what} but ${actual} were found`,
      `${seg.name}-1 khai báo ${declared} nhưng có ${actual}`,
      { segment: seg.name, field: `${seg.name}-1`, declared, actual },
    );
  }
}

/**
 * Parses an HL7 batch: `FHS BHS (MSH…)* BTS FTS`, any part of the envelope optional, or
 * messages simply concatenated. BTS-1 and FTS-1 counts are checked when present (`BAD_BATCH`).
 */
export function parseHl7Batch(input: string | Uint8Array, options: ParseOptions = {}): Hl7Batch {
  const { text, charset } = decodeInput(input, options);
  const { prefix, lines, terminators, offsets } = splitLines(
    text,
    options.maxSegments ?? DEFAULT_MAX_SEGMENTS,
  );
  const first = lines[0] ?? '';
  if (!/^(?:MSH|FHS|BHS)/.test(first)) {
    throw new Hl7Error(
      'NO_MSH',
      'A batch must start with FHS, BHS or MSH / Lô phải bắt đầu bằng FHS, BHS hoặc MSH',
      {
        details: { offset: prefix.length, start: first.slice(0, 8) },
      },
    );
  }
  const d = readDelimiters(first);
  checkControlBytes(text);
  const hex = hexDecoderFor(charset);
  const seg = (i: number): Hl7Segment =>
    new Hl7Segment(splitSegment(lines[i] as string, i, offsets[i] as number, d), d, hex);

  let fileHeader: Hl7Segment | undefined;
  let fileTrailer: Hl7Segment | undefined;
  const batches: Hl7BatchGroup[] = [];
  let current:
    { header: Hl7Segment | undefined; messages: Hl7Message[]; trailer: Hl7Segment | undefined } | undefined;
  let i = 0;
  const where = (k: number) => ({ segmentIndex: k + 1, offset: offsets[k] });
  while (i < lines.length) {
    const name = (lines[i] as string).slice(0, 3);
    if (name === 'FHS') {
      if (i !== 0) badBatch('FHS must be the first segment', 'FHS phải là đoạn đầu tiên', where(i));
      fileHeader = seg(i++);
    } else if (name === 'FTS') {
      if (current !== undefined) batches.push(current);
      current = undefined;
      fileTrailer = seg(i++);
      if (i < lines.length) badBatch('Segments after FTS', 'Có đoạn sau FTS', where(i));
    } else if (name === 'BHS') {
      if (current !== undefined) batches.push(current);
      current = { header: seg(i++), messages: [], trailer: undefined };
    } else if (name === 'BTS') {
      current ??= { header: undefined, messages: [], trailer: undefined };
      current.trailer = seg(i++);
      batches.push(current);
      current = undefined;
    } else if (name === 'MSH') {
      current ??= { header: undefined, messages: [], trailer: undefined };
      const start = i;
      const segs: Hl7Segment[] = [seg(i++)];
      while (i < lines.length && !/^(?:MSH|BHS|BTS|FHS|FTS)/.test(lines[i] as string)) segs.push(seg(i++));
      current.messages.push(new Hl7Message(segs, d, charset, terminators.slice(start, i), ''));
    } else {
      badBatch(`Segment ${name} outside a message`, `Đoạn ${name} nằm ngoài thông điệp`, where(i));
    }
  }
  if (current !== undefined) batches.push(current);
  for (const b of batches) checkCount(b.trailer, b.messages.length, 'messages');
  checkCount(fileTrailer, batches.length, 'batches');

  const render = (): string => {
    let out = prefix;
    let k = 0;
    const line = (s: Hl7Segment | undefined) => {
      if (s !== undefined) out += s.toString() + (terminators[k++] ?? '\r');
    };
    line(fileHeader);
    for (const b of batches) {
      line(b.header);
      for (const m of b.messages) {
        out += m.toString();
        k += m.segments.length;
      }
      line(b.trailer);
    }
    line(fileTrailer);
    return out;
  };
  return new Hl7Batch(fileHeader, batches, fileTrailer, render);
}

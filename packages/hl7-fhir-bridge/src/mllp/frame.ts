import { Hl7Error } from '../errors.js';

const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;

/** Wraps message bytes in an MLLP frame: VT … FS CR. */
export function encodeFrame(payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(payload.byteLength + 3);
  out[0] = VT;
  out.set(payload, 1);
  out[payload.byteLength + 1] = FS;
  out[payload.byteLength + 2] = CR;
  return out;
}

/** What one chunk of bytes produced: complete frames, and framing errors met on the way. */
export interface DecodeResult {
  readonly frames: Buffer[];
  readonly errors: Hl7Error[];
}

/**
 * Incremental MLLP decoder: feed it socket chunks; it returns each complete frame, handles frames
 * split across chunks and several frames in one chunk, skips CR/LF between frames, reports bytes
 * outside a frame (`MLLP_FRAMING`) and frames over `maxMessageBytes` (`MLLP_TOO_LARGE`, the rest of
 * that frame is discarded), and `end()` reports a frame cut short (`MLLP_TRUNCATED`).
 */
export class MllpDecoder {
  private parts: Buffer[] = [];
  private size = 0;
  private inFrame = false;
  private discarding = false;
  private offset = 0;

  constructor(private readonly maxMessageBytes: number) {}

  push(chunk: Buffer): DecodeResult {
    const frames: Buffer[] = [];
    const errors: Hl7Error[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (!this.inFrame) {
        const b = chunk[i] as number;
        if (b === VT) {
          this.inFrame = true;
          this.discarding = false;
          this.parts = [];
          this.size = 0;
          i++;
          continue;
        }
        if (b === CR || b === 0x0a) {
          i++;
          continue;
        }
        const next = chunk.indexOf(VT, i);
        const end = next < 0 ? chunk.length : next;
        errors.push(
          new Hl7Error(
            'MLLP_FRAMING',
            `${end - i} bytes outside an MLLP frame / dữ liệu nằm ngoài khung MLLP`,
            {
              details: { offset: this.offset + i, bytes: end - i },
            },
          ),
        );
        i = end;
        continue;
      }
      const fs = chunk.indexOf(FS, i);
      const end = fs < 0 ? chunk.length : fs;
      if (!this.discarding) {
        this.size += end - i;
        if (this.size > this.maxMessageBytes) {
          this.discarding = true;
          this.parts = [];
          errors.push(
            new Hl7Error(
              'MLLP_TOO_LARGE',
              `Frame exceeds ${this.maxMessageBytes} bytes / khung vượt quá ${this.maxMessageBytes} byte`,
              { details: { maxMessageBytes: this.maxMessageBytes } },
            ),
          );
        } else {
          this.parts.push(chunk.subarray(i, end));
        }
      }
      if (fs < 0) {
        i = chunk.length;
        break;
      }
      if (!this.discarding) frames.push(Buffer.concat(this.parts));
      this.parts = [];
      this.size = 0;
      this.inFrame = false;
      this.discarding = false;
      i = fs + 1;
    }
    this.offset += chunk.length;
    return { frames, errors };
  }

  /** Call when the connection ends: an unfinished frame is an `MLLP_TRUNCATED` error. */
  end(): Hl7Error | undefined {
    if (!this.inFrame) return undefined;
    this.inFrame = false;
    const size = this.size;
    this.parts = [];
    this.size = 0;
    return new Hl7Error('MLLP_TRUNCATED', `Connection closed inside a frame (${size} bytes) / khung bị cắt`, {
      details: { bytes: size },
    });
  }
}

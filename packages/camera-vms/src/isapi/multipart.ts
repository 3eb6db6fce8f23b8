import { CameraError, msg } from '../errors.js';

/** One part of a multipart stream. Header names are lower-cased. */
export interface MultipartPart {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

export interface MultipartLimits {
  /** Largest part body (XML or JPEG). Default 4 MiB. */
  readonly maxPartBytes?: number;
  /** Largest header block of a part. Default 8 KiB. */
  readonly maxHeaderBytes?: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

function fail(en: string, vi: string, offset: number): never {
  throw new CameraError(
    'EVENT_INVALID',
    msg(`multipart: ${en} (byte ${offset})`, `multipart: ${vi} (byte ${offset})`),
    {
      details: { offset },
    },
  );
}

/** Reads the boundary from a `multipart/*; boundary=…` content type. */
export function multipartBoundary(contentType: string | null): string | undefined {
  const m = /boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return m?.[1] ?? m?.[2];
}

/**
 * An incremental multipart parser for long-lived streams (Hikvision `alertStream`, Dahua `attach`): feed
 * it TCP chunks as they arrive, in any split, and it returns the complete parts. Parts with a
 * `Content-Length` are read by length, others up to the next delimiter. Bytes before the first
 * delimiter, oversized parts and header blocks, and data that never reaches a delimiter fail with
 * `EVENT_INVALID` instead of growing memory.
 */
export class MultipartParser {
  private buf: Buffer = Buffer.alloc(0);
  private readonly delimiter: Buffer;
  private readonly maxPart: number;
  private readonly maxHeader: number;
  private consumed = 0;
  private state: 'preamble' | 'headers' | 'body' = 'preamble';
  private headers: Record<string, string> = {};
  private length: number | undefined;

  constructor(boundary: string, limits: MultipartLimits = {}) {
    if (boundary === '' || boundary.length > 200) {
      throw new CameraError(
        'INVALID_ARGUMENT',
        msg('invalid multipart boundary', 'ranh giới multipart không hợp lệ'),
      );
    }
    this.delimiter = Buffer.from(`--${boundary.replace(/^--/, '')}`);
    this.maxPart = limits.maxPartBytes ?? 4 * 1024 * 1024;
    this.maxHeader = limits.maxHeaderBytes ?? 8 * 1024;
  }

  /** Adds a chunk and returns the parts it completed. */
  push(chunk: Uint8Array): MultipartPart[] {
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    const parts: MultipartPart[] = [];
    for (;;) {
      if (this.state === 'preamble') {
        const i = this.buf.indexOf(this.delimiter);
        if (i === -1) {
          // Only CRLF or whitespace may precede a delimiter (a heartbeat line, the CRLF ending a body).
          const keep = this.delimiter.length + 2;
          const junk = this.buf.subarray(0, Math.max(0, this.buf.length - keep));
          if (junk.some((b) => b !== 0x0d && b !== 0x0a && b !== 0x20)) {
            fail(
              'data outside any part (no boundary)',
              'dữ liệu nằm ngoài phần nào (thiếu ranh giới)',
              this.consumed,
            );
          }
          this.advance(junk.length);
          return parts;
        }
        if (this.buf.subarray(0, i).some((b) => b !== 0x0d && b !== 0x0a && b !== 0x20)) {
          fail(
            'data outside any part (no boundary)',
            'dữ liệu nằm ngoài phần nào (thiếu ranh giới)',
            this.consumed,
          );
        }
        this.advance(i + this.delimiter.length);
        this.state = 'headers';
      }
      if (this.state === 'headers') {
        const end = this.buf.indexOf(HEADER_END);
        // A part may start with an empty header block ("--b\r\n\r\n"), or be the closing "--b--".
        if (this.buf.length >= 2 && this.buf[0] === 0x2d && this.buf[1] === 0x2d) {
          this.advance(2);
          this.state = 'preamble';
          continue;
        }
        if (end === -1) {
          if (this.buf.length > this.maxHeader)
            fail('part headers too large', 'phần đầu quá lớn', this.consumed);
          return parts;
        }
        if (end > this.maxHeader) fail('part headers too large', 'phần đầu quá lớn', this.consumed);
        const text = this.buf.subarray(0, end).toString('latin1');
        this.headers = {};
        for (const line of text.split('\r\n')) {
          const c = line.indexOf(':');
          if (c > 0) this.headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
        }
        const cl = this.headers['content-length'];
        this.length = cl !== undefined && /^\d+$/.test(cl) ? Number(cl) : undefined;
        if (this.length !== undefined && this.length > this.maxPart) {
          fail(
            `part of ${this.length} bytes is too large`,
            `phần ${this.length} byte quá lớn`,
            this.consumed,
          );
        }
        this.advance(end + HEADER_END.length);
        this.state = 'body';
      }
      if (this.state === 'body') {
        let body: Buffer;
        if (this.length !== undefined) {
          if (this.buf.length < this.length) return parts;
          body = Buffer.from(this.buf.subarray(0, this.length));
          this.advance(this.length);
        } else {
          const i = this.buf.indexOf(this.delimiter);
          if (i === -1) {
            if (this.buf.length > this.maxPart)
              fail('part too large or boundary missing', 'phần quá lớn hoặc thiếu ranh giới', this.consumed);
            return parts;
          }
          let stop = i;
          if (stop >= 2 && this.buf[stop - 2] === 0x0d && this.buf[stop - 1] === 0x0a) stop -= 2;
          body = Buffer.from(this.buf.subarray(0, stop));
          this.advance(stop);
        }
        parts.push({ headers: this.headers, body });
        this.state = 'preamble';
      }
    }
  }

  private advance(n: number): void {
    this.buf = this.buf.subarray(n);
    this.consumed += n;
  }
}

import fs from 'node:fs/promises';
import { Hl7Error } from './errors.js';

/**
 * Reads a JSON-lines file written by appends that may have been cut by a crash: a torn last line
 * (no final newline, or not JSON) was never acknowledged, so it is ignored and cut off before the
 * next append. A bad line anywhere else is corruption and an error.
 */
export async function readJsonLines<T>(
  file: string,
): Promise<{ values: T[]; validBytes: number; size: number }> {
  const buf = await fs.readFile(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return Buffer.alloc(0);
    throw err;
  });
  const values: T[] = [];
  let start = 0;
  let validBytes = 0;
  while (start < buf.length) {
    const nl = buf.indexOf(0x0a, start);
    const end = nl < 0 ? buf.length : nl;
    const line = buf.subarray(start, end).toString('utf8');
    if (line.trim() !== '') {
      let value: T;
      try {
        value = JSON.parse(line) as T;
      } catch (cause) {
        if (nl < 0 || buf.indexOf(0x0a, nl + 1) < 0) break; // torn tail
        throw new Hl7Error('STORE_FAILED', `${file}: line at byte ${start} is not JSON / tệp bị hỏng`, {
          cause,
          details: { file, offset: start },
        });
      }
      if (nl < 0) break; // a complete JSON value without its newline: the append did not finish
      values.push(value);
    }
    if (nl < 0) break;
    start = nl + 1;
    validBytes = start;
  }
  return { values, validBytes, size: buf.length };
}

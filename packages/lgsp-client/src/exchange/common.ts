import type { EdxmlPackage } from '../edxml/model.js';
import { edxmlDocumentId } from '../edxml/status.js';
import { LgspError, isLgspError } from '../errors.js';

/** Backoff between attempts: `min(maxDelayMs, baseDelayMs · 2^(attempt-1))`, full jitter. */
export interface BackoffOptions {
  /** Default 1000 ms. */
  readonly baseDelayMs?: number;
  /** Default 300 000 ms (5 minutes). */
  readonly maxDelayMs?: number;
}

export function backoffDelay(
  attempt: number,
  options: Required<BackoffOptions>,
  random: () => number,
): number {
  const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * cap);
}

/**
 * The identity of a package for de-duplication: `edoc:<DocumentId>` for a new document (with
 * `#<BussinessDocType>` for a revocation, update or replacement), and
 * `status:<DocumentId answered>:<reporting agency>:<StatusCode>:<Timestamp>` for a status package.
 */
export function packageKey(pkg: EdxmlPackage): string {
  if (pkg.kind === 'status') {
    const s = pkg.status;
    const answered = s.responseFor.documentId ?? `${s.responseFor.organId},${s.responseFor.code ?? ''}`;
    return `status:${answered}:${s.from.organId}:${s.statusCode}:${s.timestamp}`;
  }
  const h = pkg.messageHeader;
  const id = (
    h.documentId ??
    edxmlDocumentId(
      h.from.organId,
      h.promulgationInfo.promulgationDate,
      h.code.codeNumber,
      h.code.codeNotation,
    )
  ).replace(/\s+/g, '');
  const type = pkg.traceHeaderList.bussiness?.bussinessDocType ?? 0;
  return type === 0 ? `edoc:${id}` : `edoc:${id}#${type}`;
}

/** A small synchronous event fan-out; a throwing listener does not disturb the others. */
export class Listeners<E> {
  private readonly set = new Set<(event: E) => void>();

  add(listener: (event: E) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(event: E): void {
    for (const l of this.set) {
      try {
        l(event);
      } catch {
        // Observers cannot change the outcome.
      }
    }
  }
}

/** `{ code, message, status? }` of an error, as kept in a store. */
export interface ErrorSummary {
  readonly code: string;
  readonly message: string;
  readonly status?: number;
}

export function summarize(error: unknown): ErrorSummary {
  if (isLgspError(error)) {
    const status = (error.details as { status?: unknown } | undefined)?.status;
    return {
      code: error.code,
      message: error.message,
      ...(typeof status === 'number' ? { status } : {}),
    };
  }
  return { code: 'HANDLER_ERROR', message: error instanceof Error ? error.message : String(error) };
}

export function closedError(what: string): LgspError<'CLOSED'> {
  return new LgspError('CLOSED', `the ${what} is closed / ${what} đã đóng`, { details: { what } });
}

/** Resolves after `ms` on `sleep`, or early when `signal` aborts (never rejects). */
export async function pause(
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
  ms: number,
  signal: AbortSignal,
): Promise<void> {
  if (signal.aborted) return;
  try {
    await sleep(ms, signal);
  } catch {
    // Aborted.
  }
}

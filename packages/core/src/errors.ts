import { redactSecrets } from './redact.js';

/** Options accepted by every error of the suite. */
export interface DttmErrorOptions {
  /** The underlying error, kept for diagnosis. */
  readonly cause?: unknown;
  /** Whether repeating the same operation later may succeed. Defaults to `false`. */
  readonly retryable?: boolean;
  /**
   * Structured context (field path, byte offset, HTTP status...). Secrets are redacted
   * when the error is created, so details are safe to log.
   */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** The JSON shape of a suite error, as written to logs and problem+json bodies. */
export interface DttmErrorJSON {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Base of every error thrown by `@dttm/*` packages. Subclasses set a literal `name`
 * (matched by the type guards, so checks work across realms and duplicated installs)
 * and a union of stable string `code`s documented in their README.
 */
export abstract class DttmError<Code extends string = string> extends Error {
  abstract override readonly name: string;
  /** Stable, documented machine-readable code. */
  readonly code: Code;
  /** Whether repeating the operation may succeed. */
  readonly retryable: boolean;
  /** Redacted structured context. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  protected constructor(code: Code, message: string, options: DttmErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details =
      options.details === undefined
        ? undefined
        : (redactSecrets(options.details) as Readonly<Record<string, unknown>>);
  }

  toJSON(): DttmErrorJSON {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/**
 * True when `value` is an error of the suite (any package): an `Error` with a string
 * `code` and a boolean `retryable`. Works across realms because it does not use `instanceof`.
 */
export function isDttmError(value: unknown): value is DttmError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Record<'name' | 'code' | 'message' | 'retryable', unknown>>;
  return (
    typeof v.name === 'string' &&
    typeof v.code === 'string' &&
    typeof v.message === 'string' &&
    typeof v.retryable === 'boolean'
  );
}

/**
 * Builds a type guard for one error class by its literal `name`, e.g.
 * `export const isKpiError = errorGuard<KpiError>('KpiError')`.
 */
export function errorGuard<E extends DttmError>(name: E['name']): (value: unknown) => value is E {
  return (value: unknown): value is E => isDttmError(value) && value.name === name;
}

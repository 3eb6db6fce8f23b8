import { describe, expect, it } from 'vitest';
import { DttmError, errorGuard, isDttmError, type DttmErrorOptions } from './errors.js';
import { REDACTED } from './redact.js';

type SampleCode = 'SAMPLE_BAD_INPUT' | 'SAMPLE_UNAVAILABLE';

class SampleError extends DttmError<SampleCode> {
  override readonly name = 'SampleError';
  constructor(code: SampleCode, message: string, options?: DttmErrorOptions) {
    super(code, message, options);
  }
}
const isSampleError = errorGuard<SampleError>('SampleError');

describe('DttmError', () => {
  it('carries name, code, message, cause and retryable', () => {
    const cause = new Error('socket hang up');
    const err = new SampleError('SAMPLE_UNAVAILABLE', 'service down', { cause, retryable: true });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('SampleError');
    expect(err.code).toBe('SAMPLE_UNAVAILABLE');
    expect(err.message).toBe('service down');
    expect(err.cause).toBe(cause);
    expect(err.retryable).toBe(true);
    expect(String(err)).toBe('SampleError: service down');
  });

  it('defaults retryable to false and has no cause when none is given', () => {
    const err = new SampleError('SAMPLE_BAD_INPUT', 'bad');
    expect(err.retryable).toBe(false);
    expect('cause' in err).toBe(false);
    expect(err.details).toBeUndefined();
  });

  it('redacts secrets in details and serialises to JSON without them', () => {
    const err = new SampleError('SAMPLE_BAD_INPUT', 'rejected', {
      details: {
        url: 'https://user:hunter2@lgsp.example.vn/api?access_token=abc&page=2',
        headers: { Authorization: 'Bearer abc.def', 'Content-Type': 'application/json' },
        field: 'MessageHeader.From.OrganId',
      },
    });
    const json = JSON.parse(JSON.stringify(err)) as Record<string, unknown>;
    expect(json).toEqual({
      name: 'SampleError',
      code: 'SAMPLE_BAD_INPUT',
      message: 'rejected',
      retryable: false,
      details: {
        url: 'https://user:%5BREDACTED%5D@lgsp.example.vn/api?access_token=%5BREDACTED%5D&page=2',
        headers: { Authorization: REDACTED, 'Content-Type': 'application/json' },
        field: 'MessageHeader.From.OrganId',
      },
    });
    expect(JSON.stringify(err)).not.toContain('hunter2');
    expect(JSON.stringify(err)).not.toContain('abc.def');
  });
});

describe('guards', () => {
  it('match by name, not by prototype (cross-realm safe)', () => {
    const foreign = Object.assign(new Error('x'), {
      name: 'SampleError',
      code: 'SAMPLE_BAD_INPUT',
      retryable: false,
    });
    expect(isSampleError(foreign)).toBe(true);
    expect(isDttmError(foreign)).toBe(true);
  });

  it('reject other errors and non-errors', () => {
    expect(isSampleError(new Error('plain'))).toBe(false);
    expect(isDttmError(new TypeError('t'))).toBe(false);
    expect(isDttmError(null)).toBe(false);
    expect(isDttmError('SampleError')).toBe(false);
    const other = Object.assign(new Error('x'), { name: 'OtherError', code: 'X', retryable: true });
    expect(isSampleError(other)).toBe(false);
    expect(isDttmError(other)).toBe(true);
  });
});

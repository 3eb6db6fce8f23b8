import { describe, expect, it } from 'vitest';
import { REDACTED, isSecretKey, redactSecrets, redactUrl } from './redact.js';

describe('isSecretKey', () => {
  it.each([
    'Authorization',
    'authorization',
    'Proxy-Authorization',
    'password',
    'client_secret',
    'clientSecret',
    'X-SecretKey',
    'lgspaccesstoken',
    'access_token',
    'refreshToken',
    'api-key',
    'Cookie',
  ])('%s is a secret', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each(['Content-Type', 'X-SystemId', 'tokenType', 'passwordPolicy', 'username', 'OrganId'])(
    '%s is not a secret',
    (key) => {
      expect(isSecretKey(key)).toBe(false);
    },
  );
});

describe('redactSecrets', () => {
  it('redacts nested objects, arrays and Map/Headers-like entries', () => {
    const headers = new Headers({ authorization: 'Basic dXNlcjpwYXNz', accept: 'application/xml' });
    const input = {
      request: { headers, body: [{ password: 'p', user: 'u' }] },
      map: new Map<string, unknown>([
        ['client_secret', 's'],
        ['scope', 'read'],
      ]),
      when: new Date('2026-01-02T03:04:05.000Z'),
      bytes: new Uint8Array(12),
    };
    expect(redactSecrets(input)).toEqual({
      request: {
        headers: { authorization: REDACTED, accept: 'application/xml' },
        body: [{ password: REDACTED, user: 'u' }],
      },
      map: { client_secret: REDACTED, scope: 'read' },
      when: '2026-01-02T03:04:05.000Z',
      bytes: '[12 bytes]',
    });
  });

  it('survives cycles and very deep values without throwing', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(redactSecrets(a)).toEqual({ name: 'a', self: '[Circular]' });
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 50; i++) deep = { next: deep };
    const out = JSON.stringify(redactSecrets(deep));
    expect(out).toContain('[Truncated]');
  });

  it('leaves primitives alone and does not mutate its input', () => {
    expect(redactSecrets(42)).toBe(42);
    expect(redactSecrets(null)).toBe(null);
    const input = { token: 't' };
    redactSecrets(input);
    expect(input.token).toBe('t');
  });
});

describe('redactUrl', () => {
  it('removes user-info passwords and secret query values', () => {
    expect(redactUrl('postgres://ioc:s3cret@db.local:5432/ioc')).toBe(
      'postgres://ioc:%5BREDACTED%5D@db.local:5432/ioc',
    );
    expect(redactUrl('https://api.example.vn/x?apiKey=k&page=1')).toBe(
      'https://api.example.vn/x?apiKey=%5BREDACTED%5D&page=1',
    );
  });

  it('returns non-URLs and clean URLs unchanged', () => {
    expect(redactUrl('not a url')).toBe('not a url');
    expect(redactUrl('https://example.vn/path?q=1')).toBe('https://example.vn/path?q=1');
  });
});

import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwksFileSource, jwksUrlSource, parseJwks, type KeySource } from './keys.js';
import { AuthError, createVerifier } from './verify.js';

const NOW = Date.UTC(2026, 10, 28, 8, 0, 0);
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });

function jwk(key: KeyObject, kid: string) {
  return { ...key.export({ format: 'jwk' }), kid, use: 'sig' };
}
const staticKeys = (keys: Record<string, KeyObject>): KeySource => ({
  getKey: (kid) => Promise.resolve(kid === undefined ? undefined : keys[kid]),
});

const verify = createVerifier({
  keys: staticKeys({ ec1: ec.publicKey, rsa1: rsa.publicKey }),
  issuer: 'urn:test',
  audience: 'ioc',
  now: () => NOW,
});

const iat = Math.floor(NOW / 1000);
const base = { sub: 'u1', roles: ['leadership'], iat, exp: iat + 600 };
const sign = (claims: object, key: KeyObject, alg: jwt.Algorithm, kid: string, extra: jwt.SignOptions = {}) =>
  jwt.sign(claims, key, { algorithm: alg, keyid: kid, issuer: 'urn:test', audience: 'ioc', ...extra });

async function reason(token: string): Promise<string> {
  try {
    await verify(token);
    return 'accepted';
  } catch (err) {
    if (err instanceof AuthError) return err.reason;
    throw err;
  }
}

describe('createVerifier', () => {
  it('accepts ES256 and RS256 tokens and builds the principal with role-limited scopes', async () => {
    const p = await verify(
      sign({ ...base, scope: 'kpi:read audit:read kpi:ingest' }, ec.privateKey, 'ES256', 'ec1'),
    );
    expect(p.subject).toBe('u1');
    expect(p.roles).toEqual(['leadership']);
    expect([...p.scopes].sort()).toEqual(['audit:read', 'kpi:read']);
    expect(p.expiresAt).toBe(iat + 600);
    const r = await verify(sign({ ...base, roles: ['machine'] }, rsa.privateKey, 'RS256', 'rsa1'));
    expect([...r.scopes].sort()).toEqual(['cameras:ingest', 'kpi:ingest', 'readings:ingest']);
  });

  it('keeps department and district claims', async () => {
    const d = await verify(
      sign({ ...base, roles: ['department'], dept: 'health' }, ec.privateKey, 'ES256', 'ec1'),
    );
    expect(d.department).toBe('health');
    const a = await verify(
      sign({ ...base, roles: ['district'], area: '213' }, ec.privateKey, 'ES256', 'ec1'),
    );
    expect(a.area).toBe('213');
  });

  it.each([
    [
      'alg none',
      () => jwt.sign({ ...base, iss: 'urn:test', aud: 'ioc' }, null, { algorithm: 'none' }),
      'algorithm-not-allowed',
    ],
    [
      'HS256 signed with the RSA public key (key confusion)',
      () =>
        jwt.sign(base, rsa.publicKey.export({ type: 'spki', format: 'pem' }), {
          algorithm: 'HS256',
          keyid: 'rsa1',
          issuer: 'urn:test',
          audience: 'ioc',
        }),
      'algorithm-not-allowed',
    ],
    [
      'an ES256 header on an RSA key',
      () => sign(base, ec.privateKey, 'ES256', 'rsa1'),
      'algorithm-not-allowed',
    ],
    ['an unknown kid', () => sign(base, other.privateKey, 'ES256', 'nope'), 'unknown-key'],
    ['a signature by another key', () => sign(base, other.privateKey, 'ES256', 'ec1'), 'invalid-signature'],
    [
      'an expired token',
      () => sign({ ...base, iat: iat - 700, exp: iat - 60 }, ec.privateKey, 'ES256', 'ec1'),
      'expired',
    ],
    [
      'a token not valid yet',
      () => sign({ ...base, nbf: iat + 300 }, ec.privateKey, 'ES256', 'ec1'),
      'not-yet-valid',
    ],
    [
      'another issuer',
      () => sign(base, ec.privateKey, 'ES256', 'ec1', { issuer: 'urn:evil' }),
      'wrong-issuer',
    ],
    [
      'another audience',
      () => sign(base, ec.privateKey, 'ES256', 'ec1', { audience: 'lgsp' }),
      'wrong-audience',
    ],
    [
      'no exp',
      () => sign({ sub: 'u1', roles: ['leadership'] }, ec.privateKey, 'ES256', 'ec1'),
      'invalid-claims',
    ],
    [
      'a lifetime over 24 h',
      () => sign({ ...base, exp: iat + 90_000 }, ec.privateKey, 'ES256', 'ec1'),
      'invalid-claims',
    ],
    ['no roles', () => sign({ ...base, roles: [] }, ec.privateKey, 'ES256', 'ec1'), 'invalid-claims'],
    [
      'an unknown role',
      () => sign({ ...base, roles: ['admin'] }, ec.privateKey, 'ES256', 'ec1'),
      'invalid-claims',
    ],
    [
      'a department without dept',
      () => sign({ ...base, roles: ['department'] }, ec.privateKey, 'ES256', 'ec1'),
      'invalid-claims',
    ],
    [
      'a district with a bad area',
      () => sign({ ...base, roles: ['district'], area: 'TP' }, ec.privateKey, 'ES256', 'ec1'),
      'invalid-claims',
    ],
    ['garbage', () => 'not.a.jwt', 'malformed-token'],
  ])('rejects %s', async (_what, make, expected) => {
    expect(await reason(make())).toBe(expected);
  });

  it('tolerates 30 s of clock skew on exp', async () => {
    expect(
      await reason(sign({ ...base, iat: iat - 600, exp: iat - 20 }, ec.privateKey, 'ES256', 'ec1')),
    ).toBe('accepted');
  });
});

describe('the verified-token cache', () => {
  it('verifies a repeated token once, re-checks expiry on every use, and forgets after its TTL', async () => {
    let t = NOW;
    let lookups = 0;
    const counting: KeySource = {
      getKey: (kid) => {
        lookups++;
        return Promise.resolve(kid === 'ec1' ? ec.publicKey : undefined);
      },
    };
    const cached = createVerifier({
      keys: counting,
      issuer: 'urn:test',
      audience: 'ioc',
      now: () => t,
      cacheTtlMs: 60_000,
    });
    const token = sign(base, ec.privateKey, 'ES256', 'ec1'); // expires at iat + 600 s
    await cached(token);
    await cached(token);
    expect(lookups).toBe(1);
    t = NOW + 61_000;
    await cached(token);
    expect(lookups).toBe(2);
    t = NOW + 640_000; // past exp + 30 s tolerance, while still cached
    await expect(cached(token)).rejects.toMatchObject({ reason: 'expired' });
  });

  it('does not cache rejections', async () => {
    let lookups = 0;
    const counting: KeySource = {
      getKey: () => {
        lookups++;
        return Promise.resolve(undefined);
      },
    };
    const v = createVerifier({ keys: counting, issuer: 'urn:test', audience: 'ioc', now: () => NOW });
    const token = sign(base, ec.privateKey, 'ES256', 'ec1');
    await expect(v(token)).rejects.toMatchObject({ reason: 'unknown-key' });
    await expect(v(token)).rejects.toMatchObject({ reason: 'unknown-key' });
    expect(lookups).toBe(2);
  });
});

describe('JWKS sources', () => {
  it('parseJwks keeps public signature keys and refuses private ones', () => {
    const keys = parseJwks(
      JSON.stringify({ keys: [jwk(ec.publicKey, 'a'), { ...jwk(rsa.publicKey, 'enc'), use: 'enc' }] }),
      'test',
    );
    expect([...keys.keys()]).toEqual(['a']);
    expect(() => parseJwks(JSON.stringify({ keys: [jwk(ec.privateKey, 'p')] }), 'test')).toThrow(
      'contains a private key',
    );
    expect(() => parseJwks('{"keys": 1}', 'test')).toThrow('expected {"keys": [...]}');
    expect(() => parseJwks('nope', 'test')).toThrow('not JSON');
  });

  it('a JWKS file is re-read when it changes (key rotation)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jwks-'));
    const file = path.join(dir, 'jwks.json');
    fs.writeFileSync(file, JSON.stringify({ keys: [jwk(ec.publicKey, 'k1')] }));
    let t = 0;
    const src = jwksFileSource(file, { checkIntervalMs: 1000, now: () => t });
    expect(await src.getKey('k1')).toBeDefined();
    expect(await src.getKey('k2')).toBeUndefined();
    fs.writeFileSync(file, JSON.stringify({ keys: [jwk(ec.publicKey, 'k1'), jwk(other.publicKey, 'k2')] }));
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(await src.getKey('k2')).toBeDefined();
    fs.rmSync(dir, { recursive: true, force: true });
    // A known key is served from memory for up to the check interval, then the file is looked at again.
    expect(await src.getKey('k1')).toBeDefined();
    t = 1500;
    await expect(src.getKey('k1')).rejects.toThrow('no such JWKS file');
  });

  describe('over HTTP', () => {
    let server: http.Server;
    let url = '';
    let served: object[] = [];
    let hits = 0;
    beforeAll(async () => {
      server = http.createServer((_req, res) => {
        hits++;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: served }));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('caches, refetches on an unknown kid at most once per interval, and picks up rotated keys', async () => {
      let t = 0;
      served = [jwk(ec.publicKey, 'k1')];
      hits = 0;
      const src = jwksUrlSource(url, { now: () => t, minRefreshIntervalMs: 1000, maxAgeMs: 60_000 });
      expect(await src.getKey('k1')).toBeDefined();
      expect(await src.getKey('k1')).toBeDefined();
      expect(hits).toBe(1);
      served = [jwk(ec.publicKey, 'k1'), jwk(other.publicKey, 'k2')];
      expect(await src.getKey('k2')).toBeUndefined(); // too soon to refetch
      expect(hits).toBe(1);
      t = 1500;
      expect(await src.getKey('k2')).toBeDefined();
      expect(hits).toBe(2);
      t = 70_000;
      await src.getKey('k1');
      expect(hits).toBe(3);
    });
  });
});

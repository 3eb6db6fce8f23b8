import { describe, expect, it } from 'vitest';
import { digestAuthorization, parseChallenges, pickDigest, usernameToken } from './auth.js';

// RFC 7616 §3.9.1 example.
const rfc = {
  realm: 'http-auth@example.org',
  qop: 'auth, auth-int',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
};
const cnonce = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';

describe('HTTP digest', () => {
  it('parses several challenges from one joined header and prefers SHA-256', () => {
    const header = `Digest realm="${rfc.realm}", qop="auth, auth-int", algorithm=MD5, nonce="${rfc.nonce}", opaque="${rfc.opaque}", Digest realm="${rfc.realm}", qop="auth, auth-int", algorithm=SHA-256, nonce="${rfc.nonce}", opaque="${rfc.opaque}", Basic realm="x"`;
    const all = parseChallenges(header);
    expect(all.map((c) => c.scheme)).toEqual(['Digest', 'Digest', 'Basic']);
    expect(all[0]?.params).toEqual({ ...rfc, algorithm: 'MD5' });
    expect(pickDigest(all)?.params.algorithm).toBe('SHA-256');
  });

  it('computes the RFC 7616 MD5 response', () => {
    const h = digestAuthorization(
      { challenge: { scheme: 'Digest', params: { ...rfc, algorithm: 'MD5' } }, nc: 0 },
      'GET',
      '/dir/index.html',
      'Mufasa',
      'Circle of Life',
      cnonce,
    );
    expect(h).toContain('response="8ca523f5e9506fed4657c9700eebdbec"');
    expect(h).toContain('nc=00000001');
  });

  it('computes the RFC 7616 SHA-256 response', () => {
    const h = digestAuthorization(
      { challenge: { scheme: 'Digest', params: { ...rfc, algorithm: 'SHA-256' } }, nc: 0 },
      'GET',
      '/dir/index.html',
      'Mufasa',
      'Circle of Life',
      cnonce,
    );
    expect(h).toContain('response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"');
    expect(h).toContain('algorithm=SHA-256');
    expect(h).toContain(`opaque="${rfc.opaque}"`);
  });
});

describe('WS-UsernameToken', () => {
  it('digests nonce bytes + Created + UTF-8 password (vector computed independently)', () => {
    const nonce = Uint8Array.from({ length: 16 }, (_, i) => i);
    const xml = usernameToken('admin', 'Mật khẩu', nonce, new Date('2026-11-28T08:00:00.000Z'));
    expect(xml).toContain('>8h/Vz/BAcc4a9uXT7TalStXO+o8=</wsse:Password>');
    expect(xml).toContain('>AAECAwQFBgcICQoLDA0ODw==</wsse:Nonce>');
    expect(xml).toContain('<wsu:Created>2026-11-28T08:00:00Z</wsu:Created>');
  });
});

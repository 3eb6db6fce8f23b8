import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LgspClient, isLgspError, staticBearer, type TlsOptions } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'lgsp-tls-'));
const file = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

/** A throwaway CA issuing a server certificate for 127.0.0.1 and a client certificate. */
function makePki() {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Test Root CA VN',
  );
  for (const [name, ext] of [
    ['server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth'],
    ['client', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    writeFileSync(file(`${name}.ext`), `${ext}\n`);
    openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}.test`);
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-out',
      `${name}.pem`,
      '-extfile',
      `${name}.ext`,
    );
  }
  const read = (n: string) => readFileSync(file(n), 'utf8');
  return {
    ca: read('ca.pem'),
    serverCert: read('server.pem'),
    serverKey: read('server.key'),
    clientCert: read('client.pem'),
    clientKey: read('client.key'),
  };
}

let pki: ReturnType<typeof makePki>;
let server: Server;
let url: string;

beforeAll(async () => {
  pki = makePki();
  server = createServer(
    { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ client: peer.subject?.CN }));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

async function callWith(tls: TlsOptions) {
  const client = new LgspClient({ baseUrl: url, tls, auth: staticBearer('t'), retry: false });
  try {
    return await client.call<{ client: string }>({ context: 'svc', version: '1.0' });
  } finally {
    client.close();
  }
}

describe('TLS', () => {
  it('trusts a custom CA and presents a client certificate (mTLS)', async () => {
    const res = await callWith({ ca: pki.ca, cert: pki.clientCert, key: pki.clientKey });
    expect(res.data).toEqual({ client: 'client.test' });
  });

  it('verifies the server certificate: an unknown CA fails', async () => {
    try {
      await callWith({ cert: pki.clientCert, key: pki.clientKey });
      expect.unreachable();
    } catch (error) {
      expect(isLgspError(error) && error.code).toBe('NETWORK_ERROR');
      expect((error as Error).message).toMatch(/certificate/i);
    }
  });

  it('has no way to turn verification off, even when forced through a cast', async () => {
    const forced = { cert: pki.clientCert, key: pki.clientKey, rejectUnauthorized: false } as TlsOptions;
    await expect(callWith(forced)).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
  });

  it('fails when the server requires a client certificate and none is given', async () => {
    await expect(callWith({ ca: pki.ca })).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
  });
});

import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { loadCertificates, parseDer, type FetchLike } from '../src/index.js';

export const PKI = fileURLToPath(new URL('./fixtures/pki/', import.meta.url));
export const read = (name: string): Uint8Array => new Uint8Array(readFileSync(PKI + name));
export const manifest = JSON.parse(readFileSync(PKI + 'manifest.json', 'utf8')) as {
  generatedAt: string;
  validateAt: string;
  revokedAfterAt: string;
};
export const VALIDATE_AT = new Date(manifest.validateAt);

/** PEM text → DER of the first block (CRLs are written as PEM by openssl ca). */
export function pemToDer(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes).toString('latin1');
  if (!text.includes('-----BEGIN')) return bytes;
  return new Uint8Array(Buffer.from(text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
}
export const crl = (name: string): Uint8Array => pemToDer(read(name));

const SERIAL_TO_NAME = new Map<string, string>();
for (const n of [
  'signer-rsa',
  'signer-ec',
  'expired',
  'revoked-before',
  'revoked-after',
  'critical',
  'nokeyusage',
  'tsa',
]) {
  const c = loadCertificates(read(`${n}.crt`))[0];
  if (c !== undefined) SERIAL_TO_NAME.set(c.serialNumber, n);
}

/**
 * A loopback HTTP server speaking the PKI's wire formats: AIA (`/ca.p7b`, `/root.crt`), CRLs
 * (`/ca.crl`, `/root.crl`) and an OCSP responder (`POST /ocsp`, DER request → DER response, looked
 * up by the requested serial number).
 */
export class PkiServer {
  readonly hits: string[] = [];
  /** Status code forced for every request (e.g. 500), or undefined. */
  failWith: number | undefined;
  /** Delay before answering, in ms. */
  delayMs = 0;
  /**
   * `files`: answer OCSP with the responses made by openssl (no nonce). `signing`: build and sign a
   * fresh response (delegated responder key) echoing the request's nonce. `wrong-nonce`: the same with
   * another nonce.
   */
  ocspMode: 'files' | 'signing' | 'wrong-nonce' = 'files';
  /** producedAt/thisUpdate of signed responses. */
  ocspTime = new Date();
  private server: Server | undefined;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const answer = () => {
          this.hits.push(`${req.method ?? ''} ${req.url ?? ''}`);
          if (this.failWith !== undefined) {
            res.writeHead(this.failWith).end();
            return;
          }
          const body = this.route(req.method ?? 'GET', req.url ?? '/', Buffer.concat(chunks));
          if (body === undefined) res.writeHead(404).end();
          else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from(body));
        };
        if (this.delayMs > 0) setTimeout(answer, this.delayMs);
        else answer();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private route(method: string, url: string, body: Buffer): Uint8Array | undefined {
    if (method === 'GET' && url === '/ca.p7b') return read('ca.p7b');
    if (method === 'GET' && url === '/root.crt') return pemToDer(read('root.crt'));
    if (method === 'GET' && url === '/ca.crl') return crl('ca.crl');
    if (method === 'GET' && url === '/root.crl') return crl('root.crl');
    if (method === 'POST' && url === '/ocsp') {
      const tbs = parseDer(new Uint8Array(body)).children[0];
      const list = tbs?.children.find((c) => c.cls === 0 && c.tag === 16);
      const certId = list?.children[0]?.children[0];
      const serial = certId?.children[3];
      if (serial === undefined) return undefined;
      const hex = Buffer.from(serial.content)
        .toString('hex')
        .replace(/^(00)+(?=.)/, '');
      const name = SERIAL_TO_NAME.get(hex);
      if (this.ocspMode !== 'files' && certId !== undefined) {
        const exts = tbs?.children.find((c) => c.cls === 2 && c.tag === 2)?.children[0];
        const nonceExt = exts?.children.find(
          (e) => Buffer.from(e.children[0]?.content ?? []).toString('hex') === NONCE_OID_HEX,
        );
        let nonceValue = nonceExt?.children.at(-1)?.raw;
        if (nonceValue !== undefined && this.ocspMode === 'wrong-nonce') {
          nonceValue = tlv(0x04, tlv(0x04, Buffer.alloc(16, 7)));
        }
        return signedOcspResponse(certId.raw, nonceValue, this.ocspTime);
      }
      return name === undefined ? undefined : read(`ocsp/${name}.der`);
    }
    return undefined;
  }

  /** A fetch that sends `http://pki.test/...` (the URLs in the test certificates) to this server. */
  readonly fetch: FetchLike = (url, init) =>
    fetch(url.replace('http://pki.test', this.base), {
      method: init.method,
      signal: init.signal,
      ...(init.headers === undefined ? {} : { headers: init.headers }),
      ...(init.body === undefined ? {} : { body: init.body }),
    });

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

const NONCE_OID_HEX = '2b0601050507300102';

function tlv(tag: number, content: Uint8Array): Buffer {
  const len = content.length;
  const head = len < 0x80 ? [len] : len < 0x100 ? [0x81, len] : [0x82, len >> 8, len & 0xff];
  return Buffer.concat([Buffer.from([tag, ...head]), content]);
}

function generalizedTime(d: Date): Buffer {
  return tlv(
    0x18,
    Buffer.from(
      d
        .toISOString()
        .replace(/[-:T]/g, '')
        .replace(/\.\d+Z$/, 'Z'),
      'latin1',
    ),
  );
}

/** A BasicOCSPResponse "good" for `certIdDer`, signed by the delegated responder, echoing `nonceValue`. */
function signedOcspResponse(certIdDer: Uint8Array, nonceValue: Uint8Array | undefined, at: Date): Uint8Array {
  const responder = loadCertificates(read('ocsp.crt'))[0];
  if (responder === undefined) throw new Error('fixture');
  const single = tlv(0x30, Buffer.concat([certIdDer, Buffer.from([0x80, 0x00]), generalizedTime(at)]));
  const parts = [tlv(0xa1, responder.subject.der), generalizedTime(at), tlv(0x30, single)];
  if (nonceValue !== undefined) {
    const ext = tlv(0x30, Buffer.concat([tlv(0x06, Buffer.from(NONCE_OID_HEX, 'hex')), nonceValue]));
    parts.push(tlv(0xa1, tlv(0x30, ext)));
  }
  const tbs = tlv(0x30, Buffer.concat(parts));
  const key = createPrivateKey(Buffer.from(read('ocsp.key')));
  const signature = sign('sha256', tbs, key);
  const sha256WithRsa = tlv(
    0x30,
    Buffer.concat([tlv(0x06, Buffer.from('2a864886f70d01010b', 'hex')), Buffer.from([0x05, 0x00])]),
  );
  const basic = tlv(
    0x30,
    Buffer.concat([
      tbs,
      sha256WithRsa,
      tlv(0x03, Buffer.concat([Buffer.from([0]), signature])),
      tlv(0xa0, tlv(0x30, responder.der)),
    ]),
  );
  const basicOid = tlv(0x06, Buffer.from('2b0601050507300101', 'hex'));
  const bytes = tlv(0xa0, tlv(0x30, Buffer.concat([basicOid, tlv(0x04, basic)])));
  return new Uint8Array(tlv(0x30, Buffer.concat([Buffer.from([0x0a, 0x01, 0x00]), bytes])));
}

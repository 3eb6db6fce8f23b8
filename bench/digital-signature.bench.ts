/**
 * @dttm/digital-signature against named peers, in one process, on the same detached CMS signature
 * (RSA-2048, SHA-256, signed attributes, signer → intermediate → root):
 * - `verifyCms` (parse + signer identification + messageDigest + signature + path building with every
 *   link checked + OCSP for the signer and CRL for the intermediate, both signature-checked; downloads
 *   served once and then taken from the shared `ValidationCache`) vs one raw `crypto.verify` of the
 *   same signature over the same signed attributes: the overhead ratio of a full validation.
 * - the same `verifyCms` vs pkijs `SignedData.verify({ signer: 0, checkChain: true })`, which does
 *   parsing, the signature and the chain but no revocation.
 * - `verifyEdxml` on an edXML package signed by xmlsec1 (rsa-sha256, exclusive c14n, `URI=""`
 *   enveloped; XML guard + DOM + c14n + digest + signature + coverage + path + revocation from the
 *   cache) vs xml-crypto 6 `SignedXml.checkSignature` with the signer's certificate given
 *   (parse + c14n + digest + signature; no chain, no revocation, no coverage report), on the 6 KB
 *   package and on the same package with a 2 MiB attachment.
 */
import { constants, verify, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as pkijs from 'pkijs';
import {
  loadCertificates,
  parseSignedData,
  TrustStore,
  ValidationCache,
  verifyCms,
  type FetchLike,
} from '../packages/digital-signature/src/index.js';
import { SignedXml } from 'xml-crypto';
import { signEdxml, verifyEdxml } from '../packages/digital-signature/src/index.js';
import { defineBench } from './harness.js';

const dir = new URL('../packages/digital-signature/test/fixtures/pki/', import.meta.url);
const file = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));
const pemToDer = (b: Uint8Array) =>
  new Uint8Array(
    Buffer.from(
      Buffer.from(b)
        .toString('latin1')
        .replace(/-----[^-]+-----/g, '')
        .replace(/\s+/g, ''),
      'base64',
    ),
  );
const manifest = JSON.parse(Buffer.from(file('manifest.json')).toString('utf8')) as { validateAt: string };
const validationTime = new Date(manifest.validateAt);

const cms = file('cms/valid-rsa-detached.p7s');
const content = file('content.txt');
const rootDer = pemToDer(file('root.crt'));
const trustStore = new TrustStore({ anchors: [rootDer], includeVietnameseRoots: false });
const cache = new ValidationCache();
const served: Record<string, Uint8Array> = {
  'http://pki.test/ocsp': file('ocsp/signer-rsa.der'),
  'http://pki.test/ca.crl': pemToDer(file('ca.crl')),
  'http://pki.test/root.crl': pemToDer(file('root.crl')),
};
const memoryFetch: FetchLike = (url) => {
  const body = served[url];
  return Promise.resolve({
    ok: body !== undefined,
    status: body === undefined ? 404 : 200,
    arrayBuffer: () => Promise.resolve(new Uint8Array(body ?? []).buffer),
  });
};
const options = {
  trustStore,
  detachedContent: content,
  validationTime,
  clock: () => validationTime,
  fetch: memoryFetch,
  cache,
};

const sd = parseSignedData(cms);
const signer = sd.signers[0];
const signerCert = loadCertificates(file('signer-rsa.crt'))[0];
if (signer?.signedAttributesDer === undefined || signerCert === undefined) throw new Error('fixture');
const signedAttrs = signer.signedAttributesDer;
const signatureValue = signer.signature;
const key = signerCert.publicKey;

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto }));
const pkijsRoot = pkijs.Certificate.fromBER(rootDer);
const contentBuffer = content.slice().buffer;

async function ours(): Promise<void> {
  const report = await verifyCms(cms, options);
  if (report.indication !== 'TOTAL_PASSED')
    throw new Error(`unexpected ${report.indication} ${report.subIndication ?? ''}`);
}

const edxmlDir = new URL('../packages/digital-signature/test/fixtures/edxml/', import.meta.url);
const smallEdxml = readFileSync(new URL('signed-xmlsec1-rsa-sha256.xml', edxmlDir), 'utf8');
const attachment = Buffer.alloc(2 * 1024 * 1024, 0x25)
  .toString('base64')
  .replace(/.{76}/g, '$&\n');
const largeEdxml = signEdxml(
  readFileSync(new URL('cong-van.xml', edxmlDir), 'utf8').replace(
    /<ContentTransferEncoded>[^<]*<\/ContentTransferEncoded>/,
    `<ContentTransferEncoded>${attachment}</ContentTransferEncoded>`,
  ),
  {
    key: readFileSync(new URL('signer-rsa.key', dir), 'utf8'),
    certificateChain: [file('signer-rsa.crt'), file('ca.crt')],
  },
);
const signerPem = readFileSync(new URL('signer-rsa.crt', dir), 'utf8');
const xmlOptions = { ...options, maxBytes: 16 * 1024 * 1024 };

async function oursXml(xml: string): Promise<void> {
  const report = await verifyEdxml(xml, xmlOptions);
  if (report.indication !== 'TOTAL_PASSED')
    throw new Error(`unexpected ${report.indication} ${report.subIndication ?? ''}`);
}

function xmlCrypto(xml: string): void {
  const signature = /<Signature [\s\S]*<\/Signature>/.exec(xml)?.[0];
  if (signature === undefined) throw new Error('no signature');
  const sig = new SignedXml({ publicCert: signerPem });
  sig.loadSignature(signature);
  if (!sig.checkSignature(xml)) throw new Error('xml-crypto rejected the signature');
}

export default defineBench({
  name: 'digital-signature',
  async setup() {
    await ours();
    await oursXml(smallEdxml);
    await oursXml(largeEdxml);
    xmlCrypto(smallEdxml);
    xmlCrypto(largeEdxml);
  },
  comparisons: [
    {
      name: 'cms-full-validation',
      peer: 'raw-crypto.verify',
      unit: 'sig',
      ours,
      theirs: () => {
        if (!verify('sha256', signedAttrs, { key, padding: constants.RSA_PKCS1_PADDING }, signatureValue))
          throw new Error('bad');
      },
    },
    {
      name: 'cms-full-validation',
      peer: 'pkijs-SignedData.verify',
      unit: 'sig',
      ours,
      theirs: async () => {
        const ci = pkijs.ContentInfo.fromBER(cms.slice().buffer);
        const signed = new pkijs.SignedData({ schema: ci.content });
        const ok = await signed.verify({
          signer: 0,
          data: contentBuffer,
          checkChain: true,
          trustedCerts: [pkijsRoot],
          checkDate: validationTime,
        });
        if (!ok) throw new Error('pkijs rejected the signature');
      },
    },
    {
      name: 'edxml-xmldsig-full-validation',
      peer: 'xml-crypto-checkSignature',
      unit: 'sig',
      ours: () => oursXml(smallEdxml),
      theirs: () => xmlCrypto(smallEdxml),
    },
    {
      name: 'edxml-2mib-xmldsig-full-validation',
      peer: 'xml-crypto-checkSignature',
      unit: 'sig',
      ours: () => oursXml(largeEdxml),
      theirs: () => xmlCrypto(largeEdxml),
    },
  ],
});

import fs from 'node:fs';
import path from 'node:path';
import { TrustStore } from '@dttm/digital-signature';

/** How received signatures are verified: trust anchors and offline revocation data. */
export interface DocumentTrust {
  readonly trustStore: TrustStore;
  readonly crls: readonly Uint8Array[];
}

/** The key and certificate chain (signer first) that sign outgoing documents. */
export interface DocumentSigner {
  readonly key: string;
  readonly certificateChain: readonly string[];
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Loads trust anchors (`.pem`, `.cer`, `.crt`, DER or PEM) and CRLs (`.crl`) from a folder. Without a
 * folder, the Vietnamese roots bundled with `@dttm/digital-signature` are the anchors.
 */
export function loadTrust(dir: string | undefined): DocumentTrust {
  if (dir === undefined) return { trustStore: new TrustStore(), crls: [] };
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch (err) {
    throw new Error(`DOCUMENT_TRUST_ANCHORS: cannot read the folder ${dir}`, { cause: err });
  }
  const anchors: Uint8Array[] = [];
  const crls: Uint8Array[] = [];
  for (const name of names) {
    const ext = path.extname(name).toLowerCase();
    const file = path.join(dir, name);
    if (['.pem', '.cer', '.crt'].includes(ext)) anchors.push(fs.readFileSync(file));
    else if (ext === '.crl') crls.push(fs.readFileSync(file));
  }
  if (anchors.length === 0) throw new Error(`DOCUMENT_TRUST_ANCHORS: no .pem, .cer or .crt file in ${dir}`);
  return { trustStore: new TrustStore({ anchors, includeVietnameseRoots: false }), crls };
}

/** Reads the signing key and its certificate chain (one PEM file, signer first). */
export function loadSigner(keyFile: string, certFile: string): DocumentSigner {
  const key = fs.readFileSync(keyFile, 'utf8');
  const certificateChain = fs.readFileSync(certFile, 'utf8').match(PEM_CERT) ?? [];
  if (certificateChain.length === 0)
    throw new Error(`DOCUMENT_SIGNING_CERT: no PEM certificate in ${certFile}`);
  return { key, certificateChain };
}

import type { SignedData, SignerInfo } from './cms.js';
import type { LtvReport, SignatureReport } from './report.js';

/** Adobe's signed attribute carrying CRLs and OCSP responses in PDF signatures (adbe-revocationInfoArchival). */
const ADBE_REVOCATION_INFO = '1.2.840.113583.1.1.8';
/** CAdES id-aa-ets-revocationValues. */
const CADES_REVOCATION_VALUES = '1.2.840.113549.1.9.16.2.24';
/** CAdES archive timestamps: id-aa-ets-archiveTimestampV2 and ETSI archive-time-stamp-v3. */
const ARCHIVE_TIMESTAMPS = new Set(['1.2.840.113549.1.9.16.2.48', '0.4.0.1733.2.4']);

export type RevocationDataSource = LtvReport['revocationData'][number];

/** What validation data one signer embeds (the level is computed by {@link ltvLevel}). */
export function embeddedValidationData(
  sd: SignedData,
  signer: SignerInfo,
): { revocationData: RevocationDataSource[]; archiveTimestamp: boolean } {
  const sources: RevocationDataSource[] = [];
  if (sd.crls.length > 0) sources.push('cms-crls');
  if ((signer.signedAttributes ?? []).some((a) => a.oid === ADBE_REVOCATION_INFO))
    sources.push('adbe-revocation-info');
  if (signer.unsignedAttributes.some((a) => a.oid === CADES_REVOCATION_VALUES))
    sources.push('cades-revocation-values');
  return {
    revocationData: sources,
    archiveTimestamp: signer.unsignedAttributes.some((a) => ARCHIVE_TIMESTAMPS.has(a.oid)),
  };
}

/**
 * The baseline level (ETSI EN 319 122/142) the embedded data reaches, as a hint: B-T with a valid
 * signature (or document) timestamp, B-LT when revocation data is embedded too, B-LTA with an archive
 * timestamp (or a document timestamp after the DSS) on top.
 */
export function ltvReport(
  report: SignatureReport,
  data: {
    revocationData: readonly RevocationDataSource[];
    archiveTimestamp: boolean;
    documentTimestamp?: boolean;
  },
): LtvReport {
  const signatureTimestamp = report.timestamps.some((t) => t.valid);
  const timestamped = signatureTimestamp || data.documentTimestamp === true;
  const lt = timestamped && data.revocationData.length > 0;
  const level = lt && data.archiveTimestamp ? 'B-LTA' : lt ? 'B-LT' : timestamped ? 'B-T' : 'B-B';
  return {
    level,
    signatureTimestamp,
    ...(data.documentTimestamp === undefined ? {} : { documentTimestamp: data.documentTimestamp }),
    revocationData: [...data.revocationData],
    archiveTimestamp: data.archiveTimestamp,
  };
}

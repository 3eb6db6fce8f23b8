import { DEFAULT_DELIMITERS } from './er7/escape.js';
import { buildHl7, type FieldValue, type Hl7Message } from './er7/message.js';
import { formatDtm } from './timestamp.js';

/** Original (AA/AE/AR) and enhanced commit (CA/CE/CR) acknowledgment codes. */
export type AckCode = 'AA' | 'AE' | 'AR' | 'CA' | 'CE' | 'CR';

/** Where and why a message was not accepted; becomes an ERR segment. */
export interface AckError {
  /** Segment id (`PID`), 1-based sequence, field, repetition, component: ERR-2 (ERR-1 before v2.5). */
  readonly segment?: string;
  readonly sequence?: number;
  readonly field?: number;
  /** HL7 table 0357 code: 100 segment sequence, 101 required field missing, 102 data type, 200 unsupported type, 207 internal error. */
  readonly hl7Code: '100' | '101' | '102' | '103' | '200' | '201' | '202' | '203' | '207';
  /** Human-readable text (ERR-8, and MSA-3). */
  readonly text: string;
}

export interface AckOptions {
  readonly now?: Date;
  /** Offset used for MSH-7. Default `+07:00`. */
  readonly offset?: string;
  /** MSH-10 of the ACK. */
  readonly controlId: string;
}

const TABLE_0357: Record<AckError['hl7Code'], string> = {
  '100': 'Segment sequence error',
  '101': 'Required field missing',
  '102': 'Data type error',
  '103': 'Table value not found',
  '200': 'Unsupported message type',
  '201': 'Unsupported event code',
  '202': 'Unsupported processing id',
  '203': 'Unsupported version id',
  '207': 'Application internal error',
};

function versionAtLeast25(v: string): boolean {
  const [maj, min] = v.split('.').map(Number);
  return (maj ?? 2) > 2 || (min ?? 5) >= 5;
}

/**
 * Builds the ACK for `original` (or for an unparsable message when `undefined`): sender and
 * receiver swapped, same processing id, version and charset, MSA-2 = the original MSH-10, and an
 * ERR segment naming the offending field (ERR-2/3/4/8 from v2.5, ERR-1 before).
 */
export function buildAck(
  original: Hl7Message | undefined,
  code: AckCode,
  error: AckError | undefined,
  options: AckOptions,
): Hl7Message {
  const g = (p: string) => original?.get(p) ?? '';
  const version = g('MSH-12') || '2.5';
  const d = original?.delimiters ?? DEFAULT_DELIMITERS;
  const msh: FieldValue[] = [
    'MSH',
    '',
    '',
    g('MSH-5'),
    g('MSH-6'),
    g('MSH-3'),
    g('MSH-4'),
    formatDtm(options.now ?? new Date(), options.offset),
    '',
    ['ACK', g('MSH-9.2'), 'ACK'],
    options.controlId,
    g('MSH-11') || 'P',
    version,
  ];
  const charset = g('MSH-18');
  if (charset !== '') msh.push('', '', '', '', '', charset);
  const segments: FieldValue[][] = [
    msh,
    ['MSA', code, g('MSH-10'), ...(error === undefined ? [] : [error.text])],
  ];
  if (error !== undefined) {
    const loc = [error.segment ?? '', String(error.sequence ?? ''), String(error.field ?? '')];
    while (loc.length > 1 && loc[loc.length - 1] === '') loc.pop();
    const hl7 = [error.hl7Code, TABLE_0357[error.hl7Code], 'HL70357'];
    if (versionAtLeast25(version)) segments.push(['ERR', '', loc, hl7, 'E', '', '', '', error.text]);
    else segments.push(['ERR', [...loc, error.hl7Code]]);
  }
  return buildHl7(segments, d, original?.charset ?? 'utf8');
}

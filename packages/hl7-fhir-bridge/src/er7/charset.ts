import iconv from 'iconv-lite';
import { Hl7Error } from '../errors.js';

/**
 * HL7 table 0211 (MSH-18) names mapped to decoder names. Names not listed here are tried as
 * code-page names directly (`WINDOWS-1258`, `TCVN`, `VISCII`, `CP1252`...), so a vendor's legacy
 * code page works when MSH-18 names it.
 */
const TABLE_0211: Readonly<Record<string, string>> = {
  '': 'utf8',
  ASCII: 'utf8',
  'UNICODE UTF-8': 'utf8',
  'UTF-8': 'utf8',
  UTF8: 'utf8',
  '8859/1': 'iso-8859-1',
  '8859/2': 'iso-8859-2',
  '8859/3': 'iso-8859-3',
  '8859/4': 'iso-8859-4',
  '8859/5': 'iso-8859-5',
  '8859/6': 'iso-8859-6',
  '8859/7': 'iso-8859-7',
  '8859/8': 'iso-8859-8',
  '8859/9': 'iso-8859-9',
  '8859/15': 'iso-8859-15',
  'GB 18030-2000': 'gb18030',
  'BIG-5': 'big5',
  'KS X 1001': 'euc-kr',
  'ISO IR87': 'euc-jp',
};

/**
 * Resolves an MSH-18 value to a decoder name. `overrides` maps MSH-18 values (upper-case) to
 * decoder names for a facility whose HIS uses a non-standard label.
 */
export function resolveCharset(msh18: string, overrides?: Readonly<Record<string, string>>): string {
  const key = msh18.trim().toUpperCase();
  const name = overrides?.[key] ?? TABLE_0211[key] ?? key.replace(/\s+/g, '');
  if (name === 'utf8' || iconv.encodingExists(name)) return name;
  throw new Hl7Error(
    'CHARSET_UNSUPPORTED',
    `MSH-18 names an unsupported character set "${msh18}" / MSH-18 chỉ định bộ mã không hỗ trợ "${msh18}"`,
    { details: { field: 'MSH-18', value: msh18 } },
  );
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decodes bytes in `charset`; invalid UTF-8 is an error, never replaced silently. */
export function decodeBytes(bytes: Uint8Array, charset: string): string {
  if (charset === 'utf8') {
    try {
      return utf8Fatal.decode(bytes);
    } catch (cause) {
      throw new Hl7Error(
        'BINARY_CONTENT',
        'The message is not valid UTF-8; set MSH-18 or the charset option / Thông điệp không phải UTF-8 hợp lệ',
        { cause, details: { charset } },
      );
    }
  }
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), charset);
}

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;

/**
 * Windows-1258 stores Vietnamese with precomposed vowels (ă, â, ê, ô, ơ, ư) and separate tone
 * marks: keep the vowel composed and move the tone mark after it.
 */
function toCp1258Form(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    if (ch.charCodeAt(0) < 0x80) {
      out += ch;
      continue;
    }
    const nfd = ch.normalize('NFD');
    const tones = nfd.match(TONE_MARKS);
    out += tones === null ? ch : nfd.replace(TONE_MARKS, '').normalize('NFC') + tones.join('');
  }
  return out;
}

/** Encodes text in `charset` (the inverse of {@link decodeBytes}). */
export function encodeText(text: string, charset: string): Buffer {
  if (charset === 'utf8') return Buffer.from(text, 'utf8');
  const c = charset.toLowerCase().replace(/[^a-z0-9]/g, '');
  return iconv.encode(c === 'windows1258' || c === 'cp1258' ? toCp1258Form(text) : text, charset);
}

import { encodeOid, encodeSequence, encodeTlv } from '../der.js';

/** A small DER writer for the test PKI (certificates, CRLs, OCSP responses, `.p7b` bundles). */

export { encodeOid as oid, encodeSequence as seq, encodeTlv as tlv };

export const set = (...items: Uint8Array[]): Uint8Array =>
  encodeTlv(0x31, Buffer.concat([...items].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))));

export const octets = (b: Uint8Array): Uint8Array => encodeTlv(0x04, b);
export const utf8 = (s: string): Uint8Array => encodeTlv(0x0c, Buffer.from(s.normalize('NFC'), 'utf8'));
export const printable = (s: string): Uint8Array => encodeTlv(0x13, Buffer.from(s, 'latin1'));
export const ia5 = (s: string): Uint8Array => encodeTlv(0x16, Buffer.from(s, 'latin1'));
export const bool = (v: boolean): Uint8Array => Uint8Array.of(0x01, 0x01, v ? 0xff : 0x00);
export const nullValue = (): Uint8Array => Uint8Array.of(0x05, 0x00);
export const enumerated = (n: number): Uint8Array => Uint8Array.of(0x0a, 0x01, n);
/** `[n]` EXPLICIT (constructed). */
export const explicit = (n: number, inner: Uint8Array): Uint8Array => encodeTlv(0xa0 | n, inner);

/** INTEGER from a non-negative number or a hex string (big-endian), minimally encoded. */
export function integer(value: number | string): Uint8Array {
  let hex = typeof value === 'number' ? value.toString(16) : value.toLowerCase();
  if (hex.length % 2 === 1) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  while (bytes.length > 1 && bytes[0] === 0 && ((bytes[1] as number) & 0x80) === 0) bytes = bytes.subarray(1);
  if (bytes.length === 0) bytes = Buffer.from([0]);
  if (((bytes[0] as number) & 0x80) !== 0) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return encodeTlv(0x02, bytes);
}

/** BIT STRING with no unused bits. */
export const bitString = (b: Uint8Array): Uint8Array => encodeTlv(0x03, Buffer.concat([Buffer.from([0]), b]));

/** BIT STRING of named bits (bit 0 first), DER: trailing zero bits removed. */
export function namedBits(bits: readonly number[]): Uint8Array {
  const highest = Math.max(-1, ...bits);
  if (highest < 0) return Uint8Array.of(0x03, 0x01, 0x00);
  const bytes = new Uint8Array(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[bit >> 3] = (bytes[bit >> 3] as number) | (0x80 >> (bit & 7));
  const unused = 7 - (highest & 7);
  return encodeTlv(0x03, Buffer.concat([Buffer.from([unused]), bytes]));
}

const stamp = (d: Date): string =>
  d
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d+Z$/, 'Z');

/** UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5). */
export function time(d: Date): Uint8Array {
  const y = d.getUTCFullYear();
  return y >= 1950 && y < 2050
    ? encodeTlv(0x17, Buffer.from(stamp(d).slice(2), 'latin1'))
    : generalizedTime(d);
}

export const generalizedTime = (d: Date): Uint8Array => encodeTlv(0x18, Buffer.from(stamp(d), 'latin1'));

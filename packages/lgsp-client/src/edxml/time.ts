const VN_OFFSET_MS = 7 * 60 * 60 * 1000;
const TIMESTAMP = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Formats an instant as an edXML timestamp `yyyy/MM/dd HH:mm:ss` in Vietnam time (+07:00). */
export function edxmlTimestamp(instant: Date | number): string {
  const d = new Date((typeof instant === 'number' ? instant : instant.getTime()) + VN_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** Converts an edXML timestamp (Vietnam time) to ISO 8601 with its `+07:00` offset; `undefined` if malformed. */
export function edxmlTimestampToIso(timestamp: string): string | undefined {
  const m = TIMESTAMP.exec(timestamp.trim());
  if (!m) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+07:00`;
}

/** The separators and escape character of one message, from MSH-1 and MSH-2. */
export interface Delimiters {
  readonly field: string;
  readonly component: string;
  readonly repetition: string;
  readonly escape: string;
  readonly subcomponent: string;
  /** The v2.7+ truncation character (fifth MSH-2 character), when present. */
  readonly truncation?: string;
}

/** `|^~\&`: the delimiters virtually every sender uses. */
export const DEFAULT_DELIMITERS: Delimiters = {
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
};

/** The MSH-2 text for a set of delimiters. */
export function encodingCharacters(d: Delimiters): string {
  return d.component + d.repetition + d.escape + d.subcomponent + (d.truncation ?? '');
}

/** Decodes the hex payload of `\Xhh..\` to text; the message's charset decides how. */
export type HexDecoder = (bytes: Uint8Array) => string;

const latin1Hex: HexDecoder = (bytes) => Buffer.from(bytes).toString('latin1');

/**
 * Replaces ER7 escape sequences by the text they stand for: `\F\ \S\ \T\ \R\ \E\ \P\` → the
 * delimiter, `\Xhh…\` → bytes decoded by `hex`, `\.br\` and `\.sp\` → line break, highlighting
 * (`\H\ \N\`), other formatting commands and character-set switches (`\Cxxyy\ \Mxxyyzz\`) → nothing.
 * A lone escape character or an unknown sequence (`\Z…\` included) is kept as it is.
 */
export function unescapeText(raw: string, d: Delimiters, hex: HexDecoder = latin1Hex): string {
  const e = d.escape;
  let start = raw.indexOf(e);
  if (start < 0) return raw;
  let out = raw.slice(0, start);
  while (start >= 0) {
    const end = raw.indexOf(e, start + 1);
    if (end < 0) {
      out += raw.slice(start);
      return out;
    }
    const body = raw.slice(start + 1, end);
    const replacement = escapeBody(body, d, hex);
    if (replacement === undefined) {
      // Not a sequence: keep the escape character and continue right after it.
      out += e;
      const next = raw.indexOf(e, start + 1);
      out += raw.slice(start + 1, next < 0 ? raw.length : next);
      start = next;
      continue;
    }
    out += replacement;
    const next = raw.indexOf(e, end + 1);
    out += raw.slice(end + 1, next < 0 ? raw.length : next);
    start = next;
  }
  return out;
}

function escapeBody(body: string, d: Delimiters, hex: HexDecoder): string | undefined {
  switch (body) {
    case 'F':
      return d.field;
    case 'S':
      return d.component;
    case 'T':
      return d.subcomponent;
    case 'R':
      return d.repetition;
    case 'E':
      return d.escape;
    case 'P':
      return d.truncation ?? '#';
    case 'H':
    case 'N':
      return '';
    case '.br':
      return '\n';
    default:
      break;
  }
  const c = body.charCodeAt(0);
  if (body.length >= 3 && c === 0x58 /* X */ && /^X(?:[0-9A-Fa-f]{2})+$/.test(body)) {
    return hex(Buffer.from(body.slice(1), 'hex'));
  }
  if (/^\.sp(?: ?\+?\d+)?$/.test(body)) return '\n';
  if (/^\.(?:fi|nf|in ?[+-]?\d+|ti ?[+-]?\d+|sk ?\+?\d+|ce)$/.test(body)) return '';
  if (/^C[0-9A-Fa-f]{4}$/.test(body) || /^M[0-9A-Fa-f]{4}(?:[0-9A-Fa-f]{2})?$/.test(body)) return '';
  return undefined;
}

/**
 * Escapes text so it can be placed in a field: delimiters and the escape character become
 * `\F\ \S\ \T\ \R\ \E\` (and `\P\` for the truncation character); line breaks become `\.br\`.
 */
export function escapeText(text: string, d: Delimiters): string {
  let out = '';
  for (const ch of text) {
    if (ch === d.escape) out += `${d.escape}E${d.escape}`;
    else if (ch === d.field) out += `${d.escape}F${d.escape}`;
    else if (ch === d.component) out += `${d.escape}S${d.escape}`;
    else if (ch === d.subcomponent) out += `${d.escape}T${d.escape}`;
    else if (ch === d.repetition) out += `${d.escape}R${d.escape}`;
    else if (d.truncation !== undefined && ch === d.truncation) out += `${d.escape}P${d.escape}`;
    else if (ch === '\n') out += `${d.escape}.br${d.escape}`;
    else if (ch === '\r') continue;
    else out += ch;
  }
  return out;
}

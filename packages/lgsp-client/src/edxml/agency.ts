import { LgspError } from '../errors.js';

/** Kind of a level-1 agency, from the letter of its `Lnn` segment. */
export type AgencyKind = 'central' | 'province' | 'other';

/** An agency identifier (mã định danh, QĐ 20/2020/QĐ-TTg) split into its levels. */
export interface AgencyCode {
  /** The normalized code (trimmed, upper case). */
  readonly code: string;
  /** 1 for a ministry, central body or province itself; 2, 3, 4… for units below it. */
  readonly level: number;
  /** `G` + 2 digits: ministries and central bodies; `H` + 2 digits: provinces. */
  readonly kind: AgencyKind;
  /** Segments from level 1 down to this agency's level, e.g. `['H22', '08', '01']`. */
  readonly levels: readonly string[];
  /** Codes of this agency and all its ancestors, from level 1 down, e.g. `['000.00.00.H22', '000.00.08.H22']`. */
  readonly chain: readonly string[];
  /** The parent agency's code, absent at level 1. */
  readonly parent?: string;
}

/** Maximum length of an agency code (Thông tư 01/2022/TT-BTTTT). */
export const AGENCY_CODE_MAX_LENGTH = 35;

const LEVEL1 = /^[A-Z][0-9]{2}$/;
const SEGMENT = /^[0-9A-Z]{2,3}$/;

function invalid(code: string, why: string, vi: string): LgspError<'AGENCY_CODE_INVALID'> {
  return new LgspError(
    'AGENCY_CODE_INVALID',
    `invalid agency code "${code}": ${why} / mã định danh "${code}" không hợp lệ: ${vi}`,
    {
      details: { code },
    },
  );
}

/**
 * Parses an agency identifier of the form `AAA.BB.CC.Lnn`, read right to left: `Lnn` is level 1,
 * then levels 2, 3, 4; a segment of zeros means "this level itself". Leading/trailing whitespace is
 * removed and letters are upper-cased (real packages carry both).
 */
export function parseAgencyCode(input: string): AgencyCode {
  const code = input.trim().toUpperCase();
  if (code.length === 0) throw invalid(code, 'empty', 'rỗng');
  if (code.length > AGENCY_CODE_MAX_LENGTH) {
    throw invalid(
      code,
      `longer than ${AGENCY_CODE_MAX_LENGTH} characters`,
      `dài quá ${AGENCY_CODE_MAX_LENGTH} ký tự`,
    );
  }
  const segments = code.split('.');
  if (segments.length < 2)
    throw invalid(code, 'expected segments separated by "."', 'thiếu các cấp phân tách bởi "."');
  const level1 = segments[segments.length - 1] as string;
  if (!LEVEL1.test(level1)) {
    throw invalid(
      code,
      `the last segment "${level1}" must be a letter and two digits`,
      `cấp 1 "${level1}" phải là một chữ cái và hai chữ số`,
    );
  }
  const lower = segments.slice(0, -1).reverse(); // level 2, 3, 4...
  const levels = [level1];
  let ended = false;
  for (const [i, segment] of lower.entries()) {
    if (!SEGMENT.test(segment)) {
      throw invalid(
        code,
        `segment "${segment}" must be 2–3 digits or letters`,
        `cấp "${segment}" phải gồm 2–3 chữ số hoặc chữ cái`,
      );
    }
    const zero = /^0+$/.test(segment);
    if (zero) ended = true;
    else if (ended) {
      throw invalid(
        code,
        `level ${i + 2} is set under an empty level ${i + 1}`,
        `cấp ${i + 2} nằm dưới cấp ${i + 1} trống`,
      );
    } else levels.push(segment);
  }
  const width = lower.map((s) => s.length);
  const chain = levels.map((_, depth) => {
    const parts = lower.map((s, i) =>
      i < depth ? (levels[i + 1] as string) : '0'.repeat(width[i] ?? s.length),
    );
    return [...parts.reverse(), level1].join('.');
  });
  const kind: AgencyKind = level1.startsWith('G') ? 'central' : level1.startsWith('H') ? 'province' : 'other';
  const parent = chain.length > 1 ? chain[chain.length - 2] : undefined;
  return { code, level: levels.length, kind, levels, chain, ...(parent === undefined ? {} : { parent }) };
}

/** True when `input` parses as an agency code. */
export function isAgencyCode(input: string): boolean {
  try {
    parseAgencyCode(input);
    return true;
  } catch {
    return false;
  }
}

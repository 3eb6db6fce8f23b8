import type { FieldReport, ReportFilter, ReportPhoto } from './types.js';

/** Row shapes and conversions of the field-report tables, shared by the SQL back ends. */
export interface ReportRow {
  body: string;
}

export interface ReportPhotoRow {
  sha256: string;
  media_type: string;
  data: Buffer | Uint8Array;
}

export const toReport = (r: ReportRow): FieldReport => JSON.parse(r.body) as FieldReport;

export const toPhoto = (r: ReportPhotoRow): ReportPhoto => ({
  sha256: r.sha256,
  mediaType: r.media_type === 'image/png' ? 'image/png' : 'image/jpeg',
  data: Buffer.from(r.data),
});

/** The columns a report is filtered by, beside its JSON body. */
export function reportColumns(r: FieldReport) {
  return {
    id: r.id,
    code: r.code,
    state: r.state,
    category: r.category,
    department: r.department,
    district: r.district ?? null,
    submitted_at: r.submittedAt,
    deadline: r.deadline,
    updated_at: r.updatedAt,
    body: JSON.stringify(r),
  };
}

/** States in which a report is still open (its deadline matters). */
export const OPEN_REPORT_STATES = ['received', 'assigned', 'in-progress', 'escalated'] as const;

/**
 * The WHERE clause of a report filter; `arg` adds a value and returns its placeholder. Undefined when
 * the filter can match nothing.
 */
export function reportWhere(f: ReportFilter, arg: (v: string) => string): string | undefined {
  const where: string[] = [];
  if (f.states !== undefined) {
    if (f.states.length === 0) return undefined;
    where.push(`state IN (${f.states.map((s) => arg(s)).join(', ')})`);
  }
  if (f.department !== undefined) where.push(`department = ${arg(f.department)}`);
  if (f.district !== undefined) where.push(`district = ${arg(f.district)}`);
  if (f.category !== undefined) where.push(`category = ${arg(f.category)}`);
  const open = () => `state IN (${OPEN_REPORT_STATES.map((s) => arg(s)).join(', ')})`;
  if (f.overdueAt !== undefined) where.push(`${open()} AND deadline < ${arg(f.overdueAt)}`);
  if (f.notOverdueAt !== undefined) where.push(`NOT (${open()} AND deadline < ${arg(f.notOverdueAt)})`);
  if (f.submittedFrom !== undefined) where.push(`submitted_at >= ${arg(f.submittedFrom)}`);
  if (f.submittedTo !== undefined) where.push(`submitted_at < ${arg(f.submittedTo)}`);
  return where.length ? `WHERE ${where.join(' AND ')}` : '';
}

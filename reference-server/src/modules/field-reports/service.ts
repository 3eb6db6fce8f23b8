import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Principal } from '../../auth/roles.js';
import type { EventBus } from '../../events/types.js';
import type { Logger } from '../../logger.js';
import {
  REPORT_CATEGORIES,
  type FieldReport,
  type JsonValue,
  type ReportCategory,
  type ReportContact,
  type ReportFilter,
  type ReportHistoryEntry,
  type ReportPhoto,
  type ReportRepository,
  type ReportState,
} from '../../storage/types.js';
import { vietnamYear } from '../kpi/service.js';
import { DEFAULT_REPORT_ROUTING, nearestDistrict, type Bilingual, type ReportRouting } from './routing.js';
import { RequestError } from '../../http/request-error.js';

/** Largest photo accepted, in bytes (2 MiB). */
export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;
/** Longest report text, in characters after NFC normalisation. */
export const MAX_TEXT_CHARS = 4000;

const DAY_MS = 86_400_000;
/** Tracking-code alphabet: digits and capitals without 0, 1, I, L and O, which read alike. */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE_LENGTH = 6;

export class ReportRequestError extends RequestError {
  override readonly name = 'ReportRequestError';
}

/** What a principal may see of field reports. */
export type ReportView =
  { readonly all: true } | { readonly all: false; readonly department?: string; readonly district?: string };

/**
 * Sharing by level and authority: leadership and operators see every report, a department those
 * assigned to it, a district those routed to its area (with several roles, the widest wins).
 */
export function reportViewOf(p: Principal): ReportView {
  if (p.roles.includes('leadership') || p.roles.includes('operator')) return { all: true };
  return {
    all: false,
    ...(p.roles.includes('department') && p.department !== undefined ? { department: p.department } : {}),
    ...(p.roles.includes('district') && p.area !== undefined ? { district: p.area } : {}),
  };
}

export function canSeeReport(view: ReportView, r: Pick<FieldReport, 'department' | 'district'>): boolean {
  if (view.all) return true;
  return (
    (view.department !== undefined && r.department === view.department) ||
    (view.district !== undefined && r.district === view.district)
  );
}

/** A submission as validated against the OpenAPI document. */
export interface ReportSubmissionInput {
  readonly text: string;
  readonly category: ReportCategory;
  readonly location: { lat: number; lon: number; address?: string; district?: string };
  readonly contact?: { name?: string; phone?: string; email?: string };
  readonly photo?: { mediaType: 'image/jpeg' | 'image/png'; data: string };
}

export interface ReportTransitionInput {
  readonly expected: ReportState;
  readonly to: 'assigned' | 'in-progress' | 'resolved' | 'rejected';
  readonly note?: string;
  readonly department?: string;
  readonly result?: string;
  readonly publish?: boolean;
  readonly reason?: string;
}

/** What anyone holding the tracking code may see. */
export interface PublicReportStatus {
  code: string;
  state: ReportState;
  category: ReportCategory;
  categoryLabel: Bilingual;
  district?: string;
  submittedAt: string;
  updatedAt: string;
  deadline: string;
  overdue: boolean;
  result?: { text: string; at: string };
  rejectionReason?: string;
}

/** Transitions staff may make, by the current state. Escalation is the server's own. */
const ALLOWED: Readonly<Record<ReportState, readonly ReportState[]>> = {
  received: ['assigned', 'rejected'],
  assigned: ['assigned', 'in-progress', 'rejected'],
  'in-progress': ['assigned', 'resolved', 'rejected'],
  escalated: ['assigned', 'in-progress', 'resolved', 'rejected'],
  resolved: [],
  rejected: [],
};

const CLOSED: readonly ReportState[] = ['resolved', 'rejected'];

export interface ReportServiceOptions {
  readonly repo: ReportRepository;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly routing?: ReportRouting;
  readonly now?: () => Date;
  /** Overdue reports are escalated (and report KPIs recorded) on this interval. Default 60 s; 0 disables. */
  readonly intervalMs?: number;
  /** Called after each timer round (the KPI feed). */
  readonly onTick?: () => Promise<unknown>;
}

function magicType(data: Buffer): ReportPhoto['mediaType'] | undefined {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (data.length >= 8 && png.every((b, i) => data[i] === b)) return 'image/png';
  return undefined;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes and checks a photo: strict base64, at most 2 MiB, a JPEG or PNG by its magic bytes. */
export function checkPhoto(input: { mediaType: string; data: string }): ReportPhoto {
  if (!BASE64.test(input.data))
    throw new ReportRequestError(422, 'PHOTO_INVALID', 'photo data is not base64');
  const data = Buffer.from(input.data, 'base64');
  if (data.length === 0) throw new ReportRequestError(422, 'PHOTO_INVALID', 'photo data is empty');
  if (data.length > MAX_PHOTO_BYTES)
    throw new ReportRequestError(
      413,
      'PHOTO_TOO_LARGE',
      `a photo may have at most ${MAX_PHOTO_BYTES} bytes`,
      {
        bytes: data.length,
        maxBytes: MAX_PHOTO_BYTES,
      },
    );
  const actual = magicType(data);
  if (actual === undefined || actual !== input.mediaType)
    throw new ReportRequestError(
      422,
      'PHOTO_TYPE_NOT_ALLOWED',
      actual === undefined
        ? 'the photo is neither a JPEG nor a PNG image'
        : `the photo is ${actual}, not ${input.mediaType}`,
      { detected: actual ?? null },
    );
  return { mediaType: actual, data, sha256: createHash('sha256').update(data).digest('hex') };
}

const nfc = (s: string | undefined) => s?.normalize('NFC').trim();

/**
 * Citizens' field reports: submission (validated, routed, given a deadline, audited, published),
 * public status by tracking code, staff lists scoped by authority, the lifecycle with optimistic
 * concurrency, and escalation of overdue reports on a timer. `close()` stops the timer.
 */
export class ReportService {
  readonly routing: ReportRouting;
  readonly #repo: ReportRepository;
  readonly #bus: EventBus;
  readonly #logger: Logger;
  readonly #now: () => Date;
  readonly #onTick: (() => Promise<unknown>) | undefined;
  #interval: ReturnType<typeof setInterval> | undefined;
  #running: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(options: ReportServiceOptions) {
    this.#repo = options.repo;
    this.#bus = options.bus;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
    this.#onTick = options.onTick;
    this.routing = options.routing ?? DEFAULT_REPORT_ROUTING;
    const interval = options.intervalMs ?? 60_000;
    if (interval > 0) {
      this.#interval = setInterval(() => {
        this.tick().catch((err: unknown) =>
          this.#logger.error('field-report round failed', {
            error: err instanceof Error ? err.message : String(err),
          }),
        );
      }, interval);
      this.#interval.unref();
    }
  }

  /** The service's clock. */
  now(): Date {
    return this.#now();
  }

  /** The categories with their labels, departments and deadlines. */
  categories() {
    return REPORT_CATEGORIES.map((id) => {
      const c = this.routing.categories[id];
      return { id, label: { ...c.label }, department: c.department, deadlineDays: c.deadlineDays };
    });
  }

  /** Checks, routes and stores a citizen's report; returns it as stored. */
  async submit(
    input: ReportSubmissionInput,
    clientId: string,
    options: { readonly at?: Date } = {},
  ): Promise<FieldReport> {
    const text = nfc(input.text) ?? '';
    const chars = [...text].length;
    if (chars === 0 || chars > MAX_TEXT_CHARS)
      throw new ReportRequestError(
        422,
        'TEXT_INVALID',
        `the text must have 1–${MAX_TEXT_CHARS} characters after normalisation (it has ${chars})`,
      );
    const { lat, lon } = input.location;
    const b = this.routing.bounds;
    if (!(lat >= b.minLat && lat <= b.maxLat && lon >= b.minLon && lon <= b.maxLon))
      throw new ReportRequestError(
        422,
        'LOCATION_OUTSIDE_PROVINCE',
        `the location ${lat}, ${lon} is outside the province (${b.minLat}–${b.maxLat} N, ${b.minLon}–${b.maxLon} E)`,
        { bounds: { ...b } },
      );
    let district: string | undefined;
    if (input.location.district !== undefined) {
      district = this.routing.districts.find(
        (d) => d.adminUnitCode === input.location.district,
      )?.adminUnitCode;
      if (district === undefined)
        throw new ReportRequestError(
          422,
          'UNKNOWN_DISTRICT',
          `no district "${input.location.district}" in the province`,
        );
    } else district = nearestDistrict(this.routing, { lat, lon })?.adminUnitCode;
    const photo = input.photo === undefined ? undefined : checkPhoto(input.photo);
    const contact: ReportContact | undefined =
      input.contact === undefined
        ? undefined
        : {
            ...(input.contact.name !== undefined ? { name: nfc(input.contact.name) ?? '' } : {}),
            ...(input.contact.phone !== undefined ? { phone: input.contact.phone.trim() } : {}),
            ...(input.contact.email !== undefined ? { email: input.contact.email.trim() } : {}),
          };
    const route = this.routing.categories[input.category];
    // `at` backdates a submission (demo data); otherwise the clock's now.
    const now = options.at ?? this.#now();
    const at = now.toISOString();
    const address = nfc(input.location.address);
    const hasContact = contact !== undefined && Object.values(contact).some((v) => v !== '');
    for (let attempt = 0; attempt < 5; attempt++) {
      const report: FieldReport = {
        id: randomBytes(8).toString('hex'),
        code: this.#code(now),
        text,
        category: input.category,
        location: {
          lat,
          lon,
          ...(address ? { address } : {}),
          ...(input.location.district !== undefined ? { district: input.location.district } : {}),
        },
        hasContact,
        ...(photo !== undefined
          ? { photo: { mediaType: photo.mediaType, bytes: photo.data.length, sha256: photo.sha256 } }
          : {}),
        department: route.department,
        ...(district !== undefined ? { district } : {}),
        state: 'received',
        submittedAt: at,
        updatedAt: at,
        deadline: new Date(now.getTime() + route.deadlineDays * DAY_MS).toISOString(),
        history: [{ to: 'received', at, by: 'citizen', department: route.department }],
      };
      const outcome = await this.#repo.createReport(
        report,
        { ...(photo !== undefined ? { photo } : {}), ...(hasContact && contact ? { contact } : {}) },
        {
          actor: 'citizen',
          action: 'report.submit',
          subject: `report:${report.id}`,
          data: {
            code: report.code,
            category: report.category,
            department: report.department,
            district: report.district ?? null,
            photo: report.photo?.sha256 ?? null,
            client: clientId,
          },
        },
      );
      if (outcome === 'code-taken') continue;
      await this.#publish('report.submitted', report);
      return report;
    }
    throw new Error('could not draw a free tracking code');
  }

  #code(now: Date): string {
    let s = '';
    for (let i = 0; i < CODE_LENGTH; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)] ?? '';
    return `PA-${vietnamYear(now)}-${s}`;
  }

  #overdue(r: FieldReport, now = this.#now()): boolean {
    return !CLOSED.includes(r.state) && Date.parse(r.deadline) < now.getTime();
  }

  /** The public view of a report by its tracking code (case-insensitive); 404 when unknown. */
  async status(code: string): Promise<PublicReportStatus> {
    const r = await this.#repo.getReportByCode(code.toUpperCase());
    if (r === undefined) throw new ReportRequestError(404, 'REPORT_NOT_FOUND', `no report "${code}"`);
    return {
      code: r.code,
      state: r.state,
      category: r.category,
      categoryLabel: { ...this.routing.categories[r.category].label },
      ...(r.district !== undefined ? { district: r.district } : {}),
      submittedAt: r.submittedAt,
      updatedAt: r.updatedAt,
      deadline: r.deadline,
      overdue: this.#overdue(r),
      ...(r.state === 'resolved' && r.result?.published === true
        ? { result: { text: r.result.text, at: r.result.at } }
        : {}),
      ...(r.state === 'rejected' && r.rejection !== undefined ? { rejectionReason: r.rejection.reason } : {}),
    };
  }

  /** Reports the view may see, newest first. */
  async list(
    q: { states?: ReportState[]; overdue?: boolean; category?: ReportCategory; limit: number },
    view: ReportView,
  ): Promise<FieldReport[]> {
    const now = this.#now().toISOString();
    const base: Omit<ReportFilter, 'department' | 'district'> = {
      ...(q.states !== undefined ? { states: q.states } : {}),
      ...(q.category !== undefined ? { category: q.category } : {}),
      ...(q.overdue === true ? { overdueAt: now } : q.overdue === false ? { notOverdueAt: now } : {}),
      limit: q.limit,
    };
    if (view.all) return this.#repo.listReports(base);
    const parts: FieldReport[][] = [];
    if (view.department !== undefined)
      parts.push(await this.#repo.listReports({ ...base, department: view.department }));
    if (view.district !== undefined)
      parts.push(await this.#repo.listReports({ ...base, district: view.district }));
    const seen = new Set<string>();
    return parts
      .flat()
      .filter((r) => !seen.has(r.id) && seen.add(r.id))
      .sort((a, b) =>
        a.submittedAt < b.submittedAt ? 1 : a.submittedAt > b.submittedAt ? -1 : a.id < b.id ? -1 : 1,
      )
      .slice(0, q.limit);
  }

  /** One report, if the view may see it (404 otherwise, so its existence is not disclosed). */
  async get(id: string, view: ReportView): Promise<FieldReport> {
    const r = await this.#repo.getReport(id);
    if (r === undefined || !canSeeReport(view, r))
      throw new ReportRequestError(404, 'REPORT_NOT_FOUND', `no report "${id}"`);
    return r;
  }

  async photo(id: string, view: ReportView): Promise<ReportPhoto> {
    await this.get(id, view);
    const p = await this.#repo.getReportPhoto(id);
    if (p === undefined) throw new ReportRequestError(404, 'PHOTO_NOT_FOUND', `report "${id}" has no photo`);
    return p;
  }

  /**
   * The assigned department or an operator moves a report on: checked against the state the caller
   * saw (`expected`) and the lifecycle, recorded with who and when, audited, published.
   */
  async transition(
    id: string,
    input: ReportTransitionInput,
    principal: Principal,
    options: { readonly at?: Date } = {},
  ): Promise<FieldReport> {
    const view = reportViewOf(principal);
    const current = await this.get(id, view);
    const operator = principal.roles.includes('operator');
    if (!operator && (principal.department === undefined || principal.department !== current.department))
      throw new ReportRequestError(
        403,
        'NOT_ASSIGNED',
        `report ${current.code} is not assigned to your department`,
      );
    if (current.state !== input.expected || !ALLOWED[current.state].includes(input.to))
      throw new ReportRequestError(
        409,
        'REPORT_STATE_CONFLICT',
        current.state !== input.expected
          ? `report ${current.code} is ${current.state}, not ${input.expected}`
          : `report ${current.code} cannot go from ${current.state} to ${input.to}`,
        { state: current.state },
      );
    const invalid = (message: string) => new ReportRequestError(422, 'REPORT_TRANSITION_INVALID', message);
    let department = current.department;
    if (input.department !== undefined && input.department !== current.department) {
      if (input.to !== 'assigned') throw invalid('a department is given only when assigning');
      if (!operator)
        throw new ReportRequestError(
          403,
          'REASSIGN_NOT_ALLOWED',
          'only operators reassign a report to another department',
        );
      const known = new Set(Object.values(this.routing.categories).map((c) => c.department));
      if (!known.has(input.department)) throw invalid(`no department "${input.department}"`);
      department = input.department;
    }
    if (input.to === 'assigned' && current.state === 'assigned' && department === current.department)
      throw invalid('the report is assigned to that department already');
    if (input.to === 'resolved' && input.result === undefined)
      throw invalid('resolving needs the handling result');
    if (input.to === 'rejected' && input.reason === undefined) throw invalid('rejecting needs the reason');
    const at = (options.at ?? this.#now()).toISOString();
    const by = principal.subject;
    const note = nfc(input.note);
    const entry: ReportHistoryEntry = {
      from: current.state,
      to: input.to,
      at,
      by,
      ...(note ? { note } : {}),
      ...(department !== current.department ? { department } : {}),
    };
    const next: FieldReport = {
      ...current,
      department,
      state: input.to,
      updatedAt: at,
      ...(input.to === 'resolved'
        ? { result: { text: nfc(input.result) ?? '', published: input.publish !== false, by, at } }
        : {}),
      ...(input.to === 'rejected' ? { rejection: { reason: nfc(input.reason) ?? '', by, at } } : {}),
      history: [...current.history, entry],
    };
    const ok = await this.#repo.transitionReport(next, current.state, {
      actor: by,
      action: `report.${input.to}`,
      subject: `report:${id}`,
      data: {
        from: current.state,
        to: input.to,
        ...(department !== current.department ? { department } : {}),
        ...(note ? { note } : {}),
      },
    });
    if (!ok) {
      const now = await this.#repo.getReport(id);
      throw new ReportRequestError(
        409,
        'REPORT_STATE_CONFLICT',
        `report ${current.code} changed meanwhile: it is ${now?.state ?? 'gone'}`,
        {
          state: now?.state ?? null,
        },
      );
    }
    await this.#publish('report.updated', next);
    return next;
  }

  /**
   * Escalates every open report past its deadline (not escalated before) to province leadership:
   * state `escalated`, audited with the change, `report.updated` published. Returns how many.
   */
  async escalateOverdue(): Promise<number> {
    const now = this.#now();
    const at = now.toISOString();
    const due = await this.#repo.listReports({
      states: ['received', 'assigned', 'in-progress'],
      overdueAt: at,
      limit: 10_000,
    });
    let n = 0;
    for (const r of due) {
      if (r.escalatedAt !== undefined) continue;
      const next: FieldReport = {
        ...r,
        state: 'escalated',
        updatedAt: at,
        escalatedAt: at,
        history: [
          ...r.history,
          {
            from: r.state,
            to: 'escalated',
            at,
            by: 'system',
            note: 'deadline passed: escalated to province leadership',
          },
        ],
      };
      const ok = await this.#repo.transitionReport(next, r.state, {
        actor: 'system',
        action: 'report.escalate',
        subject: `report:${r.id}`,
        data: { from: r.state, to: 'escalated', deadline: r.deadline, department: r.department },
      });
      if (!ok) continue; // moved on meanwhile: the next round looks again
      n++;
      await this.#publish('report.updated', next);
    }
    return n;
  }

  /** One timer round: escalation, then the KPI feed. Rounds run one at a time. */
  tick(): Promise<number> {
    const run = this.#running.then(async () => {
      if (this.#closed) return 0;
      const n = await this.escalateOverdue();
      await this.#onTick?.();
      return n;
    });
    this.#running = run.catch(() => undefined);
    return run;
  }

  async #publish(type: 'report.submitted' | 'report.updated', r: FieldReport): Promise<void> {
    await this.#bus.publish(type, r as unknown as JsonValue, { subject: `report:${r.id}` });
  }

  /** Stops the timer and waits for a running round. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#interval !== undefined) clearInterval(this.#interval);
    await this.#running;
  }
}

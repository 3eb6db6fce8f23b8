import { createHash } from 'node:crypto';
import fs from 'node:fs';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAjv } from '../src/http/ajv.js';
import { contractErrors } from './contract.js';
import { seedReportsDemo } from '../src/demo/reports.js';
import {
  nextEvent,
  serverFixture,
  sseFrames,
  callApi,
  type Answer,
  type FixtureClaims,
  type FixtureRoles,
} from './helpers.js';

let clock = new Date('2026-03-02T09:00:00+07:00');
const f = serverFixture(
  { KPI_ALERT_INTERVAL_MS: '0', REPORTS_INTERVAL_MS: '0', REPORTS_RATE_BURST: '1000' },
  { now: () => clock },
);
beforeAll(() => f.start());
afterAll(() => f.stop());

type Roles = FixtureRoles;
type Claims = FixtureClaims;
const call = callApi;

const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) =>
  call(f, method, path, options);

/** Checks an answer against the OpenAPI document's declaration for that status. */
function conforms(method: string, template: string, a: Answer) {
  expect(contractErrors(method, template, a.status, a.type, a.json)).toEqual([]);
}

/** Validators of the AsyncAPI messages `report.submitted` and `report.updated`, with their schemas' `$ref`s. */
function asyncApiMessage(name: 'ReportSubmitted' | 'ReportUpdated') {
  const specs = new URL('../../specs/', import.meta.url);
  const doc = YAML.parse(fs.readFileSync(new URL('asyncapi/ioc-events.yaml', specs), 'utf8')) as {
    components: { messages: Record<string, { payload: unknown }> };
  };
  const ajv = createAjv({ strict: false });
  for (const file of ['ioc-event.schema.json', 'field-report.schema.json'])
    ajv.addSchema(JSON.parse(fs.readFileSync(new URL(`schemas/${file}`, specs), 'utf8')) as object);
  const payload = JSON.stringify(doc.components.messages[name]?.payload).replace(
    /"\.\.\/schemas\/([a-z-]+\.schema\.json)"/g,
    '"https://dttm.vn/schemas/$1"',
  );
  return ajv.compile(JSON.parse(payload) as object);
}

const SUBMIT = '/api/v1/public/reports';
const base = {
  text: 'Rác thải đổ trộm bên bờ sông Thương, bốc mùi hôi'.normalize('NFD'),
  category: 'environment',
  location: { lat: 21.2731, lon: 106.1946, address: 'Phường Thọ Xương' },
};
const CODE = /^PA-2026-[2-9A-HJKMNP-Z]{6}$/;

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(60, 7)]);
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(60, 3)]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');

async function submit(body: Record<string, unknown>) {
  const r = await api('POST', SUBMIT, { body });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  const id = (await f.ctx.server.storage.reports.getReportByCode(String(r.json.code)))?.id ?? '';
  // Each submission a second after the previous one, so the newest-first order is defined.
  clock = new Date(clock.getTime() + 1000);
  return { ...r, id, code: String(r.json.code) };
}

async function transition(id: string, body: Record<string, unknown>, roles: Roles, claims: Claims = {}) {
  return api('POST', `/api/v1/reports/${id}/transitions`, { roles, claims, body });
}

describe("citizens' field reports", () => {
  it('lists the categories publicly, with bilingual labels, departments and deadlines', async () => {
    const r = await api('GET', '/api/v1/public/report-categories');
    expect(r.status).toBe(200);
    conforms('GET', '/api/v1/public/report-categories', r);
    expect(r.json.items?.map((c) => c.id)).toEqual([
      'environment',
      'traffic',
      'urban-order',
      'public-security',
      'health',
      'education',
      'land-construction',
      'other',
    ]);
    expect(r.json.items?.[1]).toEqual({
      id: 'traffic',
      label: { vi: 'Giao thông', en: 'Traffic' },
      department: 'transport',
      deadlineDays: 3,
    });
  });

  it('takes a report without a token, answers a tracking code and the deadline, and shows its status by code', async () => {
    const r = await submit({
      ...base,
      contact: { name: 'Nguyễn Văn An', phone: '0912 345 678', email: 'an@example.vn' },
    });
    conforms('POST', SUBMIT, r);
    expect(r.code).toMatch(CODE);
    expect(r.json).toEqual({
      code: r.code,
      state: 'received',
      category: 'environment',
      department: 'environment',
      district: '213',
      submittedAt: '2026-03-02T02:00:00.000Z',
      deadline: '2026-03-09T02:00:00.000Z',
      statusUrl: `/api/v1/public/reports/${r.code}`,
    });
    expect(r.headers.get('location')).toBe(`/api/v1/public/reports/${r.code}`);

    const s = await api('GET', `/api/v1/public/reports/${r.code.toLowerCase()}`);
    expect(s.status).toBe(200);
    conforms('GET', '/api/v1/public/reports/{code}', s);
    expect(s.json).toEqual({
      code: r.code,
      state: 'received',
      category: 'environment',
      categoryLabel: { vi: 'Môi trường', en: 'Environment' },
      district: '213',
      submittedAt: '2026-03-02T02:00:00.000Z',
      updatedAt: '2026-03-02T02:00:00.000Z',
      deadline: '2026-03-09T02:00:00.000Z',
      overdue: false,
    });
    const missing = await api('GET', '/api/v1/public/reports/PA-2026-ZZZZZZ');
    expect(missing.status).toBe(404);
    conforms('GET', '/api/v1/public/reports/{code}', missing);
    expect((await api('GET', '/api/v1/public/reports/not-a-code')).status).toBe(400);

    // Staff see the text (NFC) but never the contact; nor does the event.
    const staff = await api('GET', `/api/v1/reports/${r.id}`, { roles: ['operator'] });
    expect(staff.status).toBe(200);
    conforms('GET', '/api/v1/reports/{reportId}', staff);
    expect(staff.json).toMatchObject({ text: base.text.normalize('NFC'), hasContact: true });
    expect(staff.body.toString()).not.toMatch(/0912|an@example|Nguyễn Văn An/);
    const events = f.ctx.server.bus.recent(undefined, ['report.submitted']);
    expect(events.map((e) => e.subject)).toEqual([`report:${r.id}`]);
    expect(JSON.stringify(events)).not.toMatch(/0912|an@example/);
    expect(events[0]?.data).toEqual(staff.json);
    const audit = await f.ctx.server.storage.audit.list({ limit: 1000 });
    expect(audit.filter((e) => e.action === 'report.submit').map((e) => e.data)).toEqual([
      {
        code: r.code,
        category: 'environment',
        department: 'environment',
        district: '213',
        photo: null,
        client: expect.stringMatching(/127\.0\.0\.1/) as unknown,
      },
    ]);
  });

  it('routes by category to a department and by location or district code to a district', async () => {
    const far = await submit({
      text: 'Ổ gà lớn trên quốc lộ 31',
      category: 'traffic',
      location: { lat: 21.37, lon: 106.6 },
    });
    expect(far.json).toMatchObject({
      department: 'transport',
      district: '219',
      deadline: '2026-03-05T02:00:01.000Z',
    });
    const given = await submit({
      text: 'Trường học thiếu nước sạch',
      category: 'education',
      location: { lat: 21.37, lon: 106.6, district: '223' },
    });
    expect(given.json).toMatchObject({ department: 'education', district: '223' });
    const unknown = await api('POST', SUBMIT, {
      body: { ...base, location: { lat: 21.3, lon: 106.2, district: '999' } },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.json.code).toBe('UNKNOWN_DISTRICT');
    conforms('POST', SUBMIT, unknown);
  });

  it('shares lists by authority: a department its reports, a district its area, leadership all', async () => {
    const codes = async (roles: Roles, claims: Claims = {}, query = '') => {
      const r = await api('GET', `/api/v1/reports${query}`, { roles, claims });
      expect(r.status).toBe(200);
      conforms('GET', '/api/v1/reports', r);
      return r.json.items?.map((x) => `${String(x.category)}@${String(x.district)}`);
    };
    expect(await codes(['leadership'])).toEqual(['education@223', 'traffic@219', 'environment@213']);
    expect(await codes(['operator'], {}, '?category=traffic')).toEqual(['traffic@219']);
    expect(await codes(['department'], { department: 'environment' })).toEqual(['environment@213']);
    expect(await codes(['department'], { department: 'transport' })).toEqual(['traffic@219']);
    expect(await codes(['department'], { department: 'health' })).toEqual([]);
    expect(await codes(['district'], { area: '219' })).toEqual(['traffic@219']);
    expect(await codes(['district'], { area: '213' }, '?state=received&limit=5')).toEqual([
      'environment@213',
    ]);
    expect(await codes(['district'], { area: '213' }, '?state=resolved')).toEqual([]);

    const [env] = await f.ctx.server.storage.reports.listReports({ category: 'environment', limit: 1 });
    const other = await api('GET', `/api/v1/reports/${env?.id ?? ''}`, {
      roles: ['department'],
      claims: { department: 'transport' },
    });
    expect(other.status).toBe(404);
    conforms('GET', '/api/v1/reports/{reportId}', other);
    const machine = await api('GET', '/api/v1/reports', { roles: ['machine'] });
    expect(machine.status).toBe(403);
    conforms('GET', '/api/v1/reports', machine);
    const anonymous = await api('GET', '/api/v1/reports');
    expect(anonymous.status).toBe(401);
    conforms('GET', '/api/v1/reports', anonymous);
    expect((await api('GET', '/api/v1/reports?state=open', { roles: ['leadership'] })).status).toBe(400);
  });

  it('moves a report along its lifecycle by the assigned department, with 403 and 409 on the way', async () => {
    const r = await submit({ ...base, text: 'Khói đen từ lò đốt rác' });
    const env = { department: 'environment' };
    const T = '/api/v1/reports/{reportId}/transitions';
    const leadership = await transition(r.id, { expected: 'received', to: 'assigned' }, ['leadership']);
    expect(leadership.status).toBe(403);
    conforms('POST', T, leadership);
    expect(
      (await transition(r.id, { expected: 'received', to: 'assigned' }, ['district'], { area: '213' }))
        .status,
    ).toBe(403);
    const stranger = await transition(r.id, { expected: 'received', to: 'assigned' }, ['department'], {
      department: 'health',
    });
    expect(stranger.status).toBe(404);

    clock = new Date('2026-03-02T10:00:00+07:00');
    const assigned = await transition(
      r.id,
      { expected: 'received', to: 'assigned', note: 'Giao phòng môi trường' },
      ['department'],
      env,
    );
    expect(assigned.status).toBe(200);
    conforms('POST', T, assigned);
    expect(assigned.json).toMatchObject({ state: 'assigned', updatedAt: '2026-03-02T03:00:00.000Z' });

    const stale = await transition(r.id, { expected: 'received', to: 'assigned' }, ['department'], env);
    expect(stale.status).toBe(409);
    conforms('POST', T, stale);
    expect(stale.json).toMatchObject({ code: 'REPORT_STATE_CONFLICT', state: 'assigned' });
    const skip = await transition(
      r.id,
      { expected: 'assigned', to: 'resolved', result: 'x' },
      ['department'],
      env,
    );
    expect(skip.status).toBe(409);
    const reassign = await transition(
      r.id,
      { expected: 'assigned', to: 'assigned', department: 'construction' },
      ['department'],
      env,
    );
    expect(reassign.status).toBe(403);
    expect(reassign.json.code).toBe('REASSIGN_NOT_ALLOWED');

    // Two handlers at once: exactly one wins.
    const both = await Promise.all([
      transition(r.id, { expected: 'assigned', to: 'in-progress' }, ['department'], env),
      transition(r.id, { expected: 'assigned', to: 'in-progress' }, ['operator']),
    ]);
    expect(both.map((b) => b.status).sort()).toEqual([200, 409]);

    const noResult = await transition(r.id, { expected: 'in-progress', to: 'resolved' }, ['department'], env);
    expect(noResult.status).toBe(422);
    conforms('POST', T, noResult);
    expect(noResult.json.code).toBe('REPORT_TRANSITION_INVALID');
    clock = new Date('2026-03-04T15:00:00+07:00');
    const done = await transition(
      r.id,
      {
        expected: 'in-progress',
        to: 'resolved',
        result: 'Đã xử lý, lập biên bản cơ sở vi phạm',
        note: 'nội bộ: phạt 5 triệu',
      },
      ['department'],
      env,
    );
    expect(done.status).toBe(200);
    expect(done.json.result).toEqual({
      text: 'Đã xử lý, lập biên bản cơ sở vi phạm',
      published: true,
      by: 't',
      at: '2026-03-04T08:00:00.000Z',
    });
    expect(
      (done.json.history as { from?: string; to: string; by: string }[]).map(
        (h) => `${h.from ?? ''}>${h.to}`,
      ),
    ).toEqual(['>received', 'received>assigned', 'assigned>in-progress', 'in-progress>resolved']);
    expect(
      (await transition(r.id, { expected: 'resolved', to: 'rejected', reason: 'x' }, ['operator'])).status,
    ).toBe(409);

    const pub = await api('GET', `/api/v1/public/reports/${r.code}`);
    conforms('GET', '/api/v1/public/reports/{code}', pub);
    expect(pub.json).toMatchObject({
      state: 'resolved',
      result: { text: 'Đã xử lý, lập biên bản cơ sở vi phạm', at: '2026-03-04T08:00:00.000Z' },
      overdue: false,
    });
    expect(pub.body.toString()).not.toMatch(/nội bộ|Khói đen/);

    const audit = (await f.ctx.server.storage.audit.list({ limit: 1000 })).filter(
      (e) => e.subject === `report:${r.id}`,
    );
    expect(audit.map((e) => e.action)).toEqual([
      'report.submit',
      'report.assigned',
      'report.in-progress',
      'report.resolved',
    ]);
    const updates = f.ctx.server.bus
      .recent(undefined, ['report.updated'])
      .filter((e) => e.subject === `report:${r.id}`);
    expect(updates.map((e) => (e.data as { state: string }).state)).toEqual([
      'assigned',
      'in-progress',
      'resolved',
    ]);
  });

  it('lets operators reassign and reject with a public reason', async () => {
    const r = await submit({ ...base, text: 'Lấn chiếm vỉa hè', category: 'other' });
    const moved = await transition(
      r.id,
      { expected: 'received', to: 'assigned', department: 'construction' },
      ['operator'],
    );
    expect(moved.status).toBe(200);
    expect(moved.json.department).toBe('construction');
    const unknown = await transition(r.id, { expected: 'assigned', to: 'assigned', department: 'nowhere' }, [
      'operator',
    ]);
    expect(unknown.status).toBe(422);
    expect(
      (
        await api('GET', `/api/v1/reports/${r.id}`, {
          roles: ['department'],
          claims: { department: 'construction' },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await api('GET', `/api/v1/reports/${r.id}`, {
          roles: ['department'],
          claims: { department: 'administration' },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await transition(r.id, { expected: 'assigned', to: 'rejected' }, ['department'], {
          department: 'construction',
        })
      ).status,
    ).toBe(422);
    const rejected = await transition(
      r.id,
      { expected: 'assigned', to: 'rejected', reason: 'Trùng phản ánh PA-2026-7K3F9Q' },
      ['department'],
      { department: 'construction' },
    );
    expect(rejected.status).toBe(200);
    const pub = await api('GET', `/api/v1/public/reports/${r.code}`);
    expect(pub.json).toMatchObject({ state: 'rejected', rejectionReason: 'Trùng phản ánh PA-2026-7K3F9Q' });
    expect(pub.json.result).toBeUndefined();
  });

  it('escalates overdue reports to province leadership once, audited, with an event', async () => {
    clock = new Date('2026-03-10T09:00:00+07:00');
    const r = await submit({
      ...base,
      text: 'Đèn tín hiệu hỏng',
      category: 'traffic',
      location: { lat: 21.2, lon: 106.24 },
    });
    expect(r.json.deadline).toBe('2026-03-13T02:00:00.000Z');
    expect(await f.ctx.server.reports.tick()).toBe(3); // the three reports of 2 March still open
    const before = (await api('GET', '/api/v1/reports?overdue=true', { roles: ['leadership'] })).json.items
      ?.length;
    expect(before).toBe(3);
    clock = new Date('2026-03-13T09:00:01+07:00');
    expect(await f.ctx.server.reports.tick()).toBe(1);
    expect(await f.ctx.server.reports.tick()).toBe(0);
    const stored = await api('GET', `/api/v1/reports/${r.id}`, {
      roles: ['district'],
      claims: { area: '221' },
    });
    expect(stored.json).toMatchObject({ state: 'escalated', escalatedAt: '2026-03-13T02:00:01.000Z' });
    expect((stored.json.history as { by: string; to: string }[]).at(-1)).toMatchObject({
      by: 'system',
      to: 'escalated',
    });
    const audit = (await f.ctx.server.storage.audit.list({ limit: 1000 })).filter(
      (e) => e.subject === `report:${r.id}`,
    );
    expect(audit.at(-1)).toMatchObject({ actor: 'system', action: 'report.escalate' });
    const event = f.ctx.server.bus.recent(undefined, ['report.updated']).at(-1);
    expect(event).toMatchObject({ subject: `report:${r.id}`, data: { state: 'escalated' } });
    const pub = await api('GET', `/api/v1/public/reports/${r.code}`);
    expect(pub.json).toMatchObject({ state: 'escalated', overdue: true });
    const overdue = await api('GET', '/api/v1/reports?overdue=true&state=escalated', {
      roles: ['department'],
      claims: { department: 'transport' },
    });
    expect(overdue.json.items?.map((x) => x.code)).toEqual([r.code, expect.stringMatching(CODE)]);
    const notOverdue = await api('GET', '/api/v1/reports?overdue=false', { roles: ['leadership'] });
    expect(notOverdue.json.items?.map((x) => x.state).sort()).toEqual(['rejected', 'resolved']);
    // Still handled after escalation; not escalated twice.
    const taken = await transition(r.id, { expected: 'escalated', to: 'in-progress' }, ['department'], {
      department: 'transport',
    });
    expect(taken.status).toBe(200);
    expect(await f.ctx.server.reports.tick()).toBe(0);
  });

  it('keeps a photo (JPEG or PNG by its magic bytes) for staff only', async () => {
    const r = await submit({ ...base, photo: { mediaType: 'image/jpeg', data: JPEG.toString('base64') } });
    const staff = await api('GET', `/api/v1/reports/${r.id}`, { roles: ['operator'] });
    expect(staff.json.photo).toEqual({
      mediaType: 'image/jpeg',
      bytes: JPEG.length,
      sha256: createHash('sha256').update(JPEG).digest('hex'),
    });
    const p = await api('GET', `/api/v1/reports/${r.id}/photo`, {
      roles: ['department'],
      claims: { department: 'environment' },
    });
    expect(p.status).toBe(200);
    expect(p.type).toBe('image/jpeg');
    expect(p.body.equals(JPEG)).toBe(true);
    expect(p.headers.get('etag')).toBe(`"${createHash('sha256').update(JPEG).digest('hex')}"`);
    const png = await submit({ ...base, photo: { mediaType: 'image/png', data: PNG.toString('base64') } });
    expect((await api('GET', `/api/v1/reports/${png.id}/photo`, { roles: ['operator'] })).type).toBe(
      'image/png',
    );
    const none = await api('GET', `/api/v1/reports/${(await submit(base)).id}/photo`, {
      roles: ['operator'],
    });
    expect(none.status).toBe(404);
    expect(
      (
        await api('GET', `/api/v1/reports/${r.id}/photo`, {
          roles: ['department'],
          claims: { department: 'health' },
        })
      ).status,
    ).toBe(404);
  });

  it('streams report events to a district only for its area', async () => {
    const ac = new AbortController();
    const res = await fetch(new URL('/api/v1/events?types=report.submitted', f.ctx.server.url), {
      headers: { authorization: `Bearer ${f.ctx.token(['district'], { area: '219' })}` },
      signal: ac.signal,
    });
    expect(res.status).toBe(200);
    const frames = sseFrames(res);
    await submit({ ...base, text: 'Ở thành phố' });
    const mine = await submit({ ...base, text: 'Ở Lục Ngạn', location: { lat: 21.37, lon: 106.6 } });
    const event = await nextEvent(frames);
    expect(event).toMatchObject({
      type: 'report.submitted',
      subject: `report:${mine.id}`,
      data: { district: '219' },
    });
    ac.abort();
  });

  it('answers bad input with 4xx problem+json and stores nothing', async () => {
    const before = (await f.ctx.server.storage.reports.listReports({ limit: 1000 })).length;
    const big = Buffer.concat([JPEG, Buffer.alloc(2 * 1024 * 1024 - JPEG.length + 1)]);
    const cases: [unknown, number, string][] = [
      [{ ...base, text: 'x'.repeat(4001) }, 422, 'TEXT_INVALID'],
      [{ ...base, text: 'x'.repeat(16_001) }, 400, 'INVALID_REQUEST'],
      [{ ...base, text: '' }, 400, 'INVALID_REQUEST'],
      [{ ...base, text: '   \n ' }, 422, 'TEXT_INVALID'],
      [{ ...base, text: 42 }, 400, 'INVALID_REQUEST'],
      [{ ...base, category: 'weather' }, 400, 'INVALID_REQUEST'],
      [{ ...base, location: { lat: '21.3', lon: 106.2 } }, 400, 'INVALID_REQUEST'],
      [{ ...base, location: { lat: 21.3 } }, 400, 'INVALID_REQUEST'],
      [{ ...base, extra: true }, 400, 'INVALID_REQUEST'],
      [{ ...base, contact: { phone: 'call me' } }, 400, 'INVALID_REQUEST'],
      [{ ...base, contact: { email: 'not an address' } }, 400, 'INVALID_REQUEST'],
      [{ ...base, location: { ...base.location, address: 'x'.repeat(301) } }, 400, 'INVALID_REQUEST'],
      [{ ...base, location: { lat: 21.03, lon: 105.85 } }, 422, 'LOCATION_OUTSIDE_PROVINCE'],
      [{ ...base, location: { lat: 10.78, lon: 106.7 } }, 422, 'LOCATION_OUTSIDE_PROVINCE'],
      [{ ...base, photo: { mediaType: 'image/gif', data: GIF.toString('base64') } }, 400, 'INVALID_REQUEST'],
      [
        { ...base, photo: { mediaType: 'image/jpeg', data: GIF.toString('base64') } },
        422,
        'PHOTO_TYPE_NOT_ALLOWED',
      ],
      [
        { ...base, photo: { mediaType: 'image/jpeg', data: PNG.toString('base64') } },
        422,
        'PHOTO_TYPE_NOT_ALLOWED',
      ],
      [{ ...base, photo: { mediaType: 'image/png', data: 'not base64!' } }, 422, 'PHOTO_INVALID'],
      [{ ...base, photo: { mediaType: 'image/jpeg', data: big.toString('base64') } }, 413, 'PHOTO_TOO_LARGE'],
      [{ ...base, photo: { mediaType: 'image/jpeg', data: 'A'.repeat(3_200_000) } }, 413, 'BODY_TOO_LARGE'],
      ['{"text": "x", ', 400, 'INVALID_JSON'],
      [[base], 400, 'INVALID_REQUEST'],
      ['null', 400, 'INVALID_JSON'],
      ['"a report"', 400, 'INVALID_JSON'],
      [{ ...base, location: { lat: 1e308, lon: 106.2 } }, 400, 'INVALID_REQUEST'],
      [{ ...base, photo: { mediaType: 'image/png', data: ['iVBORw0KGgo='] } }, 400, 'INVALID_REQUEST'],
    ];
    for (const [body, status, code] of cases) {
      const r = await api('POST', SUBMIT, { body });
      expect(
        { status: r.status, code: r.json.code, type: r.type },
        JSON.stringify(body).slice(0, 80),
      ).toEqual({
        status,
        code,
        type: 'application/problem+json',
      });
      conforms('POST', SUBMIT, r);
    }
    const plain = await fetch(new URL(SUBMIT, f.ctx.server.url), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(base),
    });
    expect(plain.status).toBe(400);
    expect(plain.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await f.ctx.server.storage.reports.listReports({ limit: 1000 })).length).toBe(before);
    const badTransition = await transition('00000000000000aa', { expected: 'nope', to: 'assigned' }, [
      'operator',
    ]);
    expect(badTransition.status).toBe(400);
    const gone = await transition('00000000000000aa', { expected: 'received', to: 'assigned' }, ['operator']);
    expect(gone.status).toBe(404);
  });
  it('publishes events that conform to the AsyncAPI messages', () => {
    for (const [type, name] of [
      ['report.submitted', 'ReportSubmitted'],
      ['report.updated', 'ReportUpdated'],
    ] as const) {
      const validate = asyncApiMessage(name);
      const events = f.ctx.server.bus.recent(undefined, [type]);
      expect(events.length).toBeGreaterThan(5);
      for (const e of events) expect(validate(e), JSON.stringify(validate.errors)).toBe(true);
      // The check bites: a report.updated envelope is not a report.submitted message.
      expect(
        asyncApiMessage(name === 'ReportSubmitted' ? 'ReportUpdated' : 'ReportSubmitted')(events[0]),
      ).toBe(false);
    }
  });

  it('counts the text length after NFC: 4000 decomposed Vietnamese letters are accepted', async () => {
    const nfd = 'ệ'.repeat(4000).normalize('NFD');
    expect([...nfd].length).toBe(12_000);
    const r = await api('POST', SUBMIT, { body: { ...base, text: nfd } });
    expect(r.status).toBe(201);
    const stored = await f.ctx.server.storage.reports.getReportByCode(String(r.json.code));
    expect(stored?.text).toBe('ệ'.repeat(4000));
  });
});

describe('field reports: rate limit and KPIs', () => {
  const g = serverFixture(
    {
      KPI_ALERT_INTERVAL_MS: '0',
      REPORTS_INTERVAL_MS: '0',
      REPORTS_RATE_BURST: '2',
      REPORTS_RATE_PER_MINUTE: '1',
    },
    { now: () => new Date('2026-05-20T09:00:00+07:00') },
  );
  beforeAll(() => g.start());
  afterAll(() => g.stop());

  it('limits submissions per client address with 429 and Retry-After', async () => {
    expect((await call(g, 'POST', SUBMIT, { body: base })).status).toBe(201);
    expect(
      (await call(g, 'POST', SUBMIT, { body: { ...base, location: { lat: 21.52, lon: 106.12 } } })).status,
    ).toBe(201);
    const third = await call(g, 'POST', SUBMIT, { body: base });
    expect(third.status).toBe(429);
    expect(third.type).toBe('application/problem+json');
    expect(third.json.code).toBe('RATE_LIMITED');
    expect(third.headers.get('retry-after')).toBe('60');
    expect(contractErrors('POST', SUBMIT, 429, third.type, third.json)).toEqual([]);
    // Lookups are not limited.
    expect((await call(g, 'GET', '/api/v1/public/report-categories')).status).toBe(200);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY names the proxy', async () => {
    const post = (fx: typeof g, forwarded: string) =>
      fetch(new URL(SUBMIT, fx.ctx.server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': forwarded },
        body: JSON.stringify(base),
      }).then((r) => r.status);
    // This server trusts no proxy: a forged header does not buy a fresh bucket.
    expect(await post(g, '203.0.113.7')).toBe(429);
    const proxied = serverFixture({
      REPORTS_INTERVAL_MS: '0',
      REPORTS_RATE_BURST: '1',
      REPORTS_RATE_PER_MINUTE: '0',
      TRUST_PROXY: 'loopback',
    });
    await proxied.start();
    try {
      expect(await post(proxied, '203.0.113.7')).toBe(201);
      expect(await post(proxied, '203.0.113.7')).toBe(429);
      expect(await post(proxied, '198.51.100.9')).toBe(201);
      const audit = await proxied.ctx.server.storage.audit.list({ limit: 1000 });
      expect(
        audit.filter((e) => e.action === 'report.submit').map((e) => (e.data as { client: string }).client),
      ).toEqual(['203.0.113.7', '198.51.100.9']);
    } finally {
      await proxied.stop();
    }
  });

  it('records L1.N1.PN2.01 (published results) and L1.N2.PN1.01 (districts reached) as province observations', async () => {
    const s = g.ctx.server;
    const kpis = () =>
      s.storage.kpi.listObservations({ indicators: ['L1.N1.PN2.01', 'L1.N2.PN1.01'], limit: 10 });
    // Nothing at start-up (no report yet); then reports from two districts, none resolved yet.
    await s.reports.tick();
    expect((await kpis()).map((o) => o.key)).toEqual(['ioc-reports:L1.N2.PN1.01:2026:2of10']);
    const [a, b] = await s.storage.reports.listReports({ limit: 10 });
    for (const [r, publish] of [
      [a, true],
      [b, false],
    ] as const) {
      for (const [expected, to] of [
        ['received', 'assigned'],
        ['assigned', 'in-progress'],
      ] as const)
        expect(
          (
            await call(g, 'POST', `/api/v1/reports/${r?.id ?? ''}/transitions`, {
              roles: ['operator'],
              body: { expected, to },
            })
          ).status,
        ).toBe(200);
      const done = await call(g, 'POST', `/api/v1/reports/${r?.id ?? ''}/transitions`, {
        roles: ['operator'],
        body: { expected: 'in-progress', to: 'resolved', result: 'Đã xử lý', publish },
      });
      expect(done.status).toBe(200);
    }
    await s.reports.tick();
    const obs = await s.storage.kpi.listObservations({
      indicators: ['L1.N1.PN2.01', 'L1.N2.PN1.01'],
      limit: 10,
    });
    expect(
      obs
        .map((o) => ({ key: o.key, ...o.observation }))
        .map(({ key, indicator, value, numerator, denominator, scope, quality, source, method }) => ({
          key,
          indicator,
          value,
          numerator,
          denominator,
          scope,
          quality,
          source,
          method,
        })),
    ).toEqual(
      expect.arrayContaining([
        {
          key: 'ioc-reports:L1.N1.PN2.01:2026:1of2',
          indicator: 'L1.N1.PN2.01',
          value: 50,
          numerator: 1,
          denominator: 2,
          scope: { level: 'province', adminUnitCode: '24' },
          quality: ['provisional', 'revised'],
          source: 'ioc-reports',
          method: 'automatic',
        },
        {
          key: 'ioc-reports:L1.N2.PN1.01:2026:2of10',
          indicator: 'L1.N2.PN1.01',
          value: 20,
          numerator: 2,
          denominator: 10,
          scope: { level: 'province', adminUnitCode: '24' },
          quality: ['provisional', 'revised'],
          source: 'ioc-reports',
          method: 'automatic',
        },
      ]),
    );
    expect(obs).toHaveLength(2);
    const pub = await call(g, 'GET', `/api/v1/public/reports/${b?.code ?? ''}`);
    expect(pub.json.state).toBe('resolved');
    expect(pub.json.result).toBeUndefined();
    // An unchanged round stores nothing new.
    await s.reports.tick();
    expect(await kpis()).toHaveLength(2);
  });
});

describe('field reports: demo data', () => {
  const h = serverFixture(
    { KPI_ALERT_INTERVAL_MS: '0', REPORTS_INTERVAL_MS: '0' },
    { now: () => new Date('2026-11-30T09:00:00+07:00') },
  );
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('seeds reports in every state across the ten districts, once', async () => {
    const s = h.ctx.server;
    expect(await seedReportsDemo(s.reports)).toBe(10);
    expect(await seedReportsDemo(s.reports)).toBe(0);
    expect(await s.reports.tick()).toBe(2);
    const all = await s.storage.reports.listReports({ limit: 100 });
    const count = (state: string) => all.filter((r) => r.state === state).length;
    expect(
      Object.fromEntries(
        ['received', 'assigned', 'in-progress', 'resolved', 'rejected', 'escalated'].map((st) => [
          st,
          count(st),
        ]),
      ),
    ).toEqual({ received: 2, assigned: 1, 'in-progress': 1, resolved: 3, rejected: 1, escalated: 2 });
    expect(new Set(all.map((r) => r.district)).size).toBe(10);
    const obs = await s.storage.kpi.listObservations({
      indicators: ['L1.N1.PN2.01', 'L1.N2.PN1.01'],
      limit: 10,
    });
    expect(obs.map((o) => [o.observation.indicator, o.observation.value])).toEqual(
      expect.arrayContaining([
        ['L1.N1.PN2.01', 66.67],
        ['L1.N2.PN1.01', 100],
      ]),
    );
  });
});

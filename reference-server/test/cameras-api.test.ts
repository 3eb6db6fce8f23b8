/**
 * Cameras end to end over real sockets: the server subscribes to the ONVIF and ISAPI simulators, their
 * analytics events open incidents (de-duplicated, watch-list hits high), which move along their
 * lifecycle, render as CAP and NGSI-LD, and feed the coverage KPI; access is scoped per role.
 */
import fs from 'node:fs';
import YAML from 'yaml';
import { startIsapiSimulator, startOnvifSimulator } from '@dttm/camera-vms/testing';
import type { IsapiSimulator, OnvifSimulator } from '@dttm/camera-vms/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAjv } from '../src/http/ajv.js';
import { BAC_GIANG_DISTRICT_AREAS } from '../src/modules/cameras/areas.js';
import { contractErrors } from './contract.js';
import {
  nextEvent,
  serverFixture,
  sseFrames,
  callApi,
  type Answer,
  type FixtureClaims,
  type FixtureRoles,
} from './helpers.js';

const f = serverFixture({
  KPI_ALERT_INTERVAL_MS: '0',
  REPORTS_INTERVAL_MS: '0',
  CAMERA_HEALTH_INTERVAL_MS: '200',
  CAMERA_RECONNECT_MAX_MS: '400',
  INCIDENT_DEDUP_WINDOW_MS: '120000',
});

const ONVIF_LOGIN = { username: 'admin', password: 'Mật-khẩu-ONVIF-2026' };
const ISAPI_LOGIN = { username: 'admin', password: 'Mật-khẩu-ISAPI-2026' };
let onvif: OnvifSimulator;
let isapi: IsapiSimulator;

beforeAll(async () => {
  onvif = await startOnvifSimulator(ONVIF_LOGIN);
  isapi = await startIsapiSimulator(ISAPI_LOGIN);
  await f.start();
});
afterAll(async () => {
  await f.stop();
  await onvif.close();
  await isapi.close();
});

type Roles = FixtureRoles;
type Claims = FixtureClaims;
const api = (method: string, path: string, options: Parameters<typeof callApi>[3] = {}) =>
  callApi(f, method, path, options);

/** Checks an answer against the OpenAPI document's declaration for that status. */
function conforms(method: string, template: string, a: Answer) {
  expect(contractErrors(method, template, a.status, a.type, a.json)).toEqual([]);
}

const OP: Roles = ['operator'];

/** The OpenAPI path template of a concrete path. */
function template(path: string): string {
  return path
    .replace(/\?.*$/, '')
    .replace(/^\/api\/v1\/cameras\/(?!coverage$)[^/]+/, '/api/v1/cameras/{cameraId}')
    .replace(
      /^\/api\/v1\/incidents\/[^/]+?(\.cap|\.ngsi-ld)?(\/transitions)?$/,
      '/api/v1/incidents/{incidentId}$1$2',
    )
    .replace(/^\/api\/v1\/watchlist\/[^/]+$/, '/api/v1/watchlist/{plate}');
}

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined> | T | undefined,
  ms = 10_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const health = async (id: string) =>
  (await api('GET', `/api/v1/cameras/${id}/health`, { roles: OP })).json as {
    status: string;
    events: number;
  };

/** Validator of an AsyncAPI message, with its schemas' `$ref`s. */
function asyncApiMessage(name: 'IncidentOpened' | 'IncidentUpdated' | 'CameraHealthChanged') {
  const specs = new URL('../../specs/', import.meta.url);
  const doc = YAML.parse(fs.readFileSync(new URL('asyncapi/ioc-events.yaml', specs), 'utf8')) as {
    components: { messages: Record<string, { payload: unknown }> };
  };
  const ajv = createAjv({ strict: false });
  for (const file of ['ioc-event.schema.json', 'camera-incident.schema.json'])
    ajv.addSchema(JSON.parse(fs.readFileSync(new URL(`schemas/${file}`, specs), 'utf8')) as object);
  const payload = JSON.stringify(doc.components.messages[name]?.payload).replace(
    /"\.\.\/schemas\/([a-z-]+\.schema\.json)"/g,
    '"https://dttm.vn/schemas/$1"',
  );
  return ajv.compile(JSON.parse(payload) as object);
}

const lineCrossing = (at: Date) => ({
  topic: 'tns1:RuleEngine/LineDetector/Crossed',
  source: { VideoSourceConfigurationToken: 'VSC_1', Rule: 'Vạch dừng' },
  data: { ObjectId: '7' },
  utcTime: at.toISOString(),
});

const anpr = (plate: string, at: Date) =>
  `<?xml version="1.0" encoding="UTF-8"?><EventNotificationAlert version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema">` +
  `<channelID>1</channelID><dateTime>${at.toISOString()}</dateTime><activePostCount>1</activePostCount>` +
  `<eventType>ANPR</eventType><eventState>active</eventState><eventDescription>ANPR</eventDescription>` +
  `<ANPR><country>VN</country><licensePlate>${plate}</licensePlate><direction>forward</direction>` +
  `<confidenceLevel>96</confidenceLevel><vehicleType>vehicle</vehicleType></ANPR>` +
  `<VehicleInfo><vehicleType>car</vehicleType><speed>41</speed></VehicleInfo></EventNotificationAlert>`;

const registry = (id: string, area: string, unit: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Điểm giám sát ${id}`,
  protocol: 'none',
  location: { lat: 21.28, lon: 106.2 },
  area,
  unit,
  ...extra,
});

describe('cameras, incidents and the watch list', () => {
  let onvifIncident = '';

  it('registers an ONVIF camera with write-only credentials and subscribes to its events', async () => {
    const r = await api('POST', '/api/v1/cameras', {
      roles: OP,
      body: {
        id: 'BG-0001',
        name: 'Ngã tư Hoàng Văn Thụ – Xương Giang',
        protocol: 'onvif',
        url: onvif.url,
        ...ONVIF_LOGIN,
        location: { lat: 21.2731, lon: 106.1946, address: 'Ngã tư Hoàng Văn Thụ, TP Bắc Giang' },
        area: '213',
        unit: 'police',
      },
    });
    expect(r.status).toBe(201);
    conforms('POST', '/api/v1/cameras', r);
    expect(r.headers.get('location')).toBe('/api/v1/cameras/BG-0001');
    expect(r.json).toMatchObject({ id: 'BG-0001', hasPassword: true, username: 'admin', channel: 1 });
    expect(r.text).not.toContain(ONVIF_LOGIN.password);
    // Stored sealed (AES-256-GCM), not in plain text.
    const stored = await f.ctx.server.storage.cameras.getCamera('BG-0001');
    expect(stored?.sealedPassword).toMatch(/^v1\./);
    expect(JSON.stringify(stored)).not.toContain(ONVIF_LOGIN.password);
    const audit = await api('GET', '/api/v1/audit?limit=1000', { roles: OP });
    expect(audit.text).not.toContain(ONVIF_LOGIN.password);
    expect(audit.text).toContain('camera.create');

    await waitFor('an online camera', async () => (await health('BG-0001')).status === 'online');
    await waitFor('the pull point', () => onvif.subscriptionCount >= 1);
    const h = await api('GET', '/api/v1/cameras/BG-0001/health', { roles: OP });
    conforms('GET', '/api/v1/cameras/{cameraId}/health', h);
    const got = await api('GET', '/api/v1/cameras/BG-0001', { roles: OP });
    conforms('GET', '/api/v1/cameras/{cameraId}', got);
    expect(got.text).not.toContain(ONVIF_LOGIN.password);
  });

  it('opens an incident from a simulator event and announces it live', async () => {
    const ac = new AbortController();
    const res = await fetch(new URL('/api/v1/events?types=incident.opened', f.ctx.server.url), {
      headers: { authorization: `Bearer ${f.ctx.token(['department'], { department: 'police' })}` },
      signal: ac.signal,
    });
    expect(res.status).toBe(200);
    const frames = sseFrames(res);
    await new Promise((r) => setTimeout(r, 100));
    onvif.publish(lineCrossing(new Date()));
    const event = await nextEvent(frames);
    ac.abort();
    expect(event).toMatchObject({
      type: 'incident.opened',
      data: {
        cameraId: 'BG-0001',
        unit: 'police',
        area: '213',
        kind: 'line_crossing',
        state: 'open',
        count: 1,
        rule: 'Vạch dừng',
        severity: 'medium',
        snapshotUrl: '/api/v1/cameras/BG-0001/snapshot',
      },
    });
    expect(JSON.stringify(event)).not.toContain(ONVIF_LOGIN.password);
    onvifIncident = String((event.data as { id: string }).id);
    const list = await api('GET', '/api/v1/incidents?camera=BG-0001', { roles: OP });
    conforms('GET', '/api/v1/incidents', list);
    expect(list.json.items?.map((i) => i.id)).toEqual([onvifIncident]);
    const one = await api('GET', `/api/v1/incidents/${onvifIncident}`, { roles: OP });
    conforms('GET', '/api/v1/incidents/{incidentId}', one);
  });

  it('joins repeated identical events within the window into the open incident', async () => {
    const t = Date.now();
    onvif.publish(lineCrossing(new Date(t + 1000)));
    onvif.publish(lineCrossing(new Date(t + 2000)));
    const i = await waitFor('two repeats', async () => {
      const r = await api('GET', `/api/v1/incidents/${onvifIncident}`, { roles: OP });
      return (r.json.count as number) === 3 ? r.json : undefined;
    });
    expect(i.eventIds).toHaveLength(3);
    const list = await api('GET', '/api/v1/incidents?camera=BG-0001', { roles: OP });
    expect(list.json.items).toHaveLength(1);
  });

  it('goes offline when the camera reboots, recovers by itself and events flow again', async () => {
    const before = await health('BG-0001');
    const reboot = onvif.reboot(1500);
    await waitFor('offline', async () => (await health('BG-0001')).status === 'offline');
    const down = await api('GET', '/api/v1/cameras/BG-0001/health', { roles: OP });
    expect(down.json.lastError).toEqual(expect.any(String));
    conforms('GET', '/api/v1/cameras/{cameraId}/health', down);
    await reboot;
    await waitFor('online again', async () => (await health('BG-0001')).status === 'online', 15_000);
    await waitFor('a new pull point', () => onvif.subscriptionCount >= 1, 15_000);
    onvif.publish(lineCrossing(new Date(Date.now() + 3000)));
    const after = await waitFor('an event after the reboot', async () => {
      const h = await health('BG-0001');
      return h.events > before.events ? h : undefined;
    });
    expect(after.status).toBe('online');
    const i = await api('GET', `/api/v1/incidents/${onvifIncident}`, { roles: OP });
    expect(i.json.count).toBe(4);
    // The status changes went live: offline during the reboot, then online again.
    const changes = f.ctx.server.bus
      .recent(undefined, ['camera.health'])
      .filter((e) => e.subject === 'camera:BG-0001')
      .map((e) => (e.data as { status: string }).status);
    expect(changes.slice(-2)).toEqual(['offline', 'online']);
    const validate = asyncApiMessage('CameraHealthChanged');
    for (const e of f.ctx.server.bus.recent(undefined, ['camera.health']))
      expect(validate(e), JSON.stringify(validate.errors)).toBe(true);
    expect(JSON.stringify(f.ctx.server.bus.recent(undefined, ['camera.health']))).not.toContain(
      ONVIF_LOGIN.password,
    );
  });

  it('serves the snapshot through the server, never the camera address', async () => {
    const r = await api('GET', '/api/v1/cameras/BG-0001/snapshot', {
      roles: ['department'],
      claims: { department: 'police' },
    });
    expect(r.status).toBe(200);
    expect(r.type).toBe('image/jpeg');
    expect([...r.body.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    const reg = await api('POST', '/api/v1/cameras', {
      roles: OP,
      body: registry('BG-R01', '215', 'district'),
    });
    expect(reg.status).toBe(201);
    const none = await api('GET', '/api/v1/cameras/BG-R01/snapshot', { roles: OP });
    expect(none.status).toBe(409);
    expect(none.type).toBe('application/problem+json');
    expect(none.json.code).toBe('CAMERA_NOT_CONNECTED');
  });

  let wanted = '';
  it('opens a high-severity incident when an ANPR plate matches the watch list in another spelling', async () => {
    const w = await api('POST', '/api/v1/watchlist', {
      roles: OP,
      body: { plate: '98A-123.45', reason: 'Xe liên quan vụ trộm cắp' },
    });
    expect(w.status).toBe(201);
    conforms('POST', '/api/v1/watchlist', w);
    expect(w.json).toMatchObject({ plate: '98A12345', raw: '98A-123.45' });
    const dup = await api('POST', '/api/v1/watchlist', {
      roles: OP,
      body: { plate: '98a 12345', reason: 'x' },
    });
    expect(dup.status).toBe(409);
    const list = await api('GET', '/api/v1/watchlist', { roles: OP });
    conforms('GET', '/api/v1/watchlist', list);
    expect(list.json.items).toHaveLength(1);

    const cam = await api('POST', '/api/v1/cameras', {
      roles: OP,
      body: {
        id: 'BG-0002',
        name: 'Cổng QL1A – Dĩnh Trì',
        protocol: 'isapi',
        url: isapi.url,
        ...ISAPI_LOGIN,
        location: { lat: 21.25, lon: 106.22 },
        area: '213',
        unit: 'transport',
      },
    });
    expect(cam.status).toBe(201);
    await waitFor('the alert stream', () => isapi.streams >= 1);
    // An ordinary plate read opens nothing; the watched plate (read without separators) does.
    isapi.publish(anpr('99A55555', new Date()));
    isapi.publish(anpr('98A12345', new Date()));
    const hit = await waitFor('a watch-list incident', async () => {
      const r = await api('GET', '/api/v1/incidents?camera=BG-0002', { roles: OP });
      return r.json.items?.length ? r.json.items : undefined;
    });
    expect(hit).toHaveLength(1);
    expect(hit[0]).toMatchObject({
      kind: 'plate_read',
      severity: 'high',
      capSeverity: 'Severe',
      subCategory: 'wantedVehicle',
      unit: 'transport',
      plate: { normalized: '98A12345' },
      watchlistReason: 'Xe liên quan vụ trộm cắp',
    });
    wanted = String(hit[0]?.id);
    // A dropped alert stream reconnects by itself.
    isapi.dropConnections();
    await waitFor('the alert stream dropped', () => isapi.streams === 0);
    await waitFor('the alert stream again', () => isapi.streams >= 1);
    isapi.publish(anpr('98A-123.45', new Date(Date.now() + 1000)));
    await waitFor('the repeat', async () => {
      const r = await api('GET', `/api/v1/incidents/${wanted}`, { roles: OP });
      return r.json.count === 2 ? true : undefined;
    });
  });

  it('keeps a camera that refuses the credentials offline, with the reason', async () => {
    const r = await api('POST', '/api/v1/cameras', {
      roles: OP,
      body: {
        id: 'BG-0003',
        name: 'Sai mật khẩu',
        protocol: 'isapi',
        url: isapi.url,
        username: 'admin',
        password: 'sai-mat-khau',
        location: { lat: 21.25, lon: 106.22 },
        area: '213',
        unit: 'transport',
      },
    });
    expect(r.status).toBe(201);
    await waitFor('offline', async () => (await health('BG-0003')).status === 'offline');
    await new Promise((res) => setTimeout(res, 700)); // several probe rounds
    const h = await api('GET', '/api/v1/cameras/BG-0003/health', { roles: OP });
    expect(h.json.status).toBe('offline');
    expect(String(h.json.lastError)).toMatch(/rejected/);
    expect(h.text).not.toContain('sai-mat-khau');
    expect((await api('DELETE', '/api/v1/cameras/BG-0003', { roles: OP })).status).toBe(204);
  });

  it('moves incidents along the lifecycle by the owning unit, with 409 for invalid transitions', async () => {
    const police = { roles: ['department'] as Roles, claims: { department: 'police' } };
    const go = (id: string, body: unknown, who: { roles: Roles; claims?: Claims }) =>
      api('POST', `/api/v1/incidents/${id}/transitions`, { ...who, body });
    const ack = await go(onvifIncident, { to: 'acknowledged', expected: 'open', note: 'Đã xem' }, police);
    expect(ack.status).toBe(200);
    conforms('POST', '/api/v1/incidents/{incidentId}/transitions', ack);
    expect(ack.json.state).toBe('acknowledged');
    expect((ack.json.history as unknown[]).at(-1)).toMatchObject({
      from: 'open',
      to: 'acknowledged',
      by: 't',
      note: 'Đã xem',
    });
    const back = await go(onvifIncident, { to: 'open' }, police);
    expect(back.status).toBe(409); // an acknowledged incident is not reopened
    expect(back.json.allowed).toEqual(['dispatched', 'in-progress', 'resolved', 'closed']);
    const stale = await go(onvifIncident, { to: 'dispatched', expected: 'open' }, police);
    expect(stale.status).toBe(409);
    expect(stale.type).toBe('application/problem+json');
    conforms('POST', '/api/v1/incidents/{incidentId}/transitions', stale);
    // Transport cannot see a police incident; a district may read but not handle it.
    expect(
      (
        await go(
          onvifIncident,
          { to: 'dispatched' },
          { roles: ['department'], claims: { department: 'transport' } },
        )
      ).status,
    ).toBe(404);
    const district = await go(
      onvifIncident,
      { to: 'dispatched' },
      { roles: ['district'], claims: { area: '213' } },
    );
    expect(district.status).toBe(403);
    for (const to of ['dispatched', 'in-progress', 'resolved', 'closed'])
      expect((await go(onvifIncident, { to }, police)).json.state).toBe(to);
    const final = await go(onvifIncident, { to: 'in-progress' }, { roles: OP });
    expect(final.status).toBe(409);
    expect(final.json.code).toBe('INCIDENT_STATE_CONFLICT');
    const audit = await api('GET', '/api/v1/audit?limit=1000', { roles: OP });
    expect(audit.text).toContain('incident.acknowledged');
    expect(audit.text).toContain('incident.closed');
    // After closing, the same analytics event opens a new incident.
    onvif.publish(lineCrossing(new Date(Date.now() + 5000)));
    await waitFor('a new incident', async () => {
      const r = await api('GET', '/api/v1/incidents?camera=BG-0001&state=open', { roles: OP });
      return r.json.items?.length === 1 ? true : undefined;
    });
  });

  it('renders incidents as CAP 1.2 and as NGSI-LD Alert entities', async () => {
    const cap = await api('GET', `/api/v1/incidents/${wanted}.cap`, { roles: OP });
    expect(cap.status).toBe(200);
    expect(cap.type).toBe('application/cap+xml');
    expect(contractErrors('GET', '/api/v1/incidents/{incidentId}.cap', 200, cap.type, cap.text)).toEqual([]);
    const x = cap.text;
    expect(x).toContain('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">');
    for (const el of ['identifier', 'sender', 'sent', 'status', 'msgType', 'scope'])
      expect(x, el).toMatch(new RegExp(`<${el}>[^<]+</${el}>`));
    expect(x).toMatch(/<sent>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00<\/sent>/);
    expect(x).toContain('<msgType>Update</msgType>'); // two events
    expect((x.match(/<info>/g) ?? []).length).toBe(2);
    for (const el of ['category', 'event', 'urgency', 'severity', 'certainty'])
      expect(x, el).toMatch(new RegExp(`<info>.*<${el}>[^<]+</${el}>.*</info>`));
    expect(x).toContain('<severity>Severe</severity>');
    expect(x).toContain('<urgency>Immediate</urgency>');
    expect(x).toContain('<circle>21.25,106.22 0.05</circle>');
    expect(x).toContain('<valueName>plate</valueName><value>98A-123.45</value>');
    expect(x).toContain(`/api/v1/cameras/BG-0002/snapshot</uri>`);
    expect(x).not.toContain(isapi.url);
    expect(x).not.toContain(ISAPI_LOGIN.password);

    const ld = await api('GET', `/api/v1/incidents/${wanted}.ngsi-ld`, { roles: OP });
    expect(ld.status).toBe(200);
    expect(ld.type).toBe('application/ld+json');
    conforms('GET', '/api/v1/incidents/{incidentId}.ngsi-ld', ld);
    expect(ld.json).toMatchObject({
      id: `urn:ngsi-ld:Alert:${wanted}`,
      type: 'Alert',
      category: { type: 'Property', value: 'security' },
      subCategory: { type: 'Property', value: 'wantedVehicle' },
      severity: { type: 'Property', value: 'high' },
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [106.22, 21.25] } },
      data: { type: 'Property', value: { plate: '98A-123.45', eventCount: 2 } },
    });
    expect(ld.json['@context']).toContain('https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld');
    expect((await api('GET', '/api/v1/incidents/inc-00000000000000000000.cap', { roles: OP })).status).toBe(
      404,
    );
  });

  it('ingests Frigate events from a machine client through the package mapping', async () => {
    const lpr = JSON.parse(
      fs.readFileSync(
        new URL('../../specs/conformance/camera-vms/frigate/lpr-new.json', import.meta.url),
        'utf8',
      ),
    ) as { after: Record<string, unknown> };
    lpr.after.frame_time = Date.now() / 1000;
    const post = (body: unknown, roles: Roles = ['machine'], id = 'BG-R01') =>
      api('POST', `/api/v1/cameras/${id}/events/frigate`, { roles, body });
    const r = await post(lpr);
    expect(r.status).toBe(202);
    conforms('POST', '/api/v1/cameras/{cameraId}/events/frigate', r);
    expect(r.json).toMatchObject({ kind: 'plate_read', incidentId: expect.stringMatching(/^inc-/) });
    const i = await api('GET', `/api/v1/incidents/${String(r.json.incidentId)}`, { roles: OP });
    expect(i.json).toMatchObject({
      cameraId: 'BG-R01',
      unit: 'district',
      area: '215',
      severity: 'high',
      plate: { normalized: '98A12345' },
      watchlistReason: 'Xe liên quan vụ trộm cắp',
    });
    expect(i.json.snapshotUrl).toBeUndefined(); // a registry entry: no snapshot through the server
    // The same delivery twice does not count twice.
    expect((await post(lpr)).json.incidentId).toBe(r.json.incidentId);
    expect(
      (await api('GET', `/api/v1/incidents/${String(r.json.incidentId)}`, { roles: OP })).json.count,
    ).toBe(1);
    const bad = await post({ type: 'new', after: { camera: 'x' } });
    expect(bad.status).toBe(422);
    expect(bad.type).toBe('application/problem+json');
    expect(bad.json).toMatchObject({ code: 'EVENT_INVALID', path: '$.after.id' });
    expect((await post({ type: 'gone', after: {} })).status).toBe(400);
    expect((await post(lpr, OP)).status).toBe(403);
    expect((await post(lpr, ['machine'], 'BG-NOPE')).status).toBe(404);
  });

  it('computes the coverage KPI from the registry, recorded per district and for the province', async () => {
    // Public-order cameras: BG-0001 (213), BG-0002 (213), BG-R01 (215); plus these.
    for (const [id, area] of [
      ['BG-R02', '215'],
      ['BG-R03', '219'],
    ] as const)
      expect(
        (await api('POST', '/api/v1/cameras', { roles: OP, body: registry(id, area, 'police') })).status,
      ).toBe(201);
    // Not counted: not a public-order camera, or disabled.
    await api('POST', '/api/v1/cameras', {
      roles: OP,
      body: registry('BG-T01', '219', 'transport', { publicOrder: false }),
    });
    await api('POST', '/api/v1/cameras', {
      roles: OP,
      body: registry('BG-T02', '222', 'transport', { enabled: false }),
    });
    const cov = await api('GET', '/api/v1/cameras/coverage', { roles: ['leadership'] });
    conforms('GET', '/api/v1/cameras/coverage', cov);
    const km2 = BAC_GIANG_DISTRICT_AREAS.km2;
    const total = Object.values(km2).reduce((a, b) => a + b, 0);
    const row = (code: string) =>
      (cov.json.districts as { adminUnitCode: string }[]).find((d) => d.adminUnitCode === code);
    expect(row('213')).toEqual({ adminUnitCode: '213', cameras: 2, areaKm2: 66.77, density: 0.0299536 }); // 2 / 66.77 = 0.02995…
    expect(row('215')).toEqual({ adminUnitCode: '215', cameras: 2, areaKm2: 301.17, density: 0.00664077 }); // 0.00664…
    expect(row('219')).toEqual({ adminUnitCode: '219', cameras: 1, areaKm2: 1012.23, density: 0.000987918 }); // 0.000988…
    expect(row('222')).toEqual({ adminUnitCode: '222', cameras: 0, areaKm2: 171.01, density: 0 });
    expect(cov.json.province).toEqual({
      adminUnitCode: '24',
      cameras: 5,
      areaKm2: 3831.43,
      density: 0.001305, // 5 / 3831.43 = 0.00130500…
      districtsCovered: 3,
      districts: 10,
      share: 30,
    });
    expect(total).toBeCloseTo(3831.43, 6);
    // The default profile measures L2.N2.PN2.01 in % (Bảng 4): districts covered.
    const obs = await waitFor('the KPI observations', async () => {
      const r = await api('GET', '/api/v1/kpi/observations?indicator=L2.N2.PN2.01&limit=100', {
        roles: ['leadership'],
      });
      const items = r.json.items as {
        observation: {
          scope: { level: string; adminUnitCode: string };
          value: number;
          numerator: number;
          denominator: number;
          source: string;
        };
      }[];
      const latest = items.filter(
        (i) => i.observation.numerator === 3 || i.observation.scope.level === 'district',
      );
      return latest.some((i) => i.observation.scope.level === 'province' && i.observation.numerator === 3)
        ? items
        : undefined;
    });
    const province = obs.find(
      (i) => i.observation.scope.level === 'province' && i.observation.numerator === 3,
    )?.observation;
    expect(province).toMatchObject({
      value: 30,
      numerator: 3,
      denominator: 10,
      source: 'ioc-cameras',
      scope: { adminUnitCode: '24' },
    });
    // Each registry change records the figures again (keys carry them): the latest for 219 is covered.
    const district = (code: string) =>
      obs
        .filter((i) => i.observation.scope.level === 'district' && i.observation.scope.adminUnitCode === code)
        .map((i) => i.observation);
    expect(district('219')).toContainEqual(
      expect.objectContaining({ value: 100, numerator: 1, denominator: 1, source: 'ioc-cameras' }),
    );
    expect(district('222').map((o) => o.value)).toEqual(district('222').map(() => 0));
    expect(district('222').length).toBeGreaterThan(0);
  });

  it('scopes cameras and incidents by unit and area', async () => {
    const ids = async (path: string, roles: Roles, claims?: Claims) =>
      ((await api('GET', path, { roles, ...(claims ? { claims } : {}) })).json.items ?? []).map(
        (i) => i.id ?? i.cameraId,
      );
    expect(await ids('/api/v1/cameras', ['district'], { area: '215' })).toEqual(['BG-R01', 'BG-R02']);
    expect(await ids('/api/v1/cameras', ['department'], { department: 'transport' })).toEqual([
      'BG-0002',
      'BG-T01',
      'BG-T02',
    ]);
    expect((await ids('/api/v1/cameras', ['leadership'])).length).toBe(7);
    conforms(
      'GET',
      '/api/v1/cameras',
      await api('GET', '/api/v1/cameras?area=213', { roles: ['leadership'] }),
    );
    const un = await api('GET', '/api/v1/incidents');
    expect(un.status).toBe(401);
    conforms('GET', '/api/v1/incidents', un);
    const transportIncidents = await api('GET', '/api/v1/incidents', {
      roles: ['department'],
      claims: { department: 'transport' },
    });
    expect(transportIncidents.json.items?.every((i) => i.unit === 'transport')).toBe(true);
    expect(transportIncidents.json.items?.length).toBe(1);
    expect(
      (await api('GET', '/api/v1/incidents', { roles: ['district'], claims: { area: '219' } })).json.items,
    ).toEqual([]);
    expect(
      (await api('GET', `/api/v1/incidents/${wanted}`, { roles: ['district'], claims: { area: '215' } }))
        .status,
    ).toBe(404);
    expect(
      (await api('GET', '/api/v1/cameras/BG-0001', { roles: ['district'], claims: { area: '215' } })).status,
    ).toBe(404);
    // Paging.
    const p1 = await api('GET', '/api/v1/incidents?limit=1', { roles: OP });
    expect(p1.json.items).toHaveLength(1);
    expect(p1.json.nextOffset).toBe(1);
    // Roles without the scope, and no token.
    for (const [method, path, roles, body] of [
      ['POST', '/api/v1/cameras', ['leadership'], registry('BG-X', '213', 'police')],
      ['GET', '/api/v1/cameras', ['machine'], undefined],
      ['GET', '/api/v1/incidents', ['machine'], undefined],
      ['GET', '/api/v1/watchlist', ['department'], undefined],
      ['DELETE', '/api/v1/cameras/BG-R01', ['district'], undefined],
    ] as const) {
      const r = await api(method, path, { roles: [...roles] as Roles, body });
      expect(r.status, `${method} ${path} ${roles.join()}`).toBe(403);
      expect(r.type).toBe('application/problem+json');
      conforms(method, template(path), r);
    }
    expect((await api('GET', '/api/v1/incidents')).status).toBe(401);
  });

  it('answers bad input with typed 4xx problems', async () => {
    const cases: [string, string, unknown, number, string?][] = [
      [
        'POST',
        '/api/v1/cameras',
        { protocol: 'onvif', location: { lat: 1, lon: 1 }, area: '213', unit: 'police' },
        400,
      ],
      ['POST', '/api/v1/cameras', '{"name": ', 400],
      [
        'POST',
        '/api/v1/cameras',
        registry('BG-Y', '213', 'police', { protocol: 'onvif' }),
        422,
        'CAMERA_INVALID',
      ],
      [
        'POST',
        '/api/v1/cameras',
        registry('BG-Y', '213', 'police', { protocol: 'onvif', url: 'http://admin:pw@10.0.0.1/onvif' }),
        422,
        'CAMERA_INVALID',
      ],
      ['POST', '/api/v1/cameras', registry('BG-Y', '999', 'police'), 422, 'UNKNOWN_DISTRICT'],
      ['POST', '/api/v1/cameras', registry('BG-Y', '213', 'police', { location: { lat: 91, lon: 0 } }), 400],
      ['POST', '/api/v1/cameras', registry('BG-0001', '213', 'police'), 409, 'CAMERA_EXISTS'],
      ['PUT', '/api/v1/cameras/BG-R01', registry('BG-R09', '215', 'district'), 422, 'CAMERA_INVALID'],
      ['PUT', '/api/v1/cameras/NOPE', registry('NOPE', '215', 'district'), 404, 'CAMERA_NOT_FOUND'],
      ['GET', '/api/v1/incidents?state=gone', undefined, 400],
      ['GET', '/api/v1/incidents?from=yesterday', undefined, 400],
      ['GET', '/api/v1/incidents/not-an-id', undefined, 400],
      ['GET', '/api/v1/incidents/inc-00000000000000000000', undefined, 404, 'INCIDENT_NOT_FOUND'],
      ['POST', `/api/v1/incidents/${wanted}/transitions`, { to: 'fixed' }, 400],
      ['POST', '/api/v1/watchlist', { plate: '98A-123.45' }, 400],
      ['POST', '/api/v1/watchlist', { plate: '!!!!!', reason: 'x' }, 422, 'PLATE_INVALID'],
      ['DELETE', '/api/v1/watchlist/30A99999', undefined, 404, 'PLATE_NOT_LISTED'],
      ['GET', '/api/v1/cameras/BG-NOPE/health', undefined, 404, 'CAMERA_NOT_FOUND'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const r = await api(method, path, { roles: OP, body });
      expect(r.status, `${method} ${path}`).toBe(status);
      expect(r.type, `${method} ${path}`).toBe('application/problem+json');
      if (code !== undefined) expect(r.json.code, `${method} ${path}`).toBe(code);
      conforms(method, template(path), r);
    }
  });

  it('updates and removes cameras: the password kept, replaced or cleared, never returned', async () => {
    const put = await api('PUT', '/api/v1/cameras/BG-0002', {
      roles: OP,
      body: {
        name: 'Cổng QL1A – Dĩnh Trì (mới)',
        protocol: 'isapi',
        url: isapi.url,
        username: 'admin',
        location: { lat: 21.25, lon: 106.22 },
        area: '213',
        unit: 'transport',
      },
    });
    expect(put.status).toBe(200);
    conforms('PUT', '/api/v1/cameras/{cameraId}', put);
    expect(put.json).toMatchObject({ hasPassword: true, name: 'Cổng QL1A – Dĩnh Trì (mới)' });
    // The kept password still opens the stream after the restart.
    await waitFor('online with the kept password', async () => (await health('BG-0002')).status === 'online');
    const cleared = await api('PUT', '/api/v1/cameras/BG-0002', {
      roles: OP,
      body: {
        ...(put.json as object),
        id: undefined,
        hasPassword: undefined,
        channel: 1,
        createdAt: undefined,
        updatedAt: undefined,
        password: null,
      },
    });
    expect(cleared.status).toBe(200);
    expect(cleared.json.hasPassword).toBe(false);
    expect((await f.ctx.server.storage.cameras.getCamera('BG-0002'))?.sealedPassword).toBeUndefined();
    const del = await api('DELETE', '/api/v1/cameras/BG-0002', { roles: OP });
    expect(del.status).toBe(204);
    expect((await api('GET', '/api/v1/cameras/BG-0002', { roles: OP })).status).toBe(404);
    await waitFor('the stream closed', () => isapi.streams === 0);
    // Its incidents stay.
    expect((await api('GET', `/api/v1/incidents/${wanted}`, { roles: OP })).status).toBe(200);
    expect((await api('DELETE', '/api/v1/watchlist/98a-123.45', { roles: OP })).status).toBe(204);
  });

  it('publishes events that conform to the AsyncAPI messages', () => {
    for (const [type, name] of [
      ['incident.opened', 'IncidentOpened'],
      ['incident.updated', 'IncidentUpdated'],
    ] as const) {
      const validate = asyncApiMessage(name);
      const events = f.ctx.server.bus.recent(undefined, [type]);
      expect(events.length).toBeGreaterThan(1);
      for (const e of events) expect(validate(e), JSON.stringify(validate.errors)).toBe(true);
      expect(
        asyncApiMessage(name === 'IncidentOpened' ? 'IncidentUpdated' : 'IncidentOpened')(events[0]),
      ).toBe(false);
    }
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  IncidentCorrelator,
  capTime,
  isCameraError,
  parseXml,
  toCapAlert,
  toNgsiLdAlert,
  type CameraEvent,
} from '@dttm/camera-vms';

const root = path.resolve(import.meta.dirname, '../../..');
const vectors = path.join(root, 'specs/conformance/camera-vms');
const load = (p: string): unknown => JSON.parse(fs.readFileSync(path.join(vectors, p), 'utf8'));
const onvif = load('onvif/recognition-traffic.expected.json') as CameraEvent[];
const face = onvif.find((e) => e.kind === 'face_match') as CameraEvent;
const anpr = load('isapi/anpr-car.expected.json') as CameraEvent;
const parking = load('isapi/aid-illegal-parking.expected.json') as CameraEvent;
const location = { latitude: 21.2731, longitude: 106.1946, address: 'Ngã tư Hoàng Văn Thụ, TP Bắc Giang' };

function at(e: CameraEvent, time: string, id: string, state: CameraEvent['state'] = e.state): CameraEvent {
  return { ...e, time, id, state };
}

describe('IncidentCorrelator', () => {
  it('correlates repeats within the window, debounces updates, closes on end and expiry', () => {
    const c = new IncidentCorrelator({ windowMs: { traffic_violation: 120_000 }, debounceMs: 60_000 });
    const first = c.add(at(parking, '2026-11-28T10:00:00+07:00', 'e1'));
    expect(first?.type).toBe('new');
    expect(first?.incident).toMatchObject({
      kind: 'traffic_violation',
      category: 'traffic',
      subCategory: 'illegalParking',
      capCategory: 'Transport',
      severity: 'low',
      capSeverity: 'Minor',
      count: 1,
      status: 'open',
      title: { vi: 'Dừng, đỗ xe trái phép', en: 'Illegal parking' },
    });
    expect(c.add(at(parking, '2026-11-28T10:00:30+07:00', 'e2'))).toBeUndefined(); // debounced
    const update = c.add(at(parking, '2026-11-28T10:01:10+07:00', 'e3'));
    expect([update?.type, update?.incident.count, update?.incident.eventIds]).toEqual([
      'update',
      3,
      ['e1', 'e2', 'e3'],
    ]);
    expect(update?.incident.id).toBe(first?.incident.id);
    const closed = c.add(at(parking, '2026-11-28T10:01:20+07:00', 'e4', 'end'));
    expect([closed?.type, closed?.incident.status, closed?.incident.count]).toEqual(['closed', 'closed', 4]);
    expect(c.size).toBe(0);

    expect(c.add(at(parking, '2026-11-28T11:00:00+07:00', 'e5'))?.type).toBe('new');
    expect(c.expire('2026-11-28T11:01:00+07:00')).toEqual([]);
    const expired = c.expire('2026-11-28T11:02:01+07:00');
    expect(expired.map((u) => [u.type, u.incident.status])).toEqual([['closed', 'closed']]);
  });

  it('keeps different subjects apart and ignores motion, counting and initial states', () => {
    const c = new IncidentCorrelator();
    expect(c.add(at(anpr, '2026-11-28T09:20:33+07:00', 'a'))?.type).toBe('new');
    const other = {
      ...anpr,
      plate: { ...(anpr as { plate: object }).plate, normalized: '98A99999' },
    } as CameraEvent;
    expect(c.add(at(other, '2026-11-28T09:20:34+07:00', 'b'))?.type).toBe('new');
    expect(c.size).toBe(2);
    const motion = { ...anpr, kind: 'motion' } as unknown as CameraEvent;
    expect(c.add(motion)).toBeUndefined();
    expect(c.add({ ...face, initial: true })).toBeUndefined();
  });

  it('raises blacklist faces and wanted plates to high severity', () => {
    const c = new IncidentCorrelator({ wantedPlates: new Set(['98A12345']) });
    expect(c.add(face)?.incident).toMatchObject({
      subCategory: 'wantedPerson',
      severity: 'high',
      capSeverity: 'Severe',
    });
    expect(c.add(anpr)?.incident).toMatchObject({
      category: 'security',
      subCategory: 'wantedVehicle',
      severity: 'high',
      title: { vi: 'Phương tiện bị truy tìm', en: 'Wanted vehicle' },
    });
    const plain = new IncidentCorrelator();
    expect(plain.add(anpr)?.incident).toMatchObject({ subCategory: 'plateRead', severity: 'informational' });
  });

  it('rejects events without a parseable time', () => {
    try {
      new IncidentCorrelator().add(at(parking, 'yesterday', 'x'));
      expect.unreachable();
    } catch (err) {
      expect(isCameraError(err) && err.code).toBe('INVALID_ARGUMENT');
    }
  });
});

describe('incident exports', () => {
  it('formats CAP times with seconds and the Vietnam offset', () => {
    expect(capTime('2026-11-28T02:00:00.250Z')).toBe('2026-11-28T09:00:00+07:00');
    expect(capTime('2026-11-28T23:30:00+07:00')).toBe('2026-11-28T23:30:00+07:00');
  });

  it('writes a CAP 1.2 alert (golden: specs/conformance/camera-vms/incidents/wanted-face.cap.xml)', () => {
    const update = new IncidentCorrelator().add(face);
    const xml = toCapAlert(update!.incident, { sender: 'ioc.bacgiang.gov.vn', location });
    expect(xml).toBe(fs.readFileSync(path.join(vectors, 'incidents/wanted-face.cap.xml'), 'utf8').trim());
    const alert = parseXml(xml);
    expect(alert.ns).toBe('urn:oasis:names:tc:emergency:cap:1.2');
    expect(alert.children.map((c) => c.name)).toEqual([
      'identifier',
      'sender',
      'sent',
      'status',
      'msgType',
      'scope',
      'restriction',
      'info',
      'info',
    ]);
  });

  it('marks updates and cancellations with references to the first alert', () => {
    const c = new IncidentCorrelator({ debounceMs: 0 });
    c.add(at(parking, '2026-11-28T10:00:00+07:00', 'e1'));
    const u = c.add(at(parking, '2026-11-28T10:00:10+07:00', 'e2'));
    const xml = toCapAlert(u!.incident, { sender: 'ioc.bacgiang.gov.vn', scope: 'Public' });
    const alert = parseXml(xml);
    const text = (n: string): string | undefined => alert.children.find((c) => c.name === n)?.text;
    expect([text('msgType'), text('scope'), text('restriction')]).toEqual(['Update', 'Public', undefined]);
    expect(text('references')).toBe(`ioc.bacgiang.gov.vn,${u!.incident.id}-1,2026-11-28T10:00:00+07:00`);
    const closed = c.add(at(parking, '2026-11-28T10:00:20+07:00', 'e3', 'end'));
    expect(toCapAlert(closed!.incident, { sender: 's' })).toContain('<msgType>Cancel</msgType>');
  });

  it('writes a FIWARE Alert (golden: specs/conformance/camera-vms/incidents/wanted-plate.ngsi-ld.json)', () => {
    const c = new IncidentCorrelator({ wantedPlates: new Set(['98A12345']) });
    const alert = toNgsiLdAlert(c.add(anpr)!.incident, { location });
    expect(alert).toEqual(load('incidents/wanted-plate.ngsi-ld.json'));
  });
});

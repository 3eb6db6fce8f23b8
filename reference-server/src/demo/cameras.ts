import { startIsapiSimulator, startOnvifSimulator } from '@dttm/camera-vms/testing';
import { ROLE_SCOPES, type Principal } from '../auth/roles.js';
import type { Logger } from '../logger.js';
import type { CameraInput, CameraService } from '../modules/cameras/service.js';

/** A running camera demo: the simulators and the event timer. */
export interface CamerasDemo {
  close(): Promise<void>;
}

const ONVIF_LOGIN = { username: 'admin', password: 'demo-onvif-2026' };
const ISAPI_LOGIN = { username: 'admin', password: 'demo-isapi-2026' };
/** A plate on the demo watch list; the simulated ANPR camera reads it every third round. */
export const DEMO_WATCHED_PLATE = '98A-999.99';

/** Registry-only cameras (no connection) that count for the coverage KPI. */
const REGISTRY: readonly CameraInput[] = [
  {
    id: 'BG-CAM-201',
    name: 'Chợ Cao Thượng',
    protocol: 'none',
    location: { lat: 21.396, lon: 106.119, address: 'Thị trấn Cao Thượng, huyện Tân Yên' },
    area: '216',
    unit: 'police',
  },
  {
    id: 'BG-CAM-202',
    name: 'Ngã tư thị trấn Chũ',
    protocol: 'none',
    location: { lat: 21.371, lon: 106.603, address: 'Thị trấn Chũ, huyện Lục Ngạn' },
    area: '219',
    unit: 'police',
  },
  {
    id: 'BG-CAM-203',
    name: 'KCN Đình Trám',
    protocol: 'none',
    location: { lat: 21.25, lon: 106.05, address: 'Khu công nghiệp Đình Trám, huyện Việt Yên' },
    area: '222',
    unit: 'police',
  },
  {
    id: 'BG-CAM-204',
    name: 'Cầu Đồng Sơn',
    protocol: 'none',
    location: { lat: 21.262, lon: 106.21, address: 'Xã Đồng Sơn, huyện Yên Dũng' },
    area: '221',
    unit: 'transport',
  },
];

const motion = (on: boolean) => ({
  topic: 'tns1:RuleEngine/CellMotionDetector/Motion',
  source: { VideoSourceConfigurationToken: 'VSC_1', Rule: 'Vùng quảng trường' },
  data: { IsMotion: on ? 'true' : 'false' },
  property: true,
});

const lineCrossing = () => ({
  topic: 'tns1:RuleEngine/LineDetector/Crossed',
  source: { VideoSourceConfigurationToken: 'VSC_1', Rule: 'Hàng rào khu vực cấm' },
  data: { ObjectId: String(Math.floor(Math.random() * 1000)) },
});

const alert = (type: string, body: string, at: Date) =>
  `<?xml version="1.0" encoding="UTF-8"?><EventNotificationAlert version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema">` +
  `<channelID>1</channelID><dateTime>${at.toISOString()}</dateTime><activePostCount>1</activePostCount>` +
  `<eventType>${type}</eventType><eventState>active</eventState><eventDescription>${type}</eventDescription>${body}</EventNotificationAlert>`;

const anpr = (plate: string, at: Date) =>
  alert(
    'ANPR',
    `<ANPR><country>VN</country><licensePlate>${plate}</licensePlate><direction>forward</direction>` +
      `<confidenceLevel>95</confidenceLevel><vehicleType>vehicle</vehicleType></ANPR>` +
      `<VehicleInfo><vehicleType>car</vehicleType><speed>43</speed></VehicleInfo>`,
    at,
  );

/** Registers the camera, or re-points it at this run's simulator (ports change between runs). */
async function upsert(service: CameraService, input: CameraInput, principal: Principal): Promise<void> {
  const id = input.id ?? '';
  const existing = await service.getCamera(id, { all: true }).catch(() => undefined);
  if (existing === undefined) await service.createCamera(input, principal);
  else if (existing.url !== input.url || (input.protocol === 'none' && existing.protocol !== 'none'))
    await service.updateCamera(id, input, principal);
}

/**
 * The camera demo: an ONVIF device simulator and a Hikvision ISAPI simulator in-process, registered as
 * cameras of the police (Bắc Giang city square) and of transport (the QL1A junction), four registry-only
 * cameras in other districts (for the coverage KPI), a plate on the watch list, and simulated analytics
 * every `intervalMs`: motion and line crossings on the ONVIF camera, plate reads (the watched plate every
 * third round) and line detection on the ISAPI camera, so incidents appear.
 */
export async function startCamerasDemo(o: {
  readonly service: CameraService;
  readonly logger: Logger;
  readonly intervalMs: number;
}): Promise<CamerasDemo> {
  const onvif = await startOnvifSimulator(ONVIF_LOGIN);
  const isapi = await startIsapiSimulator(ISAPI_LOGIN);
  const principal: Principal = {
    subject: 'demo-operator',
    roles: ['operator'],
    scopes: new Set(ROLE_SCOPES.operator),
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
  };
  try {
    await upsert(
      o.service,
      {
        id: 'BG-CAM-001',
        name: 'Quảng trường 3/2',
        protocol: 'onvif',
        url: onvif.url,
        ...ONVIF_LOGIN,
        location: { lat: 21.2737, lon: 106.1947, address: 'Quảng trường 3/2, thành phố Bắc Giang' },
        area: '213',
        unit: 'police',
      },
      principal,
    );
    await upsert(
      o.service,
      {
        id: 'BG-CAM-101',
        name: 'Nút giao QL1A – Dĩnh Trì',
        protocol: 'isapi',
        url: isapi.url,
        ...ISAPI_LOGIN,
        location: { lat: 21.2497, lon: 106.2206, address: 'Nút giao QL1A, xã Dĩnh Trì, thành phố Bắc Giang' },
        area: '213',
        unit: 'transport',
      },
      principal,
    );
    for (const c of REGISTRY) await upsert(o.service, c, principal);
    const watched = await o.service.listWatchlist();
    if (!watched.some((w) => w.raw === DEMO_WATCHED_PLATE))
      await o.service.addWatchedPlate(
        { plate: DEMO_WATCHED_PLATE, reason: 'Xe bị báo mất cắp (dữ liệu mô phỏng)' },
        principal,
      );
  } catch (err) {
    await onvif.close();
    await isapi.close();
    throw err;
  }
  let round = 0;
  const timer = setInterval(() => {
    round++;
    const at = new Date();
    onvif.publish(motion(round % 2 === 1));
    if (round % 2 === 0) onvif.publish(lineCrossing());
    const plate =
      round % 3 === 0
        ? DEMO_WATCHED_PLATE
        : `98${'ABCDEFGH'[round % 8] ?? 'A'}-${String(100 + ((round * 37) % 900))}.${String(10 + ((round * 13) % 90))}`;
    isapi.publish(anpr(plate, at));
    if (round % 4 === 0)
      isapi.publish(
        alert(
          'linedetection',
          '<DetectionRegionList><DetectionRegionEntry><regionID>1</regionID></DetectionRegionEntry></DetectionRegionList>',
          at,
        ),
      );
  }, o.intervalMs);
  timer.unref();
  o.logger.info('camera demo running', { onvif: onvif.url, isapi: isapi.url });
  return {
    async close() {
      clearInterval(timer);
      await onvif.close();
      await isapi.close();
    },
  };
}

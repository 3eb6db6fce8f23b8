import { formatDtm, MllpClient } from '@dttm/hl7-fhir-bridge';
import { FhirTestServer } from '@dttm/hl7-fhir-bridge/testing';
import type { Logger } from '../logger.js';
import type { FacilityInput, HealthService } from '../modules/health/service.js';
import { seededRandom } from './stations.js';

/** The demo's hospitals: a provincial general hospital in the city and a district health centre. */
export const DEMO_FACILITIES: readonly FacilityInput[] = [
  { id: 'BV_DKTINH_BG', name: 'Bệnh viện Đa khoa tỉnh Bắc Giang', area: '213', addresses: [] },
  { id: 'TTYT_LUCNGAN', name: 'Trung tâm Y tế huyện Lục Ngạn', area: '219', addresses: ['127.0.0.1', '::1'] },
];

/** One segment; `fields[n]` is field n (for MSH, MSH-1 and MSH-2 are the delimiters). */
function segment(name: string, fields: Readonly<Record<number, string>>): string {
  const last = Math.max(0, ...Object.keys(fields).map(Number));
  const parts: string[] = [name];
  if (name === 'MSH') {
    parts.push('^~\\&');
    for (let n = 3; n <= last; n++) parts.push(fields[n] ?? '');
  } else for (let n = 1; n <= last; n++) parts.push(fields[n] ?? '');
  return parts.join('|');
}

/** Synthetic patient (no real person): identifiers and demographics for the simulated HIS. */
export interface DemoPatient {
  readonly mrn: string;
  /** A 12-digit citizen id (CCCD), synthetic. */
  readonly cccd: string;
  readonly family: string;
  readonly given: string;
  readonly birthDate: string;
  readonly sex: 'M' | 'F';
}

interface Header {
  readonly facility: string;
  readonly controlId: string;
  readonly at: Date;
}

const ts = (at: Date) => formatDtm(at, '+07:00');

function msh(h: Header, type: string): string {
  return segment('MSH', {
    3: 'HIS',
    4: h.facility,
    5: 'DTTM_HUB',
    6: 'SYT_BACGIANG',
    7: ts(h.at),
    9: type,
    10: h.controlId,
    11: 'P',
    12: '2.5.1',
    18: 'UNICODE UTF-8',
  });
}

function pid(h: Header, p: DemoPatient): string {
  return segment('PID', {
    1: '1',
    3: `${p.mrn}^^^${h.facility}^MR~${p.cccd}^^^BCA^NI`,
    5: `${p.family}^${p.given}`,
    7: p.birthDate,
    8: p.sex,
  });
}

/** ADT A01 (admission), A04 (outpatient registration) or A03 (discharge) of the visit `visit`. */
export function adtMessage(h: Header, event: 'A01' | 'A03' | 'A04', p: DemoPatient, visit: string): string {
  const structure = event === 'A03' ? 'ADT_A03' : 'ADT_A01';
  return [
    msh(h, `ADT^${event}^${structure}`),
    segment('EVN', { 1: event, 2: ts(h.at) }),
    pid(h, p),
    segment('PV1', {
      1: '1',
      2: event === 'A04' ? 'O' : 'I',
      3: event === 'A04' ? 'KKB^01^01' : 'NOI^101^A',
      19: visit,
    }),
  ].join('\r');
}

/** ORU R01: a glucose result of the visit `visit` (the clinical record sent electronically). */
export function oruMessage(h: Header, p: DemoPatient, visit: string | undefined, glucose: number): string {
  return [
    msh(h, 'ORU^R01^ORU_R01'),
    pid(h, p),
    ...(visit === undefined ? [] : [segment('PV1', { 1: '1', 2: 'O', 19: visit })]),
    segment('OBR', { 1: '1', 3: `XN${h.controlId}`, 4: 'GLU^Glucose^99VTL', 7: ts(h.at), 25: 'F' }),
    segment('OBX', {
      1: '1',
      2: 'NM',
      3: 'GLU^Glucose^99VTL',
      5: glucose.toFixed(1),
      6: 'mmol/l',
      7: '3.9-6.4',
      8: glucose > 6.4 ? 'H' : 'N',
      11: 'F',
    }),
  ].join('\r');
}

/** SIU S12: a new booking of 30 minutes at `start`, entered through `channel` (SCH-24.1: WEB, APP, QUAY…). */
export function siuMessage(h: Header, p: DemoPatient, booking: string, start: Date, channel: string): string {
  const end = new Date(start.getTime() + 30 * 60_000);
  return [
    msh(h, 'SIU^S12^SIU_S12'),
    segment('SCH', {
      1: `${booking}^${h.facility}`,
      2: `${booking}^${h.facility}`,
      7: 'KHAM^Khám bệnh',
      9: '30',
      10: 'MIN',
      11: `^^30^${ts(start)}^${ts(end)}`,
      24: channel,
      25: 'Booked',
    }),
    pid(h, p),
  ].join('\r');
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Ngô'];
const GIVEN = ['Văn An', 'Thị Bình', 'Minh Châu', 'Quốc Dũng', 'Thu Hà', 'Đức Huy', 'Thị Lan', 'Văn Nam'];

/** A synthetic patient drawn from `random`. */
export function demoPatient(random: () => number, n: number): DemoPatient {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const year = 1940 + Math.floor(random() * 80);
  return {
    mrn: `BN${String(n).padStart(6, '0')}`,
    cccd: `024${String(Math.floor(random() * 1e9)).padStart(9, '0')}`,
    family: pick(FAMILY),
    given: pick(GIVEN),
    birthDate: `${year}${String(1 + Math.floor(random() * 12)).padStart(2, '0')}${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`,
    sex: random() < 0.5 ? 'M' : 'F',
  };
}

export interface DemoFhirServer {
  readonly baseUrl: string;
  close(): Promise<void>;
}

/** The demo's FHIR R4 server (in process, in memory), standing in for the province's health data hub. */
export async function startDemoFhirServer(): Promise<DemoFhirServer> {
  const server = await FhirTestServer.listen();
  return { baseUrl: server.baseUrl, close: () => server.close() };
}

/**
 * A simulated hospital information system per demo facility, speaking MLLP to the IOC's listener.
 * `next()` gives the next message of a plausible day: registrations and admissions (A04/A01), results
 * (R01) for most visits, discharges (A03), and bookings (S12) made online or at the desk.
 */
export class HospitalSimulator {
  readonly #random: () => number;
  #n = 0;
  readonly #open: { visit: string; patient: DemoPatient; inpatient: boolean; results: boolean }[] = [];

  constructor(
    readonly facility: string,
    seed: number,
    private readonly now: () => Date,
    /** Share of bookings made online, of visits whose results are sent. */
    private readonly rates: { readonly online: number; readonly results: number },
  ) {
    this.#random = seededRandom(seed);
  }

  next(): string {
    const n = ++this.#n;
    const h: Header = {
      facility: this.facility,
      controlId: `${this.facility}-${this.now().getTime().toString(36)}-${n}`,
      at: this.now(),
    };
    const r = this.#random();
    const pending = this.#open.find((v) => v.results);
    if (pending !== undefined && r < 0.35) {
      pending.results = false;
      return oruMessage(h, pending.patient, pending.visit, 4 + this.#random() * 4);
    }
    if (r < 0.5 && this.#open.length > 0) {
      const v = this.#open.shift()!;
      return adtMessage(h, 'A03', v.patient, v.visit);
    }
    const patient = demoPatient(this.#random, n);
    if (r < 0.75) {
      const start = new Date(this.now().getTime() + (1 + Math.floor(this.#random() * 14)) * 86_400_000);
      const channel = this.#random() < this.rates.online ? (this.#random() < 0.5 ? 'WEB' : 'VNEID') : 'QUAY';
      return siuMessage(h, patient, `LH${n}`, start, channel);
    }
    const inpatient = this.#random() < 0.3;
    const visit = `LK${this.facility.slice(0, 4)}${n}`;
    this.#open.push({ visit, patient, inpatient, results: this.#random() < this.rates.results });
    if (this.#open.length > 20) this.#open.shift();
    return adtMessage(h, inpatient ? 'A01' : 'A04', patient, visit);
  }
}

export interface HealthDemo {
  close(): Promise<void>;
}

/**
 * The health demo: registers the demo facilities, sends a seeded history over MLLP when no message was
 * received yet (so both health KPIs have values at first start), then keeps each hospital sending a
 * message every `intervalMs`.
 */
export async function startHealthDemo(o: {
  readonly service: HealthService;
  readonly logger: Logger;
  readonly intervalMs: number;
  readonly historyMessages?: number;
  readonly now?: () => Date;
}): Promise<HealthDemo> {
  const now = o.now ?? (() => new Date());
  for (const f of DEMO_FACILITIES)
    if (!o.service.listFacilities().some((x) => x.id === f.id)) await o.service.putFacility(f, 'demo');
  const port = o.service.port;
  if (port === undefined) return { close: () => Promise.resolve() };
  const hospitals = [
    new HospitalSimulator(DEMO_FACILITIES[0]!.id, 2025_1, now, { online: 0.45, results: 0.8 }),
    new HospitalSimulator(DEMO_FACILITIES[1]!.id, 2025_2, now, { online: 0.2, results: 0.5 }),
  ];
  const client = await MllpClient.connect({ host: '127.0.0.1', port });
  const send = (er7: string) =>
    client.send(er7).catch((err: unknown) =>
      o.logger.warn('demo HL7 message not sent', {
        error: err instanceof Error ? err.message : String(err),
      }),
    );
  const seeded = (await o.service.listMessages({ limit: 1 })).length > 0;
  if (!seeded) {
    for (let i = 0; i < (o.historyMessages ?? 60); i++) for (const h of hospitals) await send(h.next());
    await o.service.recordKpis();
  }
  o.logger.info('demo hospitals sending HL7 v2', { facilities: hospitals.map((h) => h.facility), port });
  let turn = 0;
  const timer = setInterval(() => {
    const h = hospitals[turn++ % hospitals.length]!;
    void send(h.next());
  }, o.intervalMs);
  timer.unref();
  return {
    async close() {
      clearInterval(timer);
      await client.close();
    },
  };
}

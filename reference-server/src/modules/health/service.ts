import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import type tls from 'node:tls';
import {
  Hl7Error,
  Hl7FhirBridge,
  hl7ToFhir,
  parseHl7,
  type FhirBundle,
  type FhirResource,
  type Hl7Message,
  type MessageStore,
  type OutboxEvent,
  type OutboxRecord,
  type OutboxStore,
  type StoredMessage,
} from '@dttm/hl7-fhir-bridge';
import type { Principal } from '../../auth/roles.js';
import type { EventBus } from '../../events/types.js';
import type { Logger } from '../../logger.js';
import type {
  HealthFacility,
  HealthRepository,
  Hl7DeliveryState,
  Hl7MessageFilter,
  Hl7MessageRecord,
  JsonValue,
} from '../../storage/types.js';
import { vietnamYear, type KpiService } from '../kpi/service.js';
import { messageFacts } from './facts.js';
import { HEALTH_INDICATORS, healthShares, recordHealthKpis } from './kpi-feed.js';
import { RequestError } from '../../http/request-error.js';

const VN_OFFSET_MS = 7 * 3_600_000;
const FACILITY_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export class HealthRequestError extends RequestError {
  override readonly name = 'HealthRequestError';
}

/** Health data is shared with province leadership, operators and the health department. */
export function canReadHealth(p: Principal): boolean {
  return (
    p.roles.includes('leadership') ||
    p.roles.includes('operator') ||
    (p.roles.includes('department') && p.department === 'health')
  );
}

/** A facility as registered through the API or the facilities file. */
export interface FacilityInput {
  readonly id: string;
  readonly name: string;
  readonly area?: string;
  readonly addresses?: readonly string[];
}

/** What the list endpoint shows of a message: no patient data, no ER7. */
export interface MessageView {
  id: string;
  facility: string;
  messageType: string;
  structure: string;
  controlId: string;
  receivedAt: string;
  ackCode: string;
  delivery: Hl7DeliveryState;
  attempts: number;
  deliveredAt?: string;
  lastError?: string;
  fhirResources: string[];
}

export interface MessageDetail extends MessageView {
  application: string;
  /** The FHIR resources the message maps to (what was or will be written to the FHIR server). */
  resources: FhirResource[];
  /** The ER7 as received: operators only. */
  er7?: string;
}

export interface HealthServiceOptions {
  readonly repo: HealthRepository;
  readonly bus: EventBus;
  readonly logger: Logger;
  /** Where the health KPIs are recorded; none recorded when absent. */
  readonly kpi?: KpiService;
  /** The MLLP listener; no listener when absent (or without `fhir`). */
  readonly mllp?: {
    readonly port: number;
    readonly host: string;
    /** MLLP over TLS (key, certificate, and the CAs of required client certificates); plain TCP when absent. */
    readonly tls?: tls.TlsOptions;
  };
  /** The FHIR R4 server the mapped Bundles are written to. */
  readonly fhir?: { readonly baseUrl: string; readonly token?: string };
  /** Outbox backoff between delivery attempts. Defaults 500 ms doubling up to 30 000 ms. */
  readonly outbox?: { readonly baseDelayMs?: number; readonly maxDelayMs?: number };
  /** Facilities to register at start (a JSON file: an array of `{ id, name, area?, addresses? }`). */
  readonly facilitiesFile?: string;
  /** Delay after a new message before the health KPIs are recomputed. Default 2000 ms; 0: only on demand. */
  readonly kpiDelayMs?: number;
  /** How often the registry is re-read from storage (facilities registered on another instance). Default 30000; 0: never. */
  readonly registryRefreshMs?: number;
  readonly now?: () => Date;
}

/** `address:port` → the address, IPv4-mapped IPv6 reduced to IPv4. */
export function hostOf(remote: string): string {
  const i = remote.lastIndexOf(':');
  const host = i < 0 ? remote : remote.slice(0, i);
  return host.startsWith('::ffff:') && host.includes('.') ? host.slice(7) : host;
}

function idOf(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

function failure(error: { code: string; details?: Readonly<Record<string, unknown>> | undefined }): string {
  const status = error.details?.status;
  return typeof status === 'number' ? `${error.code} ${status}` : error.code;
}

/** `Patient/12/_history/1` → `Patient/12`, from each entry of a transaction response. */
function resourceIds(response: FhirBundle): string[] {
  const ids: string[] = [];
  for (const e of response.entry ?? []) {
    const loc = e.response?.location;
    if (loc === undefined) continue;
    const m = /([A-Za-z]+\/[A-Za-z0-9.-]+)(?:\/_history\/[^/]+)?$/.exec(loc);
    if (m?.[1] !== undefined) ids.push(m[1]);
  }
  return ids;
}

export function messageView(m: Hl7MessageRecord): MessageView {
  return {
    id: m.id,
    facility: m.facility,
    messageType: m.messageType,
    structure: m.structure,
    controlId: m.controlId,
    receivedAt: m.receivedAt,
    ackCode: m.ackCode,
    delivery: m.delivery,
    attempts: m.attempts,
    ...(m.deliveredAt === undefined ? {} : { deliveredAt: m.deliveredAt }),
    ...(m.lastError === undefined ? {} : { lastError: m.lastError }),
    fhirResources: [...m.fhirResources],
  };
}

/**
 * Hospitals' HL7 v2 into the IOC: an MLLP listener (the bridge of `@dttm/hl7-fhir-bridge`) that accepts
 * messages only from registered facilities (MSH-4, and the source address when the facility lists
 * any), stores each one durably, then acknowledges it, and writes its FHIR R4 Bundle to the FHIR server
 * through a durable outbox kept in the server's storage (FHIR down: still acknowledged, delivered later
 * with backoff, also after a restart). Each accepted message is audited (without patient data) and
 * published as `hl7.message.accepted`; the health KPIs follow the data.
 */
export class HealthService {
  readonly #o: HealthServiceOptions;
  readonly #facilities = new Map<string, HealthFacility>();
  #bridge: Hl7FhirBridge | undefined;
  #updates: Promise<unknown> = Promise.resolve();
  #kpiTimer: ReturnType<typeof setTimeout> | undefined;
  #kpiRun: Promise<unknown> = Promise.resolve();
  #rejected = 0;
  #closed = false;
  #refreshTimer: ReturnType<typeof setInterval> | undefined;

  private constructor(options: HealthServiceOptions) {
    this.#o = options;
  }

  /** Loads the registry (and the facilities file), then starts the listener when configured. */
  static async start(options: HealthServiceOptions): Promise<HealthService> {
    const s = new HealthService(options);
    for (const f of await options.repo.listFacilities()) s.#facilities.set(f.id, f);
    if (options.facilitiesFile !== undefined) await s.#loadFacilitiesFile(options.facilitiesFile);
    if (options.mllp !== undefined && options.fhir !== undefined)
      await s.#startBridge(options.mllp, options.fhir);
    const every = options.registryRefreshMs ?? 30_000;
    if (every > 0) {
      s.#refreshTimer = setInterval(() => void s.refreshRegistry(), every);
      s.#refreshTimer.unref();
    }
    return s;
  }

  /** Re-reads the facility registry from storage (another instance may have changed it). */
  async refreshRegistry(): Promise<void> {
    try {
      const all = await this.#o.repo.listFacilities();
      for (const f of all) this.#facilities.set(f.id, f);
    } catch (err) {
      this.#o.logger.warn('facility registry not refreshed', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  #now(): Date {
    return this.#o.now?.() ?? new Date();
  }

  /** The MLLP port, when listening. */
  get port(): number | undefined {
    return this.#bridge?.port;
  }

  get listening(): boolean {
    return this.#bridge !== undefined;
  }

  async #loadFacilitiesFile(file: string): Promise<void> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await fs.readFile(file, 'utf8'));
    } catch (err) {
      throw new Error(`HL7_FACILITIES_FILE ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!Array.isArray(parsed))
      throw new Error(`HL7_FACILITIES_FILE ${file}: expected a JSON array of facilities`);
    for (const [i, raw] of parsed.entries()) {
      const f = raw as Partial<FacilityInput>;
      const problem = checkFacility(f);
      if (problem !== undefined) throw new Error(`HL7_FACILITIES_FILE ${file}: item ${i}: ${problem}`);
      const input = f as FacilityInput;
      const current = this.#facilities.get(input.id);
      const same =
        current !== undefined &&
        current.name === input.name &&
        current.area === input.area &&
        JSON.stringify(current.addresses) === JSON.stringify(input.addresses ?? []);
      if (!same) await this.putFacility(input, 'config');
    }
  }

  async #startBridge(
    mllp: NonNullable<HealthServiceOptions['mllp']>,
    fhir: NonNullable<HealthServiceOptions['fhir']>,
  ): Promise<void> {
    const repo = this.#o.repo;
    const inbox: MessageStore = { append: (m) => this.#accept(m) };
    const outboxStore: OutboxStore = {
      async load() {
        return (await repo.loadOutboxRecords()) as unknown as OutboxRecord[];
      },
      append(record) {
        const id = record.op === 'enqueue' ? record.item.id : record.id;
        return repo.appendOutboxRecord(id, record.op, record as unknown as JsonValue);
      },
      close: () => Promise.resolve(),
    };
    this.#bridge = await Hl7FhirBridge.start({
      fhir: { baseUrl: fhir.baseUrl, ...(fhir.token === undefined ? {} : { bearerToken: fhir.token }) },
      inbox,
      outboxStore,
      mllp: {
        port: mllp.port,
        ...(mllp.tls === undefined ? {} : { tls: mllp.tls }),
        host: mllp.host,
        clock: () => this.#now(),
        validate: (message, remote) => this.#check(message, remote),
        onError: (error, remote) => {
          // The code and the peer only: the message itself may carry patient data.
          if (error.code === 'MLLP_NETWORK') {
            this.#o.logger.info('MLLP connection error', { code: error.code, remote });
            return;
          }
          this.#rejected++;
          this.#o.logger.warn('HL7 message refused', { code: error.code, remote });
        },
      },
      outbox: {
        backoff: {
          baseDelayMs: this.#o.outbox?.baseDelayMs ?? 500,
          maxDelayMs: this.#o.outbox?.maxDelayMs ?? 30_000,
        },
        clock: () => this.#now(),
        onEvent: (event) => this.#onOutbox(event),
      },
    });
    // A crash between storing a message and queueing its Bundle left it without an outbox item (it was
    // not acknowledged, but it is stored): queue it now; items the outbox knows are duplicates.
    for (let offset = 0; ; offset += 500) {
      const queued = await repo.listMessages({ delivery: 'queued', limit: 500, offset });
      for (const m of queued) {
        let bundle;
        try {
          bundle = hl7ToFhir(m.er7).bundle;
        } catch {
          continue;
        }
        await this.#bridge.outbox.enqueue({ id: m.key, bundle });
      }
      if (queued.length < 500) break;
    }
  }

  /** Only registered facilities, from their listed addresses when they list any. */
  #check(message: Hl7Message, remote: string): Hl7Error | undefined {
    const id = message.get('MSH-4') ?? '';
    const f = this.#facilities.get(id);
    if (f === undefined)
      return new Hl7Error(
        'UNKNOWN_SENDER',
        `Sending facility "${id}" (MSH-4) is not registered / cơ sở gửi chưa được đăng ký`,
      );
    if (f.addresses.length > 0 && !f.addresses.includes(hostOf(remote)))
      return new Hl7Error(
        'UNKNOWN_SENDER',
        `Facility "${id}" may not send from this address / cơ sở không được gửi từ địa chỉ này`,
      );
    return undefined;
  }

  /** The inbox: the message is in storage (and audited) before the bridge acknowledges it. */
  async #accept(m: StoredMessage): Promise<'stored' | 'duplicate'> {
    const message = parseHl7(m.er7);
    const id = idOf(m.key);
    const facility = message.get('MSH-4') ?? '';
    const messageType = `${message.type.code}^${message.type.event}`;
    const record: Hl7MessageRecord = {
      id,
      key: m.key,
      facility,
      application: message.get('MSH-3') ?? '',
      messageType,
      structure: m.type,
      controlId: m.controlId,
      receivedAt: m.receivedAt,
      remoteAddress: m.remoteAddress,
      ackCode: (message.get('MSH-15') ?? '') === '' ? 'AA' : 'CA',
      delivery: 'queued',
      attempts: 0,
      fhirResources: [],
      facts: messageFacts(message),
      er7: m.er7,
    };
    const data = { messageId: id, facility, messageType, controlId: m.controlId };
    const result = await this.#o.repo.appendMessage(record, {
      actor: `facility:${facility}`,
      action: 'hl7.message.accept',
      subject: `hl7:${id}`,
      data,
    });
    if (result === 'stored') {
      this.#o.bus
        .publish('hl7.message.accepted', { ...data, receivedAt: m.receivedAt }, { subject: `hl7:${id}` })
        .catch((err: unknown) =>
          this.#o.logger.warn('hl7.message.accepted not published', {
            error: err instanceof Error ? err.message : String(err),
          }),
        );
      this.#scheduleKpis();
    }
    return result;
  }

  #onOutbox(event: OutboxEvent): void {
    const repo = this.#o.repo;
    const at = this.#now().toISOString();
    let update: (() => Promise<unknown>) | undefined;
    if (event.type === 'delivered')
      update = () =>
        repo.updateDelivery(event.item.id, {
          delivery: 'delivered',
          attempts: event.attempts,
          at,
          fhirResources: resourceIds(event.response),
        });
    else if (event.type === 'retry')
      update = () =>
        repo.updateDelivery(event.item.id, {
          delivery: 'queued',
          attempts: event.attempts,
          lastError: failure(event.error),
        });
    else if (event.type === 'dead')
      update = () =>
        repo.updateDelivery(event.letter.id, {
          delivery: 'failed',
          attempts: event.letter.attempts,
          lastError:
            event.letter.error.status === undefined
              ? event.letter.error.code
              : `${event.letter.error.code} ${event.letter.error.status}`,
        });
    else if (event.type === 'error')
      this.#o.logger.warn('FHIR outbox store error', {
        error: event.error instanceof Error ? event.error.message : String(event.error),
      });
    if (update === undefined) return;
    const run = update;
    this.#updates = this.#updates.then(run).catch((err: unknown) =>
      this.#o.logger.warn('HL7 delivery state not recorded', {
        error: err instanceof Error ? err.message : String(err),
      }),
    );
  }

  /** Resolves once every queued Bundle is delivered or given up, and its state recorded. */
  async drain(): Promise<void> {
    await this.#bridge?.outbox.drain();
    await this.#updates;
  }

  #scheduleKpis(): void {
    const delay = this.#o.kpiDelayMs ?? 2000;
    if (delay <= 0 || this.#kpiTimer !== undefined || this.#closed || this.#o.kpi === undefined) return;
    this.#kpiTimer = setTimeout(() => {
      this.#kpiTimer = undefined;
      void this.recordKpis();
    }, delay);
    this.#kpiTimer.unref();
  }

  /** Records the health KPIs now (one round at a time); resolves with the observations accepted. */
  recordKpis(): Promise<number> {
    const kpi = this.#o.kpi;
    if (kpi === undefined) return Promise.resolve(0);
    const run = this.#kpiRun.then(() =>
      recordHealthKpis({
        repo: this.#o.repo,
        kpi,
        logger: this.#o.logger,
        ...(this.#o.now === undefined ? {} : { now: this.#o.now }),
      }).catch((err: unknown) => {
        this.#o.logger.warn('health KPIs not recorded', {
          error: err instanceof Error ? err.message : String(err),
        });
        return 0;
      }),
    );
    this.#kpiRun = run;
    return run;
  }

  listFacilities(): HealthFacility[] {
    return [...this.#facilities.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async getFacility(id: string): Promise<HealthFacility> {
    const f = await this.#o.repo.getFacility(id);
    if (f === undefined)
      throw new HealthRequestError(404, 'FACILITY_NOT_FOUND', `no facility "${id}" is registered`);
    return f;
  }

  /** Registers or replaces a facility (audited); the listener uses it from the next message on. */
  async putFacility(
    input: FacilityInput,
    actor: string,
  ): Promise<{ facility: HealthFacility; created: boolean }> {
    const now = this.#now().toISOString();
    const current = this.#facilities.get(input.id);
    const facility: HealthFacility = {
      id: input.id,
      name: input.name.normalize('NFC').trim(),
      ...(input.area === undefined ? {} : { area: input.area }),
      addresses: [...new Set(input.addresses ?? [])],
      createdAt: current?.createdAt ?? now,
      updatedAt: now,
    };
    const result = await this.#o.repo.putFacility(facility, {
      actor,
      action: current === undefined ? 'health.facility.register' : 'health.facility.update',
      subject: `facility:${facility.id}`,
      data: facility as unknown as JsonValue,
    });
    this.#facilities.set(facility.id, facility);
    return { facility, created: result === 'created' };
  }

  async listMessages(filter: Hl7MessageFilter): Promise<MessageView[]> {
    return (await this.#o.repo.listMessages(filter)).map(messageView);
  }

  /** One message with the FHIR resources it maps to; the ER7 only for operators. */
  async getMessage(id: string, principal: Principal): Promise<MessageDetail> {
    const m = await this.#o.repo.getMessage(id);
    if (m === undefined) throw new HealthRequestError(404, 'MESSAGE_NOT_FOUND', `no HL7 message "${id}"`);
    let resources: FhirResource[] = [];
    try {
      resources = hl7ToFhir(m.er7).bundle.entry.map((e) => e.resource);
    } catch {
      // A message the mapping refuses is kept (and its delivery failed); it has no resources.
    }
    return {
      ...messageView(m),
      application: m.application,
      resources,
      ...(principal.roles.includes('operator') ? { er7: m.er7 } : {}),
    };
  }

  /** Messages per facility, refusals since start, and the current values of the health KPIs. */
  async summary() {
    const counts = await this.#o.repo.countMessages();
    const facilities = this.listFacilities().map((f) => {
      const mine = counts.filter((c) => c.facility === f.id);
      const byType: Record<string, number> = {};
      const delivery = { queued: 0, delivered: 0, failed: 0 };
      for (const c of mine) {
        byType[c.messageType] = (byType[c.messageType] ?? 0) + c.count;
        delivery[c.delivery] += c.count;
      }
      return {
        id: f.id,
        name: f.name,
        ...(f.area === undefined ? {} : { area: f.area }),
        total: delivery.queued + delivery.delivered + delivery.failed,
        byType,
        delivery,
      };
    });
    const now = this.#now();
    const year = vietnamYear(now);
    const from = new Date(Date.UTC(year, 0, 1) - VN_OFFSET_MS).toISOString();
    const to = new Date(Date.UTC(year + 1, 0, 1) - VN_OFFSET_MS).toISOString();
    const shares = healthShares(await this.#o.repo.listFacts(from, to));
    const kpi = (indicator: string, numerator: number, denominator: number) => ({
      indicator,
      year,
      numerator,
      denominator,
      ...(denominator === 0 ? {} : { value: Math.round((numerator / denominator) * 10_000) / 100 }),
    });
    return {
      listening: this.listening,
      ...(this.port === undefined ? {} : { mllpPort: this.port }),
      refused: this.#rejected,
      facilities,
      kpis: [
        kpi(HEALTH_INDICATORS.electronicRecords, shares.electronic, shares.encounters),
        kpi(HEALTH_INDICATORS.onlineBooking, shares.online, shares.appointments),
      ],
    };
  }

  /** Stops the listener (in-flight messages are acknowledged) and the outbox; pending Bundles stay stored. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#kpiTimer !== undefined) clearTimeout(this.#kpiTimer);
    if (this.#refreshTimer !== undefined) clearInterval(this.#refreshTimer);
    await this.#bridge?.close();
    await this.#updates;
    await this.#kpiRun;
  }
}

/** Why a facility input is invalid (for the facilities file; the API validates with the OpenAPI schema). */
export function checkFacility(f: Partial<FacilityInput>): string | undefined {
  if (typeof f.id !== 'string' || !FACILITY_ID.test(f.id))
    return 'id: expected the MSH-4 code (letters, digits, _ . -)';
  if (typeof f.name !== 'string' || f.name.trim() === '' || f.name.length > 200)
    return 'name: expected 1–200 characters';
  if (f.area !== undefined && (typeof f.area !== 'string' || !/^[0-9]{3}$/.test(f.area)))
    return 'area: expected a 3-digit district code';
  if (
    f.addresses !== undefined &&
    (!Array.isArray(f.addresses) ||
      f.addresses.some((a) => typeof a !== 'string' || a.length > 64 || a === ''))
  )
    return 'addresses: expected an array of IP addresses';
  return undefined;
}

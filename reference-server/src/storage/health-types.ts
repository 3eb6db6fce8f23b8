import type { AuditInput, JsonValue } from './types.js';

/** A health facility allowed to send HL7 v2 to the IOC. */
export interface HealthFacility {
  /** The facility's code as it sends it in MSH-4 (namespace id), e.g. `BV_DKTINH`. */
  readonly id: string;
  readonly name: string;
  /** Administrative-unit code (3 digits) of the district the facility serves, when known. */
  readonly area?: string;
  /** Source addresses (IPv4 or IPv6, exact) it may connect from; empty: any address. */
  readonly addresses: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type Hl7DeliveryState = 'queued' | 'delivered' | 'failed';

/** What the health KPIs need from a message; never patient-identifying. */
export interface Hl7MessageFacts {
  /** The visit number (PV1-19), or `msg:<MSH-10>` for an encounter sent without one. */
  readonly visit?: string;
  /** ADT A01/A04: an encounter (admission or registration) began. */
  readonly encounter?: boolean;
  /** ORU R01 / MDM T02: clinical content of the visit was sent electronically. */
  readonly clinical?: boolean;
  /** SIU S12: the booking channel (SCH-24.1, where the appointment was entered). */
  readonly booking?: 'online' | 'other';
}

/** One HL7 v2 message as accepted by the MLLP listener (stored before its ACK). */
export interface Hl7MessageRecord {
  /** 16 hex digits derived from `key`. */
  readonly id: string;
  /** MSH-3^MSH-4^MSH-10: the replay key. */
  readonly key: string;
  /** MSH-4. */
  readonly facility: string;
  /** MSH-3. */
  readonly application: string;
  /** `ADT^A01` style: MSH-9.1^MSH-9.2. */
  readonly messageType: string;
  /** `ADT_A01` style message structure. */
  readonly structure: string;
  readonly controlId: string;
  readonly receivedAt: string;
  /** `address:port` the message came from. */
  readonly remoteAddress: string;
  /** The acknowledgment code sent (after the message was stored). */
  readonly ackCode: 'AA' | 'CA';
  readonly delivery: Hl7DeliveryState;
  readonly deliveredAt?: string;
  /** Delivery attempts so far. */
  readonly attempts: number;
  /** The last delivery failure: error code and HTTP status, never the payload. */
  readonly lastError?: string;
  /** Ids the FHIR server gave the resources (`Patient/12`), once delivered. */
  readonly fhirResources: readonly string[];
  readonly facts: Hl7MessageFacts;
  /** The ER7 text as received. */
  readonly er7: string;
}

export interface Hl7MessageFilter {
  readonly facility?: string;
  /** A message code (`ADT`) or type (`ADT^A01`). */
  readonly type?: string;
  readonly delivery?: Hl7DeliveryState;
  /** Received at or after (ISO instant). */
  readonly from?: string;
  /** Received before (ISO instant). */
  readonly to?: string;
  readonly limit: number;
  readonly offset?: number;
}

export interface Hl7DeliveryUpdate {
  readonly delivery: Hl7DeliveryState;
  readonly attempts: number;
  readonly at?: string;
  readonly lastError?: string;
  readonly fhirResources?: readonly string[];
}

/** Messages per facility, type and delivery state. */
export interface Hl7MessageCount {
  readonly facility: string;
  readonly messageType: string;
  readonly delivery: Hl7DeliveryState;
  readonly count: number;
}

/** The facts of one message, for the health KPIs. */
export interface Hl7FactRow {
  readonly facility: string;
  readonly receivedAt: string;
  readonly facts: Hl7MessageFacts;
}

/** Facilities, received messages and the FHIR outbox of the health module. */
export interface HealthRepository {
  /** Registers or replaces a facility (audited). */
  putFacility(facility: HealthFacility, audit: AuditInput): Promise<'created' | 'updated'>;
  getFacility(id: string): Promise<HealthFacility | undefined>;
  listFacilities(): Promise<HealthFacility[]>;
  /** Stores a message (audited, without patient data); `duplicate` when its key was stored before. */
  appendMessage(message: Hl7MessageRecord, audit: AuditInput): Promise<'stored' | 'duplicate'>;
  getMessage(id: string): Promise<Hl7MessageRecord | undefined>;
  /** Newest first. */
  listMessages(filter: Hl7MessageFilter): Promise<Hl7MessageRecord[]>;
  /** Records a delivery outcome of the message with this key; false when there is none. */
  updateDelivery(key: string, update: Hl7DeliveryUpdate): Promise<boolean>;
  countMessages(): Promise<Hl7MessageCount[]>;
  /** Facts of the messages received in [from, to) that carry any. */
  listFacts(from: string, to: string): Promise<Hl7FactRow[]>;
  /**
   * Appends one record of the FHIR outbox. A `delivered` record also drops the item's `enqueue`
   * record (its Bundle is no longer needed), in the same transaction.
   */
  appendOutboxRecord(itemId: string, op: 'enqueue' | 'delivered' | 'dead', record: JsonValue): Promise<void>;
  /** Every outbox record kept, in the order written. */
  loadOutboxRecords(): Promise<JsonValue[]>;
}

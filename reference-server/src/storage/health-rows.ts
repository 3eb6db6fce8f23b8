import type {
  HealthFacility,
  Hl7DeliveryUpdate,
  Hl7MessageFilter,
  Hl7MessageRecord,
} from './health-types.js';

/** Columns of `hl7_message`: the record's JSON body without the ER7, which has its own column. */
export interface Hl7MessageColumns {
  readonly id: string;
  readonly key: string;
  readonly facility: string;
  readonly message_type: string;
  readonly message_code: string;
  readonly received_at: string;
  readonly delivery: string;
  readonly body: string;
  readonly er7: string;
}

export function messageColumns(m: Hl7MessageRecord): Hl7MessageColumns {
  const { er7, ...rest } = m;
  return {
    id: m.id,
    key: m.key,
    facility: m.facility,
    message_type: m.messageType,
    message_code: m.messageType.split('^')[0] ?? m.messageType,
    received_at: m.receivedAt,
    delivery: m.delivery,
    body: JSON.stringify(rest),
    er7,
  };
}

export function toMessage(row: { body: string; er7: string }): Hl7MessageRecord {
  return { ...(JSON.parse(row.body) as Omit<Hl7MessageRecord, 'er7'>), er7: row.er7 };
}

/** The record after a delivery outcome. */
export function withDelivery(m: Hl7MessageRecord, u: Hl7DeliveryUpdate): Hl7MessageRecord {
  const { lastError: _e, deliveredAt: _d, ...rest } = m;
  return {
    ...rest,
    delivery: u.delivery,
    attempts: u.attempts,
    ...(u.delivery === 'delivered' && u.at !== undefined ? { deliveredAt: u.at } : {}),
    ...(u.lastError !== undefined ? { lastError: u.lastError } : {}),
    fhirResources: u.fhirResources ?? m.fhirResources,
  };
}

/** WHERE clause of a message filter; `arg` binds one value and returns its placeholder. */
export function messageWhere(f: Hl7MessageFilter, arg: (v: string) => string): string {
  const where: string[] = [];
  if (f.facility !== undefined) where.push(`facility = ${arg(f.facility)}`);
  if (f.type !== undefined)
    where.push(f.type.includes('^') ? `message_type = ${arg(f.type)}` : `message_code = ${arg(f.type)}`);
  if (f.delivery !== undefined) where.push(`delivery = ${arg(f.delivery)}`);
  if (f.from !== undefined) where.push(`received_at >= ${arg(f.from)}`);
  if (f.to !== undefined) where.push(`received_at < ${arg(f.to)}`);
  return where.length ? `WHERE ${where.join(' AND ')}` : '';
}

export function facilityBody(f: HealthFacility): string {
  return JSON.stringify(f);
}

export function toFacility(row: { body: string }): HealthFacility {
  return JSON.parse(row.body) as HealthFacility;
}

import type { Hl7Message } from '@dttm/hl7-fhir-bridge';
import type { Hl7MessageFacts } from '../../storage/types.js';

/**
 * Booking channels (SCH-24.1, the "entered by" location of the appointment) that count as booked
 * online: the facility's web portal or app, the national VNeID app, a booking platform.
 */
export const ONLINE_BOOKING_CHANNELS: readonly string[] = ['WEB', 'ONLINE', 'APP', 'PORTAL', 'VNEID', 'ZALO'];

/**
 * What the health KPIs need from one message, without anything that identifies the patient:
 * - ADT A01 (admission) and A04 (registration) begin an encounter, keyed on the visit number PV1-19
 *   (or the message's control id when the HIS sends none);
 * - ORU R01 (results) and MDM T02 (clinical documents) carry clinical content of the visit PV1-19
 *   electronically: the encounter has an electronic record;
 * - SIU S12 (new booking) has a channel: online when SCH-24.1 is one of {@link ONLINE_BOOKING_CHANNELS}.
 */
export function messageFacts(message: Hl7Message): Hl7MessageFacts {
  const { code, event } = message.type;
  const visit = message.get('PV1-19.1')?.trim() || undefined;
  if (code === 'ADT' && (event === 'A01' || event === 'A04'))
    return { encounter: true, visit: visit ?? `msg:${message.controlId}` };
  if ((code === 'ORU' && event === 'R01') || (code === 'MDM' && event === 'T02'))
    return visit === undefined ? {} : { clinical: true, visit };
  if (code === 'SIU' && event === 'S12') {
    const channel = (message.get('SCH-24.1') ?? '').trim().toUpperCase();
    return { booking: ONLINE_BOOKING_CHANNELS.includes(channel) ? 'online' : 'other' };
  }
  return {};
}

export { Hl7Error, isHl7Error, type Hl7ErrorCode } from './errors.js';
export { VERSION } from './version.js';
export {
  DEFAULT_DELIMITERS,
  encodingCharacters,
  escapeText,
  unescapeText,
  type Delimiters,
  type HexDecoder,
} from './er7/escape.js';
export { decodeBytes, encodeText, resolveCharset } from './er7/charset.js';
export {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_SEGMENTS,
  Hl7Message,
  Hl7Segment,
  buildHl7,
  parseHl7,
  parsePath,
  type FieldValue,
  type Hl7Path,
  type MessageType,
  type ParseOptions,
} from './er7/message.js';
export { Hl7Batch, parseHl7Batch, type Hl7BatchGroup } from './er7/batch.js';
export {
  formatDtm,
  parseDtm,
  timestampToDate,
  toFhirDate,
  toFhirDateTime,
  toFhirInstant,
  type DtmPrecision,
  type FhirTimeValue,
  type Hl7Timestamp,
  type TimestampOptions,
} from './timestamp.js';
export { buildAck, type AckCode, type AckError, type AckOptions } from './ack.js';
export { MllpDecoder, encodeFrame, type DecodeResult } from './mllp/frame.js';
export { MllpServer, type MllpServerOptions } from './mllp/server.js';
export { MllpClient, type MllpClientOptions, type SendOptions } from './mllp/client.js';
export {
  FileMessageStore,
  InMemoryMessageStore,
  type MessageStore,
  type StoredMessage,
} from './mllp/store.js';
export { hl7ToFhir, SUPPORTED_MESSAGE_TYPES } from './fhir/map.js';
export { appointmentToSiuS12, fhirToDtm, patientToAdtA08, type ReverseOptions } from './fhir/reverse.js';
export { VN_SYSTEMS, CODING_SYSTEMS, localSystem } from './fhir/systems.js';
export { classifyCx } from './fhir/patient.js';
export type {
  AddressLayout,
  BundleEntry,
  CodeableConcept,
  Coding,
  CxValue,
  FacilityOptions,
  FhirResource,
  Identifier,
  IdentifierKind,
  MappingOptions,
  MappingResult,
  MappingWarning,
  MappingWarningCode,
  Period,
  Reference,
  SegmentHandler,
  SegmentHandlerApi,
  TransactionBundle,
  UnmappedItem,
} from './fhir/types.js';
export {
  FhirClient,
  backoffDelay,
  outcomeIssues,
  retryAfterMs,
  retryDelay,
  type BackoffOptions,
  type CallOptions,
  type FhirBundle,
  type FhirClientOptions,
  type OutcomeIssue,
  type RetryInfo,
} from './client/fhir-client.js';
export {
  Outbox,
  patientPartition,
  type DeadLetter,
  type OutboxEvent,
  type OutboxOptions,
  type OutboxStats,
} from './client/outbox.js';
export {
  FileOutboxStore,
  InMemoryOutboxStore,
  type FailureSummary,
  type OutboxItem,
  type OutboxRecord,
  type OutboxStore,
} from './client/outbox-store.js';
export { Hl7FhirBridge, type BridgeOptions } from './client/bridge.js';

export { LgspError, isLgspError, type LgspErrorCode } from './errors.js';
export { VERSION } from './version.js';
export {
  EDXML_LEGACY_NAMESPACE,
  EDXML_NAMESPACE,
  EDXML_STATUS_MEANINGS,
  type EdxmlAttachment,
  type EdxmlAttachmentInput,
  type EdxmlAttachmentMeta,
  type EdxmlBussiness,
  type EdxmlBussinessDocType,
  type EdxmlCode,
  type EdxmlDocument,
  type EdxmlDocumentType,
  type EdxmlMessageHeader,
  type EdxmlOrganization,
  type EdxmlOtherInfo,
  type EdxmlPackage,
  type EdxmlPromulgationInfo,
  type EdxmlRawElement,
  type EdxmlReference,
  type EdxmlResponseFor,
  type EdxmlSignerInfo,
  type EdxmlSourceInfo,
  type EdxmlStaffInfo,
  type EdxmlStatus,
  type EdxmlStatusCode,
  type EdxmlStatusPackage,
  type EdxmlTraceHeader,
  type EdxmlTraceHeaderList,
  type ParsedEdxml,
} from './edxml/model.js';
export { buildEdxml, streamEdxml, type EdxmlBuildOptions } from './edxml/build.js';
export {
  parseEdxml,
  type EdxmlAttachmentSink,
  type EdxmlInput,
  type EdxmlParseOptions,
} from './edxml/parse.js';
export {
  EDXML_LIMITS,
  assertValidEdxml,
  isEdxmlDate,
  isEdxmlDocumentId,
  isEdxmlStatusCode,
  isEdxmlTimestamp,
  validateEdxml,
  type EdxmlIssue,
  type EdxmlIssueRule,
  type EdxmlValidatable,
} from './edxml/validate.js';
export {
  AGENCY_CODE_MAX_LENGTH,
  isAgencyCode,
  parseAgencyCode,
  type AgencyCode,
  type AgencyKind,
} from './edxml/agency.js';
export {
  AgencyCatalogue,
  type AgencyEntry,
  type AgencyRecord,
  type RejectedAgencyEntry,
} from './edxml/agency-catalogue.js';
export { edxmlTimestamp, edxmlTimestampToIso } from './edxml/time.js';
export { createStatusPackage, edxmlDocumentId, type StatusReport } from './edxml/status.js';
export {
  LgspClient,
  type CallOptions,
  type HttpMethod,
  type LgspClientOptions,
  type LgspResponse,
  type Logger,
  type Middleware,
  type OutgoingRequest,
  type PaginateOptions,
  type RawResponse,
  type RequestOptions,
  type RequestContext,
  type RetryOptions,
  type SoapCallOptions,
  type SoapResponse,
} from './http/client.js';
export {
  lgspAccessToken,
  oauth2ClientCredentials,
  staticBearer,
  systemIdSecretKey,
  type AuthContext,
  type AuthStrategy,
  type LgspAccessTokenOptions,
  type OAuth2ClientCredentialsOptions,
} from './http/auth.js';
export type { CircuitBreakerOptions, CircuitState } from './http/circuit.js';
export { systemClock, type Clock } from './http/clock.js';
export {
  SOAP11_NAMESPACE,
  SOAP12_NAMESPACE,
  buildSoapEnvelope,
  parseSoapEnvelope,
  type SoapElement,
  type SoapEnvelope,
  type SoapFault,
  type SoapVersion,
} from './http/soap.js';
export { createNodeFetch, type NodeFetch, type NodeFetchOptions, type TlsOptions } from './http/tls-fetch.js';
export {
  defaultDocumentAxisCodec,
  type AxisRequest,
  type AxisResponse,
  type DefaultCodecOptions,
  type DocumentAxisCodec,
  type EdocMessageType,
  type EdocProcessingStatus,
  type ListReceivedRequest,
  type ReceivedEdocEntry,
  type SendEdocRequest,
  type SendEdocResult,
  type UpdateStatusRequest,
} from './exchange/codec.js';
export {
  DocumentAxis,
  axisDate,
  type AxisCallOptions,
  type AxisDate,
  type DocumentAxisOptions,
  type ListReceivedInput,
  type SendEdocInput,
} from './exchange/axis.js';
export {
  FileStore,
  MemoryStore,
  type ExchangeStore,
  type FileStoreOptions,
  type StoreValue,
} from './exchange/store.js';
export { packageKey, type BackoffOptions, type ErrorSummary } from './exchange/common.js';
export {
  DocumentOutbox,
  type DocumentOutboxOptions,
  type EnqueueOptions,
  type OutboxEntry,
  type OutboxEvent,
  type OutboxState,
  type OutboxStats,
  type RecipientStatus,
} from './exchange/outbox.js';
export {
  DocumentInbox,
  type DocumentInboxOptions,
  type InboxEvent,
  type InboxMessage,
  type PollSummary,
  type SignatureCheck,
  type VerifySignature,
} from './exchange/inbox.js';
export {
  SqliteStore,
  type SqliteDatabase,
  type SqliteStatement,
  type SqliteStoreOptions,
} from './exchange/sqlite-store.js';
export { fromPortalDate, isPortalDate, toPortalDate } from './portal/date.js';
export {
  DOSSIER_STATUS_MEANINGS,
  type DossierApplicant,
  type DossierProgress,
  type DossierStatus,
  type DossierSyncResult,
  type PortalAgency,
  type PortalDossier,
  type PortalField,
  type PortalProcedure,
  type PortalProcedureDetail,
  type PortalProcedurePage,
  type PortalWriteResult,
} from './portal/model.js';
export {
  defaultPortalCodec,
  type DefaultPortalCodecOptions,
  type PortalCodec,
  type PortalRequest,
  type PortalResponse,
  type PortalService,
  type PortalSession,
} from './portal/codec.js';
export {
  PortalClient,
  type ListProceduresOptions,
  type PortalCallOptions,
  type PortalClientOptions,
} from './portal/client.js';

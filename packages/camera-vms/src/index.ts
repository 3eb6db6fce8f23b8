export { CameraError, isCameraError, type CameraErrorCode } from './errors.js';
export { VERSION } from './version.js';
export type {
  Camera,
  CameraCapabilities,
  CameraChannel,
  CameraLocation,
  DeviceInformation,
  MediaProfile,
  PtzPreset,
  PtzVector,
  Recording,
  RecordingQuery,
  Snapshot,
  SnapshotUri,
  StreamProtocol,
  StreamUri,
  VideoEncoding,
} from './types.js';
export {
  CAMERA_EVENT_KINDS,
  type AbandonedObjectEvent,
  type CameraEvent,
  type CameraEventKind,
  type CameraEventRule,
  type CameraEventSource,
  type CameraEventState,
  type CountingEvent,
  type CrowdEvent,
  type DetectedObject,
  type FaceMatchEvent,
  type IntrusionEvent,
  type LineCrossingEvent,
  type LineDirection,
  type LoiteringEvent,
  type MotionEvent,
  type PlateReadEvent,
  type RawPayload,
  type RemovedObjectEvent,
  type TamperEvent,
  type TrafficViolationEvent,
  type TrafficViolationType,
  type TravelDirection,
  type VehicleType,
  type VideoLossEvent,
} from './events.js';
export {
  VN_PLATE_PROVINCES,
  normalizePlate,
  parseVietnamesePlate,
  type PlateCategory,
  type VietnamesePlate,
} from './plates.js';
export { DEFAULT_XML_LIMITS, parseXml, type XmlElement, type XmlLimits } from './xml.js';
export {
  OnvifClient,
  type CallOptions,
  type CameraLogger,
  type Clock,
  type OnvifAuthMode,
  type OnvifClientOptions,
  type SoapResponse,
} from './onvif/client.js';
export { OnvifEventStream, type OnvifEventOptions } from './onvif/event-stream.js';
export { decodeNotifications, mapOnvifNotification, type OnvifNotification } from './onvif/notifications.js';
export {
  WS_DISCOVERY_ADDRESS,
  WS_DISCOVERY_PORT,
  discoverOnvifDevices,
  parseProbeMatches,
  probeMessage,
  type DiscoveredDevice,
  type DiscoveryOptions,
} from './onvif/discovery.js';
export { mapFrigateEvent, type FrigateMapOptions } from './adapters/frigate.js';
export {
  MultipartParser,
  multipartBoundary,
  type MultipartLimits,
  type MultipartPart,
} from './isapi/multipart.js';
export { isapiAlertToEvent, mapIsapiAlert, parseIsapiAlert, type IsapiAlert } from './isapi/alerts.js';
export {
  IsapiClient,
  type IsapiAlertStream,
  type IsapiAlertStreamOptions,
  type IsapiClientOptions,
} from './isapi/client.js';
export {
  MultipartEventStream,
  type MultipartEventStreamOptions,
  type PartDecoder,
} from './multipart-stream.js';
export {
  DahuaClient,
  type DahuaAttachOptions,
  type DahuaClientOptions,
  type DahuaPtzCode,
  type DahuaRecording,
  type DahuaRecordingQuery,
} from './dahua/client.js';
export { mapDahuaEvent, parseDahuaEvents, type DahuaEvent, type DahuaMapOptions } from './dahua/events.js';
export {
  IncidentCorrelator,
  capTime,
  toCapAlert,
  toNgsiLdAlert,
  type AlertSeverity,
  type CapOptions,
  type CapSeverity,
  type Incident,
  type IncidentOptions,
  type IncidentUpdate,
  type NgsiLdAlert,
} from './incidents.js';
export {
  MILESTONE_EVENT_TYPES,
  checkMilestoneEvent,
  mapMilestoneEvent,
  parseMilestoneMessage,
  type MilestoneEvent,
  type MilestoneEventMapping,
  type MilestoneMapOptions,
  type MilestoneMessage,
} from './milestone/events.js';
export { MilestoneIdp, type MilestoneIdpOptions } from './milestone/idp.js';
export {
  MilestoneClient,
  MilestoneEventStream,
  type MilestoneClientOptions,
  type MilestoneEventOptions,
  type MilestoneSubscriptionFilter,
  type WebSocketConstructorLike,
  type WebSocketLike,
} from './milestone/client.js';
export {
  CAMERA_CONFORMANCE_CHECKS,
  runCameraConformance,
  type CameraConformanceOptions,
  type CameraConformanceReport,
  type ConformanceCheck,
  type ConformanceStatus,
} from './conformance.js';

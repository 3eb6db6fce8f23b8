/**
 * Protocol simulators for tests, demos and conformance runs (`@dttm/camera-vms/testing`). They listen on
 * loopback and speak the devices' wire formats; they are not part of the main entry point.
 */
export {
  notificationXml,
  startOnvifSimulator,
  type OnvifSimulator,
  type OnvifSimulatorOptions,
  type SimulatedEvent,
  type SimulatedRequest,
} from './onvif-simulator.js';
export { startIsapiSimulator, type IsapiSimulator, type IsapiSimulatorOptions } from './isapi-simulator.js';
export {
  startDahuaSimulator,
  type DahuaSimulator,
  type DahuaSimulatorOptions,
  type SimulatedDahuaRecording,
} from './dahua-simulator.js';
export {
  startDiscoveryResponder,
  type DiscoveryResponder,
  type DiscoveryResponderOptions,
} from './discovery-responder.js';
export {
  startMilestoneSimulator,
  type MilestoneSimulator,
  type MilestoneSimulatorOptions,
  type SimulatedMilestoneEvent,
} from './milestone-simulator.js';

export {
  startLgspSimulator,
  type LgspSimulator,
  type LgspSimulatorOptions,
  type SimulatorFault,
  type SimulatorFaultRule,
  type SimulatorRequest,
} from './simulator.js';
export {
  DEFAULT_AXIS_ACCOUNTS,
  type AxisAccount,
  type AxisSimulatorOptions,
  type MailboxMessage,
} from './axis.js';
export {
  DEFAULT_PORTAL_ACCOUNTS,
  PORTAL_AGENCIES,
  PORTAL_FIELDS,
  PORTAL_PROCEDURES,
  type PortalAccount,
  type PortalSimulatorOptions,
  type StoredDossier,
} from './portal.js';

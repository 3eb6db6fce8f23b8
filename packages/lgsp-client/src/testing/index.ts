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

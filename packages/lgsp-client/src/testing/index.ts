export {
  startLgspSimulator,
  type LgspSimulator,
  type LgspSimulatorOptions,
  type SimulatorFault,
  type SimulatorFaultRule,
  type SimulatorRequest,
} from './simulator.js';

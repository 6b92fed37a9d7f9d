export { startEmulator, DEFAULT_USER, type EmulatorOptions, type EmulatorHandle } from './emulator';
export { EmulatorError, type EmulatorErrorKind } from './emulator-error';
export type { CertMapping } from './http/client-certificates';
export { EmulatorControl } from './control/emulator-control';
export type {
  ConfigView,
  FaultRequest,
  FaultsDescription,
  HostConfigDescription,
  HostCountersSnapshot,
  HostDescription,
  ShellDescription,
} from './control/control-api';

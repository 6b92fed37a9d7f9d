export { startEmulator, DEFAULT_USER, type EmulatorOptions, type EmulatorHandle } from './emulator';

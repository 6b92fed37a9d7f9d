export * from './per-host';
export * from './session-configuration-fleet';
export * from './builtin-endpoint-tuning';
export * from './command-fleet';
export * from './jea-endpoint';

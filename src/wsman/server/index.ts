/** What only a WS-Man server does: judge configuration writes by WinRM's rules (the emulator's side). */
export { validatePluginConfig } from './plugin-config-validate';
export { validateWinrmConfig, validateServiceConfig, validateWinrsConfig } from './winrm-config-validate';

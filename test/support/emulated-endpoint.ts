/**
 * Registers a PowerShell endpoint on an emulated host the way the provider writes it (the plugin document
 * Register-PSSessionConfiguration leaves), optionally with its own SDDL, a ConfigFilePath or disabled, and
 * makes it effective with a WinRM restart.
 */
import type { EmulatorHandle } from '../../src/emulator';
import { registerDocument } from '../../src/host/session-configuration/plugin-documents';
import { DEFAULT_USER } from '../../src/emulator';
import { RESOURCE_URI, WsmanClient } from '../../src/wsman';
import { emptyExtra, pluginConfigSpec } from '../../src/wsman/config';

export async function registerEndpoint(
  emu: EmulatorHandle,
  host: number,
  name: string,
  o: { sddl?: string; configFilePath?: string; enabled?: boolean } = {},
): Promise<void> {
  const doc = registerDocument(name, {
    ...(o.sddl === undefined ? {} : { security_descriptor_sddl: o.sddl }),
    ...(o.enabled === undefined ? {} : { enabled: o.enabled }),
  });
  if (o.configFilePath !== undefined)
    doc.initializationParameters.push({ name: 'ConfigFilePath', value: o.configFilePath, extra: emptyExtra() });
  const c = new WsmanClient({
    endpoint: emu.hosts[host]!.endpoint,
    auth: { kind: 'basic', username: DEFAULT_USER.name, password: DEFAULT_USER.password, allowUnencrypted: true },
    operationTimeoutMs: 30_000,
  });
  try {
    await c.create(RESOURCE_URI.configPlugin, { Name: name }, pluginConfigSpec(doc));
  } finally {
    c.close();
  }
  await emu.virtualHosts[host]!.restart();
}

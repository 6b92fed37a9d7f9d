/**
 * Which `-ConfigurationFile` a PowerShell session's pwsh -s gets. An endpoint without ConfigFilePath: the
 * host's default file (a full session and the drive's startup script). With one (a Windows path on the host's
 * drive; a local absolute path is also taken, for tests): the effective file written for this session and
 * user (effective-configuration.ts), or a refusal.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorMessage } from '../../common';
import { getInitParam, type PluginConfig } from '../../wsman/config';
import type { Account } from '../accounts/accounts';
import { faults } from '../dispatch/emulator-fault';
import { EmulatorError } from '../emulator-error';
import type { VirtualHost } from '../virtual-host/virtual-host';
import { resolveEffectiveConfiguration } from './effective-configuration';

export interface SessionLaunch {
  readonly configurationFile: string;
  /** The account Windows would run the session as (virtual account, gMSA); shown in $PSSenderInfo. */
  readonly runAsUser?: string;
}

export function sessionLaunch(host: VirtualHost, cfg: PluginConfig, account: Account, shellId: string): SessionLaunch {
  const declared = getInitParam(cfg, 'ConfigFilePath');
  if (declared === undefined) return { configurationFile: host.drive.defaultConfigurationFile };
  const file = host.drive.localPath(declared) ?? (path.isAbsolute(declared) ? declared : undefined);
  if (file === undefined || !fs.statSync(file, { throwIfNoEntry: false })?.isFile())
    throw faults.powershellEngine(`the session configuration file ${declared} does not exist on the host.`);
  let resolved;
  try {
    resolved = resolveEffectiveConfiguration({ file, drive: host.drive, accounts: host.accounts, account, hostName: host.name });
  } catch (e: unknown) {
    if (e instanceof EmulatorError && e.kind === 'session-configuration-file')
      throw faults.powershellEngine(`the session configuration file ${declared} cannot be applied: ${e.message}.`);
    throw e;
  }
  if (resolved.kind === 'refused') {
    host.log(`host ${host.name}: session refused: ${resolved.why}`);
    throw faults.accessDenied();
  }
  const configurationFile = host.drive.sessionFile(shellId);
  try {
    fs.writeFileSync(configurationFile, resolved.text);
  } catch (e: unknown) {
    throw faults.powershellEngine(`the session's configuration file could not be written: ${errorMessage(e)}.`);
  }
  return resolved.runAsUser === undefined ? { configurationFile } : { configurationFile, runAsUser: resolved.runAsUser };
}

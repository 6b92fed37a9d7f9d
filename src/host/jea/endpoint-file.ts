/**
 * What Register-PSSessionConfiguration -Path puts in the plugin document besides the copied file
 * (ConstructPluginContent in PowerShell's CustomShellCommands.cs): the ConfigFilePath initialization
 * parameter, RunAsVirtualAccount and RunAsVirtualAccountGroups (';'-joined) attributes from the file, the
 * gMSA as RunAsUser (CreateGMSAAccountCredentials: the account with its `$`, no password), and the SDDL
 * derived from RoleDefinitions (role-sddl.ts). An update writes the same, so Set after Register converges.
 */
import { PARAM } from '../session-configuration/init-params';
import { getInitParam, removeInitParam, setInitParam, type PluginConfig } from '../../wsman/config';
import type { FieldValues } from './data-file';

const CONFIG_FILE_PATH = PARAM.configFilePath;

/** The account name WinRM runs a gMSA endpoint as: with its trailing `$`. */
export function gmsaRunAsUser(account: string): string {
  return account.endsWith('$') ? account : `${account}$`;
}

export function configurationFilePathOf(doc: PluginConfig): string | undefined {
  return getInitParam(doc, CONFIG_FILE_PATH);
}

/** A copy of `doc` pointing at the file at `path` with the run-as settings of `values`. */
export function withConfigurationFile(doc: PluginConfig, path: string, values: FieldValues): PluginConfig {
  const out = structuredClone(doc);
  setInitParam(out, CONFIG_FILE_PATH, path);
  const groups = values.run_as_virtual_account_groups as readonly string[] | undefined;
  if (values.run_as_virtual_account === true) {
    out.runAsVirtualAccount = 'true';
    if (groups?.length) out.runAsVirtualAccountGroups = groups.join(';');
    else delete out.runAsVirtualAccountGroups;
  } else {
    delete out.runAsVirtualAccount;
    delete out.runAsVirtualAccountGroups;
  }
  const gmsa = values.group_managed_service_account as string | undefined;
  if (gmsa !== undefined) out.runAsUser = gmsaRunAsUser(gmsa);
  else if (out.runAsUser !== undefined && out.runAsUser.endsWith('$') && out.runAsPassword === undefined) delete out.runAsUser;
  return out;
}

/** A copy of `doc` without a configuration file (the block removed): what Register writes without -Path. */
export function withoutConfigurationFile(doc: PluginConfig): PluginConfig {
  const out = structuredClone(doc);
  removeInitParam(out, CONFIG_FILE_PATH);
  delete out.runAsVirtualAccount;
  delete out.runAsVirtualAccountGroups;
  if (out.runAsUser?.endsWith('$') && out.runAsPassword === undefined) delete out.runAsUser;
  return out;
}

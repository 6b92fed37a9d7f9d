/**
 * What a PowerShell session's pwsh is told about its sender, read by the host's startup script
 * (src/emulator/virtual-host/host-drive.ts) to set $PSSenderInfo as Windows' WinRM plugin does:
 * ConfigurationName (the plugin's name), ConnectionString (the address the client sent to) and
 * UserInfo.Identity (the account, `MACHINE\user` for a local one). pwsh -s itself leaves $PSSenderInfo null.
 */
export interface SenderInfo {
  /** The account name as Windows reports it (`WIN1\vagrant`). */
  readonly identity: string;
  readonly configurationName: string;
  readonly connectionString: string;
  /** Who Windows would run the session as (virtual account, gMSA); undefined = the connecting user. */
  readonly runAsUser?: string;
}

export function senderEnvironment(sender: SenderInfo): Record<string, string> {
  return {
    PSREMOTING_SENDER_USER: sender.identity,
    // Emulated: the listener does not hand the scheme to the operations; Windows reports Negotiate, Kerberos or Basic.
    PSREMOTING_SENDER_AUTH: '',
    PSREMOTING_SENDER_CONNECTION: sender.connectionString,
    PSREMOTING_SENDER_CONFIGURATION: sender.configurationName,
    ...(sender.runAsUser === undefined ? {} : { PSREMOTING_SENDER_RUNAS: sender.runAsUser }),
  };
}

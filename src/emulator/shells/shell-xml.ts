/**
 * The rsp:Shell element in the shapes Windows writes: the Create echo (captured: test_winrs_standard,
 * test_winrs_extra_opts, test_winrs_environment for cmd; test_psrp_open_runspace for PowerShell) and the
 * Get/Enumerate form, which adds State (cmd shells) and MemoryUsed/ChildProcesses (captured for
 * PowerShell shells in test_psrp_disconnect_runspaces; spec-derived for cmd shells).
 */
import { el, type XmlNodeSpec, INT32_MAX } from '../../wsman/xml';
import { formatDurationDays, formatDurationMillis } from '../../wsman/soap';
import type { Shell } from './shell';

export function shellElement(shell: Shell, form: 'created' | 'listed', now = Date.now()): XmlNodeSpec {
  const s = shell.settings;
  const ps = s.kind === 'powershell';
  const runTime = form === 'created' ? 0 : now - shell.createdAt;
  const inactivity = form === 'created' ? 0 : now - shell.lastActivity;
  return el(
    'rsp:Shell',
    null,
    el('rsp:ShellId', null, s.id),
    // Listed only: Windows' Create echo of a named shell (test_winrs_extra_opts) carries no rsp:Name.
    form === 'listed' && s.name !== undefined && el('rsp:Name', null, s.name),
    el('rsp:ResourceUri', null, s.resourceUri),
    el('rsp:Owner', null, s.owner),
    el('rsp:ClientIP', null, s.clientIp),
    // The session's own process, as Windows reports its wsmprovhost.exe.
    ps && el('rsp:ProcessId', null, String(shell.session?.pid ?? process.pid)),
    !ps && s.environment.length > 0 && el('rsp:Environment', null, ...s.environment.map(([k, v]) => el('rsp:Variable', [['Name', k]], v))),
    !ps && s.workingDirectory !== undefined && el('rsp:WorkingDirectory', null, s.workingDirectory),
    el('rsp:IdleTimeOut', null, formatDurationMillis(shell.idleTimeoutMs)),
    el('rsp:InputStreams', null, s.inputStreams),
    el('rsp:OutputStreams', null, s.outputStreams),
    ps && el('rsp:MaxIdleTimeOut', null, formatDurationMillis(s.maxIdleTimeoutMs ?? INT32_MAX)),
    ps && el('rsp:Locale', null, s.locale),
    ps && el('rsp:DataLocale', null, s.dataLocale),
    ps && el('rsp:CompressionMode', null, 'NoCompression'),
    ps && el('rsp:ProfileLoaded', null, s.noProfile ? 'No' : 'Yes'),
    ps && el('rsp:Encoding', null, 'UTF8'),
    ps && el('rsp:BufferMode', null, shell.bufferMode ?? 'Block'),
    (ps || form === 'listed') && el('rsp:State', null, shell.state),
    el('rsp:ShellRunTime', null, formatDurationDays(runTime)),
    el('rsp:ShellInactivity', null, formatDurationDays(inactivity)),
    form === 'listed' && el('rsp:MemoryUsed', null, `${Math.max(1, Math.round(process.memoryUsage().rss / 1048576))}MB`),
    form === 'listed' && el('rsp:ChildProcesses', null, String([...shell.commands.values()].filter((c) => !c.done).length)),
  );
}

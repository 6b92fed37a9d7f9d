/**
 * WinRS operations: Create/Get/Enumerate/Delete of shells and Command/Receive/Send/Signal. cmd shells obey
 * the effective `winrm/config/winrs` quotas; PowerShell shells obey their plugin's effective Quotas, capped
 * by the global winrs values. Shapes are those of the pypsrp captures (test_winrs_*).
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { ACTION, DEFAULT_LOCALE, DEFAULT_MAX_ENVELOPE_SIZE, RESOURCE_URI, SIGNAL, COMMAND_STATE, parseDuration } from '../../wsman/soap';
import { NS, attr, child, childText, childrenNamed, el, type XmlNodeSpec, INT32_MAX, parseUint } from '../../wsman/xml';
import { getQuota, type PluginConfig } from '../../wsman/config';
import { faults } from '../dispatch/emulator-fault';
import { resourceCreated } from '../dispatch/resource-created';
import { option, selector, type OperationResult, type RequestContext } from '../dispatch/request-context';
import type { VirtualHost } from '../virtual-host/virtual-host';
import { Shell, type ShellKind } from './shell';
import { shellElement } from './shell-xml';
import { CommandProcess, type StreamName } from './command-process';
import { planLaunch } from './command-line';
import { senderEnvironment } from '../powershell/sender-environment';
import { executeAllowed } from '../accounts/access-check';
import { sessionLaunch } from '../jea/session-launch';
import {
  commandElements,
  openPowerShellEngine,
  powershellCommand,
  powershellConnect,
  powershellDisconnect,
  powershellReceive,
  powershellReconnect,
  powershellSend,
  powershellSignal,
} from '../powershell/powershell-operations';
import { effectiveQuota, watchSessionQuotas } from '../powershell/session-quotas';

/** The resource of a shell's commands, enumerated with a ShellId selector filter (test_psrp_disconnected_commands). */
const SHELL_COMMAND_URI = `${RESOURCE_URI.shell}/Command`;

export function isShellResource(uri: string): boolean {
  const u = uri.toLowerCase();
  return (
    u === RESOURCE_URI.shellCmd.toLowerCase() ||
    u === RESOURCE_URI.shell.toLowerCase() ||
    u === SHELL_COMMAND_URI.toLowerCase() ||
    u.startsWith(RESOURCE_URI.powershellPrefix)
  );
}

export async function shellOperation(ctx: RequestContext): Promise<OperationResult> {
  const { env, host } = ctx;
  const uri = env.resourceUri ?? '';
  if (uri.toLowerCase() === RESOURCE_URI.shell.toLowerCase()) {
    if (env.action === ACTION.Enumerate) {
      return host.enumerations.enumerate(
        ctx,
        host.shellsOf(ctx.user).map((s) => shellElement(s, 'listed')),
      );
    }
    if (env.action === ACTION.Get) return { body: [shellElement(findShell(ctx), 'listed')] };
    throw faults.actionNotSupported(env.action ?? '');
  }
  if (uri.toLowerCase() === SHELL_COMMAND_URI.toLowerCase()) {
    if (env.action !== ACTION.Enumerate) throw faults.actionNotSupported(env.action ?? '');
    return host.enumerations.enumerate(ctx, commandsOf(ctx));
  }
  if (env.action === ACTION.Create) return await createShell(ctx, uri);
  const shell = findShell(ctx);
  const end = shell.beginOperation();
  try {
    if (shell.settings.kind === 'powershell') return await powershellOperation(ctx, shell);
    switch (env.action) {
      case ACTION.Delete:
        await host.closeShell(shell, 'deleted');
        return { body: [] };
      case ACTION.Command:
        return await command(ctx, shell);
      case ACTION.Receive:
        return await receive(ctx, shell);
      case ACTION.Send:
        return send(ctx, shell);
      case ACTION.Signal:
        return signal(ctx, shell);
      default:
        throw faults.actionNotSupported(env.action ?? '');
    }
  } finally {
    end();
  }
}

async function powershellOperation(ctx: RequestContext, shell: Shell): Promise<OperationResult> {
  const action = ctx.env.action;
  if (action === ACTION.Delete) {
    await ctx.host.closeShell(shell, 'deleted');
    return { body: [] };
  }
  if (action === ACTION.Disconnect) return powershellDisconnect(ctx, shell);
  if (action === ACTION.Reconnect) return powershellReconnect(ctx, shell);
  const session = shell.session;
  if (!session) throw faults.shellNotFound();
  if (action === ACTION.Connect) return powershellConnect(ctx, shell, session);
  if (shell.state === 'Disconnected') throw faults.shellNotConnected();
  switch (action) {
    case ACTION.Command:
      return powershellCommand(ctx, shell, session, pluginQuota(ctx, shell, 'MaxConcurrentCommandsPerShell'));
    case ACTION.Receive:
      return powershellReceive(ctx, shell, session, operationTimeout(ctx.host, ctx.env.operationTimeoutMs));
    case ACTION.Send:
      return powershellSend(ctx, session);
    case ACTION.Signal:
      return powershellSignal(ctx, session);
    default:
      throw faults.actionNotSupported(action ?? '');
  }
}

/** A quota of the shell's plugin as it was effective (INT32_MAX when unset or the plugin is gone). */
function pluginQuota(ctx: RequestContext, shell: Shell, name: Parameters<typeof getQuota>[1]): number {
  const cfg = ctx.host.effective.plugins.findByResourceUri(shell.settings.resourceUri);
  return (cfg && parseUint(getQuota(cfg, name))) || INT32_MAX;
}

/** The commands of the shell named by the Enumerate's SelectorFilter. */
function commandsOf(ctx: RequestContext): XmlNodeSpec[] {
  const filter = child(child(ctx.env.body, NS.n, 'Enumerate'), NS.w, 'Filter');
  const shellId = childrenNamed(child(filter, NS.w, 'SelectorSet'), NS.w, 'Selector')
    .find((s) => attr(s, 'Name')?.toLowerCase() === 'shellid')
    ?.text.trim();
  const shell = shellId === undefined ? undefined : ctx.host.shells.get(shellId.toUpperCase());
  if (!shell || shell.isClosed || !shell.ownedBy(ctx.user)) throw faults.shellNotFound();
  if (shell.session) return commandElements(shell.session);
  return [...shell.commands.values()].map((c) =>
    el(
      'rsp:Command',
      null,
      el('rsp:CommandId', null, c.id),
      el('rsp:CommandLine', null, c.commandLine),
      el('rsp:CommandState', null, c.done ? 'Done' : 'Running'),
    ),
  );
}

function findShell(ctx: RequestContext): Shell {
  const id = selector(ctx.env, 'ShellId');
  const shell = id === undefined ? undefined : ctx.host.shells.get(id.toUpperCase());
  if (!shell || shell.isClosed || !shell.ownedBy(ctx.user)) throw faults.shellNotFound();
  return shell;
}

async function createShell(ctx: RequestContext, uri: string): Promise<OperationResult> {
  const { env, host } = ctx;
  const body = child(env.body, NS.rsp, 'Shell');
  if (!body) throw faults.schemaValidation('The body of a shell Create must be an rsp:Shell element.');
  const kind: ShellKind = uri.toLowerCase().startsWith(RESOURCE_URI.powershellPrefix) ? 'powershell' : 'cmd';
  const winrsQuota = (name: 'maxShellsPerUser' | 'idleTimeout'): number => parseUint(host.effective.config.winrs?.[name]) ?? INT32_MAX;

  const requestedIdle = childText(body, NS.rsp, 'IdleTimeOut');
  const requestedIdleMs = requestedIdle === undefined ? undefined : parseDuration(requestedIdle);
  if (requestedIdle !== undefined && requestedIdleMs === undefined)
    throw faults.schemaValidation(`IdleTimeOut ${requestedIdle} is not a valid duration.`);

  const globalPerUser = winrsQuota('maxShellsPerUser');
  const mine = host.shellsOf(ctx.user);
  if (mine.length >= globalPerUser) throw faults.shellsPerUser(globalPerUser);

  let idleTimeoutMs = requestedIdleMs ?? winrsQuota('idleTimeout');
  let maxIdleTimeoutMs: number | undefined;
  let bufferMode: 'Block' | 'Drop' | undefined;
  let plugin: string | undefined;
  let endpoint: PluginConfig | undefined;
  let maxMemoryMB: number | undefined;
  let maxProcesses: number | undefined;
  if (kind === 'powershell') {
    const cfg = host.effective.plugins.findByResourceUri(uri);
    if (!cfg || cfg.enabled?.toLowerCase() === 'false') throw faults.unknownResource(uri);
    // The endpoint's security descriptor decides who may connect (the plugin's Security SDDL; without one,
    // the service's RootSDDL), before any quota is counted.
    const sddl = pluginSddl(cfg, uri) ?? host.effective.config.service?.rootSddl;
    if (sddl !== undefined && !executeAllowed(sddl, host.accounts.account(ctx.user).tokenSids)) throw faults.accessDenied();
    plugin = cfg.name ?? '';
    const quota = (name: Parameters<typeof getQuota>[1], fallback: number): number => Number(getQuota(cfg, name) ?? fallback);
    const pluginIdle = Math.min(quota('IdleTimeoutms', 7200000), winrsQuota('idleTimeout'));
    maxIdleTimeoutMs = quota('MaxIdleTimeoutms', INT32_MAX);
    if (requestedIdleMs !== undefined && requestedIdleMs > maxIdleTimeoutMs) {
      // Windows' answer to an over-limit IdleTimeOut at Create is not recorded (its documentation only says a client's
      // value cannot exceed the configuration's maximum); SchemaValidationError, WinRM's fault for a request value it does
      // not accept (as for a malformed IdleTimeOut above), is the most plausible.
      throw faults.schemaValidation(
        `The IdleTimeOut ${requestedIdle} exceeds the MaxIdleTimeoutms ${maxIdleTimeoutMs} of the ${plugin} plugin.`,
      );
    }
    idleTimeoutMs = requestedIdleMs ?? pluginIdle;
    bufferMode = cfg.outputBufferingMode === 'Drop' ? 'Drop' : 'Block';
    const onPlugin = [...host.shells.values()].filter((s) => s.settings.plugin?.toLowerCase() === plugin?.toLowerCase());
    const maxShells = quota('MaxShells', INT32_MAX);
    if (onPlugin.length >= maxShells) throw faults.pluginShells(plugin, maxShells);
    const perUser = quota('MaxShellsPerUser', INT32_MAX);
    const mineOnPlugin = onPlugin.filter((s) => s.ownedBy(ctx.user)).length;
    if (mineOnPlugin >= perUser) throw faults.pluginShellsPerUser(plugin, perUser);
    const users = new Set(onPlugin.map((s) => s.settings.owner.toLowerCase()));
    const maxUsers = quota('MaxConcurrentUsers', INT32_MAX);
    if (!users.has(ctx.user.toLowerCase()) && users.size >= maxUsers) throw faults.pluginUsers(plugin, maxUsers);
    // MaxMemoryPerShellMB caps pwsh's .NET heap; both it and MaxProcessesPerShell are watched on the session's
    // process tree once pwsh runs (session-quotas.ts says how far that goes).
    const global = (name: 'maxMemoryPerShellMB' | 'maxProcessesPerShell'): number | undefined =>
      parseUint(host.effective.config.winrs?.[name]);
    const pluginQuota = (name: 'MaxMemoryPerShellMB' | 'MaxProcessesPerShell'): number | undefined => parseUint(getQuota(cfg, name));
    maxMemoryMB = effectiveQuota(pluginQuota('MaxMemoryPerShellMB'), global('maxMemoryPerShellMB'));
    maxProcesses = effectiveQuota(pluginQuota('MaxProcessesPerShell'), global('maxProcessesPerShell'));
    endpoint = cfg;
  }

  const id = (attr(body, 'ShellId') ?? randomUUID()).toUpperCase();
  const account = host.accounts.account(ctx.user);
  // The endpoint's session configuration file, resolved for this user (JEA roles), as pwsh's -ConfigurationFile.
  const launch = endpoint === undefined ? undefined : sessionLaunch(host, endpoint, account, id);
  // Windows drops backslashes from variable names (captured: test_winrs_environment echoes them without).
  const environment = childrenNamed(child(body, NS.rsp, 'Environment'), NS.rsp, 'Variable').map(
    (v) => [(attr(v, 'Name') ?? '').replace(/\\/g, ''), v.text] as const,
  );
  const workingDirectory = childText(body, NS.rsp, 'WorkingDirectory');
  const shell = new Shell(
    {
      id,
      kind,
      resourceUri: uri,
      name: childText(body, NS.rsp, 'Name')?.trim(),
      owner: ctx.user,
      clientIp: ctx.clientIp,
      plugin,
      idleTimeoutMs,
      maxIdleTimeoutMs,
      bufferMode,
      inputStreams: childText(body, NS.rsp, 'InputStreams') ?? 'stdin',
      outputStreams: childText(body, NS.rsp, 'OutputStreams') ?? 'stdout stderr',
      environment,
      workingDirectory,
      // A Windows path (C:\Windows) has no local meaning: such shells run in the system temp directory.
      localCwd: workingDirectory !== undefined && isLocalDirectory(workingDirectory) ? workingDirectory : os.tmpdir(),
      codepage: option(env, 'WINRS_CODEPAGE'),
      noProfile: (option(env, 'WINRS_NOPROFILE') ?? '').toLowerCase() === 'true',
      sessionId: env.sessionId,
      locale: env.locale ?? DEFAULT_LOCALE,
      dataLocale: env.dataLocale ?? env.locale ?? DEFAULT_LOCALE,
    },
    (expired) => {
      if (expired.isClosed) return;
      // Windows reports an unattended PowerShell shell Disconnected once its IdleTimeOut passed
      // (test_psrp_is_alive_state_disconnected); when it then deletes it no document or recording says: here one
      // more IdleTimeOut, the clock of any disconnected shell (wsman.h WSMAN_SHELL_DISCONNECT_INFO idleTimeoutMs).
      if (expired.settings.kind === 'powershell' && expired.state === 'Connected')
        expired.disconnect(undefined, undefined, 'idle timeout: client gone');
      else void host.closeShell(expired, 'idle timeout expired');
    },
    host.log,
  );
  host.shells.set(id, shell);
  if (kind === 'powershell') {
    try {
      shell.session = await openPowerShellEngine(body, {
        cwd: shell.settings.localCwd,
        configurationFile: launch?.configurationFile,
        env: {
          ...host.drive.powershellEnvironment(process.env),
          ...senderEnvironment({
            identity: account.identity,
            configurationName: plugin ?? '',
            connectionString: env.to ?? '',
            runAsUser: launch?.runAsUser,
          }),
        },
        maxMemoryMB,
        outputBufferBytes: host.psrpOutputBufferBytes,
        onExit: (reason) => {
          host.log(`shell ${id}: ${reason}`);
          void host.closeShell(shell, reason);
        },
      });
    } catch (e: unknown) {
      await host.closeShell(shell, 'the PowerShell engine did not start');
      throw e;
    }
    if (shell.isClosed) throw faults.shellNotFound();
    const pid = shell.session.pid;
    if (pid !== undefined)
      watchSessionQuotas(pid, { maxProcesses, maxMemoryBytes: maxMemoryMB === undefined ? undefined : maxMemoryMB * 1048576 }, (m) =>
        host.log(`shell ${id}: ${m}`),
      );
  }
  shell.opened();
  return {
    body: [resourceCreated(env.to ?? '', uri, ['ShellId', id]), shellElement(shell, 'created')],
  };
}

/** The SDDL of the plugin's Security entry for `uri` (exact, else a prefix entry), else its first one. */
function pluginSddl(cfg: PluginConfig, uri: string): string | undefined {
  const securities = cfg.resources.flatMap((r) => r.securities).filter((x) => x.sddl !== undefined);
  const lower = uri.toLowerCase();
  const match =
    securities.find((x) => x.uri?.toLowerCase() === lower) ??
    securities.find((x) => x.exactMatch?.toLowerCase() !== 'true' && lower.startsWith((x.uri ?? '').toLowerCase()));
  return (match ?? securities[0])?.sddl;
}

function isLocalDirectory(p: string): boolean {
  try {
    return p.startsWith('/') && fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

async function command(ctx: RequestContext, shell: Shell): Promise<OperationResult> {
  if (shell.settings.kind !== 'cmd') throw faults.actionNotSupported(`${ctx.env.action ?? ''} (PSRP pipelines are not emulated)`);
  const line = child(ctx.env.body, NS.rsp, 'CommandLine');
  const program = childText(line, NS.rsp, 'Command');
  if (!line || program === undefined) throw faults.invalidParameter();
  const args = childrenNamed(line, NS.rsp, 'Arguments').map((a) => a.text);
  const skipCmdShell = (option(ctx.env, 'WINRS_SKIP_CMD_SHELL') ?? '').toLowerCase() === 'true';
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of shell.settings.environment) env[k] = v;
  const planned = planLaunch(program, args, skipCmdShell, env);
  // PowerShell command lines see the host's drive and modules too (the startup script of the host's default file).
  const plan =
    planned.kind === 'powershell'
      ? { ...planned, args: ['-ConfigurationFile', ctx.host.drive.defaultConfigurationFile, ...planned.args] }
      : planned;
  if (plan.kind === 'powershell') Object.assign(env, ctx.host.drive.powershellEnvironment(env));
  if (plan.kind === 'host') ctx.host.runOutOfBand(plan.steps);
  const id = (attr(line, 'CommandId') ?? randomUUID()).toUpperCase();
  const proc = new CommandProcess(id, [program, ...args].join(' '));
  try {
    await proc.start(plan, shell.settings.localCwd, env);
  } catch {
    throw faults.fileNotFound();
  }
  if (shell.isClosed) proc.kill();
  else shell.commands.set(id, proc);
  return { body: [el('rsp:CommandResponse', null, el('rsp:CommandId', null, id))] };
}

async function receive(ctx: RequestContext, shell: Shell): Promise<OperationResult> {
  const desired = child(child(ctx.env.body, NS.rsp, 'Receive'), NS.rsp, 'DesiredStream');
  const commandId = attr(desired, 'CommandId');
  const timeoutMs = operationTimeout(ctx.host, ctx.env.operationTimeoutMs);
  if (commandId === undefined) {
    // Shell-level Receive: only PSRP uses it; without an engine there is never output.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise((r) => (timer = setTimeout(r, timeoutMs))), ctx.aborted]);
    // A client that hung up ends the wait; its timer must not live on for up to MaxTimeoutms.
    clearTimeout(timer);
    throw faults.timedOut();
  }
  const proc = shell.commands.get(commandId.toUpperCase());
  if (!proc) throw faults.commandNotFound();
  const streams = new Set(
    ((desired?.text ?? 'stdout stderr').trim().split(/\s+/) as StreamName[]).filter((s) => s === 'stdout' || s === 'stderr'),
  );
  const budget = Math.floor(((ctx.env.maxEnvelopeSize ?? DEFAULT_MAX_ENVELOPE_SIZE) - 4096) * 0.7);
  const result = await proc.receive(streams, timeoutMs, Math.max(1024, budget));
  if (!result) throw faults.timedOut();
  const cid = proc.id;
  const items: XmlNodeSpec[] = result.chunks.map((c) =>
    el(
      'rsp:Stream',
      [
        ['Name', c.stream],
        ['CommandId', cid],
      ],
      c.data.toString('base64'),
    ),
  );
  if (result.exitCode !== undefined) {
    for (const s of streams)
      items.push(
        el('rsp:Stream', [
          ['Name', s],
          ['CommandId', cid],
          ['End', 'true'],
        ]),
      );
    items.push(
      el(
        'rsp:CommandState',
        [
          ['CommandId', cid],
          ['State', COMMAND_STATE.done],
        ],
        el('rsp:ExitCode', null, String(result.exitCode)),
      ),
    );
  } else {
    items.push(
      el('rsp:CommandState', [
        ['CommandId', cid],
        ['State', COMMAND_STATE.running],
      ]),
    );
  }
  return { body: [el('rsp:ReceiveResponse', null, ...items)] };
}

/** OperationTimeout bounded by the service's MaxTimeoutms, as WinRM bounds it. */
function operationTimeout(host: VirtualHost, requestedMs: number | undefined): number {
  const max = parseUint(host.effective.config.maxTimeoutms) || 60000;
  return Math.min(requestedMs ?? max, max);
}

function send(ctx: RequestContext, shell: Shell): OperationResult {
  for (const stream of childrenNamed(child(ctx.env.body, NS.rsp, 'Send'), NS.rsp, 'Stream')) {
    const id = attr(stream, 'CommandId');
    const proc = id === undefined ? undefined : shell.commands.get(id.toUpperCase());
    if (!proc) throw faults.commandNotFound();
    proc.send(Buffer.from(stream.text.trim(), 'base64'), (attr(stream, 'End') ?? '').toLowerCase() === 'true');
  }
  return { body: [el('rsp:SendResponse')] };
}

function signal(ctx: RequestContext, shell: Shell): OperationResult {
  const sig = child(ctx.env.body, NS.rsp, 'Signal');
  const code = (childText(sig, NS.rsp, 'Code') ?? '').toLowerCase();
  const id = attr(sig, 'CommandId');
  if (id === undefined) return { body: [el('rsp:SignalResponse')] };
  const proc = shell.commands.get(id.toUpperCase());
  if (!proc) throw faults.commandNotFound();
  if (code === SIGNAL.terminate.toLowerCase()) {
    proc.kill();
    shell.commands.delete(proc.id);
  } else if (code === SIGNAL.ctrlC.toLowerCase() || code === SIGNAL.ctrlBreak.toLowerCase() || code === SIGNAL.psCtrlC.toLowerCase()) {
    // Windows keeps a finished command until its signal; a running one is interrupted.
    if (proc.done) shell.commands.delete(proc.id);
    else proc.interrupt();
  } else {
    throw faults.invalidParameter();
  }
  return { body: [el('rsp:SignalResponse')] };
}

import { isDeepStrictEqual } from 'node:util';
import { RESOURCE_URI, readShell, WsmanFault, type ShellInfo, type WsmanClient } from '../wsman';
import { parsePluginConfig, parseWinrmConfig, pluginConfigSpec, type PluginConfig, type WinrmConfig } from '../wsman/config';
import { RecentlyUsed, RestartCoordinator, Semaphore, SharedRead, sleep, withRetry, type RetryPolicy } from './coordination';
import type { HostLog } from './host-log';
import { isPendingMarker, newMarker, pendingMarker, readMarker, restartCommandLine, writeMarker } from './restart-marker';
import { observe } from './session-configuration';
import { isAlreadyExists, isNotFound, isTransient, isUndelivered } from './transient-errors';
import { runRemoteCommand, type RemoteCommand, type RemoteCommandResult } from './commands/remote-command';
import { parseUint } from '../wsman/xml';
import { errorMessage } from '../common';
import { HostError } from './host-error';
import {
  PowerShellSession,
  listPowerShellSessions,
  type OperationGate,
  type PowerShellSessionInfo,
  type PowerShellSessionOptions,
} from './powershell';

export interface HostOptions {
  readonly endpoint: string;
  readonly label: string;
  readonly client: WsmanClient;
  readonly coordinator: RestartCoordinator;
  /** Operations on this host at once; kept below its shell and operation quotas. */
  readonly maxConcurrency: number;
  readonly restartTimeoutMs: number;
  /** `never`: writes are stored but WinRM is not restarted; they take effect at its next restart. */
  readonly restart: 'immediate' | 'never';
  readonly retry: Omit<RetryPolicy, 'isTransient'>;
  readonly log: HostLog;
  /** Shared by a pool's hosts: only the most recently used hosts keep their plugin list. */
  readonly pluginListRetention?: RecentlyUsed;
}

export class EndpointExistsError extends HostError {
  override readonly name = 'EndpointExistsError';
  constructor(message: string) {
    super('endpoint-exists', message);
  }
}

/**
 * One Windows host as the provider uses it: one persistent WS-Man client, reads of all plugins shared by
 * the resources refreshing together, writes as whole documents, and the coalesced WinRM restart that
 * makes written plugins effective.
 */
export class Host {
  private readonly limiter: Semaphore;
  private readonly pluginsRead: SharedRead<ReadonlyMap<string, PluginConfig>>;
  private readonly configRead: SharedRead<WinrmConfig>;
  private readonly markerRead: SharedRead<string>;
  /** The host records that a restart is owed, once per restart cycle, before the first write that needs one. */
  private readonly pendingRecord: SharedRead<void>;
  private readonly shellSlots: SharedRead<Semaphore>;
  private readonly retry: RetryPolicy;
  /** Plugins written since the last restart, by lower-cased name; null = deleted. Checked after it. */
  private readonly written = new Map<string, PluginConfig | null>();
  private writesInFlight = 0;
  /** The marker the host had before this process recorded a restart as owed; restored if no write needed it. */
  private markerBeforePending: string | undefined;

  constructor(private readonly o: HostOptions) {
    this.limiter = new Semaphore(o.maxConcurrency);
    this.retry = { ...o.retry, isTransient };
    this.pluginsRead = new SharedRead((signal) => this.call((s) => this.enumeratePlugins(s), signal), o.pluginListRetention);
    this.configRead = new SharedRead((signal) =>
      this.call(async (s) => {
        const config = parseWinrmConfig(await this.o.client.get(RESOURCE_URI.config, undefined, { signal: s }));
        // Sessions on this host (whichever way they are opened) size their requests to it.
        const kb = parseUint(config.maxEnvelopeSizekb);
        if (kb !== undefined) this.o.client.setMaxRequestEnvelopeSize(kb * 1024);
        return config;
      }, signal),
    );
    this.markerRead = new SharedRead((signal) => this.call((s) => readMarker(this.o.client, { signal: s }), signal));
    this.pendingRecord = new SharedRead((signal) => this.recordPending(signal));
    this.shellSlots = new SharedRead((signal) => this.winrmConfig(signal).then((config) => this.shellSemaphore(config)));
  }

  get label(): string {
    return this.o.label;
  }

  get endpoint(): string {
    return this.o.endpoint;
  }

  /** Every plugin the host reports, by lower-cased name (WinRM names are case-insensitive). One Enumerate serves all readers. */
  plugins(signal: AbortSignal): Promise<ReadonlyMap<string, PluginConfig>> {
    return this.pluginsRead.get(signal);
  }

  async plugin(name: string, signal: AbortSignal): Promise<PluginConfig | undefined> {
    return (await this.plugins(signal)).get(name.toLowerCase());
  }

  /** The service configuration (`winrm/config`), for the global winrs caps and the data source. */
  winrmConfig(signal: AbortSignal): Promise<WinrmConfig> {
    return this.configRead.get(signal);
  }

  /** A fresh read of one plugin, bypassing the shared read: writes start from what the host has now. */
  async freshPlugin(name: string, signal: AbortSignal): Promise<PluginConfig | undefined> {
    return this.call(async (s) => {
      try {
        return parsePluginConfig(await this.o.client.get(RESOURCE_URI.configPlugin, { Name: name }, { signal: s }));
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    }, signal);
  }

  async createPlugin(doc: PluginConfig, signal: AbortSignal): Promise<void> {
    const name = requireName(doc);
    let attempts = 0;
    await this.writing(true, signal, () =>
      this.call(async (s) => {
        attempts += 1;
        try {
          await this.o.client.create(RESOURCE_URI.configPlugin, { Name: name }, pluginConfigSpec(doc), { signal: s });
        } catch (e) {
          if (!isAlreadyExists(e)) throw e;
          // A retried Create whose first attempt went through is not a conflict; on the first attempt an
          // existing endpoint is someone else's, even when it looks the same.
          if (attempts === 1) throw new EndpointExistsError(`session configuration "${name}" already exists on ${this.o.label}`);
          const now = await this.freshPlugin(name, s);
          if (!now || !isDeepStrictEqual(observe(now), observe(doc))) {
            throw new EndpointExistsError(`session configuration "${name}" already exists on ${this.o.label}`);
          }
        }
      }, signal),
    );
    this.wrote(name, doc);
  }

  /**
   * Replaces a plugin document. `restart: false` for changes WinRM picks up by itself (an SDDL change of
   * the endpoint's Security element: PowerShell's src/Microsoft.WSMan.Management/ConfigProvider.cs says the
   * service picks it up dynamically), so no restart is scheduled for them.
   */
  async putPlugin(doc: PluginConfig, signal: AbortSignal, options: { restart: boolean } = { restart: true }): Promise<void> {
    const name = requireName(doc);
    await this.writing(options.restart, signal, async () => {
      await this.call((s) => this.o.client.put(RESOURCE_URI.configPlugin, { Name: name }, pluginConfigSpec(doc), { signal: s }), signal);
    });
    if (options.restart) this.wrote(name, doc);
    else this.pluginsRead.invalidate();
  }

  async deletePlugin(name: string, signal: AbortSignal): Promise<void> {
    await this.writing(true, signal, () =>
      this.call(async (s) => {
        try {
          await this.o.client.delete(RESOURCE_URI.configPlugin, { Name: name }, { signal: s });
        } catch (e) {
          if (!isNotFound(e)) throw e; // already gone: the goal is reached
        }
      }, signal),
    );
    this.wrote(name, null);
  }

  /** Live shells (what Get-PSSession -ComputerName lists). */
  async shells(signal: AbortSignal): Promise<ShellInfo[]> {
    const items = await this.call((s) => this.o.client.enumerate(RESOURCE_URI.shell, { signal: s }), signal);
    return items.map((item) => readShell(item));
  }

  /**
   * Runs a command in its own shell. A restart pending on this host runs first, so a command that
   * depends on a session configuration sees it in effect; the shell counts against this host's cap, and
   * a full shell quota on the host is waited out with backoff.
   */
  async runCommand(cmd: RemoteCommand, signal: AbortSignal): Promise<RemoteCommandResult> {
    await this.o.coordinator.flush(this.o.endpoint, signal);
    const shells = await this.shellSlots.get(signal);
    return shells.run(
      () =>
        this.limiter.run(async () => {
          await this.o.coordinator.ready(this.o.endpoint);
          return runRemoteCommand(this.o.client, (open) => withRetry(open, this.retry, signal), cmd, signal, this.o.log);
        }, signal),
      signal,
    );
  }

  /**
   * PowerShell session work on this host (src/host/sessions): after a pending restart, holding one of
   * this host's shell slots, each WS-Man operation but the Receive long-polls within its concurrency cap.
   */
  async powershell<T>(work: (client: WsmanClient, gate: OperationGate) => Promise<T>, signal: AbortSignal): Promise<T> {
    await this.o.coordinator.flush(this.o.endpoint, signal);
    const shells = await this.shellSlots.get(signal);
    const gate: OperationGate = (fn, s) =>
      this.limiter.run(async () => {
        await this.o.coordinator.ready(this.o.endpoint);
        return fn();
      }, s ?? signal);
    return shells.run(() => work(this.o.client, gate), signal);
  }

  /**
   * Shells we hold at once on this host: the configured cap, but below the host's own MaxShellsPerUser
   * (keeping one shell free for the user's other sessions), read once from winrm/config/winrs.
   */
  private shellSemaphore(config: WinrmConfig): Semaphore {
    const hostCap = parseUint(config.winrs?.maxShellsPerUser);
    const cap = hostCap !== undefined && hostCap > 0 ? Math.min(this.o.maxConcurrency, Math.max(1, hostCap - 1)) : this.o.maxConcurrency;
    if (cap < this.o.maxConcurrency)
      this.o.log.info('shells capped below the host quota', { host: this.o.label, maxShellsPerUser: hostCap, shells: cap });
    return new Semaphore(cap);
  }

  /**
   * Whether the host owes a restart: a plugin write since the last completed restart, as the host
   * records it (whatever terraform saved or lost). Read once per process, then kept current by this
   * process's own writes and restarts.
   */
  async restartPending(signal: AbortSignal): Promise<boolean> {
    return isPendingMarker(await this.markerRead.get(signal));
  }

  /**
   * A plugin write. With restarts `immediate` and a write that needs one, the host first records that a
   * restart is owed; a write the host surely did not make (refused, or never delivered) withdraws that
   * record again when no other write of this restart cycle needs it, so a refused create leaves no
   * restart owed behind.
   */
  private async writing(needsRestart: boolean, signal: AbortSignal, write: () => Promise<void>): Promise<void> {
    const records = needsRestart && this.o.restart === 'immediate';
    if (records) await this.pendingRecord.get(signal);
    this.writesInFlight += 1;
    try {
      await write();
    } catch (e) {
      this.writesInFlight -= 1;
      if (records && provesNotWritten(e) && !signal.aborted) await this.withdrawPending(signal);
      throw e;
    }
    this.writesInFlight -= 1;
  }

  private async recordPending(signal: AbortSignal): Promise<void> {
    const current = await this.markerRead.get(signal);
    if (isPendingMarker(current)) return;
    const marker = pendingMarker();
    await this.call((s) => writeMarker(this.o.client, marker, { signal: s }), signal);
    this.markerRead.set(marker);
    this.markerBeforePending = current;
  }

  private async withdrawPending(signal: AbortSignal): Promise<void> {
    const previous = this.markerBeforePending;
    if (previous === undefined || this.writesInFlight > 0 || this.written.size > 0) return;
    try {
      await this.call((s) => writeMarker(this.o.client, previous, { signal: s }), signal);
    } catch (e) {
      // The record stays: at worst one restart more, never one missed.
      this.o.log.warn('could not withdraw the pending-restart record', { host: this.o.label, error: errorMessage(e) });
      return;
    }
    this.markerBeforePending = undefined;
    this.markerRead.set(previous);
    this.pendingRecord.invalidate();
  }

  /**
   * Opens a PowerShell session (runspace pool) on an endpoint of this host, over the host's persistent
   * client; each of its WS-Man operations but the Receive long-polls counts against the concurrency cap.
   */
  async openPowerShell(options: Omit<PowerShellSessionOptions, 'gate' | 'signal'>, signal: AbortSignal): Promise<PowerShellSession> {
    await this.o.coordinator.ready(this.o.endpoint);
    await this.knowEnvelopeLimit(signal);
    return PowerShellSession.open(this.o.client, { ...options, gate: this.gate, signal });
  }

  /** Connects to a session left disconnected on this host (by this or another client), like Receive-PSSession. */
  async connectPowerShell(shellId: string, configurationName: string | undefined, signal: AbortSignal): Promise<PowerShellSession> {
    await this.o.coordinator.ready(this.o.endpoint);
    await this.knowEnvelopeLimit(signal);
    return PowerShellSession.connect(this.o.client, { shellId, configurationName, gate: this.gate, signal });
  }

  /**
   * Reads the service configuration, whose MaxEnvelopeSizekb the client then sizes every PSRP request to
   * (the read sets it); a user the host does not let read it (a JEA operator) keeps Windows' default,
   * as PowerShell's own client assumes. One read serves the host's life (shared with the shell cap).
   */
  private async knowEnvelopeLimit(signal: AbortSignal): Promise<void> {
    await this.winrmConfig(signal).catch(() => undefined);
  }

  /** The caller's PowerShell sessions on this host, on every endpoint, with their commands. */
  powerShellSessions(signal: AbortSignal): Promise<PowerShellSessionInfo[]> {
    return this.call((s) => listPowerShellSessions(this.o.client, { withCommands: true, signal: s }), signal);
  }

  private readonly gate: OperationGate = (fn, signal) => this.limiter.run(fn, signal);

  /** Runs an operation within this host's concurrency cap, after any restart under way, retrying transient failures. */
  call<T>(fn: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
    return this.limiter.run(async () => {
      await this.o.coordinator.ready(this.o.endpoint);
      return withRetry(() => fn(signal), this.retry, signal);
    }, signal);
  }

  /**
   * Restarts WinRM out of band and waits for the marker that the restart command sets once the service
   * runs again; then re-reads every plugin written since the last restart and checks the host reports it.
   */
  async restart(signal: AbortSignal): Promise<void> {
    const marker = newMarker();
    const started = Date.now();
    // What this restart verifies; writes landing while it runs marked the next restart pending.
    const verifying = new Map(this.written);
    this.o.log.info('restarting WinRM', { host: this.o.label });
    try {
      // Sent again only when it surely did not run: a second restart would drop what followed the first.
      await withRetry(
        () => this.o.client.startProcess(restartCommandLine(marker), { signal }),
        { ...this.o.retry, isTransient: isUndelivered },
        signal,
      );
    } catch (e) {
      if (!isTransient(e)) throw e;
      // The answer was lost, not necessarily the request: the marker tells whether the restart runs.
      this.o.log.warn('the restart request got no answer; waiting for its marker', { host: this.o.label, error: errorMessage(e) });
    }
    for (let delay = 250; ; delay = Math.min(delay * 2, 2000)) {
      await sleep(delay, signal);
      if ((await this.markerIfAnswering(signal)) === marker) break;
      if (Date.now() - started > this.o.restartTimeoutMs) {
        throw new HostError(
          'restart-timeout',
          `WinRM on ${this.o.label} did not come back within ${Math.round(this.o.restartTimeoutMs / 1000)} s of the restart ` +
            '(a service stuck in "Stopping" looks like this: check `sc query winrm` on the host); the stored configuration takes effect once WinRM runs again',
        );
      }
    }
    this.markerRead.set(marker);
    // Writes from here on owe the next restart.
    this.pendingRecord.invalidate();
    this.markerBeforePending = undefined;
    this.o.log.info('WinRM is back', { host: this.o.label, ms: Date.now() - started });
    this.pluginsRead.invalidate();
    await this.verifyWritten(verifying, signal);
  }

  private async markerIfAnswering(signal: AbortSignal): Promise<string | undefined> {
    try {
      return await readMarker(this.o.client, { signal });
    } catch (e) {
      if (isTransient(e)) return undefined; // still down
      throw e;
    }
  }

  private async verifyWritten(verifying: ReadonlyMap<string, PluginConfig | null>, signal: AbortSignal): Promise<void> {
    // Read directly: this runs inside the restart that call() and plugins() wait for (coordinator.ready).
    const plugins = await withRetry(() => this.enumeratePlugins(signal), this.retry, signal);
    const problems: string[] = [];
    for (const [name, doc] of verifying) {
      const now = plugins.get(name);
      if (doc === null) {
        if (now) problems.push(`"${name}" still exists`);
      } else if (!now) {
        problems.push(`"${name}" is missing`);
      } else if (!isDeepStrictEqual(observe(now), observe(doc))) {
        problems.push(`"${name}" does not report what was written`);
      }
    }
    // A name written again meanwhile keeps its newer document for the next restart to check.
    for (const [name, doc] of verifying) if (this.written.get(name) === doc) this.written.delete(name);
    if (problems.length > 0)
      throw new HostError('restart-unverified', `after the WinRM restart on ${this.o.label}: ${problems.join('; ')}`);
  }

  private wrote(name: string, doc: PluginConfig | null): void {
    this.written.set(name.toLowerCase(), doc);
    this.pluginsRead.invalidate();
    if (this.o.restart === 'immediate') this.o.coordinator.markPending(this.o.endpoint);
  }

  private async enumeratePlugins(signal: AbortSignal): Promise<ReadonlyMap<string, PluginConfig>> {
    const items = await this.o.client.enumerate(RESOURCE_URI.configPlugin, { signal });
    const map = new Map<string, PluginConfig>();
    for (const item of items) {
      const doc = parsePluginConfig(item);
      if (doc.name) map.set(doc.name.toLowerCase(), doc);
    }
    return map;
  }
}

/** The host answered with a fault (it refused), or the request never reached it: nothing was written. */
function provesNotWritten(e: unknown): boolean {
  return e instanceof EndpointExistsError || e instanceof WsmanFault || isUndelivered(e);
}

function requireName(doc: PluginConfig): string {
  if (!doc.name) throw new HostError('invalid-request', 'a plugin document needs a Name');
  return doc.name;
}

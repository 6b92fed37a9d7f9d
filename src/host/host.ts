import { isDeepStrictEqual } from 'node:util';
import { RESOURCE_URI, readShell, type ShellInfo, type WsmanClient } from '../wsman';
import { parsePluginConfig, parseUint, parseWinrmConfig, pluginConfigSpec, type PluginConfig, type WinrmConfig } from '../wsman/config';
import { RestartCoordinator, Semaphore, SharedRead, sleep, withRetry, type RetryPolicy } from './coordination';
import type { HostLog } from './host-log';
import { newMarker, readMarker, restartCommandLine } from './restart-marker';
import { observe } from './session-configuration';
import { isAlreadyExists, isNotFound, isTransient, isUndelivered } from './transient-errors';
import { runRemoteCommand, type RemoteCommand, type RemoteCommandResult } from './commands/remote-command';
import { PowerShellSession, listPowerShellSessions, type OperationGate, type PowerShellSessionInfo, type PowerShellSessionOptions } from './powershell';

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
}

export class EndpointExistsError extends Error {
  override readonly name = 'EndpointExistsError';
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
  private readonly shellSlots: SharedRead<Semaphore>;
  private readonly retry: RetryPolicy;
  /** Plugins written since the last restart, by lower-cased name; null = deleted. Checked after it. */
  private readonly written = new Map<string, PluginConfig | null>();

  constructor(private readonly o: HostOptions) {
    this.limiter = new Semaphore(o.maxConcurrency);
    this.retry = { ...o.retry, isTransient };
    this.pluginsRead = new SharedRead((signal) => this.call((s) => this.enumeratePlugins(s), signal));
    this.configRead = new SharedRead((signal) =>
      this.call(async (s) => parseWinrmConfig(await this.o.client.get(RESOURCE_URI.config, undefined, { signal: s })), signal),
    );
    this.markerRead = new SharedRead((signal) => this.call((s) => readMarker(this.o.client, { signal: s }), signal));
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
    await this.call(async (s) => {
      try {
        await this.o.client.create(RESOURCE_URI.configPlugin, { Name: name }, pluginConfigSpec(doc), { signal: s });
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
        // A retried Create whose first attempt went through is not a conflict.
        const now = await this.freshPlugin(name, s);
        if (!now || !isDeepStrictEqual(observe(now), observe(doc))) {
          throw new EndpointExistsError(`session configuration "${name}" already exists on ${this.o.label}`);
        }
      }
    }, signal);
    this.wrote(name, doc);
  }

  /**
   * Replaces a plugin document. `restart: false` for changes WinRM picks up by itself (an SDDL change of
   * the endpoint's Security element, reference §3.3), so no restart is scheduled for them.
   */
  async putPlugin(doc: PluginConfig, signal: AbortSignal, options: { restart: boolean } = { restart: true }): Promise<void> {
    const name = requireName(doc);
    await this.call((s) => this.o.client.put(RESOURCE_URI.configPlugin, { Name: name }, pluginConfigSpec(doc), { signal: s }), signal);
    if (options.restart) this.wrote(name, doc);
    else this.pluginsRead.invalidate();
  }

  async deletePlugin(name: string, signal: AbortSignal): Promise<void> {
    await this.call(async (s) => {
      try {
        await this.o.client.delete(RESOURCE_URI.configPlugin, { Name: name }, { signal: s });
      } catch (e) {
        if (!isNotFound(e)) throw e; // already gone: the goal is reached
      }
    }, signal);
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
   * Shells we hold at once on this host: the configured cap, but below the host's own MaxShellsPerUser
   * (keeping one shell free for the user's other sessions), read once from winrm/config/winrs.
   */
  private shellSemaphore(config: WinrmConfig): Semaphore {
    const hostCap = parseUint(config.winrs?.maxShellsPerUser);
    const cap = hostCap !== undefined && hostCap > 0 ? Math.min(this.o.maxConcurrency, Math.max(1, hostCap - 1)) : this.o.maxConcurrency;
    if (cap < this.o.maxConcurrency) this.o.log.info('shells capped below the host quota', { host: this.o.label, maxShellsPerUser: hostCap, shells: cap });
    return new Semaphore(cap);
  }

  /** The restart marker's value now; read once, then kept current by this process's own restarts. */
  restartMarker(signal: AbortSignal): Promise<string> {
    return this.markerRead.get(signal);
  }

  /**
   * Opens a PowerShell session (runspace pool) on an endpoint of this host, over the host's persistent
   * client; each of its WS-Man operations but the Receive long-polls counts against the concurrency cap.
   */
  async openPowerShell(options: Omit<PowerShellSessionOptions, 'gate' | 'signal'>, signal: AbortSignal): Promise<PowerShellSession> {
    await this.o.coordinator.ready(this.o.endpoint);
    return PowerShellSession.open(this.o.client, { ...options, gate: this.gate, signal });
  }

  /** Connects to a session left disconnected on this host (by this or another client), like Receive-PSSession. */
  async connectPowerShell(shellId: string, configurationName: string | undefined, signal: AbortSignal): Promise<PowerShellSession> {
    await this.o.coordinator.ready(this.o.endpoint);
    return PowerShellSession.connect(this.o.client, { shellId, configurationName, gate: this.gate, signal });
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
      await withRetry(() => this.o.client.startProcess(restartCommandLine(marker), { signal }), { ...this.o.retry, isTransient: isUndelivered }, signal);
    } catch (e) {
      if (!isTransient(e)) throw e;
      // The answer was lost, not necessarily the request: the marker tells whether the restart runs.
      this.o.log.warn('the restart request got no answer; waiting for its marker', { host: this.o.label, error: (e as Error).message });
    }
    for (let delay = 250; ; delay = Math.min(delay * 2, 2000)) {
      await sleep(delay, signal);
      if ((await this.markerIfAnswering(signal)) === marker) break;
      if (Date.now() - started > this.o.restartTimeoutMs) {
        throw new Error(
          `WinRM on ${this.o.label} did not come back within ${Math.round(this.o.restartTimeoutMs / 1000)} s of the restart ` +
            '(a service stuck in "Stopping" looks like this: check `sc query winrm` on the host); the stored configuration takes effect once WinRM runs again',
        );
      }
    }
    this.markerRead.set(marker);
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
    if (problems.length > 0) throw new Error(`after the WinRM restart on ${this.o.label}: ${problems.join('; ')}`);
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

function requireName(doc: PluginConfig): string {
  if (!doc.name) throw new Error('a plugin document needs a Name');
  return doc.name;
}

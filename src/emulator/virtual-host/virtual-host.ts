/**
 * One emulated Windows host: its stored configuration (what Get returns, persisted), its effective
 * configuration (what shells obey; replaced by the stored one only when WinRM restarts), its shells,
 * counters and injected faults, and the WinRM restart cycle.
 */
import * as fs from 'node:fs';
import { parseWinrmConfig, writeWinrmConfig, type WinrmConfig } from '../../wsman/config';
import { seedConfig, type ConfigSeedOptions } from '../config/seed-config';
import { SEED_PLUGINS } from '../config/seed-plugins';
import { PluginStore } from '../config/plugin-store';
import type { HostPersistence } from '../state/host-persistence';
import type { HostDrive } from './host-drive';
import type { HostAccounts } from '../accounts/accounts';
import type { Shell } from '../shells/shell';
import { HostCounters } from './host-counters';
import { HostRegistry } from './host-registry';
import type { HostStep } from '../wmi/restart-command';
import { FaultInjection } from './fault-injection';
import { Enumerations } from '../dispatch/enumeration';
import { errorMessage, type StateMachine } from '../../common';
import { serviceStateMachine, type ServiceState } from './service-state';

/**
 * Unreceived PSRP output a PowerShell shell holds before Block suspends its commands or Drop discards the
 * oldest. Neither MS-PSRP nor Disconnect-PSSession's -OutputBufferingMode help gives Windows' size; 1 MiB is a
 * plausible order of magnitude.
 */
export const DEFAULT_PSRP_OUTPUT_BUFFER_BYTES = 1024 * 1024;

/** What the host needs from its WS-Man listener to go down and come back. */
export interface ListenerControl {
  start(): Promise<void>;
  /** Closes the port and destroys every open connection. */
  stop(): Promise<void>;
  readonly listening: boolean;
}

export interface HostConfigView {
  config: WinrmConfig;
  readonly plugins: PluginStore;
}

export interface VirtualHostOptions {
  readonly name: string;
  readonly seed: ConfigSeedOptions;
  readonly persistence: HostPersistence;
  /** The host's C: drive, seen by every pwsh started for the host. */
  readonly drive: HostDrive;
  /** The accounts that can log on, with their SIDs and groups. */
  readonly accounts: HostAccounts;
  readonly latencyMs: number;
  readonly restartMs: number;
  /** Delay between answering the restart request and stopping the service. */
  readonly restartDelayMs?: number;
  readonly log: (msg: string) => void;
  /** Unreceived PSRP output a PowerShell shell may hold (OutputBufferingMode Block/Drop act beyond it). */
  readonly psrpOutputBufferBytes?: number;
}

export class VirtualHost {
  readonly name: string;
  readonly counters = new HostCounters();
  readonly injection: FaultInjection;
  readonly shells = new Map<string, Shell>();
  readonly enumerations = new Enumerations();
  stored: HostConfigView;
  effective: HostConfigView;
  /** Registry values written by out-of-band commands and WMI StdRegProv; persisted with the configuration. */
  readonly registry: HostRegistry;
  restartHang = false;
  restarts = 0;
  listener: ListenerControl | undefined;
  readonly drive: HostDrive;
  readonly accounts: HostAccounts;
  private readonly persistence: HostPersistence;
  private readonly restartMs: number;
  private readonly restartDelayMs: number;
  readonly log: (msg: string) => void;
  private readonly service: StateMachine<ServiceState>;
  readonly psrpOutputBufferBytes: number;
  private hangRelease: (() => void) | undefined;
  private restartTimers = new Set<NodeJS.Timeout>();

  constructor(o: VirtualHostOptions) {
    this.name = o.name;
    this.persistence = o.persistence;
    this.drive = o.drive;
    this.accounts = o.accounts;
    this.restartMs = o.restartMs;
    this.restartDelayMs = o.restartDelayMs ?? 100;
    this.log = o.log;
    this.service = serviceStateMachine(o.name, o.log);
    this.psrpOutputBufferBytes = o.psrpOutputBufferBytes ?? DEFAULT_PSRP_OUTPUT_BUFFER_BYTES;
    this.injection = new FaultInjection(o.latencyMs);
    const saved = o.persistence.load();
    this.stored = saved
      ? { config: parseWinrmConfig(saved.config), plugins: PluginStore.fromXml(saved.plugins) }
      : { config: seedConfig(o.seed), plugins: PluginStore.fromXml(SEED_PLUGINS) };
    this.registry = new HostRegistry(saved?.registry);
    if (!saved) this.persist();
    this.effective = this.snapshotStored();
  }

  get serviceState(): ServiceState {
    return this.service.state;
  }

  /** Writes the stored configuration to disk (atomically); called after every accepted write. */
  persist(): void {
    this.persistence.save({
      version: 2,
      config: writeWinrmConfig(this.stored.config),
      plugins: this.stored.plugins.toXml(),
      registry: this.registry.toJSON(),
    });
  }

  shellsOf(owner: string): Shell[] {
    return [...this.shells.values()].filter((s) => s.ownedBy(owner));
  }

  /** Closes the shell (its commands and PowerShell engine end); resolves once its engine has exited. */
  closeShell(shell: Shell, reason: string): Promise<void> {
    this.shells.delete(shell.settings.id);
    return shell.close(reason).finally(() => fs.rmSync(this.drive.sessionFile(shell.settings.id), { force: true }));
  }

  /**
   * Runs the steps of a command started out of band (after its answer is on the wire), with cmd's `&&`
   * semantics: a step that fails ends the chain. A restart fails when it hangs (`net stop` gives up on a
   * service stuck in Stopping), so what follows it (the restart marker) is never written.
   */
  runOutOfBand(steps: readonly HostStep[]): void {
    const t = setTimeout(() => {
      this.restartTimers.delete(t);
      void this.runSteps(steps).catch((e: unknown) => this.log(`host ${this.name}: out-of-band command failed: ${errorMessage(e)}`));
    }, this.restartDelayMs);
    this.restartTimers.add(t);
  }

  private async runSteps(steps: readonly HostStep[]): Promise<void> {
    for (const step of steps) {
      if (step.kind === 'restart-winrm') {
        if (!(await this.restart())) return;
      } else {
        this.registry.set(step.path, step.name, step.value);
        this.persist();
      }
    }
  }

  /**
   * The WinRM restart: every shell closed, every connection dropped, the listener down for restartMs
   * (or until the hang switch is released), then back with the stored configuration effective. True when
   * it completed without hanging.
   */
  async restart(): Promise<boolean> {
    if (!this.service.is('Running')) return false;
    const hung = this.restartHang;
    this.service.transition(hung ? 'StopPending' : 'Restarting', 'restart requested');
    await this.stopService();
    if (hung) await new Promise<void>((resolve) => (this.hangRelease = resolve));
    else await this.sleep(this.restartMs);
    // A take-down, shutdown or bring-up during the restart wins.
    if (!this.service.is('Restarting', 'StopPending')) return false;
    this.effective = this.snapshotStored();
    this.restarts += 1;
    this.service.transition('Running', hung ? 'the hang was released' : 'restart done');
    await this.listener?.start();
    return !hung;
  }

  setRestartHang(on: boolean): void {
    this.restartHang = on;
    if (!on && this.hangRelease) {
      const release = this.hangRelease;
      this.hangRelease = undefined;
      release();
    }
  }

  /** Takes the host off the network (connections refused) until bringUp. */
  async takeDown(): Promise<void> {
    if (!this.service.is('Down')) this.service.transition('Down', 'taken down');
    await this.stopService();
  }

  /** A host that comes back up has booted: stored configuration becomes effective. */
  async bringUp(): Promise<void> {
    if (this.listener?.listening) return;
    this.effective = this.snapshotStored();
    if (!this.service.is('Running')) this.service.transition('Running', 'brought up');
    await this.listener?.start();
  }

  async shutdown(): Promise<void> {
    for (const t of this.restartTimers) clearTimeout(t);
    this.restartTimers.clear();
    // Down first: a restart the release below lets go on must see it and not bring the service back.
    const down = this.takeDown();
    this.setRestartHang(false);
    await down;
  }

  /** Every shell closed, the port closed and every connection dropped. */
  private async stopService(): Promise<void> {
    const closed = [...this.shells.values()].map((shell) => this.closeShell(shell, 'WinRM stopped'));
    await Promise.all([this.listener?.stop(), ...closed]);
  }

  private snapshotStored(): HostConfigView {
    return { config: parseWinrmConfig(writeWinrmConfig(this.stored.config)), plugins: this.stored.plugins.clone() };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.restartTimers.delete(t);
        resolve();
      }, ms);
      this.restartTimers.add(t);
    });
  }
}

import { Construct } from 'constructs';
import { Command, type CommandConfig } from '../generated/command';
import { buildPerHost, hostMetaArguments, type FleetProps, type HostIndexed } from './per-host';

/** A command's settings: everything psremoting_command takes except host and meta-arguments. */
export type CommandSettings = Omit<
  CommandConfig,
  'host' | 'provider' | 'dependsOn' | 'count' | 'forEach' | 'lifecycle' | 'provisioners' | 'connection'
>;

export interface CommandFleetProps extends FleetProps, CommandSettings {
  /**
   * Fleets whose resource on the same host this command waits for, e.g. the endpoint it configures:
   * host A's command then depends on host A's endpoint only, so one slow host holds back no other.
   */
  readonly after?: readonly HostIndexed[];
}

/**
 * One command run on many hosts: one `psremoting_command` per host, each with its own output,
 * exit code and check result.
 *
 * @example
 * new CommandFleet(stack, 'configured', {
 *   hosts,
 *   shell: 'cmd',
 *   command: 'echo configured',
 *   after: [opsFleet],
 * });
 *
 * @example
 * // A patch run inside a JEA endpoint, in disconnected sessions that outlive the apply. A refresh
 * // only looks whether the run ended; the apply planned after that collects its output.
 * new CommandFleet(stack, 'patch', {
 *   hosts,
 *   configurationName: 'Ops.Restricted',
 *   command: 'Install-Patch -All',
 *   disconnected: { idleTimeoutSec: 3600, outputBufferingMode: 'Block', wait: false },
 *   after: [opsFleet],
 * });
 */
export class CommandFleet extends Construct implements HostIndexed {
  /** The command resource of each host, in the order of `hosts`. */
  public readonly byHost: ReadonlyMap<string, Command>;

  constructor(scope: Construct, id: string, props: CommandFleetProps) {
    super(scope, id);
    const { hosts, provider, dependsOn, after, ...settings } = props;
    this.byHost = buildPerHost(
      this,
      hosts,
      [],
      (childId, host) =>
        new Command(this, childId, { ...settings, host, ...hostMetaArguments({ hosts, provider, dependsOn }, host, after) }),
    );
  }

  resourceFor(host: string): Command | undefined {
    return this.byHost.get(host);
  }
}

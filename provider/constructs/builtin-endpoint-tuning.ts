import { Construct } from 'constructs';
import type { SessionConfiguration } from '../generated/session-configuration';
import type { FleetProps, HostIndexed } from './per-host';
import { endpointPerHost, type EndpointSettings } from './session-configuration-fleet';

export interface BuiltinEndpointTuningProps extends FleetProps {
  /** The endpoint Windows already has on every host. Default "microsoft.powershell". */
  readonly name?: string;
  /**
   * The settings to manage; what is left out stays as each host has it. `allowBuiltinDestroy` is
   * not offered: a destroy of this construct forgets the endpoint rather than unregistering it.
   */
  readonly settings: Omit<EndpointSettings, 'allowBuiltinDestroy'>;
  /** Per-host exceptions, keyed by an entry of `hosts`, merged over `settings`. */
  readonly overrides?: Readonly<Record<string, Omit<EndpointSettings, 'allowBuiltinDestroy'>>>;
  /**
   * Adopt the endpoint with a terraform `import` block (id `host/name`) so the first apply takes it
   * over instead of failing because it exists. Default true; once it is in the state, terraform
   * ignores the import block.
   */
  readonly adopt?: boolean;
}

/**
 * Takes over an endpoint Windows ships (by default `microsoft.powershell`) on every host and tunes
 * it: each host's endpoint is imported (`import { id = "host/microsoft.powershell" }`) and then
 * managed like any other, without ever being unregistered.
 *
 * @example
 * new BuiltinEndpointTuning(stack, 'builtin', {
 *   hosts: ['win1', 'win2'],
 *   settings: { idleTimeoutSec: 5400, maxMemoryPerSessionMb: 1024 },
 * });
 */
export class BuiltinEndpointTuning extends Construct implements HostIndexed {
  /** The endpoint resource of each host, in the order of `hosts`. */
  public readonly byHost: ReadonlyMap<string, SessionConfiguration>;
  /** The endpoint name tuned on every host. */
  public readonly endpointName: string;

  constructor(scope: Construct, id: string, props: BuiltinEndpointTuningProps) {
    super(scope, id);
    const name = props.name ?? 'microsoft.powershell';
    this.endpointName = name;
    this.byHost = endpointPerHost(this, props, name);
    if (props.adopt ?? true) for (const [host, endpoint] of this.byHost) endpoint.importFrom(`${host}/${name}`, props.provider);
  }

  resourceFor(host: string): SessionConfiguration | undefined {
    return this.byHost.get(host);
  }
}

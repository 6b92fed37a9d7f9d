import { Construct } from 'constructs';
import { SessionConfiguration, type SessionConfigurationConfig } from '../generated/session-configuration';
import { buildPerHost, hostMetaArguments, type FleetProps, type HostIndexed } from './per-host';

/** An endpoint's settings: everything psremoting_session_configuration takes except host, name and meta-arguments. */
export type EndpointSettings = Omit<
  SessionConfigurationConfig,
  'host' | 'name' | 'provider' | 'dependsOn' | 'count' | 'forEach' | 'lifecycle' | 'provisioners' | 'connection'
>;

export interface SessionConfigurationFleetProps extends FleetProps {
  /** The endpoint name (what `New-PSSession -ConfigurationName` takes), the same on every host. */
  readonly name: string;
  /** The endpoint definition applied to every host (transport options, access, startup script…). */
  readonly settings: EndpointSettings;
  /**
   * Per-host exceptions, keyed by an entry of `hosts`; each is merged over `settings` for that host.
   * A key that is not in `hosts` is an error (a typo would otherwise silently do nothing).
   */
  readonly overrides?: Readonly<Record<string, EndpointSettings>>;
}

/**
 * One session configuration (a PowerShell remoting endpoint) defined once and applied to a list of
 * hosts: one `psremoting_session_configuration` per host, so each host plans, drifts and converges on
 * its own.
 *
 * @example
 * new SessionConfigurationFleet(stack, 'ops', {
 *   hosts: ['win1', 'win2', 'win3'],
 *   name: 'Ops.Restricted',
 *   settings: { idleTimeoutSec: 3600, outputBufferingMode: 'Drop', maxSessionsPerUser: 5 },
 *   overrides: { win3: { maxSessionsPerUser: 10 } },
 * });
 */
export class SessionConfigurationFleet extends Construct implements HostIndexed {
  /** The endpoint resource of each host, in the order of `hosts`. */
  public readonly byHost: ReadonlyMap<string, SessionConfiguration>;

  constructor(scope: Construct, id: string, props: SessionConfigurationFleetProps) {
    super(scope, id);
    this.byHost = endpointPerHost(this, props, props.name);
  }

  resourceFor(host: string): SessionConfiguration | undefined {
    return this.byHost.get(host);
  }
}

/**
 * One endpoint resource per host under `scope`: the shared settings with the host's overrides merged
 * over them (what every endpoint fleet construct builds).
 */
export function endpointPerHost(
  scope: Construct,
  props: FleetProps & { readonly settings: EndpointSettings; readonly overrides?: Readonly<Record<string, EndpointSettings>> },
  name: string,
): ReadonlyMap<string, SessionConfiguration> {
  return buildPerHost(
    scope,
    props.hosts,
    Object.keys(props.overrides ?? {}),
    (childId, host) =>
      new SessionConfiguration(scope, childId, {
        ...props.settings,
        ...props.overrides?.[host],
        host,
        name,
        ...hostMetaArguments(props, host),
      }),
  );
}

/**
 * What the fleet constructs share: a host list known at synth time, one child construct per host with
 * an id derived from the host, and lookups by host.
 */
import { Construct } from 'constructs';
import { Token, type ITerraformDependable, type TerraformProvider } from 'cdktf';

/** Props every fleet construct takes. */
export interface FleetProps {
  /**
   * The Windows hosts, as the provider takes them: a name, `name:port`, or a full
   * `http(s)://name:port/wsman` URL. Plain strings known at synth time (each host becomes its own
   * resource with a stable address); duplicates are an error.
   */
  readonly hosts: readonly string[];
  /** The psremoting provider to use, when the stack declares more than one. */
  readonly provider?: TerraformProvider;
  /** Resources every host's resource waits for. */
  readonly dependsOn?: ITerraformDependable[];
}

/** A fleet whose resource for one host can be looked up, so another fleet can wait on it per host. */
export interface HostIndexed {
  /** The resource this fleet manages on `host`, or undefined when the host is not in the fleet. */
  resourceFor(host: string): ITerraformDependable | undefined;
}

/**
 * A construct id for a host. Construct ids may not hold '/', and readable ids make readable resource
 * addresses; distinct hosts that sanitize alike are caught by the duplicate check on the ids.
 */
export function hostConstructId(host: string): string {
  const withoutScheme = host.replace(/^https?:\/\//i, '').replace(/\/wsman\/?$/i, '');
  return withoutScheme.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'host';
}

/** Checks the host list and per-host overrides, then builds one child per host. */
export function buildPerHost<R>(
  scope: Construct,
  hosts: readonly string[],
  overrideHosts: readonly string[],
  build: (id: string, host: string) => R,
): ReadonlyMap<string, R> {
  const fleet = scope.node.path;
  if (hosts.length === 0) throw new Error(`${fleet}: hosts is empty`);
  const ids = new Map<string, string>();
  for (const host of hosts) {
    if (Token.isUnresolved(host)) {
      throw new Error(
        `${fleet}: hosts must be plain strings known at synth time (got a token); use the generated resource with forEach for hosts known only to terraform`,
      );
    }
    const id = hostConstructId(host);
    const other = ids.get(id);
    if (other !== undefined)
      throw new Error(`${fleet}: hosts "${other}" and "${host}" are the same host or name the same construct id "${id}"`);
    ids.set(id, host);
  }
  const unknown = overrideHosts.filter((h) => !hosts.includes(h));
  if (unknown.length > 0) throw new Error(`${fleet}: overrides name hosts that are not in hosts: ${unknown.join(', ')}`);
  return new Map([...ids].map(([id, host]) => [host, build(id, host)]));
}

/** Meta-arguments for one host's resource: the fleet's own, plus what it waits for on that host. */
export function hostMetaArguments(
  props: FleetProps,
  host: string,
  after: readonly HostIndexed[] = [],
): { provider?: TerraformProvider; dependsOn?: ITerraformDependable[] } {
  const perHost = after.map((f) => f.resourceFor(host)).filter((r): r is ITerraformDependable => r !== undefined);
  const dependsOn = [...(props.dependsOn ?? []), ...perHost];
  return { ...(props.provider ? { provider: props.provider } : {}), ...(dependsOn.length > 0 ? { dependsOn } : {}) };
}
